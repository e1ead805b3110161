// Package dimension makes every worksheet Canvass writes declare its true
// used range in <dimension ref="…"/>.
//
// Readers that trust the declaration (pyxform, openpyxl in read-only mode)
// stop at the declared range, and excelize declares "A1" on every sheet it
// writes. Writer wraps the zip writer excelize saves through and puts the
// range of the cells actually present into each worksheet part:
//   - a sheet held in memory is small: its part is read whole, its cells'
//     bounding box computed and the declaration replaced;
//   - a streamed sheet may be huge, and the stream writer emits the
//     declaration before any row: Streams.Reserve gives it a placeholder
//     range before streaming starts, Streams.Settle tells the true range when
//     the last row is written, and the placeholder is swapped on the way out.
//
// Check reads a finished workbook and reports any sheet whose declaration
// differs from its cells.
package dimension

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"

	"github.com/xuri/excelize/v2"
)

// Streams holds the placeholders of streamed sheets and their true ranges.
// The zero value is ready to use.
type Streams struct {
	mu   sync.Mutex
	refs map[string]string // placeholder → true range ("" until settled)
}

// Reserve declares a placeholder range on sheet, to be called before
// excelize's NewStreamWriter for it, and returns the placeholder to settle.
func (s *Streams) Reserve(f *excelize.File, sheet string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refs == nil {
		s.refs = map[string]string{}
	}
	// A range no sheet of ours reaches: the last column, counted down from
	// the last row, one per streamed sheet.
	ph := fmt.Sprintf("XFD%d:XFD%d", excelize.TotalRows-len(s.refs)-1, excelize.TotalRows)
	if err := f.SetSheetDimension(sheet, ph); err != nil {
		return "", fmt.Errorf("sheet %s: declare its range: %w", sheet, err)
	}
	s.refs[ph] = ""
	return ph, nil
}

// Settle records the true used range of the streamed sheet that got
// placeholder: from A1 to the cell at column cols, row rows (both counted
// from 1; zero of either means an empty sheet).
func (s *Streams) Settle(placeholder string, cols, rows int) error {
	ref, err := rangeRef(cols, rows)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.refs[placeholder]; !ok {
		return fmt.Errorf("dimension: unknown placeholder %q", placeholder)
	}
	s.refs[placeholder] = ref
	return nil
}

func (s *Streams) lookup(ref string) (string, bool) {
	if s == nil {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.refs[ref]
	return v, ok
}

// rangeRef is "A1:<last>" for a used area of cols × rows, "A1" when empty.
func rangeRef(cols, rows int) (string, error) {
	if cols <= 0 || rows <= 0 {
		return "A1", nil
	}
	last, err := excelize.CoordinatesToCellName(cols, rows)
	if err != nil {
		return "", fmt.Errorf("dimension: %w", err)
	}
	if last == "A1" {
		return "A1", nil
	}
	return "A1:" + last, nil
}

// Writer is an excelize.ZipWriter that corrects the declared range of every
// worksheet part on its way into the zip.
type Writer struct {
	zw      excelize.ZipWriter
	streams *Streams
	part    *part // the worksheet part being written, nil if none
}

// NewWriter wraps zw; streams (may be nil) knows the streamed sheets.
func NewWriter(zw excelize.ZipWriter, streams *Streams) *Writer {
	return &Writer{zw: zw, streams: streams}
}

// Hook is an excelize File.ZipWriter that writes a zip to w with true
// ranges.
func Hook(streams *Streams, newZip func(io.Writer) excelize.ZipWriter) func(io.Writer) excelize.ZipWriter {
	return func(w io.Writer) excelize.ZipWriter {
		return NewWriter(newZip(w), streams)
	}
}

// IsWorksheet reports whether a zip entry is a worksheet part.
func IsWorksheet(name string) bool {
	return strings.HasPrefix(name, "xl/worksheets/") && !strings.Contains(name[len("xl/worksheets/"):], "/") && strings.HasSuffix(name, ".xml")
}

// Create starts a zip entry; a worksheet's entry is corrected.
func (w *Writer) Create(name string) (io.Writer, error) {
	if err := w.finish(); err != nil {
		return nil, err
	}
	out, err := w.zw.Create(name)
	if err != nil || !IsWorksheet(name) {
		return out, err
	}
	w.part = &part{name: name, out: out, streams: w.streams}
	return w.part, nil
}

// AddFS adds files as they are.
func (w *Writer) AddFS(fsys fs.FS) error {
	if err := w.finish(); err != nil {
		return err
	}
	return w.zw.AddFS(fsys)
}

// Close finishes the last entry and the zip.
func (w *Writer) Close() error {
	if err := w.finish(); err != nil {
		w.zw.Close()
		return err
	}
	return w.zw.Close()
}

func (w *Writer) finish() error {
	if w.part == nil {
		return nil
	}
	p := w.part
	w.part = nil
	return p.finish()
}

// headLimit bounds how far into a worksheet part its <dimension> may be:
// it comes second, after the optional sheet properties.
const headLimit = 64 << 10

// part corrects one worksheet part. Bytes are held until the declaration
// is found; then a streamed sheet's placeholder is swapped and the rest
// passes through, while any other sheet is held whole until finish.
type part struct {
	name     string
	out      io.Writer
	streams  *Streams
	buf      bytes.Buffer
	through  bool // the head is written; the rest passes straight through
	err      error
	declared bool
}

func (p *part) Write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	if p.through {
		return p.out.Write(b)
	}
	p.buf.Write(b)
	if p.declared {
		return len(b), nil // an in-memory sheet, held whole
	}
	start, end, ref, found := findDimension(p.buf.Bytes())
	if !found {
		if p.buf.Len() > headLimit {
			p.err = fmt.Errorf("%s: no <dimension> in its first %d bytes", p.name, headLimit)
			return 0, p.err
		}
		return len(b), nil
	}
	p.declared = true
	real, streamed := p.streams.lookup(ref)
	if !streamed {
		return len(b), nil
	}
	if real == "" {
		p.err = fmt.Errorf("%s: streamed sheet's range was never settled", p.name)
		return 0, p.err
	}
	head := p.buf.Bytes()
	if err := writeAll(p.out, head[:start], []byte(real), head[end:]); err != nil {
		p.err = err
		return 0, err
	}
	p.buf = bytes.Buffer{}
	p.through = true
	return len(b), nil
}

func (p *part) finish() error {
	if p.err != nil || p.through {
		return p.err
	}
	data := p.buf.Bytes()
	start, end, _, found := findDimension(data)
	if !found {
		return fmt.Errorf("%s: no <dimension> element", p.name)
	}
	used, err := UsedRange(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: %w", p.name, err)
	}
	return writeAll(p.out, data[:start], []byte(used), data[end:])
}

func writeAll(w io.Writer, parts ...[]byte) error {
	for _, b := range parts {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// findDimension finds the ref attribute's value of the <dimension> element
// in the head of a worksheet part: data[start:end] is the value.
func findDimension(data []byte) (start, end int, ref string, found bool) {
	i := bytes.Index(data, []byte("<dimension"))
	if i < 0 {
		return 0, 0, "", false
	}
	tagEnd := bytes.IndexByte(data[i:], '>')
	if tagEnd < 0 {
		return 0, 0, "", false
	}
	tag := data[i : i+tagEnd]
	a := bytes.Index(tag, []byte(`ref="`))
	if a < 0 {
		return 0, 0, "", false
	}
	start = i + a + len(`ref="`)
	q := bytes.IndexByte(data[start:i+tagEnd], '"')
	if q < 0 {
		return 0, 0, "", false
	}
	end = start + q
	return start, end, string(data[start:end]), true
}

// Used is the bounding box of the cells of a worksheet (0 when empty).
type Used struct{ MaxCol, MaxRow, MinCol, MinRow int }

// Ref is the box as a range reference ("A1" for an empty sheet).
func (u Used) Ref() string {
	if u.MaxRow == 0 {
		return "A1"
	}
	first, _ := excelize.CoordinatesToCellName(u.MinCol, u.MinRow)
	last, _ := excelize.CoordinatesToCellName(u.MaxCol, u.MaxRow)
	if first == last {
		return first
	}
	return first + ":" + last
}

// UsedRange reads a worksheet part and returns the range of its cells.
func UsedRange(r io.Reader) (string, error) {
	_, used, err := scan(r)
	if err != nil {
		return "", err
	}
	return used.Ref(), nil
}

// scan reads a worksheet part: its declared range and its cells' box.
func scan(r io.Reader) (declared string, used Used, err error) {
	d := xml.NewDecoder(r)
	row := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return declared, used, nil
		}
		if err != nil {
			return "", Used{}, fmt.Errorf("read worksheet: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "dimension":
			declared = attr(se, "ref")
		case "row":
			if v := attr(se, "r"); v != "" {
				if _, err := fmt.Sscan(v, &row); err != nil {
					return "", Used{}, fmt.Errorf("row number %q: %w", v, err)
				}
			} else {
				row++
			}
		case "c":
			ref := attr(se, "r")
			if ref == "" {
				return "", Used{}, errors.New("a cell without a reference")
			}
			col, rn, err := excelize.CellNameToCoordinates(ref)
			if err != nil {
				return "", Used{}, fmt.Errorf("cell %q: %w", ref, err)
			}
			if row != 0 && rn != row {
				return "", Used{}, fmt.Errorf("cell %s in row %d", ref, row)
			}
			if used.MaxRow == 0 {
				used = Used{MinCol: col, MaxCol: col, MinRow: rn, MaxRow: rn}
			}
			used.MinCol, used.MaxCol = min(used.MinCol, col), max(used.MaxCol, col)
			used.MinRow, used.MaxRow = min(used.MinRow, rn), max(used.MaxRow, rn)
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
