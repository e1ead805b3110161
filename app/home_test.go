package app_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"canvass/survey"
)

// TestHomeNewEvent creates an event through the dialog as staff would:
// type the name and venue, press Return; it is saved, made active, shown in
// the banner, and new responses are tagged with it.
func TestHomeNewEvent(t *testing.T) {
	r := newStaffRig(t)
	if !strings.Contains(test.RenderObjectToMarkup(r.win.Content()), "No active event") {
		t.Fatal("a new database does not warn that no event is active")
	}
	t.Run("a name is required", func(t *testing.T) {
		form := r.home.EventList().Edit(survey.Event{})
		form.Name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if len(r.home.Events) != 0 {
			t.Fatal("an event without a name was saved")
		}
		form.Dialog.Hide()
	})
	t.Run("return saves and makes it active", func(t *testing.T) {
		form := r.home.EventList().Edit(survey.Event{})
		test.Type(form.Name, "Carers' week drop-in")
		test.Type(form.Venue, "Guildford Library")
		form.Venue.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if len(r.home.Events) != 1 || r.home.Events[0].Name != "Carers' week drop-in" || !r.home.Events[0].Active {
			t.Fatalf("events after saving: %+v", r.home.Events)
		}
		screen := test.RenderObjectToMarkup(r.win.Content())
		if !strings.Contains(screen, "Active event: Carers' week drop-in · Guildford Library") {
			t.Fatal("the banner does not show the new active event")
		}
		r.saveSurvey(parkSurvey())
		resp, err := r.st.StartResponse(r.ctx, "park", 1, "en")
		if err != nil {
			t.Fatal(err)
		}
		if resp.EventID != r.home.Events[0].ID {
			t.Fatalf("a new response is tagged %q, want the active event %q", resp.EventID, r.home.Events[0].ID)
		}
	})
}
