// Package central publishes surveys to, pulls forms from and sends
// responses to an ODK Central project, keeping the credentials, the links
// between survey versions and forms and every response's send state in
// the local store. It has no user interface: the CLI and the GUI call it.
package central

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"canvass/survey"
	"canvass/survey/openrosa"
	"canvass/survey/store"
)

// Conn is an open connection to one project, with its credentials kept in the store.
type Conn struct {
	st     *store.Store
	client *openrosa.Client
	target openrosa.Target
}

// Login is what staff give to connect.
type Login struct {
	URL      string // project URL or app-user URL
	Email    string // a web user's, with a project URL
	Password string
	// ConfirmInsecure: staff confirmed plain http to a host other than 127.0.0.1.
	ConfirmInsecure bool
}

// ErrNoCredentials: a project URL was given without an email and password, and none are stored.
var ErrNoCredentials = errors.New("no email and password given or stored for this server")

// Connect opens a connection. Credentials given are stored in the local
// database (and nowhere else) for later syncs once the server has accepted
// them; without them, the stored ones of that server are used.
func Connect(ctx context.Context, st *store.Store, l Login) (*Conn, error) {
	t, err := openrosa.ParseURL(l.URL)
	if err != nil {
		return nil, err
	}
	saved, err := st.CentralServer(ctx, t.ProjectURL())
	known := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if err := t.CheckSecure(l.ConfirmInsecure || (known && saved.InsecureOK)); err != nil {
		return nil, err
	}
	cred := openrosa.Credentials{}
	rec := store.CentralServer{Server: t.ProjectURL(), InsecureOK: l.ConfirmInsecure || saved.InsecureOK}
	switch {
	case t.AppToken != "":
		if l.Email != "" || l.Password != "" {
			return nil, fmt.Errorf("%s: an app-user URL carries its own credential; leave the email and password out", t)
		}
		rec.AppToken = t.AppToken
	case l.Email != "" || l.Password != "":
		if l.Email == "" || l.Password == "" {
			return nil, fmt.Errorf("%s: give both the email and the password of a web user", t)
		}
		cred.Email, cred.Password = l.Email, l.Password
		rec.Email, rec.Password = l.Email, l.Password
		if known && saved.Email == l.Email && saved.Password == l.Password {
			cred.Session, cred.SessionExpires = saved.Session, saved.SessionExpires
			rec.Session, rec.SessionExpires = saved.Session, saved.SessionExpires
		}
	case known && saved.Email != "":
		cred = openrosa.Credentials{Email: saved.Email, Password: saved.Password, Session: saved.Session, SessionExpires: saved.SessionExpires}
		rec = saved
	case known && saved.AppToken != "":
		t.AppToken = saved.AppToken
		rec = saved
	default:
		return nil, fmt.Errorf("%s: %w; give a web user's email and password, or the app-user URL Central shows for a device", t, ErrNoCredentials)
	}
	client, err := openrosa.NewClient(t, cred)
	if err != nil {
		return nil, err
	}
	// Credentials are kept once the server has accepted them, never before.
	var mu sync.Mutex
	keep := func(update func(*store.CentralServer)) {
		mu.Lock()
		defer mu.Unlock()
		update(&rec)
		// A failure to keep them only costs a login or a prompt next time.
		_ = st.SaveCentralServer(context.WithoutCancel(ctx), rec)
	}
	client.OnSession = func(token string, expires time.Time) {
		keep(func(r *store.CentralServer) { r.Session, r.SessionExpires = token, expires })
	}
	if rec != saved {
		client.OnAccepted = func() { keep(func(*store.CentralServer) {}) }
	}
	return &Conn{st: st, client: client, target: t}, nil
}

// Server is the project URL (without any token): how links and send states name it.
func (c *Conn) Server() string { return c.target.ProjectURL() }

// Client is the OpenRosa client of the connection.
func (c *Conn) Client() *openrosa.Client { return c.client }

// Close drops the connection's idle connections.
func (c *Conn) Close() { c.client.Close() }

// Test checks the connection: the server answered, the credentials are
// accepted, N forms are visible.
func (c *Conn) Test(ctx context.Context) (openrosa.Check, error) {
	return c.client.TestConnection(ctx)
}

// definitionHash fingerprints a survey version's definition, so that a link
// can tell when the version changed after it was published or pulled.
func definitionHash(def *survey.Survey) (string, error) {
	b, err := def.Marshal()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// audit writes a line to the audit log: what was done on which server
// (the project URL, never a token or password). A failure to write it
// does not undo what the server already holds.
func (c *Conn) audit(ctx context.Context, action, subject, detail string) {
	_ = c.st.Audit(context.WithoutCancel(ctx), "", action, subject, detail)
}
