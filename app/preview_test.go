package app_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"canvass/survey"
)

// overlayText is what the top dialog says ("" when none is open).
func (r *staffRig) overlayText() string {
	top := r.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return test.RenderObjectToMarkup(top)
}

// countResponses counts the stored responses to a survey.
func (r *staffRig) countResponses(id string) int {
	r.t.Helper()
	n := 0
	if err := r.st.EachResponse(r.ctx, survey.Filter{SurveyID: id}, func(*survey.Response) error { n++; return nil }); err != nil {
		r.t.Fatal(err)
	}
	return n
}

// TestPreviewSaysNothingIsSaved: a preview from the home screen looks
// unlike "Answer here" (a banner on every page) and its Submit says that
// nothing was kept.
func TestPreviewSaysNothingIsSaved(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	if err := r.home.Runner().Preview("park"); err != nil {
		t.Fatal(err)
	}
	f := r.home.Runner().Form()
	if !f.PreviewNote.Visible() || !strings.Contains(f.PreviewNote.Text, "Preview: nothing is saved") {
		t.Fatalf("preview note %q shown %v", f.PreviewNote.Text, f.PreviewNote.Visible())
	}
	f.Session().Answer("visit", "no")
	for n, total := f.PageNumber(); n < total; n, total = f.PageNumber() {
		if !f.Next() {
			t.Fatalf("Next stopped on page %d", n)
		}
		if !f.PreviewNote.Visible() {
			t.Fatalf("page %d has no preview note", f.PageIndex())
		}
	}
	if !f.Submit() {
		t.Fatal("the preview did not submit")
	}
	if said := r.overlayText(); !strings.Contains(said, "nothing saved") || !strings.Contains(said, "not kept") {
		t.Errorf("Submit in a preview says %q", said)
	}
	if n := r.countResponses("park"); n != 0 {
		t.Errorf("the preview stored %d responses", n)
	}

	// Answer here has no such note, and says so when answers are kept as partial.
	if err := r.home.Runner().Answer("park"); err != nil {
		t.Fatal(err)
	}
	f = r.home.Runner().Form()
	if f.PreviewNote.Visible() {
		t.Error("Answer here shows the preview note")
	}
	f.Session().Answer("visit", "no")
	f.Next()
	test.Tap(f.LeaveButton())
	if said := r.overlayText(); !strings.Contains(said, "Kept as partial") {
		t.Errorf("leaving Answer here says %q", said)
	}
	if n := r.countResponses("park"); n != 1 {
		t.Errorf("%d responses kept, want the one partial", n)
	}
}
