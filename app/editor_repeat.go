package app

import (
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
)

// RepeatEditor edits whether a group repeats (XLSForm's begin_repeat) and
// how many times: as often as the respondent adds one, or a set count (a
// number or an expression, checked as typed). The widgets are exported for
// tests.
type RepeatEditor struct {
	Repeats    *widget.Check            // the group is asked once per person, service…
	Mode       *widget.RadioGroup       // who decides how many
	Count      *widget.Entry            // the set count: a number or an expression
	CountError *widget.Label            // what is wrong with Count, with its column
	Items      map[string]*widget.Entry // the noun for one instance ("person"), by language code

	def      *survey.Survey
	q        *survey.Question
	onChange func()
	last     survey.Repeat // what the group had before Repeats was unticked
	details  *fyne.Container
	items    *fyne.Container // the Items entries, rebuilt for each Repeat
	content  fyne.CanvasObject
}

func repeatByRespondent() string { return lang.L("The respondent adds as many as they need") }
func repeatByCount() string {
	return lang.L("A set number of times, or as many as an earlier answer says")
}

// newRepeatEditor builds the repeat settings of the group q; onChange runs
// after every change to q.Repeat.
func newRepeatEditor(def *survey.Survey, q *survey.Question, onChange func()) *RepeatEditor {
	e := &RepeatEditor{def: def, q: q, onChange: onChange}
	if q.Repeat != nil {
		e.last = *q.Repeat
	}
	e.Repeats = widget.NewCheck(lang.L("Repeat these questions: ask them once for each person, service… the respondent tells us about"), e.repeatsChanged)
	e.Mode = widget.NewRadioGroup([]string{repeatByRespondent(), repeatByCount()}, e.modeChanged)
	e.Mode.Required = true
	e.Count = widget.NewEntry()
	e.Count.SetPlaceHolder("3  " + lang.L("or") + "  ${household_size}")
	e.Count.OnChanged = e.countChanged
	e.CountError = errorLabel()
	e.items = container.NewVBox()
	e.details = container.NewVBox(
		fieldHeading(lang.L("Each one is a")),
		fieldHint(lang.L("One word for what is repeated, as respondents read it in “Person 2 of 3” and “Add another person”. Empty: “entry”.")),
		e.items,
		fieldHeading(lang.L("How many times")),
		e.Mode,
		e.Count,
		fieldHint(lang.L("A whole number, or an expression such as ${household_size} (the answer to an earlier question).")),
		e.CountError,
	)
	e.content = container.NewVBox(e.Repeats, e.details)
	e.load()
	return e
}

// Content returns the editor's widgets.
func (e *RepeatEditor) Content() fyne.CanvasObject { return e.content }

// load shows q.Repeat in the widgets without changing it.
func (e *RepeatEditor) load() {
	r := e.q.Repeat
	e.Repeats.OnChanged = nil
	e.Repeats.SetChecked(r != nil)
	e.Repeats.OnChanged = e.repeatsChanged
	if r == nil {
		e.details.Hide()
		return
	}
	e.details.Show()
	items, entries := textEntries(e.def, &r.Item, false, lang.L("person"), func() {
		e.last.Item = r.Item
		e.changed()
	})
	e.Items = entries
	e.items.Objects = []fyne.CanvasObject{items}
	e.items.Refresh()
	e.Mode.OnChanged = nil
	e.Count.OnChanged = nil
	if strings.TrimSpace(r.Count) == "" {
		e.Mode.SetSelected(repeatByRespondent())
		e.Count.SetText(e.last.Count)
		e.Count.Disable()
	} else {
		e.Mode.SetSelected(repeatByCount())
		e.Count.SetText(r.Count)
		e.Count.Enable()
	}
	e.Mode.OnChanged = e.modeChanged
	e.Count.OnChanged = e.countChanged
	e.check()
}

func (e *RepeatEditor) changed() {
	if e.onChange != nil {
		e.onChange()
	}
}

// repeatsChanged makes the group a repeat, or a plain group again; ticking
// it again brings back the settings it had.
func (e *RepeatEditor) repeatsChanged(on bool) {
	switch {
	case on && e.q.Repeat == nil:
		r := e.last
		e.q.Repeat = &r
	case !on && e.q.Repeat != nil:
		e.last = *e.q.Repeat
		e.q.Repeat = nil
	default:
		return
	}
	e.load()
	e.changed()
}

// modeChanged switches between a count the respondent decides and a set one.
func (e *RepeatEditor) modeChanged(mode string) {
	r := e.q.Repeat
	if r == nil || mode == "" {
		return
	}
	if mode == repeatByRespondent() {
		if r.Count != "" {
			e.last.Count = r.Count
		}
		r.Count = ""
		e.Count.Disable()
	} else {
		r.Count = strings.TrimSpace(e.Count.Text)
		e.Count.Enable()
	}
	e.check()
	e.changed()
}

// countChanged keeps the typed count.
func (e *RepeatEditor) countChanged(s string) {
	if e.q.Repeat == nil || e.Mode.Selected != repeatByCount() {
		return
	}
	e.q.Repeat.Count = strings.TrimSpace(s)
	e.last.Count = e.q.Repeat.Count
	e.check()
	e.changed()
}

// check shows what is wrong with the set count, naming the field.
func (e *RepeatEditor) check() {
	if e.q.Repeat == nil || e.Mode.Selected != repeatByCount() {
		setError(e.CountError, "")
		return
	}
	setError(e.CountError, repeatCountProblem(e.def, e.Count.Text))
}

// repeatCountProblem says what is wrong with a set repeat count, or "".
// It is checked like every other expression; a plain number must also be
// a whole number the form can hold.
func repeatCountProblem(def *survey.Survey, src string) string {
	src = strings.TrimSpace(src)
	if src == "" {
		return lang.L("How many times: type a number or an expression, or let the respondent decide.")
	}
	if msg := expressionProblem(def, src); msg != "" {
		return lang.L("How many times: {{.Problem}}", map[string]any{"Problem": msg})
	}
	if n, err := strconv.ParseFloat(src, 64); err == nil && (n < 0 || n != math.Trunc(n) || n > survey.MaxInstances) {
		return lang.L("How many times: {{.Count}} is not a whole number from 0 to {{.Max}}.", map[string]any{"Count": src, "Max": survey.MaxInstances})
	}
	return ""
}
