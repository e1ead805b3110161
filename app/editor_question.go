package app

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
)

// typeLabel names a question type for staff.
func typeLabel(t survey.Type) string {
	switch t {
	case survey.TypeNote:
		return lang.L("Note (text only)")
	case survey.TypeText:
		return lang.L("Text")
	case survey.TypeInteger:
		return lang.L("Whole number")
	case survey.TypeDecimal:
		return lang.L("Decimal number")
	case survey.TypeSelectOne:
		return lang.L("One choice")
	case survey.TypeSelectMultiple:
		return lang.L("Several choices")
	case survey.TypeRank:
		return lang.L("Ranking")
	case survey.TypeRange:
		return lang.L("Scale or rating")
	case survey.TypeDate:
		return lang.L("Date")
	case survey.TypeTime:
		return lang.L("Time")
	case survey.TypeDateTime:
		return lang.L("Date and time")
	case survey.TypeAcknowledge:
		return lang.L("Acknowledgement (OK)")
	case survey.TypeCalculate:
		return lang.L("Calculation")
	case survey.TypeHidden:
		return lang.L("Hidden value")
	case survey.TypeGroup:
		return lang.L("Page / group")
	case survey.TypeStart:
		return lang.L("Start time (automatic)")
	case survey.TypeEnd:
		return lang.L("End time (automatic)")
	case survey.TypeToday:
		return lang.L("Today's date (automatic)")
	case survey.TypeDeviceID:
		return lang.L("Device id (automatic)")
	case survey.TypeUsername:
		return lang.L("Username (automatic)")
	case survey.TypeEmail, survey.TypePhoneNumber, survey.TypeSubscriberID, survey.TypeSimSerial:
		return lang.L("Phone metadata (always blank in Canvass)")
	}
	return string(t)
}

// setAppearance adds or removes a word of q's space-separated appearance.
func setAppearance(q *survey.Question, a string, on bool) {
	var out []string
	for _, f := range strings.Fields(q.Appearance) {
		if f != a {
			out = append(out, f)
		}
	}
	if on {
		out = append(out, a)
	}
	q.Appearance = strings.Join(out, " ")
}

// QuestionPanel edits one question. Its widgets are exported for tests;
// fields that do not apply to the question's type are nil.
type QuestionPanel struct {
	Type      *widget.Select
	Name      *widget.Entry
	NameError *widget.Label
	Labels    map[string]*widget.Entry // by language code
	Hints     map[string]*widget.Entry
	Required  *widget.Check
	Personal  *widget.Check
	Likert    *widget.Check // select_one: show as a Likert scale
	Multiline *widget.Check // text: several lines
	Rating    *widget.Check // range: stars
	FieldList *widget.Check // group: one page

	RangeStart, RangeEnd, RangeStep *widget.Entry
	RangeError                      *widget.Label
	Calculation                     *widget.Entry
	CalculationError                *widget.Label
	Constraint                      *widget.Entry
	ConstraintError                 *widget.Label

	Choices *ChoicesEditor
	Skip    *SkipEditor
	Repeat  *RepeatEditor // groups only

	ed      *Editor
	q       *survey.Question
	content fyne.CanvasObject
}

// newQuestionPanel builds the panel for q.
func newQuestionPanel(ed *Editor, q *survey.Question) *QuestionPanel {
	p := &QuestionPanel{ed: ed, q: q}
	def := ed.Draft
	changed := ed.changed
	listChanged := func() { ed.changed(); ed.refreshList() }
	box := container.NewVBox()

	// Type
	var typeOpts []string
	byLabel := map[string]survey.Type{}
	for _, t := range survey.Types {
		if t == survey.TypeGroup && q.Type != survey.TypeGroup {
			continue
		}
		typeOpts = append(typeOpts, typeLabel(t))
		byLabel[typeLabel(t)] = t
	}
	p.Type = widget.NewSelect(typeOpts, nil)
	p.Type.SetSelected(typeLabel(q.Type))
	p.Type.OnChanged = func(s string) {
		if t, ok := byLabel[s]; ok && t != q.Type {
			p.setType(t)
		}
	}
	if q.Type == survey.TypeGroup {
		p.Type.Disable()
	}
	box.Add(container.NewGridWithColumns(2,
		container.NewVBox(fieldHeading(lang.L("Type")), p.Type),
		container.NewVBox(fieldHeading(lang.L("Name")), p.nameEntry())))
	box.Add(p.NameError)

	if q.Type.Shown() || q.Type == survey.TypeGroup || q.Type == survey.TypeNote {
		heading := lang.L("Question")
		switch q.Type {
		case survey.TypeNote:
			heading = lang.L("Text")
		case survey.TypeGroup:
			heading = lang.L("Page heading (optional)")
		}
		labels, entries := textEntries(def, &q.Label, true, "", listChanged)
		p.Labels = entries
		box.Add(fieldHeading(heading))
		box.Add(labels)
	}
	if q.Type.Shown() && q.Type != survey.TypeNote {
		hints, entries := textEntries(def, &q.Hint, false, lang.L("Optional: a short explanation under the question"), changed)
		p.Hints = entries
		box.Add(fieldHeading(lang.L("Hint")))
		box.Add(hints)
	}

	// Flags and appearances
	flags := container.NewVBox()
	if q.Type.Shown() && q.Type != survey.TypeNote {
		p.Required = widget.NewCheck(lang.L("An answer is required"), func(b bool) { q.Required = b; listChanged() })
		p.Required.SetChecked(q.Required)
		flags.Add(p.Required)
	}
	if q.Type.HoldsAnswer() {
		p.Personal = widget.NewCheck(lang.L("Holds personal data (name, contact details…): left out of anonymous exports, erased on request"), func(b bool) { q.Personal = b; changed() })
		p.Personal.SetChecked(q.Personal)
		flags.Add(p.Personal)
	}
	appearance := func(a, text string) *widget.Check {
		c := widget.NewCheck(text, func(b bool) { setAppearance(q, a, b); changed() })
		c.SetChecked(q.HasAppearance(a))
		flags.Add(c)
		return c
	}
	switch q.Type {
	case survey.TypeSelectOne:
		p.Likert = appearance(survey.AppearanceLikert, lang.L("Show as a Likert scale (choices in a row, in order)"))
	case survey.TypeText:
		p.Multiline = appearance(survey.AppearanceMultiline, lang.L("Several lines"))
	case survey.TypeRange:
		p.Rating = appearance(survey.AppearanceRating, lang.L("Show as a rating (stars)"))
	case survey.TypeGroup:
		p.FieldList = appearance(survey.AppearanceFieldList, lang.L("Show these questions together on one page"))
	}
	if len(flags.Objects) > 0 {
		box.Add(flags)
	}
	if q.Type == survey.TypeGroup {
		p.Repeat = newRepeatEditor(def, q, listChanged)
		box.Add(p.Repeat.Content())
	}

	if q.Type.HasChoices() {
		p.Choices = newChoicesEditor(def, q, changed)
		box.Add(fieldHeading(lang.L("Choices")))
		box.Add(p.Choices.Content())
	}
	if q.Type == survey.TypeRange {
		box.Add(fieldHeading(lang.L("Scale")))
		box.Add(p.rangeEntries())
	}
	if q.Type == survey.TypeCalculate || q.Calculation != "" {
		p.Calculation, p.CalculationError = p.expressionEntry(&q.Calculation, "${age} * 12")
		box.Add(fieldHeading(lang.L("Calculation")))
		box.Add(p.Calculation)
		box.Add(p.CalculationError)
	}
	if q.Type.Shown() && q.Type != survey.TypeNote {
		p.Constraint, p.ConstraintError = p.expressionEntry(&q.Constraint, ". >= 0 and . <= 120")
		msg, _ := textEntries(def, &q.ConstraintMessage, false, lang.L("Message when the check fails"), changed)
		box.Add(fieldHeading(lang.L("Check the answer (optional)")))
		box.Add(fieldHint(lang.L("An expression that must be true; . is the answer.")))
		box.Add(p.Constraint)
		box.Add(p.ConstraintError)
		box.Add(msg)
	}
	if !q.Type.IsMetadata() {
		p.Skip = newSkipEditor(def, q, listChanged)
		box.Add(fieldHeading(lang.L("Show this question")))
		box.Add(p.Skip.Content())
	}
	p.content = box
	return p
}

// Content returns the panel's widgets.
func (p *QuestionPanel) Content() fyne.CanvasObject { return p.content }

// nameEntry builds the name entry: checked as typed, and renaming carries
// over to every expression that refers to the question and to the
// question's automatically named choice list (survey.RenameQuestion).
func (p *QuestionPanel) nameEntry() fyne.CanvasObject {
	p.Name = widget.NewEntry()
	p.Name.SetText(p.q.Name)
	p.NameError = errorLabel()
	p.Name.OnChanged = func(s string) {
		s = strings.TrimSpace(s)
		if msg := checkName(p.ed.Draft, p.q, s); msg != "" {
			setError(p.NameError, lang.L("Name: {{.Problem}}", map[string]any{"Problem": msg}))
			return
		}
		setError(p.NameError, "")
		p.ed.Draft.RenameQuestion(p.q, s)
		if p.Choices != nil {
			p.Choices.refresh() // its automatic list may have been renamed too
		}
		if p.Repeat != nil {
			p.Repeat.loadLimits() // count(${name}) follows the name
		}
		p.ed.changed()
		p.ed.refreshList()
	}
	return p.Name
}

// expressionEntry builds an entry for an expression field, checked as typed.
func (p *QuestionPanel) expressionEntry(field *string, placeholder string) (*widget.Entry, *widget.Label) {
	e := widget.NewEntry()
	e.SetPlaceHolder(placeholder)
	e.SetText(*field)
	problem := errorLabel()
	setError(problem, expressionProblem(p.ed.Draft, *field))
	e.OnChanged = func(s string) {
		*field = s
		setError(problem, expressionProblem(p.ed.Draft, s))
		p.ed.changed()
	}
	return e, problem
}

// rangeEntries builds the start, end and step entries of a range question.
func (p *QuestionPanel) rangeEntries() fyne.CanvasObject {
	q := p.q
	if q.Range == nil {
		q.Range = &survey.Range{Start: 1, End: 5, Step: 1}
	}
	p.RangeError = errorLabel()
	entry := func(v *float64) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(strconv.FormatFloat(*v, 'f', -1, 64))
		e.OnChanged = func(s string) {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				setError(p.RangeError, lang.L("{{.Text}} is not a number", map[string]any{"Text": s}))
				return
			}
			setError(p.RangeError, "")
			*v = f
			p.ed.changed()
		}
		return e
	}
	p.RangeStart, p.RangeEnd, p.RangeStep = entry(&q.Range.Start), entry(&q.Range.End), entry(&q.Range.Step)
	grid := container.NewGridWithColumns(3,
		container.NewVBox(widget.NewLabel(lang.L("From")), p.RangeStart),
		container.NewVBox(widget.NewLabel(lang.L("To")), p.RangeEnd),
		container.NewVBox(widget.NewLabel(lang.L("Step")), p.RangeStep))
	return container.NewVBox(grid, p.RangeError)
}

// setType changes q's type, keeping what still applies, and rebuilds the panel.
func (p *QuestionPanel) setType(t survey.Type) {
	q := p.q
	q.Type = t
	if !t.HasChoices() {
		q.List = ""
	}
	if t != survey.TypeRange {
		q.Range = nil
	}
	if !t.Shown() || t == survey.TypeNote {
		q.Required = false
	}
	if !t.HoldsAnswer() {
		q.Personal = false
	}
	for _, a := range []string{survey.AppearanceLikert, survey.AppearanceMultiline, survey.AppearanceRating} {
		setAppearance(q, a, false)
	}
	p.ed.changed()
	p.ed.refreshList()
	p.ed.showPanel()
}
