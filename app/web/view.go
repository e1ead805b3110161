package web

import (
	"fmt"
	"net/http"
	"strings"

	"canvass/survey"
	"canvass/survey/run"
)

// formView is a survey page as the form template shows it.
type formView struct {
	view
	Errors      []errorLink
	Progress    string
	PageKey     string
	Caption     string // above the heading: the repeat's label on its pages
	HeadingHint string
	SubHeading  string // a page of a repeat instance: the page's own heading under the instance's
	Fields      []fieldView
	Prompt      *promptView // the repeat's "add another?" page
	RemoveLabel string      // a repeat instance's page: "Remove this person"
	CanBack     bool
	IsLast      bool
}

// errorLink is one line of the error summary.
type errorLink struct{ Target, Text string }

// fieldView is one question of a page.
type fieldView struct {
	Key, ID, Kind string
	Label, Hint   string
	IsHeading     bool
	Optional      bool
	Error         string
	Value         string
	InputMode     string
	Autocomplete  string
	Inline        bool
	Choices       []choiceView
	Rank          []rankView
	RankSet       bool // the order shown is the answer (else it awaits "This order is right")
	KeepText      string
	// Date boxes, and which hold the error.
	Day, Month, Year, Time                     string
	ErrorDay, ErrorMonth, ErrorYear, ErrorTime bool
	// The "Other" text box.
	OtherKey, OtherID, OtherLabel, OtherValue, OtherError string
	// Words in the respondent's language.
	OptionalText, ErrorPrefix, ChooseText  string
	DayText, MonthText, YearText, TimeText string
	UpWord, DownWord                       string
}

// DescribedBy lists the ids of the hint and error message, for aria-describedby.
func (f fieldView) DescribedBy() string {
	var ids []string
	if f.Hint != "" && f.Kind != "note" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

type choiceView struct {
	ID, Value, Label string
	Checked          bool
}

type rankView struct {
	Value, Label     string
	Pos              int
	First, Last      bool
	UpText, DownText string
}

// fieldID is the HTML id of a question's (first) input. An instance key's
// [ ] and / become "~", which no question name holds and a link's
// #fragment keeps as it is, so the id stays unique: people[2]/age is
// q-people~2~age.
func fieldID(key string) string { return "q-" + idSafe.Replace(key) }

var idSafe = strings.NewReplacer("[", "~", "]", "", "/", "~")

// showPage renders the device's current page with the problems the engine
// reported (nil when the page is shown afresh) and any notices.
func (p *pages) showPage(w http.ResponseWriter, d *device, status int, problems []run.Problem, notices []string) {
	sess := d.sess
	lang := d.lang
	t := func(s string) string { return run.Message(lang, s) }
	v := formView{view: p.baseView(d, "")}
	page := sess.Page()
	var shown []run.Field
	for _, f := range page.Fields {
		if sess.Relevant(f.Key) {
			shown = append(shown, f)
		}
	}
	byKey := map[string]string{}
	for _, pr := range problems {
		byKey[pr.Key] = pr.Message
	}
	for k, m := range d.dateErr {
		if _, ok := byKey[k]; ok {
			byKey[k] = m
		}
	}
	for _, f := range shown {
		fv := p.field(d, f, byKey[f.Key], len(shown) == 1 && page.Group == nil && page.Instance == nil)
		if fv.OtherKey != "" && fv.Error != "" && otherChosen(fv) && strings.TrimSpace(fv.OtherValue) == "" {
			// The problem is the missing "Other" text: show it at its box.
			fv.OtherError, fv.Error = fv.Error, ""
		}
		v.Fields = append(v.Fields, fv)
	}
	for _, fv := range v.Fields {
		switch {
		case fv.Error != "":
			v.Errors = append(v.Errors, errorLink{Target: errorTarget(fv), Text: fv.Error})
		case fv.OtherError != "":
			v.Errors = append(v.Errors, errorLink{Target: fv.OtherID, Text: fv.OtherError})
		}
	}
	if pr := page.Prompt; pr != nil && byKey[pr.Key] != "" {
		// The repeat's limits: fixed with Add, or by removing some when
		// none can be added.
		target := fieldID(pr.Key)
		if !pr.CanAdd {
			target += "-error"
		}
		v.Errors = append(v.Errors, errorLink{Target: target, Text: byKey[pr.Key]})
	}
	for _, n := range notices {
		v.Errors = append(v.Errors, errorLink{Target: "main", Text: n})
	}
	v.HasErrors = len(v.Errors) > 0
	if page.Group != nil {
		v.Heading = sess.Text(page.Group.Label)
		v.HeadingHint = sess.Text(page.Group.Hint)
		if v.Heading == "" {
			v.Heading = v.SurveyTitle
		}
		v.Title = v.Heading + " – " + v.SurveyTitle
	} else if len(v.Fields) == 1 {
		v.Title = v.Fields[0].Label + " – " + v.SurveyTitle
	}
	switch {
	case page.Prompt != nil:
		v.Prompt = p.prompt(d, page.Prompt, byKey[page.Prompt.Key])
		v.Caption, v.Heading, v.HeadingHint = sess.Caption(), v.Prompt.Summary, sess.Text(page.Prompt.Repeat.Hint)
		v.Title = v.Heading + " – " + v.SurveyTitle
	case page.Instance != nil:
		// The instance's title is the heading ("Person 2 of 3"); the page's
		// own heading, if it has one, comes under it.
		in := page.Instance
		v.Caption = sess.Caption()
		if page.Group != nil && page.Group != in.Repeat {
			v.SubHeading = sess.Text(page.Group.Label)
		}
		if page.Group == in.Repeat {
			v.HeadingHint = sess.Text(in.Repeat.Hint)
		} else {
			v.HeadingHint = ""
		}
		v.Heading = in.Title
		v.Title = in.Title + " – " + v.SurveyTitle
		if !in.Fixed {
			v.RemoveLabel = in.RemoveLabel
		}
	}
	n, total := sess.Progress()
	v.Progress = fmt.Sprintf(t(msgPageProgress), n, total)
	v.PageKey = pageToken(sess, d.gen)
	v.CanBack = !sess.IsFirst()
	v.IsLast = sess.IsLast()
	p.render(w, status, "form", v)
}

// otherChosen reports whether the field's "Other" choice is chosen.
func otherChosen(f fieldView) bool {
	for _, c := range f.Choices {
		if c.Value == survey.OtherChoice && c.Checked {
			return true
		}
	}
	return false
}

// errorTarget is the id the error summary links to: the first box or choice.
func errorTarget(f fieldView) string {
	if len(f.Choices) > 0 {
		return f.Choices[0].ID
	}
	if f.ErrorMonth && !f.ErrorDay {
		return f.ID + "-month"
	}
	if f.ErrorYear && !f.ErrorDay && !f.ErrorMonth {
		return f.ID + "-year"
	}
	return f.ID
}

// field builds the view of one question.
func (p *pages) field(d *device, f run.Field, problem string, heading bool) fieldView {
	sess, lang, q := d.sess, d.lang, f.Question
	t := func(s string) string { return run.Message(lang, s) }
	fv := fieldView{
		Key: f.Key, ID: fieldID(f.Key),
		Label: sess.Text(q.Label), Hint: sess.Text(q.Hint),
		IsHeading: heading, Error: problem,
		Optional:     !q.Required && q.Type != survey.TypeNote,
		Value:        sess.Value(f.Key),
		OptionalText: t(msgOptional), ErrorPrefix: t(msgErrorPrefix), ChooseText: t(msgChoose),
		DayText: t(msgDay), MonthText: t(msgMonth), YearText: t(msgYear), TimeText: t(msgTime),
		UpWord: t(msgMoveUp), DownWord: t(msgMoveDown),
	}
	if fv.Label == "" {
		fv.Label = f.Key
	}
	if typed, ok := d.typed[f.Key]; ok {
		fv.Value = typed
	}
	switch q.Type {
	case survey.TypeNote:
		fv.Kind = "note"
	case survey.TypeText:
		fv.Kind = "text"
		if q.IsMultiline() {
			fv.Kind = "textarea"
		}
	case survey.TypeInteger:
		fv.Kind, fv.InputMode = "number", "numeric"
	case survey.TypeDecimal:
		fv.Kind, fv.InputMode = "number", "decimal"
	case survey.TypeTime:
		fv.Kind = "time"
	case survey.TypeAcknowledge:
		fv.Kind = "acknowledge"
		fv.Choices = []choiceView{{ID: fv.ID, Value: "OK", Label: t("I agree"), Checked: strings.EqualFold(fv.Value, "OK")}}
	case survey.TypeSelectOne, survey.TypeSelectMultiple:
		fv.Kind = "radios"
		if q.Type == survey.TypeSelectMultiple {
			fv.Kind = "checkboxes"
		}
		chosen := map[string]bool{}
		for _, c := range strings.Fields(fv.Value) {
			chosen[c] = true
		}
		for i, c := range sess.Choices(f.Key) {
			id := fv.ID
			if i > 0 {
				id = fmt.Sprintf("%s-%d", fv.ID, i+1)
			}
			fv.Choices = append(fv.Choices, choiceView{ID: id, Value: c.Name, Label: c.Label.In(lang, p.s.def.DefaultLanguage()), Checked: chosen[c.Name]})
		}
		if q.Type == survey.TypeSelectOne && q.HasAppearance(survey.AppearanceMinimal) {
			fv.Kind = "select"
		}
		fv.Inline = q.HasAppearance(survey.AppearanceHorizontal)
		if sess.AddsOther(f.Key) {
			fv.OtherKey = q.OtherName()
			fv.OtherID = fieldID(q.OtherName())
			fv.OtherLabel = t(msgOtherSay)
			fv.OtherValue = sess.Other(f.Key)
		}
	case survey.TypeRange:
		steps := rangeSteps(q.Range)
		if steps == nil {
			fv.Kind, fv.InputMode = "number", "decimal"
			break
		}
		fv.Kind, fv.Inline = "radios", true
		for i, s := range steps {
			id := fv.ID
			if i > 0 {
				id = fmt.Sprintf("%s-%d", fv.ID, i+1)
			}
			fv.Choices = append(fv.Choices, choiceView{ID: id, Value: s, Label: s, Checked: s == fv.Value})
		}
	case survey.TypeRank:
		fv.Kind = "rank"
		fv.Rank = p.rankItems(d, f, fv.Value)
		fv.RankSet = fv.Value != ""
		fv.KeepText = t("This order is right")
	case survey.TypeDate, survey.TypeDateTime:
		fv.Kind = "date"
		if q.Type == survey.TypeDateTime {
			fv.Kind = "datetime"
		}
		if parts, ok := d.dateBoxes[f.Key]; ok {
			fv.Day, fv.Month, fv.Year, fv.Time = parts.Day, parts.Month, parts.Year, parts.Time
			fv.ErrorDay = problem != "" && (parts.Day == "" || !allDigits(parts.Day))
			fv.ErrorMonth = problem != "" && (parts.Month == "" || !allDigits(parts.Month))
			fv.ErrorYear = problem != "" && (parts.Year == "" || !allDigits(parts.Year) || len(parts.Year) != 4)
			fv.ErrorTime = problem != "" && q.Type == survey.TypeDateTime && parts.Time == ""
			if problem != "" && !fv.ErrorDay && !fv.ErrorMonth && !fv.ErrorYear && !fv.ErrorTime {
				fv.ErrorDay, fv.ErrorMonth, fv.ErrorYear = true, true, true
			}
		} else if fv.Value != "" {
			date, tm, _ := strings.Cut(fv.Value, "T")
			if y, rest, ok := strings.Cut(date, "-"); ok {
				if m, dd, ok := strings.Cut(rest, "-"); ok {
					fv.Year, fv.Month, fv.Day = y, m, dd
				}
			}
			fv.Time = tm
			if problem != "" {
				fv.ErrorDay, fv.ErrorMonth, fv.ErrorYear = true, true, true
			}
		} else if problem != "" {
			fv.ErrorDay, fv.ErrorMonth, fv.ErrorYear = true, true, true
			fv.ErrorTime = q.Type == survey.TypeDateTime
		}
	}
	return fv
}

// rankItems lists a rank question's choices in the order given (value),
// then any offered choices it lacks, in list order.
func (p *pages) rankItems(d *device, f run.Field, value string) []rankView {
	lang := d.lang
	offered := d.sess.Choices(f.Key)
	label := map[string]string{}
	for _, c := range offered {
		label[c.Name] = c.Label.In(lang, p.s.def.DefaultLanguage())
	}
	var order []string
	seen := map[string]bool{}
	for _, n := range strings.Fields(value) {
		if _, ok := label[n]; ok && !seen[n] {
			order, seen[n] = append(order, n), true
		}
	}
	for _, c := range offered {
		if !seen[c.Name] {
			order = append(order, c.Name)
		}
	}
	out := make([]rankView, len(order))
	for i, n := range order {
		out[i] = rankView{
			Value: n, Label: label[n], Pos: i + 1, First: i == 0, Last: i == len(order)-1,
			UpText:   fmt.Sprintf(run.Message(lang, "Move %s up, from place %d"), label[n], i+1),
			DownText: fmt.Sprintf(run.Message(lang, "Move %s down, from place %d"), label[n], i+1),
		}
	}
	return out
}
