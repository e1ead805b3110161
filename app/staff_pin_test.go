package app_test

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
)

// walk calls visit for o and everything drawn inside it, with the tappable
// objects that hold it (innermost last).
func walk(o fyne.CanvasObject, holders []fyne.Tappable, visit func(o fyne.CanvasObject, holders []fyne.Tappable)) {
	if o == nil || !o.Visible() {
		return
	}
	if t, ok := o.(fyne.Tappable); ok {
		holders = append(holders[:len(holders):len(holders)], t)
	}
	visit(o, holders)
	switch c := o.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			walk(child, holders, visit)
		}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(c).Objects() {
			walk(child, holders, visit)
		}
	}
}

// screenObjects are the window's content and its overlays, top overlay last.
func screenObjects(w fyne.Window) []fyne.CanvasObject {
	objs := []fyne.CanvasObject{w.Content()}
	return append(objs, w.Canvas().Overlays().List()...)
}

// shows reports whether some text on screen (content or overlays) contains s.
func shows(w fyne.Window, s string) bool {
	found := false
	for _, o := range screenObjects(w) {
		walk(o, nil, func(o fyne.CanvasObject, _ []fyne.Tappable) {
			if t, ok := o.(*canvas.Text); ok && strings.Contains(t.Text, s) {
				found = true
			}
		})
	}
	return found
}

// tapText taps the innermost tappable thing (button, menu item) labelled
// exactly label, searching the top overlay first.
func tapText(t *testing.T, w fyne.Window, label string) {
	t.Helper()
	objs := screenObjects(w)
	for i := len(objs) - 1; i >= 0; i-- {
		var target fyne.Tappable
		walk(objs[i], nil, func(o fyne.CanvasObject, holders []fyne.Tappable) {
			if tx, ok := o.(*canvas.Text); ok && tx.Text == label && len(holders) > 0 && target == nil {
				target = holders[len(holders)-1]
			}
		})
		if target != nil {
			test.Tap(target)
			return
		}
	}
	t.Fatalf("nothing labelled %q to tap", label)
}

// pinEntry is the staff PIN prompt's entry when the prompt is showing.
func pinEntry(w fyne.Window) *widget.Entry {
	var entry *widget.Entry
	for _, o := range w.Canvas().Overlays().List() {
		walk(o, nil, func(o fyne.CanvasObject, _ []fyne.Tappable) {
			if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == "Staff PIN" {
				entry = e
			}
		})
	}
	return entry
}

// closeOverlays hides every dialog and menu over the window.
func closeOverlays(w fyne.Window) {
	for w.Canvas().Overlays().Top() != nil {
		w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	}
}

// TestStaffPINGuardsPersonalData: once a PIN is set, every action that reads
// or removes personal data asks for it; a wrong PIN opens nothing; a right
// one opens the action and keeps the others open for StaffUnlockWindow,
// until kiosk mode starts.
func TestStaffPINGuardsPersonalData(t *testing.T) {
	actions := []struct {
		name  string
		tap   []string // what staff tap, in order, on the home screen
		opens string   // a text only the action's own screen or dialog shows
	}{
		{"export", []string{"Export"}, "Export responses"},
		{"back up", []string{"Back up"}, "backup"},
		{"export bundle", []string{"Laptops", "Export bundle…"}, "Export bundle"},
		{"merge bundles", []string{"Laptops", "Merge bundles…"}, "Merge bundles"},
		{"responses", []string{"Responses"}, "Erase personal data"},
		{"restore", []string{"Settings", "Restore from a backup…"}, "Choose a backup to restore"},
	}
	for _, a := range actions {
		t.Run(a.name, func(t *testing.T) {
			r := newStaffRig(t)
			r.saveSurvey(parkSurvey())
			r.respond("park", survey.StatusComplete, survey.Answers{"visit": "yes", "name": "Ada"})
			r.home.Refresh()
			clock := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
			r.home.StaffLock().SetClock(func() time.Time { return clock })
			do := func() {
				t.Helper()
				for _, label := range a.tap {
					tapText(t, r.win, label)
				}
			}

			r.setPIN("2468")
			do()
			entry := pinEntry(r.win)
			if entry == nil {
				t.Fatal("no PIN prompt with a PIN set")
			}
			if shows(r.win, a.opens) {
				t.Fatalf("%q shows before the PIN", a.opens)
			}
			test.Type(entry, "1357")
			tapText(t, r.win, "Open")
			if !shows(r.win, "That is not the staff PIN.") || shows(r.win, a.opens) {
				t.Fatalf("wrong PIN: refusal shown %v, %q shown %v", shows(r.win, "That is not the staff PIN."), a.opens, shows(r.win, a.opens))
			}
			test.Type(entry, "2468")
			tapText(t, r.win, "Open")
			if !shows(r.win, a.opens) {
				t.Fatalf("right PIN: %q not shown", a.opens)
			}

			r.home.Show()
			closeOverlays(r.win)
			clock = clock.Add(4 * time.Minute)
			do()
			if pinEntry(r.win) != nil || !shows(r.win, a.opens) {
				t.Fatalf("within the unlock window: asked again %v, opened %v", pinEntry(r.win) != nil, shows(r.win, a.opens))
			}

			r.home.Show()
			closeOverlays(r.win)
			clock = clock.Add(2 * time.Minute)
			do()
			if pinEntry(r.win) == nil {
				t.Fatal("after the unlock window: not asked again")
			}

			test.Type(pinEntry(r.win), "2468")
			tapText(t, r.win, "Open")
			r.home.Show()
			closeOverlays(r.win)
			if err := r.home.Runner().StartKiosk("park"); err != nil {
				t.Fatal(err)
			}
			r.home.Show() // staff leave kiosk mode with the PIN
			do()
			if pinEntry(r.win) == nil {
				t.Fatal("after kiosk mode: not asked again")
			}
		})
	}
}

// TestStaffPINGuardsErase: "Erase personal data" asks for the PIN again once
// the unlock window that opened Responses has passed, and a wrong PIN erases nothing.
func TestStaffPINGuardsErase(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	resp := r.respond("park", survey.StatusComplete, survey.Answers{"visit": "yes", "name": "Ada"})
	clock := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	r.home.StaffLock().SetClock(func() time.Time { return clock })
	r.setPIN("2468")
	rs, err := r.home.ShowResponses("park") // as if opened with the PIN
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.Open(resp.ID); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(10 * time.Minute)
	test.Tap(rs.EraseButton)
	entry := pinEntry(r.win)
	if entry == nil || shows(r.win, "Erase personal data?") {
		t.Fatalf("erase after the window: prompt %v, erase dialog shown %v", entry != nil, shows(r.win, "Erase personal data?"))
	}
	test.Type(entry, "0000")
	tapText(t, r.win, "Open")
	if shows(r.win, "Erase personal data?") {
		t.Fatal("wrong PIN opened the erase dialog")
	}
	test.Type(entry, "2468")
	tapText(t, r.win, "Open")
	if !shows(r.win, "Erase personal data?") {
		t.Fatal("right PIN: no erase dialog")
	}
}

// TestPINInvitation: with no staff PIN the home screen invites staff to set
// one; its button opens Settings, "Not now" hides it, and it is gone once a
// PIN is set.
func TestPINInvitation(t *testing.T) {
	r := newStaffRig(t)
	if !r.home.PINInvite.Shown() || !shows(r.win, "Set a staff PIN…") {
		t.Fatal("no invitation without a staff PIN")
	}
	tapText(t, r.win, "Set a staff PIN…")
	if !shows(r.win, "New PIN (4 to 12 digits)") {
		t.Fatal("the invitation did not open the Staff PIN settings")
	}
	r.home.Show()
	tapText(t, r.win, "Not now")
	if r.home.PINInvite.Shown() {
		t.Fatal("Not now did not hide the invitation")
	}

	r2 := newStaffRig(t)
	r2.setPIN("2468")
	r2.home.Refresh()
	if r2.home.PINInvite.Shown() || shows(r2.win, "Set a staff PIN…") {
		t.Fatal("invitation shown with a PIN set")
	}
}
