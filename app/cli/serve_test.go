package cli_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"canvass/app/cli"
	"canvass/survey"
	"canvass/survey/store"
)

// TestServe starts `canvass serve`, reads the URL from the first line of
// stdout, answers a question through it, then stops it with SIGTERM and
// checks that it exits 0 with the answer kept (as abandoned, since it was
// never submitted).
func TestServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	outR, outW := io.Pipe()
	var errOut strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(context.Background(), []string{"serve", "--db", db, "--survey", "engagement", "--addr", "127.0.0.1:0"},
			cli.Env{Stdin: strings.NewReader(""), Stdout: outW, Stderr: &errOut})
		outW.Close()
	}()
	lines := bufio.NewScanner(outR)
	if !lines.Scan() {
		t.Fatalf("no first line; stderr %q", errOut.String())
	}
	u := lines.Text()
	if !strings.HasPrefix(u, "http://127.0.0.1:") || len(strings.Split(strings.Trim(u, "/"), "/")) != 4 {
		t.Fatalf("first line %q is not the respondents' URL", u)
	}
	go io.Copy(io.Discard, outR) // the QR code

	jarClient := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := jarClient.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cookie := resp.Cookies()[0]
	csrf := between(string(body), `name="csrf" value="`, `"`)
	post := func(path, form string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, u+path, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(cookie)
		resp, err := jarClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := post("start", "csrf="+csrf); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("start: %d", r.StatusCode)
	}
	if r := post("form", "csrf="+csrf+"&page=0&action=next&consent=OK"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("consent: %d", r.StatusCode)
	}

	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	for _, want := range []string{"unencrypted", "hotspot", "personal data", "stopped"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
	st, err := store.OpenReadOnly(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var got []*survey.Response
	st.EachResponse(context.Background(), survey.Filter{SurveyID: "engagement"}, func(r *survey.Response) error {
		got = append(got, r)
		return nil
	})
	if len(got) != 1 || got[0].Answers["consent"] != "OK" || got[0].Status != survey.StatusAbandoned {
		t.Fatalf("stored %+v, want one abandoned response with consent OK", got)
	}
}

func between(s, from, to string) string {
	_, rest, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(rest, to)
	return v
}
