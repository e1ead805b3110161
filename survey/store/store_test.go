package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"canvass/survey"
	"canvass/survey/store"
)

// clock is a fake time source: every reading is one second after the last.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2025, 6, 14, 9, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// Set makes the next reading t.
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t.Add(-time.Second)
}

// mustOpen opens a new database in a temporary folder (its name has a
// space and a question mark, to exercise the DSN) and closes it at the
// end of the test.
func mustOpen(t testing.TB, opts ...store.Option) *store.Store {
	t.Helper()
	return mustOpenPath(t, filepath.Join(t.TempDir(), "my canvass?.db"), opts...)
}

func mustOpenPath(t testing.TB, path string, opts ...store.Option) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sampleSurvey is a small valid survey.
func sampleSurvey(id, title string) *survey.Survey {
	return &survey.Survey{
		ID:        id,
		Title:     survey.En(title),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "name", Label: survey.En("Your name"), Personal: true},
			{Type: survey.TypeText, Name: "email", Label: survey.En("Your email"), Personal: true},
			{Type: survey.TypeSelectOne, Name: "visit", Label: survey.En("Do you visit the park?"), List: "yesno", Required: true},
			{Type: survey.TypeText, Name: "why", Label: survey.En("Why?"), Relevant: "${visit} = 'yes'"},
		},
		Lists: []survey.ChoiceList{{Name: "yesno", Choices: []survey.Choice{
			{Name: "yes", Label: survey.En("Yes")}, {Name: "no", Label: survey.En("No")},
		}}},
	}
}

func mustSaveSurvey(t testing.TB, s *store.Store, def *survey.Survey) *survey.Survey {
	t.Helper()
	saved, err := s.SaveSurvey(context.Background(), def)
	if err != nil {
		t.Fatalf("SaveSurvey(%s): %v", def.ID, err)
	}
	return saved
}

func mustStart(t testing.TB, s *store.Store, surveyID string, version int) *survey.Response {
	t.Helper()
	r, err := s.StartResponse(context.Background(), surveyID, version, "en")
	if err != nil {
		t.Fatalf("StartResponse(%s, %d): %v", surveyID, version, err)
	}
	return r
}

func mustResponse(t testing.TB, s *store.Store, id string) *survey.Response {
	t.Helper()
	r, err := s.Response(context.Background(), id)
	if err != nil {
		t.Fatalf("Response(%s): %v", id, err)
	}
	return r
}

func TestOpenCreatesAndReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data", "with space #1?.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, path, store.WithClock(newClock().Now))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	device := s.DeviceID()
	if len(device) != 36 {
		t.Errorf("DeviceID() = %q, want a UUID", device)
	}
	def := mustSaveSurvey(t, s, sampleSurvey("park", "Park survey"))
	ev := survey.Event{Name: "Summer fair", Venue: "Town hall", Date: time.Date(2025, 7, 1, 0, 0, 0, 0, time.Local), Active: true}
	if err := s.SaveEvent(ctx, &ev); err != nil {
		t.Fatal(err)
	}
	r := mustStart(t, s, "park", 0)
	if err := s.SaveAnswers(ctx, r.ID, survey.Answers{"visit": "yes", "why": "ducks"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "kiosk_pin", "1234"); err != nil {
		t.Fatal(err)
	}
	want := mustResponse(t, s, r.ID)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(path + ".lock"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left after Close: %v", err)
	}

	s2 := mustOpenPath(t, path)
	if s2.DeviceID() != device {
		t.Errorf("device id changed on reopen: %q, then %q", device, s2.DeviceID())
	}
	got := mustResponse(t, s2, r.ID)
	if !sameResponse(got, want) {
		t.Errorf("response after reopen = %+v, want %+v", got, want)
	}
	gotDef, err := s2.Survey(ctx, "park", 0)
	if err != nil {
		t.Fatal(err)
	}
	if gotDef.Version != def.Version || gotDef.Title["en"] != "Park survey" || len(gotDef.Questions) != 4 {
		t.Errorf("survey after reopen = %+v", gotDef)
	}
	gotEv, ok, err := s2.ActiveEvent(ctx)
	if err != nil || !ok || gotEv.ID != ev.ID || !gotEv.Date.Equal(ev.Date) || gotEv.Venue != "Town hall" {
		t.Errorf("ActiveEvent after reopen = %+v, %v, %v; want %+v", gotEv, ok, err, ev)
	}
	if v, ok, err := s2.Setting(ctx, "kiosk_pin"); v != "1234" || !ok || err != nil {
		t.Errorf("Setting after reopen = %q, %v, %v", v, ok, err)
	}
}

func sameResponse(a, b *survey.Response) bool {
	if a.ID != b.ID || a.SurveyID != b.SurveyID || a.SurveyVersion != b.SurveyVersion ||
		a.EventID != b.EventID || a.DeviceID != b.DeviceID || a.Language != b.Language ||
		!a.Started.Equal(b.Started) || !a.Updated.Equal(b.Updated) || a.Status != b.Status ||
		!bytes.Equal(a.Result, b.Result) || (a.Submitted == nil) != (b.Submitted == nil) ||
		len(a.Answers) != len(b.Answers) {
		return false
	}
	if a.Submitted != nil && !a.Submitted.Equal(*b.Submitted) {
		return false
	}
	for k, v := range a.Answers {
		if b.Answers[k] != v {
			return false
		}
	}
	return true
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	migrationRows := func() []string {
		t.Helper()
		s, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		rows, err := s.DB().QueryContext(ctx, "SELECT version || ' ' || applied_at FROM schema_migrations ORDER BY version")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			out = append(out, line)
		}
		return out
	}
	first := migrationRows()
	if len(first) != store.SchemaVersion() {
		t.Fatalf("schema_migrations has %d rows, want %d: %q", len(first), store.SchemaVersion(), first)
	}
	second := migrationRows()
	if strings.Join(first, "\n") != strings.Join(second, "\n") {
		t.Errorf("reopening changed schema_migrations:\n%q\nthen\n%q", first, second)
	}

	t.Run("application id and pragmas", func(t *testing.T) {
		s := mustOpenPath(t, path)
		var appID int64
		var journal string
		if err := s.DB().QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
			t.Fatal(err)
		}
		if appID != store.ApplicationID {
			t.Errorf("application_id = %#x, want %#x", appID, store.ApplicationID)
		}
		if err := s.DB().QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal); err != nil {
			t.Fatal(err)
		}
		if journal != "wal" {
			t.Errorf("journal_mode = %q, want wal", journal)
		}
		// Every pooled connection has the pragmas: hold several at once.
		var conns []*sql.Conn
		for range 3 {
			c, err := s.DB().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for i, c := range conns {
			var fk, sync, busy int
			if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
				t.Fatal(err)
			}
			if fk != 1 || sync != 2 || busy != 5000 {
				t.Errorf("connection %d: foreign_keys=%d synchronous=%d busy_timeout=%d, want 1, 2, 5000", i, fk, sync, busy)
			}
			c.Close()
		}
	})

	t.Run("empty file becomes a database", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "empty.db")
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		s := mustOpenPath(t, p)
		mustSaveSurvey(t, s, sampleSurvey("a", "A"))
	})

	t.Run("empty SQLite database becomes a Canvass one", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "blank.db")
		db, err := sql.Open("sqlite", p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("PRAGMA user_version = 7"); err != nil { // writes the header, no tables
			t.Fatal(err)
		}
		db.Close()
		s := mustOpenPath(t, p)
		mustSaveSurvey(t, s, sampleSurvey("a", "A"))
	})

	t.Run("missing folder is an error", func(t *testing.T) {
		_, err := store.Open(ctx, filepath.Join(t.TempDir(), "no", "such", "x.db"))
		if err == nil {
			t.Fatal("Open in a missing folder succeeded")
		}
	})
}

// fileState is what must not change when a file is refused.
type fileState struct {
	data  []byte
	mtime time.Time
}

func stateOf(t *testing.T, path string) fileState {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fileState{b, fi.ModTime()}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// makeSQLite creates an SQLite file at path and runs stmts on it.
func makeSQLite(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		make    func(t *testing.T, path string)
		want    error
		message string // part of the error text
	}{
		{"text file", func(t *testing.T, p string) {
			os.WriteFile(p, []byte("name,answer\nAnn,yes\n"), 0o644)
		}, store.ErrNotDatabase, "not a database"},
		{"short file", func(t *testing.T, p string) {
			os.WriteFile(p, []byte("SQLite"), 0o644)
		}, store.ErrNotDatabase, "not a database"},
		{"random binary", func(t *testing.T, p string) {
			os.WriteFile(p, randomBytes(8192), 0o644)
		}, store.ErrNotDatabase, "not a database"},
		{"SQLite header then garbage", func(t *testing.T, p string) {
			os.WriteFile(p, append([]byte("SQLite format 3\x00"), randomBytes(8192)...), 0o644)
		}, store.ErrNotDatabase, "not a database"},
		{"other program's database", func(t *testing.T, p string) {
			makeSQLite(t, p, "CREATE TABLE people (name TEXT)", "INSERT INTO people VALUES ('Ann')")
		}, store.ErrNotCanvass, "people"},
		{"other program's application id", func(t *testing.T, p string) {
			makeSQLite(t, p, "PRAGMA application_id = 1234")
		}, store.ErrNotCanvass, "0x4d2"},
		{"newer schema", func(t *testing.T, p string) {
			s, err := store.Open(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			makeSQLite(t, p, "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 'later')")
		}, store.ErrNewerSchema, "999"},
		{"damaged pages", func(t *testing.T, p string) {
			s, err := store.Open(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
			r := mustStart(t, s, "park", 0)
			for i := range 200 {
				if err := s.SaveAnswer(ctx, r.ID, "q"+strings.Repeat("x", i), strings.Repeat("answer ", 50)); err != nil {
					t.Fatal(err)
				}
			}
			s.Close()
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) < 8*4096 {
				t.Fatalf("database only %d bytes", len(b))
			}
			// Scribble over pages 3 to the end but keep page 1 (the schema) and 2.
			copy(b[2*4096:], bytes.Repeat([]byte{0x5a}, len(b)-2*4096))
			os.WriteFile(p, b, 0o644)
		}, store.ErrCorrupt, "damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.db")
			tt.make(t, path)
			before := stateOf(t, path)
			for _, open := range []func(context.Context, string, ...store.Option) (*store.Store, error){store.Open, store.OpenReadOnly} {
				s, err := open(ctx, path)
				if err == nil {
					s.Close()
					t.Fatal("opened; want refusal")
				}
				if !errors.Is(err, tt.want) {
					t.Fatalf("error = %v, want %v", err, tt.want)
				}
				if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.message) {
					t.Errorf("error %q does not name the path and %q", err, tt.message)
				}
				after := stateOf(t, path)
				if !bytes.Equal(before.data, after.data) || !before.mtime.Equal(after.mtime) {
					t.Fatal("refused file was changed")
				}
				if _, err := os.Stat(path + ".lock"); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("lock file left behind: %v", err)
				}
			}
		})
	}
	t.Run("folder", func(t *testing.T) {
		_, err := store.Open(ctx, t.TempDir())
		if !errors.Is(err, store.ErrNotDatabase) {
			t.Errorf("Open(folder) = %v, want ErrNotDatabase", err)
		}
	})
}

func TestOpenLocked(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	s := mustOpenPath(t, path)
	_, err := store.Open(ctx, path)
	if !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "another Canvass window") {
		t.Errorf("error %q does not explain itself", err)
	}
	ro, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("OpenReadOnly while locked: %v", err)
	}
	ro.Close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	s2.Close()
}

func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	s := mustOpenPath(t, path)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	r := mustStart(t, s, "park", 0)
	if err := s.SaveAnswer(ctx, r.ID, "visit", "no"); err != nil {
		t.Fatal(err)
	}
	device := s.DeviceID()
	s.Close()

	ro, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if !ro.ReadOnly() || ro.DeviceID() != device {
		t.Errorf("ReadOnly() = %v, DeviceID() = %q; want true, %q", ro.ReadOnly(), ro.DeviceID(), device)
	}
	if got := mustResponse(t, ro, r.ID); got.Answers["visit"] != "no" {
		t.Errorf("answers read-only = %v", got.Answers)
	}
	if err := ro.SaveAnswer(ctx, r.ID, "visit", "yes"); !errors.Is(err, store.ErrReadOnly) {
		t.Errorf("SaveAnswer on read-only store = %v, want ErrReadOnly", err)
	}
	if _, err := ro.DB().ExecContext(ctx, "DELETE FROM answers"); err == nil {
		t.Error("read-only DB() accepted a DELETE")
	}

	_, err = store.OpenReadOnly(ctx, filepath.Join(t.TempDir(), "missing.db"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenReadOnly(missing) = %v, want ErrNotExist", err)
	}
}

func TestForeignKeys(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	ev := survey.Event{Name: "Fair", Active: true}
	if err := s.SaveEvent(ctx, &ev); err != nil {
		t.Fatal(err)
	}
	r := mustStart(t, s, "park", 0)
	if err := s.SaveAnswers(ctx, r.ID, survey.Answers{"visit": "yes", "why": "trees"}, nil); err != nil {
		t.Fatal(err)
	}
	countAnswers := func() int {
		var n int
		if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM answers WHERE response_id = ?", r.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := countAnswers(); n != 2 {
		t.Fatalf("%d answers stored, want 2", n)
	}

	t.Run("deleting an event untags its responses", func(t *testing.T) {
		if err := s.DeleteEvent(ctx, ev.ID, "tester"); err != nil {
			t.Fatal(err)
		}
		if got := mustResponse(t, s, r.ID); got.EventID != "" {
			t.Errorf("EventID after event deleted = %q", got.EventID)
		}
	})
	t.Run("deleting a response deletes its answers", func(t *testing.T) {
		if err := s.DeleteResponse(ctx, r.ID, "tester"); err != nil {
			t.Fatal(err)
		}
		if n := countAnswers(); n != 0 {
			t.Errorf("%d answers left after the response was deleted", n)
		}
		if _, err := s.Response(ctx, r.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Response after delete = %v, want ErrNotFound", err)
		}
		if err := s.DeleteResponse(ctx, r.ID, "tester"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second DeleteResponse = %v, want ErrNotFound", err)
		}
	})
	t.Run("answers need a response", func(t *testing.T) {
		_, err := s.DB().ExecContext(ctx, "INSERT INTO answers VALUES ('nobody', 'q', 'v', 'now')")
		if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
			t.Errorf("orphan answer insert = %v, want a FOREIGN KEY error", err)
		}
	})
}
