package run

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"canvass/survey"
)

// AnswerAll gives the session a whole answer script — {"key": "stored
// value"}, as `canvass decide` reads it or a test writes it — in survey
// order, so that an answer is given after the answers its relevance
// depends on, then each "Other" text after its choice. Instance keys
// ("carers[2]/age") add the instances they name to repeats the
// respondent fills in; a repeat_count repeat has the instances its count
// gives. It returns the problems in survey order, then the keys the
// survey does not take, in name order: values that are not values of
// their question (Unreadable, not kept) and answers that break their
// constraint (kept). A blank value is no answer. Requiredness is not
// checked: see CheckAll.
func (s *Session) AnswerAll(script survey.Answers) []Problem {
	s.openInstances(script)
	var out []Problem
	used := map[string]bool{}
	for again := true; again; {
		again = false
		lay := s.lay
		for _, sl := range lay.slots {
			for _, key := range []string{sl.key, otherKey(sl)} {
				if key != sl.key && !sl.q.OrOther {
					break
				}
				v, given := script[key]
				if !given || used[key] {
					continue
				}
				used[key] = true
				if v == "" {
					continue
				}
				var c Check
				switch {
				case key != sl.key:
					if !s.OtherChosen(sl.key) {
						c = s.refuse(key)
					} else {
						s.AnswerOther(sl.key, v)
					}
				default:
					c, _ = s.Answer(key, v)
				}
				if c.Outcome == Unreadable || c.Outcome == ConstraintViolated {
					out = append(out, Problem{Key: key, Check: c})
				}
			}
			if s.lay != lay { // a repeat_count changed: go over the new keys
				again = true
				break
			}
		}
	}
	var rest []string
	for key, v := range script {
		if !used[key] && v != "" {
			rest = append(rest, key)
		}
	}
	sort.Strings(rest)
	for _, key := range rest {
		out = append(out, Problem{Key: key, Check: s.refuse(key)})
	}
	return out
}

// openInstances adds the instances that the keys of script name to the
// repeats without repeat_count.
func (s *Session) openInstances(script survey.Answers) {
	if !s.r.hasRepeats {
		return
	}
	var added []string
	for key, v := range script {
		if v == "" || !strings.Contains(key, "[") {
			continue
		}
		if _, err := s.s.KeyQuestion(key); err != nil {
			continue // refused with the others the survey does not take
		}
		path, _, _ := survey.ParseKey(key)
		for i, st := range path {
			rk := survey.Key(path[:i], st.Repeat)
			if q, _ := s.s.Question(st.Repeat); q.Repeat.Count != "" {
				continue
			}
			for n := s.inst[rk] + 1; n <= st.Index; n++ {
				added = append(added, instanceKey(append(slices.Clip(path[:i]), survey.Step{Repeat: st.Repeat, Index: n})))
			}
			s.inst[rk] = max(s.inst[rk], st.Index)
		}
	}
	if len(added) > 0 {
		s.relayout()
		s.giveDefaults(added)
		s.settle()
	}
}

// Decide runs an answer script through a session without a store, in
// language lang, and scores the answers as the session settled them
// (answers to questions that are not relevant are not scored). Answers
// that do not fit give an error wrapping *survey.AnswerError, all of them
// joined; a broken scoring definition gives another error.
func Decide(s *survey.Survey, lang string, script survey.Answers, t survey.Thresholds, now time.Time) (*survey.Decision, error) {
	sess, err := New(Config{Survey: s, Language: lang, Clock: func() time.Time { return now }})
	if err != nil {
		return nil, fmt.Errorf("decide: %w", err)
	}
	if problems := sess.AnswerAll(script); len(problems) > 0 {
		errs := make([]error, len(problems))
		for i, p := range problems {
			errs[i] = &survey.AnswerError{Question: p.Key, Value: script[p.Key], Reason: p.Detail}
		}
		return nil, errors.Join(errs...)
	}
	return s.DecideIn(lang, sess.Answers(), t, now)
}
