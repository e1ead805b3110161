// Package canvastext reads what a Fyne screen shows, for tests of the
// staff and respondent screens: the texts drawn under an object, in order.
package canvastext

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// In returns the canvas texts drawn under o, in order: a container's
// objects, a widget's renderer's objects, down to each canvas.Text.
func In(o fyne.CanvasObject) []string {
	switch x := o.(type) {
	case *canvas.Text:
		return []string{x.Text}
	case *fyne.Container:
		var out []string
		for _, c := range x.Objects {
			out = append(out, In(c)...)
		}
		return out
	case fyne.Widget:
		var out []string
		for _, c := range test.WidgetRenderer(x).Objects() {
			out = append(out, In(c)...)
		}
		return out
	}
	return nil
}
