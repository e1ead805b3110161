package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"canvass/survey"
)

// Use cases that several screens and commands share: each is one call, so
// that a front end only asks and shows.

// FreeSurveyID returns base, or base_2, base_3… — the first id no survey
// (archived ones included) uses.
func (s *Store) FreeSurveyID(ctx context.Context, base string) (string, error) {
	for i := 1; i < 1000; i++ {
		id := base
		if i > 1 {
			id = fmt.Sprintf("%s_%d", base, i)
		}
		_, err := s.Survey(ctx, id, 0)
		if errors.Is(err, ErrNotFound) {
			return id, nil
		}
		if err != nil {
			return "", fmt.Errorf("check survey id %q: %w", id, err)
		}
	}
	return "", fmt.Errorf("no free survey id starting %q", base)
}

// DuplicateSurvey stores a copy of the latest version of survey id under a
// new id (id_copy, id_copy_2…) as version 1, with suffix after its title in
// every language (" (copy)" in the staff's language), no longer marked as a
// built-in template. Its responses stay with the original.
func (s *Store) DuplicateSurvey(ctx context.Context, id, suffix string) (*survey.Survey, error) {
	def, err := s.Survey(ctx, id, 0)
	if err != nil {
		return nil, fmt.Errorf("duplicate survey %q: %w", id, err)
	}
	c := def.Clone()
	if c.ID, err = s.FreeSurveyID(ctx, id+"_copy"); err != nil {
		return nil, fmt.Errorf("duplicate survey %q: %w", id, err)
	}
	c.Version = 1
	c.Template = ""
	for code, t := range c.Title {
		if t != "" {
			c.Title[code] = t + suffix
		}
	}
	saved, err := s.SaveSurvey(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("duplicate survey %q: %w", id, err)
	}
	return saved, nil
}

// CloseEvent marks event id closed (and no longer active) with an audit
// line by actor, in one transaction, then makes an automatic rolling
// backup in dir keeping keep of them. A failed backup does not undo the
// closing: it comes back as backupErr, with the closed event.
func (s *Store) CloseEvent(ctx context.Context, id, actor, dir string, keep int) (ev survey.Event, backupErr error, err error) {
	ev, err = s.Event(ctx, id)
	if err != nil {
		return survey.Event{}, nil, fmt.Errorf("close event: %w", err)
	}
	err = s.write(ctx, fmt.Sprintf("close event %q", ev.Name), func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE events SET closed = 1, active = 0 WHERE id = ?", id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "close-event", ev.ID, fmt.Sprintf("event %q", ev.Name))
	})
	if err != nil {
		return survey.Event{}, nil, err
	}
	ev.Closed, ev.Active = true, false
	if _, err := s.RollingBackup(ctx, dir, keep); err != nil {
		backupErr = fmt.Errorf("the event is closed, but the automatic backup failed: %w", err)
	}
	return ev, backupErr, nil
}
