package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"canvass/survey"
)

// BenchmarkDashboardStats computes the whole results dashboard of a survey
// with one question of each kind over 100,000 responses (about 700,000
// answers), seeded in one transaction of raw INSERTs.
func BenchmarkDashboardStats(b *testing.B) {
	const responses = 100_000
	ctx := context.Background()
	s := mustOpen(b)
	def := mustSaveSurvey(b, s, statsSurvey())
	ev := survey.Event{Name: "Fair"}
	if err := s.SaveEvent(ctx, &ev); err != nil {
		b.Fatal(err)
	}

	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	insResp, err := tx.PrepareContext(ctx, `INSERT INTO responses (id, survey_id, survey_version, event_id, device_id, started_at, updated_at, status)
		VALUES (?, 'fair', 1, ?, 'bench', ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	insAns, err := tx.PrepareContext(ctx, "INSERT INTO answers (response_id, question, value, updated_at) VALUES (?, ?, ?, ?)")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	things := []string{"ducks", "trees", "cafe"}
	statuses := []string{"complete", "complete", "complete", "draft", "abandoned"}
	words := []string{"more benches", "lovely ducks", "cleaner paths", "longer opening hours", "toilets please"}
	start := time.Date(2025, 6, 14, 9, 0, 0, 0, time.UTC)
	for i := range responses {
		id := uuid.NewString() // random, as real ids are: no locality to lean on
		at := start.Add(time.Duration(i) * 300 * time.Millisecond).Format("2006-01-02T15:04:05.000Z")
		var event any
		if i%2 == 0 {
			event = ev.ID
		}
		if _, err := insResp.ExecContext(ctx, id, event, at, at, statuses[i%len(statuses)]); err != nil {
			b.Fatal(err)
		}
		perm := rng.Perm(3)
		answers := [][2]string{
			{"visit", []string{"yes", "no"}[rng.IntN(2)]},
			{"likes", things[perm[0]] + " " + things[perm[1]]},
			{"order", things[perm[0]] + " " + things[perm[1]] + " " + things[perm[2]]},
			{"agree", fmt.Sprint(1 + rng.IntN(3))},
			{"stars", fmt.Sprint(1 + rng.IntN(5))},
			{"age", fmt.Sprint(16 + rng.IntN(70))},
			{"say", words[rng.IntN(len(words))]},
		}
		for _, a := range answers {
			if _, err := insAns.ExecContext(ctx, id, a[0], a[1], at); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}

	dashboards := func(prefix string) {
		for _, bc := range []struct {
			name   string
			filter survey.Filter
			want   int
		}{
			{"all", survey.Filter{}, responses},
			{"event", survey.Filter{EventID: ev.ID}, responses / 2},
			{"last-hour", survey.Filter{From: start.Add(time.Duration(responses-12_000) * 300 * time.Millisecond)}, 12_000},
		} {
			b.Run(prefix+bc.name, func(b *testing.B) {
				for b.Loop() {
					d, err := s.DashboardStats(ctx, def, bc.filter)
					if err != nil {
						b.Fatal(err)
					}
					if d.Counts.Total() != bc.want {
						b.Fatalf("%d responses counted, want %d", d.Counts.Total(), bc.want)
					}
				}
			})
		}
	}
	dashboards("")
	b.Run("text search", func(b *testing.B) {
		for b.Loop() {
			got, total, err := s.TextAnswers(ctx, survey.Filter{SurveyID: "fair"}, "say", "ducks", 200)
			if err != nil {
				b.Fatal(err)
			}
			if len(got) != 200 || total < 10_000 {
				b.Fatalf("%d listed of %d", len(got), total)
			}
		}
	})

	// With an index on answers (question, value), which the schema does
	// not have (yet): the figures DashboardStats would reach with it.
	if testing.Short() {
		return
	}
	if _, err := s.DB().ExecContext(ctx, "CREATE INDEX bench_answers_question_value ON answers (question, value)"); err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	dashboards("with-index/")
}
