package run

import "strings"

// Caption says where the current page lies among the repeats, for a line
// above its heading: the repeat's label ("Their pets"), after the title of
// the instance around it when the repeat is nested ("Person 1 of 2 – Their
// pets"). On an instance page the heading is the instance's own title
// ("Entry 1 of 1"), which alone does not say what is counted; on a prompt
// page the heading is its summary. Empty outside repeats, and a repeat
// labelled like the survey itself, or whose title already begins with its
// label ("Household member 1 of 3"), adds nothing.
func (s *Session) Caption() string {
	p := s.Page()
	switch {
	case p.Prompt != nil:
		caption := s.Text(p.Prompt.Repeat.Label)
		if p.Instance != nil {
			return joinCaption(p.Instance.Title, caption)
		}
		return caption
	case p.Instance != nil:
		caption := s.Text(p.Instance.Repeat.Label)
		if caption == s.Text(s.s.Title) || strings.HasPrefix(p.Instance.Title, caption+" ") {
			caption = ""
		}
		return joinCaption(s.outerTitle(p.Instance.Key), caption)
	}
	return ""
}

// outerTitle is the title of the instance around instance key
// ("Person 1 of 2" for "people[1]/pets[2]"), or "" at the top level.
func (s *Session) outerTitle(key string) string {
	i := strings.LastIndex(key, "/")
	if i < 0 {
		return ""
	}
	for _, pg := range s.lay.pages {
		if in := pg.Instance; in != nil && in.Key == key[:i] {
			return in.Title
		}
	}
	return ""
}

// joinCaption puts the title of the instance a page lies in before its
// caption: "Person 1 of 2 – Their pets".
func joinCaption(outer, caption string) string {
	switch {
	case outer == "":
		return caption
	case caption == "":
		return outer
	}
	return outer + " – " + caption
}
