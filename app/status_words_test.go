package app_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"canvass/survey"
)

// TestStatusWordsAgree checks that the home card, Results and the
// Responses filter name the statuses with the same words as the exports
// (survey.Status.Label): one partial and one abandoned response are never
// "2 partial" on one screen and "1 partial, 1 abandoned" on another.
func TestStatusWordsAgree(t *testing.T) {
	r := newStaffRig(t)
	seedDashboard(r) // 4 complete, 1 partial (draft), 1 abandoned
	r.home.Show()
	home := test.RenderObjectToMarkup(r.win.Content())
	if !strings.Contains(home, "4 complete, 1 partial, 1 abandoned") {
		t.Errorf("the home card does not say %q", "4 complete, 1 partial, 1 abandoned")
	}

	if _, err := r.home.ShowDashboard("park"); err != nil {
		t.Fatal(err)
	}
	r.home.Wait()
	results := test.RenderObjectToMarkup(r.win.Content())
	for _, s := range survey.Statuses {
		word := strings.ToUpper(s.Label()[:1]) + s.Label()[1:]
		if !strings.Contains(results, ">"+word+"<") {
			t.Errorf("Results does not name %s %q", s, word)
		}
	}
	if strings.Contains(results, "still open") || strings.Contains(results, "draft") {
		t.Error("Results uses another word for a status")
	}

	rs, err := r.home.ShowResponses("park")
	if err != nil {
		t.Fatal(err)
	}
	r.home.Wait()
	for _, s := range survey.Statuses {
		word := strings.ToUpper(s.Label()[:1]) + s.Label()[1:]
		found := false
		for _, o := range rs.Status.Options {
			found = found || o == word
		}
		if !found {
			t.Errorf("the Responses filter has no %q: %q", word, rs.Status.Options)
		}
	}
}
