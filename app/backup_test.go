package app_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"canvass/app"
	"canvass/survey"
	"canvass/survey/encryption"
	"canvass/survey/store"
)

func TestBackupName(t *testing.T) {
	got := app.BackupName(time.Date(2026, 11, 25, 14, 30, 59, 0, time.Local))
	if got != "canvass-backup-2026-11-25-1430.db" {
		t.Errorf("BackupName = %q", got)
	}
}

func TestBackupAndRestoreRoundTrip(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	kept := r.respond("park", survey.StatusComplete, survey.Answers{"visit": "yes"})
	folder := t.TempDir()

	first, err := r.home.Backups().BackupTo(folder, encryption.Lock{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := r.home.Backups().BackupTo(folder, encryption.Lock{})
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^canvass-backup-\d{4}-\d\d-\d\d-\d{4}(-2)?\.db$`)
	if !name.MatchString(filepath.Base(first)) || !name.MatchString(filepath.Base(second)) || first == second {
		t.Errorf("backups %s and %s", first, second)
	}
	if a := r.lastAudit(); a.Action != "backup" || a.Subject != second {
		t.Errorf("audit %+v", a)
	}

	// After the backup: a new survey and response that the restore takes away.
	later := parkSurvey()
	later.ID = "later"
	r.saveSurvey(later)
	lost := r.respond("later", survey.StatusComplete, survey.Answers{"visit": "no"})

	t.Run("refused files", func(t *testing.T) {
		junk := filepath.Join(folder, "junk.db")
		if err := os.WriteFile(junk, []byte("not a database at all"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := r.home.Backups().CheckBackup(junk); err == nil {
			t.Error("a junk file passed as a backup")
		}
		if _, err := r.home.Backups().CheckBackup(r.path); err == nil {
			t.Error("the open database passed as a backup")
		}
		if _, err := r.home.Backups().Restore(first, encryption.Key{}); err == nil || !strings.Contains(err.Error(), "not available") {
			t.Errorf("restore without a RestoreFunc: %v", err)
		}
	})

	info, err := r.home.Backups().CheckBackup(first)
	if err != nil {
		t.Fatal(err)
	}
	if info.Surveys != 1 || info.Responses != 1 {
		t.Errorf("backup holds %d surveys, %d responses; want 1, 1", info.Surveys, info.Responses)
	}

	// As Run wires it: the store's restore use case reopens the store.
	r.home.EnableRestore()
	if err := r.st.SetSetting(r.ctx, app.BackupFolderSetting, folder); err != nil {
		t.Fatal(err)
	}
	safety, err := r.home.Backups().Restore(first, encryption.Key{})
	if err != nil {
		t.Fatal(err)
	}
	reopened := r.home.Store()
	if reopened == r.st {
		t.Fatal("the store was not reopened")
	}
	t.Cleanup(func() { reopened.Close() })
	if !strings.HasPrefix(filepath.Base(safety), "canvass-before-restore-") || filepath.Dir(safety) != store.DefaultBackupDir(r.path) {
		t.Errorf("safety backup at %s", safety)
	}
	if _, err := reopened.Response(r.ctx, kept.ID); err != nil {
		t.Errorf("response from before the backup: %v", err)
	}
	if _, err := reopened.Response(r.ctx, lost.ID); err == nil {
		t.Error("response made after the backup survived the restore")
	}
	if _, err := reopened.Survey(r.ctx, "later", 0); err == nil {
		t.Error("survey made after the backup survived the restore")
	}
	// The safety backup holds what the restore replaced.
	s, err := store.OpenReadOnly(r.ctx, safety)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Response(r.ctx, lost.ID); err != nil {
		t.Errorf("safety backup lacks the newest response: %v", err)
	}
	log, err := s.AuditLog(r.ctx, 1)
	if err != nil || len(log) != 1 || log[0].Action != "restore" || log[0].Subject != first {
		t.Errorf("safety backup's last audit line %+v, %v; want the restore from %s", log, err, first)
	}
}
