package xlsform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"canvass/export/pyreaders"
	"canvass/survey"
	"canvass/survey/xlsform"
)

// writeFiles writes name → content into dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSelectFromFile(t *testing.T) {
	form := workbook(t, sheet{"survey", rows("type | name | label | choice_filter | parameters",
		"select_one_from_file districts.csv | district | District | |",
		"select_multiple_from_file villages.xml | villages | Villages | district = ${district} |",
		"select_one_from_file codes.csv | code | Code | | value=code label=title",
		"select one from file districts.csv | again | Again | |",
	)}, sheet{"settings", rows("form_id | form_title", "fromfile | From files")})
	files := map[string]string{
		"districts.csv": "\ufeffname,label,label::Cymraeg (cy)\nnorth,North,Gogledd\nsouth side,South side,De\n",
		"villages.xml":  `<root><item><name>ash</name><label>Ash</label><district>north</district></item><item><name>oak</name><label>Oak</label><district>south side</district></item></root>`,
		"codes.csv":     "code,title\nA1,First\nB2,Second\n",
	}

	t.Run("beside the form", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "fromfile.xlsx")
		writeFiles(t, dir, map[string]string{"fromfile.xlsx": string(form)})
		writeFiles(t, dir, files)
		s, rep, err := xlsform.ImportFile(path)
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		d := question(t, s, "district")
		l, ok := s.List(d.List)
		if d.Type != survey.TypeSelectOne || !ok || len(l.Choices) != 2 || l.Choices[1].Name != "south side" || l.Choices[1].Label["cy"] != "De" {
			t.Errorf("district: %+v, list %s", d, toJSON(l))
		}
		if question(t, s, "again").List != d.List || len(s.Lists) != 3 {
			t.Errorf("a file read twice gives two lists: %s", toJSON(s.Lists))
		}
		v := question(t, s, "villages")
		vl, _ := s.List(v.List)
		if v.Type != survey.TypeSelectMultiple || len(vl.Choices) != 2 || vl.Choices[0].Filter["district"] != "north" {
			t.Errorf("villages: %+v, list %s", v, toJSON(vl))
		}
		cl, _ := s.List(question(t, s, "code").List)
		if len(cl.Choices) != 2 || cl.Choices[0].Name != "A1" || cl.Choices[0].Label["en"] != "First" {
			t.Errorf("codes with value= and label=: %s", toJSON(cl))
		}
		if len(rep.Warnings()) != 0 {
			t.Errorf("warnings:%s", listProblems(rep.Warnings()))
		}
		// pyxform converts the form (it reads the files at run time).
		if c := pyreaders.New(t).XForms(path)[0]; c.Error != "" {
			t.Errorf("pyxform refuses it: %s", c.Error)
		}
	})

	t.Run("given by path", func(t *testing.T) {
		formDir, fileDir := t.TempDir(), t.TempDir()
		path := filepath.Join(formDir, "fromfile.xlsx")
		writeFiles(t, formDir, map[string]string{"fromfile.xlsx": string(form)})
		writeFiles(t, fileDir, files)
		var given []string
		for name := range files {
			given = append(given, filepath.Join(fileDir, name))
		}
		if _, _, err := xlsform.ImportFile(path, given...); err != nil {
			t.Fatalf("import: %v", err)
		}
	})

	t.Run("missing file named", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "fromfile.xlsx")
		writeFiles(t, dir, map[string]string{"fromfile.xlsx": string(form), "districts.csv": files["districts.csv"], "codes.csv": files["codes.csv"]})
		_, _, err := xlsform.ImportFile(path)
		if err == nil || !strings.Contains(err.Error(), `survey sheet, row 3, column "type" (A3): choice file "villages.xml" is missing: put it in the same folder as the form`) {
			t.Fatalf("import = %v", err)
		}
	})

	t.Run("a map file is dropped, not refused", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "map.xlsx")
		writeFiles(t, dir, map[string]string{"map.xlsx": string(workbook(t,
			sheet{"survey", rows("type | name | label", "select_one_from_file fields.geojson | field | Field", "text | a | A")}))})
		_, rep, err := xlsform.ImportFile(path)
		if err != nil || len(rep.Dropped) != 1 || rep.Dropped[0].Name != "field" {
			t.Fatalf("import = %v, dropped %+v", err, rep.Dropped)
		}
	})

	t.Run("bad files", func(t *testing.T) {
		for name, c := range map[string]struct{ content, want string }{
			"no name column":   {"code,label\nx,X\n", `has no "name" column`},
			"space in a multi": {"name,label\nnorth,N\n", ""},
			"not XML":          {"<root><item>", "not an XML file"},
			"empty":            {"", "the file is empty"},
		} {
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				f := files
				local := map[string]string{"fromfile.xlsx": string(form), "districts.csv": f["districts.csv"], "villages.xml": f["villages.xml"], "codes.csv": f["codes.csv"]}
				switch name {
				case "no name column", "empty":
					local["districts.csv"] = c.content
				case "not XML":
					local["villages.xml"] = c.content
				case "space in a multi":
					local["villages.xml"] = `<root><item><name>old oak</name><label>Old oak</label><district>north</district></item></root>`
					c.want = `choice file "villages.xml", line 2: choice name "old oak" has a space`
				}
				writeFiles(t, dir, local)
				_, _, err := xlsform.ImportFile(filepath.Join(dir, "fromfile.xlsx"))
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("import = %v, want %q", err, c.want)
				}
			})
		}
	})
}
