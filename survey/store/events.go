package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"canvass/survey"
)

const eventColumns = "id, name, venue, date, notes, active, closed"

// SaveEvent inserts or updates an event. An empty ID gets a new UUID,
// written back into ev. An active event makes every other event inactive;
// a closed event is never active (Active is cleared in ev).
func (s *Store) SaveEvent(ctx context.Context, ev *survey.Event) error {
	if ev == nil {
		return errors.New("save event: no event given")
	}
	if strings.TrimSpace(ev.Name) == "" {
		return fmt.Errorf("save event %q: the event has no name", ev.ID)
	}
	if len(ev.Name) > MaxEventNameLength || len(ev.Venue) > MaxEventNameLength || len(ev.Notes) > MaxEventNotesLength {
		return fmt.Errorf("save event %q: the name and venue may have at most %d bytes each, the notes %d", firstFewBytes(ev.Name), MaxEventNameLength, MaxEventNotesLength)
	}
	id := ev.ID
	if id == "" {
		id = uuid.NewString()
	}
	active := ev.Active && !ev.Closed
	var date any
	if !ev.Date.IsZero() {
		date = ev.Date.Format(DateLayout)
	}
	err := s.write(ctx, fmt.Sprintf("save event %q", ev.Name), func(tx *sql.Tx) error {
		if active {
			if _, err := tx.ExecContext(ctx, "UPDATE events SET active = 0 WHERE active = 1 AND id <> ?", id); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO events (id, name, venue, date, notes, active, closed, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, venue = excluded.venue,
				date = excluded.date, notes = excluded.notes, active = excluded.active, closed = excluded.closed`,
			id, ev.Name, ev.Venue, date, ev.Notes, boolInt(active), boolInt(ev.Closed), formatTime(s.stamp()))
		return err
	})
	if err != nil {
		return err
	}
	ev.ID, ev.Active = id, active
	return nil
}

// Events lists every event, newest date first (events without a date last).
func (s *Store) Events(ctx context.Context) ([]survey.Event, error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT "+eventColumns+" FROM events ORDER BY date DESC NULLS LAST, created_at DESC, id")
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	var out []survey.Event
	for rows.Next() {
		ev, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("list events: %w", err)
		}
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	return out, nil
}

// Event returns one event (ErrNotFound if there is none with that id).
func (s *Store) Event(ctx context.Context, id string) (survey.Event, error) {
	ev, err := scanEvent(s.db.QueryRowContext(ctx, "SELECT "+eventColumns+" FROM events WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return survey.Event{}, fmt.Errorf("event %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return survey.Event{}, fmt.Errorf("read event %q: %w", id, err)
	}
	return ev, nil
}

// SetActiveEvent makes the event with that id the only active one; ""
// leaves no event active. A closed event cannot be made active.
func (s *Store) SetActiveEvent(ctx context.Context, id string) error {
	return s.write(ctx, fmt.Sprintf("set active event %q", id), func(tx *sql.Tx) error {
		if id != "" {
			var closed bool
			err := tx.QueryRowContext(ctx, "SELECT closed FROM events WHERE id = ?", id).Scan(&closed)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return err
			}
			if closed {
				return errors.New("the event is closed; reopen it first")
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE events SET active = 0 WHERE active = 1"); err != nil {
			return err
		}
		if id == "" {
			return nil
		}
		_, err := tx.ExecContext(ctx, "UPDATE events SET active = 1 WHERE id = ?", id)
		return err
	})
}

// ActiveEvent returns the active event; ok is false when none is active.
func (s *Store) ActiveEvent(ctx context.Context) (ev survey.Event, ok bool, err error) {
	ev, err = scanEvent(s.db.QueryRowContext(ctx, "SELECT "+eventColumns+" FROM events WHERE active = 1"))
	if errors.Is(err, sql.ErrNoRows) {
		return survey.Event{}, false, nil
	}
	if err != nil {
		return survey.Event{}, false, fmt.Errorf("read active event: %w", err)
	}
	return ev, true, nil
}

// DeleteEvent removes an event and writes an audit line. Its responses
// stay, no longer tagged with any event.
func (s *Store) DeleteEvent(ctx context.Context, id, actor string) error {
	return s.write(ctx, fmt.Sprintf("delete event %q", id), func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, "SELECT name FROM events WHERE id = ?", id).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var tagged int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM responses WHERE event_id = ?", id).Scan(&tagged); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM events WHERE id = ?", id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "delete-event", id, fmt.Sprintf("event %q; %d responses untagged", name, tagged))
	})
}

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface {
	Scan(dest ...any) error
}

func scanEvent(r rowScanner) (survey.Event, error) {
	var ev survey.Event
	var date sql.NullString
	if err := r.Scan(&ev.ID, &ev.Name, &ev.Venue, &date, &ev.Notes, &ev.Active, &ev.Closed); err != nil {
		return survey.Event{}, err
	}
	if date.Valid {
		d, err := time.ParseInLocation(DateLayout, date.String, time.Local)
		if err != nil {
			return survey.Event{}, fmt.Errorf("event %q: stored date %q: %w", ev.ID, date.String, err)
		}
		ev.Date = d
	}
	return ev, nil
}
