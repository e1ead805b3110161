package survey

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"canvass/survey/expr"
)

// The survey editor works on the question tree of a survey definition:
// these methods find, move, group and rename questions in it.

// place is where a question sits: the list holding it, its index in that
// list, and the group that owns the list (nil at the top level).
type place struct {
	list   *[]*Question
	index  int
	parent *Question
}

// locate finds q in the tree under root.
func locate(root *[]*Question, q *Question) (place, bool) {
	var found place
	var ok bool
	var walk func(list *[]*Question, parent *Question) bool
	walk = func(list *[]*Question, parent *Question) bool {
		for i, c := range *list {
			if c == q {
				found, ok = place{list: list, index: i, parent: parent}, true
				return true
			}
			if c.Type == TypeGroup && walk(&c.Questions, c) {
				return true
			}
		}
		return false
	}
	walk(root, nil)
	return found, ok
}

// Parent returns the group that holds q (nil at the top level); found is
// false when q is not in the survey.
func (s *Survey) Parent(q *Question) (parent *Question, found bool) {
	p, ok := locate(&s.Questions, q)
	return p.parent, ok
}

func removeAt(list *[]*Question, i int) {
	*list = append((*list)[:i], (*list)[i+1:]...)
}

func insertAt(list *[]*Question, i int, q *Question) {
	*list = append(*list, nil)
	copy((*list)[i+1:], (*list)[i:])
	(*list)[i] = q
}

// MoveQuestion moves q one step up (-1) or down (+1) through the list as
// the editor shows it: a question next to a group steps into it (at the
// near end), and the first or last question of a group steps out of it.
// Groups move past each other as a whole. It reports whether q moved.
func (s *Survey) MoveQuestion(q *Question, dir int) bool {
	root := &s.Questions
	p, ok := locate(root, q)
	if !ok {
		return false
	}
	list := p.list
	j := p.index + dir
	switch {
	case j >= 0 && j < len(*list):
		next := (*list)[j]
		if next.Type == TypeGroup && q.Type != TypeGroup {
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
func dropEmptyGroups(list *[]*Question) {
	out := (*list)[:0]
	for _, q := range *list {
		if q.Type == TypeGroup {
			dropEmptyGroups(&q.Questions)
			if len(q.Questions) == 0 {
				continue
			}
		}
		out = append(out, q)
	}
	*list = out
}

// WrapInPage puts q, where it stands, inside a new field-list group (a
// page) with the given name.
func (s *Survey) WrapInPage(q *Question, name string) (*Question, bool) {
	root := &s.Questions
	p, ok := locate(root, q)
	if !ok {
		return nil, false
	}
	g := &Question{Type: TypeGroup, Name: name, Appearance: AppearanceFieldList, Questions: []*Question{q}}
	(*p.list)[p.index] = g
	return g, true
}

// Ungroup replaces group g with its questions.
func (s *Survey) Ungroup(g *Question) bool {
	root := &s.Questions
	p, ok := locate(root, g)
	if !ok || g.Type != TypeGroup {
		return false
	}
	removeAt(p.list, p.index)
	for i, c := range g.Questions {
		insertAt(p.list, p.index+i, c)
	}
	return true
}

// DeleteQuestion removes q (with its children, for a group).
func (s *Survey) DeleteQuestion(q *Question) bool {
	root := &s.Questions
	p, ok := locate(root, q)
	if !ok {
		return false
	}
	removeAt(p.list, p.index)
	dropEmptyGroups(root)
	return true
}

// InsertAfter puts q just after the question after (at the end of the
// survey when after is nil). After a group, q goes inside it at the end.
// With no question to follow, q goes before the closing notes at the end
// of the survey (a "Thank you" note stays last).
func (s *Survey) InsertAfter(after, q *Question) {
	root := &s.Questions
	if after == nil {
		insertAt(root, s.closingNotesStart(), q)
		return
	}
	if after.Type == TypeGroup {
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

// closingNotesStart is the index of the first of the notes that end the
// survey's top level (len when it does not end with a note).
func (s *Survey) closingNotesStart() int {
	i := len(s.Questions)
	for i > 0 && s.Questions[i-1].Type == TypeNote {
		i--
	}
	return i
}

// Within reports whether q is g or sits inside g.
func Within(q, g *Question) bool {
	if q == g {
		return true
	}
	for _, c := range g.Questions {
		if Within(q, c) {
			return true
		}
	}
	return false
}

// MoveAfter moves q to just after target, in target's list (after a group,
// not into it); a nil target moves q to the very top. It reports whether
// q moved: not when target is q itself or inside it, or either is missing.
func (s *Survey) MoveAfter(q, target *Question) bool {
	root := &s.Questions
	from, ok := locate(root, q)
	if !ok || (target != nil && Within(target, q)) {
		return false
	}
	if target != nil {
		if _, ok := locate(root, target); !ok {
			return false
		}
	}
	removeAt(from.list, from.index)
	if target == nil {
		insertAt(root, 0, q)
	} else {
		to, _ := locate(root, target)
		insertAt(to.list, to.index+1, q)
	}
	dropEmptyGroups(root)
	return true
}

// RenameQuestion renames q (with every ${old} reference) and, when q's
// choice list still has the automatic name made from the old question
// name (old, or old_2…) and no other question uses it, renames the list
// to go with it. It does not check the new name (see CheckName).
func (s *Survey) RenameQuestion(q *Question, name string) {
	old := q.Name
	if old == name {
		return
	}
	s.RenameReferences(old, name)
	q.Name = name
	if q.List == "" || !automaticListName(q.List, old) || s.listUsedElsewhere(q) {
		return
	}
	l, ok := s.List(q.List)
	if !ok {
		return
	}
	fresh := name
	for i := 2; ; i++ {
		if _, taken := s.List(fresh); !taken || fresh == q.List {
			break
		}
		fresh = fmt.Sprintf("%s_%d", name, i)
	}
	l.Name = fresh
	q.List = fresh
}

// automaticListName reports whether list is the name the editor gives a
// new question's list: the question's name, or it followed by _2, _3….
func automaticListName(list, question string) bool {
	if list == question {
		return true
	}
	rest, ok := strings.CutPrefix(list, question+"_")
	if !ok || rest == "" {
		return false
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// listUsedElsewhere reports whether a question other than q names q's list.
func (s *Survey) listUsedElsewhere(q *Question) bool {
	for _, o := range s.All() {
		if o != q && o.List == q.List {
			return true
		}
	}
	return false
}

// FreeName returns base_1, base_2… — the first name no question or group uses.
func (s *Survey) FreeName(base string) string {
	for i := 1; ; i++ {
		name := fmt.Sprintf("%s_%d", base, i)
		if _, taken := s.Question(name); !taken {
			return name
		}
	}
}

// References lists the questions whose expressions mention ${name}.
func (s *Survey) References(name string) []string {
	needle := "${" + name + "}"
	var out []string
	for _, q := range s.All() {
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

// RenameReferences rewrites ${old} as ${new} in every expression of the
// survey, repeat counts included.
func (s *Survey) RenameReferences(old, new string) {
	if old == "" || old == new {
		return
	}
	from, to := "${"+old+"}", "${"+new+"}"
	for _, q := range s.All() {
		for _, src := range []*string{&q.Relevant, &q.Constraint, &q.Calculation, &q.ChoiceFilter, &q.Default} {
			*src = strings.ReplaceAll(*src, from, to)
		}
		if q.Repeat != nil {
			q.Repeat.Count = strings.ReplaceAll(q.Repeat.Count, from, to)
		}
	}
}

var nonName = regexp.MustCompile(`[^a-z0-9]+`)

// ChoiceName makes a choice name from a label: lower-case letters, digits and _.
func ChoiceName(label string) string {
	s := strings.Trim(nonName.ReplaceAllString(strings.ToLower(label), "_"), "_")
	if len(s) > 30 {
		s = strings.TrimRight(s[:30], "_")
	}
	return s
}

// Problems with a question name (see CheckName).
var (
	ErrNameMissing = errors.New("the name is missing")
	ErrNameInvalid = errors.New("a name starts with a letter or _, then uses letters, digits, _ . or -")
	ErrNameTaken   = errors.New("another question already has this name")
)

// CheckName says what is wrong with name as the name of q: ErrNameMissing,
// ErrNameInvalid, ErrNameTaken, or nil.
func (s *Survey) CheckName(q *Question, name string) error {
	if name == "" {
		return ErrNameMissing
	}
	if !expr.ValidName(name) {
		return ErrNameInvalid
	}
	if other, ok := s.Question(name); ok && other != q {
		return ErrNameTaken
	}
	return nil
}
