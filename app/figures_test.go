package app_test

import (
	"strings"
	"testing"

	"canvass/survey"
)

// TestFormsShowThresholdFigures: the decision tool, answered or previewed
// in the window, shows the figures staff saved in Settings in its
// questions, never a raw {{…}} piece.
func TestFormsShowThresholdFigures(t *testing.T) {
	r := newStaffRig(t)
	r.installBuiltIns()
	th := survey.DefaultThresholds()
	th.SubsidyMFA = 400000
	if err := survey.SaveThresholds(r.ctx, r.st, th); err != nil {
		t.Fatal(err)
	}
	for name, open := range map[string]func(string) error{"preview": r.home.Runner().Preview, "answer here": r.home.Runner().Answer} {
		t.Run(name, func(t *testing.T) {
			if err := open("decision"); err != nil {
				t.Fatal(err)
			}
			def := r.home.Runner().Form().Session().Survey()
			for _, q := range def.All() {
				for l, v := range q.Label {
					if strings.Contains(v, "{{") {
						t.Errorf("%s label [%s] shows a raw piece: %q", q.Name, l, v)
					}
				}
			}
			g, _ := def.Question("g_subsidy")
			if got := g.Label.In("en", "en"); !strings.Contains(got, "£400,000") {
				t.Errorf("g_subsidy label %q, want the saved figure £400,000", got)
			}
			r.home.Show()
		})
	}
}
