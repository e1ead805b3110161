package app_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"canvass/app"
	"canvass/export"
	"canvass/survey"
	"canvass/survey/encryption"
	"canvass/survey/store"
)

// exportRig is a store with a small survey answered at two events, and a
// window to show the Export dialog in.
type exportRig struct {
	t      *testing.T
	ctx    context.Context
	st     *store.Store
	win    fyne.Window
	mu     sync.Mutex
	now    time.Time // the store's clock
	town   survey.Event
	stall  survey.Event
	folder string // where exports go
}

func newExportRig(t *testing.T) *exportRig {
	t.Helper()
	test.NewTempApp(t)
	r := &exportRig{t: t, ctx: context.Background(), now: time.Date(2026, 3, 14, 10, 0, 0, 0, time.Local), folder: t.TempDir()}
	st, err := store.Open(r.ctx, filepath.Join(t.TempDir(), "canvass.db"), store.WithClock(r.clock))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	r.st = st
	r.win = test.NewTempWindow(t, nil)
	r.win.Resize(fyne.NewSize(1200, 800))
	if _, err := st.SaveSurvey(r.ctx, allotmentSurvey()); err != nil {
		t.Fatal(err)
	}
	r.town = r.event("Town hall", time.Date(2026, 3, 14, 0, 0, 0, 0, time.Local))
	r.stall = r.event("Library stall", time.Date(2026, 3, 21, 0, 0, 0, 0, time.Local))

	// Town hall, 14 March: two complete, one abandoned.
	r.activate(r.town)
	r.respond(survey.StatusComplete, survey.Answers{"plot": "yes", "name": "Ann"})
	r.respond(survey.StatusComplete, survey.Answers{"plot": "no"})
	r.respond(survey.StatusAbandoned, survey.Answers{"plot": "yes"})
	// Library stall, 21 March: one complete, one draft.
	r.setNow(time.Date(2026, 3, 21, 15, 0, 0, 0, time.Local))
	r.activate(r.stall)
	r.respond(survey.StatusComplete, survey.Answers{"plot": "no", "name": "Bob"})
	r.respond(survey.StatusDraft, survey.Answers{"plot": "yes"})
	return r
}

// allotmentSurvey has a choice and a personal text question.
func allotmentSurvey() *survey.Survey {
	return &survey.Survey{
		ID:        "allotments",
		Version:   1,
		Title:     survey.En("Allotments"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "plot", Label: survey.En("Do you have a plot?"), List: "yesno"},
			{Type: survey.TypeText, Name: "name", Label: survey.En("Your name"), Personal: true},
		},
		Lists: []survey.ChoiceList{{Name: "yesno", Choices: []survey.Choice{{Name: "yes", Label: survey.En("Yes")}, {Name: "no", Label: survey.En("No")}}}},
	}
}

func (r *exportRig) clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.now = r.now.Add(time.Minute)
	return r.now
}

func (r *exportRig) setNow(t time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.now = t
}

func (r *exportRig) event(name string, day time.Time) survey.Event {
	r.t.Helper()
	ev := survey.Event{Name: name, Date: day}
	if err := r.st.SaveEvent(r.ctx, &ev); err != nil {
		r.t.Fatal(err)
	}
	return ev
}

func (r *exportRig) activate(ev survey.Event) {
	r.t.Helper()
	if err := r.st.SetActiveEvent(r.ctx, ev.ID); err != nil {
		r.t.Fatal(err)
	}
}

func (r *exportRig) respond(status survey.Status, answers survey.Answers) {
	r.t.Helper()
	resp, err := r.st.StartResponse(r.ctx, "allotments", 0, "en")
	if err != nil {
		r.t.Fatal(err)
	}
	switch status {
	case survey.StatusComplete:
		err = r.st.Submit(r.ctx, resp.ID, answers, nil)
	default:
		err = r.st.SaveAnswers(r.ctx, resp.ID, answers, nil)
		if err == nil && status != survey.StatusDraft {
			err = r.st.SetStatus(r.ctx, resp.ID, status)
		}
	}
	if err != nil {
		r.t.Fatal(err)
	}
}

// open shows the Export dialog for the allotments survey, with "Save
// without a password" ticked: these tests read the files back plain
// (TestExportDialogEncryption covers the default).
func (r *exportRig) open() *app.ExportDialog {
	r.t.Helper()
	d, err := app.ShowExport(r.ctx, r.win, r.st, "allotments")
	if err != nil {
		r.t.Fatalf("ShowExport: %v", err)
	}
	d.Unencrypted.SetChecked(true)
	return d
}

// exportTo runs the export to path and waits for it.
func (r *exportRig) exportTo(d *app.ExportDialog, path string) {
	r.t.Helper()
	if err := d.ExportTo(path); err != nil {
		r.t.Fatalf("ExportTo(%s): %v", path, err)
	}
	d.Wait()
}

// eventIndex is the index of ev in the dialog's event list.
func eventIndex(t *testing.T, d *app.ExportDialog, ev survey.Event) int {
	t.Helper()
	for i, o := range d.Event.Options {
		if strings.HasPrefix(o, ev.Name) {
			return i
		}
	}
	t.Fatalf("event %q is not offered: %q", ev.Name, d.Event.Options)
	return 0
}

func day(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func TestExportDialogOptions(t *testing.T) {
	local := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.Local) }
	cases := []struct {
		name     string
		set      func(r *exportRig, d *app.ExportDialog)
		want     export.Options // compared field by field below
		matching string         // the count shown
		err      string         // part of the error, when the options are refused
	}{
		{name: "defaults", set: func(*exportRig, *app.ExportDialog) {},
			want: export.Options{}, matching: "5 responses match these options"},
		{name: "one event", set: func(r *exportRig, d *app.ExportDialog) { d.Event.SetSelectedIndex(eventIndex(r.t, d, r.stall)) },
			want: export.Options{EventID: "stall"}, matching: "2 responses match these options"},
		{name: "back to all events", set: func(r *exportRig, d *app.ExportDialog) {
			d.Event.SetSelectedIndex(1)
			d.Event.SetSelected("All events")
		}, want: export.Options{}, matching: "5 responses match"},
		{name: "date range", set: func(r *exportRig, d *app.ExportDialog) {
			d.From.SetDate(day(2026, 3, 14))
			d.To.SetDate(day(2026, 3, 14))
		}, want: export.Options{From: local(2026, 3, 14), To: local(2026, 3, 15)}, matching: "3 responses match"},
		{name: "from only", set: func(r *exportRig, d *app.ExportDialog) { d.From.SetDate(day(2026, 3, 15)) },
			want: export.Options{From: local(2026, 3, 15)}, matching: "2 responses match"},
		{name: "days the wrong way round", set: func(r *exportRig, d *app.ExportDialog) {
			d.From.SetDate(day(2026, 3, 21))
			d.To.SetDate(day(2026, 3, 14))
		}, err: "The first day is after the last day"},
		{name: "a date that is not one", set: func(r *exportRig, d *app.ExportDialog) { d.To.SetText("next Tuesday") },
			err: "“next Tuesday” is not a date"},
		{name: "a good date spoilt by typing", set: func(r *exportRig, d *app.ExportDialog) {
			d.From.SetDate(day(2026, 3, 14))
			d.From.SetText(d.From.Text + "x")
		}, err: "is not a date"},
		{name: "every check", set: func(r *exportRig, d *app.ExportDialog) {
			for _, c := range []fyne.Tappable{d.CompleteOnly, d.NoPersonal, d.Codes, d.Long} {
				test.Tap(c)
			}
		}, want: export.Options{CompleteOnly: true, NoPersonal: true, Codes: true, Long: true}, matching: "3 responses match"},
		{name: "passwords that match", set: func(r *exportRig, d *app.ExportDialog) {
			test.Type(d.Password, "s3cret pass")
			test.Type(d.Confirm, "s3cret pass")
		}, want: export.Options{Password: "s3cret pass"}},
		{name: "passwords that differ", set: func(r *exportRig, d *app.ExportDialog) {
			test.Type(d.Password, "s3cret pass")
			test.Type(d.Confirm, "s3cret pas")
		}, err: "The two passwords are not the same"},
		{name: "CSV encrypts with the password instead", set: func(r *exportRig, d *app.ExportDialog) {
			test.Type(d.Password, "s3cret pass")
			test.Type(d.Confirm, "s3cret pass")
			d.Format.SetSelected(d.Format.Options[1])
		}, want: export.Options{}},
		{name: "CSV password too short", set: func(r *exportRig, d *app.ExportDialog) {
			test.Type(d.Password, "short")
			test.Type(d.Confirm, "short")
			d.Format.SetSelected(d.Format.Options[1])
		}, err: "at least 10 characters"},
		{name: "personal questions need a password", set: func(r *exportRig, d *app.ExportDialog) {
			d.Unencrypted.SetChecked(false)
		}, err: "holds personal questions (name)"},
		{name: "no personal questions, no password needed", set: func(r *exportRig, d *app.ExportDialog) {
			d.Unencrypted.SetChecked(false)
			test.Tap(d.NoPersonal)
		}, want: export.Options{NoPersonal: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newExportRig(t)
			d := r.open()
			c.set(r, d)
			got, err := d.Options()
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("Options() error = %v, want one saying %q", err, c.err)
				}
				test.Tap(d.ExportButton)
				if !d.Message.Visible() || !strings.Contains(d.Message.Text, c.err) {
					t.Errorf("after Export…, the message is %q (shown: %v)", d.Message.Text, d.Message.Visible())
				}
				return
			}
			if err != nil {
				t.Fatalf("Options(): %v", err)
			}
			want := c.want
			want.SurveyID = "allotments"
			switch want.EventID {
			case "stall":
				want.EventID = r.stall.ID
			}
			if got.SurveyID != want.SurveyID || got.EventID != want.EventID || !got.From.Equal(want.From) || !got.To.Equal(want.To) ||
				got.CompleteOnly != want.CompleteOnly || got.NoPersonal != want.NoPersonal || got.Codes != want.Codes ||
				got.Long != want.Long || got.Password != want.Password || got.Version != 0 || got.Location != time.Local {
				t.Errorf("Options() =\n%+v\nwant\n%+v", got, want)
			}
			if c.matching != "" && !strings.HasPrefix(d.Matching.Text, c.matching) {
				t.Errorf("matching = %q, want %q", d.Matching.Text, c.matching)
			}
		})
	}
}

func TestExportDialogPasswordNotes(t *testing.T) {
	r := newExportRig(t)
	d := r.open()
	if !d.Password.Visible() || !strings.Contains(d.Opens.Text, "Excel asks for this password") {
		t.Errorf("workbook: password shown %v, note %q", d.Password.Visible(), d.Opens.Text)
	}
	d.Format.SetSelected(d.Format.Options[1])
	if !d.Password.Visible() || !strings.Contains(d.Opens.Text, "canvass decrypt") || !strings.Contains(d.Opens.Text, "age -d") {
		t.Errorf("CSV: password shown %v, note %q: want what opens it", d.Password.Visible(), d.Opens.Text)
	}
	if got := d.DefaultFileName(time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)); got != "allotments-2026-11-25.csv" {
		t.Errorf("CSV file name = %q", got)
	}
	if !d.Unencrypted.Visible() {
		t.Error("no way to save without a password while personal questions are included")
	}
	test.Tap(d.NoPersonal)
	if d.Unencrypted.Visible() {
		t.Error("\"save without a password\" offered for an export without personal questions")
	}
}

func TestExportDialogEncryption(t *testing.T) {
	r := newExportRig(t)
	d, err := app.ShowExport(r.ctx, r.win, r.st, "allotments")
	if err != nil {
		t.Fatal(err)
	}
	d.Format.SetSelected(d.Format.Options[1])
	test.Tap(d.ExportButton)
	if !d.Message.Visible() || !strings.Contains(d.Message.Text, "personal questions") {
		t.Errorf("a plain export with personal questions was not stopped: %q", d.Message.Text)
	}
	test.Type(d.Password, "allotment holders")
	test.Type(d.Confirm, "allotment holders")
	r.exportTo(d, filepath.Join(r.folder, "holders"))
	want := filepath.Join(r.folder, "holders.csv.age")
	if d.Err != nil || d.Path != want || !strings.Contains(d.Finished.Text, "age -d") {
		t.Fatalf("path %s, error %v, summary %q", d.Path, d.Err, d.Finished.Text)
	}
	entries, _ := os.ReadDir(r.folder)
	if len(entries) != 1 {
		t.Errorf("the folder holds %v, want the encrypted file only", entries)
	}
	var text []byte
	err = encryption.WithOpened(want, encryption.PassphraseKey("allotment holders"), func(plain string) error {
		text, err = os.ReadFile(plain)
		return err
	})
	if err != nil || strings.Count(string(text), "\r\n") != 6 {
		t.Errorf("decrypted CSV: %d lines, %v; want a header and 5 rows", strings.Count(string(text), "\r\n"), err)
	}
}

func TestExportDialogExports(t *testing.T) {
	for _, c := range []struct {
		name, file, want string
		csv              bool
	}{
		{"workbook", "out.xlsx", "out.xlsx", false},
		{"workbook named without an extension", "out", "out.xlsx", false},
		{"CSV", "data", "data.csv", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newExportRig(t)
			d := r.open()
			if c.csv {
				d.Format.SetSelected(d.Format.Options[1])
			}
			test.Tap(d.CompleteOnly)
			var opened *url.URL
			app.SetExportHooks(d, func(u *url.URL) error { opened = u; return nil }, nil)

			chosen := filepath.Join(r.folder, c.file)
			if err := os.WriteFile(chosen, nil, 0o644); err != nil { // the save dialog creates the file it offers
				t.Fatal(err)
			}
			r.exportTo(d, chosen)
			want := filepath.Join(r.folder, c.want)
			if d.Err != nil || d.Path != want {
				t.Fatalf("export to %s: path %s, error %v", chosen, d.Path, d.Err)
			}
			if d.Result.Responses != 3 || d.Result.Complete != 3 {
				t.Errorf("result %+v, want the 3 complete responses", d.Result)
			}
			if want := "3 responses exported to " + want; d.Finished.Text != want {
				t.Errorf("summary = %q, want %q", d.Finished.Text, want)
			}
			entries, _ := os.ReadDir(r.folder)
			if len(entries) != 1 || entries[0].Name() != c.want {
				t.Errorf("the folder holds %v, want only %s", entries, c.want)
			}
			if c.csv {
				b, err := os.ReadFile(want)
				if err != nil || strings.Count(string(b), "\r\n") != 4 {
					t.Errorf("CSV has %d lines (%v), want a header and 3 rows", strings.Count(string(b), "\r\n"), err)
				}
			} else {
				f, err := excelize.OpenFile(want)
				if err != nil {
					t.Fatalf("open the workbook: %v", err)
				}
				rs, err := f.GetRows(export.SheetResponses)
				f.Close()
				if err != nil || len(rs) != 4 {
					t.Errorf("workbook has %d data rows (%v), want a header and 3 rows", len(rs), err)
				}
			}
			test.Tap(d.OpenFolder)
			if opened == nil || opened.String() != "file://"+filepath.ToSlash(r.folder) {
				t.Errorf("Open folder opened %v, want the folder %s", opened, r.folder)
			}
		})
	}
}

func TestExportDialogPassword(t *testing.T) {
	r := newExportRig(t)
	d := r.open()
	test.Type(d.Password, "correct horse")
	test.Type(d.Confirm, "correct horse")
	path := filepath.Join(r.folder, "secret.xlsx")
	r.exportTo(d, path)
	if d.Err != nil {
		t.Fatal(d.Err)
	}
	if !strings.Contains(d.Finished.Text, "protected with the password") {
		t.Errorf("summary = %q, want it to mention the password", d.Finished.Text)
	}
	if f, err := excelize.OpenFile(path); err == nil {
		f.Close()
		t.Fatal("the workbook opened without its password")
	}
	f, err := excelize.OpenFile(path, excelize.Options{Password: "correct horse"})
	if err != nil {
		t.Fatalf("open with the password: %v", err)
	}
	f.Close()
}

func TestExportDialogRemembersOptions(t *testing.T) {
	r := newExportRig(t)
	d := r.open()
	d.Format.SetSelected(d.Format.Options[1])
	town := eventIndex(t, d, r.town)
	d.Event.SetSelectedIndex(town)
	d.From.SetDate(day(2026, 3, 1))
	test.Tap(d.NoPersonal)
	test.Tap(d.Long)
	r.exportTo(d, filepath.Join(r.folder, "first.csv"))
	if d.Err != nil {
		t.Fatal(d.Err)
	}

	again := r.open()
	if again.Format.Selected != again.Format.Options[1] || again.Event.SelectedIndex() != town ||
		!again.NoPersonal.Checked || !again.Long.Checked || again.CompleteOnly.Checked || again.Codes.Checked {
		t.Errorf("second dialog: format %q, event %d, personal out %v, long %v, complete only %v, codes %v",
			again.Format.Selected, again.Event.SelectedIndex(), again.NoPersonal.Checked, again.Long.Checked,
			again.CompleteOnly.Checked, again.Codes.Checked)
	}
	if again.From.Text != "" || again.Password.Text != "" {
		t.Errorf("the date %q or password %q was remembered", again.From.Text, again.Password.Text)
	}
	if !strings.HasPrefix(again.Matching.Text, "3 responses") {
		t.Errorf("matching = %q, want the town hall's 3", again.Matching.Text)
	}

	t.Run("an unreadable setting is ignored", func(t *testing.T) {
		if err := r.st.SetSetting(r.ctx, "export.defaults", "{not json"); err != nil {
			t.Fatal(err)
		}
		d := r.open()
		if d.Format.Selected != d.Format.Options[0] || d.Event.SelectedIndex() != 0 || d.Long.Checked {
			t.Errorf("broken defaults gave format %q, event %d, long %v", d.Format.Selected, d.Event.SelectedIndex(), d.Long.Checked)
		}
	})
	t.Run("an event that is gone means all events", func(t *testing.T) {
		if err := r.st.SetSetting(r.ctx, "export.defaults", `{"event":"no-such-event","codes":true}`); err != nil {
			t.Fatal(err)
		}
		d := r.open()
		if d.Event.SelectedIndex() != 0 || !d.Codes.Checked {
			t.Errorf("event %d, codes %v", d.Event.SelectedIndex(), d.Codes.Checked)
		}
	})
}

func TestExportDialogCancel(t *testing.T) {
	r := newExportRig(t)
	d := r.open()
	app.SetExportHooks(d, nil, func(done, total int) {
		if total != 5 {
			t.Errorf("progress total = %d, want 5", total)
		}
		if d.CancelButton.Disabled() {
			return
		}
		test.Tap(d.CancelButton) // at the first report, before any response is written
	})
	path := filepath.Join(r.folder, "cancelled.xlsx")
	if err := os.WriteFile(path, nil, 0o644); err != nil { // as the save dialog leaves it
		t.Fatal(err)
	}
	r.exportTo(d, path)
	if !errors.Is(d.Err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", d.Err)
	}
	if !strings.Contains(d.Finished.Text, "cancelled") {
		t.Errorf("summary = %q", d.Finished.Text)
	}
	if entries, _ := os.ReadDir(r.folder); len(entries) != 0 {
		t.Errorf("a cancelled export left %v behind", entries)
	}
}

func TestExportDialogFailures(t *testing.T) {
	r := newExportRig(t)
	t.Run("the other format's extension", func(t *testing.T) {
		d := r.open()
		err := d.ExportTo(filepath.Join(r.folder, "data.csv"))
		if err == nil || !strings.Contains(err.Error(), "ends in .csv") {
			t.Errorf("ExportTo(data.csv) for a workbook: %v", err)
		}
	})
	t.Run("a folder that is gone", func(t *testing.T) {
		d := r.open()
		r.exportTo(d, filepath.Join(r.folder, "gone", "out.xlsx"))
		if d.Err == nil || !strings.Contains(d.Finished.Text, "The export failed") || !strings.Contains(d.Finished.Text, "gone") {
			t.Errorf("error %v, summary %q", d.Err, d.Finished.Text)
		}
	})
	t.Run("an unknown survey", func(t *testing.T) {
		if _, err := app.ShowExport(r.ctx, r.win, r.st, "nope"); err == nil || !strings.Contains(err.Error(), "nope") {
			t.Errorf("ShowExport(nope) = %v", err)
		}
	})
}

// TestExportDialogRepeats: a CSV export of a survey with a repeat writes a
// file per repeat and names it in the summary; with a password, which can
// seal one file only, it is refused with the way out and writes nothing.
func TestExportDialogRepeats(t *testing.T) {
	r := newExportRig(t)
	def := allotmentSurvey()
	def.Questions = append(def.Questions, &survey.Question{Type: survey.TypeGroup, Name: "plots", Label: survey.En("Your plots"),
		Repeat: &survey.Repeat{}, Questions: []*survey.Question{{Type: survey.TypeInteger, Name: "size", Label: survey.En("Size (m²)")}}})
	if _, err := r.st.SaveSurvey(r.ctx, def); err != nil {
		t.Fatal(err)
	}
	r.respond(survey.StatusComplete, survey.Answers{"plot": "yes", "plots[1]/size": "10", "plots[2]/size": "20"})

	d := r.open()
	d.Format.SetSelected(d.Format.Options[1])
	r.exportTo(d, filepath.Join(r.folder, "data"))
	if d.Err != nil || !strings.HasSuffix(d.Finished.Text, "Each repeat group has a file of its own beside it: data-plots.csv") {
		t.Fatalf("error %v, summary %q", d.Err, d.Finished.Text)
	}
	b, err := os.ReadFile(filepath.Join(r.folder, "data-plots.csv"))
	if err != nil || strings.Count(string(b), "\r\n") != 3 || !strings.Contains(string(b), ",2,plots[2],20\r\n") {
		t.Errorf("data-plots.csv: %q, %v", b, err)
	}

	before, _ := os.ReadDir(r.folder)
	d, err = app.ShowExport(r.ctx, r.win, r.st, "allotments")
	if err != nil {
		t.Fatal(err)
	}
	d.Format.SetSelected(d.Format.Options[1])
	test.Type(d.Password, "allotment holders")
	test.Type(d.Confirm, "allotment holders")
	r.exportTo(d, filepath.Join(r.folder, "sealed"))
	if !errors.Is(d.Err, export.ErrRepeatFiles) || !strings.Contains(d.Finished.Text, "export to .xlsx") {
		t.Errorf("sealed CSV with repeats: error %v, summary %q", d.Err, d.Finished.Text)
	}
	if after, _ := os.ReadDir(r.folder); len(after) != len(before) {
		t.Errorf("the refused export left files: %v", after)
	}
}
