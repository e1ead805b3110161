package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"canvass/survey"
)

func TestDuplicateSurvey(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	orig := sampleSurvey("park", "Park")
	orig.Template = "engagement"
	mustSaveSurvey(t, s, orig)
	for _, want := range []string{"park_copy", "park_copy_2"} {
		dup, err := s.DuplicateSurvey(ctx, "park", " (copy)")
		if err != nil {
			t.Fatal(err)
		}
		if dup.ID != want || dup.Version != 1 || dup.Template != "" || dup.Title.In("en", "") != "Park (copy)" {
			t.Fatalf("duplicate = %s v%d template %q title %q; want %s", dup.ID, dup.Version, dup.Template, dup.Title.In("en", ""), want)
		}
	}
	if _, err := s.DuplicateSurvey(ctx, "nope", " (copy)"); err == nil {
		t.Fatal("duplicated a survey that is not there")
	}
}

func TestCloseEvent(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	ev := survey.Event{Name: "Fair", Active: true}
	if err := s.SaveEvent(ctx, &ev); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "backups")
	got, backupErr, err := s.CloseEvent(ctx, ev.ID, "staff", dir, 3)
	if err != nil || backupErr != nil {
		t.Fatalf("CloseEvent: %v, backup %v", err, backupErr)
	}
	stored, err := s.Event(ctx, ev.ID)
	if err != nil || !stored.Closed || stored.Active || !got.Closed {
		t.Fatalf("stored %+v (%v), returned %+v", stored, err, got)
	}
	if files, _ := os.ReadDir(dir); len(files) == 0 {
		t.Error("no automatic backup")
	}
	log, err := s.AuditLog(ctx, 1)
	if err != nil || len(log) != 1 || log[0].Action != "close-event" || log[0].Subject != ev.ID || log[0].Actor != "staff" {
		t.Errorf("audit %+v (%v)", log, err)
	}

	t.Run("a failed backup leaves the event closed", func(t *testing.T) {
		ev2 := survey.Event{Name: "Market"}
		if err := s.SaveEvent(ctx, &ev2); err != nil {
			t.Fatal(err)
		}
		blocker := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(blocker, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		_, backupErr, err := s.CloseEvent(ctx, ev2.ID, "staff", filepath.Join(blocker, "backups"), 3)
		if err != nil || backupErr == nil {
			t.Fatalf("err %v, backup err %v; want only a backup error", err, backupErr)
		}
		if stored, _ := s.Event(ctx, ev2.ID); !stored.Closed {
			t.Fatal("the event was not closed")
		}
	})
	if _, _, err := s.CloseEvent(ctx, "no-such-event", "staff", dir, 3); err == nil {
		t.Fatal("closed an event that is not there")
	}
}
