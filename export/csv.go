package export

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"canvass/survey"
)

// CSV writes the data sheet's rows (same columns as the workbook's data
// sheet, wide or long) as UTF-8 CSV with a byte-order mark and CRLF line
// ends, which Excel opens with the right characters. Dates are written as
// 2006-01-02, times as 15:04:05, date-times as 2006-01-02 15:04:05 in the
// export's zone. Text that a spreadsheet would read as a formula (starting
// with = + - @, a tab or a carriage return) gets a leading '.
//
// A survey with repeats needs a file per repeat in the wide layout: CSV
// refuses it with ErrRepeatFiles (ToFile writes them all), while the long
// layout stays one file with an "instance" column.
func CSV(ctx context.Context, src Source, opts Options, w io.Writer) (Result, error) {
	res, err := writeCSV(ctx, src, opts, w, nil)
	if err != nil {
		return Result{}, cancelled(ctx, err)
	}
	return res, nil
}

// CSVWithRepeats is CSV for a survey with repeats: the responses go to w,
// and the rows of each repeat (in the wide layout) to the writer open
// returns for its sheet name ("carers"), which the caller closes or
// discards. ToFile names those files with RepeatFile.
func CSVWithRepeats(ctx context.Context, src Source, opts Options, w io.Writer, open func(sheet string) (io.Writer, error)) (Result, error) {
	res, err := writeCSV(ctx, src, opts, w, func(t *table) (io.Writer, error) { return open(t.sheet) })
	if err != nil {
		return Result{}, cancelled(ctx, err)
	}
	return res, nil
}

// ErrRepeatFiles: a wide CSV export of a survey with repeats is several
// files, and the caller can take only one.
var ErrRepeatFiles = errors.New("this survey has repeat groups, so its CSV export is one file per repeat beside the main file; " +
	"that cannot be written as a single (or encrypted) file: export to .xlsx, which keeps each repeat on a sheet of its own, or choose one row per answer")

// repeatFile opens the CSV file of a repeat table; the export writes it
// and flushes it, the opener commits or discards it.
type repeatFile func(t *table) (io.Writer, error)

func writeCSV(ctx context.Context, src Source, opts Options, out io.Writer, openRepeat repeatFile) (Result, error) {
	if opts.Password != "" {
		return Result{}, ErrPasswordCSV
	}
	p, events, err := planFor(ctx, src, opts)
	if err != nil {
		return Result{}, err
	}
	if p.hasRepeats() && !opts.Long && openRepeat == nil {
		return Result{}, fmt.Errorf("%w (repeats: %s)", ErrRepeatFiles, p.repeatNames())
	}
	files := []*csvFile{}
	add := func(w io.Writer, headers []string) error {
		f := newCSVFile(w, len(headers))
		files = append(files, f)
		return f.header(headers)
	}
	if opts.Long {
		headers, _ := p.longHeaders()
		if err := add(out, headers); err != nil {
			return Result{}, err
		}
	} else {
		for _, t := range p.tables {
			w := out
			if t.repeat != nil {
				if w, err = openRepeat(t); err != nil {
					return Result{}, err
				}
			}
			headers := make([]string, len(t.columns))
			for i, c := range t.columns {
				headers[i] = c.header
			}
			if err := add(w, headers); err != nil {
				return Result{}, err
			}
		}
	}
	count := &counter{ctx: ctx, opts: opts}
	count.report()
	cells := make([][]value, len(files))
	for i, f := range files {
		cells[i] = make([]value, len(f.record))
	}
	var counts instances
	rows := 0 // long layout
	err = src.EachResponse(ctx, opts.Filter(), func(r *survey.Response) error {
		if err := count.next(r); err != nil {
			return err
		}
		r.Answers = p.placeAnswers(r)
		counts = countInstances(r.Answers, counts)
		if opts.Long {
			return p.longRows(r, counts, cells[0], nil, func(v []value) error {
				rows++
				return files[0].write(v)
			})
		}
		return p.wideRows(r, counts, events, cells, nil, func(ti int, row []value) error { return files[ti].write(row) })
	})
	if err != nil {
		return Result{}, fmt.Errorf("read responses: %w", err)
	}
	count.report()
	for _, f := range files {
		if err := f.w.Flush(); err != nil {
			return Result{}, fmt.Errorf("write CSV: %w", err)
		}
	}
	res := count.result
	res.Rows = rows
	if !opts.Long {
		res.Rows, res.InstanceRows = p.wideCounts()
	}
	res.Columns = len(files[0].record)
	return res, nil
}

// repeatNames lists the repeats of the export, for messages.
func (p *plan) repeatNames() string {
	var names []string
	for _, t := range p.tables[1:] {
		names = append(names, t.repeat.Name)
	}
	return strings.Join(names, ", ")
}

// csvFile is one CSV file being written: its writer and a record to fill.
type csvFile struct {
	w      *bufio.Writer
	cw     *csvWriter
	record []string
}

func newCSVFile(w io.Writer, columns int) *csvFile {
	bw := bufio.NewWriterSize(w, 1<<16)
	return &csvFile{w: bw, cw: &csvWriter{w: bw}, record: make([]string, columns)}
}

// header writes the byte-order mark and the header row.
func (f *csvFile) header(headers []string) error {
	if _, err := f.w.WriteString("\ufeff"); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	for i, h := range headers {
		f.record[i] = safeText(h)
	}
	if err := f.cw.Write(f.record); err != nil {
		return fmt.Errorf("write CSV header: %w", err)
	}
	return nil
}

func (f *csvFile) write(vals []value) error {
	for i, v := range vals {
		f.record[i] = csvField(v)
	}
	return f.cw.Write(f.record)
}

// csvField formats one value for CSV.
func csvField(v value) string {
	switch v.kind {
	case kindText:
		return safeText(v.text)
	case kindNumber:
		return strconv.FormatFloat(v.num, 'f', -1, 64)
	case kindDate:
		return v.t.Format("2006-01-02")
	case kindTime:
		secs := int(math.Round(v.num * 86400))
		return time.Date(2000, 1, 1, 0, 0, secs, 0, time.UTC).Format("15:04:05")
	case kindDateTime:
		return v.t.Format("2006-01-02 15:04:05")
	}
	return ""
}

// safeText prefixes text that a spreadsheet would read as a formula with '.
func safeText(s string) string {
	if looksLikeFormula(s) {
		return "'" + s
	}
	return s
}

// looksLikeFormula reports whether s starts with a character that makes a
// spreadsheet treat a typed or imported value as a formula.
func looksLikeFormula(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// csvWriter writes RFC 4180 records: fields quoted when they hold a comma,
// a quote, a line break or surrounding space, quotes doubled, records ended
// with CRLF. Unlike encoding/csv with UseCRLF, it keeps a field's own
// carriage returns as they are.
type csvWriter struct {
	w *bufio.Writer
}

func (c *csvWriter) Write(record []string) error {
	for i, field := range record {
		if i > 0 {
			c.w.WriteByte(',')
		}
		if field == "" || !needsQuotes(field) {
			c.w.WriteString(field)
			continue
		}
		c.w.WriteByte('"')
		for {
			j := strings.IndexByte(field, '"')
			if j < 0 {
				break
			}
			c.w.WriteString(field[:j+1])
			c.w.WriteByte('"')
			field = field[j+1:]
		}
		c.w.WriteString(field)
		c.w.WriteByte('"')
	}
	_, err := c.w.WriteString("\r\n")
	return err
}

func needsQuotes(s string) bool {
	return strings.ContainsAny(s, ",\"\r\n") || s[0] == ' ' || s[len(s)-1] == ' '
}
