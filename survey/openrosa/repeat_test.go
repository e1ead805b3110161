package openrosa_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canvass/export/pyreaders"
	"canvass/survey"
	"canvass/survey/openrosa"
	"canvass/survey/xlsform"
)

// repeatSurvey has a repeat of people (name, personal; age) holding a
// repeat of pets, and a plain question after it.
func repeatSurvey() *survey.Survey {
	return &survey.Survey{ID: "hh", Version: 1, Title: survey.En("Household"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeGroup, Name: "people", Label: survey.En("People"), Repeat: &survey.Repeat{}, Questions: []*survey.Question{
				{Type: survey.TypeText, Name: "first", Label: survey.En("Name"), Personal: true},
				{Type: survey.TypeInteger, Name: "age", Label: survey.En("Age")},
				{Type: survey.TypeGroup, Name: "pets", Label: survey.En("Pets"), Repeat: &survey.Repeat{}, Questions: []*survey.Question{
					{Type: survey.TypeText, Name: "pet", Label: survey.En("Pet")},
				}},
			}},
			{Type: survey.TypeText, Name: "after", Label: survey.En("After")},
		}}
}

// TestInstanceWritesRepeats converts a survey with nested repeats in the
// real pyxform and writes a response's instances in order, each with its
// own answers, as ODK Central expects; personal answers are left out in
// every instance when asked.
func TestInstanceWritesRepeats(t *testing.T) {
	def := repeatSurvey()
	path := filepath.Join(t.TempDir(), "hh.xlsx")
	if err := xlsform.ExportFile(def, path); err != nil {
		t.Fatal(err)
	}
	conv := pyreaders.New(t).XForms(path)[0]
	if conv.Error != "" {
		t.Fatalf("pyxform: %s", conv.Error)
	}
	sh, err := openrosa.ParseShape([]byte(conv.XForm))
	if err != nil {
		t.Fatal(err)
	}
	r := &survey.Response{ID: "r1", Started: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC), Answers: survey.Answers{
		"people[1]/first": "Ann", "people[1]/age": "40", "people[1]/pets[1]/pet": "cat", "people[1]/pets[2]/pet": "dog",
		"people[2]/first": "Bob", "after": "done",
	}}
	got, err := sh.Body(def, r, openrosa.InstanceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := `<people><first>Ann</first><age>40</age><pets><pet>cat</pet></pets><pets><pet>dog</pet></pets></people>` +
		`<people><first>Bob</first><age/></people><after>done</after>`
	if !strings.Contains(string(got), want) {
		t.Errorf("instance:\n%s\nwant it to hold\n%s\n(XForm instance: %s)", got, want, conv.XForm)
	}
	got, err = sh.Body(def, r, openrosa.InstanceOptions{LeaveOut: map[string]bool{"first": true}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), "Ann") || strings.Contains(string(got), "Bob") || !strings.Contains(string(got), "<first/>") {
		t.Errorf("personal answers of instances sent: %s", got)
	}
	none := &survey.Response{ID: "r2", Started: r.Started, Answers: survey.Answers{"after": "x"}}
	got, err = sh.Body(def, none, openrosa.InstanceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), "<people") {
		t.Errorf("a response without instances sends one: %s", got)
	}
}
