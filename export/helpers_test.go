package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canvass/export"
)

// exportFile exports src with opts to a new file in a temporary folder and
// returns its path.
func exportFile(t *testing.T, src export.Source, opts export.Options, name string) (string, export.Result) {
	t.Helper()
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	path := filepath.Join(t.TempDir(), name)
	res, err := export.ToFile(context.Background(), src, opts, path)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return path, res
}

// openWorkbook opens an exported workbook and closes it when the test ends.
func openWorkbook(t *testing.T, path string, opts ...excelize.Options) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path, opts...)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rows returns a sheet's formatted values.
func rows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("rows of %s: %v", sheet, err)
	}
	return rs
}

// rowMap maps the header row to a data row.
func rowMap(header, row []string) map[string]string {
	m := make(map[string]string, len(header))
	for i, h := range header {
		if i < len(row) {
			m[h] = row[i]
		} else {
			m[h] = ""
		}
	}
	return m
}

// zipParts reads every part of an (unencrypted) xlsx file.
func zipParts(t *testing.T, path string) map[string][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("%s is not a zip: %v", path, err)
	}
	parts := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read part %s: %v", zf.Name, err)
		}
		parts[zf.Name] = data
	}
	return parts
}

// rawCell is a <c> element of sheet XML.
type rawCell struct {
	Ref     string `xml:"r,attr"`
	Type    string `xml:"t,attr"`
	Style   int    `xml:"s,attr"`
	Formula *struct {
		Text string `xml:",chardata"`
	} `xml:"f"`
	Value  string `xml:"v"`
	Inline string `xml:"is>t"`
}

// rawCells parses a worksheet part into its cells by reference.
func rawCells(t *testing.T, sheetXML []byte) map[string]rawCell {
	t.Helper()
	var ws struct {
		Rows []struct {
			Cells []rawCell `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal(sheetXML, &ws); err != nil {
		t.Fatalf("parse sheet XML: %v", err)
	}
	cells := map[string]rawCell{}
	for _, r := range ws.Rows {
		for _, c := range r.Cells {
			cells[c.Ref] = c
		}
	}
	return cells
}

// sheetPart returns the zip part that holds a sheet, from the workbook's relationships.
func sheetPart(t *testing.T, parts map[string][]byte, sheet string) []byte {
	t.Helper()
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(parts["xl/workbook.xml"], &wb); err != nil {
		t.Fatalf("parse workbook.xml: %v", err)
	}
	if err := xml.Unmarshal(parts["xl/_rels/workbook.xml.rels"], &rels); err != nil {
		t.Fatalf("parse workbook.xml.rels: %v", err)
	}
	for _, sh := range wb.Sheets {
		if sh.Name != sheet {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == sh.RID {
				name := "xl/" + strings.TrimPrefix(strings.TrimPrefix(r.Target, "/xl/"), "/")
				if b, ok := parts[name]; ok {
					return b
				}
				t.Fatalf("sheet %s: no part %s", sheet, name)
			}
		}
	}
	t.Fatalf("no sheet %s in the workbook", sheet)
	return nil
}

// cellName is a cell reference for column col (1-based) and row.
func cellName(t *testing.T, col, row int) string {
	t.Helper()
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// column returns the 1-based column of a header, failing the test if absent.
func column(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i + 1
		}
	}
	t.Fatalf("no column %q in %q", name, header)
	return 0
}

// tempFiles lists what is in dir besides the named files.
func otherFiles(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		found := false
		for _, k := range keep {
			if e.Name() == k {
				found = true
			}
		}
		if !found {
			out = append(out, e.Name())
		}
	}
	return out
}
