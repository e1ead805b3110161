package xlsform_test

import (
	"encoding/xml"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"canvass/assets"
	"canvass/export/dimension"
	"canvass/export/pyreaders"
	"canvass/survey"
	"canvass/survey/xlsform"
)

// xformPaths lists the node paths an XForm binds or shows (bind nodesets
// and body refs), without the root element: "group/question".
func xformPaths(t *testing.T, xform string) []string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(xform))
	seen := map[string]bool{}
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		for _, a := range se.Attr {
			if (a.Name.Local == "nodeset" && se.Name.Local == "bind") || (a.Name.Local == "ref" && se.Name.Space != "" && strings.HasPrefix(a.Value, "/")) {
				parts := strings.SplitN(strings.TrimPrefix(a.Value, "/"), "/", 2)
				if len(parts) == 2 {
					seen[parts[1]] = true
				}
			}
		}
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// questionPaths lists the paths of a survey's questions and groups.
func questionPaths(qs []*survey.Question, prefix string) []string {
	var out []string
	for _, q := range qs {
		p := prefix + q.Name
		out = append(out, p)
		if q.OrOther {
			out = append(out, prefix+q.OtherName())
		}
		out = append(out, questionPaths(q.Questions, p+"/")...)
	}
	return out
}

// missingPaths returns the survey's question paths the XForm lacks.
func missingPaths(t *testing.T, s *survey.Survey, xform string) []string {
	t.Helper()
	have := xformPaths(t, xform)
	var missing []string
	for _, p := range questionPaths(s.Questions, "") {
		if !slices.Contains(have, p) {
			missing = append(missing, p)
		}
	}
	return missing
}

// TestExportFormPyxform writes the built-in templates with export-form,
// checks every sheet declares its true range, converts them with pyxform
// and finds every question in the XForm; the import of each export is the
// same survey, and pyxform's conversion of a re-export of it has the same
// questions.
func TestExportFormPyxform(t *testing.T) {
	defs, err := assets.Templates()
	if err != nil {
		t.Fatal(err)
	}
	py := pyreaders.New(t)
	dir := t.TempDir()
	var paths []string
	for _, s := range defs {
		path := filepath.Join(dir, s.ID+".xlsx")
		if err := xlsform.ExportFile(s, path); err != nil {
			t.Fatalf("%s: export: %v", s.ID, err)
		}
		if err := dimension.Check(path); err != nil {
			t.Errorf("%s: declared ranges: %v", s.ID, err)
		}
		back, rep, err := xlsform.ImportFile(path)
		if err != nil {
			t.Fatalf("%s: import of the export: %v", s.ID, err)
		}
		if len(rep.Problems) > 0 {
			t.Errorf("%s: import of the export reported:%s", s.ID, listProblems(rep.Problems))
		}
		if d := firstDifference(s, back); d != "" {
			t.Errorf("%s: import of the export differs at %s", s.ID, d)
		}
		again := filepath.Join(dir, s.ID+"-again.xlsx")
		if err := xlsform.ExportFile(back, again); err != nil {
			t.Fatalf("%s: re-export: %v", s.ID, err)
		}
		paths = append(paths, path, again)
	}
	convs := py.XForms(paths...)
	for i, c := range convs {
		s := defs[i/2]
		t.Run(filepath.Base(paths[i]), func(t *testing.T) {
			if c.Error != "" {
				t.Fatalf("pyxform refuses it: %s", c.Error)
			}
			if m := missingPaths(t, s, c.XForm); len(m) > 0 {
				t.Errorf("pyxform's XForm lacks %d of the questions: %q", len(m), m)
			}
			if len(c.Warnings) > 0 {
				t.Logf("pyxform warnings: %q", c.Warnings)
			}
		})
	}
	for i := 0; i+1 < len(convs); i += 2 {
		if a, b := xformPaths(t, convs[i].XForm), xformPaths(t, convs[i+1].XForm); !slices.Equal(a, b) {
			t.Errorf("%s: the XForm of the re-export has other questions:\n%q\n%q", defs[i/2].ID, a, b)
		}
	}
}
