package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"canvass/app/cli"
	"canvass/assets"
	"canvass/export"
	"canvass/survey"
	"canvass/survey/central"
	"canvass/survey/central/centraltest"
	"canvass/survey/openrosa"
	"canvass/survey/run"
	"canvass/survey/store"
)

// withStore opens the database, runs fn and closes it again (the CLI
// commands take the write lock themselves).
func withStore(t testing.TB, db string, fn func(st *store.Store)) {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fn(st)
}

// passwordFile writes a password to a private file.
func passwordFile(t *testing.T, pw string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "password.txt")
	if err := os.WriteFile(f, []byte(pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// mustRun runs the CLI and fails the test unless it exits 0.
func mustRun(t testing.TB, args ...string) string {
	t.Helper()
	var outB, errB bytes.Buffer
	code := cli.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(""), Stdout: &outB, Stderr: &errB})
	out, errOut := outB.String(), errB.String()
	if code != 0 {
		t.Fatalf("canvass %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// thousandComplete fills db with exactly n complete demo responses of the
// engagement template (and the abandoned ones the generator makes).
func thousandComplete(t testing.TB, db string, n int) {
	t.Helper()
	mustRun(t, "demo", "--db", db, "--survey", "engagement", "--responses", strconv.Itoa(n*13/10), "--seed", "16")
	ctx := context.Background()
	withStore(t, db, func(st *store.Store) {
		var surplus, drafts []string
		kept := 0
		err := st.EachResponse(ctx, survey.Filter{SurveyID: "engagement"}, func(r *survey.Response) error {
			switch {
			case r.Status == survey.StatusDraft:
				drafts = append(drafts, r.ID)
			case r.Status == survey.StatusComplete && kept < n:
				kept++
			case r.Status == survey.StatusComplete:
				surplus = append(surplus, r.ID)
			}
			return nil
		})
		if err != nil || kept != n {
			t.Fatalf("demo made %d complete responses (%v), want at least %d", kept, err, n)
		}
		for _, id := range append(surplus, drafts...) {
			if err := st.DeleteResponse(ctx, id, "test"); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// compareWithExport checks every column of Central's submissions.csv
// against Canvass's own CSV export (choice codes) of the same responses.
//
// Mapping, column by column:
//   - Central's KEY is uuid: + Canvass's "response id";
//   - a question in a group is "group-question" on Central, "question" in Canvass;
//   - select_multiple: Central has the chosen choice names space-separated in one column;
//     Canvass has them joined by "; " in the question's column and one 0/1 column per
//     choice ("heard: newsletter"), which must be 1 exactly for the names Central lists
//     (all blank when the question was not answered);
//   - rank: Central has the choice names in order, space-separated; Canvass has one
//     column per position ("priority: 1st" …);
//   - numbers (range, integer) compare as numbers; text as text (Canvass marks text
//     that a spreadsheet would read as a formula with a leading ', which is removed);
//   - dates: the engagement template asks for none; Central's SubmissionDate is the
//     server's receipt time and Canvass's "started"/"submitted" are the laptop's, so
//     they are not compared (dates and times are checked value by value in
//     survey/central TestPushFollowsTheForm);
//   - notes (thanks) hold no answer: empty on Central, absent from Canvass's export.
func compareWithExport(t *testing.T, def *survey.Survey, centralCSV, canvassCSV []byte) {
	t.Helper()
	_, crows := centraltest.ReadCSV(t, centralCSV)
	_, xrows := centraltest.ReadCSV(t, canvassCSV)
	if len(crows) != len(xrows) {
		t.Fatalf("Central has %d rows, Canvass's export %d", len(crows), len(xrows))
	}
	byID := map[string]map[string]string{}
	for _, x := range xrows {
		byID["uuid:"+x["response id"]] = x
	}
	col := map[string]string{} // question → Central column
	for _, q := range def.All() {
		path := []string{}
		for _, g := range def.Ancestors(q.Name) {
			path = append(path, g.Name)
		}
		col[q.Name] = strings.Join(append(path, q.Name), "-")
	}
	compared := 0
	for _, c := range crows {
		x, ok := byID[c["KEY"]]
		if !ok {
			t.Fatalf("Central's %s is not in Canvass's export", c["KEY"])
		}
		for _, q := range def.Fields() {
			got := c[col[q.Name]]
			switch q.Type {
			case survey.TypeSelectMultiple:
				names := strings.Fields(got)
				if want := strings.Join(names, "; "); x[q.Name] != want {
					t.Errorf("%s %s: Central %q, Canvass %q", c["KEY"], q.Name, got, x[q.Name])
				}
				for _, ch := range def.Choices(q) {
					flag := "0"
					switch {
					case len(names) == 0:
						flag = "" // not answered: every flag blank
					case slices.Contains(names, ch.Name):
						flag = "1"
					}
					if x[q.Name+": "+ch.Name] != flag {
						t.Errorf("%s %s: %s: Canvass %q, Central lists %v", c["KEY"], q.Name, ch.Name, x[q.Name+": "+ch.Name], names)
					}
				}
			case survey.TypeRank:
				names := strings.Fields(got)
				for i := range def.Choices(q) {
					want := ""
					if i < len(names) {
						want = names[i]
					}
					h := fmt.Sprintf("%s: %s", q.Name, ordinal(i+1))
					if x[h] != want {
						t.Errorf("%s %s: Canvass %q, Central %q", c["KEY"], h, x[h], want)
					}
				}
			case survey.TypeRange, survey.TypeInteger, survey.TypeDecimal:
				a, errA := strconv.ParseFloat(got, 64)
				b, errB := strconv.ParseFloat(x[q.Name], 64)
				if (got != "" || x[q.Name] != "") && (errA != nil || errB != nil || a != b) {
					t.Errorf("%s %s: Central %q, Canvass %q", c["KEY"], q.Name, got, x[q.Name])
				}
			default:
				want := x[q.Name]
				if strings.HasPrefix(want, "'") && strings.ContainsAny(want[1:min(2, len(want))], "=+-@") {
					want = want[1:]
				}
				if got != want {
					t.Errorf("%s %s: Central %q, Canvass %q", c["KEY"], q.Name, got, want)
				}
			}
			compared++
		}
	}
	t.Logf("compared %d values of %d responses", compared, len(crows))
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// canvassCSV is Canvass's own CSV export of the complete responses, with choice codes.
func canvassCSV(t *testing.T, db, surveyID string) []byte {
	t.Helper()
	var b bytes.Buffer
	withStore(t, db, func(st *store.Store) {
		if _, err := export.CSV(context.Background(), st, export.Options{SurveyID: surveyID, Codes: true, CompleteOnly: true}, &b); err != nil {
			t.Fatal(err)
		}
	})
	return b.Bytes()
}

// TestMain lets the kill -9 test run `canvass sync` in a process of its
// own: this test binary started again with CANVASS_SYNC_CHILD set runs the
// command it names (arguments one per line) instead of the tests.
func TestMain(m *testing.M) {
	if args := os.Getenv("CANVASS_SYNC_CHILD"); args != "" {
		os.Exit(cli.Run(context.Background(), strings.Split(args, "\n"), cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(m.Run())
}

func TestSyncThousandDemoResponses(t *testing.T) {
	srv := centraltest.Need(t)
	if testing.Short() {
		t.Skip("pushes 1,000 responses to Central")
	}
	const n = 1000
	p := srv.NewProject(t)
	db := filepath.Join(t.TempDir(), "canvass.db")
	pw := passwordFile(t, p.Password)
	thousandComplete(t, db, n)
	mustRun(t, "publish", "--db", db, "--survey", "engagement", "--server", p.URL(), "--email", p.Email, "--password-file", pw)

	// kill -9 the push three times part-way, then let it finish.
	syncArgs := []string{"sync", "--db", db, "--survey", "engagement"}
	for i, at := range []int{150, 400, 700} {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "CANVASS_SYNC_CHILD="+strings.Join(syncArgs, "\n"))
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Minute)
		for p.Count(t, "engagement") < at && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		got := p.Count(t, "engagement")
		t.Logf("kill %d: Central holds %d submissions", i+1, got)
		if got < at || got >= n {
			t.Fatalf("kill %d came at %d submissions, want between %d and %d", i+1, got, at, n)
		}
	}
	start := time.Now()
	out := mustRun(t, syncArgs...)
	t.Logf("resumed in %v: %s", time.Since(start), out)
	if !strings.Contains(out, "0 refused, 0 pending") {
		t.Errorf("resume says %q", out)
	}
	if got := p.Count(t, "engagement"); got != n {
		t.Fatalf("Central holds %d submissions after three kills and a resume, want %d", got, n)
	}
	var def *survey.Survey
	withStore(t, db, func(st *store.Store) {
		var err error
		if def, err = st.Survey(context.Background(), "engagement", 1); err != nil {
			t.Fatal(err)
		}
		states, err := st.SendStates(context.Background(), p.URL())
		if err != nil {
			t.Fatal(err)
		}
		sent := 0
		for _, s := range states {
			if s.State == store.SendSent && !s.SentAt.IsZero() {
				sent++
			}
		}
		if sent != n {
			t.Errorf("%d responses are marked sent, want %d", sent, n)
		}
	})
	centralCSV := p.SubmissionsCSV(t, "engagement")
	_, rows := centraltest.ReadCSV(t, centralCSV)
	if len(rows) != n {
		t.Fatalf("submissions.csv has %d rows, want %d", len(rows), n)
	}
	compareWithExport(t, def, centralCSV, canvassCSV(t, db, "engagement"))

	again := mustRun(t, syncArgs...)
	if !strings.Contains(again, "0 sent, 0 edits sent, 1000 already there") {
		t.Errorf("a second sync says %q", again)
	}

	t.Run("edits of 10 and erasure of 5 reach the server", func(t *testing.T) {
		ctx := context.Background()
		var edited, erased []string
		withStore(t, db, func(st *store.Store) {
			var ids []string
			st.EachResponse(ctx, survey.Filter{SurveyID: "engagement", Statuses: []survey.Status{survey.StatusComplete}}, func(r *survey.Response) error {
				if r.Answers["email"] != "" || r.Answers["org_name"] != "" {
					ids = append(ids, r.ID)
				}
				return nil
			})
			if len(ids) < 15 {
				t.Fatalf("only %d responses hold personal data", len(ids))
			}
			edited, erased = ids[:10], ids[10:15]
			for i, id := range edited {
				if err := st.SaveAnswer(ctx, id, "anything_else", fmt.Sprintf("Changed after the event (%d).", i)); err != nil {
					t.Fatal(err)
				}
			}
			for _, id := range erased {
				if err := st.ErasePersonal(ctx, id, []string{"org_name", "email", "postcode_district"}, "staff"); err != nil {
					t.Fatal(err)
				}
			}
		})
		out := mustRun(t, syncArgs...)
		if !strings.Contains(out, "0 sent, 15 edits sent, 985 already there") {
			t.Errorf("sync of the edits says %q", out)
		}
		for _, id := range append(append([]string{}, edited...), erased...) {
			versions := p.Versions(t, "engagement", "uuid:"+id)
			if len(versions) != 2 || versions[1] != "uuid:"+id {
				t.Errorf("response %s: versions on Central %v, want an edit on top of uuid:%s", id, versions, id)
			}
		}
		centralCSV := p.SubmissionsCSV(t, "engagement")
		_, rows := centraltest.ReadCSV(t, centralCSV)
		if len(rows) != n {
			t.Fatalf("after the edits submissions.csv has %d rows, want %d", len(rows), n)
		}
		for _, r := range rows {
			id := strings.TrimPrefix(r["KEY"], "uuid:")
			if slices.Contains(erased, id) && (r["email"] != "" || r["org_name"] != "" || r["about_you-postcode_district"] != "") {
				t.Errorf("erased response %s still has personal data on Central: %v", id, r)
			}
			if slices.Contains(edited, id) && !strings.HasPrefix(r["anything_else"], "Changed after the event") {
				t.Errorf("edited response %s shows %q on Central", id, r["anything_else"])
			}
		}
		compareWithExport(t, def, centralCSV, canvassCSV(t, db, "engagement"))
	})
}

// forwarder relays TCP connections to target until stopped: a server that
// can be switched off without touching Central itself.
func forwarder(t *testing.T, target string) (addr string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, u)
			mu.Unlock()
			go func() { io.Copy(u, c); u.Close() }()
			go func() { io.Copy(c, u); c.Close() }()
		}
	}()
	stop = func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}
	t.Cleanup(stop)
	return ln.Addr().String(), stop
}

func countAll(t *testing.T, db string) (store.Counts, map[string]store.SendState) {
	t.Helper()
	var c store.Counts
	states := map[string]store.SendState{}
	withStore(t, db, func(st *store.Store) {
		var err error
		if c, err = st.CountResponses(context.Background(), survey.Filter{}); err != nil {
			t.Fatal(err)
		}
		links, err := st.CentralLinks(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range links {
			s, err := st.SendStates(context.Background(), l.Server)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range s {
				states[l.Server+" "+k] = v
			}
		}
	})
	return c, states
}

func TestSyncFailuresAreClearAndLoseNothing(t *testing.T) {
	srv := centraltest.Need(t)
	p := srv.NewProject(t)
	u, err := url.Parse(srv.Base)
	if err != nil {
		t.Fatal(err)
	}
	addr, stopServer := forwarder(t, u.Host)
	server := fmt.Sprintf("http://%s/v1/projects/%d", addr, p.ID)
	db := filepath.Join(t.TempDir(), "canvass.db")
	pw := passwordFile(t, p.Password)
	thousandComplete(t, db, 20)
	mustRun(t, "publish", "--db", db, "--survey", "engagement", "--server", server, "--email", p.Email, "--password-file", pw)
	mustRun(t, "sync", "--db", db, "--survey", "engagement")
	withStore(t, db, func(st *store.Store) {
		r := 0
		st.EachResponse(context.Background(), survey.Filter{SurveyID: "engagement", Statuses: []survey.Status{survey.StatusComplete}}, func(resp *survey.Response) error {
			if r < 3 {
				st.SaveAnswer(context.Background(), resp.ID, "listened", "1")
			}
			r++
			return nil
		})
	})
	counts, states := countAll(t, db)

	tests := []struct {
		name     string
		args     []string
		setup    func(t *testing.T)
		wantCode int
		want     string
	}{
		{name: "bad credentials", args: []string{"sync", "--db", db, "--survey", "engagement", "--server", server, "--email", p.Email, "--password-file", passwordFile(t, "not-the-password-9")},
			wantCode: 1, want: "refused the credentials"},
		{name: "409 on publish", args: []string{"publish", "--db", db, "--survey", "engagement", "--server", server},
			wantCode: 1, want: "409.3"},
		{name: "wrong form version", args: []string{"sync", "--db", db, "--survey", "engagement"},
			setup: func(t *testing.T) {
				withStore(t, db, func(st *store.Store) {
					l := mustLinkOf(t, st, "engagement")
					l.FormVersion = "99"
					if err := st.SaveCentralLink(context.Background(), l); err != nil {
						t.Fatal(err)
					}
				})
				t.Cleanup(func() {
					withStore(t, db, func(st *store.Store) {
						l := mustLinkOf(t, st, "engagement")
						l.FormVersion = "1"
						st.SaveCentralLink(context.Background(), l)
					})
				})
			},
			wantCode: 1, want: `no version "99"`},
		{name: "stopped server", args: []string{"sync", "--db", db, "--survey", "engagement"},
			setup: func(*testing.T) { stopServer() }, wantCode: 0, want: "will send later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup(t)
			}
			code, out, errOut := runCLI(t, "", tt.args...)
			t.Logf("exit %d\n%s%s", code, out, errOut)
			if code != tt.wantCode || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("exit %d, output %q; want exit %d and %q", code, out+errOut, tt.wantCode, tt.want)
			}
			if strings.Contains(out+errOut, "not-the-password") || strings.Contains(out+errOut, p.Password) {
				t.Errorf("the output shows a password")
			}
			after, afterStates := countAll(t, db)
			if after != counts {
				t.Errorf("responses here changed: %+v, before %+v", after, counts)
			}
			for k, v := range states {
				if w := afterStates[k]; w.State == store.SendSent && (w.SentHash != v.SentHash || w.InstanceID != v.InstanceID) {
					t.Errorf("send state of %s changed: %+v, before %+v", k, w, v)
				}
			}
		})
	}
}

func mustLinkOf(t *testing.T, st *store.Store, id string) store.CentralLink {
	t.Helper()
	links, err := st.CentralLinks(context.Background(), id)
	if err != nil || len(links) == 0 {
		t.Fatalf("links of %s: %v, %v", id, links, err)
	}
	return links[0]
}

func TestPullAFormFromOutsideAndRunIt(t *testing.T) {
	srv := centraltest.Need(t)
	ctx := context.Background()
	p := srv.NewProject(t)
	xlsx, err := os.ReadFile(filepath.Join("..", "..", "survey", "central", "testdata", "household_visit.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	p.UploadXLSForm(t, "household_visit", xlsx)
	appURL := p.AppUserURL(t, "household_visit")
	db := filepath.Join(t.TempDir(), "canvass.db")

	out := mustRun(t, "pull", "--db", db, "--server", appURL, "--form", "household_visit")
	if !strings.Contains(out, `form "household_visit" version "2024031501" imported as survey household_visit version 1`) {
		t.Errorf("pull says %q", out)
	}
	if strings.Contains(out, strings.Split(strings.Split(appURL, "/key/")[1], "/")[0]) {
		t.Errorf("pull printed the app user's token: %q", out)
	}
	again := mustRun(t, "pull", "--db", db, "--server", appURL, "--form", "household_visit")
	if !strings.Contains(again, "already here as survey household_visit version 1") {
		t.Errorf("second pull says %q", again)
	}

	// Run it: a respondent fills the form in through the form engine.
	withStore(t, db, func(st *store.Store) {
		def, err := st.Survey(ctx, "household_visit", 0)
		if err != nil {
			t.Fatal(err)
		}
		s, err := run.New(run.Config{Survey: def, Store: st})
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range map[string]string{"visit_date": "2026-06-01", "visit_time": "10:30", "members": "2", "rent": "150",
			"tenure": "private", "services": "library advice", "services_comment": "Helpful staff"} {
			if c, _ := s.Answer(k, v); !c.OK() {
				t.Fatalf("answer %s = %s: %v", k, v, c)
			}
		}
		if page, problems := s.Finish(); page >= 0 {
			t.Fatalf("finish: page %d, %v", page, problems)
		}
		if err := s.Submit(ctx, nil); err != nil {
			t.Fatal(err)
		}
	})
	out = mustRun(t, "sync", "--db", db, "--survey", "household_visit")
	if !strings.Contains(out, "1 sent") {
		t.Errorf("sync says %q", out)
	}
	_, rows := centraltest.ReadCSV(t, p.SubmissionsCSV(t, "household_visit"))
	if len(rows) != 1 || rows[0]["household-rent"] != "150" || rows[0]["services"] != "library advice" || rows[0]["per_person"] != "75" {
		t.Errorf("Central holds %v", rows)
	}

	t.Run("a newer version makes a new survey version", func(t *testing.T) {
		v2, err := os.ReadFile(filepath.Join("..", "..", "survey", "central", "testdata", "household_visit_v2.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		p.Do(t, "POST", p.Path("/forms/household_visit/draft?ignoreWarnings=true"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", v2,
			"X-XlsForm-FormId-Fallback", "household_visit")
		p.Do(t, "POST", p.Path("/forms/household_visit/draft/publish"), "", nil)
		out := mustRun(t, "pull", "--db", db, "--server", appURL, "--form", "household_visit")
		if !strings.Contains(out, `form "household_visit" version "2024031502" imported as survey household_visit version 2`) {
			t.Errorf("pull of the new version says %q", out)
		}
		withStore(t, db, func(st *store.Store) {
			def, err := st.Survey(ctx, "household_visit", 2)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := def.Question("garden"); !ok {
				t.Error("version 2 lacks the new question")
			}
			old, err := st.Survey(ctx, "household_visit", 1)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := old.Question("garden"); ok {
				t.Error("version 1 changed")
			}
		})
		// Version 1's response is still on its own form version: nothing to send again.
		out = mustRun(t, "sync", "--db", db, "--survey", "household_visit")
		if !strings.Contains(out, "0 sent, 0 edits sent, 1 already there") {
			t.Errorf("sync after the pull says %q", out)
		}
	})

	t.Run("an XForm-only form is refused", func(t *testing.T) {
		xform := p.Do(t, "GET", p.Path("/forms/household_visit.xml"), "", nil)
		xform = bytes.ReplaceAll(xform, []byte(`id="household_visit"`), []byte(`id="xml_only"`))
		p.UploadXForm(t, xform)
		code, out, errOut := runCLI(t, "", "pull", "--db", db, "--server", p.URL(), "--email", p.Email, "--password-file", passwordFile(t, p.Password), "--form", "xml_only")
		if code == 0 || !strings.Contains(errOut, "only as an XForm") {
			t.Errorf("exit %d, %q %q; want a refusal naming the XForm", code, out, errOut)
		}
	})
}

// BenchmarkSyncThousand pushes 1,000 demo responses of the engagement
// template to the real Central on loopback, with the pool and with one
// connection, and reports submissions per second (see BENCHMARKS.md).
// Run: go test ./app/cli -run '^$' -bench SyncThousand -benchtime 1x
func BenchmarkSyncThousand(b *testing.B) {
	for _, workers := range []int{1, openrosa.PoolSize} {
		b.Run(fmt.Sprintf("connections=%d", workers), func(b *testing.B) {
			srv := centraltest.Need(b)
			for range b.N {
				b.StopTimer()
				p := srv.NewProject(b)
				db := filepath.Join(b.TempDir(), "canvass.db")
				thousandComplete(b, db, 1000)
				st, err := store.Open(context.Background(), db)
				if err != nil {
					b.Fatal(err)
				}
				conn, err := central.Connect(context.Background(), st, central.Login{URL: p.URL(), Email: p.Email, Password: p.Password})
				if err != nil {
					b.Fatal(err)
				}
				def, err := st.Survey(context.Background(), "engagement", 0)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := conn.Publish(context.Background(), def, central.PublishOptions{}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				sum, err := conn.Push(context.Background(), "engagement", central.PushOptions{Workers: workers})
				elapsed := time.Since(start)
				b.StopTimer()
				if err != nil || sum.Sent != 1000 {
					b.Fatalf("push: %+v, %v", sum, err)
				}
				b.ReportMetric(float64(sum.Sent)/elapsed.Seconds(), "submissions/s")
				conn.Close()
				st.Close()
			}
		})
	}
}

// BenchmarkRawSubmissions is the server's own pace for comparison: bare
// OpenRosa POSTs of a two-field instance, no store, 1 and 4 connections.
func BenchmarkRawSubmissions(b *testing.B) {
	for _, workers := range []int{1, openrosa.PoolSize} {
		b.Run(fmt.Sprintf("connections=%d", workers), func(b *testing.B) {
			srv := centraltest.Need(b)
			p := srv.NewProject(b)
			st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "canvass.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			conn, err := central.Connect(context.Background(), st, central.Login{URL: p.URL(), Email: p.Email, Password: p.Password})
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			defs, err := assets.Templates()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := st.InstallTemplates(context.Background(), defs); err != nil {
				b.Fatal(err)
			}
			def, err := st.Survey(context.Background(), "engagement", 0)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := conn.Publish(context.Background(), def, central.PublishOptions{}); err != nil {
				b.Fatal(err)
			}
			const n = 200
			for range b.N {
				start := time.Now()
				var wg sync.WaitGroup
				next := make(chan int)
				for range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := range next {
							x := fmt.Sprintf(`<data id="engagement" version="1"><consent>OK</consent><role>carer</role><meta><instanceID>uuid:raw-%d-%d</instanceID></meta></data>`, start.UnixNano(), i)
							if err := conn.Client().Submit(context.Background(), []byte(x)); err != nil {
								b.Error(err)
							}
						}
					}()
				}
				for i := range n {
					next <- i
				}
				close(next)
				wg.Wait()
				b.ReportMetric(n/time.Since(start).Seconds(), "submissions/s")
			}
		})
	}
}
