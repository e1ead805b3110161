package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"canvass/survey/store"
)

// BenchmarkBundleProof times what a bundle's proof costs: writing a bundle
// of 5,000 responses (30 answers each), checking it (OpenBundle: private
// copy, schema, integrity_check, digest, values), and merging it first
// into an empty database and then again (all duplicates).
func BenchmarkBundleProof(b *testing.B) {
	const responses, questions = 5000, 30
	ctx := context.Background()
	dir := b.TempDir()
	src, err := store.Open(ctx, filepath.Join(dir, "laptop.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	if _, err := src.SaveSurvey(ctx, benchSurvey(questions)); err != nil {
		b.Fatal(err)
	}
	fillResponses(b, src, responses, questions)
	b.ReportAllocs()
	b.ResetTimer()
	var write, check, first, repeat time.Duration
	for n := 0; n < b.N; n++ {
		bundle := filepath.Join(dir, "b.canvass")
		start := time.Now()
		if _, err := src.ExportBundle(ctx, bundle, ""); err != nil {
			b.Fatal(err)
		}
		write += time.Since(start)
		start = time.Now()
		if _, err := store.ReadBundleInfo(ctx, bundle); err != nil {
			b.Fatal(err)
		}
		check += time.Since(start)
		central, err := store.Open(ctx, filepath.Join(b.TempDir(), "central.db"))
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		if rep, err := central.MergeBundle(ctx, bundle, nil); err != nil || rep.Added != responses {
			b.Fatalf("first merge: %+v, %v", rep, err)
		}
		first += time.Since(start)
		start = time.Now()
		if rep, err := central.MergeBundle(ctx, bundle, nil); err != nil || rep.Duplicates != responses {
			b.Fatalf("repeat merge: %+v, %v", rep, err)
		}
		repeat += time.Since(start)
		central.Close()
	}
	per := func(d time.Duration) float64 { return d.Seconds() / float64(b.N) }
	b.ReportMetric(per(write), "write-s")
	b.ReportMetric(per(check), "check-s")
	b.ReportMetric(per(first), "first-merge-s")
	b.ReportMetric(per(repeat), "repeat-merge-s")
}
