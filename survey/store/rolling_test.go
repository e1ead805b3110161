package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/store"
)

func backupNames(t *testing.T, dir string) []string {
	t.Helper()
	list, err := store.RollingBackups(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range list {
		names = append(names, filepath.Base(b.Path))
	}
	return names
}

func TestRollingBackup(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	base := t.TempDir()
	s := mustOpenPath(t, filepath.Join(base, "canvass.db"), store.WithClock(clk.Now))
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	r := mustStart(t, s, "park", 0)
	if err := s.SaveAnswer(ctx, r.ID, "why", "the trees"); err != nil {
		t.Fatal(err)
	}
	dir := store.DefaultBackupDir(s.Path())
	if dir != filepath.Join(base, "backups") {
		t.Fatalf("DefaultBackupDir = %q", dir)
	}
	// Someone else's file in the folder is never touched.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "canvass-notes.db")
	if err := os.WriteFile(foreign, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}

	start := time.Date(2025, 12, 31, 23, 59, 58, 0, time.UTC)
	var made []string
	for i := range 5 {
		clk.Set(start.Add(time.Duration(i) * 7 * time.Hour))
		path, err := s.RollingBackup(ctx, dir, 3)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, filepath.Base(path))
	}
	if made[0] != "canvass-20251231-235958.db" || made[1] != "canvass-20260101-065958.db" {
		t.Errorf("backup names %v", made)
	}
	if got := strings.Join(backupNames(t, dir), " "); got != strings.Join(made[2:], " ") {
		t.Errorf("kept %s, want the newest 3: %v", got, made[2:])
	}
	if _, err := os.Stat(foreign); err != nil {
		t.Errorf("a foreign file was deleted: %v", err)
	}

	t.Run("two in one second", func(t *testing.T) {
		clk.Set(start.Add(40 * time.Hour))
		p1, err := s.RollingBackup(ctx, dir, 3)
		if err != nil {
			t.Fatal(err)
		}
		clk.Set(start.Add(40 * time.Hour))
		p2, err := s.RollingBackup(ctx, dir, 3)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(p2) != strings.TrimSuffix(filepath.Base(p1), ".db")+"-2.db" {
			t.Errorf("second backup in the same second: %s after %s", p2, p1)
		}
		names := backupNames(t, dir)
		if len(names) != 3 || names[2] != filepath.Base(p2) || names[1] != filepath.Base(p1) {
			t.Errorf("backups %v: the -2 one must count as the newest", names)
		}
	})

	t.Run("a backup opens", func(t *testing.T) {
		list, err := store.RollingBackups(dir)
		if err != nil || len(list) == 0 {
			t.Fatal(list, err)
		}
		newest := list[len(list)-1]
		b, err := store.OpenReadOnly(ctx, newest.Path)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if got := mustResponse(t, b, r.ID); got.Answers["why"] != "the trees" {
			t.Errorf("answers in the backup: %v", got.Answers)
		}
		if want := start.Add(40 * time.Hour); !newest.At.Equal(want) {
			t.Errorf("backup time %v, want %v", newest.At, want)
		}
	})

	t.Run("keep must be positive", func(t *testing.T) {
		before := backupNames(t, dir)
		if _, err := s.RollingBackup(ctx, dir, 0); err == nil {
			t.Error("RollingBackup with keep 0 succeeded")
		}
		if got := backupNames(t, dir); strings.Join(got, " ") != strings.Join(before, " ") {
			t.Errorf("a refused backup changed the folder: %v", got)
		}
	})

	t.Run("a failed backup deletes nothing", func(t *testing.T) {
		before := backupNames(t, dir)
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		clk.Set(start.Add(80 * time.Hour))
		if _, err := s.RollingBackup(cancelled, dir, 1); err == nil {
			t.Fatal("backup with a cancelled context succeeded")
		}
		if got := backupNames(t, dir); strings.Join(got, " ") != strings.Join(before, " ") {
			t.Errorf("backups after a failed one: %v, want %v", got, before)
		}
	})
}

func TestBackupIfDue(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	s := mustOpen(t, store.WithClock(clk.Now))
	dir := filepath.Join(t.TempDir(), "new folder", "backups")
	day0 := time.Date(2025, 6, 14, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		name string
		at   time.Time
		made bool
	}{
		{"none yet", day0, true},
		{"an hour later", day0.Add(time.Hour), false},
		{"23 hours later", day0.Add(23 * time.Hour), false},
		{"a day and a minute later", day0.Add(24*time.Hour + time.Minute), true},
		{"the clock went back a week", day0.Add(-7 * 24 * time.Hour), true},
	}
	for _, st := range steps {
		clk.Set(st.at)
		path, made, err := s.BackupIfDue(ctx, dir, 7, 24*time.Hour)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if made != st.made {
			t.Errorf("%s: made = %v, want %v", st.name, made, st.made)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s: newest backup %q: %v", st.name, path, err)
		}
	}
	if n := len(backupNames(t, dir)); n != 3 {
		t.Errorf("%d backups, want 3", n)
	}
}

// TestBackupIsConsistentWhileWriting checks a rolling backup taken while
// answers are being saved opens cleanly.
func TestBackupIsConsistentWhileWriting(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	dir := t.TempDir()
	stop, done := make(chan struct{}), make(chan error)
	go func() {
		for {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			r, err := s.StartResponse(ctx, "park", 0, "en")
			if err == nil {
				err = s.Submit(ctx, r.ID, survey.Answers{"visit": "yes"}, nil)
			}
			if err != nil {
				done <- err
				return
			}
		}
	}()
	for range 3 {
		path, err := s.RollingBackup(ctx, dir, 2)
		if err != nil {
			t.Fatal(err)
		}
		b, err := store.OpenReadOnly(ctx, path) // runs quick_check
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.CountResponses(ctx, survey.Filter{}); err != nil {
			t.Error(err)
		}
		b.Close()
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
