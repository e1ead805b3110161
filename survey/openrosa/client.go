package openrosa

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"canvass/survey"
)

// Errors to test with errors.Is.
var (
	// ErrOffline: the server did not answer (no network, server down, timeout).
	ErrOffline = errors.New("the server did not answer")
	// ErrCredentials: the server refused the email and password or the app-user token.
	ErrCredentials = errors.New("the server refused the credentials")
	// ErrNotAllowed: the credentials are valid but may not do this.
	ErrNotAllowed = errors.New("these credentials may not do this")
	// ErrNotFound: no such project, form or form version.
	ErrNotFound = errors.New("not found on the server")
)

// Problem is an error answer of Central: its HTTP status, its problem
// code (such as 400.15 or 409.3), its message and details.
type Problem struct {
	Status   int
	Code     string // "409.3"; "" when the server gave none
	Message  string
	Details  map[string]any
	Warnings []string // pyxform's warnings of a 400.16
}

func (p *Problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the server answered %d", p.Status)
	if p.Code != "" {
		fmt.Fprintf(&b, " (problem %s)", p.Code)
	}
	if p.Message != "" {
		b.WriteString(": " + strings.TrimSpace(p.Message))
	}
	if e, ok := p.Details["error"].(string); ok && e != "" && !strings.Contains(p.Message, e) {
		b.WriteString(" — " + strings.TrimSpace(e))
	}
	for _, w := range p.Warnings {
		b.WriteString("\n  warning: " + w)
	}
	return b.String()
}

// Is lets errors.Is match a problem to the sentinel errors.
func (p *Problem) Is(target error) bool {
	switch target {
	case ErrCredentials:
		return p.Status == http.StatusUnauthorized
	case ErrNotAllowed:
		return p.Status == http.StatusForbidden
	case ErrNotFound:
		return p.Status == http.StatusNotFound
	}
	return false
}

// Credentials are what a web user logs in with. An app-user URL needs none.
type Credentials struct {
	Email    string
	Password string
	// Session is a session token from an earlier login, reused until it
	// expires; the client logs in again when it has or is refused.
	Session        string
	SessionExpires time.Time
}

// Client talks to one project on one server. It is safe for concurrent
// use and keeps a small pool of connections open.
type Client struct {
	target Target
	email  string
	pass   string
	http   *http.Client
	now    func() time.Time

	mu      sync.Mutex
	session string
	expires time.Time
	// OnSession, if set, is called with each new session token, so that
	// the caller can keep it (in the local database, nowhere else).
	OnSession func(token string, expires time.Time)
	// OnAccepted, if set, is called once, after the first request the
	// server accepted: the credentials are good.
	OnAccepted func()
	accepted   sync.Once
}

// PoolSize is the number of connections a client keeps open to the server.
const PoolSize = 4

// NewClient returns a client of the target. A project URL needs an email
// and password; an app-user URL needs none (and refuses them).
func NewClient(t Target, cred Credentials) (*Client, error) {
	if t.AppToken == "" && (cred.Email == "" || cred.Password == "") {
		return nil, fmt.Errorf("%s: a project URL needs a web user's email and password (or paste the app-user URL Central shows for a device)", t.ProjectURL())
	}
	if t.AppToken != "" && cred.Email != "" {
		return nil, fmt.Errorf("%s: an app-user URL carries its own credential; leave the email and password out", t.ProjectURL())
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          PoolSize,
		MaxIdleConnsPerHost:   PoolSize,
		MaxConnsPerHost:       PoolSize,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &Client{
		target:  t,
		email:   cred.Email,
		pass:    cred.Password,
		session: cred.Session,
		expires: cred.SessionExpires,
		now:     time.Now,
		http: &http.Client{Transport: tr, Timeout: 5 * time.Minute,
			// A redirect could carry the token elsewhere: never follow one.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}, nil
}

// Target returns the project the client talks to.
func (c *Client) Target() Target { return c.target }

// Close drops the idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// request is one call to the server.
type request struct {
	method      string
	path        string // after the project's API base, e.g. "/formList"
	query       url.Values
	contentType string
	body        []byte
	header      map[string]string
}

// do sends r, logging in first (and once more after a 401) for a web
// user, and returns the body of a 2xx answer or an error: ErrOffline
// wrapped when the server did not answer, a *Problem when it said no.
func (c *Client) do(ctx context.Context, r request) ([]byte, int, error) {
	for attempt := 0; ; attempt++ {
		token := ""
		if c.target.AppToken == "" {
			var err error
			if token, err = c.sessionToken(ctx, attempt > 0); err != nil {
				return nil, 0, err
			}
		}
		body, status, err := c.send(ctx, r, token)
		if errors.Is(err, ErrCredentials) && token != "" && attempt == 0 {
			continue // the session expired early: log in again
		}
		if err == nil && c.OnAccepted != nil {
			c.accepted.Do(c.OnAccepted)
		}
		return body, status, err
	}
}

func (c *Client) send(ctx context.Context, r request, token string) ([]byte, int, error) {
	u := c.target.apiBase() + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, bytes.NewReader(r.body))
	if err != nil {
		return nil, 0, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.roundTrip(req, r.path)
}

// roundTrip sends req and reads the answer.
func (c *Client) roundTrip(req *http.Request, what string) ([]byte, int, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return nil, 0, ctxErr
		}
		return nil, 0, c.offline(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, resp.StatusCode, c.offline(err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return body, resp.StatusCode, nil
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, resp.StatusCode, fmt.Errorf("%s: the server sent a redirect to %s; give the URL it redirects to (https?)",
			c.target.ProjectURL(), redact(resp.Header.Get("Location")))
	}
	return nil, resp.StatusCode, parseProblem(resp.StatusCode, body)
}

// offline wraps a transport error as ErrOffline, naming the server (never the token).
func (c *Client) offline(err error) error {
	msg := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		msg = ue.Err.Error()
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		msg = "connection refused"
	}
	return fmt.Errorf("%s: %w (%s)", c.target.Base, ErrOffline, msg)
}

// parseProblem reads Central's JSON error body; other servers' bodies are kept as text.
func parseProblem(status int, body []byte) *Problem {
	p := &Problem{Status: status}
	var j struct {
		Code    json.Number    `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details"`
	}
	if err := json.Unmarshal(body, &j); err == nil && (j.Message != "" || j.Code != "") {
		p.Code, p.Message, p.Details = j.Code.String(), j.Message, j.Details
		if ws, ok := j.Details["warnings"]; ok && ws != nil {
			p.Warnings = flattenWarnings(ws)
		}
		return p
	}
	// An OpenRosa server answers with <OpenRosaResponse><message>…
	var or struct {
		Message string `xml:"message"`
	}
	if err := xml.Unmarshal(body, &or); err == nil && or.Message != "" {
		p.Message = or.Message
		return p
	}
	p.Message = strings.TrimSpace(string(body))
	if len(p.Message) > 500 {
		p.Message = p.Message[:500] + "…"
	}
	if p.Message == "" {
		p.Message = http.StatusText(status)
	}
	return p
}

// flattenWarnings turns details.warnings (a list, or lists by kind) into lines.
func flattenWarnings(v any) []string {
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch w := v.(type) {
		case nil:
		case string:
			out = append(out, prefix+w)
		case []any:
			for _, x := range w {
				walk(prefix, x)
			}
		case map[string]any:
			for k, x := range w {
				walk(prefix+k+": ", x)
			}
		default:
			b, _ := json.Marshal(w)
			out = append(out, prefix+string(b))
		}
	}
	walk("", v)
	return out
}

// sessionToken returns a valid session token, logging in when there is
// none, it expires within a minute, or renew is set.
func (c *Client) sessionToken(ctx context.Context, renew bool) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !renew && c.session != "" && (c.expires.IsZero() || c.now().Add(time.Minute).Before(c.expires)) {
		return c.session, nil
	}
	body, err := json.Marshal(map[string]string{"email": c.email, "password": c.pass})
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.target.Base+"/v1/sessions", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	out, _, err := c.roundTrip(req, "/v1/sessions")
	if err != nil {
		var p *Problem
		if errors.As(err, &p) && (p.Status == http.StatusUnauthorized || p.Status == http.StatusForbidden) {
			return "", fmt.Errorf("log in to %s as %s: %w (%s)", c.target.Base, c.email, ErrCredentials, p.Message)
		}
		return "", fmt.Errorf("log in to %s: %w", c.target.Base, err)
	}
	var s struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expiresAt"`
	}
	if err := json.Unmarshal(out, &s); err != nil || s.Token == "" {
		return "", fmt.Errorf("log in to %s: the answer holds no session token; is this an ODK Central server?", c.target.Base)
	}
	c.session, c.expires = s.Token, s.ExpiresAt
	if c.OnSession != nil {
		c.OnSession(s.Token, s.ExpiresAt)
	}
	return s.Token, nil
}

// FormInfo is one form of the project's OpenRosa form list.
type FormInfo struct {
	ID      string `xml:"formID"`
	Name    string `xml:"name"`
	Version string `xml:"version"`
	Hash    string `xml:"hash"`
}

// FormList lists the forms the credentials may fill in (OpenRosa formList).
func (c *Client) FormList(ctx context.Context) ([]FormInfo, error) {
	body, _, err := c.do(ctx, request{method: http.MethodGet, path: "/formList", header: openRosaHeader})
	if err != nil {
		return nil, fmt.Errorf("list the forms of %s: %w", c.target, err)
	}
	var list struct {
		Forms []FormInfo `xml:"xform"`
	}
	if err := xml.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("list the forms of %s: the answer is not an OpenRosa form list: %w", c.target, err)
	}
	return list.Forms, nil
}

var openRosaHeader = map[string]string{"X-OpenRosa-Version": "1.0"}

// Check says how far a connection got.
type Check struct {
	Answered bool // the server answered
	Accepted bool // the credentials were accepted
	Forms    int  // forms visible to these credentials
}

// String says it plainly, for staff.
func (ch Check) String() string {
	switch {
	case !ch.Answered:
		return "The server did not answer."
	case !ch.Accepted:
		return "The server answered, but refused the credentials."
	}
	return fmt.Sprintf("The server answered, the credentials are accepted, %d %s visible.", ch.Forms, survey.Pick(ch.Forms, "form is", "forms are"))
}

// TestConnection logs in (for a web user) and lists the forms. The error
// says what failed; Check says how far it got in any case.
func (c *Client) TestConnection(ctx context.Context) (Check, error) {
	forms, err := c.FormList(ctx)
	switch {
	case err == nil:
		return Check{Answered: true, Accepted: true, Forms: len(forms)}, nil
	case errors.Is(err, ErrOffline), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return Check{}, err
	}
	return Check{Answered: true}, err
}

// Form is what Central says about a form it holds.
type Form struct {
	XMLFormID string `json:"xmlFormId"`
	Version   string `json:"version"`
	Name      string `json:"name"`
	State     string `json:"state"`
}

// XLSXContentType is the media type of an .xlsx workbook.
const XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// CreateDraft uploads an XLSForm as a draft: of a new form, or (existing)
// a new version of a form the project has. Central converts it with
// pyxform: a broken form is a *Problem 400.15 (pyxform's message in
// Details["error"]), warnings are 400.16 (resend with ignoreWarnings), a
// new form whose id the project has is 409.3. The returned Form is the
// draft's; PublishDraft publishes it, DiscardDraft throws it away.
func (c *Client) CreateDraft(ctx context.Context, formID string, xlsx []byte, ignoreWarnings, existing bool) (Form, error) {
	q := url.Values{}
	if ignoreWarnings {
		q.Set("ignoreWarnings", "true")
	}
	header := map[string]string{"X-XlsForm-FormId-Fallback": formID}
	if !existing {
		body, _, err := c.do(ctx, request{method: http.MethodPost, path: "/forms", query: q, contentType: XLSXContentType, body: xlsx, header: header})
		if err != nil {
			return Form{}, fmt.Errorf("upload form %q to %s: %w", formID, c.target, err)
		}
		return decodeForm(body)
	}
	path := "/forms/" + url.PathEscape(formID) + "/draft"
	if _, _, err := c.do(ctx, request{method: http.MethodPost, path: path, query: q, contentType: XLSXContentType, body: xlsx, header: header}); err != nil {
		return Form{}, fmt.Errorf("upload a new version of form %q to %s: %w", formID, c.target, err)
	}
	body, _, err := c.do(ctx, request{method: http.MethodGet, path: path})
	if err != nil {
		return Form{}, fmt.Errorf("read the new version of form %q on %s: %w", formID, c.target, err)
	}
	return decodeForm(body)
}

// PublishDraft publishes a form's draft; a version string the form had
// before is a *Problem 409.6.
func (c *Client) PublishDraft(ctx context.Context, formID string) error {
	if _, _, err := c.do(ctx, request{method: http.MethodPost, path: "/forms/" + url.PathEscape(formID) + "/draft/publish"}); err != nil {
		return fmt.Errorf("publish the draft of form %q on %s: %w", formID, c.target, err)
	}
	return nil
}

// DiscardDraft throws a draft away: the new version of an existing form,
// or the whole form when it was never published.
func (c *Client) DiscardDraft(ctx context.Context, formID string, existing bool) error {
	path := "/forms/" + url.PathEscape(formID)
	if existing {
		path += "/draft"
	}
	if _, _, err := c.do(ctx, request{method: http.MethodDelete, path: path}); err != nil {
		return fmt.Errorf("discard the draft of form %q on %s: %w", formID, c.target, err)
	}
	return nil
}

// Form returns what the server holds on a form (its published version).
func (c *Client) Form(ctx context.Context, formID string) (Form, error) {
	body, _, err := c.do(ctx, request{method: http.MethodGet, path: "/forms/" + url.PathEscape(formID)})
	if err != nil {
		return Form{}, fmt.Errorf("read form %q on %s: %w", formID, c.target, err)
	}
	return decodeForm(body)
}

func decodeForm(body []byte) (Form, error) {
	var f Form
	if err := json.Unmarshal(body, &f); err != nil {
		return Form{}, fmt.Errorf("the server's answer is not a form description: %w", err)
	}
	return f, nil
}

// ErrXFormOnly: the form was uploaded as an XForm, so there is no XLSForm to import.
var ErrXFormOnly = errors.New("the form exists on the server only as an XForm (XML), not as an XLSForm")

// FormXLSX downloads the XLSForm a form was published from.
func (c *Client) FormXLSX(ctx context.Context, formID string) ([]byte, error) {
	body, _, err := c.do(ctx, request{method: http.MethodGet, path: "/forms/" + url.PathEscape(formID) + ".xlsx"})
	if errors.Is(err, ErrNotFound) {
		// Tell a missing form from one that has no XLSForm.
		if _, xerr := c.FormXML(ctx, formID, ""); xerr == nil {
			return nil, fmt.Errorf("form %q on %s: %w; Canvass imports XLSForms only — upload the form's .xlsx to the server, or build it in Canvass", formID, c.target, ErrXFormOnly)
		}
		return nil, fmt.Errorf("form %q on %s: %w (check the form id in the form list)", formID, c.target, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("download form %q from %s: %w", formID, c.target, err)
	}
	return body, nil
}

// FormXML downloads a form's XForm: the given version, or the published one for "".
func (c *Client) FormXML(ctx context.Context, formID, version string) ([]byte, error) {
	path := "/forms/" + url.PathEscape(formID) + ".xml"
	if version != "" {
		path = "/forms/" + url.PathEscape(formID) + "/versions/" + url.PathEscape(version) + ".xml"
	}
	body, _, err := c.do(ctx, request{method: http.MethodGet, path: path})
	if err != nil {
		if version != "" && errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("form %q on %s has no version %q: %w", formID, c.target, version, err)
		}
		return nil, fmt.Errorf("download form %q from %s: %w", formID, c.target, err)
	}
	return body, nil
}

// Submit sends one submission (the instance XML) by OpenRosa. The server
// answers the identical XML sent again with success and keeps one copy,
// so resending after a crash is safe; different XML under an instanceID
// the server holds is a *Problem with status 409.
func (c *Client) Submit(ctx context.Context, instance []byte) error {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="xml_submission_file"; filename="submission.xml"`)
	h.Set("Content-Type", "text/xml")
	pw, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if _, err := pw.Write(instance); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	_, _, err = c.do(ctx, request{method: http.MethodPost, path: "/submission", contentType: mw.FormDataContentType(),
		body: buf.Bytes(), header: openRosaHeader})
	return err
}

// SubmissionsCSV downloads Central's CSV export of a form's submissions (web users only).
func (c *Client) SubmissionsCSV(ctx context.Context, formID string) ([]byte, error) {
	body, _, err := c.do(ctx, request{method: http.MethodGet, path: "/forms/" + url.PathEscape(formID) + "/submissions.csv"})
	if err != nil {
		return nil, fmt.Errorf("download the submissions of form %q from %s: %w", formID, c.target, err)
	}
	return body, nil
}

// CurrentInstanceID returns the instanceID of the current version of a
// submission, given the instanceID it was first sent under (web users only).
func (c *Client) CurrentInstanceID(ctx context.Context, formID, rootID string) (string, error) {
	body, _, err := c.do(ctx, request{method: http.MethodGet,
		path: "/forms/" + url.PathEscape(formID) + "/submissions/" + url.PathEscape(rootID) + "/versions"})
	if err != nil {
		return "", fmt.Errorf("read the versions of submission %s of form %q: %w", rootID, formID, err)
	}
	var versions []struct {
		InstanceID string `json:"instanceId"`
		Current    bool   `json:"current"`
	}
	if err := json.Unmarshal(body, &versions); err != nil {
		return "", fmt.Errorf("read the versions of submission %s: %w", rootID, err)
	}
	for _, v := range versions {
		if v.Current {
			return v.InstanceID, nil
		}
	}
	if len(versions) > 0 {
		return versions[0].InstanceID, nil // newest first
	}
	return "", nil
}

// SubmissionInfo is one submission as the server lists it.
type SubmissionInfo struct {
	InstanceID string    `json:"instanceId"` // the instanceID it was first sent under
	CreatedAt  time.Time `json:"createdAt"`
	DeviceID   string    `json:"deviceId"`
}

// Submissions lists a form's submissions (web users only).
func (c *Client) Submissions(ctx context.Context, formID string) ([]SubmissionInfo, error) {
	body, _, err := c.do(ctx, request{method: http.MethodGet, path: "/forms/" + url.PathEscape(formID) + "/submissions"})
	if err != nil {
		return nil, fmt.Errorf("list the submissions of form %q on %s: %w", formID, c.target, err)
	}
	var out []SubmissionInfo
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("list the submissions of form %q on %s: %w", formID, c.target, err)
	}
	return out, nil
}

// SubmissionXML downloads the current version of a submission, given the
// instanceID it was first sent under (web users only).
func (c *Client) SubmissionXML(ctx context.Context, formID, instanceID string) ([]byte, error) {
	body, _, err := c.do(ctx, request{method: http.MethodGet,
		path: "/forms/" + url.PathEscape(formID) + "/submissions/" + url.PathEscape(instanceID) + ".xml"})
	if err != nil {
		return nil, fmt.Errorf("download submission %s of form %q from %s: %w", instanceID, formID, c.target, err)
	}
	return body, nil
}
