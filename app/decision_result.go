package app

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
)

// adviceNotice is the standing note of every decision result, used when
// the survey's scoring gives none of its own.
const adviceNotice = "This recommendation supports, and does not replace, legal and procurement advice."

// thresholdCategoryLabels names the threshold categories on screen.
var thresholdCategoryLabels = map[string]string{
	survey.CategoryGoodsServices: "Goods or general services",
	survey.CategoryLightTouch:    "Light-touch services",
	survey.CategoryWorks:         "Works",
	"health_care":                "Health care services",
}

// thresholdCategoryLabel returns the on-screen name of a threshold category code.
func thresholdCategoryLabel(code string) string {
	if l, ok := thresholdCategoryLabels[code]; ok {
		return lang.L(l)
	}
	return code
}

// NewDecisionResult shows a decision: the outcome in large type with how
// sure it is, the score on a bar from grant to contract, the answers and
// rules that drove it, the rules that fired, the caveats, the thresholds
// used with their effective date, and the note that it does not replace
// advice. The decision's own texts are shown as recorded; language is the
// language of the screen, and a line says so when the record was made in
// another one. The result is tall: put it in a scroll container.
func NewDecisionResult(d *survey.Decision, language string) fyne.CanvasObject {
	if d == nil {
		return widget.NewLabel(lang.L("No decision has been recorded."))
	}
	outcome := widget.NewLabelWithStyle(d.OutcomeLabel, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	outcome.SizeName = theme.SizeNameHeadingText
	outcome.Wrapping = fyne.TextWrapWord

	parts := []fyne.CanvasObject{outcome}
	if d.OutcomeDescription != "" {
		parts = append(parts, resultText(d.OutcomeDescription))
	}
	confidence := d.ConfidenceLabel
	if confidence == "" {
		confidence = d.Confidence
	}
	parts = append(parts,
		widget.NewLabelWithStyle(lang.L("Confidence: {{.Level}}", map[string]any{"Level": confidence}),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		resultText(lang.L("{{.Answered}} of {{.Criteria}} criteria answered.", map[string]any{"Answered": d.Answered, "Criteria": d.Criteria})),
		newScoreBar(d.Score),
		resultText(lang.L("Score {{.Score}}, on a scale from -1 (all answers point to a grant) to +1 (all point to a contract).",
			map[string]any{"Score": strconv.FormatFloat(d.Score, 'f', 2, 64)})),
	)

	parts = append(parts, resultHeading(lang.L("What drove it")))
	if len(d.Drivers) == 0 {
		parts = append(parts, resultText(lang.L("No answer points clearly either way.")))
	}
	for _, dr := range d.Drivers {
		parts = append(parts, resultDriverLine(dr))
	}

	parts = append(parts, resultHeading(lang.L("Rules applied")))
	if len(d.Rules) == 0 {
		parts = append(parts, resultText(lang.L("No hard rule applied: the result comes from the weighted answers.")))
	}
	for _, r := range d.Rules {
		parts = append(parts, resultRuleLine(r))
	}

	if len(d.Caveats) > 0 {
		parts = append(parts, resultHeading(lang.L("Caveats")))
		for _, c := range d.Caveats {
			l := resultText("• " + c)
			l.Importance = widget.WarningImportance
			parts = append(parts, l)
		}
	}

	parts = append(parts, resultHeading(lang.L("Thresholds used")), resultThresholds(d.Thresholds))
	if d.Thresholds.Source != "" {
		src := resultText(lang.L("Source: {{.Source}}", map[string]any{"Source": d.Thresholds.Source}))
		src.TextStyle = fyne.TextStyle{Italic: true}
		parts = append(parts, src)
	}

	notice := d.Notice
	if notice == "" {
		notice = lang.L(adviceNotice)
	}
	note := resultText(notice)
	note.TextStyle = fyne.TextStyle{Bold: true}
	parts = append(parts, widget.NewSeparator(), note)
	if d.Language != "" && language != "" && d.Language != language {
		parts = append(parts, resultText(lang.L("This record was made in the language {{.Lang}}; its texts are shown as recorded.",
			map[string]any{"Lang": d.Language})))
	}
	if !d.Decided.IsZero() {
		parts = append(parts, resultText(lang.L("Decided on {{.When}}.", map[string]any{"When": d.Decided.Local().Format("2 January 2006 at 15:04")})))
	}
	return container.NewVBox(parts...)
}

// resultText returns a word-wrapping label.
func resultText(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// resultHeading returns a section heading.
func resultHeading(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// resultDriverLine shows one driver: a rule with the answers it read, or a
// criterion with the answer given and which way it points.
func resultDriverLine(dr survey.Driver) fyne.CanvasObject {
	if dr.Rule != "" {
		lines := []string{"• " + dr.RuleLabel}
		for _, a := range dr.Answers {
			lines = append(lines, "    "+a.QuestionLabel+" — "+a.AnswerLabel)
		}
		return resultText(strings.Join(lines, "\n"))
	}
	way := lang.L("towards a contract")
	if dr.Contribution < 0 {
		way = lang.L("towards a grant")
	}
	return resultText("• " + dr.QuestionLabel + "\n    " +
		lang.L("{{.Answer}} — {{.Way}} (weight {{.Weight}} × score {{.Score}})", map[string]any{
			"Answer": dr.AnswerLabel, "Way": way,
			"Weight": strconv.FormatFloat(dr.Weight, 'f', -1, 64), "Score": strconv.FormatFloat(dr.Score, 'f', -1, 64),
		}))
}

// resultRuleLine shows one rule that fired and what it did.
func resultRuleLine(r survey.FiredRule) fyne.CanvasObject {
	var did []string
	if r.OutcomeLabel != "" {
		did = append(did, lang.L("outcome: {{.Outcome}}", map[string]any{"Outcome": r.OutcomeLabel}))
	}
	if r.ConfidenceLabel != "" {
		did = append(did, lang.L("confidence: {{.Level}}", map[string]any{"Level": r.ConfidenceLabel}))
	}
	text := "• " + r.Label
	if len(did) > 0 {
		text += " (" + strings.Join(did, "; ") + ")"
	}
	return resultText(text)
}

// resultThresholds describes the threshold set and, when the rules looked
// one up, the threshold for the category.
func resultThresholds(t survey.ThresholdsUsed) fyne.CanvasObject {
	effective := t.Effective
	if d, err := time.Parse(survey.DateLayout, t.Effective); err == nil {
		effective = d.Format("2 January 2006")
	}
	lines := []fyne.CanvasObject{resultText(lang.L("{{.Name}}, in force from {{.Date}}.", map[string]any{"Name": t.Name, "Date": effective}))}
	switch {
	case t.Category != "" && t.Amount != nil:
		lines = append(lines, resultText(lang.L("{{.Category}} threshold: £{{.Amount}} (in force from {{.Date}}).", map[string]any{
			"Category": thresholdCategoryLabel(t.Category), "Amount": survey.Money(*t.Amount), "Date": effective,
		})))
	case t.Category != "":
		lines = append(lines, resultText(lang.L("{{.Category}}: no procurement threshold applies.", map[string]any{"Category": thresholdCategoryLabel(t.Category)})))
	}
	lines = append(lines, resultText(lang.L("Below-threshold contracts are notifiable from £{{.Notifiable}}; the minimal financial assistance limit is £{{.MFA}}.",
		map[string]any{"Notifiable": survey.Money(t.Notifiable), "MFA": survey.Money(t.SubsidyMFA)})))
	return container.NewVBox(lines...)
}

// scoreBar draws S on a bar from "Grant" (-1, left) to "Contract" (+1, right).
type scoreBar struct {
	widget.BaseWidget
	score float64
}

func newScoreBar(score float64) *scoreBar {
	if math.IsNaN(score) {
		score = 0
	}
	b := &scoreBar{score: math.Max(-1, math.Min(1, score))}
	b.ExtendBaseWidget(b)
	return b
}

// markerX returns the marker's centre for a track from x0 that is width wide.
func (b *scoreBar) markerX(x0, width float32) float32 {
	return x0 + float32((b.score+1)/2)*width
}

func (b *scoreBar) CreateRenderer() fyne.WidgetRenderer {
	r := &scoreBarRenderer{
		bar:      b,
		track:    canvas.NewRectangle(color.Transparent),
		middle:   canvas.NewRectangle(color.Transparent),
		marker:   canvas.NewCircle(color.Transparent),
		grant:    canvas.NewText(lang.L("Grant"), color.Transparent),
		either:   canvas.NewText(lang.L("Either"), color.Transparent),
		contract: canvas.NewText(lang.L("Contract"), color.Transparent),
	}
	r.Refresh()
	return r
}

type scoreBarRenderer struct {
	bar                     *scoreBar
	track, middle           *canvas.Rectangle
	marker                  *canvas.Circle
	grant, either, contract *canvas.Text
}

const (
	scoreTrackHeight = 10
	scoreMarkerSize  = 22
)

func (r *scoreBarRenderer) Layout(size fyne.Size) {
	pad := float32(scoreMarkerSize) / 2
	width := size.Width - 2*pad
	top := float32(scoreMarkerSize-scoreTrackHeight) / 2
	r.track.Move(fyne.NewPos(pad, top))
	r.track.Resize(fyne.NewSize(width, scoreTrackHeight))
	r.middle.Move(fyne.NewPos(pad+width/2-1, 0))
	r.middle.Resize(fyne.NewSize(2, scoreMarkerSize))
	r.marker.Move(fyne.NewPos(r.bar.markerX(pad, width)-scoreMarkerSize/2, 0))
	r.marker.Resize(fyne.NewSize(scoreMarkerSize, scoreMarkerSize))

	labelTop := float32(scoreMarkerSize) + theme.Padding()
	r.grant.Move(fyne.NewPos(0, labelTop))
	es := r.either.MinSize()
	r.either.Move(fyne.NewPos((size.Width-es.Width)/2, labelTop))
	cs := r.contract.MinSize()
	r.contract.Move(fyne.NewPos(size.Width-cs.Width, labelTop))
}

func (r *scoreBarRenderer) MinSize() fyne.Size {
	labels := r.grant.MinSize().Width + r.either.MinSize().Width + r.contract.MinSize().Width
	return fyne.NewSize(fyne.Max(240, labels+4*theme.Padding()), scoreMarkerSize+theme.Padding()+r.grant.MinSize().Height)
}

func (r *scoreBarRenderer) Refresh() {
	th := r.bar.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.track.FillColor = th.Color(theme.ColorNameInputBorder, v)
	r.track.CornerRadius = scoreTrackHeight / 2
	r.middle.FillColor = th.Color(theme.ColorNameForeground, v)
	r.marker.FillColor = th.Color(theme.ColorNamePrimary, v)
	r.marker.StrokeColor = th.Color(theme.ColorNameForeground, v)
	r.marker.StrokeWidth = 2
	for _, t := range []*canvas.Text{r.grant, r.either, r.contract} {
		t.Color = th.Color(theme.ColorNameForeground, v)
		t.TextSize = th.Size(theme.SizeNameText)
		t.Refresh()
	}
	r.Layout(r.bar.Size())
	canvas.Refresh(r.bar)
}

func (r *scoreBarRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.middle, r.marker, r.grant, r.either, r.contract}
}

func (r *scoreBarRenderer) Destroy() {}

// ThresholdsEditor is the settings form for the procurement thresholds:
// name, effective date, source and amounts. Save checks every field, shows
// all problems at once in Message, and hands a valid set to onSave.
type ThresholdsEditor struct {
	widget.BaseWidget

	Name       *widget.Entry
	Effective  *widget.Entry // YYYY-MM-DD
	Source     *widget.Entry
	Amounts    map[string]*widget.Entry // by category code
	Notifiable *widget.Entry
	SubsidyMFA *widget.Entry
	SaveButton *widget.Button
	// DefaultsButton fills the form with the built-in 1 January 2026 amounts (not saved until Save).
	DefaultsButton *widget.Button
	Message        *widget.Label // the problems found, or a confirmation

	categories []string
	onSave     func(survey.Thresholds) error
	content    fyne.CanvasObject
}

// NewThresholdsEditor returns the thresholds settings form filled with t.
// onSave receives a validated set when staff press Save; its error, if
// any, is shown on the form. The object is a *ThresholdsEditor.
func NewThresholdsEditor(t survey.Thresholds, onSave func(survey.Thresholds) error) fyne.CanvasObject {
	e := &ThresholdsEditor{
		Name:       widget.NewEntry(),
		Effective:  widget.NewEntry(),
		Source:     widget.NewMultiLineEntry(),
		Amounts:    map[string]*widget.Entry{},
		Notifiable: widget.NewEntry(),
		SubsidyMFA: widget.NewEntry(),
		Message:    resultText(""),
		onSave:     onSave,
	}
	e.Effective.SetPlaceHolder("YYYY-MM-DD")
	e.Source.SetMinRowsVisible(3)
	e.Source.Wrapping = fyne.TextWrapWord

	e.categories = append([]string(nil), survey.ThresholdCategories...)
	var extra []string
	for code := range t.Amounts {
		if !slices.Contains(e.categories, code) {
			extra = append(extra, code)
		}
	}
	sort.Strings(extra)
	e.categories = append(e.categories, extra...)

	form := widget.NewForm(
		widget.NewFormItem(lang.L("Name"), e.Name),
		&widget.FormItem{Text: lang.L("In force from"), Widget: e.Effective, HintText: lang.L("The date the amounts came into force, as YYYY-MM-DD")},
		&widget.FormItem{Text: lang.L("Source"), Widget: e.Source, HintText: lang.L("Where the amounts come from, for the record")},
	)
	for _, code := range e.categories {
		entry := widget.NewEntry()
		e.Amounts[code] = entry
		form.AppendItem(&widget.FormItem{Text: thresholdCategoryLabel(code), Widget: entry, HintText: lang.L("Threshold in £, whole-life value including VAT")})
	}
	form.AppendItem(&widget.FormItem{Text: lang.L("Notifiable from"), Widget: e.Notifiable, HintText: lang.L("£; smaller contracts need no notice")})
	form.AppendItem(&widget.FormItem{Text: lang.L("Minimal financial assistance"), Widget: e.SubsidyMFA, HintText: lang.L("£ per recipient over three financial years")})

	e.SaveButton = widget.NewButtonWithIcon(lang.L("Save thresholds"), theme.DocumentSaveIcon(), func() { _ = e.Save() })
	e.SaveButton.Importance = widget.HighImportance
	e.DefaultsButton = widget.NewButton(lang.L("Use the 1 January 2026 amounts"), func() {
		e.Fill(survey.DefaultThresholds())
		e.showMessage(lang.L("Filled in the built-in amounts; press Save to use them."), widget.MediumImportance)
	})
	e.Fill(t)
	e.content = container.NewVBox(
		resultHeading(lang.L("Procurement thresholds")),
		resultText(lang.L("The decision tool compares the value of a contract with these amounts. Every result records which set and date it used.")),
		form,
		e.Message,
		container.NewHBox(e.SaveButton, e.DefaultsButton),
	)
	e.ExtendBaseWidget(e)
	return e
}

// CreateRenderer shows the form.
func (e *ThresholdsEditor) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(e.content)
}

// Fill puts t into the form's fields.
func (e *ThresholdsEditor) Fill(t survey.Thresholds) {
	e.Name.SetText(t.Name)
	e.Effective.SetText("")
	if !t.Effective.IsZero() {
		e.Effective.SetText(t.Effective.Format(survey.DateLayout))
	}
	e.Source.SetText(t.Source)
	for _, code := range e.categories {
		e.Amounts[code].SetText("")
		if a, ok := t.Amounts[code]; ok {
			e.Amounts[code].SetText(survey.Money(a))
		}
	}
	e.Notifiable.SetText(survey.Money(t.Notifiable))
	e.SubsidyMFA.SetText(survey.Money(t.SubsidyMFA))
}

// Thresholds reads the form; the error lists every field that is wrong.
func (e *ThresholdsEditor) Thresholds() (survey.Thresholds, error) {
	var errs []error
	t := survey.Thresholds{
		Name:    strings.TrimSpace(e.Name.Text),
		Source:  strings.TrimSpace(e.Source.Text),
		Amounts: map[string]float64{},
	}
	if s := strings.TrimSpace(e.Effective.Text); s != "" {
		d, err := time.Parse(survey.DateLayout, s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not a date written as YYYY-MM-DD, e.g. 2026-01-01", lang.L("In force from"), s))
		}
		t.Effective = d
	}
	amount := func(label string, entry *widget.Entry) (float64, bool) {
		f, err := parsePounds(entry.Text)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", label, err))
			return 0, false
		}
		return f, true
	}
	for _, code := range e.categories {
		if f, ok := amount(thresholdCategoryLabel(code), e.Amounts[code]); ok {
			t.Amounts[code] = f
		}
	}
	t.Notifiable, _ = amount(lang.L("Notifiable from"), e.Notifiable)
	t.SubsidyMFA, _ = amount(lang.L("Minimal financial assistance"), e.SubsidyMFA)
	if len(errs) > 0 {
		return survey.Thresholds{}, errors.Join(errs...)
	}
	if err := t.Validate(); err != nil {
		return survey.Thresholds{}, err
	}
	return t, nil
}

// Save validates the form and hands the thresholds to onSave, showing the
// outcome in Message. It returns the error shown, if any.
func (e *ThresholdsEditor) Save() error {
	t, err := e.Thresholds()
	if err == nil && e.onSave != nil {
		err = e.onSave(t)
	}
	if err != nil {
		e.showMessage(strings.TrimPrefix(err.Error(), "thresholds: "), widget.DangerImportance)
		return err
	}
	e.showMessage(lang.L("Saved. New decisions use the amounts in force from {{.Date}}.", map[string]any{"Date": t.EffectiveText()}), widget.SuccessImportance)
	return nil
}

func (e *ThresholdsEditor) showMessage(text string, importance widget.Importance) {
	e.Message.Importance = importance
	e.Message.SetText(text)
}

// parsePounds reads an amount in pounds: digits with an optional decimal
// point, allowing a £ sign, thousands commas and spaces.
func parsePounds(s string) (float64, error) {
	clean := strings.NewReplacer("£", "", ",", "", " ", "").Replace(strings.TrimSpace(s))
	if clean == "" {
		return 0, errors.New("enter an amount in pounds")
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(clean, "eExXpP") {
		return 0, fmt.Errorf("%q is not an amount in pounds", strings.TrimSpace(s))
	}
	return f, nil
}
