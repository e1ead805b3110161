package store_test

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"database/sql"

	"canvass/survey/store"
)

// chattr sets or clears the immutable flag of files (root only).
func chattr(t *testing.T, flag string, files ...string) error {
	t.Helper()
	out, err := exec.Command("chattr", append([]string{flag}, files...)...).CombinedOutput()
	if err != nil {
		return errors.New(strings.TrimSpace(string(out)) + ": " + err.Error())
	}
	return nil
}

// canChattr skips the test unless this process can make files immutable.
func canChattr(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("making a file unwritable for the owner while it is open needs root (chattr +i); as a normal user chmod does not stop an open file")
	}
	if _, err := exec.LookPath("chattr"); err != nil {
		t.Skip("chattr is not installed")
	}
}

// integrityOK reopens the database at path and checks it.
func integrityOK(t *testing.T, path string) *store.Store {
	t.Helper()
	s := mustOpenPath(t, path)
	var check string
	if err := s.DB().QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	return s
}

func TestDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a full disk needs a small tmpfs, and mounting one needs root")
	}
	ctx := context.Background()
	mnt := filepath.Join(t.TempDir(), "small disk")
	if err := os.Mkdir(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s)", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", mnt, err, out)
		}
	})
	path := filepath.Join(mnt, "canvass.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	r := mustStart(t, s, "park", 0)
	if err := s.SaveAnswer(ctx, r.ID, "name", "Ann"); err != nil {
		t.Fatal(err)
	}
	// Fill the disk.
	filler := filepath.Join(mnt, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.Copy(f, zeroReader{})
	f.Close()
	if err == nil {
		t.Fatal("the small disk never filled up")
	}

	err = s.SaveAnswer(ctx, r.ID, "why", strings.Repeat("because ", 20000))
	if !errors.Is(err, store.ErrDiskFull) {
		t.Fatalf("SaveAnswer on a full disk = %v, want ErrDiskFull", err)
	}
	if msg := err.Error(); !strings.Contains(msg, `save answer "why"`) || !strings.Contains(msg, "disk is full") {
		t.Errorf("error %q does not say what failed and why", msg)
	}
	// Space again: the store carries on and kept everything it reported saved.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveAnswer(ctx, r.ID, "visit", "yes"); err != nil {
		t.Fatalf("SaveAnswer after space was freed: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = integrityOK(t, path)
	got := mustResponse(t, s, r.ID)
	if got.Answers["name"] != "Ann" || got.Answers["visit"] != "yes" || got.Answers["why"] != "" {
		t.Errorf("answers after the full disk: %v", got.Answers)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestFileMadeReadOnlyWhileOpen makes the database file unwritable under
// an open store: as root with chattr +i (which also stops the connections
// already open), otherwise with chmod (which stops new connections only).
func TestFileMadeReadOnlyWhileOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "canvass.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	r := mustStart(t, s, "park", 0)
	if err := s.SaveAnswer(ctx, r.ID, "name", "Ann"); err != nil {
		t.Fatal(err)
	}
	files := []string{path, path + "-wal"}
	writable := func() error { return os.Chmod(path, 0o644) }
	if os.Geteuid() == 0 {
		canChattr(t)
		if err := chattr(t, "+i", files...); err != nil {
			t.Skipf("this file system has no immutable flag: %v", err)
		}
		writable = func() error { return chattr(t, "-i", files...) }
		t.Cleanup(func() { writable() }) // if the test stops early

		// The open connection can no longer write its log.
		err = s.SaveAnswer(ctx, r.ID, "name", "Bob")
		if err == nil || !strings.Contains(err.Error(), "could not be written") {
			t.Errorf("SaveAnswer to an unwritable file = %v, want a clear write error", err)
		}
	} else if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}

	// A connection opened now (the pool opens one when all are busy) sees
	// a read-only file.
	var held []*sql.Conn
	for range 5 {
		c, err := s.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	err = s.SaveAnswer(ctx, r.ID, "name", "Cy")
	if !errors.Is(err, store.ErrReadOnly) || !strings.Contains(err.Error(), "cannot be written") {
		t.Errorf("SaveAnswer on a new connection to a read-only file = %v, want ErrReadOnly", err)
	}
	for _, c := range held {
		c.Close()
	}
	s.Close()
	if err := writable(); err != nil {
		t.Fatal(err)
	}
	s = integrityOK(t, path)
	if got := mustResponse(t, s, r.ID); got.Answers["name"] != "Ann" {
		t.Errorf("answer after the failed saves = %q, want the last one reported saved", got.Answers["name"])
	}
}

func TestOpenReadOnlyFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "canvass.db")
	s := mustOpenPath(t, path)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		canChattr(t)
		if err := chattr(t, "+i", path); err != nil {
			t.Skipf("this file system has no immutable flag: %v", err)
		}
		t.Cleanup(func() { chattr(t, "-i", path) })
	} else if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	before := fileSum(t, path)
	_, err := store.Open(ctx, path)
	if !errors.Is(err, store.ErrReadOnly) {
		t.Fatalf("Open of a read-only file = %v, want ErrReadOnly", err)
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "cannot be written") {
		t.Errorf("error %q does not name the file and the problem", err)
	}
	if fileSum(t, path) != before {
		t.Error("the read-only file changed")
	}
	ro, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("OpenReadOnly of a read-only file: %v", err)
	}
	ro.Close()
}
