package app_test

import (
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"canvass/app"
	"canvass/survey"
	"canvass/survey/store"
)

// seedDashboard stores six responses to the park survey: four at the fair
// (three complete, one abandoned), two with no event (one complete, one draft).
func seedDashboard(r *staffRig) (fairID string) {
	r.t.Helper()
	r.saveSurvey(parkSurvey())
	fair := survey.Event{Name: "Fair", Active: true}
	if err := r.st.SaveEvent(r.ctx, &fair); err != nil {
		r.t.Fatal(err)
	}
	r.respond("park", survey.StatusComplete, survey.Answers{"visit": "yes", "likes": "ducks trees", "age": "34", "why": "The ducks"})
	r.respond("park", survey.StatusComplete, survey.Answers{"visit": "yes", "likes": "ducks", "age": "71", "why": "Quiet benches"})
	r.respond("park", survey.StatusComplete, survey.Answers{"visit": "no", "likes": "cafe", "age": "8"})
	r.respond("park", survey.StatusAbandoned, survey.Answers{"visit": "yes"})
	if err := r.st.SetActiveEvent(r.ctx, ""); err != nil {
		r.t.Fatal(err)
	}
	r.respond("park", survey.StatusComplete, survey.Answers{"visit": "no", "likes": "trees cafe", "why": "ducks are noisy"})
	r.respond("park", survey.StatusDraft, survey.Answers{"visit": "yes"})
	return fair.ID
}

func TestDashboardFigures(t *testing.T) {
	r := newStaffRig(t)
	seedDashboard(r)
	d, err := r.home.ShowDashboard("park")
	if err != nil {
		t.Fatal(err)
	}
	r.home.Wait()
	if d.Err() != nil {
		t.Fatal(d.Err())
	}
	labels := map[string]string{"total": d.Total.Text, "complete": d.Complete.Text, "partial": d.Partial.Text, "abandoned": d.Abandoned.Text, "rate": d.Rate.Text}
	want := map[string]string{"total": "6", "complete": "4", "partial": "1", "abandoned": "1", "rate": "67%"}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("summary %v, want %v", labels, want)
	}
	tests := []struct {
		question string
		answered int
		counts   map[string]int
	}{
		{"visit", 6, map[string]int{"yes": 4, "no": 2}},
		{"likes", 4, map[string]int{"ducks": 2, "trees": 2, "cafe": 2}},
	}
	for _, tt := range tests {
		q, ok := d.Stats.Question(tt.question)
		if !ok {
			t.Fatalf("no figures for %s", tt.question)
		}
		got := map[string]int{}
		for _, c := range q.Counts {
			got[c.Value] = c.Count
		}
		if q.Answered != tt.answered || !reflect.DeepEqual(got, tt.counts) {
			t.Errorf("%s: answered %d counts %v, want %d %v", tt.question, q.Answered, got, tt.answered, tt.counts)
		}
	}
	age, _ := d.Stats.Question("age")
	if age.Numbers == nil || age.Numbers.Count != 3 || age.Numbers.Min != 8 || age.Numbers.Max != 71 {
		t.Errorf("age %+v", age.Numbers)
	}

	why := d.Texts["why"]
	if why == nil {
		t.Fatal("no list of the why answers")
	}
	if len(why.Answers) != 3 {
		t.Errorf("%d why answers listed, want 3", len(why.Answers))
	}
	test.Type(why.Search, "DUCKS")
	r.home.Wait()
	if len(why.Answers) != 2 || why.Shown.Text != "2 of 3 answers match" {
		t.Errorf("search: %d answers, %q", len(why.Answers), why.Shown.Text)
	}
	// A search that finds nothing says so, and still counts the answers there are.
	why.Search.SetText("")
	test.Type(why.Search, "swans")
	r.home.Wait()
	if len(why.Answers) != 0 || why.Shown.Text != "No answer matches, of 3" {
		t.Errorf("search for nothing: %d answers, %q", len(why.Answers), why.Shown.Text)
	}
	why.Search.SetText("")
	r.home.Wait()
	if why.Shown.Text != "3 of 3 answers" {
		t.Errorf("search cleared: %q", why.Shown.Text)
	}

	t.Run("filtered by event", func(t *testing.T) {
		d.Event.SetSelected("Fair")
		r.home.Wait()
		if d.Total.Text != "4" || d.Complete.Text != "3" || d.Abandoned.Text != "1" || d.Rate.Text != "75%" {
			t.Errorf("fair: total %s complete %s abandoned %s rate %s", d.Total.Text, d.Complete.Text, d.Abandoned.Text, d.Rate.Text)
		}
		likes, _ := d.Stats.Question("likes")
		if likes.Answered != 3 {
			t.Errorf("likes answered %d at the fair, want 3", likes.Answered)
		}
	})
	t.Run("filtered by a date range with nothing in it", func(t *testing.T) {
		past := time.Now().AddDate(-1, 0, 0)
		d.From.SetDate(&past)
		d.To.SetDate(&past)
		r.home.Wait()
		if d.Total.Text != "0" || d.Stats.Counts.Total() != 0 {
			t.Errorf("total %s in a past range", d.Total.Text)
		}
	})
}

func TestPerHourBars(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2026, 7, day, hour, 0, 0, 0, time.UTC) }
	t.Run("hours with gaps", func(t *testing.T) {
		title, bars := app.PerHourBars([]store.HourCount{{Hour: at(4, 13), Count: 2}, {Hour: at(4, 10), Count: 5}}, time.UTC)
		want := []app.Bar{{Label: "10:00", Count: 5}, {Label: "11:00"}, {Label: "12:00"}, {Label: "13:00", Count: 2}}
		if title != "Responses per hour" || !reflect.DeepEqual(bars, want) {
			t.Errorf("%s %v, want %v", title, bars, want)
		}
	})
	t.Run("days when the span is long", func(t *testing.T) {
		title, bars := app.PerHourBars([]store.HourCount{{Hour: at(1, 9), Count: 1}, {Hour: at(1, 15), Count: 2}, {Hour: at(4, 10), Count: 3}}, time.UTC)
		want := []app.Bar{{Label: "1 Jul", Count: 3}, {Label: "2 Jul"}, {Label: "3 Jul"}, {Label: "4 Jul", Count: 3}}
		if title != "Responses per day" || !reflect.DeepEqual(bars, want) {
			t.Errorf("%s %v, want %v", title, bars, want)
		}
	})
}

func TestBarChart(t *testing.T) {
	test.NewTempApp(t)
	c := app.NewBarChart([]app.Bar{{Label: "Yes", Count: 2}, {Label: "No", Count: 1}, {Label: "Rarely", Count: 0}}, 3)
	for i, want := range []string{"2 (67%)", "1 (33%)", "0 (0%)"} {
		if got := c.ValueText(i); got != want {
			t.Errorf("bar %d: %q, want %q", i, got, want)
		}
	}
	w := test.NewTempWindow(t, c)
	w.Resize(w.Content().MinSize().AddWidthHeight(200, 0))
	if c.MinSize().Height <= 0 {
		t.Error("empty chart")
	}

	// Bars are the share of the respondents who answered, on a track that
	// stands for all of them: three answers of one each are a third each,
	// not three full bars; the axis says what the length means.
	thirds := app.NewBarChart([]app.Bar{{Label: "A", Count: 1}, {Label: "B", Count: 1}, {Label: "C", Count: 1}}, 3)
	tw := test.NewTempWindow(t, thirds)
	tw.Resize(fyne.NewSize(600, 300))
	var tracks, fills []*canvas.Rectangle
	var texts []string
	for _, o := range test.WidgetRenderer(thirds).Objects() {
		switch x := o.(type) {
		case *canvas.Rectangle:
			if x.Size().Height > 2 {
				if len(tracks) == len(fills) {
					tracks = append(tracks, x)
				} else {
					fills = append(fills, x)
				}
			}
		case *canvas.Text:
			texts = append(texts, x.Text)
		}
	}
	if len(fills) != 3 {
		t.Fatalf("%d bars drawn", len(fills))
	}
	for i, f := range fills {
		if share := f.Size().Width / tracks[i].Size().Width; math.Abs(float64(share)-1.0/3) > 0.01 {
			t.Errorf("bar %d fills %.2f of its track, want a third", i, share)
		}
	}
	for _, want := range []string{"0%", "50%", "100%", "Share of the 3 who answered this question"} {
		if !slices.Contains(texts, want) {
			t.Errorf("the axis lacks %q: %q", want, texts)
		}
	}
	// Several answers each: shares add up to more than the track, each bar its own.
	multi := app.NewBarChart([]app.Bar{{Label: "Ducks", Count: 4}, {Label: "Trees", Count: 2}}, 5)
	if multi.Share(0) != 0.8 || multi.Share(1) != 0.4 {
		t.Errorf("shares %v, %v, want 0.8 and 0.4", multi.Share(0), multi.Share(1))
	}
	cols := app.NewColumnChart([]app.Bar{{Label: "1", Count: 3}, {Label: "2"}, {Label: "3", Count: 1}})
	test.NewTempWindow(t, cols)
	if cols.MinSize().Height < 100 {
		t.Errorf("column chart height %v", cols.MinSize().Height)
	}

	// One hour of responses is one column, not a block across the screen.
	one := app.NewColumnChart([]app.Bar{{Label: "18:00", Count: 1}})
	ow := test.NewTempWindow(t, one)
	ow.Resize(fyne.NewSize(1000, 300))
	for _, o := range test.WidgetRenderer(one).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r.Size().Height > 1 && r.Size().Width > 100 {
			t.Errorf("a lone column is %v wide", r.Size().Width)
		}
	}
}

func TestResultsWheelScrollsOverSearchFields(t *testing.T) {
	r := newStaffRig(t)
	seedDashboard(r)
	r.win.Resize(fyne.NewSize(900, 420))
	d, err := r.home.ShowDashboard("park")
	if err != nil {
		t.Fatal(err)
	}
	r.home.Wait()
	why := d.Texts["why"]
	if why == nil {
		t.Fatal("no list of the why answers")
	}
	d.Page.ScrollToOffset(fyne.NewPos(0, fyne.CurrentApp().Driver().AbsolutePositionForObject(why.Search).Y-100))
	before := d.Page.Offset.Y
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(why.Search).Add(fyne.NewPos(10, 10))
	test.Scroll(r.win.Canvas(), pos, 0, -60)
	if d.Page.Offset.Y <= before {
		t.Errorf("the wheel over the search field left the page at %v (was %v)", d.Page.Offset.Y, before)
	}
}

// carersSurvey asks about each person the respondent cares for: a repeat.
func carersSurvey() *survey.Survey {
	return &survey.Survey{
		ID: "carers", Title: survey.En("Carers"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "postcode", Label: survey.En("Postcode")},
			{Type: survey.TypeGroup, Name: "carers", Label: survey.En("People you care for"), Repeat: &survey.Repeat{}, Questions: []*survey.Question{
				{Type: survey.TypeText, Name: "who", Label: survey.En("Their name"), Personal: true},
				{Type: survey.TypeSelectOne, Name: "relation", Label: survey.En("They are my"), List: "relation"},
				{Type: survey.TypeText, Name: "needs", Label: survey.En("What they need")},
			}},
		},
		Lists: []survey.ChoiceList{{Name: "relation", Choices: []survey.Choice{
			{Name: "parent", Label: survey.En("Parent")}, {Name: "child", Label: survey.En("Child")}}}},
	}
}

// TestDashboardRepeats: a question in a repeat is charted over every
// instance and says across how many responses; its text answers list and
// search every instance.
func TestDashboardRepeats(t *testing.T) {
	for _, c := range []struct{ name, item, want string }{
		{"the repeat's noun", "person", "3 people across 2 responses"},
		{"no noun", "", "3 entries in “People you care for” across 2 responses"},
	} {
		t.Run(c.name, func(t *testing.T) { testDashboardRepeats(t, c.item, c.want) })
	}
}

func testDashboardRepeats(t *testing.T, item, counted string) {
	r := newStaffRig(t)
	def := carersSurvey()
	if item != "" {
		def.Questions[1].Repeat.Item = survey.En(item)
	}
	r.saveSurvey(def)
	r.respond("carers", survey.StatusComplete, survey.Answers{"postcode": "AB1",
		"carers[1]/who": "Ann", "carers[1]/relation": "parent", "carers[1]/needs": "Lifts",
		"carers[2]/who": "Bo", "carers[2]/relation": "child", "carers[2]/needs": "A quiet room"})
	r.respond("carers", survey.StatusComplete, survey.Answers{"postcode": "CD2"})
	r.respond("carers", survey.StatusComplete, survey.Answers{"carers[1]/who": "Cy", "carers[1]/relation": "parent", "carers[1]/needs": "Company"})
	d, err := r.home.ShowDashboard("carers")
	if err != nil {
		t.Fatal(err)
	}
	r.home.Wait()
	if d.Err() != nil {
		t.Fatal(d.Err())
	}
	for _, want := range []string{
		counted,      // relation and needs
		"2 answered", // postcode: outside the repeat, as before
	} {
		if !shows(r.win, want) {
			t.Errorf("the dashboard does not say %q", want)
		}
	}
	rel, _ := d.Stats.Question("relation")
	got := map[string]int{}
	for _, c := range rel.Counts {
		got[c.Value] = c.Count
	}
	if !reflect.DeepEqual(got, map[string]int{"parent": 2, "child": 1}) {
		t.Errorf("relation counts %v", got)
	}
	needs := d.Texts["needs"]
	if needs == nil || len(needs.Answers) != 3 {
		t.Fatalf("needs list %+v", needs)
	}
	test.Type(needs.Search, "quiet")
	r.home.Wait()
	if len(needs.Answers) != 1 || needs.Answers[0].Value != "A quiet room" {
		t.Errorf("search in instances: %+v", needs.Answers)
	}
	if d.Texts["who"] != nil {
		t.Error("the personal names in instances are listed on the dashboard")
	}
}
