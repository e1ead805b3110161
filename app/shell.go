package app

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Shell is the staff window every staff screen is shown in: a bar with a
// way back, the screen's title and actions, the screen itself, and the
// status line at the foot where errors and notices appear. It also runs
// the slow work screens start (figures, searches, backups) off the main
// goroutine. Screens take a Shell; none of them knows the others.
type Shell struct {
	win    fyne.Window
	status *widget.Label
	busy   sync.WaitGroup
	// runner, when set, runs background work instead of a goroutine (tests).
	runner func(work, done func())
}

// NewShell makes the staff shell of w.
func NewShell(w fyne.Window) *Shell {
	s := &Shell{win: w, status: widget.NewLabel("")}
	s.status.Wrapping = fyne.TextWrapWord
	return s
}

// Window is the window the shell shows screens in.
func (s *Shell) Window() fyne.Window { return s.win }

// SetContent gives the window back to staff with content in it: not
// fullscreen, closable, no keys left with a form, no stale notice.
func (s *Shell) SetContent(content fyne.CanvasObject) {
	s.win.SetFullScreen(false)
	s.win.SetCloseIntercept(nil)
	s.win.Canvas().SetOnTypedKey(nil) // a form that was shown may have taken the keys
	s.win.Canvas().SetOnTypedRune(nil)
	s.status.SetText("") // a notice from the screen staff just left is stale here
	s.win.SetContent(content)
}

// Show puts a staff screen in the window: a bar with "← backLabel" ("←
// Home" when empty) running back, the title and actions, and body under
// it, with the status line at the foot. It returns the back button.
func (s *Shell) Show(title string, body fyne.CanvasObject, back func(), backLabel string, actions ...fyne.CanvasObject) *widget.Button {
	if backLabel == "" {
		backLabel = lang.L("Home")
	}
	home := widget.NewButtonWithIcon(backLabel, theme.NavigateBackIcon(), back)
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameSubHeadingText
	heading.Truncation = fyne.TextTruncateEllipsis
	bar := container.NewBorder(nil, nil, home, container.NewHBox(actions...), heading)
	top := container.NewVBox(container.NewPadded(bar), widget.NewSeparator())
	s.SetContent(container.NewBorder(top, s.StatusBar(), nil, nil, container.NewPadded(body)))
	return home
}

// StatusBar is the line at the foot of every staff screen where errors and
// notices appear. It is always there, so a message never moves the buttons
// a member of staff is about to press.
func (s *Shell) StatusBar() fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), s.status)
}

// ShowError shows err in the status line.
func (s *Shell) ShowError(err error) {
	s.status.Importance = widget.DangerImportance
	s.status.SetText(err.Error())
}

// ShowNotice shows a message in the status line.
func (s *Shell) ShowNotice(msg string) {
	s.status.Importance = widget.SuccessImportance
	s.status.SetText(msg)
}

// ShowsError reports whether the status line shows an error.
func (s *Shell) ShowsError() bool {
	return s.status.Text != "" && s.status.Importance == widget.DangerImportance
}

// Status returns the text of the status line (the last error or notice), or "" when there is none.
func (s *Shell) Status() string { return s.status.Text }

// Background runs work off the main goroutine, then done on it. Wait waits for it.
func (s *Shell) Background(work func(), done func()) {
	if s.runner != nil {
		s.runner(work, done)
		return
	}
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		work()
		fyne.DoAndWait(done)
	}()
}

// Wait blocks until the background work started by staff screens (dashboard
// figures, backups) has finished and its results are on screen. Call it
// from a goroutine other than the Fyne main one (tests).
func (s *Shell) Wait() { s.busy.Wait() }

// SetBackgroundRunner replaces how slow work runs. By default work runs on
// a goroutine and done on the main goroutine; headless tests pass a runner
// that calls both in place, so that done runs on the test goroutine as it
// would on the real main one.
func (s *Shell) SetBackgroundRunner(run func(work, done func())) { s.runner = run }
