package xlsform_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canvass/survey"
	"canvass/survey/xlsform"
)

// openExport exports s and opens the result with excelize.
func openExport(t *testing.T, s *survey.Survey) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsform.Export(s, &buf); err != nil {
		t.Fatalf("export: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open the export: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestExportLayout(t *testing.T) {
	f := openExport(t, everything())
	if got, want := f.GetSheetList(), []string{"survey", "choices", "settings", "canvass_scoring"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sheets %v, want %v", got, want)
	}
	header := func(sheet string) []string {
		rows, err := f.GetRows(sheet)
		if err != nil || len(rows) == 0 {
			t.Fatalf("%s sheet: %v", sheet, err)
		}
		return rows[0]
	}
	wantSurvey := []string{
		"type", "name", "label::English (en)", "label::Cymraeg (cy)", "hint::English (en)", "hint::Cymraeg (cy)",
		"required", "required_message::English (en)", "required_message::Cymraeg (cy)", "relevant", "constraint",
		"constraint_message::English (en)", "constraint_message::Cymraeg (cy)", "calculation", "default", "read_only",
		"appearance", "choice_filter", "parameters", "personal", "weight", "repeat_count", "repeat_item::English (en)", "repeat_item::Cymraeg (cy)",
	}
	if got := header("survey"); !reflect.DeepEqual(got, wantSurvey) {
		t.Errorf("survey columns\n got %q\nwant %q", got, wantSurvey)
	}
	if got, want := header("choices"), []string{"list_name", "name", "label::English (en)", "label::Cymraeg (cy)", "score", "area", "size"}; !reflect.DeepEqual(got, want) {
		t.Errorf("choices columns\n got %q\nwant %q", got, want)
	}
	settings, _ := f.GetRows("settings")
	want := map[string]string{
		"form_title": "Everything", "form_id": "everything-1", "version": "3", "default_language": "English (en)",
		"canvass_title::Cymraeg (cy)": "Popeth", "canvass_template": "decision",
	}
	for i, h := range settings[0] {
		if w, ok := want[h]; ok && settings[1][i] != w {
			t.Errorf("settings %s = %q, want %q", h, settings[1][i], w)
		}
		delete(want, h)
	}
	if len(want) > 0 {
		t.Errorf("settings lacks %v", want)
	}

	survey, _ := f.GetRows("survey")
	types := []string{}
	for _, r := range survey[1:] {
		types = append(types, r[0])
	}
	joined := strings.Join(types, ",")
	for _, w := range []string{"begin_group,select_one areas or_other", "select_multiple heard or_other", "end_group,end_group", "rank heard,range", "dateTime"} {
		if !strings.Contains(joined, w) {
			t.Errorf("types %s lack %s", joined, w)
		}
	}
}

// TestExportTextIsNeverAFormula checks that text starting with = + - @
// reaches the sheet as text.
func TestExportTextIsNeverAFormula(t *testing.T) {
	s := &survey.Survey{ID: "f", Version: 1, Title: survey.En("=HYPERLINK(\"http://x\")"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "a", Label: survey.En("=1+1")},
			{Type: survey.TypeText, Name: "b", Label: survey.En("+44 phone"), Hint: survey.En("@mention")},
			{Type: survey.TypeText, Name: "c", Label: survey.En("-minus")},
		}}
	f := openExport(t, s)
	for _, ref := range [][2]string{{"survey", "C2"}, {"survey", "C3"}, {"survey", "D3"}, {"survey", "C4"}, {"settings", "A2"}} {
		formula, err := f.GetCellFormula(ref[0], ref[1])
		if err != nil || formula != "" {
			t.Errorf("%s!%s has formula %q (%v)", ref[0], ref[1], formula, err)
		}
		typ, err := f.GetCellType(ref[0], ref[1])
		if err != nil || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) {
			t.Errorf("%s!%s has type %v, want text", ref[0], ref[1], typ)
		}
	}
	roundTrip(t, s)
}

func TestExportNumbersAreNumbers(t *testing.T) {
	f := openExport(t, everything())
	rows, _ := f.GetRows("choices")
	for i, r := range rows {
		if len(r) > 4 && r[4] == "0.1" {
			cell, _ := excelize.CoordinatesToCellName(5, i+1)
			if typ, _ := f.GetCellType("choices", cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("score cell %s has type %v, want a number", cell, typ)
			}
			return
		}
	}
	t.Error("no score 0.1 on the choices sheet")
}

func TestExportRefusesWhatXLSFormCannotHold(t *testing.T) {
	tests := []struct {
		name     string
		s        *survey.Survey
		fragment string
	}{
		{"nil survey", nil, "no survey"},
		{"unknown type", &survey.Survey{ID: "x", Questions: []*survey.Question{{Type: "geopoint", Name: "g"}}}, `type "geopoint"`},
		{"nil question", &survey.Survey{ID: "x", Questions: []*survey.Question{nil}}, "question 1 is empty"},
		{"children under a question", &survey.Survey{ID: "x", Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "t", Questions: []*survey.Question{{Type: survey.TypeText, Name: "u"}}}}}, "only a group can"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := xlsform.Export(tt.s, &buf)
			if err == nil || !strings.Contains(err.Error(), tt.fragment) {
				t.Errorf("error %v, want one mentioning %q", err, tt.fragment)
			}
		})
	}
}

func TestExportFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "form.xlsx")
	s := everything()
	// ImportFile leaves Options.Repeats off: the repeat comes back dropped.
	s.Questions = slices.DeleteFunc(s.Questions, func(q *survey.Question) bool { return q.Repeat != nil })
	if err := xlsform.ExportFile(s, path); err != nil {
		t.Fatal(err)
	}
	got, _, err := xlsform.ImportFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := firstDifference(s, got); d != "" {
		t.Errorf("file round trip differs at %s", d)
	}
	before, _ := os.ReadFile(path)

	bad := &survey.Survey{ID: "bad", Questions: []*survey.Question{{Type: "geoshape", Name: "g"}}}
	if err := xlsform.ExportFile(bad, path); err == nil {
		t.Fatal("exporting a survey with an unknown type succeeded")
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a failed export changed the existing file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the folder holds %v, want only form.xlsx", names)
	}
	if err := xlsform.ExportFile(s, filepath.Join(dir, "missing", "form.xlsx")); err == nil {
		t.Error("export into a missing folder succeeded")
	}
}
