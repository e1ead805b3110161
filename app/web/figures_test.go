package web

import (
	"context"
	"strings"
	"testing"

	"canvass/survey"
)

// TestPagesShowThresholdFigures: the decision tool served to phones says
// the figures staff saved in Settings, never a raw {{…}} piece.
func TestPagesShowThresholdFigures(t *testing.T) {
	st := openTestStore(t)
	th := survey.DefaultThresholds()
	th.SubsidyMFA = 400000
	if err := survey.SaveThresholds(context.Background(), st, th); err != nil {
		t.Fatal(err)
	}
	srv := startTestServer(t, st, "decision", Limits{})
	for _, q := range srv.Survey().All() {
		for field, txt := range map[string]survey.Text{"label": q.Label, "hint": q.Hint} {
			for l, v := range txt {
				if strings.Contains(v, "{{") {
					t.Errorf("%s %s [%s] shows a raw piece: %q", q.Name, field, l, v)
				}
			}
		}
	}
	g, ok := srv.Survey().Question("g_subsidy")
	if !ok {
		t.Fatal("no g_subsidy question in the decision tool")
	}
	if got := g.Label.In("en", "en"); !strings.Contains(got, "£400,000") {
		t.Errorf("g_subsidy label %q, want the saved figure £400,000", got)
	}
}
