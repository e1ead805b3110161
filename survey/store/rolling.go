package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Rolling backups are canvass-YYYYMMDD-HHMMSS.db files (UTC times, so that
// name order is time order across clock changes) in one folder; a second
// backup within the same second gets a -2, -3… suffix.
const backupStampLayout = "20060102-150405"

var backupName = regexp.MustCompile(`^canvass-(\d{8}-\d{6})(?:-(\d+))?\.db$`)

// DefaultBackupDir is the folder for rolling backups of the database at
// dbPath: "backups" beside it.
func DefaultBackupDir(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "backups")
}

// BackupFile is one rolling backup.
type BackupFile struct {
	Path string
	At   time.Time // when it was made, from its name
	seq  int
}

// RollingBackups lists the rolling backups in dir, oldest first. Other
// files in dir are left out. A missing dir has none.
func RollingBackups(dir string) ([]BackupFile, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", dir, err)
	}
	var out []BackupFile
	for _, e := range entries {
		m := backupName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		at, err := time.ParseInLocation(backupStampLayout, m[1], time.UTC)
		if err != nil {
			continue
		}
		seq := 1
		if m[2] != "" {
			if seq, err = strconv.Atoi(m[2]); err != nil {
				continue
			}
		}
		out = append(out, BackupFile{Path: filepath.Join(dir, e.Name()), At: at, seq: seq})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].seq < out[j].seq
	})
	return out, nil
}

// RollingBackup writes a backup of the database (see Backup) to dir as
// canvass-YYYYMMDD-HHMMSS.db, creating dir if needed, then deletes the
// oldest rolling backups beyond the newest keep (at least 1). It returns
// the new backup's path. A failed backup deletes nothing.
func (s *Store) RollingBackup(ctx context.Context, dir string, keep int) (path string, err error) {
	if keep < 1 {
		return "", fmt.Errorf("rolling backup in %s: keep %d backups: must keep at least 1", dir, keep)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("rolling backup: %w", err)
	}
	stamp := s.now().UTC().Format(backupStampLayout)
	for seq := 1; ; seq++ {
		name := "canvass-" + stamp + ".db"
		if seq > 1 {
			name = fmt.Sprintf("canvass-%s-%d.db", stamp, seq)
		}
		path = filepath.Join(dir, name)
		err = s.Backup(ctx, path)
		if !errors.Is(err, fs.ErrExist) || seq == 100 {
			break
		}
	}
	if err != nil {
		return "", fmt.Errorf("rolling backup: %w", err)
	}
	if err := pruneBackups(dir, keep); err != nil {
		return path, fmt.Errorf("rolling backup: %w", err)
	}
	return path, nil
}

// BackupIfDue makes a rolling backup in dir if the newest one there is
// older than every (or there is none), keeping keep of them; made says
// whether it did. Call it when the app opens the database.
func (s *Store) BackupIfDue(ctx context.Context, dir string, keep int, every time.Duration) (path string, made bool, err error) {
	list, err := RollingBackups(dir)
	if err != nil {
		return "", false, err
	}
	if n := len(list); n > 0 {
		// A backup "from the future" (the clock was set back) does not count.
		if age := s.now().Sub(list[n-1].At); age >= 0 && age < every {
			return list[n-1].Path, false, nil
		}
	}
	path, err = s.RollingBackup(ctx, dir, keep)
	return path, err == nil, err
}

// pruneBackups deletes the oldest rolling backups in dir beyond keep, and
// temporary files that a backup interrupted by a crash left behind.
func pruneBackups(dir string, keep int) error {
	list, err := RollingBackups(dir)
	if err != nil {
		return err
	}
	var errs []error
	for i := 0; i < len(list)-keep; i++ {
		if err := os.Remove(list[i].Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("delete old backup: %w", err))
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, ".canvass-") || !strings.HasSuffix(name, ".tmp") {
			continue
		}
		// A backup running right now has a fresh one: leave those.
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > time.Hour {
			os.Remove(filepath.Join(dir, name))
		}
	}
	return errors.Join(errs...)
}
