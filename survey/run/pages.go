package run

import (
	"regexp"
	"strings"
	"time"

	"canvass/survey"
)

// Pages returns the survey's pages, relevant or not; PageIndex indexes them.
func (s *Session) Pages() []Page { return s.pages }

// PageIndex returns the index of the current page.
func (s *Session) PageIndex() int { return s.page }

// Page returns the current page.
func (s *Session) Page() Page { return s.pages[s.page] }

// PageRelevant reports whether any question of page i is relevant now.
func (s *Session) PageRelevant(i int) bool {
	return i >= 0 && i < len(s.pages) && s.eval().pageRelevant(s.pages[i])
}

// NextPage returns the first relevant page after i, or -1.
func (s *Session) NextPage(i int) int {
	ev := s.eval()
	for j := i + 1; j < len(s.pages); j++ {
		if ev.pageRelevant(s.pages[j]) {
			return j
		}
	}
	return -1
}

// PrevPage returns the last relevant page before i, or -1.
func (s *Session) PrevPage(i int) int {
	ev := s.eval()
	for j := min(i, len(s.pages)) - 1; j >= 0; j-- {
		if ev.pageRelevant(s.pages[j]) {
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
	for i, p := range s.pages {
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
	for i, p := range s.pages {
		if i == s.page || ev.pageRelevant(p) {
			total++
			if i <= s.page {
				n = total
			}
		}
	}
	return n, total
}

// CheckPage returns the problems of page i's relevant questions, in page order.
func (s *Session) CheckPage(i int) []Problem {
	var out []Problem
	if i < 0 || i >= len(s.pages) {
		return nil
	}
	for _, f := range s.pages[i].Fields {
		if _, ok := s.keys[f.Key]; !ok {
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
	if i < 0 || i >= len(s.pages) {
		return false
	}
	s.page = i
	return true
}

// CheckAll checks every relevant page. It returns the index of the first
// page with a problem, and its problems, or -1 and nil when the session
// can be submitted.
func (s *Session) CheckAll() (page int, problems []Problem) {
	for i := range s.pages {
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
// reads it (choice labels for choices).
func (s *Session) Text(t survey.Text) string {
	return interpolate(t.In(s.lang, s.s.DefaultLanguage()), s.Display)
}

// Display renders the answer of key as a respondent reads it: choice
// labels, in the respondent's language, for choices.
func (s *Session) Display(key string) string {
	v := s.answers[key]
	q, ok := s.keys[key]
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
	for _, q := range s.r.fields {
		if q.Type == survey.TypeEnd {
			s.answers[q.Name] = now.Format(time.RFC3339)
		}
	}
}
