package export_test

import (
	"encoding/xml"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canvass/export"
	"canvass/survey"
)

// These tests reopen exported workbooks and check what an analyst opening
// them would trip over: faint chart labels, charts on top of tables or of
// each other, cut-off headers, long unformatted decimals, counts as text.

func TestSummaryChartsReadable(t *testing.T) {
	path, _ := exportFile(t, sampleSource(), export.Options{SurveyID: "mixed"}, "out.xlsx")
	parts := zipParts(t, path)
	var names []string
	for name := range parts {
		if strings.HasPrefix(name, "xl/charts/chart") {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		t.Fatal("no charts in the workbook")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			var axes struct {
				Cat     chartAxisXML `xml:"chart>plotArea>catAx"`
				Val     chartAxisXML `xml:"chart>plotArea>valAx"`
				ShowVal []struct {
					Val string `xml:"val,attr"`
				} `xml:"chart>plotArea>barChart>dLbls>showVal"`
			}
			if err := xml.Unmarshal(parts[name], &axes); err != nil {
				t.Fatalf("parse %s: %v", name, err)
			}
			for axis, a := range map[string]chartAxisXML{"category": axes.Cat, "value": axes.Val} {
				fill := a.Fill
				if fill.Scheme != nil || fill.RGB == nil {
					t.Errorf("%s axis labels use a theme tint (excelize's default is 85%% white, unreadable), want an explicit dark colour", axis)
					continue
				}
				if got := strings.ToUpper(fill.RGB.Val); got != "404040" {
					t.Errorf("%s axis label colour = %s, want 404040", axis, got)
				}
			}
			shown := false
			for _, v := range axes.ShowVal {
				shown = shown || v.Val == "1" || v.Val == "true"
			}
			if !shown {
				t.Error("the bars carry no counts: the reader cannot match them to the table")
			}
		})
	}
}

// chartAxisXML is the part of a chart axis that sets its label colour.
type chartAxisXML struct {
	Fill struct {
		RGB *struct {
			Val string `xml:"val,attr"`
		} `xml:"srgbClr"`
		Scheme *struct{} `xml:"schemeClr"`
	} `xml:"txPr>p>pPr>defRPr>solidFill"`
}

// drawingAnchor is where a chart sits: its first and last cell (0-based).
type drawingAnchor struct {
	FromCol int `xml:"from>col"`
	FromRow int `xml:"from>row"`
	ToCol   int `xml:"to>col"`
	ToRow   int `xml:"to>row"`
}

func TestSummaryChartsBesideTablesNotOnThem(t *testing.T) {
	path, _ := exportFile(t, sampleSource(), export.Options{SurveyID: "mixed"}, "out.xlsx")
	var drawing struct {
		Anchors []drawingAnchor `xml:"twoCellAnchor"`
	}
	if err := xml.Unmarshal(zipParts(t, path)["xl/drawings/drawing1.xml"], &drawing); err != nil {
		t.Fatalf("parse the drawing: %v", err)
	}
	if len(drawing.Anchors) != 5 { // four choice questions and a rating
		t.Fatalf("chart anchors = %d, want 5", len(drawing.Anchors))
	}
	f := openWorkbook(t, path)
	rs := rows(t, f, "Summary")
	widest := 0 // the widest table row, in columns
	for _, r := range rs {
		widest = max(widest, len(r))
	}
	anchors := drawing.Anchors
	slices.SortFunc(anchors, func(a, b drawingAnchor) int { return a.FromRow - b.FromRow })
	for i, a := range anchors {
		if a.FromCol < widest {
			t.Errorf("chart %d starts in column %d, on the tables (which use %d columns)", i+1, a.FromCol+1, widest)
		}
		if i > 0 && anchors[i-1].ToRow >= a.FromRow {
			t.Errorf("chart %d (rows %d–%d) overlaps the chart above it (rows %d–%d)", i+1, a.FromRow+1, a.ToRow+1, anchors[i-1].FromRow+1, anchors[i-1].ToRow+1)
		}
		// Each chart sits beside its own question's block: its first row
		// is the question's title row.
		if title := rs[a.FromRow]; len(title) == 0 || !strings.Contains(title[0], ": ") {
			t.Errorf("chart %d starts at row %d, %q, not at a question's title", i+1, a.FromRow+1, title)
		}
	}
}

func TestDataSheetHeadersWrap(t *testing.T) {
	src := sampleSource()
	def := mixedSurvey()
	def.Scoring = &survey.Scoring{}
	src.defs = []*survey.Survey{def}
	src.responses[0].Result = []byte(`{"outcome":"grant","confidence":"medium","score":0.176470588235294}`)
	path, _ := exportFile(t, src, export.Options{SurveyID: "mixed"}, "out.xlsx")
	f := openWorkbook(t, path)
	for _, tc := range []struct {
		sheet, header string
	}{
		{"Responses", "heard: Newsletter"}, // a choice's 1/0 column, 12 wide
		{"Decisions", "criteria answered"}, // 9 wide
	} {
		t.Run(tc.sheet+"/"+tc.header, func(t *testing.T) {
			rs := rows(t, f, tc.sheet)
			col := column(t, rs[0], tc.header)
			ref := cellName(t, col, 1)
			name, _, err := excelize.SplitCellName(ref)
			if err != nil {
				t.Fatal(err)
			}
			width, err := f.GetColWidth(tc.sheet, name)
			if err != nil {
				t.Fatal(err)
			}
			if float64(len(tc.header)) <= width {
				t.Skipf("header %q fits its column (%.0f): nothing to check", tc.header, width)
			}
			id, err := f.GetCellStyle(tc.sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Alignment == nil || !st.Alignment.WrapText {
				t.Errorf("header %s %q (column %.0f wide) does not wrap: it is cut at the next column", ref, tc.header, width)
			}
			h, err := f.GetRowHeight(tc.sheet, 1)
			if err != nil {
				t.Fatal(err)
			}
			if h < 30 {
				t.Errorf("header row height = %.0f pt, want room for two lines (≥ 30)", h)
			}
		})
	}
}

func TestDecisionScoreTwoDecimals(t *testing.T) {
	src := sampleSource()
	def := mixedSurvey()
	def.Scoring = &survey.Scoring{}
	src.defs = []*survey.Survey{def}
	src.responses[0].Result = []byte(`{"outcome":"grant","confidence":"medium","score":0.176470588235294}`)
	path, _ := exportFile(t, src, export.Options{SurveyID: "mixed"}, "out.xlsx")
	f := openWorkbook(t, path)
	rs := rows(t, f, "Decisions")
	ref := cellName(t, column(t, rs[0], "score"), 2)
	if got := rs[1][column(t, rs[0], "score")-1]; got != "0.18" {
		t.Errorf("score shows %q, want 0.18", got)
	}
	raw, err := f.GetCellValue("Decisions", ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(raw, "0.17647") {
		t.Errorf("stored score = %q, want the full value (only the display is rounded)", raw)
	}
}

func TestAboutCountsAreNumbers(t *testing.T) {
	path, res := exportFile(t, sampleSource(), export.Options{SurveyID: "mixed"}, "out.xlsx")
	f := openWorkbook(t, path)
	rs := rows(t, f, "About")
	for _, label := range []string{"Responses exported", "Complete", "Draft", "Abandoned", "Data rows"} {
		t.Run(label, func(t *testing.T) {
			r := findRow(t, rs, label)
			typ, err := f.GetCellType("About", cellName(t, 2, r+1))
			if err != nil {
				t.Fatal(err)
			}
			if typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
				t.Errorf("%s = %q is text, want a number", label, rs[r][1])
			}
		})
	}
	r := findRow(t, rs, "Responses exported")
	if want := res.Responses; rs[r][1] != strconv.Itoa(want) {
		t.Errorf("Responses exported = %q, want %d", rs[r][1], want)
	}
	for _, label := range []string{"Canvass version", "Exported on device"} {
		r := findRow(t, rs, label)
		typ, _ := f.GetCellType("About", cellName(t, 2, r+1))
		if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("%s is no longer text", label)
		}
	}
}

func TestSummaryLongQuestionWraps(t *testing.T) {
	long := "Will the money go to individuals as direct payments or personal budgets that they control?"
	for _, tc := range []struct {
		name, label string
		twoLines    bool
	}{
		{"long", long, true},
		{"short", "I am", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := sampleSource()
			def := mixedSurvey()
			def.Questions[3].Label = survey.En(tc.label) // role
			src.defs = []*survey.Survey{def}
			path, _ := exportFile(t, src, export.Options{SurveyID: "mixed"}, "out.xlsx")
			f := openWorkbook(t, path)
			rs := rows(t, f, "Summary")
			title := "role: " + tc.label
			r := findRow(t, rs, title) + 1
			merged, err := f.GetMergeCells("Summary")
			if err != nil {
				t.Fatal(err)
			}
			want := "A" + strconv.Itoa(r) + ":E" + strconv.Itoa(r)
			if !slices.ContainsFunc(merged, func(m excelize.MergeCell) bool { return m.GetStartAxis()+":"+m.GetEndAxis() == want }) {
				t.Errorf("title row %d is not merged across the table (%s), so a long title runs under the chart", r, want)
			}
			id, _ := f.GetCellStyle("Summary", "A"+strconv.Itoa(r))
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Alignment == nil || !st.Alignment.WrapText || st.Font == nil || !st.Font.Bold {
				t.Errorf("title style = %+v, want bold and wrapped", st)
			}
			h, err := f.GetRowHeight("Summary", r)
			if err != nil {
				t.Fatal(err)
			}
			if got := h >= 30; got != tc.twoLines {
				t.Errorf("title row height = %.0f pt; two lines needed: %v", h, tc.twoLines)
			}
		})
	}
}

// The Responses sheet is a table whose header has filter buttons.
func TestResponsesSheetHasFilterButtons(t *testing.T) {
	path, _ := exportFile(t, sampleSource(), export.Options{SurveyID: "mixed"}, "out.xlsx")
	parts := zipParts(t, path)
	var found bool
	for name, body := range parts {
		if !strings.HasPrefix(name, "xl/tables/") {
			continue
		}
		var table struct {
			Name       string `xml:"name,attr"`
			Ref        string `xml:"ref,attr"`
			AutoFilter struct {
				Ref string `xml:"ref,attr"`
			} `xml:"autoFilter"`
		}
		if err := xml.Unmarshal(body, &table); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if table.Name == "Responses" {
			found = true
			if table.AutoFilter.Ref == "" || table.AutoFilter.Ref != table.Ref {
				t.Errorf("the Responses table %s has filter %q", table.Ref, table.AutoFilter.Ref)
			}
		}
	}
	if !found {
		t.Error("no Responses table")
	}
}
