package store

import (
	"context"
	"database/sql"
	"time"
)

// EachResponseSQL exposes EachResponse's query to the tests, which check
// that SQLite can stream it without sorting.
var EachResponseSQL = eachResponseSQL

// ResealBundle rewrites the manifest counts and content digest of the
// bundle at path to match its content, as a forger would, so that tests
// reach the checks that come after the digest.
func ResealBundle(ctx context.Context, path string) error {
	info := BundleInfo{FormatVersion: BundleFormatVersion, SchemaVersion: latestVersion(), HashScheme: hashScheme}
	db, err := sql.Open("sqlite", bundleDSN(path))
	if err != nil {
		return err
	}
	if err := db.QueryRowContext(ctx, "SELECT value FROM bundle_manifest WHERE key = 'device_id'").Scan(&info.DeviceID); err != nil {
		db.Close()
		return err
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM bundle_manifest"); err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	info.Created = time.Now()
	return stampBundle(ctx, path, &info)
}

// FailReplaceFile makes the file swap of a restore fail with err until the
// returned function is called.
func FailReplaceFile(err error) (undo func()) {
	replaceFile = func(string, string) error { return err }
	return func() { replaceFile = ReplaceDatabaseFile }
}
