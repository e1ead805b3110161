package respondent

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// KeyButton is the form's button: Enter presses it as well as Space, and
// Escape is handed on (to the form, or to the question it is part of). In
// high contrast a focused plain button is filled with the yellow focus
// colour, on which its white text would be unreadable, so while it has the
// focus it takes the primary style (black on yellow).
type KeyButton struct {
	widget.Button
	onEscape     func()
	highContrast func() bool       // whether the form shows in high contrast now
	restyled     bool              // the focus changed its importance from plain
	plain        widget.Importance // its importance before
}

// newKeyButton makes a button of the form with an icon.
func (f *Form) newKeyButton(icon fyne.Resource, tapped func()) *KeyButton {
	b := &KeyButton{onEscape: f.escape, highContrast: func() bool { return f.th.HighContrast }}
	b.Icon = icon
	b.OnTapped = tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button on Enter and Space; Escape goes to onEscape.
func (b *KeyButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	case fyne.KeyEscape:
		if b.onEscape != nil {
			b.onEscape()
		}
	default:
		b.Button.TypedKey(ev)
	}
}

// FocusGained shows the focus in a readable style.
func (b *KeyButton) FocusGained() {
	if b.highContrast() && !b.restyled && (b.Importance == widget.MediumImportance || b.Importance == widget.LowImportance) {
		b.plain, b.restyled = b.Importance, true
		b.Importance = widget.HighImportance
	}
	b.Button.FocusGained()
}

// FocusLost puts the button's own style back.
func (b *KeyButton) FocusLost() {
	if b.restyled {
		b.Importance, b.restyled = b.plain, false
	}
	b.Button.FocusLost()
}
