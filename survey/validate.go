package survey

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"canvass/survey/expr"
)

// Problem is one thing wrong with a survey definition, saying where it is.
type Problem struct {
	Question string // the question or group concerned: its name, or "#N" (its row, depth-first) when it has none; "" otherwise
	List     string // the choice list concerned, when the problem is in a list
	Field    string // the column or part: "name", "type", "relevant", "label", "id", "languages"…
	Msg      string // what is wrong, in plain words
}

// String renders the problem on one line, e.g.
// `question "age": constraint: column 4: unexpected ")"`.
func (p Problem) String() string {
	var b strings.Builder
	switch {
	case p.Question != "" && strings.HasPrefix(p.Question, "#"):
		fmt.Fprintf(&b, "question %s: ", p.Question)
	case p.Question != "":
		fmt.Fprintf(&b, "question %q: ", p.Question)
	case p.List != "":
		fmt.Fprintf(&b, "list %q: ", p.List)
	default:
		b.WriteString("survey: ")
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// ValidationError holds every problem Validate found.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems one per line.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// For returns the problems of the named question or group.
func (e *ValidationError) For(question string) []Problem {
	var out []Problem
	for _, p := range e.Problems {
		if p.Question == question {
			out = append(out, p)
		}
	}
	return out
}

// Validate checks the definition and returns a *ValidationError listing
// every problem at once, or nil. It checks the id, version and languages;
// each question's name (valid, unique across the survey, groups included),
// type, choice list, range, required flag, calculation and labels (in every
// declared language); every relevant, constraint, calculation and
// choice_filter expression (syntax, references, functions); calculations
// that depend on themselves; the choice lists; and, for a scored survey,
// the scoring definition.
func (s *Survey) Validate() error {
	v := &validator{s: s}
	if v.limits(); len(v.problems) > 0 {
		return &ValidationError{Problems: v.problems}
	}
	v.survey()
	v.languages()
	v.walk(s.Questions, "")
	v.questions()
	if !v.hasNil {
		v.repeatKeys(s.Questions, nil)
	}
	v.lists()
	v.calculationCycles()
	v.scoring()
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

// repeatKeys checks that repeats nest at most MaxRepeatDepth deep and that
// the longest answer key of every question inside them (each instance at
// MaxInstances) fits in MaxNameLength, so that every key the form can make
// is one the store, bundles and ParseKey accept.
func (v *validator) repeatKeys(qs []*Question, path []Step) {
	for _, q := range qs {
		if len(path) > 0 && len(Key(path, q.Name)) > MaxNameLength {
			v.addf(q.Name, "name", "inside its repeats its answers need keys such as %.80q…, longer than %d bytes: shorten the names of it and its repeats", Key(path, q.Name), MaxNameLength)
		}
		inner := path
		if q.Repeat != nil {
			if len(path) == MaxRepeatDepth {
				v.addf(q.Name, "repeat_count", "repeats nest more than %d deep here", MaxRepeatDepth)
				continue
			}
			inner = append(slices.Clip(path), Step{Repeat: q.Name, Index: MaxInstances})
		}
		v.repeatKeys(q.Questions, inner)
	}
}

// validator collects problems while Validate walks the survey.
type validator struct {
	s        *Survey
	problems []Problem
	rows     []row          // every question depth-first, nil entries included
	names    map[string]int // question name → index in rows of its first use
	hasNil   bool           // a nil question was found (s.All would panic)
	weights  map[string]bool
}

// row is one question of the survey with its place.
type row struct {
	q   *Question
	id  string // name, or "#N" when unnamed
	num int    // 1-based depth-first position
}

func (v *validator) add(p Problem) { v.problems = append(v.problems, p) }

func (v *validator) addf(question, field, format string, args ...any) {
	v.add(Problem{Question: question, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// survey checks the survey-wide fields.
func (v *validator) survey() {
	s := v.s
	switch {
	case strings.TrimSpace(s.ID) == "":
		v.addf("", "id", "missing: give the survey an id of letters, digits, _ - . and :")
	case !validSurveyID(s.ID):
		v.addf("", "id", "%q may contain only letters, digits, _ - . and :", s.ID)
	}
	if s.Version < 1 {
		v.addf("", "version", "must be 1 or more, got %d", s.Version)
	}
}

// validSurveyID reports whether id is letters, digits, _ - . and : only
// (XLSForm form ids such as org.example:household).
func validSurveyID(id string) bool {
	for _, r := range id {
		if !(r == '_' || r == '-' || r == '.' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return id != ""
}

// languages checks the declared languages.
func (v *validator) languages() {
	seen := map[string]bool{}
	for i, l := range v.s.Languages {
		code := strings.TrimSpace(l.Code)
		switch {
		case code == "":
			v.addf("", "languages", "language %d (%s) has no code", i+1, l.Name)
		case seen[code]:
			v.addf("", "languages", "%q is listed more than once", code)
		case strings.ContainsFunc(code, func(r rune) bool {
			return !(r == '-' || r == '_' || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
		}):
			v.addf("", "languages", "code %q: use a language code such as en or cy", code)
		}
		seen[code] = true
	}
}

// walk lists the questions depth-first into v.rows, reporting nil entries
// and children under a question that is not a group.
func (v *validator) walk(qs []*Question, parent string) {
	for _, q := range qs {
		r := row{q: q, num: len(v.rows) + 1}
		if q != nil && q.Name != "" {
			r.id = q.Name
		} else {
			r.id = fmt.Sprintf("#%d", r.num)
		}
		v.rows = append(v.rows, r)
		if q == nil {
			v.hasNil = true
			where := ""
			if parent != "" {
				where = fmt.Sprintf(" in group %q", parent)
			}
			v.addf(r.id, "", "empty row%s: no question here", where)
			continue
		}
		if len(q.Questions) > 0 {
			if q.Type == TypeGroup {
				v.walk(q.Questions, r.id)
			} else {
				v.addf(r.id, "questions", "a %s cannot hold questions; only a group can", q.Type)
			}
		}
	}
}

// questions checks each question on its own, then names across the survey.
func (v *validator) questions() {
	v.names = map[string]int{}
	v.weights = map[string]bool{}
	for i, r := range v.rows {
		if r.q == nil {
			continue
		}
		if r.q.Name != "" {
			if first, dup := v.names[r.q.Name]; dup {
				v.addf(r.id, "name", "%q is already used by question %d; names must be unique across the survey, groups included", r.q.Name, v.rows[first].num)
				continue
			}
			v.names[r.q.Name] = i
		}
	}
	for _, r := range v.rows {
		if r.q == nil || !r.q.OrOther || r.q.Name == "" {
			continue
		}
		if other, clash := v.names[r.q.OtherName()]; clash {
			v.addf(r.id, "or_other", "the \"Other\" text is kept as %q, which is also the name of question %d; rename one of them", r.q.OtherName(), v.rows[other].num)
		}
	}
	fieldsOrGroups := 0
	for _, r := range v.rows {
		if r.q == nil {
			continue
		}
		if r.q.Type != TypeGroup {
			fieldsOrGroups++
		}
		v.question(r)
	}
	if fieldsOrGroups == 0 {
		v.addf("", "questions", "the survey has no questions")
	}
}

// known reports whether name is a question or group of the survey.
func (v *validator) known(name string) bool {
	_, ok := v.names[name]
	return ok
}

// question checks one question.
func (v *validator) question(r row) {
	q, id := r.q, r.id
	switch {
	case q.Name == "":
		v.addf(id, "name", "missing: every %s needs a name", typeWord(q.Type))
	case !expr.ValidName(q.Name):
		v.addf(id, "name", "%q is not a valid name: start with a letter or _, then use letters, digits, _ . or -", q.Name)
	}
	switch {
	case q.Type == "":
		v.addf(id, "type", "missing")
	case !q.Type.Known():
		v.addf(id, "type", "unknown type %q", q.Type)
	}

	if q.Type.HasChoices() {
		switch {
		case strings.TrimSpace(q.List) == "":
			v.addf(id, "list", "a %s question needs a choice list", q.Type)
		default:
			if _, ok := v.s.List(q.List); !ok {
				v.addf(id, "list", "unknown choice list %q", q.List)
			}
		}
	}
	if q.Type == TypeRange {
		v.rangeParams(id, q.Range)
	}
	if q.Required && (!q.Type.Shown() || q.Type == TypeNote) {
		v.addf(id, "required", "a %s cannot be required", typeWord(q.Type))
	}
	if q.Type == TypeCalculate && strings.TrimSpace(q.Calculation) == "" {
		v.addf(id, "calculation", "a calculate question needs a calculation")
	}
	if q.Type == TypeGroup && len(q.Questions) == 0 {
		v.addf(id, "questions", "the group is empty")
	}
	if q.Repeat != nil {
		if q.Type != TypeGroup {
			v.addf(id, "repeat_count", "only a group can repeat, not a %s", typeWord(q.Type))
		}
		v.expression(id, "repeat_count", q.Repeat.Count)
	}
	if q.Weight < 0 || math.IsNaN(q.Weight) || math.IsInf(q.Weight, 0) {
		v.addf(id, "weight", "must be 0 or more, got %v", q.Weight)
		v.weights[q.Name] = true
	}
	if q.Type.Shown() {
		v.text(id, "label", q.Label)
	}

	v.expression(id, "relevant", q.Relevant)
	v.expression(id, "constraint", q.Constraint)
	v.expression(id, "calculation", q.Calculation)
	if strings.TrimSpace(q.ChoiceFilter) != "" {
		columns := v.filterColumns(q.List)
		if err := expr.CheckFilter(q.ChoiceFilter, v.known, columns); err != nil {
			v.addf(id, "choice_filter", "%v", err)
		} else {
			v.lookups(id, "choice_filter", q.ChoiceFilter, expr.ParseFilter)
		}
	}
}

// typeWord names a type for a message ("a note", "a group").
func typeWord(t Type) string {
	if t == "" {
		return "question"
	}
	return string(t)
}

// rangeParams checks a range question's start, end and step.
func (v *validator) rangeParams(id string, r *Range) {
	if r == nil {
		v.addf(id, "range", "a range question needs start, end and step")
		return
	}
	for _, f := range []struct {
		name string
		val  float64
	}{{"start", r.Start}, {"end", r.End}, {"step", r.Step}} {
		if math.IsNaN(f.val) || math.IsInf(f.val, 0) {
			v.addf(id, "range", "%s must be a number, got %v", f.name, f.val)
			return
		}
	}
	switch {
	case r.Step <= 0:
		v.addf(id, "range", "step must be more than 0, got %v", r.Step)
	case r.Start == r.End:
		v.addf(id, "range", "start and end are both %v: they must differ", r.Start)
	case r.Step > math.Abs(r.End-r.Start):
		v.addf(id, "range", "step %v is larger than the range from %v to %v", r.Step, r.Start, r.End)
	}
}

// text checks that a label has words in every declared language (or at
// all, when the survey declares none). A language-less text counts for the
// default language.
func (v *validator) text(id, field string, t Text) {
	v.textIn(Problem{Question: id, Field: field}, t)
}

// textIn is text for a problem location given in p (question or list).
func (v *validator) textIn(p Problem, t Text) {
	if t.Empty() {
		p.Msg = "missing"
		v.add(p)
		return
	}
	var missing []string
	for i, l := range v.s.Languages {
		if strings.TrimSpace(l.Code) == "" {
			continue
		}
		if strings.TrimSpace(t[l.Code]) != "" || (i == 0 && strings.TrimSpace(t[""]) != "") {
			continue
		}
		name := l.Code
		if l.Name != "" {
			name = fmt.Sprintf("%s (%s)", l.Name, l.Code)
		}
		missing = append(missing, name)
	}
	if len(missing) > 0 {
		p.Msg = "missing in " + strings.Join(missing, ", ")
		v.add(p)
	}
}

// expression checks one expression column, if set.
func (v *validator) expression(id, field, src string) {
	if strings.TrimSpace(src) == "" {
		return
	}
	if err := expr.Check(src, v.known); err != nil {
		v.addf(id, field, "%v", err)
		return
	}
	v.lookups(id, field, src, expr.Parse)
	v.indexedRepeats(id, field, src)
}

// indexedRepeats checks that each indexed-repeat() names repeats that
// enclose the question it reads (else it could only ever be blank).
func (v *validator) indexedRepeats(id, field, src string) {
	e, err := expr.Parse(src)
	if err != nil {
		return
	}
	for _, ix := range e.IndexedRepeats() {
		around := map[string]bool{}
		for _, r := range v.s.Repeats(ix.Name) {
			around[r.Name] = true
		}
		for _, r := range ix.Repeats {
			if !around[r] {
				v.addf(id, field, "column %d: indexed-repeat() reads ${%s} in ${%s}, which is not a repeat around it", ix.Pos, ix.Name, r)
			}
		}
	}
}

// lookups checks that every list an expression looks up with
// instance('list')/root/item[…] is a choice list of the survey.
func (v *validator) lookups(id, field, src string, parse func(string) (*expr.Expr, error)) {
	e, err := parse(src)
	if err != nil {
		return
	}
	for _, l := range e.Lists() {
		if _, ok := v.s.List(l); !ok {
			v.addf(id, field, "instance('%s') looks up a choice list the survey does not have", l)
		}
	}
}

// filterColumns returns the columns a choice filter over the named list may
// use: name, label and every filter column of its choices.
func (v *validator) filterColumns(list string) func(string) bool {
	cols := map[string]bool{"name": true, "label": true}
	if l, ok := v.s.List(list); ok {
		for _, c := range l.Choices {
			for k := range c.Filter {
				cols[k] = true
			}
		}
	}
	return func(name string) bool { return cols[name] }
}

// lists checks every choice list.
func (v *validator) lists() {
	// multi names, per list, a question whose answer holds several choice
	// names separated by spaces (select_multiple, rank).
	multi := map[string]string{}
	for _, r := range v.rows {
		if q := r.q; q != nil && (q.Type == TypeSelectMultiple || q.Type == TypeRank) && multi[q.List] == "" {
			multi[q.List] = fmt.Sprintf("%s question %q", q.Type, q.Name)
		}
	}
	seen := map[string]bool{}
	for i, l := range v.s.Lists {
		where := Problem{List: l.Name}
		if l.Name == "" {
			where.List = fmt.Sprintf("#%d", i+1)
		}
		problem := func(field, format string, args ...any) {
			p := where
			p.Field, p.Msg = field, fmt.Sprintf(format, args...)
			v.add(p)
		}
		switch {
		case strings.TrimSpace(l.Name) == "":
			problem("name", "missing: every choice list needs a name")
		case !ValidListName(l.Name):
			problem("name", "%q is not a valid list name: start with a letter or _, then use letters, digits, _ . - or :", l.Name)
		case seen[l.Name]:
			problem("name", "the list is defined more than once")
		}
		seen[l.Name] = true
		if len(l.Choices) == 0 {
			problem("choices", "the list has no choices")
		}
		choices := map[string]bool{}
		for j, c := range l.Choices {
			switch {
			case c.Name == "":
				problem("choices", "choice %d has no name", j+1)
			case strings.ContainsFunc(c.Name, unicode.IsControl):
				problem("choices", "choice name %q may not contain control characters", c.Name)
			case multi[l.Name] != "" && strings.ContainsFunc(c.Name, unicode.IsSpace):
				problem("choices", "choice name %q may not contain spaces: the list is used by %s, whose answers are stored space-separated", c.Name, multi[l.Name])
			case choices[c.Name] && !v.s.AllowChoiceDuplicates:
				problem("choices", "choice %q is listed more than once", c.Name)
			}
			choices[c.Name] = true
			label := where
			label.Field = "label"
			if c.Name != "" {
				label.Field = fmt.Sprintf("choice %q: label", c.Name)
			} else {
				label.Field = fmt.Sprintf("choice %d: label", j+1)
			}
			v.textIn(label, c.Label)
		}
	}
}

// calculationCycles reports every calculation that depends, directly or
// through other calculations, on itself, with the path of the cycle.
func (v *validator) calculationCycles() {
	deps := map[string][]string{}
	var order []string
	for _, r := range v.rows {
		q := r.q
		if q == nil || q.Name == "" || strings.TrimSpace(q.Calculation) == "" {
			continue
		}
		e, err := expr.Parse(q.Calculation)
		if err != nil {
			continue // reported with the expression
		}
		if _, seen := deps[q.Name]; seen {
			continue // a duplicate name, reported already
		}
		order = append(order, q.Name)
		deps[q.Name] = e.Refs()
	}
	const (
		unvisited = iota
		onPath
		done
	)
	state := map[string]int{}
	reported := map[string]bool{}
	var path []string
	var visit func(name string)
	visit = func(name string) {
		state[name] = onPath
		path = append(path, name)
		for _, d := range deps[name] {
			if _, calculated := deps[d]; !calculated {
				continue
			}
			switch state[d] {
			case unvisited:
				visit(d)
			case onPath:
				v.reportCycle(cycleFrom(path, d), order, reported)
			}
		}
		path = path[:len(path)-1]
		state[name] = done
	}
	for _, name := range order {
		if state[name] == unvisited {
			visit(name)
		}
	}
}

// cycleFrom returns the part of path from start on.
func cycleFrom(path []string, start string) []string {
	for i, n := range path {
		if n == start {
			return append([]string(nil), path[i:]...)
		}
	}
	return nil
}

// reportCycle reports a cycle once, starting from its first question in
// survey order, as "a → b → a".
func (v *validator) reportCycle(cycle, order []string, reported map[string]bool) {
	if len(cycle) == 0 {
		return
	}
	pos := map[string]int{}
	for i, n := range order {
		pos[n] = i
	}
	first := 0
	for i, n := range cycle {
		if pos[n] < pos[cycle[first]] {
			first = i
		}
	}
	rotated := append(append([]string(nil), cycle[first:]...), cycle[:first]...)
	key := strings.Join(rotated, " ")
	if reported[key] {
		return
	}
	reported[key] = true
	shown := append(rotated, rotated[0])
	if len(rotated) == 1 {
		v.addf(rotated[0], "calculation", "calculation cycle: %s uses itself", rotated[0])
		return
	}
	v.addf(rotated[0], "calculation", "calculation cycle: %s", strings.Join(shown, " → "))
}

// scoring adds the scoring definition's own problems, for a scored survey.
func (v *validator) scoring() {
	if v.s.Scoring == nil || v.hasNil {
		return // Scoring.Validate walks the questions and cannot skip empty rows
	}
	for _, err := range v.s.Scoring.Validate(v.s) {
		msg := strings.TrimPrefix(err.Error(), "scoring: ")
		if !v.duplicateWeightProblem(msg) {
			v.addf("", "scoring", "%s", msg)
		}
	}
}

// duplicateWeightProblem reports whether a scoring message repeats a bad
// weight already reported on its question.
func (v *validator) duplicateWeightProblem(msg string) bool {
	for name := range v.weights {
		if strings.HasPrefix(msg, fmt.Sprintf("question %q: weight", name)) {
			return true
		}
	}
	return false
}

// ValidListName reports whether s is a valid choice list name: a letter or
// _ first, then letters, digits, _ . - or : (XLSForm allows "gender:v2").
func ValidListName(s string) bool {
	return s != "" && !strings.HasPrefix(s, ":") && expr.ValidName(strings.ReplaceAll(s, ":", "_"))
}
