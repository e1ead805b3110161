package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canvass/survey"
	"canvass/survey/store"
)

// exportDB is a database with 150 demo responses to the engagement survey.
func exportDB(t *testing.T) string {
	t.Helper()
	return demoDB(t, "engagement", 150, "5")
}

// countsOf counts the engagement responses the filter selects.
func countsOf(t *testing.T, db string, f survey.Filter) store.Counts {
	t.Helper()
	ctx := context.Background()
	st := openReadOnly(t, db)
	f.SurveyID = "engagement"
	c, err := st.CountResponses(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func eventID(t *testing.T, db, name string) string {
	t.Helper()
	ctx := context.Background()
	st := openReadOnly(t, db)
	evs, err := st.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Name == name {
			return e.ID
		}
	}
	t.Fatalf("no event %q", name)
	return ""
}

func TestExportCommand(t *testing.T) {
	db := exportDB(t)
	all := countsOf(t, db, survey.Filter{})
	market := eventID(t, db, "Demo: Market day")
	marketCounts := countsOf(t, db, survey.Filter{EventID: market})
	pw := filepath.Join(t.TempDir(), "pw.txt")
	if err := os.WriteFile(pw, []byte("open sesame\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		file  string
		args  []string
		rows  int                                                  // data rows expected; -1: more than responses (long)
		check func(t *testing.T, header []string, rows [][]string) // optional
	}{
		{"workbook", "all.xlsx", nil, all.Total(), func(t *testing.T, h []string, rs [][]string) {
			for _, want := range []string{"response id", "role", "heard: Newsletter", "priority: 1st", "email", "postcode_district"} {
				if !slices.Contains(h, want) {
					t.Errorf("no column %q", want)
				}
			}
		}},
		{"csv", "all.csv", nil, all.Total(), nil},
		{"complete only", "complete.xlsx", []string{"--complete-only"}, all.Complete, func(t *testing.T, h []string, rs [][]string) {
			for _, r := range rs {
				if rowMap(h, r)["status"] != "complete" {
					t.Fatalf("status %q", rowMap(h, r)["status"])
				}
			}
		}},
		{"event by name", "market.csv", []string{"--event", "Demo: Market day"}, marketCounts.Total(), func(t *testing.T, h []string, rs [][]string) {
			for _, r := range rs {
				if rowMap(h, r)["event"] != "Demo: Market day" {
					t.Fatalf("event %q", rowMap(h, r)["event"])
				}
			}
		}},
		{"event by id", "market.xlsx", []string{"--event", market}, marketCounts.Total(), nil},
		{"no personal, codes", "np.xlsx", []string{"--no-personal", "--codes"}, all.Total(), func(t *testing.T, h []string, rs [][]string) {
			for _, gone := range []string{"org_name", "email", "postcode_district"} {
				if slices.Contains(h, gone) {
					t.Errorf("personal column %q is there", gone)
				}
			}
			roles := map[string]bool{}
			for _, r := range rs {
				roles[rowMap(h, r)["role"]] = true
			}
			if !roles["vcs_org"] {
				t.Errorf("roles = %v, want codes", roles)
			}
		}},
		{"long", "long.csv", []string{"--long"}, -1, func(t *testing.T, h []string, rs [][]string) {
			if !slices.Equal(h, []string{"response id", "question", "answer code", "answer label"}) {
				t.Errorf("header %q", h)
			}
		}},
		{"version", "v1.xlsx", []string{"--version", "1"}, all.Total(), nil},
		{"password", "secret.xlsx", []string{"--password-file", pw}, all.Total(), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), c.file)
			args := c.args
			if !slices.Contains(args, "--password-file") {
				args = append([]string{"--unencrypted"}, args...) // plain, to read it back
			}
			code, stdout, errOut := runCLI(t, "", append([]string{"export", "--db", db, "--survey", "engagement", "--out", out}, args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var header []string
			var data [][]string
			if strings.HasSuffix(c.file, ".csv") {
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				recs := parseCSV(t, b)
				header, data = recs[0], recs[1:]
			} else {
				var opts []excelize.Options
				if c.name == "password" {
					if _, err := excelize.OpenFile(out); err == nil {
						t.Fatal("the workbook opens without the password")
					}
					opts = append(opts, excelize.Options{Password: "open sesame"})
				}
				f, err := excelize.OpenFile(out, opts...)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				rs, err := f.GetRows("Responses")
				if err != nil {
					t.Fatal(err)
				}
				header, data = rs[0], rs[1:]
			}
			if c.rows >= 0 && len(data) != c.rows {
				t.Errorf("%d data rows, want %d", len(data), c.rows)
			}
			if c.rows < 0 && len(data) <= all.Total() {
				t.Errorf("%d long rows for %d responses", len(data), all.Total())
			}
			if want := itoa(len(data)) + " rows written to " + out; !strings.Contains(stdout, want) {
				t.Errorf("stdout %q, want %q", stdout, want)
			}
			if c.check != nil {
				c.check(t, header, data)
			}
		})
	}
}

func TestExportCommandDates(t *testing.T) {
	db := exportDB(t)
	_, rs := readResponses(t, db, "engagement")
	// Pick the day of the median response and export that day only.
	day := rs[len(rs)/2].Started.In(time.Local).Format("2006-01-02")
	want := 0
	for _, r := range rs {
		if r.Started.In(time.Local).Format("2006-01-02") == day {
			want++
		}
	}
	out := filepath.Join(t.TempDir(), "day.csv")
	code, _, errOut := runCLI(t, "", "export", "--unencrypted", "--db", db, "--survey", "engagement", "--out", out, "--from", day, "--to", day)
	if code != 0 {
		t.Fatal(errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(parseCSV(t, b)) - 1; got != want || want == 0 {
		t.Errorf("%d responses on %s, want %d", got, day, want)
	}
}

func TestExportCommandBadInput(t *testing.T) {
	db := exportDB(t)
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.xlsx")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no survey", []string{"--out", out}, "--survey is required"},
		{"no out", []string{"--survey", "engagement"}, "--out is required"},
		{"unknown survey", []string{"--survey", "nope", "--out", out}, `unknown survey "nope"`},
		{"unknown extension", []string{"--survey", "engagement", "--out", filepath.Join(dir, "out.ods")}, "must end in .xlsx or .csv"},
		{"bad from", []string{"--survey", "engagement", "--out", out, "--from", "14/03/2026"}, `--from "14/03/2026": want a day like`},
		{"bad to", []string{"--survey", "engagement", "--out", out, "--to", "2026-02-30"}, `--to "2026-02-30"`},
		{"from after to", []string{"--survey", "engagement", "--out", out, "--from", "2026-03-02", "--to", "2026-03-01"}, "is after --to"},
		{"unreadable password file", []string{"--survey", "engagement", "--out", out, "--password-file", filepath.Join(dir, "none.txt")}, "--password-file"},
		{"empty password", []string{"--survey", "engagement", "--out", out, "--password-file", empty}, "the first line is empty"},
		{"password for CSV", []string{"--survey", "engagement", "--out", filepath.Join(dir, "out.csv"), "--password-file", empty}, "is for workbooks"},
		{"unknown event", []string{"--survey", "engagement", "--out", out, "--event", "Glastonbury"}, `unknown event "Glastonbury"`},
		{"unknown version", []string{"--survey", "engagement", "--out", out, "--version", "9"}, "has no version 9"},
		{"missing folder", []string{"--survey", "engagement", "--out", filepath.Join(dir, "no", "out.xlsx")}, "does not exist"},
		{"stray argument", []string{"--survey", "engagement", "--out", out, "now"}, `unexpected argument "now"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", append([]string{"export", "--db", db}, c.args...)...)
			if code != 2 || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, c.want)
			}
			if lines := strings.Count(errOut, "\n"); lines != 1 && !strings.Contains(errOut, "usage") {
				t.Errorf("the error takes %d lines: %q", lines, errOut)
			}
			if left := otherThan(t, dir, "empty.txt"); len(left) > 0 {
				t.Errorf("bad input left %q", left)
			}
		})
	}
	t.Run("missing database", func(t *testing.T) {
		code, _, errOut := runCLI(t, "", "export", "--db", filepath.Join(dir, "none.db"), "--survey", "engagement", "--out", out)
		if code != 2 || !strings.Contains(errOut, "none.db") {
			t.Errorf("exit %d, %q", code, errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
			t.Error("export created the database it was asked to read")
		}
	})
}

func otherThan(t *testing.T, dir string, keep string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Name() != keep {
			out = append(out, e.Name())
		}
	}
	return out
}

// parseCSV checks the byte-order mark and splits an exported CSV file.
func parseCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Fatal("no byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func rowMap(header, row []string) map[string]string {
	m := map[string]string{}
	for i, h := range header {
		if i < len(row) {
			m[h] = row[i]
		}
	}
	return m
}
