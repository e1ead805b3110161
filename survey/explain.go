package survey

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Explanation is a decision written out for a commissioner to read and
// file. The result screen, the Decision records sheet and `canvass decide`
// all show this one text, so they never disagree.
//
// It says, in order: the recommendation and its confidence in one sentence;
// what points to each side, each answer marked strong, moderate or slight;
// why the confidence is what it is; the value against each threshold, with
// the date the threshold came into force; the rules that applied; the
// caveats; how the score is worked out (the only place with arithmetic); and
// what the record was made with.
type Explanation struct {
	Summary  string    // the recommendation and its confidence in one sentence
	Sections []Section // Summary first, then the parts in order
}

// Section is one part of an explanation: a heading (blank for the summary)
// and its lines.
type Section struct {
	Key     string // what the section holds: one of the Section… constants
	Heading string
	Lines   []Line
}

// Line is a paragraph, or an item of a bulleted list.
type Line struct {
	Text   string
	Bullet bool
}

// The parts of an explanation, as Section.Key.
const (
	SectionSummary    = "summary"
	SectionNegative   = "negative"   // what points to the negative side (a grant)
	SectionPositive   = "positive"   // what points to the positive side (a contract)
	SectionNeutral    = "neutral"    // answers that point neither way
	SectionConfidence = "confidence" // why the confidence is what it is
	SectionThresholds = "thresholds" // the value against each threshold
	SectionRules      = "rules"      // the hard rules that applied
	SectionCaveats    = "caveats"
	SectionWorkings   = "workings" // how the score is worked out
	SectionRecord     = "record"   // thresholds set, source, notice, date
)

// Strength words for one answer's pull, by |weight × score| ÷ scale.
const (
	StrengthStrong   = "strong"
	StrengthModerate = "moderate"
	StrengthSlight   = "slight"
)

// Strength says how strongly one weighed answer pulls: strong when its
// contribution is at least twice the scale (weight 3 or 2 with a full score),
// moderate from once the scale, otherwise slight.
func Strength(contribution, scale float64) string {
	if scale <= 0 {
		scale = 2
	}
	switch r := math.Abs(contribution) / scale; {
	case r >= 2-scoreTolerance:
		return StrengthStrong
	case r >= 1-scoreTolerance:
		return StrengthModerate
	}
	return StrengthSlight
}

// Text is the explanation as plain text: the summary, then each section's
// heading and lines, bullets as "• ", sections apart by a blank line.
func (e Explanation) Text() string {
	var b strings.Builder
	for i, s := range e.Sections {
		if i > 0 {
			b.WriteString("\n")
		}
		if s.Heading != "" {
			b.WriteString(s.Heading + "\n")
		}
		for _, l := range s.Lines {
			if l.Bullet {
				b.WriteString("• ")
			}
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}

// Section returns the section with the key, if the explanation has it.
func (e Explanation) Section(key string) (Section, bool) {
	for _, s := range e.Sections {
		if s.Key == key {
			return s, true
		}
	}
	return Section{}, false
}

// Explain writes the decision out in words (see Explanation). Records made
// before Canvass kept what the explanation needs are explained with what
// they hold: their drivers stand in for the weighed answers.
func (d *Decision) Explain() Explanation {
	x := explainer{d: d}
	e := Explanation{Summary: x.summary()}
	summary := Section{Key: SectionSummary, Lines: []Line{{Text: e.Summary}}}
	if d.OutcomeDescription != "" {
		summary.Lines = append(summary.Lines, Line{Text: sentence(d.OutcomeDescription)})
	}
	e.Sections = append(e.Sections, summary)
	e.Sections = append(e.Sections, x.sides()...)
	e.Sections = append(e.Sections, x.confidence())
	if s, ok := x.thresholds(); ok {
		e.Sections = append(e.Sections, s)
	}
	e.Sections = append(e.Sections, x.rules())
	if len(d.Caveats) > 0 {
		s := Section{Key: SectionCaveats, Heading: "Caveats"}
		for _, c := range d.Caveats {
			s.Lines = append(s.Lines, Line{Text: sentence(c), Bullet: true})
		}
		e.Sections = append(e.Sections, s)
	}
	e.Sections = append(e.Sections, x.workings(), x.record())
	return e
}

// explainer builds an Explanation from one decision.
type explainer struct{ d *Decision }

// confidenceWord is the confidence as it reads in a sentence ("medium").
func (x explainer) confidenceWord() string {
	c := x.d.ConfidenceLabel
	if c == "" {
		c = x.d.Confidence
	}
	return strings.ToLower(c)
}

func (x explainer) summary() string {
	label := x.d.OutcomeLabel
	if label == "" {
		label = x.d.Outcome
	}
	if c := x.confidenceWord(); c != "" {
		return fmt.Sprintf("Recommendation: %s, with %s confidence.", label, c)
	}
	return fmt.Sprintf("Recommendation: %s.", label)
}

// side names where a negative (or positive) contribution points, for
// "points to …"; "" when the record does not say.
func (x explainer) side(negative bool) string {
	if negative {
		return x.d.NegativeSide
	}
	return x.d.PositiveSide
}

// weighed returns the answered criteria: the record's Weighed, or for an
// older record its criteria drivers.
func (x explainer) weighed() []Driver {
	if len(x.d.Weighed) > 0 {
		return x.d.Weighed
	}
	var out []Driver
	for _, dr := range x.d.Drivers {
		if dr.Rule == "" {
			out = append(out, dr)
		}
	}
	return out
}

// sides lists what points each way, strongest first, and the answers that
// point neither way.
func (x explainer) sides() []Section {
	var out []Section
	for _, negative := range []bool{true, false} {
		s := Section{Key: SectionPositive, Heading: "What raises the score"}
		if negative {
			s = Section{Key: SectionNegative, Heading: "What lowers the score"}
		}
		if w := x.side(negative); w != "" {
			s.Heading = "What points to " + w
		}
		var items []Driver
		for _, dr := range x.weighed() {
			if (negative && dr.Contribution < 0) || (!negative && dr.Contribution > 0) {
				items = append(items, dr)
			}
		}
		sort.SliceStable(items, func(i, j int) bool {
			return math.Abs(items[i].Contribution) > math.Abs(items[j].Contribution)
		})
		for _, dr := range items {
			s.Lines = append(s.Lines, Line{Bullet: true,
				Text: capitalise(Strength(dr.Contribution, x.d.Scale)) + ": " + questionAndAnswer(dr.Given)})
		}
		if len(items) == 0 {
			s.Lines = append(s.Lines, Line{Text: "No answer points this way."})
		}
		out = append(out, s)
	}
	neutral := Section{Key: SectionNeutral, Heading: "Answered, but pointing neither way"}
	for _, dr := range x.d.Weighed {
		if dr.Contribution == 0 {
			neutral.Lines = append(neutral.Lines, Line{Text: questionAndAnswer(dr.Given), Bullet: true})
		}
	}
	if len(neutral.Lines) > 0 {
		out = append(out, neutral)
	}
	return out
}

// lean says which way and how far the answers lean, in words.
func (x explainer) lean() string {
	d := x.d
	if d.Answered == 0 {
		return "None of the weighed questions was answered, so the answers point neither way."
	}
	s := math.Abs(d.Score)
	if s < scoreTolerance {
		return "On balance the answers point neither way: those for each side cancel out."
	}
	how := "slightly"
	switch {
	case s >= 0.5-scoreTolerance:
		how = "strongly"
	case s >= 0.25-scoreTolerance:
		how = "clearly"
	}
	to := x.side(d.Score < 0)
	if to == "" {
		to = "the positive side"
		if d.Score < 0 {
			to = "the negative side"
		}
	}
	return fmt.Sprintf("On balance the answers lean %s towards %s (%s of the way from even).", how, to, percent(s))
}

// confidence explains the confidence: the lean, how many questions were
// answered, which condition of each higher level was not met, and any rule
// that set or capped it.
func (x explainer) confidence() Section {
	d := x.d
	s := Section{Key: SectionConfidence, Heading: "Why the confidence is " + x.confidenceWord()}
	add := func(format string, args ...any) { s.Lines = append(s.Lines, Line{Text: fmt.Sprintf(format, args...)}) }
	add("%s", x.lean())
	switch open := d.Criteria - d.Answered; {
	case d.Criteria == 0:
	case open == 0:
		add("All %d weighed questions were answered.", d.Criteria)
	default:
		add("%d of the %d weighed questions were answered; %s left blank or answered “Don't know”, so %s not count.",
			d.Answered, d.Criteria, plural(open, "one was", "%d were"), plural(open, "it does", "they do"))
	}

	reached := -1 // the level the score and answers reach, before any rule
	for i, l := range d.Levels {
		if x.meets(l) {
			reached = i
			break
		}
	}
	if reached >= 0 {
		for _, l := range d.Levels[:reached] {
			var unmet []string
			if math.Abs(d.Score) < l.MinAbsScore-scoreTolerance {
				unmet = append(unmet, fmt.Sprintf("the answers to lean at least %s of the way to one side (they lean %s)",
					percent(l.MinAbsScore), percent(math.Abs(d.Score))))
			}
			if need := int(math.Ceil(l.MinAnswered*float64(d.Criteria) - scoreTolerance)); d.Answered < need {
				unmet = append(unmet, fmt.Sprintf("at least %d of the %d weighed questions answered (%d were)", need, d.Criteria, d.Answered))
			}
			add("%s confidence would need %s.", capitalise(strings.ToLower(l.Label)), strings.Join(unmet, ", and "))
		}
		switch r := d.Levels[reached]; {
		case r.Code != d.Confidence:
			add("The answers alone would give %s confidence.", strings.ToLower(r.Label))
		case reached < len(d.Levels)-1:
			add("That is enough for %s confidence.", strings.ToLower(r.Label))
		}
	}
	for _, r := range d.Rules {
		if r.ConfidenceLabel != "" {
			add("A rule then made the confidence %s: %s.", strings.ToLower(r.ConfidenceLabel), lowerFirst(strings.TrimSuffix(r.Label, ".")))
		}
	}
	return s
}

// meets reports whether the score and answers reach level l.
func (x explainer) meets(l LevelUsed) bool {
	return math.Abs(x.d.Score) >= l.MinAbsScore-scoreTolerance &&
		float64(x.d.Answered) >= l.MinAnswered*float64(x.d.Criteria)-scoreTolerance
}

// thresholds sets the value against each threshold, with the date it came
// into force. ok is false for a record that used no thresholds.
func (x explainer) thresholds() (Section, bool) {
	t := x.d.Thresholds
	s := Section{Key: SectionThresholds, Heading: "The value and the thresholds"}
	add := func(format string, args ...any) { s.Lines = append(s.Lines, Line{Text: fmt.Sprintf(format, args...)}) }
	date := t.EffectiveText()
	inForce := ""
	if date != "" {
		inForce = ", in force from " + date
	}
	if t.Amounts == nil && t.Value == nil && t.CategoryGiven == nil {
		// An older record: only the threshold its rules looked up.
		if t.Category == "" {
			return s, false
		}
		if t.Amount != nil {
			add("The threshold for %s is £%s%s.", t.Category, Money(*t.Amount), inForce)
		} else {
			add("%s has no procurement threshold.", t.Category)
		}
		return s, true
	}
	if t.Value == nil {
		add("No value was entered, so it could not be compared with the thresholds%s. Enter the whole-life value to check them.", inForce)
		return s, true
	}
	v := "£" + Money(*t.Value)
	switch cat := t.CategoryGiven; {
	case cat == nil || cat.Answer == "":
		add("No category was chosen, so the procurement threshold that applies to %s is not known.", v)
	default:
		if amount, ok := t.Amounts[cat.Answer]; ok {
			add("%s %s the procurement threshold of £%s for %s%s.", v, atOrAbove(*t.Value, amount), Money(amount), lowerFirst(cat.AnswerLabel), inForce)
		} else {
			add("%s: no procurement threshold applies to this category.", cat.AnswerLabel)
		}
	}
	if t.Notifiable > 0 {
		add("%s %s £%s, the value from which a contract below the threshold must be notified%s.", v, atOrAbove(*t.Value, t.Notifiable), Money(t.Notifiable), inForce)
	}
	if t.SubsidyMFA > 0 {
		add("%s %s the minimal financial assistance limit of £%s per recipient over three financial years%s; other public support to the same recipient in those years counts towards it too.",
			v, atOrAbove(*t.Value, t.SubsidyMFA), Money(t.SubsidyMFA), inForce)
	}
	return s, true
}

// atOrAbove compares a value with a threshold in words.
func atOrAbove(v, threshold float64) string {
	if v >= threshold {
		return "is at or above"
	}
	return "is below"
}

// rules lists the hard rules that applied, what each did, and the answers it read.
func (x explainer) rules() Section {
	s := Section{Key: SectionRules, Heading: "Rules that applied"}
	for _, r := range x.d.Rules {
		text := sentence(r.Label)
		switch {
		case r.OutcomeLabel != "" && r.ConfidenceLabel != "":
			text += fmt.Sprintf(" It made the recommendation %s, with %s confidence.", r.OutcomeLabel, strings.ToLower(r.ConfidenceLabel))
		case r.OutcomeLabel != "":
			text += fmt.Sprintf(" It made the recommendation %s.", r.OutcomeLabel)
		case r.ConfidenceLabel != "":
			text += fmt.Sprintf(" It made the confidence %s.", strings.ToLower(r.ConfidenceLabel))
		}
		if r.Caveat != "" {
			text += " It adds a caveat (below)."
		}
		if r.Stop {
			text += " No further rule was applied."
		}
		if len(r.Answers) > 0 {
			parts := make([]string, len(r.Answers))
			for i, a := range r.Answers {
				parts[i] = questionAndAnswer(a)
			}
			text += " Answers it read: " + strings.Join(parts, " ")
		}
		s.Lines = append(s.Lines, Line{Text: text, Bullet: true})
	}
	if len(s.Lines) == 0 {
		s.Lines = append(s.Lines, Line{Text: "No hard rule applied: the recommendation comes from the weighed answers."})
	}
	return s
}

// workings is the arithmetic: each answer's weight × score, the total, the
// score S, the bands and the confidence levels.
func (x explainer) workings() Section {
	d := x.d
	s := Section{Key: SectionWorkings, Heading: "How the score is worked out"}
	add := func(bullet bool, format string, args ...any) {
		s.Lines = append(s.Lines, Line{Text: fmt.Sprintf(format, args...), Bullet: bullet})
	}
	scale := d.Scale
	neg, pos := x.side(true), x.side(false)
	if scale > 0 {
		if neg != "" && pos != "" {
			add(false, "Each weighed question has a weight (how much it matters), and each answer a score from %s (strongly towards %s) to %s (strongly towards %s). Blank and “Don't know” answers are left out.",
				signed(-scale), neg, signed(scale), pos)
		} else {
			add(false, "Each weighed question has a weight (how much it matters), and each answer a score from %s to %s. Blank and “Don't know” answers are left out.", signed(-scale), signed(scale))
		}
	}
	var sum, weights float64
	for _, dr := range x.weighed() {
		add(true, "%s weight %s × score %s = %s", questionAndAnswer(dr.Given), number(dr.Weight), signed(dr.Score), signed(dr.Contribution))
		sum += dr.Contribution
		weights += dr.Weight
	}
	if len(d.Weighed) > 0 && scale > 0 {
		most := weights * scale
		add(false, "Total %s, out of a possible %s to %s (the answered questions' weights × %s).", signed(sum), signed(-most), signed(most), number(scale))
		add(false, "Score = %s ÷ %s = %s, on a scale from −1 to +1.", signed(sum), number(most), signed2(d.Score))
	} else {
		add(false, "Score %s, on a scale from −1 to +1.", signed2(d.Score))
	}
	if len(d.Bands) > 0 {
		var parts []string
		for _, b := range d.Bands {
			switch {
			case b.From != nil && b.To != nil:
				parts = append(parts, fmt.Sprintf("from %s to %s: %s", signed2(*b.From), signed2(*b.To), b.OutcomeLabel))
			case b.To != nil:
				parts = append(parts, fmt.Sprintf("%s or below: %s", signed2(*b.To), b.OutcomeLabel))
			case b.From != nil:
				parts = append(parts, fmt.Sprintf("%s or above: %s", signed2(*b.From), b.OutcomeLabel))
			default:
				parts = append(parts, "otherwise: "+b.OutcomeLabel)
			}
		}
		add(false, "Recommendation by score: %s.", strings.Join(parts, "; "))
	}
	if len(d.Levels) > 0 {
		var parts []string
		for _, l := range d.Levels {
			var needs []string
			if l.MinAbsScore > 0 {
				needs = append(needs, fmt.Sprintf("the score at least %s from zero", strconv.FormatFloat(l.MinAbsScore, 'f', 2, 64)))
			}
			if l.MinAnswered > 0 {
				needs = append(needs, fmt.Sprintf("at least %s of the weighed questions answered", percent(l.MinAnswered)))
			}
			if len(needs) == 0 {
				parts = append(parts, l.Label+" otherwise")
				continue
			}
			parts = append(parts, l.Label+" needs "+strings.Join(needs, " and "))
		}
		add(false, "Confidence: %s.", strings.Join(parts, "; "))
	}
	if len(d.Rules) > 0 {
		add(false, "The rules above are applied after the score, in order, and may change the recommendation or the confidence.")
	}
	return s
}

// record says what the decision was made with and when.
func (x explainer) record() Section {
	d := x.d
	s := Section{Key: SectionRecord, Heading: "About this record"}
	add := func(text string) { s.Lines = append(s.Lines, Line{Text: text}) }
	if d.Notice != "" {
		add(sentence(d.Notice))
	}
	t := d.Thresholds
	switch date := t.EffectiveText(); {
	case t.Name != "" && date != "":
		add(fmt.Sprintf("Thresholds used: %s, in force from %s.", t.Name, date))
	case t.Name != "":
		add(fmt.Sprintf("Thresholds used: %s.", t.Name))
	}
	if t.Source != "" {
		add("Source: " + sentence(t.Source))
	}
	if !d.Decided.IsZero() {
		add(fmt.Sprintf("Decided on %s.", d.Decided.Local().Format("2 January 2006 at 15:04")))
	}
	return s
}

// EffectiveText is the effective date written out ("1 January 2026"), or
// the stored text when it is not a date.
func (t ThresholdsUsed) EffectiveText() string {
	if t.Effective == "" {
		return ""
	}
	d, err := time.Parse(DateLayout, t.Effective)
	if err != nil {
		return t.Effective
	}
	return d.Format("2 January 2006")
}

// questionAndAnswer writes a question and the answer given as one sentence
// pair: "Who decides what will be delivered? The council writes …."
func questionAndAnswer(g Given) string {
	q := strings.TrimSpace(g.QuestionLabel)
	if q == "" {
		q = g.Question
	}
	a := strings.TrimSpace(g.AnswerLabel)
	if a == "" {
		a = g.Answer
	}
	if a == "" {
		a = "(blank)"
	}
	if strings.HasSuffix(q, "?") || strings.HasSuffix(q, ":") {
		return q + " " + sentence(a)
	}
	return q + ": " + sentence(a)
}

// sentence capitalises s and ends it with a full stop unless it already
// ends with punctuation.
func sentence(s string) string {
	s = capitalise(strings.TrimSpace(s))
	if s == "" {
		return s
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune(".?!:)”\"", r) {
		return s
	}
	return s + "."
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// lowerFirst lowers the first letter unless the first word is written in
// capitals ("VAT").
func lowerFirst(s string) string {
	word, _, _ := strings.Cut(s, " ")
	if len(word) > 1 && strings.ToUpper(word) == word {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// plural picks one or many (with %d for n).
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	if strings.Contains(many, "%d") {
		return fmt.Sprintf(many, n)
	}
	return many
}

// percent writes a share from 0 to 1 as a whole percentage.
func percent(f float64) string {
	return strconv.Itoa(int(math.Round(f*100))) + " %"
}

// number writes f without trailing zeros.
func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// signed writes f with its sign (a true minus sign), "0" for zero.
func signed(f float64) string {
	switch {
	case f > 0:
		return "+" + number(f)
	case f < 0:
		return "−" + number(-f)
	}
	return "0"
}

// signed2 writes f with its sign and two decimals.
func signed2(f float64) string {
	s := strconv.FormatFloat(math.Abs(f), 'f', 2, 64)
	switch {
	case f > 0.005:
		return "+" + s
	case f < -0.005:
		return "−" + s
	}
	return "0.00"
}

// recordForExplanation keeps in d what Explain needs besides the drivers:
// every weighed answer, the sides, bands and levels, the whole threshold set,
// and the value and category entered.
func (s *Survey) recordForExplanation(a Answers, t Thresholds, lang string, d *Decision, weighed []Driver) {
	sc := s.Scoring
	fallback := s.DefaultLanguage()
	d.Weighed = append([]Driver(nil), weighed...)
	d.Scale = sc.Scale
	d.NegativeSide = sc.Sides.Negative.In(lang, fallback)
	d.PositiveSide = sc.Sides.Positive.In(lang, fallback)
	for _, b := range sc.Bands {
		o, _ := sc.outcome(b.Outcome)
		d.Bands = append(d.Bands, BandUsed{OutcomeLabel: o.Label.In(lang, fallback), From: b.From, To: b.To})
	}
	for _, l := range sc.Confidence {
		d.Levels = append(d.Levels, LevelUsed{Code: l.Code, Label: l.Label.In(lang, fallback), MinAbsScore: l.MinAbsScore, MinAnswered: l.MinAnswered})
	}
	if len(t.Amounts) > 0 {
		d.Thresholds.Amounts = make(map[string]float64, len(t.Amounts))
		for k, v := range t.Amounts {
			d.Thresholds.Amounts[k] = v
		}
	}
	if q, ok := s.Question(sc.ValueQuestion); ok {
		if f, err := strconv.ParseFloat(strings.TrimSpace(a[q.Name]), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			d.Thresholds.Value = &f
		}
	}
	if q, ok := s.Question(sc.CategoryQuestion); ok {
		g := s.given(q, strings.TrimSpace(a[q.Name]), lang)
		d.Thresholds.CategoryGiven = &g
	}
}
