package xlsform

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"canvass/survey"
	"canvass/survey/expr"
)

// surveyCols are the survey sheet's columns, looked up once.
type surveyCols struct {
	typ, name, required, relevant, constraint, calculation, def, readOnly,
	appearance, choiceFilter, parameters, personal, weight, repeatCount *column
}

// readSurvey reads the survey sheet into items, nesting groups.
func (im *importer) readSurvey(t *table) {
	cols := surveyCols{
		typ: t.find(colType), name: t.find(colName), required: t.find(colRequired),
		relevant: t.find(colRelevant), constraint: t.find(colConstraint),
		calculation: t.find(colCalculation), def: t.find(colDefault), readOnly: t.find(colReadOnly),
		appearance: t.find(colAppearance), choiceFilter: t.find(colChoiceFilter),
		parameters: t.find(colParameters), personal: t.find(colPersonal), weight: t.find(colWeight),
		repeatCount: t.find(colRepeatCount),
	}
	if cols.typ == nil || cols.name == nil {
		var missing []string
		if cols.typ == nil {
			missing = append(missing, colType)
		}
		if cols.name == nil {
			missing = append(missing, colName)
		}
		im.rep.at(Error, t, t.header, nil, "the survey sheet has no %s column", strings.Join(missing, " or "))
		return
	}
	if len(t.rows) == 0 {
		im.rep.at(Error, t, 0, nil, "the survey sheet has no questions")
		return
	}
	im.rowNames, im.rowLists = map[string]bool{}, map[string]string{}
	var names []string
	for _, r := range t.rows {
		name := r.cell(cols.name)
		im.rowNames[name] = true
		names = append(names, name)
		if pt, msg := parseType(r.cell(cols.typ)); msg == "" && pt.list != "" && !pt.fromFile && (pt.typ == survey.TypeSelectOne || pt.typ == survey.TypeSelectMultiple) {
			im.rowLists[name] = pt.list
		}
	}
	im.planRenames(names)
	for from, to := range im.renames {
		if l, ok := im.rowLists[from]; ok {
			im.rowLists[to] = l
		}
	}
	var stack []*item
	for _, r := range t.rows {
		raw := r.cell(cols.typ)
		if raw == "" {
			if r.cell(cols.name) != "" || len(im.text(t, r, colLabel)) > 0 {
				im.rep.at(Error, t, r.num, cols.typ, "the row has a name or label but no type")
			} else {
				im.rep.at(Warning, t, r.num, cols.typ, "the row has no type and was ignored")
			}
			continue
		}
		pt, msg := parseType(raw)
		if msg != "" {
			im.rep.at(Error, t, r.num, cols.typ, "%s", msg)
			continue
		}
		switch pt.kind {
		case rowEndGroup, rowEndRepeat:
			want, other := rowBeginGroup, rowBeginRepeat
			word, otherWord := "end_group", "end_repeat"
			if pt.kind == rowEndRepeat {
				want, other = rowBeginRepeat, rowBeginGroup
				word, otherWord = "end_repeat", "end_group"
			}
			if len(stack) == 0 {
				im.rep.at(Error, t, r.num, cols.typ, "%s without a matching %s above it", word, beginWord(want))
				continue
			}
			open := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if open.kind == other {
				im.rep.at(Error, t, r.num, cols.typ, "%s closes the %s %q of row %d: use %s", word, beginWord(other), open.q.Name, open.row.num, otherWord)
			}
			continue
		}

		it := &item{kind: pt.kind, row: r, fromFile: pt.fromFile, q: &survey.Question{Type: pt.typ, List: pt.list, OrOther: pt.orOther}}
		if len(stack) > 0 {
			it.parent = stack[len(stack)-1]
			it.parent.children = append(it.parent.children, it)
		} else {
			im.top = append(im.top, it)
		}
		if pt.kind == rowBeginGroup || pt.kind == rowBeginRepeat {
			stack = append(stack, it)
		}
		if pt.repeat && im.opts.Repeats {
			pt.unsupported = ""
			it.q.Repeat = &survey.Repeat{}
		}
		if pt.unsupported != "" {
			it.unsupported = im.rep.at(Warning, t, r.num, cols.typ, "%s", pt.unsupported)
		}
		im.items = append(im.items, it)
		im.readQuestion(t, r, cols, it)
	}
	for _, open := range stack {
		im.rep.at(Error, t, open.row.num, cols.typ, "%s %q is never closed: add an %s row after its last question",
			beginWord(open.kind), open.q.Name, endWord(open.kind))
	}
}

func beginWord(k rowKind) string {
	if k == rowBeginRepeat {
		return "begin_repeat"
	}
	return "begin_group"
}

func endWord(k rowKind) string {
	if k == rowBeginRepeat {
		return "end_repeat"
	}
	return "end_group"
}

// readQuestion fills in a question's columns and checks its name.
func (im *importer) readQuestion(t *table, r row, cols surveyCols, it *item) {
	q := it.q
	q.Name = r.cell(cols.name)
	if q.Name == "" && q.Type == survey.TypeNote {
		// pyxform names a nameless note after its row.
		q.Name = fmt.Sprintf("generated_note_name_%d", r.num)
	}
	if to := im.renames[q.Name]; to != "" {
		im.rep.at(Warning, t, r.num, cols.name, "name %q has letters Canvass does not use in names: it was renamed %q", q.Name, to)
		q.Name = to
	}
	switch {
	case q.Name == "":
		im.rep.at(Error, t, r.num, cols.name, "the %s has no name", rowNoun(it))
	case !expr.ValidName(q.Name):
		im.rep.at(Error, t, r.num, cols.name, "name %q is not valid: use a letter or _ first, then letters, digits, _ . or -", q.Name)
	default:
		im.addName(t, r, cols.name, it)
	}
	q.Label = im.renameText(im.text(t, r, colLabel))
	q.Hint = im.renameText(im.text(t, r, colHint))
	q.RequiredMessage = im.renameText(im.text(t, r, colRequiredMessage))
	q.ConstraintMessage = im.renameText(im.text(t, r, colConstraintMessage))
	// Expressions get straight quotes, as pyxform gives them by default:
	// a word processor's ’yes’ is meant as 'yes'.
	q.Relevant = im.readExpr(r.cell(cols.relevant))
	q.Constraint = im.readExpr(r.cell(cols.constraint))
	q.Calculation = im.readExpr(r.cell(cols.calculation))
	q.Default = straightQuotes(r.cell(cols.def))
	q.ChoiceFilter = im.readExpr(r.cell(cols.choiceFilter))
	if it.kind != rowBeginRepeat {
		groups, inRepeat := groupsInRepeat(it)
		for _, x := range []struct {
			c   *column
			src *string
		}{{cols.relevant, &q.Relevant}, {cols.constraint, &q.Constraint}, {cols.calculation, &q.Calculation}, {cols.choiceFilter, &q.ChoiceFilter}} {
			var ok bool
			if *x.src, ok = importPositions(*x.src, groups, inRepeat); !ok && it.unsupported == nil {
				it.unsupported = im.rep.at(Warning, t, r.num, x.c, "%s asks for the position of an outer repeat's instance (position(../../..)), which Canvass does not support", x.c.header)
			}
		}
	}
	q.Appearance = strings.Join(strings.Fields(r.cell(cols.appearance)), " ")
	if v := strings.TrimSpace(r.cell(cols.repeatCount)); v != "" {
		if q.Repeat != nil {
			q.Repeat.Count = im.readExpr(v)
		} else if it.kind != rowBeginRepeat {
			im.rep.at(Warning, t, r.num, cols.repeatCount, "%s %q is used only on a begin_repeat row: it was ignored", cols.repeatCount.header, v)
		}
	}
	// A constraint limits a repeat's instances (survey.Question.RepeatLimits);
	// Canvass checks none on a plain group, nor on a repeat whose count is set.
	switch {
	case q.Constraint == "" || q.Type != survey.TypeGroup:
	case it.kind == rowBeginGroup:
		im.rep.at(Warning, t, r.num, cols.constraint, "constraint %q on a begin_group row is not checked: Canvass checks a constraint on a question, or on a begin_repeat row as the repeat's limits", q.Constraint)
	case q.Repeat != nil && q.Repeat.Count != "":
		im.rep.at(Warning, t, r.num, cols.constraint, "constraint %q is not checked on a repeat with repeat_count: the count decides how many there are", q.Constraint)
	}
	if item := im.text(t, r, colRepeatItem); !item.Empty() {
		if q.Repeat != nil {
			q.Repeat.Item = item
		} else if it.kind != rowBeginRepeat {
			cell := t.find(colRepeatItem)
			for _, c := range t.texts(colRepeatItem) {
				if strings.TrimSpace(r.cell(c)) != "" {
					cell = c
					break
				}
			}
			im.rep.at(Warning, t, r.num, cell, "%s %q is used only on a begin_repeat row: it was ignored", cell.header, item.In("", ""))
		}
	}

	if v := straightQuotes(r.cell(cols.required)); v != "" {
		b, ok := parseYesNo(v)
		if !ok {
			im.rep.at(Warning, t, r.num, cols.required, "required %q depends on an expression, which Canvass does not support: the question was made optional", v)
		}
		if b && (!q.Type.Shown() || q.Type == survey.TypeNote) && q.Type != "" {
			im.rep.at(Warning, t, r.num, cols.required, "a %s cannot be required: required was ignored", rowNounType(it))
			b = false
		}
		q.Required = b
	}
	if v := r.cell(cols.readOnly); v != "" {
		b, ok := parseYesNo(v)
		if !ok {
			im.rep.at(Warning, t, r.num, cols.readOnly, "read_only %q depends on an expression, which Canvass does not support: the question can be answered", v)
		}
		q.ReadOnly = b
	}
	if v := r.cell(cols.personal); v != "" {
		b, ok := parseYesNo(v)
		if !ok {
			im.rep.at(Error, t, r.num, cols.personal, "personal %q is not yes or no", v)
		}
		q.Personal = b
	}
	if v := r.cell(cols.weight); v != "" {
		f, err := parseNumber(v)
		if err != nil {
			im.rep.at(Error, t, r.num, cols.weight, "weight %q is not a number", v)
		}
		q.Weight = f
	}
	if v := r.cell(cols.parameters); v != "" {
		if q.Type == survey.TypeRange {
			rg, msg := parseRange(v)
			if msg != "" {
				im.rep.at(Error, t, r.num, cols.parameters, "%s", msg)
			}
			q.Range = rg
		} else if it.unsupported == nil && !insideUnsupported(it) && !it.fromFile {
			im.rep.at(Warning, t, r.num, cols.parameters, "parameters %q are not used by Canvass for a %s question: they were ignored", v, q.Type)
		}
	} else if q.Type == survey.TypeRange {
		q.Range = &survey.Range{Start: 1, End: 10, Step: 1}
	}
	if it.unsupported != nil || insideUnsupported(it) {
		return // left out anyway: its other columns do not matter
	}
	if q.Type == survey.TypeCalculate && q.Calculation == "" {
		im.rep.at(Error, t, r.num, cols.calculation, "calculate %q has no calculation", q.Name)
	}
	if it.fromFile {
		im.readChoiceFile(t, r, cols, it)
	} else if q.List != "" {
		if _, ok := im.lists[q.List]; !ok {
			im.rep.at(Error, t, r.num, cols.typ, "choice list %q is not on the choices sheet", q.List)
		}
	}
	for _, x := range []struct {
		c   *column
		src string
	}{{cols.relevant, q.Relevant}, {cols.constraint, q.Constraint}, {cols.calculation, q.Calculation}, {cols.choiceFilter, q.ChoiceFilter}} {
		c := x.c
		if fns := unsupportedFunctions(x.src); len(fns) > 0 {
			it.unsupported = im.rep.at(Warning, t, r.num, c, "%s uses %s, which Canvass does not support", c.header, funcList(fns))
			break
		}
	}
}

// groupsInRepeat counts the plain groups between it and the innermost
// repeat around it, and says whether there is one.
func groupsInRepeat(it *item) (groups int, inRepeat bool) {
	for p := it.parent; p != nil; p = p.parent {
		if p.q.Repeat != nil {
			return groups, true
		}
		groups++
	}
	return groups, false
}

// insideUnsupported reports whether an enclosing group or repeat of it is
// left out.
func insideUnsupported(it *item) bool {
	for p := it.parent; p != nil; p = p.parent {
		if p.unsupported != nil {
			return true
		}
	}
	return false
}

func funcList(fns []string) string {
	q := make([]string, len(fns))
	for i, f := range fns {
		q[i] = f + "()"
	}
	return strings.Join(q, ", ")
}

// rowNounType names what a row is for a message: "group", "note", "calculate".
func rowNounType(it *item) string {
	if it.kind == rowQuestion {
		return string(it.q.Type)
	}
	return rowNoun(it)
}

func rowNoun(it *item) string {
	switch it.kind {
	case rowBeginGroup:
		return "group"
	case rowBeginRepeat:
		return "repeat"
	}
	return "question"
}

// parseRange reads range parameters such as "start=1 end=5 step=1".
func parseRange(s string) (*survey.Range, string) {
	rg := &survey.Range{Start: 1, End: 10, Step: 1}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ';' || r == ',' || r == '\t' })
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		// Allow "start = 1" by joining the pieces around a lone '='.
		if !strings.Contains(f, "=") && i+2 < len(fields) && fields[i+1] == "=" {
			f, i = f+"="+fields[i+2], i+2
		}
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return rg, fmt.Sprintf("parameters %q: %q is not key=value (write start=1 end=5 step=1)", s, f)
		}
		n, err := parseNumber(v)
		if err != nil {
			return rg, fmt.Sprintf("parameters %q: %s=%q is not a number", s, k, v)
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "start":
			rg.Start = n
		case "end":
			rg.End = n
		case "step":
			rg.Step = n
		default:
			return rg, fmt.Sprintf("parameters %q: unknown parameter %q for a range (use start, end and step)", s, k)
		}
	}
	return rg, ""
}

// parseNumber reads a decimal number; NaN and infinities are refused.
func parseNumber(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, err
	}
	if f != f || f > 1e300 || f < -1e300 {
		return 0, errors.New("out of range")
	}
	return f, nil
}

// parseYesNo reads a yes/no cell. ok is false for anything else (such as an expression).
func parseYesNo(s string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "true", "true()", "1":
		return true, true
	case "", "no", "n", "false", "false()", "0":
		return false, true
	}
	return false, false
}

// curlyQuotes maps typographic quotes to the straight ones of expressions.
var curlyQuotes = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`)

// straightQuotes replaces typographic quotes with straight ones.
func straightQuotes(s string) string { return curlyQuotes.Replace(s) }

// addName records a question's name. Names need be unique only among the
// children of one group, as in pyxform; but answers are stored by name, so
// a name already used elsewhere in the form is renamed, and references to
// it are refused as ambiguous (pyxform refuses them too).
func (im *importer) addName(t *table, r row, c *column, it *item) {
	name := it.q.Name
	prev, dup := im.byName[name]
	if !dup {
		im.byName[name] = it
		return
	}
	if prev.parent == it.parent {
		where := "at the top of the form"
		if it.parent != nil {
			where = fmt.Sprintf("in the group %q", it.parent.q.Name)
		}
		im.rep.at(Error, t, r.num, c, "name %q is used twice %s (rows %d and %d): names must differ within a group", name, where, prev.row.num, r.num)
		return
	}
	if im.shared == nil {
		im.shared = map[string][]int{}
	}
	if len(im.shared[name]) == 0 {
		im.shared[name] = []int{prev.row.num}
	}
	im.shared[name] = append(im.shared[name], r.num)
	base := name
	if it.parent != nil {
		base = it.parent.q.Name + "_" + name
	}
	renamed := base
	for n := 2; im.byName[renamed] != nil || im.rowNames[renamed]; n++ {
		renamed = fmt.Sprintf("%s_%d", base, n)
	}
	it.q.Name = renamed
	im.byName[renamed] = it
	im.rep.at(Warning, t, r.num, c, "name %q is also used in row %d: Canvass stores answers by name, so this one was renamed %q", name, prev.row.num, renamed)
}

// readExpr reads an expression cell as pyxform would: straight quotes,
// current()/../name as ${name}, and jr:choice-name(…) as a lookup.
func (im *importer) readExpr(src string) string {
	src = im.renameRefs(currentRefs(straightQuotes(src)))
	if strings.Contains(src, "jr:choice-name") {
		src = choiceNames(src, func(name string) string { return im.rowLists[name] })
	}
	return src
}
