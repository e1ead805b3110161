package respondent_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/app/respondent"
	"canvass/survey"
	"canvass/survey/store"
)

// formRig drives a form in a headless window.
type formRig struct {
	t         *testing.T
	f         *respondent.Form
	w         fyne.Window
	st        respondent.ResponseStore
	clock     *manualClock
	submitted []respondent.Submission
}

func newRig(t *testing.T, s *survey.Survey, st respondent.ResponseStore, opts ...func(*respondent.FormConfig)) *formRig {
	t.Helper()
	test.NewTempApp(t)
	r := &formRig{t: t, st: st, clock: newManualClock()}
	cfg := respondent.FormConfig{
		Survey:    s,
		Store:     st,
		Clock:     r.clock.Now,
		Scheduler: r.clock,
		OnSubmit:  func(sub respondent.Submission) { r.submitted = append(r.submitted, sub) },
	}
	for _, o := range opts {
		o(&cfg)
	}
	f, err := respondent.NewForm(cfg)
	if err != nil {
		t.Fatalf("NewForm: %v", err)
	}
	r.f = f
	r.w = test.NewTempWindow(t, f.Content())
	r.w.Resize(fyne.NewSize(1366, 768))
	f.AttachKeys(r.w.Canvas())
	return r
}

func (r *formRig) field(name string) *respondent.Field {
	r.t.Helper()
	fd := r.f.Field(name)
	if fd == nil {
		r.t.Fatalf("no field %q", name)
	}
	return fd
}

// shows fails unless the current page shows question name.
func (r *formRig) shows(name string) {
	r.t.Helper()
	if fd := r.f.Field(name); fd == nil || !fd.Visible() || !r.onPage(name) {
		r.t.Fatalf("page %d does not show %q (answers %v, errors %v)", r.f.PageIndex(), name, r.f.Answers(), r.f.Errors())
	}
}

// onPage reports whether question name, or the answer key name
// ("people[2]/age"), is on the current page.
func (r *formRig) onPage(name string) bool {
	for _, fl := range r.f.Page().Fields {
		if fl.Key == name || fl.Question.Name == name {
			return true
		}
	}
	return false
}

func (r *formRig) tap(name, value string) {
	r.t.Helper()
	r.shows(name)
	tile := r.field(name).Tile(value)
	if tile == nil {
		r.t.Fatalf("question %q has no tile %q", name, value)
	}
	test.Tap(tile)
}

func (r *formRig) typeIn(name, text string) {
	r.t.Helper()
	r.shows(name)
	fd := r.field(name)
	if fd.Entry == nil {
		r.t.Fatalf("question %q has no entry", name)
	}
	fd.Entry.SetText("")
	test.Type(fd.Entry, text)
}

func (r *formRig) next() {
	r.t.Helper()
	before := r.f.PageIndex()
	test.Tap(r.f.NextButton())
	if r.f.PageIndex() == before && !r.f.Submitted() {
		r.t.Fatalf("Next did not move from page %d: errors %v, banner %q", before, r.f.Errors(), r.f.Banner())
	}
}

// fillEngagement answers the engagement template as an organisation, page by page.
func fillEngagement(r *formRig) survey.Answers {
	r.t.Helper()
	r.tap("consent", "OK")
	r.next()
	r.tap("role", "vcs_org")
	r.next()
	r.typeIn("org_name", "Acme Community Trust")
	r.next()
	r.tap("heard", "newsletter")
	r.tap("heard", "event")
	r.next()
	r.tap("early_enough", "yes")
	r.next()
	r.tap("asked_before", "not_sure")
	r.next()
	r.tap("outcomes_fit", "4")
	r.next()
	r.tap("info_clear", "2")
	r.next()
	r.tap("format_ok", "partly")
	r.next()
	r.typeIn("format_barrier", "Too early in the day")
	r.next()
	r.tap("barriers", "paperwork")
	r.tap("barriers", "short_deadlines")
	r.next()
	r.tap("lots", "yes")
	r.next()
	r.shows("priority")
	test.Tap(r.field("priority").RankDown[0]) // quality ↓: cost quality local_knowledge social_value
	test.Tap(r.field("priority").RankUp[3])   // social_value ↑: cost quality social_value local_knowledge
	r.next()
	r.typeIn("monitoring", "A users' panel that meets every quarter")
	r.next()
	r.tap("listened", "5")
	r.next()
	r.tap("feedback", "yes")
	r.next()
	r.typeIn("email", "chair@acme.example.org")
	r.next()
	r.typeIn("anything_else", "=SUM(A1) should stay text")
	r.next()
	r.tap("age_band", "45_64")
	r.typeIn("postcode_district", "GU1")
	r.next()
	r.shows("thanks")
	if got := r.f.NextButton().Text; got != "Submit" {
		r.t.Fatalf("last page button reads %q, want Submit", got)
	}
	test.Tap(r.f.NextButton())
	if !r.f.Submitted() {
		r.t.Fatalf("not submitted: errors %v banner %q", r.f.Errors(), r.f.Banner())
	}
	return survey.Answers{
		"consent": "OK", "role": "vcs_org", "org_name": "Acme Community Trust",
		"heard": "newsletter event", "early_enough": "yes", "asked_before": "not_sure",
		"outcomes_fit": "4", "info_clear": "2", "format_ok": "partly", "format_barrier": "Too early in the day",
		"barriers": "paperwork short_deadlines", "lots": "yes",
		"priority":   "cost quality social_value local_knowledge",
		"monitoring": "A users' panel that meets every quarter", "listened": "5", "feedback": "yes",
		"email": "chair@acme.example.org", "anything_else": "=SUM(A1) should stay text",
		"age_band": "45_64", "postcode_district": "GU1",
	}
}

// openStore opens a real store in a temp dir with s saved in it.
func openStore(t *testing.T, s *survey.Survey) (*store.Store, *survey.Survey, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "canvass.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	saved, err := st.SaveSurvey(ctx, s)
	if err != nil {
		t.Fatalf("save survey: %v", err)
	}
	return st, saved, path
}

func TestFormFillsEngagementIntoRealStore(t *testing.T) {
	st, s, _ := openStore(t, engagement(t))
	r := newRig(t, s, st)
	want := fillEngagement(r)
	if len(r.submitted) != 1 {
		t.Fatalf("OnSubmit ran %d times, want 1", len(r.submitted))
	}
	resp, err := st.Response(context.Background(), r.submitted[0].ResponseID)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	if resp.Status != survey.StatusComplete {
		t.Errorf("status %q, want complete", resp.Status)
	}
	if !reflect.DeepEqual(resp.Answers, want) {
		t.Errorf("stored answers differ:\n got %v\nwant %v", resp.Answers, want)
	}
	if resp.SurveyVersion != s.Version || resp.Language != "en" {
		t.Errorf("response version %d language %q, want %d en", resp.SurveyVersion, resp.Language, s.Version)
	}
}

func TestFormSavesEachAnswerAsGiven(t *testing.T) {
	st, s, _ := openStore(t, engagement(t))
	r := newRig(t, s, st)
	ctx := context.Background()
	if r.f.ResponseID() != "" {
		t.Fatal("a response was started before any answer")
	}
	r.tap("consent", "OK")
	id := r.f.ResponseID()
	if id == "" {
		t.Fatal("first answer did not start a response")
	}
	stored := func() survey.Answers {
		resp, err := st.Response(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return resp.Answers
	}
	if got := stored()["consent"]; got != "OK" {
		t.Fatalf("consent stored %q right after the tap, want OK", got)
	}
	r.next()
	r.tap("role", "provider")
	if got := stored()["role"]; got != "provider" {
		t.Fatalf("role stored %q, want provider", got)
	}
	r.next()
	test.Type(r.field("org_name").Entry, "Acme")
	if got := stored()["org_name"]; got != "" {
		t.Fatalf("typed text stored before the pause: %q", got)
	}
	r.clock.Advance(respondent.DefaultSaveDelay)
	if got := stored()["org_name"]; got != "Acme" {
		t.Fatalf("typed text after the pause stored %q, want Acme", got)
	}
	test.Type(r.field("org_name").Entry, " Ltd")
	r.next() // Next saves at once
	if got := stored()["org_name"]; got != "Acme Ltd" {
		t.Fatalf("typed text after Next stored %q, want %q", got, "Acme Ltd")
	}
}

func TestFormSkipLogic(t *testing.T) {
	t.Run("organisation questions only for organisations", func(t *testing.T) {
		for _, tc := range []struct {
			role    string
			orgPage bool
		}{{"vcs_org", true}, {"provider", true}, {"service_user", false}, {"carer", false}, {"other", false}} {
			t.Run(tc.role, func(t *testing.T) {
				r := newRig(t, engagement(t), newFakeStore())
				r.tap("consent", "OK")
				r.next()
				r.tap("role", tc.role)
				_, before := r.f.PageNumber()
				r.next()
				if got := r.onPage("org_name"); got != tc.orgPage {
					t.Fatalf("org_name page shown = %v, want %v", got, tc.orgPage)
				}
				_, total := r.f.PageNumber()
				if total != before {
					t.Errorf("page total changed on Next: %d then %d", before, total)
				}
				// 20 pages, minus format_barrier and email (not yet relevant),
				// and minus org_name, barriers and lots for a person.
				want := 15
				if tc.orgPage {
					want = 18
				}
				if total != want {
					t.Errorf("total pages %d, want %d", total, want)
				}
			})
		}
	})
	t.Run("stale answers are cleared in the store", func(t *testing.T) {
		st, s, _ := openStore(t, engagement(t))
		r := newRig(t, s, st)
		r.tap("consent", "OK")
		r.next()
		r.tap("role", "vcs_org")
		r.next()
		r.typeIn("org_name", "Acme")
		r.next()
		test.Tap(r.f.BackButton())
		test.Tap(r.f.BackButton())
		r.shows("role")
		r.tap("role", "carer")
		if got := r.f.Answers()["org_name"]; got != "" {
			t.Fatalf("org_name kept in memory as %q after role changed", got)
		}
		resp, err := st.Response(context.Background(), r.f.ResponseID())
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := resp.Answers["org_name"]; ok {
			t.Fatalf("org_name still stored as %q after it stopped applying", v)
		}
		if r.field("org_name").Entry.Text != "" {
			t.Errorf("org_name entry still shows %q", r.field("org_name").Entry.Text)
		}
		r.next()
		r.shows("heard")
	})
}

func TestFormChecksBlockNext(t *testing.T) {
	t.Run("required with the survey's message", func(t *testing.T) {
		r := newRig(t, engagement(t), newFakeStore())
		test.Tap(r.f.NextButton())
		if r.f.PageIndex() != 0 {
			t.Fatal("Next moved past an unanswered required question")
		}
		if got := r.f.Errors()["consent"]; got != "Please tick to agree before you start." {
			t.Fatalf("error %q", got)
		}
		r.tap("consent", "OK")
		if got := r.field("consent").ErrorText(); got != "" {
			t.Errorf("error %q still shown once answered", got)
		}
		r.next()
	})
	t.Run("constraint with the survey's message", func(t *testing.T) {
		r := newRig(t, engagement(t), newFakeStore())
		r.tap("consent", "OK")
		r.next()
		r.tap("role", "provider")
		r.next()
		r.next() // org_name is optional
		for r.f.PageIndex() < len(r.f.Pages()) && !r.onPage("barriers") {
			r.next()
		}
		r.tap("barriers", "paperwork")
		r.tap("barriers", "none")
		want := `"None" cannot be chosen together with other answers.`
		if got := r.field("barriers").ErrorText(); got != want {
			t.Fatalf("error after choosing None too: %q, want %q", got, want)
		}
		page := r.f.PageIndex()
		test.Tap(r.f.NextButton())
		if r.f.PageIndex() != page {
			t.Fatal("Next moved past a failed constraint")
		}
		r.tap("barriers", "paperwork")
		if got := r.field("barriers").ErrorText(); got != "" {
			t.Fatalf("error %q stays after fixing", got)
		}
		r.next()
	})
	t.Run("typed constraint and default message", func(t *testing.T) {
		s := &survey.Survey{ID: "t", Version: 1, Title: survey.En("T"), Questions: []*survey.Question{
			{Type: survey.TypeInteger, Name: "age", Label: survey.En("Age"), Constraint: ". >= 16"},
			{Type: survey.TypeNote, Name: "end", Label: survey.En("End")},
		}}
		r := newRig(t, s, newFakeStore())
		r.typeIn("age", "12a")
		test.Tap(r.f.NextButton())
		if got := r.f.Errors()["age"]; got != "Please enter a whole number, for example 12." {
			t.Fatalf("error %q for 12a", got)
		}
		r.typeIn("age", "12")
		test.Tap(r.f.NextButton())
		if got := r.f.Errors()["age"]; got != "This answer is not accepted. Please check it." {
			t.Fatalf("error %q for 12 under a >= 16 constraint", got)
		}
		r.typeIn("age", "16")
		r.next()
		if got := r.f.Answers()["age"]; got != "16" {
			t.Fatalf("age %q", got)
		}
	})
}

func TestFormBackKeepsAnswers(t *testing.T) {
	r := newRig(t, engagement(t), newFakeStore())
	r.tap("consent", "OK")
	r.next()
	r.tap("role", "vcs_org")
	r.next()
	r.typeIn("org_name", "Acme")
	r.next()
	r.tap("heard", "email")
	test.Tap(r.f.BackButton())
	r.shows("org_name")
	if got := r.field("org_name").Entry.Text; got != "Acme" {
		t.Fatalf("org_name shows %q after Back", got)
	}
	test.Tap(r.f.BackButton())
	if !r.field("role").Tile("vcs_org").Selected() {
		t.Fatal("role tile not selected after Back")
	}
	r.next()
	r.next()
	if !r.field("heard").Tile("email").Selected() {
		t.Fatal("heard tile lost going back and forth")
	}
	want := survey.Answers{"consent": "OK", "role": "vcs_org", "org_name": "Acme", "heard": "email"}
	if got := r.f.Answers(); !reflect.DeepEqual(got, want) {
		t.Fatalf("answers %v, want %v", got, want)
	}
}

// typesSurvey has one question of every shown type.
func typesSurvey() *survey.Survey {
	return &survey.Survey{
		ID: "types", Version: 1, Title: survey.En("Types"),
		Questions: []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "one", Label: survey.En("One"), List: "abc"},
			{Type: survey.TypeSelectOne, Name: "drop", Label: survey.En("Drop"), List: "abc", Appearance: "minimal"},
			{Type: survey.TypeSelectOne, Name: "likert", Label: survey.En("Likert"), List: "abc", Appearance: "likert"},
			{Type: survey.TypeSelectMultiple, Name: "many", Label: survey.En("Many"), List: "abc", OrOther: true},
			{Type: survey.TypeRank, Name: "rank", Label: survey.En("Rank"), List: "abc"},
			{Type: survey.TypeRange, Name: "rating", Label: survey.En("Rating"), Appearance: "rating", Range: &survey.Range{Start: 1, End: 5, Step: 1}},
			{Type: survey.TypeRange, Name: "slide", Label: survey.En("Slide"), Range: &survey.Range{Start: 0, End: 100, Step: 5}},
			{Type: survey.TypeDate, Name: "when", Label: survey.En("When")},
			{Type: survey.TypeInteger, Name: "count", Label: survey.En("Count")},
			{Type: survey.TypeDecimal, Name: "amount", Label: survey.En("Amount")},
			{Type: survey.TypeText, Name: "short", Label: survey.En("Short")},
			{Type: survey.TypeText, Name: "long", Label: survey.En("Long"), Appearance: "multiline"},
			{Type: survey.TypeTime, Name: "at", Label: survey.En("At")},
			{Type: survey.TypeNote, Name: "note", Label: survey.En("Note")},
			{Type: survey.TypeAcknowledge, Name: "ack", Label: survey.En("Ack")},
			{Type: survey.TypeCalculate, Name: "calc", Calculation: "${count} * 2"},
			{Type: survey.TypeStart, Name: "started"},
			{Type: survey.TypeToday, Name: "day"},
			{Type: survey.TypeDeviceID, Name: "device"},
			{Type: survey.TypeEnd, Name: "ended"},
		},
		Lists: []survey.ChoiceList{{Name: "abc", Choices: []survey.Choice{
			{Name: "a", Label: survey.En("Apple")}, {Name: "b", Label: survey.En("Banana")}, {Name: "c", Label: survey.En("Cherry")},
		}}},
	}
}

func TestFormWidgetPerType(t *testing.T) {
	r := newRig(t, typesSurvey(), nil, func(c *respondent.FormConfig) { c.Preview = true })
	for _, tc := range []struct {
		name, widget string
		tiles        int
	}{
		{"one", "tiles", 3}, {"drop", "select", 0}, {"likert", "tiles", 3}, {"many", "tiles", 4},
		{"rank", "rank", 3}, {"rating", "tiles", 5}, {"slide", "slider", 0}, {"when", "date", 0},
		{"count", "entry", 0}, {"amount", "entry", 0}, {"short", "entry", 0}, {"long", "entry", 0},
		{"at", "entry", 0}, {"note", "none", 0}, {"ack", "tiles", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fd := r.f.Field(tc.name)
			if fd == nil {
				t.Fatal("no field")
			}
			got := "none"
			switch {
			case fd.RankUp != nil:
				got = "rank"
			case fd.Select != nil:
				got = "select"
			case fd.Slider != nil:
				got = "slider"
			case fd.Date != nil:
				got = "date"
			case fd.Entry != nil:
				got = "entry"
			case len(fd.Tiles) > 0:
				got = "tiles"
			}
			if got != tc.widget || len(fd.Tiles) != tc.tiles {
				t.Fatalf("widget %s with %d tiles, want %s with %d", got, len(fd.Tiles), tc.widget, tc.tiles)
			}
		})
	}
	for _, name := range []string{"calc", "started", "day", "device", "ended"} {
		if r.f.Field(name) != nil {
			t.Errorf("%s has a widget; it should be filled automatically", name)
		}
	}
	if !r.f.Field("long").Entry.MultiLine || r.f.Field("short").Entry.MultiLine {
		t.Error("multiline appearance not respected")
	}
	if got := len(r.f.Pages()); got != 15 {
		t.Errorf("%d pages, want 15", got)
	}
}

func TestFormAnswersEveryType(t *testing.T) {
	st := newFakeStore()
	r := newRig(t, typesSurvey(), st, func(c *respondent.FormConfig) { c.DeviceID = "laptop-3" })
	r.tap("one", "b")
	r.next()
	r.field("drop").Select.SetSelectedIndex(2)
	r.next()
	r.tap("likert", "a")
	r.next()
	r.tap("many", "a")
	r.tap("many", "other")
	test.Tap(r.f.NextButton())
	if got := r.f.Errors()["many"]; got != "Please say what “Other” is." {
		t.Fatalf("Other without text: error %q", got)
	}
	test.Type(r.field("many").Other, "Damson")
	r.next()
	test.Tap(r.field("rank").RankKeep)
	r.next()
	r.tap("rating", "3")
	r.next()
	r.field("slide").Slider.SetValue(35)
	r.next()
	d := time.Date(2025, 3, 9, 0, 0, 0, 0, time.Local)
	r.field("when").Date.SetDate(&d)
	r.next()
	r.typeIn("count", "21")
	r.next()
	r.typeIn("amount", "3.50")
	r.next()
	r.typeIn("short", "hello")
	r.next()
	r.typeIn("long", "line one\nline two")
	r.next()
	r.typeIn("at", "9:05pm")
	r.next()
	r.next() // note
	r.tap("ack", "OK")
	r.clock.Advance(time.Minute)
	test.Tap(r.f.NextButton())
	if !r.f.Submitted() {
		t.Fatalf("not submitted: %v", r.f.Errors())
	}
	want := survey.Answers{
		"one": "b", "drop": "c", "likert": "a", "many": "a other", "many_other": "Damson", "rank": "a b c",
		"rating": "3", "slide": "35", "when": "2025-03-09", "count": "21", "amount": "3.5", "short": "hello",
		"long": "line one\nline two", "at": "21:05", "ack": "OK", "calc": "42",
		"started": "2025-06-14T10:30:00" + tzSuffix(r.clock.now), "day": "2025-06-14", "device": "laptop-3",
		"ended": r.clock.now.Format(time.RFC3339),
	}
	if got := st.only(t).Answers; !reflect.DeepEqual(got, want) {
		t.Fatalf("stored answers differ:\n got %v\nwant %v", got, want)
	}
}

// tzSuffix is the RFC 3339 zone of t ("Z" or "+01:00").
func tzSuffix(t time.Time) string {
	s := t.Format(time.RFC3339)
	return s[len("2006-01-02T15:04:05"):]
}

func TestFormLazyStartAndDefaults(t *testing.T) {
	s := &survey.Survey{ID: "d", Version: 1, Title: survey.En("D"), Questions: []*survey.Question{
		{Type: survey.TypeNote, Name: "hello", Label: survey.En("Hello")},
		{Type: survey.TypeText, Name: "town", Label: survey.En("Town"), Default: "Guildford"},
		{Type: survey.TypeStart, Name: "started"},
	}}
	st := newFakeStore()
	r := newRig(t, s, st)
	r.next() // past the note: no answer given yet
	if st.count() != 0 {
		t.Fatalf("a response was started without any answer: %v", st.calls)
	}
	if got := r.field("town").Entry.Text; got != "Guildford" {
		t.Fatalf("default not shown: %q", got)
	}
	r.typeIn("town", "Woking")
	r.clock.Advance(time.Second)
	got := st.only(t).Answers
	if got["town"] != "Woking" || got["started"] == "" {
		t.Fatalf("stored %v", got)
	}
}

func TestFormCalculationsFollowAnswers(t *testing.T) {
	s := &survey.Survey{ID: "c", Version: 1, Title: survey.En("C"), Questions: []*survey.Question{
		{Type: survey.TypeInteger, Name: "adults", Label: survey.En("Adults")},
		{Type: survey.TypeInteger, Name: "children", Label: survey.En("Children")},
		{Type: survey.TypeCalculate, Name: "people", Calculation: "${adults} + ${children}"},
		{Type: survey.TypeCalculate, Name: "big", Calculation: "if(${people} > 4, 'yes', 'no')"},
		{Type: survey.TypeNote, Name: "n", Label: survey.En("You are ${people} people")},
	}}
	st := newFakeStore()
	r := newRig(t, s, st)
	r.typeIn("adults", "2")
	r.next()
	r.typeIn("children", "3")
	r.next()
	a := r.f.Answers()
	if a["people"] != "5" || a["big"] != "yes" {
		t.Fatalf("calculated %v", a)
	}
	stored := st.only(t).Answers
	if stored["people"] != "5" || stored["big"] != "yes" {
		t.Fatalf("calculations not saved: %v", stored)
	}
	test.Tap(r.f.BackButton())
	r.typeIn("children", "1")
	r.clock.Advance(time.Second)
	if got := st.only(t).Answers; got["people"] != "3" || got["big"] != "no" {
		t.Fatalf("recalculated and saved %v", got)
	}
}

func TestFormSaveFailure(t *testing.T) {
	st := newFakeStore()
	st.fail = errDiskFull
	r := newRig(t, engagement(t), st)
	r.tap("consent", "OK")
	banner := r.f.Banner()
	if !strings.Contains(banner, "Your answers are safe on this screen") || !strings.Contains(banner, "disk full") {
		t.Fatalf("banner %q", banner)
	}
	r.next()
	r.tap("role", "carer")
	if got := r.f.Answers(); got["consent"] != "OK" || got["role"] != "carer" {
		t.Fatalf("answers lost while failing: %v", got)
	}
	starts := st.callsLike("start")
	r.clock.Advance(respondent.DefaultRetryDelay)
	if st.callsLike("start") <= starts {
		t.Fatal("no retry on the timer")
	}

	st.mu.Lock()
	st.fail = nil
	st.mu.Unlock()
	r.clock.Advance(respondent.DefaultRetryDelay)
	if r.f.Banner() != "" {
		t.Fatalf("banner still shown after recovery: %q", r.f.Banner())
	}
	if got := st.only(t).Answers; got["consent"] != "OK" || got["role"] != "carer" {
		t.Fatalf("after recovery the store has %v", got)
	}

	t.Run("submit waits for the store", func(t *testing.T) {
		st.mu.Lock()
		st.fail = errDiskFull
		st.mu.Unlock()
		for !r.onPage("thanks") {
			r.next()
		}
		test.Tap(r.f.NextButton())
		if r.f.Submitted() || len(r.submitted) != 0 {
			t.Fatal("submitted although the store failed")
		}
		if r.f.Banner() == "" || r.f.Answers()["role"] != "carer" {
			t.Fatalf("banner %q answers %v", r.f.Banner(), r.f.Answers())
		}
		st.mu.Lock()
		st.fail = nil
		st.mu.Unlock()
		test.Tap(r.f.NextButton())
		if !r.f.Submitted() || st.only(t).Status != survey.StatusComplete {
			t.Fatal("not submitted once the store worked again")
		}
	})
}

func TestFormRetriesOnNextChange(t *testing.T) {
	st := newFakeStore()
	st.fail = errDiskFull
	r := newRig(t, engagement(t), st)
	r.tap("consent", "OK")
	st.fail = nil
	r.next() // Next saves: this is the next change
	if r.f.Banner() != "" || st.only(t).Answers["consent"] != "OK" {
		t.Fatalf("banner %q store %v", r.f.Banner(), st.calls)
	}
}

func TestFormKeyboard(t *testing.T) {
	r := newRig(t, engagement(t), newFakeStore())
	c := r.w.Canvas()
	t.Run("space or 1 ticks consent with nothing focused", func(t *testing.T) {
		c.Unfocus()
		test.TypeOnCanvas(c, " ")
		if r.f.Answers()["consent"] != "OK" {
			t.Fatal("space on the canvas did not tick the consent")
		}
		test.TypeOnCanvas(c, "1")
		if r.f.Answers()["consent"] != "" {
			t.Fatal("1 did not untick the consent")
		}
	})
	t.Run("space toggles a focused tile", func(t *testing.T) {
		tile := r.field("consent").Tiles[0]
		c.Focus(tile)
		test.Type(tile, " ")
		if r.f.Answers()["consent"] != "OK" {
			t.Fatal("space did not tick")
		}
	})
	t.Run("enter moves on", func(t *testing.T) {
		c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		r.shows("role")
	})
	t.Run("digits pick the n-th choice", func(t *testing.T) {
		c.Unfocus()
		test.TypeOnCanvas(c, "3")
		if got := r.f.Answers()["role"]; got != "vcs_org" {
			t.Fatalf("3 picked %q", got)
		}
		c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
		r.shows("org_name")
	})
	t.Run("enter in an entry moves on", func(t *testing.T) {
		e := r.field("org_name").Entry
		c.Focus(e)
		test.Type(e, "Acme")
		e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		r.shows("heard")
	})
	t.Run("digits toggle on a multiple choice", func(t *testing.T) {
		c.Unfocus()
		test.TypeOnCanvas(c, "15")
		if got := r.f.Answers()["heard"]; got != "newsletter word_of_mouth" {
			t.Fatalf("heard %q", got)
		}
		test.TypeOnCanvas(c, "1")
		if got := r.f.Answers()["heard"]; got != "word_of_mouth" {
			t.Fatalf("heard after 1 again %q", got)
		}
	})
	t.Run("escape reaches OnEscape from an entry", func(t *testing.T) {
		escaped := 0
		r2 := newRig(t, typesSurvey(), nil, func(c *respondent.FormConfig) {
			c.Preview = true
			c.OnEscape = func() { escaped++ }
		})
		for !r2.onPage("short") {
			r2.f.Next()
		}
		r2.field("short").Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		r2.w.Canvas().Unfocus()
		r2.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if escaped != 2 {
			t.Fatalf("OnEscape ran %d times, want 2", escaped)
		}
	})
}

func TestFormRankKeyboard(t *testing.T) {
	r := newRig(t, typesSurvey(), nil, func(c *respondent.FormConfig) { c.Preview = true })
	for !r.onPage("rank") {
		r.f.Next()
	}
	fd := r.field("rank")
	c := r.w.Canvas()
	c.Focus(fd.Tiles[0])
	fd.Tiles[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if got := fd.Value(); got != "b a c" {
		t.Fatalf("after Down: %q", got)
	}
	if c.Focused() != fd.Tiles[1] {
		t.Fatal("focus did not follow the moved choice")
	}
	fd.Tiles[1].TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if got := fd.Value(); got != "b c a" {
		t.Fatalf("after Down again: %q", got)
	}
	if got := fd.Tiles[2].Text(); !strings.Contains(got, "3.") || !strings.Contains(got, "Apple") {
		t.Fatalf("third row reads %q", got)
	}
}

func TestFormLanguages(t *testing.T) {
	s := &survey.Survey{
		ID: "l", Version: 1, Title: survey.Text{"en": "Your views", "cy": "Eich barn"},
		Languages: []survey.Language{{Code: "en", Name: "English"}, {Code: "cy", Name: "Cymraeg"}},
		Questions: []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "yn", Label: survey.Text{"en": "Happy?", "cy": "Hapus?"}, List: "yn",
				Hint: survey.Text{"en": "Choose one", "cy": "Dewiswch un"}},
			{Type: survey.TypeText, Name: "why", Label: survey.Text{"en": "Why?", "cy": "Pam?"}},
		},
		Lists: []survey.ChoiceList{{Name: "yn", Choices: []survey.Choice{
			{Name: "y", Label: survey.Text{"en": "Yes", "cy": "Ie"}}, {Name: "n", Label: survey.Text{"en": "No", "cy": "Na"}},
		}}},
	}
	st := newFakeStore()
	r := newRig(t, s, st)
	if r.f.LanguageButton("cy") == nil {
		t.Fatal("no Cymraeg button")
	}
	r.tap("yn", "y")
	test.Tap(r.f.LanguageButton("cy"))
	if r.f.Language() != "cy" || r.field("yn").Tile("y").Text() != "Ie" {
		t.Fatalf("language %q tile %q", r.f.Language(), r.field("yn").Tile("y").Text())
	}
	if got := st.only(t).Language; got != "cy" {
		t.Fatalf("stored language %q", got)
	}
	r.next()
	if strings.Contains(test.RenderObjectToMarkup(r.f.Content()), "Why?") {
		t.Error("English label shown after switching to Welsh")
	}
	t.Run("no button for one language", func(t *testing.T) {
		r := newRig(t, engagement(t), newFakeStore())
		if r.f.LanguageButton("en") != nil && strings.Contains(test.RenderObjectToMarkup(r.f.Content()), "English") {
			t.Error("language row shown for a one-language survey")
		}
	})
}

func TestFormAccessibilityToggles(t *testing.T) {
	r := newRig(t, engagement(t), newFakeStore())
	base := r.f.Theme().Size(theme.SizeNameText)
	r.tap("consent", "OK")
	r.next()
	r.tap("role", "carer")
	r.next()
	tapCheck(r.f.LargeTextToggle())
	if got := r.f.Theme().Size(theme.SizeNameText); got <= base*1.2 {
		t.Fatalf("larger text %v, base %v", got, base)
	}
	tapCheck(r.f.HighContrastToggle())
	th := r.f.Theme()
	if !th.HighContrast || !th.LargeText {
		t.Fatalf("theme %+v", th)
	}
	if c := th.Color(theme.ColorNameBackground, theme.VariantLight); !sameColor(c, 0, 0, 0) {
		t.Errorf("high-contrast background %v", c)
	}
	if r.f.Answers()["role"] != "carer" {
		t.Error("answers lost on theme change")
	}
}

// tapCheck taps a check on its box (a check ignores taps beside it).
func tapCheck(c *widget.Check) {
	test.TapAt(c, fyne.NewPos(c.MinSize().Height/2, c.Size().Height/2))
}

func TestResumeForm(t *testing.T) {
	st, s, _ := openStore(t, engagement(t))
	ctx := context.Background()
	r := newRig(t, s, st)
	r.tap("consent", "OK")
	r.next()
	r.tap("role", "carer")
	id := r.f.ResponseID()
	r.f.Stop()

	resp, err := st.Response(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	f, err := respondent.ResumeForm(respondent.FormConfig{Survey: s, Store: st}, resp)
	if err != nil {
		t.Fatal(err)
	}
	test.NewTempWindow(t, f.Content())
	if q := f.Pages()[f.PageIndex()].Questions[0].Name; q != "heard" {
		t.Fatalf("resumed on %q, want heard", q)
	}
	test.Tap(f.Field("heard").Tile("email"))
	if f.ResponseID() != id {
		t.Fatalf("resume started a new response %q", f.ResponseID())
	}
	resp, _ = st.Response(ctx, id)
	want := survey.Answers{"consent": "OK", "role": "carer", "heard": "email"}
	if !reflect.DeepEqual(resp.Answers, want) {
		t.Fatalf("stored %v, want %v", resp.Answers, want)
	}
	t.Run("refuses another survey's response", func(t *testing.T) {
		other := typesSurvey()
		if _, err := respondent.ResumeForm(respondent.FormConfig{Survey: other, Preview: true}, resp); err == nil {
			t.Fatal("no error")
		}
	})
}

func TestFormPreviewStoresNothing(t *testing.T) {
	r := newRig(t, engagement(t), nil, func(c *respondent.FormConfig) { c.Preview = true })
	r.tap("consent", "OK")
	r.next()
	r.tap("role", "carer")
	for !r.onPage("thanks") {
		r.next()
	}
	test.Tap(r.f.NextButton())
	if len(r.submitted) != 1 || r.submitted[0].ResponseID != "" || r.submitted[0].Answers["role"] != "carer" {
		t.Fatalf("submissions %+v", r.submitted)
	}
}

func TestFormOnResultHook(t *testing.T) {
	st := newFakeStore()
	var got survey.Answers
	view := widget.NewLabel("Recommendation: grant")
	r := newRig(t, engagement(t), st, func(c *respondent.FormConfig) {
		c.OnResult = func(a survey.Answers) ([]byte, fyne.CanvasObject, error) {
			got = a
			return []byte(`{"outcome":"grant"}`), view, nil
		}
	})
	r.tap("consent", "OK")
	r.next()
	r.tap("role", "carer")
	for !r.onPage("thanks") {
		r.next()
	}
	test.Tap(r.f.NextButton())
	if got["role"] != "carer" {
		t.Fatalf("OnResult saw %v", got)
	}
	if string(st.only(t).Result) != `{"outcome":"grant"}` {
		t.Fatalf("result stored %q", st.only(t).Result)
	}
	if len(r.submitted) != 0 {
		t.Fatal("OnSubmit ran before Finish")
	}
	if r.f.NextButton().Text != "Finish" || !strings.Contains(test.RenderObjectToMarkup(r.f.Content()), "Recommendation: grant") {
		t.Fatal("result view not shown")
	}
	test.Tap(r.f.NextButton())
	if len(r.submitted) != 1 {
		t.Fatal("Finish did not call OnSubmit")
	}
}

func TestNewFormErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  respondent.FormConfig
		want string
	}{
		{"no survey", respondent.FormConfig{Preview: true}, "no survey"},
		{"no store", respondent.FormConfig{Survey: typesSurvey()}, "no store"},
		{"bad relevant", respondent.FormConfig{Preview: true, Survey: &survey.Survey{ID: "b", Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "x", Label: survey.En("X"), Relevant: "${a} = = 2"},
		}}}, `question "x": relevant`},
		{"nothing to show", respondent.FormConfig{Preview: true, Survey: &survey.Survey{ID: "e", Questions: []*survey.Question{
			{Type: survey.TypeCalculate, Name: "x", Calculation: "1"},
		}}}, "no questions to show"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			test.NewTempApp(t)
			_, err := respondent.NewForm(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if tc.name == "nothing to show" && !errors.Is(err, respondent.ErrNoPages) {
				t.Fatalf("error %v is not ErrNoPages", err)
			}
		})
	}
}

// TestFormBlankDateShowsNoError: an optional date left blank is no answer,
// not an invalid date, so the entry shows no error mark; a typed non-date still does.
func TestFormBlankDateShowsNoError(t *testing.T) {
	r := newRig(t, typesSurvey(), nil, func(c *respondent.FormConfig) { c.Preview = true })
	for !r.onPage("when") {
		r.next()
	}
	d := r.field("when").Date
	if err := d.Validate(); err != nil {
		t.Fatalf("a blank date is marked invalid: %v", err)
	}
	test.Type(d, "not a date")
	if d.Validate() == nil {
		t.Fatal("a typed non-date passes the check")
	}
}

// TestFormMarksRequiredQuestions: a respondent sees which questions must be
// answered before pressing Next.
func TestFormMarksRequiredQuestions(t *testing.T) {
	r := newRig(t, engagement(t), newFakeStore())
	if !strings.Contains(test.RenderObjectToMarkup(r.f.Content()), "(required)") {
		t.Fatal("the required consent question is not marked")
	}
	r.tap("consent", "OK")
	r.next()
	r.tap("role", "carer")
	r.next()
	r.shows("heard")
	if strings.Contains(test.RenderObjectToMarkup(r.f.Content()), "(required)") {
		t.Fatal("an optional question is marked required")
	}
}

// TestFormOptionalChoiceCanBeTakenBack: tapping the chosen answer of an
// optional single-choice question again clears it (and the store forgets
// it); on a required question the answer stays.
func TestFormOptionalChoiceCanBeTakenBack(t *testing.T) {
	st := newFakeStore()
	r := newRig(t, engagement(t), st)
	r.tap("consent", "OK")
	r.next()
	r.tap("role", "carer")
	r.tap("role", "carer")
	if got := r.f.Answers()["role"]; got != "carer" {
		t.Fatalf("a second tap cleared the required role: %q", got)
	}
	r.next()
	r.shows("heard")
	r.next()
	r.shows("early_enough")
	r.tap("early_enough", "yes")
	r.tap("early_enough", "yes")
	if got, ok := r.f.Answers()["early_enough"]; ok && got != "" {
		t.Fatalf("the optional answer was not taken back: %q", got)
	}
	r.f.Flush()
	if v := st.only(t).Answers["early_enough"]; v != "" {
		t.Fatalf("the store still holds %q", v)
	}
}
