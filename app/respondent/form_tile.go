package respondent

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TileMark is the indicator a ChoiceTile draws before its text.
type TileMark int

// Tile marks.
const (
	MarkRadio TileMark = iota // a round radio mark: one of several
	MarkCheck                 // a square check mark: any of several
	MarkNone                  // text only (Likert points, rating numbers, rank rows)
)

// ChoiceTile is a large, full-width, tappable answer: a radio or check mark
// and wrapping text. It is focusable; Space toggles it, and every other key
// goes to the form (Enter moves on, digits pick a choice, Escape reaches kiosk mode).
type ChoiceTile struct {
	widget.BaseWidget

	text     string
	mark     TileMark
	centred  bool
	selected bool
	disabled bool
	focused  bool
	hovered  bool

	onTap  func()
	onKey  func(*fyne.KeyEvent) bool
	onRune func(rune) bool
}

var (
	_ fyne.Tappable      = (*ChoiceTile)(nil)
	_ fyne.Focusable     = (*ChoiceTile)(nil)
	_ desktop.Hoverable  = (*ChoiceTile)(nil)
	_ desktop.Cursorable = (*ChoiceTile)(nil)
)

// newChoiceTile returns a tile that calls onTap when tapped or toggled with Space.
func newChoiceTile(text string, mark TileMark, onTap func()) *ChoiceTile {
	t := &ChoiceTile{text: text, mark: mark, onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

// Text returns the tile's text.
func (t *ChoiceTile) Text() string { return t.text }

// Selected reports whether the tile shows as chosen.
func (t *ChoiceTile) Selected() bool { return t.selected }

// SetText changes the tile's text.
func (t *ChoiceTile) SetText(s string) {
	if t.text != s {
		t.text = s
		t.Refresh()
	}
}

// SetSelected shows the tile as chosen or not, without calling back.
func (t *ChoiceTile) SetSelected(on bool) {
	if t.selected != on {
		t.selected = on
		t.Refresh()
	}
}

// Disable stops the tile reacting to taps and keys.
func (t *ChoiceTile) Disable() { t.disabled = true; t.Refresh() }

// Tapped toggles or picks the choice.
func (t *ChoiceTile) Tapped(*fyne.PointEvent) {
	if !t.disabled && t.onTap != nil {
		t.onTap()
	}
}

// FocusGained draws the focus ring.
func (t *ChoiceTile) FocusGained() { t.focused = true; t.Refresh() }

// FocusLost removes the focus ring.
func (t *ChoiceTile) FocusLost() { t.focused = false; t.Refresh() }

// TypedRune toggles on Space and hands other characters to the form.
func (t *ChoiceTile) TypedRune(r rune) {
	if r == ' ' {
		t.Tapped(nil)
		return
	}
	if t.onRune != nil {
		t.onRune(r)
	}
}

// TypedKey hands keys to the form.
func (t *ChoiceTile) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeySpace {
		return // handled as a rune
	}
	if t.onKey != nil {
		t.onKey(ev)
	}
}

// MouseIn highlights the tile under the pointer.
func (t *ChoiceTile) MouseIn(*desktop.MouseEvent) { t.hovered = true; t.Refresh() }

// MouseMoved does nothing.
func (t *ChoiceTile) MouseMoved(*desktop.MouseEvent) {}

// MouseOut removes the highlight.
func (t *ChoiceTile) MouseOut() { t.hovered = false; t.Refresh() }

// Cursor shows a pointing hand over the tile.
func (t *ChoiceTile) Cursor() desktop.Cursor { return desktop.PointerCursor }

// CreateRenderer builds the tile's drawing.
func (t *ChoiceTile) CreateRenderer() fyne.WidgetRenderer {
	r := &tileRenderer{
		tile:  t,
		ring:  canvas.NewRectangle(color.Transparent),
		body:  canvas.NewRectangle(color.Transparent),
		hover: canvas.NewRectangle(color.Transparent),
		outer: canvas.NewCircle(color.Transparent),
		inner: canvas.NewCircle(color.Transparent),
		box:   canvas.NewRectangle(color.Transparent),
		tick1: canvas.NewLine(color.Transparent),
		tick2: canvas.NewLine(color.Transparent),
		label: widget.NewRichText(),
	}
	r.label.Wrapping = fyne.TextWrapWord
	if short := []rune(t.text); len(short) <= 4 && !strings.ContainsRune(t.text, ' ') {
		// A number on a scale ("10") must never break across lines: the
		// tile asks for the width of the whole word instead.
		r.label.Wrapping = fyne.TextWrapOff
	}
	r.Refresh()
	return r
}

// tileRenderer draws a ChoiceTile with canvas primitives, so the marks follow
// the theme's text size and colours (including high contrast).
type tileRenderer struct {
	tile                   *ChoiceTile
	ring, body, hover, box *canvas.Rectangle
	outer, inner           *canvas.Circle
	tick1, tick2           *canvas.Line
	label                  *widget.RichText
}

const (
	tileRingGap   = 3 // px between the focus ring and the tile body
	tileRingWidth = 3
)

func (r *tileRenderer) th() fyne.Theme { return r.tile.Theme() }

func (r *tileRenderer) markSize() float32 {
	if r.tile.mark == MarkNone {
		return 0
	}
	return r.th().Size(theme.SizeNameText) * 1.2
}

func (r *tileRenderer) pad() float32 { return r.th().Size(theme.SizeNameInnerPadding) }

func (r *tileRenderer) Layout(size fyne.Size) {
	inset := float32(tileRingGap + tileRingWidth)
	r.ring.Resize(size)
	r.ring.Move(fyne.NewPos(0, 0))
	r.body.Move(fyne.NewPos(inset, inset))
	r.body.Resize(size.SubtractWidthHeight(2*inset, 2*inset))
	r.hover.Move(r.body.Position())
	r.hover.Resize(r.body.Size())

	pad := r.pad()
	m := r.markSize()
	x := inset + pad
	if m > 0 {
		y := (size.Height - m) / 2
		r.outer.Move(fyne.NewPos(x, y))
		r.outer.Resize(fyne.NewSquareSize(m))
		d := m * 0.5
		r.inner.Move(fyne.NewPos(x+(m-d)/2, y+(m-d)/2))
		r.inner.Resize(fyne.NewSquareSize(d))
		r.box.Move(fyne.NewPos(x, y))
		r.box.Resize(fyne.NewSquareSize(m))
		r.tick1.Position1 = fyne.NewPos(x+m*0.22, y+m*0.52)
		r.tick1.Position2 = fyne.NewPos(x+m*0.42, y+m*0.72)
		r.tick2.Position1 = fyne.NewPos(x+m*0.42, y+m*0.72)
		r.tick2.Position2 = fyne.NewPos(x+m*0.80, y+m*0.28)
		x += m + pad
	}
	w := size.Width - x - inset - pad
	// A wrapped label's height depends on its width: set the width first.
	r.label.Resize(fyne.NewSize(w, r.label.Size().Height))
	lh := r.label.MinSize().Height
	r.label.Resize(fyne.NewSize(w, lh))
	r.label.Move(fyne.NewPos(x, (size.Height-r.label.Size().Height)/2))
}

func (r *tileRenderer) MinSize() fyne.Size {
	inset := float32(tileRingGap + tileRingWidth)
	pad := r.pad()
	m := r.markSize()
	ls := r.label.MinSize()
	w := 2*inset + 2*pad + ls.Width
	if m > 0 {
		w += m + pad
	}
	h := fyne.Max(ls.Height, m) + 2*inset + pad
	// a comfortable touch target
	return fyne.NewSize(w, fyne.Max(h, 2.6*r.th().Size(theme.SizeNameText)))
}

func (r *tileRenderer) Refresh() {
	t, th := r.tile, r.th()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg := th.Color(theme.ColorNameForeground, v)
	textColor := theme.ColorNameForeground
	if t.selected {
		r.body.FillColor = th.Color(theme.ColorNamePrimary, v)
		r.body.StrokeColor = th.Color(theme.ColorNamePrimary, v)
		fg = th.Color(theme.ColorNameForegroundOnPrimary, v)
		textColor = theme.ColorNameForegroundOnPrimary
	} else {
		r.body.FillColor = th.Color(theme.ColorNameInputBackground, v)
		r.body.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	}
	if t.disabled {
		textColor = theme.ColorNameDisabled
		fg = th.Color(theme.ColorNameDisabled, v)
	}
	r.body.StrokeWidth = th.Size(theme.SizeNameInputBorder)
	r.body.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.hover.CornerRadius = r.body.CornerRadius
	r.hover.FillColor = color.Transparent
	if t.hovered && !t.disabled {
		r.hover.FillColor = th.Color(theme.ColorNameHover, v)
	}
	r.ring.FillColor = color.Transparent
	r.ring.StrokeWidth = tileRingWidth
	r.ring.CornerRadius = r.body.CornerRadius + tileRingGap
	r.ring.StrokeColor = color.Transparent
	if t.focused {
		r.ring.StrokeColor = th.Color(theme.ColorNameFocus, v)
	}

	stroke := fyne.Max(2, th.Size(theme.SizeNameText)/8)
	for _, c := range []*canvas.Circle{r.outer, r.inner} {
		c.Hidden = t.mark != MarkRadio
	}
	r.outer.FillColor = color.Transparent
	r.outer.StrokeColor = fg
	r.outer.StrokeWidth = stroke
	r.inner.FillColor = fg
	r.inner.Hidden = t.mark != MarkRadio || !t.selected
	r.box.Hidden = t.mark != MarkCheck
	r.box.FillColor = color.Transparent
	r.box.StrokeColor = fg
	r.box.StrokeWidth = stroke
	r.box.CornerRadius = stroke
	for _, l := range []*canvas.Line{r.tick1, r.tick2} {
		l.Hidden = t.mark != MarkCheck || !t.selected
		l.StrokeColor = fg
		l.StrokeWidth = stroke * 1.3
	}

	align := fyne.TextAlignLeading
	if t.centred {
		align = fyne.TextAlignCenter
	}
	r.label.Segments = []widget.RichTextSegment{&widget.TextSegment{
		Text: t.text,
		Style: widget.RichTextStyle{
			ColorName: textColor,
			Alignment: align,
			TextStyle: fyne.TextStyle{Bold: t.selected},
		},
	}}
	r.label.Refresh()
	r.Layout(t.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

func (r *tileRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.ring, r.body, r.hover, r.outer, r.inner, r.box, r.tick1, r.tick2, r.label}
}

func (r *tileRenderer) Destroy() {}
