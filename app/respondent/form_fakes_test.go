package respondent_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"canvass/assets"
	"canvass/survey"
)

// manualClock is a Scheduler and clock that only moves when told to.
type manualClock struct {
	now   time.Time
	seq   int
	tasks []*manualTask
}

type manualTask struct {
	at        time.Time
	seq       int
	f         func()
	cancelled bool
	done      bool
}

func newManualClock() *manualClock {
	return &manualClock{now: time.Date(2025, 6, 14, 10, 30, 0, 0, time.Local)}
}

func (c *manualClock) Now() time.Time { return c.now }

func (c *manualClock) AfterFunc(d time.Duration, f func()) func() {
	c.seq++
	t := &manualTask{at: c.now.Add(d), seq: c.seq, f: f}
	c.tasks = append(c.tasks, t)
	return func() { t.cancelled = true }
}

// Advance moves time on by d, running every task that falls due, in order.
func (c *manualClock) Advance(d time.Duration) {
	end := c.now.Add(d)
	for {
		var next *manualTask
		for _, t := range c.tasks {
			if t.cancelled || t.done || t.at.After(end) {
				continue
			}
			if next == nil || t.at.Before(next.at) || (t.at.Equal(next.at) && t.seq < next.seq) {
				next = t
			}
		}
		if next == nil {
			break
		}
		c.now = next.at
		next.done = true
		next.f()
	}
	c.now = end
}

// fakeStore is an in-memory store that can be told to fail.
type fakeStore struct {
	mu        sync.Mutex
	responses map[string]*survey.Response
	settings  map[string]string
	calls     []string
	fail      error // when set, every write fails with it
	nextID    int
	deviceID  string
}

func newFakeStore() *fakeStore {
	return &fakeStore{responses: map[string]*survey.Response{}, settings: map[string]string{}, deviceID: "device-1"}
}

func (s *fakeStore) record(format string, args ...any) {
	s.calls = append(s.calls, fmt.Sprintf(format, args...))
}

func (s *fakeStore) StartResponse(_ context.Context, surveyID string, version int, lang string) (*survey.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record("start %s %s", surveyID, lang)
	if s.fail != nil {
		return nil, fmt.Errorf("start response: %w", s.fail)
	}
	s.nextID++
	r := &survey.Response{ID: fmt.Sprintf("r%d", s.nextID), SurveyID: surveyID, SurveyVersion: version, Language: lang,
		DeviceID: s.deviceID, Status: survey.StatusDraft, Answers: survey.Answers{}}
	s.responses[r.ID] = r
	return r, nil
}

func (s *fakeStore) resp(id string) (*survey.Response, error) {
	r, ok := s.responses[id]
	if !ok {
		return nil, fmt.Errorf("response %s: not found", id)
	}
	return r, nil
}

// write records a call that changes response id and returns the response,
// or the error the store was told to fail with. Call it holding s.mu.
func (s *fakeStore) write(id, format string, args ...any) (*survey.Response, error) {
	s.record(format, args...)
	if s.fail != nil {
		return nil, s.fail
	}
	return s.resp(id)
}

func (s *fakeStore) SaveAnswer(_ context.Context, id, q, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record("save %s=%s", q, v)
	if s.fail != nil {
		return fmt.Errorf("save answer %q: %w", q, s.fail)
	}
	r, err := s.resp(id)
	if err != nil {
		return err
	}
	if v == "" {
		delete(r.Answers, q)
	} else {
		r.Answers[q] = v
	}
	return nil
}

// SaveAnswers stores several answers at once, all or nothing (run.Store).
func (s *fakeStore) SaveAnswers(_ context.Context, id string, values survey.Answers, clear []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.write(id, "save %d answers, clear %d", len(values), len(clear))
	if err != nil {
		return fmt.Errorf("save answers: %w", err)
	}
	for _, q := range clear {
		delete(r.Answers, q)
	}
	for q, v := range values {
		if v == "" {
			delete(r.Answers, q)
		} else {
			r.Answers[q] = v
		}
	}
	return nil
}

func (s *fakeStore) SetLanguage(_ context.Context, id, lang string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.write(id, "language %s", lang)
	if err != nil {
		return err
	}
	r.Language = lang
	return nil
}

func (s *fakeStore) Submit(_ context.Context, id string, final survey.Answers, result []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.write(id, "submit")
	if err != nil {
		return err
	}
	r.Answers = survey.Answers{}
	for k, v := range final {
		if v != "" {
			r.Answers[k] = v
		}
	}
	r.Result = result
	r.Status = survey.StatusComplete
	return nil
}

func (s *fakeStore) SetStatus(_ context.Context, id string, st survey.Status) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.write(id, "status %s", st)
	if err != nil {
		return err
	}
	r.Status = st
	return nil
}

func (s *fakeStore) Setting(_ context.Context, key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.settings[key]
	return v, ok, nil
}

func (s *fakeStore) SetSetting(_ context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.settings[key] = value
	return nil
}

// only returns the single response stored, failing the test if there is not exactly one.
func (s *fakeStore) only(t *testing.T) *survey.Response {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.responses) != 1 {
		t.Fatalf("store holds %d responses, want 1 (calls %v)", len(s.responses), s.calls)
	}
	for _, r := range s.responses {
		return r
	}
	return nil
}

// count returns how many responses the store holds.
func (s *fakeStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.responses)
}

// callsLike counts recorded calls with the given prefix.
func (s *fakeStore) callsLike(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if len(c) >= len(prefix) && c[:len(prefix)] == prefix {
			n++
		}
	}
	return n
}

var errDiskFull = errors.New("disk full")

// engagement returns the built-in stakeholder-engagement template.
func engagement(t *testing.T) *survey.Survey { return builtIn(t, "engagement") }

// builtIn returns the built-in template with the given id.
func builtIn(t *testing.T, id string) *survey.Survey {
	t.Helper()
	ts, err := assets.Templates()
	if err != nil {
		t.Fatalf("templates: %v", err)
	}
	for _, s := range ts {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no %s template", id)
	return nil
}
