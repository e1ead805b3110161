package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"canvass/survey"
)

// Conflict is a pair of responses with one id that arrived with different
// content from different laptops: the one that was here first (Original)
// and the one a merge kept beside it (Copy).
type Conflict struct {
	SurveyID string
	Original ConflictVersion
	Copy     ConflictVersion
	// Differs names the questions whose answers differ (never the values).
	Differs []string
}

// ConflictVersion is one side of a Conflict.
type ConflictVersion struct {
	ID            string
	SurveyVersion int
	DeviceID      string
	EventID       string
	Status        survey.Status
	Started       time.Time
	Updated       time.Time
	Answers       int
}

// Conflicts lists the unresolved conflicts, oldest original first.
func (s *Store) Conflicts(ctx context.Context) ([]Conflict, error) {
	var out []Conflict
	err := s.read(ctx, "list conflicts", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT o.survey_id,
				o.id, o.survey_version, o.device_id, coalesce(o.event_id, ''), o.status, o.started_at, o.updated_at,
				(SELECT count(*) FROM answers a WHERE a.response_id = o.id),
				c.id, c.survey_version, c.device_id, coalesce(c.event_id, ''), c.status, c.started_at, c.updated_at,
				(SELECT count(*) FROM answers a WHERE a.response_id = c.id)
			FROM responses c JOIN responses o ON o.id = c.conflict_of
			WHERE c.conflict_of IS NOT NULL
			ORDER BY o.started_at, o.id, c.updated_at, c.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c Conflict
			var times [4]string
			o, k := &c.Original, &c.Copy
			if err := rows.Scan(&c.SurveyID,
				&o.ID, &o.SurveyVersion, &o.DeviceID, &o.EventID, &o.Status, &times[0], &times[1], &o.Answers,
				&k.ID, &k.SurveyVersion, &k.DeviceID, &k.EventID, &k.Status, &times[2], &times[3], &k.Answers); err != nil {
				return err
			}
			for i, into := range []*time.Time{&o.Started, &o.Updated, &k.Started, &k.Updated} {
				if *into, err = parseTime(times[i]); err != nil {
					return err
				}
			}
			out = append(out, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for i := range out {
			if out[i].Differs, err = differingAnswers(ctx, tx, out[i].Original.ID, out[i].Copy.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// differingAnswers names the questions answered differently (or only) in one of two responses.
func differingAnswers(ctx context.Context, tx *sql.Tx, a, b string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT q FROM (
			SELECT question AS q FROM answers WHERE response_id = ?1
			UNION SELECT question FROM answers WHERE response_id = ?2)
		WHERE (SELECT value FROM answers WHERE response_id = ?1 AND question = q)
			IS NOT (SELECT value FROM answers WHERE response_id = ?2 AND question = q)
		ORDER BY q`, a, b)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// conflictSide is what ResolveConflict reads of each response.
type conflictSide struct {
	id, device, status string
	conflictOf         sql.NullString
}

// ResolveConflict settles a conflict by keeping one version and deleting
// the other; keepID and dropID are the Original and Copy of a Conflict (in
// either order) or two copies of one original. The kept content always
// ends up under the original's id, so that the response keeps the id every
// laptop knows. The dropped version is remembered, so merging an old bundle
// again does not bring it back, and an audit line names who chose what.
func (s *Store) ResolveConflict(ctx context.Context, keepID, dropID, actor string) error {
	what := fmt.Sprintf("resolve conflict: keep %s, drop %s", keepID, dropID)
	if keepID == dropID {
		return fmt.Errorf("%s: the same response twice", what)
	}
	return s.write(ctx, what, func(tx *sql.Tx) error {
		var keep, drop conflictSide
		for _, side := range []*conflictSide{&keep, &drop} {
			id := keepID
			if side == &drop {
				id = dropID
			}
			err := tx.QueryRowContext(ctx, "SELECT id, device_id, status, conflict_of FROM responses WHERE id = ?", id).
				Scan(&side.id, &side.device, &side.status, &side.conflictOf)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("response %s: %w", id, ErrNotFound)
			}
			if err != nil {
				return err
			}
		}
		var original string
		switch {
		case drop.conflictOf.String == keep.id:
			original = keep.id
		case keep.conflictOf.String == drop.id:
			original = drop.id
		case keep.conflictOf.Valid && keep.conflictOf == drop.conflictOf:
			original = keep.conflictOf.String
		default:
			return errors.New("these two responses are not in conflict with each other")
		}
		var dropHash string
		if err := tx.QueryRowContext(ctx, "SELECT "+contentHashSQL("main")+" FROM responses r WHERE r.id = ?", drop.id).Scan(&dropHash); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO merge_dropped (response_id, content_hash, dropped_at) VALUES (?, ?, ?)",
			original, dropHash, formatTime(s.stamp())); err != nil {
			return err
		}
		if original == drop.id {
			// Move the kept copy's content under the original's id.
			steps := []string{
				`UPDATE responses SET (survey_id, survey_version, event_id, device_id, language, started_at, updated_at,
					submitted_at, status, result) = (SELECT survey_id, survey_version, event_id, device_id, language,
					started_at, updated_at, submitted_at, status, result FROM responses WHERE id = ?1)
				WHERE id = ?2`,
				"DELETE FROM answers WHERE response_id = ?2",
				`INSERT INTO answers (response_id, question, value, updated_at)
				SELECT ?2, question, value, updated_at FROM answers WHERE response_id = ?1`,
				"DELETE FROM responses WHERE id = ?1",
			}
			for _, q := range steps {
				if _, err := tx.ExecContext(ctx, q, keep.id, original); err != nil {
					return err
				}
			}
		} else if _, err := tx.ExecContext(ctx, "DELETE FROM responses WHERE id = ?", drop.id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "resolve-conflict", original, fmt.Sprintf(
			"kept %s (device %s, %s), dropped %s (device %s, %s)",
			keep.id, keep.device, keep.status, drop.id, drop.device, drop.status))
	})
}
