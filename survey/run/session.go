package run

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"canvass/survey"
	"canvass/survey/expr"
)

// Config says which survey a session runs and for whom.
type Config struct {
	Survey   *survey.Survey
	Store    Store  // where answers go; nil stores nothing (a preview, `canvass decide`)
	Language string // "" or a language the survey lacks: the survey's default
	DeviceID string // for deviceid questions; "" takes the store's from the started response
	Username string // for username questions
	// Clock gives the time for today(), now() and the metadata; nil is time.Now.
	Clock func() time.Time
	// Compiled, when set, is Survey compiled once by Compile, shared by
	// many sessions (the demo generator, a web server): New then parses nothing.
	Compiled *Compiled
}

// Compiled is a survey version with its expressions parsed and its pages
// laid out, ready for any number of sessions. It is read only.
type Compiled struct {
	r    *rules
	base *layout // the form with no instance of any repeat
}

// Compile parses every expression of s and lays out its pages; the error
// names an expression that does not parse, or says there is nothing to show.
func Compile(s *survey.Survey) (*Compiled, error) {
	if s == nil {
		return nil, errors.New("compile: no survey")
	}
	r, err := compile(s)
	if err != nil {
		return nil, err
	}
	if len(s.Pages()) == 0 {
		return nil, fmt.Errorf("survey %q: %w", s.ID, ErrNoPages)
	}
	return &Compiled{r: r, base: buildLayout(r, nil, words{s.DefaultLanguage(), s.DefaultLanguage()})}, nil
}

// Outcome is the verdict on an answer, as JavaRosa's answerQuestion gives it.
type Outcome int

const (
	OK                 Outcome = iota // the answer is accepted (or the question is not relevant)
	RequiredEmpty                     // a required question (or the text of a chosen "Other") is blank
	ConstraintViolated                // the answer breaks the question's constraint
	Unreadable                        // the value is not a value of the question's type (not kept)
)

func (o Outcome) String() string {
	switch o {
	case OK:
		return "ok"
	case RequiredEmpty:
		return "required but empty"
	case ConstraintViolated:
		return "constraint violated"
	case Unreadable:
		return "unreadable"
	}
	return fmt.Sprintf("outcome(%d)", int(o))
}

// Check is an Outcome with the message to show, in the respondent's
// language, and the same in technical words for staff and tools.
type Check struct {
	Outcome Outcome
	Message string // for the respondent; "" when OK
	Detail  string // for staff and command-line tools: names the values and the rule; "" when OK
}

// OK reports whether the answer is accepted.
func (c Check) OK() bool { return c.Outcome == OK }

// Problem is a check that failed, with the key of its answer.
type Problem struct {
	Key string
	Check
}

func (p Problem) Error() string { return fmt.Sprintf("%s: %s", p.Key, p.Detail) }

// Field is one question shown on a page, with the key of its answer
// ("age", or "carers[2]/age" in the second instance of carers).
type Field struct {
	Key      string
	Question *survey.Question
}

// Page is what a front end shows at once: one question, the shown
// questions of a field-list group, or a repeat's "add another?" prompt.
type Page struct {
	Group    *survey.Question // the field-list group, or nil for a single question
	Fields   []Field          // empty on a prompt page
	Instance *Instance        // the innermost repeat instance the page belongs to; nil outside repeats
	Prompt   *RepeatPrompt    // set on a repeat's "add another?" page

	path []survey.Step // the instance path its expressions are evaluated in
}

// ErrNoPages is returned for a survey with nothing to show.
var ErrNoPages = errors.New("the survey has no questions to show")

// Session is one respondent's pass through one survey version.
type Session struct {
	cfg  Config
	s    *survey.Survey
	r    *rules
	lay  *layout        // the answer keys and pages for the instances now
	inst map[string]int // instances by repeat key ("carers", "carers[2]/services")
	now  func() time.Time

	lang       string
	page       int
	answers    survey.Answers     // the truth
	parked     survey.Answers     // answers of instances a repeat_count took away, until Finish
	stored     survey.Answers     // what the store has confirmed
	unreadable map[string]refusal // values that were refused, by key
	touched    bool
	submitted  bool
	responseID string
	storedLang string
	faults     []Fault
	faultSeen  map[string]bool
}

// New starts a session for a new respondent, with defaults given and the
// first relevant page current. Nothing is stored until the first answer.
// The error names an expression that does not parse.
func New(cfg Config) (*Session, error) {
	s, err := newSession(cfg)
	if err != nil {
		return nil, err
	}
	for _, sl := range s.lay.slots {
		if q := sl.q; q.Default != "" && !q.Type.IsMetadata() && q.Type != survey.TypeCalculate {
			s.answers[sl.key] = q.Default
		}
	}
	s.settle()
	s.page = s.firstPage()
	return s, nil
}

// Resume continues a stored draft (or abandoned) response, on the first
// relevant page after the last one answered.
func Resume(cfg Config, resp *survey.Response) (*Session, error) {
	if resp == nil {
		return nil, errors.New("resume: no response")
	}
	if cfg.Survey != nil && (resp.SurveyID != cfg.Survey.ID || resp.SurveyVersion != cfg.Survey.Version) {
		return nil, fmt.Errorf("resume response %s: it answers survey %q version %d, not %q version %d",
			resp.ID, resp.SurveyID, resp.SurveyVersion, cfg.Survey.ID, cfg.Survey.Version)
	}
	if resp.Status == survey.StatusComplete {
		return nil, fmt.Errorf("resume response %s: it has already been submitted", resp.ID)
	}
	if resp.Language != "" && cfg.Language == "" {
		cfg.Language = resp.Language
	}
	s, err := newSession(cfg)
	if err != nil {
		return nil, err
	}
	s.responseID = resp.ID
	s.storedLang = resp.Language
	s.touched = true
	for k, v := range resp.Answers {
		if v != "" {
			s.answers[k] = v
			s.stored[k] = v
		}
	}
	if s.r.hasRepeats {
		s.countsFromAnswers()
		s.relayout()
	}
	s.settle()
	s.page = s.resumePage()
	return s, nil
}

func newSession(cfg Config) (*Session, error) {
	if cfg.Survey == nil {
		return nil, errors.New("new session: no survey")
	}
	c := cfg.Compiled
	if c == nil || c.r.s != cfg.Survey {
		var err error
		if c, err = Compile(cfg.Survey); err != nil {
			return nil, fmt.Errorf("new session: %w", err)
		}
	}
	r := c.r
	s := &Session{
		cfg: cfg, s: cfg.Survey, r: r, now: cfg.Clock, lay: c.base, inst: map[string]int{},
		answers: survey.Answers{}, stored: survey.Answers{}, parked: survey.Answers{},
		unreadable: map[string]refusal{}, faultSeen: map[string]bool{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.lang = s.s.DefaultLanguage()
	if cfg.Language != "" && s.HasLanguage(cfg.Language) {
		s.lang = cfg.Language
	}
	s.relayout()
	return s, nil
}

// Survey returns the survey version the session runs.
func (s *Session) Survey() *survey.Survey { return s.s }

// Language returns the respondent's language.
func (s *Session) Language() string { return s.lang }

// HasLanguage reports whether the survey is offered in code.
func (s *Session) HasLanguage(code string) bool {
	if len(s.s.Languages) == 0 {
		return code == s.s.DefaultLanguage()
	}
	for _, l := range s.s.Languages {
		if l.Code == code {
			return true
		}
	}
	return false
}

// SetLanguage switches the respondent's language (a choice_filter may
// compare labels, so answers may settle). It reports whether it changed;
// the language is stored with the next Save.
func (s *Session) SetLanguage(code string) bool {
	if !s.HasLanguage(code) || code == s.lang {
		return false
	}
	s.lang = code
	s.relayout()
	s.settle()
	return true
}

// Question returns the question whose answer key is key.
func (s *Session) Question(key string) (*survey.Question, bool) {
	sl, ok := s.slot(key)
	return sl.q, ok
}

// slot returns the answer key key of the layout now.
func (s *Session) slot(key string) (slot, bool) {
	i, ok := s.lay.byKey[key]
	if !ok {
		return slot{}, false
	}
	return s.lay.slots[i], true
}

// otherKey is the key of the text of sl's "Other" choice.
func otherKey(sl slot) string { return survey.Key(sl.path, sl.q.OtherName()) }

// Value returns the answer of key ("" when blank).
func (s *Session) Value(key string) string { return s.answers[key] }

// Other returns the text of key's "Other" choice.
func (s *Session) Other(key string) string {
	if sl, ok := s.slot(key); ok && sl.q.OrOther {
		return s.answers[otherKey(sl)]
	}
	return ""
}

// Answers returns a copy of every answer, as it would be stored.
func (s *Session) Answers() survey.Answers {
	out := make(survey.Answers, len(s.answers))
	for k, v := range s.answers {
		out[k] = v
	}
	return out
}

// Started reports whether the respondent has given any answer.
func (s *Session) Started() bool { return s.touched }

// Submitted reports whether the store has confirmed the submission.
func (s *Session) Submitted() bool { return s.submitted }

// Faults returns the expressions that failed at run time so far, once
// each per question and column, in the order they first failed.
func (s *Session) Faults() []Fault { return append([]Fault(nil), s.faults...) }

// eval returns an evaluator over the session's answers now.
func (s *Session) eval() evaluator {
	return evaluator{r: s.r, a: s.answers, inst: s.inst, now: s.now(), lang: s.lang, fb: s.s.DefaultLanguage(), faults: s.fault}
}

// fault records f once per question (whatever its instance) and column.
func (s *Session) fault(f Fault) {
	id := f.Key[strings.LastIndexByte(f.Key, '/')+1:] + "\x00" + f.Column
	if s.faultSeen[id] {
		return
	}
	s.faultSeen[id] = true
	s.faults = append(s.faults, f)
}

// settle recomputes calculations and drops stale answers; it returns the
// keys it changed.
func (s *Session) settle() []string {
	var changed []string
	limit := 2*(len(s.lay.slots)+len(s.r.repeats)) + 8
	for pass := 0; pass <= limit; pass++ {
		before := len(changed)
		changed = s.eval().settle(s.lay.slots, changed)
		counts := s.r.hasRepeats && s.fixCounts(&changed)
		if len(changed) == before && !counts {
			break
		}
	}
	for _, k := range changed {
		delete(s.unreadable, k)
	}
	return changed
}

// Answer sets the answer of key to value in its stored form (choice names
// separated by spaces, 2006-01-02, decimal strings) and returns its check.
// A value that is not one of its type is not kept (the answer becomes
// blank) and comes back Unreadable. Setting "" clears the answer. For a
// select with or_other, leaving "Other" clears its text. It returns the
// keys whose values the answer changed in turn (calculations, answers of
// questions no longer relevant), the answered key first when it changed.
func (s *Session) Answer(key, value string) (Check, []string) {
	sl, ok := s.slot(key)
	q := sl.q
	if !ok || q.Type == survey.TypeCalculate || q.Type.IsMetadata() {
		return s.refuse(key), nil
	}
	value = survey.NormaliseAnswer(q, value) // one stored form ("gu1" and "GU1" count once)
	var problem refusal
	if value != "" {
		if problem = s.valueProblem(q, value); problem.msg != "" {
			value = ""
		}
	}
	return s.set(sl, value, problem)
}

// AnswerText sets the answer of key from what a respondent typed (see
// ParseText); text that is not a value of the question's type leaves the
// answer blank and comes back Unreadable with a message saying what to type.
func (s *Session) AnswerText(key, text string) (Check, []string) {
	sl, ok := s.slot(key)
	q := sl.q
	if !ok || q.Type == survey.TypeCalculate || q.Type.IsMetadata() {
		return s.refuse(key), nil
	}
	value, msg := ParseText(q.Type, text)
	value = survey.NormaliseAnswer(q, value)
	problem := refusal{msg: msg, detail: typeDetail(q.Type)}
	if msg == "" {
		problem = refusal{}
		if value != "" {
			if problem = s.valueProblem(q, value); problem.msg != "" {
				value = ""
			}
		}
	}
	return s.set(sl, value, problem)
}

// MarkUnreadable records that what the respondent entered for key could
// not be read (a front end's own widget, a date box for instance, could
// not parse it): the answer becomes blank and Check reports the type's
// message until the next answer.
func (s *Session) MarkUnreadable(key string) (Check, []string) {
	sl, ok := s.slot(key)
	if !ok {
		return s.refuse(key), nil
	}
	return s.set(sl, "", refusal{msg: typeMessage(sl.q.Type), detail: typeDetail(sl.q.Type)})
}

// AnswerOther sets the text of key's "Other" choice.
func (s *Session) AnswerOther(key, text string) Check {
	sl, ok := s.slot(key)
	if !ok || !sl.q.OrOther {
		return s.refuse(key)
	}
	text = strings.TrimSpace(text)
	name := otherKey(sl)
	if s.answers[name] != text {
		s.touch()
		if text == "" {
			delete(s.answers, name)
		} else {
			s.answers[name] = text
		}
	}
	return s.Check(key)
}

// refuse is the check of a key that takes no answer.
func (s *Session) refuse(key string) Check {
	detail := "the survey has no such question"
	q, err := s.s.KeyQuestion(key)
	switch {
	case err == nil && (q.Type == survey.TypeCalculate || q.Type.IsMetadata()):
		detail = fmt.Sprintf("it is a %s, which the survey fills in itself", q.Type)
	case err == nil && !q.Type.HoldsAnswer():
		detail = fmt.Sprintf("it is a %s, which takes no answer", q.Type)
	case err == nil:
		detail = "there is no such repeat instance now"
	default:
		if sl, ok := s.otherOwner(key); ok {
			detail = fmt.Sprintf("it is the text of %q's Other, which takes an answer only with Other chosen", sl.key)
		} else if _, known := s.s.Question(key); known || strings.ContainsAny(key, "[/") {
			detail = err.Error()
		}
	}
	return Check{Outcome: Unreadable, Message: Message(s.lang, MsgNotAChoice), Detail: detail}
}

// refusal is why a value was refused: a message key and the technical detail.
type refusal struct{ msg, detail string }

func (s *Session) set(sl slot, value string, problem refusal) (Check, []string) {
	q, key := sl.q, sl.key
	if problem.msg != "" {
		s.unreadable[key] = problem
	} else {
		delete(s.unreadable, key)
	}
	var changed []string
	if s.answers[key] != value {
		s.touch()
		if value == "" {
			delete(s.answers, key)
		} else {
			s.answers[key] = value
		}
		changed = append(changed, key)
		if other := otherKey(sl); q.OrOther && !hasChoice(q, value, survey.OtherChoice) && s.answers[other] != "" {
			delete(s.answers, other)
			changed = append(changed, other)
		}
		changed = append(changed, s.settle()...)
		if problem.msg != "" {
			s.unreadable[key] = problem
		}
	}
	return s.Check(key), changed
}

// touch marks the session as answered and fills in start, today, deviceid
// and username.
func (s *Session) touch() {
	if s.touched {
		return
	}
	s.touched = true
	now := s.now()
	for _, sl := range s.lay.slots {
		switch sl.q.Type {
		case survey.TypeStart:
			s.answers[sl.key] = now.Format(time.RFC3339)
		case survey.TypeToday:
			s.answers[sl.key] = now.Format(survey.DateLayout)
		case survey.TypeDeviceID:
			if s.cfg.DeviceID != "" {
				s.answers[sl.key] = s.cfg.DeviceID
			}
		case survey.TypeUsername:
			if s.cfg.Username != "" {
				s.answers[sl.key] = s.cfg.Username
			}
		}
	}
}

// Relevant reports whether the question of key (and every group around
// it) is relevant now.
func (s *Session) Relevant(key string) bool {
	if sl, ok := s.slot(key); ok {
		return s.eval().isRelevant(sl.q, sl.path)
	}
	q, err := s.s.KeyQuestion(key) // a group or a note
	if err != nil {
		return false
	}
	path, _, _ := survey.ParseKey(key)
	return s.eval().isRelevant(q, path)
}

// Check returns the verdict on key's current answer: OK for a question
// that is not relevant; else a value that could not be read, required but
// blank, a chosen "Other" without its text, then the constraint.
func (s *Session) Check(key string) Check {
	sl, ok := s.slot(key)
	if !ok {
		return s.refuse(key)
	}
	q := sl.q
	ev := s.eval()
	if !ev.isRelevant(q, sl.path) {
		return Check{}
	}
	if r, ok := s.unreadable[key]; ok {
		return s.fail(Unreadable, r.msg, r.detail)
	}
	v := s.answers[key]
	if v == "" {
		if q.Required {
			return s.failText(RequiredEmpty, q.RequiredMessage, MsgRequired, "required but not answered")
		}
		return Check{}
	}
	if q.OrOther && hasChoice(q, v, survey.OtherChoice) && strings.TrimSpace(s.answers[otherKey(sl)]) == "" {
		return s.fail(RequiredEmpty, MsgOtherEmpty, fmt.Sprintf("Other is chosen but %q is blank", otherKey(sl)))
	}
	if !ev.constraintHolds(q, sl.path, v) {
		detail := q.ConstraintMessage.In(s.s.DefaultLanguage(), "")
		if detail == "" {
			detail = "breaks the constraint " + q.Constraint
		}
		return s.failText(ConstraintViolated, q.ConstraintMessage, MsgConstraint, detail)
	}
	return Check{}
}

func (s *Session) fail(o Outcome, msgKey, detail string) Check {
	return Check{Outcome: o, Message: Message(s.lang, msgKey), Detail: detail}
}

// failText uses the survey's own message in the respondent's language, if it has one.
func (s *Session) failText(o Outcome, t survey.Text, msgKey, detail string) Check {
	if t.Empty() {
		return s.fail(o, msgKey, detail)
	}
	return Check{Outcome: o, Message: t.In(s.lang, s.s.DefaultLanguage()), Detail: detail}
}

// Choices returns the choices offered for key now: the list's choices its
// choice_filter lets through, and "Other" for or_other (labelled in the
// respondent's language). With AllChoices the filter is ignored.
func (s *Session) Choices(key string) []survey.Choice {
	sl, ok := s.slot(key)
	if !ok {
		return nil
	}
	ev := s.eval()
	var out []survey.Choice
	for _, c := range s.AllChoices(key) {
		if ev.choiceShown(sl.q, sl.path, c) {
			out = append(out, c)
		}
	}
	return out
}

// AllChoices returns every choice of key's list, with the "Other" that
// or_other adds.
func (s *Session) AllChoices(key string) []survey.Choice {
	sl, ok := s.slot(key)
	if !ok {
		return nil
	}
	q := sl.q
	cs := append([]survey.Choice(nil), s.s.Choices(q)...)
	if s.r.addsOther(q) {
		cs = append(cs, survey.Choice{Name: survey.OtherChoice, Label: survey.Text{"": Message(s.lang, msgOtherLabel)}})
	}
	return cs
}

// Filtered reports whether key's choices depend on a choice_filter.
func (s *Session) Filtered(key string) bool {
	sl, ok := s.slot(key)
	return ok && s.r.filter[sl.q.Name] != nil
}

// AddsOther reports whether the session adds an "Other" choice to key.
func (s *Session) AddsOther(key string) bool {
	sl, ok := s.slot(key)
	return ok && s.r.addsOther(sl.q)
}

// valueProblem says why v is not a stored value of q (zero when it is).
func (s *Session) valueProblem(q *survey.Question, v string) refusal {
	switch q.Type {
	case survey.TypeSelectOne:
		if strings.ContainsAny(v, " \t\n") {
			return refusal{MsgOneChoice, "choose one answer only"}
		}
		if !s.isChoice(q, v) {
			return refusal{MsgNotAChoice, "not one of the choices: " + s.choiceNames(q)}
		}
	case survey.TypeSelectMultiple, survey.TypeRank:
		seen := map[string]bool{}
		for _, name := range strings.Fields(v) {
			if !s.isChoice(q, name) {
				return refusal{MsgNotAChoice, fmt.Sprintf("%q is not one of the choices: %s", name, s.choiceNames(q))}
			}
			if seen[name] {
				return refusal{MsgNotAChoice, fmt.Sprintf("%q is given twice", name)}
			}
			seen[name] = true
		}
	case survey.TypeInteger, survey.TypeDecimal, survey.TypeDate, survey.TypeTime, survey.TypeDateTime:
		if canon, problem := ParseText(q.Type, v); problem != "" || !sameValue(q.Type, canon, v) {
			return refusal{typeMessage(q.Type), typeDetail(q.Type)}
		}
	case survey.TypeRange:
		n, ok := expr.String(v).Number()
		if !ok {
			return refusal{MsgRange, "not a number"}
		}
		if !inRange(q.Range, n) {
			return refusal{MsgRange, fmt.Sprintf("not on the scale from %s to %s", expr.FormatNumber(q.Range.Start), expr.FormatNumber(q.Range.End))}
		}
	case survey.TypeAcknowledge:
		if !strings.EqualFold(v, "OK") {
			return refusal{MsgAcknowledge, `an acknowledgement is written "OK"`}
		}
	}
	return refusal{}
}

// choiceNames lists the names of q's choices for a detail.
func (s *Session) choiceNames(q *survey.Question) string {
	var names []string
	for _, c := range s.s.Choices(q) {
		names = append(names, c.Name)
	}
	if s.r.addsOther(q) {
		names = append(names, survey.OtherChoice)
	}
	return strings.Join(names, ", ")
}

// typeDetail says in technical words what a value of type t looks like.
func typeDetail(t survey.Type) string {
	switch t {
	case survey.TypeInteger:
		return "not a whole number"
	case survey.TypeDecimal, survey.TypeRange:
		return "not a number"
	case survey.TypeDate:
		return "not a date written as YYYY-MM-DD (years 1900 to 2100)"
	case survey.TypeTime:
		return "not a time written as HH:MM"
	case survey.TypeDateTime:
		return "not a date and time written as YYYY-MM-DDTHH:MM"
	}
	return "not a value of this question"
}

// otherOwner returns the or_other answer whose Other text is kept as key.
func (s *Session) otherOwner(key string) (slot, bool) {
	for _, sl := range s.lay.slots {
		if sl.q.OrOther && otherKey(sl) == key {
			return sl, true
		}
	}
	return slot{}, false
}

// sameValue reports whether a stored value v means the parsed canon: a
// stored number may be written 12.50; a stored dateTime may carry seconds.
func sameValue(t survey.Type, canon, v string) bool {
	switch t {
	case survey.TypeDecimal, survey.TypeInteger:
		a, ok1 := expr.String(canon).Number()
		b, ok2 := expr.String(v).Number()
		return ok1 && ok2 && a == b
	case survey.TypeDateTime:
		return true
	}
	return canon == v
}

func inRange(r *survey.Range, n float64) bool {
	if r == nil {
		return true
	}
	lo, hi := math.Min(r.Start, r.End), math.Max(r.Start, r.End)
	return n >= lo-1e-9 && n <= hi+1e-9
}

// isChoice reports whether name is a choice of q (or the Other that or_other adds).
func (s *Session) isChoice(q *survey.Question, name string) bool {
	if q.OrOther && name == survey.OtherChoice {
		return true
	}
	return s.r.inList(q, name)
}

// typeMessage is the message key asking for a value of type t.
func typeMessage(t survey.Type) string {
	switch t {
	case survey.TypeInteger:
		return MsgInteger
	case survey.TypeDecimal:
		return MsgDecimal
	case survey.TypeTime:
		return MsgTime
	case survey.TypeDateTime:
		return MsgDateTime
	case survey.TypeDate:
		return MsgDate
	case survey.TypeRange:
		return MsgRange
	}
	return MsgNotAChoice
}

// OtherChosen reports whether key's answer includes the "Other" choice
// (its text is then asked for).
func (s *Session) OtherChosen(key string) bool {
	sl, ok := s.slot(key)
	return ok && sl.q.OrOther && hasChoice(sl.q, s.answers[key], survey.OtherChoice)
}
