package export

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"canvass/survey"
)

// sheetWriter fills a normal (non-streamed) sheet cell by cell. Text is
// always set with SetCellStr, so it is never read as a formula. The first
// error sticks and later calls do nothing.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	err   error
}

func (w *sheetWriter) set(col, row int, v any) {
	if w.err != nil || v == nil {
		return
	}
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		w.err = err
		return
	}
	switch v := v.(type) {
	case string:
		if v != "" {
			w.err = w.f.SetCellStr(w.sheet, ref, v)
		}
	case int:
		w.err = w.f.SetCellInt(w.sheet, ref, int64(v))
	case float64:
		w.err = w.f.SetCellFloat(w.sheet, ref, v, -1, 64)
	default:
		w.err = fmt.Errorf("cell %s: unexpected %T", ref, v)
	}
}

// row sets cells from column 1 on.
func (w *sheetWriter) row(row int, vals ...any) {
	for i, v := range vals {
		w.set(i+1, row, v)
	}
}

func (w *sheetWriter) style(col1, row1, col2, row2, style int) {
	if w.err != nil {
		return
	}
	a, err := excelize.CoordinatesToCellName(col1, row1)
	if err != nil {
		w.err = err
		return
	}
	b, err := excelize.CoordinatesToCellName(col2, row2)
	if err != nil {
		w.err = err
		return
	}
	w.err = w.f.SetCellStyle(w.sheet, a, b, style)
}

// heading writes a question's title across the table's columns (A to
// E), wrapped, so that a long question stays beside its chart instead of
// running under it.
func (w *sheetWriter) heading(row int, title string, style int) {
	w.set(1, row, title)
	first, last := fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", summaryLastTableColumn, row)
	if w.err == nil {
		w.err = w.f.MergeCell(w.sheet, first, last)
	}
	w.style(1, row, chartColumn-1, row, style)
	if lines := (len([]rune(title)) + summaryTableChars - 1) / summaryTableChars; lines > 1 && w.err == nil {
		w.err = w.f.SetRowHeight(w.sheet, row, float64(15*lines))
	}
}

func (w *sheetWriter) widths(widths ...float64) {
	for i, width := range widths {
		if w.err != nil {
			return
		}
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			w.err = err
			return
		}
		w.err = w.f.SetColWidth(w.sheet, col, col, width)
	}
}

func (w *sheetWriter) done() error {
	if w.err != nil {
		return fmt.Errorf("write sheet %s: %w", w.sheet, w.err)
	}
	return nil
}

// Summary layout: a block per question, a chart beside each choice block.
const (
	chartColumn   = 6  // F
	rowPixels     = 20 // default row height
	minChartRows  = 12
	chartWidthPix = 520
	// summaryLastTableColumn is the last column the Summary's tables use,
	// and summaryTableChars about the characters of bold text that fit in
	// them (the widths of A to E add up to 80).
	summaryLastTableColumn = "E"
	summaryTableChars      = 80
	// chartTextColor is the colour of the charts' axis labels.
	chartTextColor = "404040"
)

// writeSummary writes the Summary sheet: per choice question the count and
// percentage of each answer with a bar chart, per number question n, mean,
// median, min and max, per date question the earliest and latest day, and
// per other question the number of answers. Percentages are of the
// responses that answered the question.
func writeSummary(f *excelize.File, st *styles, p *plan, sum *summary, res Result) error {
	w := &sheetWriter{f: f, sheet: SheetSummary}
	w.widths(44, 10, 10, 14, 2)
	w.row(1, "Summary of "+p.defs[0].Title.In(p.lang, p.defs[0].DefaultLanguage()))
	w.style(1, 1, 1, 1, st.title)
	w.row(2, fmt.Sprintf("%d responses exported (%d complete, %d partial, %d abandoned).", res.Responses, res.Complete, res.Draft, res.Abandoned))
	w.row(3, "Percentages are of the responses that answered each question (n). A question with several answers can add up to more than 100 %.")
	r := 5
	if p.hasRepeats() {
		w.row(4, "A question in a repeat group is counted once per instance (each person, each service…): its n and percentages count every instance that answered, and the line under it says across how many responses.")
		r = 6
	}
	if versions, responses := p.conflictCounts(); versions > 0 {
		w.row(r-1, conflictNote(versions, responses))
		w.style(1, r-1, 1, r-1, st.bold)
		r++
	}
	for i, fld := range p.fields {
		if fld.q.Type.IsMetadata() {
			continue // start, end, today, deviceid: nothing to summarise
		}
		t := &sum.tallies[i]
		top := r
		title := fld.q.Name
		if fld.label != "" {
			title += ": " + fld.label
		}
		if rt := fld.table; rt.repeat != nil {
			title += " (repeat " + rt.repeat.Name + ", sheet " + rt.sheet + ")"
		}
		w.heading(r, title, st.heading)
		r++
		w.row(r, "answered (n)", t.answered)
		r++
		if rt := fld.table; rt.repeat != nil {
			w.row(r, p.instancesLine(rt, t.answered, t.responses))
			r++
		}
		chartRows := 0
		if fld.q.Type.HasChoices() {
			isRank := fld.q.Type == survey.TypeRank
			head := []any{"answer", "count", "%"}
			if isRank {
				head = []any{"choice", "ranked 1st", "%", "mean position"}
			}
			w.row(r, head...)
			w.style(1, r, len(head), r, st.header)
			r++
			first := r
			for ci := range fld.choices {
				label := fld.labels[ci]
				if p.opts.Codes {
					label = fld.choices[ci].Name
				}
				w.row(r, label, t.counts[ci])
				if t.answered > 0 {
					w.set(3, r, float64(t.counts[ci])/float64(t.answered))
				}
				if isRank && t.posN[ci] > 0 {
					w.set(4, r, round(float64(t.posSum[ci])/float64(t.posN[ci]), 2))
				}
				r++
			}
			for _, code := range t.otherCodes() {
				w.row(r, code+" (not in the choice list)", t.other[code])
				if t.answered > 0 {
					w.set(3, r, float64(t.other[code])/float64(t.answered))
				}
				r++
			}
			if r > first {
				w.style(3, first, 3, r-1, st.percent)
				chartRows = max(minChartRows, r-top+1)
				if w.err == nil {
					w.err = addBarChart(f, fld, top, first, r-1, chartRows)
				}
			}
		}
		if points := fld.q.ScalePoints(); points != nil && t.nums.n > 0 {
			// A rating (1–5, 0–10…): how many gave each point, and its chart.
			w.row(r, "answer", "count", "%")
			w.style(1, r, 3, r, st.header)
			r++
			first := r
			onScale := 0
			for _, pt := range points {
				n := t.nums.hist[pt]
				onScale += n
				w.row(r, pt, n, float64(n)/float64(t.answered))
				r++
			}
			if off := t.nums.n - onScale; off > 0 {
				w.row(r, "other values (off the scale)", off, float64(off)/float64(t.answered))
				r++
			}
			w.style(3, first, 3, r-1, st.percent)
			chartRows = max(minChartRows, r-top+1)
			if w.err == nil {
				w.err = addBarChart(f, fld, top, first, r-1, chartRows)
			}
		}
		if t.nums.n > 0 {
			for _, s := range []struct {
				name string
				v    float64
			}{
				{"mean", round(t.nums.mean(), 4)},
				{"median", t.nums.median()},
				{"min", t.nums.min},
				{"max", t.nums.max},
			} {
				w.row(r, s.name, s.v)
				r++
			}
		}
		if t.earliest != "" {
			for _, d := range [][2]string{{"earliest", t.earliest}, {"latest", t.latest}} {
				w.row(r, d[0])
				if v := dateValue(d[1]); v.kind == kindDate {
					w.set(2, r, excelSerial(v.t))
					w.style(2, r, 2, r, st.date)
				} else {
					w.set(2, r, d[1])
				}
				r++
			}
		}
		r = max(r, top+chartRows) + 1
	}
	return w.done()
}

// addBarChart adds a bar chart of the counts in rows first..last beside the block at top.
func addBarChart(f *excelize.File, fld *field, top, first, last, rows int) error {
	anchor, err := excelize.CoordinatesToCellName(chartColumn, top)
	if err != nil {
		return err
	}
	sheet := "'" + SheetSummary + "'"
	rng := func(col string) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", sheet, col, first, col, last)
	}
	noVary := false
	title := fld.q.Name
	if fld.label != "" && fld.label != fld.q.Name {
		title = fld.label
	}
	if len([]rune(title)) > 90 {
		title = string([]rune(title)[:90]) + "…"
	}
	err = f.AddChart(SheetSummary, anchor, &excelize.Chart{
		Type:       excelize.Bar,
		VaryColors: &noVary,
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("%s!$A$%d", sheet, top),
			Categories: rng("A"),
			Values:     rng("B"),
		}},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title, Font: &excelize.Font{Bold: true, Size: 11}}}},
		Legend: excelize.ChartLegend{Position: "none"},
		// excelize's default axis text is 85 % white: nearly invisible on
		// paper and screen alike, so the labels are set dark explicitly.
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Color: chartTextColor, Size: 9}},
		YAxis:     excelize.ChartAxis{Font: excelize.Font{Color: chartTextColor, Size: 9}},
		PlotArea:  excelize.ChartPlotArea{ShowVal: true},
		Dimension: excelize.ChartDimension{Width: chartWidthPix, Height: uint(rows * rowPixels)},
		Format:    excelize.GraphicOptions{AltText: "Bar chart of the answers to " + fld.q.Name},
	})
	if err != nil {
		return fmt.Errorf("chart for %s: %w", fld.q.Name, err)
	}
	return nil
}

// Codebook columns.
var codebookHeaders = []string{"column", "question", "label", "type", "required", "relevant", "constraint", "personal", "versions", "choice code", "choice label", "score"}

// writeCodebook writes the Codebook sheet: a row per data column and per
// question, then a row per choice code with its label and score. With
// repeats, a last column names the sheet each column is on, and the key
// columns of the repeat sheets state the convention they follow.
func writeCodebook(f *excelize.File, st *styles, p *plan) error {
	w := &sheetWriter{f: f, sheet: SheetCodebook}
	w.widths(30, 20, 50, 24, 9, 30, 30, 9, 9, 16, 40, 8, 20)
	headers := codebookHeaders
	sheetCol := 0 // the column naming each row's sheet, with repeats
	if p.hasRepeats() {
		headers = append(slices.Clone(headers), "sheet")
		sheetCol = len(headers)
	}
	head := make([]any, len(headers))
	for i, h := range headers {
		head[i] = h
	}
	w.row(1, head...)
	w.style(1, 1, len(head), 1, st.header)
	r := 2
	line := func(sheet string, vals ...any) {
		w.row(r, vals...)
		if sheetCol > 0 {
			w.set(sheetCol, r, sheet)
		}
		r++
	}
	main := p.tables[0]
	if p.opts.Long {
		meanings := []string{"the response's unique id", "the question (for a ranking: the question and the position)", "the answer as stored: the choice code for a choice, else the value", "the answer as shown: the choice label for a choice, else the value"}
		headers, _ := p.longHeaders()
		for _, h := range headers {
			meaning := "the repeat instance the answer belongs to, as its path: carers[2] is the second instance of the repeat carers, carers[2]/services[1] the first service of that instance (blank: an answer outside every repeat)"
			if i := slices.Index(longHeaders, h); i >= 0 {
				meaning = meanings[i]
			}
			line(SheetResponses, h, "", meaning, "column")
		}
	} else {
		for i := 0; i < metaCount; i++ {
			line(main.sheet, main.columns[i].header, "", metaMeaning[i], "metadata")
		}
		if main.indexCol >= 0 {
			line(main.sheet, indexHeader, "", "the response's row number on this sheet, counting from 1: the _parent_index of the rows of its top-level repeats. Repeat sheets key back to their parent rows as KoboToolbox's exports do (_index, _parent_index, _parent_table_name).", "key")
		}
		for _, t := range p.tables[1:] {
			line(t.parent.sheet, countHeader(t), t.repeat.Name, "how many instances of the repeat “"+t.label+"” the row has (0: none)", "count")
		}
		for _, t := range p.tables[1:] {
			meaning := keyMeaning(t)
			for i, h := range keyHeaders {
				line(t.sheet, h, "", meaning[i], "key")
			}
		}
	}
	byField := map[*field][]string{}
	for _, t := range p.tables {
		for _, c := range t.columns {
			if c.field != nil {
				byField[c.field] = append(byField[c.field], c.header)
			}
		}
	}
	for _, fld := range p.fields {
		q := fld.q
		sheet := fld.table.sheet
		if p.opts.Long {
			sheet = SheetResponses
		}
		col := ""
		if !p.opts.Long && q.Type != survey.TypeRank {
			col = byField[fld][0]
		}
		w.style(1, r, 3, r, st.bold)
		line(sheet, col, q.Name, fld.label, typeDescription(q, fld), yes(q.Required), q.Relevant, q.Constraint, yes(fld.personal), joinInts(fld.versions))
		if q.Type == survey.TypeRank && !p.opts.Long {
			for i, h := range byField[fld] {
				line(sheet, h, q.Name, "the choice ranked "+ordinal(i+1))
			}
		}
		for ci, c := range fld.choices {
			col := ""
			if q.Type == survey.TypeSelectMultiple && !p.opts.Long {
				col = byField[fld][ci+1]
			}
			w.set(10, r, c.Name)
			w.set(11, r, fld.labels[ci])
			if c.Score != nil {
				w.set(12, r, *c.Score)
			}
			line(sheet, col, q.Name)
		}
		if fld.orOther {
			col, where := "", ""
			if p.opts.Long {
				where = fmt.Sprintf(" (rows whose question is %q)", otherHeader(q.Name))
			} else {
				col = fld.table.columns[fld.otherCol].header
			}
			line(sheet, col, q.OtherName(), "the respondent's own words when they chose “Other”"+where, "text", "", "", "", yes(fld.personal), joinInts(fld.versions))
		}
	}
	if w.err == nil {
		last, _ := excelize.CoordinatesToCellName(len(head), max(r-1, 2))
		w.err = f.AutoFilter(SheetCodebook, "A1:"+last, nil)
	}
	if w.err == nil {
		w.err = f.SetPanes(SheetCodebook, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	return w.done()
}

// typeDescription says what kind of question q is, for the codebook.
func typeDescription(q *survey.Question, fld *field) string {
	var b strings.Builder
	b.WriteString(string(q.Type))
	if q.List != "" {
		b.WriteString(" " + q.List)
	}
	if fld.orOther {
		b.WriteString(" or_other")
	}
	if q.Range != nil {
		fmt.Fprintf(&b, " %s to %s step %s", strconv.FormatFloat(q.Range.Start, 'f', -1, 64), strconv.FormatFloat(q.Range.End, 'f', -1, 64), strconv.FormatFloat(q.Range.Step, 'f', -1, 64))
	}
	if q.Appearance != "" {
		b.WriteString(" (" + q.Appearance + ")")
	}
	switch {
	case fld.numeric:
		b.WriteString("; written as the number of the code")
	case q.Type == survey.TypeSelectMultiple:
		b.WriteString("; chosen answers joined by \"; \", then 1/0 per choice")
	}
	return b.String()
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// writeAbout writes the About sheet: what was exported, when, by which
// device and Canvass version, with which filters, and how many responses.
func writeAbout(f *excelize.File, st *styles, src Source, p *plan, events map[string]string, res Result) error {
	w := &sheetWriter{f: f, sheet: SheetAbout}
	w.widths(28, 80)
	latest := p.defs[0]
	w.row(1, "About this export")
	w.style(1, 1, 1, 1, st.title)
	for i, kv := range aboutLines(src, p, events, res, latest) {
		var v any = kv[1]
		if aboutCounts[kv[0]] {
			if n, err := strconv.Atoi(kv[1]); err == nil {
				v = n // a count is a number, so it can be summed and compared
			}
		}
		w.row(i+3, kv[0], v)
		w.style(1, i+3, 1, i+3, st.bold)
	}
	return w.done()
}

// aboutCounts are the About lines whose values are counts, written as numbers.
var aboutCounts = map[string]bool{"Responses exported": true, "Complete": true, "Draft": true, "Abandoned": true, "Data rows": true,
	aboutTruncated: true, aboutCleaned: true, aboutRepeatRows: true}

// The About lines that say how many cells differ from the stored answers
// (the CSV export and the database hold them whole).
const (
	aboutTruncated = "Cells cut to Excel's 32,767 characters"
	aboutCleaned   = "Cells with control characters replaced by \uFFFD"
)

// aboutLines are the About sheet's label–value pairs (also used in tests).
func aboutLines(src Source, p *plan, events map[string]string, res Result, latest *survey.Survey) [][2]string {
	o := p.opts
	versions := make([]int, len(p.defs))
	for i, d := range p.defs {
		versions[i] = d.Version
	}
	slices.Sort(versions)
	now := o.now().In(p.loc)
	appVersion := o.AppVersion
	if appVersion == "" {
		appVersion = "unknown"
	}
	event := "every event"
	if o.EventID != "" {
		event = events[o.EventID]
		if event == "" {
			event = o.EventID
		}
	}
	dates := "any date"
	switch {
	case !o.From.IsZero() && !o.To.IsZero():
		dates = fmt.Sprintf("started from %s and before %s", o.From.In(p.loc).Format("2006-01-02 15:04"), o.To.In(p.loc).Format("2006-01-02 15:04"))
	case !o.From.IsZero():
		dates = "started from " + o.From.In(p.loc).Format("2006-01-02 15:04")
	case !o.To.IsZero():
		dates = "started before " + o.To.In(p.loc).Format("2006-01-02 15:04")
	}
	statuses := "complete, partial and abandoned"
	if o.CompleteOnly {
		statuses = "complete only"
	}
	personal := "included"
	if o.NoPersonal {
		personal = "left out"
	}
	layout := "one row per response"
	if o.Long {
		layout = "one row per answer (long)"
	}
	values := "choice labels"
	if o.Codes {
		values = "choice codes"
	}
	zone, _ := now.Zone()
	lines := [][2]string{
		{"Survey", fmt.Sprintf("%s (%s)", latest.Title.In(p.lang, latest.DefaultLanguage()), latest.ID)},
		{"Versions", joinInts(versions)},
		{"Exported at", now.Format("2006-01-02 15:04:05 ") + zone},
		{"Exported on device", src.DeviceID()},
		{"Canvass version", appVersion},
		{"Event", event},
		{"Dates", dates},
		{"Responses included", statuses},
		{"Personal questions", personal},
		{"Layout", layout},
		{"Answers shown as", values},
		{"Label language", p.lang},
		{"Times shown in", p.loc.String() + " (" + zone + ")"},
		{"Responses exported", strconv.Itoa(res.Responses)},
		{"Complete", strconv.Itoa(res.Complete)},
		{"Draft", strconv.Itoa(res.Draft)},
		{"Abandoned", strconv.Itoa(res.Abandoned)},
		{"Data rows", strconv.Itoa(res.Rows)},
		{aboutTruncated, strconv.Itoa(res.Truncated)},
		{aboutCleaned, strconv.Itoa(res.Cleaned)},
		{"Unresolved merge conflicts", conflictsLine(p)},
	}
	if p.hasRepeats() {
		if !o.Long {
			lines = append(lines, [2]string{aboutRepeatRows, strconv.Itoa(res.InstanceRows)})
		}
		lines = append(lines, [2]string{"Repeat groups", repeatSheets(p)})
	}
	return lines
}

// aboutRepeatRows is the About line counting the rows of the repeat sheets.
const aboutRepeatRows = "Repeat rows (one per instance)"

// repeatSheets says where each repeat's rows are.
func repeatSheets(p *plan) string {
	var parts []string
	for _, t := range p.tables[1:] {
		where := "sheet " + t.sheet
		if p.opts.Long {
			where = "the instance column"
		}
		parts = append(parts, t.repeat.Name+" ("+where+")")
	}
	return strings.Join(parts, "; ")
}

// conflictNote is the Summary's warning that some rows are versions of
// one response that laptops sent with different answers.
func conflictNote(versions, responses int) string {
	return fmt.Sprintf("Of these, %d are versions of %s that laptops sent with different answers (column \"merge conflict\"): "+
		"each version is counted until staff keep one in the response browser.", versions, responsesWord(responses))
}

// conflictsLine is the About sheet's count of merge conflicts exported.
func conflictsLine(p *plan) string {
	versions, responses := p.conflictCounts()
	if versions == 0 {
		return "none"
	}
	return fmt.Sprintf("%d versions of %s, each counted (see the \"merge conflict\" column)", versions, responsesWord(responses))
}

func responsesWord(n int) string {
	if n == 1 {
		return "1 response"
	}
	return strconv.Itoa(n) + " responses"
}
