package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"canvass/survey"
	"canvass/survey/store"
)

// countResponses counts the responses in a database.
func countResponses(t *testing.T, db string) int {
	t.Helper()
	ctx := context.Background()
	st := openReadOnly(t, db)
	c, err := st.CountResponses(ctx, survey.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return c.Total()
}

func TestBundleAndMerge(t *testing.T) {
	laptopA := demoDB(t, "engagement", 12, "1")
	laptopB := demoDB(t, "engagement", 7, "2")
	central := filepath.Join(t.TempDir(), "central.db")
	dir := t.TempDir()
	bundleA, bundleB := filepath.Join(dir, "a.canvass"), filepath.Join(dir, "b.canvass")

	for _, c := range []struct{ db, out string }{{laptopA, bundleA}, {laptopB, bundleB}} {
		code, out, errOut := runCLI(t, "", "bundle", "--unencrypted", "--db", c.db, "--out", c.out)
		if code != 0 {
			t.Fatalf("bundle: exit %d: %s", code, errOut)
		}
		if !strings.HasPrefix(out, "wrote "+c.out+": ") || !strings.Contains(out, "responses") {
			t.Errorf("bundle said %q", out)
		}
	}

	// Flags may come after the files.
	code, out, errOut := runCLI(t, "", "merge", bundleA, bundleB, "--db", central)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errOut)
	}
	for _, want := range []string{bundleA + " (from device", "12 new, 0 already here, 0 conflicts", "7 new, 0 already here",
		"All 2 bundles:", "19 new"} {
		if !strings.Contains(out, want) {
			t.Errorf("merge output lacks %q:\n%s", want, out)
		}
	}
	if n := countResponses(t, central); n != 19 {
		t.Errorf("central has %d responses, want 19", n)
	}

	code, out, errOut = runCLI(t, "", "merge", "--db", central, bundleA)
	if code != 0 || !strings.Contains(out, "0 new, 12 already here, 0 conflicts") {
		t.Errorf("merging again: exit %d\n%s%s", code, out, errOut)
	}
	if n := countResponses(t, central); n != 19 {
		t.Errorf("after merging again central has %d responses, want 19", n)
	}

	t.Run("one of each is said in the singular", func(t *testing.T) {
		ctx := context.Background()
		db := filepath.Join(t.TempDir(), "one.db")
		st, err := store.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveSurvey(ctx, &survey.Survey{ID: "park", Version: 1, Title: survey.En("Park"), Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "why", Label: survey.En("Why?")}}}); err != nil {
			t.Fatal(err)
		}
		ev := survey.Event{Name: "Fair", Active: true}
		if err := st.SaveEvent(ctx, &ev); err != nil {
			t.Fatal(err)
		}
		r, err := st.StartResponse(ctx, "park", 1, "en")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Submit(ctx, r.ID, survey.Answers{"why": "shade"}, nil); err != nil {
			t.Fatal(err)
		}
		st.Close()
		out := filepath.Join(t.TempDir(), "one.canvass")
		code, said, errOut := runCLI(t, "", "bundle", "--unencrypted", "--db", db, "--out", out)
		if code != 0 {
			t.Fatalf("bundle: exit %d: %s", code, errOut)
		}
		if !strings.Contains(said, ": 1 response (1 answer), ") || !strings.Contains(said, ", 1 event, from device") {
			t.Errorf("bundle said %q: want 1 response (1 answer) … 1 event", said)
		}
		code, said, errOut = runCLI(t, "", "merge", "--db", filepath.Join(t.TempDir(), "central.db"), out)
		if code != 0 || !strings.Contains(said, "Events: 1 added, 0 already here, 0 differing") {
			t.Errorf("merge: exit %d\n%s%s", code, said, errOut)
		}
	})

	t.Run("bad files exit 2 and merge nothing", func(t *testing.T) {
		text := filepath.Join(t.TempDir(), "notes.canvass")
		if err := os.WriteFile(text, []byte("not a bundle"), 0o600); err != nil {
			t.Fatal(err)
		}
		fresh := filepath.Join(t.TempDir(), "fresh.db")
		for name, files := range map[string][]string{
			"text file":             {text},
			"a database, no bundle": {laptopA},
			"missing file":          {filepath.Join(t.TempDir(), "gone.canvass")},
			"good then bad":         {bundleA, text},
		} {
			t.Run(name, func(t *testing.T) {
				code, out, errOut := runCLI(t, "", append([]string{"merge", "--db", fresh}, files...)...)
				if code != 2 {
					t.Errorf("exit %d, want 2; stderr %q", code, errOut)
				}
				bad := files[len(files)-1]
				if lines := strings.Count(strings.TrimSpace(errOut), "\n"); lines != 0 || !strings.Contains(errOut, bad) ||
					!strings.Contains(errOut, "nothing was merged") {
					t.Errorf("stderr %q: want one line naming %s", errOut, bad)
				}
				if out != "" {
					t.Errorf("stdout %q", out)
				}
				if _, err := os.Stat(fresh); err == nil && countResponses(t, fresh) != 0 {
					t.Error("something was merged")
				}
			})
		}
	})

	t.Run("usage", func(t *testing.T) {
		for name, args := range map[string][]string{
			"merge without files":  {"merge", "--db", central},
			"bundle without --out": {"bundle", "--db", laptopA},
			"bundle with a stray":  {"bundle", "--db", laptopA, "--out", filepath.Join(dir, "x.canvass"), "extra"},
		} {
			t.Run(name, func(t *testing.T) {
				if code, _, errOut := runCLI(t, "", args...); code != 2 || errOut == "" {
					t.Errorf("exit %d, stderr %q; want 2 and a message", code, errOut)
				}
			})
		}
	})

	t.Run("bundle of an unknown event", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "e.canvass")
		code, _, errOut := runCLI(t, "", "bundle", "--unencrypted", "--db", laptopA, "--event", "no-such-event", "--out", out)
		if code != 2 || !strings.Contains(errOut, "no-such-event") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		if _, err := os.Stat(out); err == nil {
			t.Error("a bundle was written")
		}
	})

	t.Run("bundle while the app has the database open", func(t *testing.T) {
		st, err := store.Open(context.Background(), laptopB)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		out := filepath.Join(t.TempDir(), "live.canvass")
		if code, _, errOut := runCLI(t, "", "bundle", "--unencrypted", "--db", laptopB, "--out", out); code != 0 {
			t.Errorf("exit %d: %s", code, errOut)
		}
	})
}
