package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/store"
)

// hostileFleet is a central database (closed, to be summed) and a good
// bundle of 30 responses from a laptop.
type hostileFleet struct {
	central string // path of the central database
	good    []byte // the good bundle's bytes
	goodAt  string
	laptop  *store.Store
}

func newHostileFleet(t *testing.T) *hostileFleet {
	t.Helper()
	f := newFleet(t, 1)
	l := f.laptops[0]
	for i := range 30 {
		respond(t, l, survey.Answers{"visit": "yes", "name": fmt.Sprintf("role %d", i), "why": strings.Repeat("because ", i+1)})
	}
	path := mustBundle(t, l, "")
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	central := f.central.Path()
	if err := f.central.Close(); err != nil {
		t.Fatal(err)
	}
	return &hostileFleet{central: central, good: good, goodAt: path, laptop: l}
}

// refuses merges the bundle at path into the central database and checks
// that it is refused with want and a message holding each of words, and
// that the database is byte for byte as it was.
func (h *hostileFleet) refuses(t *testing.T, path string, want error, words ...string) {
	t.Helper()
	ctx := context.Background()
	before := fileSum(t, h.central)
	s, err := store.Open(ctx, h.central)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.MergeBundle(ctx, path, nil)
		done <- err
	}()
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("the merge is still running after two minutes")
	}
	if cerr := s.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	if err == nil {
		t.Fatal("the bundle was merged")
	}
	if want != nil && !errors.Is(err, want) {
		t.Errorf("MergeBundle = %v, want %v", err, want)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	if fileSum(t, h.central) != before {
		t.Fatal("the database changed")
	}
}

// refusesOrKeeps merges the bundle at path into a copy of the central
// database: either the merge is refused, or (when every change fell on
// bytes nothing reads, such as a cell's stale copy) it brings exactly the
// laptop's responses.
func (h *hostileFleet) refusesOrKeeps(t *testing.T, path string) {
	t.Helper()
	central, err := os.ReadFile(h.central)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "central.db")
	if err := os.WriteFile(db, central, 0o600); err != nil {
		t.Fatal(err)
	}
	s := mustOpenPath(t, db)
	if _, err := s.MergeBundle(context.Background(), path, nil); err != nil {
		if len(allResponses(t, s)) != 0 {
			t.Fatal("a refused merge changed the database")
		}
		return
	}
	if got, want := dumpResponses(t, s), dumpResponses(t, h.laptop); got != want {
		t.Fatalf("a damaged bundle merged with other content:\n%s\nwant\n%s", got, want)
	}
}

// edited is a copy of the good bundle changed by SQL statements, resealed
// (counts and digest made to match, as a forger would) when reseal is set.
func (h *hostileFleet) edited(t *testing.T, reseal bool, stmts ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "edited.canvass")
	if err := os.WriteFile(p, h.good, 0o600); err != nil {
		t.Fatal(err)
	}
	makeSQLite(t, p, stmts...)
	if reseal {
		if err := store.ResealBundle(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func (h *hostileFleet) bytes(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "damaged.canvass")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A damaged or doctored bundle is refused before anything is inserted,
// and the good bundle still merges afterwards in full (issue 12, items 2,
// 3, 10, 11).
func TestMergeRefusesHostileBundles(t *testing.T) {
	h := newHostileFleet(t)
	firstResponse := "(SELECT min(id) FROM responses)"

	t.Run("an answer changed on disk (role → bole)", func(t *testing.T) {
		// Every copy of the text: a page can keep stale bytes of a cell
		// that moved, which nothing reads.
		b := bytes.ReplaceAll(h.good, []byte("role 17"), []byte("bole 17"))
		h.refuses(t, h.bytes(t, b), store.ErrCorrupt)
	})
	t.Run("twenty bits flipped in the middle", func(t *testing.T) {
		b := append([]byte(nil), h.good...)
		at := 0
		for k := range 20 {
			i := bytes.Index(b[at:], []byte("role "))
			if i < 0 {
				at, i = 0, bytes.Index(b, []byte("role "))
			}
			b[at+i+k%5] ^= 1 << (k % 7)
			at += i + 5
		}
		h.refusesOrKeeps(t, h.bytes(t, b))
	})
	for _, tc := range []struct {
		name  string
		stmts []string
		want  error
		words []string
	}{
		{"answers is a view", []string{"DROP TABLE answers",
			"CREATE VIEW answers AS SELECT id AS response_id, 'x' AS question, 'y' AS value, started_at AS updated_at FROM responses"},
			store.ErrNotBundle, []string{`view "answers"`}},
		{"responses is an infinitely recursive view", []string{"PRAGMA foreign_keys = OFF", "DROP TABLE answers", "DROP TABLE responses",
			"CREATE VIEW responses AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i AS id FROM n"},
			store.ErrNotBundle, []string{`view "responses"`}},
		{"a trigger", []string{"CREATE TRIGGER t AFTER INSERT ON events BEGIN SELECT 1; END"}, store.ErrNotBundle, []string{`trigger "t"`}},
		{"an extra table", []string{"CREATE TABLE extra (x)"}, store.ErrNotBundle, []string{`table "extra"`}},
		{"an altered table", []string{"ALTER TABLE events ADD COLUMN extra TEXT"}, store.ErrNotBundle, []string{`table "events"`}},
		{"the PIN hash in its settings", []string{"INSERT INTO settings (key, value) VALUES ('kiosk_pin', 'argon2id$…')"},
			store.ErrNotBundle, []string{"settings"}},
		{"an audit log", []string{"INSERT INTO audit (at, actor, action) VALUES ('2026-01-01T00:00:00.000Z', 'x', 'y')"},
			store.ErrNotBundle, []string{"audit"}},
		{"a manifest that lies about the count", []string{"UPDATE bundle_manifest SET value = '29' WHERE key = 'responses'"},
			store.ErrCorrupt, []string{"manifest says 29 responses, it holds 30"}},
		{"an answer removed", []string{"DELETE FROM answers WHERE (response_id, question) IN (SELECT response_id, question FROM answers LIMIT 1)"},
			store.ErrCorrupt, nil},
		{"no digest (format 1)", []string{"UPDATE bundle_manifest SET value = '1' WHERE key = 'format_version'", "DELETE FROM bundle_manifest WHERE key = 'content_digest'"},
			store.ErrNotBundle, []string{"older Canvass"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.refuses(t, h.edited(t, false, tc.stmts...), tc.want, tc.words...)
		})
	}
	// Forged bundles: the digest made to match, so that only the checks
	// of each value stand between them and the database.
	oneAnswer := " WHERE (response_id, question) IN (SELECT response_id, question FROM answers LIMIT 1)"
	for _, tc := range []struct {
		name  string
		stmt  string // statements separated by ";\n"
		words []string
	}{
		{"an event date that is not a date", "UPDATE events SET date = 'not-a-date'", []string{"event", "date is \"not-a-date\""}},
		{"a start time of garbage", "UPDATE responses SET started_at = 'garbage' WHERE id = " + firstResponse, []string{"response", "started_at is \"garbage\""}},
		{"a start time of 2026-13-45", "UPDATE responses SET started_at = '2026-13-45T00:00:00.000Z' WHERE id = " + firstResponse, []string{"started_at"}},
		{"a time of another layout", "UPDATE responses SET updated_at = '2026-01-02 03:04:05' WHERE id = " + firstResponse, []string{"updated_at"}},
		{"a survey title that is not text", "UPDATE surveys SET title = 42", []string{`survey "park version 1"`, "title is \"42\""}},
		{"a survey title that is a blob", "UPDATE surveys SET title = x'7b7d'", []string{"title is blob"}},
		{"a status of its own", "PRAGMA ignore_check_constraints = 1;\nUPDATE responses SET status = 'sent' WHERE id = " + firstResponse, []string{"status is \"sent\""}},
		{"a flag of 2", "PRAGMA ignore_check_constraints = 1;\nUPDATE events SET closed = 2", []string{"closed"}},
		{"a version that is text", "UPDATE responses SET survey_version = 'one' WHERE id = " + firstResponse, nil},
		{"an id with a quote", "PRAGMA foreign_keys = OFF;\nUPDATE answers SET response_id = 'x''; DROP' WHERE response_id = " + firstResponse +
			";\nUPDATE responses SET id = 'x''; DROP' WHERE id = " + firstResponse, []string{"id is"}},
		{"a 2 MB event name", "UPDATE events SET name = printf('%.*c', 2000000, 'x')", []string{"name is", "at most 1000 bytes"}},
		{"a 2 MB answer", "UPDATE answers SET value = printf('%.*c', 2000000, 'x')" + oneAnswer, []string{"value is"}},
		{"an answer that is a blob", "UPDATE answers SET value = x'00ff'" + oneAnswer, []string{"value is blob"}},
		{"answers of a response that is not there", "PRAGMA foreign_keys = OFF;\nDELETE FROM responses WHERE id = " + firstResponse, []string{"answers"}},
	} {
		t.Run("forged: "+tc.name, func(t *testing.T) {
			h.refuses(t, h.edited(t, true, strings.Split(tc.stmt, ";\n")...), nil, tc.words...)
		})
	}
	t.Run("the good bundle still merges in full", func(t *testing.T) {
		s := mustOpenPath(t, h.central)
		if rep := mustMerge(t, s, h.goodAt); rep.Added != 30 || rep.Duplicates != 0 {
			t.Errorf("report %+v", rep)
		}
		if got, want := dumpResponses(t, s), dumpResponses(t, h.laptop); got != want {
			t.Errorf("merged responses differ from the laptop's:\n%s\nwant\n%s", got, want)
		}
	})
}

// dumpResponses lists every response with its answers as text.
func dumpResponses(t *testing.T, s *store.Store) string {
	t.Helper()
	var b strings.Builder
	for id, r := range allResponses(t, s) {
		fmt.Fprintf(&b, "%s %s %s %v\n", id, r.Status, r.Started.Format(time.RFC3339Nano), r.Answers)
	}
	lines := strings.Split(b.String(), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// A response's stored content hash is never trusted: a bundle whose hash
// was made to equal the local copy's is still seen as a conflict.
func TestMergeRecomputesContentHashes(t *testing.T) {
	ctx := context.Background()
	f := newFleet(t, 1)
	l := f.laptops[0]
	r := respond(t, l, survey.Answers{"visit": "yes", "name": "role"})
	mustMerge(t, f.central, mustBundle(t, l, ""))
	if err := l.SaveAnswer(ctx, r.ID, "name", "bole"); err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(t.TempDir(), "changed.canvass")
	if _, err := l.ExportBundle(ctx, changed, ""); err != nil {
		t.Fatal(err)
	}
	// The forger copies the hash the central database holds for the original.
	var hash string
	if err := f.central.DB().QueryRowContext(ctx, "SELECT content_hash FROM responses WHERE id = ?", r.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	makeSQLite(t, changed, fmt.Sprintf("UPDATE responses SET content_hash = '%s'", hash))
	if err := store.ResealBundle(ctx, changed); err != nil {
		t.Fatal(err)
	}
	rep := mustMerge(t, f.central, changed)
	if len(rep.Conflicts) != 1 || rep.Duplicates != 0 {
		t.Fatalf("a changed response with a copied hash was taken as a duplicate: %+v", rep)
	}
}

// A bundle never holds the laptop's settings, audit log or a response of
// another event, not even in free pages; nothing but the finished bundle
// is written in its folder (issue 12, item 5).
func TestBundleHoldsNothingButItsContent(t *testing.T) {
	ctx := context.Background()
	f := newFleet(t, 1)
	l := f.laptops[0]
	const pin, audited, other = "PINHASH-c0ffee", "AUDITED-deadbeef", "OTHER-EVENT-ANSWER"
	if err := l.SetSetting(ctx, "kiosk_pin", pin); err != nil {
		t.Fatal(err)
	}
	if err := l.Audit(ctx, "staff", "test", audited, audited); err != nil {
		t.Fatal(err)
	}
	respond(t, l, survey.Answers{"visit": "yes", "name": "kept"})
	elsewhere := survey.Event{Name: "Elsewhere"}
	if err := l.SaveEvent(ctx, &elsewhere); err != nil {
		t.Fatal(err)
	}
	if err := l.SetActiveEvent(ctx, elsewhere.ID); err != nil {
		t.Fatal(err)
	}
	respond(t, l, survey.Answers{"visit": "yes", "name": other})
	dir := t.TempDir()
	for _, event := range []string{"", f.event.ID} {
		out := filepath.Join(dir, "b.canvass")
		if _, err := l.ExportBundle(ctx, out, event); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		secrets := []string{pin, audited}
		if event != "" {
			secrets = append(secrets, other)
		}
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("bundle of event %q holds %q", event, s)
			}
		}
		if !bytes.Contains(b, []byte("kept")) {
			t.Error("the bundle lacks its content")
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("files beside the bundle: %v", entries)
		}
		if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
			t.Errorf("bundle mode %v", fi.Mode().Perm())
		}
	}
}
