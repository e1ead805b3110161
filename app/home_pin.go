package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/app/respondent"
	"canvass/survey/store"
)

// PINInvitation is the home screen's banner that invites staff to set a
// staff PIN while none is set: until then anyone at the laptop can read,
// export and erase responses.
type PINInvitation struct {
	Box       *fyne.Container // empty when the banner is not shown
	SetButton *widget.Button  // opens Settings at the Staff PIN card
	NotNow    *widget.Button  // hides the banner until the app starts again
	dismissed bool
	ctx       context.Context
	store     func() *store.Store // the store in use (a restore reopens it)
	fail      func(error)
}

// newPINInvitation builds the (still empty) banner, asking the store st
// returns whether a PIN is set; Set opens settings, fail shows what went wrong.
func newPINInvitation(ctx context.Context, st func() *store.Store, settings func() error, fail func(error)) *PINInvitation {
	inv := &PINInvitation{Box: container.NewVBox(), ctx: ctx, store: st, fail: fail}
	inv.SetButton = widget.NewButtonWithIcon(lang.L("Set a staff PIN…"), theme.AccountIcon(), func() {
		if err := settings(); err != nil {
			fail(err)
		}
	})
	inv.SetButton.Importance = widget.HighImportance
	inv.NotNow = widget.NewButton(lang.L("Not now"), func() {
		inv.dismissed = true
		inv.refresh()
	})
	return inv
}

// Shown reports whether the banner is on the home screen.
func (inv *PINInvitation) Shown() bool { return len(inv.Box.Objects) > 0 }

// refresh shows the banner while no staff PIN is set and staff have not
// dismissed it, and removes it otherwise.
func (inv *PINInvitation) refresh() {
	set, err := respondent.NewStaffPIN(inv.store()).IsSet(inv.ctx)
	if err != nil {
		inv.fail(err)
		return
	}
	inv.Box.RemoveAll()
	if !set && !inv.dismissed {
		text := widget.NewLabel(lang.L("No staff PIN yet: anyone at this laptop can read, export, back up and erase responses. Set a staff PIN before the first event; it also lets you leave kiosk mode."))
		text.Wrapping = fyne.TextWrapWord
		text.Importance = widget.WarningImportance
		inv.Box.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()),
			container.NewHBox(inv.NotNow, inv.SetButton), text))
	}
	inv.Box.Refresh()
}
