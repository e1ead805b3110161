package app_test

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// canvasTextsIn returns the canvas texts drawn under o, in order: a
// wrapped label draws one per line.
func canvasTextsIn(o fyne.CanvasObject) []string {
	switch x := o.(type) {
	case *canvas.Text:
		return []string{x.Text}
	case *fyne.Container:
		var out []string
		for _, c := range x.Objects {
			out = append(out, canvasTextsIn(c)...)
		}
		return out
	case fyne.Widget:
		var out []string
		for _, c := range test.WidgetRenderer(x).Objects() {
			out = append(out, canvasTextsIn(c)...)
		}
		return out
	}
	return nil
}
