package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"canvass/app/cli"
	"canvass/survey/store"
)

func TestList(t *testing.T) {
	t.Run("a new database lists the three templates", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "new.db")
		code, out, errOut := runCLI(t, "", "list", "--db", db)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, id := range []string{"decision", "engagement", "sds"} {
			if !hasLineStarting(out, id+" ") {
				t.Errorf("no line starting with %q in:\n%s", id, out)
			}
		}
	})
	t.Run("works while the app holds the database", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "busy.db")
		if code, _, errOut := runCLI(t, "", "list", "--db", db); code != 0 {
			t.Fatalf("create: %s", errOut)
		}
		st, err := store.Open(context.Background(), db) // takes the writer's lock, as the GUI does
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		code, out, errOut := runCLI(t, "", "list", "--db", db)
		if code != 0 || !hasLineStarting(out, "engagement ") {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("a file that is not a database is refused untouched", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "notes.txt")
		content := []byte("shopping list: milk, eggs\n")
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := runCLI(t, "", "list", "--db", p)
		if code != 2 || !strings.Contains(errOut, "notes.txt") {
			t.Fatalf("exit %d, stderr %q; want 2 naming the file", code, errOut)
		}
		if got, _ := os.ReadFile(p); string(got) != string(content) {
			t.Fatal("the file was changed")
		}
	})
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"bad flag", []string{"list", "--nope"}, 2, "flag provided but not defined: -nope"},
		{"stray argument", []string{"list", "extra"}, 2, `unexpected argument "extra"`},
		{"version takes nothing", []string{"version", "x"}, 2, "takes no arguments"},
		{"kiosk needs a survey", []string{"kiosk"}, 2, "--survey is required"},
		{"gui with a stray argument", []string{"--db", "x.db", "oops"}, 2, `unexpected argument "oops"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", tc.args...)
			if code != tc.wantCode || !strings.Contains(errOut, tc.wantErr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errOut, tc.wantCode, tc.wantErr)
			}
		})
	}
	t.Run("version", func(t *testing.T) {
		code, out, _ := runCLI(t, "", "version")
		if code != 0 || strings.TrimSpace(out) != "canvass "+cli.Version {
			t.Fatalf("exit %d, %q", code, out)
		}
	})
	t.Run("help lists every command", func(t *testing.T) {
		code, out, _ := runCLI(t, "", "help")
		for _, c := range []string{"list", "kiosk", "decide", "export", "demo", "import-form", "export-form", "bundle", "merge", "version"} {
			if !strings.Contains(out, "canvass "+c+" ") {
				t.Errorf("help does not mention %q", c)
			}
		}
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
	})
}

// runCLI runs canvass with args, stdin as its standard input, and returns
// the exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

// openReadOnly opens the database db read-only, failing the test if it
// cannot, and closes it when the test ends.
func openReadOnly(t *testing.T, db string) *store.Store {
	t.Helper()
	st, err := store.OpenReadOnly(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// hasLineStarting reports whether a line of out starts with prefix.
func hasLineStarting(out, prefix string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// TestNoWindow: the console build (no GUI) refuses the window's commands
// without creating a database.
func TestNoWindow(t *testing.T) {
	for _, args := range [][]string{nil, {"--db", "x.db"}, {"kiosk", "--survey", "engagement", "--db", "x.db"}} {
		t.Run(strings.Join(append([]string{"canvass"}, args...), " "), func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			t.Setenv("HOME", dir)
			t.Setenv("XDG_CONFIG_HOME", dir)
			code, _, errOut := runCLI(t, "", args...)
			if code != 2 || !strings.Contains(errOut, "no window") || !strings.Contains(errOut, "help") {
				t.Fatalf("exit %d, stderr %q; want 2 saying there is no window and pointing to help", code, errOut)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("files were created: %v", entries)
			}
		})
	}
}
