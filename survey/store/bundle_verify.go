package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"canvass/survey"
	"canvass/survey/userfile"
)

// How a bundle proves its content (format version 2).
//
// A bundle is only ever read from a private copy, made before anything
// else looks at it, so that what is checked is what is merged. The copy
// must:
//   - be a rollback-journal SQLite file with Canvass's application id;
//   - hold exactly the objects of a Canvass schema of a known version plus
//     the manifest table: no view, trigger, index or table more or less,
//     and none altered (a view named "answers", an infinitely recursive
//     view or a trigger would otherwise run inside the merge);
//   - pass PRAGMA integrity_check and foreign_key_check in full;
//   - hold nothing but bundle content (no settings, audit log or
//     resolution records);
//   - have the counts its manifest states and the content digest it
//     states: a sha256 over every value a merge takes (contentDigest);
//   - hold only values the store can use: times, dates, statuses, ids,
//     flags and sizes within the limits (limits.go).
//
// Survey definitions that cannot be read or are not valid (survey.Validate,
// with its size limits) are not refused here: the merge reports them as
// survey conflicts and leaves them and their responses out.
//
// Anything else is refused with an error naming the bundle and, for bad
// values, the row; the database is not touched. A response's content
// hash is never read from the bundle: the merge computes it.

// Bundle is a bundle file that OpenBundle checked: a private copy of it,
// which MergeOpened reads. Close removes the copy.
type Bundle struct {
	Info BundleInfo
	dir  string // private folder of the copy
	copy string
}

// Close removes the bundle's private copy.
func (b *Bundle) Close() error {
	if b == nil || b.dir == "" {
		return nil
	}
	err := os.RemoveAll(b.dir)
	b.dir = ""
	return err
}

// OpenBundle copies the plain (not encrypted) bundle file at path to a
// private temporary folder and checks that the copy proves its content
// (see above). It refuses a file that is not an SQLite database
// (ErrNotDatabase), another program's database (ErrNotCanvass), not a
// bundle or not a sound one (ErrNotBundle), a damaged one (ErrCorrupt) and
// one from a newer Canvass (ErrNewerSchema). It only reads path.
func OpenBundle(ctx context.Context, path string) (_ *Bundle, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("bundle %s: %w", path, explainDamage(err))
		}
	}()
	dir, err := userfile.PrivateDir()
	if err != nil {
		return nil, err
	}
	b := &Bundle{dir: dir, copy: filepath.Join(dir, "bundle.canvass")}
	defer func() {
		if err != nil {
			b.Close()
		}
	}()
	if err := copyBundle(ctx, path, b.copy); err != nil {
		return nil, err
	}
	if b.Info, err = verifyBundle(ctx, b.copy); err != nil {
		return nil, err
	}
	b.Info.Path = path
	return b, nil
}

// explainDamage puts SQLite's own report of a damaged file ("database disk
// image is malformed") in words staff can act on; other errors pass as they are.
func explainDamage(err error) error {
	var se *sqlite.Error
	if errors.Is(err, ErrCorrupt) && errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CORRUPT {
		return fmt.Errorf("%w: parts of it cannot be read, so it was cut short or changed after it was written (on the disk, a memory stick or on the way); make the bundle again on the laptop it came from", ErrCorrupt)
	}
	return err
}

// copyBundle copies the regular file at path to the new private file dst,
// checking its size and SQLite header on the way.
func copyBundle(ctx context.Context, path, dst string) error {
	in, err := userfile.Open(path)
	if err != nil {
		if errors.Is(err, userfile.ErrNotRegular) {
			return fmt.Errorf("%w: %w", ErrNotDatabase, err)
		}
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	switch {
	case fi.Size() == 0:
		return fmt.Errorf("%w: the file is empty", ErrNotDatabase)
	case fi.Size() > MaxBundleSize:
		return fmt.Errorf("%w: it is %s, more than the %s a bundle may be", ErrNotBundle, userfile.Size(fi.Size()), userfile.Size(MaxBundleSize))
	}
	head := make([]byte, 100)
	if _, err := io.ReadFull(in, head); err != nil || !bytes.HasPrefix(head, sqliteHeader) {
		return ErrNotDatabase
	}
	if head[18] != 1 || head[19] != 1 {
		return fmt.Errorf("%w: the file is not in the rollback-journal format bundles are written in", ErrNotBundle)
	}
	if id := binary.BigEndian.Uint32(head[68:72]); id != ApplicationID && id != 0 {
		return fmt.Errorf("%w (application id %#x)", ErrNotCanvass, id)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = out.Write(head)
	if err == nil {
		_, err = io.Copy(out, io.LimitReader(in, MaxBundleSize-int64(len(head))+1))
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("copy the bundle to a private file: %w", err)
	}
	return ctx.Err()
}

// privateURI opens a private copy that nothing else writes: read-only,
// without locks, and never trusting functions named in its schema.
func privateURI(path string) string {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("immutable", "1")
	q.Add("_pragma", "trusted_schema(0)")
	q.Add("_pragma", "query_only(1)")
	q.Add("_pragma", "cell_size_check(1)")
	return fileURI(path, q)
}

// verifyBundle checks the private copy at path and returns its manifest.
func verifyBundle(ctx context.Context, path string) (BundleInfo, error) {
	db, err := sql.Open("sqlite", privateURI(path))
	if err != nil {
		return BundleInfo{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	version, err := checkBundleSchema(ctx, db)
	if err != nil {
		return BundleInfo{}, err
	}
	if err := integrityCheck(ctx, db); err != nil {
		return BundleInfo{}, err
	}
	info, digest, err := readManifest(ctx, db)
	if err != nil {
		return BundleInfo{}, err
	}
	if info.SchemaVersion != version {
		return BundleInfo{}, fmt.Errorf("%w: its manifest says schema version %d, its tables are version %d", ErrNotBundle, info.SchemaVersion, version)
	}
	if err := checkOnlyContent(ctx, db); err != nil {
		return BundleInfo{}, err
	}
	if err := checkCounts(ctx, db, info); err != nil {
		return BundleInfo{}, err
	}
	got, err := contentDigest(ctx, db)
	if err != nil {
		return BundleInfo{}, classify(err)
	}
	if got != digest {
		return BundleInfo{}, fmt.Errorf("%w: its content does not match its digest: the file was damaged or changed after it was written", ErrCorrupt)
	}
	if err := checkValues(ctx, db); err != nil {
		return BundleInfo{}, err
	}
	return info, nil
}

// schemaObject is one row of sqlite_schema, rootpage aside.
type schemaObject struct{ Type, Name, Table, SQL string }

func (o schemaObject) String() string { return fmt.Sprintf("%s %q", o.Type, o.Name) }

// bundleManifestSQL creates a bundle's manifest table.
const bundleManifestSQL = "CREATE TABLE bundle_manifest (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"

// expectedSchemas caches, by schema version, the objects a bundle of that version holds.
var expectedSchemas sync.Map // int → []schemaObject

// expectedSchema returns the objects of a bundle of schema version v: the
// schema migrations 1…v make, and the manifest table.
func expectedSchema(ctx context.Context, v int) ([]schemaObject, error) {
	if got, ok := expectedSchemas.Load(v); ok {
		return got.([]schemaObject), nil
	}
	db, err := sql.Open("sqlite", "file:expected?mode=memory")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := migrateTo(ctx, db, time.Now, v); err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, bundleManifestSQL); err != nil {
		return nil, err
	}
	objs, err := schemaObjects(ctx, db)
	if err != nil {
		return nil, err
	}
	expectedSchemas.Store(v, objs)
	return objs, nil
}

// schemaObjects lists a database's schema, sorted.
func schemaObjects(ctx context.Context, db *sql.DB) ([]schemaObject, error) {
	rows, err := db.QueryContext(ctx, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var objs []schemaObject
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.Type, &o.Name, &o.Table, &o.SQL); err != nil {
			return nil, fmt.Errorf("%w: its schema cannot be read (%v)", ErrNotBundle, err)
		}
		objs = append(objs, o)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	return objs, nil
}

// checkBundleSchema compares the bundle's schema with each known version's
// and returns the version it matches exactly.
func checkBundleSchema(ctx context.Context, db *sql.DB) (int, error) {
	have, err := schemaObjects(ctx, db)
	if err != nil {
		return 0, err
	}
	if !slices.ContainsFunc(have, func(o schemaObject) bool { return o.Name == "bundle_manifest" }) {
		if slices.ContainsFunc(have, func(o schemaObject) bool { return o.Name == "canvass_meta" }) {
			return 0, fmt.Errorf("%w: it is a Canvass database without a bundle manifest (make bundles with Export bundle or canvass bundle)", ErrNotBundle)
		}
		var tables []string
		for _, o := range have {
			if o.Type == "table" {
				tables = append(tables, o.Name)
			}
		}
		return 0, fmt.Errorf("%w: it has tables %s", ErrNotCanvass, strings.Join(firstFew(tables, 5), ", "))
	}
	var closest []schemaObject
	for v := latestVersion(); v >= 1; v-- {
		want, err := expectedSchema(ctx, v)
		if err != nil {
			return 0, err
		}
		if slices.Equal(have, want) {
			return v, checkVersionRecords(ctx, db, v)
		}
		if closest == nil {
			closest = want
		}
	}
	// A newer Canvass adds tables; tell that apart from a tampered file.
	if v, err := declaredSchemaVersion(ctx, db, have); err == nil && v > latestVersion() {
		return 0, fmt.Errorf("%w: the bundle has schema version %d, this Canvass knows versions up to %d; update Canvass to merge it", ErrNewerSchema, v, latestVersion())
	}
	return 0, fmt.Errorf("%w: its schema is not a Canvass schema: %s", ErrNotBundle, schemaDifference(have, closest))
}

// checkVersionRecords checks that a bundle whose schema is version v says
// so in its migration records and its application id.
func checkVersionRecords(ctx context.Context, db *sql.DB, v int) error {
	var appID, latest, n int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return classify(err)
	}
	if appID != ApplicationID {
		return fmt.Errorf("%w: it lacks Canvass's application id", ErrNotBundle)
	}
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(version), 0), count(*) FROM schema_migrations").Scan(&latest, &n); err != nil {
		return classify(err)
	}
	switch {
	case latest > latestVersion():
		return fmt.Errorf("%w: the bundle has schema version %d, this Canvass knows versions up to %d; update Canvass to merge it", ErrNewerSchema, latest, latestVersion())
	case latest != v || n != v:
		return fmt.Errorf("%w: its migration records do not match its schema (version %d)", ErrNotBundle, v)
	}
	return nil
}

// declaredSchemaVersion reads schema_migrations, if it is the real table.
func declaredSchemaVersion(ctx context.Context, db *sql.DB, have []schemaObject) (int, error) {
	want, err := expectedSchema(ctx, 1)
	if err != nil {
		return 0, err
	}
	i := slices.IndexFunc(want, func(o schemaObject) bool { return o.Name == "schema_migrations" })
	if i < 0 || !slices.Contains(have, want[i]) {
		return 0, errors.New("no migration table")
	}
	for _, o := range have {
		if o.Type == "view" || o.Type == "trigger" && o.Table == "schema_migrations" {
			return 0, errors.New("not a plain schema")
		}
	}
	var v int
	err = db.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// schemaDifference names the first few objects one schema has and the other lacks.
func schemaDifference(have, want []schemaObject) string {
	var extra, missing, changed []string
	for _, o := range have {
		if !slices.Contains(want, o) {
			if slices.ContainsFunc(want, func(w schemaObject) bool { return w.Name == o.Name }) {
				changed = append(changed, o.String())
			} else {
				extra = append(extra, o.String())
			}
		}
	}
	for _, w := range want {
		if !slices.ContainsFunc(have, func(o schemaObject) bool { return o.Name == w.Name }) {
			missing = append(missing, w.String())
		}
	}
	var parts []string
	if len(changed) > 0 {
		parts = append(parts, "not as Canvass makes them: "+strings.Join(firstFew(changed, 3), ", "))
	}
	if len(extra) > 0 {
		parts = append(parts, "unexpected: "+strings.Join(firstFew(extra, 3), ", "))
	}
	if len(missing) > 0 {
		parts = append(parts, "missing: "+strings.Join(firstFew(missing, 3), ", "))
	}
	return strings.Join(parts, "; ")
}

// integrityCheck runs the full PRAGMA integrity_check and foreign_key_check.
func integrityCheck(ctx context.Context, db *sql.DB) error {
	var problems []string
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check(5)")
	if err != nil {
		return classify(err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return classify(err)
		}
		if line != "ok" {
			problems = append(problems, firstLine(line))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return classify(err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrCorrupt, strings.Join(problems, "; "))
	}
	var table, parent string
	var rowid sql.NullInt64
	var fk int
	err = db.QueryRowContext(ctx, "PRAGMA foreign_key_check").Scan(&table, &rowid, &parent, &fk)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return classify(err)
	}
	return fmt.Errorf("%w: a row of %s points to a row of %s that is not in the bundle", ErrNotBundle, table, parent)
}

// contentTables are the tables whose rows a merge takes.
var contentTables = []string{"surveys", "events", "responses", "answers"}

// checkOnlyContent refuses a bundle with rows in any other table than the
// content tables and its bookkeeping: a bundle never carries settings
// (such as the PIN hash), the audit log or conflict resolutions.
func checkOnlyContent(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
	if err != nil {
		return classify(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return classify(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	for _, t := range tables {
		switch {
		case slices.Contains(contentTables, t), t == "bundle_manifest", t == "canvass_meta", t == "schema_migrations":
			continue
		}
		var any bool
		if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM "`+t+`")`).Scan(&any); err != nil {
			return classify(err)
		}
		if any && slices.Contains(centralTables, t) {
			return fmt.Errorf("%w: its %s table is not empty; a bundle never carries server credentials or send state", ErrNotBundle, t)
		}
		if any {
			return fmt.Errorf("%w: its %s table is not empty; a bundle carries only surveys, events and responses", ErrNotBundle, t)
		}
	}
	return nil
}

// checkCounts compares the rows of the content tables with the manifest.
func checkCounts(ctx context.Context, db *sql.DB, info BundleInfo) error {
	for _, c := range []struct {
		table string
		want  int
	}{{"surveys", info.Surveys}, {"events", info.Events}, {"responses", info.Responses}, {"answers", info.Answers}} {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+c.table).Scan(&n); err != nil {
			return classify(err)
		}
		if n != c.want {
			return fmt.Errorf("%w: its manifest says %d %s, it holds %d", ErrCorrupt, c.want, c.table, n)
		}
	}
	return nil
}

// digestQueries select, in a fixed order, every value a merge takes.
var digestQueries = []string{
	"SELECT id, version, title, template, definition, created_at, updated_at, archived FROM surveys ORDER BY id, version",
	"SELECT id, name, venue, date, notes, active, closed, created_at FROM events ORDER BY id",
	`SELECT id, survey_id, survey_version, event_id, device_id, language, started_at, updated_at, submitted_at,
		status, result, conflict_of FROM responses ORDER BY id`,
	"SELECT response_id, question, value, updated_at FROM answers ORDER BY response_id, question",
}

// digestScheme names contentDigest's recipe in the manifest.
const digestScheme = "sha256-values-v1"

// contentDigest is the hex sha256 over the content tables' values: each
// table's rows in key order, each value written with its type and length,
// so that no two contents give the same stream.
func contentDigest(ctx context.Context, db *sql.DB) (string, error) {
	h := sha256.New()
	io.WriteString(h, digestScheme)
	for i, q := range digestQueries {
		fmt.Fprintf(h, "\x00table %d\x00", i)
		if err := digestRows(ctx, db, q, h); err != nil {
			return "", fmt.Errorf("%s: %w", contentTables[i], err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func digestRows(ctx context.Context, db *sql.DB, query string, h hash.Hash) error {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		buf = buf[:0]
		for _, v := range vals {
			buf = appendValue(buf, v)
		}
		h.Write(buf)
	}
	return rows.Err()
}

// appendValue writes one SQL value: a type letter, then its bytes
// (length-prefixed text and blobs).
func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, 'n')
	case int64:
		return binary.BigEndian.AppendUint64(append(b, 'i'), uint64(x))
	case float64:
		return binary.BigEndian.AppendUint64(append(b, 'f'), math.Float64bits(x))
	case string:
		b = binary.BigEndian.AppendUint64(append(b, 's'), uint64(len(x)))
		return append(b, x...)
	case []byte:
		b = binary.BigEndian.AppendUint64(append(b, 'b'), uint64(len(x)))
		return append(b, x...)
	case bool:
		return append(b, 'B', byte(boolInt(x)))
	case time.Time:
		s := x.UTC().Format(time.RFC3339Nano)
		b = binary.BigEndian.AppendUint64(append(b, 't'), uint64(len(s)))
		return append(b, s...)
	}
	s := fmt.Sprint(v)
	b = binary.BigEndian.AppendUint64(append(b, '?'), uint64(len(s)))
	return append(b, s...)
}

// SQL conditions on one value, for checkValues.
func isTimeSQL(c string) string {
	return "(typeof(" + c + ") = 'text' AND length(" + c + ") = 24 AND strftime('%Y-%m-%dT%H:%M:%fZ', " + c + ") IS " + c + ")"
}

func isDateSQL(c string) string {
	return "(typeof(" + c + ") = 'text' AND length(" + c + ") = 10 AND date(" + c + ") IS " + c + ")"
}

func isIDSQL(c string, minLen int) string {
	return fmt.Sprintf("(typeof(%[1]s) = 'text' AND length(CAST(%[1]s AS BLOB)) BETWEEN %[2]d AND %[3]d AND %[1]s NOT GLOB '*[^A-Za-z0-9._:-]*')", c, minLen, MaxIDLength)
}

func isTextSQL(c string, minLen, maxLen int) string {
	return fmt.Sprintf("(typeof(%[1]s) = 'text' AND length(CAST(%[1]s AS BLOB)) BETWEEN %[2]d AND %[3]d)", c, minLen, maxLen)
}

func isFlagSQL(c string) string { return "(typeof(" + c + ") = 'integer' AND " + c + " IN (0, 1))" }

func orNull(c, cond string) string { return "(" + c + " IS NULL OR " + cond + ")" }

// valueCheck is one column's rule: the condition its values must meet.
type valueCheck struct{ column, cond, want string }

// valueChecks are the rules for each content table, with the expression
// that names a row.
var valueChecks = []struct {
	table, key, noun string
	checks           []valueCheck
}{
	{"surveys", "id || ' version ' || version", "survey", []valueCheck{
		{"id", isTextSQL("id", 1, survey.MaxNameLength) + " AND id NOT GLOB '*[^A-Za-z0-9_-]*'", "letters, digits, _ and -"},
		{"version", "(typeof(version) = 'integer' AND version BETWEEN 1 AND " + strconv.Itoa(maxVersion) + ")", "a whole number from 1"},
		{"title", isTextSQL("title", 2, survey.MaxTextLength*survey.MaxLanguages) + " AND json_valid(title) AND json_type(title) = 'object'", "a text in each language"},
		{"template", isTextSQL("template", 0, maxTemplateLength), "a short text"},
		{"definition", "(typeof(definition) IN ('text', 'blob') AND length(CAST(definition AS BLOB)) BETWEEN 2 AND " + strconv.Itoa(MaxDefinitionLength) +
			" AND json_valid(CAST(definition AS TEXT)))", "a survey definition of at most " + userfile.Size(MaxDefinitionLength)},
		{"created_at", isTimeSQL("created_at"), "a time"},
		{"updated_at", isTimeSQL("updated_at"), "a time"},
		{"archived", isFlagSQL("archived"), "0 or 1"},
	}},
	{"events", "id", "event", []valueCheck{
		{"id", isIDSQL("id", 1), "an id"},
		{"name", isTextSQL("name", 1, MaxEventNameLength), fmt.Sprintf("a text of at most %d bytes", MaxEventNameLength)},
		{"venue", isTextSQL("venue", 0, MaxEventNameLength), fmt.Sprintf("a text of at most %d bytes", MaxEventNameLength)},
		{"date", orNull("date", isDateSQL("date")), "a date (YYYY-MM-DD) or nothing"},
		{"notes", isTextSQL("notes", 0, MaxEventNotesLength), fmt.Sprintf("a text of at most %d bytes", MaxEventNotesLength)},
		{"active", isFlagSQL("active"), "0 or 1"},
		{"closed", isFlagSQL("closed"), "0 or 1"},
		{"created_at", isTimeSQL("created_at"), "a time"},
	}},
	{"responses", "id", "response", []valueCheck{
		{"id", isIDSQL("id", 1), "an id"},
		{"survey_id", isTextSQL("survey_id", 1, survey.MaxNameLength), "a survey id"},
		{"survey_version", "(typeof(survey_version) = 'integer' AND survey_version BETWEEN 1 AND " + strconv.Itoa(maxVersion) + ")", "a whole number from 1"},
		{"event_id", orNull("event_id", isIDSQL("event_id", 1)), "an event id or nothing"},
		{"device_id", isIDSQL("device_id", 0), "a device id"},
		{"language", isTextSQL("language", 0, maxLanguageLength), "a language code"},
		{"started_at", isTimeSQL("started_at"), "a time"},
		{"updated_at", isTimeSQL("updated_at"), "a time"},
		{"submitted_at", orNull("submitted_at", isTimeSQL("submitted_at")), "a time or nothing"},
		{"status", "(typeof(status) = 'text' AND status IN ('draft', 'complete', 'abandoned'))", "draft, complete or abandoned"},
		{"result", orNull("result", isTextSQL("result", 2, MaxResultLength)+" AND json_valid(result)"), "a decision record or nothing"},
		{"conflict_of", orNull("conflict_of", isIDSQL("conflict_of", 1)), "a response id or nothing"},
	}},
	{"answers", "response_id || ' question ' || question", "answer of response", []valueCheck{
		{"response_id", isIDSQL("response_id", 1), "a response id"},
		{"question", isTextSQL("question", 1, survey.MaxNameLength), "a question name"},
		{"value", isTextSQL("value", 0, MaxAnswerLength), fmt.Sprintf("a text of at most %d bytes", MaxAnswerLength)},
		{"updated_at", isTimeSQL("updated_at"), "a time"},
	}},
}

// checkValues refuses the first value the store could not use, naming its row.
func checkValues(ctx context.Context, db *sql.DB) error {
	for _, t := range valueChecks {
		var whens []string
		for _, c := range t.checks {
			whens = append(whens, fmt.Sprintf("WHEN NOT coalesce(%s, 0) THEN '%s'", c.cond, c.column))
		}
		q := fmt.Sprintf(`SELECT key, bad FROM (SELECT substr(CAST(%s AS TEXT), 1, 80) AS key, CASE %s END AS bad FROM %s)
			WHERE bad IS NOT NULL LIMIT 1`, t.key, strings.Join(whens, " "), t.table)
		var key sql.NullString
		var bad string
		err := db.QueryRowContext(ctx, q).Scan(&key, &bad)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return classify(err)
		}
		i := slices.IndexFunc(t.checks, func(c valueCheck) bool { return c.column == bad })
		var shown sql.NullString
		var kind string
		db.QueryRowContext(ctx, fmt.Sprintf(`SELECT substr(CAST(%[1]s AS TEXT), 1, 40), typeof(%[1]s) FROM %[2]s
			WHERE substr(CAST(%[3]s AS TEXT), 1, 80) IS ? LIMIT 1`, bad, t.table, t.key), key).Scan(&shown, &kind)
		value := "nothing"
		if shown.Valid {
			value = strconv.Quote(shown.String)
			if kind != "text" {
				value = kind + " " + value
			}
		}
		return fmt.Errorf("%w: %s %s: %s is %s, not %s", ErrNotBundle, t.noun, strconv.Quote(key.String), bad, value, t.checks[i].want)
	}
	return nil
}
