// Package store keeps Canvass's surveys, events and responses in one SQLite
// file (modernc.org/sqlite). It refuses files that are not Canvass databases,
// newer than this code or damaged without writing a byte to them, lets one
// process write at a time (an advisory lock on PATH.lock), applies embedded
// migrations, and writes every answer in its own short transaction so that
// a crash loses nothing that was reported saved.
//
// Surveys have numbered versions; a response keeps the version it was given
// on. Built-in templates install under version numbers of their own (1,
// 1001, 2001, …; see InstallTemplates and templates.go), which staff edits
// never take, so laptops that updated Canvass at different times, and
// edited its built-in surveys or not, hold the same content under each
// version and merge each other's bundles (MergeBundle) without conflict.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"modernc.org/sqlite" // also registers the "sqlite" driver

	"canvass/survey/userfile"
)

// Errors returned by Open and the store's methods; test with errors.Is.
var (
	// ErrNotFound: no survey, event or response with that id.
	ErrNotFound = errors.New("not found")
	// ErrNotDatabase: the file is not an SQLite database at all.
	ErrNotDatabase = errors.New("not a database file")
	// ErrNotCanvass: the file is an SQLite database of some other program.
	ErrNotCanvass = errors.New("not a Canvass database")
	// ErrNewerSchema: the file was written by a newer Canvass.
	ErrNewerSchema = errors.New("database was written by a newer version of Canvass")
	// ErrCorrupt: the file is a Canvass database whose pages are damaged.
	ErrCorrupt = errors.New("database file is damaged")
	// ErrLocked: another process holds the write lock.
	ErrLocked = errors.New("the database is open in another Canvass window/process")
	// ErrReadOnly: a write on a store opened with OpenReadOnly, or on a
	// file or folder that cannot be written.
	ErrReadOnly = errors.New("database is open read-only")
	// ErrDiskFull: a write failed because the disk (or the user's quota) is full.
	ErrDiskFull = errors.New("the disk is full")
	// ErrFileGone: the database file was deleted, moved or replaced while open.
	ErrFileGone = errors.New("the database file was deleted or moved while Canvass had it open")
)

// ApplicationID is the SQLite application_id of a Canvass database ("CNVS").
const ApplicationID = 0x434e5653

// TimeLayout is the fixed-width UTC layout of every stored time: text order is time order.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// DateLayout is the layout of stored event dates.
const DateLayout = "2006-01-02"

// sqliteHeader opens every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// Store is an open Canvass database. Its methods are safe for concurrent use.
type Store struct {
	db       *sql.DB
	path     string
	abs      string      // path made absolute
	file     os.FileInfo // the file opened, to notice it being deleted or replaced
	readOnly bool
	lock     *fileLock
	deviceID string
	now      func() time.Time
	// writeSlot serialises this process's write transactions so that they
	// queue in Go instead of polling SQLite's busy handler.
	writeSlot chan struct{}
}

// Option changes how Open sets up a store.
type Option func(*Store)

// WithClock makes the store take its times from now instead of time.Now (for tests).
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}

// Open opens the Canvass database at path for reading and writing, creating
// it if it does not exist, and brings its schema up to date. It refuses,
// without writing to it, a file that is not an SQLite database
// (ErrNotDatabase), another program's database (ErrNotCanvass), one written
// by a newer Canvass (ErrNewerSchema) or a damaged one (ErrCorrupt). Only one
// process may have a database open with Open at a time (ErrLocked).
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	s, err := open(ctx, path, false, opts)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// OpenReadOnly opens an existing Canvass database for reading only: no lock,
// no migrations, every write method fails with ErrReadOnly. It is meant for
// bundles and backups, and refuses the same files as Open.
func OpenReadOnly(ctx context.Context, path string, opts ...Option) (*Store, error) {
	s, err := open(ctx, path, true, opts)
	if err != nil {
		return nil, fmt.Errorf("open %s read-only: %w", path, err)
	}
	return s, nil
}

func open(ctx context.Context, path string, readOnly bool, opts []Option) (_ *Store, err error) {
	if path == "" {
		return nil, errors.New("no database path given")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	s := &Store{path: path, abs: abs, readOnly: readOnly, now: time.Now, writeSlot: make(chan struct{}, 1)}
	for _, o := range opts {
		o(s)
	}

	exists, err := checkHeader(abs)
	if err != nil {
		return nil, err
	}
	if readOnly && !exists {
		return nil, fmt.Errorf("database file: %w", os.ErrNotExist)
	}
	if !readOnly {
		if s.lock, err = acquireLock(abs + ".lock"); err != nil {
			return nil, err
		}
		defer func() {
			if err != nil {
				s.lock.release()
			}
		}()
	}
	mode := readWrite
	if readOnly {
		if mode, err = readOnlyMode(ctx, abs); err != nil {
			return nil, err
		}
	} else if err := makePrivate(abs); err != nil {
		return nil, err
	}
	if exists {
		isCanvass, err := inspect(ctx, abs, mode)
		if err != nil {
			return nil, err
		}
		if readOnly && !isCanvass {
			return nil, fmt.Errorf("%w: it is an empty SQLite database", ErrNotCanvass)
		}
	}

	s.db, err = sql.Open("sqlite", dsn(abs, mode))
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			s.db.Close()
		}
	}()
	s.db.SetMaxIdleConns(4) // reopening a connection reruns the pragmas
	if err := s.db.PingContext(ctx); err != nil {
		return nil, classify(err)
	}
	if s.file, err = os.Stat(abs); err != nil {
		return nil, err
	}
	if readOnly {
		s.deviceID, _, err = s.Setting(ctx, settingDeviceID)
		return s, err
	}
	if err := migrate(ctx, s.db, s.now); err != nil {
		return nil, classifyWrite(err)
	}
	if err := s.ensureDeviceID(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// openMode is how a connection opens the database file.
type openMode int

const (
	readWrite openMode = iota
	readOnly           // mode=ro: reads, while another process may write
	immutable          // read-only media: no locks, no -shm, nobody writes
)

// readOnlyMode picks how to open abs for reading. A database in WAL mode
// needs its -shm file even to read; on a read-only disk or in a folder we
// may not write, that file cannot be made, so the file is opened as
// immutable instead, which is safe because nobody can write there either.
// A -wal file with changes not yet copied into the database would be
// ignored that way, so that case is refused with advice.
func readOnlyMode(ctx context.Context, abs string) (openMode, error) {
	db, err := sql.Open("sqlite", dsn(abs, readOnly))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var v int
	err = db.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&v)
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) || se.Code()&0xff != 8 && se.Code()&0xff != 14 { // SQLITE_READONLY, SQLITE_CANTOPEN
		return readOnly, nil // other errors are for inspect to explain
	}
	if fi, werr := os.Stat(abs + "-wal"); werr == nil && fi.Size() > 0 {
		return 0, fmt.Errorf("%w: the database is on a disk or in a folder that cannot be written, and its -wal file holds changes that can only be read where it can be written: copy the database with its -wal file to a writable folder (%v)", ErrReadOnly, err)
	}
	return immutable, nil
}

// makePrivate makes the database file (creating it empty if it is missing)
// and its -wal and -shm files readable by their owner only: they hold
// personal data. SQLite gives the -wal and -shm files it creates the
// database file's mode.
func makePrivate(abs string) error {
	f, err := os.OpenFile(abs, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create the database file: %w", err)
	}
	for _, name := range []string{abs, abs + "-wal", abs + "-shm"} {
		if fi, err := os.Stat(name); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(name, fi.Mode().Perm()&0o700); err != nil {
				return fmt.Errorf("make %s private: %w", name, err)
			}
		}
	}
	return nil
}

// dsn builds the driver's URI for the file at abs. The pragmas ride in the
// DSN so that every pooled connection gets them.
func dsn(abs string, mode openMode) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x → /C:/x
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	if mode == immutable {
		q.Set("immutable", "1")
	}
	if mode != readWrite {
		q.Set("mode", "ro")
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(wal)")
		q.Add("_pragma", "synchronous(full)")
		q.Set("_txlock", "immediate")
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// checkHeader reports whether a non-empty file exists at path and, if it
// does, that it starts with the SQLite header. It only reads.
func checkHeader(path string) (exists bool, err error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return false, fmt.Errorf("%w: it is a folder", ErrNotDatabase)
	}
	f, err := userfile.Open(path) // never waits on a FIFO
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if errors.Is(err, userfile.ErrNotRegular) {
		return false, fmt.Errorf("%w: %w", ErrNotDatabase, err)
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false, err
	}
	if fi.Size() == 0 {
		// An empty file is a new database to SQLite, though a -wal file
		// left by a crash may hold its first pages: let inspect look.
		_, err := os.Stat(path + "-wal")
		return err == nil, nil
	}
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return false, err
	}
	if !bytes.Equal(head, sqliteHeader) {
		return false, ErrNotDatabase
	}
	return true, nil
}

// inspect looks at an existing SQLite file through a read-only connection
// and refuses anything but a healthy Canvass database this code can handle
// (or an empty SQLite database, which Open makes one). isCanvass is false for
// an empty SQLite database.
func inspect(ctx context.Context, abs string, mode openMode) (isCanvass bool, err error) {
	if mode == readWrite {
		mode = readOnly
	}
	db, err := sql.Open("sqlite", dsn(abs, mode))
	if err != nil {
		return false, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	var appID int64
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return false, classify(err)
	}
	var tables []string
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
	if err != nil {
		return false, classify(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return false, classify(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Close(); err != nil {
		return false, classify(err)
	}
	if err := rows.Err(); err != nil {
		return false, classify(err)
	}
	for _, t := range tables {
		if t == "canvass_meta" {
			isCanvass = true
		}
	}
	switch {
	case appID != 0 && appID != ApplicationID:
		return false, fmt.Errorf("%w (application id %#x)", ErrNotCanvass, appID)
	case !isCanvass && len(tables) > 0:
		return false, fmt.Errorf("%w: it has tables %s", ErrNotCanvass, strings.Join(firstFew(tables, 5), ", "))
	}

	if err := quickCheck(ctx, db); err != nil {
		return false, err
	}
	if !isCanvass {
		return false, nil // an empty SQLite database
	}
	have, err := schemaVersion(ctx, db)
	if err != nil {
		return false, classify(err)
	}
	if latest := latestVersion(); have > latest {
		return false, fmt.Errorf("%w: the file has schema version %d, this Canvass knows versions up to %d; update Canvass to open it", ErrNewerSchema, have, latest)
	}
	return true, nil
}

// quickCheck runs PRAGMA quick_check and turns complaints into ErrCorrupt.
func quickCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	var lines, problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return classify(err)
		}
		lines = append(lines, line)
		for _, part := range strings.Split(line, "\n") {
			if part != "" && !strings.HasPrefix(part, "*** in database") { // a heading, not a problem
				problems = append(problems, part)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return classify(err)
	}
	if len(lines) == 1 && lines[0] == "ok" {
		return nil
	}
	if len(problems) == 0 {
		problems = lines
	}
	return fmt.Errorf("%w (restore a backup): %s", ErrCorrupt, strings.Join(problems, "; "))
}

// classify maps SQLite's "not a database" and "corrupt" result codes to the
// package's errors, keeping SQLite's message.
func classify(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 11: // SQLITE_CORRUPT
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		case 26: // SQLITE_NOTADB
			return ErrNotDatabase
		}
	}
	return err
}

// classifyWrite maps SQLite's "read-only" and "disk full" result codes to
// ErrReadOnly and ErrDiskFull, keeping SQLite's error in the chain.
func classifyWrite(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 3, 8: // SQLITE_PERM, SQLITE_READONLY
			return fmt.Errorf("%w: the file or its folder cannot be written (%w)", ErrReadOnly, err)
		case 13: // SQLITE_FULL
			return fmt.Errorf("%w (%w)", ErrDiskFull, err)
		case 10: // SQLITE_IOERR: e.g. a file made read-only or a disk unplugged while open
			return fmt.Errorf("the disk could not be written; is it read-only, full or unplugged? (%w)", err)
		}
	}
	return err
}

func firstFew(names []string, n int) []string {
	if len(names) <= n {
		return names
	}
	return append(names[:n:n], "…")
}

// Close closes the database and releases the write lock.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.lock != nil {
		if lerr := s.lock.release(); err == nil {
			err = lerr
		}
		s.lock = nil
	}
	if err != nil {
		return fmt.Errorf("close %s: %w", s.path, err)
	}
	return nil
}

// Path returns the path the store was opened with.
func (s *Store) Path() string { return s.path }

// DB returns the underlying database for statistics code in other packages.
// Use it for reading only: writes belong to the store's methods.
func (s *Store) DB() *sql.DB { return s.db }

// ReadOnly reports whether the store was opened with OpenReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }

// DeviceID returns this installation's device id, a UUID created when the
// database was first opened and tagged on every response started here.
func (s *Store) DeviceID() string { return s.deviceID }

const settingDeviceID = "device_id"

func (s *Store) ensureDeviceID(ctx context.Context) error {
	return s.write(ctx, "create device id", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", settingDeviceID, uuid.NewString()); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", settingDeviceID).Scan(&s.deviceID)
	})
}

// write runs fn in a write transaction of its own, one at a time in this
// process, and commits it if fn returns nil. what names the operation in errors.
func (s *Store) write(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("%s: %w", what, ErrReadOnly)
	}
	select {
	case s.writeSlot <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
	defer func() { <-s.writeSlot }()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, classifyWrite(err))
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", what, classifyWrite(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", what, classifyWrite(err))
	}
	return s.stillThere(what)
}

// stillThere checks, after a commit, that the database file is still the
// one opened: if its folder was deleted or the file moved, SQLite goes on
// writing to a file nobody will find again, and the change is lost.
func (s *Store) stillThere(what string) error {
	fi, err := os.Stat(s.abs)
	if err == nil && os.SameFile(fi, s.file) {
		return nil
	}
	if err == nil {
		err = errors.New("another file is there now")
	}
	return fmt.Errorf("%s: %w: %s (%v); the change is not in that file", what, ErrFileGone, s.path, err)
}

// OwnFiles lists the files no output may replace: the database, its side
// files and its backups (see userfile.DatabaseFiles).
func (s *Store) OwnFiles() []string { return userfile.DatabaseFiles(s.path) }

// read runs fn in a read transaction, so that it sees one snapshot.
func (s *Store) read(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// stamp returns the store's current time, cut to what the store keeps.
func (s *Store) stamp() time.Time {
	return s.now().UTC().Truncate(time.Millisecond)
}

func formatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

func parseTime(v string) (time.Time, error) {
	t, err := time.Parse(TimeLayout, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", v, err)
	}
	return t, nil
}

func parseNullTime(v sql.NullString) (*time.Time, error) {
	if !v.Valid {
		return nil, nil
	}
	t, err := parseTime(v.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
