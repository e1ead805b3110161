package store_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"canvass/survey"
	"canvass/survey/store"
)

// TestRemoveInstanceTransaction stores the renumbering that removing a
// repeat's middle instance makes (run.Session.RemoveInstance) with one
// SaveAnswers: rows keep their order and values, and a write that fails
// part-way through leaves every row as it was.
func TestRemoveInstanceTransaction(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	r := mustStart(t, s, "park", 0)
	three := survey.Answers{
		"visit": "yes", "people[1]/name": "Ann", "people[2]/name": "Bo", "people[2]/age": "12",
		"people[3]/name": "Cy", "people[3]/services[1]/service": "meals",
	}
	if err := s.SaveAnswers(ctx, r.ID, three, nil); err != nil {
		t.Fatal(err)
	}
	removed := maps.Clone(three)
	removed.RemoveInstance([]survey.Step{{Repeat: "people", Index: 2}})
	values := survey.Answers{}
	var clear []string
	for k := range three {
		if removed[k] == "" {
			clear = append(clear, k)
		}
	}
	for k, v := range removed {
		if three[k] != v {
			values[k] = v
		}
	}
	tests := []struct {
		name   string
		values survey.Answers
		fail   bool
		want   survey.Answers
	}{
		{"a failure part-way keeps the old instances", with(values, "people[2]/services[1]/zz", strings.Repeat("x", store.MaxAnswerLength+1)), true, three},
		{"the whole renumbering at once", values, false, survey.Answers{
			"visit": "yes", "people[1]/name": "Ann", "people[2]/name": "Cy", "people[2]/services[1]/service": "meals"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.SaveAnswers(ctx, r.ID, tc.values, clear)
			if (err != nil) != tc.fail {
				t.Fatalf("SaveAnswers = %v, want failure %v", err, tc.fail)
			}
			if got := mustResponse(t, s, r.ID).Answers; !maps.Equal(got, tc.want) {
				t.Errorf("stored %v\nwant %v", got, tc.want)
			}
		})
	}
}

// with returns a copy of a with key set to v.
func with(a survey.Answers, key, v string) survey.Answers {
	out := maps.Clone(a)
	out[key] = v
	return out
}
