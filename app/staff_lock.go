package app

import (
	"context"
	"os/user"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/app/respondent"
	"canvass/survey/store"
)

// StaffUnlockWindow is how long a right staff PIN keeps the protected
// actions open; kiosk mode starting closes them at once.
const StaffUnlockWindow = 5 * time.Minute

// StaffLock guards every action that reads or removes personal data
// (responses, export, backup, bundles, restore, erase, merge) with the
// staff PIN, and remembers for StaffUnlockWindow that it was given.
type StaffLock struct {
	ctx   context.Context
	store func() *store.Store // the store in use (a restore reopens it)
	win   fyne.Window
	fail  func(error)
	// unlockedUntil ends the window a right staff PIN opened.
	unlockedUntil time.Time
	// now, when set, is the unlock window's clock (tests).
	now func() time.Time
}

// NewStaffLock makes the lock that asks for the PIN over w, checking it
// against the store st returns; fail shows what went wrong.
func NewStaffLock(ctx context.Context, st func() *store.Store, w fyne.Window, fail func(error)) *StaffLock {
	return &StaffLock{ctx: ctx, store: st, win: w, fail: fail}
}

// PINPrompt asks for the staff PIN before a protected screen opens.
type PINPrompt struct {
	Entry   *widget.Entry
	Message *widget.Label
	OK      *widget.Button
	dlg     *dialog.CustomDialog
	then    func()
	lock    *StaffLock
}

// Require runs then at once when no staff PIN is set or the PIN was given
// within StaffUnlockWindow; otherwise it asks for the PIN and runs then
// once it is right. The prompt is returned (nil when none was needed).
func (l *StaffLock) Require(then func()) *PINPrompt {
	set, err := respondent.NewStaffPIN(l.store()).IsSet(l.ctx)
	if err != nil {
		l.fail(err)
		return nil
	}
	if !set || l.unlocked() {
		then()
		return nil
	}
	p := &PINPrompt{Entry: widget.NewPasswordEntry(), Message: widget.NewLabel(""), then: then, lock: l}
	p.Entry.SetPlaceHolder(lang.L("Staff PIN"))
	p.Entry.OnSubmitted = func(string) { p.Submit() }
	p.Message.Importance = widget.DangerImportance
	p.Message.Wrapping = fyne.TextWrapWord
	p.OK = widget.NewButtonWithIcon(lang.L("Open"), theme.ConfirmIcon(), p.Submit)
	p.OK.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), func() { p.dlg.Hide() })
	intro := widget.NewLabel(lang.L("Staff only: enter the staff PIN to go on."))
	intro.Wrapping = fyne.TextWrapWord
	p.dlg = dialog.NewCustomWithoutButtons(lang.L("Staff PIN"), container.NewVBox(intro, p.Entry, p.Message), l.win)
	p.dlg.SetButtons([]fyne.CanvasObject{cancel, p.OK})
	p.dlg.Resize(fyne.NewSize(420, 240))
	p.dlg.Show()
	l.win.Canvas().Focus(p.Entry)
	return p
}

// unlocked reports whether a right PIN was given within StaffUnlockWindow.
func (l *StaffLock) unlocked() bool { return l.clock().Before(l.unlockedUntil) }

// Lock closes the unlock window, so the next protected action asks for
// the PIN again (kiosk mode calls it when it starts).
func (l *StaffLock) Lock() { l.unlockedUntil = time.Time{} }

// SetClock replaces the clock of the unlock window (tests).
func (l *StaffLock) SetClock(now func() time.Time) { l.now = now }

// clock is the unlock window's clock.
func (l *StaffLock) clock() time.Time {
	if l.now != nil {
		return l.now()
	}
	return time.Now()
}

// Submit checks the PIN typed and, when it is right, closes the prompt and opens the screen.
func (p *PINPrompt) Submit() {
	l := p.lock
	ok, err := respondent.NewStaffPIN(l.store()).Verify(l.ctx, p.Entry.Text)
	switch {
	case err != nil:
		p.Message.SetText(err.Error())
	case !ok:
		p.Message.SetText(lang.L("That is not the staff PIN."))
		p.Entry.SetText("")
	default:
		l.unlockedUntil = l.clock().Add(StaffUnlockWindow)
		p.dlg.Hide()
		p.then()
	}
}

// staffActor names who does things in the audit log: staff, and the
// operating-system account when it is known.
func staffActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "staff (" + u.Username + ")"
	}
	return "staff"
}
