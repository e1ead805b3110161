package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Tables of a laptop's own link to ODK Central servers (migration 0004).
// They stay in this database: bundles leave them out, and no method here
// writes a secret to the audit log.

// centralTables are the tables bundles must not carry.
var centralTables = []string{"central_servers", "central_links", "central_sends"}

// CentralServer is how this laptop reaches a project on a server. Server is
// the project URL without a token. Either Email and Password (a web user)
// or AppToken (an app user) is set.
type CentralServer struct {
	Server         string
	Email          string
	Password       string
	AppToken       string
	Session        string    // the web user's current session token
	SessionExpires time.Time // zero when there is none
	InsecureOK     bool      // staff confirmed plain http to a host other than 127.0.0.1
}

// SaveCentralServer stores (or replaces) the credentials of a server.
func (s *Store) SaveCentralServer(ctx context.Context, c CentralServer) error {
	if c.Server == "" {
		return errors.New("save server: no server URL")
	}
	expires := ""
	if !c.SessionExpires.IsZero() {
		expires = formatTime(c.SessionExpires)
	}
	return s.write(ctx, "save server "+c.Server, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO central_servers (server, email, password, app_token, session, session_expires, insecure_ok, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (server) DO UPDATE SET email = excluded.email, password = excluded.password,
				app_token = excluded.app_token, session = excluded.session,
				session_expires = excluded.session_expires, insecure_ok = excluded.insecure_ok,
				updated_at = excluded.updated_at`,
			c.Server, c.Email, c.Password, c.AppToken, c.Session, expires, boolInt(c.InsecureOK), formatTime(s.stamp()))
		return err
	})
}

// SaveCentralSession stores a renewed session token of a web user.
func (s *Store) SaveCentralSession(ctx context.Context, server, token string, expires time.Time) error {
	return s.write(ctx, "save session of "+server, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE central_servers SET session = ?, session_expires = ?, updated_at = ? WHERE server = ?",
			token, formatTime(expires), formatTime(s.stamp()), server)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// CentralServer returns the stored credentials of a server (ErrNotFound if none).
func (s *Store) CentralServer(ctx context.Context, server string) (CentralServer, error) {
	var c CentralServer
	var expires string
	var insecure int
	err := s.db.QueryRowContext(ctx, `SELECT server, email, password, app_token, session, session_expires, insecure_ok
		FROM central_servers WHERE server = ?`, server).Scan(&c.Server, &c.Email, &c.Password, &c.AppToken, &c.Session, &expires, &insecure)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("server %s: %w", server, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("read server %s: %w", server, err)
	}
	c.InsecureOK = insecure == 1
	if expires != "" {
		if c.SessionExpires, err = parseTime(expires); err != nil {
			return c, fmt.Errorf("read server %s: %w", server, err)
		}
	}
	return c, nil
}

// CentralLink ties a survey version to a form version on a server.
type CentralLink struct {
	SurveyID       string
	SurveyVersion  int
	Server         string
	XMLFormID      string
	FormVersion    string
	DefinitionHash string // sha256 of the definition as published or pulled
	LinkedAt       time.Time
}

// SaveCentralLink records (or replaces) the link of a survey version to a server's form.
func (s *Store) SaveCentralLink(ctx context.Context, l CentralLink) error {
	return s.write(ctx, fmt.Sprintf("link survey %q version %d", l.SurveyID, l.SurveyVersion), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO central_links (survey_id, survey_version, server, xml_form_id, form_version, definition_hash, linked_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (survey_id, survey_version, server) DO UPDATE SET xml_form_id = excluded.xml_form_id,
				form_version = excluded.form_version, definition_hash = excluded.definition_hash, linked_at = excluded.linked_at`,
			l.SurveyID, l.SurveyVersion, l.Server, l.XMLFormID, l.FormVersion, l.DefinitionHash, formatTime(s.stamp()))
		return err
	})
}

// CentralLinks returns the links of every version of a survey, newest
// version first ("" surveyID: of every survey).
func (s *Store) CentralLinks(ctx context.Context, surveyID string) ([]CentralLink, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT survey_id, survey_version, server, xml_form_id, form_version, definition_hash, linked_at
		FROM central_links WHERE ? = '' OR survey_id = ? ORDER BY survey_id, survey_version DESC, linked_at DESC`, surveyID, surveyID)
	if err != nil {
		return nil, fmt.Errorf("read links of survey %q: %w", surveyID, err)
	}
	defer rows.Close()
	var out []CentralLink
	for rows.Next() {
		var l CentralLink
		var at string
		if err := rows.Scan(&l.SurveyID, &l.SurveyVersion, &l.Server, &l.XMLFormID, &l.FormVersion, &l.DefinitionHash, &at); err != nil {
			return nil, fmt.Errorf("read links of survey %q: %w", surveyID, err)
		}
		if l.LinkedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("read links of survey %q: %w", surveyID, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read links of survey %q: %w", surveyID, err)
	}
	return out, nil
}

// Send states of a response on a server.
const (
	SendPending = "pending" // not on the server yet (or changed since): will be sent
	SendSent    = "sent"    // the server holds this version
	SendRefused = "refused" // the server said no; Message holds why
)

// SendState is where one response stands on one server.
type SendState struct {
	ResponseID string
	Server     string
	State      string
	InstanceID string // the instanceID the server last accepted
	SentHash   string // fingerprint of what was sent
	SentAt     time.Time
	Message    string
	Attempts   int
}

// SendStates returns the states of every response known on a server, by response id.
func (s *Store) SendStates(ctx context.Context, server string) (map[string]SendState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT response_id, state, instance_id, sent_hash, sent_at, message, attempts
		FROM central_sends WHERE server = ?`, server)
	if err != nil {
		return nil, fmt.Errorf("read send states: %w", err)
	}
	defer rows.Close()
	out := map[string]SendState{}
	for rows.Next() {
		st := SendState{Server: server}
		var at string
		if err := rows.Scan(&st.ResponseID, &st.State, &st.InstanceID, &st.SentHash, &at, &st.Message, &st.Attempts); err != nil {
			return nil, fmt.Errorf("read send states: %w", err)
		}
		if at != "" {
			if st.SentAt, err = parseTime(at); err != nil {
				return nil, fmt.Errorf("read send states: %w", err)
			}
		}
		out[st.ResponseID] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read send states: %w", err)
	}
	return out, nil
}

// SendState returns the state of one response on a server (ErrNotFound if never tried).
func (s *Store) SendState(ctx context.Context, responseID, server string) (SendState, error) {
	st := SendState{ResponseID: responseID, Server: server}
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT state, instance_id, sent_hash, sent_at, message, attempts
		FROM central_sends WHERE response_id = ? AND server = ?`, responseID, server).Scan(
		&st.State, &st.InstanceID, &st.SentHash, &at, &st.Message, &st.Attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("send state of %s: %w", responseID, ErrNotFound)
	}
	if err != nil {
		return st, fmt.Errorf("send state of %s: %w", responseID, err)
	}
	if at != "" {
		if st.SentAt, err = parseTime(at); err != nil {
			return st, fmt.Errorf("send state of %s: %w", responseID, err)
		}
	}
	return st, nil
}

// Sent is a response version the server accepted.
type Sent struct {
	ResponseID string
	InstanceID string
	Hash       string // fingerprint of what was sent
}

// MarkSent records, in one short transaction, that the server accepted
// these response versions.
func (s *Store) MarkSent(ctx context.Context, server string, sent []Sent) error {
	if len(sent) == 0 {
		return nil
	}
	now := formatTime(s.stamp())
	return s.write(ctx, fmt.Sprintf("mark %d responses sent", len(sent)), func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `
			INSERT INTO central_sends (response_id, server, state, instance_id, sent_hash, sent_at, message, attempts, updated_at)
			VALUES (?, ?, 'sent', ?, ?, ?, '', 1, ?)
			ON CONFLICT (response_id, server) DO UPDATE SET state = 'sent', instance_id = excluded.instance_id,
				sent_hash = excluded.sent_hash, sent_at = excluded.sent_at, message = '',
				attempts = central_sends.attempts + 1, updated_at = excluded.updated_at`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, x := range sent {
			if _, err := stmt.ExecContext(ctx, x.ResponseID, server, x.InstanceID, x.Hash, now, now); err != nil {
				return fmt.Errorf("response %s: %w", x.ResponseID, err)
			}
		}
		return nil
	})
}

// MarkUnsent records that a response is not (or no longer) on the server
// as it is here: state is SendPending (will be tried again; message says
// why it is waiting, if it is) or SendRefused (message is the server's
// answer). What was sent before (instance id, hash, time) is kept, so that
// an edit can still name the version it replaces.
func (s *Store) MarkUnsent(ctx context.Context, responseID, server, state, message string) error {
	if state != SendPending && state != SendRefused {
		return fmt.Errorf("mark response %s: state %q is not pending or refused", responseID, state)
	}
	now := formatTime(s.stamp())
	return s.write(ctx, "mark response "+responseID+" "+state, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO central_sends (response_id, server, state, message, attempts, updated_at)
			VALUES (?, ?, ?, ?, 1, ?)
			ON CONFLICT (response_id, server) DO UPDATE SET state = excluded.state, message = excluded.message,
				attempts = central_sends.attempts + 1, updated_at = excluded.updated_at`,
			responseID, server, state, message, now)
		return err
	})
}
