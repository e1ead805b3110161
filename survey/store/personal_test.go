package store_test

import (
	"context"
	"reflect"
	"testing"

	"canvass/survey"
	"canvass/survey/store"
)

func TestPersonalData(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	def := &survey.Survey{ID: "park", Title: survey.En("Park"), Questions: []*survey.Question{
		{Type: survey.TypeText, Name: "why", Label: survey.En("Why?")},
		{Type: survey.TypeText, Name: "email", Label: survey.En("Email"), Personal: true},
	}}
	mustSaveSurvey(t, s, def)
	quiet := &survey.Survey{ID: "quiet", Title: survey.En("No answers yet"), Questions: []*survey.Question{
		{Type: survey.TypeText, Name: "name", Label: survey.En("Name"), Personal: true},
	}}
	mustSaveSurvey(t, s, quiet)

	got, err := s.PersonalData(ctx, "")
	if err != nil || len(got) != 0 {
		t.Fatalf("before any response: %+v, %v; want none (no answers to leak)", got, err)
	}
	mustStart(t, s, "park", 0)
	// Version 2 adds a personal question: the answers of both versions travel together.
	v2 := &survey.Survey{ID: "park", Title: survey.En("Park"), Questions: append(def.Questions,
		&survey.Question{Type: survey.TypeText, Name: "phone", Label: survey.En("Phone"), Personal: true})}
	mustSaveSurvey(t, s, v2)

	want := []store.PersonalQuestions{{SurveyID: "park", Title: "Park", Questions: []string{"email", "phone"}}}
	for _, id := range []string{"", "park"} {
		got, err := s.PersonalData(ctx, id)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("PersonalData(%q) = %+v, %v; want %+v", id, got, err, want)
		}
	}
	if got, _ := s.PersonalData(ctx, "quiet"); len(got) != 0 {
		t.Errorf("a survey without responses: %+v", got)
	}
	if d := store.DescribePersonal(want); d != `"Park" (email, phone)` {
		t.Errorf("DescribePersonal = %s", d)
	}
}
