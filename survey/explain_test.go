package survey_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"canvass/survey"
)

// befriending is the example: a £40,000-a-year befriending service
// run by a local charity, over three years, light-touch.
var befriending = survey.Answers{
	"consent": "OK", "funding_title": "Befriending 2026", "g_personal": "no", "g_power": "yes", "g_function": "no",
	"g_return": "no", "value": "120000", "category": "light_touch", "g_subsidy": "no",
	"c_spec": "organisation", "c_origin": "organisation", "c_benefit": "both", "c_market": "few",
	"c_enforce": "monitoring", "c_payment": "contribution", "c_innovation": "partly", "c_size": "medium",
	"c_risk": "shared",
}

func TestExplainBefriending(t *testing.T) {
	s := mustDecisionSurvey(t)
	d := mustDecide(t, s, befriending, survey.DefaultThresholds())
	if d.Outcome != "grant" || d.Confidence != "medium" {
		t.Fatalf("outcome %s, confidence %s: want grant, medium", d.Outcome, d.Confidence)
	}
	e := d.Explain()
	text := e.Text()
	t.Log("\n" + text)

	if e.Summary != "Recommendation: Grant, with medium confidence." {
		t.Errorf("summary %q", e.Summary)
	}
	want := map[string][]string{
		survey.SectionNegative: {
			"Strong: Who decides what will be delivered? The organisation proposes its own activity.",
			"Strong: How will payment work? A contribution to costs, with unspent money returned.",
			"Strong: Who should carry delivery and financial risk? Shared.",
			"Moderate: Where does the activity come from? Existing work of the organisation asking for support.",
			"Moderate: Does the council need to enforce performance in law? Monitoring and reports are enough.",
		},
		survey.SectionPositive: {"Moderate: How many capable providers could deliver it? A few."},
		survey.SectionNeutral:  {"Who is it mainly for? Both.", "Is it innovative, a pilot or community-led, needing room to adapt? Partly."},
		survey.SectionConfidence: {
			"On balance the answers lean clearly towards a grant",
			"9 of the 14 weighed questions were answered; 5 were left blank",
			"High confidence would need the answers to lean at least 50 % of the way to one side (they lean 40 %), and at least 12 of the 14 weighed questions answered (9 were).",
			"That is enough for medium confidence.",
		},
		survey.SectionThresholds: {
			"£120,000 is below the procurement threshold of £663,540 for social, education or other light-touch services, in force from 1 January 2026.",
			"£120,000 is at or above £30,000, the value from which a contract below the threshold must be notified, in force from 1 January 2026.",
			"£120,000 is below the minimal financial assistance limit of £315,000 per recipient over three financial years, in force from 1 January 2026",
		},
		survey.SectionRules: {"No hard rule applied"},
		survey.SectionWorkings: {
			"Who decides what will be delivered? The organisation proposes its own activity. weight 3 × score −2 = −6",
			"Total −16, out of a possible −40 to +40",
			"Score = −16 ÷ 40 = −0.40",
			"−0.25 or below: Grant; +0.25 or above: Procurement (contract); otherwise: Either — see rationale.",
			"High needs the score at least 0.50 from zero and at least 80 % of the weighed questions answered",
		},
		survey.SectionRecord: {"does not replace, legal and procurement advice", "Thresholds used: England, sub-central authorities, in force from 1 January 2026.", "Decided on 2 March 2026"},
	}
	for key, parts := range want {
		sec, ok := e.Section(key)
		if !ok {
			t.Errorf("no %s section", key)
			continue
		}
		var body strings.Builder
		for _, l := range sec.Lines {
			body.WriteString(l.Text + "\n")
		}
		for _, p := range parts {
			if !strings.Contains(body.String(), p) {
				t.Errorf("%s section lacks %q:\n%s", key, p, body.String())
			}
		}
	}
	if _, ok := e.Section(survey.SectionCaveats); ok {
		t.Error("a caveats section without caveats")
	}
	// Arithmetic stays in its own section.
	for _, sec := range e.Sections {
		if sec.Key == survey.SectionWorkings {
			continue
		}
		for _, l := range sec.Lines {
			if strings.Contains(l.Text, "weight") || strings.Contains(l.Text, "×") || strings.Contains(l.Text, "score -") {
				t.Errorf("%s section shows arithmetic: %q", sec.Key, l.Text)
			}
		}
	}
	headings := []string{"What points to a grant", "What points to a contract", "Why the confidence is medium",
		"The value and the thresholds", "Rules that applied", "How the score is worked out", "About this record"}
	for _, h := range headings {
		if !strings.Contains(text, "\n"+h+"\n") {
			t.Errorf("no heading %q", h)
		}
	}
}

func TestExplainRulesCaveatsAndConfidence(t *testing.T) {
	s := mustDecisionSurvey(t)
	th := survey.DefaultThresholds()
	tests := []struct {
		name    string
		answers survey.Answers
		summary string
		want    map[string][]string
	}{
		{
			name:    "personal budgets",
			answers: survey.Answers{"g_personal": "yes"},
			summary: "Recommendation: Neither — personal budget route, with high confidence.",
			want: map[string][]string{
				survey.SectionRules:      {"Money goes to individuals as direct payments or personal budgets that they control. It made the recommendation Neither — personal budget route, with high confidence. No further rule was applied. Answers it read: Will the money go to individuals"},
				survey.SectionConfidence: {"None of the weighed questions was answered", "A rule then made the confidence high: money goes to individuals"},
				survey.SectionThresholds: {"No value was entered"},
			},
		},
		{
			name: "regulated home care",
			answers: survey.Answers{"value": "900000", "category": "light_touch", "c_spec": "council", "c_benefit": "duty",
				"c_payment": "per_unit", "c_market": "many", "c_enforce": "legal"},
			summary: "Recommendation: Procurement — regulated procurement required, with medium confidence.",
			want: map[string][]string{
				survey.SectionNegative:   {"No answer points this way."},
				survey.SectionThresholds: {"£900,000 is at or above the procurement threshold of £663,540 for social, education or other light-touch services, in force from 1 January 2026."},
				survey.SectionRules:      {"A contract at or above the procurement threshold. It made the recommendation Procurement — regulated procurement required. It adds a caveat (below)."},
				survey.SectionCaveats:    {"£900,000 is at or above the threshold of £663,540"},
				survey.SectionConfidence: {"lean strongly towards a contract", "at least 12 of the 14 weighed questions answered (5 were)"},
			},
		},
		{
			name:    "health care has no threshold",
			answers: survey.Answers{"value": "50000", "category": "health_care", "g_function": "yes"},
			summary: "Recommendation: Procurement (contract), with high confidence.",
			want: map[string][]string{
				survey.SectionThresholds: {"Health care services: no procurement threshold applies to this category."},
				survey.SectionCaveats:    {"Health care services: the Provider Selection Regime applies."},
			},
		},
		{
			name:    "value without category",
			answers: survey.Answers{"value": "1000", "g_return": "yes"},
			summary: "Recommendation: Procurement (contract), with high confidence.",
			want: map[string][]string{
				survey.SectionThresholds: {"No category was chosen, so the procurement threshold that applies to £1,000 is not known.", "£1,000 is below £30,000"},
			},
		},
		{
			name: "subsidy caps the confidence",
			answers: with(survey.Answers{"g_subsidy": "yes"}, "c_spec", "organisation", "c_origin", "organisation", "c_benefit", "own_work",
				"c_market", "one", "c_shape", "build", "c_enforce", "light", "c_payment", "contribution", "c_innovation", "yes",
				"c_size", "small", "c_independence", "yes", "c_risk", "shared", "c_duration", "time_limited"),
			summary: "Recommendation: Grant, with medium confidence.",
			want: map[string][]string{
				survey.SectionConfidence: {"12 of the 14 weighed questions were answered", "The answers alone would give high confidence.", "A rule then made the confidence medium: support above the minimal financial assistance limit"},
				survey.SectionCaveats:    {"A subsidy control assessment is needed."},
			},
		},
		{
			name:    "either is explained from both sides",
			answers: survey.Answers{"c_spec": "council", "c_benefit": "own_work"},
			summary: "Recommendation: Either — see rationale, with low confidence.",
			want: map[string][]string{
				survey.SectionNegative:   {"Strong: Who is it mainly for? The organisation's own public-benefit work that fits council aims."},
				survey.SectionPositive:   {"Strong: Who decides what will be delivered? The council writes a detailed specification."},
				survey.SectionConfidence: {"the answers point neither way: those for each side cancel out", "Medium confidence would need the answers to lean at least 25 % of the way to one side (they lean 0 %)."},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustDecide(t, s, tt.answers, th).Explain()
			if e.Summary != tt.summary {
				t.Errorf("summary %q, want %q", e.Summary, tt.summary)
			}
			for key, parts := range tt.want {
				sec, ok := e.Section(key)
				if !ok {
					t.Errorf("no %s section in\n%s", key, e.Text())
					continue
				}
				var body strings.Builder
				for _, l := range sec.Lines {
					body.WriteString(l.Text + "\n")
				}
				for _, p := range parts {
					if !strings.Contains(body.String(), p) {
						t.Errorf("%s section lacks %q:\n%s", key, p, body.String())
					}
				}
			}
		})
	}
}

// An older record, made before the explanation kept every weighed answer,
// is still explained from its drivers, without inventing what it lacks.
func TestExplainOlderRecord(t *testing.T) {
	old := `{"survey_id":"decision","survey_version":1,"language":"en","decided":"2025-06-01T09:00:00Z",
	"outcome":"grant","outcome_label":"Grant","confidence":"medium","confidence_label":"Medium","score":-0.6,
	"answered":3,"criteria":14,"drivers":[{"question":"c_spec","question_label":"Who decides what will be delivered?",
	"answer":"organisation","answer_label":"The organisation proposes its own activity","weight":3,"score":-2,"contribution":-6}],
	"rules":[],"caveats":[],"thresholds":{"name":"England","effective":"2024-01-01","source":"x","category":"light_touch","amount":663540,"notifiable":30000,"subsidy_mfa":315000}}`
	var d survey.Decision
	if err := json.Unmarshal([]byte(old), &d); err != nil {
		t.Fatal(err)
	}
	e := d.Explain()
	text := e.Text()
	for _, want := range []string{
		"Recommendation: Grant, with medium confidence.",
		"What lowers the score\n• Strong: Who decides", // no scale recorded: read as 2
		"The threshold for light_touch is £663,540, in force from 1 January 2024.",
		"Decided on 1 June 2025",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
}

func TestStrength(t *testing.T) {
	tests := []struct {
		contribution, scale float64
		want                string
	}{
		{-6, 2, survey.StrengthStrong}, {4, 2, survey.StrengthStrong}, {3, 2, survey.StrengthModerate},
		{-2, 2, survey.StrengthModerate}, {1, 2, survey.StrengthSlight}, {-1, 2, survey.StrengthSlight},
		{1, 1, survey.StrengthModerate}, {2, 1, survey.StrengthStrong},
	}
	for _, tt := range tests {
		if got := survey.Strength(tt.contribution, tt.scale); got != tt.want {
			t.Errorf("Strength(%v, %v) = %s, want %s", tt.contribution, tt.scale, got, tt.want)
		}
	}
}

func TestWithThresholdsPutsFiguresIntoQuestions(t *testing.T) {
	s := mustDecisionSurvey(t)
	filled := s.WithThresholds(survey.DefaultThresholds())
	g, _ := filled.Question("g_subsidy")
	if want := "exceed the minimal financial assistance limit of £315,000?"; !strings.HasSuffix(g.Label.In("en", "en"), want) {
		t.Errorf("g_subsidy label %q, want it to end %q", g.Label.In("en", "en"), want)
	}
	if h := g.Hint.In("en", "en"); !strings.Contains(h, "in force from 1 January 2026") {
		t.Errorf("g_subsidy hint %q lacks the date", h)
	}
	c, _ := filled.Question("category")
	for _, want := range []string{"goods or general services £207,720", "light-touch services £663,540", "works £5,193,000", "1 January 2026"} {
		if !strings.Contains(c.Hint.In("en", "en"), want) {
			t.Errorf("category hint %q lacks %q", c.Hint.In("en", "en"), want)
		}
	}
	v, _ := filled.Question("value")
	if !strings.Contains(v.Hint.In("en", "en"), "£30,000") {
		t.Errorf("value hint %q lacks the notifiable amount", v.Hint.In("en", "en"))
	}
	// The figures follow the thresholds staff enter; the original is untouched.
	old := s.WithThresholds(survey.Thresholds2024())
	c, _ = old.Question("category")
	if !strings.Contains(c.Hint.In("en", "en"), "£214,904") || !strings.Contains(c.Hint.In("en", "en"), "1 January 2024") {
		t.Errorf("2024 category hint %q", c.Hint.In("en", "en"))
	}
	orig, _ := s.Question("g_subsidy")
	if !strings.Contains(orig.Label.In("en", "en"), "{{") {
		t.Error("WithThresholds changed the survey it was given")
	}
	// The decision record quotes the question as shown.
	d := mustDecide(t, s, survey.Answers{"g_subsidy": "not_sure", "c_spec": "organisation"}, survey.DefaultThresholds())
	for _, r := range d.Rules {
		for _, a := range r.Answers {
			if strings.Contains(a.QuestionLabel, "{{") {
				t.Errorf("record quotes %q unfilled", a.QuestionLabel)
			}
		}
	}
	// Outcomes do not depend on the wording.
	if d.Outcome != "grant" {
		t.Errorf("outcome %s", d.Outcome)
	}
}

func TestScoringValidateFigures(t *testing.T) {
	tests := []struct {
		name   string
		change func(*survey.Survey)
		want   string
	}{
		{"unknown function in a label", func(s *survey.Survey) {
			q, _ := s.Question("g_subsidy")
			q.Label["en"] = "over £{{money(mfa())}}?"
		}, `question "g_subsidy": label [en]`},
		{"unclosed piece in a hint", func(s *survey.Survey) {
			q, _ := s.Question("category")
			q.Hint["en"] = "from {{threshold_date()"
		}, `question "category": hint [en]`},
		{"answer reference in a label", func(s *survey.Survey) {
			q, _ := s.Question("g_subsidy")
			q.Label["en"] = "over £{{money(${value})}}?"
		}, `question "g_subsidy": label [en]`},
		{"value question is text", func(s *survey.Survey) { s.Scoring.ValueQuestion = "funding_title" }, `value_question "funding_title": it must be a decimal or integer question`},
		{"category question missing", func(s *survey.Survey) { s.Scoring.CategoryQuestion = "nope" }, `category_question: no question is called "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustDecisionSurvey(t)
			tt.change(s)
			var all []string
			for _, err := range s.Scoring.Validate(s) {
				all = append(all, err.Error())
			}
			if !strings.Contains(strings.Join(all, "\n"), tt.want) {
				t.Errorf("errors %q lack %q", all, tt.want)
			}
		})
	}
}

// settingsMap is a SettingStore in memory.
type settingsMap map[string]string

func (m settingsMap) Setting(_ context.Context, key string) (string, bool, error) {
	v, ok := m[key]
	return v, ok, nil
}

func (m settingsMap) SetSetting(_ context.Context, key, value string) error {
	m[key] = value
	return nil
}

// TestAsShownUsesSavedThresholds: what respondents see quotes the saved
// figures; unreadable settings give the defaults, never a raw {{…}} piece.
func TestAsShownUsesSavedThresholds(t *testing.T) {
	ctx := context.Background()
	saved := settingsMap{}
	th := survey.DefaultThresholds()
	th.SubsidyMFA = 400000
	if err := survey.SaveThresholds(ctx, saved, th); err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		st   settingsMap
		want string
	}{
		"saved":      {saved, "£400,000"},
		"none saved": {settingsMap{}, "£315,000"},
		"unreadable": {settingsMap{survey.ThresholdsSettingKey: "{not json"}, "£315,000"},
	} {
		t.Run(name, func(t *testing.T) {
			shown := mustDecisionSurvey(t).AsShown(ctx, tt.st)
			g, _ := shown.Question("g_subsidy")
			if got := g.Label.In("en", "en"); !strings.Contains(got, tt.want) || strings.Contains(got, "{{") {
				t.Errorf("g_subsidy label %q, want %s", got, tt.want)
			}
		})
	}
}
