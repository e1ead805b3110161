package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"canvass/export"
)

// readCSV checks the BOM and CRLF line ends and parses the records.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Fatalf("%s has no UTF-8 byte-order mark", path)
	}
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Errorf("%s does not end records with CRLF", path)
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return recs
}

func TestCSV(t *testing.T) {
	path, res := exportFile(t, sampleSource(), export.Options{SurveyID: "mixed"}, "out.csv")
	recs := readCSV(t, path)
	if !slices.Equal(recs[0], wantHeader) {
		t.Fatalf("header =\n%q\nwant the workbook's\n%q", recs[0], wantHeader)
	}
	if len(recs) != 4 || res.Rows != 3 || res.Responses != 3 {
		t.Fatalf("%d records, result %+v", len(recs), res)
	}
	r1 := rowMap(recs[0], recs[1])
	for k, v := range map[string]string{
		"response id": "r1", "survey version": "2", "event": "Town hall drop-in",
		"started": "2026-03-14 10:30:00", "submitted": "2026-03-14 10:40:00", "duration (min)": "10",
		"role": "An organisation", "heard": "Newsletter; At an event", "heard: Newsletter": "1", "heard: Email": "0",
		"fit": "4", "spend": "12.5", "priority: 2nd": "Quality", "visit": "2026-03-01", "arrived": "09:45:00",
		"callback": "2026-04-01 09:00:00", "comments": `'=HYPERLINK("http://x","y")`, "org": "Friends of the Park",
		"status": "complete", "consent": "I agree",
	} {
		if r1[k] != v {
			t.Errorf("r1 %q = %q, want %q", k, r1[k], v)
		}
	}
	seen := map[string]bool{}
	for _, rec := range recs[1:] {
		status := rowMap(recs[0], rec)["status"]
		if !slices.Contains([]string{"complete", "partial", "abandoned"}, status) {
			t.Errorf("status %q: want the screens' words complete, partial or abandoned", status)
		}
		seen[status] = true
	}
	if !seen["abandoned"] {
		t.Errorf("no abandoned response among %v: the sample has one", seen)
	}
	if r2 := rowMap(recs[0], recs[2]); r2["submitted"] != "" || r2["heard: Newsletter"] != "0" || r2["priority: 1st"] != "" {
		t.Errorf("r2 = %q", r2)
	}

	t.Run("long", func(t *testing.T) {
		path, res := exportFile(t, sampleSource(), export.Options{SurveyID: "mixed", Long: true, Codes: true}, "long.csv")
		recs := readCSV(t, path)
		if !slices.Equal(recs[0], []string{"response id", "question", "answer code", "answer label"}) || len(recs)-1 != res.Rows {
			t.Fatalf("header %q, %d records for %d rows", recs[0], len(recs)-1, res.Rows)
		}
		if !slices.ContainsFunc(recs, func(r []string) bool { return slices.Equal(r, []string{"r1", "heard", "event", "At an event"}) }) {
			t.Error("no long record for r1's second way of hearing")
		}
	})
	t.Run("password", func(t *testing.T) {
		dir := t.TempDir()
		_, err := export.ToFile(context.Background(), sampleSource(), export.Options{SurveyID: "mixed", Password: "x"}, dir+"/out.csv")
		if !errors.Is(err, export.ErrPasswordCSV) {
			t.Errorf("err = %v, want ErrPasswordCSV", err)
		}
		if left := otherFiles(t, dir); len(left) > 0 {
			t.Errorf("files left: %q", left)
		}
		if _, err := export.CSV(context.Background(), sampleSource(), export.Options{SurveyID: "mixed", Password: "x"}, &bytes.Buffer{}); !errors.Is(err, export.ErrPasswordCSV) {
			t.Errorf("CSV: err = %v, want ErrPasswordCSV", err)
		}
	})
}

func TestInjectionCSV(t *testing.T) {
	path, _ := exportFile(t, injectionSource(), export.Options{SurveyID: "mixed"}, "out.csv")
	recs := readCSV(t, path)
	col := column(t, recs[0], "comments") - 1
	org := column(t, recs[0], "org") - 1
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range payloads {
		want := "'" + p
		if strings.Contains(p, "\r") {
			// encoding/csv's reader drops a carriage return even inside quotes: look at the bytes.
			if !bytes.Contains(raw, []byte(`"`+want+`"`)) {
				t.Errorf("payload %q is not written as %q", p, want)
			}
			continue
		}
		if got := recs[i+1][col]; got != want {
			t.Errorf("comments %d = %q, want %q", i, got, want)
		}
		if got := recs[i+1][org]; got != want {
			t.Errorf("org %d = %q, want %q", i, got, want)
		}
	}
	// A hostile choice label in a header and a value is defused too.
	if !slices.Contains(recs[0], "role") || recs[1][column(t, recs[0], "role")-1] != "'=1+2" {
		t.Errorf("role = %q, want the label with a leading '", recs[1][column(t, recs[0], "role")-1])
	}
	// Negative numbers in number columns stay numbers.
	src := sampleSource()
	src.responses[0].Answers["age"] = "-5"
	path, _ = exportFile(t, src, export.Options{SurveyID: "mixed"}, "neg.csv")
	recs = readCSV(t, path)
	if got := recs[1][column(t, recs[0], "age")-1]; got != "-5" {
		t.Errorf("a negative number became %q", got)
	}
	if strings.Contains(recs[0][0], "'") {
		t.Error("an ordinary header was prefixed")
	}
}
