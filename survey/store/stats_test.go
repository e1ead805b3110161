package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/store"
)

// statsSurvey has one question of each summarised kind.
func statsSurvey() *survey.Survey {
	return &survey.Survey{
		ID:        "fair",
		Title:     survey.En("Fair"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeNote, Name: "intro", Label: survey.En("Hello")},
			{Type: survey.TypeSelectOne, Name: "visit", Label: survey.En("Visit?"), List: "yesno"},
			{Type: survey.TypeSelectMultiple, Name: "likes", Label: survey.En("Likes"), List: "things"},
			{Type: survey.TypeRank, Name: "order", Label: survey.En("Rank"), List: "things"},
			{Type: survey.TypeSelectOne, Name: "agree", Label: survey.En("Agree?"), List: "likert", Appearance: "likert"},
			{Type: survey.TypeRange, Name: "stars", Label: survey.En("Stars"), Appearance: "rating", Range: &survey.Range{Start: 1, End: 5, Step: 1}},
			{Type: survey.TypeInteger, Name: "age", Label: survey.En("Age")},
			{Type: survey.TypeText, Name: "say", Label: survey.En("Anything else?")},
			{Type: survey.TypeCalculate, Name: "calc", Calculation: "1"},
		},
		Lists: []survey.ChoiceList{
			{Name: "yesno", Choices: []survey.Choice{{Name: "yes", Label: survey.En("Yes")}, {Name: "no", Label: survey.En("No")}}},
			{Name: "things", Choices: []survey.Choice{
				{Name: "ducks", Label: survey.En("Ducks")}, {Name: "trees", Label: survey.En("Trees")}, {Name: "cafe", Label: survey.En("Café")},
			}},
			{Name: "likert", Choices: []survey.Choice{
				{Name: "1", Label: survey.En("Disagree")}, {Name: "2", Label: survey.En("Neutral")}, {Name: "3", Label: survey.En("Agree")},
			}},
		},
	}
}

// seedStats stores the responses of the table below. Times come from
// clk; responses 1–3 are in the event "fair", at 10:xx and 11:xx UTC.
func seedStats(t *testing.T) (*store.Store, *clock, string) {
	t.Helper()
	ctx := context.Background()
	clk := newClock()
	s := mustOpen(t, store.WithClock(clk.Now))
	mustSaveSurvey(t, s, statsSurvey())
	ev := survey.Event{Name: "Fair", Active: true}
	if err := s.SaveEvent(ctx, &ev); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 6, 14, 0, 0, 0, 0, time.UTC)
	rows := []struct {
		at      time.Duration
		event   bool
		status  survey.Status
		answers survey.Answers
	}{
		{10*time.Hour + 5*time.Minute, true, survey.StatusComplete, survey.Answers{
			"visit": "yes", "likes": "ducks trees", "order": "trees ducks cafe", "agree": "3", "stars": "5", "age": "34", "say": "Lovely ducks"}},
		{10*time.Hour + 40*time.Minute, true, survey.StatusComplete, survey.Answers{
			"visit": "yes", "likes": "ducks", "order": "ducks trees cafe", "agree": "3", "stars": "4", "age": "71", "say": "More benches"}},
		{11*time.Hour + 2*time.Minute, true, survey.StatusAbandoned, survey.Answers{
			"visit": "no", "likes": "cafe trees ducks", "agree": "1", "age": "8"}},
		{13 * time.Hour, false, survey.StatusDraft, survey.Answers{
			"visit": "maybe", "stars": "4", "say": "DUCKS everywhere"}},
	}
	for _, row := range rows {
		if !row.event {
			if err := s.SetActiveEvent(ctx, ""); err != nil {
				t.Fatal(err)
			}
		}
		clk.Set(day.Add(row.at))
		r := mustStart(t, s, "fair", 0)
		if row.status == survey.StatusComplete {
			if err := s.Submit(ctx, r.ID, row.answers, nil); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := s.SaveAnswers(ctx, r.ID, row.answers, nil); err != nil {
			t.Fatal(err)
		}
		if row.status != survey.StatusDraft {
			if err := s.SetStatus(ctx, r.ID, row.status); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Another survey asks questions of the same names: its answers must
	// never count for "fair".
	other := statsSurvey()
	other.ID = "other"
	mustSaveSurvey(t, s, other)
	clk.Set(day.Add(14 * time.Hour))
	r := mustStart(t, s, "other", 0)
	if err := s.Submit(ctx, r.ID, survey.Answers{"visit": "yes", "likes": "ducks", "age": "50", "say": "ducks elsewhere"}, nil); err != nil {
		t.Fatal(err)
	}
	return s, clk, ev.ID
}

func counts(pairs ...any) []store.ValueCount {
	var out []store.ValueCount
	for i := 0; i < len(pairs); i += 3 {
		out = append(out, store.ValueCount{Value: pairs[i].(string), Count: pairs[i+1].(int), Known: pairs[i+2].(bool)})
	}
	return out
}

func TestDashboardStats(t *testing.T) {
	for _, strategy := range []struct {
		name string
		id   int
	}{{"auto", store.StrategyAuto}, {"direct", store.StrategyDirect}, {"complement", store.StrategyComplement}} {
		t.Run(strategy.name, func(t *testing.T) {
			defer store.SetStatsStrategy(strategy.id)()
			testDashboardStats(t)
		})
		t.Run(strategy.name+" on two connections", func(t *testing.T) {
			defer store.SetStatsStrategy(strategy.id)()
			defer store.SetStatsParallel(true)()
			testDashboardStats(t)
		})
	}
}

// testDashboardStats checks the dashboard of the seeded responses against
// figures worked out by hand.
func testDashboardStats(t *testing.T) {
	ctx := context.Background()
	s, _, eventID := seedStats(t)
	def := statsSurvey()
	def.Version = 1
	hour := func(h int) time.Time { return time.Date(2025, 6, 14, h, 0, 0, 0, time.UTC) }

	t.Run("every response", func(t *testing.T) {
		d, err := s.DashboardStats(ctx, def, survey.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if want := (store.Counts{Draft: 1, Complete: 2, Abandoned: 1}); d.Counts != want {
			t.Errorf("Counts = %+v, want %+v", d.Counts, want)
		}
		if got := d.CompletionRate(); got != 0.5 {
			t.Errorf("CompletionRate = %v, want 0.5", got)
		}
		wantHours := []store.HourCount{{Hour: hour(10), Count: 2}, {Hour: hour(11), Count: 1}, {Hour: hour(13), Count: 1}}
		if !reflect.DeepEqual(d.PerHour, wantHours) {
			t.Errorf("PerHour = %v, want %v", d.PerHour, wantHours)
		}
		var names []string
		for _, q := range d.Questions {
			names = append(names, q.Name)
		}
		if want := []string{"visit", "likes", "order", "agree", "stars", "age", "say"}; !reflect.DeepEqual(names, want) {
			t.Errorf("questions = %v, want %v (note and calculation left out)", names, want)
		}
		tests := []struct {
			name     string
			kind     store.StatsKind
			answered int
			counts   []store.ValueCount
		}{
			{"visit", store.StatsChoices, 4, counts("yes", 2, true, "no", 1, true, "maybe", 1, false)},
			{"likes", store.StatsChoices, 3, counts("ducks", 3, true, "trees", 2, true, "cafe", 1, true)},
			{"order", store.StatsChoices, 2, counts("ducks", 1, true, "trees", 1, true, "cafe", 0, true)},
			{"agree", store.StatsScale, 3, counts("1", 1, true, "2", 0, true, "3", 2, true)},
			{"stars", store.StatsScale, 3, counts("1", 0, true, "2", 0, true, "3", 0, true, "4", 2, true, "5", 1, true)},
			{"say", store.StatsText, 3, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				q, ok := d.Question(tt.name)
				if !ok {
					t.Fatalf("no figures for %q", tt.name)
				}
				if q.Kind != tt.kind || q.Answered != tt.answered {
					t.Errorf("kind %v answered %d, want %v %d", q.Kind, q.Answered, tt.kind, tt.answered)
				}
				if !reflect.DeepEqual(q.Counts, tt.counts) {
					t.Errorf("Counts = %v, want %v", q.Counts, tt.counts)
				}
			})
		}
		t.Run("age", func(t *testing.T) {
			q, _ := d.Question("age")
			n := q.Numbers
			if q.Kind != store.StatsNumbers || q.Answered != 3 || n == nil {
				t.Fatalf("age: %+v", q)
			}
			if n.Count != 3 || n.Min != 8 || n.Max != 71 || n.Mean != 113.0/3 {
				t.Errorf("numbers = %+v, want count 3 min 8 max 71 mean %v", n, 113.0/3)
			}
			total := 0
			for i, b := range n.Bins {
				total += b.Count
				if b.From > n.Min && i == 0 || b.To <= b.From {
					t.Errorf("bin %d = %+v", i, b)
				}
				for _, v := range []float64{8, 34, 71} {
					if v >= b.From && v < b.To && b.Count == 0 {
						t.Errorf("%v falls in empty bin %+v", v, b)
					}
				}
			}
			if total != 3 || len(n.Bins) > 13 {
				t.Errorf("bins %v hold %d values, want 3 in at most 13 bins", n.Bins, total)
			}
		})
	})

	t.Run("event and date range", func(t *testing.T) {
		f := survey.Filter{EventID: eventID, From: hour(10).Add(30 * time.Minute), To: hour(12)}
		d, err := s.DashboardStats(ctx, def, f)
		if err != nil {
			t.Fatal(err)
		}
		if want := (store.Counts{Complete: 1, Abandoned: 1}); d.Counts != want {
			t.Errorf("Counts = %+v, want %+v", d.Counts, want)
		}
		q, _ := d.Question("likes")
		if want := counts("ducks", 2, true, "trees", 1, true, "cafe", 1, true); q.Answered != 2 || !reflect.DeepEqual(q.Counts, want) {
			t.Errorf("likes: answered %d counts %v, want 2 %v", q.Answered, q.Counts, want)
		}
		age, _ := d.Question("age")
		if age.Numbers.Count != 2 || age.Numbers.Mean != 39.5 {
			t.Errorf("age = %+v, want 2 answers, mean 39.5", age.Numbers)
		}
	})

	t.Run("no responses", func(t *testing.T) {
		d, err := s.DashboardStats(ctx, def, survey.Filter{EventID: "no such event"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Counts.Total() != 0 || d.CompletionRate() != 0 || len(d.PerHour) != 0 {
			t.Errorf("empty dashboard: %+v", d)
		}
		age, _ := d.Question("age")
		if age.Numbers == nil || age.Numbers.Count != 0 || len(age.Numbers.Bins) != 0 {
			t.Errorf("age = %+v", age.Numbers)
		}
	})

	t.Run("bad filter", func(t *testing.T) {
		if _, err := s.DashboardStats(ctx, def, survey.Filter{Statuses: []survey.Status{"lost"}}); err == nil {
			t.Error("unknown status accepted")
		}
		if _, err := s.DashboardStats(ctx, nil, survey.Filter{}); err == nil {
			t.Error("nil survey accepted")
		}
	})
}

func TestTextAnswers(t *testing.T) {
	ctx := context.Background()
	s, _, _ := seedStats(t)
	tests := []struct {
		search string
		limit  int
		want   []string
		total  int
	}{
		{"", 0, []string{"DUCKS everywhere", "More benches", "Lovely ducks"}, 3},
		{"ducks", 0, []string{"DUCKS everywhere", "Lovely ducks"}, 2},
		{"  Bench ", 0, []string{"More benches"}, 1},
		{"", 1, []string{"DUCKS everywhere"}, 3},
		{"swans", 0, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.search, func(t *testing.T) {
			got, total, err := s.TextAnswers(ctx, survey.Filter{SurveyID: "fair"}, "say", tt.search, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var values []string
			for _, a := range got {
				values = append(values, a.Value)
				if a.ResponseID == "" || a.Started.IsZero() {
					t.Errorf("answer without response or time: %+v", a)
				}
			}
			if !reflect.DeepEqual(values, tt.want) || total != tt.total {
				t.Errorf("got %q (total %d), want %q (total %d)", values, total, tt.want, tt.total)
			}
		})
	}
}

func TestResponseSummaries(t *testing.T) {
	ctx := context.Background()
	s, _, eventID := seedStats(t)
	all, err := s.ResponseSummaries(ctx, survey.Filter{SurveyID: "fair"}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 {
		t.Fatalf("%d responses, want 4", len(all))
	}
	if all[0].Status != survey.StatusDraft || all[0].Answers != 3 || all[0].EventID != "" {
		t.Errorf("newest = %+v, want the draft with 3 answers and no event", all[0])
	}
	if all[3].Status != survey.StatusComplete || all[3].Answers != 7 || all[3].EventID != eventID {
		t.Errorf("oldest = %+v, want complete with 7 answers in the event", all[3])
	}
	page, err := s.ResponseSummaries(ctx, survey.Filter{SurveyID: "fair", EventID: eventID, Statuses: []survey.Status{survey.StatusComplete}}, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 1 || page[0].ID != all[3].ID {
		t.Errorf("second complete response in the event = %+v, want %s", page, all[3].ID)
	}
}

func TestStatsKindOf(t *testing.T) {
	tests := []struct {
		q    *survey.Question
		want store.StatsKind
	}{
		{&survey.Question{Type: survey.TypeSelectOne}, store.StatsChoices},
		{&survey.Question{Type: survey.TypeSelectOne, Appearance: "likert"}, store.StatsScale},
		{&survey.Question{Type: survey.TypeAcknowledge}, store.StatsChoices},
		{&survey.Question{Type: survey.TypeRange, Range: &survey.Range{Start: 0, End: 10, Step: 1}}, store.StatsScale},
		{&survey.Question{Type: survey.TypeRange, Range: &survey.Range{Start: 0, End: 100, Step: 1}}, store.StatsNumbers},
		{&survey.Question{Type: survey.TypeDecimal}, store.StatsNumbers},
		{&survey.Question{Type: survey.TypeDate}, store.StatsText},
		{&survey.Question{Type: survey.TypeNote}, store.StatsNone},
		{&survey.Question{Type: survey.TypeGroup}, store.StatsNone},
		{&survey.Question{Type: survey.TypeStart}, store.StatsNone},
		{nil, store.StatsNone},
	}
	for _, tt := range tests {
		if got := store.StatsKindOf(tt.q); got != tt.want {
			t.Errorf("StatsKindOf(%+v) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// TestDashboardStatsOneKind checks surveys that lack some kinds of
// question (no multi-select, no text…): every empty list of names in the
// query must behave.
func TestDashboardStatsOneKind(t *testing.T) {
	ctx := context.Background()
	for _, q := range statsSurvey().Questions {
		if store.StatsKindOf(q) == store.StatsNone {
			continue
		}
		t.Run(q.Name, func(t *testing.T) {
			s := mustOpen(t)
			def := statsSurvey()
			def.Questions = []*survey.Question{q}
			def = mustSaveSurvey(t, s, def)
			r := mustStart(t, s, "fair", 0)
			value := map[string]string{"visit": "yes", "likes": "ducks trees", "order": "cafe ducks trees", "agree": "2", "stars": "3", "age": "40", "say": "hi"}[q.Name]
			if err := s.Submit(ctx, r.ID, survey.Answers{q.Name: value}, nil); err != nil {
				t.Fatal(err)
			}
			for _, strategy := range []int{store.StrategyDirect, store.StrategyComplement} {
				restore := store.SetStatsStrategy(strategy)
				d, err := s.DashboardStats(ctx, def, survey.Filter{})
				restore()
				if err != nil {
					t.Fatal(err)
				}
				got, ok := d.Question(q.Name)
				if !ok || got.Answered != 1 {
					t.Errorf("strategy %d: %+v, want 1 answer", strategy, got)
				}
			}
		})
	}
}
