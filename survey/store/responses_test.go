package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/store"
)

func TestResponseLifecycle(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	s := mustOpen(t, store.WithClock(clk.Now))
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))

	start := time.Date(2025, 6, 20, 14, 30, 0, 0, time.UTC)
	clk.Set(start)
	r := mustStart(t, s, "park", 0)
	if len(r.ID) != 36 || r.DeviceID != s.DeviceID() || r.Status != survey.StatusDraft ||
		!r.Started.Equal(start) || r.Language != "en" || r.SurveyVersion != 1 || r.Submitted != nil {
		t.Fatalf("StartResponse = %+v", r)
	}
	if got := mustResponse(t, s, r.ID); !sameResponse(got, r) {
		t.Fatalf("stored response = %+v, want %+v", got, r)
	}

	t.Run("save and clear answers", func(t *testing.T) {
		if err := s.SaveAnswer(ctx, r.ID, "visit", "yes"); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveAnswer(ctx, r.ID, "why", "the ducks"); err != nil {
			t.Fatal(err)
		}
		got := mustResponse(t, s, r.ID)
		if want := (survey.Answers{"visit": "yes", "why": "the ducks"}); !maps.Equal(got.Answers, want) {
			t.Errorf("answers = %v, want %v", got.Answers, want)
		}
		if !got.Updated.After(got.Started) {
			t.Errorf("Updated %v not after Started %v", got.Updated, got.Started)
		}
		if err := s.SaveAnswer(ctx, r.ID, "why", ""); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveAnswers(ctx, r.ID, survey.Answers{"name": "Ann", "email": "", "why": "trees"}, []string{"visit"}); err != nil {
			t.Fatal(err)
		}
		if got, want := mustResponse(t, s, r.ID).Answers, (survey.Answers{"name": "Ann", "why": "trees"}); !maps.Equal(got, want) {
			t.Errorf("answers = %v, want %v", got, want)
		}
	})

	t.Run("bad input", func(t *testing.T) {
		if err := s.SaveAnswer(ctx, "no-such-response", "visit", "yes"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SaveAnswer(unknown response) = %v, want ErrNotFound", err)
		}
		if err := s.SaveAnswers(ctx, "no-such-response", survey.Answers{"visit": "yes"}, nil); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SaveAnswers(unknown response) = %v, want ErrNotFound", err)
		}
		if err := s.SaveAnswer(ctx, r.ID, "", "x"); err == nil || !strings.Contains(err.Error(), "question") {
			t.Errorf("SaveAnswer(no question) = %v, want an error about the question", err)
		}
		if err := s.SetStatus(ctx, r.ID, "finished"); err == nil || !strings.Contains(err.Error(), "finished") {
			t.Errorf("SetStatus(finished) = %v, want an error naming it", err)
		}
		for name, err := range map[string]error{
			"SetStatus":     s.SetStatus(ctx, "nope", survey.StatusComplete),
			"SetLanguage":   s.SetLanguage(ctx, "nope", "cy"),
			"Submit":        s.Submit(ctx, "nope", nil, nil),
			"ErasePersonal": s.ErasePersonal(ctx, "nope", []string{"name"}, "x"),
		} {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s(unknown response) = %v, want ErrNotFound", name, err)
			}
		}
		if _, err := s.Response(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Response(nope) = %v, want ErrNotFound", err)
		}
	})

	t.Run("language and status", func(t *testing.T) {
		if err := s.SetLanguage(ctx, r.ID, "cy"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStatus(ctx, r.ID, survey.StatusAbandoned); err != nil {
			t.Fatal(err)
		}
		got := mustResponse(t, s, r.ID)
		if got.Language != "cy" || got.Status != survey.StatusAbandoned || got.Submitted != nil {
			t.Errorf("after SetLanguage/SetStatus: %+v", got)
		}
		if err := s.SetStatus(ctx, r.ID, survey.StatusComplete); err != nil {
			t.Fatal(err)
		}
		got = mustResponse(t, s, r.ID)
		if got.Status != survey.StatusComplete || got.Submitted == nil {
			t.Errorf("complete without a submitted time: %+v", got)
		}
		if err := s.SetStatus(ctx, r.ID, survey.StatusDraft); err != nil {
			t.Fatal(err)
		}
		if got := mustResponse(t, s, r.ID); got.Submitted != nil {
			t.Errorf("draft keeps submitted time %v", got.Submitted)
		}
	})

	t.Run("submit", func(t *testing.T) {
		at := time.Date(2025, 6, 20, 15, 0, 0, 0, time.UTC)
		clk.Set(at)
		final := survey.Answers{"visit": "no", "name": "Ann", "blank": ""}
		result := []byte(`{"outcome":"grant"}`)
		if err := s.Submit(ctx, r.ID, final, result); err != nil {
			t.Fatal(err)
		}
		got := mustResponse(t, s, r.ID)
		if want := (survey.Answers{"visit": "no", "name": "Ann"}); !maps.Equal(got.Answers, want) {
			t.Errorf("answers after Submit = %v, want %v", got.Answers, want)
		}
		if got.Status != survey.StatusComplete || got.Submitted == nil || !got.Submitted.Equal(at) || string(got.Result) != string(result) {
			t.Errorf("after Submit: %+v", got)
		}
		// Staff may still correct a complete response.
		if err := s.SaveAnswer(ctx, r.ID, "name", "Anne"); err != nil {
			t.Fatal(err)
		}
		if got := mustResponse(t, s, r.ID); got.Answers["name"] != "Anne" || got.Status != survey.StatusComplete {
			t.Errorf("after correction: %+v", got)
		}
	})

	t.Run("submit is all or nothing", func(t *testing.T) {
		r2 := mustStart(t, s, "park", 0)
		if err := s.SaveAnswer(ctx, r2.ID, "visit", "yes"); err != nil {
			t.Fatal(err)
		}
		before := mustResponse(t, s, r2.ID)
		// The bad answer name is met after the old answers were deleted.
		if err := s.Submit(ctx, r2.ID, survey.Answers{"a": "1", "": "x"}, nil); err == nil {
			t.Fatal("Submit with a nameless answer succeeded")
		}
		if err := s.Submit(ctx, r2.ID, survey.Answers{"visit": "no"}, []byte("{not json")); err == nil {
			t.Fatal("Submit with a broken result succeeded")
		}
		if got := mustResponse(t, s, r2.ID); !sameResponse(got, before) {
			t.Errorf("failed Submit changed the response:\n%+v\nwant\n%+v", got, before)
		}
	})
}

func TestEachResponse(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	s := mustOpen(t, store.WithClock(clk.Now))
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	mustSaveSurvey(t, s, sampleSurvey("other", "Other"))
	e1 := survey.Event{Name: "E1", Date: day(2025, 6, 1)}
	e2 := survey.Event{Name: "E2", Date: day(2025, 6, 3)}
	for _, e := range []*survey.Event{&e1, &e2} {
		if err := s.SaveEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	at := func(d, h, m int) time.Time { return time.Date(2025, 6, d, h, m, 0, 0, time.UTC) }

	type spec struct {
		name    string
		version int
		event   string
		start   time.Time
		status  survey.Status
		answers survey.Answers
	}
	specs := []spec{
		{"r1", 1, e1.ID, at(1, 10, 0), survey.StatusComplete, survey.Answers{"visit": "yes", "why": "ducks"}},
		{"r2", 1, e1.ID, at(1, 11, 0), survey.StatusDraft, survey.Answers{"visit": "no"}},
		{"r3", 1, "", at(2, 9, 0), survey.StatusAbandoned, nil},
		{"r4", 2, e2.ID, at(3, 9, 0), survey.StatusComplete, survey.Answers{"visit": "yes"}},
		{"r5", 2, e2.ID, at(3, 10, 0), survey.StatusComplete, survey.Answers{"visit": "yes", "why": "trees", "name": "Bo"}},
	}
	ids := map[string]string{} // response id → spec name
	for i, sp := range specs {
		if sp.version == 2 && i > 0 && specs[i-1].version == 1 {
			edit := sampleSurvey("park", "Park v2")
			if v := mustSaveSurvey(t, s, edit); v.Version != 2 {
				t.Fatalf("edit made version %d", v.Version)
			}
		}
		if err := s.SetActiveEvent(ctx, sp.event); err != nil {
			t.Fatal(err)
		}
		clk.Set(sp.start)
		r := mustStart(t, s, "park", 0)
		if r.SurveyVersion != sp.version {
			t.Fatalf("%s on version %d, want %d", sp.name, r.SurveyVersion, sp.version)
		}
		ids[r.ID] = sp.name
		if err := s.SaveAnswers(ctx, r.ID, sp.answers, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStatus(ctx, r.ID, sp.status); err != nil {
			t.Fatal(err)
		}
	}
	// Noise in another survey.
	if err := s.SetActiveEvent(ctx, e1.ID); err != nil {
		t.Fatal(err)
	}
	clk.Set(at(1, 10, 30))
	noise := mustStart(t, s, "other", 0)
	if err := s.SaveAnswer(ctx, noise.ID, "visit", "no"); err != nil {
		t.Fatal(err)
	}
	ids[noise.ID] = "other"

	bst := time.FixedZone("BST", 3600)
	tests := []struct {
		name   string
		filter survey.Filter
		want   []string
	}{
		{"everything", survey.Filter{}, []string{"r1", "other", "r2", "r3", "r4", "r5"}},
		{"one survey", survey.Filter{SurveyID: "park"}, []string{"r1", "r2", "r3", "r4", "r5"}},
		{"unknown survey", survey.Filter{SurveyID: "nope"}, nil},
		{"version 1", survey.Filter{SurveyID: "park", Version: 1}, []string{"r1", "r2", "r3"}},
		{"version 2", survey.Filter{SurveyID: "park", Version: 2}, []string{"r4", "r5"}},
		{"event 1", survey.Filter{SurveyID: "park", EventID: e1.ID}, []string{"r1", "r2"}},
		{"event 2", survey.Filter{EventID: e2.ID}, []string{"r4", "r5"}},
		{"from a day", survey.Filter{SurveyID: "park", From: at(2, 0, 0)}, []string{"r3", "r4", "r5"}},
		{"to a day (exclusive)", survey.Filter{SurveyID: "park", To: at(2, 0, 0)}, []string{"r1", "r2"}},
		{"range, end exclusive", survey.Filter{SurveyID: "park", From: at(1, 10, 30), To: at(3, 9, 0)}, []string{"r2", "r3"}},
		{"bound in another zone", survey.Filter{SurveyID: "park", From: time.Date(2025, 6, 1, 12, 0, 0, 0, bst)}, []string{"r2", "r3", "r4", "r5"}},
		{"bound just after a start", survey.Filter{SurveyID: "park", From: at(1, 10, 0).Add(time.Microsecond)}, []string{"r2", "r3", "r4", "r5"}},
		{"complete", survey.Filter{SurveyID: "park", Statuses: []survey.Status{survey.StatusComplete}}, []string{"r1", "r4", "r5"}},
		{"partial", survey.Filter{SurveyID: "park", Statuses: []survey.Status{survey.StatusDraft, survey.StatusAbandoned}}, []string{"r2", "r3"}},
		{"combined", survey.Filter{SurveyID: "park", Version: 2, EventID: e2.ID, Statuses: []survey.Status{survey.StatusComplete}, From: at(3, 9, 30)}, []string{"r5"}},
	}
	wantAnswers := map[string]survey.Answers{"other": {"visit": "no"}}
	wantStatus := map[string]survey.Status{"other": survey.StatusDraft}
	for _, sp := range specs {
		wantAnswers[sp.name] = sp.answers
		wantStatus[sp.name] = sp.status
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := s.EachResponse(ctx, tt.filter, func(r *survey.Response) error {
				name := ids[r.ID]
				got = append(got, name)
				want := wantAnswers[name]
				if len(want) == 0 {
					want = survey.Answers{}
				}
				if !maps.Equal(r.Answers, want) {
					t.Errorf("%s answers = %v, want %v", name, r.Answers, want)
				}
				if r.Status != wantStatus[name] {
					t.Errorf("%s status = %s, want %s", name, r.Status, wantStatus[name])
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("EachResponse = %v, want %v", got, tt.want)
			}

			counts, err := s.CountResponses(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var want store.Counts
			visits := map[string]int{}
			for _, name := range tt.want {
				switch wantStatus[name] {
				case survey.StatusDraft:
					want.Draft++
				case survey.StatusComplete:
					want.Complete++
				case survey.StatusAbandoned:
					want.Abandoned++
				}
				if v := wantAnswers[name]["visit"]; v != "" {
					visits[v]++
				}
			}
			if counts != want || counts.Total() != len(tt.want) {
				t.Errorf("CountResponses = %+v, want %+v", counts, want)
			}
			answers, err := s.AnswerCounts(ctx, tt.filter, "visit")
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(answers, visits) {
				t.Errorf("AnswerCounts(visit) = %v, want %v", answers, visits)
			}
		})
	}

	t.Run("fn error stops the walk", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := s.EachResponse(ctx, survey.Filter{}, func(*survey.Response) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("EachResponse = %v after %d calls, want stop after 1", err, calls)
		}
	})

	t.Run("bad filters", func(t *testing.T) {
		for _, f := range []survey.Filter{{Version: -1}, {Statuses: []survey.Status{"finished"}}} {
			if err := s.EachResponse(ctx, f, func(*survey.Response) error { return nil }); err == nil {
				t.Errorf("EachResponse(%+v) accepted a bad filter", f)
			}
			if _, err := s.CountResponses(ctx, f); err == nil {
				t.Errorf("CountResponses(%+v) accepted a bad filter", f)
			}
			if _, err := s.AnswerCounts(ctx, f, "visit"); err == nil {
				t.Errorf("AnswerCounts(%+v) accepted a bad filter", f)
			}
		}
	})
}

func TestErasePersonalAndDelete(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	r := mustStart(t, s, "park", 0)
	if err := s.Submit(ctx, r.ID, survey.Answers{"name": "Ann Example", "email": "ann@example.org", "visit": "yes", "why": "ducks",
		// answers of repeat instances: the personal ones go in every instance
		"people[1]/name": "Bo Example", "people[2]/name": "Cy Example", "people[2]/groups[3]/email": "cy@example.org",
		"people[1]/why": "swans", "people[2]/name_of": "not personal"}, nil); err != nil {
		t.Fatal(err)
	}

	if err := s.ErasePersonal(ctx, r.ID, []string{"name", "email", "phone"}, "officer.jones"); err != nil {
		t.Fatal(err)
	}
	got := mustResponse(t, s, r.ID)
	if want := (survey.Answers{"visit": "yes", "why": "ducks", "people[1]/why": "swans", "people[2]/name_of": "not personal"}); !maps.Equal(got.Answers, want) {
		t.Errorf("answers after erase = %v, want %v", got.Answers, want)
	}
	if got.Status != survey.StatusComplete {
		t.Errorf("erase changed the status to %s", got.Status)
	}
	log, err := s.AuditLog(ctx, 1)
	if err != nil || len(log) != 1 {
		t.Fatalf("AuditLog = %v, %v", log, err)
	}
	e := log[0]
	if e.Action != "erase-personal" || e.Subject != r.ID || e.Actor != "officer.jones" ||
		!strings.Contains(e.Detail, "name") || !strings.Contains(e.Detail, "email") {
		t.Errorf("audit line = %+v", e)
	}
	if line := fmt.Sprintf("%+v", e); strings.Contains(line, "Ann") || strings.Contains(line, "example.org") {
		t.Errorf("audit line holds an erased value: %s", line)
	}

	if err := s.DeleteResponse(ctx, r.ID, "officer.jones"); err != nil {
		t.Fatal(err)
	}
	log, err = s.AuditLog(ctx, 0)
	if err != nil || len(log) != 2 {
		t.Fatalf("AuditLog = %v, %v", log, err)
	}
	if e := log[0]; e.Action != "delete-response" || e.Subject != r.ID || e.Actor != "officer.jones" || !strings.Contains(e.Detail, "park") {
		t.Errorf("audit line = %+v", e)
	}
}

func TestSettingsAndAudit(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	if v, ok, err := s.Setting(ctx, "theme"); v != "" || ok || err != nil {
		t.Errorf("unset Setting = %q, %v, %v", v, ok, err)
	}
	for _, v := range []string{"dark", "large"} {
		if err := s.SetSetting(ctx, "theme", v); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := s.Setting(ctx, "theme"); got != v || !ok || err != nil {
			t.Errorf("Setting = %q, %v, %v; want %q", got, ok, err, v)
		}
	}
	if err := s.SetSetting(ctx, "device_id", "mine"); err == nil {
		t.Error("SetSetting overwrote the device id")
	}
	if err := s.SetSetting(ctx, "", "x"); err == nil {
		t.Error("SetSetting accepted an empty key")
	}
	for i := range 3 {
		if err := s.Audit(ctx, "me", "export", fmt.Sprint("file", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Audit(ctx, "me", " ", "x", ""); err == nil {
		t.Error("Audit accepted an empty action")
	}
	log, err := s.AuditLog(ctx, 2)
	if err != nil || len(log) != 2 || log[0].Subject != "file2" || log[1].Subject != "file1" || log[0].At.IsZero() {
		t.Errorf("AuditLog(2) = %+v, %v", log, err)
	}
}

func TestConcurrentReadersAndWriters(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))

	const writers, perWriter = 2, 120
	errs := make(chan error, 100)
	done := make(chan struct{})
	var wg, readers sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r *survey.Response
			for i := range perWriter {
				if i%20 == 0 {
					var err error
					if r, err = s.StartResponse(ctx, "park", 0, "en"); err != nil {
						errs <- err
						return
					}
				}
				if err := s.SaveAnswer(ctx, r.ID, fmt.Sprintf("q%d", i%7), fmt.Sprintf("w%d-%d", w, i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := s.CountResponses(ctx, survey.Filter{SurveyID: "park"}); err != nil {
					errs <- err
					return
				}
				err := s.EachResponse(ctx, survey.Filter{SurveyID: "park"}, func(r *survey.Response) error {
					_, err := s.Response(ctx, r.ID)
					return err
				})
				if err != nil {
					errs <- err
					return
				}
				if _, err := s.Surveys(ctx); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	c, err := s.CountResponses(ctx, survey.Filter{})
	if err != nil || c.Draft != writers*perWriter/20 {
		t.Errorf("CountResponses = %+v, %v; want %d drafts", c, err, writers*perWriter/20)
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := mustOpenPath(t, filepath.Join(dir, "live.db"))
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	r := mustStart(t, s, "park", 0)
	if err := s.SaveAnswers(ctx, r.ID, survey.Answers{"visit": "yes", "why": "it's 'quoted'"}, nil); err != nil {
		t.Fatal(err)
	}
	want := mustResponse(t, s, r.ID)

	backups := filepath.Join(dir, "backups 'n' copies")
	if err := os.Mkdir(backups, 0o755); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(backups, "backup 1.db")
	if err := s.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	// The live store keeps working after a backup.
	if err := s.SaveAnswer(ctx, r.ID, "visit", "no"); err != nil {
		t.Fatal(err)
	}

	t.Run("backup opens", func(t *testing.T) {
		b := mustOpenPath(t, dest)
		if got := mustResponse(t, b, r.ID); !sameResponse(got, want) {
			t.Errorf("response in backup = %+v, want %+v", got, want)
		}
		if b.DeviceID() != s.DeviceID() {
			t.Errorf("backup device id %q, live %q", b.DeviceID(), s.DeviceID())
		}
	})

	t.Run("refuses to overwrite", func(t *testing.T) {
		before := stateOf(t, dest)
		if err := s.Backup(ctx, dest); !errors.Is(err, fs.ErrExist) {
			t.Errorf("second Backup = %v, want ErrExist", err)
		}
		if after := stateOf(t, dest); string(after.data) != string(before.data) {
			t.Error("refused backup changed the existing file")
		}
	})

	t.Run("from a read-only store", func(t *testing.T) {
		ro, err := store.OpenReadOnly(ctx, filepath.Join(dir, "live.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		if err := ro.Backup(ctx, filepath.Join(backups, "ro.db")); err != nil {
			t.Fatal(err)
		}
		b, err := store.OpenReadOnly(ctx, filepath.Join(backups, "ro.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if got := mustResponse(t, b, r.ID); got.Answers["visit"] != "no" {
			t.Errorf("read-only backup answers = %v", got.Answers)
		}
	})

	t.Run("no temporary files left", func(t *testing.T) {
		entries, err := os.ReadDir(backups)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		for _, n := range names {
			if strings.HasSuffix(n, ".tmp") {
				t.Errorf("temporary file left: %v", names)
			}
		}
	})

	t.Run("missing folder", func(t *testing.T) {
		if err := s.Backup(ctx, filepath.Join(dir, "nope", "b.db")); err == nil {
			t.Error("Backup into a missing folder succeeded")
		}
	})
}

func TestImportResponse(t *testing.T) {
	ctx := context.Background()
	src := mustOpen(t)
	dst := mustOpen(t)
	mustSaveSurvey(t, src, sampleSurvey("park", "Park"))
	ev := survey.Event{Name: "Fair", Active: true, Date: day(2025, 5, 5)}
	if err := src.SaveEvent(ctx, &ev); err != nil {
		t.Fatal(err)
	}
	r := mustStart(t, src, "park", 0)
	if err := src.Submit(ctx, r.ID, survey.Answers{"visit": "yes"}, []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	orig := mustResponse(t, src, r.ID)

	if _, err := dst.ImportResponse(ctx, orig); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("import before its survey = %v, want ErrNotFound", err)
	}
	def, err := src.Survey(ctx, "park", orig.SurveyVersion)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dst.ImportSurvey(ctx, def); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.ImportResponse(ctx, orig); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("import before its event = %v, want ErrNotFound", err)
	}
	ev.Active = false
	if err := dst.SaveEvent(ctx, &ev); err != nil {
		t.Fatal(err)
	}
	if ok, err := dst.ImportResponse(ctx, orig); !ok || err != nil {
		t.Fatalf("ImportResponse = %v, %v", ok, err)
	}
	if got := mustResponse(t, dst, r.ID); !sameResponse(got, orig) {
		t.Errorf("imported = %+v, want %+v", got, orig)
	}
	if ok, err := dst.ImportResponse(ctx, orig); ok || err != nil {
		t.Errorf("second ImportResponse = %v, %v; want false, nil", ok, err)
	}
	if !reflect.DeepEqual(mustResponse(t, dst, r.ID).Answers, orig.Answers) {
		t.Error("answers changed")
	}
}

// TestEachResponseStreams checks that SQLite answers EachResponse's query
// straight from the indexes, without first sorting every row it selects.
func TestEachResponseStreams(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range []survey.Filter{
		{},
		{SurveyID: "park"},
		{SurveyID: "park", Version: 2, From: from, Statuses: []survey.Status{survey.StatusComplete}},
		{EventID: "e1"},
		{From: from, To: from.AddDate(0, 1, 0)},
	} {
		query, args, err := store.EachResponseSQL(f)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.DB().QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if text := strings.Join(plan, "; "); strings.Contains(text, "TEMP B-TREE") || !strings.Contains(text, "USING INDEX") {
			t.Errorf("filter %+v: plan %q sorts or scans without an index", f, text)
		}
	}
}
