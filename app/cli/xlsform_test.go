package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canvass/survey"
	"canvass/survey/xlsform"
)

// writeWorkbook writes a workbook with the given sheets (rows of cells) to
// a temporary file.
func writeWorkbook(t *testing.T, sheets map[string][][]string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for name, rows := range sheets {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, cells := range rows {
			for c, v := range cells {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "form.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportForm(t *testing.T) {
	db := filepath.Join(t.TempDir(), "canvass.db")
	form := writeWorkbook(t, map[string][][]string{
		"survey": {
			{"type", "name", "label", "relevant"},
			{"select_one yn", "member", "Are you a member?", ""},
			{"text", "why", "Why not?", "${member} = 'no'"},
			{"geopoint", "where", "Where are you?", ""},
			{"note", "bye", "Thank you", ""},
		},
		"choices":  {{"list_name", "name", "label"}, {"yn", "yes", "Yes"}, {"yn", "no", "No"}},
		"settings": {{"form_title", "form_id"}, {"Membership", "membership"}},
	})

	code, out, errOut := runCLI(t, "", "import-form", form, "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "imported membership version 1: Membership (2 questions)" {
		t.Errorf("first line %q", lines[0])
	}
	if len(lines) != 2 || lines[1] != "imported 2 of 3 questions; dropped: where (row 4: location questions (geopoint) are not supported)" {
		t.Errorf("want the count of questions imported and the one dropped, got:\n%s", out)
	}
	// Before anything is saved, the warnings and the count go to stderr.
	warnings := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(warnings) != 2 || !strings.Contains(warnings[0], `warning: survey sheet, row 4, column "type" (A4)`) || !strings.Contains(warnings[0], "geopoint") ||
		!strings.HasPrefix(warnings[1], "imported 2 of 3 questions; dropped: where") {
		t.Errorf("want one warning about the geopoint and the count on stderr, got:\n%s", errOut)
	}

	// The same form again, flags first: unchanged content keeps version 1.
	code, out, errOut = runCLI(t, "", "import-form", "--db", db, form)
	if code != 0 || !strings.HasPrefix(out, "imported membership version 1:") {
		t.Errorf("second import: exit %d, out %q, err %q", code, out, errOut)
	}

	code, out, _ = runCLI(t, "", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "membership") {
		t.Errorf("list after import: exit %d\n%s", code, out)
	}
}

func TestImportFormRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "canvass.db")
	broken := writeWorkbook(t, map[string][][]string{
		"survey": {
			{"type", "name", "label", "relevant"},
			{"begin_group", "g", "Group", ""},
			{"text", "a", "A", "${missing} = 1"},
			{"text", "a", "A again", ""},
		},
		"settings": {{"form_id"}, {"broken"}},
	})
	notXLSX := filepath.Join(t.TempDir(), "form.xlsx")
	if err := os.WriteFile(notXLSX, []byte("type,name\ntext,a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		wants []string
	}{
		{"problems listed", []string{broken, "--db", db}, []string{
			"cannot import the form: 3 problems",
			`survey sheet, row 2, column "type" (A2): begin_group "g" is never closed`,
			`row 3, column "relevant" (D3): relevant refers to ${missing}`,
			`row 4, column "name" (B4): name "a" is used twice`,
		}},
		{"not a workbook", []string{notXLSX, "--db", db}, []string{"not an Excel workbook"}},
		{"missing file", []string{filepath.Join(t.TempDir(), "nope.xlsx"), "--db", db}, []string{"nope.xlsx"}},
		{"no file given", []string{"--db", db}, []string{"give the FILE.xlsx to read"}},
		{"two files", []string{broken, notXLSX, "--db", db}, []string{"unexpected argument"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"import-form"}, tt.args...)...)
			if code != 2 {
				t.Errorf("exit %d, want 2; out %q", code, out)
			}
			for _, w := range tt.wants {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

func TestExportForm(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "canvass.db")
	out := filepath.Join(dir, "engagement.xlsx")
	code, stdout, errOut := runCLI(t, "", "export-form", "--survey", "engagement", "--out", out, "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if stdout != "exported engagement version 1 to "+out+"\n" {
		t.Errorf("stdout %q", stdout)
	}
	def, rep, err := xlsform.ImportFile(out)
	if err != nil {
		t.Fatalf("import the export: %v", err)
	}
	if len(rep.Problems) > 0 || def.ID != "engagement" || def.Template != "engagement" {
		t.Errorf("imported %q (template %q) with problems %v", def.ID, def.Template, rep.Problems)
	}

	// Edit the workbook's title and import it back: same id, so the survey
	// is updated; version 1 is the built-in template's, which every laptop
	// keeps as it is, so the edit becomes version 2.
	def.Title = survey.En("Edited title")
	if err := xlsform.ExportFile(def, out); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut = runCLI(t, "", "import-form", out, "--db", db)
	if code != 0 || !strings.HasPrefix(stdout, "imported engagement version 2: Edited title (") {
		t.Errorf("re-import: exit %d, out %q, err %q", code, stdout, errOut)
	}

	bad := []struct {
		name string
		args []string
		want string
	}{
		{"unknown survey", []string{"--survey", "nope", "--out", out}, `unknown survey "nope"`},
		{"unknown version", []string{"--survey", "engagement", "--version", "9", "--out", out}, "has no version 9"},
		{"not xlsx", []string{"--survey", "engagement", "--out", filepath.Join(dir, "f.csv")}, "must end in .xlsx"},
		{"missing folder", []string{"--survey", "engagement", "--out", filepath.Join(dir, "no", "f.xlsx")}, "does not exist"},
		{"no survey", []string{"--out", out}, "--survey is required"},
		{"no out", []string{"--survey", "engagement"}, "--out is required"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", append(append([]string{"export-form"}, tt.args...), "--db", db)...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

// TestImportFormChoiceFiles: the choice file of a select_one_from_file is
// read from beside the form, or from a path given after it; a missing one
// is named.
func TestImportFormChoiceFiles(t *testing.T) {
	db := filepath.Join(t.TempDir(), "canvass.db")
	form := writeWorkbook(t, map[string][][]string{
		"survey":   {{"type", "name", "label"}, {"select_one_from_file wards.csv", "ward", "Ward"}},
		"settings": {{"form_title", "form_id"}, {"Wards", "wards"}},
	})
	code, _, errOut := runCLI(t, "", "import-form", form, "--db", db)
	if code != 2 || !strings.Contains(errOut, `choice file "wards.csv" is missing`) {
		t.Fatalf("without the file: exit %d, %s", code, errOut)
	}
	csvPath := filepath.Join(t.TempDir(), "wards.csv")
	if err := os.WriteFile(csvPath, []byte("name,label\nw1,Ward one\nw2,Ward two\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "import-form", form, csvPath, "--db", db)
	if code != 0 || !strings.HasPrefix(out, "imported wards version 1: Wards (1 questions)") {
		t.Fatalf("with the file given: exit %d, out %q, err %q", code, out, errOut)
	}
}
