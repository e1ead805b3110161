package export_test

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"canvass/export"
)

// Dates after 2192-04-10 (where time.Duration overflows) get their true
// serial numbers, and 0001-01-01 is written, not left blank (issue 12, item 13).
func TestWorkbookFarDates(t *testing.T) {
	for _, tc := range []struct {
		name    string
		started time.Time
		serial  float64 // 0: written as text
		text    string
	}{
		{"2026", time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC), 46095.5, ""},
		{"2192-04-11", time.Date(2192, 4, 11, 0, 0, 0, 0, time.UTC), 106754, ""},
		{"2500-01-01 06:00", time.Date(2500, 1, 1, 6, 0, 0, 0, time.UTC), 219148.25, ""},
		{"9999-12-31", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), 2958465, ""},
		{"0001-01-01", time.Time{}, 0, "0001-01-01T00:00:00Z"},
		{"1899", time.Date(1899, 1, 2, 0, 0, 0, 0, time.UTC), 0, "1899-01-02T00:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := sampleSource()
			src.responses = src.responses[:1]
			src.responses[0].Started = tc.started
			path, _ := exportFile(t, src, export.Options{SurveyID: "mixed"}, "far.xlsx")
			parts := zipParts(t, path)
			cells := rawCells(t, sheetPart(t, parts, export.SheetResponses))
			f := openWorkbook(t, path)
			header := rows(t, f, export.SheetResponses)[0]
			c := cells[cellName(t, column(t, header, "started"), 2)]
			if tc.serial != 0 {
				got, err := strconv.ParseFloat(c.Value, 64)
				if err != nil || math.Abs(got-tc.serial) > 1e-6 {
					t.Fatalf("serial %q, want %v", c.Value, tc.serial)
				}
				return
			}
			if c.Inline != tc.text && c.Value != tc.text {
				t.Fatalf("cell %+v, want the text %q", c, tc.text)
			}
		})
	}
}

// Text past Excel's 32,767 characters is cut and characters XML cannot
// hold are replaced, and the About sheet counts both (issue 12, item 14).
func TestWorkbookCountsCutAndCleanedCells(t *testing.T) {
	long := strings.Repeat("a", 40000)
	astral := strings.Repeat("😀", 20000) // two UTF-16 units each: 40,000 units
	src := sampleSource()
	src.responses[0].Answers["comments"] = long
	src.responses[1].Answers["comments"] = "bell\x07 and nul\x00 and\ttab\nline"
	src.responses[2].Answers["comments"] = astral
	path, res := exportFile(t, src, export.Options{SurveyID: "mixed"}, "cut.xlsx")
	if res.Truncated != 2 || res.Cleaned != 1 {
		t.Errorf("Result counts %d cut, %d cleaned; want 2, 1", res.Truncated, res.Cleaned)
	}
	f := openWorkbook(t, path)
	data := rows(t, f, export.SheetResponses)
	comments := map[string]string{}
	for _, r := range data[1:] {
		m := rowMap(data[0], r)
		comments[m["response id"]] = m["comments"]
	}
	if got := comments["r1"]; len(got) != 32767 || got != long[:32767] {
		t.Errorf("40,000 a's came out as %d characters", len(got))
	}
	if got := comments["r2"]; got != "bell\uFFFD and nul\uFFFD and\ttab\nline" {
		t.Errorf("control characters came out as %q", got)
	}
	if got := comments["r3"]; utf8.RuneCountInString(got) != 16383 || !utf8.ValidString(got) {
		t.Errorf("astral text came out as %d runes", utf8.RuneCountInString(got))
	}
	about := map[string]string{}
	for _, r := range rows(t, f, export.SheetAbout) {
		if len(r) >= 2 {
			about[r[0]] = r[1]
		}
	}
	if about["Cells cut to Excel's 32,767 characters"] != "2" || about["Cells with control characters replaced by \uFFFD"] != "1" {
		t.Errorf("About sheet: %v", about)
	}
	// CSV keeps the answers whole.
	csvPath, _ := exportFile(t, src, export.Options{SurveyID: "mixed"}, "whole.csv")
	if b := readFile(t, csvPath); !strings.Contains(b, long) || !strings.Contains(b, astral) {
		t.Error("the CSV export cut an answer")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
