package respondent

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// formPopUp is a modal pop-up over the form (the "Remove?" question, "Are
// you still there?") drawn in the form's theme on the form's own
// background, bordered. A pop-up's own background follows the app's
// theme, on which high contrast's white text would vanish (white on white
// in a light app).
type formPopUp struct {
	*widget.PopUp
	over *container.ThemeOverride
	bg   *canvas.Rectangle
}

// newFormPopUp makes a hidden pop-up of content on canvas c.
func newFormPopUp(content fyne.CanvasObject, c fyne.Canvas) *formPopUp {
	p := &formPopUp{bg: canvas.NewRectangle(nil)}
	p.over = container.NewThemeOverride(container.NewStack(p.bg, container.NewPadded(content)), theme.Current())
	p.PopUp = widget.NewModalPopUp(p.over, c)
	return p
}

// show shows the pop-up in theme th, at most maxWidth wide (and 20 px
// short of the canvas on each side) and as tall as its content.
func (p *formPopUp) show(th *AccessibleTheme, maxWidth float32) {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	p.over.Theme = th
	p.bg.FillColor = th.Color(theme.ColorNameBackground, v)
	p.bg.StrokeColor = th.Color(theme.ColorNameForeground, v)
	p.bg.StrokeWidth = 2
	p.over.Refresh()
	p.Show()
	// Twice: wrapped text knows its height once it has its width.
	for range 2 {
		p.Resize(fyne.NewSize(fyne.Min(maxWidth, p.Canvas.Size().Width-40), p.MinSize().Height))
	}
}

// shown reports whether the pop-up is showing.
func (p *formPopUp) shown() bool { return p != nil && !p.Hidden }
