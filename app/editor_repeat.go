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
	// Limits of a repeat the respondent adds to, kept in the group's
	// constraint (survey.Question.RepeatLimits): At least and At most
	// write it; Limit shows it as an expression, where a hand-written
	// one stays editable (At least and At most are then off).
	AtLeast, AtMost *widget.Entry
	Limit           *widget.Entry
	LimitError      *widget.Label
	LimitMessages   map[string]*widget.Entry // constraint_message, by language code
	LimitsBox       *fyne.Container          // all of them, shown for a repeat the respondent adds to

	def      *survey.Survey
	q        *survey.Question
	onChange func()
	last     survey.Repeat   // what the group had before Repeats was unticked
	lastRule survey.Question // its constraint and message then
	messages *fyne.Container // the LimitMessages entries
	handMade *widget.Label   // says why At least and At most are off
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
	e.buildLimits()
	e.details = container.NewVBox(
		fieldHeading(lang.L("Each one is a")),
		fieldHint(lang.L("One word for what is repeated, as respondents read it in “Person 2 of 3” and “Add another person”. Empty: “entry”.")),
		e.items,
		fieldHeading(lang.L("How many times")),
		e.Mode,
		e.Count,
		fieldHint(lang.L("A whole number, or an expression such as ${household_size} (the answer to an earlier question).")),
		e.CountError,
		e.LimitsBox,
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
		e.LimitsBox.Show()
	} else {
		e.Mode.SetSelected(repeatByCount())
		e.Count.SetText(r.Count)
		e.Count.Enable()
		e.LimitsBox.Hide()
	}
	e.Mode.OnChanged = e.modeChanged
	e.Count.OnChanged = e.countChanged
	e.check()
	e.loadLimits()
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
		e.q.Constraint, e.q.ConstraintMessage = e.lastRule.Constraint, e.lastRule.ConstraintMessage
	case !on && e.q.Repeat != nil:
		// A plain group has no limits: keep them for a tick again.
		e.last = *e.q.Repeat
		e.q.Repeat = nil
		e.lastRule = survey.Question{Constraint: e.q.Constraint, ConstraintMessage: e.q.ConstraintMessage}
		e.q.Constraint, e.q.ConstraintMessage = "", nil
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
		e.LimitsBox.Show()
	} else {
		// The count decides: limits are not checked (run's Repeats doc).
		r.Count = strings.TrimSpace(e.Count.Text)
		e.Count.Enable()
		e.LimitsBox.Hide()
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

// buildLimits creates the At least / At most fields, the limit as an
// expression and its message.
func (e *RepeatEditor) buildLimits() {
	e.AtLeast, e.AtMost = widget.NewEntry(), widget.NewEntry()
	e.AtLeast.SetPlaceHolder(lang.L("no minimum"))
	e.AtMost.SetPlaceHolder(lang.L("no maximum"))
	e.Limit = widget.NewEntry()
	e.Limit.SetPlaceHolder("count(${people}) >= 1")
	e.LimitError = errorLabel()
	e.handMade = fieldHint(lang.L("The limit below was written as an expression: clear it to set At least and At most."))
	e.messages = container.NewVBox()
	numbers := container.NewGridWithColumns(2,
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("At least")), nil, e.AtLeast),
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("At most")), nil, e.AtMost))
	e.LimitsBox = container.NewVBox(
		fieldHeading(lang.L("How many can be added (optional)")),
		numbers, e.handMade,
		fieldHint(lang.L("The limit as an expression (XLSForm's constraint on the begin_repeat row):")),
		e.Limit, e.LimitError,
		fieldHint(lang.L("Message when the limit is not met (empty: “Add at least 1 person.”, “You can add at most 3 people…”):")),
		e.messages,
	)
}

// loadLimits shows the group's constraint in the limit fields without
// changing it.
func (e *RepeatEditor) loadLimits() {
	msgs, entries := textEntries(e.def, &e.q.ConstraintMessage, false, "", e.changed)
	e.LimitMessages = entries
	e.messages.Objects = []fyne.CanvasObject{msgs}
	e.messages.Refresh()
	e.Limit.OnChanged = nil
	e.Limit.SetText(e.q.Constraint)
	e.Limit.OnChanged = e.limitChanged
	setError(e.LimitError, expressionProblem(e.def, e.q.Constraint))
	e.showNumbers()
}

// showNumbers writes the limits the constraint has into At least and At
// most, or turns them off for a constraint of another form.
func (e *RepeatEditor) showNumbers() {
	e.AtLeast.OnChanged, e.AtMost.OnChanged = nil, nil
	defer func() { e.AtLeast.OnChanged, e.AtMost.OnChanged = e.numbersChanged, e.numbersChanged }()
	least, most, ok := e.q.RepeatLimits()
	if !ok {
		e.AtLeast.SetText("")
		e.AtMost.SetText("")
		e.AtLeast.Disable()
		e.AtMost.Disable()
		e.handMade.Show()
		return
	}
	e.handMade.Hide()
	e.AtLeast.Enable()
	e.AtMost.Enable()
	for _, f := range []struct {
		entry *widget.Entry
		n     int
	}{{e.AtLeast, least}, {e.AtMost, most}} {
		if strings.TrimSpace(f.entry.Text) != limitText(f.n) {
			f.entry.SetText(limitText(f.n))
		}
	}
}

// limitText writes a limit for its field: 0 is no limit, an empty field.
func limitText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// numbersChanged writes At least and At most into the constraint once
// both are right; until then the error names the field.
func (e *RepeatEditor) numbersChanged(string) {
	least, most, msg := repeatLimitsProblem(e.AtLeast.Text, e.AtMost.Text)
	setError(e.LimitError, msg)
	if msg != "" {
		return
	}
	e.q.Constraint = survey.RepeatLimitsConstraint(e.q.Name, least, most)
	e.Limit.OnChanged = nil
	e.Limit.SetText(e.q.Constraint)
	e.Limit.OnChanged = e.limitChanged
	e.changed()
}

// limitChanged keeps the limit typed as an expression, checked as typed.
func (e *RepeatEditor) limitChanged(s string) {
	e.q.Constraint = strings.TrimSpace(s)
	msg := expressionProblem(e.def, e.q.Constraint)
	if msg != "" {
		msg = lang.L("Limit: {{.Problem}}", map[string]any{"Problem": msg})
	}
	setError(e.LimitError, msg)
	e.showNumbers()
	e.changed()
}

// repeatLimitsProblem reads At least and At most (empty: no limit), or
// says what is wrong, naming the field.
func repeatLimitsProblem(atLeast, atMost string) (least, most int, problem string) {
	least, ok := wholeNumber(atLeast)
	if !ok {
		return 0, 0, lang.L("At least: {{.Text}} is not a whole number from 0 to {{.Max}}.", map[string]any{"Text": strings.TrimSpace(atLeast), "Max": survey.MaxInstances})
	}
	most, ok = wholeNumber(atMost)
	if !ok || strings.TrimSpace(atMost) != "" && most == 0 {
		return 0, 0, lang.L("At most: {{.Text}} is not a whole number from 1 to {{.Max}}.", map[string]any{"Text": strings.TrimSpace(atMost), "Max": survey.MaxInstances})
	}
	if most > 0 && least > most {
		return 0, 0, lang.L("At most: {{.Most}} is less than At least ({{.Least}}).", map[string]any{"Most": most, "Least": least})
	}
	return least, most, ""
}

// wholeNumber reads a field holding a whole number from 0 to
// survey.MaxInstances; empty is 0.
func wholeNumber(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && n <= survey.MaxInstances
}
