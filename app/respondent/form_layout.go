package respondent

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
)

// The form's boxes take their padding from the form's theme, never from
// whichever theme is current when they run. Fyne's VBox, grid and padded
// layouts read theme.Padding(), which is the form's padding only while the
// ThemeOverride is laying the form out; the page scroll measures its content
// on its own (at every wheel turn and ScrollToBottom), with the app's smaller
// padding. On a long page the two differed by some 70 px, so the scroll
// stopped before the last question's input box could come into view.

// pad is the form theme's padding.
func (f *Form) pad() float32 { return f.th.Size(theme.SizeNamePadding) }

// vbox stacks objects top to bottom, the form's padding apart.
func (f *Form) vbox(objs ...fyne.CanvasObject) *fyne.Container {
	return newBox(&formGrid{pad: f.pad, cols: 1}, objs)
}

// grid lays objects out in cols equal columns, the form's padding apart.
func (f *Form) grid(cols int, objs ...fyne.CanvasObject) *fyne.Container {
	return newBox(&formGrid{pad: f.pad, cols: cols}, objs)
}

// padded surrounds obj with the form's padding.
func (f *Form) padded(obj fyne.CanvasObject) *fyne.Container {
	return newBox(&formPadded{pad: f.pad}, []fyne.CanvasObject{obj})
}

func newBox(l fyne.Layout, objs []fyne.CanvasObject) *fyne.Container {
	return &fyne.Container{Layout: l, Objects: objs}
}

// formGrid is a grid of cols equal cells, or a column at the objects'
// minimum heights when cols is 1. Hidden objects take no room.
type formGrid struct {
	pad  func() float32
	cols int
}

func (l *formGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if l.cols <= 1 {
		layout.NewCustomPaddedVBoxLayout(l.pad()).Layout(objs, size)
		return
	}
	shown := visible(objs)
	if len(shown) == 0 {
		return
	}
	pad := l.pad()
	rows := (len(shown) + l.cols - 1) / l.cols
	w := (size.Width - pad*float32(l.cols-1)) / float32(l.cols)
	h := (size.Height - pad*float32(rows-1)) / float32(rows)
	for i, o := range shown {
		col, row := i%l.cols, i/l.cols
		o.Move(fyne.NewPos(float32(col)*(w+pad), float32(row)*(h+pad)))
		o.Resize(fyne.NewSize(w, h))
	}
}

func (l *formGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if l.cols <= 1 {
		return layout.NewCustomPaddedVBoxLayout(l.pad()).MinSize(objs)
	}
	shown := visible(objs)
	if len(shown) == 0 {
		return fyne.Size{}
	}
	var cell fyne.Size
	for _, o := range shown {
		cell = cell.Max(o.MinSize())
	}
	pad := l.pad()
	rows := (len(shown) + l.cols - 1) / l.cols
	return fyne.NewSize(cell.Width*float32(l.cols)+pad*float32(l.cols-1), cell.Height*float32(rows)+pad*float32(rows-1))
}

func visible(objs []fyne.CanvasObject) []fyne.CanvasObject {
	var shown []fyne.CanvasObject
	for _, o := range objs {
		if o.Visible() {
			shown = append(shown, o)
		}
	}
	return shown
}

// formPadded surrounds its objects with the form's padding on every side.
type formPadded struct{ pad func() float32 }

func (l *formPadded) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	p := l.pad()
	layout.NewCustomPaddedLayout(p, p, p, p).Layout(objs, size)
}

func (l *formPadded) MinSize(objs []fyne.CanvasObject) fyne.Size {
	p := l.pad()
	return layout.NewCustomPaddedLayout(p, p, p, p).MinSize(objs)
}

// hbox lines objects up left to right, the form's padding apart.
func (f *Form) hbox(objs ...fyne.CanvasObject) *fyne.Container {
	return newBox(&formRow{pad: f.pad}, objs)
}

// border is Fyne's border layout with the form's padding: top, bottom,
// left and right (any may be nil) at their minimum sizes around the rest.
func (f *Form) border(top, bottom, left, right fyne.CanvasObject, center ...fyne.CanvasObject) *fyne.Container {
	objs := append([]fyne.CanvasObject{}, center...)
	for _, o := range []fyne.CanvasObject{top, bottom, left, right} {
		if o != nil {
			objs = append(objs, o)
		}
	}
	return newBox(&formBorder{pad: f.pad, top: top, bottom: bottom, left: left, right: right}, objs)
}

// formRow is an HBox with the form's padding.
type formRow struct{ pad func() float32 }

func (l *formRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	layout.NewCustomPaddedHBoxLayout(l.pad()).Layout(objs, size)
}

func (l *formRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return layout.NewCustomPaddedHBoxLayout(l.pad()).MinSize(objs)
}

// formBorder is a border layout with the form's padding.
type formBorder struct {
	pad                      func() float32
	top, bottom, left, right fyne.CanvasObject
}

func shown(o fyne.CanvasObject) bool { return o != nil && o.Visible() }

func (l *formBorder) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := l.pad()
	var top, bottom, left, right float32
	if shown(l.top) {
		h := l.top.MinSize().Height
		l.top.Resize(fyne.NewSize(size.Width, h))
		l.top.Move(fyne.NewPos(0, 0))
		top = h + pad
	}
	if shown(l.bottom) {
		h := l.bottom.MinSize().Height
		l.bottom.Resize(fyne.NewSize(size.Width, h))
		l.bottom.Move(fyne.NewPos(0, size.Height-h))
		bottom = h + pad
	}
	middle := size.Height - top - bottom
	if shown(l.left) {
		w := l.left.MinSize().Width
		l.left.Resize(fyne.NewSize(w, middle))
		l.left.Move(fyne.NewPos(0, top))
		left = w + pad
	}
	if shown(l.right) {
		w := l.right.MinSize().Width
		l.right.Resize(fyne.NewSize(w, middle))
		l.right.Move(fyne.NewPos(size.Width-w, top))
		right = w + pad
	}
	for _, o := range objs {
		if o == l.top || o == l.bottom || o == l.left || o == l.right {
			continue
		}
		o.Resize(fyne.NewSize(size.Width-left-right, middle))
		o.Move(fyne.NewPos(left, top))
	}
}

func (l *formBorder) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := l.pad()
	var s fyne.Size
	for _, o := range objs {
		if o == l.top || o == l.bottom || o == l.left || o == l.right || !o.Visible() {
			continue
		}
		s = s.Max(o.MinSize())
	}
	for _, side := range []fyne.CanvasObject{l.left, l.right} {
		if shown(side) {
			m := side.MinSize()
			s = fyne.NewSize(s.Width+m.Width+pad, fyne.Max(s.Height, m.Height))
		}
	}
	for _, edge := range []fyne.CanvasObject{l.top, l.bottom} {
		if shown(edge) {
			m := edge.MinSize()
			s = fyne.NewSize(fyne.Max(s.Width, m.Width), s.Height+m.Height+pad)
		}
	}
	return s
}
