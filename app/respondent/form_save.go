package respondent

import (
	"errors"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
)

// Autosave. The engine session knows which answers the store has not
// confirmed and writes each in its own store call (see run.Session.Save);
// the form decides when: at once for choices, focus loss and Back/Next,
// and once typing pauses for typed text. A failed save keeps everything
// in memory, shows the banner and is retried on the next change and on a
// timer; nothing is ever dropped because a save failed.

// saveNow saves at once (choices, focus loss, Back/Next), ending any pending typed-text delay.
func (f *Form) saveNow() {
	f.save()
}

// saveLater saves once typing has paused for SaveDelay.
func (f *Form) saveLater() {
	if f.cfg.Preview {
		return
	}
	if f.stopSave != nil {
		f.stopSave()
	}
	f.stopSave = f.sched.AfterFunc(f.cfg.SaveDelay, func() {
		f.stopSave = nil
		if f.stopped {
			return
		}
		f.save()
		if fd := f.fields[f.typedField]; fd != nil && !fd.box.Hidden {
			fd.setError(f.sess.Check(fd.key).Message)
		}
	})
}

// save writes every unsaved answer to the store and returns the first
// failure (also shown in the banner, with a retry scheduled).
func (f *Form) save() error {
	if f.stopSave != nil {
		f.stopSave()
		f.stopSave = nil
	}
	if f.cfg.Preview || !f.sess.Started() || f.stopped {
		return nil
	}
	if err := f.sess.Save(f.ctx); err != nil {
		return f.saveFailed(err)
	}
	f.saveOK()
	return nil
}

// saveFailed shows the banner and schedules a retry; it returns err.
func (f *Form) saveFailed(err error) error {
	f.saveErr = err
	f.bannerText.SetText(lang.L("Your answers are safe on this screen; we could not save to disk: {{.Reason}}. Please tell a member of staff.",
		map[string]any{"Reason": reason(err)}))
	f.banner.Show()
	if f.stopRetry == nil && !f.stopped {
		f.stopRetry = f.sched.AfterFunc(f.cfg.RetryDelay, func() {
			f.stopRetry = nil
			f.save()
		})
	}
	return err
}

// saveOK hides the banner once everything is stored.
func (f *Form) saveOK() {
	f.saveErr = nil
	if f.stopRetry != nil {
		f.stopRetry()
		f.stopRetry = nil
	}
	if !f.banner.Hidden {
		f.banner.Hide()
	}
}

// reason is the innermost message of err: "disk full" rather than the whole chain.
func reason(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

// refreshColours colours the background and the banner for the current theme.
func (f *Form) refreshColours() {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	f.background.FillColor = f.th.Color(theme.ColorNameBackground, v)
	f.background.Refresh()
	w := f.th.Color(theme.ColorNameWarning, v)
	r, g, b, _ := w.RGBA()
	f.bannerBg.FillColor = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0x38}
	f.bannerBg.StrokeColor = w
	f.bannerBg.StrokeWidth = 2
	f.bannerBg.CornerRadius = f.th.Size(theme.SizeNameInputRadius)
	f.bannerBg.Refresh()
}
