package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/google/uuid"
	"modernc.org/sqlite"

	"canvass/survey"
)

// How a merge tells responses apart.
//
// Responses are matched by UUID. Each response has a content hash, a
// sha256 over a JSON array of its survey version, language, status, times,
// result and answers (hashScheme names this recipe), computed in SQL by
// contentHashSQL and kept in responses.content_hash until the response
// changes. Same UUID and same hash: a duplicate, skipped. Same UUID and a
// different hash: both are kept, the incoming one as a conflict copy whose
// id is derived from the original's id and the copy's hash
// (conflictCopyID), so that merging the same bundle again, or the same
// conflict on another laptop, yields the same copy and never a second one.
const hashScheme = "sha256-json-v1"

// conflictNamespace seeds the name-based UUIDs of conflict copies.
var conflictNamespace = uuid.MustParse("61abca60-1ff6-4742-acf6-ea6289726a34")

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("canvass_sha256", 1, sqlSHA256)
	sqlite.MustRegisterDeterministicScalarFunction("canvass_conflict_id", 2, sqlConflictID)
}

// sqlSHA256 is the SQL function canvass_sha256(text): its hex sha256.
func sqlSHA256(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	var sum [sha256.Size]byte
	switch v := args[0].(type) {
	case string:
		sum = sha256.Sum256([]byte(v))
	case []byte:
		sum = sha256.Sum256(v)
	case nil:
		return nil, nil
	default:
		sum = sha256.Sum256(fmt.Append(nil, v))
	}
	return hex.EncodeToString(sum[:]), nil
}

// sqlConflictID is the SQL function canvass_conflict_id(original, hash).
func sqlConflictID(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	original, _ := args[0].(string)
	hash, _ := args[1].(string)
	return conflictCopyID(original, hash), nil
}

// conflictCopyID is the id a conflicting version of response original,
// with content hash hash, gets in a database that already holds original.
func conflictCopyID(original, hash string) string {
	return uuid.NewSHA1(conflictNamespace, []byte(original+"\x00"+hash)).String()
}

// contentHashSQL is the SQL expression of the content hash of the response
// row r, whose answers are in schema's answers table.
func contentHashSQL(schema string) string {
	return `canvass_sha256(json_array('` + hashScheme + `', r.survey_id, r.survey_version, r.language, r.status,
		r.started_at, r.updated_at, r.submitted_at, r.result,
		(SELECT json_group_array(json_array(a.question, a.value) ORDER BY a.question)
		 FROM ` + schema + `.answers a WHERE a.response_id = r.id)))`
}

// MergeReport says what merging one bundle did.
type MergeReport struct {
	Bundle  string // the bundle's path ("" for a sum of several)
	Device  string // device id of the laptop that made the bundle
	Bundles int    // how many bundles the report covers

	Added      int                // responses new to this database
	Duplicates int                // responses already here with the same content, skipped
	Conflicts  []ResponseConflict // responses here with other content: the incoming version was kept beside it
	Resolved   int                // versions staff dropped earlier when resolving a conflict, skipped
	Withheld   int                // responses not imported because their survey version conflicts or is missing

	SurveysAdded    int              // survey versions new to this database
	SurveysSame     int              // survey versions already here with the same definition
	SurveyConflicts []SurveyConflict // survey versions here with another definition (nothing overwritten)
	EventsAdded     int
	EventsSame      int
	EventConflicts  []EventConflict // events here with other details (the local ones kept)

	Devices []DeviceTally // the response counts by the device that collected them
}

// ResponseConflict is a response that arrived with other content than the
// one with its id here: the incoming version is stored as Copy, pointing at
// Original, until staff resolve it (see ResolveConflict).
type ResponseConflict struct {
	Original string // id of the response already here
	Copy     string // id the incoming version was stored under
	DeviceID string // device that collected the incoming version
}

// SurveyConflict is a survey version a bundle holds that clashes with this
// database's, or that could not be read; its responses were not imported.
type SurveyConflict struct {
	SurveyID  string
	Version   int
	Reason    string
	Responses int // the bundle's responses to it, left out
}

// EventConflict is an event whose details differ between the bundle and
// this database; the local details were kept.
type EventConflict struct {
	EventID  string
	Local    string // the event's name here
	Incoming string // its name (and differing details) in the bundle
}

// DeviceTally counts a merge's responses from one collecting device.
type DeviceTally struct {
	DeviceID                                         string
	Added, Duplicates, Conflicts, Resolved, Withheld int
}

// Changed reports whether the merge wrote anything.
func (r MergeReport) Changed() bool {
	return r.Added > 0 || len(r.Conflicts) > 0 || r.SurveysAdded > 0 || r.EventsAdded > 0
}

// Responses returns how many responses the bundles held.
func (r MergeReport) Responses() int {
	return r.Added + r.Duplicates + len(r.Conflicts) + r.Resolved + r.Withheld
}

// ReportLine is one line of a merge report: what it counts, and the counts in words.
type ReportLine struct {
	What, Counts string
}

// Heading names what the report covers: the bundle and the laptop that made
// it, or how many bundles a sum covers ("" for a sum of one).
func (r MergeReport) Heading() string {
	switch {
	case r.Bundle != "":
		return fmt.Sprintf("%s (from device %s)", r.Bundle, shortID(r.Device))
	case r.Bundles != 1:
		return fmt.Sprintf("All %d bundles", r.Bundles)
	}
	return ""
}

// Lines counts what the merge did with the responses, survey versions and
// events, and with the responses of each collecting device when they came
// from more than the bundle's own.
func (r MergeReport) Lines() []ReportLine {
	lines := []ReportLine{
		{"Responses", responseCounts(r.Added, r.Duplicates, len(r.Conflicts), r.Resolved, r.Withheld)},
		{"Survey versions", fmt.Sprintf("%d added, %d already here, %d conflicting", r.SurveysAdded, r.SurveysSame, len(r.SurveyConflicts))},
		{"Events", fmt.Sprintf("%d added, %d already here, %d differing", r.EventsAdded, r.EventsSame, len(r.EventConflicts))},
	}
	if len(r.Devices) > 1 || (len(r.Devices) == 1 && r.Devices[0].DeviceID != r.Device) {
		for _, d := range r.Devices {
			lines = append(lines, ReportLine{"Device " + shortID(d.DeviceID), responseCounts(d.Added, d.Duplicates, d.Conflicts, d.Resolved, d.Withheld)})
		}
	}
	return lines
}

func responseCounts(added, duplicates, conflicts, resolved, withheld int) string {
	s := fmt.Sprintf("%d new, %d already here, %s", added, duplicates, survey.Counted(conflicts, "conflict", "conflicts"))
	if resolved > 0 {
		s += fmt.Sprintf(", %d dropped earlier", resolved)
	}
	if withheld > 0 {
		s += fmt.Sprintf(", %d not imported", withheld)
	}
	return s
}

// Notes says in words what needs a look: survey versions and events that
// differ from this laptop's, and the responses kept beside one here (the
// first ten, then how many more), with where to resolve them.
func (r MergeReport) Notes() []string {
	var notes []string
	for _, c := range r.SurveyConflicts {
		notes = append(notes, fmt.Sprintf("Survey %q version %d: %s. Its %s not imported (%s in the bundle).",
			c.SurveyID, c.Version, c.Reason, survey.Counted(c.Responses, "response was", "responses were"), survey.Pick(c.Responses, "it stays", "they stay")))
	}
	for _, e := range r.EventConflicts {
		notes = append(notes, fmt.Sprintf("Event %q differs in the bundle (%s); this laptop's details were kept.", e.Local, e.Incoming))
	}
	const shown = 10
	for i, c := range r.Conflicts {
		if i == shown {
			notes = append(notes, fmt.Sprintf("… and %s more.", survey.Counted(len(r.Conflicts)-shown, "conflict", "conflicts")))
			break
		}
		notes = append(notes, fmt.Sprintf("Response %s differs from the one here: the bundle's version is kept beside it as %s.", c.Original, c.Copy))
	}
	if len(r.Conflicts) > 0 {
		notes = append(notes, "Resolve the conflicts in the response browser: keep one version of each.")
	}
	return notes
}

// String is the report as text for people (the CLI prints it): the
// heading, then its lines and notes indented.
func (r MergeReport) String() string {
	var b strings.Builder
	if h := r.Heading(); h != "" {
		b.WriteString(h + ":\n")
	}
	for _, l := range r.Lines() {
		fmt.Fprintf(&b, "  %s: %s\n", l.What, l.Counts)
	}
	for _, n := range r.Notes() {
		fmt.Fprintf(&b, "  %s\n", n)
	}
	return b.String()
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	if id == "" {
		return "(unknown)"
	}
	return id
}

// SumReports adds reports up into one, for several bundles merged in a row.
func SumReports(reports ...MergeReport) MergeReport {
	var sum MergeReport
	devices := map[string]int{} // index in sum.Devices
	for _, r := range reports {
		sum.Bundles += max(r.Bundles, 1)
		sum.Added += r.Added
		sum.Duplicates += r.Duplicates
		sum.Conflicts = append(sum.Conflicts, r.Conflicts...)
		sum.Resolved += r.Resolved
		sum.Withheld += r.Withheld
		sum.SurveysAdded += r.SurveysAdded
		sum.SurveysSame += r.SurveysSame
		sum.SurveyConflicts = append(sum.SurveyConflicts, r.SurveyConflicts...)
		sum.EventsAdded += r.EventsAdded
		sum.EventsSame += r.EventsSame
		sum.EventConflicts = append(sum.EventConflicts, r.EventConflicts...)
		for _, d := range r.Devices {
			i, ok := devices[d.DeviceID]
			if !ok {
				i = len(sum.Devices)
				devices[d.DeviceID] = i
				sum.Devices = append(sum.Devices, DeviceTally{DeviceID: d.DeviceID})
			}
			t := &sum.Devices[i]
			t.Added += d.Added
			t.Duplicates += d.Duplicates
			t.Conflicts += d.Conflicts
			t.Resolved += d.Resolved
			t.Withheld += d.Withheld
		}
	}
	if len(reports) == 1 {
		sum.Bundle, sum.Device = reports[0].Bundle, reports[0].Device
	}
	return sum
}

// mergeSteps is the total MergeBundle reports to its progress function.
const mergeSteps = 8

// MergeBundle merges a bundle made by ExportBundle on another laptop into
// this database, in one transaction: surveys (by id, version and content),
// events (by id) and responses (by id and content hash, see hashScheme).
// Nothing here is ever overwritten: a survey version or event that differs
// is reported and the local one kept; a response that differs is kept
// beside the local one as a conflict for staff to resolve. Merging the same
// bundle again changes nothing. A file that is not a bundle, is damaged or
// truncated, or comes from a newer Canvass is refused before anything is
// written. progress, if not nil, is called with the steps done out of a total.
func (s *Store) MergeBundle(ctx context.Context, path string, progress func(done, total int)) (MergeReport, error) {
	if progress != nil {
		progress(0, mergeSteps)
	}
	b, err := OpenBundle(ctx, path)
	if err != nil {
		return MergeReport{}, fmt.Errorf("merge: %w", err)
	}
	defer b.Close()
	return s.MergeOpened(ctx, b, progress)
}

// MergeOpened is MergeBundle for a bundle OpenBundle has checked already.
func (s *Store) MergeOpened(ctx context.Context, b *Bundle, progress func(done, total int)) (MergeReport, error) {
	step := func(done int) {
		if progress != nil {
			progress(done, mergeSteps)
		}
	}
	step(1)
	rep := MergeReport{Bundle: b.Info.Path, Device: b.Info.DeviceID, Bundles: 1}
	m := merger{s: s, rep: &rep, step: step}
	err := s.writeAttached(ctx, fmt.Sprintf("merge bundle %s", b.Info.Path), b.copy, m.run)
	if err != nil {
		return MergeReport{}, err
	}
	step(mergeSteps)
	return rep, nil
}

// writeAttached runs fn in one write transaction on a connection to which
// the database at path is attached read-only as schema "incoming".
func (s *Store) writeAttached(ctx context.Context, what, path string, fn func(ctx context.Context, tx *sql.Tx) error) (err error) {
	if s.readOnly {
		return fmt.Errorf("%s: %w", what, ErrReadOnly)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	select {
	case s.writeSlot <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
	defer func() { <-s.writeSlot }()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer conn.Close()
	// ATTACH cannot run inside a transaction.
	if _, err := conn.ExecContext(ctx, "ATTACH DATABASE ? AS incoming", privateURI(abs)); err != nil {
		return fmt.Errorf("%s: attach: %w", what, classify(err))
	}
	defer func() {
		if _, derr := conn.ExecContext(context.Background(), "DETACH DATABASE incoming"); derr != nil {
			// Never hand a connection with the bundle attached back to the pool.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, classifyWrite(err))
	}
	defer tx.Rollback()
	if err := fn(ctx, tx); err != nil {
		return fmt.Errorf("%s: %w", what, classifyWrite(classify(err)))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", what, classifyWrite(err))
	}
	return s.stillThere(what)
}

// merger is one MergeBundle's work inside its transaction.
type merger struct {
	s    *Store
	rep  *MergeReport
	step func(done int)
}

// mergeTemp lists the temporary tables of a merge.
var mergeTemp = []string{"temp.merge_withheld", "temp.merge_plan"}

func (m *merger) run(ctx context.Context, tx *sql.Tx) error {
	for _, t := range mergeTemp {
		if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+t); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "CREATE TABLE temp.merge_withheld (survey_id TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (survey_id, version))"); err != nil {
		return err
	}
	if err := m.surveys(ctx, tx); err != nil {
		return fmt.Errorf("surveys: %w", err)
	}
	m.step(2)
	if err := m.events(ctx, tx); err != nil {
		return fmt.Errorf("events: %w", err)
	}
	m.step(3)
	if err := m.plan(ctx, tx); err != nil {
		return fmt.Errorf("compare responses: %w", err)
	}
	m.step(5)
	if err := m.insert(ctx, tx); err != nil {
		return err
	}
	m.step(7)
	if err := m.tally(ctx, tx); err != nil {
		return fmt.Errorf("count responses: %w", err)
	}
	for _, t := range mergeTemp {
		if _, err := tx.ExecContext(ctx, "DROP TABLE "+t); err != nil {
			return err
		}
	}
	if m.rep.Changed() {
		return m.s.audit(ctx, tx, "", "merge-bundle", m.rep.Device, fmt.Sprintf(
			"bundle %s: %s added, %s, %s, %d withheld; %s and %s added",
			filepath.Base(m.rep.Bundle), survey.Counted(m.rep.Added, "response", "responses"),
			survey.Counted(m.rep.Duplicates, "duplicate", "duplicates"), survey.Counted(len(m.rep.Conflicts), "conflict", "conflicts"),
			m.rep.Withheld, survey.Counted(m.rep.SurveysAdded, "survey version", "survey versions"),
			survey.Counted(m.rep.EventsAdded, "event", "events")))
	}
	return nil
}

// incomingSurvey is a survey version row of a bundle.
type incomingSurvey struct {
	id               string
	version          int
	title, template  string
	definition       []byte
	created, updated string
	archived         bool
}

// surveys adds the bundle's survey versions that are not here, and lists
// the ones that clash with a local definition in temp.merge_withheld.
func (m *merger) surveys(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, version, title, template, definition, created_at, updated_at, archived
		FROM incoming.surveys ORDER BY id, version`)
	if err != nil {
		return err
	}
	var in []incomingSurvey
	for rows.Next() {
		var v incomingSurvey
		if err := rows.Scan(&v.id, &v.version, &v.title, &v.template, &v.definition, &v.created, &v.updated, &v.archived); err != nil {
			rows.Close()
			return err
		}
		in = append(in, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, v := range in {
		reason, err := m.survey(ctx, tx, v)
		if err != nil {
			return fmt.Errorf("survey %q version %d: %w", v.id, v.version, err)
		}
		if reason == "" {
			continue
		}
		c := SurveyConflict{SurveyID: v.id, Version: v.version, Reason: reason}
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM incoming.responses WHERE survey_id = ? AND survey_version = ?",
			v.id, v.version).Scan(&c.Responses); err != nil {
			return err
		}
		m.rep.SurveyConflicts = append(m.rep.SurveyConflicts, c)
		if _, err := tx.ExecContext(ctx, "INSERT INTO temp.merge_withheld (survey_id, version) VALUES (?, ?)", v.id, v.version); err != nil {
			return err
		}
	}
	return nil
}

// survey merges one survey version, returning why it clashes ("" if it does not).
func (m *merger) survey(ctx context.Context, tx *sql.Tx, v incomingSurvey) (clash string, err error) {
	def, err := survey.Unmarshal(v.definition)
	if err != nil {
		return fmt.Sprintf("its definition cannot be read (%v)", err), nil
	}
	if def.ID != v.id {
		return fmt.Sprintf("its definition is of survey %q", firstFewBytes(def.ID)), nil
	}
	def.Version = v.version
	if err := checkSurvey(def, true); err != nil {
		return fmt.Sprintf("its definition is not valid (%s)", firstLine(err.Error())), nil
	}
	definition, hash, err := encodeSurvey(def, v.version)
	if err != nil {
		return "", err
	}
	var local []byte
	err = tx.QueryRowContext(ctx, "SELECT definition FROM main.surveys WHERE id = ? AND version = ?", v.id, v.version).Scan(&local)
	if errors.Is(err, sql.ErrNoRows) {
		title := titleJSON(def.Title) // from the definition, whatever the bundle's column says
		_, err = tx.ExecContext(ctx, `INSERT INTO main.surveys
			(id, version, title, template, definition, content_hash, created_at, updated_at, archived)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.id, v.version, title, v.template, definition, hash, v.created, v.updated, boolInt(v.archived))
		if err == nil {
			m.rep.SurveysAdded++
		}
		return "", err
	}
	if err != nil {
		return "", err
	}
	// Both hashes come from this code, whatever wrote the stored ones.
	localDef, err := survey.Unmarshal(local)
	if err != nil {
		return "", fmt.Errorf("read the local definition: %w", err)
	}
	_, localHash, err := encodeSurvey(localDef, v.version)
	if err != nil {
		return "", err
	}
	if localHash != hash {
		return "this database holds a different definition under the same id and version", nil
	}
	m.rep.SurveysSame++
	return "", nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// events adds the bundle's events that are not here (never active) and
// reports the ones whose details differ.
func (m *merger) events(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT b.id, l.name, b.name,
			l.name IS NOT b.name, l.venue IS NOT b.venue, l.date IS NOT b.date, l.notes IS NOT b.notes
		FROM incoming.events b JOIN main.events l ON l.id = b.id ORDER BY b.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c EventConflict
		var name, venue, date, notes bool
		if err := rows.Scan(&c.EventID, &c.Local, &c.Incoming, &name, &venue, &date, &notes); err != nil {
			return err
		}
		var what []string
		for _, d := range []struct {
			differs bool
			field   string
		}{{name, "name"}, {venue, "venue"}, {date, "date"}, {notes, "notes"}} {
			if d.differs {
				what = append(what, d.field)
			}
		}
		if len(what) == 0 {
			m.rep.EventsSame++
			continue
		}
		c.Incoming = fmt.Sprintf("%q, other %s", c.Incoming, strings.Join(what, ", "))
		m.rep.EventConflicts = append(m.rep.EventConflicts, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	res, err := tx.ExecContext(ctx, `INSERT INTO main.events (id, name, venue, date, notes, active, closed, created_at)
		SELECT b.id, b.name, b.venue, b.date, b.notes, 0, b.closed, b.created_at FROM incoming.events b
		WHERE NOT EXISTS (SELECT 1 FROM main.events l WHERE l.id = b.id)`)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	m.rep.EventsAdded = int(n)
	return err
}

// plan fills temp.merge_plan: one row per incoming response with its
// content hash and what to do with it (action), and where it goes (target_id).
func (m *merger) plan(ctx context.Context, tx *sql.Tx) error {
	// Computed from the bundle's answers, never read from it: a stored
	// hash could vouch for content the bundle does not hold.
	hash := contentHashSQL("incoming")
	steps := []string{
		`CREATE TABLE temp.merge_plan (
			bundle_id   TEXT NOT NULL PRIMARY KEY,
			root        TEXT NOT NULL,  -- the original's id: conflict_of, or the id itself
			conflict_of TEXT,
			device_id   TEXT NOT NULL,
			hash        TEXT NOT NULL,
			usable      INTEGER NOT NULL, -- its survey version is here and does not clash
			action      TEXT,             -- withheld, resolved, duplicate, new, conflict
			target_id   TEXT,
			target_conflict_of TEXT
		)`,
		`INSERT INTO temp.merge_plan (bundle_id, root, conflict_of, device_id, hash, usable)
		SELECT r.id, coalesce(r.conflict_of, r.id), r.conflict_of, r.device_id, ` + hash + `,
			EXISTS (SELECT 1 FROM main.surveys s WHERE s.id = r.survey_id AND s.version = r.survey_version)
			AND NOT EXISTS (SELECT 1 FROM temp.merge_withheld w WHERE w.survey_id = r.survey_id AND w.version = r.survey_version)
		FROM incoming.responses r`,
		"CREATE INDEX temp.merge_plan_root ON merge_plan (root)",
	}
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	m.step(4)
	steps = []string{
		// Local responses the bundle shares get their hash, once.
		`UPDATE main.responses AS r SET content_hash = ` + contentHashSQL("main") + `
		WHERE r.content_hash IS NULL AND (r.id IN (SELECT root FROM temp.merge_plan)
			OR r.id IN (SELECT bundle_id FROM temp.merge_plan))`,
		`UPDATE temp.merge_plan AS p SET action = CASE
			WHEN NOT p.usable THEN 'withheld'
			WHEN EXISTS (SELECT 1 FROM main.merge_dropped d WHERE d.response_id = p.root AND d.content_hash = p.hash) THEN 'resolved'
			WHEN EXISTS (SELECT 1 FROM main.responses l WHERE l.id = p.root AND l.content_hash = p.hash)
				OR EXISTS (SELECT 1 FROM main.responses l WHERE l.id = p.bundle_id AND l.content_hash = p.hash)
				OR EXISTS (SELECT 1 FROM main.responses l WHERE l.id = canvass_conflict_id(p.root, p.hash)) THEN 'duplicate'
			WHEN NOT EXISTS (SELECT 1 FROM main.responses l WHERE l.id = p.bundle_id) THEN 'insert'
			ELSE 'copy' END`,
		// A response new here keeps its id (and, if it is a conflict copy
		// made elsewhere, its original); one whose id is taken becomes a
		// conflict copy of the original.
		`UPDATE temp.merge_plan AS p SET
			target_id = CASE p.action WHEN 'insert' THEN p.bundle_id ELSE canvass_conflict_id(p.root, p.hash) END,
			target_conflict_of = CASE p.action WHEN 'insert' THEN p.conflict_of ELSE p.root END,
			action = CASE
				WHEN p.action = 'copy' THEN 'conflict'
				WHEN p.conflict_of IS NOT NULL AND (EXISTS (SELECT 1 FROM main.responses l WHERE l.id = p.root)
					OR EXISTS (SELECT 1 FROM temp.merge_plan q WHERE q.bundle_id = p.root)) THEN 'conflict'
				ELSE 'new' END
		WHERE p.action IN ('insert', 'copy')`,
		// Two incoming versions with one target (a bundle holding a
		// response and an identical copy of it): the first one wins.
		`UPDATE temp.merge_plan SET action = 'duplicate'
		WHERE action IN ('new', 'conflict') AND rowid NOT IN
			(SELECT min(rowid) FROM temp.merge_plan WHERE action IN ('new', 'conflict') GROUP BY target_id)`,
	}
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// insert copies the planned responses and their answers. CROSS JOIN
// keeps SQLite walking the plan (and skipping what is not to be added)
// rather than every answer of the bundle; rows go in in key order, which
// SQLite's B-trees take fastest.
func (m *merger) insert(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO main.responses (id, survey_id, survey_version, event_id, device_id, language,
			started_at, updated_at, submitted_at, status, result, conflict_of, content_hash)
		SELECT p.target_id, r.survey_id, r.survey_version,
			CASE WHEN EXISTS (SELECT 1 FROM main.events e WHERE e.id = r.event_id) THEN r.event_id END,
			r.device_id, r.language, r.started_at, r.updated_at, r.submitted_at, r.status, r.result,
			p.target_conflict_of, p.hash
		FROM temp.merge_plan p CROSS JOIN incoming.responses r ON r.id = p.bundle_id
		WHERE p.action IN ('new', 'conflict')
		ORDER BY p.target_id`)
	if err != nil {
		return fmt.Errorf("add responses: %w", err)
	}
	m.step(6)
	_, err = tx.ExecContext(ctx, `INSERT INTO main.answers (response_id, question, value, updated_at)
		SELECT p.target_id, a.question, a.value, a.updated_at
		FROM temp.merge_plan p CROSS JOIN incoming.answers a ON a.response_id = p.bundle_id
		WHERE p.action IN ('new', 'conflict')
		ORDER BY p.target_id, a.question`)
	if err != nil {
		return fmt.Errorf("add answers: %w", err)
	}
	return nil
}

// tally fills the report's response counts from the plan.
func (m *merger) tally(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT device_id, action, count(*) FROM temp.merge_plan GROUP BY device_id, action ORDER BY device_id")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var device, action string
		var n int
		if err := rows.Scan(&device, &action, &n); err != nil {
			return err
		}
		if len(m.rep.Devices) == 0 || m.rep.Devices[len(m.rep.Devices)-1].DeviceID != device {
			m.rep.Devices = append(m.rep.Devices, DeviceTally{DeviceID: device})
		}
		d := &m.rep.Devices[len(m.rep.Devices)-1]
		switch action {
		case "new":
			d.Added += n
			m.rep.Added += n
		case "duplicate":
			d.Duplicates += n
			m.rep.Duplicates += n
		case "conflict":
			d.Conflicts += n
		case "resolved":
			d.Resolved += n
			m.rep.Resolved += n
		case "withheld":
			d.Withheld += n
			m.rep.Withheld += n
		default:
			return fmt.Errorf("response plan has action %q", action)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT target_conflict_of, target_id, device_id FROM temp.merge_plan
		WHERE action = 'conflict' ORDER BY target_conflict_of, target_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c ResponseConflict
		if err := rows.Scan(&c.Original, &c.Copy, &c.DeviceID); err != nil {
			return err
		}
		m.rep.Conflicts = append(m.rep.Conflicts, c)
	}
	return rows.Err()
}
