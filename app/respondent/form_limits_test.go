package respondent_test

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"canvass/survey"
)

// TestFormRepeatLimits: with "at least 1, at most 2" people, Next on the
// prompt page with nobody added stays and says why in the error summary
// and above Add (focused, to fix it); with two people Add is off; Submit
// from the last page comes back to the prompt when nobody was added.
func TestFormRepeatLimits(t *testing.T) {
	for _, c := range []struct {
		name string
		msg  survey.Text
		want string
	}{
		{"default message", nil, "People you care for: Add at least 1 person."},
		{"the survey's message", survey.En("Tell us about one person at least."), "People you care for: Tell us about one person at least."},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := peopleSurvey("")
			s.Questions[1].Constraint = survey.RepeatLimitsConstraint("people", 1, 2)
			s.Questions[1].ConstraintMessage = c.msg
			st, saved, _ := openStore(t, s)
			r := newRig(t, saved, st)
			r.typeIn("you", "Pat")
			r.next()
			r.onPrompt("No person added yet.")
			prompt := r.f.PageIndex()
			test.Tap(r.f.NextButton())
			if r.f.PageIndex() != prompt {
				t.Fatalf("Next with nobody added moved to page %d", r.f.PageIndex())
			}
			if got := r.f.ErrorSummary(); !slices.Equal(got, []string{c.want}) {
				t.Fatalf("error summary %q, want %q", got, c.want)
			}
			r.focused(r.f.AddButton(), "Add, where the problem is fixed")
			r.addPerson(1, 1, "Ann", '1')
			r.onPrompt("1 added so far.")
			if r.f.ErrorSummary() != nil {
				t.Errorf("the summary stays after a person was added: %q", r.f.ErrorSummary())
			}
			if r.f.AddButton().Disabled() || r.f.PromptFull() != "" {
				t.Errorf("below the maximum: Add off %v, note %q", r.f.AddButton().Disabled(), r.f.PromptFull())
			}
			r.addPerson(2, 2, "Bob", '2')
			r.onPrompt("2 added so far.")
			if !r.f.AddButton().Disabled() || r.f.PromptFull() != "You can add at most 2 people." {
				t.Errorf("at the maximum of 2: Add off %v, note %q", r.f.AddButton().Disabled(), r.f.PromptFull())
			}
			r.next()
			if !r.onPage("else") {
				t.Fatalf("page %d after the prompt", r.f.PageIndex())
			}
		})
	}
	t.Run("submit with nobody", func(t *testing.T) {
		s := peopleSurvey("")
		s.Questions[1].Constraint = survey.RepeatLimitsConstraint("people", 1, 0)
		st, saved, _ := openStore(t, s)
		r := newRig(t, saved, st)
		r.typeIn("you", "Pat")
		r.next()
		r.onPrompt("No person added yet.")
		// Back on the prompt from the last page: Submit refuses and shows it.
		r.f.Next() // refused: stays
		r.f.Submit()
		if r.f.Submitted() {
			t.Fatal("submitted with nobody added")
		}
		if got := r.f.ErrorSummary(); !slices.Equal(got, []string{"People you care for: Add at least 1 person."}) {
			t.Errorf("error summary after Submit %q", got)
		}
	})
}
