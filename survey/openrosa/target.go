// Package openrosa talks to ODK Central (and other OpenRosa servers such as
// KoboToolbox's kobocat for submissions): it logs in, lists and fetches
// forms, publishes XLSForms and sends submissions. It holds no state of its
// own beyond the connection: the caller stores credentials and what was sent.
package openrosa

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Target is one project on one server, as given by a project URL
// (https://HOST/v1/projects/ID) or an app-user URL
// (https://HOST/v1/key/TOKEN/projects/ID).
type Target struct {
	Base      string // scheme://host[:port][/path before /v1], no trailing slash
	ProjectID int
	AppToken  string // the app user's token; "" for a project URL
}

// ErrInsecure: plain http to a host other than this computer, without confirmation.
var ErrInsecure = errors.New("plain http sends passwords and answers unencrypted")

// ParseURL reads a project URL or an app-user URL. Anything after the
// project id (such as /forms/…) is ignored, as is a trailing slash.
func ParseURL(raw string) (Target, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Target{}, errors.New("no server URL given")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Target{}, fmt.Errorf("server URL %q: %w", raw, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return Target{}, fmt.Errorf("server URL %q: it must start with https:// (give the project URL Central shows, …/v1/projects/ID)", raw)
	}
	if u.Host == "" {
		return Target{}, fmt.Errorf("server URL %q: no host name", raw)
	}
	if u.User != nil {
		return Target{}, fmt.Errorf("server URL %q: put the email and password in their own fields, not in the URL", redact(raw))
	}
	parts := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	for i := 0; i < len(parts); i++ {
		if parts[i] != "v1" {
			continue
		}
		rest := parts[i+1:]
		t := Target{Base: u.Scheme + "://" + u.Host + prefixPath(parts[:i])}
		if len(rest) >= 2 && rest[0] == "key" {
			tok, err := url.PathUnescape(rest[1])
			if err != nil || tok == "" {
				return Target{}, fmt.Errorf("server URL %q: the app-user token is not readable", redact(raw))
			}
			t.AppToken = tok
			rest = rest[2:]
		}
		if len(rest) >= 2 && rest[0] == "projects" {
			id, err := strconv.Atoi(rest[1])
			if err != nil || id < 1 {
				return Target{}, fmt.Errorf("server URL %q: %q is not a project number", redact(raw), rest[1])
			}
			t.ProjectID = id
			return t, nil
		}
	}
	return Target{}, fmt.Errorf("server URL %q: expected a project URL such as https://central.example.org/v1/projects/3 or an app-user URL …/v1/key/TOKEN/projects/3", redact(raw))
}

func prefixPath(parts []string) string {
	if len(parts) == 0 || (len(parts) == 1 && parts[0] == "") {
		return ""
	}
	return "/" + strings.Join(parts, "/")
}

// redact hides an app-user token or user info in a URL shown in a message.
func redact(raw string) string {
	if i := strings.Index(raw, "/key/"); i >= 0 {
		rest := raw[i+len("/key/"):]
		if j := strings.Index(rest, "/"); j >= 0 {
			return raw[:i] + "/key/…" + rest[j:]
		}
		return raw[:i] + "/key/…"
	}
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = nil
		return u.String()
	}
	return raw
}

// ProjectURL is the project's URL without any token: how the project is
// named in messages and stored links.
func (t Target) ProjectURL() string {
	return fmt.Sprintf("%s/v1/projects/%d", t.Base, t.ProjectID)
}

// String is the project URL (never the token).
func (t Target) String() string { return t.ProjectURL() }

// apiBase is where the OpenRosa and REST paths of the project start.
func (t Target) apiBase() string {
	if t.AppToken != "" {
		return fmt.Sprintf("%s/v1/key/%s/projects/%d", t.Base, url.PathEscape(t.AppToken), t.ProjectID)
	}
	return t.ProjectURL()
}

// Secure reports whether the connection is encrypted or stays on this
// computer (plain http to 127.0.0.1 or ::1).
func (t Target) Secure() bool {
	u, err := url.Parse(t.Base)
	if err != nil {
		return false
	}
	if u.Scheme == "https" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

// CheckSecure refuses plain http to another computer unless staff confirmed it.
func (t Target) CheckSecure(confirmed bool) error {
	if t.Secure() || confirmed {
		return nil
	}
	return fmt.Errorf("%s: %w; use https:// or confirm that this network is trusted", t.ProjectURL(), ErrInsecure)
}
