package xlsform

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
)

// readXLS reads an old-style Excel workbook (.xls: BIFF8 records in an OLE
// compound file), as about a fifth of real forms are, into the same tables
// as a .xlsx one. The compound file is read with mscfb (excelize's own
// reader of it, which refuses sector cycles); the records are read here,
// only those that hold cell values, from a stream of bounded size with
// loops that only move forward.
func readXLS(data []byte, rep *reporter) (wb *workbook, err error) {
	// Untrusted bytes: whatever slips past the checks below must become an
	// error, never take the app down.
	defer func() {
		if p := recover(); p != nil {
			wb, err = nil, xlsError(fmt.Errorf("%v", p))
		}
	}()
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, xlsError(err)
	}
	var stream []byte
	for entry, err := doc.Next(); err == nil; entry, err = doc.Next() {
		if entry.Name != "Workbook" && entry.Name != "Book" {
			continue
		}
		stream, err = io.ReadAll(io.LimitReader(entry, maxFileBytes+1))
		if err != nil {
			return nil, xlsError(err)
		}
		break
	}
	if stream == nil {
		return nil, fmt.Errorf("the file is a password-protected workbook or not a workbook at all: save it from Excel as .xlsx without a password: %w", ErrNotWorkbook)
	}
	b, err := parseBIFF(stream)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(b.sheets))
	for i, s := range b.sheets {
		names[i] = s.name
	}
	return pickSheets(names, rep, func(name, canonical string) (*table, error) {
		var sh *biffSheet
		for i := range b.sheets {
			if b.sheets[i].name == name {
				sh = &b.sheets[i]
				break
			}
		}
		cells, err := b.cells(sh)
		if err != nil {
			return nil, err
		}
		tb := newTableBuilder(name, canonical, rep)
		rowNums := make([]int, 0, len(cells))
		for r := range cells {
			rowNums = append(rowNums, r)
		}
		sort.Ints(rowNums)
		for _, r := range rowNums {
			if err := tb.add(r+1, cells[r]); err != nil {
				return nil, err
			}
		}
		return tb.t, nil
	})
}

func xlsError(err error) error {
	return fmt.Errorf("the file looks like an old-style .xls workbook but cannot be read (%v): %w", err, ErrNotWorkbook)
}

// BIFF8 record types read.
const (
	recBOF        = 0x0809
	recEOF        = 0x000A
	recBoundSheet = 0x0085
	recSST        = 0x00FC
	recContinue   = 0x003C
	recLabelSST   = 0x00FD
	recLabel      = 0x0204
	recRString    = 0x00D6
	recNumber     = 0x0203
	recRK         = 0x027E
	recMulRK      = 0x00BD
	recFormula    = 0x0006
	recString     = 0x0207
	recBoolErr    = 0x0205
)

type biffSheet struct {
	name   string
	offset int // of its BOF record in the stream
}

type biffBook struct {
	stream []byte
	sheets []biffSheet
	sst    []string
}

// record is one BIFF record: its type and data, with the CONTINUE records
// that follow it.
type record struct {
	typ  uint16
	data []byte
	more [][]byte
}

// readRecord reads the record at off and its CONTINUE records, returning
// the offset after them.
func readRecord(stream []byte, off int) (record, int, error) {
	if off+4 > len(stream) {
		return record{}, 0, io.ErrUnexpectedEOF
	}
	typ := binary.LittleEndian.Uint16(stream[off:])
	n := int(binary.LittleEndian.Uint16(stream[off+2:]))
	if off+4+n > len(stream) {
		return record{}, 0, io.ErrUnexpectedEOF
	}
	r := record{typ: typ, data: stream[off+4 : off+4+n]}
	off += 4 + n
	for off+4 <= len(stream) && binary.LittleEndian.Uint16(stream[off:]) == recContinue {
		n := int(binary.LittleEndian.Uint16(stream[off+2:]))
		if off+4+n > len(stream) {
			return record{}, 0, io.ErrUnexpectedEOF
		}
		r.more = append(r.more, stream[off+4:off+4+n])
		off += 4 + n
	}
	return r, off, nil
}

var errBIFF = errors.New("damaged records")

// parseBIFF reads the workbook globals: the sheets and the shared strings.
func parseBIFF(stream []byte) (*biffBook, error) {
	b := &biffBook{stream: stream}
	for off := 0; off < len(stream); {
		r, next, err := readRecord(stream, off)
		if err != nil {
			return nil, xlsError(err)
		}
		off = next
		switch r.typ {
		case recBoundSheet:
			if len(r.data) < 8 {
				return nil, xlsError(errBIFF)
			}
			pos := int(binary.LittleEndian.Uint32(r.data))
			if r.data[5] != 0 { // not a worksheet (a chart, a macro sheet)
				continue
			}
			name, _, err := shortString(r.data[6:])
			if err != nil {
				return nil, xlsError(err)
			}
			b.sheets = append(b.sheets, biffSheet{name: name, offset: pos})
		case recSST:
			if b.sst, err = readSST(r); err != nil {
				return nil, err
			}
		case recEOF:
			return b, nil
		}
	}
	return b, nil
}

// shortString reads a ShortXLUnicodeString: 1-byte length, flags, chars.
func shortString(d []byte) (string, int, error) {
	if len(d) < 2 {
		return "", 0, errBIFF
	}
	cch, wide := int(d[0]), d[1]&1 != 0
	return chars(d[2:], cch, wide)
}

// longString reads an XLUnicodeString: 2-byte length, flags, chars.
func longString(d []byte) (string, error) {
	if len(d) < 3 {
		return "", errBIFF
	}
	cch, wide := int(binary.LittleEndian.Uint16(d)), d[2]&1 != 0
	s, _, err := chars(d[3:], cch, wide)
	return s, err
}

// chars decodes cch characters, one byte each (Latin-1) or two (UTF-16).
func chars(d []byte, cch int, wide bool) (string, int, error) {
	if !wide {
		if cch > len(d) {
			return "", 0, errBIFF
		}
		r := make([]rune, cch)
		for i := range r {
			r[i] = rune(d[i])
		}
		return string(r), cch, nil
	}
	if 2*cch > len(d) {
		return "", 0, errBIFF
	}
	u := make([]uint16, cch)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(d[2*i:])
	}
	return string(utf16.Decode(u)), 2 * cch, nil
}

// segments reads across a record and its CONTINUE records.
type segments struct {
	parts [][]byte
	cur   []byte
}

func (s *segments) next() bool {
	if len(s.parts) == 0 {
		return false
	}
	s.cur, s.parts = s.parts[0], s.parts[1:]
	return true
}

// bytes takes n bytes of plain data, which may cross into the next segment.
func (s *segments) bytes(n int) ([]byte, error) {
	var out []byte
	for n > 0 {
		if len(s.cur) == 0 && !s.next() {
			return nil, errBIFF
		}
		k := min(n, len(s.cur))
		out = append(out, s.cur[:k]...)
		s.cur, n = s.cur[k:], n-k
	}
	return out, nil
}

// text takes cch characters; a string continued in the next segment starts
// it with a fresh flags byte saying its width.
func (s *segments) text(cch int, wide bool) (string, error) {
	var out []rune
	for cch > 0 {
		if len(s.cur) == 0 {
			if !s.next() || len(s.cur) == 0 {
				return "", errBIFF
			}
			wide = s.cur[0]&1 != 0
			s.cur = s.cur[1:]
		}
		w := 1
		if wide {
			w = 2
		}
		k := min(cch, len(s.cur)/w)
		if k == 0 {
			return "", errBIFF
		}
		str, used, err := chars(s.cur, k, wide)
		if err != nil {
			return "", err
		}
		out = append(out, []rune(str)...)
		s.cur, cch = s.cur[used:], cch-k
	}
	return string(out), nil
}

// readSST reads the shared strings table: XLUnicodeRichExtendedStrings
// across the SST record and its CONTINUE records.
func readSST(r record) ([]string, error) {
	s := &segments{cur: r.data, parts: r.more}
	head, err := s.bytes(8)
	if err != nil {
		return nil, xlsError(err)
	}
	n := int(binary.LittleEndian.Uint32(head[4:]))
	if n > maxSharedStrings {
		return nil, fmt.Errorf("the workbook's shared strings table has more than %d entries: %w", maxSharedStrings, ErrTooLarge)
	}
	out := make([]string, 0, n)
	total := 0
	for range n {
		h, err := s.bytes(3)
		if err != nil {
			return nil, xlsError(err)
		}
		cch, flags := int(binary.LittleEndian.Uint16(h)), h[2]
		runs, ext := 0, 0
		if flags&0x08 != 0 {
			b, err := s.bytes(2)
			if err != nil {
				return nil, xlsError(err)
			}
			runs = int(binary.LittleEndian.Uint16(b))
		}
		if flags&0x04 != 0 {
			b, err := s.bytes(4)
			if err != nil {
				return nil, xlsError(err)
			}
			ext = int(binary.LittleEndian.Uint32(b))
			if ext < 0 || ext > len(r.data)+len(r.more)*8224 {
				return nil, xlsError(errBIFF)
			}
		}
		str, err := s.text(cch, flags&1 != 0)
		if err != nil {
			return nil, xlsError(err)
		}
		if _, err := s.bytes(4*runs + ext); err != nil {
			return nil, xlsError(err)
		}
		total += len(str)
		if total > maxSharedTextBytes {
			return nil, fmt.Errorf("the workbook's shared strings hold more than %d MB of text: %w", maxSharedTextBytes>>20, ErrTooLarge)
		}
		out = append(out, str)
	}
	return out, nil
}

// cells reads a worksheet's values, by row (from 0) and column.
func (b *biffBook) cells(sh *biffSheet) (map[int][]string, error) {
	out := map[int][]string{}
	count := 0
	set := func(row, col int, v string) error {
		if v == "" {
			return nil
		}
		if col >= maxColumns {
			return fmt.Errorf("the %s sheet has a value in column %d, past the %d columns a form may use: %w", sh.name, col+1, maxColumns, ErrTooLarge)
		}
		count++
		if count > maxCells {
			return fmt.Errorf("the workbook has more than %d cells with a value: %w", maxCells, ErrTooLarge)
		}
		cells := out[row]
		for len(cells) <= col {
			cells = append(cells, "")
		}
		cells[col] = v
		out[row] = cells
		return nil
	}
	if sh.offset < 0 || sh.offset >= len(b.stream) {
		return nil, xlsError(errBIFF)
	}
	r, off, err := readRecord(b.stream, sh.offset)
	if err != nil || r.typ != recBOF {
		return nil, xlsError(errBIFF)
	}
	pendingRow, pendingCol := -1, -1 // a formula whose text result follows in a STRING record
	for off < len(b.stream) {
		r, off, err = readRecord(b.stream, off)
		if err != nil {
			return nil, xlsError(err)
		}
		d := r.data
		if r.typ == recEOF {
			break
		}
		if r.typ == recString && pendingRow >= 0 {
			s, err := longString(d)
			if err != nil {
				return nil, xlsError(err)
			}
			if err := set(pendingRow, pendingCol, s); err != nil {
				return nil, err
			}
			pendingRow = -1
			continue
		}
		if len(d) < 6 {
			continue
		}
		row, col := int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))
		var v string
		switch r.typ {
		case recLabelSST:
			if len(d) < 10 {
				return nil, xlsError(errBIFF)
			}
			i := int(binary.LittleEndian.Uint32(d[6:]))
			if i < 0 || i >= len(b.sst) {
				return nil, xlsError(fmt.Errorf("cell %d,%d refers to shared string %d of %d", row+1, col+1, i, len(b.sst)))
			}
			v = b.sst[i]
		case recLabel, recRString:
			if v, err = longString(d[6:]); err != nil {
				return nil, xlsError(err)
			}
		case recNumber:
			if len(d) < 14 {
				return nil, xlsError(errBIFF)
			}
			v = number(math.Float64frombits(binary.LittleEndian.Uint64(d[6:])))
		case recRK:
			if len(d) < 10 {
				return nil, xlsError(errBIFF)
			}
			v = number(rk(binary.LittleEndian.Uint32(d[6:])))
		case recMulRK:
			for i, c := 0, col; 4+6*(i+1)+2 <= len(d); i, c = i+1, c+1 {
				val := number(rk(binary.LittleEndian.Uint32(d[4+6*i+2:])))
				if err := set(row, c, val); err != nil {
					return nil, err
				}
			}
			continue
		case recFormula:
			if len(d) < 14 {
				return nil, xlsError(errBIFF)
			}
			res := d[6:14]
			if res[6] == 0xFF && res[7] == 0xFF {
				switch res[0] {
				case 0: // text, in the STRING record that follows
					pendingRow, pendingCol = row, col
				case 1:
					v = map[bool]string{true: "TRUE", false: "FALSE"}[res[2] != 0]
				}
			} else {
				v = number(math.Float64frombits(binary.LittleEndian.Uint64(res)))
			}
		case recBoolErr:
			if len(d) >= 8 && d[7] == 0 {
				v = map[bool]string{true: "TRUE", false: "FALSE"}[d[6] != 0]
			}
		default:
			continue
		}
		if err := set(row, col, v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rk decodes an RK number: a 30-bit integer or the top of a double,
// perhaps divided by 100.
func rk(v uint32) float64 {
	var f float64
	if v&2 != 0 {
		f = float64(int32(v) >> 2)
	} else {
		f = math.Float64frombits(uint64(v&0xFFFFFFFC) << 32)
	}
	if v&1 != 0 {
		f /= 100
	}
	return f
}

// number writes a number as Excel shows it in full: 3, not 3.0.
func number(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
