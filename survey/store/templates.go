package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"canvass/survey"
)

// Built-in template versions.
//
// Every laptop installs the built-in templates (assets/templates) itself,
// so a template version must hold the same content on every laptop, or
// merging their bundles would report a survey conflict and hold back the
// responses given on it. So:
//
//   - Each built-in template declares its version in its "version" field,
//     and a changed template gets a new version (the assets tests compare
//     each template with the digest recorded for its version).
//   - Template versions are 1, 1001, 2001, … (IsTemplateVersion). Staff
//     edits never get one of those numbers (nextStaffVersion skips them),
//     so a template's new version cannot collide with an edit made on any
//     laptop, even one made before this scheme (those are 2, 3, …).
//   - InstallTemplates, run at every start, adds the declared version of
//     each template when that version is not here: as the first version on
//     a new database, beside the older ones after an upgrade. It never
//     changes or removes a stored version, and SaveSurvey never edits a
//     template's version in place either.
//
// The newest version is the survey's current one, so after an upgrade new
// interviews use the new template version, while responses, and any staff
// edits of the older versions, stay with the versions they belong to.
// Laptops with and without the upgrade merge each other's bundles without
// conflict: each brings the versions the other lacks.

// templateStride is the distance between two template version numbers.
const templateStride = 1000

// IsTemplateVersion reports whether v is one of the version numbers kept
// for built-in templates: 1, 1001, 2001, …
func IsTemplateVersion(v int) bool {
	return v >= 1 && v%templateStride == 1
}

// NextTemplateVersion returns the first template version after v.
func NextTemplateVersion(v int) int {
	if v < 1 {
		return 1
	}
	return ((v-1)/templateStride+1)*templateStride + 1
}

// nextStaffVersion returns the version a staff edit after version latest
// gets: latest+1, or the one after when that is kept for templates.
func nextStaffVersion(latest int) int {
	next := latest + 1
	if IsTemplateVersion(next) {
		next++
	}
	return next
}

// isBuiltInVersion reports whether the stored version of survey id, marked
// as coming from template, is one a built-in template installs: every
// laptop must keep it as it is.
func isBuiltInVersion(id, template string, version int) bool {
	return template != "" && template == id && IsTemplateVersion(version)
}

// editTarget is the version a changed save of survey id writes when its
// latest version, marked as coming from template, is latest: latest itself
// (updated in place), or the next staff version when latest has responses
// (used) or is a built-in template's version.
func editTarget(id, template string, latest int, used bool) int {
	if used || isBuiltInVersion(id, template, latest) {
		return nextStaffVersion(latest)
	}
	return latest
}

// EditPlan says what SaveSurvey does with a changed definition of a survey.
type EditPlan struct {
	Latest    int  // the survey's latest version
	Next      int  // the version a changed save writes: Latest (in place) or a new one
	Responses int  // responses given on Latest
	BuiltIn   bool // Latest is a built-in template's version, kept as every laptop holds it
}

// PlanEdit returns what saving a changed definition of survey id would do
// (ErrNotFound if there is no such survey), for editors to say so first.
func (s *Store) PlanEdit(ctx context.Context, id string) (EditPlan, error) {
	var p EditPlan
	var template string
	err := s.db.QueryRowContext(ctx, `SELECT s.version, s.template,
		(SELECT count(*) FROM responses r WHERE r.survey_id = s.id AND r.survey_version = s.version)
		FROM surveys s WHERE s.id = ? ORDER BY s.version DESC LIMIT 1`, id).Scan(&p.Latest, &template, &p.Responses)
	if errors.Is(err, sql.ErrNoRows) {
		return EditPlan{}, fmt.Errorf("survey %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return EditPlan{}, fmt.Errorf("plan an edit of survey %q: %w", id, err)
	}
	p.BuiltIn = isBuiltInVersion(id, template, p.Latest)
	p.Next = editTarget(id, template, p.Latest, p.Responses > 0)
	return p, nil
}

// InstallTemplates adds each built-in template's declared version when this
// database does not hold that version of it: the whole survey on a new
// database, a new version beside the stored ones after an upgrade (archived
// if the survey is archived). A version that is here already is left alone,
// whatever its content, so that running it at every start never duplicates
// or overwrites anything. It returns how many versions it added.
func (s *Store) InstallTemplates(ctx context.Context, defs []*survey.Survey) (installed int, err error) {
	for i, def := range defs {
		if err := checkSurvey(def, true); err != nil {
			return installed, fmt.Errorf("install template %d: %w", i+1, err)
		}
		if !IsTemplateVersion(def.Version) {
			return installed, fmt.Errorf("install template %q: version %d is not a template version (1, 1001, 2001, …)", def.ID, def.Version)
		}
		added := false
		err := s.write(ctx, fmt.Sprintf("install template %q version %d", def.ID, def.Version), func(tx *sql.Tx) error {
			var present bool
			err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM surveys WHERE id = ? AND version = ?)", def.ID, def.Version).Scan(&present)
			if err != nil || present {
				return err
			}
			var archived bool
			var older int
			err = tx.QueryRowContext(ctx, "SELECT archived, version FROM surveys WHERE id = ? ORDER BY version DESC LIMIT 1", def.ID).Scan(&archived, &older)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if _, err := s.insertSurvey(ctx, tx, def, def.Version, archived); err != nil {
				return err
			}
			added = true
			if older == 0 {
				return nil
			}
			return s.audit(ctx, tx, "", "install-template", def.ID,
				fmt.Sprintf("built-in template version %d added beside version %d", def.Version, older))
		})
		if err != nil {
			return installed, err
		}
		if added {
			installed++
		}
	}
	return installed, nil
}

// ContentDigest is the fingerprint of a survey's content that merges
// compare: the sha256 of its definition with the version left out.
func ContentDigest(def *survey.Survey) (string, error) {
	_, hash, err := encodeSurvey(def, def.Version)
	return hash, err
}
