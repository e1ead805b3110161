package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	qr "github.com/piglig/go-qr"
)

// TestPhonesPanel switches serving to phones on and off from the home
// screen as staff would: the warning names the personal questions, Start
// shows a QR code that decodes to the URL shown, which answers, and the
// count of phones answering follows; Stop closes the server.
func TestPhonesPanel(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	r.home.Phones().Addr = "127.0.0.1:0"
	if err := r.home.Runner().ShowPhones("park"); err != nil {
		t.Fatal(err)
	}
	p := r.home.Runner().PhonesPanel()
	screen := test.RenderObjectToMarkup(r.win.Content())
	for _, want := range []string{"No active event", "unencrypted", "hotspot with a password", "personal data (“Your name”, “Your email”)"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the panel does not say %q", want)
		}
	}
	if p.StopBtn.Visible() || !p.StartBtn.Visible() {
		t.Fatal("before starting, Stop shows or Start does not")
	}
	test.Tap(p.StartBtn)
	srv := r.home.Phones().Server()
	if srv == nil || p.Message.Text != "" {
		t.Fatalf("not serving: %q", p.Message.Text)
	}
	defer r.home.Phones().Stop()
	if p.URL.Text != srv.URL() || !strings.HasPrefix(p.URL.Text, "http://127.0.0.1:") {
		t.Errorf("URL shown %q, serving %q", p.URL.Text, srv.URL())
	}
	if p.QR.Image == nil || p.QR.MinSize().Width < 300 {
		t.Fatal("no large QR code")
	}
	if got, err := qr.Decode(p.QR.Image); err != nil || got != srv.URL() {
		t.Errorf("the QR code reads %q (%v), want %q", got, err, srv.URL())
	}
	if !strings.Contains(p.Count.Text, "0") {
		t.Errorf("count %q, want 0", p.Count.Text)
	}

	// A phone starts answering.
	jar := &cookieClient{}
	body := jar.get(t, srv.URL())
	csrf := between(body, `name="csrf" value="`, `"`)
	jar.post(t, srv.URL()+"start", "csrf="+csrf)
	p.Refresh()
	if !strings.Contains(p.Count.Text, "1") {
		t.Errorf("count %q after a phone started, want 1", p.Count.Text)
	}

	test.Tap(p.StopBtn)
	if r.home.Phones().Server() != nil || !p.StartBtn.Visible() {
		t.Fatal("Stop left the server running")
	}
	if _, err := http.Get(srv.URL()); err == nil {
		t.Error("the URL still answers after Stop")
	}
}

// cookieClient is a phone for the panel test: it keeps its cookie.
type cookieClient struct{ cookies []*http.Cookie }

func (c *cookieClient) do(t *testing.T, req *http.Request) string {
	t.Helper()
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	c.cookies = append(c.cookies, resp.Cookies()...)
	var b strings.Builder
	buf := make([]byte, 1<<16)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

func (c *cookieClient) get(t *testing.T, u string) string {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	return c.do(t, req)
}

func (c *cookieClient) post(t *testing.T, u, form string) string {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, u, strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(t, req)
}

func between(s, from, to string) string {
	_, rest, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(rest, to)
	return v
}
