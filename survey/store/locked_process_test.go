package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canvass/survey/store"
)

// lockChildEnv switches the test binary into the child of TestOpenLockedByAnotherProcess.
const lockChildEnv = "CANVASS_STORE_LOCK_CHILD_DB"

// TestOpenLockedByAnotherProcess starts a second process (this test
// binary again) that opens the database and keeps it open, and checks that
// this process is refused with a clear ErrLocked, can still read, and gets
// the database once the other process has been killed.
func TestOpenLockedByAnotherProcess(t *testing.T) {
	if path := os.Getenv(lockChildEnv); path != "" {
		s, err := store.Open(context.Background(), path)
		if err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		defer s.Close()
		fmt.Println("open")
		time.Sleep(30 * time.Second) // until killed
		os.Exit(0)
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared laptop.db")
	s := mustOpenPath(t, path)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	s.Close()

	cmd, lines := startChild(t, "TestOpenLockedByAnotherProcess", lockChildEnv+"="+path)
	killed := false
	t.Cleanup(func() {
		if !killed {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	if line := <-lines; line != "open" {
		t.Fatalf("child said %q", line)
	}

	_, err := store.Open(ctx, path)
	if !errors.Is(err, store.ErrLocked) {
		t.Fatalf("Open while another process has it = %v, want ErrLocked", err)
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "open in another Canvass") {
		t.Errorf("error %q does not name the file and say why", msg)
	}
	ro, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("OpenReadOnly while another process has it: %v", err)
	}
	if _, err := ro.Survey(ctx, "park", 0); err != nil {
		t.Errorf("reading while locked: %v", err)
	}
	ro.Close()

	// A crashed holder leaves its lock file, but not its lock.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	killed = true
	s2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after the other process died: %v", err)
	}
	s2.Close()
}
