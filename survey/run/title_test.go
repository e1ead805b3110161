package run_test

import (
	"testing"

	"canvass/survey"
	"canvass/survey/run"
)

// TestInstanceTitle: an instance's heading, as the respondent reads it
// (Page.Instance.Title) and as staff screens word it (run.InstanceTitle):
// by the repeat's noun; without one, by its label when the label reads as
// a name; else "Entry". The caption above does not repeat the label the
// heading already says.
func TestInstanceTitle(t *testing.T) {
	for _, tc := range []struct {
		name, label, item, want, caption string
	}{
		{"noun", "People you care for", "person", "Person 1 of 1", "People you care for"},
		{"label as name", "Household member", "", "Household member 1 of 1", ""},
		{"no label", "", "", "Entry 1 of 1", ""},
		{"label with a reference", "Member ${n}", "", "Entry 1 of 1", "Member 1"},
		{"label as a question", "Who else lives here?", "", "Entry 1 of 1", "Who else lives here?"},
		{"long label", "Tell us about each member of the household in turn", "", "Entry 1 of 1",
			"Tell us about each member of the household in turn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := &survey.Question{Type: survey.TypeGroup, Name: "member", Label: survey.En(tc.label),
				Repeat: &survey.Repeat{Count: "${n}"}, Questions: []*survey.Question{
					{Type: survey.TypeText, Name: "mname", Label: survey.En("Name")},
				}}
			if tc.item != "" {
				rep.Repeat.Item = survey.En(tc.item)
			}
			s := &survey.Survey{Title: survey.En("Household"), Questions: []*survey.Question{
				{Type: survey.TypeInteger, Name: "n", Label: survey.En("How many?")}, rep}}
			se := newSession(t, s, run.Config{})
			se.Answer("n", "3")
			se.Answer("n", "1")
			var in *run.Instance
			for i, p := range se.Pages() {
				if p.Instance != nil {
					in = p.Instance
					se.GoTo(i)
					break
				}
			}
			if in == nil {
				t.Fatal("no instance page at a count of 1")
			}
			if in.Title != tc.want {
				t.Errorf("respondent's heading %q, want %q", in.Title, tc.want)
			}
			if got := run.InstanceTitle(rep, "en", "en", 1, 1); got != in.Title {
				t.Errorf("staff heading %q, respondent's %q", got, in.Title)
			}
			if got := se.Caption(); got != tc.caption {
				t.Errorf("caption %q, want %q", got, tc.caption)
			}
		})
	}
}
