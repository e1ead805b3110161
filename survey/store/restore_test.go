package store_test

import (
	"context"
	"os"
	"path/filepath"
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
	st, err = st.Restore(ctx, backup)
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
	st, err = st.Restore(ctx, filepath.Join(dir, "missing.db"))
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
