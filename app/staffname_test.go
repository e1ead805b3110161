package app_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"canvass/survey"
	"canvass/survey/settings"
)

// TestUsernameIsTheStaffName: a form's username question records the
// staff name set in Settings, and nothing when none is set.
func TestUsernameIsTheStaffName(t *testing.T) {
	for name, tt := range map[string]struct{ staff, want string }{
		"set":     {"Sam Patel", "Sam Patel"},
		"not set": {"", ""},
	} {
		t.Run(name, func(t *testing.T) {
			r := newStaffRig(t)
			def := parkSurvey()
			def.Questions = append(def.Questions, &survey.Question{Type: survey.TypeUsername, Name: "who"})
			r.saveSurvey(def)
			if err := settings.SaveStaffName(r.ctx, r.st, tt.staff); err != nil {
				t.Fatal(err)
			}
			if err := r.home.Runner().Answer("park"); err != nil {
				t.Fatal(err)
			}
			sess := r.home.Runner().Form().Session()
			sess.Answer("visit", "no")
			if got := sess.Value("who"); got != tt.want {
				t.Errorf("username answer %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSettingsStaffName: the name typed in Settings is what forms record;
// a name with a control character is refused on screen.
func TestSettingsStaffName(t *testing.T) {
	r := newStaffRig(t)
	s, err := r.home.ShowSettings()
	if err != nil {
		t.Fatal(err)
	}
	test.Type(s.StaffName, "Sam Patel")
	test.Tap(s.StaffNameButton)
	if got, _ := settings.LoadStaffName(r.ctx, r.st); got != "Sam Patel" {
		t.Errorf("stored staff name %q", got)
	}
	s.StaffName.SetText("Sam\tPatel")
	test.Tap(s.StaffNameButton)
	if !strings.Contains(s.StaffNameMessage.Text, "control character") {
		t.Errorf("message %q", s.StaffNameMessage.Text)
	}
	if got, _ := settings.LoadStaffName(r.ctx, r.st); got != "Sam Patel" {
		t.Errorf("a refused name changed the stored one to %q", got)
	}
}
