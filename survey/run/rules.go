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

	// Repeats.
	hasRepeats bool
	repeats    []*survey.Question    // every repeat, outer before inner
	count      map[string]*expr.Expr // repeat_count, by repeat name
	most       map[string]int        // the most instances a repeat's constraint allows, by name (0: no such limit)
	chain      map[string][]string   // the repeats around each question or group, outermost first
	isRepeat   map[string]bool
}

// Fault is an expression that failed at run time. The session went on as
// if the column were empty (see the package documentation).
type Fault struct {
	Key    string // the answer's key, or the group's ("carers[2]/age" in a repeat); recorded for the first instance that failed
	Column string // relevant, constraint, calculation, choice_filter or repeat_count
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
		count:       map[string]*expr.Expr{},
		most:        map[string]int{},
		chain:       map[string][]string{},
		isRepeat:    map[string]bool{},
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
		if q.Repeat != nil {
			r.hasRepeats = true
			r.isRepeat[q.Name] = true
			r.repeats = append(r.repeats, q)
			if err := parse(q, "repeat_count", q.Repeat.Count, r.count); err != nil {
				return nil, err
			}
			r.most[q.Name] = r.mostInstances(q)
		}
		r.ancestors[q.Name] = s.Ancestors(q.Name)
		for _, g := range s.Repeats(q.Name) {
			r.chain[q.Name] = append(r.chain[q.Name], g.Name)
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
	inst   map[string]int // instances by repeat key
	now    time.Time
	lang   string
	fb     string
	faults func(Fault)
}

// env is the environment of an expression evaluated in the instance at
// path (nil outside every repeat), with '.' as self.
func (v evaluator) env(self string, path []survey.Step) expr.Env {
	a := v.a
	if !v.r.hasRepeats {
		return expr.Env{Lookup: func(n string) string { return a[n] }, Self: self, Now: v.now, Items: v.items}
	}
	r := v.r
	env := expr.Env{
		Lookup:  func(n string) string { return a[r.resolve(n, path)] },
		Values:  func(n string) []string { return v.values(n, path) },
		Indexed: func(n string, at []expr.At) string { return a[r.indexed(n, at, path)] },
		Self:    self, Now: v.now, Items: v.items,
	}
	if len(path) > 0 {
		env.Position = path[len(path)-1].Index
	}
	return env
}

// scope is the part of path a group's own expressions are evaluated in:
// the instances around it, and its own for a repeat.
func (r *rules) scope(g *survey.Question, path []survey.Step) []survey.Step {
	n := len(r.chain[g.Name])
	if g.Repeat != nil {
		n++
	}
	return path[:min(n, len(path))]
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
func (v evaluator) isRelevant(q *survey.Question, path []survey.Step) bool {
	for _, g := range v.r.ancestors[q.Name] {
		if e := v.r.relevant[g.Name]; e != nil {
			scope := v.r.scope(g, path)
			if !v.holds(survey.Key(scope, g.Name), e, scope) {
				return false
			}
		}
	}
	return v.holds(survey.Key(path, q.Name), v.r.relevant[q.Name], path)
}

// holds evaluates a relevance condition (nil holds) in the instance at path.
func (v evaluator) holds(key string, e *expr.Expr, path []survey.Step) bool {
	if e == nil {
		return true
	}
	ok, err := e.EvalBool(v.env("", path))
	if err != nil {
		v.fail(key, "relevant", e, err)
		return true
	}
	return ok
}

// pageRelevant reports whether any question of p is relevant; a repeat's
// prompt page is relevant with its repeat.
func (v evaluator) pageRelevant(p Page) bool {
	if p.Prompt != nil {
		return v.isRelevant(p.Prompt.Repeat, p.path)
	}
	for _, f := range p.Fields {
		if v.isRelevant(f.Question, p.path) {
			return true
		}
	}
	return false
}

// settle makes one pass over the answer keys: it recomputes calculations,
// clears the answers of questions that are no longer relevant and drops
// chosen choices that a choice_filter no longer shows. It appends the
// keys it changed to changed.
func (v evaluator) settle(slots []slot, changed []string) []string {
	a := v.a
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
	for _, sl := range slots {
		q := sl.q
		if q.Type != survey.TypeCalculate {
			continue
		}
		val := ""
		if v.isRelevant(q, sl.path) {
			if e := r.calculation[q.Name]; e != nil {
				s, err := e.EvalString(v.env(a[sl.key], sl.path))
				if err != nil {
					v.fail(sl.key, "calculation", e, err)
				} else {
					val = s
				}
			}
		}
		set(sl.key, val)
	}
	for _, sl := range slots {
		q := sl.q
		if q.Type.IsMetadata() || q.Type == survey.TypeCalculate || a[sl.key] == "" {
			continue
		}
		val := a[sl.key]
		if !v.isRelevant(q, sl.path) {
			val = ""
		} else if r.filter[q.Name] != nil {
			val = v.keepShown(q, sl.path, val)
		}
		if val != a[sl.key] {
			set(sl.key, val)
		}
		if q.OrOther && !hasChoice(q, val, survey.OtherChoice) {
			set(survey.Key(sl.path, q.OtherName()), "")
		}
	}
	return changed
}

// choiceShown reports whether choice c of q passes q's choice_filter, with
// the bare columns name, label (in the session's language) and the
// choice's filter columns. Every choice passes when q has no filter; a
// filter that fails passes; and the "Other" that or_other adds, not being
// a row of the list, always shows.
func (v evaluator) choiceShown(q *survey.Question, path []survey.Step, c survey.Choice) bool {
	e := v.r.filter[q.Name]
	if e == nil {
		return true
	}
	if c.Name == survey.OtherChoice && v.r.addsOther(q) {
		return true
	}
	env := v.env("", path)
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
		v.fail(survey.Key(path, q.Name), "choice_filter", e, err)
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
func (v evaluator) keepShown(q *survey.Question, path []survey.Step, val string) string {
	shown := map[string]bool{}
	for _, c := range v.r.s.Choices(q) {
		if v.choiceShown(q, path, c) {
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
func (v evaluator) constraintHolds(q *survey.Question, path []survey.Step, val string) bool {
	e := v.r.constraint[q.Name]
	if e == nil {
		return true
	}
	ok, err := e.EvalBool(v.env(val, path))
	if err != nil {
		v.fail(survey.Key(path, q.Name), "constraint", e, err)
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
