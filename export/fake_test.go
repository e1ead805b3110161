package export_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"canvass/survey"
)

// fakeSource is an in-memory export.Source. Responses come from the
// responses slice, or, when gen is set, are generated one at a time (so
// that a benchmark's memory is the exporter's, not the fake's).
type fakeSource struct {
	defs      []*survey.Survey // any order
	events    []survey.Event
	responses []*survey.Response
	gen       func(i int, r *survey.Response)
	n         int // responses gen makes
	failAfter int // > 0: EachResponse fails after this many responses
	onEach    func(i int)
	device    string
}

var errSourceBroke = errors.New("the source broke")

func (s *fakeSource) Survey(_ context.Context, id string, version int) (*survey.Survey, error) {
	var best *survey.Survey
	for _, d := range s.defs {
		if d.ID != id {
			continue
		}
		if version == d.Version {
			return d, nil
		}
		if version == 0 && (best == nil || d.Version > best.Version) {
			best = d
		}
	}
	if best == nil {
		return nil, fmt.Errorf("survey %q version %d: not found", id, version)
	}
	return best, nil
}

func (s *fakeSource) SurveyVersions(_ context.Context, id string) ([]int, error) {
	var vs []int
	for _, d := range s.defs {
		if d.ID == id {
			vs = append(vs, d.Version)
		}
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("survey %q: not found", id)
	}
	slices.Sort(vs)
	return vs, nil
}

func (s *fakeSource) Events(context.Context) ([]survey.Event, error) { return s.events, nil }

func (s *fakeSource) DeviceID() string {
	if s.device == "" {
		return "device-test"
	}
	return s.device
}

func (s *fakeSource) EachResponse(ctx context.Context, f survey.Filter, fn func(*survey.Response) error) error {
	i := 0
	visit := func(r *survey.Response) error {
		if !matches(f, r) {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if s.failAfter > 0 && i >= s.failAfter {
			return errSourceBroke
		}
		if s.onEach != nil {
			s.onEach(i)
		}
		i++
		return fn(r)
	}
	if s.gen != nil {
		var r survey.Response
		for k := 0; k < s.n; k++ {
			s.gen(k, &r)
			if err := visit(&r); err != nil {
				return err
			}
		}
		return nil
	}
	for _, r := range s.responses {
		if err := visit(r); err != nil {
			return err
		}
	}
	return nil
}

func matches(f survey.Filter, r *survey.Response) bool {
	switch {
	case f.SurveyID != "" && r.SurveyID != f.SurveyID,
		f.Version != 0 && r.SurveyVersion != f.Version,
		f.EventID != "" && r.EventID != f.EventID,
		!f.From.IsZero() && r.Started.Before(f.From),
		!f.To.IsZero() && !r.Started.Before(f.To),
		len(f.Statuses) > 0 && !slices.Contains(f.Statuses, r.Status):
		return false
	}
	return true
}

func score(f float64) *float64 { return &f }

// mixedSurvey is version 2 of a survey with every kind of question.
func mixedSurvey() *survey.Survey {
	return &survey.Survey{
		ID:        "mixed",
		Version:   2,
		Title:     survey.En("Mixed survey"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeStart, Name: "start"},
			{Type: survey.TypeAcknowledge, Name: "consent", Label: survey.En("I agree"), Required: true},
			{Type: survey.TypeNote, Name: "intro", Label: survey.En("Welcome")},
			{Type: survey.TypeSelectOne, Name: "role", Label: survey.En("I am"), List: "role", Required: true},
			{Type: survey.TypeText, Name: "org", Label: survey.En("Organisation"), Relevant: "${role} = 'org'", Personal: true},
			{Type: survey.TypeSelectMultiple, Name: "heard", Label: survey.En("How did you hear?"), List: "heard"},
			{Type: survey.TypeSelectOne, Name: "fit", Label: survey.En("How well does it fit?"), List: "scale", Appearance: "likert"},
			{Type: survey.TypeGroup, Name: "about", Label: survey.En("About you"), Questions: []*survey.Question{
				{Type: survey.TypeInteger, Name: "age", Label: survey.En("Age"), Constraint: ". >= 0"},
				{Type: survey.TypeDecimal, Name: "spend", Label: survey.En("Spend (£)")},
			}},
			{Type: survey.TypeRank, Name: "priority", Label: survey.En("Rank these"), List: "prio"},
			{Type: survey.TypeRange, Name: "listened", Label: survey.En("Were you listened to?"), Appearance: "rating", Range: &survey.Range{Start: 1, End: 5, Step: 1}},
			{Type: survey.TypeDate, Name: "visit", Label: survey.En("Date of visit")},
			{Type: survey.TypeTime, Name: "arrived", Label: survey.En("Time you arrived")},
			{Type: survey.TypeDateTime, Name: "callback", Label: survey.En("Call back at")},
			{Type: survey.TypeText, Name: "comments", Label: survey.En("Comments"), Appearance: "multiline"},
			{Type: survey.TypeCalculate, Name: "double_age", Calculation: "${age} * 2"},
		},
		Lists: []survey.ChoiceList{
			{Name: "role", Choices: []survey.Choice{
				{Name: "resident", Label: survey.En("A resident")},
				{Name: "org", Label: survey.En("An organisation")},
				{Name: "staff", Label: survey.En("Council staff")},
			}},
			{Name: "heard", Choices: []survey.Choice{
				{Name: "news", Label: survey.En("Newsletter")},
				{Name: "email", Label: survey.En("Email")},
				{Name: "event", Label: survey.En("At an event")},
			}},
			{Name: "scale", Choices: []survey.Choice{
				{Name: "1", Label: survey.En("1 – Very poorly"), Score: score(-2)},
				{Name: "2", Label: survey.En("2 – Poorly"), Score: score(-1)},
				{Name: "3", Label: survey.En("3 – Neither")},
				{Name: "4", Label: survey.En("4 – Well"), Score: score(1)},
				{Name: "5", Label: survey.En("5 – Very well"), Score: score(2)},
			}},
			{Name: "prio", Choices: []survey.Choice{
				{Name: "quality", Label: survey.En("Quality")},
				{Name: "cost", Label: survey.En("Cost")},
				{Name: "local", Label: survey.En("Local knowledge")},
			}},
		},
	}
}

// oldMixedSurvey is version 1: it lacked "callback" and "comments", had
// a "phone" question and a "leaflet" way of hearing that version 2 dropped.
func oldMixedSurvey() *survey.Survey {
	s := mixedSurvey()
	s.Version = 1
	var qs []*survey.Question
	for _, q := range s.Questions {
		if q.Name == "callback" || q.Name == "comments" {
			continue
		}
		qs = append(qs, q)
	}
	qs = append(qs, &survey.Question{Type: survey.TypeText, Name: "phone", Label: survey.En("Phone"), Personal: true})
	s.Questions = qs
	for i := range s.Lists {
		if s.Lists[i].Name == "heard" {
			s.Lists[i].Choices = append([]survey.Choice{{Name: "leaflet", Label: survey.En("Leaflet")}}, s.Lists[i].Choices...)
		}
	}
	return s
}

var (
	day1 = time.Date(2026, 3, 14, 10, 30, 0, 0, time.UTC)
	day2 = time.Date(2026, 3, 21, 14, 0, 0, 0, time.UTC)
)

func submitted(t time.Time) *time.Time { return &t }

// sampleResponses are a few responses to mixedSurvey at two events.
func sampleResponses() []*survey.Response {
	return []*survey.Response{
		{
			ID: "r1", SurveyID: "mixed", SurveyVersion: 2, EventID: "ev1", DeviceID: "dev-a", Language: "en",
			Started: day1, Updated: day1.Add(9 * time.Minute), Submitted: submitted(day1.Add(10 * time.Minute)), Status: survey.StatusComplete,
			Answers: survey.Answers{
				"start": "2026-03-14T10:30:00Z", "consent": "OK", "role": "org", "org": "Friends of the Park",
				"heard": "news event", "fit": "4", "age": "42", "spend": "12.50", "priority": "cost quality local",
				"listened": "5", "visit": "2026-03-01", "arrived": "09:45", "callback": "2026-04-01T09:00:00Z",
				"comments": "=HYPERLINK(\"http://x\",\"y\")", "double_age": "84",
			},
		},
		{
			ID: "r2", SurveyID: "mixed", SurveyVersion: 2, EventID: "ev1", DeviceID: "dev-a", Language: "en",
			Started: day1.Add(time.Hour), Updated: day1.Add(time.Hour + 3*time.Minute), Status: survey.StatusAbandoned,
			Answers: survey.Answers{"consent": "OK", "role": "resident", "heard": "email", "fit": "2", "age": "67"},
		},
		{
			ID: "r3", SurveyID: "mixed", SurveyVersion: 2, EventID: "ev2", DeviceID: "dev-b", Language: "en",
			Started: day2, Updated: day2.Add(5 * time.Minute), Submitted: submitted(day2.Add(6 * time.Minute)), Status: survey.StatusComplete,
			Answers: survey.Answers{
				"consent": "OK", "role": "resident", "heard": "news", "fit": "5", "age": "30", "spend": "7.25",
				"priority": "quality local cost", "listened": "3", "comments": "@SUM(1+1)",
			},
		},
	}
}

func sampleSource() *fakeSource {
	return &fakeSource{
		defs: []*survey.Survey{mixedSurvey()},
		events: []survey.Event{
			{ID: "ev1", Name: "Town hall drop-in", Date: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)},
			{ID: "ev2", Name: "Library stall", Date: time.Date(2026, 3, 21, 0, 0, 0, 0, time.UTC)},
		},
		responses: sampleResponses(),
	}
}
