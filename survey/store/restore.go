package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Device settings belong to this laptop, not to the data: a restore keeps
// them. They are the device id (responses collected here from now on must
// not pass for another laptop's), the backup folder, the folders last
// used in file pickers, the staff name and the encryption choice (mode,
// public key, where the private key file is). Everything else — surveys,
// events, responses, the audit log, the staff PIN that guards those
// responses, thresholds, export and kiosk defaults — is data and comes
// from the backup.
var deviceSettingPrefixes = []string{"backup.", "folder.", "encryption."}

var deviceSettingKeys = map[string]bool{settingDeviceID: true, "staff.name": true}

// IsDeviceSetting reports whether the settings key belongs to this laptop
// rather than to its data, so that a restore keeps it.
func IsDeviceSetting(key string) bool {
	if deviceSettingKeys[key] {
		return true
	}
	for _, p := range deviceSettingPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// Restore replaces the database with a copy of the plain, already checked
// backup at backupPath and returns the store opened on the result, with
// this laptop's device settings (see IsDeviceSetting) kept as they were.
// s is closed. The copy is written beside the database and flushed before
// it is renamed over it, so a failure part-way leaves the old data; then
// the old store is reopened and returned with the error. Back the current
// data up before calling.
func (s *Store) Restore(ctx context.Context, backupPath string, opts ...Option) (*Store, error) {
	keep, err := s.deviceSettings(ctx)
	if err != nil {
		return s, fmt.Errorf("restore: %w", err)
	}
	dbPath := s.Path()
	if err := s.Close(); err != nil {
		return nil, fmt.Errorf("restore: close the database: %w", err)
	}
	swapErr := ReplaceDatabaseFile(dbPath, backupPath)
	st, err := Open(ctx, dbPath, opts...)
	if err != nil {
		return nil, errors.Join(swapErr, fmt.Errorf("restore: reopen the database: %w", err))
	}
	if swapErr != nil {
		return st, fmt.Errorf("restore: %w", swapErr)
	}
	if err := st.putDeviceSettings(ctx, keep); err != nil {
		return st, fmt.Errorf("restore: keep this laptop's settings: %w", err)
	}
	return st, nil
}

// deviceSettings reads this laptop's device settings.
func (s *Store) deviceSettings(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	err := s.read(ctx, "read device settings", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT key, value FROM settings")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				return err
			}
			if IsDeviceSetting(k) {
				out[k] = v
			}
		}
		return rows.Err()
	})
	return out, err
}

// putDeviceSettings replaces the device settings with keep, in one
// transaction: device settings the backup brought and keep lacks go.
func (s *Store) putDeviceSettings(ctx context.Context, keep map[string]string) error {
	err := s.write(ctx, "keep device settings", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT key FROM settings")
		if err != nil {
			return err
		}
		var drop []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return err
			}
			if _, kept := keep[k]; IsDeviceSetting(k) && !kept {
				drop = append(drop, k)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, k := range drop {
			if _, err := tx.ExecContext(ctx, "DELETE FROM settings WHERE key = ?", k); err != nil {
				return err
			}
		}
		for k, v := range keep {
			if _, err := tx.ExecContext(ctx,
				"INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if id, ok := keep[settingDeviceID]; ok {
		s.deviceID = id
	}
	return nil
}

// ReplaceDatabaseFile puts a copy of the backup at backupPath in place of
// the database file dbPath; the store on dbPath must be closed. The copy
// is written beside dbPath and flushed first, then the old file's -wal and
// -shm files are removed and the copy renamed over it, so a failure
// part-way leaves the old database as it was.
func ReplaceDatabaseFile(dbPath, backupPath string) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("replace %s with %s: %w", dbPath, backupPath, err)
		}
	}()
	src, err := os.Open(backupPath)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dbPath), "."+filepath.Base(dbPath)+".restore-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // gone already after the rename
	if _, err := io.Copy(tmp, src); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return os.Rename(tmpName, dbPath)
}
