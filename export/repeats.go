package export

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"canvass/survey"
	"canvass/survey/expr"
)

// Repeats. A survey's repeat groups ("tell us about each person you care
// for") are exported as KoboToolbox exports them: the Responses sheet keeps
// one row per response, with the number of instances of each top-level
// repeat, and each repeat gets a sheet (a CSV file) of its own with one row
// per instance. A row keys back to its parent row by
//
//   - response id: the response the instance belongs to;
//   - _index: the row's number on its sheet, counting from 1 (on the
//     Responses sheet, the response's row number);
//   - _parent_index: the _index of the parent row: the response's row on
//     Responses for a top-level repeat, the enclosing instance's row on its
//     repeat's sheet for a nested one;
//   - _parent_table_name: the name of the parent row's sheet;
//
// then by the instance's number within its parent (XPath's position(), as
// ODK Central's KEY ends in [n]) and its instance path ("carers[2]",
// "carers[2]/services[1]": the same path every answer key of the instance
// starts with).

// table is one sheet of data: the responses themselves (repeat nil) or the
// instances of one repeat.
type table struct {
	repeat   *survey.Question // nil for the Responses sheet
	parent   *table
	children []*table // the repeats directly inside this one, in survey order
	sheet    string   // the sheet's name (the CSV file's suffix for a repeat)
	fields   []*field
	columns  []column
	order    int // the repeat's place in the survey, to put its count column
	// indexCol is the column of _index on the Responses sheet (-1: none,
	// when the survey has no repeats); countCol the column of this repeat's
	// instance count on its parent's sheet.
	indexCol int
	countCol int
	label    string // the repeat's label in the export language
}

// Key columns of a repeat sheet, in order.
const (
	keyID = iota
	keyIndex
	keyParentIndex
	keyParentTable
	keyNumber
	keyInstance
	keyCount
)

var keyHeaders = [keyCount]string{"response id", "_index", "_parent_index", "_parent_table_name", "instance number", "instance"}
var keyWidths = [keyCount]float64{38, 8, 13, 20, 10, 24}

// Header of the Responses sheet's own row number, present when the
// survey has repeats.
const indexHeader = "_index"

// keyMeaning says what each key column holds, for the codebook.
func keyMeaning(t *table) [keyCount]string {
	parent := "the response's _index on the " + t.parent.sheet + " sheet"
	if t.parent.repeat != nil {
		parent = "the _index of the enclosing " + t.parent.repeat.Name + " instance on the " + t.parent.sheet + " sheet"
	}
	return [keyCount]string{
		"the response the instance belongs to (its row on the Responses sheet has the same id)",
		"this row's number on this sheet, counting from 1 and continuing on any continuation sheet (KoboToolbox's _index)",
		parent + " (KoboToolbox's _parent_index)",
		"the sheet holding the parent row (KoboToolbox's _parent_table_name)",
		"the instance's number within its parent, counting from 1 as the form does (position(..))",
		"the instance's path: every answer of the instance is stored under this path followed by /question (like ODK Central's KEY without the submission id)",
	}
}

// buildTables sorts the plan's fields into tables: the Responses sheet and
// one per repeat, parents before children, in survey order. A field goes to
// its innermost repeat in the newest version that has it.
func (p *plan) buildTables() {
	main := &table{indexCol: -1}
	p.tables = []*table{main}
	order := map[string]int{}
	for i, q := range p.defs[0].All() {
		order[q.Name] = i
	}
	p.orderOf = order
	byName := map[string]*table{}
	tableOf := func(repeats []*survey.Question) *table {
		t := main
		for _, rq := range repeats {
			c, ok := byName[rq.Name]
			if !ok {
				o, known := order[rq.Name]
				if !known {
					o = len(order) + len(byName)
				}
				c = &table{repeat: rq, parent: t, order: o, indexCol: -1, label: cleanLabel(rq.Label.In(p.lang, p.defs[0].DefaultLanguage()), rq.Name)}
				byName[rq.Name] = c
				t.children = append(t.children, c)
			}
			t = c
		}
		return t
	}
	for _, f := range p.fields {
		f.table = tableOf(f.repeats)
		f.table.fields = append(f.table.fields, f)
	}
	// Parents before children, each level in survey order.
	var add func(t *table)
	add = func(t *table) {
		slices.SortStableFunc(t.children, func(a, b *table) int { return a.order - b.order })
		for _, c := range t.children {
			p.tables = append(p.tables, c)
			add(c)
		}
	}
	add(main)
	taken := []string{SheetResponses, SheetSummary, SheetCodebook, SheetDecisions, SheetAbout}
	main.sheet = SheetResponses
	for _, t := range p.tables[1:] {
		t.sheet = sheetName(t.repeat.Name, taken)
		taken = append(taken, t.sheet)
	}
}

// hasRepeats reports whether the export has repeat sheets.
func (p *plan) hasRepeats() bool { return len(p.tables) > 1 }

// instancesLine says how many instances answered a question of a repeat,
// across how many responses: "7 people across 3 responses" with the
// repeat's noun (survey.Repeat.Item), else "7 entries in “People you care
// for” across 3 responses".
func (p *plan) instancesLine(t *table, instances, responses int) string {
	return t.repeat.Repeat.CountIn(instances, p.lang, t.label) + " across " + responsesWord(responses)
}

// maxSheetName is the longest sheet name Excel accepts, and
// continuationRoom the characters kept free for " (99)" when a sheet
// continues on another.
const (
	maxSheetName     = 31
	continuationRoom = 5
)

// sheetName makes a sheet name for a repeat: its name cut to fit with room
// for a continuation suffix, without the characters Excel refuses, and
// different (regardless of case) from every name in taken.
func sheetName(name string, taken []string) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) || r < ' ' {
			return '_'
		}
		return r
	}, name)
	if clean == "" {
		clean = "repeat"
	}
	room := maxSheetName - continuationRoom
	cut := func(s string, n int) string {
		if utf8.RuneCountInString(s) <= n {
			return s
		}
		return string([]rune(s)[:n])
	}
	isTaken := func(s string) bool {
		for _, t := range taken {
			if strings.EqualFold(t, s) || strings.EqualFold(s, "History") {
				return true
			}
		}
		return false
	}
	s := cut(clean, room)
	for n := 2; isTaken(s); n++ {
		suffix := "~" + strconv.Itoa(n)
		s = cut(clean, room-len(suffix)) + suffix
	}
	return s
}

// placeAnswers returns the answers of r as the newest version places them:
// an answer given on a version that asked the question outside every
// repeat, which the newest version asks inside a top-level repeat (a page
// made repeatable after responses came in), is the first instance's
// ("about" → "carers[1]/about"), where the export has its column. Such
// answers were left out of every sheet. The answers are copied when one
// moves.
func (p *plan) placeAnswers(r *survey.Response) survey.Answers {
	moved, ok := p.moved[r.SurveyVersion]
	if !ok {
		moved = p.movedInto(r.SurveyVersion)
		if p.moved == nil {
			p.moved = map[int]map[string]string{}
		}
		p.moved[r.SurveyVersion] = moved
	}
	if len(moved) == 0 {
		return r.Answers
	}
	var out survey.Answers
	for name, repeat := range moved {
		v, ok := r.Answers[name]
		if !ok {
			continue
		}
		to := survey.Key([]survey.Step{{Repeat: repeat, Index: 1}}, name)
		if _, taken := r.Answers[to]; taken {
			continue
		}
		if out == nil {
			out = maps.Clone(r.Answers)
		}
		delete(out, name)
		out[to] = v
	}
	if out == nil {
		return r.Answers
	}
	return out
}

// movedInto maps each question that version asked outside every repeat and
// the newest version asks inside one top-level repeat to that repeat.
func (p *plan) movedInto(version int) map[string]string {
	var old *survey.Survey
	for _, d := range p.defs[1:] {
		if d.Version == version {
			old = d
		}
	}
	if old == nil {
		return nil
	}
	moved := map[string]string{}
	for _, q := range p.defs[0].Fields() {
		now := p.defs[0].Repeats(q.Name)
		if len(now) != 1 {
			continue
		}
		if _, asked := old.Question(q.Name); asked && len(old.Repeats(q.Name)) == 0 {
			moved[q.Name] = now[0].Name
		}
	}
	return moved
}

// instances counts a response's instances by container: "carers" → the
// number of instances of carers, "carers[2]/services" → of services in
// the second carer. Like survey.Answers.Instances, an instance counts up to
// the highest number any valid key names; keys that do not parse are left
// out.
type instances map[string]int

func countInstances(a survey.Answers, into instances) instances {
	if into == nil {
		into = instances{}
	}
	clear(into)
	for k := range a {
		if !strings.Contains(k, "[") || !validKey(k) {
			continue
		}
		// Walk the key's steps as substrings: no allocation.
		for i := 0; i < len(k); i++ {
			if k[i] != '[' {
				continue
			}
			j := i + 1 + strings.IndexByte(k[i+1:], ']')
			n, _ := strconv.Atoi(k[i+1 : j])
			if n > into[k[:i]] {
				into[k[:i]] = n
			}
			i = j
		}
	}
	return into
}

// validKey reports whether survey.ParseKey accepts k, without allocating
// (FuzzCountInstances holds the two together).
func validKey(k string) bool {
	if len(k) > survey.MaxNameLength {
		return false
	}
	depth := 0
	for {
		slash := strings.IndexByte(k, '/')
		if slash < 0 {
			return expr.ValidName(k)
		}
		step := k[:slash]
		k = k[slash+1:]
		if depth++; depth > survey.MaxRepeatDepth {
			return false
		}
		open := strings.IndexByte(step, '[')
		if open < 0 || step[len(step)-1] != ']' || !expr.ValidName(step[:open]) {
			return false
		}
		num := step[open+1 : len(step)-1]
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || n > survey.MaxInstances || num[0] == '0' || num[0] == '+' {
			return false
		}
	}
}

// instance is one row of a table while a response is walked.
type instance struct {
	prefix string // "" on Responses; "carers[2]/" for the second carer
	number int    // within its parent, from 1 (0 on Responses)
	index  int    // this row's _index
	parent int    // the parent row's _index
}

// walk calls visit for the response's row of every table that has one:
// its Responses row first, then each instance, each followed by the
// instances nested in it, in order. The tables' row counters advance.
func (p *plan) walk(r *survey.Response, counts instances, visit func(t *table, in instance) error) error {
	p.rowsOf[0]++
	top := instance{index: p.rowsOf[0]}
	if err := visit(p.tables[0], top); err != nil {
		return err
	}
	if !p.hasRepeats() {
		return nil
	}
	return p.walkChildren(p.tables[0], top, counts, visit)
}

func (p *plan) walkChildren(t *table, in instance, counts instances, visit func(t *table, in instance) error) error {
	for _, c := range t.children {
		ti := p.tableIndex(c)
		n := counts[in.prefix+c.repeat.Name]
		for k := 1; k <= n; k++ {
			p.rowsOf[ti]++
			child := instance{prefix: in.prefix + c.repeat.Name + "[" + strconv.Itoa(k) + "]/", number: k, index: p.rowsOf[ti], parent: in.index}
			if err := visit(c, child); err != nil {
				return err
			}
			if err := p.walkChildren(c, child, counts, visit); err != nil {
				return err
			}
		}
	}
	return nil
}

// tableIndex is t's place in p.tables.
func (p *plan) tableIndex(t *table) int { return slices.Index(p.tables, t) }

// keyValues fills the key columns of a repeat row.
func keyValues(r *survey.Response, t *table, in instance, row []value) {
	row[keyID] = text(r.ID)
	row[keyIndex] = number(float64(in.index))
	row[keyParentIndex] = number(float64(in.parent))
	row[keyParentTable] = text(t.parent.sheet)
	row[keyNumber] = number(float64(in.number))
	row[keyInstance] = text(strings.TrimSuffix(in.prefix, "/"))
}

// countValues fills the instance-count columns of t's child repeats.
func countValues(t *table, in instance, counts instances, row []value) {
	for _, c := range t.children {
		row[c.countCol] = number(float64(counts[in.prefix+c.repeat.Name]))
	}
}

// countHeader is the header of the column counting a repeat's instances.
func countHeader(t *table) string { return t.repeat.Name + ": count" }

// wideRows fills and emits the wide-layout rows of r: its Responses row and
// a row per instance, each into cells[its table's index].
func (p *plan) wideRows(r *survey.Response, counts instances, events map[string]string, cells [][]value, sum *summary, emit func(table int, row []value) error) error {
	return p.walk(r, counts, func(t *table, in instance) error {
		ti := p.tableIndex(t)
		p.wideRow(r, t, in, counts, events, cells[ti], sum)
		return emit(ti, cells[ti])
	})
}

// wideCounts returns the rows written so far: on Responses, and on the
// repeat sheets together.
func (p *plan) wideCounts() (rows, repeatRows int) {
	for _, n := range p.rowsOf[1:] {
		repeatRows += n
	}
	return p.rowsOf[0], repeatRows
}
