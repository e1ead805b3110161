package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/store"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.Local) }

func TestEvents(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))

	spring := survey.Event{Name: "Spring fair", Venue: "Park", Date: day(2025, 4, 5), Notes: "by the pond"}
	summer := survey.Event{Name: "Summer fair", Venue: "Hall", Date: day(2025, 7, 1), Active: true}
	undated := survey.Event{Name: "Drop-in"}
	for _, ev := range []*survey.Event{&spring, &summer, &undated} {
		if err := s.SaveEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
		if len(ev.ID) != 36 {
			t.Fatalf("SaveEvent gave %q an id %q, want a UUID", ev.Name, ev.ID)
		}
	}

	t.Run("newest date first", func(t *testing.T) {
		evs, err := s.Events(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range evs {
			names = append(names, e.Name)
		}
		if len(evs) != 3 || evs[0].ID != summer.ID || evs[1].ID != spring.ID || evs[2].ID != undated.ID {
			t.Fatalf("Events order = %v", names)
		}
		if !evs[1].Date.Equal(spring.Date) || evs[1].Notes != "by the pond" || !evs[2].Date.IsZero() {
			t.Errorf("fields did not round-trip: %+v", evs)
		}
	})

	t.Run("exactly one active", func(t *testing.T) {
		active := func() string {
			ev, ok, err := s.ActiveEvent(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				return ""
			}
			return ev.Name
		}
		if got := active(); got != "Summer fair" {
			t.Errorf("active = %q, want Summer fair", got)
		}
		if err := s.SetActiveEvent(ctx, spring.ID); err != nil {
			t.Fatal(err)
		}
		if got := active(); got != "Spring fair" {
			t.Errorf("active = %q, want Spring fair", got)
		}
		if r := mustStart(t, s, "park", 0); r.EventID != spring.ID {
			t.Errorf("response tagged %q, want the spring fair", r.EventID)
		}
		// Saving another event as active takes over.
		undated.Active = true
		if err := s.SaveEvent(ctx, &undated); err != nil {
			t.Fatal(err)
		}
		if got := active(); got != "Drop-in" {
			t.Errorf("active = %q, want Drop-in", got)
		}
		var n int
		if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM events WHERE active = 1").Scan(&n); err != nil || n != 1 {
			t.Errorf("%d active events (%v), want 1", n, err)
		}
		if err := s.SetActiveEvent(ctx, ""); err != nil {
			t.Fatal(err)
		}
		if got := active(); got != "" {
			t.Errorf("active after clearing = %q", got)
		}
		if r := mustStart(t, s, "park", 0); r.EventID != "" {
			t.Errorf("response tagged %q with no active event", r.EventID)
		}
		if err := s.SetActiveEvent(ctx, "no-such-event"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SetActiveEvent(unknown) = %v, want ErrNotFound", err)
		}
	})

	t.Run("closed events are never active", func(t *testing.T) {
		if err := s.SetActiveEvent(ctx, summer.ID); err != nil {
			t.Fatal(err)
		}
		summer.Closed, summer.Active = true, true
		if err := s.SaveEvent(ctx, &summer); err != nil {
			t.Fatal(err)
		}
		if summer.Active {
			t.Error("SaveEvent left a closed event active")
		}
		if _, ok, _ := s.ActiveEvent(ctx); ok {
			t.Error("closing the active event left an event active")
		}
		if err := s.SetActiveEvent(ctx, summer.ID); err == nil {
			t.Error("SetActiveEvent on a closed event succeeded")
		}
	})

	t.Run("update and lookup", func(t *testing.T) {
		spring.Venue = "Bandstand"
		if err := s.SaveEvent(ctx, &spring); err != nil {
			t.Fatal(err)
		}
		got, err := s.Event(ctx, spring.ID)
		if err != nil || got.Venue != "Bandstand" || got.Name != "Spring fair" {
			t.Errorf("Event = %+v, %v", got, err)
		}
		if _, err := s.Event(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Event(nope) = %v, want ErrNotFound", err)
		}
		if err := s.SaveEvent(ctx, &survey.Event{Name: "  "}); err == nil {
			t.Error("SaveEvent without a name succeeded")
		}
		if err := s.DeleteEvent(ctx, "nope", "x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("DeleteEvent(nope) = %v, want ErrNotFound", err)
		}
	})
}
