package run_test

import (
	"fmt"
	"testing"

	"canvass/survey"
	"canvass/survey/run"
)

// TestRepeatCountFallsInOnePass: a repeat_count answer typed far too big
// and corrected (50000 → 3, on every keystroke in the form) sets aside the
// instances past the count in one pass over the answers, and brings them
// back the same way. It went over every answer once per instance removed
// (and again per instance added): 2000 people took 10⁷ allocations, and
// 9999 took seconds per keystroke. The work now grows with the instances;
// the answers set aside all come back.
func TestRepeatCountFallsInOnePass(t *testing.T) {
	s := &survey.Survey{ID: "many", Version: 1, Title: survey.En("Many"), Questions: []*survey.Question{
		{Type: survey.TypeInteger, Name: "n", Label: survey.En("How many?")},
		{Type: survey.TypeGroup, Name: "people", Label: survey.En("People"), Repeat: &survey.Repeat{Count: "${n}"},
			Questions: []*survey.Question{
				{Type: survey.TypeCalculate, Name: "pos", Calculation: "position(..)"},
				{Type: survey.TypeText, Name: "name", Label: survey.En("Name")},
			}},
	}}
	const many = 2000
	sess := newSession(t, s, run.Config{})
	sess.Answer("n", fmt.Sprint(many))
	for _, i := range []int{1, 2, many - 1, many} {
		sess.Answer(fmt.Sprintf("people[%d]/name", i), fmt.Sprint("P", i))
	}
	before := sess.Answers()
	allocs := testing.AllocsPerRun(1, func() {
		sess.Answer("n", "3")
		if got := sess.Instances("people"); got != 3 {
			t.Fatalf("%d people at a count of 3", got)
		}
		sess.Answer("n", fmt.Sprint(many))
	})
	if limit := float64(many * 300); allocs > limit {
		t.Errorf("lowering the count to 3 and raising it back to %d took %.0f allocations, over %.0f: the work grows faster than the instances", many, allocs, limit)
	}
	after := sess.Answers()
	if len(after) != len(before) || after[fmt.Sprintf("people[%d]/name", many)] != fmt.Sprint("P", many) || after["people[2]/name"] != "P2" {
		t.Errorf("%d answers after the count came back, want %d; last person %q", len(after), len(before), after[fmt.Sprintf("people[%d]/name", many)])
	}
}

// TestRepeatCountBreakingItsCheck: a repeat_count answer that breaks its own
// constraint (50000 where at most 20 are allowed) is not a count yet: the
// instances already there stay, with their answers, and no more are built,
// so the pages stay few beside the error; a count that passes its check
// sets the instances again. A count nested in a repeat reads its own
// instance's answer.
func TestRepeatCountBreakingItsCheck(t *testing.T) {
	s := &survey.Survey{ID: "checked", Version: 1, Title: survey.En("Checked"), Questions: []*survey.Question{
		{Type: survey.TypeInteger, Name: "n", Label: survey.En("How many?"), Constraint: ". <= 20"},
		{Type: survey.TypeGroup, Name: "people", Label: survey.En("People"), Repeat: &survey.Repeat{Count: "${n}"},
			Questions: []*survey.Question{
				{Type: survey.TypeText, Name: "name", Label: survey.En("Name")},
				{Type: survey.TypeInteger, Name: "k", Label: survey.En("How many pets?"), Constraint: ". <= 5"},
				{Type: survey.TypeGroup, Name: "pets", Label: survey.En("Pets"), Repeat: &survey.Repeat{Count: "${k}"},
					Questions: []*survey.Question{{Type: survey.TypeText, Name: "pet", Label: survey.En("Pet")}}},
			}},
	}}
	sess := newSession(t, s, run.Config{})
	steps := []struct {
		key, value string
		people     int
		pets       int // of person 1
	}{
		{"n", "50000", 0, 0}, // never a count: nobody yet
		{"n", "2", 2, 0},
		{"people[1]/name", "Ann", 2, 0},
		{"people[1]/k", "3", 2, 3},
		{"people[1]/k", "300", 2, 3}, // breaks "at most 5": person 1 keeps 3 pets
		{"n", "50000", 2, 3},         // breaks "at most 20": 2 people stay
		{"n", "3", 3, 3},
		{"people[1]/k", "2", 3, 2},
	}
	for _, st := range steps {
		check, _ := sess.Answer(st.key, st.value)
		if got := sess.Instances("people"); got != st.people {
			t.Errorf("%s = %s (check %v): %d people, want %d", st.key, st.value, check.Outcome, got, st.people)
		}
		if got := sess.Instances("people[1]/pets"); got != st.pets {
			t.Errorf("%s = %s: %d pets of person 1, want %d", st.key, st.value, got, st.pets)
		}
		if pages := len(sess.Pages()); pages > 20 {
			t.Errorf("%s = %s: %d pages", st.key, st.value, pages)
		}
	}
	if got := sess.Value("people[1]/name"); got != "Ann" {
		t.Errorf("person 1's name %q after the count was wrong and corrected", got)
	}
}
