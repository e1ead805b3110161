package xlsform_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canvass/export/dimension"
	"canvass/survey"
	"canvass/survey/xlsform"
)

// sheet is one sheet of a test workbook: its name and rows of cells.
type sheet struct {
	name string
	rows [][]string
}

// workbook builds an .xlsx file from sheets, every cell written as text.
func workbook(t testing.TB, sheets ...sheet) []byte {
	t.Helper()
	b, err := buildWorkbook(sheets)
	if err != nil {
		t.Fatalf("build workbook: %v", err)
	}
	return b
}

func buildWorkbook(sheets []sheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return nil, err
		}
		for r, cells := range sh.rows {
			for c, v := range cells {
				if v == "" {
					continue
				}
				cell, err := excelize.CoordinatesToCellName(c+1, r+1)
				if err != nil {
					return nil, err
				}
				if err := f.SetCellStr(sh.name, cell, v); err != nil {
					return nil, err
				}
			}
		}
	}
	// Declared ranges as Excel writes them, so that pyxform reads it all.
	f.ZipWriter = func(w io.Writer) excelize.ZipWriter { return dimension.NewWriter(zip.NewWriter(w), nil) }
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// rows splits "a | b | c" lines into cells (cells are trimmed).
func rows(lines ...string) [][]string {
	out := make([][]string, len(lines))
	for i, l := range lines {
		for _, c := range strings.Split(l, "|") {
			out[i] = append(out[i], strings.TrimSpace(c))
		}
	}
	return out
}

// mustImport imports data and fails the test on error.
func mustImport(t *testing.T, data []byte) (*survey.Survey, *xlsform.Report) {
	t.Helper()
	s, rep, err := xlsform.Import(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if rep == nil {
		t.Fatal("import returned a nil report")
	}
	return s, rep
}

// mustFail imports data, expecting an *ImportError.
func mustFail(t *testing.T, data []byte) (*xlsform.ImportError, *xlsform.Report) {
	t.Helper()
	s, rep, err := xlsform.Import(bytes.NewReader(data))
	if err == nil {
		t.Fatalf("import succeeded, want an error; survey %s", toJSON(s))
	}
	ie, ok := err.(*xlsform.ImportError)
	if !ok {
		t.Fatalf("error is %T, want *xlsform.ImportError: %v", err, err)
	}
	if s != nil {
		t.Errorf("a failed import returned a survey")
	}
	if rep == nil {
		t.Fatal("import returned a nil report")
	}
	return ie, rep
}

// findProblem returns the first problem whose message contains fragment.
func findProblem(ps []xlsform.Problem, fragment string) (xlsform.Problem, bool) {
	for _, p := range ps {
		if strings.Contains(p.Message, fragment) {
			return p, true
		}
	}
	return xlsform.Problem{}, false
}

// listProblems renders problems one per line, for failure messages.
func listProblems(ps []xlsform.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "\n  [%s] %s", p.Severity, p)
	}
	return b.String()
}

func toJSON(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// firstDifference describes the first difference between a and b (the
// field path and both values), or returns "" when they are deeply equal.
func firstDifference(a, b any) string {
	return deepDiff("", reflect.ValueOf(a), reflect.ValueOf(b))
}

func deepDiff(path string, a, b reflect.Value) string {
	if a.IsValid() != b.IsValid() || a.IsValid() && a.Type() != b.Type() {
		return fmt.Sprintf("%s: %v vs %v", path, a, b)
	}
	if !a.IsValid() {
		return ""
	}
	switch a.Kind() {
	case reflect.Ptr, reflect.Interface:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil %v vs nil %v", path, a.IsNil(), b.IsNil())
		}
		if a.IsNil() {
			return ""
		}
		return deepDiff(path, a.Elem(), b.Elem())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !a.Type().Field(i).IsExported() {
				continue
			}
			if d := deepDiff(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil %v (len %d) vs nil %v (len %d)", path, a.IsNil(), a.Len(), b.IsNil(), b.Len())
		}
		for i := 0; i < a.Len() && i < b.Len(); i++ {
			if d := deepDiff(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i)); d != "" {
				return d
			}
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: length %d vs %d", path, a.Len(), b.Len())
		}
		return ""
	case reflect.Map:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil %v (len %d) vs nil %v (len %d)", path, a.IsNil(), a.Len(), b.IsNil(), b.Len())
		}
		keys := a.MapKeys()
		for _, k := range b.MapKeys() {
			if !a.MapIndex(k).IsValid() {
				keys = append(keys, k)
			}
		}
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			if d := deepDiff(fmt.Sprintf("%s[%v]", path, k), a.MapIndex(k), b.MapIndex(k)); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a.Interface(), b.Interface()) {
		return fmt.Sprintf("%s: %#v vs %#v", path, a.Interface(), b.Interface())
	}
	return ""
}

func newZip(w io.Writer) *zip.Writer { return zip.NewWriter(w) }
