package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"canvass/survey"
)

// Store is what a session needs to keep answers; *store.Store satisfies it.
type Store interface {
	// StartResponse creates a draft response and returns it with its id
	// and the laptop's device id.
	StartResponse(ctx context.Context, surveyID string, version int, lang string) (*survey.Response, error)
	// SaveAnswer stores one answer ("" clears it).
	SaveAnswer(ctx context.Context, responseID, question, value string) error
	// SetLanguage records the respondent's language.
	SetLanguage(ctx context.Context, responseID, lang string) error
	// Submit marks the response complete with its final answers and result;
	// it writes only the answers that differ from those already stored.
	Submit(ctx context.Context, responseID string, final survey.Answers, result []byte) error
	// SaveAnswers stores several answers and clears the answers named in
	// clear, in ONE transaction: all or nothing (removing a repeat
	// instance renumbers the later ones).
	SaveAnswers(ctx context.Context, responseID string, values survey.Answers, clear []string) error
	// SetStatus marks a response draft or abandoned.
	SetStatus(ctx context.Context, responseID string, status survey.Status) error
}

// ErrSubmitted is returned when a submitted session is changed or submitted again.
var ErrSubmitted = errors.New("the response has already been submitted")

// ResponseID returns the stored response's id, "" until it has been started.
func (s *Session) ResponseID() string { return s.responseID }

// Unsaved reports whether the session holds answers (or a language) the
// store has not confirmed. Without a store, or before the first answer,
// it is always false.
func (s *Session) Unsaved() bool {
	if s.cfg.Store == nil || !s.touched {
		return false
	}
	return s.responseID == "" || s.storedLang != s.lang || len(s.dirty()) > 0
}

// dirty lists the keys whose answers differ from what the store has, in
// survey order, then any others in name order.
func (s *Session) dirty() []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] && s.answers[n] != s.stored[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, sl := range s.lay.slots {
		add(sl.key)
		if sl.q.OrOther {
			add(otherKey(sl))
		}
	}
	var rest []string
	for n := range s.answers {
		rest = append(rest, n)
	}
	for n := range s.stored {
		rest = append(rest, n)
	}
	sort.Strings(rest)
	for _, n := range rest {
		add(n)
	}
	return out
}

// Save writes every unsaved answer to the store, one SaveAnswer each,
// starting the response first if need be. Nothing is ever dropped because
// a save failed: it returns the first failure and the next Save retries.
func (s *Session) Save(ctx context.Context) error {
	if s.cfg.Store == nil || !s.touched {
		return nil
	}
	st := s.cfg.Store
	if s.responseID == "" {
		resp, err := st.StartResponse(ctx, s.s.ID, s.s.Version, s.lang)
		if err != nil {
			return fmt.Errorf("start response: %w", err)
		}
		s.responseID = resp.ID
		s.storedLang = s.lang
		if s.cfg.DeviceID == "" && resp.DeviceID != "" {
			s.cfg.DeviceID = resp.DeviceID
			for _, sl := range s.lay.slots {
				if sl.q.Type == survey.TypeDeviceID {
					s.answers[sl.key] = resp.DeviceID
				}
			}
		}
	}
	var errs []error
	if s.storedLang != s.lang {
		if err := st.SetLanguage(ctx, s.responseID, s.lang); err != nil {
			errs = append(errs, fmt.Errorf("save language: %w", err))
		} else {
			s.storedLang = s.lang
		}
	}
	for _, name := range s.dirty() {
		v := s.answers[name]
		if err := st.SaveAnswer(ctx, s.responseID, name, v); err != nil {
			errs = append(errs, fmt.Errorf("save answer %q: %w", name, err))
			continue
		}
		if v == "" {
			delete(s.stored, name)
		} else {
			s.stored[name] = v
		}
	}
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// Finish prepares the submission: it checks every relevant page and, if
// all is well, fills in the end metadata (and the start metadata of a
// session nobody answered). It returns the first page with problems and
// its problems, or -1 and nil. A front end that works out a result (the
// decision tool's) does so from Answers after Finish and passes it to Submit.
func (s *Session) Finish() (page int, problems []Problem) {
	if page, problems = s.CheckAll(); page >= 0 {
		return page, problems
	}
	s.touch()
	s.stampEnd(s.now())
	clear(s.parked) // what a lowered repeat_count took away is gone for good
	return -1, nil
}

// Submit saves what is unsaved and marks the response complete with the
// final answers and result (JSON, or nil). Call Finish first. Without a
// store it only marks the session submitted. Submitting again after
// Reopen replaces the stored result.
func (s *Session) Submit(ctx context.Context, result []byte) error {
	if s.submitted {
		return ErrSubmitted
	}
	if result != nil && !json.Valid(result) {
		return errors.New("submit: the result is not valid JSON")
	}
	if s.cfg.Store != nil {
		if err := s.Save(ctx); err != nil {
			return err
		}
		if err := s.cfg.Store.Submit(ctx, s.responseID, s.Answers(), result); err != nil {
			return fmt.Errorf("submit: %w", err)
		}
		for k, v := range s.answers {
			s.stored[k] = v
		}
	}
	s.submitted = true
	return nil
}

// Reopen lets answers of a submitted session be changed again (the
// decision tool's "Change answers"); the next Submit replaces the stored
// answers that changed and the result.
func (s *Session) Reopen() { s.submitted = false }

// Abandon stores what it can and marks a started, unsubmitted response
// abandoned (a kiosk left idle). A session never answered stores nothing.
func (s *Session) Abandon(ctx context.Context) error {
	if s.cfg.Store == nil || s.submitted || !s.touched {
		return nil
	}
	err := s.Save(ctx)
	if s.responseID == "" {
		return err
	}
	if serr := s.cfg.Store.SetStatus(ctx, s.responseID, survey.StatusAbandoned); serr != nil {
		return errors.Join(err, fmt.Errorf("mark response %s abandoned: %w", s.responseID, serr))
	}
	return err
}
