package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"canvass/survey/userfile"
)

// Backup writes a consistent copy of the database to dest with VACUUM
// INTO: first to a locked, private partial file in dest's folder (see
// userfile.Create), flushed to disk, then linked into place, so a failed
// or killed backup leaves nothing half-written under dest's name. It
// refuses to overwrite an existing file (fs.ErrExist), and refuses a
// destination that is the database itself or one of its side files.
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
	own := userfile.DatabaseFiles(s.path)
	// Backups go into the backups folder: only the database's own files are out of bounds.
	p, err := userfile.Create(dest, withoutFolders(own))
	if err != nil {
		return err
	}
	defer p.Abort()
	if err := s.vacuumInto(ctx, p.Name()); err != nil {
		return err
	}
	return p.CommitNew()
}

// withoutFolders drops the folder entries (backups folders) from a list of protected files.
func withoutFolders(names []string) []string {
	var out []string
	for _, n := range names {
		if len(n) > 0 && n[len(n)-1] != filepath.Separator {
			out = append(out, n)
		}
	}
	return out
}

// vacuumInto writes a copy of the database to name. query_only, set on a
// read-only store's connections, forbids VACUUM INTO as well; the file
// itself is opened read-only, so lifting it for this statement is safe.
func (s *Store) vacuumInto(ctx context.Context, name string) error {
	conn, release, err := s.writingConn(ctx)
	if err != nil {
		return err
	}
	defer release()
	_, err = conn.ExecContext(ctx, "VACUUM INTO ?", name)
	return err
}

// writingConn is a connection that may write to files other than the
// database (VACUUM INTO, an attached bundle). query_only, set on a
// read-only store's connections, stops those writes too; it is lifted on
// this connection and set again by release, which also returns the
// connection. The database itself stays read-only by its open mode.
func (s *Store) writingConn(ctx context.Context) (conn *sql.Conn, release func(), err error) {
	conn, err = s.db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !s.readOnly {
		return conn, func() { conn.Close() }, nil
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, func() {
		conn.ExecContext(context.Background(), "PRAGMA query_only = 1")
		conn.Close()
	}, nil
}
