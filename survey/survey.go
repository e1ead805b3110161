// Package survey holds Canvass's domain: survey definitions in the XLSForm
// vocabulary, responses, events and the rules that check them. It knows
// nothing of Fyne, SQL or Excel; the store, the form runner and the exporters
// build on these types.
package survey

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// Type is an XLSForm question type (without the list name).
type Type string

// Question types Canvass can run. Likert is a select_one with the "likert"
// appearance; a rating is a range (usually 1–5) with the "rating" appearance.
const (
	TypeNote           Type = "note"
	TypeText           Type = "text"
	TypeInteger        Type = "integer"
	TypeDecimal        Type = "decimal"
	TypeSelectOne      Type = "select_one"
	TypeSelectMultiple Type = "select_multiple"
	TypeRank           Type = "rank"
	TypeRange          Type = "range"
	TypeDate           Type = "date"
	TypeTime           Type = "time"
	TypeDateTime       Type = "dateTime"
	TypeAcknowledge    Type = "acknowledge"
	TypeCalculate      Type = "calculate"
	TypeHidden         Type = "hidden"
	TypeGroup          Type = "group"
	// Metadata types are filled in automatically and never shown.
	TypeStart    Type = "start"
	TypeEnd      Type = "end"
	TypeToday    Type = "today"
	TypeDeviceID Type = "deviceid"
	TypeUsername Type = "username"
	// Phone metadata of ODK Collect: Canvass has no phone to read them
	// from, so they are kept (a form that declares them imports) and left
	// blank.
	TypeEmail        Type = "email"
	TypePhoneNumber  Type = "phonenumber"
	TypeSubscriberID Type = "subscriberid"
	TypeSimSerial    Type = "simserial"
)

// Types lists every question type of the model, in the order an editor offers them.
var Types = []Type{
	TypeNote, TypeText, TypeInteger, TypeDecimal, TypeSelectOne, TypeSelectMultiple,
	TypeRank, TypeRange, TypeDate, TypeTime, TypeDateTime, TypeAcknowledge,
	TypeCalculate, TypeHidden, TypeGroup, TypeStart, TypeEnd, TypeToday, TypeDeviceID,
	TypeUsername, TypeEmail, TypePhoneNumber, TypeSubscriberID, TypeSimSerial,
}

// Known reports whether t is a type Canvass can run.
func (t Type) Known() bool {
	for _, k := range Types {
		if k == t {
			return true
		}
	}
	return false
}

// HasChoices reports whether questions of this type take a choice list.
func (t Type) HasChoices() bool {
	return t == TypeSelectOne || t == TypeSelectMultiple || t == TypeRank
}

// IsMetadata reports whether the type is filled in automatically (start,
// end, today, deviceid, username; email, phonenumber, subscriberid and
// simserial stay blank).
func (t Type) IsMetadata() bool {
	switch t {
	case TypeStart, TypeEnd, TypeToday, TypeDeviceID, TypeUsername,
		TypeEmail, TypePhoneNumber, TypeSubscriberID, TypeSimSerial:
		return true
	}
	return false
}

// Shown reports whether questions of this type appear on a page of the form.
func (t Type) Shown() bool {
	return !t.IsMetadata() && t != TypeCalculate && t != TypeHidden && t != TypeGroup
}

// HoldsAnswer reports whether questions of this type store a value in a response.
func (t Type) HoldsAnswer() bool {
	return t != TypeNote && t != TypeGroup
}

// Appearances with a meaning in Canvass.
const (
	AppearanceLikert     = "likert"
	AppearanceMinimal    = "minimal"
	AppearanceHorizontal = "horizontal"
	AppearanceMultiline  = "multiline"
	AppearanceFieldList  = "field-list"
	AppearanceRating     = "rating"
	// AppearancePostcode marks a text question holding a UK postcode or its
	// first half: answers are stored in capitals with one space before the
	// last three characters of a full postcode (see NormaliseAnswer).
	AppearancePostcode = "postcode"
)

// Text is a label in several languages, keyed by language code ("en", "cy").
// The empty key holds a label given without a language.
type Text map[string]string

// In returns the text in lang, falling back to fallback, then to the
// language-less text, then to any text at all (in a stable order).
func (t Text) In(lang, fallback string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s, ok := t[fallback]; ok && s != "" {
		return s
	}
	if s := t[""]; s != "" {
		return s
	}
	best := ""
	for k, s := range t {
		if s != "" && (best == "" || k < best) {
			best = k
		}
	}
	return t[best]
}

// Empty reports whether the text has no words in any language.
func (t Text) Empty() bool {
	for _, s := range t {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// En is a shorthand for an English-only text.
func En(s string) Text { return Text{"en": s} }

// Language is one language a survey is offered in.
type Language struct {
	Code string `json:"code"` // BCP 47 code, e.g. "en", "cy"
	Name string `json:"name"` // its own name, e.g. "English", "Cymraeg"
}

// Range holds the parameters of a range question.
type Range struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Step  float64 `json:"step"`
}

// MaxScalePoints is the most points a range may have to be read as a scale
// (a rating such as 1–5, or 0–10), whose answers are counted point by point.
const MaxScalePoints = 11

// ScalePoints lists the points of a range question that is a scale, in
// order from Start to End, or nil when q is not a range or has more than
// MaxScalePoints points.
func (q *Question) ScalePoints() []float64 {
	if q.Type != TypeRange || q.Range == nil || !(q.Range.Step > 0) {
		return nil
	}
	lo, hi, step := q.Range.Start, q.Range.End, q.Range.Step
	if math.IsNaN(lo) || math.IsNaN(hi) || math.Abs(hi-lo)/step >= MaxScalePoints {
		return nil
	}
	if hi < lo {
		step = -step
	}
	var out []float64
	for i := 0; i < MaxScalePoints; i++ {
		v := lo + float64(i)*step
		if (step > 0 && v > hi+1e-9) || (step < 0 && v < hi-1e-9) {
			break
		}
		out = append(out, math.Round(v*1e9)/1e9)
	}
	return out
}

// Choice is one answer of a choice list.
type Choice struct {
	Name  string `json:"name"`
	Label Text   `json:"label"`
	// Score is the choice's score for scoring surveys (the decision tool);
	// nil means the choice does not score (e.g. "don't know").
	Score *float64 `json:"score,omitempty"`
	// Filter holds extra columns used by choice_filter expressions.
	Filter map[string]string `json:"filter,omitempty"`
}

// ChoiceList is a named list of choices, shared by the questions that name it.
type ChoiceList struct {
	Name    string   `json:"name"`
	Choices []Choice `json:"choices"`
}

// Choice returns the choice with the given name.
func (l *ChoiceList) Choice(name string) (Choice, bool) {
	for _, c := range l.Choices {
		if c.Name == name {
			return c, true
		}
	}
	return Choice{}, false
}

// Question is one row of the survey: a question, a note, a calculation or a group.
type Question struct {
	Type              Type        `json:"type"`
	Name              string      `json:"name"`
	Label             Text        `json:"label,omitempty"`
	Hint              Text        `json:"hint,omitempty"`
	Required          bool        `json:"required,omitempty"`
	RequiredMessage   Text        `json:"required_message,omitempty"`
	Relevant          string      `json:"relevant,omitempty"`
	Constraint        string      `json:"constraint,omitempty"`
	ConstraintMessage Text        `json:"constraint_message,omitempty"`
	Calculation       string      `json:"calculation,omitempty"`
	Default           string      `json:"default,omitempty"`
	ReadOnly          bool        `json:"read_only,omitempty"`
	Appearance        string      `json:"appearance,omitempty"`
	List              string      `json:"list,omitempty"` // choice list name for select/rank
	OrOther           bool        `json:"or_other,omitempty"`
	ChoiceFilter      string      `json:"choice_filter,omitempty"`
	Range             *Range      `json:"range,omitempty"`
	Personal          bool        `json:"personal,omitempty"`  // holds personal data
	Weight            float64     `json:"weight,omitempty"`    // scoring weight (decision tool)
	Questions         []*Question `json:"questions,omitempty"` // children of a group
	// Repeat, on a group, makes it a repeat (XLSForm's begin_repeat): its
	// questions are answered once per instance. nil for a plain group.
	Repeat *Repeat `json:"repeat,omitempty"`
}

// Repeat holds what makes a group a repeat.
type Repeat struct {
	// Count fixes the number of instances: a whole number or an expression
	// (XLSForm's repeat_count, or jr:count). "" lets the respondent add and
	// remove instances.
	Count string `json:"count,omitempty"`
	// Item is the noun for one instance, per language ("person",
	// "service"): the form says "Person 2 of 3" and "Add another person".
	// Empty means Canvass's translated "entry".
	Item Text `json:"item,omitempty"`
}

// HasAppearance reports whether the space-separated appearance list contains a.
func (q *Question) HasAppearance(a string) bool {
	for _, f := range strings.Fields(q.Appearance) {
		if f == a {
			return true
		}
	}
	return false
}

// OtherChoice is the choice name an or_other question offers for "Other",
// as XLSForm does.
const OtherChoice = "other"

// OtherName is the name of the answer that holds the respondent's own words
// when they chose "Other" on an or_other question.
func (q *Question) OtherName() string { return q.Name + "_other" }

// IsLikert reports whether the question is a Likert scale.
func (q *Question) IsLikert() bool {
	return q.Type == TypeSelectOne && q.HasAppearance(AppearanceLikert)
}

// IsMultiline reports whether a text question wants a multi-line entry.
func (q *Question) IsMultiline() bool {
	return q.Type == TypeText && q.HasAppearance(AppearanceMultiline)
}

// Survey is one version of a survey definition.
type Survey struct {
	ID          string       `json:"id"` // form_id: letters, digits, _ - . and :
	Version     int          `json:"version"`
	Title       Text         `json:"title"`
	Description Text         `json:"description,omitempty"`
	Languages   []Language   `json:"languages,omitempty"` // first is the default
	Questions   []*Question  `json:"questions"`
	Lists       []ChoiceList `json:"lists,omitempty"`
	// Scoring, when set, turns the survey into a scored decision tool.
	Scoring *Scoring `json:"scoring,omitempty"`
	// Template names the built-in template the survey came from, if any.
	Template string `json:"template,omitempty"`
	// AllowChoiceDuplicates lets a choice list hold the same name twice, as
	// cascading selects do (XLSForm's allow_choice_duplicates setting).
	AllowChoiceDuplicates bool `json:"allow_choice_duplicates,omitempty"`
}

// DefaultLanguage returns the survey's first language code, or "en".
func (s *Survey) DefaultLanguage() string {
	if len(s.Languages) > 0 && s.Languages[0].Code != "" {
		return s.Languages[0].Code
	}
	return "en"
}

// List returns the named choice list.
func (s *Survey) List(name string) (*ChoiceList, bool) {
	for i := range s.Lists {
		if s.Lists[i].Name == name {
			return &s.Lists[i], true
		}
	}
	return nil, false
}

// Choices returns the choices of q's list (nil if q has none).
func (s *Survey) Choices(q *Question) []Choice {
	if q == nil || q.List == "" {
		return nil
	}
	if l, ok := s.List(q.List); ok {
		return l.Choices
	}
	return nil
}

// All returns every question of the survey depth-first, groups included,
// in survey order.
func (s *Survey) All() []*Question {
	var out []*Question
	var walk func([]*Question)
	walk = func(qs []*Question) {
		for _, q := range qs {
			out = append(out, q)
			if q.Type == TypeGroup {
				walk(q.Questions)
			}
		}
	}
	walk(s.Questions)
	return out
}

// NumAnswerable counts the questions a respondent sees and answers, in
// groups too: no notes, groups, calculations, hidden or metadata fields.
func (s *Survey) NumAnswerable() int {
	n := 0
	for _, q := range s.All() {
		if q.Type.Shown() && q.Type.HoldsAnswer() {
			n++
		}
	}
	return n
}

// Fields returns the questions that hold an answer (no groups, no notes),
// in survey order: the columns of a data export.
func (s *Survey) Fields() []*Question {
	var out []*Question
	for _, q := range s.All() {
		if q.Type.HoldsAnswer() {
			out = append(out, q)
		}
	}
	return out
}

// Question returns the question (or group) with the given name.
func (s *Survey) Question(name string) (*Question, bool) {
	for _, q := range s.All() {
		if q.Name == name {
			return q, true
		}
	}
	return nil, false
}

// Page is what the form shows at once: one question, or the shown
// questions of a field-list group. Relevant holds the relevance conditions
// of the groups that enclose the page, outermost first.
type Page struct {
	Group     *Question // the field-list group, or nil for a single question
	Questions []*Question
	Relevant  []string
}

// Pages splits the survey into the pages of the form runner. A question
// outside any field-list group is a page of its own; a group with the
// field-list appearance is one page; the children of other groups are
// paged individually, inheriting the group's relevance.
func (s *Survey) Pages() []Page {
	var pages []Page
	var walk func(qs []*Question, rel []string)
	walk = func(qs []*Question, rel []string) {
		for _, q := range qs {
			switch {
			case q.Type == TypeGroup && q.HasAppearance(AppearanceFieldList):
				p := Page{Group: q, Relevant: append([]string(nil), rel...)}
				if q.Relevant != "" {
					p.Relevant = append(p.Relevant, q.Relevant)
				}
				p.Questions = append(p.Questions, flattenShown(q.Questions)...)
				if len(p.Questions) > 0 {
					pages = append(pages, p)
				}
			case q.Type == TypeGroup:
				inner := append([]string(nil), rel...)
				if q.Relevant != "" {
					inner = append(inner, q.Relevant)
				}
				walk(q.Questions, inner)
			case q.Type.Shown():
				pages = append(pages, Page{Questions: []*Question{q}, Relevant: append([]string(nil), rel...)})
			}
		}
	}
	walk(s.Questions, nil)
	return pages
}

// flattenShown lists the shown questions below qs, descending into nested
// groups (a field-list page shows its nested groups' questions inline).
func flattenShown(qs []*Question) []*Question {
	var out []*Question
	for _, q := range qs {
		if q.Type == TypeGroup {
			out = append(out, flattenShown(q.Questions)...)
		} else if q.Type.Shown() {
			out = append(out, q)
		}
	}
	return out
}

// Ancestors returns the groups enclosing the named question, outermost first.
func (s *Survey) Ancestors(name string) []*Question {
	var path []*Question
	var found []*Question
	var walk func([]*Question) bool
	walk = func(qs []*Question) bool {
		for _, q := range qs {
			if q.Name == name {
				found = append([]*Question(nil), path...)
				return true
			}
			if q.Type == TypeGroup {
				path = append(path, q)
				if walk(q.Questions) {
					return true
				}
				path = path[:len(path)-1]
			}
		}
		return false
	}
	walk(s.Questions)
	return found
}

// AcknowledgeValue is the stored answer of a ticked acknowledgement (the
// XLSForm convention), and AgreeLabel how it reads to people.
const (
	AcknowledgeValue = "OK"
	AgreeLabel       = "I agree"
)

// ValueLabel writes one stored value of q in words: the choice's label in
// lang for a choice question, "I agree" for a ticked acknowledgement, and
// the value itself otherwise (or when the choice is unknown).
func (s *Survey) ValueLabel(q *Question, v, lang string) string {
	switch {
	case q.Type == TypeAcknowledge && strings.EqualFold(strings.TrimSpace(v), AcknowledgeValue):
		return AgreeLabel
	case q.Type.HasChoices():
		for _, c := range s.Choices(q) {
			if c.Name == v {
				if l := c.Label.In(lang, s.DefaultLanguage()); l != "" {
					return l
				}
			}
		}
	}
	return v
}

// Clone returns a deep copy of the survey.
func (s *Survey) Clone() *Survey {
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("survey: clone: %v", err)) // all fields are plain data
	}
	var c Survey
	if err := json.Unmarshal(b, &c); err != nil {
		panic(fmt.Sprintf("survey: clone: %v", err))
	}
	return &c
}

// Marshal encodes the definition as JSON, the form it is stored in.
func (s *Survey) Marshal() ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode survey %q: %w", s.ID, err)
	}
	return b, nil
}

// Unmarshal decodes a JSON definition. It does not validate it.
func Unmarshal(b []byte) (*Survey, error) {
	var s Survey
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("decode survey: %w", err)
	}
	return &s, nil
}

// SameContent reports whether s and o define the same survey, whatever
// their version numbers: what the store compares before making a version.
func (s *Survey) SameContent(o *Survey) bool {
	if s == nil || o == nil {
		return s == o
	}
	a, b := *s, *o
	a.Version, b.Version = 0, 0
	x, errX := a.Marshal()
	y, errY := b.Marshal()
	return errX == nil && errY == nil && string(x) == string(y)
}
