package store_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/store"
)

// BenchmarkSaveAnswer measures autosave: one answer, one transaction,
// synchronous=full.
func BenchmarkSaveAnswer(b *testing.B) {
	ctx := context.Background()
	s := mustOpen(b)
	mustSaveSurvey(b, s, sampleSurvey("park", "Park"))
	r := mustStart(b, s, "park", 0)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := s.SaveAnswer(ctx, r.ID, fmt.Sprintf("q%d", i%20), fmt.Sprint("value ", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
}

// BenchmarkEachResponse streams every response of a survey with its
// answers: 10,000 responses of 12 answers (sequential ids), and 100,000 of
// 30 (random UUIDs and a decision result, as real databases have; seeded by
// plain SQL in one transaction). With CANVASS_BENCH_DB set to a Canvass
// database (for example one made by `canvass demo`), it streams every
// response of that file too.
func BenchmarkEachResponse(b *testing.B) {
	b.Run("10k×12", func(b *testing.B) {
		const responses, perResponse = 10_000, 12
		s := mustOpen(b)
		seedSequential(b, s, responses, perResponse)
		benchEachResponse(b, s, survey.Filter{SurveyID: "park"}, responses, perResponse)
	})
	b.Run("100k×30", func(b *testing.B) {
		const responses, perResponse = 100_000, 30
		s := mustOpen(b)
		mustSaveSurvey(b, s, benchSurvey(perResponse))
		fillResponses(b, s, responses, perResponse)
		benchEachResponse(b, s, survey.Filter{SurveyID: "bench"}, responses, perResponse)
	})
	if path := os.Getenv("CANVASS_BENCH_DB"); path != "" {
		b.Run("file", func(b *testing.B) {
			s := mustOpenPath(b, path)
			counts, err := s.CountResponses(context.Background(), survey.Filter{})
			if err != nil {
				b.Fatal(err)
			}
			benchEachResponse(b, s, survey.Filter{}, counts.Total(), -1)
		})
	}
}

// seedSequential writes responses to the sample survey "park", each with
// perResponse answers, with sequential ids, in one transaction.
func seedSequential(b *testing.B, s *store.Store, responses, perResponse int) {
	ctx := context.Background()
	mustSaveSurvey(b, s, sampleSurvey("park", "Park"))
	// Seed in one transaction: 10,000 separate fsyncs would take minutes.
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range responses {
		id := fmt.Sprintf("resp-%05d", i)
		at := start.Add(time.Duration(i) * time.Minute).Format("2006-01-02T15:04:05.000Z")
		if _, err := tx.ExecContext(ctx, `INSERT INTO responses (id, survey_id, survey_version, device_id, started_at, updated_at, status)
			VALUES (?, 'park', 1, 'bench', ?, ?, 'complete')`, id, at, at); err != nil {
			b.Fatal(err)
		}
		for q := range perResponse {
			if _, err := tx.ExecContext(ctx, "INSERT INTO answers VALUES (?, ?, ?, ?)", id, fmt.Sprintf("q%02d", q), fmt.Sprint("answer ", i*q), at); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// benchEachResponse times EachResponse over the responses the filter
// selects, checking that there are want of them with perResponse answers
// each (any number if perResponse < 0), in start order.
func benchEachResponse(b *testing.B, s *store.Store, f survey.Filter, want, perResponse int) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	answers := 0
	for b.Loop() {
		n := 0
		var last time.Time
		err := s.EachResponse(ctx, f, func(r *survey.Response) error {
			if perResponse >= 0 && len(r.Answers) != perResponse {
				return fmt.Errorf("response %s has %d answers, want %d", r.ID, len(r.Answers), perResponse)
			}
			if r.Started.Before(last) {
				return fmt.Errorf("response %s started %v, before the one streamed before it (%v)", r.ID, r.Started, last)
			}
			last = r.Started
			answers += len(r.Answers)
			n++
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if n != want {
			b.Fatalf("streamed %d responses, want %d", n, want)
		}
	}
	b.ReportMetric(float64(want*b.N)/b.Elapsed().Seconds(), "responses/s")
	b.ReportMetric(float64(answers)/b.Elapsed().Seconds(), "answers/s")
}
