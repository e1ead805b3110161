package app

import (
	"fmt"
	"regexp"
	"strings"

	"fyne.io/fyne/v2/lang"

	"canvass/survey"
	"canvass/survey/expr"
)

// The survey editor works on the question tree of a survey definition:
// these functions find, move, group and rename questions in it.

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

// place is where a question sits: the list holding it, its index in that
// list, and the group that owns the list (nil at the top level).
type place struct {
	list   *[]*survey.Question
	index  int
	parent *survey.Question
}

// locate finds q in the tree under root.
func locate(root *[]*survey.Question, q *survey.Question) (place, bool) {
	var found place
	var ok bool
	var walk func(list *[]*survey.Question, parent *survey.Question) bool
	walk = func(list *[]*survey.Question, parent *survey.Question) bool {
		for i, c := range *list {
			if c == q {
				found, ok = place{list: list, index: i, parent: parent}, true
				return true
			}
			if c.Type == survey.TypeGroup && walk(&c.Questions, c) {
				return true
			}
		}
		return false
	}
	walk(root, nil)
	return found, ok
}

func removeAt(list *[]*survey.Question, i int) {
	*list = append((*list)[:i], (*list)[i+1:]...)
}

func insertAt(list *[]*survey.Question, i int, q *survey.Question) {
	*list = append(*list, nil)
	copy((*list)[i+1:], (*list)[i:])
	(*list)[i] = q
}

// moveQuestion moves q one step up (-1) or down (+1) through the list as
// the editor shows it: a question next to a group steps into it (at the
// near end), and the first or last question of a group steps out of it.
// Groups move past each other as a whole. It reports whether q moved.
func moveQuestion(root *[]*survey.Question, q *survey.Question, dir int) bool {
	p, ok := locate(root, q)
	if !ok {
		return false
	}
	list := p.list
	j := p.index + dir
	switch {
	case j >= 0 && j < len(*list):
		next := (*list)[j]
		if next.Type == survey.TypeGroup && q.Type != survey.TypeGroup {
			removeAt(list, p.index)
			if dir < 0 {
				next.Questions = append(next.Questions, q)
			} else {
				insertAt(&next.Questions, 0, q)
			}
			return true
		}
		(*list)[p.index], (*list)[j] = (*list)[j], (*list)[p.index]
		return true
	case p.parent != nil:
		outer, ok := locate(root, p.parent)
		if !ok {
			return false
		}
		removeAt(list, p.index)
		at := outer.index
		if dir > 0 {
			at++
		}
		insertAt(outer.list, at, q)
		dropEmptyGroups(root)
		return true
	}
	return false
}

// dropEmptyGroups removes groups left without questions.
func dropEmptyGroups(list *[]*survey.Question) {
	out := (*list)[:0]
	for _, q := range *list {
		if q.Type == survey.TypeGroup {
			dropEmptyGroups(&q.Questions)
			if len(q.Questions) == 0 {
				continue
			}
		}
		out = append(out, q)
	}
	*list = out
}

// wrapInPage puts q, where it stands, inside a new field-list group (a
// page) with the given name.
func wrapInPage(root *[]*survey.Question, q *survey.Question, name string) (*survey.Question, bool) {
	p, ok := locate(root, q)
	if !ok {
		return nil, false
	}
	g := &survey.Question{Type: survey.TypeGroup, Name: name, Appearance: survey.AppearanceFieldList, Questions: []*survey.Question{q}}
	(*p.list)[p.index] = g
	return g, true
}

// ungroup replaces group g with its questions.
func ungroup(root *[]*survey.Question, g *survey.Question) bool {
	p, ok := locate(root, g)
	if !ok || g.Type != survey.TypeGroup {
		return false
	}
	removeAt(p.list, p.index)
	for i, c := range g.Questions {
		insertAt(p.list, p.index+i, c)
	}
	return true
}

// deleteQuestion removes q (with its children, for a group).
func deleteQuestion(root *[]*survey.Question, q *survey.Question) bool {
	p, ok := locate(root, q)
	if !ok {
		return false
	}
	removeAt(p.list, p.index)
	dropEmptyGroups(root)
	return true
}

// insertAfter puts q just after the question after (at the end of the
// survey when after is nil). After a group, q goes inside it at the end.
func insertAfter(root *[]*survey.Question, after, q *survey.Question) {
	if after == nil {
		*root = append(*root, q)
		return
	}
	if after.Type == survey.TypeGroup {
		after.Questions = append(after.Questions, q)
		return
	}
	p, ok := locate(root, after)
	if !ok {
		*root = append(*root, q)
		return
	}
	insertAt(p.list, p.index+1, q)
}

// freeName returns base_1, base_2… — the first name no question or group uses.
func freeName(def *survey.Survey, base string) string {
	for i := 1; ; i++ {
		name := fmt.Sprintf("%s_%d", base, i)
		if _, taken := def.Question(name); !taken {
			return name
		}
	}
}

// references lists the questions whose expressions mention ${name}.
func references(def *survey.Survey, name string) []string {
	needle := "${" + name + "}"
	var out []string
	for _, q := range def.All() {
		if q.Name == name {
			continue
		}
		for _, src := range []string{q.Relevant, q.Constraint, q.Calculation, q.ChoiceFilter, q.Default} {
			if strings.Contains(src, needle) {
				out = append(out, q.Name)
				break
			}
		}
	}
	return out
}

// renameReferences rewrites ${old} as ${new} in every expression of the survey.
func renameReferences(def *survey.Survey, old, new string) {
	if old == "" || old == new {
		return
	}
	from, to := "${"+old+"}", "${"+new+"}"
	for _, q := range def.All() {
		for _, src := range []*string{&q.Relevant, &q.Constraint, &q.Calculation, &q.ChoiceFilter, &q.Default} {
			*src = strings.ReplaceAll(*src, from, to)
		}
	}
}

// checkName says what is wrong with name for q in def, or "".
func checkName(def *survey.Survey, q *survey.Question, name string) string {
	if name == "" {
		return lang.L("missing")
	}
	if !expr.ValidName(name) {
		return lang.L("start with a letter or _, then use letters, digits, _ . or -")
	}
	if other, ok := def.Question(name); ok && other != q {
		return lang.L("another question already has this name")
	}
	return ""
}

var nonName = regexp.MustCompile(`[^a-z0-9]+`)

// choiceName makes a choice name from a label: lower-case letters, digits and _.
func choiceName(label string) string {
	s := strings.Trim(nonName.ReplaceAllString(strings.ToLower(label), "_"), "_")
	if len(s) > 30 {
		s = strings.TrimRight(s[:30], "_")
	}
	return s
}
