package run

import (
	"regexp"
	"strings"
	"time"

	"canvass/survey"
)

// Pages returns the form's pages now, relevant or not; PageIndex indexes
// them. In a survey with repeats the list changes as instances are added
// and removed (AddInstance, RemoveInstance, and any answer a repeat_count
// depends on): read it again after each.
func (s *Session) Pages() []Page { return s.lay.pages }

// PageIndex returns the index of the current page.
func (s *Session) PageIndex() int { return s.page }

// Page returns the current page (an empty page when the form shows
// nothing now: only repeats whose repeat_count is 0).
func (s *Session) Page() Page {
	if s.page >= len(s.lay.pages) {
		return Page{}
	}
	return s.lay.pages[s.page]
}

// PageRelevant reports whether any question of page i is relevant now.
func (s *Session) PageRelevant(i int) bool {
	return i >= 0 && i < len(s.lay.pages) && s.eval().pageRelevant(s.lay.pages[i])
}

// NextPage returns the first relevant page after i, or -1.
func (s *Session) NextPage(i int) int {
	ev := s.eval()
	for j := i + 1; j < len(s.lay.pages); j++ {
		if ev.pageRelevant(s.lay.pages[j]) {
			return j
		}
	}
	return -1
}

// PrevPage returns the last relevant page before i, or -1.
func (s *Session) PrevPage(i int) int {
	ev := s.eval()
	for j := min(i, len(s.lay.pages)) - 1; j >= 0; j-- {
		if ev.pageRelevant(s.lay.pages[j]) {
			return j
		}
	}
	return -1
}

// IsLast reports whether no relevant page follows the current one (the
// front end offers Submit rather than Next).
func (s *Session) IsLast() bool { return s.NextPage(s.page) < 0 }

// IsFirst reports whether no relevant page comes before the current one.
func (s *Session) IsFirst() bool { return s.PrevPage(s.page) < 0 }

func (s *Session) firstPage() int {
	if i := s.NextPage(-1); i >= 0 {
		return i
	}
	return 0
}

// resumePage returns the relevant page after the last one holding an answer.
func (s *Session) resumePage() int {
	last := -1
	for i, p := range s.lay.pages {
		for _, f := range p.Fields {
			if s.answers[f.Key] != "" {
				last = i
			}
		}
	}
	if last < 0 {
		return s.firstPage()
	}
	if n := s.NextPage(last); n >= 0 {
		return n
	}
	if s.PageRelevant(last) {
		return last
	}
	if p := s.PrevPage(last); p >= 0 {
		return p
	}
	return s.firstPage()
}

// Progress returns the current page's position among the pages relevant
// now, counting from 1, and how many there are ("page 3 of 9").
func (s *Session) Progress() (n, total int) {
	ev := s.eval()
	for i, p := range s.lay.pages {
		if i == s.page || ev.pageRelevant(p) {
			total++
			if i <= s.page {
				n = total
			}
		}
	}
	return n, total
}

// CheckPage returns the problems of page i's relevant questions, in page
// order; on a repeat's prompt page, the repeat's constraint (keyed by the
// repeat's key, Prompt.Key).
func (s *Session) CheckPage(i int) []Problem {
	var out []Problem
	if i < 0 || i >= len(s.lay.pages) {
		return nil
	}
	if p := s.lay.pages[i]; p.Prompt != nil {
		if c := s.checkRepeat(p.Prompt, p.path); !c.OK() {
			return []Problem{{Key: p.Prompt.Key, Check: c}}
		}
		return nil
	}
	for _, f := range s.lay.pages[i].Fields {
		if _, ok := s.slot(f.Key); !ok {
			continue // a note
		}
		if c := s.Check(f.Key); !c.OK() {
			out = append(out, Problem{Key: f.Key, Check: c})
		}
	}
	return out
}

// Next checks the current page and, if it has no problems, moves to the
// next relevant page. It returns the page's problems (and stays), or
// reports whether it moved: false on the last relevant page, where the
// front end submits instead.
func (s *Session) Next() (moved bool, problems []Problem) {
	if problems = s.CheckPage(s.page); len(problems) > 0 {
		return false, problems
	}
	n := s.NextPage(s.page)
	if n < 0 {
		return false, nil
	}
	s.page = n
	return true, nil
}

// Back moves to the previous relevant page, keeping every answer. It
// reports whether there was one.
func (s *Session) Back() bool {
	p := s.PrevPage(s.page)
	if p < 0 {
		return false
	}
	s.page = p
	return true
}

// GoTo makes page i current (a front end showing the first page with a
// problem, for instance). It reports whether i is a page.
func (s *Session) GoTo(i int) bool {
	if i < 0 || i >= len(s.lay.pages) {
		return false
	}
	s.page = i
	return true
}

// CheckAll checks every relevant page. It returns the index of the first
// page with a problem, and its problems, or -1 and nil when the session
// can be submitted.
func (s *Session) CheckAll() (page int, problems []Problem) {
	for i := range s.lay.pages {
		if !s.PageRelevant(i) {
			continue
		}
		if ps := s.CheckPage(i); len(ps) > 0 {
			return i, ps
		}
	}
	return -1, nil
}

// CanSubmit reports whether every relevant question's answer is accepted.
func (s *Session) CanSubmit() bool {
	p, _ := s.CheckAll()
	return p < 0
}

// Text renders a survey text (a label or a hint) in the respondent's
// language, with each ${name} replaced by that answer as a respondent
// reads it (choice labels for choices). Inside a repeat instance ${name}
// is read as expressions read it (see the package documentation), in the
// current page's instance; TextAt reads it in another key's.
func (s *Session) Text(t survey.Text) string {
	var path []survey.Step
	if s.page < len(s.lay.pages) {
		path = s.lay.pages[s.page].path
	}
	return s.textIn(t, path)
}

// TextAt is Text in the instance of key (an answer key such as
// "carers[2]/age", or an instance key such as "carers[2]").
func (s *Session) TextAt(key string, t survey.Text) string {
	path, _, err := survey.ParseKey(key)
	if err != nil {
		path, _ = parseInstance(key)
	}
	return s.textIn(t, path)
}

func (s *Session) textIn(t survey.Text, path []survey.Step) string {
	return interpolate(t.In(s.lang, s.s.DefaultLanguage()), func(name string) string {
		return s.Display(s.r.resolve(name, path))
	})
}

// Display renders the answer of key as a respondent reads it: choice
// labels, in the respondent's language, for choices.
func (s *Session) Display(key string) string {
	v := s.answers[key]
	sl, ok := s.slot(key)
	q := sl.q
	if !ok || !q.Type.HasChoices() || v == "" {
		return v
	}
	all := s.AllChoices(key)
	var parts []string
	for _, name := range strings.Fields(v) {
		label := name
		for _, c := range all {
			if c.Name == name {
				label = c.Label.In(s.lang, s.s.DefaultLanguage())
				break
			}
		}
		parts = append(parts, label)
	}
	return strings.Join(parts, ", ")
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

// stampEnd fills in the end metadata.
func (s *Session) stampEnd(now time.Time) {
	for _, sl := range s.lay.slots {
		if sl.q.Type == survey.TypeEnd {
			s.answers[sl.key] = now.Format(time.RFC3339)
		}
	}
}
