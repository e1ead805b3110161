package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"canvass/survey/store"
)

func TestIsDeviceSetting(t *testing.T) {
	for key, want := range map[string]bool{
		"device_id": true, "backup.folder": true, "folder.restore": true, "staff.name": true,
		"encryption.mode": true, "encryption.public_key": true, "encryption.identity_file": true,
		"staff_pin": false, "thresholds": false, "export.defaults": false, "kiosk.idle_seconds": false,
	} {
		t.Run(key, func(t *testing.T) {
			if got := store.IsDeviceSetting(key); got != want {
				t.Errorf("IsDeviceSetting(%q) = %v, want %v", key, got, want)
			}
		})
	}
}

// TestRestoreKeepsDeviceSettings restores another laptop's backup: the data
// (surveys, data settings) come from the backup, this laptop's settings stay.
func TestRestoreKeepsDeviceSettings(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	set := func(st *store.Store, kv map[string]string) {
		t.Helper()
		for k, v := range kv {
			if err := st.SetSetting(ctx, k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The other laptop, backed up.
	other, err := store.Open(ctx, filepath.Join(dir, "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	set(other, map[string]string{"backup.folder": "/media/their-stick", "staff.name": "Them",
		"encryption.identity_file": "/their/key", "staff_pin": "their-pin-hash", "thresholds": "theirs"})
	otherID := other.DeviceID()
	backup := filepath.Join(dir, "backup.db")
	if err := other.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	other.Close()

	// This laptop.
	dbPath := filepath.Join(dir, "canvass.db")
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	set(st, map[string]string{"backup.folder": "/media/our-stick", "staff.name": "Us",
		"encryption.mode": "passphrase", "staff_pin": "our-pin-hash", "thresholds": "ours"})
	ourID := st.DeviceID()
	if ourID == otherID {
		t.Fatal("two stores share a device id")
	}
	st, _, err = st.Restore(ctx, store.RestoreRequest{Backup: backup, Actor: "staff"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	for key, want := range map[string]string{
		"backup.folder": "/media/our-stick", "staff.name": "Us", "encryption.mode": "passphrase",
		"staff_pin": "their-pin-hash", "thresholds": "theirs", "device_id": ourID,
	} {
		got, ok, err := st.Setting(ctx, key)
		if err != nil || !ok || got != want {
			t.Errorf("after restore %s = %q (set %v, %v), want %q", key, got, ok, err, want)
		}
	}
	if _, ok, _ := st.Setting(ctx, "encryption.identity_file"); ok {
		t.Error("the backup's private key path replaced this laptop's (unset) one")
	}
	if st.DeviceID() != ourID {
		t.Errorf("DeviceID() = %q, want this laptop's %q", st.DeviceID(), ourID)
	}
	// Reopening reads the same.
	st.Close()
	st, err = store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _ := st.Setting(ctx, "backup.folder"); got != "/media/our-stick" {
		t.Errorf("after reopening backup.folder = %q", got)
	}
}

// TestRestoreFailureKeepsOldData: a missing backup leaves the old data and
// returns the reopened store.
func TestRestoreFailureKeepsOldData(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(ctx, "thresholds", "ours"); err != nil {
		t.Fatal(err)
	}
	st, _, err = st.Restore(ctx, store.RestoreRequest{Backup: filepath.Join(dir, "missing.db"), Actor: "staff"})
	if err == nil || st == nil {
		t.Fatalf("Restore of a missing file: store %v, error %v", st, err)
	}
	defer st.Close()
	if got, _, _ := st.Setting(ctx, "thresholds"); got != "ours" {
		t.Errorf("old data lost: thresholds = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("missing.db appeared")
	}
}

// wholeDatabase lists every row of every table of the database, the audit
// numbering (sqlite_sequence) included, as text.
func wholeDatabase(t *testing.T, s *store.Store) string {
	t.Helper()
	ctx := context.Background()
	rows, err := s.DB().QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		if err := rowsText(ctx, s.DB(), fmt.Sprintf("SELECT * FROM %q ORDER BY 1", table), table+" ", &b); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// restoreRig is a laptop's database with a survey, a response and an
// audit line, and a backup of another laptop's database.
func restoreRig(t *testing.T) (st *store.Store, dbPath, backup string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	other := mustOpenPath(t, filepath.Join(dir, "other.db"))
	mustSaveSurvey(t, other, sampleSurvey("theirs", "Their survey"))
	mustSaveSurvey(t, other, sampleSurvey("theirs2", "Their other survey"))
	mustStart(t, other, "theirs", 1)
	backup = filepath.Join(dir, "their-backup.db")
	if err := other.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	dbPath = filepath.Join(dir, "laptop", "canvass.db")
	if err := os.Mkdir(filepath.Dir(dbPath), 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	mustSaveSurvey(t, st, sampleSurvey("ours", "Our survey"))
	mustStart(t, st, "ours", 1)
	if err := st.Audit(ctx, "staff", "backup", "/media/stick/x.db", ""); err != nil {
		t.Fatal(err)
	}
	return st, dbPath, backup
}

// TestRestoreMakesSafetyCopyAndAuditLine: the restore use case copies the
// data it replaces, with an audit line naming the backup, into the
// automatic backups folder, and opens on the backup's data.
func TestRestoreMakesSafetyCopyAndAuditLine(t *testing.T) {
	ctx := context.Background()
	st, dbPath, backup := restoreRig(t)
	before := wholeDatabase(t, st)
	shown := "/media/stick/their-backup.db.age"

	st, safety, err := st.Restore(ctx, store.RestoreRequest{Backup: backup, Shown: shown, Actor: "staff (sam)"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Survey(ctx, "theirs", 0); err != nil {
		t.Errorf("the backup's survey is not there: %v", err)
	}
	if _, err := st.Survey(ctx, "ours", 0); err == nil {
		t.Error("our survey survived the restore")
	}
	if dir := filepath.Dir(safety); dir != store.DefaultBackupDir(dbPath) {
		t.Errorf("safety copy in %s, want the automatic backups folder %s", dir, store.DefaultBackupDir(dbPath))
	}
	if !regexp.MustCompile(`^canvass-before-restore-\d{4}-\d\d-\d\d-\d{4}\.db$`).MatchString(filepath.Base(safety)) {
		t.Errorf("safety copy named %s", filepath.Base(safety))
	}
	copyOf, err := store.OpenReadOnly(ctx, safety)
	if err != nil {
		t.Fatal(err)
	}
	defer copyOf.Close()
	log, err := copyOf.AuditLog(ctx, 0)
	if err != nil || len(log) != 2 {
		t.Fatalf("safety copy's audit log %+v, %v; want the earlier line and the restore", log, err)
	}
	want := store.AuditEntry{Actor: "staff (sam)", Action: "restore", Subject: shown, Detail: "replaced by " + shown + " (2 surveys, 1 responses)"}
	if got := log[0]; got.Actor != want.Actor || got.Action != want.Action || got.Subject != want.Subject || got.Detail != want.Detail {
		t.Errorf("safety copy's last audit line %+v, want %+v", got, want)
	}
	// Apart from that line, the safety copy is the data from before.
	if _, err := copyOf.Survey(ctx, "ours", 0); err != nil {
		t.Errorf("safety copy lacks our survey: %v", err)
	}
	if got := wholeDatabase(t, copyOf); !strings.HasPrefix(got, before[:strings.Index(before, "audit ")]) {
		t.Errorf("safety copy's first tables differ from the data before the restore")
	}
	if log, _ := st.AuditLog(ctx, 0); len(log) != 0 {
		t.Errorf("restored database's audit log %+v, want the backup's (empty)", log)
	}
}

// TestRestoreFailureLeavesDatabaseUntouched: a restore that fails at any
// step leaves every row of the database as it was (the audit numbering
// too) and no safety copy that records a restore that did not happen.
func TestRestoreFailureLeavesDatabaseUntouched(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		setUp func(t *testing.T, dbPath, backup string) (req string, undo func())
	}{
		{"backup is not a database", func(t *testing.T, dbPath, backup string) (string, func()) {
			junk := filepath.Join(filepath.Dir(backup), "junk.db")
			if err := os.WriteFile(junk, []byte("SQLite format 3\x00 but not really"), 0o600); err != nil {
				t.Fatal(err)
			}
			return junk, func() {}
		}},
		{"backup is the database itself", func(t *testing.T, dbPath, backup string) (string, func()) {
			return dbPath, func() {}
		}},
		{"no room for the safety copy", func(t *testing.T, dbPath, backup string) (string, func()) {
			// A file where the automatic backups folder should be.
			if err := os.WriteFile(store.DefaultBackupDir(dbPath), []byte("in the way"), 0o600); err != nil {
				t.Fatal(err)
			}
			return backup, func() {}
		}},
		{"file swap fails part-way", func(t *testing.T, dbPath, backup string) (string, func()) {
			return backup, store.FailReplaceFile(errors.New("the disk was pulled out"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, dbPath, backup := restoreRig(t)
			before := wholeDatabase(t, st)
			path, undo := tc.setUp(t, dbPath, backup)
			got, safety, err := st.Restore(ctx, store.RestoreRequest{Backup: path, Actor: "staff"})
			undo()
			if err == nil {
				t.Fatal("restore succeeded")
			}
			if got == nil {
				t.Fatalf("no store returned with %v", err)
			}
			defer got.Close()
			if after := wholeDatabase(t, got); after != before {
				t.Errorf("database changed by a failed restore (%v):\nbefore\n%s\nafter\n%s", err, before, after)
			}
			if safety != "" {
				t.Errorf("safety copy %s returned with the error %v", safety, err)
			}
			if list, _ := os.ReadDir(store.DefaultBackupDir(dbPath)); len(list) != 0 {
				t.Errorf("left in the backups folder: %v", list)
			}
		})
	}
}

func TestReplaceDatabaseFileLeavesOldOnFailure(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "canvass.db")
	if err := os.WriteFile(db, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := store.ReplaceDatabaseFile(db, filepath.Join(dir, "missing.db")); err == nil {
		t.Fatal("replaced from a missing backup")
	}
	if b, _ := os.ReadFile(db); string(b) != "old" {
		t.Errorf("database now %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind %v", entries)
	}
}
