//go:build unix

package userfile_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"canvass/survey/userfile"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCheckOutputRefusesTheDatabaseAndSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "data.db")
	write(t, db, "database")
	write(t, db+"-wal", "wal")
	os.Mkdir(filepath.Join(dir, "backups"), 0o700)
	write(t, filepath.Join(dir, "backups", "canvass-20260101-000000.db"), "backup")
	linkToDB := filepath.Join(dir, "link.csv")
	if err := os.Symlink(db, linkToDB); err != nil {
		t.Fatal(err)
	}
	// --db given as a symbolic link to the output.
	out := filepath.Join(dir, "out.csv")
	write(t, out, "old export")
	dbLink := filepath.Join(dir, "dblink.db")
	os.Symlink(out, dbLink)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling.csv")
	os.Symlink(filepath.Join(dir, "missing", "x"), dangling)

	for _, tc := range []struct {
		name, out, db string
		want          error // nil: accepted
	}{
		{"the database", db, db, userfile.ErrProtected},
		{"the database by another spelling", filepath.Join(dir, ".", "x", "..", "data.db"), db, userfile.ErrProtected},
		{"its -wal file", db + "-wal", db, userfile.ErrProtected},
		{"its -shm file, not yet made", db + "-shm", db, userfile.ErrProtected},
		{"its lock file", db + ".lock", db, userfile.ErrProtected},
		{"a backup", filepath.Join(dir, "backups", "canvass-20260101-000000.db"), db, userfile.ErrProtected},
		{"a new file in the backups folder", filepath.Join(dir, "backups", "x.csv"), db, userfile.ErrProtected},
		{"a link to the database", linkToDB, db, userfile.ErrProtected},
		{"the file --db links to", out, dbLink, userfile.ErrProtected},
		{"the -wal of the file --db links to", out + "-wal", dbLink, userfile.ErrProtected},
		{"/dev/null", "/dev/null", db, userfile.ErrNotRegular},
		{"a FIFO", fifo, db, userfile.ErrNotRegular},
		{"a folder", dir, db, userfile.ErrNotRegular},
		{"a link to nowhere", dangling, db, userfile.ErrNotRegular},
		{"a missing folder", filepath.Join(dir, "nope", "x.csv"), db, fs.ErrNotExist},
		{"a new file", filepath.Join(dir, "new.csv"), db, nil},
		{"an existing export", out, db, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := userfile.CheckOutput(tc.out, userfile.DatabaseFiles(tc.db))
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("CheckOutput(%s) = %v, want %v", tc.out, err, tc.want)
			}
		})
	}
}

func TestWriteAtomicLeavesSpecialFilesAndTheDatabaseAlone(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "data.db")
	write(t, db, "database")
	err := userfile.WriteAtomic(context.Background(), db, userfile.DatabaseFiles(db), func(w io.Writer) error {
		_, err := io.WriteString(w, "a,b\n")
		return err
	})
	if !errors.Is(err, userfile.ErrProtected) {
		t.Fatalf("writing over the database: %v", err)
	}
	if b, _ := os.ReadFile(db); string(b) != "database" {
		t.Fatalf("the database now holds %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("files left: %v", entries)
	}
}

func TestWriteAtomicIsPrivateAndReplacesAFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	write(t, out, "old")
	os.Chmod(out, 0o644)
	err := userfile.WriteAtomic(context.Background(), out, nil, func(w io.Writer) error {
		_, err := io.WriteString(w, "new")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(out); string(b) != "new" {
		t.Errorf("content %q", b)
	}
	// A failed write keeps the old file and leaves nothing beside it.
	err = userfile.WriteAtomic(context.Background(), out, nil, func(w io.Writer) error { return errors.New("boom") })
	if err == nil {
		t.Fatal("a failed write succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("files left: %v", entries)
	}
}

func TestCreateRemovesLeftoversButNotFilesBeingWritten(t *testing.T) {
	dir := t.TempDir()
	// A run killed part-way: a partial file nobody holds.
	leftover := filepath.Join(dir, ".c.canvass.canvass-partial-0123456789ab")
	write(t, leftover, "personal data")
	old := filepath.Join(dir, ".c.canvass.123456.tmp") // earlier versions' name
	write(t, old, "personal data")
	other := filepath.Join(dir, ".other.tmp") // not ours
	write(t, other, "x")
	// A run still writing: its partial is locked.
	busy, err := userfile.Create(filepath.Join(dir, "d.canvass"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Abort()
	busy.WriteString("in progress")

	p, err := userfile.Create(filepath.Join(dir, "c.canvass"), nil)
	if err != nil {
		t.Fatal(err)
	}
	p.WriteString("bundle")
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{leftover, old} {
		if _, err := os.Stat(gone); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s was not removed: %v", filepath.Base(gone), err)
		}
	}
	for _, kept := range []string{other, busy.Name()} {
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(kept), err)
		}
	}
}

func TestReadFileIsBoundedAndNeverWaits(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	write(t, big, strings.Repeat("x", 2000))
	small := filepath.Join(dir, "small")
	write(t, small, "hello")
	for _, tc := range []struct {
		name, path string
		want       error
	}{
		{"a FIFO", fifo, userfile.ErrNotRegular},
		{"/dev/zero", "/dev/zero", userfile.ErrNotRegular},
		{"a folder", dir, userfile.ErrNotRegular},
		{"a file past the limit", big, userfile.ErrTooLarge},
		{"a missing file", filepath.Join(dir, "none"), fs.ErrNotExist},
		{"a small file", small, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := userfile.ReadFile(tc.path, 1000)
				done <- err
			}()
			select {
			case err := <-done:
				if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
					t.Fatalf("ReadFile = %v, want %v", err, tc.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("ReadFile is still waiting")
			}
		})
	}
	b, err := userfile.ReadAll(bytes.NewReader(make([]byte, 1001)), "stdin", 1000)
	if !errors.Is(err, userfile.ErrTooLarge) || b != nil {
		t.Fatalf("ReadAll past the limit = %d bytes, %v", len(b), err)
	}
}
