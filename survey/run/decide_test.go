package run_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"canvass/assets"
	"canvass/survey"
	"canvass/survey/run"
)

var now = time.Date(2026, time.March, 2, 10, 0, 0, 0, time.UTC)

func mustDecisionSurvey(t testing.TB) *survey.Survey {
	t.Helper()
	defs, err := assets.Templates()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range defs {
		if s.Scoring != nil {
			return s
		}
	}
	t.Fatal("no scored template")
	return nil
}

// TestDecideRejectsBadAnswers moved here from survey/scoring_test.go when
// answer checks moved from scoring into the engine.
func TestDecideRejectsBadAnswers(t *testing.T) {
	s := mustDecisionSurvey(t)
	tests := []struct {
		name     string
		answers  survey.Answers
		question string
		reason   string
	}{
		{"unknown question", survey.Answers{"c_colour": "blue"}, "c_colour", "no such question"},
		{"unknown choice", survey.Answers{"c_spec": "mayor"}, "c_spec", "not one of the choices"},
		{"two answers to a select_one", survey.Answers{"c_spec": "council joint"}, "c_spec", "one answer only"},
		{"non-numeric value", survey.Answers{"value": "lots"}, "value", "not a number"},
		{"value with a pound sign", survey.Answers{"value": "£900"}, "value", "not a number"},
		{"negative value", survey.Answers{"value": "-1"}, "value", "zero or more"},
		{"answer to a note", survey.Answers{"end": "x"}, "end", "takes no answer"},
		{"consent that is not OK", survey.Answers{"consent": "maybe"}, "consent", "OK"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run.Decide(s, s.DefaultLanguage(), tt.answers, survey.DefaultThresholds(), now)
			var ae *survey.AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("err %v, want an *AnswerError", err)
			}
			if ae.Question != tt.question || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("err %q (question %q), want question %q and %q", err, ae.Question, tt.question, tt.reason)
			}
		})
	}

	t.Run("every problem is reported", func(t *testing.T) {
		_, err := run.Decide(s, s.DefaultLanguage(), survey.Answers{"value": "x", "c_spec": "y", "zz": "1"}, survey.DefaultThresholds(), now)
		for _, want := range []string{`"value"`, `"c_spec"`, `"zz"`} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("err %v does not name %s", err, want)
			}
		}
	})

}
