package run_test

import (
	"context"
	"strings"
	"testing"

	"canvass/survey"
	"canvass/survey/run"
)

// limited is a survey whose repeat "people" has the given constraint (and
// message), inside a repeat "homes" whose "rooms" have at most 2.
func limited(constraint string, msg survey.Text) *survey.Survey {
	return &survey.Survey{ID: "limits", Version: 1, Title: survey.En("Limits"), Questions: []*survey.Question{
		{Type: survey.TypeText, Name: "you", Label: survey.En("You")},
		{Type: survey.TypeGroup, Name: "people", Label: survey.En("People"), Constraint: constraint, ConstraintMessage: msg,
			Repeat:    &survey.Repeat{Item: survey.En("person")},
			Questions: []*survey.Question{{Type: survey.TypeText, Name: "first", Label: survey.En("Name")}}},
		{Type: survey.TypeGroup, Name: "homes", Repeat: &survey.Repeat{Item: survey.En("home")}, Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "town", Label: survey.En("Town")},
			{Type: survey.TypeGroup, Name: "rooms", Constraint: "count(${rooms}) <= 2", Repeat: &survey.Repeat{Item: survey.En("room")},
				Questions: []*survey.Question{{Type: survey.TypeText, Name: "room", Label: survey.En("Room")}}},
		}},
		{Type: survey.TypeText, Name: "end", Label: survey.En("End")},
	}}
}

// TestRepeatLimits: Next on the prompt page, CheckAll and Finish refuse a
// count the repeat's constraint does not allow, with its message or one
// that says the limit; Add is refused at a maximum the engine can read.
func TestRepeatLimits(t *testing.T) {
	for _, c := range []struct {
		name       string
		constraint string
		msg        survey.Text
		add        int    // instances added before Next on the prompt
		want       string // the message Next gives; "" moves on
		canAdd     bool   // Prompt.CanAdd after adding
	}{
		{"at least 1, none", "count(${people}) >= 1", nil, 0, "Add at least 1 person.", true},
		{"at least 1, one", "count(${people}) >= 1", nil, 1, "", true},
		{"at least 2, one", "count(${people}) >= 2", nil, 1, "Add at least 2 people.", true},
		{"between 1 and 3, none", "count(${people}) >= 1 and count(${people}) <= 3", nil, 0, "Add at least 1 person.", true},
		{"between 1 and 3, three", "count(${people}) >= 1 and count(${people}) <= 3", nil, 3, "", false},
		{"at most 2 (<)", "count(${people}) < 3", nil, 2, "", false},
		{"at most 2, one", "count(${people}) <= 2", nil, 1, "", true},
		{"more than 1", "count(${people}) > 1", nil, 1, "Add at least 2 people.", true},
		{"exactly 2", "count(${people}) = 2", nil, 1, "Add exactly 2 people.", true},
		{"exactly 2, two", "count(${people}) = 2", nil, 2, "", false},
		{"own message", "count(${people}) >= 1", survey.En("Tell us about one person at least."), 0, "Tell us about one person at least.", true},
		{"dot is the count", ". >= 2", nil, 1, run.MsgConstraint, true},
		{"hand-written rule", "count(${people}) >= 1 or ${you} = 'none'", nil, 0, run.MsgConstraint, true},
		{"hand-written rule holds", "count(${people}) >= 1 or ${you} = 'Ann'", nil, 0, "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			def := limited(c.constraint, c.msg)
			if err := def.Validate(); err != nil {
				t.Fatalf("survey not valid: %v", err)
			}
			se := newSession(t, def, run.Config{})
			se.Answer("you", "Ann")
			if moved, probs := se.Next(); !moved || len(probs) > 0 || current(se) != "+people" {
				t.Fatalf("to the prompt: %v %+v at %q", moved, probs, current(se))
			}
			for i := 0; i < c.add; i++ {
				if err := se.AddInstance("people"); err != nil {
					t.Fatalf("add %d: %v", i+1, err)
				}
			}
			se.GoTo(promptPage(se, "people"))
			if got := se.Page().Prompt.CanAdd; got != c.canAdd {
				t.Errorf("CanAdd = %v, want %v", got, c.canAdd)
			}
			if full := se.Page().Prompt.Full; (full != "") == c.canAdd || !c.canAdd && !strings.HasPrefix(full, "You can add at most ") {
				t.Errorf("Full = %q with CanAdd %v", full, c.canAdd)
			}
			if !c.canAdd {
				err := se.AddInstance("people")
				if err == nil || !strings.Contains(err.Error(), "the most its constraint allows") || !strings.Contains(err.Error(), `"people"`) {
					t.Errorf("AddInstance at the maximum = %v", err)
				}
				if se.Instances("people") != c.add {
					t.Errorf("refused add left %d instances", se.Instances("people"))
				}
			}
			moved, probs := se.Next()
			if c.want == "" {
				if !moved || len(probs) > 0 {
					t.Fatalf("Next = %v %+v, want it to move on", moved, probs)
				}
				return
			}
			if moved || len(probs) != 1 || probs[0].Key != "people" || probs[0].Outcome != run.ConstraintViolated || probs[0].Message != c.want {
				t.Fatalf("Next = %v %+v, want the message %q on people", moved, probs, c.want)
			}
			if !strings.Contains(probs[0].Detail, c.constraint) && c.msg == nil {
				t.Errorf("detail %q does not name the constraint", probs[0].Detail)
			}
			if page, all := se.CheckAll(); page != promptPage(se, "people") || len(all) != 1 || all[0].Key != "people" {
				t.Errorf("CheckAll = %d %+v", page, all)
			}
			if page, fin := se.Finish(); page < 0 || len(fin) != 1 || fin[0].Message != c.want {
				t.Errorf("Finish = %d %+v: submitted past the limit", page, fin)
			}
		})
	}
}

// TestRepeatLimitsNestedAndResumed: a nested repeat's limit counts its own
// parent instance's instances; a draft resumed with more than the maximum
// is told to remove some, and can remove.
func TestRepeatLimitsNestedAndResumed(t *testing.T) {
	def := limited("count(${people}) <= 2", nil)
	se, err := run.Resume(run.Config{Survey: def}, &survey.Response{ID: "r1", SurveyID: "limits", SurveyVersion: 1,
		Status: survey.StatusDraft, Answers: survey.Answers{"you": "Ann", "people[1]/first": "A", "people[3]/first": "C",
			"homes[1]/rooms[1]/room": "kitchen", "homes[1]/rooms[2]/room": "hall", "homes[2]/town": "Leeds"}})
	if err != nil {
		t.Fatal(err)
	}
	se.GoTo(promptPage(se, "people"))
	if pr := se.Page().Prompt; pr.CanAdd || pr.Count != 3 || pr.Full != "You can add at most 2 people." {
		t.Errorf("prompt over the maximum: %+v", pr)
	}
	if moved, probs := se.Next(); moved || len(probs) != 1 || probs[0].Message != "You can add at most 2 people. Please remove 1." {
		t.Fatalf("Next over the maximum = %v %+v", moved, probs)
	}
	if err := se.RemoveInstance(context.Background(), "people[2]"); err != nil {
		t.Fatal(err)
	}
	se.GoTo(promptPage(se, "people"))
	if moved, probs := se.Next(); !moved || len(probs) > 0 {
		t.Fatalf("Next at the maximum = %v %+v", moved, probs)
	}
	// homes[1] has its 2 rooms, homes[2] none: each instance has its own limit.
	if err := se.AddInstance("homes[1]/rooms"); err == nil || !strings.Contains(err.Error(), `"homes[1]/rooms"`) {
		t.Errorf("third room in home 1 = %v", err)
	}
	if err := se.AddInstance("homes[2]/rooms"); err != nil {
		t.Errorf("first room in home 2: %v", err)
	}
	se.GoTo(promptPage(se, "homes[1]/rooms"))
	if pr := se.Page().Prompt; pr.CanAdd {
		t.Errorf("home 1's rooms at the maximum: %+v", pr)
	}
	se.GoTo(promptPage(se, "homes[2]/rooms"))
	if pr := se.Page().Prompt; !pr.CanAdd {
		t.Errorf("home 2's rooms below the maximum: %+v", pr)
	}
}

// TestRepeatLimitsNotRelevant: a repeat that is not relevant is not held
// to its minimum.
func TestRepeatLimitsNotRelevant(t *testing.T) {
	def := limited("count(${people}) >= 1", nil)
	def.Questions[1].Relevant = "${you} != 'nobody'"
	se := newSession(t, def, run.Config{})
	se.Answer("you", "nobody")
	se.Answer("end", "done")
	if page, probs := se.CheckAll(); page >= 0 {
		t.Errorf("CheckAll = %d %+v for a repeat not asked", page, probs)
	}
	se.Answer("you", "Ann")
	if page, probs := se.CheckAll(); page < 0 || len(probs) != 1 || probs[0].Key != "people" {
		t.Errorf("CheckAll = %d %+v for the repeat asked with nobody", page, probs)
	}
}

func promptPage(se *run.Session, key string) int {
	for i, p := range se.Pages() {
		if p.Prompt != nil && p.Prompt.Key == key {
			return i
		}
	}
	return -1
}
