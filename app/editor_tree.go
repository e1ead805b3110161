package app

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	"canvass/survey"
)

// The survey editor lists the question tree of a survey definition; the
// edits of the tree are the survey's own (survey/edit.go).

// questionRow is one line of the editor's question list.
type questionRow struct {
	Q     *survey.Question
	Depth int // 0 at the top level, 1 inside a group…
}

// questionRows lists the questions depth-first, groups included.
func questionRows(qs []*survey.Question) []questionRow {
	var out []questionRow
	var walk func(qs []*survey.Question, depth int)
	walk = func(qs []*survey.Question, depth int) {
		for _, q := range qs {
			out = append(out, questionRow{Q: q, Depth: depth})
			if q.Type == survey.TypeGroup {
				walk(q.Questions, depth+1)
			}
		}
	}
	walk(qs, 0)
	return out
}

// checkName says, in the staff's language, what is wrong with name for q in def, or "".
func checkName(def *survey.Survey, q *survey.Question, name string) string {
	switch err := def.CheckName(q, name); {
	case err == nil:
		return ""
	case errors.Is(err, survey.ErrNameMissing):
		return lang.L("missing")
	case errors.Is(err, survey.ErrNameInvalid):
		return lang.L("start with a letter or _, then use letters, digits, _ . or -")
	default:
		return lang.L("another question already has this name")
	}
}
