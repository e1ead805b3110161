package app_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"canvass/app"
	"canvass/app/respondent"
	"canvass/survey/settings"
)

func TestSettingsPIN(t *testing.T) {
	r := newStaffRig(t)
	s, err := r.home.ShowSettings()
	if err != nil {
		t.Fatal(err)
	}
	if s.PINCurrent.Visible() {
		t.Error("current PIN asked before any PIN is set")
	}
	steps := []struct {
		name                string
		current, new, again string
		ok                  bool
		message             string // the message after a step that succeeds
	}{
		{"mismatch", "", "1234", "1235", false, ""},
		{"too short", "", "12", "12", false, ""},
		{"first PIN", "", "1234", "1234", true, "The staff PIN is set. Keep it safe: it is needed to leave kiosk mode."},
		{"wrong current", "9999", "5678", "5678", false, ""},
		{"change", "1234", "5678", "5678", true, "The staff PIN has been changed."},
	}
	for _, st := range steps {
		s.PINCurrent.SetText(st.current)
		s.PINNew.SetText(st.new)
		s.PINAgain.SetText(st.again)
		err := s.ChangePIN()
		if (err == nil) != st.ok {
			t.Errorf("%s: err %v, want ok %v", st.name, err, st.ok)
		}
		if !st.ok && s.PINMessage.Text == "" {
			t.Errorf("%s: no message", st.name)
		}
		if st.ok && s.PINMessage.Text != st.message {
			t.Errorf("%s: message %q, want %q", st.name, s.PINMessage.Text, st.message)
		}
	}
	ok, err := respondent.NewStaffPIN(r.st).Verify(r.ctx, "5678")
	if err != nil || !ok {
		t.Errorf("the changed PIN does not verify: %v %v", ok, err)
	}
	if a := r.lastAudit(); a.Action != "change-pin" || a.Detail != "" {
		t.Errorf("audit %+v", a)
	}
}

func TestSettingsKioskAndExport(t *testing.T) {
	r := newStaffRig(t)
	s, err := r.home.ShowSettings()
	if err != nil {
		t.Fatal(err)
	}
	if s.IdleSeconds.Text != "90" || s.ThanksSeconds.Text != "5" {
		t.Errorf("defaults shown %q %q", s.IdleSeconds.Text, s.ThanksSeconds.Text)
	}
	for _, tt := range []struct{ idle, thanks string }{{"5", "5"}, {"ninety", "5"}, {"90", "0"}, {"90", "61"}} {
		s.IdleSeconds.SetText(tt.idle)
		s.ThanksSeconds.SetText(tt.thanks)
		if err := s.SaveKiosk(); err == nil {
			t.Errorf("idle %q thanks %q accepted", tt.idle, tt.thanks)
		}
	}
	s.IdleSeconds.SetText("120")
	s.ThanksSeconds.SetText("8")
	test.Tap(s.KioskButton)
	for key, want := range map[string]string{app.KioskIdleSetting: "120", app.KioskThanksSetting: "8"} {
		if v, _, _ := r.st.Setting(r.ctx, key); v != want {
			t.Errorf("%s = %q, want %q", key, v, want)
		}
	}

	test.Tap(s.NoPersonal)
	test.Tap(s.CompleteOnly)
	d, err := settings.LoadExport(r.ctx, r.st)
	if err != nil {
		t.Fatal(err)
	}
	if d != (settings.Export{CompleteOnly: true, NoPersonal: true}) {
		t.Errorf("export defaults %+v", d)
	}

	// The Export dialog obeys what was set here.
	r.saveSurvey(parkSurvey())
	dlg, err := app.ShowExport(r.ctx, r.win, r.st, "park")
	if err != nil {
		t.Fatal(err)
	}
	if !dlg.CompleteOnly.Checked || !dlg.NoPersonal.Checked || dlg.Codes.Checked || dlg.Long.Checked {
		t.Errorf("the Export dialog opens with complete only %v, no personal %v, codes %v, long %v; want the Settings' true, true, false, false",
			dlg.CompleteOnly.Checked, dlg.NoPersonal.Checked, dlg.Codes.Checked, dlg.Long.Checked)
	}

	s.Theme.SetSelected("Dark")
	if got := r.app.Preferences().String(respondent.ThemePreference); got != respondent.ThemeDark {
		t.Errorf("theme preference %q", got)
	}
}

// The wheel scrolls Settings with the pointer over an input field too.
func TestSettingsWheelScrollsOverInputs(t *testing.T) {
	r := newStaffRig(t)
	s, err := r.home.ShowSettings()
	if err != nil {
		t.Fatal(err)
	}
	r.win.Resize(fyne.NewSize(1366, 768))
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.StaffName).Add(fyne.NewPos(10, 10))
	test.Scroll(r.win.Canvas(), pos, 0, -120)
	if s.Page.Offset.Y <= 0 {
		t.Errorf("the wheel over the staff name field left Settings at offset %v", s.Page.Offset.Y)
	}
}
