package store_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"canvass/survey"
	"canvass/survey/store"
)

// fleet is a central database and the laptops it set up: every laptop got
// the central's surveys and events through a bundle, as staff would do it.
type fleet struct {
	t       *testing.T
	central *store.Store
	event   survey.Event
	laptops []*store.Store
}

func newFleet(t *testing.T, laptops int) *fleet {
	t.Helper()
	ctx := context.Background()
	f := &fleet{t: t, central: mustOpenPath(t, filepath.Join(t.TempDir(), "central.db"))}
	mustSaveSurvey(t, f.central, sampleSurvey("park", "Park"))
	f.event = survey.Event{Name: "Summer fair", Venue: "Town hall", Date: day(2025, 6, 14)}
	if err := f.central.SaveEvent(ctx, &f.event); err != nil {
		t.Fatal(err)
	}
	setup := mustBundle(t, f.central, "")
	for i := range laptops {
		l := mustOpenPath(t, filepath.Join(t.TempDir(), fmt.Sprintf("laptop%d.db", i+1)))
		mustMerge(t, l, setup)
		if err := l.SetActiveEvent(ctx, f.event.ID); err != nil {
			t.Fatal(err)
		}
		f.laptops = append(f.laptops, l)
	}
	return f
}

// respond submits a response on s with the given answers and returns it as stored.
func respond(t *testing.T, s *store.Store, answers survey.Answers) *survey.Response {
	t.Helper()
	ctx := context.Background()
	r := mustStart(t, s, "park", 0)
	if err := s.Submit(ctx, r.ID, answers, []byte(`{"score":1}`)); err != nil {
		t.Fatal(err)
	}
	return mustResponse(t, s, r.ID)
}

// draft starts a response on s with some answers saved, not submitted.
func draft(t *testing.T, s *store.Store, answers survey.Answers) *survey.Response {
	t.Helper()
	r := mustStart(t, s, "park", 0)
	if err := s.SaveAnswers(context.Background(), r.ID, answers, nil); err != nil {
		t.Fatal(err)
	}
	return mustResponse(t, s, r.ID)
}

func mustBundle(t *testing.T, s *store.Store, eventID string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "laptop bundle #1?.canvass")
	info, err := s.ExportBundle(context.Background(), path, eventID)
	if err != nil {
		t.Fatalf("ExportBundle: %v", err)
	}
	if info.Path != path || info.DeviceID != s.DeviceID() {
		t.Fatalf("ExportBundle info = %+v", info)
	}
	return path
}

func mustMerge(t *testing.T, s *store.Store, path string) store.MergeReport {
	t.Helper()
	rep, err := s.MergeBundle(context.Background(), path, nil)
	if err != nil {
		t.Fatalf("MergeBundle(%s): %v", path, err)
	}
	return rep
}

// dump returns every row of every table of s, sorted, as text. The
// responses' content hashes are left out: a cache that merges fill in.
func dump(t *testing.T, s *store.Store) string {
	t.Helper()
	ctx := context.Background()
	db := s.DB()
	var tables []string
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		query := "SELECT * FROM " + table
		if table == "responses" {
			query = `SELECT id, survey_id, survey_version, event_id, device_id, language, started_at, updated_at,
				submitted_at, status, result, conflict_of FROM responses`
		}
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprint(vals))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(&b, "%s:\n%s\n", table, strings.Join(lines, "\n"))
	}
	return b.String()
}

// allResponses returns every response in s by id.
func allResponses(t *testing.T, s *store.Store) map[string]*survey.Response {
	t.Helper()
	out := map[string]*survey.Response{}
	err := s.EachResponse(context.Background(), survey.Filter{}, func(r *survey.Response) error {
		out[r.ID] = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// conflictOf returns the conflict_of column of a response.
func conflictOf(t *testing.T, s *store.Store, id string) string {
	t.Helper()
	var v sql.NullString
	if err := s.DB().QueryRow("SELECT conflict_of FROM responses WHERE id = ?", id).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v.String
}

func TestExportBundle(t *testing.T) {
	ctx := context.Background()
	f := newFleet(t, 1)
	l := f.laptops[0]
	if err := l.SetSetting(ctx, "kiosk_pin", "secret-hash"); err != nil {
		t.Fatal(err)
	}
	if err := l.Audit(ctx, "staff", "test", "", ""); err != nil {
		t.Fatal(err)
	}
	at := respond(t, l, survey.Answers{"visit": "yes", "why": "trees"})
	other := survey.Event{Name: "Library day"}
	if err := l.SaveEvent(ctx, &other); err != nil {
		t.Fatal(err)
	}
	if err := l.SetActiveEvent(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	elsewhere := draft(t, l, survey.Answers{"visit": "no"})
	if err := l.SetActiveEvent(ctx, ""); err != nil {
		t.Fatal(err)
	}
	untagged := respond(t, l, survey.Answers{"visit": "no"})

	t.Run("everything", func(t *testing.T) {
		path := mustBundle(t, l, "")
		info, err := store.ReadBundleInfo(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Responses != 3 || info.Events != 2 || info.Surveys != 1 || info.Answers != 4 ||
			info.DeviceID != l.DeviceID() || info.EventID != "" || info.SchemaVersion != store.SchemaVersion() ||
			info.FormatVersion != store.BundleFormatVersion {
			t.Errorf("ReadBundleInfo = %+v", info)
		}
		b, err := store.OpenReadOnly(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if _, ok, _ := b.Setting(ctx, "kiosk_pin"); ok {
			t.Error("the bundle carries the laptop's settings")
		}
		if log, _ := b.AuditLog(ctx, 0); len(log) != 0 {
			t.Errorf("the bundle carries the audit log: %v", log)
		}
		got := allResponses(t, b)
		for _, want := range []*survey.Response{at, elsewhere, untagged} {
			if !sameResponse(got[want.ID], want) {
				t.Errorf("response in bundle = %+v, want %+v", got[want.ID], want)
			}
		}
		if _, ok, _ := b.ActiveEvent(ctx); ok {
			t.Error("an event is active in the bundle")
		}
	})

	t.Run("one event", func(t *testing.T) {
		path := mustBundle(t, l, f.event.ID)
		info, err := store.ReadBundleInfo(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Responses != 1 || info.Events != 1 || info.EventID != f.event.ID {
			t.Errorf("ReadBundleInfo = %+v", info)
		}
		b, err := store.OpenReadOnly(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		got := allResponses(t, b)
		if len(got) != 1 || got[at.ID] == nil {
			t.Errorf("event bundle holds %d responses, want only %s", len(got), at.ID)
		}
		// secure_delete and VACUUM: nothing of the other responses is left in the file.
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{elsewhere.ID, untagged.ID, other.ID} {
			if strings.Contains(string(raw), id) {
				t.Errorf("the event bundle still contains %s somewhere in the file", id)
			}
		}
	})

	t.Run("replaces an older bundle", func(t *testing.T) {
		path := mustBundle(t, l, f.event.ID)
		if _, err := l.ExportBundle(ctx, path, ""); err != nil {
			t.Fatal(err)
		}
		info, err := store.ReadBundleInfo(ctx, path)
		if err != nil || info.Responses != 3 {
			t.Errorf("after overwrite: %+v, %v", info, err)
		}
		entries, _ := os.ReadDir(filepath.Dir(path))
		if len(entries) != 1 {
			t.Errorf("files left beside the bundle: %v", entries)
		}
	})

	t.Run("refuses", func(t *testing.T) {
		for name, tc := range map[string]struct {
			dest, event string
			want        error
		}{
			"unknown event":              {filepath.Join(t.TempDir(), "b.canvass"), "no-such-event", store.ErrNotFound},
			"the database itself":        {l.Path(), "", nil},
			"the database's WAL":         {l.Path() + "-wal", "", nil},
			"a folder that is not there": {filepath.Join(t.TempDir(), "nope", "b.canvass"), "", os.ErrNotExist},
		} {
			t.Run(name, func(t *testing.T) {
				before := dump(t, l)
				_, err := l.ExportBundle(ctx, tc.dest, tc.event)
				if err == nil {
					t.Fatal("ExportBundle succeeded")
				}
				if tc.want != nil && !errors.Is(err, tc.want) {
					t.Errorf("error = %v, want %v", err, tc.want)
				}
				if dump(t, l) != before {
					t.Error("a refused export changed the database")
				}
			})
		}
	})

	t.Run("while answers are being saved", func(t *testing.T) {
		r := mustStart(t, l, "park", 0)
		stop := make(chan struct{})
		done := make(chan error)
		go func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					done <- nil
					return
				default:
				}
				if err := l.SaveAnswer(ctx, r.ID, "why", fmt.Sprint("reason ", i)); err != nil {
					done <- err
					return
				}
			}
		}()
		for range 3 {
			path := mustBundle(t, l, "")
			if _, err := store.ReadBundleInfo(ctx, path); err != nil {
				t.Error(err)
			}
		}
		close(stop)
		if err := <-done; err != nil {
			t.Fatalf("saving during export: %v", err)
		}
	})
}

func TestMergeOverlappingBundles(t *testing.T) {
	ctx := context.Background()
	f := newFleet(t, 2)
	a, b := f.laptops[0], f.laptops[1]
	var fromA, fromB []*survey.Response
	for i := range 5 {
		fromA = append(fromA, respond(t, a, survey.Answers{"visit": "yes", "why": fmt.Sprint("A reason ", i), "name": "Ann"}))
	}
	fromA = append(fromA, draft(t, a, survey.Answers{"visit": "no"}))
	// B got A's responses before the event ended (laptops swapped a bundle), then collected its own.
	repB := mustMerge(t, b, mustBundle(t, a, ""))
	if repB.Added != 6 || repB.Duplicates != 0 || len(repB.Conflicts) != 0 {
		t.Fatalf("merge A into B: %+v", repB)
	}
	for i := range 3 {
		fromB = append(fromB, respond(t, b, survey.Answers{"visit": "no", "why": fmt.Sprint("B reason ", i)}))
	}
	bundleA, bundleB := mustBundle(t, a, ""), mustBundle(t, b, "")

	var steps [][2]int
	rep, err := f.central.MergeBundle(ctx, bundleA, func(done, total int) { steps = append(steps, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 6 || rep.Duplicates != 0 || rep.SurveysSame != 1 || rep.SurveysAdded != 0 || rep.EventsSame != 1 || rep.EventsAdded != 0 {
		t.Errorf("merge A: %+v", rep)
	}
	if len(rep.Devices) != 1 || rep.Devices[0] != (store.DeviceTally{DeviceID: a.DeviceID(), Added: 6}) {
		t.Errorf("merge A devices: %+v", rep.Devices)
	}
	if len(steps) < 3 || steps[len(steps)-1][0] != steps[len(steps)-1][1] {
		t.Errorf("progress steps %v do not end at the total", steps)
	}
	for i := 1; i < len(steps); i++ {
		if steps[i][0] < steps[i-1][0] {
			t.Errorf("progress went backwards: %v", steps)
		}
	}

	rep = mustMerge(t, f.central, bundleB)
	if rep.Added != 3 || rep.Duplicates != 6 || len(rep.Conflicts) != 0 || rep.Device != b.DeviceID() {
		t.Errorf("merge B: %+v", rep)
	}
	byDevice := map[string]store.DeviceTally{}
	for _, d := range rep.Devices {
		byDevice[d.DeviceID] = d
	}
	if byDevice[a.DeviceID()].Duplicates != 6 || byDevice[b.DeviceID()].Added != 3 {
		t.Errorf("merge B by device: %+v", rep.Devices)
	}
	if s := rep.String(); !strings.Contains(s, "3 new, 6 already here, 0 conflicts") ||
		!strings.Contains(s, "Device "+a.DeviceID()[:8]+": 0 new, 6 already here") {
		t.Errorf("report text:\n%s", s)
	}

	t.Run("lossless", func(t *testing.T) {
		got := allResponses(t, f.central)
		if len(got) != 9 {
			t.Errorf("central has %d responses, want 9", len(got))
		}
		for _, want := range append(fromA, fromB...) {
			if !sameResponse(got[want.ID], want) {
				t.Errorf("merged response = %+v\nwant %+v", got[want.ID], want)
			}
			if got[want.ID].EventID != f.event.ID {
				t.Errorf("response %s lost its event", want.ID)
			}
		}
	})

	t.Run("idempotent", func(t *testing.T) {
		before := dump(t, f.central)
		for _, p := range []string{bundleB, bundleA, bundleB} {
			rep := mustMerge(t, f.central, p)
			if rep.Changed() || rep.Added != 0 || rep.EventsAdded != 0 || rep.SurveysAdded != 0 {
				t.Errorf("merging %s again: %+v", filepath.Base(p), rep)
			}
		}
		if after := dump(t, f.central); after != before {
			t.Errorf("merging again changed the database:\n%s\nthen\n%s", before, after)
		}
	})

	t.Run("audit", func(t *testing.T) {
		log, err := f.central.AuditLog(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		merges := 0
		for _, e := range log {
			if e.Action == "merge-bundle" {
				merges++
			}
		}
		if merges != 2 {
			t.Errorf("%d merge-bundle audit lines, want 2 (repeat merges change nothing): %+v", merges, log)
		}
	})

	t.Run("a laptop's own bundle back into itself", func(t *testing.T) {
		before := dump(t, a)
		rep := mustMerge(t, a, bundleA)
		if rep.Changed() || rep.Duplicates != 6 {
			t.Errorf("report %+v", rep)
		}
		if dump(t, a) != before {
			t.Error("merging a laptop's own bundle changed it")
		}
	})

	t.Run("one event's bundle", func(t *testing.T) {
		other := survey.Event{Name: "Library day", Active: true}
		if err := b.SaveEvent(ctx, &other); err != nil {
			t.Fatal(err)
		}
		late := respond(t, b, survey.Answers{"visit": "yes"})
		rep := mustMerge(t, f.central, mustBundle(t, b, other.ID))
		if rep.Added != 1 || rep.EventsAdded != 1 || rep.Duplicates != 0 {
			t.Errorf("report %+v", rep)
		}
		if got := mustResponse(t, f.central, late.ID); !sameResponse(got, late) {
			t.Errorf("merged %+v, want %+v", got, late)
		}
		ev, err := f.central.Event(ctx, other.ID)
		if err != nil || ev.Active || ev.Name != "Library day" {
			t.Errorf("merged event = %+v, %v (must not be active here)", ev, err)
		}
	})
}

func TestMergeConflictingResponses(t *testing.T) {
	ctx := context.Background()
	f := newFleet(t, 2)
	a, b := f.laptops[0], f.laptops[1]
	shared := respond(t, a, survey.Answers{"visit": "yes", "why": "trees"})
	mustMerge(t, b, mustBundle(t, a, ""))
	// Staff on B corrected an answer afterwards: same id, other content.
	if err := b.SaveAnswer(ctx, shared.ID, "why", "the pond"); err != nil {
		t.Fatal(err)
	}
	changed := mustResponse(t, b, shared.ID)
	bundleA, bundleB := mustBundle(t, a, ""), mustBundle(t, b, "")

	mustMerge(t, f.central, bundleA)
	rep := mustMerge(t, f.central, bundleB)
	if rep.Added != 0 || len(rep.Conflicts) != 1 || rep.Conflicts[0].Original != shared.ID || rep.Conflicts[0].DeviceID != a.DeviceID() {
		t.Fatalf("merge B: %+v", rep)
	}
	copyID := rep.Conflicts[0].Copy
	if !strings.Contains(rep.String(), "already here, 1 conflict\n") || !strings.Contains(rep.String(), copyID) {
		t.Errorf("report text does not show the conflict:\n%s", rep)
	}

	t.Run("both versions kept", func(t *testing.T) {
		if got := mustResponse(t, f.central, shared.ID); !sameResponse(got, shared) {
			t.Errorf("original = %+v, want %+v", got, shared)
		}
		got := mustResponse(t, f.central, copyID)
		want := *changed
		want.ID = copyID
		if !sameResponse(got, &want) {
			t.Errorf("copy = %+v, want %+v", got, &want)
		}
		if c := conflictOf(t, f.central, copyID); c != shared.ID {
			t.Errorf("copy's conflict_of = %q, want %q", c, shared.ID)
		}
	})

	t.Run("listed", func(t *testing.T) {
		cs, err := f.central.Conflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 {
			t.Fatalf("Conflicts = %+v", cs)
		}
		c := cs[0]
		if c.Original.ID != shared.ID || c.Copy.ID != copyID || c.SurveyID != "park" ||
			c.Original.DeviceID != a.DeviceID() || c.Original.Answers != 2 || c.Copy.Answers != 2 ||
			strings.Join(c.Differs, ",") != "why" {
			t.Errorf("conflict = %+v", c)
		}
	})

	t.Run("merging again adds no second copy", func(t *testing.T) {
		before := dump(t, f.central)
		for _, p := range []string{bundleA, bundleB} {
			if rep := mustMerge(t, f.central, p); rep.Changed() {
				t.Errorf("merge %s again: %+v", filepath.Base(p), rep)
			}
		}
		if dump(t, f.central) != before {
			t.Error("merging again changed the database")
		}
	})

	t.Run("the other order gives the same copy id", func(t *testing.T) {
		d := mustOpen(t)
		mustMerge(t, d, bundleB)
		rep := mustMerge(t, d, bundleA)
		if len(rep.Conflicts) != 1 {
			t.Fatalf("report %+v", rep)
		}
		// The original here is B's version; A's is the copy. Merging the
		// central database's view (both versions) adds nothing new.
		central := mustBundle(t, f.central, "")
		rep = mustMerge(t, d, central)
		if rep.Changed() || rep.Duplicates != 2 {
			t.Errorf("merging central's bundle: %+v", rep)
		}
		if n := len(allResponses(t, d)); n != 2 {
			t.Errorf("%d responses, want the two versions", n)
		}
	})

	t.Run("a response edited here after a merge", func(t *testing.T) {
		d := mustOpen(t)
		mustMerge(t, d, bundleA)
		if err := d.SaveAnswer(ctx, shared.ID, "name", "Ann"); err != nil {
			t.Fatal(err)
		}
		rep := mustMerge(t, d, bundleA)
		if len(rep.Conflicts) != 1 {
			t.Errorf("an edit made here went unnoticed (stale content hash): %+v", rep)
		}
	})

	t.Run("resolve keeping the copy", func(t *testing.T) {
		d := mustOpen(t)
		mustMerge(t, d, bundleA)
		rep := mustMerge(t, d, bundleB)
		copyID := rep.Conflicts[0].Copy
		if err := d.ResolveConflict(ctx, shared.ID, shared.ID, "staff"); err == nil {
			t.Error("resolving a response against itself succeeded")
		}
		if err := d.ResolveConflict(ctx, copyID, shared.ID, "Sam"); err != nil {
			t.Fatal(err)
		}
		got := mustResponse(t, d, shared.ID)
		if !sameResponse(got, changed) {
			t.Errorf("after keeping the copy: %+v, want %+v", got, changed)
		}
		if _, err := d.Response(ctx, copyID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the copy is still there: %v", err)
		}
		if cs, _ := d.Conflicts(ctx); len(cs) != 0 {
			t.Errorf("conflicts left: %+v", cs)
		}
		log, _ := d.AuditLog(ctx, 1)
		if len(log) != 1 || log[0].Action != "resolve-conflict" || log[0].Actor != "Sam" || log[0].Subject != shared.ID ||
			!strings.Contains(log[0].Detail, "kept "+copyID) || strings.Contains(log[0].Detail, "pond") {
			t.Errorf("audit line = %+v", log)
		}
		before := dump(t, d)
		for _, p := range []string{bundleA, bundleB, mustBundle(t, f.central, "")} {
			rep := mustMerge(t, d, p)
			if rep.Changed() {
				t.Errorf("merging %s after resolving brought something back: %+v", p, rep)
			}
		}
		if dump(t, d) != before {
			t.Error("merging after resolving changed the database")
		}
	})

	t.Run("resolve keeping the original", func(t *testing.T) {
		d := mustOpen(t)
		mustMerge(t, d, bundleA)
		rep := mustMerge(t, d, bundleB)
		copyID := rep.Conflicts[0].Copy
		if err := d.ResolveConflict(ctx, shared.ID, copyID, "Sam"); err != nil {
			t.Fatal(err)
		}
		if got := mustResponse(t, d, shared.ID); !sameResponse(got, shared) {
			t.Errorf("after keeping the original: %+v", got)
		}
		if _, err := d.Response(ctx, copyID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the copy is still there: %v", err)
		}
		if rep := mustMerge(t, d, bundleB); rep.Changed() || rep.Resolved != 1 {
			t.Errorf("merging B again: %+v", rep)
		}
	})

	t.Run("responses not in conflict", func(t *testing.T) {
		other := respond(t, f.central, survey.Answers{"visit": "no"})
		err := f.central.ResolveConflict(ctx, shared.ID, other.ID, "staff")
		if err == nil || !strings.Contains(err.Error(), "not in conflict") {
			t.Errorf("ResolveConflict of unrelated responses = %v", err)
		}
		if err := f.central.ResolveConflict(ctx, shared.ID, "nobody", "staff"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ResolveConflict of a missing response = %v", err)
		}
	})
}

func TestMergeConflictingSurveys(t *testing.T) {
	ctx := context.Background()
	central := mustOpen(t)
	laptop := mustOpen(t)
	mustSaveSurvey(t, central, sampleSurvey("park", "Park"))
	// The laptop made its own "park" survey: same id and version, other questions.
	other := sampleSurvey("park", "Parks and gardens")
	other.Questions = other.Questions[:3]
	mustSaveSurvey(t, laptop, other)
	mustSaveSurvey(t, laptop, sampleSurvey("library", "Library"))
	r1 := respond(t, laptop, survey.Answers{"visit": "yes"})
	lib := mustStart(t, laptop, "library", 0)
	if err := laptop.Submit(ctx, lib.ID, survey.Answers{"visit": "no"}, nil); err != nil {
		t.Fatal(err)
	}
	before, err := central.Survey(ctx, "park", 1)
	if err != nil {
		t.Fatal(err)
	}

	rep := mustMerge(t, central, mustBundle(t, laptop, ""))
	if rep.SurveysAdded != 1 || len(rep.SurveyConflicts) != 1 || rep.Withheld != 1 || rep.Added != 1 {
		t.Fatalf("report %+v", rep)
	}
	c := rep.SurveyConflicts[0]
	if c.SurveyID != "park" || c.Version != 1 || c.Responses != 1 || !strings.Contains(c.Reason, "different definition") {
		t.Errorf("survey conflict = %+v", c)
	}
	if s := rep.String(); !strings.Contains(s, `Survey "park" version 1`) || !strings.Contains(s, "1 not imported") {
		t.Errorf("report text:\n%s", s)
	}
	after, err := central.Survey(ctx, "park", 1)
	if err != nil {
		t.Fatal(err)
	}
	if after.Title.In("en", "") != before.Title.In("en", "") || len(after.Questions) != len(before.Questions) {
		t.Errorf("the local survey was overwritten: %+v", after)
	}
	if _, err := central.Response(ctx, r1.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a response to the conflicting survey was imported: %v", err)
	}
	if _, err := central.Response(ctx, lib.ID); err != nil {
		t.Errorf("the other survey's response is missing: %v", err)
	}
	if _, err := central.Survey(ctx, "library", 1); err != nil {
		t.Errorf("the new survey is missing: %v", err)
	}

	t.Run("unreadable definition", func(t *testing.T) {
		bundle := filepath.Join(t.TempDir(), "edited.canvass")
		if _, err := laptop.ExportBundle(ctx, bundle, ""); err != nil {
			t.Fatal(err)
		}
		makeSQLite(t, bundle, `UPDATE surveys SET definition = '{"id": "library", "questions": "none"}' WHERE id = 'library'`)
		if err := store.ResealBundle(ctx, bundle); err != nil {
			t.Fatal(err)
		}
		fresh := mustOpen(t)
		rep := mustMerge(t, fresh, bundle)
		if len(rep.SurveyConflicts) != 1 || rep.SurveyConflicts[0].SurveyID != "library" ||
			!strings.Contains(rep.SurveyConflicts[0].Reason, "cannot be read") || rep.Withheld != 1 || rep.Added != 1 {
			t.Errorf("report %+v", rep)
		}
		if _, err := fresh.Survey(ctx, "library", 0); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the unreadable survey was stored: %v", err)
		}
	})
}

func TestMergeEvents(t *testing.T) {
	ctx := context.Background()
	f := newFleet(t, 1)
	l := f.laptops[0]
	// The laptop renamed the shared event and made a new one.
	renamed := f.event
	renamed.Name, renamed.Active = "Summer fair (wet)", true
	if err := l.SaveEvent(ctx, &renamed); err != nil {
		t.Fatal(err)
	}
	fresh := survey.Event{Name: "Library day", Venue: "Library", Date: day(2025, 7, 1), Active: true, Notes: "bring leaflets"}
	if err := l.SaveEvent(ctx, &fresh); err != nil {
		t.Fatal(err)
	}
	local := survey.Event{Name: "Central's own", Active: true}
	if err := f.central.SaveEvent(ctx, &local); err != nil {
		t.Fatal(err)
	}

	rep := mustMerge(t, f.central, mustBundle(t, l, ""))
	if rep.EventsAdded != 1 || rep.EventsSame != 0 || len(rep.EventConflicts) != 1 {
		t.Fatalf("report %+v", rep)
	}
	if c := rep.EventConflicts[0]; c.EventID != f.event.ID || c.Local != "Summer fair" || !strings.Contains(c.Incoming, "wet") {
		t.Errorf("event conflict = %+v", c)
	}
	// In words, with nouns in the right number, on screen and in the audit log.
	if got, want := rep.Lines()[2], (store.ReportLine{What: "Events", Counts: "1 added, 0 already here, 1 differing"}); got != want {
		t.Errorf("events line = %+v, want %+v", got, want)
	}
	if notes := rep.Notes(); len(notes) != 1 || !strings.HasPrefix(notes[0], `Event "Summer fair" differs in the bundle (`) ||
		!strings.HasSuffix(notes[0], "this laptop's details were kept.") {
		t.Errorf("notes = %q", notes)
	}
	log, err := f.central.AuditLog(ctx, 1)
	if err != nil || len(log) != 1 || log[0].Action != "merge-bundle" ||
		!strings.HasSuffix(log[0].Detail, "0 responses added, 0 duplicates, 0 conflicts, 0 withheld; 0 survey versions and 1 event added") {
		t.Errorf("audit line %+v (%v): want the counts with nouns in the right number", log, err)
	}
	if ev, _ := f.central.Event(ctx, f.event.ID); ev.Name != "Summer fair" {
		t.Errorf("the local event was overwritten: %+v", ev)
	}
	got, err := f.central.Event(ctx, fresh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != fresh.Name || got.Venue != fresh.Venue || !got.Date.Equal(fresh.Date) || got.Notes != fresh.Notes || got.Active {
		t.Errorf("merged event = %+v, want %+v but inactive", got, fresh)
	}
	if active, ok, _ := f.central.ActiveEvent(ctx); !ok || active.ID != local.ID {
		t.Errorf("active event after merge = %+v, %v; want the central's own", active, ok)
	}
	if rep := mustMerge(t, f.central, mustBundle(t, l, "")); rep.EventsAdded != 0 || rep.EventsSame != 1 || len(rep.EventConflicts) != 1 {
		t.Errorf("second merge: %+v", rep)
	}
}

// fileSum is the sha256 of a file.
func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestMergeRefusesBadFiles(t *testing.T) {
	ctx := context.Background()
	f := newFleet(t, 1)
	l := f.laptops[0]
	for i := range 40 {
		respond(t, l, survey.Answers{"visit": "yes", "why": strings.Repeat(fmt.Sprint("reason ", i), 200)})
	}
	good := mustBundle(t, l, "")
	goodBytes, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	rewrite := func(t *testing.T, p string, stmts ...string) {
		t.Helper()
		if err := os.WriteFile(p, goodBytes, 0o600); err != nil {
			t.Fatal(err)
		}
		makeSQLite(t, p, stmts...)
	}
	tests := []struct {
		name    string
		make    func(t *testing.T, path string)
		want    error
		message string
	}{
		{"text file", func(t *testing.T, p string) {
			os.WriteFile(p, []byte("id,answer\n1,yes\n"), 0o600)
		}, store.ErrNotDatabase, "not a database"},
		{"empty file", func(t *testing.T, p string) {
			os.WriteFile(p, nil, 0o600)
		}, store.ErrNotDatabase, "empty"},
		{"other program's database", func(t *testing.T, p string) {
			makeSQLite(t, p, "CREATE TABLE people (name TEXT)")
		}, store.ErrNotCanvass, "people"},
		{"a Canvass database, not a bundle", func(t *testing.T, p string) {
			if err := l.Backup(ctx, p); err != nil {
				t.Fatal(err)
			}
		}, store.ErrNotBundle, "bundle"},
		{"truncated", func(t *testing.T, p string) {
			os.WriteFile(p, goodBytes[:len(goodBytes)/2], 0o600)
		}, store.ErrCorrupt, "damaged"},
		{"damaged pages", func(t *testing.T, p string) {
			b := append([]byte(nil), goodBytes...)
			for i := 3 * 4096; i < len(b); i += 7 {
				b[i] ^= 0x5a
			}
			os.WriteFile(p, b, 0o600)
		}, store.ErrCorrupt, "damaged"},
		{"newer schema", func(t *testing.T, p string) {
			rewrite(t, p, "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 'later')")
		}, store.ErrNewerSchema, "999"},
		{"newer bundle format", func(t *testing.T, p string) {
			rewrite(t, p, "UPDATE bundle_manifest SET value = '7' WHERE key = 'format_version'")
		}, store.ErrNewerSchema, "format version 7"},
		{"damaged manifest", func(t *testing.T, p string) {
			rewrite(t, p, "UPDATE bundle_manifest SET value = 'many' WHERE key = 'responses'")
		}, store.ErrNotBundle, "many"},
		{"missing file", func(t *testing.T, p string) {}, os.ErrNotExist, ""},
	}
	// The central database is checked byte for byte: closed, summed,
	// reopened for each refusal, closed and summed again.
	path := f.central.Path()
	if err := f.central.Close(); err != nil {
		t.Fatal(err)
	}
	sum := fileSum(t, path)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.canvass")
			tt.make(t, bad)
			s, err := store.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.MergeBundle(ctx, bad, nil)
			if cerr := s.Close(); cerr != nil {
				t.Fatal(cerr)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("MergeBundle = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not name the file and %q", err, tt.message)
			}
			if fileSum(t, path) != sum {
				t.Error("the database changed")
			}
		})
	}
	t.Run("the good bundle still merges", func(t *testing.T) {
		s := mustOpenPath(t, path)
		if rep := mustMerge(t, s, good); rep.Added != 40 {
			t.Errorf("report %+v", rep)
		}
	})
}

func TestMergeIntoReadOnlyStore(t *testing.T) {
	ctx := context.Background()
	f := newFleet(t, 1)
	respond(t, f.laptops[0], survey.Answers{"visit": "yes"})
	bundle := mustBundle(t, f.laptops[0], "")
	path := f.central.Path()
	f.central.Close()
	ro, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.MergeBundle(ctx, bundle, nil); !errors.Is(err, store.ErrReadOnly) {
		t.Errorf("MergeBundle on a read-only store = %v, want ErrReadOnly", err)
	}
}

func TestSumReports(t *testing.T) {
	a := store.MergeReport{Bundle: "a", Added: 2, Duplicates: 1, Devices: []store.DeviceTally{{DeviceID: "d1", Added: 2, Duplicates: 1}}}
	b := store.MergeReport{Bundle: "b", Added: 3, Conflicts: []store.ResponseConflict{{Original: "x", Copy: "y"}},
		Devices: []store.DeviceTally{{DeviceID: "d1", Added: 1}, {DeviceID: "d2", Added: 2, Conflicts: 1}}}
	sum := store.SumReports(a, b)
	if sum.Bundles != 2 || sum.Added != 5 || sum.Duplicates != 1 || len(sum.Conflicts) != 1 || len(sum.Devices) != 2 ||
		sum.Devices[0] != (store.DeviceTally{DeviceID: "d1", Added: 3, Duplicates: 1}) || sum.Responses() != 7 {
		t.Errorf("SumReports = %+v", sum)
	}
	if !strings.HasPrefix(sum.String(), "All 2 bundles:") {
		t.Errorf("String() = %q", sum.String())
	}
}
