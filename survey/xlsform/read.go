package xlsform

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits on what Import reads, so that a hostile file cannot exhaust memory.
const (
	maxFileBytes  = 64 << 20  // the .xlsx file itself
	maxUnzipBytes = 256 << 20 // all of its parts, unzipped
	maxRows       = 20000     // rows of one sheet
	maxColumns    = 500       // columns of one sheet
)

// ErrNotWorkbook is returned (wrapped) when the file is not an .xlsx workbook.
var ErrNotWorkbook = errors.New("not an Excel workbook (.xlsx)")

// column is one column of a sheet.
type column struct {
	index  int    // 0-based
	header string // as written
	key    string // canonical base name
	suffix string // language suffix as written, "" for none
	lang   string // language code the column holds, set for text columns
}

// row is one row of a sheet.
type row struct {
	num   int // Excel row number
	cells []string
}

// table is one sheet read into memory.
type table struct {
	canonical string // SheetSurvey, SheetChoices, …
	name      string // as written in the workbook
	header    int    // Excel row number of the header row (1 when the sheet is empty)
	cols      []*column
	rows      []row // data rows (after the header), blank rows left out
}

// cell returns the trimmed value of c in r ("" when c is nil or the row is short).
func (r row) cell(c *column) string {
	if c == nil || c.index >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[c.index])
}

// find returns the first column with the given key and no language
// suffix, or nil.
func (t *table) find(key string) *column {
	if t == nil {
		return nil
	}
	for _, c := range t.cols {
		if c.key == key && c.suffix == "" {
			return c
		}
	}
	return nil
}

// texts returns the columns of a multi-language key.
func (t *table) texts(key string) []*column {
	if t == nil {
		return nil
	}
	var out []*column
	for _, c := range t.cols {
		if c.key == key {
			out = append(out, c)
		}
	}
	return out
}

// workbook is the sheets of an XLSForm read into memory.
type workbook struct {
	tables map[string]*table // by canonical name
}

// readWorkbook reads the survey, choices, settings and canvass_scoring
// sheets. Problems about the file as a whole are returned as an error;
// problems with sheets are added to rep.
func readWorkbook(r io.Reader, rep *reporter) (wb *workbook, err error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read the form: %w", err)
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("the file is larger than %d MB: it cannot be a form", maxFileBytes>>20)
	}
	switch {
	case len(data) == 0:
		return nil, fmt.Errorf("the file is empty: %w", ErrNotWorkbook)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return readXLS(data, rep)
	case !bytes.HasPrefix(data, []byte("PK")):
		return nil, fmt.Errorf("the file is %w", ErrNotWorkbook)
	}
	if err := checkBounds(data); err != nil {
		return nil, err
	}
	// excelize is a third-party parser fed with untrusted bytes: a panic in it
	// must become an error, never take the app down.
	defer func() {
		if p := recover(); p != nil {
			wb, err = nil, fmt.Errorf("the workbook is damaged (%v): %w", p, ErrNotWorkbook)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    maxUnzipBytes,
		UnzipXMLSizeLimit: maxUnzipBytes,
		RawCellValue:      true,
	})
	if err != nil {
		return nil, fmt.Errorf("open the workbook: %v: %w", err, ErrNotWorkbook)
	}
	defer f.Close()

	return pickSheets(f.GetSheetList(), rep, func(name, canonical string) (*table, error) {
		return readTable(f, name, canonical, rep)
	})
}

// pickSheets reads the survey, choices, settings and canvass_scoring sheets
// among names with read, refusing a workbook with two of one or no survey.
func pickSheets(names []string, rep *reporter, read func(name, canonical string) (*table, error)) (*workbook, error) {
	wb := &workbook{tables: map[string]*table{}}
	for _, name := range names {
		canonical := strings.ToLower(strings.TrimSpace(name))
		switch canonical {
		case SheetSurvey, SheetChoices, SheetSettings, SheetScoring:
		default:
			continue // other sheets (ODK's external_choices, notes) are not read
		}
		if prev, dup := wb.tables[canonical]; dup {
			rep.add(Problem{Severity: Error, Sheet: name,
				Message: fmt.Sprintf("the workbook has two %s sheets (%q and %q): keep one", canonical, prev.name, name)})
			continue
		}
		t, err := read(name, canonical)
		if err != nil {
			return nil, err
		}
		wb.tables[canonical] = t
	}
	if wb.tables[SheetSurvey] == nil {
		return nil, fmt.Errorf("the workbook has no survey sheet (sheets: %s): is it an XLSForm?", quoteList(names))
	}
	return wb, nil
}

// readTable reads one sheet: the first non-blank row is the header.
func readTable(f *excelize.File, name, canonical string, rep *reporter) (*table, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return nil, fmt.Errorf("read the %s sheet: %v: %w", name, err, ErrNotWorkbook)
	}
	defer rows.Close()
	b := newTableBuilder(name, canonical, rep)
	num := 0
	for rows.Next() {
		num++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("read the %s sheet, row %d: %v: %w", name, num, err, ErrNotWorkbook)
		}
		if err := b.add(num, cells); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("read the %s sheet: %v: %w", name, err, ErrNotWorkbook)
	}
	return b.t, nil
}

// tableBuilder fills a table row by row, whatever the file format.
type tableBuilder struct {
	t          *table
	rep        *reporter
	haveHeader bool
}

func newTableBuilder(name, canonical string, rep *reporter) *tableBuilder {
	return &tableBuilder{t: &table{canonical: canonical, name: name, header: 1}, rep: rep}
}

// add takes the row numbered num (from 1): the first non-blank one is the
// header, blank ones are left out.
func (b *tableBuilder) add(num int, cells []string) error {
	t := b.t
	if len(t.rows) > maxRows {
		return fmt.Errorf("the %s sheet has more than %d rows: it is too large to be a form", t.name, maxRows)
	}
	if len(cells) > maxColumns {
		return fmt.Errorf("the %s sheet has more than %d columns in row %d: it is too large to be a form", t.name, maxColumns, num)
	}
	if blank(cells) {
		return nil
	}
	if !b.haveHeader {
		b.haveHeader = true
		t.header = num
		t.cols = readHeader(t, cells, num, b.rep)
		return nil
	}
	t.rows = append(t.rows, row{num: num, cells: cells})
	return nil
}

// readHeader reads the header row and reports duplicate columns.
func readHeader(t *table, cells []string, num int, rep *reporter) []*column {
	var cols []*column
	seen := map[string]*column{}
	singleColon := true
	for _, h := range cells {
		singleColon = singleColon && !strings.Contains(h, "::")
	}
	for i, h := range cells {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		hd := splitHeader(h, singleColon)
		c := &column{index: i, header: h, key: hd.key, suffix: hd.suffix}
		id := hd.key + "::" + strings.ToLower(hd.suffix)
		if prev, dup := seen[id]; dup {
			rep.add(Problem{Severity: Error, Sheet: t.name, Row: num, Column: h, Cell: cellName(i, num), col: i + 1,
				Message: fmt.Sprintf("column %q appears twice (columns %s and %s): keep one", h, columnLetter(prev.index), columnLetter(i))})
			continue
		}
		seen[id] = c
		cols = append(cols, c)
	}
	return cols
}

// blank reports whether every cell is empty or spaces.
func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// columnLetter returns the Excel letters of a 0-based column index.
func columnLetter(index int) string {
	s, err := excelize.ColumnNumberToName(index + 1)
	if err != nil {
		return fmt.Sprint(index + 1)
	}
	return s
}

// cellName returns the Excel reference of a 0-based column and a row number.
func cellName(index, num int) string {
	s, err := excelize.CoordinatesToCellName(index+1, num)
	if err != nil {
		return ""
	}
	return s
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
