package store_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"canvass/survey"
	"canvass/survey/store"
)

// repeatStatsSurvey asks about each person cared for (a repeat) and each
// service they use (nested).
func repeatStatsSurvey() *survey.Survey {
	return &survey.Survey{
		ID:        "carers",
		Title:     survey.En("Carers"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "visit", Label: survey.En("Visit?"), List: "yesno"},
			{Type: survey.TypeGroup, Name: "carers", Label: survey.En("People you care for"), Repeat: &survey.Repeat{}, Questions: []*survey.Question{
				{Type: survey.TypeSelectOne, Name: "relation", Label: survey.En("They are my"), List: "relation"},
				{Type: survey.TypeInteger, Name: "age", Label: survey.En("Their age")},
				{Type: survey.TypeText, Name: "needs", Label: survey.En("What they need")},
				{Type: survey.TypeGroup, Name: "services", Repeat: &survey.Repeat{}, Questions: []*survey.Question{
					{Type: survey.TypeSelectMultiple, Name: "service", Label: survey.En("Service"), List: "service"},
				}},
			}},
		},
		Lists: []survey.ChoiceList{
			{Name: "yesno", Choices: []survey.Choice{{Name: "yes", Label: survey.En("Yes")}, {Name: "no", Label: survey.En("No")}}},
			{Name: "relation", Choices: []survey.Choice{{Name: "parent", Label: survey.En("Parent")}, {Name: "child", Label: survey.En("Child")}}},
			{Name: "service", Choices: []survey.Choice{{Name: "day", Label: survey.En("Day centre")}, {Name: "home", Label: survey.En("Home care")}}},
		},
	}
}

// TestDashboardStatsRepeats: charts of questions in repeats count every
// instance, say across how many responses, and text lists find the
// answers of every instance; a plain question of the same name elsewhere
// is not mixed in.
func TestDashboardStatsRepeats(t *testing.T) {
	for _, strategy := range []struct {
		name string
		id   int
	}{{"auto", store.StrategyAuto}, {"direct", store.StrategyDirect}, {"complement", store.StrategyComplement}} {
		for _, parallel := range []bool{false, true} {
			t.Run(strategy.name+map[bool]string{true: " on two connections"}[parallel], func(t *testing.T) {
				defer store.SetStatsStrategy(strategy.id)()
				defer store.SetStatsParallel(parallel)()
				testDashboardStatsRepeats(t)
			})
		}
	}
}

func testDashboardStatsRepeats(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	def := repeatStatsSurvey()
	mustSaveSurvey(t, s, def)
	answers := []survey.Answers{
		{"visit": "yes", "carers[1]/relation": "parent", "carers[1]/age": "80", "carers[1]/needs": "Lifts to the day centre",
			"carers[2]/relation": "child", "carers[2]/age": "10", "carers[2]/needs": "A quiet room",
			"carers[1]/services[1]/service": "day home", "carers[1]/services[2]/service": "home"},
		{"visit": "no"},
		{"visit": "yes", "carers[1]/relation": "parent", "carers[1]/age": "90", "carers[1]/needs": "Company"},
	}
	for _, a := range answers {
		r := mustStart(t, s, "carers", 0)
		if err := s.Submit(ctx, r.ID, a, nil); err != nil {
			t.Fatal(err)
		}
	}
	// Another survey's plain "relation" never counts here.
	other := repeatStatsSurvey()
	other.ID = "other"
	mustSaveSurvey(t, s, other)
	r := mustStart(t, s, "other", 0)
	if err := s.Submit(ctx, r.ID, survey.Answers{"carers[1]/relation": "child"}, nil); err != nil {
		t.Fatal(err)
	}

	d, err := s.DashboardStats(ctx, def, survey.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name                string
		answered, responses int
		inRepeat            bool
		counts              []store.ValueCount
	}{
		{"visit", 3, 3, false, counts("yes", 2, true, "no", 1, true)},
		{"relation", 3, 2, true, counts("parent", 2, true, "child", 1, true)},
		{"service", 2, 1, true, counts("day", 1, true, "home", 2, true)},
		{"needs", 3, 2, true, nil},
	}
	for _, c := range cases {
		q, ok := d.Question(c.name)
		if !ok {
			t.Errorf("no figures for %s", c.name)
			continue
		}
		if q.Answered != c.answered || q.Responses != c.responses || q.InRepeat != c.inRepeat || !slices.Equal(q.Counts, c.counts) {
			t.Errorf("%s: answered %d across %d responses (in repeat %v), counts %v; want %d, %d, %v, %v",
				c.name, q.Answered, q.Responses, q.InRepeat, q.Counts, c.answered, c.responses, c.inRepeat, c.counts)
		}
	}
	age, _ := d.Question("age")
	if age.Numbers == nil || age.Numbers.Count != 3 || age.Numbers.Min != 10 || age.Numbers.Max != 90 {
		t.Errorf("age figures %+v", age.Numbers)
	}

	texts, total, err := s.TextAnswers(ctx, survey.Filter{SurveyID: "carers"}, "needs", "", 10)
	if err != nil || total != 3 || len(texts) != 3 {
		t.Fatalf("text answers %v, total %d, err %v", texts, total, err)
	}
	if _, total, _ := s.TextAnswers(ctx, survey.Filter{SurveyID: "carers"}, "needs", "quiet", 10); total != 1 {
		t.Errorf("search in instances found %d, want 1", total)
	}
	if _, total, _ := s.TextAnswers(ctx, survey.Filter{SurveyID: "carers"}, "*", "", 10); total != 0 {
		t.Errorf("a pattern as a question name matched %d answers", total)
	}
}

// TestResponseSummariesCountInstances: the responses list learns how many
// instances of each top-level repeat a response holds; damaged keys do not
// count.
func TestResponseSummariesCountInstances(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustSaveSurvey(t, s, repeatStatsSurvey())
	for _, a := range []survey.Answers{
		{"visit": "yes", "carers[1]/age": "80", "carers[3]/age": "10", "carers[1]/services[4]/service": "day"},
		{"visit": "no"},
	} {
		r := mustStart(t, s, "carers", 0)
		if err := s.Submit(ctx, r.ID, a, nil); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := s.ResponseSummaries(ctx, survey.Filter{SurveyID: "carers"}, 0, 0)
	if err != nil || len(rs) != 2 {
		t.Fatalf("%d summaries, %v", len(rs), err)
	}
	byAnswers := map[int]map[string]int{}
	for _, r := range rs {
		byAnswers[r.Answers] = r.Instances
	}
	if got := byAnswers[4]; len(got) != 1 || got["carers"] != 3 {
		t.Errorf("instances of the first response %v, want carers 3", got)
	}
	if got := byAnswers[1]; got != nil {
		t.Errorf("instances of a response without any: %v", got)
	}
}

func TestParseInstanceCounts(t *testing.T) {
	cases := []struct {
		in   string
		want map[string]int
	}{
		{"", nil},
		{"carers 3", map[string]int{"carers": 3}},
		{"carers 3,pets 1", map[string]int{"carers": 3, "pets": 1}},
		{"carers 0,x y z,bad- 2,1st 2,pets 99999, 4", map[string]int{"bad-": 2}},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := store.ParseInstanceCounts(c.in); !maps.Equal(got, c.want) {
				t.Errorf("%v, want %v", got, c.want)
			}
		})
	}
}
