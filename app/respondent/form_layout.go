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
