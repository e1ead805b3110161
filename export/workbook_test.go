package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canvass/export"
	"canvass/survey"
)

var wantHeader = []string{
	"response id", "survey version", "event", "device", "language", "started", "submitted", "duration (min)", "status", "merge conflict",
	"start", "consent", "role", "org", "heard", "heard: Newsletter", "heard: Email", "heard: At an event",
	"fit", "age", "spend", "priority: 1st", "priority: 2nd", "priority: 3rd", "listened", "visit", "arrived",
	"callback", "comments", "double_age",
}

func TestWorkbookResponsesSheet(t *testing.T) {
	path, res := exportFile(t, sampleSource(), export.Options{SurveyID: "mixed", AppVersion: "9.9.9"}, "out.xlsx")
	if res.Responses != 3 || res.Rows != 3 || res.Complete != 2 || res.Abandoned != 1 || res.Columns != len(wantHeader) {
		t.Errorf("result = %+v", res)
	}
	f := openWorkbook(t, path)
	if got, want := f.GetSheetList(), []string{"Responses", "Summary", "Codebook", "About"}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	rs := rows(t, f, "Responses")
	if len(rs) != 4 {
		t.Fatalf("got %d rows, want header + 3", len(rs))
	}
	if !slices.Equal(rs[0], wantHeader) {
		t.Fatalf("header =\n%q\nwant\n%q", rs[0], wantHeader)
	}

	cases := []struct {
		row  int
		want map[string]string
	}{
		{1, map[string]string{
			"response id": "r1", "survey version": "2", "event": "Town hall drop-in", "device": "dev-a", "language": "en",
			"started": "2026-03-14 10:30", "submitted": "2026-03-14 10:40", "duration (min)": "10", "status": "complete",
			"start": "2026-03-14 10:30", "consent": "I agree", "role": "An organisation", "org": "Friends of the Park",
			"heard": "Newsletter; At an event", "heard: Newsletter": "1", "heard: Email": "0", "heard: At an event": "1",
			"fit": "4", "age": "42", "spend": "12.5", "priority: 1st": "Cost", "priority: 2nd": "Quality", "priority: 3rd": "Local knowledge",
			"listened": "5", "visit": "2026-03-01", "arrived": "09:45:00", "callback": "2026-04-01 09:00",
			"comments": `=HYPERLINK("http://x","y")`, "double_age": "84",
		}},
		{2, map[string]string{
			"response id": "r2", "event": "Town hall drop-in", "submitted": "", "duration (min)": "3", "status": "abandoned",
			"role": "A resident", "org": "", "heard": "Email", "heard: Newsletter": "0", "heard: Email": "1", "heard: At an event": "0",
			"priority: 1st": "", "spend": "", "visit": "",
		}},
		{3, map[string]string{
			"response id": "r3", "event": "Library stall", "device": "dev-b", "heard": "Newsletter", "priority: 1st": "Quality",
			"listened": "3", "comments": "@SUM(1+1)",
		}},
	}
	for _, c := range cases {
		got := rowMap(rs[0], rs[c.row])
		for k, want := range c.want {
			if got[k] != want {
				t.Errorf("row %d %q = %q, want %q", c.row, k, got[k], want)
			}
		}
	}

	parts := zipParts(t, path)
	cells := rawCells(t, sheetPart(t, parts, "Responses"))
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	serial := func(tm time.Time) string {
		return strconv.FormatFloat(tm.Sub(epoch).Hours()/24, 'f', -1, 64)
	}
	types := []struct {
		header string
		kind   string // "number", "text", or a number format
		raw    string
	}{
		{"survey version", "number", "2"},
		{"age", "number", "42"},
		{"spend", "number", "12.5"},
		{"fit", "number", "4"},
		{"listened", "number", "5"},
		{"double_age", "number", "84"},
		{"heard: Newsletter", "number", "1"},
		{"heard: Email", "number", "0"},
		{"role", "text", "An organisation"},
		{"comments", "text", `=HYPERLINK("http://x","y")`},
		{"visit", "yyyy-mm-dd", serial(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))},
		{"started", "yyyy-mm-dd hh:mm", serial(day1)},
		{"callback", "yyyy-mm-dd hh:mm", serial(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))},
		{"arrived", "hh:mm:ss", strconv.FormatFloat((9*60+45)/1440.0, 'f', -1, 64)},
	}
	for _, tc := range types {
		ref := cellName(t, column(t, rs[0], tc.header), 2)
		c := cells[ref]
		if c.Formula != nil {
			t.Errorf("%s (%s) has a formula", tc.header, ref)
		}
		switch tc.kind {
		case "number":
			if c.Type != "" && c.Type != "n" || c.Value != tc.raw {
				t.Errorf("%s (%s): type %q value %q, want a number %s", tc.header, ref, c.Type, c.Value, tc.raw)
			}
		case "text":
			if c.Type != "inlineStr" || c.Inline != tc.raw {
				t.Errorf("%s (%s): type %q text %q, want text %q", tc.header, ref, c.Type, c.Inline, tc.raw)
			}
		default:
			if c.Type != "" && c.Type != "n" {
				t.Errorf("%s (%s): type %q, want a number", tc.header, ref, c.Type)
			}
			if got, _ := strconv.ParseFloat(c.Value, 64); strconv.FormatFloat(got, 'f', 6, 64) != strconv.FormatFloat(mustFloat(t, tc.raw), 'f', 6, 64) {
				t.Errorf("%s (%s): value %s, want serial %s", tc.header, ref, c.Value, tc.raw)
			}
			st, err := f.GetStyle(c.Style)
			if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != tc.kind {
				t.Errorf("%s (%s): style %d is not the format %q (%+v, %v)", tc.header, ref, c.Style, tc.kind, st, err)
			}
		}
	}

	panes, err := f.GetPanes("Responses")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v; want the header row frozen", panes, err)
	}
	tables, err := f.GetTables("Responses")
	if err != nil || len(tables) != 1 {
		t.Fatalf("tables = %+v, %v; want one", tables, err)
	}
	if want := "A1:" + cellName(t, len(wantHeader), 4); tables[0].Range != want {
		t.Errorf("table range = %s, want %s", tables[0].Range, want)
	}
	if w, err := f.GetColWidth("Responses", "A"); err != nil || w < 30 {
		t.Errorf("response id column width = %v, %v; want it wide enough for a UUID", w, err)
	}
	for name, b := range parts {
		if strings.HasPrefix(name, "xl/worksheets/") && bytes.Contains(b, []byte("<f>")) {
			t.Errorf("%s holds a formula", name)
		}
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// findRow returns the index of the first row whose first cell is first.
func findRow(t *testing.T, rs [][]string, first string) int {
	t.Helper()
	for i, r := range rs {
		if len(r) > 0 && r[0] == first {
			return i
		}
	}
	t.Fatalf("no row starting %q", first)
	return -1
}

func TestWorkbookSummary(t *testing.T) {
	path, _ := exportFile(t, sampleSource(), export.Options{SurveyID: "mixed"}, "out.xlsx")
	f := openWorkbook(t, path)
	rs := rows(t, f, "Summary")
	if !strings.Contains(rs[2][0], "Percentages are of the responses that answered") {
		t.Errorf("the denominator is not explained: %q", rs[2])
	}
	role := findRow(t, rs, "role: I am")
	want := [][]string{
		{"answered (n)", "3"},
		{"answer", "count", "%"},
		{"A resident", "2", "66.67%"},
		{"An organisation", "1", "33.33%"},
		{"Council staff", "0", "0.00%"},
	}
	for i, w := range want {
		if got := rs[role+1+i]; !slices.Equal(got, w) {
			t.Errorf("role block row %d = %q, want %q", i, got, w)
		}
	}
	heard := findRow(t, rs, "heard: How did you hear?")
	if got := rs[heard+3]; !slices.Equal(got, []string{"Newsletter", "2", "66.67%"}) {
		t.Errorf("heard: Newsletter = %q (percent of those who answered)", got)
	}
	prio := findRow(t, rs, "priority: Rank these")
	if got := rs[prio+2]; !slices.Equal(got, []string{"choice", "ranked 1st", "%", "mean position"}) {
		t.Errorf("rank heading = %q", got)
	}
	if got := rs[prio+3]; !slices.Equal(got, []string{"Quality", "1", "50.00%", "1.5"}) {
		t.Errorf("rank Quality = %q", got)
	}
	age := findRow(t, rs, "age: Age")
	for i, w := range [][]string{{"answered (n)", "3"}, {"mean", "46.3333"}, {"median", "42"}, {"min", "30"}, {"max", "67"}} {
		if got := rs[age+1+i]; !slices.Equal(got, w) {
			t.Errorf("age row %d = %q, want %q", i, got, w)
		}
	}
	fit := findRow(t, rs, "fit: How well does it fit?")
	if got := rs[fit+8]; !slices.Equal(got, []string{"mean", "3.6667"}) {
		t.Errorf("the Likert scale's mean row = %q", got)
	}
	// A 1–5 rating: how many gave each point, with a chart.
	listened := findRow(t, rs, "listened: Were you listened to?")
	for i, w := range [][]string{{"answered (n)", "2"}, {"answer", "count", "%"}, {"1", "0", "0.00%"}, {"2", "0", "0.00%"},
		{"3", "1", "50.00%"}, {"4", "0", "0.00%"}, {"5", "1", "50.00%"}, {"mean", "4"}} {
		if got := rs[listened+1+i]; !slices.Equal(got, w) {
			t.Errorf("rating row %d = %q, want %q", i, got, w)
		}
	}
	visit := findRow(t, rs, "visit: Date of visit")
	if got := rs[visit+2]; !slices.Equal(got, []string{"earliest", "2026-03-01"}) {
		t.Errorf("date summary = %q", got)
	}
	comments := findRow(t, rs, "comments: Comments")
	if got := rs[comments+1]; !slices.Equal(got, []string{"answered (n)", "2"}) {
		t.Errorf("free text summary = %q", got)
	}
	for _, r := range rs {
		if len(r) > 0 && strings.HasPrefix(r[0], "start") {
			t.Errorf("metadata question summarised: %q", r)
		}
	}

	parts := zipParts(t, path)
	var charts []string
	for name := range parts {
		if strings.HasPrefix(name, "xl/charts/chart") {
			charts = append(charts, name)
		}
	}
	if len(charts) != 5 { // role, heard, fit, priority, listened
		t.Fatalf("chart parts = %q, want one per choice question and rating (5)", charts)
	}
	chart := string(parts["xl/charts/chart1.xml"])
	for _, want := range []string{"<barChart>", `<barDir val="bar">`, "&#39;Summary&#39;!$A$11:$A$13", "&#39;Summary&#39;!$B$11:$B$13"} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart1.xml lacks %s", want)
		}
	}
	if _, ok := parts["xl/drawings/drawing1.xml"]; !ok {
		t.Error("no drawing part anchors the charts")
	}
}

func TestWorkbookCodebookAndAbout(t *testing.T) {
	now := time.Date(2026, 4, 2, 16, 5, 0, 0, time.UTC)
	path, _ := exportFile(t, sampleSource(), export.Options{SurveyID: "mixed", AppVersion: "1.2.3", Now: func() time.Time { return now }, EventID: "ev1"}, "out.xlsx")
	f := openWorkbook(t, path)
	cb := rows(t, f, "Codebook")
	wantHead := []string{"column", "question", "label", "type", "required", "relevant", "constraint", "personal", "versions", "choice code", "choice label", "score"}
	if !slices.Equal(cb[0], wantHead) {
		t.Fatalf("codebook header = %q", cb[0])
	}
	find := func(pred func(r map[string]string) bool) map[string]string {
		for _, r := range cb[1:] {
			if m := rowMap(cb[0], r); pred(m) {
				return m
			}
		}
		return nil
	}
	checks := []struct {
		name string
		pred func(map[string]string) bool
		want map[string]string
	}{
		{"metadata", func(m map[string]string) bool { return m["column"] == "started" },
			map[string]string{"type": "metadata"}},
		{"status words, as every screen says them", func(m map[string]string) bool { return m["column"] == "status" },
			map[string]string{"label": "complete (submitted by the respondent); partial (not submitted yet: still being answered, left through Leave, or interrupted; staff can resume it); abandoned (left unfinished at a kiosk or on a web form after a time without a touch; the answers given are kept)"}},
		{"consent", func(m map[string]string) bool { return m["question"] == "consent" },
			map[string]string{"column": "consent", "label": "I agree", "type": "acknowledge", "required": "yes"}},
		{"org", func(m map[string]string) bool { return m["question"] == "org" && m["choice code"] == "" },
			map[string]string{"relevant": "${role} = 'org'", "personal": "yes", "versions": "2"}},
		{"age", func(m map[string]string) bool { return m["question"] == "age" },
			map[string]string{"type": "integer", "constraint": ". >= 0"}},
		{"flag column", func(m map[string]string) bool { return m["choice code"] == "email" },
			map[string]string{"column": "heard: Email", "question": "heard", "choice label": "Email"}},
		{"scored choice", func(m map[string]string) bool { return m["question"] == "fit" && m["choice code"] == "1" },
			map[string]string{"choice label": "1 – Very poorly", "score": "-2"}},
		{"likert", func(m map[string]string) bool { return m["question"] == "fit" && m["choice code"] == "" },
			map[string]string{"type": "select_one scale (likert); written as the number of the code"}},
		{"rating", func(m map[string]string) bool { return m["question"] == "listened" },
			map[string]string{"type": "range 1 to 5 step 1 (rating)"}},
		{"rank position", func(m map[string]string) bool { return m["column"] == "priority: 2nd" },
			map[string]string{"question": "priority", "label": "the choice ranked 2nd"}},
	}
	for _, c := range checks {
		m := find(c.pred)
		if m == nil {
			t.Errorf("codebook: no row for %s", c.name)
			continue
		}
		for k, v := range c.want {
			if m[k] != v {
				t.Errorf("codebook %s: %s = %q, want %q", c.name, k, m[k], v)
			}
		}
	}
	if m := find(func(m map[string]string) bool { return m["question"] == "intro" }); m != nil {
		t.Errorf("the note made it into the codebook: %q", m)
	}

	about := map[string]string{}
	for _, r := range rows(t, f, "About") {
		if len(r) == 2 {
			about[r[0]] = r[1]
		}
	}
	for k, v := range map[string]string{
		"Survey": "Mixed survey (mixed)", "Versions": "2", "Exported at": "2026-04-02 16:05:00 UTC",
		"Exported on device": "device-test", "Canvass version": "1.2.3", "Event": "Town hall drop-in",
		"Dates": "any date", "Responses included": "complete, partial and abandoned", "Personal questions": "included",
		"Responses exported": "2", "Complete": "1", "Abandoned": "1", "Draft": "0",
	} {
		if about[k] != v {
			t.Errorf("About %q = %q, want %q", k, about[k], v)
		}
	}
}

func TestWorkbookOptions(t *testing.T) {
	cases := []struct {
		name    string
		opts    export.Options
		ids     []string
		absent  []string          // headers that must not be there
		present map[string]string // header → value in the first data row
	}{
		{"everything", export.Options{}, []string{"r1", "r2", "r3"}, nil, map[string]string{"org": "Friends of the Park"}},
		{"codes", export.Options{Codes: true}, []string{"r1", "r2", "r3"}, []string{"heard: Newsletter"},
			map[string]string{"role": "org", "heard": "news; event", "heard: news": "1", "priority: 1st": "cost", "fit": "4"}},
		{"no personal", export.Options{NoPersonal: true}, []string{"r1", "r2", "r3"}, []string{"org"}, map[string]string{"role": "An organisation"}},
		{"complete only", export.Options{CompleteOnly: true}, []string{"r1", "r3"}, nil, nil},
		{"event", export.Options{EventID: "ev2"}, []string{"r3"}, nil, map[string]string{"event": "Library stall"}},
		{"from", export.Options{From: day1.Add(30 * time.Minute)}, []string{"r2", "r3"}, nil, nil},
		{"to", export.Options{To: day2}, []string{"r1", "r2"}, nil, nil},
		{"from and to", export.Options{From: day1.Add(time.Minute), To: day2}, []string{"r2"}, nil, nil},
		{"no match", export.Options{EventID: "nowhere"}, nil, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := c.opts
			opts.SurveyID = "mixed"
			path, res := exportFile(t, sampleSource(), opts, "out.xlsx")
			if res.Responses != len(c.ids) {
				t.Errorf("responses = %d, want %d", res.Responses, len(c.ids))
			}
			f := openWorkbook(t, path)
			rs := rows(t, f, "Responses")
			var ids []string
			for _, r := range rs[1:] {
				ids = append(ids, r[0])
			}
			if !slices.Equal(ids, c.ids) {
				t.Errorf("ids = %q, want %q", ids, c.ids)
			}
			for _, h := range c.absent {
				if slices.Contains(rs[0], h) {
					t.Errorf("column %q is there", h)
				}
			}
			for h, want := range c.present {
				if got := rowMap(rs[0], rs[1])[h]; got != want {
					t.Errorf("%q = %q, want %q", h, got, want)
				}
			}
			if opts.NoPersonal {
				for _, r := range rows(t, f, "Codebook") {
					if len(r) > 1 && r[1] == "org" {
						t.Errorf("the personal question is in the codebook: %q", r)
					}
				}
				about := rows(t, f, "About")
				if got := about[findRow(t, about, "Personal questions")]; got[1] != "left out" {
					t.Errorf("About says personal questions are %q", got[1])
				}
			}
		})
	}
}

// twoVersionSource has version 1 and 2 of the mixed survey and a response to each.
func twoVersionSource() *fakeSource {
	src := sampleSource()
	src.defs = []*survey.Survey{oldMixedSurvey(), mixedSurvey()}
	old := &survey.Response{
		ID: "r0", SurveyID: "mixed", SurveyVersion: 1, DeviceID: "dev-old", Started: day1.Add(-24 * time.Hour),
		Updated: day1.Add(-24 * time.Hour), Status: survey.StatusDraft,
		Answers: survey.Answers{"role": "staff", "heard": "leaflet email", "phone": "01234 567890"},
	}
	src.responses = append([]*survey.Response{old}, src.responses...)
	return src
}

func TestWorkbookVersions(t *testing.T) {
	t.Run("union", func(t *testing.T) {
		path, _ := exportFile(t, twoVersionSource(), export.Options{SurveyID: "mixed"}, "out.xlsx")
		f := openWorkbook(t, path)
		rs := rows(t, f, "Responses")
		want := slices.Clone(wantHeader)
		want = slices.Insert(want, slices.Index(want, "heard: At an event")+1, "heard: Leaflet")
		want = append(want, "phone")
		if !slices.Equal(rs[0], want) {
			t.Fatalf("header =\n%q\nwant\n%q", rs[0], want)
		}
		r0 := rowMap(rs[0], rs[1])
		for k, v := range map[string]string{
			"response id": "r0", "survey version": "1", "event": "", "status": "partial", "role": "Council staff",
			"heard": "Leaflet; Email", "heard: Leaflet": "1", "heard: Email": "1", "heard: Newsletter": "0", "phone": "01234 567890",
		} {
			if r0[k] != v {
				t.Errorf("r0 %q = %q, want %q", k, r0[k], v)
			}
		}
		if r1 := rowMap(rs[0], rs[2]); r1["survey version"] != "2" || r1["phone"] != "" || r1["heard: Leaflet"] != "0" {
			t.Errorf("r1 = %q", r1)
		}
		about := rows(t, f, "About")
		if got := about[findRow(t, about, "Versions")]; got[1] != "1, 2" {
			t.Errorf("About versions = %q", got)
		}
		cb := rows(t, f, "Codebook")
		for _, r := range cb {
			m := rowMap(cb[0], r)
			if m["question"] == "phone" && m["versions"] != "1" || m["question"] == "role" && m["choice code"] == "" && m["versions"] != "1, 2" {
				t.Errorf("codebook versions: %q", r)
			}
		}
	})
	t.Run("one version", func(t *testing.T) {
		path, res := exportFile(t, twoVersionSource(), export.Options{SurveyID: "mixed", Version: 2}, "out.xlsx")
		f := openWorkbook(t, path)
		rs := rows(t, f, "Responses")
		if !slices.Equal(rs[0], wantHeader) || res.Responses != 3 {
			t.Errorf("version 2 only: header %q, %d responses", rs[0], res.Responses)
		}
	})
}

func TestWorkbookLongLayout(t *testing.T) {
	path, res := exportFile(t, sampleSource(), export.Options{SurveyID: "mixed", Long: true}, "out.xlsx")
	f := openWorkbook(t, path)
	rs := rows(t, f, "Responses")
	if !slices.Equal(rs[0], []string{"response id", "question", "answer code", "answer label"}) {
		t.Fatalf("header = %q", rs[0])
	}
	answers := 0
	for _, r := range sampleResponses() {
		for q, v := range r.Answers {
			switch q {
			case "heard", "priority":
				answers += len(strings.Fields(v))
			default:
				answers++
			}
		}
	}
	if len(rs)-1 != answers || res.Rows != answers || res.Responses != 3 {
		t.Errorf("%d rows (result %d), want one per answer: %d", len(rs)-1, res.Rows, answers)
	}
	var r1 [][]string
	for _, r := range rs[1:] {
		if r[0] == "r1" {
			r1 = append(r1, r)
		}
	}
	for _, want := range [][]string{
		{"r1", "role", "org", "An organisation"},
		{"r1", "heard", "news", "Newsletter"},
		{"r1", "heard", "event", "At an event"},
		{"r1", "priority: 1st", "cost", "Cost"},
		{"r1", "priority: 3rd", "local", "Local knowledge"},
		{"r1", "fit", "4", "4 – Well"},
		{"r1", "age", "42", "42"},
		{"r1", "visit", "2026-03-01", "2026-03-01"},
		{"r1", "comments", `=HYPERLINK("http://x","y")`, `=HYPERLINK("http://x","y")`},
	} {
		if !slices.ContainsFunc(r1, func(r []string) bool { return slices.Equal(r, want) }) {
			t.Errorf("no long row %q", want)
		}
	}
	// Questions come in survey order within a response.
	if r1[0][1] != "start" || r1[1][1] != "consent" {
		t.Errorf("first rows of r1 = %q", r1[:2])
	}
	// The summary is the same whatever the layout.
	sum := rows(t, f, "Summary")
	role := findRow(t, sum, "role: I am")
	if !slices.Equal(sum[role+3], []string{"A resident", "2", "66.67%"}) {
		t.Errorf("long layout summary = %q", sum[role+3])
	}
}

func TestWorkbookPassword(t *testing.T) {
	path, _ := exportFile(t, sampleSource(), export.Options{SurveyID: "mixed", Password: "correct horse"}, "secret.xlsx")
	if _, err := excelize.OpenFile(path); err == nil {
		t.Fatal("the encrypted workbook opened without a password")
	}
	if _, err := excelize.OpenFile(path, excelize.Options{Password: "wrong"}); err == nil {
		t.Fatal("the encrypted workbook opened with the wrong password")
	}
	f := openWorkbook(t, path, excelize.Options{Password: "correct horse"})
	rs := rows(t, f, "Responses")
	if len(rs) != 4 || rs[1][0] != "r1" {
		t.Errorf("decrypted rows = %q", rs)
	}
}

// payloads are formula-injection attempts.
var payloads = []string{
	`=HYPERLINK("http://x","y")`,
	`=cmd|' /C calc'!A0`,
	`@SUM(1+1)`,
	`+1+1`,
	`-2+3`,
	"\t=1",
	"\r=1",
	`=1+2`,
}

func injectionSource() *fakeSource {
	src := sampleSource()
	def := mixedSurvey()
	def.Lists[0].Choices[2].Label = survey.En("=1+2") // a hostile label reaches headers, summary and codebook
	src.defs = []*survey.Survey{def}
	src.responses = nil
	for i, p := range payloads {
		src.responses = append(src.responses, &survey.Response{
			ID: "inj" + strconv.Itoa(i), SurveyID: "mixed", SurveyVersion: 2, Started: day1.Add(time.Duration(i) * time.Minute),
			Status: survey.StatusComplete, Answers: survey.Answers{"comments": p, "org": p, "role": "staff"},
		})
	}
	return src
}

func TestInjectionWorkbook(t *testing.T) {
	for _, long := range []bool{false, true} {
		t.Run("long="+strconv.FormatBool(long), func(t *testing.T) {
			path, _ := exportFile(t, injectionSource(), export.Options{SurveyID: "mixed", Long: long}, "out.xlsx")
			parts := zipParts(t, path)
			for name, b := range parts {
				if (strings.HasPrefix(name, "xl/worksheets/") || name == "xl/sharedStrings.xml") && bytes.Contains(b, []byte("<f")) &&
					!bytes.Contains(b, []byte("<filter")) {
					t.Errorf("%s holds a formula element", name)
				}
			}
			f := openWorkbook(t, path)
			rs := rows(t, f, "Responses")
			col := 0
			if long {
				col = column(t, rs[0], "answer code")
			} else {
				col = column(t, rs[0], "comments")
			}
			seen := 0
			for i := 1; i < len(rs); i++ {
				if long && rs[i][1] != "comments" {
					continue
				}
				ref := cellName(t, col, i+1)
				got, err := f.GetCellValue("Responses", ref)
				if err != nil {
					t.Fatal(err)
				}
				want := payloads[seen]
				seen++
				if got != want {
					t.Errorf("%s = %q, want the text %q", ref, got, want)
				}
				if formula, err := f.GetCellFormula("Responses", ref); err != nil || formula != "" {
					t.Errorf("%s: formula %q, %v", ref, formula, err)
				}
				if typ, err := f.GetCellType("Responses", ref); err != nil || typ != excelize.CellTypeInlineString {
					t.Errorf("%s: cell type %v, %v; want an inline string", ref, typ, err)
				}
			}
			if seen != len(payloads) {
				t.Errorf("checked %d payloads, want %d", seen, len(payloads))
			}
			for _, sheet := range []string{"Summary", "Codebook"} {
				found := false
				for _, r := range rows(t, f, sheet) {
					found = found || slices.Contains(r, "=1+2")
				}
				if !found {
					t.Errorf("%s: the hostile label is not shown as text", sheet)
				}
			}
		})
	}
}

func TestWorkbookDecisions(t *testing.T) {
	src := sampleSource()
	def := mixedSurvey()
	def.Scoring = &survey.Scoring{}
	src.defs = []*survey.Survey{def}
	src.responses[0].Result = []byte(`{"outcome":"grant","confidence":"medium","score":-0.62,
		"drivers":[{"question":"c_spec","answer":"organisation","contribution":-6},{"label":"Who is it for: own work"}],
		"rules":["g_power: not sure"],"caveats":["confirm the legal power to make a grant"],
		"thresholds":{"name":"England","effective":"2026-01-01","amounts":{"works":5193000}}}`)
	amount := 663540.0
	typed, err := json.Marshal(survey.Decision{
		SurveyID: "mixed", Outcome: "regulated_procurement", OutcomeLabel: "Procurement — regulated procurement required",
		Confidence: "high", ConfidenceLabel: "High", Score: 0.75, Answered: 12, Criteria: 14,
		Drivers: []survey.Driver{
			{Rule: "regulated", RuleLabel: "At or above the threshold"},
			{Given: survey.Given{Question: "c_spec", QuestionLabel: "Who decides?", Answer: "council", AnswerLabel: "The council"}, Weight: 3, Score: 2, Contribution: 6},
		},
		Rules:      []survey.FiredRule{{ID: "regulated", Label: "Contract at or above the threshold"}},
		Caveats:    []string{},
		Thresholds: survey.ThresholdsUsed{Name: "England", Effective: "2026-01-01", Category: "light_touch", Amount: &amount},
	})
	if err != nil {
		t.Fatal(err)
	}
	src.responses[2].Result = typed
	path, _ := exportFile(t, src, export.Options{SurveyID: "mixed"}, "out.xlsx")
	f := openWorkbook(t, path)
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Responses", "Summary", "Codebook", "Decisions", "About"}) {
		t.Fatalf("sheets = %q", got)
	}
	rs := rows(t, f, "Decisions")
	if len(rs) != 3 {
		t.Fatalf("decision rows = %q, want header + 2 (r2 has no record)", rs)
	}
	first := rowMap(rs[0], rs[1])
	for k, v := range map[string]string{
		"response id": "r1", "event": "Town hall drop-in", "submitted": "2026-03-14 10:40", "outcome": "grant", "confidence": "medium",
		"score": "-0.62", "drivers": "answer: organisation, contribution: -6, question: c_spec; Who is it for: own work",
		"rules": "g_power: not sure", "caveats": "confirm the legal power to make a grant",
		"thresholds": "amounts: (works: 5193000), effective: 2026-01-01, name: England",
	} {
		if first[k] != v {
			t.Errorf("decision %q = %q, want %q", k, first[k], v)
		}
	}
	second := rowMap(rs[0], rs[2])
	for k, v := range map[string]string{
		"response id": "r3", "outcome": "regulated_procurement", "outcome label": "Procurement — regulated procurement required",
		"confidence": "high", "score": "0.75", "criteria answered": "12",
		"drivers": "rule: At or above the threshold; Who decides?: The council (6)",
		"rules":   "Contract at or above the threshold", "caveats": "",
		"thresholds": "England, in force from 2026-01-01, light_touch threshold £663,540",
	} {
		if second[k] != v {
			t.Errorf("decision record %q = %q, want %q", k, second[k], v)
		}
	}
	// The explanation is the text the result screen shows, in full.
	var d survey.Decision
	if err := json.Unmarshal(typed, &d); err != nil {
		t.Fatal(err)
	}
	if got, want := second["explanation"], strings.TrimSpace(d.Explain().Text()); got != want {
		t.Errorf("explanation = %q, want %q", got, want)
	}
	for _, want := range []string{"Recommendation: Procurement — regulated procurement required, with high confidence.", "\nWhat raises the score\n• Strong: Who decides? The council.", "\nHow the score is worked out\n"} {
		if !strings.Contains(second["explanation"], want) {
			t.Errorf("explanation lacks %q:\n%s", want, second["explanation"])
		}
	}
	typ, _ := f.GetCellType("Decisions", cellName(t, column(t, rs[0], "score"), 2))
	if typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Error("the score is text, want a number")
	}
}

func TestWorkbookErrors(t *testing.T) {
	cases := []struct {
		name string
		opts export.Options
		want error
	}{
		{"no survey", export.Options{}, export.ErrNoSurvey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := export.Workbook(context.Background(), sampleSource(), c.opts, &bytes.Buffer{})
			if !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
	t.Run("unknown survey", func(t *testing.T) {
		_, err := export.Workbook(context.Background(), sampleSource(), export.Options{SurveyID: "nope"}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), `"nope"`) {
			t.Errorf("err = %v, want one naming the survey", err)
		}
	})
	t.Run("unknown version", func(t *testing.T) {
		_, err := export.Workbook(context.Background(), sampleSource(), export.Options{SurveyID: "mixed", Version: 7}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "version 7") {
			t.Errorf("err = %v, want one naming the version", err)
		}
	})
}

func TestProgress(t *testing.T) {
	for _, format := range []string{"xlsx", "csv"} {
		t.Run(format, func(t *testing.T) {
			src := benchSource(1234)
			var calls [][2]int
			opts := export.Options{SurveyID: "bench", Total: 1234, Progress: func(done, total int) {
				calls = append(calls, [2]int{done, total})
			}}
			path := t.TempDir() + "/out." + format
			if _, err := export.ToFile(context.Background(), src, opts, path); err != nil {
				t.Fatal(err)
			}
			if len(calls) < 3 {
				t.Fatalf("progress calls = %v, want a start, some steps and an end", calls)
			}
			if calls[0] != [2]int{0, 1234} || calls[len(calls)-1] != [2]int{1234, 1234} {
				t.Errorf("first and last progress = %v, %v", calls[0], calls[len(calls)-1])
			}
			for i := 1; i < len(calls); i++ {
				if calls[i][0] < calls[i-1][0] || calls[i][0] > calls[i][1] {
					t.Errorf("progress went %v → %v", calls[i-1], calls[i])
				}
			}
		})
	}
	t.Run("unknown total", func(t *testing.T) {
		var last [2]int
		opts := export.Options{SurveyID: "mixed", Progress: func(done, total int) { last = [2]int{done, total} }}
		if _, err := export.Workbook(context.Background(), sampleSource(), opts, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		if last != [2]int{3, 3} {
			t.Errorf("last progress = %v, want the total never below done", last)
		}
	})
}
