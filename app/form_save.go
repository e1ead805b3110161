package app

import (
	"errors"
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"canvass/survey"
)

// Autosave. The form keeps two maps: answers (what the screen shows, the
// truth) and stored (what the store has confirmed). Saving writes every
// difference, each answer in its own store call, in survey order. The
// response is started on the first save after the respondent's first
// answer, so an idle kiosk stores nothing. A failed save keeps everything
// in memory, shows the banner and is retried on the next change and on a
// timer; nothing is ever dropped from answers because a save failed.

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
			fd.setError(f.checkField(fd))
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
	if f.cfg.Preview || !f.touched || f.stopped {
		return nil
	}
	if f.responseID == "" {
		resp, err := f.cfg.Store.StartResponse(f.ctx, f.s.ID, f.s.Version, f.lang)
		if err != nil {
			return f.saveFailed(fmt.Errorf("start response: %w", err))
		}
		f.responseID = resp.ID
		f.storedLang = f.lang
		if f.cfg.DeviceID == "" && resp.DeviceID != "" {
			for _, q := range f.rules.fields {
				if q.Type == survey.TypeDeviceID {
					f.answers[q.Name] = resp.DeviceID
				}
			}
		}
	}
	var errs []error
	if f.storedLang != f.lang {
		if err := f.cfg.Store.SetLanguage(f.ctx, f.responseID, f.lang); err != nil {
			errs = append(errs, fmt.Errorf("save language: %w", err))
		} else {
			f.storedLang = f.lang
		}
	}
	for _, name := range f.dirtyNames() {
		v := f.answers[name]
		if err := f.cfg.Store.SaveAnswer(f.ctx, f.responseID, name, v); err != nil {
			errs = append(errs, fmt.Errorf("save answer %q: %w", name, err))
			continue
		}
		if v == "" {
			delete(f.stored, name)
		} else {
			f.stored[name] = v
		}
	}
	if len(errs) > 0 {
		return f.saveFailed(errs[0])
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
