package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"canvass/survey"
	"canvass/survey/run"
)

// Page texts that are the web pages' own (the engine's messages come with
// its checks). Each is a key of the translation files, like the engine's.
const (
	msgOptional     = "optional"
	msgDay          = "Day"
	msgMonth        = "Month"
	msgYear         = "Year"
	msgTime         = "Time"
	msgChoose       = "Choose an answer"
	msgOtherSay     = "If other, please say what"
	msgMoveUp       = "Up"
	msgMoveDown     = "Down"
	msgDateMissing  = "The date must include a %s."
	msgDateReal     = "The date must be a real date, for example 27 3 2024."
	msgTimeMissing  = "The date must include a time."
	msgPageProgress = "Page %d of %d"
	msgSaveFailed   = "Your answers could not be saved just now. Please try again."
	msgErrorPrefix  = "Error:"
)

// inputOf says how a question's answer arrives from its page.
func inputOf(q *survey.Question) (inputKind, bool) {
	switch q.Type {
	case survey.TypeText, survey.TypeInteger, survey.TypeDecimal, survey.TypeTime:
		return inputText, true
	case survey.TypeSelectOne:
		return inputChoice, true
	case survey.TypeRange:
		if len(rangeSteps(q.Range)) > 0 {
			return inputChoice, true
		}
		return inputText, true
	case survey.TypeSelectMultiple:
		return inputChoices, true
	case survey.TypeRank:
		return inputRank, true
	case survey.TypeDate:
		return inputDate, true
	case survey.TypeDateTime:
		return inputDateTime, true
	case survey.TypeAcknowledge:
		return inputCheckbox, true
	}
	return 0, false
}

// maxRangeRadios is the most steps a range shows as radios; a longer
// scale is a number box.
const maxRangeRadios = 11

// rangeSteps lists a range's values as stored, or nil when there are too
// many (or the range is broken).
func rangeSteps(r *survey.Range) []string {
	if r == nil || r.Step <= 0 || r.End < r.Start {
		return nil
	}
	n := int((r.End-r.Start)/r.Step+1e-9) + 1
	if n > maxRangeRadios {
		return nil
	}
	out := make([]string, 0, n)
	for i := range n {
		out = append(out, strconv.FormatFloat(r.Start+float64(i)*r.Step, 'f', -1, 64))
	}
	return out
}

// pageFields lists the inputs the current page expects: its relevant
// questions that take an answer.
func pageFields(sess *run.Session) []postField {
	var out []postField
	for _, f := range sess.Page().Fields {
		kind, ok := inputOf(f.Question)
		if !ok || !sess.Relevant(f.Key) {
			continue
		}
		pf := postField{Key: f.Key, Kind: kind}
		if sess.AddsOther(f.Key) {
			pf.OtherKey = f.Question.OtherName()
		}
		out = append(out, pf)
	}
	return out
}

// postForm gives the page's answers to the engine, saves them and moves
// on, back, or reorders a rank.
func (p *pages) postForm(w http.ResponseWriter, r *http.Request, d *device, form *posted) {
	if d.finished || d.sess == nil {
		p.redirect(w, r, "/")
		return
	}
	sess := d.sess
	if form.Page != pageToken(sess, d.gen) {
		// A page shown before (another tab, or a reload of an old page):
		// nothing of it is applied; show the current page. A page made
		// before an instance was removed may name instances that are now
		// others: say so.
		if tokenGen(form.Page) != d.gen {
			d.forgetTyped()
			p.showPage(w, d, http.StatusConflict, nil, []string{run.Message(d.lang, msgOutOfDate)})
			return
		}
		p.redirect(w, r, "/form")
		return
	}
	d.removing = nil // a confirmation page left open alters nothing once the form moves on
	d.typed, d.dateErr, d.dateBoxes = map[string]string{}, map[string]string{}, nil
	shown := map[string]bool{}
	for _, f := range pageFields(sess) {
		shown[f.Key] = true
	}
	for _, f := range pageFields(sess) {
		if !sess.Relevant(f.Key) {
			continue // an earlier answer on this page made it irrelevant
		}
		p.apply(d, f, form)
	}
	if form.Action == "move" {
		if f, ok := findField(pageFields(sess), form.Move.Key); ok && f.Kind == inputRank {
			order := form.Values[f.Key]
			if order == "" { // not ranked yet: the order shown is the list's
				var names []string
				for _, c := range sess.Choices(f.Key) {
					names = append(names, c.Name)
				}
				order = strings.Join(names, " ")
			}
			sess.Answer(f.Key, moved(order, form.Move.Value, form.Move.Dir))
		}
	}
	if err := sess.Save(r.Context()); err != nil {
		p.s.cfg.ErrorLog(fmt.Errorf("web: save answers: %w", err))
		p.showPage(w, d, http.StatusServiceUnavailable, nil, []string{run.Message(d.lang, msgSaveFailed)})
		return
	}
	if p.postRepeat(w, r, d, form) {
		return
	}
	switch form.Action {
	case "move":
		http.Redirect(w, r, p.s.prefix+"/form#"+fieldID(form.Move.Key), http.StatusSeeOther)
	case "back":
		d.changing = nil // going back by hand: no jump to the list afterwards
		sess.Back()
		d.forgetTyped()
		p.redirect(w, r, "/form")
	default:
		if revealed := newlyShown(sess, shown); len(revealed) > 0 {
			// An answer on this page brought up more questions (what a
			// script would reveal in place): show them before moving on,
			// without calling them unanswered.
			p.showPage(w, d, http.StatusOK, without(sess.CheckPage(sess.PageIndex()), revealed), nil)
			return
		}
		p.next(w, r, d)
	}
}

// newlyShown lists the page's questions that are relevant now but were not
// when the page was shown.
func newlyShown(sess *run.Session, shown map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, f := range pageFields(sess) {
		if !shown[f.Key] {
			out[f.Key] = true
		}
	}
	return out
}

// without drops the problems of the given keys.
func without(problems []run.Problem, keys map[string]bool) []run.Problem {
	var out []run.Problem
	for _, p := range problems {
		if !keys[p.Key] {
			out = append(out, p)
		}
	}
	return out
}

// next moves to the next page, or submits on the last one.
func (p *pages) next(w http.ResponseWriter, r *http.Request, d *device) {
	sess := d.sess
	if !sess.IsLast() {
		if _, problems := sess.Next(); len(problems) > 0 {
			p.showPage(w, d, http.StatusOK, problems, nil)
			return
		}
		d.forgetTyped()
		backToList(d)
		p.redirect(w, r, "/form")
		return
	}
	if page, problems := sess.CheckAll(); page >= 0 {
		if page != sess.PageIndex() {
			sess.GoTo(page)
			d.forgetTyped()
		}
		p.showPage(w, d, http.StatusOK, problems, nil)
		return
	}
	if page, problems := sess.Finish(); page >= 0 {
		sess.GoTo(page)
		p.showPage(w, d, http.StatusOK, problems, nil)
		return
	}
	result, err := p.decision(r.Context(), sess)
	if err != nil {
		p.s.cfg.ErrorLog(fmt.Errorf("web: score the answers: %w", err))
	}
	if err := sess.Submit(r.Context(), result); err != nil {
		p.s.cfg.ErrorLog(fmt.Errorf("web: submit: %w", err))
		p.showPage(w, d, http.StatusServiceUnavailable, nil, []string{run.Message(d.lang, msgSaveFailed)})
		return
	}
	d.finished = true
	d.forgetTyped()
	p.redirect(w, r, "/done")
}

// decision scores a scored survey (the decision tool) with the thresholds
// in force, as the desktop form does, and returns the record to store
// with the response; nil for other surveys.
func (p *pages) decision(ctx context.Context, sess *run.Session) ([]byte, error) {
	def := p.s.def
	if def.Scoring == nil {
		return nil, nil
	}
	th, err := survey.LoadThresholds(ctx, p.s.cfg.Store)
	if err != nil {
		return nil, err
	}
	d, err := def.DecideIn(sess.Language(), sess.Answers(), th, p.s.cfg.Now())
	if err != nil {
		return nil, err
	}
	return json.Marshal(d)
}

func findField(fs []postField, key string) (postField, bool) {
	for _, f := range fs {
		if f.Key == key {
			return f, true
		}
	}
	return postField{}, false
}

// apply gives one field's posted input to the engine. What could not be
// read is kept as typed, to show it back beside the engine's message.
func (p *pages) apply(d *device, f postField, form *posted) {
	sess := d.sess
	switch f.Kind {
	case inputText:
		text := form.Texts[f.Key]
		if c, _ := sess.AnswerText(f.Key, text); c.Outcome == run.Unreadable {
			d.typed[f.Key] = text
		}
	case inputChoice, inputChoices, inputRank:
		sess.Answer(f.Key, form.Values[f.Key])
	case inputCheckbox:
		sess.Answer(f.Key, form.Values[f.Key])
	case inputDate, inputDateTime:
		parts := form.Dates[f.Key]
		date, problem := parts.stored()
		switch {
		case problem != nil:
			d.dateErr[f.Key] = dateMessage(d.lang, problem)
		case f.Kind == inputDateTime && date != "" && parts.Time == "":
			d.dateErr[f.Key] = run.Message(d.lang, msgTimeMissing)
		case f.Kind == inputDateTime && date == "" && parts.Time != "":
			d.dateErr[f.Key] = fmt.Sprintf(run.Message(d.lang, msgDateMissing), run.Message(d.lang, "day, month and year"))
		}
		if d.dateErr[f.Key] != "" {
			sess.MarkUnreadable(f.Key)
			d.dates()[f.Key] = parts
			break
		}
		var c run.Check
		if f.Kind == inputDateTime && date != "" {
			c, _ = sess.AnswerText(f.Key, date+" "+parts.Time)
		} else {
			c, _ = sess.Answer(f.Key, date)
		}
		if c.Outcome == run.Unreadable {
			d.dateErr[f.Key] = run.Message(d.lang, msgDateReal)
			d.dates()[f.Key] = parts
		}
	}
	if f.OtherKey != "" {
		sess.AnswerOther(f.Key, form.Texts[f.OtherKey])
	}
}

// dateMessage words a date's missing or unreadable boxes, as the GOV.UK
// date input pattern does.
func dateMessage(lang string, pr *dateProblem) string {
	if len(pr.Missing) == 0 {
		return run.Message(lang, msgDateReal)
	}
	names := make([]string, len(pr.Missing))
	for i, m := range pr.Missing {
		names[i] = run.Message(lang, m)
	}
	list := names[0]
	if len(names) == 2 {
		list = names[0] + " " + run.Message(lang, "and") + " " + names[1]
	} else if len(names) == 3 {
		list = names[0] + ", " + names[1] + " " + run.Message(lang, "and") + " " + names[2]
	}
	return fmt.Sprintf(run.Message(lang, msgDateMissing), list)
}
