package store_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/store"
)

// killRuns is how many times TestKillDuringWrites kills a writer:
// 50 in the normal run; go test ./survey/store -run Kill -killruns=200 for more.
var killRuns = flag.Int("killruns", envInt("CANVASS_KILL_RUNS", 50), "times TestKillDuringWrites kills a writing child process")

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

// childDBEnv switches the test binary into the writer child of TestKillDuringWrites.
const childDBEnv = "CANVASS_STORE_KILL_CHILD_DB"

// TestKillDuringWrites starts child processes (this test binary again)
// that write responses as fast as they can and report each answer after
// SaveAnswer returns; it SIGKILLs each after a random delay, reopens the
// database and checks that it is intact and that every reported answer is
// there.
func TestKillDuringWrites(t *testing.T) {
	if path := os.Getenv(childDBEnv); path != "" {
		runKillChild(path)
		return
	}
	if testing.Short() {
		t.Skip("starts child processes")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "killed.db")
	saved := map[[2]string]string{} // response, question → value
	submitted := map[string]bool{}

	for run := range *killRuns {
		cmd, lines := startChild(t, "TestKillDuringWrites", childDBEnv+"="+path, fmt.Sprintf("CANVASS_KILL_SEED=%d", run))
		record := func(line string) {
			f := strings.Fields(line)
			switch {
			case len(f) == 5 && f[0] == "saved" && f[4] == "end":
				saved[[2]string{f[1], f[2]}] = f[3]
			case len(f) == 3 && f[0] == "submitted" && f[2] == "end":
				submitted[f[1]] = true
			}
		}
		// Let the child get going, then kill it at a random moment.
		first, ok := <-lines
		if !ok {
			cmd.Wait()
			t.Fatalf("run %d: the child wrote nothing", run)
		}
		record(first)
		delay := time.Duration(rand.N(150)) * time.Millisecond
		timer := time.After(delay)
	collect:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break collect
				}
				record(line)
			case <-timer:
				if err := cmd.Process.Kill(); err != nil {
					t.Fatalf("run %d: kill: %v", run, err)
				}
				timer = nil
			}
		}
		err := cmd.Wait()
		if timer != nil {
			t.Fatalf("run %d: the child stopped before it was killed: %v", run, err)
		}

		s, err := store.Open(ctx, path)
		if err != nil {
			t.Fatalf("run %d (killed after %v): reopen: %v", run, delay, err)
		}
		var check string
		if err := s.DB().QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
			t.Fatalf("run %d: integrity_check = %q, %v", run, check, err)
		}
		for key, want := range saved {
			r, err := s.Response(ctx, key[0])
			if err != nil {
				t.Fatalf("run %d: reported response lost: %v", run, err)
			}
			if got := r.Answers[key[1]]; got != want {
				t.Fatalf("run %d: response %s answer %s = %q, want %q (reported saved)", run, key[0], key[1], got, want)
			}
			if submitted[key[0]] && r.Status != survey.StatusComplete {
				t.Fatalf("run %d: response %s reported submitted is %s", run, key[0], r.Status)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d runs, %d answers and %d submissions checked", *killRuns, len(saved), len(submitted))
	if len(saved) == 0 {
		t.Error("no answer was reported saved")
	}
}

// runKillChild writes responses until it is killed (or a minute passes),
// printing one line after each write returns.
func runKillChild(path string) {
	ctx := context.Background()
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "kill child:", err)
		os.Exit(3)
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		fail(err)
	}
	if _, err := s.SaveSurvey(ctx, sampleSurvey("park", "Park")); err != nil {
		fail(err)
	}
	seed, _ := strconv.Atoi(os.Getenv("CANVASS_KILL_SEED"))
	long := strings.Repeat("x", 3000) // grows the WAL towards a checkpoint
	deadline := time.Now().Add(time.Minute)
	for n := 0; time.Now().Before(deadline); n++ {
		r, err := s.StartResponse(ctx, "park", 0, "en")
		if err != nil {
			fail(err)
		}
		answers := survey.Answers{}
		for q := range 4 {
			name := fmt.Sprintf("q%d", q)
			value := fmt.Sprintf("r%d-%d-%d", seed, n, q)
			if q == 3 {
				value += long
			}
			if err := s.SaveAnswer(ctx, r.ID, name, value); err != nil {
				fail(err)
			}
			answers[name] = value
			fmt.Printf("saved %s %s %s end\n", r.ID, name, value)
		}
		if n%3 == 0 {
			if err := s.Submit(ctx, r.ID, answers, []byte(`{"n":`+strconv.Itoa(n)+`}`)); err != nil {
				fail(err)
			}
			fmt.Printf("submitted %s end\n", r.ID)
		}
	}
	s.Close()
	os.Exit(0)
}
