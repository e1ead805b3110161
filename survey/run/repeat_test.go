package run_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"canvass/survey"
	"canvass/survey/run"
	"canvass/survey/store"
)

// household has a repeat the respondent fills in (people, with a nested
// repeat of services and a field-list group), a repeat whose count is an
// answer (visits), and calculations across them.
func household() *survey.Survey {
	return &survey.Survey{
		ID: "household", Version: 1, Title: survey.En("Household"),
		Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "name", Label: survey.En("Your name")},
			{Type: survey.TypeGroup, Name: "people", Label: survey.En("People you care for"),
				Repeat: &survey.Repeat{Item: survey.En("person")},
				Questions: []*survey.Question{
					{Type: survey.TypeText, Name: "pname", Label: survey.En("Their name"), Required: true},
					{Type: survey.TypeInteger, Name: "age", Label: survey.En("Age of ${pname}"),
						Constraint: ". >= 0 and . < 130", ConstraintMessage: survey.En("An age from 0 to 129.")},
					{Type: survey.TypeCalculate, Name: "pos", Calculation: "position(..)"},
					{Type: survey.TypeCalculate, Name: "adult", Calculation: "if(${age} = '', '', if(${age} >= 18, 'yes', 'no'))"},
					{Type: survey.TypeText, Name: "school", Label: survey.En("School of ${pname}"), Relevant: "${adult} = 'no'"},
					{Type: survey.TypeText, Name: "carer", Label: survey.En("Carer"), Default: "${name}"},
					{Type: survey.TypeGroup, Name: "contact", Appearance: survey.AppearanceFieldList, Questions: []*survey.Question{
						{Type: survey.TypeText, Name: "phone", Label: survey.En("Phone")},
						{Type: survey.TypeText, Name: "email", Label: survey.En("Email")},
					}},
					{Type: survey.TypeGroup, Name: "services", Repeat: &survey.Repeat{Item: survey.En("service")},
						Questions: []*survey.Question{
							{Type: survey.TypeText, Name: "service", Label: survey.En("Service used by ${pname}")},
						}},
				}},
			{Type: survey.TypeCalculate, Name: "total", Calculation: "sum(${age})"},
			{Type: survey.TypeCalculate, Name: "howmany", Calculation: "count(${people})"},
			{Type: survey.TypeCalculate, Name: "names", Calculation: "join(', ', ${pname})"},
			{Type: survey.TypeCalculate, Name: "second", Calculation: "indexed-repeat(${pname}, ${people}, 2)"},
			{Type: survey.TypeCalculate, Name: "oldest", Calculation: "max(${age})"},
			{Type: survey.TypeCalculate, Name: "youngest", Calculation: "min(${age})"},
			{Type: survey.TypeCalculate, Name: "services_n", Calculation: "count(${services})"},
			{Type: survey.TypeInteger, Name: "nvisits", Label: survey.En("How many visits?")},
			{Type: survey.TypeGroup, Name: "visits", Repeat: &survey.Repeat{Count: "${nvisits}"}, Questions: []*survey.Question{
				{Type: survey.TypeText, Name: "when", Label: survey.En("When was visit ${vpos}?")},
				{Type: survey.TypeCalculate, Name: "vpos", Calculation: "position(..)"},
			}},
			{Type: survey.TypeText, Name: "end_note", Label: survey.En("Anything else?")},
		},
	}
}

// pageKeys describes the pages now: field keys, "+repeat" for a prompt.
func pageKeys(se *run.Session) []string {
	var out []string
	for _, p := range se.Pages() {
		if p.Prompt != nil {
			out = append(out, "+"+p.Prompt.Key)
			continue
		}
		var keys []string
		for _, f := range p.Fields {
			keys = append(keys, f.Key)
		}
		out = append(out, strings.Join(keys, ","))
	}
	return out
}

func current(se *run.Session) string {
	p := se.Page()
	if p.Prompt != nil {
		return "+" + p.Prompt.Key
	}
	if len(p.Fields) == 0 {
		return ""
	}
	return p.Fields[0].Key
}

func TestRepeatPageFlow(t *testing.T) {
	if err := household().Validate(); err != nil {
		t.Fatalf("the test survey is not valid: %v", err)
	}
	se := newSession(t, household(), run.Config{})
	want := []string{"name", "+people", "nvisits", "end_note"}
	if got := pageKeys(se); !reflect.DeepEqual(got, want) {
		t.Fatalf("pages %q, want %q", got, want)
	}
	se.Answer("name", "Ann")
	if moved, _ := se.Next(); !moved || current(se) != "+people" {
		t.Fatalf("after name: %q", current(se))
	}
	pr := se.Page().Prompt
	if pr.Count != 0 || !pr.CanAdd || pr.Summary != "No person added yet." || pr.AddLabel != "Add a person" || se.Page().Instance != nil {
		t.Errorf("empty prompt %+v", pr)
	}
	if err := se.AddInstance("people"); err != nil {
		t.Fatal(err)
	}
	if current(se) != "people[1]/pname" {
		t.Fatalf("after AddInstance the page is %q", current(se))
	}
	in := se.Page().Instance
	if in == nil || in.Key != "people[1]" || in.Index != 1 || in.Count != 1 || in.Fixed || in.Title != "Person 1 of 1" ||
		in.RemoveLabel != "Remove this person" || in.RemoveQuestion != "Remove person 1? The answers about person 1 will be deleted." {
		t.Errorf("instance %+v", in)
	}
	if se.Value("people[1]/carer") != "${name}" {
		t.Errorf("the new instance's default is %q", se.Value("people[1]/carer"))
	}
	want = []string{"name", "people[1]/pname", "people[1]/age", "people[1]/school", "people[1]/carer",
		"people[1]/phone,people[1]/email", "+people[1]/services", "+people", "nvisits", "end_note"}
	if got := pageKeys(se); !reflect.DeepEqual(got, want) {
		t.Fatalf("pages %q, want %q", got, want)
	}
	// Next refuses the required name, in this instance.
	if moved, probs := se.Next(); moved || len(probs) != 1 || probs[0].Key != "people[1]/pname" || probs[0].Outcome != run.RequiredEmpty {
		t.Fatalf("Next on a blank required name: %v %+v", moved, probs)
	}
	se.Answer("people[1]/pname", "Bo")
	se.Answer("people[1]/age", "40")
	if got := se.Text(se.Page().Fields[0].Question.Label); got != "Their name" {
		t.Errorf("label %q", got)
	}
	se.Next()
	if got := se.Text(se.Page().Fields[0].Question.Label); got != "Age of Bo" {
		t.Errorf("label in the instance %q", got)
	}
	// school is not relevant for an adult: Next goes to carer.
	for _, step := range []string{"people[1]/carer", "people[1]/phone", "+people[1]/services", "+people", "nvisits"} {
		if moved, probs := se.Next(); !moved || current(se) != step {
			t.Fatalf("Next: %v %v, now %q, want %q", moved, probs, current(se), step)
		}
	}
	if !se.Back() || current(se) != "+people" {
		t.Fatalf("Back to the prompt: %q", current(se))
	}
	if pr := se.Page().Prompt; pr.Summary != "1 added so far." || pr.AddLabel != "Add another person" {
		t.Errorf("prompt %+v", pr)
	}
	if err := se.AddInstance("people[1]/services"); err != nil || current(se) != "people[1]/services[1]/service" {
		t.Fatalf("nested AddInstance: %v, page %q", err, current(se))
	}
	if got := se.Text(se.Page().Fields[0].Question.Label); got != "Service used by Bo" {
		t.Errorf("nested label %q", got)
	}
	if in := se.Page().Instance; in.Key != "people[1]/services[1]" || in.Title != "Service 1 of 1" {
		t.Errorf("nested instance %+v", in)
	}
	if n, total := se.Progress(); n != 6 || total != 10 {
		t.Errorf("progress %d of %d", n, total)
	}
}

func TestRepeatExpressions(t *testing.T) {
	se := newSession(t, household(), run.Config{})
	for i := 0; i < 3; i++ {
		if err := se.AddInstance("people"); err != nil {
			t.Fatal(err)
		}
	}
	se.AddInstance("people[2]/services")
	se.AddInstance("people[2]/services")
	se.AddInstance("people[3]/services")
	for key, v := range map[string]string{
		"people[1]/pname": "Ann", "people[1]/age": "40",
		"people[2]/pname": "Bo", "people[2]/age": "12",
		"people[3]/pname": "Cy",
	} {
		if c, _ := se.Answer(key, v); !c.OK() {
			t.Fatalf("%s: %+v", key, c)
		}
	}
	cases := []struct{ key, want string }{
		{"people[1]/pos", "1"},
		{"people[3]/pos", "3"},
		{"people[1]/adult", "yes"},
		{"people[2]/adult", "no"},
		{"people[3]/adult", ""},
		{"howmany", "3"},
		{"names", "Ann, Bo, Cy"},
		{"second", "Bo"},
		{"total", ""}, // Cy's age is blank: XPath's sum is NaN, shown blank
		{"oldest", ""},
		{"services_n", "3"},
	}
	check := func() {
		t.Helper()
		for _, c := range cases {
			if got := se.Value(c.key); got != c.want {
				t.Errorf("%s = %q, want %q", c.key, got, c.want)
			}
		}
	}
	check()
	se.Answer("people[3]/age", "7")
	cases[len(cases)-3].want, cases[len(cases)-2].want = "59", "40"
	cases[4].want = "no"
	check()
	if got := se.Value("youngest"); got != "7" {
		t.Errorf("youngest = %q", got)
	}
	t.Run("relevance per instance", func(t *testing.T) {
		if se.Relevant("people[1]/school") || !se.Relevant("people[2]/school") || !se.Relevant("people[3]/school") {
			t.Error("school is relevant for children only")
		}
		se.Answer("people[2]/school", "Hill")
		se.Answer("people[2]/age", "30")
		if se.Value("people[2]/school") != "" {
			t.Error("school of a person no longer a child was kept")
		}
	})
	t.Run("constraint per instance", func(t *testing.T) {
		c, _ := se.Answer("people[3]/age", "200")
		if c.Outcome != run.ConstraintViolated || c.Message != "An age from 0 to 129." {
			t.Errorf("check %+v", c)
		}
		if c := se.Check("people[1]/age"); !c.OK() {
			t.Errorf("another instance's check %+v", c)
		}
		p, probs := se.CheckAll()
		if p < 0 || len(probs) != 1 || probs[0].Key != "people[3]/age" {
			t.Errorf("CheckAll = %d %+v", p, probs)
		}
		if _, probs := se.Finish(); len(probs) != 1 || probs[0].Key != "people[3]/age" {
			t.Errorf("Finish problems %+v", probs)
		}
		se.Answer("people[3]/age", "7")
	})
	t.Run("unknown keys", func(t *testing.T) {
		for _, key := range []string{"people[4]/age", "age", "people[1]/service", "people[0]/age", "nosuch[1]/age"} {
			if c, _ := se.Answer(key, "1"); c.Outcome != run.Unreadable || c.Detail == "" {
				t.Errorf("Answer(%q) = %+v", key, c)
			}
		}
	})
}

func TestRepeatCount(t *testing.T) {
	se := newSession(t, household(), run.Config{})
	steps := []struct {
		n    string
		want []string
	}{
		{"2", []string{"visits[1]/when", "visits[2]/when"}},
		{"3", []string{"visits[1]/when", "visits[2]/when", "visits[3]/when"}},
		{"1", []string{"visits[1]/when"}},
		{"", nil},
		{"2", []string{"visits[1]/when", "visits[2]/when"}},
	}
	for _, st := range steps {
		t.Run("nvisits="+st.n, func(t *testing.T) {
			for _, k := range []string{"visits[1]/when", "visits[2]/when", "visits[3]/when"} {
				se.Answer(k, "then "+k)
			}
			se.Answer("nvisits", st.n)
			var got []string
			for _, k := range pageKeys(se) {
				if strings.HasPrefix(k, "visits") || strings.HasPrefix(k, "+visits") {
					got = append(got, k)
				}
			}
			if !reflect.DeepEqual(got, st.want) {
				t.Fatalf("visit pages %q, want %q", got, st.want)
			}
			if se.Instances("visits") != len(st.want) {
				t.Errorf("Instances = %d", se.Instances("visits"))
			}
			for k := range se.Answers() {
				if strings.HasPrefix(k, "visits[") && !slices.Contains(st.want, strings.Replace(k, "vpos", "when", 1)) {
					t.Errorf("answer %s beyond the count was kept", k)
				}
			}
			for i, k := range st.want {
				if v := se.Value(strings.Replace(k, "when", "vpos", 1)); v != string(rune('1'+i)) {
					t.Errorf("%s position = %q", k, v)
				}
			}
		})
	}
	if err := se.AddInstance("visits"); err == nil || !strings.Contains(err.Error(), "repeat_count") {
		t.Errorf("AddInstance on a fixed repeat = %v", err)
	}
	if err := se.RemoveInstance(context.Background(), "visits[1]"); err == nil || !strings.Contains(err.Error(), "repeat_count") {
		t.Errorf("RemoveInstance on a fixed repeat = %v", err)
	}
	if in := findInstance(se, "visits[2]"); in == nil || !in.Fixed || in.Title != "Entry 2 of 2" {
		t.Errorf("fixed instance %+v", in)
	}
}

func findInstance(se *run.Session, key string) *run.Instance {
	for _, p := range se.Pages() {
		if p.Instance != nil && p.Instance.Key == key {
			return p.Instance
		}
	}
	return nil
}

func TestAddRemoveRefusals(t *testing.T) {
	se := newSession(t, household(), run.Config{})
	ctx := context.Background()
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"not a repeat", se.AddInstance("name"), "no repeat"},
		{"unknown", se.AddInstance("nosuch"), "no repeat"},
		{"nested without parent", se.AddInstance("people[1]/services"), "no instance people[1]"},
		{"nested without path", se.AddInstance("services"), "lies in people[n]"},
		{"remove none", se.RemoveInstance(ctx, "people[1]"), "no instance 1"},
		{"remove a repeat key", se.RemoveInstance(ctx, "people"), "not an instance key"},
		{"remove bad", se.RemoveInstance(ctx, "people[0]"), "not an instance key"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, c.err, c.want)
		}
	}
}

// failingStore is a store whose batch write fails after it was asked, as
// a transaction that did not commit.
type failingStore struct {
	*store.Store
	fail         bool
	batch, those int // SaveAnswers and SaveAnswer calls
}

func (f *failingStore) SaveAnswer(ctx context.Context, id, q, v string) error {
	f.those++
	return f.Store.SaveAnswer(ctx, id, q, v)
}

func (f *failingStore) SaveAnswers(ctx context.Context, id string, values survey.Answers, clear []string) error {
	f.batch++
	if f.fail {
		return errors.New("disk full")
	}
	return f.Store.SaveAnswers(ctx, id, values, clear)
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestRemoveInstanceMiddle(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	def, err := st.SaveSurvey(ctx, household())
	if err != nil {
		t.Fatal(err)
	}
	fs := &failingStore{Store: st}
	se := newSession(t, def, run.Config{Store: fs})
	for i := 0; i < 3; i++ {
		se.AddInstance("people")
	}
	se.AddInstance("people[2]/services")
	se.AddInstance("people[3]/services")
	se.AddInstance("people[3]/services")
	for key, v := range map[string]string{
		"people[1]/pname": "Ann", "people[2]/pname": "Bo", "people[3]/pname": "Cy",
		"people[2]/services[1]/service": "meals", "people[3]/services[2]/service": "respite",
	} {
		se.Answer(key, v)
	}
	if err := se.Save(ctx); err != nil {
		t.Fatal(err)
	}
	before := se.Answers()
	stored := func() survey.Answers {
		r, err := st.Response(ctx, se.ResponseID())
		if err != nil {
			t.Fatal(err)
		}
		return r.Answers
	}
	t.Run("a failed transaction keeps the old instances", func(t *testing.T) {
		fs.fail = true
		err := se.RemoveInstance(ctx, "people[2]")
		fs.fail = false
		if err == nil || !strings.Contains(err.Error(), "nothing was removed") {
			t.Fatalf("RemoveInstance = %v", err)
		}
		if !reflect.DeepEqual(se.Answers(), before) || se.Instances("people") != 3 || se.Instances("people[3]/services") != 2 {
			t.Errorf("the session changed: %v", se.Answers())
		}
		if got := stored(); !reflect.DeepEqual(got, before) {
			t.Errorf("the store changed:\n%v\nwant\n%v", got, before)
		}
	})
	t.Run("SQLite failing part-way through keeps the old instances", func(t *testing.T) {
		// An answer too long for the store stays unsaved, so the removal's
		// transaction writes it after the renumbered rows, and fails there.
		se.Answer("people[3]/carer", strings.Repeat("x", store.MaxAnswerLength+1))
		if err := se.Save(ctx); err == nil {
			t.Fatal("the store took an answer longer than it holds")
		}
		withLong := se.Answers()
		err := se.RemoveInstance(ctx, "people[2]")
		if err == nil || !strings.Contains(err.Error(), "nothing was removed") {
			t.Fatalf("RemoveInstance = %v", err)
		}
		if !reflect.DeepEqual(se.Answers(), withLong) || se.Instances("people") != 3 {
			t.Errorf("the session changed: %v", se.Answers())
		}
		if got := stored(); !reflect.DeepEqual(got, before) {
			t.Errorf("the store changed:\n%v\nwant\n%v", got, before)
		}
		se.Answer("people[3]/carer", "")
		if err := se.Save(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("removing the middle renumbers", func(t *testing.T) {
		fs.batch, fs.those = 0, 0
		if err := se.RemoveInstance(ctx, "people[2]"); err != nil {
			t.Fatal(err)
		}
		if fs.batch != 1 || fs.those != 0 {
			t.Errorf("the removal took %d SaveAnswers and %d SaveAnswer calls, want one transaction", fs.batch, fs.those)
		}
		want := map[string]string{
			"people[1]/pname": "Ann", "people[2]/pname": "Cy", "people[2]/services[2]/service": "respite",
			"names": "Ann, Cy", "second": "Cy", "howmany": "2", "services_n": "2",
		}
		for k, v := range want {
			if se.Value(k) != v {
				t.Errorf("%s = %q, want %q", k, se.Value(k), v)
			}
		}
		for _, gone := range []string{"people[3]/pname", "people[2]/services[1]/service", "people[3]/services[2]/service"} {
			if se.Value(gone) != "" {
				t.Errorf("%s = %q after the removal", gone, se.Value(gone))
			}
		}
		if se.Instances("people") != 2 || se.Instances("people[2]/services") != 2 || se.Instances("people[3]/services") != 0 {
			t.Errorf("instances %d %d %d", se.Instances("people"), se.Instances("people[2]/services"), se.Instances("people[3]/services"))
		}
		if current(se) != "people[2]/pname" {
			t.Errorf("page after removal %q, want the next instance's first", current(se))
		}
		if se.Unsaved() {
			t.Error("the removal left unsaved answers")
		}
		if got := stored(); !reflect.DeepEqual(got, se.Answers()) {
			t.Errorf("stored rows:\n%v\nwant\n%v", got, se.Answers())
		}
	})
	t.Run("removing the last goes to the prompt", func(t *testing.T) {
		if err := se.RemoveInstance(ctx, "people[2]"); err != nil {
			t.Fatal(err)
		}
		if current(se) != "+people" || se.Instances("people") != 1 {
			t.Errorf("page %q, %d instances", current(se), se.Instances("people"))
		}
	})
	t.Run("resume rebuilds the instances", func(t *testing.T) {
		se.AddInstance("people")
		se.Answer("people[2]/pname", "Di")
		se.AddInstance("people[2]/services")
		se.Answer("people[2]/services[1]/service", "day care")
		se.Answer("nvisits", "2")
		se.Answer("visits[2]/when", "May")
		if err := se.Save(ctx); err != nil {
			t.Fatal(err)
		}
		resp, err := st.Response(ctx, se.ResponseID())
		if err != nil {
			t.Fatal(err)
		}
		re, err := run.Resume(run.Config{Survey: def, Store: st, Clock: fixedClock}, resp)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := pageKeys(re), pageKeys(se); !reflect.DeepEqual(got, want) {
			t.Errorf("resumed pages\n%q\nwant\n%q", got, want)
		}
		if !reflect.DeepEqual(re.Answers(), se.Answers()) {
			t.Errorf("resumed answers %v", re.Answers())
		}
		if current(re) != "end_note" {
			t.Errorf("resumed on %q", current(re))
		}
	})
}

// TestAnswerAllInstanceKeys gives a script with instance keys, as
// `canvass decide` and tests do: instances are added to the repeats the
// respondent fills in, a repeat_count repeat takes its count from the
// script, and keys beyond it are refused by name.
func TestAnswerAllInstanceKeys(t *testing.T) {
	se := newSession(t, household(), run.Config{})
	probs := se.AnswerAll(survey.Answers{
		"name": "Ann", "people[2]/pname": "Bo", "people[1]/pname": "Al", "people[2]/services[2]/service": "meals",
		"people[1]/age": "old", "nvisits": "2", "visits[2]/when": "May", "visits[3]/when": "June",
		"people[1]/carer": "", // blank: no answer, no instance
	})
	var got []string
	for _, p := range probs {
		got = append(got, p.Key+": "+p.Detail)
	}
	want := []string{"people[1]/age: not a whole number", "visits[3]/when: there is no such repeat instance now"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
	for key, v := range map[string]string{
		"people[1]/pname": "Al", "people[2]/pname": "Bo", "people[2]/services[2]/service": "meals",
		"visits[2]/when": "May", "names": "Al, Bo", "howmany": "2", "people[2]/carer": "${name}",
	} {
		if se.Value(key) != v {
			t.Errorf("%s = %q, want %q", key, se.Value(key), v)
		}
	}
	if se.Instances("people") != 2 || se.Instances("people[2]/services") != 2 || se.Instances("people[1]/services") != 0 || se.Instances("visits") != 2 {
		t.Errorf("instances %d %d %d %d", se.Instances("people"), se.Instances("people[2]/services"), se.Instances("people[1]/services"), se.Instances("visits"))
	}
}

// TestMaxInstances resumes a draft at the limit: adding is refused, and
// the prompt says so.
func TestMaxInstances(t *testing.T) {
	def := &survey.Survey{ID: "many", Version: 1, Questions: []*survey.Question{
		{Type: survey.TypeGroup, Name: "r", Repeat: &survey.Repeat{}, Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "x", Label: survey.En("x")},
		}},
	}}
	last := survey.Key([]survey.Step{{Repeat: "r", Index: survey.MaxInstances}}, "x")
	se, err := run.Resume(run.Config{Survey: def}, &survey.Response{ID: "a", SurveyID: "many", SurveyVersion: 1,
		Status: survey.StatusDraft, Answers: survey.Answers{last: "last", "r[1]/x": "first"}})
	if err != nil {
		t.Fatal(err)
	}
	if se.Instances("r") != survey.MaxInstances {
		t.Fatalf("Instances = %d", se.Instances("r"))
	}
	if err := se.AddInstance("r"); err == nil || !strings.Contains(err.Error(), "the most allowed") {
		t.Errorf("AddInstance at the limit = %v", err)
	}
	pages := se.Pages()
	if pr := pages[len(pages)-1].Prompt; pr == nil || pr.CanAdd || pr.Count != survey.MaxInstances {
		t.Errorf("prompt at the limit %+v", pr)
	}
	if err := se.RemoveInstance(context.Background(), "r[1]"); err != nil || se.Value("r[9998]/x") != "last" || se.AddInstance("r") != nil {
		t.Errorf("after removing one: %v, %q", err, se.Value("r[9998]/x"))
	}
}

// TestConcurrentRepeatSessions runs sessions of one compiled survey with
// repeats in parallel (a web server's, the demo generator's): run it with
// -race. Each session's instances are its own.
func TestConcurrentRepeatSessions(t *testing.T) {
	def := household()
	c, err := run.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			se, err := run.New(run.Config{Survey: def, Compiled: c, Clock: fixedClock})
			if err != nil {
				errs <- err
				return
			}
			for i := 0; i <= g; i++ {
				se.AddInstance("people")
				se.Answer(survey.Key([]survey.Step{{Repeat: "people", Index: i + 1}}, "age"), "10")
			}
			se.Answer("nvisits", "2")
			if g > 0 {
				if err := se.RemoveInstance(context.Background(), "people[1]"); err != nil {
					errs <- err
					return
				}
			}
			if got, want := se.Value("total"), strconv.Itoa(10*max(g, 1)); got != want || se.Instances("visits") != 2 {
				errs <- fmt.Errorf("session %d: total %q, want %q, %d visits", g, got, want, se.Instances("visits"))
				return
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestNestedCountsBounded types the largest counts into nested
// repeat_count repeats: the response stops at survey.MaxInstances
// instances in all, and says so in Faults, rather than making 10^8.
func TestNestedCountsBounded(t *testing.T) {
	def := &survey.Survey{ID: "nest", Version: 1, Questions: []*survey.Question{
		{Type: survey.TypeInteger, Name: "n", Label: survey.En("n")},
		{Type: survey.TypeInteger, Name: "m", Label: survey.En("m")},
		{Type: survey.TypeGroup, Name: "outer", Repeat: &survey.Repeat{Count: "${n}"}, Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "a", Label: survey.En("a")},
			{Type: survey.TypeGroup, Name: "inner", Repeat: &survey.Repeat{Count: "${m}"}, Questions: []*survey.Question{
				{Type: survey.TypeText, Name: "b", Label: survey.En("b")},
			}},
		}},
	}}
	se := newSession(t, def, run.Config{})
	se.Answer("m", "9999")
	se.Answer("n", "3")
	total := se.Instances("outer") + se.Instances("outer[1]/inner") + se.Instances("outer[2]/inner") + se.Instances("outer[3]/inner")
	if se.Instances("outer") != 3 || total != survey.MaxInstances {
		t.Errorf("outer %d, %d instances in all, want 3 and %d", se.Instances("outer"), total, survey.MaxInstances)
	}
	if len(se.Faults()) == 0 || !strings.Contains(se.Faults()[0].Error(), "past 9999 instances in all") {
		t.Errorf("faults %v", se.Faults())
	}
	se.Answer("n", "9999")
	if pages := se.Pages(); len(pages) > 3*survey.MaxInstances {
		t.Errorf("%d pages", len(pages))
	}
	se.Answer("n", "1")
	se.Answer("m", "2")
	if se.Instances("outer") != 1 || se.Instances("outer[1]/inner") != 2 || se.Instances("outer[2]/inner") != 0 {
		t.Errorf("after lowering: %d %d %d", se.Instances("outer"), se.Instances("outer[1]/inner"), se.Instances("outer[2]/inner"))
	}
}

// TestRepeatPerInstanceRules covers the rules not in household: a
// field-list repeat (one page per instance) with a repeat nested in it, a
// choice_filter and an "Other" per instance, and labels read in another
// instance with TextAt.
func TestRepeatPerInstanceRules(t *testing.T) {
	def := &survey.Survey{ID: "towns", Version: 1, Questions: []*survey.Question{
		{Type: survey.TypeGroup, Name: "homes", Appearance: survey.AppearanceFieldList, Repeat: &survey.Repeat{Item: survey.En("home")}, Questions: []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "county", Label: survey.En("County"), List: "counties"},
			{Type: survey.TypeSelectOne, Name: "town", Label: survey.En("Town in ${county}"), List: "towns", ChoiceFilter: "county = ${county}", OrOther: true},
			{Type: survey.TypeGroup, Name: "rooms", Repeat: &survey.Repeat{}, Questions: []*survey.Question{
				{Type: survey.TypeText, Name: "room", Label: survey.En("Room in ${town}")},
			}},
		}},
	}, Lists: []survey.ChoiceList{
		{Name: "counties", Choices: []survey.Choice{{Name: "north", Label: survey.En("North")}, {Name: "south", Label: survey.En("South")}}},
		{Name: "towns", Choices: []survey.Choice{
			{Name: "a", Label: survey.En("Aber"), Filter: map[string]string{"county": "north"}},
			{Name: "c", Label: survey.En("Cwm"), Filter: map[string]string{"county": "south"}},
		}},
	}}
	se := newSession(t, def, run.Config{})
	se.AddInstance("homes")
	se.AddInstance("homes")
	se.AddInstance("homes[2]/rooms")
	want := []string{"homes[1]/county,homes[1]/town", "+homes[1]/rooms", "homes[2]/county,homes[2]/town", "homes[2]/rooms[1]/room", "+homes[2]/rooms", "+homes"}
	if got := pageKeys(se); !reflect.DeepEqual(got, want) {
		t.Fatalf("pages %q, want %q", got, want)
	}
	if in := se.Pages()[0].Instance; in == nil || in.Key != "homes[1]" || in.Title != "Home 1 of 2" {
		t.Errorf("the field-list page's instance %+v", in)
	}
	if pr := se.Pages()[5].Prompt; pr.AddLabel != "Add another home" || pr.Summary != "2 added so far." {
		t.Errorf("prompt %+v", pr)
	}
	if pr := se.Pages()[4].Prompt; pr.AddLabel != "Add another entry" || pr.Summary != "1 added so far." {
		t.Errorf("prompt of a repeat without a noun %+v", pr)
	}
	se.Answer("homes[1]/county", "north")
	se.Answer("homes[2]/county", "south")
	names := func(cs []survey.Choice) (out []string) {
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	if got := names(se.Choices("homes[1]/town")); !reflect.DeepEqual(got, []string{"a", "other"}) {
		t.Errorf("choices in home 1 %q", got)
	}
	if got := names(se.Choices("homes[2]/town")); !reflect.DeepEqual(got, []string{"c", "other"}) {
		t.Errorf("choices in home 2 %q", got)
	}
	if c, _ := se.Answer("homes[1]/town", "c"); c.Outcome == run.OK {
		// c is a choice of the list; the filter drops it when it settles.
		if se.Value("homes[1]/town") != "" {
			t.Errorf("a town the filter hides was kept: %q", se.Value("homes[1]/town"))
		}
	}
	se.Answer("homes[2]/town", "other")
	if c := se.Check("homes[2]/town"); c.Outcome != run.RequiredEmpty {
		t.Errorf("Other without its text: %+v", c)
	}
	se.AnswerOther("homes[2]/town", "Dale")
	if se.Value("homes[2]/town_other") != "Dale" || se.Other("homes[2]/town") != "Dale" || se.Value("town_other") != "" {
		t.Errorf("Other text kept as %v", se.Answers())
	}
	se.Answer("homes[2]/town", "c")
	if se.Value("homes[2]/town_other") != "" {
		t.Error("the Other text stayed after Other was left")
	}
	if got := se.TextAt("homes[2]/rooms[1]/room", def.Questions[0].Questions[2].Questions[0].Label); got != "Room in Cwm" {
		t.Errorf("TextAt = %q", got)
	}
	if got := se.TextAt("homes[1]", def.Questions[0].Questions[1].Label); got != "Town in North" {
		t.Errorf("TextAt an instance = %q", got)
	}
}

// TestRepeatCountTyping types a count as a respondent does, one keystroke
// at a time: answers of instances the count takes away come back when it
// rises again, until Finish.
func TestRepeatCountTyping(t *testing.T) {
	se := newSession(t, household(), run.Config{})
	se.Answer("nvisits", "3")
	for i, k := range []string{"visits[1]/when", "visits[2]/when", "visits[3]/when"} {
		se.Answer(k, "day "+strconv.Itoa(i+1))
	}
	whens := func() string {
		var out []string
		for i := 1; i <= se.Instances("visits"); i++ {
			out = append(out, se.Value("visits["+strconv.Itoa(i)+"]/when"))
		}
		return strings.Join(out, ",")
	}
	for _, step := range []struct{ typed, want string }{
		{"", ""},             // the count erased to retype it
		{"2", "day 1,day 2"}, // the first two come back
		{"1", "day 1"},       // Backspace
		{"13", "day 1,day 2,day 3" + strings.Repeat(",", 10)},
		{"1", "day 1"},
	} {
		_, changed := se.Answer("nvisits", step.typed)
		if got := whens(); got != step.want {
			t.Errorf("nvisits %q: answers %q, want %q (changed %q)", step.typed, got, step.want, changed)
		}
		if _, ok := se.Answers()["visits[2]/when"]; ok != strings.Contains(step.want, "day 2") {
			t.Errorf("nvisits %q: Answers holds visits[2]/when: %v", step.typed, ok)
		}
	}
	if p, probs := se.Finish(); p >= 0 {
		t.Fatalf("Finish: %+v", probs)
	}
	se.Answer("nvisits", "2")
	if got := whens(); got != "day 1," {
		t.Errorf("after Finish the count brought back %q", got)
	}
}
