package central_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"canvass/assets"
	"canvass/survey"
	"canvass/survey/central"
	"canvass/survey/central/centraltest"
	"canvass/survey/openrosa"
	"canvass/survey/store"
	"canvass/survey/xlsform"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	defs, err := assets.Templates()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.InstallTemplates(context.Background(), defs); err != nil {
		t.Fatal(err)
	}
	return st
}

func connect(t *testing.T, st *store.Store, p *centraltest.Project) *central.Conn {
	t.Helper()
	conn, err := central.Connect(context.Background(), st, central.Login{URL: p.URL(), Email: p.Email, Password: p.Password})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	return conn
}

// importFixture imports a real XLSForm written outside Canvass.
func importFixture(t *testing.T, st *store.Store, name string) *survey.Survey {
	t.Helper()
	def, _, err := xlsform.ImportFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	saved, err := st.SaveSurvey(context.Background(), def)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

func TestPublishEachTemplateAndARealXLSForm(t *testing.T) {
	srv := centraltest.Need(t)
	ctx := context.Background()
	st := openStore(t)
	p := srv.NewProject(t)
	conn := connect(t, st, p)
	ids := []string{"engagement", "sds", "decision"}
	importFixture(t, st, "household_visit.xlsx")
	ids = append(ids, "household_visit")
	for _, id := range ids {
		t.Run(id, func(t *testing.T) {
			def, err := st.Survey(ctx, id, 0)
			if err != nil {
				t.Fatal(err)
			}
			pub, err := conn.Publish(ctx, def, central.PublishOptions{})
			if err != nil {
				t.Fatal(err)
			}
			// Central's version is the survey version's number: 1 for a template
			// as first shipped, 1001… for a later template version.
			if want := strconv.Itoa(def.Version); pub.Link.XMLFormID != id || pub.Link.FormVersion != want {
				t.Errorf("link = %+v, want form %s version %s", pub.Link, id, want)
			}
			if pub.Name != def.Title.In(def.DefaultLanguage(), "") {
				t.Errorf("Central's title = %q, want %q", pub.Name, def.Title.In(def.DefaultLanguage(), ""))
			}
			links, err := st.CentralLinks(ctx, id)
			if err != nil || len(links) != 1 || links[0].Server != p.URL() {
				t.Fatalf("stored links = %+v, %v", links, err)
			}
			// The form Central holds is the one export-form writes, byte for byte.
			var want bytes.Buffer
			if err := xlsform.Export(def, &want); err != nil {
				t.Fatal(err)
			}
			got := p.Do(t, "GET", p.Path("/forms/"+id+".xlsx"), "", nil)
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("Central's XLSForm (%d bytes) differs from export-form's (%d bytes)", len(got), want.Len())
			}
		})
	}
}

func TestPublishRefusalsAreShownInFull(t *testing.T) {
	srv := centraltest.Need(t)
	ctx := context.Background()
	st := openStore(t)
	p := srv.NewProject(t)
	conn := connect(t, st, p)
	def, err := st.Survey(ctx, "sds", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Publish(ctx, def, central.PublishOptions{}); err != nil {
		t.Fatal(err)
	}

	t.Run("409.3 offers a new version", func(t *testing.T) {
		_, err := conn.Publish(ctx, def, central.PublishOptions{})
		if !errors.Is(err, central.ErrFormExists) || !strings.Contains(err.Error(), "409.3") {
			t.Fatalf("second publish: %v, want ErrFormExists with 409.3", err)
		}
		v2 := def.Clone()
		v2.Version = 2
		v2.Title = survey.En("Your support, your choice (spring)")
		if _, err := st.ImportSurvey(ctx, v2); err != nil {
			t.Fatal(err)
		}
		pub, err := conn.Publish(ctx, v2, central.PublishOptions{NewVersion: true})
		if err != nil {
			t.Fatal(err)
		}
		if pub.Link.FormVersion != "2" || pub.Link.SurveyVersion != 2 {
			t.Errorf("new version link = %+v", pub.Link)
		}
		_, err = conn.Publish(ctx, v2, central.PublishOptions{NewVersion: true})
		if !errors.Is(err, central.ErrVersionExists) {
			t.Errorf("the same version again: %v, want ErrVersionExists", err)
		}
	})

	t.Run("400.15 carries pyxform's message", func(t *testing.T) {
		bad := def.Clone()
		bad.ID = "broken"
		bad.Questions[1].Relevant = "${no_such_question} = 'yes'"
		_, err := conn.Publish(ctx, bad, central.PublishOptions{})
		if !errors.Is(err, central.ErrFormInvalid) || !strings.Contains(err.Error(), "400.15") || !strings.Contains(err.Error(), "no_such_question") {
			t.Fatalf("broken form: %v, want ErrFormInvalid naming the missing question", err)
		}
	})

	t.Run("400.16 lists warnings and uploads anyway on request", func(t *testing.T) {
		// pyxform warns about a language without a machine-readable code.
		warn := &survey.Survey{ID: "made_up_language", Version: 1,
			Title:     survey.Text{"en": "Two languages", "xx": "Zwei"},
			Languages: []survey.Language{{Code: "en", Name: "English"}, {Code: "xx", Name: "Made-up"}},
			Questions: []*survey.Question{{Type: survey.TypeText, Name: "name", Label: survey.Text{"en": "Name?", "xx": "Namo?"}}}}
		if _, err := st.ImportSurvey(ctx, warn); err != nil {
			t.Fatal(err)
		}
		_, err := conn.Publish(ctx, warn, central.PublishOptions{})
		var prob *openrosa.Problem
		if !errors.Is(err, central.ErrFormWarnings) || !errors.As(err, &prob) || len(prob.Warnings) == 0 {
			t.Fatalf("form with warnings: %v, want ErrFormWarnings with the warnings", err)
		}
		t.Logf("warnings shown: %v", err)
		if _, err := conn.Publish(ctx, warn, central.PublishOptions{IgnoreWarnings: true}); err != nil {
			t.Fatalf("upload anyway: %v", err)
		}
	})
}

func TestConnectionMessages(t *testing.T) {
	srv := centraltest.Need(t)
	ctx := context.Background()
	st := openStore(t)
	p := srv.NewProject(t)
	tests := []struct {
		name  string
		login central.Login
		want  error
		check string
	}{
		{"web user", central.Login{URL: p.URL(), Email: p.Email, Password: p.Password}, nil, "the credentials are accepted, 0 forms are visible"},
		{"bad password", central.Login{URL: p.URL(), Email: p.Email, Password: "not-the-password-1"}, openrosa.ErrCredentials, "refused the credentials"},
		{"stopped server", central.Login{URL: "http://127.0.0.1:9/v1/projects/1", Email: "a@b.c", Password: "x"}, openrosa.ErrOffline, "did not answer"},
		{"app user", central.Login{URL: srv.NewProject(t).AppUserURL(t)}, nil, "0 forms are visible"},
		{"bad app token", central.Login{URL: srv.Base + "/v1/key/nottherighttoken/projects/1"}, openrosa.ErrCredentials, "refused the credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := central.Connect(ctx, st, tt.login)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			check, err := conn.Test(ctx)
			if !errors.Is(err, tt.want) && !(tt.want == nil && err == nil) {
				t.Fatalf("Test: %v, want %v", err, tt.want)
			}
			if !strings.Contains(check.String(), tt.check) && !strings.Contains(err.Error(), tt.check) {
				t.Errorf("Test says %q / %v, want %q", check, err, tt.check)
			}
			if err != nil && strings.Contains(err.Error(), "nottherighttoken") {
				t.Errorf("the message shows the token: %v", err)
			}
		})
	}
	t.Run("plain http elsewhere needs confirmation", func(t *testing.T) {
		_, err := central.Connect(ctx, st, central.Login{URL: "http://central.example.org/v1/projects/1", Email: "a@b.c", Password: "x"})
		if !errors.Is(err, openrosa.ErrInsecure) {
			t.Fatalf("got %v, want ErrInsecure", err)
		}
		if _, err := central.Connect(ctx, st, central.Login{URL: "http://central.example.org/v1/projects/1", Email: "a@b.c", Password: "x", ConfirmInsecure: true}); err != nil {
			t.Fatalf("confirmed: %v", err)
		}
	})
	t.Run("stored credentials are reused", func(t *testing.T) {
		conn, err := central.Connect(ctx, st, central.Login{URL: p.URL()})
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.Test(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an expired session is renewed", func(t *testing.T) {
		rec, err := st.CentralServer(ctx, p.URL())
		if err != nil || rec.Session == "" {
			t.Fatalf("stored server = %+v, %v; want a session token", rec, err)
		}
		// A session the server no longer honours, though it looks valid here.
		p.Do(t, "DELETE", "/v1/sessions/"+rec.Session, "", nil)
		conn, err := central.Connect(ctx, st, central.Login{URL: p.URL()})
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.Test(ctx); err != nil {
			t.Fatalf("after the session ended: %v", err)
		}
		renewed, err := st.CentralServer(ctx, p.URL())
		if err != nil || renewed.Session == rec.Session || renewed.Session == "" {
			t.Errorf("session not renewed: %q then %q (%v)", rec.Session, renewed.Session, err)
		}
	})
}

// answerResponse stores a complete response with the given answers.
func answerResponse(t *testing.T, st *store.Store, def *survey.Survey, answers survey.Answers) string {
	t.Helper()
	ctx := context.Background()
	r, err := st.StartResponse(ctx, def.ID, def.Version, "en")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Submit(ctx, r.ID, answers, nil); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func readCSV(t *testing.T, b []byte) []map[string]string {
	t.Helper()
	_, rows := centraltest.ReadCSV(t, b)
	return rows
}

// TestPushFollowsTheForm sends responses to the real XLSForm and reads
// them back from Central's CSV. Mapping: select_multiple is sent as
// space-separated choice names, which Central's CSV keeps; a date stays
// 2006-01-02; a time answered 14:30 is sent 14:30:00.000+01:00 (the
// laptop's zone on that day) and a dateTime 2026-06-01T09:15 as
// 2026-06-01T09:15:00.000+01:00, which Central's CSV gives back as sent;
// group members are nested (Central's column household-members).
func TestPushFollowsTheForm(t *testing.T) {
	srv := centraltest.Need(t)
	ctx := context.Background()
	st := openStore(t)
	p := srv.NewProject(t)
	conn := connect(t, st, p)
	def := importFixture(t, st, "household_visit.xlsx")
	if _, err := conn.Publish(ctx, def, central.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	id := answerResponse(t, st, def, survey.Answers{
		"visit_date": "2026-06-01", "visit_time": "14:30", "next_contact": "2026-06-08T09:15",
		"members": "3", "rent": "120.5", "tenure": "council", "services": "library transport", "services_comment": "Good <&> fine",
	})
	sum, err := conn.Push(ctx, def.ID, central.PushOptions{Location: london})
	if err != nil || sum.Sent != 1 {
		t.Fatalf("push: %+v, %v", sum, err)
	}
	rows := readCSV(t, p.SubmissionsCSV(t, def.ID))
	if len(rows) != 1 {
		t.Fatalf("%d rows on Central, want 1", len(rows))
	}
	row := rows[0]
	started, _ := st.Response(ctx, id)
	offset := started.Started.In(london).Format("Z07:00")
	want := map[string]string{
		"visit_date": "2026-06-01", "visit_time": "14:30:00.000" + offset, "next_contact": "2026-06-08T09:15:00.000+01:00",
		"household-members": "3", "household-rent": "120.5", "household-tenure": "council",
		"services": "library transport", "services_comment": "Good <&> fine",
		"meta-instanceID": "uuid:" + id, "FormVersion": "1",
	}
	for col, v := range want {
		if row[col] != v {
			t.Errorf("Central's %s = %q, want %q", col, row[col], v)
		}
	}
	state, err := st.SendState(ctx, id, conn.Server())
	if err != nil || state.State != store.SendSent || state.SentAt.IsZero() {
		t.Errorf("send state = %+v, %v", state, err)
	}

	t.Run("the audit log names the server, never a secret", func(t *testing.T) {
		log, err := st.AuditLog(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			if strings.HasPrefix(e.Action, "central-") {
				actions = append(actions, e.Action)
				if !strings.Contains(e.Detail, p.URL()) || strings.Contains(e.Detail+e.Subject, p.Password) {
					t.Errorf("audit line %+v", e)
				}
			}
		}
		if !slices.Contains(actions, "central-publish") || !slices.Contains(actions, "central-sync") {
			t.Errorf("audit actions %v, want central-publish and central-sync", actions)
		}
	})
	t.Run("again: already there", func(t *testing.T) {
		sum, err := conn.Push(ctx, def.ID, central.PushOptions{Location: london})
		if err != nil || sum.AlreadyThere != 1 || sum.Sent+sum.Edited != 0 {
			t.Fatalf("second push: %+v, %v", sum, err)
		}
	})
	t.Run("an edit carries deprecatedID", func(t *testing.T) {
		if err := st.SaveAnswer(ctx, id, "members", "4"); err != nil {
			t.Fatal(err)
		}
		sum, err := conn.Push(ctx, def.ID, central.PushOptions{Location: london})
		if err != nil || sum.Edited != 1 {
			t.Fatalf("push of the edit: %+v, %v", sum, err)
		}
		versions := p.Versions(t, def.ID, "uuid:"+id)
		if len(versions) != 2 || versions[1] != "uuid:"+id {
			t.Fatalf("versions on Central = %v, want the edit then uuid:%s", versions, id)
		}
		rows := readCSV(t, p.SubmissionsCSV(t, def.ID))
		if len(rows) != 1 || rows[0]["household-members"] != "4" || rows[0]["Edits"] != "1" {
			t.Errorf("after the edit Central has %v", rows)
		}
	})
	t.Run("an edit that reached the server but was not recorded", func(t *testing.T) {
		lost, err := st.SendState(ctx, id, conn.Server())
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SaveAnswer(ctx, id, "members", "5"); err != nil {
			t.Fatal(err)
		}
		if sum, err := conn.Push(ctx, def.ID, central.PushOptions{Location: london}); err != nil || sum.Edited != 1 {
			t.Fatalf("push: %+v, %v", sum, err)
		}
		// A crash before the record: this laptop still thinks the older edit is current.
		if err := st.MarkSent(ctx, conn.Server(), []store.Sent{{ResponseID: id, InstanceID: lost.InstanceID, Hash: lost.SentHash}}); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveAnswer(ctx, id, "members", "6"); err != nil {
			t.Fatal(err)
		}
		sum, err := conn.Push(ctx, def.ID, central.PushOptions{Location: london})
		if err != nil || sum.Edited != 1 || sum.Refused != 0 {
			t.Fatalf("push after the lost record: %+v, %v", sum, err)
		}
		if v := p.Versions(t, def.ID, "uuid:"+id); len(v) != 4 {
			t.Errorf("versions on Central = %v, want 4", v)
		}
		rows := readCSV(t, p.SubmissionsCSV(t, def.ID))
		if len(rows) != 1 || rows[0]["household-members"] != "6" {
			t.Errorf("Central holds %v", rows)
		}
	})
	t.Run("abandoned responses only by choice", func(t *testing.T) {
		r, err := st.StartResponse(ctx, def.ID, def.Version, "en")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SaveAnswer(ctx, r.ID, "visit_date", "2026-06-03"); err != nil {
			t.Fatal(err)
		}
		if err := st.SetStatus(ctx, r.ID, survey.StatusAbandoned); err != nil {
			t.Fatal(err)
		}
		sum, err := conn.Push(ctx, def.ID, central.PushOptions{Location: london})
		if err != nil || sum.Sent != 0 {
			t.Fatalf("default push sent the abandoned response: %+v, %v", sum, err)
		}
		sum, err = conn.Push(ctx, def.ID, central.PushOptions{Location: london, IncludeAbandoned: true})
		if err != nil || sum.Sent != 1 {
			t.Fatalf("push with abandoned: %+v, %v", sum, err)
		}
		if _, err := st.SendState(ctx, r.ID, conn.Server()); err != nil {
			t.Errorf("abandoned response has no send state: %v", err)
		}
	})
	t.Run("leaving out personal questions", func(t *testing.T) {
		eng, err := st.Survey(ctx, "engagement", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Publish(ctx, eng, central.PublishOptions{}); err != nil {
			t.Fatal(err)
		}
		answerResponse(t, st, eng, survey.Answers{"consent": "OK", "role": "vcs_org", "org_name": "Riverside Lunch Club",
			"feedback": "yes", "email": "jo@example.org", "listened": "4"})
		sum, err := conn.Push(ctx, eng.ID, central.PushOptions{LeaveOutPersonal: true})
		if err != nil || sum.Sent != 1 {
			t.Fatalf("push: %+v, %v", sum, err)
		}
		rows := readCSV(t, p.SubmissionsCSV(t, eng.ID))
		if len(rows) != 1 || rows[0]["email"] != "" || rows[0]["org_name"] != "" || rows[0]["listened"] != "4" || rows[0]["role"] != "vcs_org" {
			t.Errorf("Central holds %v; want personal answers left out, the rest sent", rows)
		}
	})
}

func TestPushOfflineWillSendLater(t *testing.T) {
	srv := centraltest.Need(t)
	ctx := context.Background()
	st := openStore(t)
	p := srv.NewProject(t)
	conn := connect(t, st, p)
	def := importFixture(t, st, "household_visit.xlsx")
	if _, err := conn.Publish(ctx, def, central.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	answerResponse(t, st, def, survey.Answers{"visit_date": "2026-06-01", "members": "2"})
	// The same project reached through a port where nothing listens.
	dead := "http://127.0.0.1:9/v1/projects/1"
	if err := st.SaveCentralLink(ctx, store.CentralLink{SurveyID: def.ID, SurveyVersion: def.Version, Server: dead,
		XMLFormID: def.ID, FormVersion: "1", DefinitionHash: mustLink(t, st, def.ID).DefinitionHash}); err != nil {
		t.Fatal(err)
	}
	off, err := central.Connect(ctx, st, central.Login{URL: dead, Email: p.Email, Password: p.Password})
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	sum, err := off.Push(ctx, def.ID, central.PushOptions{})
	if err != nil {
		t.Fatalf("offline push is an error: %v", err)
	}
	if sum.Pending != 1 || len(sum.Later) == 0 || !strings.Contains(strings.Join(sum.Later, " "), "will send later") {
		t.Errorf("offline summary = %+v", sum)
	}
}

func mustLink(t *testing.T, st *store.Store, id string) store.CentralLink {
	t.Helper()
	links, err := st.CentralLinks(context.Background(), id)
	if err != nil || len(links) == 0 {
		t.Fatalf("links of %s: %v, %v", id, links, err)
	}
	return links[0]
}

func TestBundlesCarryNoCredentials(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	secret := "app-token-that-must-stay-here"
	if err := st.SaveCentralServer(ctx, store.CentralServer{Server: "https://c.example.org/v1/projects/1", Email: "e@x.org", Password: "pass-that-must-stay-here", AppToken: secret, Session: "session-that-must-stay-here"}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "laptop.canvass")
	if _, err := st.ExportBundle(ctx, out, ""); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{secret, "pass-that-must-stay-here", "session-that-must-stay-here", "e@x.org"} {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("the bundle holds %q", s)
		}
	}
	if _, err := st.CentralServer(ctx, "https://c.example.org/v1/projects/1"); err != nil {
		t.Errorf("the laptop lost its own credentials: %v", err)
	}
}

// TestPushRetriesAndResolvedConflicts: a gateway that fails the first
// submissions with 502 (a real reverse proxy in front of the real Central)
// is retried with backoff; a response in an unresolved merge conflict
// waits, and once resolved goes to the server as an edit.
func TestPushRetriesAndResolvedConflicts(t *testing.T) {
	srv := centraltest.Need(t)
	ctx := context.Background()
	p := srv.NewProject(t)
	target, err := url.Parse(srv.Base)
	if err != nil {
		t.Fatal(err)
	}
	var failures atomic.Int32
	failures.Store(3)
	proxy := httputil.NewSingleHostReverseProxy(target)
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/submission") && failures.Add(-1) >= 0 {
			http.Error(w, "upstream busy", http.StatusBadGateway)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer gateway.Close()
	server := fmt.Sprintf("%s/v1/projects/%d", gateway.URL, p.ID)

	laptopA, laptopB := openStore(t), openStore(t)
	def, err := laptopA.Survey(ctx, "sds", 0)
	if err != nil {
		t.Fatal(err)
	}
	id := answerResponse(t, laptopA, def, survey.Answers{"consent": "OK", "who": "carer", "one_change": "More notice"})
	answerResponse(t, laptopA, def, survey.Answers{"consent": "OK", "who": "carer", "one_change": "Fewer forms"})
	conn, err := central.Connect(ctx, laptopA, central.Login{URL: server, Email: p.Email, Password: p.Password})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Publish(ctx, def, central.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	sum, err := conn.Push(ctx, def.ID, central.PushOptions{Workers: 1, RetryPause: 10 * time.Millisecond})
	if err != nil || sum.Sent != 2 || failures.Load() >= 0 {
		t.Fatalf("push through a failing gateway: %+v, %v (failures left %d)", sum, err, failures.Load())
	}

	// Laptop B gets the response by bundle and changes it; laptop A merges B's version back.
	dir := t.TempDir()
	if _, err := laptopA.ExportBundle(ctx, filepath.Join(dir, "a.canvass"), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := laptopB.MergeBundle(ctx, filepath.Join(dir, "a.canvass"), nil); err != nil {
		t.Fatal(err)
	}
	if err := laptopB.SaveAnswer(ctx, id, "one_change", "More notice, and a named contact"); err != nil {
		t.Fatal(err)
	}
	if _, err := laptopB.ExportBundle(ctx, filepath.Join(dir, "b.canvass"), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := laptopA.MergeBundle(ctx, filepath.Join(dir, "b.canvass"), nil); err != nil {
		t.Fatal(err)
	}
	conflicts, err := laptopA.Conflicts(ctx)
	if err != nil || len(conflicts) != 1 {
		t.Fatalf("conflicts = %+v, %v", conflicts, err)
	}
	sum, err = conn.Push(ctx, def.ID, central.PushOptions{})
	if err != nil || sum.Pending != 2 || sum.AlreadyThere != 1 || !strings.Contains(strings.Join(sum.Later, " "), "merge conflict") {
		t.Fatalf("push with a conflict: %+v, %v", sum, err)
	}
	c := conflicts[0]
	if err := laptopA.ResolveConflict(ctx, c.Copy.ID, c.Original.ID, "staff"); err != nil {
		t.Fatal(err)
	}
	sum, err = conn.Push(ctx, def.ID, central.PushOptions{})
	if err != nil || sum.Edited != 1 || sum.AlreadyThere != 1 {
		t.Fatalf("push after resolving: %+v, %v", sum, err)
	}
	if v := p.Versions(t, def.ID, "uuid:"+id); len(v) != 2 {
		t.Errorf("versions on Central = %v, want the resolved version on top of the first", v)
	}
	rows := readCSV(t, p.SubmissionsCSV(t, def.ID))
	found := false
	for _, r := range rows {
		found = found || r["one_change"] == "More notice, and a named contact"
	}
	if len(rows) != 2 || !found {
		t.Errorf("Central holds %v", rows)
	}
}
