package app

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"canvass/survey"
	"canvass/survey/expr"
)

// formRules holds a survey's expressions, parsed once, and the groups
// enclosing each question; it answers the form's questions about relevance,
// constraints and calculations against the current answers.
type formRules struct {
	s           *survey.Survey
	relevant    map[string]*expr.Expr // own relevant, by question or group name
	constraint  map[string]*expr.Expr
	calculation map[string]*expr.Expr
	filter      map[string]*expr.Expr // choice_filter of select and rank questions
	ancestors   map[string][]*survey.Question
	calcs       []*survey.Question // calculate questions in survey order
	fields      []*survey.Question // questions holding an answer, in survey order
}

// compileRules parses every expression of s; an error names the question,
// the column and the position.
func compileRules(s *survey.Survey) (*formRules, error) {
	r := &formRules{
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
			if _, clash := s.Question(otherName(q)); clash {
				return nil, fmt.Errorf("survey %q: question %q: or_other keeps the \"Other\" text as %q, which is also the name of a question", s.ID, q.Name, otherName(q))
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

// env returns an evaluation environment over answers with '.' bound to self.
func (r *formRules) env(a survey.Answers, self string, now time.Time) expr.Env {
	return expr.Env{Lookup: func(n string) string { return a[n] }, Self: self, Now: now}
}

// isRelevant reports whether q and every group around it are relevant. A
// condition that fails to evaluate counts as relevant: a respondent is
// never blocked from a question by a faulty survey.
func (r *formRules) isRelevant(q *survey.Question, a survey.Answers, now time.Time) bool {
	for _, g := range r.ancestors[q.Name] {
		if !r.holds(r.relevant[g.Name], a, now) {
			return false
		}
	}
	return r.holds(r.relevant[q.Name], a, now)
}

// holds evaluates a relevance condition (nil holds).
func (r *formRules) holds(e *expr.Expr, a survey.Answers, now time.Time) bool {
	if e == nil {
		return true
	}
	ok, err := e.EvalBool(r.env(a, "", now))
	return ok || err != nil
}

// pageRelevant reports whether any question of p is relevant.
func (r *formRules) pageRelevant(p survey.Page, a survey.Answers, now time.Time) bool {
	for _, q := range p.Questions {
		if r.isRelevant(q, a, now) {
			return true
		}
	}
	return false
}

// settle recomputes calculations, clears the answers of questions that
// are no longer relevant and drops chosen choices that a choice_filter no
// longer shows, repeating until nothing changes (calculations and filters
// may depend on each other). Choice labels are read in lng, then fallback.
// It returns the names it changed.
func (r *formRules) settle(a survey.Answers, lng, fallback string, now time.Time) []string {
	var changed []string
	set := func(name, v string) {
		if a[name] == v {
			return
		}
		if v == "" {
			delete(a, name)
		} else {
			a[name] = v
		}
		changed = append(changed, name)
	}
	for pass := 0; pass <= len(r.calcs)+len(r.fields); pass++ {
		before := len(changed)
		for _, q := range r.calcs {
			v := ""
			if r.isRelevant(q, a, now) {
				if e := r.calculation[q.Name]; e != nil {
					if s, err := e.EvalString(r.env(a, a[q.Name], now)); err == nil {
						v = s
					}
				}
			}
			set(q.Name, v)
		}
		for _, q := range r.fields {
			if q.Type.IsMetadata() || a[q.Name] == "" {
				continue
			}
			v := a[q.Name]
			if !r.isRelevant(q, a, now) {
				v = ""
			} else if r.filter[q.Name] != nil {
				v = r.keepShown(q, v, a, lng, fallback, now)
			}
			if v == a[q.Name] {
				continue
			}
			set(q.Name, v)
			if q.OrOther && !hasChoice(q, v, otherChoice) {
				set(otherName(q), "")
			}
		}
		if len(changed) == before {
			break
		}
	}
	return changed
}

// choiceShown reports whether choice c of q passes q's choice_filter
// against the answers a, with the bare columns name, label (in lng, then
// fallback) and the choice's filter columns. Every choice passes when q has
// no filter; a filter that fails to evaluate passes (a faulty survey never
// leaves a respondent without choices); and the "Other" that or_other adds,
// not being a row of the list, always shows.
func (r *formRules) choiceShown(q *survey.Question, c survey.Choice, a survey.Answers, lng, fallback string, now time.Time) bool {
	e := r.filter[q.Name]
	if e == nil {
		return true
	}
	if c.Name == otherChoice && r.addsOther(q) {
		return true
	}
	env := r.env(a, "", now)
	env.Column = func(col string) string {
		switch col {
		case "name":
			return c.Name
		case "label":
			return c.Label.In(lng, fallback)
		}
		return c.Filter[col]
	}
	ok, err := e.EvalBool(env)
	return ok || err != nil
}

// addsOther reports whether the form adds an "Other" choice to q: an
// or_other select whose list has no choice of that name.
func (r *formRules) addsOther(q *survey.Question) bool {
	return q.OrOther && (q.Type == survey.TypeSelectOne || q.Type == survey.TypeSelectMultiple) && !r.inList(q, otherChoice)
}

// inList reports whether q's choice list has a choice called name.
func (r *formRules) inList(q *survey.Question, name string) bool {
	l, ok := r.s.List(q.List)
	if !ok {
		return false
	}
	_, ok = l.Choice(name)
	return ok
}

// keepShown returns the answer v of q reduced to the choices q's filter
// shows now: a select_one answer that is no longer shown is cleared, a
// select_multiple answer loses the choices no longer shown, and a rank
// answer is cleared unless it orders exactly the choices shown (its order
// must be confirmed again).
func (r *formRules) keepShown(q *survey.Question, v string, a survey.Answers, lng, fallback string, now time.Time) string {
	shown := map[string]bool{}
	for _, c := range r.s.Choices(q) {
		if r.choiceShown(q, c, a, lng, fallback, now) {
			shown[c.Name] = true
		}
	}
	if r.addsOther(q) {
		shown[otherChoice] = true
	}
	parts := strings.Fields(v)
	switch q.Type {
	case survey.TypeSelectOne:
		if shown[v] {
			return v
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
		return v
	}
	var keep []string
	for _, p := range parts {
		if shown[p] {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, " ")
}

// check returns the error to show for q's answer v ("" when it is fine):
// required, then the constraint. A constraint that fails to evaluate passes.
func (r *formRules) check(q *survey.Question, v string, a survey.Answers, lng, fallback string, now time.Time) string {
	if v == "" {
		if q.Required {
			return textOr(q.RequiredMessage, lng, fallback, lang.L("Please answer this question."))
		}
		return ""
	}
	if q.OrOther && hasChoice(q, v, otherChoice) && strings.TrimSpace(a[otherName(q)]) == "" {
		return lang.L("Please say what “Other” is.")
	}
	if e := r.constraint[q.Name]; e != nil {
		ok, err := e.EvalBool(r.env(a, v, now))
		if err == nil && !ok {
			return textOr(q.ConstraintMessage, lng, fallback, lang.L("This answer is not accepted. Please check it."))
		}
	}
	return ""
}

// textOr returns t in lng, or def when t is empty.
func textOr(t survey.Text, lng, fallback, def string) string {
	if t.Empty() {
		return def
	}
	return t.In(lng, fallback)
}

// otherChoice is the choice name or_other adds.
const otherChoice = survey.OtherChoice

// otherName is the answer holding the text of q's "Other" choice.
func otherName(q *survey.Question) string { return q.OtherName() }

// hasChoice reports whether the stored value v of q includes choice c.
func hasChoice(q *survey.Question, v, c string) bool {
	if q.Type == survey.TypeSelectOne {
		return v == c
	}
	for _, f := range strings.Fields(v) {
		if f == c {
			return true
		}
	}
	return false
}

// refPattern finds ${name} references in labels.
var refPattern = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}`)

// interpolate replaces ${name} in a label with show(name).
func interpolate(s string, show func(name string) string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	return refPattern.ReplaceAllStringFunc(s, func(m string) string {
		return show(refPattern.FindStringSubmatch(m)[1])
	})
}
