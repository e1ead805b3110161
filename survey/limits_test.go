package survey_test

import (
	"fmt"
	"strings"
	"testing"

	"canvass/survey"
)

// Validate refuses surveys past the size limits (issue 12, item 11), quickly.
func TestValidateRefusesHugeSurveys(t *testing.T) {
	base := func() *survey.Survey {
		return &survey.Survey{ID: "big", Version: 1, Title: survey.En("Big"),
			Questions: []*survey.Question{{Type: survey.TypeText, Name: "q", Label: survey.En("Q")}}}
	}
	for _, tc := range []struct {
		name string
		edit func(s *survey.Survey)
		want string
	}{
		{"a million questions", func(s *survey.Survey) {
			s.Questions = make([]*survey.Question, 1_000_000)
			for i := range s.Questions {
				s.Questions[i] = &survey.Question{Type: survey.TypeText, Name: fmt.Sprintf("q%d", i), Label: survey.En("Q")}
			}
		}, "more than 2000 questions"},
		{"groups 30 deep", func(s *survey.Survey) {
			q := s.Questions[0]
			for range 30 {
				q = &survey.Question{Type: survey.TypeGroup, Name: "g", Questions: []*survey.Question{q}}
			}
			s.Questions = []*survey.Question{q}
		}, "nested more than 20 deep"},
		{"a list of 5000 choices", func(s *survey.Survey) {
			l := survey.ChoiceList{Name: "l"}
			for i := range 5000 {
				l.Choices = append(l.Choices, survey.Choice{Name: fmt.Sprint("c", i), Label: survey.En("C")})
			}
			s.Lists = []survey.ChoiceList{l}
		}, "5000 choices are too many"},
		{"a 1 MB label", func(s *survey.Survey) { s.Questions[0].Label = survey.En(strings.Repeat("x", 1<<20)) }, "too long"},
		{"a 1 MB title", func(s *survey.Survey) { s.Title = survey.En(strings.Repeat("x", 1<<20)) }, "too long"},
		{"a 1 MB relevant", func(s *survey.Survey) { s.Questions[0].Relevant = strings.Repeat("1", 1<<20) }, "too long"},
		{"a 1 MB repeat noun", func(s *survey.Survey) {
			s.Questions = []*survey.Question{{Type: survey.TypeGroup, Name: "r", Questions: s.Questions,
				Repeat: &survey.Repeat{Item: survey.En(strings.Repeat("x", 1<<20))}}}
		}, "too long"},
		{"a 1 MB repeat count", func(s *survey.Survey) {
			s.Questions = []*survey.Question{{Type: survey.TypeGroup, Name: "r", Questions: s.Questions,
				Repeat: &survey.Repeat{Count: strings.Repeat("1", 1<<20)}}}
		}, "too long"},
		{"a long name", func(s *survey.Survey) { s.Questions[0].Name = strings.Repeat("q", 300) }, "too long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := base()
			tc.edit(s)
			err := s.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate = %v, want %q", err, tc.want)
			}
		})
	}
	if err := base().Validate(); err != nil {
		t.Fatalf("the small survey: %v", err)
	}
}
