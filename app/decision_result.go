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

// NewDecisionResult shows a decision as survey.Decision.Explain writes it,
// the same text the Decision records sheet and `canvass decide` give: the
// recommendation and confidence in large type, what points each way, why
// the confidence is what it is, the value against the thresholds, the rules
// that applied, the caveats, and how the score is worked out (with the
// score on a bar from grant to contract). language is the language of the
// screen; a line says so when the record was made in another one. The
// result is tall: put it in a scroll container.
func NewDecisionResult(d *survey.Decision, language string) fyne.CanvasObject {
	if d == nil {
		return widget.NewLabel(lang.L("No decision has been recorded."))
	}
	if d.Notice == "" {
		copied := *d
		copied.Notice = lang.L(adviceNotice)
		d = &copied
	}
	var parts []fyne.CanvasObject
	for _, sec := range d.Explain().Sections {
		if sec.Key == survey.SectionSummary {
			for i, l := range sec.Lines {
				if i == 0 {
					summary := widget.NewLabelWithStyle(l.Text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
					summary.SizeName = theme.SizeNameHeadingText
					summary.Wrapping = fyne.TextWrapWord
					parts = append(parts, summary)
					continue
				}
				parts = append(parts, resultText(l.Text))
			}
			continue
		}
		parts = append(parts, resultHeading(sec.Heading))
		if sec.Key == survey.SectionWorkings {
			parts = append(parts, newScoreBar(d.Score))
		}
		for _, l := range sec.Lines {
			text := l.Text
			if l.Bullet {
				text = "• " + text
			}
			label := resultText(text)
			if sec.Key == survey.SectionCaveats {
				label.Importance = widget.WarningImportance
			}
			parts = append(parts, label)
		}
	}
	if d.Language != "" && language != "" && d.Language != language {
		parts = append(parts, resultText(lang.L("This record was made in the language {{.Lang}}; its texts are shown as recorded.",
			map[string]any{"Lang": d.Language})))
	}
	return container.New(&columnLayout{gap: theme.Padding()}, parts...)
}

// columnLayout stacks objects top to bottom at their minimum heights, a
// fixed gap apart. (A VBox takes the padding of whichever theme is current
// when it runs; inside a form, which overrides the theme, it measured with
// one padding and laid out with another, so the scroll stopped a line
// short of the end.)
type columnLayout struct{ gap float32 }

func (l *columnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + l.gap
	}
}

func (l *columnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w = fyne.Max(w, m.Width)
		h += m.Height
		n++
	}
	if n > 1 {
		h += l.gap * float32(n-1)
	}
	return fyne.NewSize(w, h)
}

// NewDecisionResultScroll is NewDecisionResult in a vertical scroll, padded,
// whose content is always as tall as its wrapped lines need at the width it
// is shown at, so that the last line can be scrolled into view.
func NewDecisionResultScroll(d *survey.Decision, language string) *container.Scroll {
	l := &refitLayout{pad: theme.Padding()}
	scroll := container.NewVScroll(container.New(l, NewDecisionResult(d, language)))
	l.scroll = scroll
	return scroll
}

// refitLayout pads one object by a fixed amount (a padded layout takes the
// padding of whichever theme is current when it runs, and a form overrides
// the theme, so the text would wrap at two widths and the scroll would stop
// short of the end). When the object turns out taller than it was given
// (wrapped text measures its height only once it has its width), it has the
// scroll size its content again.
type refitLayout struct {
	pad    float32
	scroll *container.Scroll
	busy   bool
}

func (l *refitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	inner := fyne.NewSize(size.Width-2*l.pad, size.Height-2*l.pad)
	for _, o := range objs {
		o.Move(fyne.NewPos(l.pad, l.pad))
		o.Resize(inner)
	}
	if l.busy || l.scroll == nil {
		return
	}
	if l.MinSize(objs).Height > size.Height+0.5 {
		l.busy = true
		l.scroll.Refresh()
		l.busy = false
	}
}

func (l *refitLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var min fyne.Size
	for _, o := range objs {
		min = min.Max(o.MinSize())
	}
	return min.AddWidthHeight(2*l.pad, 2*l.pad)
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
	l.Wrapping = fyne.TextWrapWord
	return l
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
