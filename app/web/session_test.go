package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"canvass/survey"
)

// fakeClock is a settable clock for the idle tests.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestResumeAbandonAndStop covers a device's life: a reload resumes the
// same response, a device away for long is kept as abandoned and revived
// when it comes back, Start again begins an empty response, and stopping
// keeps unfinished responses as abandoned with every answer.
func TestResumeAbandonAndStop(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	clock := &fakeClock{now: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)}
	srv, err := Start(ctx, Config{Store: st, SurveyID: "engagement", Addr: "127.0.0.1:0", Now: clock.Now,
		Limits: Limits{IdleAbandon: 20 * time.Minute, ForgetAfter: 2 * time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop(ctx)

	c := newClient(t, srv)
	body := c.start()
	if code, loc, _ := c.answer(body, url.Values{"consent": {"OK"}}); code != http.StatusSeeOther || !strings.HasSuffix(loc, "/form") {
		t.Fatalf("consent: %d %s", code, loc)
	}
	_, body = c.get("form")
	c.answer(body, url.Values{"role": {"carer"}})
	id := deviceOf(t, srv, c).responseID()

	t.Run("reload resumes", func(t *testing.T) {
		code, loc, _ := c.post("", nil) // not a page: refused
		_ = loc
		if code == http.StatusOK {
			t.Errorf("POST to the start page: %d", code)
		}
		resp, err := c.http.Get(c.base)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "/form") {
			t.Errorf("start page for a device under way: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, body := c.get("form")
		if !strings.Contains(body, "How did you hear about this consultation?") {
			t.Errorf("reload did not resume on the third page:\n%s", body)
		}
		if srv.Answering() != 1 {
			t.Errorf("Answering() = %d, want 1", srv.Answering())
		}
	})

	t.Run("idle is abandoned, then revived", func(t *testing.T) {
		clock.Add(19 * time.Minute)
		srv.sweepOnce()
		if r, _ := st.Response(ctx, id); r.Status != survey.StatusDraft {
			t.Fatalf("after 19 min: %s, want draft", r.Status)
		}
		clock.Add(2 * time.Minute)
		srv.sweepOnce()
		r, _ := st.Response(ctx, id)
		if r.Status != survey.StatusAbandoned || r.Answers["role"] != "carer" {
			t.Fatalf("after 21 min: %s %v, want abandoned with its answers", r.Status, r.Answers)
		}
		if srv.Answering() != 0 {
			t.Errorf("Answering() = %d while away, want 0", srv.Answering())
		}
		_, body := c.get("form")
		if !strings.Contains(body, "How did you hear") {
			t.Errorf("coming back did not resume")
		}
		if r, _ := st.Response(ctx, id); r.Status != survey.StatusDraft {
			t.Errorf("coming back left it %s, want draft", r.Status)
		}
	})

	t.Run("start again", func(t *testing.T) {
		d := newClient(t, srv)
		body := d.start()
		d.answer(body, url.Values{"consent": {"OK"}})
		_, body = d.get("form")
		d.answer(body, url.Values{"role": {"service_user"}})
		// Answer every page with nothing until the thank-you page.
		for range 40 {
			code, body := d.get("form")
			if code != http.StatusOK {
				break
			}
			code, loc, _ := d.answer(body, nil)
			if code != http.StatusSeeOther {
				t.Fatalf("blank page refused: %d", code)
			}
			if strings.HasSuffix(loc, "/done") {
				break
			}
		}
		code, body := d.get("done")
		if code != http.StatusOK || !strings.Contains(body, "Start again") {
			t.Fatalf("thank-you page: %d\n%s", code, body)
		}
		first := deviceOf(t, srv, d).responseID()
		code, loc, _ := d.post("again", url.Values{"csrf": {csrfOf(t, body)}})
		if code != http.StatusSeeOther {
			t.Fatalf("start again: %d", code)
		}
		_ = loc
		body = d.start()
		if strings.Contains(body, "checked") {
			t.Errorf("the new form is not empty")
		}
		r, _ := st.Response(ctx, first)
		if r.Status != survey.StatusComplete || r.Answers["role"] != "service_user" {
			t.Errorf("first response %s %v, want complete", r.Status, r.Answers)
		}
	})

	t.Run("stop keeps unfinished as abandoned", func(t *testing.T) {
		if err := srv.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		r, _ := st.Response(ctx, id)
		if r.Status != survey.StatusAbandoned || r.Answers["role"] != "carer" || r.Answers["consent"] != "OK" {
			t.Errorf("after Stop: %s %v, want abandoned with its answers", r.Status, r.Answers)
		}
		if _, err := http.Get(srv.URL()); err == nil {
			t.Errorf("the server still answers after Stop")
		}
	})
}

// TestRespondentCap refuses a new respondent past MaxRespondents, and
// takes them once one finishes.
func TestRespondentCap(t *testing.T) {
	st := openTestStore(t)
	srv := startTestServer(t, st, "engagement", Limits{MaxRespondents: 2})
	for i := range 2 {
		c := newClient(t, srv)
		c.start()
		_ = i
	}
	third := newClient(t, srv)
	_, body := third.get("")
	code, _, page := third.post("start", url.Values{"csrf": {csrfOf(t, body)}})
	if code != http.StatusServiceUnavailable || !strings.Contains(page, "Too many people") {
		t.Errorf("third respondent: %d, want 503 with a message", code)
	}
}

// TestTokenIsNewEachStart checks that serving twice gives two tokens and
// the first no longer works.
func TestTokenIsNewEachStart(t *testing.T) {
	st := openTestStore(t)
	a := startTestServer(t, st, "engagement", Limits{})
	ctx := context.Background()
	a.Stop(ctx)
	b := startTestServer(t, st, "engagement", Limits{})
	if a.token == b.token || len(a.token) < 22 {
		t.Fatalf("tokens %q and %q", a.token, b.token)
	}
	old := strings.Replace(a.URL(), hostOf(a.URL()), hostOf(b.URL()), 1)
	resp, err := http.Get(old)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the old token on the new server: %d, want 404", resp.StatusCode)
	}
}

func hostOf(u string) string {
	p, _ := url.Parse(u)
	return p.Host
}

// TestLanguageSwitch switches the pages and the stored response to Welsh.
func TestLanguageSwitch(t *testing.T) {
	st := openTestStore(t)
	srv := startTestServer(t, st, "alltypes", Limits{})
	c := newClient(t, srv)
	_, body := c.get("")
	code, _, _ := c.post("language", url.Values{"csrf": {csrfOf(t, body)}, "lang": {"cy"}})
	if code != http.StatusSeeOther {
		t.Fatalf("switch: %d", code)
	}
	_, body = c.get("")
	if !strings.Contains(body, `<html lang="cy">`) || !strings.Contains(body, "Pob math o gwestiwn") {
		t.Fatalf("start page not in Welsh:\n%s", body)
	}
	code, _, _ = c.post("language", url.Values{"csrf": {csrfOf(t, body)}, "lang": {"xx"}})
	if code != http.StatusBadRequest {
		t.Errorf("unknown language: %d, want 400", code)
	}
	body = c.start()
	c.answer(body, nil) // the note page
	_, body = c.get("form")
	c.answer(body, url.Values{"consent": {"OK"}})
	r, err := st.Response(context.Background(), deviceOf(t, srv, c).responseID())
	if err != nil {
		t.Fatal(err)
	}
	if r.Language != "cy" {
		t.Errorf("stored language %q, want cy", r.Language)
	}
}
