package dimension_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canvass/export/dimension"
)

// save writes f through the dimension writer to a file and returns its path.
func save(t *testing.T, f *excelize.File, streams *dimension.Streams) string {
	t.Helper()
	f.ZipWriter = func(w io.Writer) excelize.ZipWriter { return dimension.NewWriter(zip.NewWriter(w), streams) }
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWriterDeclaresTrueRanges(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellStr("Sheet1", "B2", "x"))
	must(f.SetCellStr("Sheet1", "D7", "y"))
	_, err := f.NewSheet("Empty")
	must(err)
	_, err = f.NewSheet("Styled")
	must(err)
	style, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	must(err)
	must(f.SetCellStyle("Styled", "A1", "C3", style)) // styled empty cells count as used
	_, err = f.NewSheet("Stream")
	must(err)
	streams := &dimension.Streams{}
	ph, err := streams.Reserve(f, "Stream")
	must(err)
	sw, err := f.NewStreamWriter("Stream")
	must(err)
	for r := 1; r <= 500; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		must(sw.SetRow(cell, []any{"a", r, "c <dimension ref=\"A1\"/>"}))
	}
	must(sw.Flush())
	must(streams.Settle(ph, 3, 500))
	path := save(t, f, streams)

	if err := dimension.Check(path); err != nil {
		t.Fatalf("check: %v", err)
	}
	g, err := excelize.OpenFile(path)
	must(err)
	defer g.Close()
	for sheet, want := range map[string]string{"Sheet1": "B2:D7", "Empty": "A1", "Styled": "A1:C3", "Stream": "A1:C500"} {
		got, err := g.GetSheetDimension(sheet)
		must(err)
		if got != want {
			t.Errorf("%s declares %s, want %s", sheet, got, want)
		}
	}
	rows, err := g.GetRows("Stream")
	must(err)
	if len(rows) != 500 || rows[499][2] != `c <dimension ref="A1"/>` {
		t.Errorf("streamed rows changed: %d rows, last %q", len(rows), rows[len(rows)-1])
	}
}

func TestWriterRefusesUnsettledStream(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	streams := &dimension.Streams{}
	if _, err := streams.Reserve(f, "Sheet1"); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	f.ZipWriter = func(w io.Writer) excelize.ZipWriter { return dimension.NewWriter(zip.NewWriter(w), streams) }
	if err := f.Write(io.Discard); err == nil || !strings.Contains(err.Error(), "never settled") {
		t.Fatalf("write = %v, want a refusal of the unsettled range", err)
	}
}

// TestCheckFindsWrongRanges: excelize's own output declares A1 on a
// sheet with more cells, and Check names it.
func TestCheckFindsWrongRanges(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellStr("Sheet1", "C4", "x"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plain.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	err := dimension.Check(path)
	if err == nil || !strings.Contains(err.Error(), "declares A1 but its cells cover C4") {
		t.Fatalf("check = %v", err)
	}
}
