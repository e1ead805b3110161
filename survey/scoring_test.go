package survey_test

import (
	"encoding/json"
	"errors"
	"math/rand"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"canvass/survey"
)

// now is the moment every test decision is made.
var now = time.Date(2026, time.March, 2, 10, 0, 0, 0, time.UTC)

// mustDecisionSurvey loads the built-in decision tool template and checks its scoring definition.
func mustDecisionSurvey(t testing.TB) *survey.Survey {
	t.Helper()
	b, err := os.ReadFile("../assets/templates/decision.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := survey.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if s.Scoring == nil {
		t.Fatal("the decision template has no scoring")
	}
	if errs := s.Scoring.Validate(s); len(errs) > 0 {
		t.Fatalf("the decision template's scoring is invalid: %v", errors.Join(errs...))
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("the decision template is invalid: %v", err)
	}
	return s
}

func mustDecide(t testing.TB, s *survey.Survey, a survey.Answers, th survey.Thresholds) *survey.Decision {
	t.Helper()
	d, err := s.Decide(a, th, now)
	if err != nil {
		t.Fatalf("Decide(%v): %v", a, err)
	}
	return d
}

// specWeights and specScores restate the spec's table of criteria, so that
// the tests compute S independently of the template and the implementation.
var specWeights = map[string]int{
	"c_spec": 3, "c_origin": 1, "c_benefit": 3, "c_market": 3, "c_shape": 1, "c_enforce": 3, "c_payment": 2,
	"c_innovation": 2, "c_size": 1, "c_vat": 1, "c_duration": 1, "c_risk": 2, "c_independence": 1, "c_ownership": 1,
}

var specScores = map[string]map[string]int{
	"c_spec":         {"council": 2, "joint": 0, "organisation": -2},
	"c_origin":       {"council": 2, "mix": 0, "organisation": -2},
	"c_benefit":      {"duty": 2, "both": 0, "own_work": -2},
	"c_market":       {"many": 2, "few": 1, "one": -2},
	"c_shape":        {"keep": 0, "build": -1},
	"c_enforce":      {"legal": 2, "monitoring": -1, "light": -2},
	"c_payment":      {"per_unit": 2, "fixed_price": 1, "contribution": -2},
	"c_innovation":   {"yes": -2, "partly": 0, "no": 1},
	"c_size":         {"small": -2, "medium": 0, "major": 1},
	"c_vat":          {"yes": 1, "exempt": 0},
	"c_duration":     {"continuing": 1, "time_limited": -1},
	"c_risk":         {"provider": 2, "shared": -2},
	"c_independence": {"yes": -2, "no": 0},
	"c_ownership":    {"yes": 2, "no": 0},
}

// specS computes S in integers (Σ weight×score over Σ weight×2) and the
// number of criteria answered.
func specS(a survey.Answers) (s float64, answered int) {
	num, den := 0, 0
	for q, w := range specWeights {
		sc, ok := specScores[q][a[q]]
		if !ok {
			continue
		}
		num += w * sc
		den += w * 2
		answered++
	}
	if den == 0 {
		return 0, 0
	}
	return float64(num) / float64(den), answered
}

// with returns a copy of a with the given name/value pairs set.
func with(a survey.Answers, kv ...string) survey.Answers {
	out := survey.Answers{}
	for k, v := range a {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// Answer sets used by several tests.
var (
	// residents: the spec's residents' group asking for £8,000 (six grant-ward criteria).
	residents = survey.Answers{
		"value": "8000", "category": "light_touch",
		"c_spec": "organisation", "c_payment": "contribution", "c_innovation": "yes",
		"c_size": "small", "c_independence": "yes", "c_market": "one",
	}
	// residentsFull: the same with six more grant-ward answers (12 of 14).
	residentsFull = with(residents, "c_origin", "organisation", "c_benefit", "own_work", "c_shape", "build",
		"c_enforce", "light", "c_duration", "time_limited", "c_risk", "shared")
	// homeCare: the spec's home-care example.
	homeCare = survey.Answers{
		"value": "900000", "category": "light_touch",
		"c_spec": "council", "c_benefit": "duty", "c_payment": "per_unit", "c_market": "many", "c_enforce": "legal",
	}
	// quarterUp: S = 6/24 = +0.25 exactly.
	quarterUp = survey.Answers{"c_spec": "council", "c_benefit": "both", "c_enforce": "monitoring", "c_market": "few"}
	// quarterDown: S = -6/24 = -0.25 exactly.
	quarterDown = survey.Answers{"c_spec": "organisation", "c_benefit": "both", "c_enforce": "monitoring", "c_market": "few"}
	// justBelowQuarter: S = 6/26, just inside Either.
	justBelowQuarter = with(quarterUp, "c_shape", "keep")
	// halfUp12: 12 answered, S = 23/46 = +0.5 exactly.
	halfUp12 = survey.Answers{
		"c_spec": "council", "c_origin": "council", "c_benefit": "duty", "c_market": "one", "c_shape": "keep",
		"c_enforce": "legal", "c_payment": "fixed_price", "c_innovation": "no", "c_size": "medium",
		"c_duration": "continuing", "c_risk": "provider", "c_independence": "no",
	}
	// halfDown12: 12 answered, S = -23/46 = -0.5 exactly.
	halfDown12 = survey.Answers{
		"c_spec": "organisation", "c_origin": "council", "c_benefit": "both", "c_market": "one", "c_shape": "keep",
		"c_enforce": "light", "c_payment": "per_unit", "c_innovation": "yes", "c_size": "small",
		"c_duration": "time_limited", "c_risk": "shared", "c_independence": "no",
	}
	// halfUp11: 11 answered, S = 22/44 = +0.5 exactly.
	halfUp11 = survey.Answers{
		"c_spec": "council", "c_origin": "mix", "c_benefit": "duty", "c_market": "few", "c_shape": "keep",
		"c_enforce": "monitoring", "c_payment": "per_unit", "c_innovation": "partly", "c_size": "major",
		"c_duration": "continuing", "c_risk": "provider",
	}
	// halfDown11: 11 answered, S = -22/44 = -0.5 exactly.
	halfDown11 = survey.Answers{
		"c_spec": "organisation", "c_origin": "organisation", "c_benefit": "both", "c_market": "many", "c_shape": "build",
		"c_enforce": "light", "c_payment": "contribution", "c_innovation": "yes", "c_size": "medium",
		"c_duration": "time_limited", "c_risk": "shared",
	}
	// strongContract: clearly a contract by score (S = 1), 5 answered.
	strongContract = survey.Answers{"c_spec": "council", "c_benefit": "duty", "c_enforce": "legal", "c_market": "many", "c_risk": "provider"}
	// contractByRule: a contract because the council pays for its own function, nothing else answered.
	contractByRule = survey.Answers{"g_function": "yes"}
)

func TestDecideWorkedExamples(t *testing.T) {
	s := mustDecisionSurvey(t)
	th := survey.DefaultThresholds()

	t.Run("direct payments for 40 people", func(t *testing.T) {
		d := mustDecide(t, s, survey.Answers{"g_personal": "yes", "g_return": "not_sure", "c_spec": "council"}, th)
		if d.Outcome != "neither" || d.Confidence != "high" {
			t.Errorf("got %s/%s, want neither/high", d.Outcome, d.Confidence)
		}
		if d.OutcomeLabel != "Neither — personal budget route" {
			t.Errorf("label %q", d.OutcomeLabel)
		}
		if ids := ruleIDs(d); !reflect.DeepEqual(ids, []string{"personal_budget"}) {
			t.Errorf("rules %v: rule 1 must stop the others", ids)
		}
		if len(d.Drivers) != 1 || d.Drivers[0].Rule != "personal_budget" {
			t.Errorf("drivers %+v, want only the personal budget rule", d.Drivers)
		}
		if len(d.Caveats) != 0 {
			t.Errorf("caveats %q after a stop", d.Caveats)
		}
	})

	t.Run("home care at £900,000 is a regulated procurement", func(t *testing.T) {
		d := mustDecide(t, s, homeCare, th)
		if d.Outcome != "regulated_procurement" {
			t.Fatalf("outcome %s", d.Outcome)
		}
		if d.OutcomeLabel != "Procurement — regulated procurement required" {
			t.Errorf("label %q", d.OutcomeLabel)
		}
		if d.Score != 1 || d.Answered != 5 || d.Criteria != 14 || d.Confidence != "medium" {
			t.Errorf("S=%v answered=%d/%d confidence=%s, want 1, 5/14, medium", d.Score, d.Answered, d.Criteria, d.Confidence)
		}
		wantCaveat(t, d, "£900,000 is at or above the threshold of £663,540", "1 January 2026")
		if d.Thresholds.Category != "light_touch" || d.Thresholds.Amount == nil || *d.Thresholds.Amount != 663540 {
			t.Errorf("threshold used %+v", d.Thresholds)
		}
		if d.Thresholds.Effective != "2026-01-01" || d.Thresholds.Source == "" {
			t.Errorf("threshold set %+v", d.Thresholds)
		}
	})

	t.Run("residents' group: grant, medium with six answers", func(t *testing.T) {
		d := mustDecide(t, s, residents, th)
		if d.Outcome != "grant" || d.Score != -1 || d.Confidence != "medium" || d.Answered != 6 {
			t.Errorf("got %s S=%v %s answered=%d, want grant S=-1 medium answered=6", d.Outcome, d.Score, d.Confidence, d.Answered)
		}
		if len(d.Caveats) != 0 || len(d.Rules) != 0 {
			t.Errorf("rules %v caveats %q, want none", ruleIDs(d), d.Caveats)
		}
	})

	t.Run("residents' group: high with twelve answers", func(t *testing.T) {
		d := mustDecide(t, s, residentsFull, th)
		// c_shape and c_duration score -1, so S = -44/46
		if d.Outcome != "grant" || d.Score != -44.0/46 || d.Confidence != "high" || d.Answered != 12 {
			t.Errorf("got %s S=%v %s answered=%d, want grant S=-44/46 high answered=12", d.Outcome, d.Score, d.Confidence, d.Answered)
		}
	})

	t.Run("residents' group with something in return", func(t *testing.T) {
		d := mustDecide(t, s, with(residents, "g_return", "yes"), th)
		if d.Outcome != "procurement" || d.Confidence != "high" {
			t.Errorf("got %s/%s, want procurement/high", d.Outcome, d.Confidence)
		}
		if len(d.Drivers) == 0 || d.Drivers[0].Rule != "council_function" {
			t.Errorf("drivers %+v: the rule must come first", d.Drivers)
		}
		if len(d.Caveats) != 0 {
			t.Errorf("caveats %q, want none (£8,000 is below the notifiable £30,000)", d.Caveats)
		}
	})
}

func TestDecideScenarios(t *testing.T) {
	s := mustDecisionSurvey(t)
	tests := []struct {
		name       string
		answers    survey.Answers
		thresholds *survey.Thresholds // nil: the defaults
		outcome    string
		confidence string
		rules      []string // the rules that fire, in order
		caveats    []string // substrings each of which some caveat holds
	}{
		{name: "nothing answered", answers: survey.Answers{}, outcome: "either", confidence: "low"},
		{name: "S exactly +0.25 is a contract", answers: quarterUp, outcome: "procurement", confidence: "medium",
			rules: []string{"thresholds_unchecked"}, caveats: []string{"enter the value and category"}},
		{name: "S exactly -0.25 is a grant", answers: quarterDown, outcome: "grant", confidence: "medium"},
		{name: "S just under +0.25 is either", answers: justBelowQuarter, outcome: "either", confidence: "low"},
		{name: "S just over -0.25 is either", answers: with(quarterDown, "c_shape", "keep"), outcome: "either", confidence: "low"},
		{name: "S exactly +0.5 with 12 of 14 is high", answers: with(halfUp12, "value", "1000", "category", "works"),
			outcome: "procurement", confidence: "high"},
		{name: "S exactly -0.5 with 12 of 14 is high", answers: halfDown12, outcome: "grant", confidence: "high"},
		{name: "S exactly +0.5 with 11 of 14 is medium", answers: with(halfUp11, "value", "1000", "category", "works"),
			outcome: "procurement", confidence: "medium"},
		{name: "S exactly -0.5 with 11 of 14 is medium", answers: halfDown11, outcome: "grant", confidence: "medium"},
		{name: "don't know does not count as answered", answers: with(halfUp11, "c_vat", "dont_know", "value", "1000", "category", "works"),
			outcome: "procurement", confidence: "medium"},
		{name: "S under 0.5 with 12 of 14 is medium", answers: with(halfUp12, "c_duration", "time_limited", "value", "1000", "category", "works"),
			outcome: "procurement", confidence: "medium"},
		{name: "rule 1 overrides a strong contract", answers: with(strongContract, "g_personal", "yes", "g_function", "yes"),
			outcome: "neither", confidence: "high", rules: []string{"personal_budget"}},
		{name: "g_personal no changes nothing", answers: with(residents, "g_personal", "no"), outcome: "grant", confidence: "medium"},
		{name: "rule 2: own function makes a grant a contract", answers: with(residentsFull, "g_function", "yes", "value", "", "category", ""),
			outcome: "procurement", confidence: "high", rules: []string{"council_function", "thresholds_unchecked"}},
		{name: "rule 2 raises an either to high", answers: with(justBelowQuarter, "g_return", "yes", "value", "5000", "category", "goods_services"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function"}},
		{name: "rule 3: no power turns a grant into a contract", answers: with(residents, "g_power", "no"),
			outcome: "procurement", confidence: "medium", rules: []string{"no_power"}, caveats: []string{"the council has no power to make this grant"}},
		{name: "rule 3: no power turns an either into a contract", answers: with(justBelowQuarter, "g_power", "no", "value", "100", "category", "works"),
			outcome: "procurement", confidence: "medium", rules: []string{"no_power"}},
		{name: "rule 3 does not apply after rule 2", answers: with(residents, "g_power", "no", "g_function", "yes"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function"}},
		{name: "rule 3 leaves a contract by score alone", answers: with(strongContract, "g_power", "no", "value", "1000", "category", "works"),
			outcome: "procurement", confidence: "medium"},
		{name: "rule 3 then rule 4: no power and over the threshold", answers: with(residents, "g_power", "no", "value", "700000"),
			outcome: "regulated_procurement", confidence: "medium", rules: []string{"no_power", "regulated"}, caveats: []string{"£663,540"}},
		{name: "power not sure on a grant", answers: with(residents, "g_power", "not_sure"),
			outcome: "grant", confidence: "medium", rules: []string{"power_not_sure"}, caveats: []string{"confirm the legal power to make a grant"}},
		{name: "power not sure on a contract says nothing", answers: with(contractByRule, "g_power", "not_sure", "value", "100", "category", "works"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function"}},
		{name: "goods at exactly the threshold", answers: with(contractByRule, "value", "207720", "category", "goods_services"),
			outcome: "regulated_procurement", confidence: "high", rules: []string{"council_function", "regulated"}, caveats: []string{"£207,720 is at or above the threshold of £207,720"}},
		{name: "goods a penny below the threshold is notifiable", answers: with(contractByRule, "value", "207719.99", "category", "goods_services"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function", "notifiable"}, caveats: []string{"below threshold but notifiable", "£30,000"}},
		{name: "light touch at exactly the threshold", answers: with(contractByRule, "value", "663540", "category", "light_touch"),
			outcome: "regulated_procurement", confidence: "high", rules: []string{"council_function", "regulated"}},
		{name: "light touch below the threshold", answers: with(contractByRule, "value", "663539", "category", "light_touch"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function", "notifiable"}},
		{name: "works at exactly the threshold", answers: with(contractByRule, "value", "5193000", "category", "works"),
			outcome: "regulated_procurement", confidence: "high", rules: []string{"council_function", "regulated"}, caveats: []string{"£5,193,000"}},
		{name: "works below the threshold", answers: with(contractByRule, "value", "5192999", "category", "works"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function", "notifiable"}},
		{name: "exactly the notifiable amount", answers: with(contractByRule, "value", "30000", "category", "goods_services"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function", "notifiable"}},
		{name: "a penny under the notifiable amount", answers: with(contractByRule, "value", "29999.99", "category", "goods_services"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function"}},
		{name: "value zero", answers: with(contractByRule, "value", "0", "category", "works"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function"}},
		{name: "health care has no threshold", answers: with(contractByRule, "value", "99000000", "category", "health_care"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function", "health_care_contract"},
			caveats: []string{"health care services: the Provider Selection Regime applies"}},
		{name: "health care on a grant", answers: with(residents, "category", "health_care"),
			outcome: "grant", confidence: "medium", rules: []string{"health_care_other"}, caveats: []string{"Provider Selection Regime"}},
		{name: "contract with no value", answers: with(contractByRule, "category", "works"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function", "thresholds_unchecked"},
			caveats: []string{"enter the value and category to check the procurement thresholds"}},
		{name: "contract with no category", answers: with(contractByRule, "value", "900000"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function", "thresholds_unchecked"}},
		{name: "a grant needs no value", answers: with(residents, "value", "", "category", ""), outcome: "grant", confidence: "medium"},
		{name: "2024 thresholds: the 2026 goods threshold is below the old one",
			answers: with(contractByRule, "value", "207720", "category", "goods_services"), thresholds: ptr(survey.Thresholds2024()),
			outcome: "procurement", confidence: "high", rules: []string{"council_function", "notifiable"}},
		{name: "subsidy: high grant is capped at medium", answers: with(residentsFull, "g_subsidy", "yes"),
			outcome: "grant", confidence: "medium", rules: []string{"subsidy"}, caveats: []string{"a subsidy control assessment is needed"}},
		{name: "subsidy not sure", answers: with(residentsFull, "g_subsidy", "not_sure"),
			outcome: "grant", confidence: "high", rules: []string{"subsidy_not_sure"}, caveats: []string{"check subsidy control", "£315,000"}},
		{name: "subsidy does not apply to a contract", answers: with(contractByRule, "g_subsidy", "yes", "value", "100", "category", "works"),
			outcome: "procurement", confidence: "high", rules: []string{"council_function"}},
		{name: "subsidy no changes nothing", answers: with(residentsFull, "g_subsidy", "no"), outcome: "grant", confidence: "high"},
		{name: "return not sure on a grant", answers: with(residents, "g_return", "not_sure"),
			outcome: "grant", confidence: "medium", rules: []string{"return_not_sure"}, caveats: []string{"this is a contract whatever it is called"}},
		{name: "return not sure on a contract", answers: with(strongContract, "g_return", "not_sure", "value", "100", "category", "works"),
			outcome: "procurement", confidence: "medium", rules: []string{"return_not_sure"}},
		{name: "every caveat of a grant in rule order", answers: with(residents, "g_power", "not_sure", "g_subsidy", "not_sure", "g_return", "not_sure", "category", "health_care"),
			outcome: "grant", confidence: "medium", rules: []string{"power_not_sure", "health_care_other", "subsidy_not_sure", "return_not_sure"}},
		{name: "blank gateway answers fire nothing", answers: with(residentsFull, "g_personal", "", "g_power", "", "g_function", "", "g_return", "", "g_subsidy", ""),
			outcome: "grant", confidence: "high"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := survey.DefaultThresholds()
			if tt.thresholds != nil {
				th = *tt.thresholds
			}
			a := survey.Answers{}
			for k, v := range tt.answers {
				if v != "" {
					a[k] = v
				}
			}
			d := mustDecide(t, s, a, th)
			wantS, wantAnswered := specS(a)
			if d.Score != wantS || d.Answered != wantAnswered {
				t.Errorf("S=%v answered=%d, want S=%v answered=%d", d.Score, d.Answered, wantS, wantAnswered)
			}
			if d.Outcome != tt.outcome || d.Confidence != tt.confidence {
				t.Errorf("got %s/%s, want %s/%s (S=%v, rules %v)", d.Outcome, d.Confidence, tt.outcome, tt.confidence, d.Score, ruleIDs(d))
			}
			if got := ruleIDs(d); !reflect.DeepEqual(got, orEmpty(tt.rules)) {
				t.Errorf("rules %v, want %v", got, orEmpty(tt.rules))
			}
			wantCaveat(t, d, tt.caveats...)
			if len(d.Caveats) != countCaveats(d) {
				t.Errorf("caveats %q do not match the fired rules' caveats", d.Caveats)
			}
		})
	}
}

func TestDecideDrivers(t *testing.T) {
	s := mustDecisionSurvey(t)
	th := survey.DefaultThresholds()

	t.Run("a grant lists the three largest grant-ward answers", func(t *testing.T) {
		d := mustDecide(t, s, residents, th)
		// contributions: c_spec -6, c_market -6, c_payment -4, c_innovation -4, c_size -2, c_independence -2
		want := []string{"c_spec", "c_market", "c_payment"}
		if got := driverQuestions(d); !reflect.DeepEqual(got, want) {
			t.Errorf("drivers %v, want %v (largest first, ties in survey order)", got, want)
		}
		first := d.Drivers[0]
		if first.QuestionLabel != "Who decides what will be delivered?" ||
			first.Answer != "organisation" || first.AnswerLabel != "The organisation proposes its own activity" ||
			first.Contribution != -6 {
			t.Errorf("first driver %+v", first)
		}
	})

	t.Run("a contract lists only contract-ward answers", func(t *testing.T) {
		d := mustDecide(t, s, with(quarterUp, "value", "100", "category", "works"), th)
		// c_spec +6, c_market +3, c_enforce -3 (grant-ward), c_benefit 0
		if got := driverQuestions(d); !reflect.DeepEqual(got, []string{"c_spec", "c_market"}) {
			t.Errorf("drivers %v", got)
		}
	})

	t.Run("either lists the largest on each side", func(t *testing.T) {
		a := survey.Answers{
			"c_spec": "council", "c_benefit": "duty", "c_payment": "fixed_price", "c_ownership": "yes",
			"c_market": "one", "c_enforce": "light", "c_innovation": "yes", "c_independence": "yes",
		}
		d := mustDecide(t, s, a, th)
		if d.Outcome != "either" {
			t.Fatalf("outcome %s (S=%v)", d.Outcome, d.Score)
		}
		// +6 c_spec, +6 c_benefit, +2 c_payment, +2 c_ownership; -6 c_market, -6 c_enforce, -4 c_innovation, -2 c_independence
		want := []string{"c_spec", "c_benefit", "c_market", "c_enforce", "c_innovation", "c_payment"}
		if got := driverQuestions(d); !reflect.DeepEqual(got, want) {
			t.Errorf("drivers %v, want %v", got, want)
		}
	})

	t.Run("rules that decide come first, criteria follow the final outcome", func(t *testing.T) {
		d := mustDecide(t, s, with(residents, "g_power", "no", "value", "700000", "c_ownership", "yes"), th)
		if len(d.Drivers) != 3 || d.Drivers[0].Rule != "no_power" || d.Drivers[1].Rule != "regulated" || d.Drivers[2].Question != "c_ownership" {
			t.Fatalf("drivers %+v", d.Drivers)
		}
		if got := d.Drivers[0].Answers; len(got) != 1 || got[0].Question != "g_power" || got[0].AnswerLabel != "No" {
			t.Errorf("the rule's answers %+v", got)
		}
	})

	t.Run("zero scores never drive", func(t *testing.T) {
		d := mustDecide(t, s, survey.Answers{"c_benefit": "both", "c_spec": "joint"}, th)
		if len(d.Drivers) != 0 {
			t.Errorf("drivers %+v", d.Drivers)
		}
	})
}

func TestDecideWithoutScoring(t *testing.T) {
	t.Run("a survey without scoring", func(t *testing.T) {
		plain := &survey.Survey{ID: "plain"}
		if _, err := plain.Decide(survey.Answers{}, survey.DefaultThresholds(), now); !errors.Is(err, survey.ErrNotScored) {
			t.Errorf("err %v, want ErrNotScored", err)
		}
	})
}

// TestDecideMonotone checks, over random answers, that moving any answer
// towards a grant never moves the outcome towards a contract, in the order
// grant < either < procurement < regulated procurement.
func TestDecideMonotone(t *testing.T) {
	s := mustDecisionSurvey(t)
	th := survey.DefaultThresholds()
	rank := map[string]int{"grant": 0, "either": 1, "procurement": 2, "regulated_procurement": 3}
	rng := rand.New(rand.NewSource(20260101))
	pick := func(opts ...string) string { return opts[rng.Intn(len(opts))] }
	criteria := make([]string, 0, len(specWeights))
	for q := range specWeights {
		criteria = append(criteria, q)
	}
	sort.Strings(criteria)

	gateways := []struct {
		q    string
		opts []string
	}{
		{"g_power", []string{"", "yes", "no", "not_sure"}},
		{"g_function", []string{"", "", "yes", "no"}},
		{"g_return", []string{"", "", "yes", "no", "not_sure"}},
		{"g_subsidy", []string{"", "yes", "no", "not_sure"}},
		{"category", []string{"", "goods_services", "light_touch", "health_care", "works"}},
		{"value", []string{"", "0", "29999", "30000", "207720", "663540", "5193000", "9000000"}},
	}
	for i := 0; i < 300; i++ {
		a := survey.Answers{}
		for _, q := range criteria {
			if rng.Intn(4) == 0 {
				continue
			}
			a[q] = pick(choicesOf(s, q)...)
		}
		for _, g := range gateways {
			if v := pick(g.opts...); v != "" {
				a[g.q] = v
			}
		}
		before := mustDecide(t, s, a, th)
		for _, moved := range towardsGrant(s, a) {
			after := mustDecide(t, s, moved.answers, th)
			if rank[after.Outcome] > rank[before.Outcome] {
				t.Fatalf("%s moved %s (S=%v) to %s (S=%v)\nanswers %v", moved.what, before.Outcome, before.Score, after.Outcome, after.Score, a)
			}
		}
	}
}

type move struct {
	what    string
	answers survey.Answers
}

// towardsGrant returns every single change of a that points more towards a grant.
func towardsGrant(s *survey.Survey, a survey.Answers) []move {
	var out []move
	add := func(what, q, v string) {
		b := with(a)
		if v == "" {
			delete(b, q)
		} else {
			b[q] = v
		}
		out = append(out, move{what + ": " + q + "=" + v, b})
	}
	for q, scores := range specScores {
		cur, answered := scores[a[q]]
		for c, sc := range scores {
			switch {
			case answered && sc < cur:
				add("lower score", q, c)
			case !answered && sc < 0:
				add("blank to grant-ward", q, c)
			}
		}
		if answered && cur > 0 {
			add("contract-ward to blank", q, "")
			if _, ok := scores["dont_know"]; !ok && contains(choicesOf(s, q), "dont_know") {
				add("contract-ward to don't know", q, "dont_know")
			}
		}
	}
	for _, q := range []string{"g_function", "g_return"} {
		if a[q] == "yes" {
			add("gateway", q, "no")
			add("gateway", q, "")
		}
	}
	if a["g_power"] == "no" {
		add("gateway", "g_power", "yes")
	}
	if a["value"] != "" {
		add("lower value", "value", "1")
	}
	return out
}

func TestScoringValidate(t *testing.T) {
	base := mustDecisionSurvey(t)
	tests := []struct {
		name   string
		change func(s *survey.Survey)
		want   string
	}{
		{"band with an unknown outcome", func(s *survey.Survey) { s.Scoring.Bands[0].Outcome = "gift" }, `band 1: unknown outcome "gift"`},
		{"bands that leave a gap", func(s *survey.Survey) { s.Scoring.Bands = s.Scoring.Bands[:2] }, "no band holds the score"},
		{"rule with an unknown outcome", func(s *survey.Survey) { s.Scoring.Rules[1].Outcome = "contract" }, `outcome: unknown outcome "contract"`},
		{"rule with an unknown if_outcome", func(s *survey.Survey) { s.Scoring.Rules[2].IfOutcome = []string{"grnat"} }, `if_outcome: unknown outcome "grnat"`},
		{"rule with an unknown cap", func(s *survey.Survey) { s.Scoring.Rules[9].MaxConfidence = "middling" }, `unknown confidence level "middling"`},
		{"rule that does not parse", func(s *survey.Survey) { s.Scoring.Rules[0].When = "${g_personal} = = 'yes'" }, "rule 1 (personal_budget): when"},
		{"rule naming an unknown question", func(s *survey.Survey) { s.Scoring.Rules[0].When = "${g_persona} = 'yes'" }, "unknown question ${g_persona}"},
		{"rule calling an unknown function", func(s *survey.Survey) { s.Scoring.Rules[0].When = "limit(${value})" }, "unknown function limit()"},
		{"caveat that does not parse", func(s *survey.Survey) { s.Scoring.Rules[2].Caveat = survey.En("no power {{money(}}") }, "caveat [en]"},
		{"caveat left open", func(s *survey.Survey) { s.Scoring.Rules[2].Caveat = survey.En("no power {{money(1)") }, "not closed"},
		{"duplicate rule ids", func(s *survey.Survey) { s.Scoring.Rules[1].ID = s.Scoring.Rules[0].ID }, "used by another rule"},
		{"a rule that does nothing", func(s *survey.Survey) { s.Scoring.Rules = []survey.Rule{{ID: "idle", When: "true()"}} }, "does nothing"},
		{"score beyond the scale", func(s *survey.Survey) { s.Lists[len(s.Lists)-1].Choices[0].Score = ptr(3.0) }, "outside -2…2"},
		{"weight on a text question", func(s *survey.Survey) { q, _ := s.Question("funding_title"); q.Weight = 1 }, "only select_one"},
		{"negative weight", func(s *survey.Survey) { q, _ := s.Question("c_spec"); q.Weight = -1 }, "must be above zero"},
		{"last confidence level with a condition", func(s *survey.Survey) { s.Scoring.Confidence[2].MinAbsScore = 0.1 }, `"low" is the last`},
		{"zero scale", func(s *survey.Survey) { s.Scoring.Scale = 0 }, "scale must be"},
		{"outcome code that is not a name", func(s *survey.Survey) { s.Scoring.Outcomes[1].Code = "a b" }, `outcome 2: code "a b": use letters, digits and _ only`},
		{"outcome listed twice", func(s *survey.Survey) { s.Scoring.Outcomes[1].Code = s.Scoring.Outcomes[0].Code }, `outcome "` + base.Scoring.Outcomes[0].Code + `" is listed twice`},
		{"confidence code that is not a name", func(s *survey.Survey) { s.Scoring.Confidence[0].Code = "hi!" }, `confidence level 1: code "hi!": use letters, digits and _ only`},
		{"confidence level listed twice", func(s *survey.Survey) { s.Scoring.Confidence[1].Code = s.Scoring.Confidence[0].Code }, `confidence level "` + base.Scoring.Confidence[0].Code + `" is listed twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base.Clone()
			tt.change(s)
			errs := s.Scoring.Validate(s)
			if !strings.Contains(errors.Join(errs...).Error()+" ", tt.want) {
				t.Errorf("problems %v, want one saying %q", errs, tt.want)
			}
		})
	}
}

func TestDecisionJSONRoundTrip(t *testing.T) {
	s := mustDecisionSurvey(t)
	d := mustDecide(t, s, with(homeCare, "g_function", "yes"), survey.DefaultThresholds())
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back survey.Decision
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, d) {
		t.Errorf("round trip changed the decision:\n%+v\n%+v", back, *d)
	}
	for _, key := range []string{`"outcome":"regulated_procurement"`, `"confidence":"high"`, `"score":1`, `"effective":"2026-01-01"`, `"rule":"council_function"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}

func TestDecisionTemplateMatchesSpec(t *testing.T) {
	s := mustDecisionSurvey(t)
	if s.ID != "decision" || s.Template != "decision" {
		t.Errorf("id %q template %q", s.ID, s.Template)
	}
	fields := s.Fields()
	if fields[0].Name != "consent" || fields[0].Type != survey.TypeAcknowledge || !fields[0].Required {
		t.Errorf("the first question is %+v, want a required consent", fields[0])
	}
	if last := s.All()[len(s.All())-1]; last.Type != survey.TypeNote {
		t.Errorf("the survey ends with %s, want a note", last.Type)
	}
	for q, w := range specWeights {
		qq, ok := s.Question(q)
		if !ok {
			t.Errorf("criterion %s missing", q)
			continue
		}
		if qq.Weight != float64(w) || qq.Required {
			t.Errorf("%s: weight %v required %v, want %d and optional", q, qq.Weight, qq.Required, w)
		}
		got := map[string]int{}
		for _, c := range s.Choices(qq) {
			if c.Score == nil {
				if c.Name != "dont_know" {
					t.Errorf("%s: choice %s has no score", q, c.Name)
				}
				continue
			}
			got[c.Name] = int(*c.Score)
		}
		if !reflect.DeepEqual(got, specScores[q]) {
			t.Errorf("%s: scores %v, want %v", q, got, specScores[q])
		}
	}
	for _, g := range []string{"g_personal", "g_power", "g_function", "g_return", "value", "category", "g_subsidy"} {
		q, ok := s.Question(g)
		if !ok || q.Required {
			t.Errorf("gateway question %s: found %v, must exist and be optional", g, ok)
		}
	}
	if v, _ := s.Question("value"); v.Type != survey.TypeDecimal || v.Constraint != ". >= 0" {
		t.Errorf("value is %s with constraint %q", v.Type, v.Constraint)
	}
}

func ruleIDs(d *survey.Decision) []string {
	ids := []string{}
	for _, r := range d.Rules {
		ids = append(ids, r.ID)
	}
	return ids
}

func driverQuestions(d *survey.Decision) []string {
	var qs []string
	for _, dr := range d.Drivers {
		qs = append(qs, dr.Question)
	}
	return qs
}

func countCaveats(d *survey.Decision) int {
	n := 0
	for _, r := range d.Rules {
		if r.Caveat != "" {
			n++
		}
	}
	return n
}

func wantCaveat(t *testing.T, d *survey.Decision, parts ...string) {
	t.Helper()
	all := strings.Join(d.Caveats, "\n")
	for _, p := range parts {
		if !strings.Contains(all, p) {
			t.Errorf("no caveat holds %q; caveats: %q", p, d.Caveats)
		}
	}
}

func choicesOf(s *survey.Survey, q string) []string {
	qq, _ := s.Question(q)
	var names []string
	for _, c := range s.Choices(qq) {
		names = append(names, c.Name)
	}
	return names
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func ptr[T any](v T) *T { return &v }

func TestGroupThousandsInDrivers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"900000", "900,000"}, {"663540", "663,540"}, {"999", "999"}, {"1000", "1,000"},
		{"1234567.25", "1,234,567.25"}, {"-30000", "-30,000"}, {"abc", "abc"}, {"1e6", "1e6"}, {"", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := survey.GroupThousands(tc.in); got != tc.want {
				t.Errorf("GroupThousands(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
