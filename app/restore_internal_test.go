package app

import (
	"context"
	"html"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
	"canvass/survey/encryption"
	"canvass/survey/store"
)

// TestRestoreFlowKeepsDeviceSettings drives the confirm dialog of a restore
// as wired in Run: the backup's data comes back, this laptop's backup
// folder and staff name stay, and the notice says where the copies went.
func TestRestoreFlowKeepsDeviceSettings(t *testing.T) {
	ctx := context.Background()
	a := test.NewTempApp(t)
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	set := func(kv ...string) {
		for i := 0; i < len(kv); i += 2 {
			if err := st.SetSetting(ctx, kv[i], kv[i+1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	set(BackupFolderSetting, "/media/old-stick", "thresholds", "in the backup")
	backup := filepath.Join(dir, "backup.db")
	if err := st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	set(BackupFolderSetting, stick, "staff.name", "Priya", "thresholds", "after the backup")

	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1200, 800))
	h := NewHome(ctx, a, w, st)
	h.SetBackgroundRunner(func(work, done func()) { work(); done() })
	h.EnableRestore() // as Run does
	h.Show()
	t.Cleanup(func() { h.store.Close() })

	info, err := h.Backups().CheckBackup(backup)
	if err != nil {
		t.Fatal(err)
	}
	info.Path = backup
	info.Responses = 1 // shown as "1 response"
	h.Backups().askRestoreConfirmed(info, encryption.Key{})
	shown := test.RenderObjectToMarkup(w.Canvas().Overlays().Top())
	if !strings.Contains(shown, " surveys, 1 response</") {
		t.Errorf("the confirmation does not say what the backup holds as \"…surveys, 1 response\":\n%s", shown)
	}
	if !strings.Contains(strings.Join(strings.Fields(markupText(shown)), " "), "This computer's own settings are kept: backup folder, staff name, encryption choice.") {
		t.Errorf("the confirmation does not say which settings stay:\n%s", shown)
	}
	tapDialogButton(t, w, "Restore")

	if h.store == st {
		t.Fatal("the store was not reopened")
	}
	for key, want := range map[string]string{BackupFolderSetting: stick, "staff.name": "Priya", "thresholds": "in the backup"} {
		if got, _, err := h.store.Setting(ctx, key); err != nil || got != want {
			t.Errorf("after restore %s = %q (%v), want %q", key, got, err, want)
		}
	}
	auto := store.DefaultBackupDir(h.store.Path())
	if s := h.Status(); !strings.Contains(s, filepath.Join(auto, "canvass-before-restore-")) || !strings.Contains(s, "Automatic copies are kept in "+auto) {
		t.Errorf("status after restore %q, want where the copies are (%s)", s, auto)
	}
}

// tapDialogButton taps the button labelled label in the window's dialogs.
func tapDialogButton(t *testing.T, w fyne.Window, label string) {
	t.Helper()
	var button *widget.Button
	for _, o := range w.Canvas().Overlays().List() {
		walk(o, func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.Button); ok && b.Text == label {
				button = b
			}
		})
	}
	if button == nil {
		t.Fatalf("no %s button in the dialog", label)
	}
	test.Tap(button)
}

// walk calls fn for o and everything drawn inside it.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, k := range c.Objects {
			walk(k, fn)
		}
	case fyne.Widget:
		for _, k := range test.WidgetRenderer(c).Objects() {
			walk(k, fn)
		}
	}
}

// TestRestoreFromSettingsWorksOnTheRestoredData restores from the Settings
// screen as wired in Run: Settings comes back on the restored data, and
// what was built on the old store — the form runner and the phones
// server — now works on the reopened one.
func TestRestoreFromSettingsWorksOnTheRestoredData(t *testing.T) {
	ctx := context.Background()
	a := test.NewTempApp(t)
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	def := &survey.Survey{ID: "visits", Title: survey.En("Visits"), Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{{Type: survey.TypeText, Name: "why", Label: survey.En("Why do you come?")}}}
	if _, err := st.SaveSurvey(ctx, def); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}

	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1200, 800))
	h := NewHome(ctx, a, w, st)
	h.SetBackgroundRunner(func(work, done func()) { work(); done() })
	h.EnableRestore()
	h.Show()
	t.Cleanup(func() { h.Phones().Stop(); h.Store().Close() })
	s, err := h.ShowSettings()
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.d.backups.CheckBackup(backup)
	if err != nil {
		t.Fatal(err)
	}
	s.d.backups.askRestoreConfirmed(info, encryption.Key{})
	tapDialogButton(t, w, "Restore")

	if h.Store() == st {
		t.Fatal("the store was not reopened")
	}
	if !strings.HasPrefix(h.Status(), "Restored.") {
		t.Errorf("status %q, want the restored notice", h.Status())
	}
	var onSettings bool
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) {
		l, ok := o.(*widget.Label)
		onSettings = onSettings || ok && l.Text == "Settings"
	})
	if !onSettings {
		t.Error("the window no longer shows Settings after the restore")
	}
	if err := h.Runner().Answer("visits"); err != nil {
		t.Errorf("Answer here after the restore: %v", err)
	}
	h.Phones().Addr = "127.0.0.1:0"
	srv, err := h.Phones().Start("visits")
	if err != nil {
		t.Fatalf("serving to phones after the restore: %v", err)
	}
	resp, err := http.Get(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the phone page after the restore: %s", resp.Status)
	}
}

// TestSettingsShowsTheFolderTheFirstBackupChose: the first backup's folder
// becomes the backup folder, and the Settings card says so at once.
func TestSettingsShowsTheFolderTheFirstBackupChose(t *testing.T) {
	ctx := context.Background()
	a := test.NewTempApp(t)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := test.NewTempWindow(t, nil)
	h := NewHome(ctx, a, w, st)
	h.SetBackgroundRunner(func(work, done func()) { work(); done() })
	s, err := h.ShowSettings()
	if err != nil {
		t.Fatal(err)
	}
	if s.BackupFolder.Text != "No backup folder chosen yet." {
		t.Fatalf("backup folder shown as %q before any backup", s.BackupFolder.Text)
	}
	folder := t.TempDir()
	s.d.backups.backupInBackground(folder, encryption.Lock{})
	if s.BackupFolder.Text != folder {
		t.Errorf("backup folder shown as %q after the first backup into %s", s.BackupFolder.Text, folder)
	}
	if !strings.HasPrefix(h.Status(), "Backed up to "+folder) {
		t.Errorf("status %q", h.Status())
	}
}

// markupText is the text of test.RenderObjectToMarkup's output, tags left out.
func markupText(markup string) string {
	var b strings.Builder
	in := false
	for _, r := range markup {
		switch {
		case r == '<':
			in = true
			b.WriteRune(' ')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(b.String())
}
