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
	"time"

	"canvass/survey"
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

// BackupInfo describes a backup file that opened as a Canvass database.
type BackupInfo struct {
	Path      string
	Modified  time.Time
	Surveys   int // archived ones included
	Responses int
}

// ErrBackupIsDatabase is InspectBackup's (and Restore's) refusal of the
// store's own database file offered as a backup.
var ErrBackupIsDatabase = errors.New("that is the open database itself, not a backup")

// InspectBackup opens the backup at path read-only and reports what it
// holds. It fails for a file that is not a Canvass database, is damaged
// or is this store's own database.
func (s *Store) InspectBackup(ctx context.Context, path string) (BackupInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	if own, err := os.Stat(s.Path()); err == nil && os.SameFile(fi, own) {
		return BackupInfo{}, fmt.Errorf("backup: %w", ErrBackupIsDatabase)
	}
	b, err := OpenReadOnly(ctx, path)
	if err != nil {
		return BackupInfo{}, err
	}
	defer b.Close()
	info := BackupInfo{Path: path, Modified: fi.ModTime()}
	sums, err := b.Surveys(ctx)
	if err != nil {
		return info, err
	}
	archived, err := b.ArchivedSurveys(ctx)
	if err != nil {
		return info, err
	}
	info.Surveys = len(sums) + len(archived)
	c, err := b.CountResponses(ctx, survey.Filter{})
	if err != nil {
		return info, err
	}
	info.Responses = c.Total()
	return info, nil
}

// RestoreRequest says which backup to restore and who restores it.
type RestoreRequest struct {
	// Backup is the plain backup file (for an encrypted one, its decrypted
	// and authenticated private copy).
	Backup string
	// Shown is the file staff chose, named in the audit line ("" means Backup).
	Shown string
	// Actor is who restores, for the audit line.
	Actor string
}

// beforeRestoreLayout is the date-time in a safety copy's name:
// canvass-before-restore-2026-11-25-1430.db (not a rolling backup's
// name, so pruning never removes it).
const beforeRestoreLayout = "2006-01-02-1504"

// replaceFile swaps the database file for the backup; tests replace it to
// fail part-way.
var replaceFile = ReplaceDatabaseFile

// Restore replaces the database with a copy of the backup in req and
// returns the store opened on the result, with this laptop's device
// settings (see IsDeviceSetting) kept as they were, and the path of the
// safety copy. In order: the backup is checked (InspectBackup); an audit
// line "restore" naming it is written; the current data, that line
// included, is copied into the automatic backups folder beside the
// database (DefaultBackupDir) as canvass-before-restore-….db; s is closed
// and the backup copied over the database (written beside it and flushed
// first, see ReplaceDatabaseFile).
//
// A failure at any step leaves the old data as it was: the audit line is
// taken back, the safety copy removed, and the old store (reopened when it
// had been closed) is returned with the error. The returned store is nil
// only when the database could not be reopened at all.
func (s *Store) Restore(ctx context.Context, req RestoreRequest, opts ...Option) (st *Store, safety string, err error) {
	shown := req.Shown
	if shown == "" {
		shown = req.Backup
	}
	info, err := s.InspectBackup(ctx, req.Backup)
	if err != nil {
		return s, "", fmt.Errorf("restore %s: %w", filepath.Base(shown), err)
	}
	keep, err := s.deviceSettings(ctx)
	if err != nil {
		return s, "", fmt.Errorf("restore: %w", err)
	}
	folder := DefaultBackupDir(s.Path())
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return s, "", fmt.Errorf("restore: %w", err)
	}
	// The line goes in before the safety copy, so that the data the
	// restore replaces records it; the restored database does not.
	detail := fmt.Sprintf("replaced by %s (%d surveys, %d responses)", shown, info.Surveys, info.Responses)
	line, err := s.auditLine(ctx, req.Actor, "restore", shown, detail)
	if err != nil {
		return s, "", fmt.Errorf("restore: %w", err)
	}
	safety, err = s.backupBeside(ctx, folder, "canvass-before-restore-"+s.stamp().Local().Format(beforeRestoreLayout))
	if err != nil {
		return s, "", errors.Join(fmt.Errorf("restore: back up the current data first: %w", err), s.takeBackAudit(ctx, line))
	}
	dbPath := s.Path()
	if err := s.Close(); err != nil {
		return nil, "", fmt.Errorf("restore: close the database: %w", err)
	}
	swapErr := replaceFile(dbPath, req.Backup)
	st, err = Open(ctx, dbPath, opts...)
	if err != nil {
		return nil, "", errors.Join(swapErr, fmt.Errorf("restore: reopen the database: %w", err))
	}
	if swapErr != nil {
		os.Remove(safety) // it records a restore that did not happen
		return st, "", errors.Join(fmt.Errorf("restore %s: %w", filepath.Base(shown), swapErr), st.takeBackAudit(ctx, line))
	}
	if err := st.putDeviceSettings(ctx, keep); err != nil {
		return st, safety, fmt.Errorf("restore: keep this laptop's settings: %w", err)
	}
	return st, safety, nil
}

// auditLine writes one audit line and returns its id.
func (s *Store) auditLine(ctx context.Context, actor, action, subject, detail string) (id int64, err error) {
	err = s.write(ctx, fmt.Sprintf("write audit line %q", action), func(tx *sql.Tx) error {
		if err := s.audit(ctx, tx, actor, action, subject, detail); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT last_insert_rowid()").Scan(&id)
	})
	return id, err
}

// takeBackAudit removes the audit line id written for something that then
// failed, and winds the audit numbering back, so the log is as before.
func (s *Store) takeBackAudit(ctx context.Context, id int64) error {
	return s.write(ctx, "take back audit line", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM audit WHERE id = ?", id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit' AND seq = ?", id-1, id)
		return err
	})
}

// backupBeside backs the database up into folder as base.db, or base-2.db,
// base-3.db… when that name is taken, and returns the path.
func (s *Store) backupBeside(ctx context.Context, folder, base string) (string, error) {
	for i := 1; i < 100; i++ {
		name := base + ".db"
		if i > 1 {
			name = fmt.Sprintf("%s-%d.db", base, i)
		}
		path := filepath.Join(folder, name)
		err := s.Backup(ctx, path)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return path, err
	}
	return "", fmt.Errorf("back up into %s: too many backups named %s", folder, base)
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
