//go:build unix

package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"canvass/survey"
	"canvass/survey/store"
	"canvass/survey/userfile"
)

// A symbolic link planted at the lock file's name must not make Open
// truncate the file it points to (issue 12, item 7).
func TestOpenRefusesALockFileThatIsALink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.txt")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "L.db")
	for _, tc := range []struct {
		name  string
		plant func() error
	}{
		{"symbolic link", func() error { return os.Symlink(victim, db+".lock") }},
		{"hard link", func() error { return os.Link(victim, db+".lock") }},
		{"FIFO", func() error { return syscall.Mkfifo(db+".lock", 0o600) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(db + ".lock")
			if err := tc.plant(); err != nil {
				t.Fatal(err)
			}
			defer os.Remove(db + ".lock")
			s, err := store.Open(context.Background(), db)
			if err == nil {
				s.Close()
				t.Fatal("Open accepted the planted lock file")
			}
			if !strings.Contains(err.Error(), "lock file") {
				t.Errorf("error does not name the lock file: %v", err)
			}
			if b, _ := os.ReadFile(victim); string(b) != "precious" {
				t.Fatalf("victim.txt now holds %q", b)
			}
		})
	}
}

// The database, its -wal and -shm, the lock file and backups are readable by
// their owner only (issue 12, item 8), including a database made 0644 by an
// earlier version.
func TestDatabaseFilesArePrivate(t *testing.T) {
	ctx := context.Background()
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	for _, tc := range []struct{ name, path string }{{"new", "new.db"}, {"made 0644 before", "old.db"}} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.path)
			if tc.name != "new" {
				s := mustOpenPath(t, path)
				s.Close()
				for _, f := range []string{path, path + "-wal", path + "-shm"} {
					os.Chmod(f, 0o644)
				}
			}
			s := mustOpenPath(t, path)
			mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
			backup := filepath.Join(dir, tc.path+".backup")
			if err := s.Backup(ctx, backup); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{path, path + "-wal", path + "-shm", path + ".lock", backup} {
				fi, err := os.Stat(f)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode().Perm() != 0o600 {
					t.Errorf("%s has mode %v, want 0600", filepath.Base(f), fi.Mode().Perm())
				}
			}
		})
	}
}

// A database whose folder is deleted while it is open fails the next write
// loudly instead of reporting success (issue 12, item 4).
func TestWriteFailsWhenTheDatabaseFolderIsDeleted(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		remove func(dir, path string) error
	}{
		{"folder deleted", func(dir, _ string) error { return os.RemoveAll(dir) }},
		{"file moved", func(_, path string) error { return os.Rename(path, path+".moved") }},
		{"file replaced", func(_, path string) error {
			os.Rename(path, path+".moved")
			return os.WriteFile(path, nil, 0o600)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			os.Mkdir(dir, 0o700)
			path := filepath.Join(dir, "c.db")
			s := mustOpenPath(t, path)
			mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
			r := mustStart(t, s, "park", 0)
			if err := tc.remove(dir, path); err != nil {
				t.Fatal(err)
			}
			err := s.SaveAnswer(ctx, r.ID, "visit", "yes")
			if !errors.Is(err, store.ErrFileGone) {
				t.Fatalf("SaveAnswer after the file went = %v, want ErrFileGone", err)
			}
		})
	}
}

// A merge into a database whose folder was deleted meanwhile fails loudly.
func TestMergeFailsWhenTheDatabaseFolderIsDeleted(t *testing.T) {
	f := newFleet(t, 1)
	respond(t, f.laptops[0], map[string]string{"visit": "yes"})
	bundle := mustBundle(t, f.laptops[0], "")
	dir := filepath.Join(t.TempDir(), "data")
	os.Mkdir(dir, 0o700)
	s := mustOpenPath(t, filepath.Join(dir, "c.db"))
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeBundle(context.Background(), bundle, nil); !errors.Is(err, store.ErrFileGone) {
		t.Fatalf("MergeBundle after the folder went = %v, want ErrFileGone", err)
	}
}

// Events past the size limits are refused (a 50 MB name made a 14 GB CSV).
func TestSaveEventRefusesHugeText(t *testing.T) {
	s := mustOpen(t)
	for _, ev := range []survey.Event{
		{Name: strings.Repeat("x", store.MaxEventNameLength+1)},
		{Name: "Fair", Venue: strings.Repeat("x", store.MaxEventNameLength+1)},
		{Name: "Fair", Notes: strings.Repeat("x", store.MaxEventNotesLength+1)},
	} {
		if err := s.SaveEvent(context.Background(), &ev); err == nil {
			t.Errorf("an event of %d bytes was saved", len(ev.Name)+len(ev.Venue)+len(ev.Notes))
		}
	}
}

// An answer past the size limit is refused and nothing of it is stored.
func TestSaveAnswerRefusesHugeText(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	r := mustStart(t, s, "park", 0)
	if err := s.SaveAnswer(ctx, r.ID, "why", strings.Repeat("x", store.MaxAnswerLength+1)); err == nil {
		t.Fatal("a huge answer was saved")
	}
	if err := s.SaveAnswer(ctx, r.ID, "why", strings.Repeat("x", store.MaxAnswerLength)); err != nil {
		t.Fatalf("an answer at the limit: %v", err)
	}
}

// Backups refuse the database's own files and special files.
func TestBackupRefusesOwnAndSpecialFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	s := mustOpenPath(t, path)
	fifo := filepath.Join(dir, "fifo")
	syscall.Mkfifo(fifo, 0o600)
	for _, dest := range []string{path + "-shm", path + ".lock", "/dev/null", fifo} {
		before, _ := os.Lstat(dest)
		err := s.Backup(ctx, dest)
		if err == nil {
			t.Errorf("Backup(%s) succeeded", dest)
		}
		after, _ := os.Lstat(dest)
		if before != nil && (after == nil || !os.SameFile(before, after)) {
			t.Errorf("Backup(%s) replaced it", dest)
		}
	}
}

// readOnlyChildEnv names the database TestReadOnlyMediaChild reads.
const readOnlyChildEnv = "CANVASS_TEST_READONLY_DB"

// On a read-only disk or in a folder that cannot be written, reading
// commands work (issue 12, item 15). As root, permissions do not stop
// writes, so the reading runs in a child process as user nobody.
func TestOpenReadOnlyOnReadOnlyMedia(t *testing.T) {
	ctx := context.Background()
	base, err := os.MkdirTemp("", "canvass-ro-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	os.Chmod(base, 0o755)
	dir := filepath.Join(base, "stick")
	os.Mkdir(dir, 0o755)
	path := filepath.Join(dir, "c.db")
	s := mustOpenPath(t, path)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	r := mustStart(t, s, "park", 0)
	if err := s.SaveAnswer(ctx, r.ID, "visit", "yes"); err != nil {
		t.Fatal(err)
	}
	s.Close() // checkpoints: no -wal or -shm left
	os.Chmod(path, 0o644)
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	if _, err := os.Stat(path + "-shm"); err == nil {
		t.Fatal("a -shm file is left: the test would not test anything")
	}

	if os.Geteuid() != 0 {
		if got := readAnswer(path, r.ID); got != "visit=yes" {
			t.Fatalf("reading a database in a read-only folder: %s", got)
		}
		return
	}
	bin := filepath.Join(base, "store.test")
	copyFile(t, os.Args[0], bin)
	cmd := exec.Command(bin, "-test.run=^TestReadOnlyMediaChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), readOnlyChildEnv+"="+path, "CANVASS_TEST_RESPONSE="+r.ID, "HOME="+base)
	cmd.Dir = base
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "READ visit=yes") {
		t.Fatalf("reading as nobody from a folder it cannot write: %v\n%s", err, out)
	}
}

func TestReadOnlyMediaChild(t *testing.T) {
	path := os.Getenv(readOnlyChildEnv)
	if path == "" {
		t.Skip("run by TestOpenReadOnlyOnReadOnlyMedia")
	}
	fmt.Println("READ " + readAnswer(path, os.Getenv("CANVASS_TEST_RESPONSE")))
}

// readAnswer opens path read-only and returns "question=value" of the
// response's answer, or the error.
func readAnswer(path, id string) string {
	ctx := context.Background()
	ro, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return err.Error()
	}
	defer ro.Close()
	r, err := ro.Response(ctx, id)
	if err != nil {
		return err.Error()
	}
	if _, err := ro.Surveys(ctx); err != nil {
		return err.Error()
	}
	return "visit=" + r.Answers["visit"]
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

var _ = userfile.ErrProtected
var _ survey.Event
