package respondent

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
	"canvass/survey/expr"
	"canvass/survey/run"
)

// Field is one question's block on the form: label, hint, error and the
// input widget for its type. It is exposed so tests (and the staff
// preview) can drive the form; only the widgets of the question's kind are set.
type Field struct {
	Question *survey.Question
	key      string // the answer's key in the engine session

	// Tiles answer choice questions (radio or check marks), Likert scales,
	// ratings and acknowledgements, one per choice in order; for rank, one
	// per position, top first.
	Tiles    []*ChoiceTile
	Select   *widget.Select    // select_one with the "minimal" appearance
	Entry    *AnswerEntry      // text, integer, decimal, time, dateTime
	Date     *widget.DateEntry // date
	Slider   *widget.Slider    // range without the rating appearance
	RankUp   []*widget.Button  // rank: move the choice at a position up
	RankDown []*widget.Button  // rank: move the choice at a position down
	RankKeep *widget.Button    // rank: accept the order as shown
	Other    *AnswerEntry      // the text of an or_other "Other" choice

	form      *Form
	values    []string // the value of each tile (choice names or numbers)
	choices   []survey.Choice
	shown     []int    // choice questions: indexes of the choices offered now (choice_filter)
	order     []string // rank: names of the choices offered, top first
	rankRows  []*fyne.Container
	choiceBox *fyne.Container // the tiles or rank rows of a choice question
	noChoices *widget.Label   // shown when a choice_filter leaves nothing to choose
	box       *fyne.Container
	label     *widget.RichText
	hint      *widget.RichText
	errRT     *widget.RichText
	sliderAt  *widget.Label
	otherBox  *fyne.Container
	dateBox   *optionalDateEntry // the widget around Date that takes the focus
	errText   string
}

// Value returns the question's answer as the form holds it.
func (fd *Field) Value() string { return fd.form.sess.Value(fd.key) }

// Label returns the question's label as shown (its ${…} filled in).
func (fd *Field) Label() string {
	if len(fd.label.Segments) == 0 {
		return ""
	}
	return fd.label.Segments[0].(*widget.TextSegment).Text
}

// ErrorText returns the error shown next to the question ("" when none).
func (fd *Field) ErrorText() string { return fd.errText }

// Visible reports whether the question is shown (it is relevant).
func (fd *Field) Visible() bool { return !fd.box.Hidden }

// ShownChoices returns the names of the choices the question offers, in
// list order: those its choice_filter let through when it was last shown
// (every choice without a filter).
func (fd *Field) ShownChoices() []string {
	var out []string
	for _, c := range fd.shownChoices() {
		out = append(out, c.Name)
	}
	return out
}

// shownChoices returns the choices offered now.
func (fd *Field) shownChoices() []survey.Choice {
	out := make([]survey.Choice, 0, len(fd.shown))
	for _, i := range fd.shown {
		out = append(out, fd.choices[i])
	}
	return out
}

// Tile returns the tile whose value (choice name or number) is v, or nil.
// The tile of a choice that the choice_filter hides is returned too, hidden.
func (fd *Field) Tile(v string) *ChoiceTile {
	for i, t := range fd.Tiles {
		if i < len(fd.values) && fd.values[i] == v {
			return t
		}
	}
	return nil
}

// AnswerEntry is the form's text entry: a widget.Entry that also passes
// Escape to the form and saves when it loses focus.
type AnswerEntry struct {
	widget.Entry
	onEscape    func(*fyne.KeyEvent)
	onFocusLost func()
}

func newAnswerEntry(multiLine bool) *AnswerEntry {
	e := &AnswerEntry{}
	e.MultiLine = multiLine
	e.Wrapping = fyne.TextWrapWord
	if !multiLine {
		e.Wrapping = fyne.TextWrapOff
	}
	e.ExtendBaseWidget(e)
	if multiLine {
		e.SetMinRowsVisible(4)
	}
	return e
}

// TypedKey passes Escape to the form and everything else to the entry.
func (e *AnswerEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape(ev)
		return
	}
	e.Entry.TypedKey(ev)
}

// FocusLost saves the answer.
func (e *AnswerEntry) FocusLost() {
	e.Entry.FocusLost()
	if e.onFocusLost != nil {
		e.onFocusLost()
	}
}

// buildField builds the block of a shown question (nil for the others).
func (f *Form) buildField(fl run.Field) *Field {
	q := fl.Question
	if !q.Type.Shown() {
		return nil
	}
	fd := &Field{Question: q, key: fl.Key, form: f}
	fd.label = widget.NewRichText()
	fd.label.Wrapping = fyne.TextWrapWord
	fd.hint = widget.NewRichText()
	fd.hint.Wrapping = fyne.TextWrapWord
	fd.errRT = widget.NewRichText()
	fd.errRT.Wrapping = fyne.TextWrapWord
	fd.errRT.Hide()

	var input fyne.CanvasObject
	switch q.Type {
	case survey.TypeNote:
	case survey.TypeSelectOne:
		fd.choices = f.sess.AllChoices(fl.Key)
		switch {
		case q.HasAppearance(survey.AppearanceMinimal):
			input = fd.buildSelect()
		case q.IsLikert():
			input = fd.buildTiles(MarkNone, true, len(fd.choices))
		case q.HasAppearance(survey.AppearanceHorizontal):
			input = fd.buildTiles(MarkRadio, false, min(len(fd.choices), 4))
		default:
			input = fd.buildTiles(MarkRadio, false, 1)
		}
	case survey.TypeSelectMultiple:
		fd.choices = f.sess.AllChoices(fl.Key)
		cols := 1
		if q.HasAppearance(survey.AppearanceHorizontal) {
			cols = min(len(fd.choices), 4)
		}
		input = fd.buildTiles(MarkCheck, false, cols)
	case survey.TypeRank:
		fd.choices = f.sess.AllChoices(fl.Key)
		input = fd.buildRank()
	case survey.TypeRange:
		input = fd.buildRange()
	case survey.TypeDate:
		input = fd.buildDate()
	case survey.TypeAcknowledge:
		fd.values = []string{"OK"}
		t := newChoiceTile("", MarkCheck, func() { fd.toggle(0) })
		fd.wireTile(t, 0)
		fd.Tiles = []*ChoiceTile{t}
		input = t
	default: // text, integer, decimal, time, dateTime, and anything unknown
		input = fd.buildEntry()
	}
	if q.Type.HasChoices() {
		fd.shown = make([]int, len(fd.choices))
		for i := range fd.shown {
			fd.shown[i] = i
		}
		if c, ok := input.(*fyne.Container); ok && fd.choiceBox == nil {
			fd.choiceBox = c
		}
		if f.sess.Filtered(fl.Key) {
			fd.noChoices = widget.NewLabel("")
			fd.noChoices.Wrapping = fyne.TextWrapWord
			fd.noChoices.Importance = widget.WarningImportance
			fd.noChoices.Hide()
			input = f.vbox(fd.noChoices, input)
		}
	}
	if q.OrOther && (q.Type == survey.TypeSelectOne || q.Type == survey.TypeSelectMultiple) {
		fd.Other = newAnswerEntry(false)
		fd.Other.OnChanged = func(s string) { f.setOther(fd, s) }
		fd.Other.onEscape = f.TypedKey
		fd.Other.onFocusLost = f.saveNow
		fd.Other.OnSubmitted = func(string) { f.Next() }
		otherLabel := widget.NewLabel("")
		fd.otherBox = f.vbox(otherLabel, fd.Other)
		fd.otherBox.Hide()
	}
	if q.ReadOnly {
		fd.disable()
	}
	objs := []fyne.CanvasObject{fd.label, fd.hint, fd.errRT}
	if input != nil {
		objs = append(objs, input)
	}
	if fd.otherBox != nil {
		objs = append(objs, fd.otherBox)
	}
	gap := canvas.NewRectangle(nil)
	gap.SetMinSize(fyne.NewSize(1, 12))
	objs = append(objs, gap)
	fd.box = f.vbox(objs...)
	return fd
}

// buildTiles lays out one tile per choice in cols columns.
func (fd *Field) buildTiles(mark TileMark, centred bool, cols int) fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, len(fd.choices))
	for i, c := range fd.choices {
		fd.values = append(fd.values, c.Name)
		i := i
		var t *ChoiceTile
		if mark == MarkCheck {
			t = newChoiceTile("", mark, func() { fd.toggle(i) })
		} else {
			t = newChoiceTile("", mark, func() { fd.pick(i) })
		}
		t.centred = centred
		fd.wireTile(t, i)
		fd.Tiles = append(fd.Tiles, t)
		objs[i] = t
	}
	if cols <= 1 {
		return fd.form.vbox(objs...)
	}
	return fd.form.grid(cols, objs...)
}

// wireTile sends a tile's keys to the form; Up and Down move between tiles.
func (fd *Field) wireTile(t *ChoiceTile, i int) {
	f := fd.form
	t.onRune = func(r rune) bool { f.TypedRune(r); return true }
	t.onKey = func(ev *fyne.KeyEvent) bool {
		switch ev.Name {
		case fyne.KeyUp, fyne.KeyLeft:
			fd.focusTile(i, -1)
		case fyne.KeyDown, fyne.KeyRight:
			fd.focusTile(i, +1)
		default:
			f.TypedKey(ev)
		}
		return true
	}
}

// focusTile focuses the next shown tile from i in direction dir (±1), if any.
func (fd *Field) focusTile(i, dir int) {
	for j := i + dir; j >= 0 && j < len(fd.Tiles); j += dir {
		if fd.Tiles[j].Hidden {
			continue
		}
		if c := fyne.CurrentApp().Driver().CanvasForObject(fd.Tiles[j]); c != nil {
			c.Focus(fd.Tiles[j])
		}
		return
	}
}

// shownTiles returns the tiles shown now (a choice_filter hides some).
func (fd *Field) shownTiles() []*ChoiceTile {
	var out []*ChoiceTile
	for _, t := range fd.Tiles {
		if !t.Hidden {
			out = append(out, t)
		}
	}
	return out
}

// pick chooses tile i of a single-choice question.
func (fd *Field) pick(i int) {
	v := fd.values[i]
	if !fd.Question.Required && fd.Value() == v {
		v = "" // tapping the chosen answer of an optional question again takes it back
	}
	fd.form.setAnswer(fd, v, true)
	fd.reshow()
}

// toggle adds or removes tile i of a multiple-choice question (or the acknowledgement).
func (fd *Field) toggle(i int) {
	cur := fd.Value()
	if fd.Question.Type == survey.TypeAcknowledge {
		v := "OK"
		if cur != "" {
			v = ""
		}
		fd.form.setAnswer(fd, v, true)
		fd.reshow()
		return
	}
	on := map[string]bool{}
	for _, c := range strings.Fields(cur) {
		on[c] = true
	}
	on[fd.values[i]] = !on[fd.values[i]]
	var out []string
	for _, v := range fd.values {
		if on[v] {
			out = append(out, v)
		}
	}
	fd.form.setAnswer(fd, strings.Join(out, " "), true)
	fd.reshow()
}

// reshow sets the widgets from the form's answer (after the form may have refused a change).
func (fd *Field) reshow() {
	f := fd.form
	f.syncing = true
	fd.show(fd.Value())
	f.syncing = false
	fd.updateOtherVisibility()
}

// buildSelect builds the drop-down of a minimal select_one.
func (fd *Field) buildSelect() fyne.CanvasObject {
	for _, c := range fd.choices {
		fd.values = append(fd.values, c.Name)
	}
	fd.Select = widget.NewSelect(nil, func(string) {
		i := fd.Select.SelectedIndex()
		v := ""
		if i >= 0 && i < len(fd.shown) {
			v = fd.values[fd.shown[i]]
		}
		fd.form.setAnswer(fd, v, true)
		fd.updateOtherVisibility()
	})
	return fd.Select
}

// buildRank builds the rank list: one row per position with up and down buttons.
func (fd *Field) buildRank() fyne.CanvasObject {
	for _, c := range fd.choices {
		fd.order = append(fd.order, c.Name)
	}
	rows := []fyne.CanvasObject{}
	for i := range fd.choices {
		i := i
		t := newChoiceTile("", MarkNone, nil)
		t.onRune = func(r rune) bool { fd.form.TypedRune(r); return true }
		t.onKey = func(ev *fyne.KeyEvent) bool {
			switch ev.Name {
			case fyne.KeyUp:
				fd.move(i, i-1)
			case fyne.KeyDown:
				fd.move(i, i+1)
			default:
				fd.form.TypedKey(ev)
			}
			return true
		}
		up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { fd.move(i, i-1) })
		down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { fd.move(i, i+1) })
		if i == 0 {
			up.Disable()
		}
		if i == len(fd.choices)-1 {
			down.Disable()
		}
		fd.Tiles = append(fd.Tiles, t)
		fd.RankUp = append(fd.RankUp, up)
		fd.RankDown = append(fd.RankDown, down)
		row := fd.form.border(nil, nil, nil, fd.form.hbox(up, down), t)
		fd.rankRows = append(fd.rankRows, row)
		rows = append(rows, row)
	}
	fd.RankKeep = widget.NewButton("", func() {
		fd.form.setAnswer(fd, strings.Join(fd.order, " "), true)
		fd.reshow()
	})
	fd.choiceBox = fd.form.vbox(rows...)
	return fd.form.vbox(fd.choiceBox, fd.form.hbox(fd.RankKeep))
}

// move moves the choice at position i to position j of a rank question;
// the keyboard focus follows it.
func (fd *Field) move(i, j int) {
	if j < 0 || j >= len(fd.order) || fd.Question.ReadOnly {
		return
	}
	fd.order[i], fd.order[j] = fd.order[j], fd.order[i]
	fd.form.setAnswer(fd, strings.Join(fd.order, " "), true)
	fd.reshow()
	if c := fyne.CurrentApp().Driver().CanvasForObject(fd.Tiles[i]); c != nil && c.Focused() == fd.Tiles[i] {
		c.Focus(fd.Tiles[j])
	}
}

// rangeValues lists a range question's values, or nil when there are too many for buttons.
func rangeValues(r *survey.Range, limit int) []string {
	start, end, step := 1.0, 5.0, 1.0
	if r != nil {
		start, end, step = r.Start, r.End, r.Step
	}
	if step == 0 {
		step = 1
	}
	if (end-start)/step < 0 || math.IsNaN((end-start)/step) {
		return nil
	}
	n := int(math.Floor((end-start)/step+1e-9)) + 1
	if n > limit || n < 1 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = expr.FormatNumber(start + float64(i)*step)
	}
	return out
}

// buildRange builds a row of number tiles (rating, or up to 11 values) or a slider.
func (fd *Field) buildRange() fyne.CanvasObject {
	q := fd.Question
	limit := 11
	if q.HasAppearance(survey.AppearanceRating) {
		limit = 21
	}
	if vals := rangeValues(q.Range, limit); vals != nil {
		for _, v := range vals {
			fd.choices = append(fd.choices, survey.Choice{Name: v, Label: survey.Text{"": v}})
		}
		return fd.buildTiles(MarkNone, true, len(vals))
	}
	r := survey.Range{Start: 0, End: 10, Step: 1}
	if q.Range != nil {
		r = *q.Range
	}
	lo, hi := math.Min(r.Start, r.End), math.Max(r.Start, r.End)
	fd.Slider = widget.NewSlider(lo, hi)
	fd.Slider.Step = math.Abs(r.Step)
	fd.sliderAt = widget.NewLabel("")
	set := func(v float64, now bool) {
		s := expr.FormatNumber(v)
		fd.form.setAnswer(fd, s, now)
		fd.showSliderValue(fd.Value())
	}
	fd.Slider.OnChanged = func(v float64) { set(v, false) }
	fd.Slider.OnChangeEnded = func(v float64) { set(v, true) }
	ends := fd.form.border(nil, nil,
		widget.NewLabel(expr.FormatNumber(lo)), widget.NewLabel(expr.FormatNumber(hi)), fd.Slider)
	return fd.form.vbox(ends, fd.sliderAt)
}

func (fd *Field) showSliderValue(v string) {
	if v == "" {
		fd.sliderAt.SetText(lang.L("Not answered yet: move the slider."))
	} else {
		fd.sliderAt.SetText(lang.L("Your answer: {{.Value}}", map[string]any{"Value": v}))
	}
}

// buildDate builds a date entry with a calendar. Its placeholder is a
// sample date in the format the entry reads (31/12/2025 in the UK).
func (fd *Field) buildDate() fyne.CanvasObject {
	entry := newOptionalDateEntry()
	fd.Date = &entry.DateEntry
	fd.dateBox = entry
	sample := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	fd.Date.SetDate(&sample)
	fd.Date.SetPlaceHolder(fd.Date.Text)
	fd.Date.SetDate(nil)
	fd.Date.OnChanged = func(t *time.Time) {
		if fd.form.syncing {
			return
		}
		if t == nil {
			fd.form.setAnswer(fd, "", true)
			return
		}
		// The engine refuses years that are typing slips (0225 for 2025).
		fd.form.answer(fd, func() (run.Check, []string) {
			return fd.form.sess.AnswerText(fd.key, t.Format(survey.DateLayout))
		}, true)
	}
	return entry
}

// optionalDateEntry is a DateEntry that takes an empty box as no answer
// rather than an invalid date, so an optional date left blank shows no
// error mark; whether an answer is required is the form's business.
type optionalDateEntry struct{ widget.DateEntry }

func newOptionalDateEntry() *optionalDateEntry {
	e := &optionalDateEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	return e
}

// CreateRenderer lets DateEntry build itself, then lets a blank box pass
// the date check that DateEntry installs there.
func (e *optionalDateEntry) CreateRenderer() fyne.WidgetRenderer {
	r := e.DateEntry.CreateRenderer()
	if check := e.Validator; check != nil {
		e.Validator = func(in string) error {
			if strings.TrimSpace(in) == "" {
				return nil
			}
			return check(in)
		}
	}
	return r
}

// buildEntry builds the entry of a typed answer.
func (fd *Field) buildEntry() fyne.CanvasObject {
	f, q := fd.form, fd.Question
	fd.Entry = newAnswerEntry(q.IsMultiline())
	fd.Entry.onEscape = f.TypedKey
	fd.Entry.onFocusLost = func() {
		f.saveNow()
		if !fd.box.Hidden && (fd.Entry.Text != "" || fd.errText != "") {
			fd.setError(f.sess.Check(fd.key).Message)
		}
	}
	if !q.IsMultiline() {
		fd.Entry.OnSubmitted = func(string) { f.Next() }
	}
	fd.Entry.OnChanged = func(s string) { f.setText(fd, s) }
	return fd.Entry
}

// show sets the widgets to display value v (callbacks must be muted by the caller).
func (fd *Field) show(v string) {
	q := fd.Question
	switch {
	case q.Type == survey.TypeRank:
		fd.order = rankOrder(fd.shownChoices(), v)
		fd.showRank(v)
	case fd.Select != nil:
		idx := -1
		for i, c := range fd.shown {
			if fd.values[c] == v {
				idx = i
			}
		}
		if idx < 0 {
			fd.Select.ClearSelected()
		} else {
			fd.Select.SetSelectedIndex(idx)
		}
	case len(fd.Tiles) > 0:
		on := map[string]bool{}
		if q.Type == survey.TypeSelectMultiple {
			for _, c := range strings.Fields(v) {
				on[c] = true
			}
		} else if v != "" {
			on[v] = true
		}
		for i, t := range fd.Tiles {
			t.SetSelected(on[fd.values[i]])
		}
	case fd.Slider != nil:
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			fd.Slider.SetValue(n)
		} else {
			fd.Slider.SetValue(fd.Slider.Min)
		}
		fd.showSliderValue(v)
	case fd.Date != nil:
		if t, err := time.ParseInLocation("2006-01-02", v, time.Local); err == nil {
			fd.Date.SetDate(&t)
		} else if fd.Date.Date != nil || fd.Date.Text != "" {
			fd.Date.SetDate(nil)
		}
	case fd.Entry != nil:
		if cur, _ := run.ParseText(q.Type, fd.Entry.Text); cur != v || (v == "" && fd.Entry.Text != "") {
			fd.Entry.SetText(v)
		}
	}
}

// showOther sets the "Other" entry.
func (fd *Field) showOther(v string) {
	if fd.Other != nil && strings.TrimSpace(fd.Other.Text) != v {
		fd.Other.SetText(v)
	}
}

// updateOtherVisibility shows the "Other" entry while "Other" is chosen.
func (fd *Field) updateOtherVisibility() {
	if fd.otherBox == nil {
		return
	}
	if fd.form.sess.OtherChosen(fd.key) {
		fd.otherBox.Show()
	} else {
		fd.otherBox.Hide()
	}
}

// rankOrder returns the choice names in the order v gives, then any missing ones.
func rankOrder(choices []survey.Choice, v string) []string {
	known := map[string]bool{}
	for _, c := range choices {
		known[c.Name] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, n := range strings.Fields(v) {
		if known[n] && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, c := range choices {
		if !seen[c.Name] {
			out = append(out, c.Name)
		}
	}
	return out
}

// showRank writes the rank rows' texts in the current order.
func (fd *Field) showRank(v string) {
	labels := map[string]string{}
	for _, c := range fd.choices {
		labels[c.Name] = fd.form.choiceLabel(c)
	}
	for i, t := range fd.Tiles {
		if i < len(fd.order) {
			t.SetText(strconv.Itoa(i+1) + ".  " + labels[fd.order[i]])
		}
	}
	if v == "" && len(fd.order) > 0 {
		fd.RankKeep.SetText(lang.L("This order is right"))
		fd.RankKeep.Show()
	} else {
		fd.RankKeep.Hide()
	}
}

// refreshTexts writes the field's texts in the respondent's language.
func (fd *Field) refreshTexts() {
	q := fd.Question
	sess := fd.form.sess
	label := sess.TextAt(fd.key, q.Label) // ${x} read in the field's own repeat instance
	fd.label.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: label, Style: widget.RichTextStyle{
		Inline: true, SizeName: theme.SizeNameSubHeadingText, TextStyle: fyne.TextStyle{Bold: true},
	}}}
	if q.Required && label != "" {
		// Say which questions must be answered before Next, not only after.
		fd.label.Segments = append(fd.label.Segments, &widget.TextSegment{Text: "  " + lang.L("(required)"),
			Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder}})
	}
	fd.label.Hidden = label == ""
	fd.label.Refresh()
	hint := sess.TextAt(fd.key, q.Hint)
	fd.hint.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: hint, Style: widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder}}}
	fd.hint.Hidden = hint == ""
	fd.hint.Refresh()

	switch {
	case q.Type == survey.TypeRank:
		fd.showRank(fd.Value())
	case q.Type == survey.TypeAcknowledge:
		fd.Tiles[0].SetText(lang.L("I agree"))
	case fd.Select != nil:
		fd.Select.PlaceHolder = lang.L("Choose an answer")
		fd.setSelectOptions()
	case len(fd.Tiles) > 0:
		for i, t := range fd.Tiles {
			t.SetText(fd.form.choiceLabel(fd.choices[i]))
		}
	}
	if fd.otherBox != nil {
		fd.otherBox.Objects[0].(*widget.Label).SetText(lang.L("Please say what:"))
	}
	if fd.noChoices != nil {
		fd.noChoices.SetText(lang.L("None of the answers fit what you said earlier. Please go back and check your earlier answers."))
	}
	if fd.Slider != nil {
		fd.showSliderValue(fd.Value())
	}
}

// setSelectOptions fills the drop-down with the labels of the choices
// offered now, keeping the answer selected.
func (fd *Field) setSelectOptions() {
	opts := make([]string, len(fd.shown))
	for i, c := range fd.shown {
		opts[i] = fd.form.choiceLabel(fd.choices[c])
	}
	f := fd.form
	f.syncing = true
	defer func() { f.syncing = false }()
	fd.Select.SetOptions(opts)
	fd.show(fd.Value())
}

// setShown offers only the choices at indexes idx (of fd.choices): the
// other tiles, rank rows or drop-down options are hidden, and the widgets
// show the answer again (the form has already dropped any choice no longer offered).
func (fd *Field) setShown(idx []int) {
	if slices.Equal(idx, fd.shown) {
		return
	}
	fd.shown = idx
	switch {
	case fd.Question.Type == survey.TypeRank:
		n := len(idx)
		for i, row := range fd.rankRows {
			if i < n {
				row.Show()
				fd.Tiles[i].Show()
			} else {
				row.Hide()
				fd.Tiles[i].Hide() // so Visible() tells the truth
			}
			if !fd.Question.ReadOnly {
				setEnabled(fd.RankUp[i], i > 0 && i < n)
				setEnabled(fd.RankDown[i], i < n-1)
			}
		}
	case fd.Select != nil:
		fd.setSelectOptions()
	default:
		on := make([]bool, len(fd.Tiles))
		for _, i := range idx {
			on[i] = true
		}
		for i, t := range fd.Tiles {
			if on[i] {
				t.Show()
			} else {
				t.Hide()
			}
		}
	}
	if fd.noChoices != nil {
		if len(idx) == 0 {
			fd.noChoices.Show()
		} else {
			fd.noChoices.Hide()
		}
	}
	fd.reshow()
	if fd.choiceBox != nil {
		fd.choiceBox.Refresh()
	}
	fd.box.Refresh()
}

// setEnabled enables or disables b.
func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// setError shows msg next to the question ("" hides it).
func (fd *Field) setError(msg string) {
	if fd.errText == msg {
		return
	}
	fd.errText = msg
	showError(fd.errRT, msg)
	fd.form.refreshErrorSummary()
}

// showError writes an error message into rt in the error colour, bold;
// an empty message hides it.
func showError(rt *widget.RichText, msg string) {
	rt.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: msg, Style: widget.RichTextStyle{
		ColorName: theme.ColorNameError, TextStyle: fyne.TextStyle{Bold: true},
	}}}
	rt.Hidden = msg == ""
	rt.Refresh()
}

// disable makes a read-only question's widgets inert.
func (fd *Field) disable() {
	for _, t := range fd.Tiles {
		t.Disable()
	}
	for _, b := range append(append([]*widget.Button{fd.RankKeep}, fd.RankUp...), fd.RankDown...) {
		if b != nil {
			b.Disable()
		}
	}
	if fd.Select != nil {
		fd.Select.Disable()
	}
	if fd.Entry != nil {
		fd.Entry.Disable()
	}
	if fd.Date != nil {
		fd.Date.Disable()
	}
	if fd.Slider != nil {
		fd.Slider.Disable()
	}
	if fd.Other != nil {
		fd.Other.Disable()
	}
}

// choiceLabel is a choice's label in the respondent's language.
func (f *Form) choiceLabel(c survey.Choice) string {
	return c.Label.In(f.sess.Language(), f.s.DefaultLanguage())
}

// focusTarget is the widget that takes the keyboard focus when the page
// opens on this question: its entry or date box, its first choice offered,
// its drop-down or its slider (nil when it is read only).
func (fd *Field) focusTarget() fyne.Focusable {
	if fd.Question.ReadOnly {
		return nil
	}
	switch {
	case fd.Entry != nil:
		return fd.Entry
	case fd.dateBox != nil:
		return fd.dateBox
	case fd.Select != nil:
		return fd.Select
	case fd.Slider != nil:
		return fd.Slider
	}
	for _, t := range fd.Tiles {
		if !t.Hidden {
			return t
		}
	}
	return nil
}

// owns reports whether w is one of the field's inputs.
func (fd *Field) owns(w fyne.Focusable) bool {
	switch {
	case w == nil:
		return false
	case fd.Entry != nil && w == fyne.Focusable(fd.Entry),
		fd.Other != nil && w == fyne.Focusable(fd.Other),
		fd.dateBox != nil && w == fyne.Focusable(fd.dateBox),
		fd.Select != nil && w == fyne.Focusable(fd.Select),
		fd.Slider != nil && w == fyne.Focusable(fd.Slider):
		return true
	}
	for _, t := range fd.Tiles {
		if w == fyne.Focusable(t) {
			return true
		}
	}
	return false
}
