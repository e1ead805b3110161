package store_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/store"
)

// TestSubmitWritesOnlyChangedAnswers: answers autosave already stored are
// not deleted and written again at submission; changed ones are updated
// and ones no longer given are removed.
func TestSubmitWritesOnlyChangedAnswers(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	s := mustOpen(t, store.WithClock(clk.Now))
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	clk.Set(time.Date(2025, 6, 20, 14, 30, 0, 0, time.UTC))
	r := mustStart(t, s, "park", 0)
	for q, v := range map[string]string{"visit": "yes", "why": "ducks", "name": "Ann"} {
		if err := s.SaveAnswer(ctx, r.ID, q, v); err != nil {
			t.Fatal(err)
		}
	}
	saved := stamps(t, s, r.ID)
	clk.Set(time.Date(2025, 6, 20, 15, 0, 0, 0, time.UTC))
	if err := s.Submit(ctx, r.ID, survey.Answers{"visit": "yes", "why": "trees"}, nil); err != nil {
		t.Fatal(err)
	}
	got := mustResponse(t, s, r.ID)
	if want := (survey.Answers{"visit": "yes", "why": "trees"}); !maps.Equal(got.Answers, want) {
		t.Fatalf("answers = %v, want %v", got.Answers, want)
	}
	after := stamps(t, s, r.ID)
	if after["visit"] != saved["visit"] {
		t.Errorf("unchanged answer rewritten: %s → %s", saved["visit"], after["visit"])
	}
	if after["why"] == saved["why"] {
		t.Errorf("changed answer not rewritten (still %s)", after["why"])
	}
}

func stamps(t *testing.T, s *store.Store, id string) map[string]string {
	t.Helper()
	rows, err := s.DB().Query("SELECT question, updated_at FROM answers WHERE response_id = ?", id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var q, at string
		if err := rows.Scan(&q, &at); err != nil {
			t.Fatal(err)
		}
		out[q] = at
	}
	return out
}
