package export

import (
	"archive/zip"
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"canvass/export/dimension"
	"canvass/survey"
)

// Sheet names of the workbook.
const (
	SheetResponses = "Responses" // the data: one row per response (or per answer in the long layout)
	SheetSummary   = "Summary"   // counts, percentages and charts per question
	SheetCodebook  = "Codebook"  // what every column and code means
	SheetDecisions = "Decisions" // decision records, for scored surveys only
	SheetAbout     = "About"     // what was exported, when, by whom, with which filters
)

// maxRows is the longest worksheet Excel opens; a data sheet that would be
// longer continues on "Responses (2)" and so on. (A variable so that tests
// can fill a sheet sooner.)
var maxRows = 1048576

// Workbook writes the responses the options select as an Excel workbook to
// w, and returns what it wrote. A cancelled ctx stops it with ctx.Err().
// Use ToFile to write a file safely.
func Workbook(ctx context.Context, src Source, opts Options, w io.Writer) (Result, error) {
	res, err := writeWorkbook(ctx, src, opts, w)
	if err != nil {
		return Result{}, cancelled(ctx, err)
	}
	return res, nil
}

func writeWorkbook(ctx context.Context, src Source, opts Options, w io.Writer) (Result, error) {
	p, events, err := planFor(ctx, src, opts)
	if err != nil {
		return Result{}, err
	}

	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return Result{}, err
	}
	if err := f.SetSheetName("Sheet1", SheetResponses); err != nil {
		return Result{}, fmt.Errorf("name the data sheet: %w", err)
	}
	scored := hasScoring(p.defs)
	var sheets []string
	if !opts.Long {
		for _, t := range p.tables[1:] {
			sheets = append(sheets, t.sheet)
		}
	}
	sheets = append(sheets, SheetSummary, SheetCodebook)
	if scored {
		sheets = append(sheets, SheetDecisions)
	}
	for _, name := range append(sheets, SheetAbout) {
		if _, err := f.NewSheet(name); err != nil {
			return Result{}, fmt.Errorf("add sheet %s: %w", name, err)
		}
	}

	streams := &dimension.Streams{}
	var data []*dataSheet // one per table; only the first in the long layout
	if opts.Long {
		headers, widths := p.longHeaders()
		data = append(data, newDataSheet(f, st, streams, SheetResponses, headers, widths))
	} else {
		for i, t := range p.tables {
			headers := make([]string, len(t.columns))
			widths := make([]float64, len(t.columns))
			for i, c := range t.columns {
				headers[i], widths[i] = c.header, c.width
			}
			d := newDataSheet(f, st, streams, t.sheet, headers, widths)
			if t.repeat != nil {
				d.table = repeatTableName(i, t.repeat.Name)
			}
			data = append(data, d)
		}
	}
	for _, d := range data {
		if err := d.open(); err != nil {
			return Result{}, err
		}
	}
	var decisions *dataSheet
	if scored {
		decisions = newDataSheet(f, st, streams, SheetDecisions, decisionHeaders, decisionWidths)
		decisions.numStyles = make([]int, len(decisionHeaders))
		decisions.numStyles[slices.Index(decisionHeaders, "score")] = st.decimal
		decisions.wrapped = make([]bool, len(decisionHeaders))
		decisions.wrapped[slices.Index(decisionHeaders, "explanation")] = true
		if err := decisions.open(); err != nil {
			return Result{}, err
		}
	}

	res, err := p.stream(ctx, src, events, data, decisions)
	if err != nil {
		return Result{}, err
	}
	sum := res.summary
	res.Columns = len(data[0].headers)
	all := data
	if decisions != nil {
		all = append(all, decisions)
	}
	for _, d := range all {
		res.Truncated += d.truncated
		res.Cleaned += d.cleaned
		if err := d.close(); err != nil {
			return Result{}, err
		}
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if err := writeSummary(f, st, p, sum, res.Result); err != nil {
		return Result{}, err
	}
	if err := writeCodebook(f, st, p); err != nil {
		return Result{}, err
	}
	if err := writeAbout(f, st, src, p, events, res.Result); err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if err := saveWorkbook(f, w, opts.Password, streams); err != nil {
		return Result{}, err
	}
	return res.Result, nil
}

// streamed is what streaming the responses gave.
type streamed struct {
	Result
	summary *summary
}

// stream reads the responses and writes their rows into the data sheets
// (one per table, or one in the long layout) and the decision records into
// their sheet, reading in this goroutine and writing in another, and
// aggregates the summary on the way.
func (p *plan) stream(ctx context.Context, src Source, events map[string]string, data []*dataSheet, decisions *dataSheet) (streamed, error) {
	sinks := slices.Clone(data)
	toDecisions := len(sinks)
	if decisions != nil {
		sinks = append(sinks, decisions)
	}
	pl, rctx := startPipeline(ctx, sinks...)

	sum := newSummary(p)
	count := &counter{ctx: rctx, opts: p.opts}
	count.report()
	rowsOf := make([][]value, len(p.tables))
	for i, t := range p.tables {
		rowsOf[i] = make([]value, len(t.columns))
	}
	long := make([]value, len(data[0].headers))
	decisionCells := make([]value, len(decisionHeaders))
	var counts instances
	rows := 0 // long layout
	readErr := src.EachResponse(rctx, p.opts.Filter(), func(r *survey.Response) error {
		if err := count.next(r); err != nil {
			return err
		}
		r.Answers = p.placeAnswers(r)
		counts = countInstances(r.Answers, counts)
		if p.opts.Long {
			if err := p.longRows(r, counts, long, sum, func(v []value) error {
				rows++
				return pl.add(0, v)
			}); err != nil {
				return err
			}
		} else if err := p.wideRows(r, counts, events, rowsOf, sum, pl.add); err != nil {
			return err
		}
		if decisions != nil && p.decisionRow(r, events, decisionCells) {
			if err := pl.add(toDecisions, decisionCells); err != nil {
				return err
			}
		}
		return nil
	})
	if err := pl.finish(); err != nil {
		return streamed{}, err // the writer's failure is the cause of any reading error
	}
	if readErr != nil {
		return streamed{}, fmt.Errorf("read responses: %w", readErr)
	}
	count.report()
	res := streamed{Result: count.result, summary: sum}
	res.Rows = rows
	if !p.opts.Long {
		res.Rows, res.InstanceRows = p.wideCounts()
	}
	return res, nil
}

// saveWorkbook writes the finished workbook to w. Without a password the zip
// is written straight to w instead of being built in memory first, through
// excelize's ZipWriter hook; with one, excelize needs the whole file in
// memory to encrypt it. Either way the zip uses fast compression on every
// core: the sheet XML is large and repetitive, and the default level costs
// several times the time for a file a third smaller. Every sheet declares
// its true used range (streams knows those of the streamed sheets).
func saveWorkbook(f *excelize.File, w io.Writer, password string, streams *dimension.Streams) error {
	target := w
	f.ZipWriter = func(buf io.Writer) excelize.ZipWriter {
		out := target
		if password != "" {
			out = buf
		}
		zw := zip.NewWriter(out)
		zw.RegisterCompressor(zip.Deflate, newParallelDeflate)
		return dimension.NewWriter(zw, streams)
	}
	if password != "" {
		if err := f.Write(w, excelize.Options{Password: password}); err != nil {
			return fmt.Errorf("write encrypted workbook: %w", err)
		}
		return nil
	}
	if err := f.Write(io.Discard); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// styles are the cell styles the workbook uses.
type styles struct {
	header, title, bold, heading, date, time, dateTime, percent, decimal, wrap int
}

func newStyles(f *excelize.File) (*styles, error) {
	var s styles
	dateFmt, timeFmt, dtFmt := "yyyy-mm-dd", "hh:mm:ss", "yyyy-mm-dd hh:mm"
	defs := []struct {
		dst   *int
		style *excelize.Style
	}{
		{&s.header, &excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		}},
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.bold, &excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&s.heading, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&s.time, &excelize.Style{CustomNumFmt: &timeFmt}},
		{&s.dateTime, &excelize.Style{CustomNumFmt: &dtFmt}},
		{&s.percent, &excelize.Style{NumFmt: 10}}, // 0.00%
		{&s.decimal, &excelize.Style{NumFmt: 2}},  // 0.00
		{&s.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(d.style)
		if err != nil {
			return nil, fmt.Errorf("create cell style: %w", err)
		}
		*d.dst = id
	}
	return &s, nil
}

// smallInts holds the numbers 0…255 already boxed, so that the flags,
// scales and counts that fill most cells cost no allocation.
var smallInts = func() (b [256]any) {
	for i := range b {
		b[i] = float64(i)
	}
	return b
}()

// cell converts a value for the stream writer; styled cells are written
// into *slot, which the caller owns, to save an allocation. Text always
// goes in as a plain string, which excelize writes as an inline string:
// only a Cell with its Formula set becomes a formula, so free text that
// looks like one (=HYPERLINK(…), @SUM(…)) stays text.
func (s *styles) cell(v value, slot *excelize.Cell) any {
	switch v.kind {
	case kindText:
		return v.text
	case kindNumber:
		if v.num >= 0 && v.num < float64(len(smallInts)) && v.num == float64(int(v.num)) {
			return smallInts[int(v.num)]
		}
		return v.num
	case kindDate:
		*slot = excelize.Cell{StyleID: s.date, Value: excelSerial(v.t)}
	case kindTime:
		*slot = excelize.Cell{StyleID: s.time, Value: v.num}
	case kindDateTime:
		*slot = excelize.Cell{StyleID: s.dateTime, Value: excelSerial(v.t)}
	default:
		return nil
	}
	return slot
}

// maxCellChars is the most characters (UTF-16 code units) an Excel cell holds.
const maxCellChars = 32767

// excelText makes s fit an Excel cell: characters XML 1.0 cannot hold
// (control characters other than tab and line breaks, U+FFFE, U+FFFF,
// broken UTF-8) become U+FFFD, and text past maxCellChars is cut at a
// character boundary. It reports whether it cut or replaced anything, so
// that the About sheet can say how many cells differ from the answers.
func excelText(s string) (out string, cut, cleaned bool) {
	units, clean := 0, true
	for i, r := range s {
		if !xmlChar(r) || r == utf8.RuneError && isBrokenAt(s, i) {
			clean = false
		}
		n := 1
		if r > 0xFFFF {
			n = 2
		}
		if units+n > maxCellChars {
			s, cut = s[:i], true
			break
		}
		units += n
	}
	if clean {
		return s, cut, false
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		if !xmlChar(r) || r == utf8.RuneError && isBrokenAt(s, i) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String(), cut, true
}

// xmlChar reports whether XML 1.0 can hold r.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// isBrokenAt reports whether the U+FFFD decoded at s[i] stands for bytes that are not UTF-8.
func isBrokenAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 1
}

// dataSheet streams rows into a sheet with a frozen header, column widths
// and a filterable table, continuing on a new sheet when one is full.
type dataSheet struct {
	f       *excelize.File
	st      *styles
	streams *dimension.Streams
	ranges  []string // the range placeholder of each sheet opened
	base    string
	headers []string
	widths  []float64
	table   string // the name of its Excel table ("": base)
	sheets  int    // sheets opened so far
	sheet   string
	sw      *excelize.StreamWriter
	row     int // rows written on the current sheet, header included
	cells   []any
	slots   []excelize.Cell // storage for the styled cells of a row
	// numStyles, when set, is a number format per column for its numbers
	// (0: none), e.g. two decimals for a score that would show 15 digits.
	numStyles []int
	// wrapped marks the columns whose text wraps, such as a decision's
	// explanation; a row grows to show their lines (up to Excel's limit).
	wrapped []bool
	// truncated and cleaned count the text cells cut to Excel's limit and
	// those whose characters XML cannot hold were replaced (see excelText).
	truncated, cleaned int
}

func newDataSheet(f *excelize.File, st *styles, streams *dimension.Streams, base string, headers []string, widths []float64) *dataSheet {
	return &dataSheet{f: f, st: st, streams: streams, base: base, headers: headers, widths: widths, cells: make([]any, len(headers)), slots: make([]excelize.Cell, len(headers))}
}

// open starts the next sheet: the first is base itself (already in the
// workbook), the next ones "base (2)", "base (3)"… right after it.
func (d *dataSheet) open() error {
	d.sheets++
	d.sheet = d.base
	if d.sheets > 1 {
		prev := d.sheet
		if d.sheets > 2 {
			prev = fmt.Sprintf("%s (%d)", d.base, d.sheets-1)
		}
		d.sheet = fmt.Sprintf("%s (%d)", d.base, d.sheets)
		if _, err := d.f.NewSheet(d.sheet); err != nil {
			return fmt.Errorf("add sheet %s: %w", d.sheet, err)
		}
		placeAfter(d.f, prev)
	}
	// The stream writer declares the sheet's range before any row: declare
	// a placeholder, settled with the true range on close.
	ph, err := d.streams.Reserve(d.f, d.sheet)
	if err != nil {
		return err
	}
	d.ranges = append(d.ranges, ph)
	sw, err := d.f.NewStreamWriter(d.sheet)
	if err != nil {
		return fmt.Errorf("stream sheet %s: %w", d.sheet, err)
	}
	d.sw = sw
	// Runs of equal widths share one entry: the stream writer looks a
	// cell's column up in this list for every cell it writes.
	for first := 0; first < len(d.widths); {
		last := first
		for last+1 < len(d.widths) && d.widths[last+1] == d.widths[first] {
			last++
		}
		if err := sw.SetColWidth(first+1, last+1, d.widths[first]); err != nil {
			return fmt.Errorf("sheet %s: column width: %w", d.sheet, err)
		}
		first = last + 1
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("sheet %s: freeze the header: %w", d.sheet, err)
	}
	head := make([]any, len(d.headers))
	for i, h := range d.headers {
		head[i] = excelize.Cell{StyleID: d.st.header, Value: h}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: headerHeight(d.headers, d.widths)}); err != nil {
		return fmt.Errorf("sheet %s: header: %w", d.sheet, err)
	}
	d.row = 1
	return nil
}

// headerHeight is the height in points of a header row whose wrapped
// headers need the most lines in their column widths (at most
// maxHeaderLines), so that a long header such as "barriers: Insurance or
// financial checks" is read in full instead of cut at the next column.
// (Excel does not grow a streamed row to fit wrapped text by itself.)
func headerHeight(headers []string, widths []float64) float64 {
	const maxHeaderLines = 4
	lines := 1
	for i, h := range headers {
		if i >= len(widths) || widths[i] <= 0 {
			continue
		}
		// A column width counts characters (of the digit width).
		perLine := max(1, int(widths[i]))
		lines = max(lines, min(maxHeaderLines, (len([]rune(h))+perLine-1)/perLine))
	}
	return float64(lines * lineHeight)
}

// Row heights in points: one line of text, and the most Excel allows.
const (
	lineHeight   = 15
	maxRowHeight = 409
)

// wrappedLines estimates how many lines text takes in a wrapped column
// width characters wide.
func wrappedLines(text string, width float64) int {
	perLine := max(1, int(width))
	n := 0
	for _, para := range strings.Split(text, "\n") {
		n += max(1, (len([]rune(para))+perLine-1)/perLine)
	}
	return n
}

// write adds one row.
func (d *dataSheet) write(vals []value) error {
	if d.row == maxRows {
		if err := d.close(); err != nil {
			return err
		}
		if err := d.open(); err != nil {
			return err
		}
	}
	lines := 1
	for i, v := range vals {
		if v.kind == kindText && i < len(d.wrapped) && d.wrapped[i] {
			d.slots[i] = excelize.Cell{StyleID: d.st.wrap, Value: v.text}
			d.cells[i] = &d.slots[i]
			lines = max(lines, wrappedLines(v.text, d.widths[i]))
			continue
		}
		if v.kind == kindNumber && i < len(d.numStyles) && d.numStyles[i] != 0 {
			d.slots[i] = excelize.Cell{StyleID: d.numStyles[i], Value: v.num}
			d.cells[i] = &d.slots[i]
			continue
		}
		if v.kind == kindText {
			var cut, cleaned bool
			v.text, cut, cleaned = excelText(v.text)
			if cut {
				d.truncated++
			}
			if cleaned {
				d.cleaned++
			}
		}
		d.cells[i] = d.st.cell(v, &d.slots[i])
	}
	d.row++
	var opts []excelize.RowOpts
	if lines > 1 {
		opts = append(opts, excelize.RowOpts{Height: min(maxRowHeight, float64(lines)*lineHeight)})
	}
	if err := d.sw.SetRow("A"+strconv.Itoa(d.row), d.cells, opts...); err != nil {
		return fmt.Errorf("sheet %s row %d: %w", d.sheet, d.row, err)
	}
	return nil
}

// close turns the sheet's rows into a table (with filter buttons) and flushes it.
func (d *dataSheet) close() error {
	last, err := excelize.CoordinatesToCellName(len(d.headers), max(d.row, 2))
	if err != nil {
		return fmt.Errorf("sheet %s: %w", d.sheet, err)
	}
	stripes := true
	name := tableName(cmp.Or(d.table, d.base), d.sheets)
	if err := d.sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: name, StyleName: "TableStyleLight1", ShowRowStripes: &stripes}); err != nil {
		return fmt.Errorf("sheet %s: add table: %w", d.sheet, err)
	}
	if err := d.sw.Flush(); err != nil {
		return fmt.Errorf("sheet %s: flush: %w", d.sheet, err)
	}
	if err := d.streams.Settle(d.ranges[len(d.ranges)-1], len(d.headers), d.row); err != nil {
		return fmt.Errorf("sheet %s: %w", d.sheet, err)
	}
	return nil
}

// placeAfter moves the sheet just added (the last one) to right after the
// sheet prev, by reordering the workbook's sheet list. (MoveSheet would do
// it, but it parses every sheet to ungroup them, and a streamed sheet that
// has been flushed cannot be parsed: it would crash or load a million rows.)
func placeAfter(f *excelize.File, prev string) {
	sheets := f.WorkBook.Sheets.Sheet
	for i := range sheets[:len(sheets)-1] {
		if sheets[i].Name == prev {
			last := sheets[len(sheets)-1]
			copy(sheets[i+2:], sheets[i+1:len(sheets)-1])
			sheets[i+1] = last
			return
		}
	}
}

// repeatTableName names the Excel table of the repeat at place i among the
// tables: a table name must not look like a cell reference (a repeat named
// ab12 would) and holds letters, digits, underscores and periods only.
func repeatTableName(i int, repeat string) string {
	return "Repeat" + strconv.Itoa(i) + "_" + strings.Map(func(r rune) rune {
		if r == '.' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, repeat)
}

func tableName(base string, n int) string {
	if n == 1 {
		return base
	}
	return base + strconv.Itoa(n)
}
