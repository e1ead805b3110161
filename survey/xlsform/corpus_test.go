package xlsform_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"canvass/export/pyreaders"
	"canvass/survey/xlsform"
)

// TestCorpus imports every .xlsx and .xls form of the folder named by
// $CANVASS_XLSFORM_CORPUS (a collection of real forms, not part of the
// repository) that pyxform accepts, and reports how many Canvass imports.
// Nothing may be dropped silently: a question in pyxform's XForm that is
// not in the imported survey must be listed in the report's Dropped.
// Without the variable there is no collection to read, and the test says so.
func TestCorpus(t *testing.T) {
	dir := os.Getenv("CANVASS_XLSFORM_CORPUS")
	if dir == "" {
		t.Skip("set CANVASS_XLSFORM_CORPUS to a folder of real XLSForms to measure the acceptance rate")
	}
	var paths []string
	for _, ext := range []string{"*.xlsx", "*.xls"} {
		m, err := filepath.Glob(filepath.Join(dir, ext))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) == 0 {
		t.Fatalf("no .xlsx or .xls form in %s", dir)
	}
	slices.Sort(paths)
	convs := pyreaders.New(t).XForms(paths...)
	accepted, imported := 0, 0
	for i, c := range convs {
		name := filepath.Base(paths[i])
		if c.Error != "" {
			t.Logf("%s: pyxform refuses it too: %s", name, firstLine(c.Error))
			continue
		}
		accepted++
		s, rep, err := xlsform.ImportFile(paths[i])
		if err != nil {
			t.Logf("%s: REFUSED: %s", name, firstLine(err.Error()))
			continue
		}
		imported++
		have := map[string]bool{}
		for _, p := range questionPaths(s.Questions, "") {
			have[p[strings.LastIndex(p, "/")+1:]] = true
		}
		dropped := map[string]bool{}
		for _, d := range rep.Dropped {
			dropped[d.Name] = true
		}
		for _, p := range xformPaths(t, c.XForm) {
			last := p[strings.LastIndex(p, "/")+1:]
			if strings.HasPrefix(p, "meta/") || p == "meta" || have[last] || strings.HasSuffix(last, "_other") ||
				slices.ContainsFunc(strings.Split(p, "/"), func(seg string) bool { return dropped[seg] }) {
				continue
			}
			if renamed(rep, last) {
				continue
			}
			t.Errorf("%s: %s is in pyxform's XForm but neither imported nor reported dropped", name, p)
		}
		t.Logf("%s: %s", name, rep.Summary())
	}
	rate := float64(imported) / float64(max(accepted, 1))
	t.Logf("imported %d of the %d forms pyxform accepts (%.0f%%); %d files in all", imported, accepted, 100*rate, len(paths))
	if rate < 0.9 {
		t.Errorf("acceptance %.0f%% is under 90%%", 100*rate)
	}
}

// renamed reports whether the import renamed a question called name.
func renamed(rep *xlsform.Report, name string) bool {
	_, ok := findProblem(rep.Warnings(), `name "`+name+`" is also used`)
	return ok
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
