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
// of that schema version can read it) with a bundle_manifest table, and
// without the laptop's settings (such as the kiosk PIN), audit log or
// server credentials and send state (central.go).

// BundleFormatVersion is the version of the bundle format ExportBundle writes.
const BundleFormatVersion = 1

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
// temporary folder, so that nothing but the bundle's content is ever
// written beside dest, then copied there through a locked partial file
// moved into place when complete (see userfile). It refuses a dest that is
// a folder, a device or FIFO, or the database or one of its own files.
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
	tmpName := filepath.Join(work, "bundle.canvass")

	if err := s.vacuumInto(ctx, tmpName); err != nil {
		return BundleInfo{}, classifyWrite(err)
	}
	info = BundleInfo{
		FormatVersion: BundleFormatVersion,
		SchemaVersion: latestVersion(),
		DeviceID:      s.deviceID,
		Created:       s.stamp(),
		EventID:       eventID,
		HashScheme:    hashScheme,
	}
	if err := stampBundle(ctx, tmpName, &info); err != nil {
		return BundleInfo{}, classifyWrite(err)
	}
	if err := userfile.CopyInto(ctx, tmpName, dest, s.OwnFiles()); err != nil {
		return BundleInfo{}, err
	}
	info.Path = dest
	return info, nil
}

// bundleDSN opens a bundle being built: a rollback journal (one file to
// carry) and secure_delete, so that what is deleted from the copy (other
// events' responses, settings, the audit log) is overwritten, not left in
// free pages.
func bundleDSN(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(delete)")
	q.Add("_pragma", "synchronous(full)")
	q.Add("_pragma", "secure_delete(1)")
	q.Add("_pragma", "foreign_keys(1)")
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// stampBundle turns the fresh copy at path into a bundle: it keeps only
// info.EventID's responses if that is set, drops local settings and the
// audit log, fills in the content hashes and writes the manifest, whose
// counts it sets in info.
func stampBundle(ctx context.Context, path string, info *BundleInfo) error {
	db, err := sql.Open("sqlite", bundleDSN(path))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	err = inTx(ctx, db, func(tx *sql.Tx) error {
		type step struct {
			query string
			args  []any
		}
		steps := []step{
			{"DELETE FROM settings WHERE key <> ?", []any{settingDeviceID}},
			{"DELETE FROM audit", nil},
			{"UPDATE events SET active = 0 WHERE active = 1", nil},
		}
		for _, t := range centralTables { // server credentials and send state stay on this laptop
			steps = append(steps, step{"DELETE FROM " + t, nil})
		}
		if info.EventID != "" {
			steps = append(steps,
				step{"DELETE FROM responses WHERE event_id IS NOT ?", []any{info.EventID}},
				step{"DELETE FROM events WHERE id <> ?", []any{info.EventID}})
		}
		steps = append(steps,
			step{"UPDATE responses AS r SET content_hash = " + contentHashSQL("main") + " WHERE r.content_hash IS NULL", nil},
			step{"CREATE TABLE bundle_manifest (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID", nil})
		for _, st := range steps {
			if _, err := tx.ExecContext(ctx, st.query, st.args...); err != nil {
				return fmt.Errorf("%s: %w", firstLine(st.query), err)
			}
		}
		err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM surveys), (SELECT count(*) FROM events),
			(SELECT count(*) FROM responses), (SELECT count(*) FROM answers)`).Scan(
			&info.Surveys, &info.Events, &info.Responses, &info.Answers)
		if err != nil {
			return err
		}
		manifest := map[string]string{
			"format":         bundleFormat,
			"format_version": strconv.Itoa(info.FormatVersion),
			"schema_version": strconv.Itoa(info.SchemaVersion),
			"device_id":      info.DeviceID,
			"created_at":     formatTime(info.Created),
			"event_id":       info.EventID,
			"content_hash":   info.HashScheme,
			"surveys":        strconv.Itoa(info.Surveys),
			"events":         strconv.Itoa(info.Events),
			"responses":      strconv.Itoa(info.Responses),
			"answers":        strconv.Itoa(info.Answers),
		}
		for k, v := range manifest {
			if _, err := tx.ExecContext(ctx, "INSERT INTO bundle_manifest (key, value) VALUES (?, ?)", k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("build the bundle: %w", err)
	}
	if info.EventID != "" {
		// Give back the space of the other events' responses.
		if _, err := db.ExecContext(ctx, "VACUUM"); err != nil {
			return fmt.Errorf("compact the bundle: %w", err)
		}
	}
	return db.Close()
}

// ReadBundleInfo checks that the file at path is a bundle this Canvass can
// merge and returns its manifest. It only reads the file. It refuses a file
// that is not an SQLite database (ErrNotDatabase), another program's
// database (ErrNotCanvass), a Canvass database that is not a bundle
// (ErrNotBundle), a damaged or truncated one (ErrCorrupt) and one from a
// newer Canvass (ErrNewerSchema).
func ReadBundleInfo(ctx context.Context, path string) (BundleInfo, error) {
	if fi, err := os.Stat(path); err != nil {
		return BundleInfo{}, fmt.Errorf("bundle: %w", err)
	} else if fi.Mode().IsRegular() && fi.Size() == 0 {
		return BundleInfo{}, fmt.Errorf("bundle %s: %w: the file is empty", path, ErrNotDatabase)
	}
	b, err := OpenReadOnly(ctx, path)
	if err != nil {
		if inner := errors.Unwrap(err); inner != nil {
			err = inner // OpenReadOnly names the path; so do we
		}
		return BundleInfo{}, fmt.Errorf("bundle %s: %w", path, err)
	}
	defer b.Close()
	info, err := readManifest(ctx, b.db)
	if err != nil {
		return BundleInfo{}, fmt.Errorf("bundle %s: %w", path, err)
	}
	if err := b.Close(); err != nil {
		return BundleInfo{}, fmt.Errorf("bundle %s: %w", path, err)
	}
	info.Path = path
	return info, nil
}

// readManifest reads and checks a bundle's manifest.
func readManifest(ctx context.Context, db *sql.DB) (BundleInfo, error) {
	var has bool
	if err := db.QueryRowContext(ctx,
		"SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'bundle_manifest')").Scan(&has); err != nil {
		return BundleInfo{}, classify(err)
	}
	if !has {
		return BundleInfo{}, fmt.Errorf("%w: it is a Canvass database without a bundle manifest (make bundles with Export bundle or canvass bundle)", ErrNotBundle)
	}
	rows, err := db.QueryContext(ctx, "SELECT key, value FROM bundle_manifest")
	if err != nil {
		return BundleInfo{}, classify(err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return BundleInfo{}, fmt.Errorf("%w: manifest: %v", ErrNotBundle, err)
		}
		m[k] = v
	}
	if err := rows.Err(); err != nil {
		return BundleInfo{}, classify(err)
	}
	if m["format"] != bundleFormat {
		return BundleInfo{}, fmt.Errorf("%w: manifest format is %q", ErrNotBundle, m["format"])
	}
	var info BundleInfo
	number := func(key string, into *int) error {
		n, err := strconv.Atoi(m[key])
		if err != nil || n < 0 {
			return fmt.Errorf("%w: manifest %s is %q, not a number", ErrNotBundle, key, m[key])
		}
		*into = n
		return nil
	}
	for key, into := range map[string]*int{
		"format_version": &info.FormatVersion, "schema_version": &info.SchemaVersion,
		"surveys": &info.Surveys, "events": &info.Events, "responses": &info.Responses, "answers": &info.Answers,
	} {
		if err := number(key, into); err != nil {
			return BundleInfo{}, err
		}
	}
	if info.FormatVersion > BundleFormatVersion {
		return BundleInfo{}, fmt.Errorf("%w: bundle format version %d, this Canvass reads versions up to %d; update Canvass to merge it",
			ErrNewerSchema, info.FormatVersion, BundleFormatVersion)
	}
	if info.Created, err = parseTime(m["created_at"]); err != nil {
		return BundleInfo{}, fmt.Errorf("%w: manifest created_at: %v", ErrNotBundle, err)
	}
	info.DeviceID, info.EventID, info.HashScheme = m["device_id"], m["event_id"], m["content_hash"]
	return info, nil
}
