package respondent_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"canvass/app/respondent"
	"canvass/survey"
	"canvass/survey/store"
)

// cascadeSurvey asks for a county, then a town of that county
// (choice_filter "county = ${county}" over a county column of the towns).
func cascadeSurvey(townAppearance string) *survey.Survey {
	town := func(name, label, county string) survey.Choice {
		return survey.Choice{Name: name, Label: survey.En(label), Filter: map[string]string{"county": county}}
	}
	return &survey.Survey{
		ID: "cascade", Version: 1, Title: survey.En("Where do you live?"),
		Questions: []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "county", Label: survey.En("County"), List: "counties", Required: true},
			{Type: survey.TypeSelectOne, Name: "town", Label: survey.En("Town"), List: "towns",
				ChoiceFilter: "county = ${county}", Appearance: townAppearance},
			{Type: survey.TypeText, Name: "street", Label: survey.En("Street")},
		},
		Lists: []survey.ChoiceList{
			{Name: "counties", Choices: []survey.Choice{
				{Name: "powys", Label: survey.En("Powys")}, {Name: "gwynedd", Label: survey.En("Gwynedd")},
			}},
			{Name: "towns", Choices: []survey.Choice{
				town("brecon", "Brecon", "powys"), town("bala", "Bala", "gwynedd"),
				town("newtown", "Newtown", "powys"), town("bangor", "Bangor", "gwynedd"),
				town("welshpool", "Welshpool", "powys"),
			}},
		},
	}
}

// storedAnswers reads a response's answers back from the store.
func storedAnswers(t *testing.T, st *store.Store, id string) survey.Answers {
	t.Helper()
	resp, err := st.Response(context.Background(), id)
	if err != nil {
		t.Fatalf("read response %s: %v", id, err)
	}
	return resp.Answers
}

// shownTiles returns the values of the field's tiles that are visible.
func shownTiles(fd *respondent.Field, values []string) []string {
	var out []string
	for _, v := range values {
		if tile := fd.Tile(v); tile != nil && tile.Visible() {
			out = append(out, v)
		}
	}
	return out
}

func TestFormChoiceFilterCascade(t *testing.T) {
	towns := []string{"brecon", "bala", "newtown", "bangor", "welshpool"}
	for _, tc := range []struct {
		appearance string
		pick       func(r *formRig, nth int) // picks the nth (from 1) town shown
		offered    func(fd *respondent.Field) []string
	}{
		{
			appearance: "",
			pick: func(r *formRig, nth int) {
				r.w.Canvas().Unfocus()
				test.TypeOnCanvas(r.w.Canvas(), string(rune('0'+nth)))
			},
			offered: func(fd *respondent.Field) []string { return shownTiles(fd, towns) },
		},
		{
			appearance: "minimal",
			pick:       func(r *formRig, nth int) { r.field("town").Select.SetSelectedIndex(nth - 1) },
			offered:    func(fd *respondent.Field) []string { return fd.Select.Options },
		},
	} {
		name := tc.appearance
		if name == "" {
			name = "tiles"
		}
		t.Run(name, func(t *testing.T) {
			st, s, _ := openStore(t, cascadeSurvey(tc.appearance))
			r := newRig(t, s, st)
			r.tap("county", "powys")
			r.next()
			r.shows("town")
			town := r.field("town")
			if got, want := town.ShownChoices(), []string{"brecon", "newtown", "welshpool"}; !reflect.DeepEqual(got, want) {
				t.Fatalf("Powys towns offered %v, want %v", got, want)
			}
			wantOffered := []string{"brecon", "newtown", "welshpool"}
			if tc.appearance == "minimal" {
				wantOffered = []string{"Brecon", "Newtown", "Welshpool"}
			}
			if got := tc.offered(town); !reflect.DeepEqual(got, wantOffered) {
				t.Fatalf("on screen %v, want %v", got, wantOffered)
			}
			tc.pick(r, 2) // the second town shown, not the second of the list
			if got := r.f.Answers()["town"]; got != "newtown" {
				t.Fatalf("picking the 2nd town shown answered %q, want newtown", got)
			}
			r.next()
			r.typeIn("street", "High Street")
			r.next() // the last page: Next submits
			if !r.f.Submitted() {
				t.Fatalf("not submitted: %v", r.f.Errors())
			}
			if got := storedAnswers(t, st, r.f.ResponseID())["town"]; got != "newtown" {
				t.Fatalf("stored town %q", got)
			}
		})
	}

	t.Run("changing the county clears the town, in the store too", func(t *testing.T) {
		st, s, _ := openStore(t, cascadeSurvey(""))
		r := newRig(t, s, st)
		r.tap("county", "powys")
		r.next()
		r.tap("town", "brecon")
		if got := storedAnswers(t, st, r.f.ResponseID())["town"]; got != "brecon" {
			t.Fatalf("town stored %q before the change", got)
		}
		test.Tap(r.f.BackButton())
		r.tap("county", "powys") // the same county again keeps the town
		if got := r.f.Answers()["town"]; got != "brecon" {
			t.Fatalf("re-picking the same county changed the town to %q", got)
		}
		r.tap("county", "gwynedd")
		if got, ok := r.f.Answers()["town"]; ok {
			t.Fatalf("town %q kept in memory after the county changed", got)
		}
		if got, ok := storedAnswers(t, st, r.f.ResponseID())["town"]; ok {
			t.Fatalf("town %q still stored after the county changed", got)
		}
		r.next()
		town := r.field("town")
		if got, want := town.ShownChoices(), []string{"bala", "bangor"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("Gwynedd towns offered %v, want %v", got, want)
		}
		if got := shownTiles(town, towns); !reflect.DeepEqual(got, []string{"bala", "bangor"}) {
			t.Fatalf("tiles shown %v", got)
		}
		if town.Tile("brecon").Selected() {
			t.Fatal("the cleared town still shows as chosen")
		}
		r.tap("town", "bangor")
		r.next()
		r.next()
		if got := storedAnswers(t, st, r.f.ResponseID()); got["county"] != "gwynedd" || got["town"] != "bangor" {
			t.Fatalf("stored %v", got)
		}
	})

	t.Run("no county, no towns: the question says why", func(t *testing.T) {
		s := cascadeSurvey("")
		s.Questions[0].Required = false
		r := newRig(t, s, nil, func(c *respondent.FormConfig) { c.Preview = true })
		r.next()
		r.shows("town")
		if got := r.field("town").ShownChoices(); len(got) != 0 {
			t.Fatalf("offered %v with no county", got)
		}
		if !strings.Contains(test.RenderObjectToMarkup(r.f.Content()), "None of the answers fit what you said earlier") {
			t.Fatal("no message for a question left without choices")
		}
		test.Tap(r.f.BackButton())
		r.tap("county", "powys")
		r.next()
		if strings.Contains(test.RenderObjectToMarkup(r.f.Content()), "None of the answers fit") {
			t.Fatal("the message stays once there are choices")
		}
	})

	t.Run("a resumed draft loses a town the filter no longer offers", func(t *testing.T) {
		st, s, _ := openStore(t, cascadeSurvey(""))
		ctx := context.Background()
		resp, err := st.StartResponse(ctx, s.ID, s.Version, "en")
		if err != nil {
			t.Fatal(err)
		}
		for q, v := range map[string]string{"county": "powys", "town": "bala"} {
			if err := st.SaveAnswer(ctx, resp.ID, q, v); err != nil {
				t.Fatal(err)
			}
		}
		resp, err = st.Response(ctx, resp.ID)
		if err != nil {
			t.Fatal(err)
		}
		test.NewTempApp(t)
		f, err := respondent.ResumeForm(respondent.FormConfig{Survey: s, Store: st}, resp)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := f.Answers()["town"]; ok {
			t.Fatalf("resumed with town %q, which Powys does not offer", got)
		}
		if err := f.Flush(); err != nil {
			t.Fatal(err)
		}
		if got, ok := storedAnswers(t, st, resp.ID)["town"]; ok {
			t.Fatalf("stale town %q still stored after the form saved", got)
		}
	})
}

// servicesSurvey asks which services were used, then which of those were
// good (choice_filter "selected(${used}, name)"), then to rank them.
func servicesSurvey() *survey.Survey {
	return &survey.Survey{
		ID: "services", Version: 1, Title: survey.En("Services"),
		Questions: []*survey.Question{
			{Type: survey.TypeSelectMultiple, Name: "used", Label: survey.En("Which did you use?"), List: "services"},
			{Type: survey.TypeSelectMultiple, Name: "good", Label: survey.En("Which were good?"), List: "services",
				ChoiceFilter: "selected(${used}, name)", OrOther: true},
			{Type: survey.TypeRank, Name: "best", Label: survey.En("Put them in order"), List: "services",
				ChoiceFilter: "selected(${used}, name)"},
		},
		Lists: []survey.ChoiceList{{Name: "services", Choices: []survey.Choice{
			{Name: "library", Label: survey.En("Library")}, {Name: "pool", Label: survey.En("Swimming pool")},
			{Name: "buses", Label: survey.En("Buses")}, {Name: "parks", Label: survey.En("Parks")},
		}}},
	}
}

func TestFormChoiceFilterSelected(t *testing.T) {
	st, s, _ := openStore(t, servicesSurvey())
	r := newRig(t, s, st)
	for _, v := range []string{"library", "buses", "parks"} {
		r.tap("used", v)
	}
	r.next()
	good := r.field("good")
	if got, want := good.ShownChoices(), []string{"library", "buses", "parks", "other"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("good offers %v, want %v (the services used, and Other)", got, want)
	}
	if good.Tile("pool").Visible() {
		t.Fatal("the unused pool is shown")
	}
	r.tap("good", "library")
	r.tap("good", "parks")
	r.tap("good", "other")
	test.Type(good.Other, "The café")
	r.next()
	best := r.field("best")
	if got, want := best.ShownChoices(), []string{"library", "buses", "parks"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("rank offers %v, want %v", got, want)
	}
	shownRows := 0
	for _, tile := range best.Tiles {
		if tile.Visible() {
			shownRows++
		}
	}
	if shownRows != 3 || best.RankDown[1].Disabled() || !best.RankDown[2].Disabled() {
		t.Fatalf("rank shows %d rows (want 3); the last shown row's Down must be disabled", shownRows)
	}
	test.Tap(best.RankDown[0]) // buses library parks
	if got := r.f.Answers()["best"]; got != "buses library parks" {
		t.Fatalf("rank answer %q", got)
	}
	id := r.f.ResponseID()
	if got := storedAnswers(t, st, id); got["good"] != "library parks other" || got["good_other"] != "The café" || got["best"] != "buses library parks" {
		t.Fatalf("stored before the change: %v", got)
	}

	// The respondent goes back and says they did not use the parks after all.
	test.Tap(r.f.BackButton())
	test.Tap(r.f.BackButton())
	r.tap("used", "parks")
	want := survey.Answers{"used": "library buses", "good": "library other", "good_other": "The café"}
	if got := r.f.Answers(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after unticking parks the form holds %v, want %v (parks dropped from good, the rank to be confirmed again)", got, want)
	}
	if got := storedAnswers(t, st, id); !reflect.DeepEqual(got, want) {
		t.Fatalf("after unticking parks the store holds %v, want %v", got, want)
	}
	r.next()
	if got := shownTiles(r.field("good"), []string{"library", "pool", "buses", "parks", "other"}); !reflect.DeepEqual(got, []string{"library", "buses", "other"}) {
		t.Fatalf("good tiles shown %v", got)
	}
	if !r.field("good").Tile("library").Selected() || r.field("good").Tile("parks").Selected() {
		t.Fatal("good's tiles do not show its answer")
	}
	r.w.Canvas().Unfocus()
	test.TypeOnCanvas(r.w.Canvas(), "2") // the second tile shown: buses
	if got := r.f.Answers()["good"]; got != "library buses other" {
		t.Fatalf("key 2 made good %q, want buses added", got)
	}
	r.next()
	for i, tile := range best.Tiles {
		if tile.Visible() != (i < 2) {
			t.Fatalf("rank row %d visible %v with two services used", i, tile.Visible())
		}
	}
	if !best.RankKeep.Visible() {
		t.Fatal("the cleared rank does not ask for its order to be confirmed")
	}
	test.Tap(best.RankKeep)
	if got := r.f.Answers()["best"]; got != "library buses" {
		t.Fatalf("confirmed rank %q", got)
	}
}

func TestFormChoiceFilterColumns(t *testing.T) {
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"name != 'b'", []string{"a", "c", "d"}},
		{"label = 'Cherry'", []string{"c"}},
		{"colour = 'red'", []string{"a", "c"}},
		{"colour = ${colour}", []string{"b"}},
		{"colour = 'red' and size > 2", []string{"c"}},
		{"size = ''", []string{"d"}}, // a blank filter cell is blank
		{"true()", []string{"a", "b", "c", "d"}},
		{"regex(name, ${pattern})", []string{"a", "b", "c", "d"}}, // fails to evaluate: nothing hidden
	} {
		t.Run(tc.filter, func(t *testing.T) {
			s := &survey.Survey{ID: "cols", Version: 1, Title: survey.En("Cols"),
				Questions: []*survey.Question{
					{Type: survey.TypeCalculate, Name: "colour", Calculation: "'green'"},
					{Type: survey.TypeCalculate, Name: "pattern", Calculation: "'('"},
					{Type: survey.TypeSelectOne, Name: "q", Label: survey.En("Q"), List: "l", ChoiceFilter: tc.filter},
				},
				Lists: []survey.ChoiceList{{Name: "l", Choices: []survey.Choice{
					{Name: "a", Label: survey.En("Apple"), Filter: map[string]string{"colour": "red", "size": "1"}},
					{Name: "b", Label: survey.En("Bean"), Filter: map[string]string{"colour": "green", "size": "2"}},
					{Name: "c", Label: survey.En("Cherry"), Filter: map[string]string{"colour": "red", "size": "3"}},
					{Name: "d", Label: survey.En("Date")},
				}}},
			}
			r := newRig(t, s, nil, func(c *respondent.FormConfig) { c.Preview = true })
			if got := r.field("q").ShownChoices(); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("offered %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFormChoiceFilterLabelFollowsLanguage(t *testing.T) {
	s := &survey.Survey{ID: "lang", Version: 1, Title: survey.En("Lang"),
		Languages: []survey.Language{{Code: "en", Name: "English"}, {Code: "cy", Name: "Cymraeg"}},
		Questions: []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "q", Label: survey.Text{"en": "Q", "cy": "C"}, List: "l",
				ChoiceFilter: "string-length(label) <= 4"},
		},
		Lists: []survey.ChoiceList{{Name: "l", Choices: []survey.Choice{
			{Name: "yes", Label: survey.Text{"en": "Yes", "cy": "Ydw"}},
			{Name: "no", Label: survey.Text{"en": "No", "cy": "Nac ydw"}},
		}}},
	}
	r := newRig(t, s, newFakeStore())
	r.tap("q", "no")
	r.f.SetLanguage("cy")
	if got := r.field("q").ShownChoices(); !reflect.DeepEqual(got, []string{"yes"}) {
		t.Fatalf("in Welsh the filter on labels offers %v, want [yes]", got)
	}
	if got, ok := r.f.Answers()["q"]; ok {
		t.Fatalf("answer %q kept although Welsh no longer offers it", got)
	}
}

func TestNewFormRejectsBadChoiceSetup(t *testing.T) {
	for _, tc := range []struct {
		name string
		q    []*survey.Question
		want string
	}{
		{"bad filter", []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "q", Label: survey.En("Q"), List: "l", ChoiceFilter: "county = = ${x}"},
		}, `question "q": choice_filter`},
		{"or_other text clashes with a question", []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "q", Label: survey.En("Q"), List: "l", OrOther: true},
			{Type: survey.TypeText, Name: "q_other", Label: survey.En("Something else")},
		}, `"q_other", which is also the name of a question`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			test.NewTempApp(t)
			s := &survey.Survey{ID: "bad", Questions: tc.q, Lists: []survey.ChoiceList{{Name: "l", Choices: []survey.Choice{{Name: "a", Label: survey.En("A")}}}}}
			_, err := respondent.NewForm(respondent.FormConfig{Survey: s, Preview: true})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestFormTypedNumbers(t *testing.T) {
	s := &survey.Survey{ID: "n", Version: 1, Title: survey.En("N"), Questions: []*survey.Question{
		{Type: survey.TypeInteger, Name: "count", Label: survey.En("Count")},
		{Type: survey.TypeDecimal, Name: "amount", Label: survey.En("Amount")},
	}}
	for _, tc := range []struct {
		question, typed, want string
		bad                   bool
	}{
		{"count", "12", "12", false},
		{"count", " +7 ", "7", false},
		{"count", "12,500", "12500", false},
		{"count", "٣", "3", false},   // Arabic-Indic three
		{"count", "１２", "12", false}, // full-width digits
		{"count", "−4", "-4", false}, // the minus sign
		{"count", "1e3", "", true},   // an exponent is not what anyone means
		{"count", "3.5", "", true},   // not whole
		{"count", "1,2", "", true},   // not a thousands group
		{"count", "99999999999999999999", "", true},
		{"amount", "3.50", "3.5", false},
		{"amount", ".5", "0.5", false},
		{"amount", "1,234.5", "1234.5", false},
		{"amount", "٣٫٥", "3.5", false}, // Arabic decimal separator
		{"amount", "3,5", "", true},     // a decimal comma would silently become 35
		{"amount", "1e3", "", true},
		{"amount", "0x1p-2", "", true},
		{"amount", "Inf", "", true},
		{"amount", "NaN", "", true},
		{"amount", "1_000", "", true},
	} {
		t.Run(tc.question+" "+tc.typed, func(t *testing.T) {
			r := newRig(t, s, nil, func(c *respondent.FormConfig) { c.Preview = true })
			if tc.question == "amount" {
				r.next()
			}
			r.typeIn(tc.question, tc.typed)
			if got := r.f.Answers()[tc.question]; got != tc.want {
				t.Fatalf("typed %q stored as %q, want %q", tc.typed, got, tc.want)
			}
			test.Tap(r.f.NextButton())
			if msg := r.f.Errors()[tc.question]; (msg != "") != tc.bad {
				t.Fatalf("typed %q: error %q, want an error: %v", tc.typed, msg, tc.bad)
			}
		})
	}
}

func TestFormDateRange(t *testing.T) {
	s := &survey.Survey{ID: "d", Version: 1, Title: survey.En("D"), Questions: []*survey.Question{
		{Type: survey.TypeDate, Name: "when", Label: survey.En("When")},
		{Type: survey.TypeNote, Name: "end", Label: survey.En("End")},
	}}
	for _, tc := range []struct {
		typed, want string
	}{
		{"09/03/2025", "2025-03-09"},
		{"31/12/1900", "1900-12-31"},
		{"12/06/2205", ""},
		{"12/06/0225", ""},
		{"31/12/1899", ""},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			r := newRig(t, s, nil, func(c *respondent.FormConfig) { c.Preview = true })
			date := r.field("when").Date
			if date.PlaceHolder != "31/12/2025" {
				t.Errorf("placeholder %q, want a sample date in the entry's format", date.PlaceHolder)
			}
			test.Type(date, tc.typed)
			if got := r.f.Answers()["when"]; got != tc.want {
				t.Fatalf("typed %s stored %q, want %q", tc.typed, got, tc.want)
			}
			test.Tap(r.f.NextButton())
			moved := r.f.PageIndex() == 1
			if moved != (tc.want != "") {
				t.Fatalf("typed %s: moved on %v, errors %v", tc.typed, moved, r.f.Errors())
			}
		})
	}
}

func TestFormOtherText(t *testing.T) {
	st := newFakeStore()
	r := newRig(t, typesSurvey(), st)
	r.next()
	r.field("drop").Select.SetSelectedIndex(0)
	r.next()
	r.tap("likert", "a")
	r.next()
	many := r.field("many")
	r.tap("many", "other")
	test.Type(many.Other, "  Damson  ")
	r.clock.Advance(time.Second)
	if got := st.only(t).Answers["many_other"]; got != "Damson" {
		t.Fatalf("other text stored as %q, want it trimmed", got)
	}
	r.tap("many", "other") // untick: the text goes
	if _, ok := r.f.Answers()["many_other"]; ok || many.Other.Text != "" {
		t.Fatalf("other text kept after unticking Other: answer %q, entry %q", r.f.Answers()["many_other"], many.Other.Text)
	}
	if _, ok := st.only(t).Answers["many_other"]; ok {
		t.Fatal("other text still stored after unticking Other")
	}
	r.tap("many", "other") // tick again: an empty entry, and the check asks for text
	test.Tap(r.f.NextButton())
	if got := r.f.Errors()["many"]; got != "Please say what “Other” is." {
		t.Fatalf("error %q", got)
	}
}

func TestFormDigitsOnNumberScales(t *testing.T) {
	s := &survey.Survey{ID: "scales", Version: 1, Title: survey.En("Scales"), Questions: []*survey.Question{
		{Type: survey.TypeRange, Name: "nps", Label: survey.En("How likely, 0 to 10?"), Range: &survey.Range{Start: 0, End: 10, Step: 1}},
		{Type: survey.TypeRange, Name: "stars", Label: survey.En("Stars"), Appearance: "rating", Range: &survey.Range{Start: 1, End: 5, Step: 1}},
		{Type: survey.TypeRange, Name: "even", Label: survey.En("Even"), Range: &survey.Range{Start: 2, End: 8, Step: 2}},
	}}
	for _, tc := range []struct {
		page     int
		question string
		keys     string
		want     string
	}{
		{0, "nps", "5", "5"},
		{0, "nps", "0", "0"},
		{1, "stars", "4", "4"},
		{1, "stars", "0", ""}, // no zero star
		{1, "stars", "7", ""},
		{2, "even", "6", "6"},
		{2, "even", "3", ""}, // not on the scale: not the third tile
	} {
		t.Run(tc.question+" "+tc.keys, func(t *testing.T) {
			r := newRig(t, s, nil, func(c *respondent.FormConfig) { c.Preview = true })
			for r.f.PageIndex() < tc.page {
				r.next()
			}
			r.w.Canvas().Unfocus()
			test.TypeOnCanvas(r.w.Canvas(), tc.keys)
			if got := r.f.Answers()[tc.question]; got != tc.want {
				t.Fatalf("keys %q answered %q, want %q", tc.keys, got, tc.want)
			}
		})
	}
}

func TestFormTypedTimes(t *testing.T) {
	s := &survey.Survey{ID: "t", Version: 1, Title: survey.En("T"), Questions: []*survey.Question{
		{Type: survey.TypeTime, Name: "at", Label: survey.En("At")},
	}}
	for _, tc := range []struct{ typed, want string }{
		{"14:30", "14:30"}, {"9.30pm", "21:30"}, {"9:05 am", "09:05"}, {"٢١:٣٠", "21:30"}, {"25:00", ""}, {"soon", ""},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			r := newRig(t, s, nil, func(c *respondent.FormConfig) { c.Preview = true })
			r.typeIn("at", tc.typed)
			if got := r.f.Answers()["at"]; got != tc.want {
				t.Fatalf("typed %q stored %q, want %q", tc.typed, got, tc.want)
			}
		})
	}
}
