package run

import (
	"fmt"
	"strings"
	"time"

	"canvass/survey"
	"canvass/survey/expr"
)

// rules holds a survey's expressions, parsed once, and the groups
// enclosing each question.
type rules struct {
	s           *survey.Survey
	relevant    map[string]*expr.Expr // own relevant, by question or group name
	constraint  map[string]*expr.Expr
	calculation map[string]*expr.Expr
	filter      map[string]*expr.Expr // choice_filter of select and rank questions
	ancestors   map[string][]*survey.Question
	calcs       []*survey.Question // calculate questions in survey order
	fields      []*survey.Question // questions holding an answer, in survey order
}

// Fault is an expression that failed at run time. The session went on as
// if the column were empty (see the package documentation).
type Fault struct {
	Key    string // the answer's key (the question or group name)
	Column string // relevant, constraint, calculation or choice_filter
	Expr   string // the expression's source
	Err    error
}

func (f Fault) Error() string {
	return fmt.Sprintf("question %q: %s %q: %v", f.Key, f.Column, f.Expr, f.Err)
}

// compile parses every expression of s; an error names the question, the
// column and the position.
func compile(s *survey.Survey) (*rules, error) {
	r := &rules{
		s:           s,
		relevant:    map[string]*expr.Expr{},
		constraint:  map[string]*expr.Expr{},
		calculation: map[string]*expr.Expr{},
		filter:      map[string]*expr.Expr{},
		ancestors:   map[string][]*survey.Question{},
	}
	parse := func(q *survey.Question, column, src string, into map[string]*expr.Expr) error {
		if strings.TrimSpace(src) == "" {
			return nil
		}
		parser := expr.Parse
		if column == "choice_filter" {
			parser = expr.ParseFilter
		}
		e, err := parser(src)
		if err != nil {
			return fmt.Errorf("survey %q: question %q: %s %q: %w", s.ID, q.Name, column, src, err)
		}
		into[q.Name] = e
		return nil
	}
	for _, q := range s.All() {
		if err := parse(q, "relevant", q.Relevant, r.relevant); err != nil {
			return nil, err
		}
		if err := parse(q, "constraint", q.Constraint, r.constraint); err != nil {
			return nil, err
		}
		if q.OrOther {
			if _, clash := s.Question(q.OtherName()); clash {
				return nil, fmt.Errorf("survey %q: question %q: or_other keeps the \"Other\" text as %q, which is also the name of a question", s.ID, q.Name, q.OtherName())
			}
		}
		if q.Type.HasChoices() {
			if err := parse(q, "choice_filter", q.ChoiceFilter, r.filter); err != nil {
				return nil, err
			}
		}
		if q.Type == survey.TypeCalculate {
			if err := parse(q, "calculation", q.Calculation, r.calculation); err != nil {
				return nil, err
			}
			r.calcs = append(r.calcs, q)
		}
		if q.Type != survey.TypeGroup {
			r.ancestors[q.Name] = s.Ancestors(q.Name)
		}
		if q.Type.HoldsAnswer() {
			r.fields = append(r.fields, q)
		}
	}
	return r, nil
}

// evaluator evaluates the rules against a session's answers, recording
// failures.
type evaluator struct {
	r      *rules
	a      survey.Answers
	now    time.Time
	lang   string
	fb     string
	faults func(Fault)
}

func (v evaluator) env(self string) expr.Env {
	a := v.a
	return expr.Env{Lookup: func(n string) string { return a[n] }, Self: self, Now: v.now, Items: v.items}
}

// items gives the choices of a list to instance('list')/root/item[…]
// lookups: name, label in the session's language, and filter columns.
func (v evaluator) items(list string) (int, func(i int, col string) string) {
	l, ok := v.r.s.List(list)
	if !ok {
		return 0, nil
	}
	return len(l.Choices), func(i int, col string) string {
		c := l.Choices[i]
		switch col {
		case "name":
			return c.Name
		case "label":
			return c.Label.In(v.lang, v.fb)
		}
		return c.Filter[col]
	}
}

// fail records a failed expression.
func (v evaluator) fail(key, column string, e *expr.Expr, err error) {
	if v.faults != nil {
		v.faults(Fault{Key: key, Column: column, Expr: e.String(), Err: err})
	}
}

// isRelevant reports whether q and every group around it are relevant. A
// condition that fails counts as absent, so as holding.
func (v evaluator) isRelevant(q *survey.Question) bool {
	for _, g := range v.r.ancestors[q.Name] {
		if !v.holds(g.Name, v.r.relevant[g.Name]) {
			return false
		}
	}
	return v.holds(q.Name, v.r.relevant[q.Name])
}

// holds evaluates a relevance condition (nil holds).
func (v evaluator) holds(key string, e *expr.Expr) bool {
	if e == nil {
		return true
	}
	ok, err := e.EvalBool(v.env(""))
	if err != nil {
		v.fail(key, "relevant", e, err)
		return true
	}
	return ok
}

// pageRelevant reports whether any question of p is relevant.
func (v evaluator) pageRelevant(p Page) bool {
	for _, f := range p.Fields {
		if v.isRelevant(f.Question) {
			return true
		}
	}
	return false
}

// settle recomputes calculations, clears the answers of questions that are
// no longer relevant and drops chosen choices that a choice_filter no
// longer shows, repeating until nothing changes (calculations and filters
// may depend on each other). It returns the keys it changed.
func (v evaluator) settle() []string {
	a := v.a
	var changed []string
	set := func(name, val string) {
		if a[name] == val {
			return
		}
		if val == "" {
			delete(a, name)
		} else {
			a[name] = val
		}
		changed = append(changed, name)
	}
	r := v.r
	for pass := 0; pass <= len(r.calcs)+len(r.fields); pass++ {
		before := len(changed)
		for _, q := range r.calcs {
			val := ""
			if v.isRelevant(q) {
				if e := r.calculation[q.Name]; e != nil {
					s, err := e.EvalString(v.env(a[q.Name]))
					if err != nil {
						v.fail(q.Name, "calculation", e, err)
					} else {
						val = s
					}
				}
			}
			set(q.Name, val)
		}
		for _, q := range r.fields {
			if q.Type.IsMetadata() || a[q.Name] == "" {
				continue
			}
			val := a[q.Name]
			if !v.isRelevant(q) {
				val = ""
			} else if r.filter[q.Name] != nil {
				val = v.keepShown(q, val)
			}
			if val != a[q.Name] {
				set(q.Name, val)
			}
			if q.OrOther && !hasChoice(q, val, survey.OtherChoice) {
				set(q.OtherName(), "")
			}
		}
		if len(changed) == before {
			break
		}
	}
	return changed
}

// choiceShown reports whether choice c of q passes q's choice_filter, with
// the bare columns name, label (in the session's language) and the
// choice's filter columns. Every choice passes when q has no filter; a
// filter that fails passes; and the "Other" that or_other adds, not being
// a row of the list, always shows.
func (v evaluator) choiceShown(q *survey.Question, c survey.Choice) bool {
	e := v.r.filter[q.Name]
	if e == nil {
		return true
	}
	if c.Name == survey.OtherChoice && v.r.addsOther(q) {
		return true
	}
	env := v.env("")
	env.Column = func(col string) string {
		switch col {
		case "name":
			return c.Name
		case "label":
			return c.Label.In(v.lang, v.fb)
		}
		return c.Filter[col]
	}
	ok, err := e.EvalBool(env)
	if err != nil {
		v.fail(q.Name, "choice_filter", e, err)
		return true
	}
	return ok
}

// addsOther reports whether the session adds an "Other" choice to q: an
// or_other select whose list has no choice of that name.
func (r *rules) addsOther(q *survey.Question) bool {
	return q.OrOther && (q.Type == survey.TypeSelectOne || q.Type == survey.TypeSelectMultiple) && !r.inList(q, survey.OtherChoice)
}

// inList reports whether q's choice list has a choice called name.
func (r *rules) inList(q *survey.Question, name string) bool {
	l, ok := r.s.List(q.List)
	if !ok {
		return false
	}
	_, ok = l.Choice(name)
	return ok
}

// keepShown returns the answer val of q reduced to the choices q's filter
// shows now: a select_one answer no longer shown is cleared, a
// select_multiple answer loses the choices no longer shown, and a rank
// answer is cleared unless it orders exactly the choices shown (its order
// must be confirmed again).
func (v evaluator) keepShown(q *survey.Question, val string) string {
	shown := map[string]bool{}
	for _, c := range v.r.s.Choices(q) {
		if v.choiceShown(q, c) {
			shown[c.Name] = true
		}
	}
	if v.r.addsOther(q) {
		shown[survey.OtherChoice] = true
	}
	parts := strings.Fields(val)
	switch q.Type {
	case survey.TypeSelectOne:
		if shown[val] {
			return val
		}
		return ""
	case survey.TypeRank:
		seen := map[string]bool{}
		for _, p := range parts {
			if !shown[p] || seen[p] {
				return ""
			}
			seen[p] = true
		}
		if len(seen) != len(shown) {
			return ""
		}
		return val
	}
	var keep []string
	for _, p := range parts {
		if shown[p] {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, " ")
}

// constraintHolds evaluates q's constraint with '.' bound to val. A
// constraint that fails counts as absent, so as holding.
func (v evaluator) constraintHolds(q *survey.Question, val string) bool {
	e := v.r.constraint[q.Name]
	if e == nil {
		return true
	}
	ok, err := e.EvalBool(v.env(val))
	if err != nil {
		v.fail(q.Name, "constraint", e, err)
		return true
	}
	return ok
}

// hasChoice reports whether the stored value val of q includes choice c.
func hasChoice(q *survey.Question, val, c string) bool {
	if q.Type == survey.TypeSelectOne {
		return val == c
	}
	for _, f := range strings.Fields(val) {
		if f == c {
			return true
		}
	}
	return false
}
