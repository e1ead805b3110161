package run_test

import (
	"testing"

	"canvass/survey"
	"canvass/survey/run"
)

// TestCaption: the line above an instance's heading says what is counted
// ("Entry 1 of 1" alone does not), and whose for a nested repeat; the
// prompt page of a nested repeat says whose; outside repeats it is empty.
func TestCaption(t *testing.T) {
	s := household()
	services := s.Questions[1].Questions[7]
	if services.Name != "services" {
		t.Fatalf("fixture changed: %s", services.Name)
	}
	services.Label = survey.En("Services ${pname} uses")
	sess := newSession(t, s, run.Config{})
	goTo := func(pred func(run.Page) bool) {
		t.Helper()
		for i, p := range sess.Pages() {
			if pred(p) {
				sess.GoTo(i)
				return
			}
		}
		t.Fatal("no such page")
	}
	if got := sess.Caption(); got != "" {
		t.Errorf("first page: caption %q", got)
	}
	goTo(func(p run.Page) bool { return p.Prompt != nil && p.Prompt.Key == "people" })
	if got := sess.Caption(); got != "People you care for" {
		t.Errorf("people prompt: caption %q", got)
	}
	if err := sess.AddInstance("people"); err != nil {
		t.Fatal(err)
	}
	sess.Answer("people[1]/pname", "Ann")
	if got := sess.Caption(); got != "People you care for" {
		t.Errorf("person's page: caption %q", got)
	}
	goTo(func(p run.Page) bool { return p.Prompt != nil && p.Prompt.Key == "people[1]/services" })
	if got := sess.Caption(); got != "Person 1 of 1 – Services Ann uses" {
		t.Errorf("services prompt: caption %q", got)
	}
	if err := sess.AddInstance("people[1]/services"); err != nil {
		t.Fatal(err)
	}
	if got := sess.Caption(); got != "Person 1 of 1 – Services Ann uses" {
		t.Errorf("service page: caption %q", got)
	}
	// A repeat without a label, labelled like the survey, adds nothing but whose.
	services.Label = s.Title
	if got := sess.Caption(); got != "Person 1 of 1" {
		t.Errorf("service page, repeat labelled as the survey: caption %q", got)
	}
}
