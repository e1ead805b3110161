package run

import (
	"fmt"
	"strconv"

	"canvass/survey"
)

// A repeat's constraint (on its begin_repeat row) limits its instances:
// it is checked on the repeat's prompt page, in the parent instance, with
// '.' as the number of instances. See survey.Question.RepeatLimits.

// checkRepeat checks the constraint of the repeat whose prompt is pr, on
// a page evaluated in path (the parent instance). A repeat that is not
// relevant, or without constraint, passes.
func (s *Session) checkRepeat(pr *RepeatPrompt, path []survey.Step) Check {
	q := pr.Repeat
	ev := s.eval()
	n := s.inst[pr.Key]
	if s.r.constraint[q.Name] == nil || !ev.isRelevant(q, path) || ev.constraintHolds(q, path, strconv.Itoa(n)) {
		return Check{}
	}
	detail := q.ConstraintMessage.In(s.s.DefaultLanguage(), "")
	if detail == "" {
		detail = "breaks the constraint " + q.Constraint
	}
	detail = fmt.Sprintf("%d %s: %s", n, plural(n, "instance", "instances"), detail)
	if !q.ConstraintMessage.Empty() {
		return s.failText(ConstraintViolated, q.ConstraintMessage, MsgConstraint, detail)
	}
	least, most, ok := q.RepeatLimits()
	w := words{s.lang, s.s.DefaultLanguage()}
	switch {
	case !ok:
		return s.fail(ConstraintViolated, MsgConstraint, detail)
	case least == most && most > 0:
		return Check{Outcome: ConstraintViolated, Message: w.limit(msgRepeatExactly, q, least, 0), Detail: detail}
	case most > 0 && n > most:
		return Check{Outcome: ConstraintViolated, Message: w.limit(msgRepeatAtMost, q, most, n-most), Detail: detail}
	case n < least:
		return Check{Outcome: ConstraintViolated, Message: w.limit(msgRepeatAtLeast, q, least, 0), Detail: detail}
	}
	return s.fail(ConstraintViolated, MsgConstraint, detail)
}

// limit says a repeat limit message: {{.Items}} is n instances with the
// repeat's noun ("1 person", "3 people"), {{.N}} is extra.
func (w words) limit(key string, q *survey.Question, n, extra int) string {
	item := w.item(q)
	lang := w.lang
	if translation(lang)[key] == "" {
		lang = "en" // Message falls back to English, so the plural does too
	}
	items, ok := (&survey.Repeat{Item: survey.Text{lang: item}}).CountItems(n, lang)
	if !ok {
		items = strconv.Itoa(n) + " " + item
	}
	return w.say(key, item, extra, n, "{{.Items}}", items)
}

// mostInstances is the most instances the repeat q's constraint allows (0:
// no limit it can read, so only survey.MaxInstances).
func (r *rules) mostInstances(q *survey.Question) int {
	_, most, ok := q.RepeatLimits()
	if !ok || q.Repeat == nil || q.Repeat.Count != "" {
		return 0
	}
	return most
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
