package web

import (
	"fmt"
	"net/http"
	"strconv"

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
	if form.Page != strconv.Itoa(sess.PageIndex()) {
		// A page shown before (another tab, or a reload of an old page):
		// nothing of it is applied; show the current page.
		p.redirect(w, r, "/form")
		return
	}
	d.typed, d.dateErr, d.dateBoxes = map[string]string{}, map[string]string{}, nil
	for _, f := range pageFields(sess) {
		if !sess.Relevant(f.Key) {
			continue // an earlier answer on this page made it irrelevant
		}
		p.apply(d, f, form)
	}
	if form.Action == "move" {
		if f, ok := findField(pageFields(sess), form.Move.Key); ok && f.Kind == inputRank {
			sess.Answer(f.Key, moved(form.Values[f.Key], form.Move.Value, form.Move.Up))
		}
	}
	if err := sess.Save(r.Context()); err != nil {
		p.s.cfg.ErrorLog(fmt.Errorf("web: save answers: %w", err))
		p.showPage(w, d, http.StatusServiceUnavailable, nil, []string{run.Message(d.lang, msgSaveFailed)})
		return
	}
	switch form.Action {
	case "move":
		http.Redirect(w, r, p.s.prefix+"/form#"+fieldID(form.Move.Key), http.StatusSeeOther)
	case "back":
		sess.Back()
		d.forgetTyped()
		p.redirect(w, r, "/form")
	default:
		p.next(w, r, d)
	}
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
	if err := sess.Submit(r.Context(), nil); err != nil {
		p.s.cfg.ErrorLog(fmt.Errorf("web: submit: %w", err))
		p.showPage(w, d, http.StatusServiceUnavailable, nil, []string{run.Message(d.lang, msgSaveFailed)})
		return
	}
	d.finished = true
	d.forgetTyped()
	p.redirect(w, r, "/done")
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
