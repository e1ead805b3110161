package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
	"canvass/survey/expr"
)

// expressionProblem checks an expression against the survey's question
// names and says what is wrong, with its column, or "".
func expressionProblem(def *survey.Survey, src string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	err := expr.Check(src, func(name string) bool { _, ok := def.Question(name); return ok })
	if err == nil {
		return ""
	}
	var e *expr.Error
	if errors.As(err, &e) {
		return lang.L("Column {{.Col}}: {{.Msg}}", map[string]any{"Col": e.Pos, "Msg": e.Msg})
	}
	return err.Error()
}

// SkipEditor edits when a question is shown: a simple builder ("only if
// [question] [is] [answer]") and the raw relevant expression, checked as
// it is typed. The widgets are exported for tests.
type SkipEditor struct {
	Mode       *widget.Select // Always / Only if… / Custom condition
	Question   *widget.Select // an earlier question
	Op         *widget.Select
	Value      *widget.Select // a choice of that question
	ValueEntry *widget.Entry  // the value, for questions without choices
	Raw        *widget.Entry  // the relevant expression itself
	RawError   *widget.Label  // what is wrong with Raw, with its column

	def      *survey.Survey
	q        *survey.Question
	onChange func()
	syncing  bool
	names    map[string]string // Question option → question name
	choices  map[string]string // Value option → choice name
	builder  *fyne.Container
	content  fyne.CanvasObject
}

func modeAlways() string { return lang.L("Always") }
func modeOnlyIf() string { return lang.L("Only if…") }
func modeCustom() string { return lang.L("Custom condition (below)") }

// opLabel is the words of a comparison as the builder shows them.
func opLabel(op survey.SkipOp) string { return lang.L(string(op)) }

// newSkipEditor builds the skip-logic editor of q; onChange runs after
// every change to q.Relevant.
func newSkipEditor(def *survey.Survey, q *survey.Question, onChange func()) *SkipEditor {
	e := &SkipEditor{def: def, q: q, onChange: onChange, names: map[string]string{}, choices: map[string]string{}}
	e.Mode = widget.NewSelect([]string{modeAlways(), modeOnlyIf()}, e.modeChanged)
	e.Question = widget.NewSelect(nil, func(string) { e.questionChanged() })
	e.Question.PlaceHolder = lang.L("(choose a question)")
	e.Op = widget.NewSelect(nil, func(string) { e.builderChanged() })
	e.Value = widget.NewSelect(nil, func(string) { e.builderChanged() })
	e.Value.PlaceHolder = lang.L("(choose an answer)")
	e.ValueEntry = widget.NewEntry()
	e.ValueEntry.SetPlaceHolder(lang.L("answer"))
	e.ValueEntry.OnChanged = func(string) { e.builderChanged() }
	e.Raw = widget.NewEntry()
	e.Raw.SetPlaceHolder("${question} = 'answer'")
	e.Raw.OnChanged = e.rawChanged
	e.RawError = widget.NewLabel("")
	e.RawError.Importance = widget.DangerImportance
	e.RawError.Wrapping = fyne.TextWrapWord
	e.RawError.Hide()

	var opts []string
	for _, r := range questionRows(def.Questions) {
		if r.Q == q {
			break
		}
		if !r.Q.Type.HoldsAnswer() || r.Q.Type.IsMetadata() {
			continue
		}
		opt := questionTitle(def, r.Q)
		e.names[opt] = r.Q.Name
		opts = append(opts, opt)
	}
	e.Question.SetOptions(opts)

	e.builder = container.NewVBox(e.Question, container.NewGridWithColumns(2, e.Op, container.NewStack(e.Value, e.ValueEntry)))
	raw := widget.NewLabel(lang.L("Condition (XLSForm expression)"))
	e.content = container.NewVBox(e.Mode, e.builder, raw, e.Raw, e.RawError)
	e.load(q.Relevant)
	return e
}

// Content returns the editor's widgets.
func (e *SkipEditor) Content() fyne.CanvasObject { return e.content }

// questionTitle names a question in a list: its label and its name.
func questionTitle(def *survey.Survey, q *survey.Question) string {
	label := strings.TrimSpace(q.Label.In(def.DefaultLanguage(), "en"))
	if r := []rune(label); len(r) > 40 {
		label = string(r[:39]) + "…"
	}
	if label == "" {
		return q.Name
	}
	return label + " (" + q.Name + ")"
}

// load shows src in the builder when it is a simple rule, and in Raw.
func (e *SkipEditor) load(src string) {
	e.syncing = true
	defer func() { e.syncing = false }()
	e.Raw.SetText(src)
	e.showRawError(src)
	e.fromExpression(src)
}

// fromExpression sets the builder from src.
func (e *SkipEditor) fromExpression(src string) {
	if strings.TrimSpace(src) == "" {
		e.Mode.SetOptions([]string{modeAlways(), modeOnlyIf()})
		e.Mode.SetSelected(modeAlways())
		e.builder.Hide()
		return
	}
	r, ok := survey.ParseSkipRule(src)
	opt := ""
	for o, n := range e.names {
		if ok && n == r.Question {
			opt = o
		}
	}
	if !ok || opt == "" {
		e.Mode.SetOptions([]string{modeAlways(), modeOnlyIf(), modeCustom()})
		e.Mode.SetSelected(modeCustom())
		e.builder.Hide()
		return
	}
	e.Mode.SetOptions([]string{modeAlways(), modeOnlyIf()})
	e.Mode.SetSelected(modeOnlyIf())
	e.builder.Show()
	e.Question.SetSelected(opt)
	e.setupValues()
	e.Op.SetSelected(opLabel(r.Op))
	e.ValueEntry.SetText(r.Value)
	e.Value.ClearSelected()
	for label, name := range e.choices {
		if name == r.Value {
			e.Value.SetSelected(label)
		}
	}
}

// target returns the question chosen in the builder.
func (e *SkipEditor) target() (*survey.Question, bool) {
	name, ok := e.names[e.Question.Selected]
	if !ok {
		return nil, false
	}
	return e.def.Question(name)
}

// setupValues fills the comparison and answer widgets for the chosen question.
func (e *SkipEditor) setupValues() {
	t, ok := e.target()
	if !ok {
		return
	}
	if t.Type == survey.TypeSelectMultiple || t.Type == survey.TypeRank {
		e.Op.SetOptions([]string{opLabel(survey.SkipIncludes), opLabel(survey.SkipNotIncludes)})
	} else {
		e.Op.SetOptions([]string{opLabel(survey.SkipIs), opLabel(survey.SkipIsNot)})
	}
	e.choices = map[string]string{}
	var opts []string
	lng := e.def.DefaultLanguage()
	for _, c := range e.def.Choices(t) {
		label := c.Label.In(lng, "en")
		if label == "" || e.choices[label] != "" {
			label = c.Name
		}
		e.choices[label] = c.Name
		opts = append(opts, label)
	}
	if t.Type == survey.TypeAcknowledge {
		e.choices["OK"] = "OK"
		opts = []string{"OK"}
	}
	e.Value.SetOptions(opts)
	if len(opts) > 0 {
		e.Value.Show()
		e.ValueEntry.Hide()
	} else {
		e.Value.Hide()
		e.ValueEntry.Show()
	}
}

func (e *SkipEditor) modeChanged(mode string) {
	if e.syncing {
		return
	}
	switch mode {
	case modeAlways():
		e.builder.Hide()
		e.syncing = true
		e.Raw.SetText("")
		e.Mode.SetOptions([]string{modeAlways(), modeOnlyIf()})
		e.syncing = false
		e.showRawError("")
		e.setRelevant("")
	case modeOnlyIf():
		e.builder.Show()
		e.builderChanged()
	case modeCustom():
		e.builder.Hide()
	}
}

func (e *SkipEditor) questionChanged() {
	if e.syncing {
		return
	}
	e.syncing = true
	e.setupValues()
	e.Op.SetSelectedIndex(0)
	e.Value.ClearSelected()
	e.ValueEntry.SetText("")
	e.syncing = false
	e.builderChanged()
}

// Rule returns the rule the builder shows; ok is false while it is incomplete.
func (e *SkipEditor) Rule() (survey.SkipRule, bool) {
	t, ok := e.target()
	if !ok || e.Mode.Selected != modeOnlyIf() {
		return survey.SkipRule{}, false
	}
	r := survey.SkipRule{Question: t.Name, Op: survey.SkipIs}
	for _, op := range []survey.SkipOp{survey.SkipIs, survey.SkipIsNot, survey.SkipIncludes, survey.SkipNotIncludes} {
		if e.Op.Selected == opLabel(op) {
			r.Op = op
		}
	}
	if e.Value.Visible() {
		name, ok := e.choices[e.Value.Selected]
		if !ok {
			return r, false
		}
		r.Value = name
	} else {
		r.Value = e.ValueEntry.Text
	}
	return r, true
}

func (e *SkipEditor) builderChanged() {
	if e.syncing {
		return
	}
	r, ok := e.Rule()
	if !ok {
		return
	}
	src := r.Expression()
	e.syncing = true
	e.Raw.SetText(src)
	e.syncing = false
	e.showRawError(src)
	e.setRelevant(src)
}

func (e *SkipEditor) rawChanged(src string) {
	if e.syncing {
		return
	}
	e.showRawError(src)
	e.syncing = true
	e.fromExpression(src)
	e.syncing = false
	e.setRelevant(src)
}

func (e *SkipEditor) showRawError(src string) {
	if msg := expressionProblem(e.def, src); msg != "" {
		e.RawError.SetText(msg)
		e.RawError.Show()
		return
	}
	e.RawError.SetText("")
	e.RawError.Hide()
}

func (e *SkipEditor) setRelevant(src string) {
	if e.q.Relevant == src {
		return
	}
	e.q.Relevant = src
	if e.onChange != nil {
		e.onChange()
	}
}
