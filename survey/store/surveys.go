package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"canvass/survey"
)

// SurveySummary describes a survey for lists: its latest version and how
// many responses all its versions hold.
type SurveySummary struct {
	ID        string
	Version   int // latest version
	Title     survey.Text
	Versions  int // how many versions exist
	Complete  int // complete responses over all versions
	Partial   int // draft responses over all versions (survey.StatusDraft.Label)
	Abandoned int // abandoned responses over all versions
	Archived  bool
	Template  string
	Scored    bool      // the latest version is a scored decision tool
	Updated   time.Time // when the latest version was last saved
}

// validate runs def's Validate method when the survey package has one.
func validate(def *survey.Survey) error {
	if v, ok := any(def).(interface{ Validate() error }); ok {
		return v.Validate()
	}
	return nil
}

// checkSurvey refuses a survey the store cannot file. The store numbers
// versions itself, so unless keepVersion is set the definition is checked
// as version 1, whatever Version it carries.
func checkSurvey(def *survey.Survey, keepVersion bool) error {
	if def == nil {
		return errors.New("no survey given")
	}
	if strings.TrimSpace(def.ID) == "" {
		return errors.New("survey has no id")
	}
	c := *def
	if !keepVersion {
		c.Version = 1
	}
	return validate(&c)
}

// encodeSurvey returns the stored JSON of def as the given version, and the
// hash of its content, which leaves the version out so that equal content
// hashes equal across versions.
func encodeSurvey(def *survey.Survey, version int) (definition []byte, hash string, err error) {
	c := *def
	c.Version = 0
	plain, err := c.Marshal()
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(plain)
	c.Version = version
	definition, err = c.Marshal()
	if err != nil {
		return nil, "", err
	}
	return definition, hex.EncodeToString(sum[:]), nil
}

// SaveSurvey validates def and stores it. A new id becomes version 1. For
// an existing id, unchanged content keeps the latest version as it is; a
// latest version without responses is updated in place; one with responses,
// or one that is a built-in template's version (see InstallTemplates), is
// left alone and the edit becomes the next staff version (latest+1, skipping
// the numbers kept for templates), so every response keeps the version it
// was answered on and every laptop holds the same template versions. def's
// own Version is ignored. It returns the stored copy, with its Version set;
// def is not changed.
func (s *Store) SaveSurvey(ctx context.Context, def *survey.Survey) (*survey.Survey, error) {
	if err := checkSurvey(def, false); err != nil {
		return nil, fmt.Errorf("save survey: %w", err)
	}
	var stored []byte
	err := s.write(ctx, fmt.Sprintf("save survey %q", def.ID), func(tx *sql.Tx) error {
		var latest int
		var latestHash, latestTemplate string
		var archived bool
		err := tx.QueryRowContext(ctx,
			"SELECT version, content_hash, template, archived FROM surveys WHERE id = ? ORDER BY version DESC LIMIT 1",
			def.ID).Scan(&latest, &latestHash, &latestTemplate, &archived)
		if errors.Is(err, sql.ErrNoRows) {
			stored, err = s.insertSurvey(ctx, tx, def, 1, false)
			return err
		}
		if err != nil {
			return err
		}
		definition, hash, err := encodeSurvey(def, latest)
		if err != nil {
			return err
		}
		if hash == latestHash {
			return tx.QueryRowContext(ctx, "SELECT definition FROM surveys WHERE id = ? AND version = ?", def.ID, latest).Scan(&stored)
		}
		used, err := versionHasResponses(ctx, tx, def.ID, latest)
		if err != nil {
			return err
		}
		if next := editTarget(def.ID, latestTemplate, latest, used); next != latest {
			stored, err = s.insertSurvey(ctx, tx, def, next, archived)
			return err
		}
		_, err = tx.ExecContext(ctx,
			`UPDATE surveys SET title = ?, template = ?, definition = ?, content_hash = ?, updated_at = ?
			 WHERE id = ? AND version = ?`,
			titleJSON(def.Title), def.Template, definition, hash, formatTime(s.stamp()), def.ID, latest)
		stored = definition
		return err
	})
	if err != nil {
		return nil, err
	}
	saved, err := survey.Unmarshal(stored)
	if err != nil {
		return nil, fmt.Errorf("save survey %q: read back: %w", def.ID, err)
	}
	return saved, nil
}

// insertSurvey stores def as a new row with the given version.
func (s *Store) insertSurvey(ctx context.Context, tx *sql.Tx, def *survey.Survey, version int, archived bool) ([]byte, error) {
	definition, hash, err := encodeSurvey(def, version)
	if err != nil {
		return nil, err
	}
	now := formatTime(s.stamp())
	_, err = tx.ExecContext(ctx,
		`INSERT INTO surveys (id, version, title, template, definition, content_hash, created_at, updated_at, archived)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		def.ID, version, titleJSON(def.Title), def.Template, definition, hash, now, now, boolInt(archived))
	if err != nil {
		return nil, fmt.Errorf("insert version %d: %w", version, err)
	}
	return definition, nil
}

func titleJSON(t survey.Text) string {
	if t == nil {
		t = survey.Text{}
	}
	b, _ := json.Marshal(t) // a map of strings always encodes
	return string(b)
}

func versionHasResponses(ctx context.Context, tx *sql.Tx, id string, version int) (bool, error) {
	var used bool
	err := tx.QueryRowContext(ctx,
		"SELECT EXISTS (SELECT 1 FROM responses WHERE survey_id = ? AND survey_version = ?)", id, version).Scan(&used)
	return used, err
}

// Survey returns a version of a survey; version 0 means the latest.
// A missing survey or version is ErrNotFound.
func (s *Store) Survey(ctx context.Context, id string, version int) (*survey.Survey, error) {
	var def []byte
	var v int
	var err error
	if version == 0 {
		err = s.db.QueryRowContext(ctx,
			"SELECT definition, version FROM surveys WHERE id = ? ORDER BY version DESC LIMIT 1", id).Scan(&def, &v)
	} else {
		err = s.db.QueryRowContext(ctx,
			"SELECT definition, version FROM surveys WHERE id = ? AND version = ?", id, version).Scan(&def, &v)
	}
	if errors.Is(err, sql.ErrNoRows) {
		if version == 0 {
			return nil, fmt.Errorf("survey %q: %w", id, ErrNotFound)
		}
		return nil, fmt.Errorf("survey %q version %d: %w", id, version, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read survey %q: %w", id, err)
	}
	out, err := survey.Unmarshal(def)
	if err != nil {
		return nil, fmt.Errorf("read survey %q version %d: %w", id, v, err)
	}
	out.Version = v
	return out, nil
}

// Surveys lists the latest version of every survey that is not archived,
// ordered by title.
func (s *Store) Surveys(ctx context.Context) ([]SurveySummary, error) {
	return s.surveys(ctx, false)
}

// ArchivedSurveys lists the latest version of every archived survey, ordered by title.
func (s *Store) ArchivedSurveys(ctx context.Context) ([]SurveySummary, error) {
	return s.surveys(ctx, true)
}

func (s *Store) surveys(ctx context.Context, archived bool) ([]SurveySummary, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT s.id, s.version, s.title, s.template, s.updated_at, s.archived,
		       json_extract(s.definition, '$.scoring') IS NOT NULL,
		       (SELECT count(*) FROM surveys v WHERE v.id = s.id),
		       (SELECT count(*) FROM responses r WHERE r.survey_id = s.id AND r.status = 'complete'),
		       (SELECT count(*) FROM responses r WHERE r.survey_id = s.id AND r.status = 'draft'),
		       (SELECT count(*) FROM responses r WHERE r.survey_id = s.id AND r.status = 'abandoned')
		FROM surveys s
		WHERE s.archived = ? AND s.version = (SELECT max(m.version) FROM surveys m WHERE m.id = s.id)`,
		boolInt(archived))
	if err != nil {
		return nil, fmt.Errorf("list surveys: %w", err)
	}
	defer rows.Close()
	var out []SurveySummary
	for rows.Next() {
		var sum SurveySummary
		var title []byte
		var updated string
		if err := rows.Scan(&sum.ID, &sum.Version, &title, &sum.Template, &updated, &sum.Archived,
			&sum.Scored, &sum.Versions, &sum.Complete, &sum.Partial, &sum.Abandoned); err != nil {
			return nil, fmt.Errorf("list surveys: %w", err)
		}
		if err := json.Unmarshal(title, &sum.Title); err != nil {
			return nil, fmt.Errorf("list surveys: title of %q: %w", sum.ID, err)
		}
		if sum.Updated, err = parseTime(updated); err != nil {
			return nil, fmt.Errorf("list surveys: %q: %w", sum.ID, err)
		}
		out = append(out, sum)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list surveys: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].Title.In("en", "")), strings.ToLower(out[j].Title.In("en", ""))
		if a != b {
			return a < b
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// SurveyVersions lists the versions of a survey, oldest first (ErrNotFound if there are none).
func (s *Store) SurveyVersions(ctx context.Context, id string) ([]int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT version FROM surveys WHERE id = ? ORDER BY version", id)
	if err != nil {
		return nil, fmt.Errorf("survey %q versions: %w", id, err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("survey %q versions: %w", id, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("survey %q versions: %w", id, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("survey %q: %w", id, ErrNotFound)
	}
	return out, nil
}

// ArchiveSurvey archives (or brings back) every version of a survey.
// Archived surveys keep their responses but leave the Surveys list.
func (s *Store) ArchiveSurvey(ctx context.Context, id string, archived bool) error {
	return s.write(ctx, fmt.Sprintf("archive survey %q", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE surveys SET archived = ? WHERE id = ?", boolInt(archived), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// ImportSurvey stores def under its own id and version, for merging
// databases: a version that is absent is inserted; one that is present
// with the same content is left alone (false); one present with other
// content is an error.
func (s *Store) ImportSurvey(ctx context.Context, def *survey.Survey) (inserted bool, err error) {
	if def != nil && def.Version < 1 {
		return false, fmt.Errorf("import survey %q: version %d is not 1 or more", def.ID, def.Version)
	}
	if err := checkSurvey(def, true); err != nil {
		return false, fmt.Errorf("import survey: %w", err)
	}
	err = s.write(ctx, fmt.Sprintf("import survey %q version %d", def.ID, def.Version), func(tx *sql.Tx) error {
		_, hash, err := encodeSurvey(def, def.Version)
		if err != nil {
			return err
		}
		var have string
		err = tx.QueryRowContext(ctx, "SELECT content_hash FROM surveys WHERE id = ? AND version = ?", def.ID, def.Version).Scan(&have)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			inserted = true
			_, err = s.insertSurvey(ctx, tx, def, def.Version, false)
			return err
		case err != nil:
			return err
		case have != hash:
			return errors.New("this database holds a different survey under the same id and version")
		}
		return nil
	})
	return inserted && err == nil, err
}
