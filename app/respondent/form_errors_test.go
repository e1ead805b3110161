package respondent_test

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"canvass/survey"
)

// longPage is one field-list page: many optional notes-and-texts, then a
// postcode district question with a constraint at the bottom, far below
// the visible area of a 1366×768 window.
func longPage() *survey.Survey {
	var qs []*survey.Question
	for i := 1; i <= 14; i++ {
		qs = append(qs, &survey.Question{Type: survey.TypeText, Name: fmt.Sprintf("q%d", i),
			Label: survey.En(fmt.Sprintf("Question %d", i)), Hint: survey.En("Anything you want to add.")})
	}
	qs = append(qs, &survey.Question{Type: survey.TypeText, Name: "district", Label: survey.En("Postcode district"),
		Constraint: "regex(., '^[A-Z]{1,2}[0-9][0-9A-Z]?$')", ConstraintMessage: survey.En("Enter the district only, for example GU1.")})
	return &survey.Survey{ID: "long", Version: 1, Title: survey.En("Long"), Questions: []*survey.Question{
		{Type: survey.TypeGroup, Name: "all", Appearance: survey.AppearanceFieldList, Questions: qs},
		{Type: survey.TypeNote, Name: "end", Label: survey.En("Thank you")},
	}}
}

func TestFormErrorOutOfViewIsSummarisedAndFocused(t *testing.T) {
	r := newRig(t, longPage(), newFakeStore())
	sc := r.f.PageScroll()
	if sc.Content.Size().Height <= sc.Size().Height {
		t.Fatalf("the page is not long: content %v in %v", sc.Content.Size(), sc.Size())
	}
	if got := r.f.ErrorSummary(); got != nil {
		t.Fatalf("summary %q before any Next", got)
	}
	r.typeIn("district", "GU1 1AA") // a full postcode where the district was asked
	test.Tap(r.f.NextButton())
	if r.f.PageIndex() != 0 {
		t.Fatal("Next moved past a failed constraint")
	}
	want := "Postcode district: Enter the district only, for example GU1."
	if got := r.f.ErrorSummary(); len(got) != 1 || got[0] != want {
		t.Fatalf("summary %q, want [%q]", got, want)
	}

	fd := r.field("district")
	if r.w.Canvas().Focused() != fd.Entry {
		t.Errorf("focus on %T, not on the district entry", r.w.Canvas().Focused())
	}
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(sc).Y
	bottom := top + sc.Size().Height
	entryTop := d.AbsolutePositionForObject(fd.Entry).Y
	if sc.Offset.Y <= 0 || entryTop < top || entryTop+fd.Entry.Size().Height > bottom {
		t.Errorf("the district entry (y %.0f…%.0f) is not in the visible area %.0f…%.0f (offset %.0f)",
			entryTop, entryTop+fd.Entry.Size().Height, top, bottom, sc.Offset.Y)
	}
	// The summary sits above the page, so it is in view whatever the scroll.
	if y := d.AbsolutePositionForObject(r.f.PreviewNote).Y; y > top {
		t.Errorf("the header (summary) is below the page top")
	}

	r.typeIn("district", "GU1")
	if got := fd.ErrorText(); got != "" {
		t.Fatalf("error %q stays after fixing", got)
	}
	if got := r.f.ErrorSummary(); got != nil {
		t.Fatalf("summary %q stays after fixing", got)
	}
	r.next()
	if got := r.f.Answers()["district"]; got != "GU1" {
		t.Fatalf("district %q", got)
	}
}

func TestFormErrorSummaryListsEachErrorAndLinks(t *testing.T) {
	s := longPage()
	qs := s.Questions[0].Questions
	qs[2].Required = true
	r := newRig(t, s, newFakeStore())
	r.typeIn("district", "GU1 1AA")
	test.Tap(r.f.NextButton())
	got := r.f.ErrorSummary()
	if len(got) != 2 || !strings.HasPrefix(got[0], "Question 3: ") || !strings.HasPrefix(got[1], "Postcode district: ") {
		t.Fatalf("summary %q: want question 3's error, then the district's", got)
	}
	// The first field in error gets the focus and is scrolled to.
	if r.w.Canvas().Focused() != r.field("q3").Entry {
		t.Fatalf("focus on %T, not question 3", r.w.Canvas().Focused())
	}
	// Fixing one error leaves the other in the summary.
	r.typeIn("q3", "yes")
	if got := r.f.ErrorSummary(); len(got) != 1 || !strings.HasPrefix(got[0], "Postcode district: ") {
		t.Fatalf("summary after fixing question 3: %q", got)
	}
}

// A label that ends in its own punctuation takes no colon in the summary.
func TestFormErrorSummaryPunctuation(t *testing.T) {
	s := &survey.Survey{ID: "p", Version: 1, Title: survey.En("P"), Questions: []*survey.Question{
		{Type: survey.TypeGroup, Name: "all", Appearance: survey.AppearanceFieldList, Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "as", Label: survey.En("I am answering as:"), Required: true},
			{Type: survey.TypeText, Name: "why", Label: survey.En("Why?"), Required: true},
			{Type: survey.TypeText, Name: "name", Label: survey.En("Your name"), Required: true},
		}},
	}}
	r := newRig(t, s, newFakeStore())
	test.Tap(r.f.NextButton())
	got := r.f.ErrorSummary()
	msg := r.field("as").ErrorText()
	want := []string{"I am answering as: " + msg, "Why? " + msg, "Your name: " + msg}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("summary %q, want %q", got, want)
	}
}
