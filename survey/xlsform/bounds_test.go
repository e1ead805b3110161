package xlsform_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"canvass/survey/xlsform"
)

// rewritePart returns the workbook data with one part's content replaced
// by what write produces (or added, when it is not there).
func rewritePart(t testing.TB, data []byte, part string, write func(w io.Writer)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	done := false
	for _, zf := range zr.File {
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == part {
			write(w)
			done = true
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
	}
	if !done {
		t.Fatalf("no part %s", part)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// sharedStringsWorkbook is a small form whose cells use the shared
// strings table (as Excel writes them), so that the table can be swollen.
func sharedStringsWorkbook(t testing.TB) []byte {
	t.Helper()
	return workbook(t, sheet{"survey", rows("type | name | label", "text | a | A")}, sheet{"settings", rows("form_id", "bomb")})
}

// TestSharedStringsBomb: a few hundred KB of zip holding millions of tiny
// shared strings, cells or far-away cells is refused with a clear message
// before it is parsed, at a small cost in memory.
func TestSharedStringsBomb(t *testing.T) {
	base := sharedStringsWorkbook(t)
	cases := []struct {
		name, part, want string
		write            func(w io.Writer)
	}{
		{"two million tiny strings", "xl/sharedStrings.xml", "shared strings table has more than 200000 entries", func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
			io.WriteString(w, `<si><t>type</t></si><si><t>name</t></si><si><t>label</t></si><si><t>text</t></si><si><t>a</t></si><si><t>A</t></si>`)
			entry := []byte(`<si><t>x</t></si>`)
			for range 2_000_000 {
				w.Write(entry)
			}
			io.WriteString(w, `</sst>`)
		}},
		{"huge strings", "xl/sharedStrings.xml", "more than 16 MB of text", func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`)
			chunk := []byte(strings.Repeat("y", 1<<20))
			for range 20 {
				w.Write(chunk)
			}
			io.WriteString(w, `</t></si></sst>`)
		}},
		{"a huge table", "xl/sharedStrings.xml", "shared strings table unpacks to more than 32 MB", func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`)
			chunk := []byte(strings.Repeat("y", 1<<20))
			for range 40 {
				w.Write(chunk)
			}
			io.WriteString(w, `</t></si></sst>`)
		}},
		{"a million cells", "xl/worksheets/sheet1.xml", "more than 1000000 cells with a value", func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
			for r := 1; r <= 10_100; r++ {
				fmt.Fprintf(w, `<row r="%d">`, r)
				for c := 1; c <= 100; c++ {
					fmt.Fprintf(w, `<c r="%s%d"><v>1</v></c>`, colName(c), r)
				}
				io.WriteString(w, `</row>`)
			}
			io.WriteString(w, `</sheetData></worksheet>`)
		}},
		{"too many rows", "xl/worksheets/sheet1.xml", "has more than 20000 rows", func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
			for r := 1; r <= 30_000; r++ {
				fmt.Fprintf(w, `<row r="%d"><c r="A%d"><v>1</v></c></row>`, r, r)
			}
			io.WriteString(w, `</sheetData></worksheet>`)
		}},
		{"a cell far away", "xl/worksheets/sheet1.xml", "has a value in cell XFD1048576, past the 500 columns", func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
			io.WriteString(w, `<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>`)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := rewritePart(t, base, c.part, c.write)
			peak := peakHeap(func() {
				_, _, err := xlsform.Import(bytes.NewReader(data))
				if !errors.Is(err, xlsform.ErrTooLarge) || !strings.Contains(err.Error(), c.want) {
					t.Errorf("import of a %d KB bomb = %v, want a refusal saying %q", len(data)>>10, err, c.want)
				}
			})
			// The refusal streams the parts: the heap stays small whatever
			// they unpack to (without the bounds, the first case took GBs).
			if peak > 96<<20 {
				t.Errorf("refusing a %d KB file took a heap of %d MB", len(data)>>10, peak>>20)
			}
			t.Logf("%d KB file refused with a peak heap of %d MB", len(data)>>10, peak>>20)
		})
	}
}

func colName(c int) string {
	s := ""
	for c > 0 {
		c--
		s = string(rune('A'+c%26)) + s
		c /= 26
	}
	return s
}

// peakHeap runs f and returns the largest heap in use seen meanwhile.
func peakHeap(f func()) uint64 {
	runtime.GC()
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var max uint64
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			max = maxU(max, ms.HeapInuse)
			select {
			case <-done:
				peak <- max
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	return <-peak
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
