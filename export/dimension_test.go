package export_test

import (
	"fmt"
	"slices"
	"testing"

	"canvass/export"
	"canvass/export/dimension"
	"canvass/export/pyreaders"
	"canvass/survey"
)

// manyResponses is sampleSource with n responses, copies of the samples.
func manyResponses(n int) *fakeSource {
	src := sampleSource()
	samples := src.responses
	src.responses = nil
	for i := range n {
		r := *samples[i%len(samples)]
		r.ID = fmt.Sprintf("r%04d", i)
		src.responses = append(src.responses, &r)
	}
	return src
}

// TestWorkbookDeclaresItsRange reopens exports with readers that trust each
// sheet's declared range: our own check, which compares it with the cells
// present, and openpyxl in read-only mode, which must see every row excelize
// sees.
func TestWorkbookDeclaresItsRange(t *testing.T) {
	scored := func(n int) *fakeSource {
		src := manyResponses(n)
		def := mixedSurvey()
		def.Scoring = &survey.Scoring{}
		src.defs = []*survey.Survey{def}
		for _, r := range src.responses {
			r.Result = []byte(`{"outcome":"grant","confidence":"medium","score":-0.62}`)
		}
		return src
	}
	cases := []struct {
		name     string
		src      *fakeSource
		opts     export.Options
		dataRows int // rows under the Responses header
	}{
		{"wide", manyResponses(300), export.Options{SurveyID: "mixed"}, 300},
		{"no responses", manyResponses(0), export.Options{SurveyID: "mixed"}, 0},
		{"codes", manyResponses(30), export.Options{SurveyID: "mixed", Codes: true}, 30},
		{"scored", scored(40), export.Options{SurveyID: "mixed"}, 40},
		{"long", manyResponses(20), export.Options{SurveyID: "mixed", Long: true}, -1},
	}
	py := pyreaders.New(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, _ := exportFile(t, c.src, c.opts, "out.xlsx")
			if err := dimension.Check(path); err != nil {
				t.Errorf("declared ranges: %v", err)
			}
			f := openWorkbook(t, path)
			sheets := py.ReadOnly(path)
			var names []string
			for _, sh := range sheets {
				names = append(names, sh.Name)
				full := rows(t, f, sh.Name)
				if len(sh.Rows) != len(full) {
					t.Errorf("%s: openpyxl read-only sees %d rows (declared %s), excelize %d", sh.Name, len(sh.Rows), sh.Dimension, len(full))
					continue
				}
				for r := range full {
					for col, v := range full[r] {
						if v != "" && (col >= len(sh.Rows[r]) || sh.Rows[r][col] == "") {
							t.Errorf("%s row %d column %d: openpyxl read-only misses %q", sh.Name, r+1, col+1, v)
						}
					}
				}
				if sh.Name == export.SheetResponses && c.dataRows >= 0 && len(sh.Rows) != c.dataRows+1 {
					t.Errorf("Responses: %d rows, want header + %d", len(sh.Rows), c.dataRows)
				}
			}
			if !slices.Equal(names, f.GetSheetList()) {
				t.Errorf("openpyxl sheets %q, excelize %q", names, f.GetSheetList())
			}
		})
	}
}
