package export

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"canvass/survey"
)

// field is one question as exported: the union of its definitions over the
// exported versions. Its definition comes from the newest version that has
// it; its choices are the newest version's, then those only older ones had.
type field struct {
	q        *survey.Question
	label    string             // the question's label in the export language
	choices  []survey.Choice    // union over versions
	labels   []string           // choice labels in the export language
	index    map[string]int     // choice name → index in choices
	personal bool               // flagged personal in any version
	numeric  bool               // a Likert scale whose codes are all numbers: written as numbers
	versions []int              // versions that have the question, oldest first
	first    int                // index of the field's first column in the data layout
	orOther  bool               // an or_other select in some version: its "Other" text has a column
	otherCol int                // index of the "Other" text column in the wide layout
	repeats  []*survey.Question // the repeats around the question, outermost first
	table    *table             // the sheet the question's columns are on
	n        int                // the field's place in plan.fields
}

// otherChoice is the choice code an or_other question's "Other" answer is
// stored as; its free text is in the answer named by Question.OtherName.
const otherChoice = survey.OtherChoice

// otherHeader is the header of the column (and the long layout's question)
// that holds the free text given with a question's "Other" answer.
func otherHeader(name string) string { return name + ": other (please specify)" }

// hasOther reports whether q is a select whose "Other" answer carries free text.
func hasOther(q *survey.Question) bool {
	return q.OrOther && (q.Type == survey.TypeSelectOne || q.Type == survey.TypeSelectMultiple)
}

// label returns the label of choice code c, or c itself when it is unknown.
func (f *field) choiceLabel(c string) string {
	if i, ok := f.index[c]; ok {
		return f.labels[i]
	}
	return c
}

// plan is the shape of an export: the survey versions, their fields in
// column order, and the tables (sheets) with their wide-layout columns.
type plan struct {
	defs    []*survey.Survey // newest first
	lang    string
	fields  []*field
	tables  []*table       // Responses, then one per repeat (see repeats.go)
	rowsOf  []int          // rows each table has had so far, for _index
	orderOf map[string]int // question name → place in the newest version
	opts    Options
	loc     *time.Location
	// conflicts maps each exported response that is one version of a
	// merge conflict to the id the versions share.
	conflicts map[string]string
	// moved maps a survey version to the questions it asked outside the
	// repeats the newest version asks them in (see placeAnswers).
	moved map[int]map[string]string
}

// noteConflict remembers r if it is one version of an unresolved merge conflict.
func (p *plan) noteConflict(r *survey.Response) {
	if r.Conflict == "" {
		return
	}
	if p.conflicts == nil {
		p.conflicts = map[string]string{}
	}
	p.conflicts[r.ID] = r.Conflict
}

// conflictCounts returns how many exported rows are versions of a
// conflicting response, and of how many responses.
func (p *plan) conflictCounts() (versions, responses int) {
	shared := map[string]bool{}
	for _, c := range p.conflicts {
		shared[c] = true
	}
	return len(p.conflicts), len(shared)
}

// colPart says which part of a field a column holds.
type colPart uint8

const (
	partMeta   colPart = iota // response metadata
	partValue                 // the answer itself
	partJoined                // select_multiple: chosen labels joined by "; "
	partFlag                  // select_multiple: 1 if the choice was chosen, else 0
	partRank                  // rank: the choice at one position
	partOther                 // or_other select: the free text given with "Other"
	partKey                   // a repeat sheet's key column, or _index on Responses
	partCount                 // the number of instances of a repeat
)

// column is one column of the wide layout.
type column struct {
	header string
	part   colPart
	field  *field // nil for metadata
	index  int    // choice index of a flag, position of a rank column, metadata kind
	width  float64
}

// Response metadata columns, in order.
const (
	metaID = iota
	metaVersion
	metaEvent
	metaDevice
	metaLanguage
	metaStarted
	metaSubmitted
	metaDuration
	metaStatus
	metaConflict
	metaCount
)

var metaHeaders = [metaCount]string{
	"response id", "survey version", "event", "device", "language",
	"started", "submitted", "duration (min)", "status", "merge conflict",
}

var metaWidths = [metaCount]float64{38, 8, 24, 38, 9, 17, 17, 10, 11, 38}

var metaMeaning = [metaCount]string{
	"the response's unique id",
	"the survey version the response was answered on",
	"the event active when the response was started (blank: none)",
	"the id of the device the response was given on",
	"the language the respondent chose",
	"when the respondent started",
	"when the response was submitted (blank: not submitted)",
	"minutes from start to submission, or to the last answer when not submitted",
	statusMeaning(),
	"blank, unless laptops sent different versions of this response and staff have not chosen one yet: then every version holds the response id of the first one (count only one version; the response browser resolves it)",
}

// statusMeaning lists the status words the export writes, with their
// meanings, in the words every screen uses.
func statusMeaning() string {
	parts := make([]string, len(survey.Statuses))
	for i, s := range survey.Statuses {
		parts[i] = s.Label() + " (" + s.Meaning() + ")"
	}
	return strings.Join(parts, "; ")
}

// newPlan builds the export's shape from the survey versions, newest first.
func newPlan(defs []*survey.Survey, opts Options) (*plan, error) {
	p := &plan{defs: defs, opts: opts, loc: opts.location()}
	p.lang = opts.Language
	if p.lang == "" {
		p.lang = defs[0].DefaultLanguage()
	}
	fallback := defs[0].DefaultLanguage()
	byName := map[string]*field{}
	for _, def := range defs {
		for _, q := range def.Fields() {
			f, ok := byName[q.Name]
			if !ok {
				f = &field{q: q, label: q.Label.In(p.lang, fallback), index: map[string]int{}, repeats: def.Repeats(q.Name)}
				byName[q.Name] = f
				p.fields = append(p.fields, f)
			}
			f.versions = append([]int{def.Version}, f.versions...) // oldest first
			f.personal = f.personal || q.Personal
			f.orOther = f.orOther || hasOther(q)
			for _, c := range def.Choices(q) {
				if _, seen := f.index[c.Name]; seen {
					continue
				}
				f.index[c.Name] = len(f.choices)
				f.choices = append(f.choices, c)
				f.labels = append(f.labels, cleanLabel(c.Label.In(p.lang, fallback), c.Name))
			}
		}
	}
	for _, f := range p.fields {
		if f.orOther && !f.q.Type.HasChoices() {
			f.orOther = false // the question is no longer a select in the newest version
		}
		if _, listed := f.index[otherChoice]; f.orOther && !listed {
			// The form offers "Other" itself when the list has no such choice.
			f.index[otherChoice] = len(f.choices)
			f.choices = append(f.choices, survey.Choice{Name: otherChoice, Label: survey.Text{"": "Other"}})
			f.labels = append(f.labels, "Other")
		}
	}
	if opts.NoPersonal {
		kept := p.fields[:0]
		for _, f := range p.fields {
			if !f.personal {
				kept = append(kept, f)
			}
		}
		p.fields = kept
	}
	for i, f := range p.fields {
		f.n = i
		f.numeric = f.q.IsLikert() && len(f.choices) > 0
		for _, c := range f.choices {
			if _, ok := parseNumber(c.Name); !ok {
				f.numeric = false
			}
		}
	}
	p.buildTables()
	p.rowsOf = make([]int, len(p.tables))
	for _, t := range p.tables {
		t.columns = p.wideColumns(t)
		if len(t.columns) > maxColumns {
			return nil, fmt.Errorf("%w: sheet %s has %d columns, a worksheet holds %d (leave out versions or use the long layout)", ErrTooManyColumns, t.sheet, len(t.columns), maxColumns)
		}
	}
	return p, nil
}

// maxColumns is the widest worksheet Excel opens.
const maxColumns = 16384

// wideColumns lays out a table's columns: the response's metadata (and
// _index when the survey has repeats) or a repeat's key columns, then the
// questions' columns, with the instance count of each repeat inside the
// table where the repeat stands in the survey.
func (p *plan) wideColumns(t *table) []column {
	var cols []column
	if t.repeat == nil {
		for i := 0; i < metaCount; i++ {
			cols = append(cols, column{header: metaHeaders[i], part: partMeta, index: i, width: metaWidths[i]})
		}
		if p.hasRepeats() {
			t.indexCol = len(cols)
			cols = append(cols, column{header: indexHeader, part: partKey, index: keyIndex, width: 8})
		}
	} else {
		for i := 0; i < keyCount; i++ {
			cols = append(cols, column{header: keyHeaders[i], part: partKey, index: i, width: keyWidths[i]})
		}
	}
	children := t.children
	addCounts := func(before int) {
		for len(children) > 0 && children[0].order < before {
			c := children[0]
			c.countCol = len(cols)
			cols = append(cols, column{header: countHeader(c), part: partCount, width: 10})
			children = children[1:]
		}
	}
	for _, f := range t.fields {
		addCounts(p.order(f))
		f.first = len(cols)
		name := f.q.Name
		switch f.q.Type {
		case survey.TypeSelectMultiple:
			cols = append(cols, column{header: name, part: partJoined, field: f, width: 30})
			for i := range f.choices {
				cols = append(cols, column{header: name + ": " + p.choiceHeader(f, i), part: partFlag, field: f, index: i, width: 12})
			}
		case survey.TypeRank:
			for i := range f.choices {
				cols = append(cols, column{header: name + ": " + ordinal(i+1), part: partRank, field: f, index: i, width: 18})
			}
		default:
			cols = append(cols, column{header: name, part: partValue, field: f, width: valueWidth(f)})
		}
		if f.orOther {
			f.otherCol = len(cols)
			cols = append(cols, column{header: otherHeader(name), part: partOther, field: f, width: 40})
		}
	}
	addCounts(int(^uint(0) >> 1))
	uniqueHeaders(cols)
	return cols
}

// order is a field's place in the newest version's question order (after
// every question there for a question only older versions have).
func (p *plan) order(f *field) int {
	if i, ok := p.orderOf[f.q.Name]; ok {
		return i
	}
	return len(p.orderOf) + f.n
}

func (p *plan) choiceHeader(f *field, i int) string {
	if p.opts.Codes {
		return f.choices[i].Name
	}
	return f.labels[i]
}

func valueWidth(f *field) float64 {
	switch f.q.Type {
	case survey.TypeInteger, survey.TypeDecimal, survey.TypeRange:
		return max(10, min(float64(len(f.q.Name))+2, 24))
	case survey.TypeDate, survey.TypeToday, survey.TypeTime:
		return 12
	case survey.TypeDateTime, survey.TypeStart, survey.TypeEnd:
		return 17
	case survey.TypeText:
		return 40
	}
	if f.numeric {
		return 10
	}
	return max(14, min(float64(len(f.q.Name))+2, 30))
}

// uniqueHeaders makes headers unique regardless of case (as an Excel table
// needs), appending " (2)", " (3)"… to repeats.
func uniqueHeaders(cols []column) {
	seen := make(map[string]bool, len(cols))
	for i := range cols {
		h := cols[i].header
		for n := 2; seen[strings.ToLower(h)]; n++ {
			h = fmt.Sprintf("%s (%d)", cols[i].header, n)
		}
		seen[strings.ToLower(h)] = true
		cols[i].header = h
	}
}

// cleanLabel flattens a label for a header: control characters become
// spaces, runs of space collapse, and a blank label falls back to the code.
func cleanLabel(s, code string) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if s == "" {
		return code
	}
	if len(s) > maxLabelBytes {
		cut := maxLabelBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// maxLabelBytes bounds a choice label in a column header.
const maxLabelBytes = 120

// ordinal writes n as 1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, 21st.
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// kind is the type of a cell value.
type kind uint8

const (
	kindBlank kind = iota
	kindText
	kindNumber
	kindDate     // a day
	kindTime     // a time of day
	kindDateTime // a moment, in the export's time zone
)

// value is one cell, before it is written to a workbook or a CSV file.
type value struct {
	kind kind
	text string
	num  float64   // kindNumber; for kindTime the fraction of a day
	t    time.Time // kindDate, kindDateTime: wall-clock time in the export's zone
}

func text(s string) value        { return value{kind: kindText, text: s} }
func number(f float64) value     { return value{kind: kindNumber, num: f} }
func dateTime(t time.Time) value { return value{kind: kindDateTime, t: t} }

// parseNumber reads a finite decimal number.
func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// firstExcelDay is the first day whose serial number Excel gets right
// (before it, Excel's 1900 calendar has a 29 February that never was).
var firstExcelDay = time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)
var lastExcelDay = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func excelRange(t time.Time) bool {
	return !t.Before(firstExcelDay) && !t.After(lastExcelDay)
}

// numberValue is a number cell, or text when s is not a number.
func numberValue(s string) value {
	if f, ok := parseNumber(s); ok {
		return number(f)
	}
	return text(s)
}

// dateValue is a date cell for a stored 2006-01-02 date, or text.
func dateValue(s string) value {
	t, err := time.Parse(survey.DateLayout, strings.TrimSpace(s))
	if err != nil || !excelRange(t) {
		return text(s)
	}
	return value{kind: kindDate, t: t}
}

// timeValue is a time-of-day cell for a stored 15:04[:05[.000]][zone] time, or text.
func timeValue(s string) value {
	t := strings.TrimSpace(s)
	if i := strings.IndexAny(t, "Z+-"); i > 0 {
		t = t[:i] // the zone, if any, is the respondent's own: keep the wall time
	}
	for _, layout := range []string{"15:04:05.999999999", "15:04"} {
		if tt, err := time.Parse(layout, t); err == nil {
			secs := float64(tt.Hour()*3600+tt.Minute()*60+tt.Second()) + float64(tt.Nanosecond())/1e9
			return value{kind: kindTime, num: secs / 86400}
		}
	}
	return text(s)
}

// dateTimeLayouts are the forms a stored dateTime answer may take.
var dateTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"}

// dateTimeValue is a date-time cell in the export's zone, or text.
func (p *plan) dateTimeValue(s string) value {
	s2 := strings.TrimSpace(s)
	for _, layout := range dateTimeLayouts {
		if t, err := time.ParseInLocation(layout, s2, p.loc); err == nil {
			return p.moment(t)
		}
	}
	return text(s)
}

// moment is a date-time cell for t shown in the export's zone; a time
// Excel cannot show (before March 1900, 0001-01-01 included) is text.
func (p *plan) moment(t time.Time) value {
	w := t.In(p.loc)
	wall := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), time.UTC)
	if !excelRange(wall) {
		return text(t.Format(time.RFC3339))
	}
	return dateTime(wall)
}

// excelSerial is Excel's serial number of a wall-clock time (given in UTC):
// days since 30 December 1899 in the 1900 date system.
// It counts whole seconds (time.Duration overflows after 292 years: every
// time after 2192-04-10 came out as the same serial).
func excelSerial(wall time.Time) float64 {
	secs := wall.Unix() - excelEpoch.Unix()
	return float64(secs)/86400 + float64(wall.Nanosecond())/86400e9
}

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// answerValue converts one stored answer of a single-column field.
func (p *plan) answerValue(f *field, s string) value {
	if s == "" {
		return value{}
	}
	switch f.q.Type {
	case survey.TypeInteger, survey.TypeDecimal, survey.TypeRange:
		return numberValue(s)
	case survey.TypeSelectOne:
		if f.numeric {
			return numberValue(s)
		}
		if p.opts.Codes {
			return text(s)
		}
		return text(f.choiceLabel(s))
	case survey.TypeDate, survey.TypeToday:
		return dateValue(s)
	case survey.TypeTime:
		return timeValue(s)
	case survey.TypeDateTime, survey.TypeStart, survey.TypeEnd:
		return p.dateTimeValue(s)
	case survey.TypeCalculate, survey.TypeHidden:
		return numberValue(s)
	case survey.TypeAcknowledge:
		if !p.opts.Codes {
			return text(p.defs[0].ValueLabel(f.q, s, p.lang))
		}
	}
	return text(s)
}

// choiceText is a choice as the export shows it: its label, or its code with Options.Codes.
func (p *plan) choiceText(f *field, code string) string {
	if p.opts.Codes {
		return code
	}
	return f.choiceLabel(code)
}

// metaValues fills the metadata cells of r.
func (p *plan) metaValues(r *survey.Response, events map[string]string, row []value) {
	row[metaID] = text(r.ID)
	row[metaVersion] = number(float64(r.SurveyVersion))
	row[metaEvent] = value{}
	if r.EventID != "" {
		name, ok := events[r.EventID]
		if !ok || name == "" {
			name = r.EventID
		}
		row[metaEvent] = text(name)
	}
	row[metaDevice] = text(r.DeviceID)
	row[metaLanguage] = value{}
	if r.Language != "" {
		row[metaLanguage] = text(r.Language)
	}
	row[metaStarted] = p.moment(r.Started)
	row[metaSubmitted] = value{}
	end := r.Updated
	if r.Submitted != nil {
		row[metaSubmitted] = p.moment(*r.Submitted)
		end = *r.Submitted
	}
	row[metaDuration] = value{}
	if !r.Started.IsZero() && !end.IsZero() && !end.Before(r.Started) {
		row[metaDuration] = number(math.Round(end.Sub(r.Started).Minutes()*100) / 100)
	}
	row[metaStatus] = text(r.Status.Label())
	row[metaConflict] = value{}
	if r.Conflict != "" {
		row[metaConflict] = text(r.Conflict)
	}
}

// wideRow fills row (len(t.columns)) with the cells of one row of table t
// for response r (its Responses row, or one instance) and feeds the summary.
func (p *plan) wideRow(r *survey.Response, t *table, in instance, counts instances, events map[string]string, row []value, sum *summary) {
	if t.repeat == nil {
		p.metaValues(r, events, row)
		p.noteConflict(r)
		if t.indexCol >= 0 {
			row[t.indexCol] = number(float64(in.index))
		}
	} else {
		keyValues(r, t, in, row)
	}
	countValues(t, in, counts, row)
	for _, f := range t.fields {
		ans := r.Answers[in.prefix+f.q.Name]
		if sum != nil {
			sum.add(f.n, ans, p.rowsOf[0])
		}
		if f.orOther {
			row[f.otherCol] = otherValue(r, in.prefix, f)
		}
		c := f.first
		switch f.q.Type {
		case survey.TypeSelectMultiple:
			n := len(f.choices)
			if strings.TrimSpace(ans) == "" {
				for i := 0; i <= n; i++ {
					row[c+i] = value{}
				}
				continue
			}
			for i := 1; i <= n; i++ {
				row[c+i] = number(0)
			}
			var b strings.Builder
			for code := range strings.FieldsSeq(ans) {
				if b.Len() > 0 {
					b.WriteString("; ")
				}
				b.WriteString(p.choiceText(f, code))
				if i, ok := f.index[code]; ok {
					row[c+1+i] = number(1)
				}
			}
			row[c] = text(b.String())
		case survey.TypeRank:
			n := len(f.choices)
			i := 0
			for code := range strings.FieldsSeq(ans) {
				if i < n {
					row[c+i] = text(p.choiceText(f, code))
				}
				i++
			}
			for ; i < n; i++ {
				row[c+i] = value{}
			}
		default:
			row[c] = p.answerValue(f, ans)
		}
	}
}

// otherValue is the free text r gave with f's "Other" answer in the
// instance at prefix, as text (never a number or a formula), or a blank cell.
func otherValue(r *survey.Response, prefix string, f *field) value {
	s := r.Answers[prefix+f.q.OtherName()]
	if strings.TrimSpace(s) == "" {
		return value{}
	}
	return text(s)
}

// longHeaders are the columns of the long layout; a survey with repeats
// has an "instance" column after the response id (see plan.longHeaders).
var longHeaders = []string{"response id", "question", "answer code", "answer label"}
var longWidths = []float64{38, 24, 20, 40}

// instanceHeader is the long layout's column naming the repeat instance an
// answer belongs to ("carers[2]"; blank outside repeats).
const instanceHeader = "instance"

// longHeaders returns the long layout's headers and widths for this export.
func (p *plan) longHeaders() ([]string, []float64) {
	if !p.hasRepeats() {
		return longHeaders, longWidths
	}
	h := slices.Insert(slices.Clone(longHeaders), 1, instanceHeader)
	w := slices.Insert(slices.Clone(longWidths), 1, 24)
	return h, w
}

// longRows calls emit with the long-layout rows of r (one per answer; one
// per chosen choice of a multiple choice; one per position of a ranking),
// the answers of every repeat instance after the response's own, and
// feeds the summary. emit must not keep row.
func (p *plan) longRows(r *survey.Response, counts instances, row []value, sum *summary, emit func([]value) error) error {
	row[0] = text(r.ID)
	p.noteConflict(r)
	q := 1 // the question's column
	if p.hasRepeats() {
		q = 2
	}
	emitRow := func([]value) error { return emit(row) }
	return p.walk(r, counts, func(t *table, in instance) error {
		if q == 2 {
			row[1] = value{}
			if in.prefix != "" {
				row[1] = text(strings.TrimSuffix(in.prefix, "/"))
			}
		}
		for _, f := range t.fields {
			ans := r.Answers[in.prefix+f.q.Name]
			if sum != nil {
				sum.add(f.n, ans, p.rowsOf[0])
			}
			if strings.TrimSpace(ans) != "" {
				if err := p.longAnswer(f, ans, row[q:], emitRow); err != nil {
					return err
				}
			}
			if f.orOther {
				if v := otherValue(r, in.prefix, f); v.kind != kindBlank {
					row[q], row[q+1], row[q+2] = text(otherHeader(f.q.Name)), v, v
					if err := emit(row); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// longAnswer emits the long-layout rows of one non-blank answer; cells
// starts at the question's column.
func (p *plan) longAnswer(f *field, ans string, row []value, emit func([]value) error) error {
	name := f.q.Name
	switch f.q.Type {
	case survey.TypeSelectMultiple:
		for code := range strings.FieldsSeq(ans) {
			row[0], row[1], row[2] = text(name), text(code), text(f.choiceLabel(code))
			if err := emit(row); err != nil {
				return err
			}
		}
	case survey.TypeRank:
		i := 0
		for code := range strings.FieldsSeq(ans) {
			i++
			row[0], row[1], row[2] = text(name+": "+ordinal(i)), text(code), text(f.choiceLabel(code))
			if err := emit(row); err != nil {
				return err
			}
		}
	case survey.TypeSelectOne:
		code := text(ans)
		if f.numeric {
			code = numberValue(ans)
		}
		row[0], row[1], row[2] = text(name), code, text(f.choiceLabel(ans))
		return emit(row)
	default:
		v := p.answerValue(f, ans)
		row[0], row[1], row[2] = text(name), v, v
		return emit(row)
	}
	return nil
}
