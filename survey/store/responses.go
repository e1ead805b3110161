package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"canvass/survey"
)

// Counts holds how many responses are in each status.
type Counts struct {
	Draft, Complete, Abandoned int
}

// Total returns the number of responses counted.
func (c Counts) Total() int { return c.Draft + c.Complete + c.Abandoned }

// Partial returns the number of unfinished responses (draft and abandoned).
func (c Counts) Partial() int { return c.Draft + c.Abandoned }

// StartResponse creates a draft response to a survey version (0: the
// latest), tagged with the active event and this device.
func (s *Store) StartResponse(ctx context.Context, surveyID string, version int, lang string) (*survey.Response, error) {
	now := s.stamp()
	r := &survey.Response{
		ID:       uuid.NewString(),
		SurveyID: surveyID,
		DeviceID: s.deviceID,
		Language: lang,
		Started:  now,
		Updated:  now,
		Status:   survey.StatusDraft,
		Answers:  survey.Answers{},
	}
	err := s.write(ctx, fmt.Sprintf("start response to survey %q", surveyID), func(tx *sql.Tx) error {
		var err error
		if version == 0 {
			err = tx.QueryRowContext(ctx, "SELECT max(version) FROM surveys WHERE id = ? HAVING count(*) > 0", surveyID).Scan(&r.SurveyVersion)
		} else {
			err = tx.QueryRowContext(ctx, "SELECT version FROM surveys WHERE id = ? AND version = ?", surveyID, version).Scan(&r.SurveyVersion)
		}
		if errors.Is(err, sql.ErrNoRows) {
			if version == 0 {
				return ErrNotFound
			}
			return fmt.Errorf("version %d: %w", version, ErrNotFound)
		}
		if err != nil {
			return err
		}
		var event sql.NullString
		err = tx.QueryRowContext(ctx, "SELECT id FROM events WHERE active = 1").Scan(&event)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		r.EventID = event.String
		_, err = tx.ExecContext(ctx, `
			INSERT INTO responses (id, survey_id, survey_version, event_id, device_id, language, started_at, updated_at, status)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft')`,
			r.ID, r.SurveyID, r.SurveyVersion, event, r.DeviceID, r.Language, formatTime(now), formatTime(now))
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// touch bumps a response's updated time, reporting ErrNotFound if it does not exist.
func touch(ctx context.Context, tx *sql.Tx, id, now string) error {
	res, err := tx.ExecContext(ctx, "UPDATE responses SET updated_at = ? WHERE id = ?", now, id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("response %s: %w", id, ErrNotFound)
	}
	return nil
}

// putAnswer stores one answer; a blank value removes it.
func putAnswer(ctx context.Context, tx *sql.Tx, id, question, value, now string) error {
	if question == "" {
		return errors.New("an answer has no question name")
	}
	if len(value) > MaxAnswerLength || len(question) > survey.MaxNameLength {
		return fmt.Errorf("answer %q: %d bytes is more than an answer may hold (%d)", firstFewBytes(question), len(value), MaxAnswerLength)
	}
	var err error
	if value == "" {
		_, err = tx.ExecContext(ctx, "DELETE FROM answers WHERE response_id = ? AND question = ?", id, question)
	} else {
		_, err = tx.ExecContext(ctx, `
			INSERT INTO answers (response_id, question, value, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (response_id, question) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
			WHERE value <> excluded.value`,
			id, question, value, now)
	}
	if err != nil {
		return fmt.Errorf("answer %q: %w", question, err)
	}
	return nil
}

// clearAnswersExcept deletes the stored answers of response id that keep
// is silent on or leaves blank.
func clearAnswersExcept(ctx context.Context, tx *sql.Tx, id string, keep survey.Answers) error {
	rows, err := tx.QueryContext(ctx, "SELECT question FROM answers WHERE response_id = ?", id)
	if err != nil {
		return err
	}
	var gone []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			rows.Close()
			return err
		}
		if keep[q] == "" {
			gone = append(gone, q)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, q := range gone {
		if _, err := tx.ExecContext(ctx, "DELETE FROM answers WHERE response_id = ? AND question = ?", id, q); err != nil {
			return fmt.Errorf("answer %q: %w", q, err)
		}
	}
	return nil
}

// SaveAnswer stores one answer of a response in its own transaction; a
// blank value deletes the answer. Complete responses may be edited too.
// An unknown response is ErrNotFound.
func (s *Store) SaveAnswer(ctx context.Context, responseID, question, value string) error {
	return s.write(ctx, fmt.Sprintf("save answer %q", question), func(tx *sql.Tx) error {
		now := formatTime(s.stamp())
		if err := touch(ctx, tx, responseID, now); err != nil {
			return err
		}
		return putAnswer(ctx, tx, responseID, question, value, now)
	})
}

// SaveAnswers stores several answers of a response and deletes the
// answers named in clear, in one transaction. Blank values delete too.
func (s *Store) SaveAnswers(ctx context.Context, responseID string, values survey.Answers, clear []string) error {
	return s.write(ctx, fmt.Sprintf("save answers of response %s", responseID), func(tx *sql.Tx) error {
		now := formatTime(s.stamp())
		if err := touch(ctx, tx, responseID, now); err != nil {
			return err
		}
		for _, q := range clear {
			if err := putAnswer(ctx, tx, responseID, q, "", now); err != nil {
				return err
			}
		}
		for _, q := range sortedKeys(values) {
			if err := putAnswer(ctx, tx, responseID, q, values[q], now); err != nil {
				return err
			}
		}
		return nil
	})
}

// Submit completes a response atomically: its answers become exactly
// final (blank values dropped), result (JSON, may be nil) is stored, the
// status becomes complete and the submitted time is now.
func (s *Store) Submit(ctx context.Context, responseID string, final survey.Answers, result []byte) error {
	if result != nil && !json.Valid(result) {
		return fmt.Errorf("submit response %s: the result is not valid JSON", responseID)
	}
	return s.write(ctx, fmt.Sprintf("submit response %s", responseID), func(tx *sql.Tx) error {
		now := formatTime(s.stamp())
		if err := touch(ctx, tx, responseID, now); err != nil {
			return err
		}
		// Answers already saved as they are stay untouched: only those
		// that differ are written and those no longer given are removed.
		if err := clearAnswersExcept(ctx, tx, responseID, final); err != nil {
			return err
		}
		for _, q := range sortedKeys(final) {
			if err := putAnswer(ctx, tx, responseID, q, final[q], now); err != nil {
				return err
			}
		}
		var res any
		if result != nil {
			res = string(result)
		}
		_, err := tx.ExecContext(ctx,
			"UPDATE responses SET status = 'complete', submitted_at = ?, result = ? WHERE id = ?", now, res, responseID)
		return err
	})
}

// SetStatus changes a response's status. Becoming complete sets the
// submitted time if it was not set; any other status clears it.
func (s *Store) SetStatus(ctx context.Context, responseID string, st survey.Status) error {
	if !st.Valid() {
		return fmt.Errorf("set status of response %s: unknown status %q", responseID, st)
	}
	return s.write(ctx, fmt.Sprintf("set status of response %s", responseID), func(tx *sql.Tx) error {
		now := formatTime(s.stamp())
		if err := touch(ctx, tx, responseID, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `
			UPDATE responses SET status = ?,
				submitted_at = CASE WHEN ? = 'complete' THEN coalesce(submitted_at, ?) END
			WHERE id = ?`, string(st), string(st), now, responseID)
		return err
	})
}

// SetLanguage records the language a response is being answered in.
func (s *Store) SetLanguage(ctx context.Context, responseID, lang string) error {
	return s.write(ctx, fmt.Sprintf("set language of response %s", responseID), func(tx *sql.Tx) error {
		now := formatTime(s.stamp())
		if err := touch(ctx, tx, responseID, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE responses SET language = ? WHERE id = ?", lang, responseID)
		return err
	})
}

// responseColumns are the columns a survey.Response is read from. The
// last is its Conflict: a copy's conflict_of, or the original's own id
// while a copy of it is kept beside it.
const responseColumns = `r.id, r.survey_id, r.survey_version, r.event_id, r.device_id, r.language,
	r.started_at, r.updated_at, r.submitted_at, r.status, r.result,
	coalesce(r.conflict_of, CASE WHEN EXISTS (SELECT 1 FROM responses c WHERE c.conflict_of = r.id) THEN r.id END)`

// responseRow receives the responseColumns of one row.
type responseRow struct {
	id, surveyID, deviceID, language, started, updated, status string
	version                                                    int
	event, submitted, result, conflict                         sql.NullString
}

func (row *responseRow) targets() []any {
	return []any{&row.id, &row.surveyID, &row.version, &row.event, &row.deviceID, &row.language,
		&row.started, &row.updated, &row.submitted, &row.status, &row.result, &row.conflict}
}

func (row *responseRow) response() (*survey.Response, error) {
	r := &survey.Response{
		ID: row.id, SurveyID: row.surveyID, SurveyVersion: row.version, EventID: row.event.String,
		DeviceID: row.deviceID, Language: row.language, Status: survey.Status(row.status),
		Conflict: row.conflict.String, Answers: survey.Answers{},
	}
	var err error
	if r.Started, err = parseTime(row.started); err != nil {
		return nil, fmt.Errorf("response %s: %w", row.id, err)
	}
	if r.Updated, err = parseTime(row.updated); err != nil {
		return nil, fmt.Errorf("response %s: %w", row.id, err)
	}
	if r.Submitted, err = parseNullTime(row.submitted); err != nil {
		return nil, fmt.Errorf("response %s: %w", row.id, err)
	}
	if row.result.Valid {
		r.Result = []byte(row.result.String)
	}
	return r, nil
}

// Response returns a response with its answers (ErrNotFound if there is none).
func (s *Store) Response(ctx context.Context, id string) (*survey.Response, error) {
	var r *survey.Response
	err := s.read(ctx, fmt.Sprintf("read response %s", id), func(tx *sql.Tx) error {
		var row responseRow
		err := tx.QueryRowContext(ctx, "SELECT "+responseColumns+" FROM responses r WHERE r.id = ?", id).Scan(row.targets()...)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if r, err = row.response(); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, "SELECT question, value FROM answers WHERE response_id = ?", id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var q, v string
			if err := rows.Scan(&q, &v); err != nil {
				return err
			}
			r.Answers[q] = v
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// DeleteResponse removes a response and its answers, and writes an audit
// line naming who did it.
func (s *Store) DeleteResponse(ctx context.Context, id, actor string) error {
	return s.write(ctx, fmt.Sprintf("delete response %s", id), func(tx *sql.Tx) error {
		var surveyID, status string
		var version, answers int
		err := tx.QueryRowContext(ctx, `
			SELECT survey_id, survey_version, status, (SELECT count(*) FROM answers WHERE response_id = r.id)
			FROM responses r WHERE id = ?`, id).Scan(&surveyID, &version, &status, &answers)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM responses WHERE id = ?", id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "delete-response", id,
			fmt.Sprintf("survey %q version %d, %s, %d answers", surveyID, version, status, answers))
	})
}

// ErasePersonal deletes the named answers of a response (the questions
// that hold personal data), in every repeat instance, and writes an audit line naming the questions,
// never the values.
func (s *Store) ErasePersonal(ctx context.Context, id string, questions []string, actor string) error {
	return s.write(ctx, fmt.Sprintf("erase personal data of response %s", id), func(tx *sql.Tx) error {
		now := formatTime(s.stamp())
		if err := touch(ctx, tx, id, now); err != nil {
			return err
		}
		var erased []string
		for _, q := range questions {
			// The answers of q in every repeat instance ("carers[2]/name") go too.
			res, err := tx.ExecContext(ctx, "DELETE FROM answers WHERE response_id = ? AND (question = ? OR question GLOB ?)", id, q, instancePattern(q))
			if err != nil {
				return fmt.Errorf("answer %q: %w", q, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				erased = append(erased, q)
			}
		}
		detail := "erased: " + strings.Join(erased, ", ")
		if len(erased) == 0 {
			detail = "nothing to erase"
		}
		if len(erased) < len(questions) {
			detail += fmt.Sprintf(" (asked for %s)", strings.Join(questions, ", "))
		}
		return s.audit(ctx, tx, actor, "erase-personal", id, detail)
	})
}

// filterSQL turns a filter into a WHERE clause on the responses table r.
func filterSQL(f survey.Filter) (string, []any, error) {
	var conds []string
	var args []any
	if f.SurveyID != "" {
		conds, args = append(conds, "r.survey_id = ?"), append(args, f.SurveyID)
	}
	if f.Version < 0 {
		return "", nil, fmt.Errorf("filter: version %d is negative", f.Version)
	}
	if f.Version > 0 {
		conds, args = append(conds, "r.survey_version = ?"), append(args, f.Version)
	}
	if f.EventID != "" {
		conds, args = append(conds, "r.event_id = ?"), append(args, f.EventID)
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "r.started_at >= ?"), append(args, formatTime(ceilMilli(f.From)))
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "r.started_at < ?"), append(args, formatTime(ceilMilli(f.To)))
	}
	if len(f.Statuses) > 0 {
		marks := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			if !st.Valid() {
				return "", nil, fmt.Errorf("filter: unknown status %q", st)
			}
			marks[i] = "?"
			args = append(args, string(st))
		}
		conds = append(conds, "r.status IN ("+strings.Join(marks, ", ")+")")
	}
	if len(conds) == 0 {
		return "", args, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// ceilMilli rounds t up to the millisecond, the precision of stored times,
// so that range bounds compare as they would at full precision.
func ceilMilli(t time.Time) time.Time {
	c := t.Truncate(time.Millisecond)
	if c.Before(t) {
		c = c.Add(time.Millisecond)
	}
	return c
}

// eachResponseSQL is EachResponse's query: one row per response, its
// answers as one JSON object in the last column (answersObjectSQL), in an
// order the indexes give without sorting (the rowid breaks ties between
// equal start times), so that SQLite streams it too.
func eachResponseSQL(f survey.Filter) (string, []any, error) {
	where, args, err := filterSQL(f)
	if err != nil {
		return "", nil, err
	}
	return "SELECT " + responseColumns + ", " + answersObjectSQL + `
		FROM responses r` + where + `
		ORDER BY r.started_at, r.rowid`, args, nil
}

// EachResponse calls fn with each response the filter selects, with its
// answers, in the order they were started. It streams: one query, one row
// per response (its answers come as one JSON object) and one response in
// memory at a time. An error from fn stops the walk and is returned as it
// is; so does cancelling ctx, wrapped.
func (s *Store) EachResponse(ctx context.Context, f survey.Filter, fn func(*survey.Response) error) error {
	query, args, err := eachResponseSQL(f)
	if err != nil {
		return fmt.Errorf("list responses: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("list responses: %w", err)
	}
	defer rows.Close()
	var row responseRow
	var answers sql.NullString
	targets := append(row.targets(), &answers)
	unpacker := newAnswerUnpacker()
	sizeHint := 0
	for rows.Next() {
		if err := ctx.Err(); err != nil { // fn may have cancelled it
			return fmt.Errorf("list responses: %w", err)
		}
		if err := rows.Scan(targets...); err != nil {
			return fmt.Errorf("list responses: %w", err)
		}
		r, err := row.response()
		if err != nil {
			return fmt.Errorf("list responses: %w", err)
		}
		r.Answers = make(survey.Answers, sizeHint)
		if err := unpacker.unpack(answers.String, r.Answers); err != nil {
			return fmt.Errorf("list responses: response %s: %w", r.ID, err)
		}
		sizeHint = len(r.Answers)
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list responses: %w", err)
	}
	return nil
}

// CountResponses counts the responses the filter selects, by status.
func (s *Store) CountResponses(ctx context.Context, f survey.Filter) (Counts, error) {
	where, args, err := filterSQL(f)
	if err != nil {
		return Counts{}, fmt.Errorf("count responses: %w", err)
	}
	return countByStatus(ctx, s.db, where, args)
}

// querier runs a query on the database or inside a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// countByStatus counts the responses matching where (from filterSQL) by status.
func countByStatus(ctx context.Context, q querier, where string, args []any) (Counts, error) {
	rows, err := q.QueryContext(ctx, "SELECT r.status, count(*) FROM responses r"+where+" GROUP BY r.status", args...)
	if err != nil {
		return Counts{}, fmt.Errorf("count responses: %w", err)
	}
	defer rows.Close()
	var c Counts
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return Counts{}, fmt.Errorf("count responses: %w", err)
		}
		switch survey.Status(st) {
		case survey.StatusDraft:
			c.Draft = n
		case survey.StatusComplete:
			c.Complete = n
		case survey.StatusAbandoned:
			c.Abandoned = n
		}
	}
	if err := rows.Err(); err != nil {
		return Counts{}, fmt.Errorf("count responses: %w", err)
	}
	return c, nil
}

// AnswerCounts counts, among the responses the filter selects, how many
// gave each stored value to a question (responses without an answer are
// not counted). Multi-select values are counted as stored, space-separated.
func (s *Store) AnswerCounts(ctx context.Context, f survey.Filter, question string) (map[string]int, error) {
	where, args, err := filterSQL(f)
	if err != nil {
		return nil, fmt.Errorf("count answers to %q: %w", question, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT a.value, count(*)
		FROM responses r JOIN answers a ON a.response_id = r.id AND a.question = ?`+where+`
		GROUP BY a.value`, append([]any{question}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("count answers to %q: %w", question, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, fmt.Errorf("count answers to %q: %w", question, err)
		}
		out[v] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count answers to %q: %w", question, err)
	}
	return out, nil
}

// ImportResponse stores a response from another database (a merge),
// keeping its id, times, device, event, status, result and answers. A
// response whose id is already here is left alone (inserted is false). Its
// survey version, and its event if it has one, must already be here
// (ErrNotFound otherwise).
func (s *Store) ImportResponse(ctx context.Context, r *survey.Response) (inserted bool, err error) {
	if err := checkImport(r); err != nil {
		return false, err
	}
	err = s.write(ctx, fmt.Sprintf("import response %s", r.ID), func(tx *sql.Tx) error {
		inserted, err = importResponse(ctx, tx, r)
		return err
	})
	return inserted && err == nil, err
}

// ImportResponses stores many responses as ImportResponse does, in one
// transaction: all of them or, on an error, none. It returns how many were
// new here.
func (s *Store) ImportResponses(ctx context.Context, rs []*survey.Response) (inserted int, err error) {
	for _, r := range rs {
		if err := checkImport(r); err != nil {
			return 0, err
		}
	}
	err = s.write(ctx, fmt.Sprintf("import %d responses", len(rs)), func(tx *sql.Tx) error {
		inserted = 0
		for _, r := range rs {
			ok, err := importResponse(ctx, tx, r)
			if err != nil {
				return fmt.Errorf("response %s: %w", r.ID, err)
			}
			if ok {
				inserted++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return inserted, nil
}

// checkImport refuses a response that cannot be imported whatever the database holds.
func checkImport(r *survey.Response) error {
	if r == nil || r.ID == "" {
		return errors.New("import response: the response has no id")
	}
	if !r.Status.Valid() {
		return fmt.Errorf("import response %s: unknown status %q", r.ID, r.Status)
	}
	if r.Result != nil && !json.Valid(r.Result) {
		return fmt.Errorf("import response %s: the result is not valid JSON", r.ID)
	}
	if r.Started.IsZero() {
		return fmt.Errorf("import response %s: no start time", r.ID)
	}
	return nil
}

// importResponse inserts r in tx unless its id is already here.
func importResponse(ctx context.Context, tx *sql.Tx, r *survey.Response) (inserted bool, err error) {
	var present bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM responses WHERE id = ?)", r.ID).Scan(&present); err != nil {
		return false, err
	}
	if present {
		return false, nil
	}
	var ok bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM surveys WHERE id = ? AND version = ?)", r.SurveyID, r.SurveyVersion).Scan(&ok); err != nil {
		return false, err
	}
	if !ok {
		return false, fmt.Errorf("survey %q version %d: %w", r.SurveyID, r.SurveyVersion, ErrNotFound)
	}
	var event any
	if r.EventID != "" {
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM events WHERE id = ?)", r.EventID).Scan(&ok); err != nil {
			return false, err
		}
		if !ok {
			return false, fmt.Errorf("event %s: %w", r.EventID, ErrNotFound)
		}
		event = r.EventID
	}
	updated := r.Updated
	if updated.IsZero() {
		updated = r.Started
	}
	var submitted, result any
	if r.Submitted != nil {
		submitted = formatTime(*r.Submitted)
	}
	if r.Result != nil {
		result = string(r.Result)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO responses (id, survey_id, survey_version, event_id, device_id, language,
			started_at, updated_at, submitted_at, status, result)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.SurveyID, r.SurveyVersion, event, r.DeviceID, r.Language,
		formatTime(r.Started), formatTime(updated), submitted, string(r.Status), result)
	if err != nil {
		return false, err
	}
	for _, q := range sortedKeys(r.Answers) {
		if err := putAnswer(ctx, tx, r.ID, q, r.Answers[q], formatTime(updated)); err != nil {
			return false, err
		}
	}
	return true, nil
}

func sortedKeys(m survey.Answers) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
