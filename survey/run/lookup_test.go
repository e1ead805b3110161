package run_test

import (
	"testing"

	"canvass/survey"
	"canvass/survey/run"
)

// TestLookupAndCurrent: a calculation shows the label of the chosen answer
// with instance('list')/root/item[name = ${x}]/label, in the session's
// language, and follows the answer.
func TestLookupInCalculation(t *testing.T) {
	s := &survey.Survey{
		ID: "lookup", Version: 1, Title: survey.En("Lookup"),
		Languages: []survey.Language{{Code: "en", Name: "English"}, {Code: "cy", Name: "Cymraeg"}},
		Questions: []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "town", List: "towns", Label: survey.Text{"en": "Town", "cy": "Tref"}},
			{Type: survey.TypeCalculate, Name: "town_label", Calculation: "instance('towns')/root/item[name = ${town}]/label"},
			{Type: survey.TypeNote, Name: "said", Label: survey.Text{"en": "You chose ${town_label}", "cy": "Dewisoch ${town_label}"}},
		},
		Lists: []survey.ChoiceList{{Name: "towns", Choices: []survey.Choice{
			{Name: "cdf", Label: survey.Text{"en": "Cardiff", "cy": "Caerdydd"}},
			{Name: "swa", Label: survey.Text{"en": "Swansea", "cy": "Abertawe"}},
		}}},
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	se := newSession(t, s, run.Config{})
	se.Answer("town", "swa")
	if got := se.Value("town_label"); got != "Swansea" {
		t.Errorf("town_label = %q", got)
	}
	se.Answer("town", "cdf")
	if got := se.Value("town_label"); got != "Cardiff" {
		t.Errorf("after a change: town_label = %q", got)
	}
	cy := newSession(t, s, run.Config{Language: "cy"})
	cy.Answer("town", "cdf")
	if got := cy.Value("town_label"); got != "Caerdydd" {
		t.Errorf("in Welsh: town_label = %q", got)
	}
	bad := *s
	bad.Questions = append([]*survey.Question{}, s.Questions...)
	bad.Questions[1] = &survey.Question{Type: survey.TypeCalculate, Name: "town_label", Calculation: "instance('cities')/root/item[name = ${town}]/label"}
	if err := bad.Validate(); err == nil {
		t.Error("a lookup of a list the survey lacks validates")
	}
}
