package respondent_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"canvass/survey"
)

// longMixedPage is longPage with choice questions (a column of tiles, a
// grid of tiles and an "other" box) above the district question.
func longMixedPage() *survey.Survey {
	s := longPage()
	s.Lists = []survey.ChoiceList{{Name: "days", Choices: []survey.Choice{
		{Name: "mon", Label: survey.En("Monday")}, {Name: "tue", Label: survey.En("Tuesday")},
		{Name: "wed", Label: survey.En("Wednesday")}, {Name: "thu", Label: survey.En("Thursday")},
		{Name: "fri", Label: survey.En("Friday")}, {Name: "sat", Label: survey.En("Saturday")},
	}}}
	g := s.Questions[0]
	last := len(g.Questions) - 1
	choices := []*survey.Question{
		{Type: survey.TypeSelectOne, Name: "day", Label: survey.En("Which day?"), List: "days"},
		{Type: survey.TypeSelectMultiple, Name: "days", Label: survey.En("Which days?"), List: "days",
			Appearance: survey.AppearanceHorizontal, OrOther: true},
	}
	g.Questions = append(g.Questions[:last], append(choices, g.Questions[last])...)
	return s
}

// The page scroll measures its content on its own (at every wheel turn),
// outside the form's theme; the form's boxes must measure there as they are
// laid out, or the last question's input cannot be scrolled into view.
func TestLongPageScrollsToItsLastInput(t *testing.T) {
	for _, tc := range []struct {
		name          string
		large, strong bool
	}{
		{name: "normal"},
		{name: "larger text", large: true},
		{name: "high contrast", strong: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, longMixedPage(), newFakeStore())
			if tc.large {
				test.Tap(r.f.LargeTextToggle())
			}
			if tc.strong {
				test.Tap(r.f.HighContrastToggle())
			}
			relayout(r)
			sc := r.f.PageScroll()
			d := fyne.CurrentApp().Driver()
			e := r.field("district").Entry
			// As laid out by the window (in the form's theme) and as the
			// scroll measures it for itself (in the app's theme).
			end := d.AbsolutePositionForObject(e).Y - d.AbsolutePositionForObject(sc.Content).Y + e.Size().Height
			if m := sc.Content.MinSize().Height; m < end {
				t.Errorf("the page measures %.0f high, but its last input ends %.0f down", m, end)
			}

			// The wheel, beside the reading column, to the end; then the
			// window lays the form out again, as the real window does.
			top := d.AbsolutePositionForObject(sc).Y
			for range 50 {
				test.Scroll(r.w.Canvas(), fyne.NewPos(5, top+20), 0, -200)
			}
			relayout(r)
			top = d.AbsolutePositionForObject(sc).Y
			y := d.AbsolutePositionForObject(e).Y
			if bottom := top + sc.Size().Height; y+e.Size().Height > bottom {
				t.Errorf("scrolled to the end (offset %.0f), the district entry ends at %.0f, below the page's bottom %.0f",
					sc.Offset.Y, y+e.Size().Height, bottom)
			}
		})
	}
}

// relayout has the test window lay the form out again from the top, in the
// form's theme, as the real window does on every frame that needs it (the
// test window only lays out what it is told to).
func relayout(r *formRig) {
	r.w.Resize(fyne.NewSize(1366, 767))
	r.w.Resize(fyne.NewSize(1366, 768))
}

// The wheel scrolls the page with the pointer over an input box too (an
// entry holds a scroller of its own that took the wheel and kept it).
func TestFormWheelScrollsOverInputs(t *testing.T) {
	r := newRig(t, longMixedPage(), newFakeStore())
	sc := r.f.PageScroll()
	e := r.field("q2").Entry
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(e).Add(fyne.NewPos(e.Size().Width/2, e.Size().Height/2))
	test.Scroll(r.w.Canvas(), at, 0, -120)
	if sc.Offset.Y <= 0 {
		t.Errorf("the wheel over question 2's box left the page at offset %.0f", sc.Offset.Y)
	}
}

// Every box of the form lays out the same whether or not the form's theme
// is the one being rendered: the window lays parts of it out again on their
// own (a Refresh, a wheel turn), outside the form's theme, and a box that
// took the app's smaller padding then moved, re-wrapped or cut its text
// (a wrapped "There is a problem" line lost its second line).
func TestFormLaysOutTheSameOutsideItsTheme(t *testing.T) {
	s := longMixedPage()
	s.Questions[0].Questions[2].Required = true
	s.Questions[0].Questions[2].Label = survey.En(strings.Repeat("A question long enough to wrap onto a second line ", 2))
	r := newRig(t, s, newFakeStore())
	test.Tap(r.f.NextButton()) // question 3 is empty: the summary shows, wrapped
	if len(r.f.ErrorSummary()) != 1 {
		t.Fatalf("summary %q", r.f.ErrorSummary())
	}
	// Every box laid out again in the form's theme (new widths for all).
	r.w.Resize(fyne.NewSize(1300, 700))
	r.w.Resize(fyne.NewSize(1366, 768))

	type place struct{ pos, size fyne.Position }
	at := map[fyne.CanvasObject]place{}
	var boxes []*fyne.Container
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		at[o] = place{o.Position(), fyne.NewPos(o.Size().Width, o.Size().Height)}
		switch o := o.(type) {
		case *fyne.Container:
			boxes = append(boxes, o)
			for _, c := range o.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(o.Content)
		case *container.ThemeOverride:
			walk(o.Content)
		}
	}
	walk(r.f.Content())
	for _, b := range boxes { // laid out again from the top, outside the form's theme
		if b.Layout != nil && b.Visible() {
			b.Layout.Layout(b.Objects, b.Size())
		}
	}
	moved := 0
	for o, was := range at {
		now := place{o.Position(), fyne.NewPos(o.Size().Width, o.Size().Height)}
		if now != was && o.Visible() {
			if moved++; moved <= 8 {
				t.Errorf("%T moved from %v %v to %v %v", o, was.pos, was.size, now.pos, now.size)
			}
		}
	}
	if moved > 8 {
		t.Errorf("… and %d more", moved-8)
	}
}
