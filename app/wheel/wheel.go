// Package wheel lets the mouse wheel scroll a page wherever the pointer is,
// input fields included.
package wheel

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Fyne hands the mouse wheel to the innermost scrollable object under the
// pointer, and every entry holds a scroller of its own that takes the wheel
// even when it has nothing to scroll: over an input field the page stops.
// A wheelRelay lies transparently over such content (after it in a Stack,
// so it is found last) and passes the wheel on to the page. It is neither
// tappable nor hoverable, so clicks, typing and the pointer still reach the
// fields below.
type wheelRelay struct {
	widget.BaseWidget
	page func() *container.Scroll
}

// Scrolled scrolls the page.
func (w *wheelRelay) Scrolled(ev *fyne.ScrollEvent) {
	if page := w.page(); page != nil {
		page.Scrolled(ev)
	}
}

// CreateRenderer draws nothing.
func (w *wheelRelay) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// Page is a vertical scroll of content in which the wheel scrolls the page
// wherever the pointer is, input fields included.
func Page(content fyne.CanvasObject) *container.Scroll {
	var page *container.Scroll
	page = container.NewVScroll(To(content, func() *container.Scroll { return page }))
	return page
}

// To lays a wheel relay over content: the wheel over it scrolls page()
// instead.
func To(content fyne.CanvasObject, page func() *container.Scroll) fyne.CanvasObject {
	relay := &wheelRelay{page: page}
	relay.ExtendBaseWidget(relay)
	return container.NewStack(content, relay)
}
