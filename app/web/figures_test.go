package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"canvass/survey"
	"canvass/survey/settings"
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

// TestPagesRecordTheStaffName: a username question answered on a phone
// records the staff name set in Settings on the laptop serving it.
func TestPagesRecordTheStaffName(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	def := &survey.Survey{
		ID: "stall", Version: 1, Title: survey.En("Stall"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeUsername, Name: "who"},
			{Type: survey.TypeText, Name: "idea", Label: survey.En("Your idea")},
		},
	}
	if _, err := st.SaveSurvey(ctx, def); err != nil {
		t.Fatal(err)
	}
	if err := settings.SaveStaffName(ctx, st, "Sam Patel"); err != nil {
		t.Fatal(err)
	}
	srv := startTestServer(t, st, "stall", Limits{})
	c := newClient(t, srv)
	body := c.start()
	c.answer(body, url.Values{"idea": {"More benches"}})
	resp, err := st.Response(ctx, deviceOf(t, srv, c).responseID())
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Answers["who"]; got != "Sam Patel" {
		t.Errorf("username answer %q, want the staff name", got)
	}
}
