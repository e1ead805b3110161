package respondent

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"strings"
)

// errorSummary is the "There is a problem" box shown above the page after a
// failed Next (GOV.UK's error summary): one link per question in error, in
// page order, each taking the respondent to its question. The errors
// themselves come from the engine; the summary only lists those shown.
type errorSummary struct {
	box   *fyne.Container
	bar   *canvas.Rectangle
	lines *fyne.Container
	texts []string
	on    bool // a Next failed on this page: keep the summary up to date
}

func (f *Form) newErrorSummary() *errorSummary {
	s := &errorSummary{bar: canvas.NewRectangle(nil), lines: f.vbox()}
	s.bar.SetMinSize(fyne.NewSize(5, 0))
	head := widget.NewLabelWithStyle(lang.L("There is a problem"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.SizeName = theme.SizeNameSubHeadingText
	s.box = f.border(nil, nil, s.bar, nil, f.vbox(head, s.lines))
	s.box.Hide()
	return s
}

// ErrorSummary returns the lines of the "There is a problem" summary shown
// at the top of the page, or nil when it is hidden.
func (f *Form) ErrorSummary() []string {
	if f.summary.box.Hidden {
		return nil
	}
	return append([]string(nil), f.summary.texts...)
}

// PageScroll returns the scroll container holding the page's questions.
func (f *Form) PageScroll() *container.Scroll { return f.scroll }

// showErrorSummary turns the summary on after a failed Next and takes the
// respondent to the first question in error.
func (f *Form) showErrorSummary() {
	f.summary.on = true
	f.refreshErrorSummary()
	if first := f.errorFields(); len(first) > 0 {
		f.goToField(first[0])
	} else if f.rep.errText != "" {
		f.goToPrompt()
	}
}

// hideErrorSummary turns the summary off (a new page is shown).
func (f *Form) hideErrorSummary() {
	f.summary.on = false
	f.summary.texts = nil
	f.summary.box.Hide()
	f.setPromptError("")
}

// refreshErrorSummary lists the errors shown now; it hides itself once they
// are all fixed.
func (f *Form) refreshErrorSummary() {
	s := f.summary
	if s == nil || !s.on {
		return
	}
	s.texts = nil
	s.lines.Objects = nil
	if pr := f.sess.Page().Prompt; pr != nil && f.rep.errText != "" {
		s.add(summaryLine(f.sess.Text(pr.Repeat.Label), f.rep.errText), f.goToPrompt)
	}
	for _, fd := range f.errorFields() {
		target := fd
		s.add(summaryLine(fd.Label(), fd.errText), func() { f.goToField(target) })
	}
	s.bar.FillColor = f.th.Color(theme.ColorNameError, fyne.CurrentApp().Settings().ThemeVariant())
	s.bar.Refresh()
	if len(s.texts) == 0 {
		s.box.Hide()
	} else {
		s.box.Show()
	}
	f.override.Refresh()
}

// add lists one error, as a link that goes where it is fixed.
func (s *errorSummary) add(text string, goTo func()) {
	link := widget.NewHyperlink(text, nil)
	link.Wrapping = fyne.TextWrapWord
	link.OnTapped = goTo
	s.texts = append(s.texts, text)
	s.lines.Objects = append(s.lines.Objects, link)
}

// errorFields returns the page's shown questions that show an error, in order.
func (f *Form) errorFields() []*Field {
	var out []*Field
	for _, fl := range f.sess.Page().Fields {
		if fd := f.fields[fl.Key]; fd != nil && !fd.box.Hidden && fd.errText != "" {
			out = append(out, fd)
		}
	}
	return out
}

// goToField scrolls the page so fd's question is in view, from its label
// down, and puts the keyboard focus on its input.
func (f *Form) goToField(fd *Field) {
	// Lay out the page now, summary and error texts included, so what is
	// measured below is what will be drawn.
	f.root.Refresh()
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(fd.box).Y - d.AbsolutePositionForObject(f.scroll.Content).Y
	y -= f.pad()
	maxY := fyne.Max(f.scroll.Content.Size().Height, f.scroll.Content.MinSize().Height) - f.scroll.Size().Height
	if y > maxY {
		y = maxY
	}
	if y < 0 {
		y = 0
	}
	f.scroll.ScrollToOffset(fyne.NewPos(0, y))
	f.scroll.Refresh()
	if c := f.canvas(); c != nil {
		if w := fd.focusTarget(); w != nil {
			c.Focus(w)
		}
	}
}

// summaryLine names the question, then its error: "Postcode district: Enter
// the district only". A label that ends in its own punctuation ("I am
// answering as:", "Why?") takes no colon of ours.
func summaryLine(label, message string) string {
	label = strings.TrimSpace(label)
	switch {
	case label == "":
		return message
	case strings.ContainsAny(label[len(label)-1:], "?!:."):
		return label + " " + message
	}
	return label + ": " + message
}
