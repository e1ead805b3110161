package xlsform

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Bounds on what a workbook may hold, checked before excelize parses it:
// a small zip can unpack to millions of tiny shared strings or cells, each
// costing far more memory parsed than its bytes (a 260 KB "shared-strings
// bomb" took 2.4 GB). No real form comes near these.
const (
	maxSharedStrings   = 200_000   // entries of the shared strings table
	maxSharedXMLBytes  = 32 << 20  // the table's XML, unzipped
	maxSharedTextBytes = 16 << 20  // its text, in total
	maxCells           = 1_000_000 // cells holding a value, in all worksheets together
)

// ErrTooLarge is returned (wrapped) for a workbook past the bounds above.
var ErrTooLarge = errors.New("too large to be a form")

// checkBounds reads the parts of an .xlsx workbook that expand in memory
// (the shared strings table and every worksheet) as a stream, counting
// entries, rows, cells and text, and refuses the workbook past the bounds,
// before excelize is given it.
func checkBounds(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("open the workbook: %v: %w", err, ErrNotWorkbook)
	}
	var unzipped int64
	cells := 0
	for _, zf := range zr.File {
		name := strings.ToLower(zf.Name)
		isStrings := path.Base(name) == "sharedstrings.xml"
		isSheet := strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml")
		if !isStrings && !isSheet {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return fmt.Errorf("open the workbook part %s: %v: %w", zf.Name, err, ErrNotWorkbook)
		}
		// The unzipped size as read, not as the zip claims it.
		lr := &io.LimitedReader{R: rc, N: maxUnzipBytes - unzipped + 1}
		if isStrings {
			sr := &io.LimitedReader{R: lr, N: maxSharedXMLBytes + 1}
			err = countStrings(sr)
			if sr.N <= 0 {
				err = fmt.Errorf("the workbook's shared strings table unpacks to more than %d MB: %w", maxSharedXMLBytes>>20, ErrTooLarge)
			}
		} else {
			err = countCells(lr, zf.Name, &cells)
		}
		rc.Close()
		unzipped = maxUnzipBytes + 1 - lr.N
		if lr.N <= 0 {
			return fmt.Errorf("the workbook unpacks to more than %d MB: %w", maxUnzipBytes>>20, ErrTooLarge)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// countStrings refuses a shared strings table past the bounds.
func countStrings(r io.Reader) error {
	d := xml.NewDecoder(r)
	entries, text := 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read the shared strings: %v: %w", err, ErrNotWorkbook)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "si" {
				entries++
				if entries > maxSharedStrings {
					return fmt.Errorf("the workbook's shared strings table has more than %d entries: %w", maxSharedStrings, ErrTooLarge)
				}
			}
		case xml.CharData:
			text += len(t)
			if text > maxSharedTextBytes {
				return fmt.Errorf("the workbook's shared strings hold more than %d MB of text: %w", maxSharedTextBytes>>20, ErrTooLarge)
			}
		}
	}
}

// countCells refuses a worksheet with too many rows or cells holding a
// value, or a value past the last column a form may use, adding its valued
// cells to *cells. Empty cells (formatting only) cost nothing and are not
// counted.
func countCells(r io.Reader, part string, cells *int) error {
	d := xml.NewDecoder(r)
	rows, lastRow := 0, -1
	row, cellRef, counted := 0, "", false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read the worksheet %s: %v: %w", part, err, ErrNotWorkbook)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "row":
			row++
			cellRef = ""
		case "c":
			cellRef, counted = "", false
			for _, a := range se.Attr {
				if a.Name.Local == "r" {
					cellRef = a.Value
				}
			}
		case "v", "is", "f":
			if counted {
				continue
			}
			counted = true
			*cells++
			if *cells > maxCells {
				return fmt.Errorf("the workbook has more than %d cells with a value: %w", maxCells, ErrTooLarge)
			}
			if row != lastRow {
				lastRow = row
				rows++
				if rows > maxRows+1 {
					return fmt.Errorf("a sheet of the workbook (%s) has more than %d rows: %w", path.Base(part), maxRows, ErrTooLarge)
				}
			}
			if cellRef != "" {
				col, _, err := excelize.CellNameToCoordinates(cellRef)
				if err == nil && col > maxColumns {
					return fmt.Errorf("a sheet of the workbook (%s) has a value in cell %s, past the %d columns a form may use: %w", path.Base(part), cellRef, maxColumns, ErrTooLarge)
				}
			}
		}
	}
}
