package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to dest with VACUUM
// INTO: first to a temporary file in dest's folder, flushed to disk, then
// moved into place, so a failed backup leaves nothing half-written. It
// refuses to overwrite an existing file (fs.ErrExist).
func (s *Store) Backup(ctx context.Context, dest string) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("back up to %s: %w", dest, err)
		}
	}()
	if _, err := os.Lstat(dest); err == nil {
		return fs.ErrExist
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	dir := filepath.Dir(abs)
	// VACUUM INTO accepts an empty file.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(abs)+".*.tmp")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpName) // gone already after a successful move

	if err := s.vacuumInto(ctx, tmpName); err != nil {
		return err
	}
	// VACUUM INTO does not fsync what it writes.
	if err := syncFile(tmpName); err != nil {
		return err
	}
	// A hard link never replaces an existing file; file systems without
	// links (FAT on USB sticks) fall back to check-then-rename.
	if err := os.Link(tmpName, abs); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		if _, err := os.Lstat(abs); err == nil {
			return fs.ErrExist
		}
		if err := os.Rename(tmpName, abs); err != nil {
			return err
		}
	}
	syncDir(dir)
	return nil
}

// vacuumInto writes a copy of the database to name. query_only, set on a
// read-only store's connections, forbids VACUUM INTO as well; the file
// itself is opened read-only, so lifting it for this statement is safe.
func (s *Store) vacuumInto(ctx context.Context, name string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if s.readOnly {
		if _, err := conn.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), "PRAGMA query_only = 1")
	}
	_, err = conn.ExecContext(ctx, "VACUUM INTO ?", name)
	return err
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir flushes a folder's entries where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
