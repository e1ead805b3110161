package web

import (
	"context"
	_ "embed"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"canvass/assets"
	"canvass/survey"
	"canvass/survey/store"
)

//go:embed testdata/alltypes.json
var allTypesJSON []byte

// openTestStore opens a store in a temp dir with the built-in templates
// and the every-type test survey.
func openTestStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	defs, err := assets.Templates()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.InstallTemplates(ctx, defs); err != nil {
		t.Fatal(err)
	}
	def, err := survey.Unmarshal(allTypesJSON)
	if err != nil {
		t.Fatal(err)
	}
	if err := def.Validate(); err != nil {
		t.Fatalf("alltypes.json: %v", err)
	}
	if _, err := st.SaveSurvey(ctx, def); err != nil {
		t.Fatal(err)
	}
	return st
}

// startTestServer serves surveyID from st on a free loopback port.
func startTestServer(t testing.TB, st *store.Store, surveyID string, limits Limits) *Server {
	t.Helper()
	srv, err := Start(context.Background(), Config{
		Store: st, SurveyID: surveyID, Addr: "127.0.0.1:0", Limits: limits,
		ErrorLog: func(err error) { t.Logf("server: %v", err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Stop(ctx)
	})
	return srv
}

// client is one simulated device: a cookie jar and no automatic redirects.
type client struct {
	t    testing.TB
	http *http.Client
	base string
}

// nextAddr numbers the loopback addresses the simulated devices come
// from, so that each has its own rate limit as a phone would.
var nextAddr atomic.Uint32

// loopbackDialer dials from a loopback address of its own (127.0.1.x and up).
func loopbackDialer() *net.Dialer {
	n := nextAddr.Add(1) + 256
	return &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, byte(n>>16), byte(n>>8), byte(n))}}
}

func newClient(t testing.TB, srv *Server) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: srv.URL(), http: &http.Client{
		Transport: &http.Transport{DialContext: loopbackDialer().DialContext, MaxIdleConnsPerHost: 2},
		Jar:       jar,
		Timeout:   20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
var pagePattern = regexp.MustCompile(`name="page" value="([^"]+)"`)

// get fetches a page (path relative to the token) and returns status and body.
func (c *client) get(path string) (int, string) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + strings.TrimPrefix(path, "/"))
	body := c.body(resp, err)
	return resp.StatusCode, body
}

// body reads and closes a response's body (up to 4 MiB); err is the
// request's, fatal like a failed read.
func (c *client) body(resp *http.Response, err error) string {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		c.t.Fatal(err)
	}
	return string(b)
}

// post sends a form and returns status, Location and body.
func (c *client) post(path string, form url.Values) (int, string, string) {
	c.t.Helper()
	resp, err := c.http.PostForm(c.base+strings.TrimPrefix(path, "/"), form)
	body := c.body(resp, err)
	return resp.StatusCode, resp.Header.Get("Location"), body
}

// csrfOf returns the CSRF token of a page.
func csrfOf(t testing.TB, body string) string {
	t.Helper()
	m := csrfPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%s", body)
	}
	return m[1]
}

// start opens the start page and presses Start; it returns the form page.
func (c *client) start() string {
	c.t.Helper()
	code, body := c.get("")
	if code != http.StatusOK {
		c.t.Fatalf("start page: %d %s", code, body)
	}
	code, loc, body := c.post("start", url.Values{"csrf": {csrfOf(c.t, body)}})
	if code != http.StatusSeeOther || !strings.HasSuffix(loc, "/form") {
		c.t.Fatalf("start: %d %q %s", code, loc, body)
	}
	code, body = c.get("form")
	if code != http.StatusOK {
		c.t.Fatalf("form: %d %s", code, body)
	}
	return body
}

// answer posts the current page (body) with values and action "next".
func (c *client) answer(body string, values url.Values) (int, string, string) {
	c.t.Helper()
	form := url.Values{"csrf": {csrfOf(c.t, body)}, "action": {"next"}}
	if m := pagePattern.FindStringSubmatch(body); m != nil {
		form.Set("page", m[1])
	}
	for k, v := range values {
		form[k] = v
	}
	return c.post("form", form)
}
