// Package centraltest gives tests a project on the real ODK Central that
// ../shared/odk-central/setup-central.sh runs on 127.0.0.1 (CI starts it).
// Tests skip when it is unreachable, except under CI=true, where they fail.
package centraltest

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is the Central under test and its administrator.
type Server struct {
	Base     string // http://127.0.0.1:8383
	Email    string
	Password string

	mu    sync.Mutex
	token string
}

// env returns the environment variable or def.
func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

var (
	once   sync.Once
	shared *Server
	reach  error
)

// Need returns the server, skipping the test when it is unreachable and
// CI is not "true" (and failing it under CI). CANVASS_CENTRAL_URL,
// ODK_ADMIN_EMAIL and ODK_ADMIN_PASSWORD override the kit's defaults.
func Need(t testing.TB) *Server {
	t.Helper()
	once.Do(func() {
		shared = &Server{
			Base:     strings.TrimRight(env("CANVASS_CENTRAL_URL", "http://127.0.0.1:8383"), "/"),
			Email:    env("ODK_ADMIN_EMAIL", "admin@example.org"),
			Password: env("ODK_ADMIN_PASSWORD", "Canvass-Local-Admin-7q!Zr"),
		}
		_, reach = shared.login()
	})
	if reach != nil {
		msg := fmt.Sprintf("ODK Central is not reachable at %s (start it with ../shared/odk-central/setup-central.sh): %v", shared.Base, reach)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return shared
}

func (s *Server) login() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" {
		return s.token, nil
	}
	body, _ := json.Marshal(map[string]string{"email": s.Email, "password": s.Password})
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Post(s.Base+"/v1/sessions", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("admin login: %d %s", resp.StatusCode, b)
	}
	var out struct{ Token string }
	if err := json.Unmarshal(b, &out); err != nil {
		return "", err
	}
	s.token = out.Token
	return s.token, nil
}

// Do makes an administrator's REST call and returns the body of a 2xx answer.
func (s *Server) Do(t testing.TB, method, path, contentType string, body []byte, header ...string) []byte {
	t.Helper()
	b, status := s.Try(t, method, path, contentType, body, header...)
	if status < 200 || status > 299 {
		t.Fatalf("%s %s: %d %s", method, path, status, b)
	}
	return b
}

// Try is Do that returns any answer with its status.
func (s *Server) Try(t testing.TB, method, path, contentType string, body []byte, header ...string) ([]byte, int) {
	t.Helper()
	tok, err := s.login()
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, s.Base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b, resp.StatusCode
}

// Project is a fresh project for one test.
type Project struct {
	*Server
	ID int
}

// NewProject creates a project named after the test.
func (s *Server) NewProject(t testing.TB) *Project {
	t.Helper()
	name := fmt.Sprintf("%s %d", t.Name(), time.Now().UnixNano())
	body, _ := json.Marshal(map[string]string{"name": name})
	var p struct{ ID int }
	if err := json.Unmarshal(s.Do(t, "POST", "/v1/projects", "application/json", body), &p); err != nil {
		t.Fatal(err)
	}
	return &Project{Server: s, ID: p.ID}
}

// URL is the project URL (for a web user).
func (p *Project) URL() string { return fmt.Sprintf("%s/v1/projects/%d", p.Base, p.ID) }

// Path is a REST path below the project.
func (p *Project) Path(rest string) string { return fmt.Sprintf("/v1/projects/%d%s", p.ID, rest) }

// AppUserURL creates an app user allowed to fill in the given forms and returns its URL.
func (p *Project) AppUserURL(t testing.TB, forms ...string) string {
	t.Helper()
	var u struct {
		ID    int
		Token string
	}
	if err := json.Unmarshal(p.Do(t, "POST", p.Path("/app-users"), "application/json", []byte(`{"displayName":"laptop"}`)), &u); err != nil {
		t.Fatal(err)
	}
	for _, f := range forms {
		p.Do(t, "POST", p.Path(fmt.Sprintf("/forms/%s/assignments/app-user/%d", f, u.ID)), "", nil)
	}
	return fmt.Sprintf("%s/v1/key/%s/projects/%d", p.Base, u.Token, p.ID)
}

// UploadXLSForm publishes an XLSForm from outside Canvass, as a form designer would.
func (p *Project) UploadXLSForm(t testing.TB, formID string, xlsx []byte) {
	t.Helper()
	p.Do(t, "POST", p.Path("/forms?publish=true&ignoreWarnings=true"),
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx, "X-XlsForm-FormId-Fallback", formID)
}

// UploadXForm publishes an XForm (XML only, no XLSForm).
func (p *Project) UploadXForm(t testing.TB, xform []byte) {
	t.Helper()
	p.Do(t, "POST", p.Path("/forms?publish=true"), "application/xml", xform)
}

// SubmissionsCSV downloads Central's CSV export of a form.
func (p *Project) SubmissionsCSV(t testing.TB, formID string) []byte {
	t.Helper()
	return p.Do(t, "GET", p.Path("/forms/"+formID+"/submissions.csv"), "", nil)
}

// SubmissionsZip downloads Central's CSV export zip of a form (the main
// table and one table per repeat, with KEY and PARENT_KEY columns) and
// reads each table, keyed by file name ("form.csv", "form-repeat.csv").
func (p *Project) SubmissionsZip(t testing.TB, formID string) map[string][]map[string]string {
	t.Helper()
	b := p.Do(t, "GET", p.Path("/forms/"+formID+"/submissions.csv.zip"), "", nil)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("Central's export zip of %s: %v", formID, err)
	}
	out := map[string][]map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s in Central's export zip: %v", f.Name, err)
		}
		_, out[f.Name] = ReadCSV(t, data)
	}
	return out
}

// Versions lists the instanceIDs of every version of a submission, newest first.
func (p *Project) Versions(t testing.TB, formID, instanceID string) []string {
	t.Helper()
	var vs []struct {
		InstanceID string `json:"instanceId"`
	}
	b := p.Do(t, "GET", p.Path("/forms/"+formID+"/submissions/"+instanceID+"/versions"), "", nil)
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.InstanceID
	}
	return out
}

// Count is the number of submissions of a form (the OData count).
func (p *Project) Count(t testing.TB, formID string) int {
	t.Helper()
	b := p.Do(t, "GET", p.Path("/forms/"+formID+".svc/Submissions?$top=0&$count=true"), "", nil)
	var out struct {
		Count int `json:"@odata.count"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("count submissions of %s: %v (%s)", formID, err, b)
	}
	return out.Count
}

// ReadCSV reads a CSV file (Central's or Canvass's, whose byte-order mark
// is dropped) into its header and one map per row, keyed by header.
func ReadCSV(t testing.TB, b []byte) ([]string, []map[string]string) {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("the CSV file is empty: not even a header")
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return rows[0], out
}
