package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canvass/survey/store"
)

// mergeChildEnv switches the test binary into the merging child of
// TestMergeKilled: "DB|BUNDLE".
const mergeChildEnv = "CANVASS_STORE_MERGE_CHILD"

// TestMergeKilled kills a process in the middle of merging a bundle, at
// random moments, and checks that the database is intact and holds either
// all of the bundle or none of it.
func TestMergeKilled(t *testing.T) {
	if spec := os.Getenv(mergeChildEnv); spec != "" {
		runMergeChild(spec)
		return
	}
	if testing.Short() {
		t.Skip("starts child processes")
	}
	const responses, runs = 4000, 10
	ctx := context.Background()
	dir := t.TempDir()
	src := mustOpenPath(t, filepath.Join(dir, "laptop.db"))
	if _, err := src.SaveSurvey(ctx, benchSurvey(10)); err != nil {
		t.Fatal(err)
	}
	fillResponses(t, src, responses, 10)
	bundle := filepath.Join(dir, "laptop.canvass")
	if _, err := src.ExportBundle(ctx, bundle, ""); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "central.db")
	s := mustOpenPath(t, target)
	s.Close()
	pristine, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}

	outcomes := map[int]int{}
	for run := range runs {
		for _, suffix := range []string{"-wal", "-shm", ".lock"} {
			os.Remove(target + suffix)
		}
		if err := os.WriteFile(target, pristine, 0o600); err != nil {
			t.Fatal(err)
		}
		cmd, lines := startChild(t, "TestMergeKilled", mergeChildEnv+"="+target+"|"+bundle)
		if first := <-lines; first != "merging" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("run %d: child said %q", run, first)
		}
		merged := false
		timer := time.After(time.Duration(rand.N(250)) * time.Millisecond)
	wait:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break wait
				}
				merged = merged || line == "merged"
			case <-timer:
				cmd.Process.Kill()
				timer = nil
			}
		}
		cmd.Wait()

		s, err := store.Open(ctx, target)
		if err != nil {
			t.Fatalf("run %d: reopen after kill: %v", run, err)
		}
		var check string
		var n, answers, surveys int
		db := s.DB()
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
			t.Fatalf("run %d: integrity_check = %q, %v", run, check, err)
		}
		if err := db.QueryRow("SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM answers), (SELECT count(*) FROM surveys WHERE id = 'bench')").
			Scan(&n, &answers, &surveys); err != nil {
			t.Fatal(err)
		}
		s.Close()
		switch {
		case n == 0 && answers == 0 && surveys == 0 && !merged:
		case n == responses && answers == responses*10 && surveys == 1:
		default:
			t.Fatalf("run %d: %d responses, %d answers, %d surveys after a kill (merged reported: %v); want none or all",
				run, n, answers, surveys, merged)
		}
		outcomes[n]++
	}
	t.Logf("%d runs: %d killed before the commit, %d after", runs, outcomes[0], outcomes[responses])
}

// runMergeChild merges a bundle, saying when it starts and when it is done.
func runMergeChild(spec string) {
	db, bundle, _ := strings.Cut(spec, "|")
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		fmt.Fprintln(os.Stderr, "merge child:", err)
		os.Exit(3)
	}
	fmt.Println("merging")
	if _, err := s.MergeBundle(ctx, bundle, nil); err != nil {
		fmt.Fprintln(os.Stderr, "merge child:", err)
		os.Exit(3)
	}
	fmt.Println("merged")
	s.Close()
	os.Exit(0)
}
