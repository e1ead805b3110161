package export

import (
	"bufio"
	"context"
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
func CSV(ctx context.Context, src Source, opts Options, w io.Writer) (Result, error) {
	res, err := writeCSV(ctx, src, opts, w)
	if err != nil {
		return Result{}, cancelled(ctx, err)
	}
	return res, nil
}

func writeCSV(ctx context.Context, src Source, opts Options, out io.Writer) (Result, error) {
	if opts.Password != "" {
		return Result{}, ErrPasswordCSV
	}
	p, events, err := planFor(ctx, src, opts)
	if err != nil {
		return Result{}, err
	}
	bw := bufio.NewWriterSize(out, 1<<16)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return Result{}, fmt.Errorf("write CSV: %w", err)
	}
	cw := &csvWriter{w: bw}
	var headers []string
	if opts.Long {
		headers = longHeaders
	} else {
		for _, c := range p.columns {
			headers = append(headers, c.header)
		}
	}
	record := make([]string, len(headers))
	for i, h := range headers {
		record[i] = safeText(h)
	}
	if err := cw.Write(record); err != nil {
		return Result{}, fmt.Errorf("write CSV header: %w", err)
	}
	emit := func(vals []value) error {
		for i, v := range vals {
			record[i] = csvField(v)
		}
		return cw.Write(record)
	}
	count := &counter{ctx: ctx, opts: opts}
	count.report()
	row := make([]value, len(p.columns))
	long := make([]value, len(longHeaders))
	rows := 0
	err = src.EachResponse(ctx, opts.Filter(), func(r *survey.Response) error {
		if err := count.next(r); err != nil {
			return err
		}
		if opts.Long {
			return p.longRows(r, long, nil, func(v []value) error {
				rows++
				return emit(v)
			})
		}
		p.wideRow(r, events, row, nil)
		rows++
		return emit(row)
	})
	if err != nil {
		return Result{}, fmt.Errorf("read responses: %w", err)
	}
	count.report()
	if err := bw.Flush(); err != nil {
		return Result{}, fmt.Errorf("write CSV: %w", err)
	}
	res := count.result
	res.Rows = rows
	res.Columns = len(headers)
	return res, nil
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
