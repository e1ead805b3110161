package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"canvass/survey/userfile"
)

// A bundle carries one laptop's surveys, events and responses to another
// for MergeBundle. It is a Canvass database (same schema, so any Canvass
// of that schema version can read it) with a bundle_manifest table. It is
// built afresh, never copied from the laptop's database, so the laptop's
// settings (such as the kiosk PIN hash), audit log, server credentials and
// send state (central.go) are never in it, not even in free pages or a
// journal. See bundle_verify.go for how a bundle
// proves its content.

// BundleFormatVersion is the version of the bundle format ExportBundle
// writes. Version 2 added the content digest; version 1 bundles, which
// cannot prove their content, are refused.
const BundleFormatVersion = 2

// bundleFormat is the manifest's "format" value.
const bundleFormat = "canvass-bundle"

// ErrNotBundle: the file is a Canvass database but not a bundle, or its manifest is damaged.
var ErrNotBundle = errors.New("not a Canvass bundle")

// BundleInfo describes a bundle, from its manifest.
type BundleInfo struct {
	Path          string
	FormatVersion int
	SchemaVersion int
	DeviceID      string    // the laptop that made it
	Created       time.Time // when it was made
	EventID       string    // the one event it holds, or "" for all
	HashScheme    string    // how its responses' content hashes were made
	Surveys       int       // survey versions
	Events        int
	Responses     int
	Answers       int
}

// ExportBundle writes the surveys (every version), events and responses
// (with answers and results) of this database to a bundle file at dest,
// replacing any file there, from one consistent snapshot: the app can keep
// saving answers meanwhile. With eventID set, only that event and its
// responses go in. The bundle is built in a private folder in the system's
// temporary folder, so that nothing is ever written beside dest but the
// finished bundle, then copied there through a locked partial file moved
// into place when complete (see userfile). It refuses a dest that is a
// folder, a device or FIFO, or the database or one of its own files.
func (s *Store) ExportBundle(ctx context.Context, dest string, eventID string) (info BundleInfo, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("export bundle to %s: %w", dest, err)
		}
	}()
	if _, err := userfile.CheckOutput(dest, s.OwnFiles()); err != nil {
		return BundleInfo{}, err
	}
	if eventID != "" {
		if _, err := s.Event(ctx, eventID); err != nil {
			return BundleInfo{}, err
		}
	}
	work, err := os.MkdirTemp("", "canvass-bundle-*")
	if err != nil {
		return BundleInfo{}, err
	}
	defer os.RemoveAll(work)
	tmp := filepath.Join(work, "bundle.canvass")
	info = BundleInfo{
		FormatVersion: BundleFormatVersion,
		SchemaVersion: latestVersion(),
		DeviceID:      s.deviceID,
		Created:       s.stamp(),
		EventID:       eventID,
		HashScheme:    hashScheme,
	}
	if err := createBundleFile(ctx, tmp, s.now); err != nil {
		return BundleInfo{}, classifyWrite(err)
	}
	if err := s.copyContent(ctx, tmp, eventID); err != nil {
		return BundleInfo{}, classifyWrite(err)
	}
	if err := stampBundle(ctx, tmp, &info); err != nil {
		return BundleInfo{}, classifyWrite(err)
	}
	if err := userfile.CopyInto(ctx, tmp, dest, s.OwnFiles()); err != nil {
		return BundleInfo{}, err
	}
	info.Path = dest
	return info, nil
}

// bundleDSN opens a bundle being built, in a private folder: a rollback
// journal, so the finished bundle is one file.
func bundleDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(delete)")
	q.Add("_pragma", "synchronous(full)")
	q.Add("_pragma", "foreign_keys(1)")
	return fileURI(path, q)
}

// fileURI is the SQLite file: URI of path with the query q.
func fileURI(path string, q url.Values) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// createBundleFile makes an empty bundle at path: the schema and the manifest table.
func createBundleFile(ctx context.Context, path string, now func() time.Time) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	db, err := sql.Open("sqlite", bundleDSN(path))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := migrate(ctx, db, now); err != nil {
		return fmt.Errorf("make the bundle's schema: %w", err)
	}
	if _, err := db.ExecContext(ctx, bundleManifestSQL); err != nil {
		return err
	}
	return db.Close()
}

// copyContent copies this database's surveys, events (none active) and
// responses with their answers (only eventID's, if set) into the bundle
// at path, from one snapshot. A response's event that is not in the
// bundle is left out of it (as deleting the event would).
func (s *Store) copyContent(ctx context.Context, path, eventID string) (err error) {
	conn, release, err := s.writingConn(ctx)
	if err != nil {
		return err
	}
	defer release()
	if _, err := conn.ExecContext(ctx, "ATTACH DATABASE ? AS bundle", bundleDSN(path)); err != nil {
		return fmt.Errorf("attach the new bundle: %w", err)
	}
	defer func() {
		if _, derr := conn.ExecContext(context.Background(), "DETACH DATABASE bundle"); derr != nil && err == nil {
			err = fmt.Errorf("detach the new bundle: %w", derr)
		}
	}()
	// A deferred transaction: it reads this database and writes only the bundle.
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	type step struct {
		query string
		args  []any
	}
	steps := []step{
		{`INSERT INTO bundle.surveys (id, version, title, template, definition, content_hash, created_at, updated_at, archived)
			SELECT id, version, title, template, definition, content_hash, created_at, updated_at, archived
			FROM main.surveys ORDER BY id, version`, nil},
		{`INSERT INTO bundle.events (id, name, venue, date, notes, active, closed, created_at)
			SELECT id, name, venue, date, notes, 0, closed, created_at FROM main.events
			WHERE ? = '' OR id = ? ORDER BY id`, []any{eventID, eventID}},
		{`INSERT INTO bundle.responses (id, survey_id, survey_version, event_id, device_id, language,
				started_at, updated_at, submitted_at, status, result, conflict_of)
			SELECT r.id, r.survey_id, r.survey_version,
				CASE WHEN EXISTS (SELECT 1 FROM bundle.events b WHERE b.id = r.event_id) THEN r.event_id END,
				r.device_id, r.language, r.started_at, r.updated_at, r.submitted_at, r.status, r.result, r.conflict_of
			FROM main.responses r WHERE ? = '' OR r.event_id = ? ORDER BY r.id`, []any{eventID, eventID}},
		{`INSERT INTO bundle.answers (response_id, question, value, updated_at)
			SELECT a.response_id, a.question, a.value, a.updated_at FROM main.answers a
			WHERE a.response_id IN (SELECT id FROM bundle.responses) ORDER BY a.response_id, a.question`, nil},
	}
	for i, st := range steps {
		if _, err := conn.ExecContext(ctx, st.query, st.args...); err != nil {
			return fmt.Errorf("copy %s: %w", contentTables[i], err)
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return err
	}
	committed = true
	return nil
}

// stampBundle writes the manifest of the bundle at path: its counts (set
// in info) and the digest of its content.
func stampBundle(ctx context.Context, path string, info *BundleInfo) error {
	db, err := sql.Open("sqlite", bundleDSN(path))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	err = inTx(ctx, db, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM surveys), (SELECT count(*) FROM events),
			(SELECT count(*) FROM responses), (SELECT count(*) FROM answers)`).Scan(
			&info.Surveys, &info.Events, &info.Responses, &info.Answers)
		return err
	})
	if err != nil {
		return fmt.Errorf("count the bundle's content: %w", err)
	}
	digest, err := contentDigest(ctx, db)
	if err != nil {
		return fmt.Errorf("digest the bundle's content: %w", err)
	}
	manifest := map[string]string{
		"format":         bundleFormat,
		"format_version": strconv.Itoa(info.FormatVersion),
		"schema_version": strconv.Itoa(info.SchemaVersion),
		"device_id":      info.DeviceID,
		"created_at":     formatTime(info.Created),
		"event_id":       info.EventID,
		"content_hash":   info.HashScheme,
		"content_digest": digestScheme + ":" + digest,
		"surveys":        strconv.Itoa(info.Surveys),
		"events":         strconv.Itoa(info.Events),
		"responses":      strconv.Itoa(info.Responses),
		"answers":        strconv.Itoa(info.Answers),
	}
	err = inTx(ctx, db, func(tx *sql.Tx) error {
		for k, v := range manifest {
			if _, err := tx.ExecContext(ctx, "INSERT INTO bundle_manifest (key, value) VALUES (?, ?)", k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write the bundle's manifest: %w", err)
	}
	return db.Close()
}

// ReadBundleInfo checks that the plain (not encrypted) file at path is a
// bundle this Canvass can merge, in full (see OpenBundle), and returns its
// manifest. It only reads the file.
func ReadBundleInfo(ctx context.Context, path string) (BundleInfo, error) {
	b, err := OpenBundle(ctx, path)
	if err != nil {
		return BundleInfo{}, err
	}
	info := b.Info
	return info, b.Close()
}

// maxManifestRows bounds what readManifest reads.
const maxManifestRows = 100

// readManifest reads and checks a bundle's manifest; digest is the content digest it states.
func readManifest(ctx context.Context, db *sql.DB) (info BundleInfo, digest string, err error) {
	rows, err := db.QueryContext(ctx, "SELECT key, value FROM bundle_manifest LIMIT ?", maxManifestRows+1)
	if err != nil {
		return BundleInfo{}, "", classify(err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return BundleInfo{}, "", fmt.Errorf("%w: manifest: %v", ErrNotBundle, err)
		}
		m[k] = v
	}
	if err := rows.Err(); err != nil {
		return BundleInfo{}, "", classify(err)
	}
	if len(m) > maxManifestRows {
		return BundleInfo{}, "", fmt.Errorf("%w: its manifest has too many entries", ErrNotBundle)
	}
	if m["format"] != bundleFormat {
		return BundleInfo{}, "", fmt.Errorf("%w: manifest format is %q", ErrNotBundle, firstFewBytes(m["format"]))
	}
	number := func(key string, into *int) error {
		n, err := strconv.Atoi(m[key])
		if err != nil || n < 0 {
			return fmt.Errorf("%w: manifest %s is %q, not a number", ErrNotBundle, key, firstFewBytes(m[key]))
		}
		*into = n
		return nil
	}
	for _, f := range []struct {
		key  string
		into *int
	}{
		{"format_version", &info.FormatVersion}, {"schema_version", &info.SchemaVersion},
		{"surveys", &info.Surveys}, {"events", &info.Events}, {"responses", &info.Responses}, {"answers", &info.Answers},
	} {
		if err := number(f.key, f.into); err != nil {
			return BundleInfo{}, "", err
		}
	}
	switch {
	case info.FormatVersion > BundleFormatVersion:
		return BundleInfo{}, "", fmt.Errorf("%w: bundle format version %d, this Canvass reads versions up to %d; update Canvass to merge it",
			ErrNewerSchema, info.FormatVersion, BundleFormatVersion)
	case info.FormatVersion < BundleFormatVersion:
		return BundleInfo{}, "", fmt.Errorf("%w: it was made by an older Canvass (bundle format %d) and cannot prove its content; make it again with this version",
			ErrNotBundle, info.FormatVersion)
	}
	if info.Created, err = parseTime(m["created_at"]); err != nil {
		return BundleInfo{}, "", fmt.Errorf("%w: manifest created_at: %v", ErrNotBundle, err)
	}
	scheme, digest, _ := strings.Cut(m["content_digest"], ":")
	if scheme != digestScheme || len(digest) != 64 {
		return BundleInfo{}, "", fmt.Errorf("%w: its manifest has no content digest this Canvass knows", ErrNotBundle)
	}
	info.DeviceID, info.EventID, info.HashScheme = m["device_id"], m["event_id"], m["content_hash"]
	if len(info.DeviceID) > MaxIDLength || len(info.EventID) > MaxIDLength || len(info.HashScheme) > MaxIDLength {
		return BundleInfo{}, "", fmt.Errorf("%w: its manifest ids are too long", ErrNotBundle)
	}
	return info, digest, nil
}

// firstFewBytes shortens a value for a message.
func firstFewBytes(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
