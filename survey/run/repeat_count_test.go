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
