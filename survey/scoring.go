package survey

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"canvass/survey/expr"
)

// Scoring turns a survey into a scored decision tool. It is part of the
// definition, so it is versioned with the survey and travels with it.
//
// # Criteria and the score S
//
// A criterion is any select_one question with a Weight above zero. Its
// choices carry a Score between -Scale and +Scale; a choice without a score
// (such as "don't know") counts as unanswered, as does a blank answer.
//
//	S = Σ(weight × score) ÷ Σ(weight × Scale)   over the answered criteria
//
// so S runs from -1 to +1, and is 0 when no criterion is answered.
//
// # Outcome and confidence
//
// The first Band whose bounds hold S (From ≤ S ≤ To, either bound optional)
// gives the outcome; the first ConfidenceLevel whose MinAbsScore and
// MinAnswered hold gives the confidence. Levels are listed highest first:
// that order is what MaxConfidence caps by. Comparisons with a bound allow
// 1e-9 of floating-point error, so S computed as exactly ±0.25 is ±0.25.
//
// # Hard rules
//
// Rules then run in order. A rule applies when the current outcome is in
// IfOutcome (or IfOutcome is empty) and its When expression is true. It may
// set the Outcome and Confidence, cap the confidence at MaxConfidence, add a
// Caveat, be listed among the drivers (Driver, in firing order, before the
// criteria) and end the rules (Stop). A blank answer is "", so a rule such
// as ${g_power} = 'no' never fires on a blank.
//
// When expressions, and {{…}} pieces inside caveats, may call these
// functions besides the built-in ones (see ScoringFuncs):
//
//	outcome()          the current outcome code (as changed by earlier rules)
//	confidence()       the current confidence code
//	score()            S
//	answered()         criteria answered;  criteria()  criteria in the survey
//	threshold(cat)     the procurement threshold for category code cat, or ""
//	                   when it has none (health care, blank, unknown)
//	notifiable()       the amount from which a below-threshold contract is notified
//	subsidy_mfa()      the minimal financial assistance limit (subsidy control)
//	threshold_date()   the thresholds' effective date, e.g. "1 January 2026"
//	money(n)           n with thousands separators, e.g. "663,540"
//
// A caveat is text in which each {{expression}} is replaced by its value,
// e.g. "at or above the £{{money(threshold(${category}))}} threshold".
//
// # Drivers
//
// Each Outcome says which criteria explain it (Outcome.Drivers): the
// answered criteria whose weight × score is negative, positive, either
// ("both", for an outcome such as Either: up to Drivers criteria on each
// side) or none. Up to Drivers of them are listed per side, largest
// |weight × score| first, ties in survey order. Drivers are picked for the
// final outcome, after the rules, so a rule that turns a grant into a
// contract is never followed by grant-ward answers presented as the reasons.
//
// # The built-in decision tool (assets/templates/decision.json)
//
// Where decision-tool.md is ambiguous or contradicts itself, the template reads it so:
//   - Rule 3 applies only while the outcome is still Grant or Either, so
//     after rule 2 has made it a contract it does nothing (not even the
//     caveat); "not sure" about the power adds its caveat only on Grant or
//     Either, where a grant is still in question.
//   - Rule 4's "a contract" is Procurement (and Regulated, which only rule 4
//     itself gives); the notifiable caveat only on Procurement below the
//     threshold. "No rule fires on a blank" (rule 0) covers the gateway
//     answers; the "enter the value and category" caveat is the one rule
//     that fires on blanks, and only for a contract that is not health care.
//   - Health care adds the Provider Selection Regime caveat on any outcome
//     but Neither (worded conditionally on Grant or Either), as the
//     thresholds section asks, not only on a contract as rule 4 says.
//   - Rule 5 (subsidy) also applies to Either (the cap changes nothing
//     there: an Either is always low confidence).
//   - Rules that change the outcome (1, 2, 3 and the threshold rule) are
//     drivers, listed in firing order before the criteria; the spec names
//     only rule 2.
//   - For Either, drivers are up to three on each side, largest first.
type Scoring struct {
	// Scale is the largest |score| a choice may carry (2 for scores -2…+2).
	Scale float64 `json:"scale"`
	// Outcomes lists every outcome a band or rule may give.
	Outcomes []Outcome `json:"outcomes"`
	// Bands map S to an outcome; the first that holds S wins.
	Bands []Band `json:"bands"`
	// Confidence lists the confidence levels, highest first; the first whose
	// conditions hold wins, so the last should have none.
	Confidence []ConfidenceLevel `json:"confidence"`
	// Drivers is how many criteria to list per side (0 means DefaultDrivers).
	Drivers int `json:"drivers,omitempty"`
	// Rules are the hard rules, applied in order after scoring.
	Rules []Rule `json:"rules,omitempty"`
	// Notice is shown with every result, e.g. that it does not replace advice.
	Notice Text `json:"notice,omitempty"`
	// Sides name where scores below and above zero point, for the
	// explanation ("what points to a grant"); blank sides read generically.
	Sides ScoreSides `json:"sides,omitempty"`
	// ValueQuestion and CategoryQuestion name the questions holding the
	// value and the threshold category, so that the explanation can set the
	// value against each threshold (both optional).
	ValueQuestion    string `json:"value_question,omitempty"`
	CategoryQuestion string `json:"category_question,omitempty"`
}

// ScoreSides names the two ends of the score in words, each as it follows
// "points to", e.g. "a grant" and "a contract".
type ScoreSides struct {
	Negative Text `json:"negative,omitempty"`
	Positive Text `json:"positive,omitempty"`
}

// DefaultDrivers is how many criteria a result lists per side when
// Scoring.Drivers is 0.
const DefaultDrivers = 3

// Which criteria explain an outcome (Outcome.Drivers).
const (
	DriversNegative = "negative" // criteria scoring below zero (e.g. towards a grant)
	DriversPositive = "positive" // criteria scoring above zero (e.g. towards a contract)
	DriversBoth     = "both"     // the largest on each side
	DriversNone     = ""         // no criteria: only the rules explain it
)

// Outcome is one possible result of a scored survey.
type Outcome struct {
	Code        string `json:"code"`
	Label       Text   `json:"label"`
	Description Text   `json:"description,omitempty"`
	// Drivers says which criteria explain the outcome: DriversNegative,
	// DriversPositive, DriversBoth or DriversNone.
	Drivers string `json:"drivers,omitempty"`
}

// Band gives Outcome to the scores From ≤ S ≤ To. A nil bound is open.
type Band struct {
	Outcome string   `json:"outcome"`
	From    *float64 `json:"from,omitempty"`
	To      *float64 `json:"to,omitempty"`
}

// ConfidenceLevel is one level of confidence, reached when |S| ≥ MinAbsScore
// and at least the share MinAnswered (0–1) of the criteria are answered.
type ConfidenceLevel struct {
	Code        string  `json:"code"`
	Label       Text    `json:"label"`
	MinAbsScore float64 `json:"min_abs_score,omitempty"`
	MinAnswered float64 `json:"min_answered,omitempty"`
}

// Rule is a hard rule applied after scoring (see Scoring).
type Rule struct {
	ID    string `json:"id"`
	Label Text   `json:"label"` // what the rule says, shown when it fires
	// When is an expression over the answers; the rule fires when it is true.
	When string `json:"when"`
	// IfOutcome, when not empty, limits the rule to these current outcomes.
	IfOutcome     []string `json:"if_outcome,omitempty"`
	Outcome       string   `json:"outcome,omitempty"`        // the outcome it gives
	Confidence    string   `json:"confidence,omitempty"`     // the confidence it gives
	MaxConfidence string   `json:"max_confidence,omitempty"` // a cap on the confidence
	Caveat        Text     `json:"caveat,omitempty"`         // may hold {{expression}} pieces
	Driver        bool     `json:"driver,omitempty"`         // list the rule among the drivers
	Stop          bool     `json:"stop,omitempty"`           // apply no further rules
}

// Decision is the result of a scored survey: what is recommended, how sure
// it is and why. It is stored, as JSON, in the response's Result.
type Decision struct {
	SurveyID           string         `json:"survey_id"`
	SurveyVersion      int            `json:"survey_version"`
	Language           string         `json:"language"`
	Decided            time.Time      `json:"decided"`
	Outcome            string         `json:"outcome"`
	OutcomeLabel       string         `json:"outcome_label"`
	OutcomeDescription string         `json:"outcome_description,omitempty"`
	Confidence         string         `json:"confidence"`
	ConfidenceLabel    string         `json:"confidence_label"`
	Score              float64        `json:"score"`    // S, from -1 to +1
	Answered           int            `json:"answered"` // criteria answered
	Criteria           int            `json:"criteria"` // criteria in the survey
	Drivers            []Driver       `json:"drivers"`
	Rules              []FiredRule    `json:"rules"`
	Caveats            []string       `json:"caveats"`
	Thresholds         ThresholdsUsed `json:"thresholds"`
	Notice             string         `json:"notice,omitempty"`

	// What the explanation needs besides the drivers (absent from records
	// made before it was written, which are explained with what they hold).

	// Weighed lists every answered criterion with its contribution, in survey order.
	Weighed []Driver `json:"weighed,omitempty"`
	// Unanswered lists the criteria left blank or answered "don't know".
	Unanswered []Given `json:"unanswered,omitempty"`
	// Scale is the largest |score| of a choice (Scoring.Scale).
	Scale float64 `json:"scale,omitempty"`
	// NegativeSide and PositiveSide name where the two ends of the score point.
	NegativeSide string `json:"negative_side,omitempty"`
	PositiveSide string `json:"positive_side,omitempty"`
	// Bands and Levels are the survey's bands and confidence levels as used.
	Bands  []BandUsed  `json:"bands,omitempty"`
	Levels []LevelUsed `json:"levels,omitempty"`
}

// BandUsed is a band of the score with its outcome's label.
type BandUsed struct {
	OutcomeLabel string   `json:"outcome_label"`
	From         *float64 `json:"from,omitempty"`
	To           *float64 `json:"to,omitempty"`
}

// LevelUsed is a confidence level with its conditions.
type LevelUsed struct {
	Code        string  `json:"code"`
	Label       string  `json:"label"`
	MinAbsScore float64 `json:"min_abs_score,omitempty"`
	MinAnswered float64 `json:"min_answered,omitempty"`
}

// Given is an answer as the record shows it: the question and the answer,
// each by name and by label.
type Given struct {
	Question      string `json:"question,omitempty"`
	QuestionLabel string `json:"question_label,omitempty"`
	Answer        string `json:"answer,omitempty"`
	AnswerLabel   string `json:"answer_label,omitempty"`
}

// Driver is one reason for the outcome: a hard rule (Rule set, with the
// answers it read) or a criterion (Question set, with its contribution).
type Driver struct {
	Rule      string  `json:"rule,omitempty"`
	RuleLabel string  `json:"rule_label,omitempty"`
	Answers   []Given `json:"answers,omitempty"` // for a rule
	Given
	Weight       float64 `json:"weight,omitempty"`
	Score        float64 `json:"score,omitempty"`
	Contribution float64 `json:"contribution,omitempty"` // weight × score; 0 (left out) for a rule
}

// FiredRule records a hard rule that applied and what it did.
type FiredRule struct {
	ID              string  `json:"id"`
	Label           string  `json:"label"`
	Outcome         string  `json:"outcome,omitempty"`          // the outcome after the rule, if it set one
	OutcomeLabel    string  `json:"outcome_label,omitempty"`    // its label
	Confidence      string  `json:"confidence,omitempty"`       // the confidence after the rule, if it set or capped it
	ConfidenceLabel string  `json:"confidence_label,omitempty"` // its label
	Caveat          string  `json:"caveat,omitempty"`
	Answers         []Given `json:"answers"` // the non-blank answers the rule read
	Stop            bool    `json:"stop,omitempty"`
}

// ThresholdsUsed records which thresholds a decision was made with.
type ThresholdsUsed struct {
	Name      string `json:"name"`
	Effective string `json:"effective"` // 2006-01-02
	Source    string `json:"source"`
	// Category is the last category the rules looked up with threshold(),
	// and Amount its threshold (nil when it has none, as for health care).
	Category   string   `json:"category,omitempty"`
	Amount     *float64 `json:"amount,omitempty"`
	Notifiable float64  `json:"notifiable"`
	SubsidyMFA float64  `json:"subsidy_mfa"`
	// Amounts is the whole set's threshold per category code.
	Amounts map[string]float64 `json:"amounts,omitempty"`
	// Value is the value entered (Scoring.ValueQuestion), nil when blank;
	// CategoryGiven is the category chosen (Scoring.CategoryQuestion), with its label.
	Value         *float64 `json:"value,omitempty"`
	CategoryGiven *Given   `json:"category_given,omitempty"`
}

// ErrNotScored is returned by Decide for a survey without Scoring.
var ErrNotScored = errors.New("the survey has no scoring")

// AnswerError is an answer that does not fit the survey: an unknown
// question, a choice not in the list, a number that is not one, or a value
// that breaks the question's constraint.
type AnswerError struct {
	Question string
	Value    string
	Reason   string
}

func (e *AnswerError) Error() string {
	return fmt.Sprintf("answer %q to %q: %s", e.Value, e.Question, e.Reason)
}

// ScoringFuncs lists the functions rules and caveats may call besides the built-in ones.
var ScoringFuncs = []string{
	"outcome", "confidence", "score", "answered", "criteria",
	"threshold", "notifiable", "subsidy_mfa", "threshold_date", "money",
}

// scoreTolerance absorbs floating-point error when S meets a bound.
const scoreTolerance = 1e-9

// Decide scores the answers and applies the hard rules, with labels in the
// survey's default language. See DecideIn.
func (s *Survey) Decide(a Answers, t Thresholds, now time.Time) (*Decision, error) {
	return s.DecideIn(s.DefaultLanguage(), a, t, now)
}

// DecideIn scores the answers, applies the hard rules with thresholds t and
// returns the decision with labels and caveats in lang. The answers are
// taken as a form session settled them: checking answers is the form
// engine's job (survey/run, whose Decide checks an answer script and then
// calls DecideIn). A broken scoring definition gives an error.
func (s *Survey) DecideIn(lang string, a Answers, t Thresholds, now time.Time) (*Decision, error) {
	sc := s.Scoring
	if sc == nil {
		return nil, fmt.Errorf("decide %q: %w", s.ID, ErrNotScored)
	}
	s = s.WithThresholds(t) // the record quotes the questions with their figures
	fallback := s.DefaultLanguage()
	d := &Decision{
		SurveyID: s.ID, SurveyVersion: s.Version, Language: lang, Decided: now,
		Drivers: []Driver{}, Rules: []FiredRule{}, Caveats: []string{},
		Notice: sc.Notice.In(lang, fallback),
		Thresholds: ThresholdsUsed{
			Name: t.Name, Source: t.Source, Notifiable: t.Notifiable, SubsidyMFA: t.SubsidyMFA,
		},
	}
	if !t.Effective.IsZero() {
		d.Thresholds.Effective = t.Effective.Format(DateLayout)
	}

	criteria := s.scoreCriteria(a, lang, d)
	s.recordForExplanation(a, t, lang, d, criteria)
	var ok bool
	if d.Outcome, ok = sc.band(d.Score); !ok {
		return nil, fmt.Errorf("decide %q: no band holds the score %v", s.ID, d.Score)
	}
	if d.Confidence, ok = sc.level(d.Score, d.Answered, d.Criteria); !ok {
		return nil, fmt.Errorf("decide %q: no confidence level fits the score %v", s.ID, d.Score)
	}

	env := expr.Env{
		Lookup: func(name string) string { return a[name] },
		Now:    now,
		Funcs:  decisionFuncs(d, t),
	}
	var ruleDrivers []Driver
	for _, r := range sc.Rules {
		fired, err := s.applyRule(r, env, a, lang, d)
		if err != nil {
			return nil, fmt.Errorf("decide %q: rule %q: %w", s.ID, r.ID, err)
		}
		if fired == nil {
			continue
		}
		if r.Driver {
			ruleDrivers = append(ruleDrivers, Driver{Rule: r.ID, RuleLabel: fired.Label, Answers: fired.Answers})
		}
		if r.Stop {
			break
		}
	}

	o, _ := sc.outcome(d.Outcome)
	d.OutcomeLabel = o.Label.In(lang, fallback)
	d.OutcomeDescription = o.Description.In(lang, fallback)
	if l, ok := sc.confidenceLevel(d.Confidence); ok {
		d.ConfidenceLabel = l.Label.In(lang, fallback)
	}
	d.Drivers = append(ruleDrivers, pickDrivers(criteria, o.Drivers, sc.driverCount())...)
	return d, nil
}

// scoreCriteria computes S, Answered and Criteria into d and returns the
// answered criteria with their contributions, in survey order.
func (s *Survey) scoreCriteria(a Answers, lang string, d *Decision) []Driver {
	var sum, max float64
	var out []Driver
	for _, q := range s.Fields() {
		if !q.isCriterion() {
			continue
		}
		d.Criteria++
		c, ok := s.choiceOf(q, a[q.Name])
		if !ok || c.Score == nil {
			// blank, or a choice that does not score ("don't know")
			d.Unanswered = append(d.Unanswered, s.given(q, a[q.Name], lang))
			continue
		}
		d.Answered++
		contrib := q.Weight * *c.Score
		sum += contrib
		max += q.Weight * s.Scoring.Scale
		out = append(out, Driver{
			Given:  s.given(q, a[q.Name], lang),
			Weight: q.Weight, Score: *c.Score, Contribution: contrib,
		})
	}
	if max > 0 {
		d.Score = sum / max
	}
	return out
}

// isCriterion reports whether q scores: a select_one with a positive weight.
func (q *Question) isCriterion() bool {
	return q.Type == TypeSelectOne && q.Weight > 0
}

// choiceOf returns the choice named by a select_one answer.
func (s *Survey) choiceOf(q *Question, v string) (Choice, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return Choice{}, false
	}
	for _, c := range s.Choices(q) {
		if c.Name == v {
			return c, true
		}
	}
	return Choice{}, false
}

// given describes the answer v to q for the record.
func (s *Survey) given(q *Question, v string, lang string) Given {
	fallback := s.DefaultLanguage()
	g := Given{Question: q.Name, QuestionLabel: q.Label.In(lang, fallback), Answer: v, AnswerLabel: v}
	if q.Type.HasChoices() {
		var labels []string
		for _, name := range strings.Fields(v) {
			label := name
			for _, c := range s.Choices(q) {
				if c.Name == name {
					label = c.Label.In(lang, fallback)
					break
				}
			}
			labels = append(labels, label)
		}
		g.AnswerLabel = strings.Join(labels, ", ")
	}
	if q.Type == TypeDecimal || q.Type == TypeInteger {
		g.AnswerLabel = groupThousands(v)
	}
	if g.QuestionLabel == "" {
		g.QuestionLabel = q.Name
	}
	return g
}

// applyRule applies r to d if it fires, returning the record of it (nil if it did not fire).
func (s *Survey) applyRule(r Rule, env expr.Env, a Answers, lang string, d *Decision) (*FiredRule, error) {
	sc := s.Scoring
	if len(r.IfOutcome) > 0 && !contains(r.IfOutcome, d.Outcome) {
		return nil, nil
	}
	when, err := expr.Parse(r.When)
	if err != nil {
		return nil, fmt.Errorf("when %q: %w", r.When, err)
	}
	ok, err := when.EvalBool(env)
	if err != nil {
		return nil, fmt.Errorf("when %q: %w", r.When, err)
	}
	if !ok {
		return nil, nil
	}
	fallback := s.DefaultLanguage()
	f := FiredRule{ID: r.ID, Label: r.Label.In(lang, fallback), Answers: []Given{}, Stop: r.Stop}
	if f.Label == "" {
		f.Label = r.ID
	}
	if r.Outcome != "" {
		d.Outcome = r.Outcome
		f.Outcome = r.Outcome
	}
	if r.Confidence != "" {
		d.Confidence = r.Confidence
		f.Confidence = r.Confidence
	}
	if r.MaxConfidence != "" {
		if sc.confidenceRank(d.Confidence) < sc.confidenceRank(r.MaxConfidence) {
			d.Confidence = r.MaxConfidence
		}
		f.Confidence = d.Confidence
	}
	if f.Outcome != "" {
		o, _ := sc.outcome(f.Outcome)
		f.OutcomeLabel = o.Label.In(lang, fallback)
	}
	if l, ok := sc.confidenceLevel(f.Confidence); ok {
		f.ConfidenceLabel = l.Label.In(lang, fallback)
	}
	if src := r.Caveat.In(lang, fallback); src != "" {
		text, err := renderTemplate(src, env)
		if err != nil {
			return nil, fmt.Errorf("caveat %q: %w", src, err)
		}
		f.Caveat = text
		d.Caveats = append(d.Caveats, text)
	}
	for _, name := range when.Refs() {
		if q, ok := s.Question(name); ok && strings.TrimSpace(a[name]) != "" {
			f.Answers = append(f.Answers, s.given(q, a[name], lang))
		}
	}
	d.Rules = append(d.Rules, f)
	return &d.Rules[len(d.Rules)-1], nil
}

// decisionFuncs returns the extra expression functions (ScoringFuncs) over
// the decision being made; threshold() records the category it looked up.
func decisionFuncs(d *Decision, t Thresholds) map[string]expr.Func {
	noArgs := func(name string, f func() expr.Value) expr.Func {
		return func(args []expr.Value) (expr.Value, error) {
			if len(args) != 0 {
				return expr.Value{}, fmt.Errorf("%s() takes no arguments", name)
			}
			return f(), nil
		}
	}
	return map[string]expr.Func{
		"outcome":        noArgs("outcome", func() expr.Value { return expr.String(d.Outcome) }),
		"confidence":     noArgs("confidence", func() expr.Value { return expr.String(d.Confidence) }),
		"score":          noArgs("score", func() expr.Value { return expr.Number(d.Score) }),
		"answered":       noArgs("answered", func() expr.Value { return expr.Number(float64(d.Answered)) }),
		"criteria":       noArgs("criteria", func() expr.Value { return expr.Number(float64(d.Criteria)) }),
		"notifiable":     noArgs("notifiable", func() expr.Value { return expr.Number(t.Notifiable) }),
		"subsidy_mfa":    noArgs("subsidy_mfa", func() expr.Value { return expr.Number(t.SubsidyMFA) }),
		"threshold_date": noArgs("threshold_date", func() expr.Value { return expr.String(t.EffectiveText()) }),
		"threshold": func(args []expr.Value) (expr.Value, error) {
			if len(args) != 1 {
				return expr.Value{}, errors.New("threshold() takes one argument, the category")
			}
			cat := strings.TrimSpace(args[0].String())
			d.Thresholds.Category = cat
			amount, ok := t.Amount(cat)
			if !ok {
				d.Thresholds.Amount = nil
				return expr.String(""), nil
			}
			d.Thresholds.Amount = &amount
			return expr.Number(amount), nil
		},
		"money": func(args []expr.Value) (expr.Value, error) {
			if len(args) != 1 {
				return expr.Value{}, errors.New("money() takes one argument, the amount")
			}
			f, ok := args[0].Number()
			if !ok {
				return expr.String(""), nil
			}
			return expr.String(Money(f)), nil
		},
	}
}

// band returns the outcome of the first band that holds score.
func (sc *Scoring) band(score float64) (string, bool) {
	for _, b := range sc.Bands {
		if b.holds(score) {
			return b.Outcome, true
		}
	}
	return "", false
}

// holds reports whether From ≤ score ≤ To, within scoreTolerance.
func (b Band) holds(score float64) bool {
	if b.From != nil && score < *b.From-scoreTolerance {
		return false
	}
	if b.To != nil && score > *b.To+scoreTolerance {
		return false
	}
	return true
}

// level returns the first confidence level reached.
func (sc *Scoring) level(score float64, answered, criteria int) (string, bool) {
	for _, l := range sc.Confidence {
		if math.Abs(score) < l.MinAbsScore-scoreTolerance {
			continue
		}
		if float64(answered) < l.MinAnswered*float64(criteria)-scoreTolerance {
			continue
		}
		return l.Code, true
	}
	return "", false
}

// confidenceRank is the position of a confidence code, 0 the highest;
// unknown codes rank lowest.
func (sc *Scoring) confidenceRank(code string) int {
	for i, l := range sc.Confidence {
		if l.Code == code {
			return i
		}
	}
	return len(sc.Confidence)
}

func (sc *Scoring) confidenceLevel(code string) (ConfidenceLevel, bool) {
	for _, l := range sc.Confidence {
		if l.Code == code {
			return l, true
		}
	}
	return ConfidenceLevel{}, false
}

func (sc *Scoring) outcome(code string) (Outcome, bool) {
	for _, o := range sc.Outcomes {
		if o.Code == code {
			return o, true
		}
	}
	return Outcome{Code: code, Label: Text{"": code}}, false
}

func (sc *Scoring) driverCount() int {
	if sc.Drivers > 0 {
		return sc.Drivers
	}
	return DefaultDrivers
}

// pickDrivers returns up to n criteria per side named by which, largest
// |contribution| first, ties in survey order.
func pickDrivers(criteria []Driver, which string, n int) []Driver {
	// side keeps the criteria keep accepts, largest first, up to limit.
	side := func(keep func(Driver) bool, limit int) []Driver {
		var out []Driver
		for _, c := range criteria {
			if keep(c) {
				out = append(out, c)
			}
		}
		sort.SliceStable(out, func(i, j int) bool {
			return math.Abs(out[i].Contribution) > math.Abs(out[j].Contribution)
		})
		if len(out) > limit {
			out = out[:limit]
		}
		return out
	}
	neg := func(d Driver) bool { return d.Contribution < 0 }
	pos := func(d Driver) bool { return d.Contribution > 0 }
	switch which {
	case DriversNegative:
		return side(neg, n)
	case DriversPositive:
		return side(pos, n)
	case DriversBoth:
		kept := map[string]bool{}
		for _, d := range append(side(neg, n), side(pos, n)...) {
			kept[d.Question] = true
		}
		return side(func(d Driver) bool { return kept[d.Question] }, 2*n)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// renderTemplate replaces each {{expression}} in src with its value.
func renderTemplate(src string, env expr.Env) (string, error) {
	var b strings.Builder
	err := walkTemplate(src, func(text string, e *expr.Expr) error {
		if e == nil {
			b.WriteString(text)
			return nil
		}
		v, err := e.EvalString(env)
		if err != nil {
			return err
		}
		b.WriteString(v)
		return nil
	})
	return b.String(), err
}

// walkTemplate splits src into literal text and parsed {{expression}}
// pieces, calling f with each in order (text with a nil *Expr, or the
// expression's source and the *Expr). Inside a piece, "}}" within ${…} or a
// quoted string does not end it.
func walkTemplate(src string, f func(text string, e *expr.Expr) error) error {
	for {
		open := strings.Index(src, "{{")
		if open < 0 {
			if src != "" {
				return f(src, nil)
			}
			return nil
		}
		if open > 0 {
			if err := f(src[:open], nil); err != nil {
				return err
			}
		}
		body := src[open+2:]
		end := templateEnd(body)
		if end < 0 {
			return fmt.Errorf("%q: {{ is not closed with }}", src[open:])
		}
		e, err := expr.Parse(strings.TrimSpace(body[:end]))
		if err != nil {
			return fmt.Errorf("{{%s}}: %w", body[:end], err)
		}
		if err := f(body[:end], e); err != nil {
			return fmt.Errorf("{{%s}}: %w", body[:end], err)
		}
		src = body[end+2:]
	}
}

// templateEnd returns the offset of the "}}" closing an expression piece, or -1.
func templateEnd(s string) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '$' && i+1 < len(s) && s[i+1] == '{':
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				return -1
			}
			i += j
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return -1
			}
			i += j + 1
		case c == '}' && i+1 < len(s) && s[i+1] == '}':
			return i
		}
	}
	return -1
}

// Validate checks the scoring definition against its survey and returns
// every problem found, each naming where it is: unknown outcome or
// confidence codes in bands and rules, bands that leave a score without an
// outcome, criteria without scores, scores beyond the scale, and rules or
// caveats that do not parse or call unknown functions.
func (sc *Scoring) Validate(s *Survey) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf("scoring: "+format, args...)) }
	// code checks that the i-th code of a kind ("outcome") is a name and is
	// not in seen, then adds it to seen.
	code := func(kind string, i int, c string, seen map[string]bool) {
		switch {
		case !validName(c):
			add("%s %d: code %q: use letters, digits and _ only", kind, i+1, c)
		case seen[c]:
			add("%s %q is listed twice", kind, c)
		}
		seen[c] = true
	}

	if !(sc.Scale > 0) || math.IsInf(sc.Scale, 0) {
		add("scale must be a number above zero (the largest |score| of a choice)")
	}
	outcomes := map[string]bool{}
	for i, o := range sc.Outcomes {
		code("outcome", i, o.Code, outcomes)
		if o.Label.Empty() {
			add("outcome %q has no label", o.Code)
		}
		switch o.Drivers {
		case DriversNegative, DriversPositive, DriversBoth, DriversNone:
		default:
			add("outcome %q: drivers %q must be %q, %q, %q or blank", o.Code, o.Drivers, DriversNegative, DriversPositive, DriversBoth)
		}
	}
	if len(sc.Outcomes) == 0 {
		add("no outcomes")
	}
	levels := map[string]bool{}
	for i, l := range sc.Confidence {
		code("confidence level", i, l.Code, levels)
		if l.MinAbsScore < 0 || l.MinAbsScore > 1 || math.IsNaN(l.MinAbsScore) {
			add("confidence level %q: min_abs_score must be from 0 to 1", l.Code)
		}
		if l.MinAnswered < 0 || l.MinAnswered > 1 || math.IsNaN(l.MinAnswered) {
			add("confidence level %q: min_answered must be a share from 0 to 1", l.Code)
		}
	}
	if n := len(sc.Confidence); n == 0 {
		add("no confidence levels")
	} else if last := sc.Confidence[n-1]; last.MinAbsScore != 0 || last.MinAnswered != 0 {
		add("confidence level %q is the last, so it must have no conditions (every result needs a confidence)", last.Code)
	}
	for i, b := range sc.Bands {
		if !outcomes[b.Outcome] {
			add("band %d: unknown outcome %q", i+1, b.Outcome)
		}
		if b.From != nil && b.To != nil && *b.From > *b.To {
			add("band %d (%s): from %v is above to %v", i+1, b.Outcome, *b.From, *b.To)
		}
	}
	if len(sc.Bands) == 0 {
		add("no bands")
	} else if gap, ok := sc.uncoveredScore(); ok {
		add("no band holds the score %v: every score from -1 to 1 needs an outcome", gap)
	}
	if sc.Drivers < 0 {
		add("drivers must be 0 or more")
	}

	errs = append(errs, sc.validateCriteria(s)...)
	errs = append(errs, sc.validateRules(s, outcomes, levels)...)
	errs = append(errs, sc.validateFigures(s)...)
	return errs
}

// uncoveredScore returns a score in [-1, 1] that no band holds. Between two
// neighbouring bounds coverage cannot change, so checking every bound and
// the midpoints between them is exhaustive.
func (sc *Scoring) uncoveredScore() (float64, bool) {
	points := []float64{-1, 1}
	for _, b := range sc.Bands {
		for _, p := range []*float64{b.From, b.To} {
			if p != nil && *p > -1 && *p < 1 {
				points = append(points, *p)
			}
		}
	}
	sort.Float64s(points)
	probes := append([]float64(nil), points...)
	for i := 1; i < len(points); i++ {
		probes = append(probes, (points[i-1]+points[i])/2)
	}
	for _, p := range probes {
		if _, ok := sc.band(p); !ok {
			return p, true
		}
	}
	return 0, false
}

// validateCriteria checks the weighted questions and their scores.
func (sc *Scoring) validateCriteria(s *Survey) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf("scoring: "+format, args...)) }
	n := 0
	for _, q := range s.All() {
		if q.Weight == 0 {
			continue
		}
		switch {
		case q.Weight < 0 || math.IsNaN(q.Weight) || math.IsInf(q.Weight, 0):
			add("question %q: weight %v must be above zero", q.Name, q.Weight)
			continue
		case q.Type != TypeSelectOne:
			add("question %q: only select_one questions can carry a weight, not %s", q.Name, q.Type)
			continue
		}
		n++
		scored := 0
		for _, c := range s.Choices(q) {
			if c.Score == nil {
				continue
			}
			scored++
			if f := *c.Score; math.IsNaN(f) || math.Abs(f) > sc.Scale {
				add("question %q: choice %q: score %v is outside -%v…%v", q.Name, c.Name, f, sc.Scale, sc.Scale)
			}
		}
		if scored == 0 {
			add("question %q has a weight but none of its choices has a score", q.Name)
		}
	}
	if n == 0 {
		add("no question has a weight, so nothing is scored")
	}
	return errs
}

// validateRules checks every rule's codes, expression and caveats.
func (sc *Scoring) validateRules(s *Survey, outcomes, levels map[string]bool) []error {
	var errs []error
	known := func(name string) bool { _, ok := s.Question(name); return ok }
	ids := map[string]bool{}
	for i, r := range sc.Rules {
		where := fmt.Sprintf("rule %d (%s)", i+1, r.ID)
		add := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("scoring: %s: "+format, append([]any{where}, args...)...))
		}
		switch {
		case !validName(r.ID):
			add("id: use letters, digits and _ only")
		case ids[r.ID]:
			add("the id is used by another rule")
		}
		ids[r.ID] = true
		if strings.TrimSpace(r.When) == "" {
			add("when: the condition is empty")
		} else if err := expr.Check(r.When, known, ScoringFuncs...); err != nil {
			add("when %q: %v", r.When, err)
		}
		for _, o := range r.IfOutcome {
			if !outcomes[o] {
				add("if_outcome: unknown outcome %q", o)
			}
		}
		if r.Outcome != "" && !outcomes[r.Outcome] {
			add("outcome: unknown outcome %q", r.Outcome)
		}
		if r.Confidence != "" && !levels[r.Confidence] {
			add("confidence: unknown confidence level %q", r.Confidence)
		}
		if r.MaxConfidence != "" && !levels[r.MaxConfidence] {
			add("max_confidence: unknown confidence level %q", r.MaxConfidence)
		}
		langs := make([]string, 0, len(r.Caveat))
		for l := range r.Caveat {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			err := walkTemplate(r.Caveat[l], func(_ string, e *expr.Expr) error {
				if e == nil {
					return nil
				}
				return expr.Check(e.String(), known, ScoringFuncs...)
			})
			if err != nil {
				add("caveat [%s]: %v", l, err)
			}
		}
		if r.Outcome == "" && r.Confidence == "" && r.MaxConfidence == "" && r.Caveat.Empty() && !r.Stop {
			add("the rule does nothing: give it an outcome, a confidence, a cap, a caveat or stop")
		}
	}
	return errs
}

// groupThousands writes a plain decimal number with thousands separators
// ("900000.5" → "900,000.5"); anything else comes back unchanged.
func groupThousands(v string) string {
	if _, err := strconv.ParseFloat(v, 64); err != nil || strings.ContainsAny(v, "eE") {
		return v
	}
	sign, whole, frac := "", v, ""
	if strings.HasPrefix(whole, "-") || strings.HasPrefix(whole, "+") {
		sign, whole = whole[:1], whole[1:]
	}
	if i := strings.IndexByte(whole, '.'); i >= 0 {
		whole, frac = whole[:i], whole[i:]
	}
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return sign + b.String() + frac
}
