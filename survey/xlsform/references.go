package xlsform

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"canvass/survey"
	"canvass/survey/expr"
)

// markDropped sets dropper for every item that goes with an unsupported one.
func (im *importer) markDropped() {
	var walk func(items []*item, dropper *item)
	walk = func(items []*item, dropper *item) {
		for _, it := range items {
			d := dropper
			if d == nil && it.unsupported != nil {
				d = it
			}
			it.dropper = d
			walk(it.children, d)
		}
	}
	walk(im.top, nil)
}

// exprColumn is an expression column of a question.
type exprColumn struct {
	key string
	get func(q *survey.Question) string
}

var exprColumns = []exprColumn{
	{colRelevant, func(q *survey.Question) string { return q.Relevant }},
	{colConstraint, func(q *survey.Question) string { return q.Constraint }},
	{colCalculation, func(q *survey.Question) string { return q.Calculation }},
	{colChoiceFilter, func(q *survey.Question) string { return q.ChoiceFilter }},
}

// dropReferrers leaves out, with a warning, every question whose
// expressions or texts refer to a question that is left out, until none
// does: a form whose geopoint a note mentions still imports, without both.
func (im *importer) dropReferrers() {
	t := im.wb.tables[SheetSurvey]
	for changed := true; changed; {
		changed = false
		im.markDropped()
		for _, it := range im.items {
			if it.dropper != nil {
				continue
			}
			ref, target, c := im.droppedRef(it)
			if target == nil {
				continue
			}
			d := target.dropper
			it.unsupported = im.rep.at(Warning, t, it.row.num, c, "%s refers to ${%s}, which Canvass cannot import (row %d: %s)", headerOf(c), ref, d.row.num, reason(d))
			changed = true
		}
	}
}

// droppedRef returns the first reference of it to a left-out question,
// with that question and the column it is made in.
func (im *importer) droppedRef(it *item) (string, *item, *column) {
	t := im.wb.tables[SheetSurvey]
	q := it.q
	for _, ec := range exprColumns {
		src := ec.get(q)
		if src == "" {
			continue
		}
		parse := expr.Parse
		if ec.key == colChoiceFilter {
			parse = expr.ParseFilter
		}
		e, err := parse(src)
		if err != nil {
			continue // reported by checkExpressions
		}
		for _, ref := range e.Refs() {
			if target, ok := im.byName[ref]; ok && target.dropper != nil && len(im.shared[ref]) == 0 {
				return ref, target, t.find(ec.key)
			}
		}
	}
	for _, tx := range []struct {
		key  string
		text survey.Text
	}{{colLabel, q.Label}, {colHint, q.Hint}, {colRequiredMessage, q.RequiredMessage}, {colConstraintMessage, q.ConstraintMessage}} {
		for _, lang := range sortedKeys(tx.text) {
			for _, ref := range textRefs(tx.text[lang]) {
				if target, ok := im.byName[ref]; ok && target.dropper != nil && len(im.shared[ref]) == 0 {
					return ref, target, textColumn(t, tx.key, lang)
				}
			}
		}
	}
	return "", nil, nil
}

// checkExpressions parses the expressions of every kept question, checks
// the names they refer to, and records references to dropped questions.
func (im *importer) checkExpressions() {
	t := im.wb.tables[SheetSurvey]
	for _, it := range im.items {
		if it.dropper != nil {
			continue
		}
		q := it.q
		for _, ec := range exprColumns {
			src := ec.get(q)
			if src == "" {
				continue
			}
			c := t.find(ec.key)
			var e *expr.Expr
			var err error
			if ec.key == colChoiceFilter {
				e, err = expr.ParseFilter(src)
			} else {
				e, err = expr.Parse(src)
			}
			if err != nil {
				im.rep.at(Error, t, it.row.num, c, "%s %q: %s", c.header, src, exprMessage(err))
				continue
			}
			for _, ref := range e.Refs() {
				im.checkRef(t, it.row.num, c, ref)
			}
			if ec.key == colChoiceFilter {
				im.checkFilterColumns(t, it, c, e)
			}
		}
		texts := []struct {
			key  string
			text survey.Text
		}{{colLabel, q.Label}, {colHint, q.Hint}, {colRequiredMessage, q.RequiredMessage}, {colConstraintMessage, q.ConstraintMessage}}
		for _, tx := range texts {
			for _, lang := range sortedKeys(tx.text) {
				for _, ref := range textRefs(tx.text[lang]) {
					im.checkRef(t, it.row.num, textColumn(t, tx.key, lang), ref)
				}
			}
		}
	}
}

// checkFilterColumns checks that a choice_filter's bare names are columns
// of the choices sheet.
func (im *importer) checkFilterColumns(t *table, it *item, c *column, e *expr.Expr) {
	info := im.lists[it.q.List]
	if info == nil {
		return
	}
	for _, col := range e.Columns() {
		if col != colName && col != colLabel && !info.columns[col] {
			im.rep.at(Error, t, it.row.num, c, "choice_filter %q refers to column %q, which the choices sheet does not have", e.String(), col)
		}
	}
}

// checkRef checks one ${name} reference made at a cell: the name must be a
// question of the form, and one that is not dropped.
func (im *importer) checkRef(t *table, num int, c *column, ref string) {
	target, ok := im.byName[ref]
	switch {
	case len(im.shared[ref]) > 0:
		im.rep.at(Error, t, num, c, "%s refers to ${%s}, but several questions have that name (rows %s): rename them so that each is unique", headerOf(c), ref, joinInts(im.shared[ref]))
	case !ok:
		im.rep.at(Error, t, num, c, "%s refers to ${%s}, which is not a question in this form", headerOf(c), ref)
	case target.dropper != nil:
		d := target.dropper
		d.unsupported.Severity = Error
		im.rep.at(Error, t, num, c, "%s refers to ${%s}, which Canvass cannot import (row %d: %s)",
			headerOf(c), ref, d.row.num, d.unsupported.Message)
	}
}

func headerOf(c *column) string {
	if c == nil {
		return "the row"
	}
	return c.header
}

// textColumn finds the column a text in lang came from.
func textColumn(t *table, key, lang string) *column {
	var plain *column
	for _, c := range t.texts(key) {
		if c.lang == lang {
			if c.suffix != "" {
				return c
			}
			plain = c
		}
	}
	return plain
}

func sortedKeys(t survey.Text) []string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// exprMessage returns an expression error's message without wrapping.
func exprMessage(err error) string {
	var e *expr.Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return err.Error()
}

// dropUnsupported words the warnings of the dropped questions. A dropped
// question that something refers to has become an error already.
func (im *importer) dropUnsupported() {
	for _, it := range im.items {
		if it.unsupported == nil || it.dropper != it {
			continue
		}
		n := 0
		var count func(*item)
		count = func(x *item) {
			for _, c := range x.children {
				if c.kind == rowQuestion {
					n++
				}
				count(c)
			}
		}
		count(it)
		p := it.unsupported
		if p.Severity == Error {
			p.Message += ", and other questions refer to it"
			continue
		}
		what := fmt.Sprintf("the question %q was left out", it.q.Name)
		if it.kind != rowQuestion {
			what = fmt.Sprintf("the %s %q and the %d questions in it were left out", rowNoun(it), it.q.Name, n)
		}
		p.Message += ": " + what
	}
}

// keep returns the questions of the kept items, nesting groups.
func (im *importer) keep(items []*item) []*survey.Question {
	var out []*survey.Question
	for _, it := range items {
		if it.dropper != nil {
			continue
		}
		if it.kind == rowBeginGroup || it.kind == rowBeginRepeat {
			it.q.Questions = im.keep(it.children)
			if len(it.q.Questions) == 0 && len(it.children) > 0 {
				t := im.wb.tables[SheetSurvey]
				im.rep.at(Warning, t, it.row.num, t.find(colType), "nothing in the group %q can be imported: the group was left out", it.q.Name)
				continue
			}
		}
		out = append(out, it.q)
	}
	return out
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// count records how many questions (rows a respondent answers, as
// Survey.NumAnswerable counts them; unsupported ones such as geopoint
// included) the survey sheet has, and every row left out, for
// Report.Summary.
func (im *importer) count() {
	for _, it := range im.items {
		if it.kind != rowQuestion {
			if d := it.dropper; d == it {
				im.rep.dropped = append(im.rep.dropped, Dropped{Name: it.q.Name, Row: it.row.num, Why: reason(d)})
			}
			continue
		}
		answered := it.q.Type == "" || it.q.Type.Shown() && it.q.Type.HoldsAnswer()
		if answered {
			im.rep.questions++
		}
		d := it.dropper
		if d == nil {
			continue
		}
		if answered {
			im.rep.droppedQuestions++
		}
		why := reason(d)
		if d != it {
			why = fmt.Sprintf("in the %s %q: %s", rowNoun(d), d.q.Name, why)
		}
		im.rep.dropped = append(im.rep.dropped, Dropped{Name: it.q.Name, Row: it.row.num, Why: why})
	}
}

// reason is why an unsupported item was dropped, without what it took
// with it.
func reason(d *item) string {
	why := d.unsupported.Message
	if i := strings.Index(why, ": the "); i > 0 {
		why = why[:i]
	}
	return why
}
