package app

import (
	"context"
	"errors"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"canvass/survey/encryption"
	"canvass/survey/store"
)

// The staff screens encrypt what leaves the laptop (survey/encryption):
// secrets asks for what the Settings choice does not give — the choice
// itself the first time, the shared passphrase each time — and what opens
// an encrypted file. A plain file needs an explicit choice past a warning
// that names the personal questions in it.

// secrets asks staff for locks and keys over a window.
type secrets struct {
	ctx context.Context
	win fyne.Window
	st  *store.Store
	// Prompt is the dialog asking right now (nil when none), for tests.
	Prompt *SecretPrompt
	busy   sync.WaitGroup // passphrase checks running in the background
}

// Wait blocks until a passphrase check running in the background has
// ended. Call it from a goroutine other than the Fyne main one (tests).
func (s *secrets) Wait() { s.busy.Wait() }

// SecretPrompt is a dialog that asks for a choice or a passphrase. Its
// widgets are exposed so that tests can fill it in.
type SecretPrompt struct {
	Mode       *widget.RadioGroup // the choice (nil when only a passphrase is asked)
	PublicKey  *widget.Entry      // with the public-key choice
	Passphrase *widget.Entry
	Again      *widget.Entry // the passphrase again, for a new file (nil when opening)
	OK         *widget.Button
	Message    *widget.Label
	dlg        *dialog.CustomDialog
}

// The choices of the first-time prompt, in order.
func modeOptions() []string {
	return []string{
		lang.L("A passphrase shared by the council's staff"),
		lang.L("The analyst's public key (only the analyst's laptop can open the files)"),
		lang.L("Not encrypted, this once (not recommended)"),
	}
}

// lock gets the lock for a new file holding what (a bundle, a backup):
// the public key from Settings; else the passphrase, typed twice; else,
// with no choice made yet, the choice first (stored unless it is "not
// encrypted"). then runs with the zero Lock only after staff confirmed a
// plain file past the warning. Nothing runs when staff cancel.
func (s *secrets) lock(what string, then func(encryption.Lock)) {
	choice, err := encryption.LoadChoice(s.ctx, s.st)
	if err != nil {
		dialog.ShowError(err, s.win)
		return
	}
	switch choice.Mode {
	case encryption.PublicKey:
		if l, ok := choice.Lock(); ok {
			then(l)
			return
		}
	case encryption.Passphrase:
		var l encryption.Lock
		s.askPassphrase(what, true, func(p string) error {
			var err error
			if l, err = encryption.PassphraseLock(p); err != nil {
				return errors.New(lang.L("The passphrase needs at least {{.N}} characters.", map[string]any{"N": encryption.MinPassphrase}))
			}
			return nil
		}, func() { then(l) })
		return
	}
	s.askChoice(what, then)
}

// askChoice asks how files are encrypted, the first time.
func (s *secrets) askChoice(what string, then func(encryption.Lock)) {
	p := &SecretPrompt{}
	s.Prompt = p
	p.Mode = widget.NewRadioGroup(modeOptions(), nil)
	p.PublicKey = widget.NewEntry()
	p.PublicKey.SetPlaceHolder("age1…")
	p.PublicKey.Hide()
	p.Mode.OnChanged = func(v string) {
		if v == modeOptions()[1] {
			p.PublicKey.Show()
		} else {
			p.PublicKey.Hide()
		}
	}
	p.Message = widget.NewLabel("")
	p.Message.Wrapping = fyne.TextWrapWord
	intro := widget.NewLabel(lang.L("Bundles and backups carry personal answers off this laptop, so Canvass encrypts them. How should they be encrypted? Settings keeps the choice; it can be changed there."))
	intro.Wrapping = fyne.TextWrapWord
	p.OK = widget.NewButton(lang.L("Continue"), func() {
		switch p.Mode.Selected {
		case modeOptions()[0]:
			if fail(p, encryption.SaveChoice(s.ctx, s.st, encryption.Choice{Mode: encryption.Passphrase})) {
				return
			}
			p.dlg.Hide()
			s.lock(what, then)
		case modeOptions()[1]:
			c := encryption.Choice{Mode: encryption.PublicKey, PublicKey: p.PublicKey.Text}
			if fail(p, encryption.SaveChoice(s.ctx, s.st, c)) {
				return
			}
			p.dlg.Hide()
			s.lock(what, then)
		case modeOptions()[2]:
			p.dlg.Hide()
			s.confirmPlain(what, then)
		default:
			fail(p, errors.New(lang.L("Choose one.")))
		}
	})
	p.OK.Importance = widget.HighImportance
	s.show(p, lang.L("Encrypt files that leave this laptop"), container.NewVBox(intro, p.Mode, p.PublicKey, p.Message))
}

// confirmPlain warns before a plain file, naming its personal questions.
func (s *secrets) confirmPlain(what string, then func(encryption.Lock)) {
	personal, err := s.st.PersonalData(s.ctx, "")
	if err != nil {
		dialog.ShowError(err, s.win)
		return
	}
	names := store.DescribePersonal(personal)
	if names == "" {
		names = lang.L("none flagged personal, but free-text answers may still name people")
	}
	msg := widget.NewLabel(lang.L("The {{.What}} will NOT be encrypted: anyone who finds the file can read every answer in it. Personal questions in it: {{.Names}}",
		map[string]any{"What": what, "Names": names}))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(lang.L("Save without encryption?"), lang.L("Save unencrypted"), lang.L("Cancel"), msg, func(ok bool) {
		if ok {
			then(encryption.Lock{})
		}
	}, s.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Resize(fyne.NewSize(560, 300))
	d.Show()
}

// askPassphrase asks for the passphrase (twice when twice) and calls check
// with it; an error from check is shown in the dialog, which stays open.
// Otherwise the dialog closes first — closing a dialog also closes any shown
// after it — and then runs next.
func (s *secrets) askPassphrase(what string, twice bool, check func(string) error, next func()) {
	p := &SecretPrompt{}
	s.Prompt = p
	p.Passphrase = widget.NewPasswordEntry()
	p.Passphrase.SetPlaceHolder(lang.L("Passphrase"))
	items := []fyne.CanvasObject{p.Passphrase}
	intro := lang.L("Type the passphrase that opens the {{.What}}.", map[string]any{"What": what})
	if twice {
		intro = lang.L("Type the council's shared passphrase (at least {{.N}} characters) twice. The {{.What}} opens only with it; it is not stored anywhere.",
			map[string]any{"What": what, "N": encryption.MinPassphrase})
		p.Again = widget.NewPasswordEntry()
		p.Again.SetPlaceHolder(lang.L("Passphrase again"))
		items = append(items, p.Again)
	}
	p.Message = widget.NewLabel("")
	p.Message.Wrapping = fyne.TextWrapWord
	label := widget.NewLabel(intro)
	label.Wrapping = fyne.TextWrapWord
	p.OK = widget.NewButton(lang.L("OK"), func() {
		if twice && p.Passphrase.Text != p.Again.Text {
			fail(p, errors.New(lang.L("The two passphrases are not the same.")))
			return
		}
		if fail(p, check(p.Passphrase.Text)) {
			return
		}
		p.dlg.Hide()
		next()
	})
	p.OK.Importance = widget.HighImportance
	submit := func(string) { p.OK.OnTapped() }
	p.Passphrase.OnSubmitted = submit
	if p.Again != nil {
		p.Again.OnSubmitted = submit
	}
	s.show(p, lang.L("Passphrase"), container.NewVBox(append([]fyne.CanvasObject{label}, append(items, p.Message)...)...))
	s.win.Canvas().Focus(p.Passphrase)
}

// show opens p's dialog with a Cancel button.
func (s *secrets) show(p *SecretPrompt, title string, content fyne.CanvasObject) {
	p.dlg = dialog.NewCustomWithoutButtons(title, content, s.win)
	cancel := widget.NewButton(lang.L("Cancel"), func() { p.dlg.Hide() })
	p.dlg.SetButtons([]fyne.CanvasObject{cancel, p.OK})
	p.dlg.Resize(fyne.NewSize(560, 0))
	p.dlg.Show()
}

// fail shows err in the prompt and reports whether there was one.
func fail(p *SecretPrompt, err error) bool {
	if err == nil {
		return false
	}
	p.Message.SetText(err.Error())
	p.Message.Importance = widget.DangerImportance
	p.Message.Refresh()
	return true
}

// key gets what opens the file at path: nothing for a plain file; the
// private key file named in Settings for a file encrypted to a public key;
// the passphrase, asked for, otherwise. work runs with the key (it opens
// the file; no widgets), then done on the UI goroutine. With a passphrase,
// work runs in the background (scrypt and decrypting take seconds) and its
// error is shown in the prompt, which stays open; otherwise both run at
// once and work's error is returned.
func (s *secrets) key(path, what string, work func(encryption.Key) error, done func()) error {
	check := func(k encryption.Key) error {
		if err := work(k); err != nil {
			return err
		}
		done()
		return nil
	}
	sealed, err := encryption.IsSealed(path)
	if err != nil {
		return err
	}
	if !sealed {
		return check(encryption.Key{})
	}
	pass, err := encryption.NeedsPassphrase(path)
	if err != nil {
		return err
	}
	if !pass {
		choice, err := encryption.LoadChoice(s.ctx, s.st)
		if err != nil {
			return err
		}
		if choice.IdentityFile == "" {
			return errors.New(lang.L("It is encrypted to the analyst's public key: on the analyst's laptop, name the private key file in Settings → Encryption."))
		}
		k, err := encryption.ReadIdentityFile(choice.IdentityFile)
		if err != nil {
			return err
		}
		return check(k)
	}
	s.askPassphraseInBackground(what, func(p string) error { return work(encryption.PassphraseKey(p)) }, done)
	return nil
}

// askPassphraseInBackground asks for the passphrase of an existing file and
// runs work with it off the UI goroutine, saying it is checking meanwhile;
// on success the prompt closes and done runs on the UI goroutine.
func (s *secrets) askPassphraseInBackground(what string, work func(string) error, done func()) {
	s.askPassphrase(what, false, nil, nil) // OK is replaced below
	p := s.Prompt
	p.OK.OnTapped = func() {
		passphrase := p.Passphrase.Text
		p.OK.Disable()
		p.Message.Importance = widget.MediumImportance
		p.Message.SetText(lang.L("Checking the passphrase and the file…"))
		s.busy.Add(1)
		go func() {
			defer s.busy.Done()
			err := work(passphrase)
			fyne.Do(func() {
				p.OK.Enable()
				if fail(p, err) {
					return
				}
				p.dlg.Hide()
				done()
			})
		}()
	}
	p.Passphrase.OnSubmitted = func(string) { p.OK.OnTapped() }
}

// describeLock says what opens a file made with l, for a notice.
func describeLock(l encryption.Lock) string {
	if l.IsZero() {
		return lang.L("not encrypted")
	}
	return lang.L("encrypted: it opens with {{.What}}", map[string]any{"What": l.Describe()})
}
