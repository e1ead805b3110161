package web

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRefusals checks what a hostile device on the Wi-Fi is refused.
func TestRefusals(t *testing.T) {
	st := openTestStore(t)
	srv := startTestServer(t, st, "engagement", Limits{})
	base, _ := url.Parse(srv.URL())
	root := base.Scheme + "://" + base.Host

	t.Run("wrong token", func(t *testing.T) {
		other, _ := newToken()
		for _, p := range []string{"/", "/" + other + "/", "/" + other + "/form", "/" + srv.token[:len(srv.token)-1] + "/", "/" + srv.token + "x/", "/favicon.ico", "/admin"} {
			resp, err := http.Get(root + p)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, resp.StatusCode)
			}
			if len(resp.Cookies()) > 0 {
				t.Errorf("GET %s set a cookie", p)
			}
		}
	})

	t.Run("the token without its slash", func(t *testing.T) {
		c := newClient(t, srv)
		resp, err := c.http.Get(root + "/" + srv.token)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/"+srv.token+"/" {
			t.Errorf("GET /TOKEN: %d %q, want a redirect to /TOKEN/", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("path traversal", func(t *testing.T) {
		for _, p := range []string{
			"/assets/../../../../etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fserver.go",
			"/assets/canvass.css/../../pages.go", "/templates/form.html", "/static/canvass.css", "/assets/", "/..%2f..%2fetc%2fpasswd",
			"/assets/canvass.css%00.html", "//etc/passwd",
		} {
			req, _ := http.NewRequest(http.MethodGet, root+"/"+srv.token+p, nil)
			req.URL.Opaque = "//" + base.Host + "/" + srv.token + p // send the path as written, not cleaned
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			b := make([]byte, 4096)
			n, _ := resp.Body.Read(b)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK || strings.Contains(string(b[:n]), "root:") || strings.Contains(string(b[:n]), "package web") {
				t.Errorf("GET %s: %d %q", p, resp.StatusCode, b[:n])
			}
		}
	})

	t.Run("missing or wrong CSRF", func(t *testing.T) {
		c := newClient(t, srv)
		body := c.start()
		for _, csrf := range []string{"", "x", strings.Repeat("A", 22)} {
			form := url.Values{"action": {"next"}, "consent": {"OK"}, "page": {pagePattern.FindStringSubmatch(body)[1]}}
			if csrf != "" {
				form.Set("csrf", csrf)
			}
			code, _, _ := c.post("form", form)
			if code != http.StatusForbidden {
				t.Errorf("csrf %q: %d, want 403", csrf, code)
			}
		}
		// A device without a cookie cannot start either.
		bare := newClient(t, srv)
		if code, _, page := bare.post("start", url.Values{"csrf": {csrfOf(t, body)}}); code != http.StatusForbidden || !strings.Contains(page, "Cookies are needed") {
			t.Errorf("start without a cookie: %d, want 403 saying cookies are needed", code)
		}
		// A foreign Origin is refused even with the right token.
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+"form", strings.NewReader(url.Values{"csrf": {csrfOf(t, body)}, "action": {"next"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://evil.example")
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("foreign origin: %d, want 403", resp.StatusCode)
		}
	})

	t.Run("oversized body", func(t *testing.T) {
		c := newClient(t, srv)
		body := c.start()
		code, _, _ := c.answer(body, url.Values{"anything": {strings.Repeat("x", 64<<10)}})
		if code != http.StatusRequestEntityTooLarge {
			t.Errorf("64 KiB body: %d, want 413", code)
		}
		code, _, _ = c.answer(body, url.Values{"role": {strings.Repeat("x", 20<<10)}})
		if code != http.StatusSeeOther && code != http.StatusOK {
			t.Errorf("20 KiB body: %d, want it taken", code)
		}
	})

	t.Run("cookies", func(t *testing.T) {
		resp, err := http.Get(srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		cs := resp.Cookies()
		if len(cs) != 1 || !cs[0].HttpOnly || cs[0].SameSite != http.SameSiteStrictMode || cs[0].Path != "/"+srv.token+"/" {
			t.Errorf("cookie %+v, want HttpOnly, SameSite=Strict, the token's path", cs)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "style-src 'self'", "form-action 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %q", csp, want)
			}
		}
		if strings.Contains(csp, "unsafe") || strings.Contains(csp, "script-src") {
			t.Errorf("CSP %q allows scripts or unsafe sources", csp)
		}
	})

	t.Run("another device's response", func(t *testing.T) {
		ctx := context.Background()
		a := newClient(t, srv)
		body := a.start()
		code, _, _ := a.answer(body, url.Values{"consent": {"OK"}})
		if code != http.StatusSeeOther {
			t.Fatalf("consent: %d", code)
		}
		_, body = a.get("form")
		a.answer(body, url.Values{"role": {"carer"}})
		idA := deviceOf(t, srv, a).responseID()
		if idA == "" {
			t.Fatal("device A has no stored response")
		}
		b := newClient(t, srv)
		bodyB := b.start()
		// B names A's response every way a form could: it is ignored.
		code, _, _ = b.answer(bodyB, url.Values{"consent": {"OK"}, "response": {idA}, "response_id": {idA}, "id": {idA}})
		if code != http.StatusSeeOther {
			t.Fatalf("B consent: %d", code)
		}
		for _, p := range []string{"form?response=" + idA, "response/" + idA, idA, "done?id=" + idA} {
			code, body := b.get(p)
			if strings.Contains(body, `value="carer" checked`) {
				t.Errorf("B's GET %s shows A's answer (%d)", p, code)
			}
		}
		// B presents A's response id as its cookie.
		u, _ := url.Parse(srv.URL())
		b.http.Jar.SetCookies(u, []*http.Cookie{{Name: cookieName, Value: idA, Path: u.Path}})
		if code, _ := b.get("form"); code == http.StatusOK {
			t.Errorf("a cookie holding A's response id opened a form")
		}
		ra, err := st.Response(ctx, idA)
		if err != nil {
			t.Fatal(err)
		}
		if ra.Answers["role"] != "carer" || len(ra.Answers) > 6 {
			t.Errorf("A's answers changed: %v", ra.Answers)
		}
	})

	t.Run("flood", func(t *testing.T) {
		client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 99)}}).DialContext}}
		var tooMany, ok int
		var mu sync.Mutex
		var wg sync.WaitGroup
		began := time.Now()
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 50; i++ {
					resp, err := client.Get(srv.URL())
					if err != nil {
						continue
					}
					resp.Body.Close()
					mu.Lock()
					switch resp.StatusCode {
					case http.StatusTooManyRequests:
						tooMany++
					case http.StatusOK:
						ok++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		allowed := srv.limits.Burst + int(srv.limits.Rate*time.Since(began).Seconds()) + 1
		if tooMany == 0 || ok > allowed {
			t.Errorf("400 rapid requests from one address: %d served, %d refused", ok, tooMany)
		}
		// Another address is not affected.
		if code, _ := newClient(t, srv).get(""); code != http.StatusOK {
			t.Errorf("another device during the flood: %d", code)
		}
		if n := srv.devices.count(); n > srv.devices.maxDevices() {
			t.Errorf("%d devices remembered, more than %d", n, srv.devices.maxDevices())
		}
	})
}

// deviceOf returns the server's record of a client's device.
func deviceOf(t *testing.T, srv *Server, c *client) *device {
	t.Helper()
	u, _ := url.Parse(srv.URL())
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == cookieName {
			srv.devices.mu.Lock()
			d := srv.devices.byID[ck.Value]
			srv.devices.mu.Unlock()
			if d != nil {
				return d
			}
		}
	}
	t.Fatal("the client has no device")
	return nil
}
