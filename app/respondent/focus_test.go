package respondent_test

import (
	"testing"

	"fyne.io/fyne/v2"

	"canvass/survey"
)

// typeKeys types s as the window does: into the focused widget, else to
// the canvas's handler.
func typeKeys(c fyne.Canvas, s string) {
	for _, r := range s {
		if f := c.Focused(); f != nil {
			f.TypedRune(r)
		} else if h := c.OnTypedRune(); h != nil {
			h(r)
		}
	}
}

// TestFocusLeavesAHiddenQuestion: a question hidden on the page shown
// (its relevance turned false) does not keep the focus, so typing no
// longer reaches it.
func TestFocusLeavesAHiddenQuestion(t *testing.T) {
	s := &survey.Survey{ID: "hide", Version: 1, Title: survey.En("Hide"), Questions: []*survey.Question{
		{Type: survey.TypeGroup, Name: "p", Appearance: survey.AppearanceFieldList, Questions: []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "visit", Label: survey.En("Visit?"), List: "yn"},
			{Type: survey.TypeText, Name: "why", Label: survey.En("Why?"), Relevant: "${visit} = 'yes'"},
		}},
		{Type: survey.TypeText, Name: "more", Label: survey.En("More")},
	}, Lists: []survey.ChoiceList{{Name: "yn", Choices: []survey.Choice{{Name: "yes", Label: survey.En("Yes")}, {Name: "no", Label: survey.En("No")}}}}}
	r := newRig(t, s, newFakeStore())
	c := r.w.Canvas()
	if c.Focused() != r.field("visit").Tiles[0] {
		t.Fatalf("the page opens with the focus on %v, want the first choice", c.Focused())
	}
	typeKeys(c, "1")
	why := r.field("why")
	if !why.Visible() {
		t.Fatal("why is not shown after yes")
	}
	c.Focus(why.Entry)
	typeKeys(c, "ducks")
	r.f.Field("visit").Tiles[1].Tapped(nil) // "No", with the mouse: why is hidden
	if why.Visible() || c.Focused() == why.Entry {
		t.Fatalf("why visible %v, focus %v", why.Visible(), c.Focused())
	}
	typeKeys(c, "zz")
	if got := r.f.Answers()["why"]; got != "" {
		t.Fatalf("keys reached the hidden question: why = %q", got)
	}
	if got := r.f.Answers()["visit"]; got != "no" {
		t.Fatalf("visit = %q", got)
	}
}
