package survey

import "fmt"

// Limits on the size of a survey definition. They are far above what a
// consultation needs and keep a hostile or mistaken definition (a million
// questions, a megabyte label) from costing gigabytes to store, merge,
// show or export. Validate refuses a survey past any of them.
const (
	MaxQuestions      = 2000   // questions, notes, calculations and groups, all levels together
	MaxDepth          = 20     // groups inside groups
	MaxLists          = 1000   // choice lists
	MaxChoicesPerList = 1000   // choices in one list
	MaxChoices        = 20000  // choices in all lists together
	MaxLanguages      = 20     // declared languages
	MaxNameLength     = 200    // bytes in a survey id, question, list or choice name
	MaxTextLength     = 10_000 // bytes in one label, hint, message or expression, per language
)

// limits checks the survey against the size limits. It reports at most a
// few problems: past a limit, the rest of the survey is not worth reading.
func (v *validator) limits() {
	s := v.s
	bad := func(field, format string, args ...any) {
		if len(v.problems) < 5 {
			v.addf("", field, format, args...)
		}
	}
	name := func(field, n string) {
		if len(n) > MaxNameLength {
			bad(field, "a name of %d bytes is too long (at most %d)", len(n), MaxNameLength)
		}
	}
	text := func(field string, t Text) {
		for code, words := range t {
			if len(words) > MaxTextLength || len(code) > MaxNameLength {
				bad(field, "a text of %d bytes is too long (at most %d)", len(words), MaxTextLength)
				return
			}
		}
	}
	expr := func(field, src string) {
		if len(src) > MaxTextLength {
			bad(field, "an expression of %d bytes is too long (at most %d)", len(src), MaxTextLength)
		}
	}
	name("id", s.ID)
	text("title", s.Title)
	text("description", s.Description)
	if len(s.Languages) > MaxLanguages {
		bad("languages", "%d languages are too many (at most %d)", len(s.Languages), MaxLanguages)
	}
	count := 0
	var walk func(qs []*Question, depth int) bool
	walk = func(qs []*Question, depth int) bool {
		if depth > MaxDepth {
			bad("questions", "groups are nested more than %d deep", MaxDepth)
			return false
		}
		for _, q := range qs {
			if count++; count > MaxQuestions {
				bad("questions", "more than %d questions (groups and notes included)", MaxQuestions)
				return false
			}
			if q == nil {
				continue
			}
			field := fmt.Sprintf("question %d", count)
			name(field, q.Name)
			for _, t := range []Text{q.Label, q.Hint, q.RequiredMessage, q.ConstraintMessage} {
				text(field, t)
			}
			for _, e := range []string{q.Relevant, q.Constraint, q.Calculation, q.Default, q.ChoiceFilter, q.Appearance} {
				expr(field, e)
			}
			if q.Repeat != nil {
				text(field, q.Repeat.Item)
				expr(field, q.Repeat.Count)
			}
			if !walk(q.Questions, depth+1) {
				return false
			}
		}
		return true
	}
	walk(s.Questions, 0)
	if len(s.Lists) > MaxLists {
		bad("lists", "%d choice lists are too many (at most %d)", len(s.Lists), MaxLists)
		return
	}
	total := 0
	for _, l := range s.Lists {
		name("list", l.Name)
		total += len(l.Choices)
		if len(l.Choices) > MaxChoicesPerList {
			bad("list "+l.Name, "%d choices are too many for one list (at most %d)", len(l.Choices), MaxChoicesPerList)
		}
		for _, c := range l.Choices {
			name("list "+l.Name, c.Name)
			text("list "+l.Name, c.Label)
			if len(c.Filter) > MaxLanguages*5 {
				bad("list "+l.Name, "a choice has %d filter columns (at most %d)", len(c.Filter), MaxLanguages*5)
			}
		}
	}
	if total > MaxChoices {
		bad("lists", "%d choices in all are too many (at most %d)", total, MaxChoices)
	}
}
