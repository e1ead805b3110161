package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/store"
)

// BenchmarkMerge merges 4 bundles of 25 000 responses (30 answers each)
// into a fresh database, then merges the same 4 again (all duplicates):
//
//	go test ./survey/store -run '^$' -bench BenchmarkMerge -benchtime 1x
//
// first-s and repeat-s are the seconds of each round; ns/op covers both.
func BenchmarkMerge(b *testing.B) {
	const laptops, perLaptop, questions = 4, 25000, 30
	ctx := context.Background()
	dir := b.TempDir()
	def := benchSurvey(questions)
	var bundles []string
	for i := range laptops {
		src, err := store.Open(ctx, filepath.Join(dir, fmt.Sprintf("laptop%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := src.SaveSurvey(ctx, def); err != nil {
			b.Fatal(err)
		}
		fillResponses(b, src, perLaptop, questions)
		path := filepath.Join(dir, fmt.Sprintf("laptop%d.canvass", i))
		if _, err := src.ExportBundle(ctx, path, ""); err != nil {
			b.Fatal(err)
		}
		src.Close()
		bundles = append(bundles, path)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var first, repeat time.Duration
	for n := 0; n < b.N; n++ {
		path := filepath.Join(dir, fmt.Sprintf("central%d.db", n))
		s, err := store.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for _, p := range bundles {
			rep, err := s.MergeBundle(ctx, p, nil)
			if err != nil {
				b.Fatal(err)
			}
			if rep.Added != perLaptop {
				b.Fatalf("first merge of %s: %+v", p, rep)
			}
		}
		first += time.Since(start)
		start = time.Now()
		for _, p := range bundles {
			rep, err := s.MergeBundle(ctx, p, nil)
			if err != nil {
				b.Fatal(err)
			}
			if rep.Duplicates != perLaptop || rep.Changed() {
				b.Fatalf("repeat merge of %s: %+v", p, rep)
			}
		}
		repeat += time.Since(start)
		b.StopTimer()
		s.Close()
		os.Remove(path)
		b.StartTimer()
	}
	b.ReportMetric(first.Seconds()/float64(b.N), "first-s")
	b.ReportMetric(repeat.Seconds()/float64(b.N), "repeat-s")
	b.ReportMetric(first.Seconds()/repeat.Seconds(), "speedup")
}

// benchSurvey is a survey of n text questions q01, q02…
func benchSurvey(n int) *survey.Survey {
	def := &survey.Survey{ID: "bench", Title: survey.En("Bench"), Languages: []survey.Language{{Code: "en", Name: "English"}}}
	for i := 1; i <= n; i++ {
		def.Questions = append(def.Questions, &survey.Question{
			Type: survey.TypeText, Name: fmt.Sprintf("q%02d", i), Label: survey.En(fmt.Sprintf("Question %d", i)),
		})
	}
	return def
}

// fillResponses writes n complete responses with random UUIDs and the
// given number of answers each, in one transaction of plain SQL.
func fillResponses(tb testing.TB, s *store.Store, n, questions int) {
	tb.Helper()
	ctx := context.Background()
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	steps := []string{
		`CREATE TEMP TABLE fill_ids AS WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?1)
		SELECT i, lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a'
			|| substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) AS id FROM k`,
		`INSERT INTO responses (id, survey_id, survey_version, device_id, language, started_at, updated_at, submitted_at, status, result)
		SELECT id, 'bench', 1, (SELECT value FROM settings WHERE key = 'device_id'), 'en',
			strftime('%Y-%m-%dT%H:%M:%fZ', '2025-06-14 09:00:00', '+' || i || ' seconds'),
			strftime('%Y-%m-%dT%H:%M:%fZ', '2025-06-14 09:05:00', '+' || i || ' seconds'),
			strftime('%Y-%m-%dT%H:%M:%fZ', '2025-06-14 09:05:00', '+' || i || ' seconds'),
			'complete', '{"score":' || (i % 100) || '}'
		FROM temp.fill_ids`,
		`INSERT INTO answers (response_id, question, value, updated_at)
		SELECT f.id, printf('q%02d', q.j), 'answer ' || ((f.i * q.j) % 11), '2025-06-14T09:05:00.000Z'
		FROM temp.fill_ids f, (WITH RECURSIVE m(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM m WHERE j < ?2) SELECT j FROM m) q`,
		`DROP TABLE temp.fill_ids`,
	}
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, q, n, questions); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}
