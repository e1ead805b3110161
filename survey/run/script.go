package run

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"canvass/survey"
)

// AnswerAll gives the session a whole answer script — {"key": "stored
// value"}, as `canvass decide` reads it or a test writes it — in survey
// order, so that an answer is given after the answers its relevance
// depends on, then each "Other" text after its choice. It returns the
// problems in survey order, then the keys the survey does not take, in
// name order: values that are not values of their question (Unreadable,
// not kept) and answers that break their constraint (kept). A blank value
// is no answer. Requiredness is not checked: see CheckAll.
func (s *Session) AnswerAll(script survey.Answers) []Problem {
	var out []Problem
	used := map[string]bool{}
	for _, q := range s.r.fields {
		for _, key := range []string{q.Name, q.OtherName()} {
			v, given := script[key]
			if key == q.OtherName() && !q.OrOther {
				break
			}
			if !given {
				continue
			}
			used[key] = true
			if v == "" {
				continue
			}
			var c Check
			switch {
			case key == q.OtherName():
				if !s.OtherChosen(q.Name) {
					c = s.refuse(key)
				} else {
					s.AnswerOther(q.Name, v)
				}
			default:
				c, _ = s.Answer(key, v)
			}
			if c.Outcome == Unreadable || c.Outcome == ConstraintViolated {
				out = append(out, Problem{Key: key, Check: c})
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
