package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"canvass/survey"
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

// BenchmarkEachResponse streams 10,000 responses of 12 answers each.
func BenchmarkEachResponse(b *testing.B) {
	const responses, perResponse = 10_000, 12
	ctx := context.Background()
	s := mustOpen(b)
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
	b.ResetTimer()
	for b.Loop() {
		n := 0
		err := s.EachResponse(ctx, survey.Filter{SurveyID: "park"}, func(r *survey.Response) error {
			if len(r.Answers) != perResponse {
				return fmt.Errorf("response %s has %d answers", r.ID, len(r.Answers))
			}
			n++
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if n != responses {
			b.Fatalf("streamed %d responses, want %d", n, responses)
		}
	}
	b.ReportMetric(float64(responses*b.N)/b.Elapsed().Seconds(), "responses/s")
}
