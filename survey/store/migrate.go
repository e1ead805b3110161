package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// migrationFiles holds the schema, one numbered file per step
// (0001_init.sql, 0002_…); each is applied once, in its own transaction.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered schema step.
type migration struct {
	Version int
	Name    string
	SQL     string
}

var migrationName = regexp.MustCompile(`^(\d+)_[a-z0-9_]+\.sql$`)

// loadMigrations reads the embedded migrations in order and checks that
// they are numbered 1, 2, 3… without gaps.
func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		m := migrationName.FindStringSubmatch(base)
		if m == nil {
			return nil, fmt.Errorf("migration %s: name is not NNNN_words.sql", base)
		}
		v, err := strconv.Atoi(m[1])
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", base, err)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", base, err)
		}
		ms = append(ms, migration{Version: v, Name: base, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.Name, i+1)
		}
	}
	return ms, nil
}

// migrations are the embedded steps; a bad set is a build mistake that
// every test catches, so it fails loudly here.
var migrations = func() []migration {
	ms, err := loadMigrations()
	if err != nil {
		panic("store: " + err.Error())
	}
	return ms
}()

// latestVersion is the schema version this code writes.
func latestVersion() int { return len(migrations) }

// SchemaVersion returns the schema version this code writes.
func SchemaVersion() int { return latestVersion() }

// queryRower is a *sql.DB or a *sql.Tx.
type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// schemaVersion reads the highest applied migration (0 on a new file).
func schemaVersion(ctx context.Context, q queryRower) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").Scan(&n)
	if err != nil || n == 0 {
		return 0, err
	}
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

// bootstrapSQL marks a file as a Canvass database and creates the
// migration record. It is idempotent.
const bootstrapSQL = `
CREATE TABLE IF NOT EXISTS canvass_meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    applied_at TEXT    NOT NULL
);
`

// migrate brings the schema of db up to date, one transaction per step.
func migrate(ctx context.Context, db *sql.DB, now func() time.Time) error {
	return migrateTo(ctx, db, now, latestVersion())
}

// migrateTo brings the schema of db up to version upTo.
func migrateTo(ctx context.Context, db *sql.DB, now func() time.Time, upTo int) error {
	stamp := func() string { return formatTime(now()) }
	var have int
	err := inTx(ctx, db, func(tx *sql.Tx) error {
		var err error
		if have, err = schemaVersion(ctx, tx); err != nil {
			return err
		}
		if have > latestVersion() {
			return fmt.Errorf("%w: the file has schema version %d, this Canvass knows versions up to %d", ErrNewerSchema, have, latestVersion())
		}
		var marked int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'canvass_meta'").Scan(&marked); err != nil {
			return err
		}
		if marked > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, bootstrapSQL); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "PRAGMA application_id = "+strconv.Itoa(ApplicationID)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO canvass_meta (key, value) VALUES ('format', 'canvass'), ('created_at', ?)", stamp())
		return err
	})
	if err != nil {
		return fmt.Errorf("prepare schema: %w", err)
	}
	for _, m := range migrations {
		if m.Version <= have || m.Version > upTo {
			continue
		}
		err := inTx(ctx, db, func(tx *sql.Tx) error {
			// Another process may have migrated between our steps.
			v, err := schemaVersion(ctx, tx)
			if err != nil {
				return err
			}
			if v >= m.Version {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", m.Version, stamp())
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate schema to version %d (%s): %w", m.Version, m.Name, err)
		}
	}
	return nil
}

// inTx runs fn in a transaction and commits it if fn returns nil.
func inTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
