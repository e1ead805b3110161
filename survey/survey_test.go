package survey_test

import (
	"testing"

	"canvass/survey"
)

func TestNumAnswerable(t *testing.T) {
	q := func(typ survey.Type, name string, inner ...*survey.Question) *survey.Question {
		return &survey.Question{Type: typ, Name: name, Questions: inner}
	}
	tests := []struct {
		name      string
		questions []*survey.Question
		want      int
	}{
		{"no questions", nil, 0},
		{"answered types count", []*survey.Question{q(survey.TypeText, "a"), q(survey.TypeSelectOne, "b"), q(survey.TypeDate, "c")}, 3},
		{"notes, calculations, hidden and metadata do not", []*survey.Question{
			q(survey.TypeNote, "n"), q(survey.TypeCalculate, "c"), q(survey.TypeHidden, "h"),
			q(survey.TypeStart, "s"), q(survey.TypeDeviceID, "d"), q(survey.TypeInteger, "i")}, 1},
		{"questions in groups count, groups do not", []*survey.Question{
			q(survey.TypeGroup, "g", q(survey.TypeText, "a"), q(survey.TypeGroup, "inner", q(survey.TypeRank, "r"))),
			q(survey.TypeAcknowledge, "ok")}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &survey.Survey{Questions: tt.questions}
			if got := s.NumAnswerable(); got != tt.want {
				t.Errorf("NumAnswerable() = %d, want %d", got, tt.want)
			}
		})
	}
}
