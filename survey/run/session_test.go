package run_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/run"
	"canvass/survey/store"
)

var clock = time.Date(2026, 3, 14, 10, 30, 0, 0, time.UTC)

func fixedClock() time.Time { return clock }

// sample is a small survey with every rule the engine runs.
func sample() *survey.Survey {
	return &survey.Survey{
		ID: "sample", Version: 1, Title: survey.En("Sample"),
		Languages: []survey.Language{{Code: "en", Name: "English"}, {Code: "cy", Name: "Cymraeg"}},
		Questions: []*survey.Question{
			{Type: survey.TypeStart, Name: "started"},
			{Type: survey.TypeEnd, Name: "ended"},
			{Type: survey.TypeToday, Name: "day"},
			{Type: survey.TypeDeviceID, Name: "device"},
			{Type: survey.TypeUsername, Name: "user"},
			{Type: survey.TypeText, Name: "name", Label: survey.En("Your name"), Required: true},
			{Type: survey.TypeInteger, Name: "age", Label: survey.Text{"en": "Age of ${name}", "cy": "Oed ${name}"},
				Constraint: ". >= 16", ConstraintMessage: survey.Text{"en": "You must be 16 or over.", "cy": "Rhaid i chi fod yn 16 oed neu'n hŷn."}},
			{Type: survey.TypeCalculate, Name: "adult", Calculation: "if(${age} = '', '', if(${age} >= 18, 'yes', 'no'))"},
			{Type: survey.TypeText, Name: "school", Relevant: "${adult} = 'no'"},
			{Type: survey.TypeSelectOne, Name: "county", List: "counties", Default: "north"},
			{Type: survey.TypeSelectOne, Name: "town", List: "towns", ChoiceFilter: "county = ${county}", OrOther: true},
			{Type: survey.TypeGroup, Name: "extra", Appearance: survey.AppearanceFieldList, Questions: []*survey.Question{
				{Type: survey.TypeNote, Name: "intro", Label: survey.En("About you")},
				{Type: survey.TypeDecimal, Name: "income"},
				{Type: survey.TypeSelectMultiple, Name: "likes", List: "likes"},
			}},
		},
		Lists: []survey.ChoiceList{
			{Name: "counties", Choices: []survey.Choice{{Name: "north", Label: survey.En("North")}, {Name: "south", Label: survey.En("South")}}},
			{Name: "towns", Choices: []survey.Choice{
				{Name: "a", Label: survey.En("Aber"), Filter: map[string]string{"county": "north"}},
				{Name: "b", Label: survey.En("Bryn"), Filter: map[string]string{"county": "north"}},
				{Name: "c", Label: survey.En("Cwm"), Filter: map[string]string{"county": "south"}},
			}},
			{Name: "likes", Choices: []survey.Choice{{Name: "tea", Label: survey.En("Tea")}, {Name: "cake", Label: survey.En("Cake")}}},
		},
	}
}

func newSession(t *testing.T, s *survey.Survey, cfg run.Config) *run.Session {
	t.Helper()
	cfg.Survey = s
	if cfg.Clock == nil {
		cfg.Clock = fixedClock
	}
	se, err := run.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return se
}

func TestAnswerOutcomes(t *testing.T) {
	tests := []struct {
		name, key, value string
		text             bool // through AnswerText
		lang             string
		want             run.Outcome
		msg              string
		stored           string
	}{
		{name: "ok", key: "age", value: "30", want: run.OK, stored: "30"},
		{name: "constraint", key: "age", value: "12", want: run.ConstraintViolated, msg: "You must be 16 or over.", stored: "12"},
		{name: "constraint in Welsh", key: "age", value: "12", lang: "cy", want: run.ConstraintViolated, msg: "Rhaid i chi fod yn 16 oed neu'n hŷn.", stored: "12"},
		{name: "required empty", key: "name", value: "  ", want: run.RequiredEmpty, msg: "Please answer this question."},
		{name: "not a number", key: "age", value: "twelve", want: run.Unreadable, msg: "Please enter a whole number, for example 12."},
		{name: "typed thousands", key: "income", value: "12,500.50", text: true, want: run.OK, stored: "12500.5"},
		{name: "typed arabic digits", key: "age", value: "٣٠", text: true, want: run.OK, stored: "30"},
		{name: "typed exponent", key: "income", value: "1e3", text: true, want: run.Unreadable, msg: "Please enter a number, for example 12 or 3.5."},
		{name: "not a choice", key: "county", value: "east", want: run.Unreadable, msg: "Please choose one of the answers shown."},
		{name: "two choices for one", key: "county", value: "north south", want: run.Unreadable, msg: "Please choose one answer only."},
		{name: "multi twice", key: "likes", value: "tea tea", want: run.Unreadable, msg: "Please choose one of the answers shown."},
		{name: "multi", key: "likes", value: "cake tea", want: run.OK, stored: "cake tea"},
		{name: "calculation takes no answer", key: "adult", value: "yes", want: run.Unreadable},
		{name: "unknown question", key: "nope", value: "x", want: run.Unreadable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			se := newSession(t, sample(), run.Config{Language: tc.lang})
			var c run.Check
			if tc.text {
				c, _ = se.AnswerText(tc.key, tc.value)
			} else {
				c, _ = se.Answer(tc.key, tc.value)
			}
			if c.Outcome != tc.want || (tc.msg != "" && c.Message != tc.msg) {
				t.Fatalf("Answer(%q, %q) = %v %q, want %v %q", tc.key, tc.value, c.Outcome, c.Message, tc.want, tc.msg)
			}
			if c.OK() != (c.Message == "") {
				t.Errorf("check %+v: OK and message disagree", c)
			}
			if got := se.Value(tc.key); got != tc.stored {
				t.Errorf("value of %q = %q, want %q", tc.key, got, tc.stored)
			}
			if again := se.Check(tc.key); again != c && tc.key != "adult" && tc.key != "nope" {
				t.Errorf("Check(%q) = %+v, want %+v as Answer said", tc.key, again, c)
			}
		})
	}
}

func TestUnreadableUntilNextAnswer(t *testing.T) {
	se := newSession(t, sample(), run.Config{})
	se.AnswerText("age", "40")
	if c, _ := se.AnswerText("age", "forty"); c.Outcome != run.Unreadable || se.Value("age") != "" {
		t.Fatalf("AnswerText(forty) = %+v, value %q", c, se.Value("age"))
	}
	if c := se.Check("age"); c.Outcome != run.Unreadable {
		t.Fatalf("Check after unreadable = %+v", c)
	}
	if c, _ := se.AnswerText("age", "41"); !c.OK() {
		t.Fatalf("AnswerText(41) = %+v", c)
	}
	se.MarkUnreadable("age")
	if c := se.Check("age"); c.Outcome != run.Unreadable || se.Value("age") != "" {
		t.Fatalf("MarkUnreadable: %+v, value %q", c, se.Value("age"))
	}
}

func TestRelevanceCalculationsAndStaleAnswers(t *testing.T) {
	se := newSession(t, sample(), run.Config{})
	if se.Relevant("school") {
		t.Fatal("school is relevant before age is known") // adult is "no" only once age is given
	}
	_, changed := se.Answer("age", "17")
	if se.Value("adult") != "no" || !se.Relevant("school") {
		t.Fatalf("age 17: adult %q, school relevant %v", se.Value("adult"), se.Relevant("school"))
	}
	if !reflect.DeepEqual(changed[:2], []string{"age", "adult"}) {
		t.Errorf("changed = %v, want age then adult first", changed)
	}
	se.Answer("school", "St Mary's")
	_, changed = se.Answer("age", "30")
	if se.Value("school") != "" || se.Relevant("school") {
		t.Fatalf("age 30: school %q kept", se.Value("school"))
	}
	if !contains(changed, "school") {
		t.Errorf("changed = %v, want school cleared", changed)
	}
	if _, ok := se.Answers()["school"]; ok {
		t.Error("a stale answer is still in Answers")
	}
}

func TestDefaultsFilterAndOther(t *testing.T) {
	se := newSession(t, sample(), run.Config{})
	if se.Value("county") != "north" {
		t.Fatalf("default county = %q", se.Value("county"))
	}
	if got := names(se.Choices("town")); !reflect.DeepEqual(got, []string{"a", "b", "other"}) {
		t.Fatalf("towns in the north = %v", got)
	}
	if got := se.AllChoices("town"); got[len(got)-1].Label.In("en", "") != "Other" {
		t.Errorf("the added Other is labelled %q", got[len(got)-1].Label)
	}
	se.Answer("town", "other")
	if c := se.Check("town"); c.Outcome != run.RequiredEmpty || c.Message != "Please say what “Other” is." {
		t.Fatalf("Other without its text: %+v", c)
	}
	se.AnswerOther("town", "Llan")
	if c := se.Check("town"); !c.OK() || se.Value("town_other") != "Llan" {
		t.Fatalf("Other with text: %+v, %q", c, se.Value("town_other"))
	}
	se.Answer("town", "b")
	if se.Value("town_other") != "" {
		t.Fatal("the Other text stayed when Other was no longer chosen")
	}
	_, changed := se.Answer("county", "south")
	if se.Value("town") != "" || !contains(changed, "town") {
		t.Fatalf("town %q kept after the filter dropped it (changed %v)", se.Value("town"), changed)
	}
	if got := names(se.Choices("town")); !reflect.DeepEqual(got, []string{"c", "other"}) {
		t.Fatalf("towns in the south = %v", got)
	}
}

func TestMetadata(t *testing.T) {
	now := clock
	se := newSession(t, sample(), run.Config{DeviceID: "dev-1", Username: "amy", Clock: func() time.Time { return now }})
	if se.Started() || se.Value("started") != "" {
		t.Fatal("metadata filled before any answer")
	}
	se.Answer("name", "Bo")
	want := survey.Answers{"started": "2026-03-14T10:30:00Z", "day": "2026-03-14", "device": "dev-1", "user": "amy"}
	for k, v := range want {
		if se.Value(k) != v {
			t.Errorf("%s = %q, want %q", k, se.Value(k), v)
		}
	}
	now = now.Add(5 * time.Minute)
	se.Answer("age", "30")
	if p, probs := se.Finish(); p >= 0 {
		t.Fatalf("Finish: page %d %v", p, probs)
	}
	if se.Value("ended") != "2026-03-14T10:35:00Z" || se.Value("started") != "2026-03-14T10:30:00Z" {
		t.Errorf("start %q end %q", se.Value("started"), se.Value("ended"))
	}
	if c, _ := se.Answer("device", "x"); c.OK() {
		t.Error("a respondent could overwrite deviceid")
	}
}

func TestPagesAndNavigation(t *testing.T) {
	se := newSession(t, sample(), run.Config{})
	// Pages: name, age, school, county, town, extra(field-list).
	if len(se.Pages()) != 6 || len(se.Pages()[5].Fields) != 3 || se.Pages()[5].Group.Name != "extra" {
		t.Fatalf("pages = %+v", se.Pages())
	}
	if n, total := se.Progress(); n != 1 || total != 5 {
		t.Fatalf("progress = %d of %d, want 1 of 5 (school not relevant)", n, total)
	}
	if !se.IsFirst() || se.Back() {
		t.Fatal("Back moved from the first page")
	}
	moved, problems := se.Next()
	if moved || len(problems) != 1 || problems[0].Key != "name" || problems[0].Outcome != run.RequiredEmpty {
		t.Fatalf("Next on a blank required page = %v %+v", moved, problems)
	}
	se.Answer("name", "Bo")
	if moved, _ := se.Next(); !moved || se.PageIndex() != 1 {
		t.Fatalf("Next = %v, page %d", moved, se.PageIndex())
	}
	se.Answer("age", "30")
	se.Next()
	if se.PageIndex() != 3 {
		t.Fatalf("Next skipped to page %d, want 3 (school not relevant)", se.PageIndex())
	}
	se.Back()
	if se.PageIndex() != 1 {
		t.Fatalf("Back to page %d, want 1", se.PageIndex())
	}
	se.GoTo(5)
	if !se.IsLast() {
		t.Error("the field-list page is not last")
	}
	if moved, problems := se.Next(); moved || problems != nil {
		t.Errorf("Next on the last page = %v %v", moved, problems)
	}
	se.Answer("age", "12")
	if p, probs := se.CheckAll(); p != 1 || probs[0].Key != "age" {
		t.Fatalf("CheckAll = %d %+v, want page 1 age", p, probs)
	}
	if se.CanSubmit() {
		t.Fatal("CanSubmit with a broken constraint")
	}
	if got := se.Text(se.Pages()[1].Fields[0].Question.Label); got != "Age of Bo" {
		t.Errorf("label = %q", got)
	}
}

func TestLanguage(t *testing.T) {
	se := newSession(t, sample(), run.Config{Language: "fr"})
	if se.Language() != "en" {
		t.Fatalf("unknown language gave %q", se.Language())
	}
	if !se.SetLanguage("cy") || se.Language() != "cy" || se.SetLanguage("cy") {
		t.Fatal("SetLanguage")
	}
	se.Answer("name", "Bo")
	if got := se.Text(se.Pages()[1].Fields[0].Question.Label); got != "Oed Bo" {
		t.Errorf("Welsh label = %q", got)
	}
}

// TestFailingExpressionCountsAsAbsent pins the rule for an expression that
// fails at run time: as if its column were empty, and reported in Faults.
func TestFailingExpressionCountsAsAbsent(t *testing.T) {
	broken := "regex(${word}, ${pattern})" // a regex given as an answer fails at run time when it does not compile
	s := &survey.Survey{ID: "f", Version: 1, Questions: []*survey.Question{
		{Type: survey.TypeText, Name: "word"},
		{Type: survey.TypeText, Name: "pattern"},
		{Type: survey.TypeText, Name: "shown", Relevant: broken},
		{Type: survey.TypeText, Name: "checked", Constraint: "regex(., ${pattern})", ConstraintMessage: survey.En("never")},
		{Type: survey.TypeCalculate, Name: "calc", Calculation: "concat('x', " + broken + ")"},
		{Type: survey.TypeSelectOne, Name: "pick", List: "l", ChoiceFilter: "regex(name, ${pattern})"},
	}, Lists: []survey.ChoiceList{{Name: "l", Choices: []survey.Choice{{Name: "a"}, {Name: "b"}}}}}
	se := newSession(t, s, run.Config{})
	se.Answer("pattern", "[")
	se.Answer("word", "hello")
	if !se.Relevant("shown") {
		t.Error("a failing relevant hid the question")
	}
	if c, _ := se.Answer("checked", "anything"); !c.OK() {
		t.Errorf("a failing constraint refused the answer: %+v", c)
	}
	if se.Value("calc") != "" {
		t.Errorf("a failing calculation gave %q", se.Value("calc"))
	}
	if got := names(se.Choices("pick")); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("a failing choice_filter offered %v", got)
	}
	if !se.CanSubmit() {
		t.Error("a faulty survey blocked submission")
	}
	cols := map[string]bool{}
	for _, f := range se.Faults() {
		cols[f.Key+"/"+f.Column] = true
		if f.Err == nil || !strings.Contains(f.Error(), f.Expr) {
			t.Errorf("fault %+v does not say what failed", f)
		}
	}
	for _, want := range []string{"shown/relevant", "checked/constraint", "calc/calculation", "pick/choice_filter"} {
		if !cols[want] {
			t.Errorf("no fault for %s in %v", want, cols)
		}
	}
	if n := len(se.Faults()); n != len(cols) {
		t.Errorf("%d faults for %d question-columns: each is reported once", n, len(cols))
	}
}

func TestNewRefusesUnparsable(t *testing.T) {
	s := sample()
	s.Questions[6].Relevant = "${name} = "
	_, err := run.New(run.Config{Survey: s})
	if err == nil || !strings.Contains(err.Error(), `"age"`) || !strings.Contains(err.Error(), "relevant") {
		t.Fatalf("New = %v, want an error naming age's relevant", err)
	}
	if _, err := run.New(run.Config{Survey: &survey.Survey{ID: "e"}}); !errors.Is(err, run.ErrNoPages) {
		t.Fatalf("empty survey: %v", err)
	}
}

func TestParseText(t *testing.T) {
	tests := []struct {
		t          survey.Type
		in, want   string
		badProblem string
	}{
		{survey.TypeInteger, " 12 ", "12", ""},
		{survey.TypeInteger, "1,200", "1200", ""},
		{survey.TypeInteger, "3,5", "", run.MsgInteger},
		{survey.TypeInteger, "１２", "12", ""},
		{survey.TypeDecimal, "−3.50", "-3.5", ""},
		{survey.TypeDecimal, "Inf", "", run.MsgDecimal},
		{survey.TypeTime, "3pm", "15:00", ""},
		{survey.TypeTime, "25:00", "", run.MsgTime},
		{survey.TypeDateTime, "2025-06-30 14:30", "2025-06-30T14:30", ""},
		{survey.TypeDate, "2025-06-30", "2025-06-30", ""},
		{survey.TypeDate, "0205-06-30", "", run.MsgDate},
		{survey.TypeText, "  hi  ", "hi", ""},
	}
	for _, tc := range tests {
		t.Run(string(tc.t)+"/"+tc.in, func(t *testing.T) {
			v, p := run.ParseText(tc.t, tc.in)
			if v != tc.want || p != tc.badProblem {
				t.Fatalf("ParseText(%s, %q) = %q, %q; want %q, %q", tc.t, tc.in, v, p, tc.want, tc.badProblem)
			}
		})
	}
}

func FuzzParseText(f *testing.F) {
	for _, s := range []string{"12", "1,200.5", "٣", "3pm", "2025-06-30 14:30", "-0", "1e3", ""} {
		f.Add(s)
	}
	types := []survey.Type{survey.TypeInteger, survey.TypeDecimal, survey.TypeTime, survey.TypeDateTime, survey.TypeDate, survey.TypeText}
	f.Fuzz(func(t *testing.T, s string) {
		for _, ty := range types {
			v, p := run.ParseText(ty, s)
			if p != "" && v != "" {
				t.Fatalf("%s %q: both a value %q and a problem %q", ty, s, v, p)
			}
			if p == "" && v != "" {
				// A parsed value parses to itself.
				if again, p2 := run.ParseText(ty, v); p2 != "" || again != v {
					t.Fatalf("%s %q: %q reparses as %q, %q", ty, s, v, again, p2)
				}
			}
		}
	})
}

// TestSaveAndSubmitThroughStore autosaves each answer through the real
// store and checks that Submit does not write again what was saved.
func TestSaveAndSubmitThroughStore(t *testing.T) {
	ctx := context.Background()
	storeNow := clock
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "c.db"), store.WithClock(func() time.Time { return storeNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	def, err := st.SaveSurvey(ctx, labelled(sample()))
	if err != nil {
		t.Fatal(err)
	}
	se := newSession(t, def, run.Config{Store: st})
	if err := se.Save(ctx); err != nil || se.ResponseID() != "" || se.Unsaved() {
		t.Fatalf("an untouched session stored something: %v %q", err, se.ResponseID())
	}
	se.Answer("name", "Bo")
	if !se.Unsaved() {
		t.Fatal("an answer is not unsaved")
	}
	if err := se.Save(ctx); err != nil || se.ResponseID() == "" || se.Unsaved() {
		t.Fatalf("Save: %v, id %q, unsaved %v", err, se.ResponseID(), se.Unsaved())
	}
	if se.Value("device") != st.DeviceID() {
		t.Errorf("deviceid %q, want the store's %q", se.Value("device"), st.DeviceID())
	}
	se.Answer("age", "30")
	se.SetLanguage("cy")
	se.Save(ctx)
	before := answerStamps(t, st, se.ResponseID())
	storeNow = storeNow.Add(time.Minute)
	if p, probs := se.Finish(); p >= 0 {
		t.Fatalf("Finish: %d %v", p, probs)
	}
	if err := se.Submit(ctx, []byte(`{"ok":true}`)); err != nil {
		t.Fatal(err)
	}
	got, err := st.Response(ctx, se.ResponseID())
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != survey.StatusComplete || got.Language != "cy" || !reflect.DeepEqual(got.Answers, se.Answers()) || string(got.Result) != `{"ok":true}` {
		t.Fatalf("stored %+v, want answers %v", got, se.Answers())
	}
	after := answerStamps(t, st, se.ResponseID())
	for q, stamp := range before {
		if after[q] != stamp {
			t.Errorf("Submit rewrote %q, already saved (%s → %s)", q, stamp, after[q])
		}
	}
	if _, ok := after["ended"]; !ok {
		t.Error("the end metadata was not stored at submission")
	}
	if err := se.Submit(ctx, nil); !errors.Is(err, run.ErrSubmitted) {
		t.Errorf("second Submit = %v", err)
	}
}

// answerStamps reads each stored answer's updated_at.
func answerStamps(t *testing.T, st *store.Store, id string) map[string]string {
	t.Helper()
	rows, err := st.DB().Query("SELECT question, updated_at FROM answers WHERE response_id = ?", id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var q, at string
		if err := rows.Scan(&q, &at); err != nil {
			t.Fatal(err)
		}
		out[q] = at
	}
	return out
}

func TestResume(t *testing.T) {
	resp := &survey.Response{ID: "r1", SurveyID: "sample", SurveyVersion: 1, Language: "cy", Status: survey.StatusDraft,
		Answers: survey.Answers{"name": "Bo", "age": "30", "school": "stale"}}
	se, err := run.Resume(run.Config{Survey: sample(), Clock: fixedClock}, resp)
	if err != nil {
		t.Fatal(err)
	}
	if se.Language() != "cy" || se.Value("school") != "" || se.Value("adult") != "yes" || se.PageIndex() != 3 {
		t.Fatalf("resumed: lang %q school %q adult %q page %d", se.Language(), se.Value("school"), se.Value("adult"), se.PageIndex())
	}
	resp.Status = survey.StatusComplete
	if _, err := run.Resume(run.Config{Survey: sample()}, resp); err == nil {
		t.Error("resumed a submitted response")
	}
}

// labelled gives every question and choice a label in every language, as
// the store's validation wants.
func labelled(s *survey.Survey) *survey.Survey {
	fill := func(t survey.Text, name string) survey.Text {
		if t == nil {
			t = survey.Text{}
		}
		for _, l := range s.Languages {
			if t[l.Code] == "" {
				t[l.Code] = name + " (" + l.Code + ")"
			}
		}
		return t
	}
	for _, q := range s.All() {
		if q.Type.Shown() {
			q.Label = fill(q.Label, q.Name)
		}
	}
	for i := range s.Lists {
		for j := range s.Lists[i].Choices {
			c := &s.Lists[i].Choices[j]
			c.Label = fill(c.Label, c.Name)
		}
	}
	return s
}

func names(cs []survey.Choice) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestPostcodesStoredOneWay: a postcode question's answers are stored in
// one form, so "gu1" and "GU1" count as one district, and its constraint
// checks the stored form.
func TestPostcodesStoredOneWay(t *testing.T) {
	s := &survey.Survey{
		ID: "pc", Version: 1, Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "district", Label: survey.En("First half of your postcode"), Appearance: survey.AppearancePostcode,
				Constraint: "regex(., '^[A-Z]{1,2}[0-9][0-9A-Z]?$')"},
			{Type: survey.TypeText, Name: "full", Label: survey.En("Postcode"), Appearance: survey.AppearancePostcode},
			{Type: survey.TypeText, Name: "name", Label: survey.En("Name")},
		},
	}
	se := newSession(t, s, run.Config{})
	for _, tt := range []struct{ key, typed, want string }{
		{"district", " gu1 ", "GU1"}, {"full", "gu11aa", "GU1 1AA"}, {"name", "  gu1 ", "gu1"},
	} {
		if c, _ := se.AnswerText(tt.key, tt.typed); !c.OK() {
			t.Errorf("%s %q: %+v", tt.key, tt.typed, c)
		}
		if got := se.Value(tt.key); got != tt.want {
			t.Errorf("%s typed %q stored %q, want %q", tt.key, tt.typed, got, tt.want)
		}
		se.Answer(tt.key, tt.typed)
		if got := se.Value(tt.key); got != tt.want {
			t.Errorf("%s answered %q stored %q, want %q", tt.key, tt.typed, got, tt.want)
		}
	}
}

// TestCompiledShared: sessions on one Compiled behave as sessions that
// compile for themselves, and a Compiled of another survey is not used.
func TestCompiledShared(t *testing.T) {
	s := sample()
	c, err := run.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	a := newSession(t, s, run.Config{Compiled: c})
	b := newSession(t, s, run.Config{})
	for _, se := range []*run.Session{a, b} {
		se.Answer("age", "17")
		se.Answer("school", "St Mary's")
	}
	if !reflect.DeepEqual(a.Answers(), b.Answers()) || len(a.Pages()) != len(b.Pages()) {
		t.Fatalf("shared %v, own %v", a.Answers(), b.Answers())
	}
	other := sample()
	other.Questions[6].Constraint = ". >= 99"
	o := newSession(t, other, run.Config{Compiled: c})
	if ch, _ := o.Answer("age", "30"); ch.Outcome != run.ConstraintViolated {
		t.Fatalf("a Compiled of another survey was used: %+v", ch)
	}
	if _, err := run.Compile(&survey.Survey{ID: "e"}); !errors.Is(err, run.ErrNoPages) {
		t.Fatalf("Compile of an empty survey: %v", err)
	}
}
