package userfile_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"canvass/survey/userfile"
)

func TestPrivateDirAndLeftovers(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // only this test's folders are looked at
	old, err := userfile.PrivateDir()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := userfile.PrivateDir()
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("private folder mode %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	past := time.Now().Add(-userfile.LeftoverAge - time.Minute)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	userfile.RemovePrivateLeftovers()
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Error("an old leftover was kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a fresh private folder (perhaps in use) was removed")
	}
}
