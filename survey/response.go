package survey

import "time"

// Status is where a response stands.
type Status string

// Response statuses.
const (
	StatusDraft     Status = "draft"     // being answered (or the process died while it was)
	StatusComplete  Status = "complete"  // submitted
	StatusAbandoned Status = "abandoned" // left unfinished at a kiosk; kept as partial
)

// Statuses lists every status in the order staff see them.
var Statuses = []Status{StatusComplete, StatusDraft, StatusAbandoned}

// Label is the status in the one vocabulary staff read everywhere — home
// screen, Results, Responses, exports and their codebook: "complete",
// "partial" (a draft: still open, or interrupted) and "abandoned".
func (s Status) Label() string {
	switch s {
	case StatusComplete:
		return "complete"
	case StatusDraft:
		return "partial"
	case StatusAbandoned:
		return "abandoned"
	}
	return string(s)
}

// Meaning says in words what a status means, for codebooks and help.
func (s Status) Meaning() string {
	switch s {
	case StatusComplete:
		return "submitted by the respondent"
	case StatusDraft:
		return "not submitted yet: still being answered, left through Leave, or interrupted; staff can resume it"
	case StatusAbandoned:
		return "left unfinished at a kiosk or on a web form after a time without a touch; the answers given are kept"
	}
	return ""
}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	return s == StatusDraft || s == StatusComplete || s == StatusAbandoned
}

// Answers maps question names to stored values, in XLSForm conventions:
// multi-select and rank values are space-separated choice names, dates are
// 2006-01-02, numbers are decimal strings. A blank answer is absent.
type Answers map[string]string

// Response is one respondent's answers to one version of a survey.
type Response struct {
	ID            string // UUID
	SurveyID      string
	SurveyVersion int
	EventID       string // "" when no event was active
	DeviceID      string
	Language      string
	Started       time.Time
	Updated       time.Time
	Submitted     *time.Time
	Status        Status
	Answers       Answers
	// Result holds the decision record of a scored survey, as JSON, if any.
	Result []byte
	// Conflict is set while this response is one of several versions of
	// one response that came from different laptops with different
	// content, until staff resolve it: the id of the version that was here
	// first (on that version, its own ID). Empty otherwise. Read only: the
	// store fills it in.
	Conflict string
}

// Event is a consultation event: responses given while it is active are tagged with it.
type Event struct {
	ID     string // UUID
	Name   string
	Venue  string
	Date   time.Time // the day (local midnight)
	Notes  string
	Active bool
	Closed bool
}

// Filter selects responses for statistics and export.
type Filter struct {
	SurveyID string
	Version  int       // 0: every version
	EventID  string    // "": every event
	From     time.Time // zero: no lower bound (on Started)
	To       time.Time // zero: no upper bound (exclusive, on Started)
	Statuses []Status  // empty: every status
}
