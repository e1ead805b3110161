package xlsform_test

import (
	"bytes"
	"reflect"
	"sort"
	"testing"

	"canvass/assets"
	"canvass/survey"
	"canvass/survey/xlsform"
)

// roundTrip exports s, imports the result and checks it equals s.
func roundTrip(t *testing.T, s *survey.Survey) *xlsform.Report {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsform.Export(s, &buf); err != nil {
		t.Fatalf("export: %v", err)
	}
	got, rep, err := xlsform.ImportWith(bytes.NewReader(buf.Bytes()), xlsform.Options{Repeats: true})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if len(rep.Problems) > 0 {
		t.Errorf("import of an exported form reported problems:%s", listProblems(rep.Problems))
	}
	if !reflect.DeepEqual(got, s) {
		t.Fatalf("round trip changed the survey; first difference at %s", firstDifference(s, got))
	}
	return rep
}

func TestRoundTripTemplates(t *testing.T) {
	defs, err := assets.Templates()
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) < 3 {
		t.Logf("only %d templates", len(defs))
	}
	for _, s := range defs {
		t.Run(s.ID, func(t *testing.T) {
			if err := s.Validate(); err != nil {
				t.Fatalf("template does not validate: %v", err)
			}
			roundTrip(t, s)
		})
	}
}

func num(f float64) *float64 { return &f }

func bi(en, cy string) survey.Text { return survey.Text{"en": en, "cy": cy} }

// everything is a bilingual survey that uses every question type and
// every column Canvass reads, nested groups and scoring.
func everything() *survey.Survey {
	return &survey.Survey{
		ID:          "everything-1",
		Version:     3,
		Title:       bi("Everything", "Popeth"),
		Description: bi("A form with every feature", "Ffurflen gyda phob nodwedd"),
		Languages:   []survey.Language{{Code: "en", Name: "English"}, {Code: "cy", Name: "Cymraeg"}},
		Template:    "decision",

		AllowChoiceDuplicates: true,
		Questions: []*survey.Question{
			{Type: survey.TypeStart, Name: "started"},
			{Type: survey.TypeEnd, Name: "ended"},
			{Type: survey.TypeToday, Name: "day"},
			{Type: survey.TypeDeviceID, Name: "device"},
			{Type: survey.TypeUsername, Name: "user"},
			{Type: survey.TypeEmail, Name: "user_email"},
			{Type: survey.TypePhoneNumber, Name: "phone"},
			{Type: survey.TypeSubscriberID, Name: "subscriber"},
			{Type: survey.TypeSimSerial, Name: "sim"},
			{Type: survey.TypeNote, Name: "intro", Label: bi("=Welcome, ${name}", "+Croeso")},
			{Type: survey.TypeAcknowledge, Name: "consent", Label: bi("I agree", "Rwy'n cytuno"), Required: true,
				RequiredMessage: bi("Please agree", "Cytunwch os gwelwch yn dda")},
			{Type: survey.TypeText, Name: "name", Label: bi("Your name", "Eich enw"), Hint: bi("Optional", "Dewisol"),
				Personal: true, Appearance: "multiline"},
			{Type: survey.TypeInteger, Name: "age", Label: bi("Age", "Oed"), Constraint: ". >= 16 and . <= 120",
				ConstraintMessage: bi("16 to 120", "16 i 120"), Default: "30"},
			{Type: survey.TypeDecimal, Name: "spend", Label: bi("Spend", "Gwariant"), ReadOnly: true, Default: "0.1"},
			{Type: survey.TypeCalculate, Name: "double", Calculation: "${spend} * 2"},
			{Type: survey.TypeHidden, Name: "secret", Default: "x"},
			{Type: survey.TypeGroup, Name: "about", Label: bi("About you", "Amdanoch chi"), Appearance: "field-list",
				Relevant: "${consent} = 'OK'",
				Questions: []*survey.Question{
					{Type: survey.TypeSelectOne, Name: "area", Label: bi("Area", "Ardal"), List: "areas", OrOther: true, Appearance: "minimal"},
					{Type: survey.TypeSelectOne, Name: "town", Label: bi("Town", "Tref"), List: "towns", ChoiceFilter: "area = ${area}"},
					{Type: survey.TypeSelectMultiple, Name: "heard", Label: bi("Heard", "Clywed"), List: "heard", OrOther: true,
						Appearance: "horizontal", Constraint: "count-selected(.) <= 2"},
					{Type: survey.TypeGroup, Name: "inner", Label: bi("Inner", "Mewnol"),
						Questions: []*survey.Question{
							{Type: survey.TypeRank, Name: "priorities", Label: bi("Rank", "Trefnu"), List: "heard"},
							{Type: survey.TypeRange, Name: "rating", Label: bi("Rate", "Graddio"), Appearance: "rating",
								Range: &survey.Range{Start: -1, End: 2.5, Step: 0.5}},
						}},
				}},
			{Type: survey.TypeSelectOne, Name: "fit", Label: bi("Fit", "Addas"), List: "agree", Appearance: "likert",
				Weight: 0.3333333333333333, Relevant: "selected(${heard}, 'web') and string-length(${name}) > 0"},
			{Type: survey.TypeDate, Name: "when", Label: bi("When", "Pryd"), Constraint: ". <= today()"},
			{Type: survey.TypeTime, Name: "at", Label: bi("At", "Am")},
			{Type: survey.TypeDateTime, Name: "stamp", Label: bi("Stamp", "Stamp")},
			{Type: survey.TypeGroup, Name: "people", Label: bi("People", "Pobl"), Repeat: &survey.Repeat{Count: "${age} - 15", Item: bi("person", "unigolyn")},
				Questions: []*survey.Question{{Type: survey.TypeText, Name: "person", Label: bi("Person", "Person")}}},
		},
		Lists: []survey.ChoiceList{
			{Name: "areas", Choices: []survey.Choice{
				{Name: "north", Label: bi("North", "Gogledd")},
				{Name: "south", Label: bi("South", "De")},
			}},
			{Name: "towns", Choices: []survey.Choice{
				{Name: "a", Label: bi("Aber", "Aber"), Filter: map[string]string{"area": "north"}},
				{Name: "b", Label: bi("Bryn", "Bryn"), Filter: map[string]string{"area": "south", "size": "2"}},
			}},
			{Name: "heard", Choices: []survey.Choice{
				{Name: "web", Label: bi("Web", "Gwe")},
				{Name: "1", Label: bi("-1 (a number)", "@rhif")},
			}},
			{Name: "agree", Choices: []survey.Choice{
				{Name: "no", Label: bi("No", "Na"), Score: num(-2)},
				{Name: "maybe", Label: bi("Maybe", "Efallai"), Score: num(0.1)},
				{Name: "yes", Label: bi("Yes", "Ie"), Score: num(2)},
				{Name: "dk", Label: bi("Don't know", "Ddim yn gwybod")},
			}},
		},
		Scoring: &survey.Scoring{
			Scale:   2,
			Drivers: 2,
			Notice:  bi("Advice only", "Cyngor yn unig"),
			Sides:   survey.ScoreSides{Negative: bi("a grant", "grant"), Positive: bi("a contract", "contract")},
			// the explanation's value and category questions
			ValueQuestion: "spend", CategoryQuestion: "area",
			Outcomes: []survey.Outcome{
				{Code: "grant", Label: bi("Grant", "Grant"), Description: bi("A grant", "Grant"), Drivers: survey.DriversNegative},
				{Code: "contract", Label: bi("Contract", "Contract"), Drivers: survey.DriversPositive},
				{Code: "either", Label: bi("Either", "Y naill"), Drivers: survey.DriversBoth},
			},
			Bands: []survey.Band{
				{Outcome: "grant", To: num(-0.25)},
				{Outcome: "either", From: num(-0.25), To: num(0.25)},
				{Outcome: "contract", From: num(0.25)},
			},
			Confidence: []survey.ConfidenceLevel{
				{Code: "high", Label: bi("High", "Uchel"), MinAbsScore: 0.5, MinAnswered: 0.8},
				{Code: "low", Label: bi("Low", "Isel")},
			},
			Rules: []survey.Rule{
				{ID: "young", Label: bi("Young", "Ifanc"), When: "${age} < 18", IfOutcome: []string{"grant", "either"},
					Outcome: "contract", Confidence: "high", Caveat: bi("Age {{${age}}}", "Oed {{${age}}}"), Driver: true, Stop: true},
				{ID: "cap", Label: bi("Cap", "Cap"), When: "answered() < 1", MaxConfidence: "low"},
			},
		},
	}
}

func TestRoundTripEverything(t *testing.T) {
	s := everything()
	if err := s.Validate(); err != nil {
		t.Fatalf("the synthetic survey does not validate: %v", err)
	}
	seen := map[survey.Type]bool{}
	for _, q := range s.All() {
		seen[q.Type] = true
	}
	for _, typ := range survey.Types {
		if !seen[typ] {
			t.Errorf("the synthetic survey has no %s question", typ)
		}
	}
	roundTrip(t, s)
}

func TestRoundTripLanguageEdgeCases(t *testing.T) {
	tests := []struct {
		name  string
		langs []survey.Language
		label survey.Text
	}{
		{"unnamed language", []survey.Language{{Code: "fr"}}, survey.Text{"fr": "Bonjour"}},
		{"region subtag", []survey.Language{{Code: "pt-br", Name: "Português"}}, survey.Text{"pt-br": "Olá"}},
		{"name with brackets", []survey.Language{{Code: "en", Name: "English (UK)"}}, survey.Text{"en": "Hello"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &survey.Survey{ID: "langs", Version: 1, Title: tt.label, Languages: tt.langs,
				Questions: []*survey.Question{{Type: survey.TypeText, Name: "q", Label: tt.label}}}
			roundTrip(t, s)
		})
	}
}

// TestEverythingSetsEveryField guards the round trip against model fields
// added later: every field of every struct in a survey definition must be
// set somewhere in everything(), so that TestRoundTripEverything proves
// XLSForm carries it.
func TestEverythingSetsEveryField(t *testing.T) {
	set := map[string]bool{}
	all := map[string]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Ptr, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				f := v.Type().Field(i)
				if !f.IsExported() {
					continue
				}
				key := v.Type().Name() + "." + f.Name
				all[key] = true
				if !v.Field(i).IsZero() {
					set[key] = true
				}
				walk(v.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(everything()))
	var missing []string
	for k := range all {
		if !set[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("everything() leaves %v unset: set them, and teach Export and Import to carry them", missing)
	}
	if len(all) < 50 {
		t.Errorf("only %d fields seen: the walk is broken", len(all))
	}
}
