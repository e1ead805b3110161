package app_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"canvass/app"
	"canvass/survey/xlsform"
)

// writeForm writes an XLSForm workbook with the given sheets (name, then
// rows of cells) and returns its path.
func writeForm(t *testing.T, dir, name string, sheets map[string][][]string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for _, sh := range []string{"survey", "choices", "settings"} {
		rows, ok := sheets[sh]
		if !ok {
			continue
		}
		if _, err := f.NewSheet(sh); err != nil {
			t.Fatal(err)
		}
		for r, cells := range rows {
			for c, v := range cells {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(sh, ref, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// treeForm is a small valid form; extra cells go at the end of its rows.
func treeForm(id string, surveyRows ...[]string) map[string][][]string {
	rows := [][]string{
		{"type", "name", "label"},
		{"select_one yesno", "trees", "More trees?"},
		{"text", "why", "Why?"},
	}
	rows = append(rows, surveyRows...)
	return map[string][][]string{
		"survey":   rows,
		"choices":  {{"list_name", "name", "label"}, {"yesno", "yes", "Yes"}, {"yesno", "no", "No"}},
		"settings": {{"form_title", "form_id"}, {"Tree planting", id}},
	}
}

func TestReadFormFile(t *testing.T) {
	r := newExportRig(t)
	dir := t.TempDir()

	t.Run("a clean new form is saved at once", func(t *testing.T) {
		path := writeForm(t, dir, "trees.xlsx", treeForm("trees"))
		o, err := app.ReadFormFile(r.ctx, r.st, path)
		if err != nil {
			t.Fatal(err)
		}
		if o.Refused() || len(o.Warnings) != 0 || o.Existing != nil || o.Survey.ID != "trees" {
			t.Fatalf("outcome %+v", o)
		}
		var done []string
		rv := app.ShowImportOutcome(r.ctx, r.win, r.st, o, func(id string) { done = append(done, id) })
		if rv.Import != nil || rv.Err != nil || rv.Saved == nil || !slices.Equal(done, []string{"trees"}) {
			t.Fatalf("review %+v, onDone got %q", rv, done)
		}
		if def, err := r.st.Survey(r.ctx, "trees", 0); err != nil || def.Title.In("en", "") != "Tree planting" || len(def.Questions) != 2 {
			t.Errorf("stored survey %+v, %v", def, err)
		}
	})

	t.Run("a refused form lists its problems by place", func(t *testing.T) {
		path := writeForm(t, dir, "bad.xlsx", treeForm("bad",
			[]string{"textarea", "notes", "Notes"},
			[]string{"integer", "age", "Age", "", ""},
		))
		// A relevant that refers to no question.
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f.SetCellStr("survey", "D1", "relevant")
		f.SetCellStr("survey", "D3", "${nowhere} = 'yes'")
		if err := f.Save(); err != nil {
			t.Fatal(err)
		}
		f.Close()

		o, err := app.ReadFormFile(r.ctx, r.st, path)
		if err != nil {
			t.Fatal(err)
		}
		if !o.Refused() || len(o.Problems) < 2 {
			t.Fatalf("outcome: refused %v, problems %v", o.Refused(), o.Problems)
		}
		called := false
		rv := app.ShowImportOutcome(r.ctx, r.win, r.st, o, func(string) { called = true })
		if rv.Import != nil || rv.Close == nil || called {
			t.Errorf("a refused form offers Import (%v) or was imported (%v)", rv.Import != nil, called)
		}
		wantPlaces := []string{`survey sheet, row 4, column "type" (A4): `, `survey sheet, row 3, column "relevant" (D3): `}
		for _, w := range wantPlaces {
			if !slices.ContainsFunc(rv.Lines, func(l string) bool { return strings.HasPrefix(l, w) }) {
				t.Errorf("no line starting %q in\n%s", w, strings.Join(rv.Lines, "\n"))
			}
		}
		test.Tap(rv.Copy)
		if got := fyne.CurrentApp().Clipboard().Content(); got != strings.Join(rv.Lines, "\n") {
			t.Errorf("clipboard = %q", got)
		}
		if _, err := r.st.Survey(r.ctx, "bad", 0); err == nil {
			t.Error("the refused form was saved")
		}
	})

	t.Run("a file that is not a workbook is refused", func(t *testing.T) {
		path := filepath.Join(dir, "notes.xlsx")
		if err := os.WriteFile(path, []byte("just some text"), 0o644); err != nil {
			t.Fatal(err)
		}
		o, err := app.ReadFormFile(r.ctx, r.st, path)
		if err != nil {
			t.Fatal(err)
		}
		if !o.Refused() || len(o.Problems) == 0 || !strings.Contains(o.Problems[0].String(), "not an Excel workbook") {
			t.Errorf("outcome: refused %v, problems %v", o.Refused(), o.Problems)
		}
	})

	t.Run("a file that is not there is an error", func(t *testing.T) {
		if _, err := app.ReadFormFile(r.ctx, r.st, filepath.Join(dir, "missing.xlsx")); err == nil || !strings.Contains(err.Error(), "missing.xlsx") {
			t.Errorf("ReadFormFile(missing) = %v", err)
		}
	})

	t.Run("warnings ask first", func(t *testing.T) {
		form := treeForm("warned")
		form["survey"][0] = append(form["survey"][0], "media::image")
		form["survey"][1] = append(form["survey"][1], "tree.png")
		path := writeForm(t, dir, "warned.xlsx", form)
		o, err := app.ReadFormFile(r.ctx, r.st, path)
		if err != nil {
			t.Fatal(err)
		}
		if o.Refused() || len(o.Warnings) == 0 {
			t.Fatalf("outcome: refused %v, warnings %v", o.Refused(), o.Warnings)
		}
		for _, cancel := range []bool{true, false} {
			var done []string
			rv := app.ShowImportOutcome(r.ctx, r.win, r.st, o, func(id string) { done = append(done, id) })
			if rv.Import == nil || rv.Saved != nil || len(done) != 0 {
				t.Fatalf("the form was imported without asking: %+v", rv)
			}
			if !slices.ContainsFunc(rv.Lines, func(l string) bool { return strings.HasPrefix(l, `survey sheet, row 2, column "media::image" (D2): `) }) {
				t.Errorf("warning lines:\n%s", strings.Join(rv.Lines, "\n"))
			}
			if cancel {
				test.Tap(rv.Close)
				if _, err := r.st.Survey(r.ctx, "warned", 0); err == nil || len(done) != 0 {
					t.Fatal("Cancel imported the form")
				}
				continue
			}
			test.Tap(rv.Import)
			if rv.Err != nil || rv.Saved == nil || !slices.Equal(done, []string{"warned"}) {
				t.Fatalf("Import: saved %v, error %v, onDone %q", rv.Saved, rv.Err, done)
			}
		}
	})

	t.Run("dropped questions are counted before saving", func(t *testing.T) {
		path := writeForm(t, dir, "mapped.xlsx", treeForm("mapped", []string{"geopoint", "where", "Where?"}))
		o, err := app.ReadFormFile(r.ctx, r.st, path)
		if err != nil {
			t.Fatal(err)
		}
		if o.Questions != 3 || o.Imported != 2 || len(o.Dropped) != 1 || o.Dropped[0].Name != "where" {
			t.Fatalf("outcome counts %d of %d, dropped %+v", o.Imported, o.Questions, o.Dropped)
		}
		rv := app.ShowImportOutcome(r.ctx, r.win, r.st, o, nil)
		if rv.Import == nil || rv.Saved != nil {
			t.Fatal("a form with a dropped question was imported without asking")
		}
		if !strings.Contains(rv.Intro, "Only 2 of its 3 questions can be imported") {
			t.Errorf("intro:\n%s", rv.Intro)
		}
		test.Tap(rv.Close)
	})

	t.Run("a form with an existing id asks first", func(t *testing.T) {
		form := treeForm("allotments")
		path := writeForm(t, dir, "allotments.xlsx", form)
		o, err := app.ReadFormFile(r.ctx, r.st, path)
		if err != nil {
			t.Fatal(err)
		}
		if o.Existing == nil || o.Existing.Title.In("en", "") != "Allotments" {
			t.Fatalf("existing = %+v", o.Existing)
		}
		rv := app.ShowImportOutcome(r.ctx, r.win, r.st, o, nil)
		if rv.Import == nil || rv.Saved != nil {
			t.Fatal("a form replacing a survey was imported without asking")
		}
		test.Tap(rv.Import)
		if rv.Err != nil || rv.Saved == nil || rv.Saved.Version != 2 {
			t.Fatalf("saved %+v, error %v; want version 2 (version 1 has responses)", rv.Saved, rv.Err)
		}
		if old, err := r.st.Survey(r.ctx, "allotments", 1); err != nil || len(old.Questions) != 2 || old.Questions[0].Name != "plot" {
			t.Errorf("version 1 changed: %+v, %v", old, err)
		}
	})
}

func TestExportFormFile(t *testing.T) {
	r := newExportRig(t)
	dir := t.TempDir()
	for _, c := range []struct{ chosen, want string }{
		{"form.xlsx", "form.xlsx"},
		{"form-again", "form-again.xlsx"},
	} {
		t.Run(c.chosen, func(t *testing.T) {
			chosen := filepath.Join(dir, c.chosen)
			if err := os.WriteFile(chosen, nil, 0o644); err != nil { // as the save dialog leaves it
				t.Fatal(err)
			}
			path, err := app.ExportFormFile(r.ctx, r.st, "allotments", chosen)
			if err != nil || path != filepath.Join(dir, c.want) {
				t.Fatalf("ExportFormFile = %q, %v", path, err)
			}
			if _, err := os.Stat(chosen); c.chosen != c.want && !os.IsNotExist(err) {
				t.Errorf("the empty %s the save dialog made is still there", c.chosen)
			}
			def, rep, err := xlsform.ImportFile(path)
			if err != nil {
				t.Fatalf("the exported form does not import: %v", err)
			}
			if def.ID != "allotments" || len(def.Questions) != 2 || !def.Questions[1].Personal || len(rep.Warnings()) != 0 {
				t.Errorf("round trip gave %+v, warnings %v", def, rep.Warnings())
			}
		})
	}
	t.Run("refusals", func(t *testing.T) {
		if _, err := app.ExportFormFile(r.ctx, r.st, "allotments", filepath.Join(dir, "form.csv")); err == nil || !strings.Contains(err.Error(), ".csv") {
			t.Errorf("a .csv name: %v", err)
		}
		if _, err := app.ExportFormFile(r.ctx, r.st, "nope", filepath.Join(dir, "nope.xlsx")); err == nil || !strings.Contains(err.Error(), "nope") {
			t.Errorf("an unknown survey: %v", err)
		}
		if err := app.ShowExportForm(r.ctx, r.win, r.st, "nope"); err == nil {
			t.Error("ShowExportForm accepted an unknown survey")
		}
		if _, err := os.Stat(filepath.Join(dir, "nope.xlsx")); !os.IsNotExist(err) {
			t.Errorf("a failed export left nope.xlsx behind: %v", err)
		}
	})
}
