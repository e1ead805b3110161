package app_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"canvass/app"
	"canvass/app/respondent"
	"canvass/survey"
	"canvass/survey/encryption"
	"canvass/survey/store"
)

// staffRig is the home screen on a real store in a temporary folder.
type staffRig struct {
	t    *testing.T
	ctx  context.Context
	app  fyne.App
	win  fyne.Window
	st   *store.Store
	path string
	home *app.Home
}

func newStaffRig(t *testing.T) *staffRig {
	t.Helper()
	ctx := context.Background()
	a := test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "canvass.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1200, 800))
	h := app.NewHome(ctx, a, w, st)
	h.SetBackgroundRunner(func(work, done func()) { work(); done() })
	h.Show()
	return &staffRig{t: t, ctx: ctx, app: a, win: w, st: st, path: path, home: h}
}

// parkSurvey is a small survey with a choice, a multi-choice, a number,
// free text and two personal questions.
func parkSurvey() *survey.Survey {
	return &survey.Survey{
		ID:        "park",
		Version:   1,
		Title:     survey.En("Park survey"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "visit", Label: survey.En("Do you visit the park?"), List: "yesno", Required: true},
			{Type: survey.TypeSelectMultiple, Name: "likes", Label: survey.En("What do you like?"), List: "things"},
			{Type: survey.TypeInteger, Name: "age", Label: survey.En("Your age")},
			{Type: survey.TypeText, Name: "why", Label: survey.En("Why?"), Relevant: "${visit} = 'yes'"},
			{Type: survey.TypeText, Name: "name", Label: survey.En("Your name"), Personal: true},
			{Type: survey.TypeText, Name: "email", Label: survey.En("Your email"), Personal: true},
		},
		Lists: []survey.ChoiceList{
			{Name: "yesno", Choices: []survey.Choice{{Name: "yes", Label: survey.En("Yes")}, {Name: "no", Label: survey.En("No")}}},
			{Name: "things", Choices: []survey.Choice{{Name: "ducks", Label: survey.En("Ducks")}, {Name: "trees", Label: survey.En("Trees")}, {Name: "cafe", Label: survey.En("The café")}}},
		},
	}
}

func (r *staffRig) saveSurvey(def *survey.Survey) *survey.Survey {
	r.t.Helper()
	saved, err := r.st.SaveSurvey(r.ctx, def)
	if err != nil {
		r.t.Fatalf("save survey: %v", err)
	}
	return saved
}

// respond stores a response with the given answers and status.
func (r *staffRig) respond(surveyID string, status survey.Status, answers survey.Answers) *survey.Response {
	r.t.Helper()
	resp, err := r.st.StartResponse(r.ctx, surveyID, 0, "en")
	if err != nil {
		r.t.Fatal(err)
	}
	if status == survey.StatusComplete {
		if err := r.st.Submit(r.ctx, resp.ID, answers, nil); err != nil {
			r.t.Fatal(err)
		}
		return resp
	}
	if err := r.st.SaveAnswers(r.ctx, resp.ID, answers, nil); err != nil {
		r.t.Fatal(err)
	}
	if status != survey.StatusDraft {
		if err := r.st.SetStatus(r.ctx, resp.ID, status); err != nil {
			r.t.Fatal(err)
		}
	}
	return resp
}

// lastAudit returns the newest audit line.
func (r *staffRig) lastAudit() store.AuditEntry {
	r.t.Helper()
	log, err := r.st.AuditLog(r.ctx, 1)
	if err != nil || len(log) == 0 {
		r.t.Fatalf("audit log: %v (%d lines)", err, len(log))
	}
	return log[0]
}

// setPIN stores a staff PIN hashed cheaply.
func (r *staffRig) setPIN(pin string) {
	r.t.Helper()
	p := respondent.NewStaffPIN(r.st)
	p.Cost = respondent.Argon2Cost{Memory: 1024, Time: 1, Threads: 1}
	if err := p.Set(r.ctx, pin); err != nil {
		r.t.Fatal(err)
	}
}

func TestNewSurvey(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(&survey.Survey{ID: "library_hours", Version: 1, Title: survey.En("Taken"),
		Questions: []*survey.Question{{Type: survey.TypeText, Name: "q", Label: survey.En("Q")}}})
	tests := []struct {
		title, id string
		fails     bool
	}{
		{"Library hours", "library_hours_2", false},
		{"  Carers' week: drop-in 2026!  ", "carers_week_drop_in_2026", false},
		{"Ŵyl Dewi", "yl_dewi", false},
		{"!!!", "survey", false},
		{"   ", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			def, err := r.home.SurveyList().New(tt.title)
			if tt.fails {
				if err == nil {
					t.Fatalf("NewSurvey(%q) = %s, want an error", tt.title, def.ID)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if def.ID != tt.id || def.Title["en"] != strings.TrimSpace(tt.title) {
				t.Errorf("id %q title %q, want %q %q", def.ID, def.Title["en"], tt.id, strings.TrimSpace(tt.title))
			}
			if len(def.Questions) != 1 || def.Version != 1 {
				t.Errorf("new survey %+v", def)
			}
		})
	}
}

func TestDuplicateRenameArchive(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	r.respond("park", survey.StatusComplete, survey.Answers{"visit": "no"})

	dup, err := r.home.SurveyList().Duplicate("park")
	if err != nil {
		t.Fatal(err)
	}
	if dup.ID != "park_copy" || dup.Version != 1 || dup.Title["en"] != "Park survey (copy)" {
		t.Errorf("duplicate = %s v%d %q", dup.ID, dup.Version, dup.Title["en"])
	}
	if again, err := r.home.SurveyList().Duplicate("park"); err != nil || again.ID != "park_copy_2" {
		t.Errorf("second duplicate = %v, %v; want park_copy_2", again, err)
	}
	if n := len(r.home.Surveys); n != 3 {
		t.Errorf("home lists %d surveys, want 3", n)
	}

	t.Run("rename with responses makes a new version", func(t *testing.T) {
		saved, err := r.home.SurveyList().Rename("park", "Parks and open spaces")
		if err != nil {
			t.Fatal(err)
		}
		if saved.Version != 2 || saved.Title["en"] != "Parks and open spaces" {
			t.Errorf("renamed = v%d %q", saved.Version, saved.Title["en"])
		}
		if _, err := r.home.SurveyList().Rename("park", " "); err == nil {
			t.Error("blank title accepted")
		}
	})
	t.Run("rename without responses keeps the version", func(t *testing.T) {
		saved, err := r.home.SurveyList().Rename("park_copy", "Copy renamed")
		if err != nil {
			t.Fatal(err)
		}
		if saved.Version != 1 {
			t.Errorf("version %d, want 1", saved.Version)
		}
	})
	t.Run("archive and bring back", func(t *testing.T) {
		if err := r.home.SurveyList().Archive("park_copy_2", true); err != nil {
			t.Fatal(err)
		}
		for _, s := range r.home.Surveys {
			if s.ID == "park_copy_2" {
				t.Error("archived survey still on the home screen")
			}
		}
		if a := r.lastAudit(); a.Action != "archive-survey" || a.Subject != "park_copy_2" {
			t.Errorf("audit %+v", a)
		}
		if err := r.home.SurveyList().ShowArchived(); err != nil {
			t.Fatal(err)
		}
		if err := r.home.SurveyList().Archive("park_copy_2", false); err != nil {
			t.Fatal(err)
		}
		if n := len(r.home.Surveys); n != 3 {
			t.Errorf("home lists %d surveys after bringing back, want 3", n)
		}
	})
}

func TestEventSwitchingTagsNewResponses(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	fair := survey.Event{Name: "Summer fair", Date: time.Date(2026, 7, 4, 0, 0, 0, 0, time.Local), Active: true}
	market := survey.Event{Name: "Farmers' market"}
	for _, ev := range []*survey.Event{&fair, &market} {
		if err := r.st.SaveEvent(r.ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	r.home.Refresh()
	steps := []struct {
		name   string
		do     func() error
		wantEv string
	}{
		{"first event active", func() error { return nil }, fair.ID},
		{"switch to the market", func() error { return r.st.SetActiveEvent(r.ctx, market.ID) }, market.ID},
		{"close the market", func() error { _, err := r.home.EventList().Close(market.ID, false, encryption.Lock{}); return err }, ""},
		{"back to the fair", func() error { return r.st.SetActiveEvent(r.ctx, fair.ID) }, fair.ID},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.do(); err != nil {
				t.Fatal(err)
			}
			resp, err := r.st.StartResponse(r.ctx, "park", 0, "en")
			if err != nil {
				t.Fatal(err)
			}
			if resp.EventID != s.wantEv {
				t.Errorf("new response tagged %q, want %q", resp.EventID, s.wantEv)
			}
		})
	}
	closed, err := r.st.Event(r.ctx, market.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !closed.Closed || closed.Active {
		t.Errorf("market after closing: %+v", closed)
	}
	if err := r.st.SetActiveEvent(r.ctx, market.ID); err == nil {
		t.Error("a closed event was made active")
	}
	if err := r.home.EventList().Reopen(market.ID); err != nil {
		t.Fatal(err)
	}
	if err := r.st.SetActiveEvent(r.ctx, market.ID); err != nil {
		t.Errorf("reopened event cannot be made active: %v", err)
	}
}

func TestCloseEventBacksUp(t *testing.T) {
	r := newStaffRig(t)
	ev := survey.Event{Name: "Fair", Active: true}
	if err := r.st.SaveEvent(r.ctx, &ev); err != nil {
		t.Fatal(err)
	}
	if _, err := r.home.EventList().Close(ev.ID, true, encryption.Lock{}); err == nil || !strings.Contains(err.Error(), "no backup folder") {
		t.Errorf("closing with a backup but no folder: %v", err)
	}
	folder := t.TempDir()
	if err := r.st.SetSetting(r.ctx, app.BackupFolderSetting, folder); err != nil {
		t.Fatal(err)
	}
	path, err := r.home.EventList().Close(ev.ID, true, encryption.Lock{})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != folder || !regexp.MustCompile(`^canvass-backup-\d{4}-\d\d-\d\d-\d{4}\.db$`).MatchString(filepath.Base(path)) {
		t.Errorf("backup at %s", path)
	}
	if _, err := os.Stat(path); err != nil {
		t.Error(err)
	}
}

func TestRequireStaffPIN(t *testing.T) {
	r := newStaffRig(t)
	opened := 0
	if p := r.home.StaffLock().Require(func() { opened++ }); p != nil || opened != 1 {
		t.Fatalf("without a PIN: prompt %v, opened %d; want no prompt, opened", p, opened)
	}
	r.setPIN("2468")
	p := r.home.StaffLock().Require(func() { opened++ })
	if p == nil {
		t.Fatal("no prompt with a PIN set")
	}
	test.Type(p.Entry, "1111")
	p.Submit()
	if opened != 1 || p.Message.Text == "" {
		t.Errorf("wrong PIN: opened %d, message %q", opened, p.Message.Text)
	}
	test.Type(p.Entry, "2468")
	test.Tap(p.OK)
	if opened != 2 {
		t.Errorf("right PIN did not open the screen")
	}
}
