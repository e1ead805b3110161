package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Setting returns a stored setting; ok is false when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read setting %q: %w", key, err)
	}
	return value, true, nil
}

// SetSetting stores a setting, replacing any earlier value.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if key == "" {
		return errors.New("set setting: the key is empty")
	}
	if key == settingDeviceID {
		return fmt.Errorf("set setting %q: the device id cannot be changed", key)
	}
	return s.write(ctx, fmt.Sprintf("set setting %q", key), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx,
			"INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
		return err
	})
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID      int64
	At      time.Time
	Actor   string // who did it ("" when unknown)
	Action  string // what was done, e.g. "delete-response"
	Subject string // what it was done to, e.g. a response id
	Detail  string // never answer values
}

// Audit writes a line to the audit log. Detail must not hold answer values.
func (s *Store) Audit(ctx context.Context, actor, action, subject, detail string) error {
	_, err := s.auditLine(ctx, actor, action, subject, detail)
	return err
}

func (s *Store) audit(ctx context.Context, tx *sql.Tx, actor, action, subject, detail string) error {
	if strings.TrimSpace(action) == "" {
		return errors.New("audit line has no action")
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
		formatTime(s.stamp()), actor, action, subject, detail)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditLog returns the newest audit lines first, at most limit of them (all if limit ≤ 0).
func (s *Store) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.db.QueryContext(ctx,
		"SELECT id, at, actor, action, subject, detail FROM audit ORDER BY id DESC LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Subject, &e.Detail); err != nil {
			return nil, fmt.Errorf("read audit log: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("read audit log: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}

// Erasures returns when the personal data of each response was last erased
// on this laptop, from the audit log (erasures that found nothing left out).
func (s *Store) Erasures(ctx context.Context) (map[string]time.Time, error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT subject, max(at) FROM audit WHERE action = 'erase-personal' AND detail LIKE 'erased: %' GROUP BY subject")
	if err != nil {
		return nil, fmt.Errorf("read erasures: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id, at string
		if err := rows.Scan(&id, &at); err != nil {
			return nil, fmt.Errorf("read erasures: %w", err)
		}
		t, err := parseTime(at)
		if err != nil {
			return nil, fmt.Errorf("read erasures: %w", err)
		}
		out[id] = t
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read erasures: %w", err)
	}
	return out, nil
}
