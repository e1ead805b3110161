package app

import (
	"reflect"
	"testing"

	"canvass/survey"
)

// TestPersonalAnsweredIncludesOtherText: erasing a respondent's personal
// data also erases the words they typed for "Other" on a personal question.
func TestPersonalAnsweredIncludesOtherText(t *testing.T) {
	def := &survey.Survey{ID: "s", Version: 1, Questions: []*survey.Question{
		{Type: survey.TypeSelectOne, Name: "group", List: "g", OrOther: true, Personal: true},
		{Type: survey.TypeSelectOne, Name: "mood", List: "g", OrOther: true},
		{Type: survey.TypeText, Name: "email", Personal: true},
	}}
	for _, tc := range []struct {
		name    string
		answers survey.Answers
		want    []string
	}{
		{"other text of a personal question", survey.Answers{"group": "other", "group_other": "Our street's WhatsApp", "mood": "other", "mood_other": "fine"},
			[]string{"group", "group_other"}},
		{"no other text", survey.Answers{"group": "a", "email": "x@example.org"}, []string{"group", "email"}},
		{"nothing personal", survey.Answers{"mood": "other", "mood_other": "fine"}, nil},
		{"in repeat instances", survey.Answers{"people[2]/email": "x@example.org", "people[1]/group": "other", "people[1]/group_other": "Us"}, []string{"group", "group_other", "email"}},
		{"damaged key", survey.Answers{"people[0]/email": "x@example.org"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := personalAnswered(def, tc.answers); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("personalAnswered = %v, want %v", got, tc.want)
			}
		})
	}
}
