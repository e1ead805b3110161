package xlsform

import (
	"fmt"
	"strings"

	"canvass/survey"
	"canvass/survey/expr"
)

// The canvass_scoring sheet carries a decision tool's scoring. ODK ignores
// it. Each row's kind column says what it holds:
//
//	kind        name        other columns
//	setting     scale       value
//	setting     drivers     value
//	setting     notice      label::…
//	setting     negative_side / positive_side   label::… (e.g. "a grant")
//	setting     value_question / category_question   value (a question name)
//	outcome     <code>      label::…, description::…, drivers
//	band                    outcome, from, to (blank: open)
//	confidence  <code>      label::…, min_abs_score, min_answered
//	rule        <id>        label::…, when, if_outcome (codes separated by
//	                        spaces), outcome, confidence, max_confidence,
//	                        caveat::…, driver (yes/no), stop (yes/no)
//
// Rows of one kind keep their order; the kinds may be mixed.

// Kinds of canvass_scoring rows.
const (
	kindSetting    = "setting"
	kindOutcome    = "outcome"
	kindBand       = "band"
	kindConfidence = "confidence"
	kindRule       = "rule"

	settingScale   = "scale"
	settingDrivers = "drivers"
	settingNotice  = "notice"

	settingNegativeSide     = "negative_side"
	settingPositiveSide     = "positive_side"
	settingValueQuestion    = "value_question"
	settingCategoryQuestion = "category_question"
)

// scoringRows remembers where each part of the scoring came from, to place
// Validate's problems.
type scoringRows struct {
	settings    map[string]int
	outcomes    []int
	outcomeCode map[string]int
	bands       []int
	levels      []int
	levelCode   map[string]int
	rules       []int
}

// readScoring reads the canvass_scoring sheet, if any, into s.Scoring.
func (im *importer) readScoring(t *table) {
	if t == nil || len(t.rows) == 0 {
		return
	}
	kindCol := t.find(colKind)
	if kindCol == nil {
		im.rep.at(Error, t, t.header, nil, "the %s sheet has no kind column", t.name)
		return
	}
	col := func(key string) *column { return t.find(key) }
	nameCol, valueCol := col(colName), col(colValue)
	sc := &survey.Scoring{}
	rows := &scoringRows{settings: map[string]int{}, outcomeCode: map[string]int{}, levelCode: map[string]int{}}
	im.scoringRows = rows

	number := func(r row, key string) float64 {
		c := col(key)
		v := r.cell(c)
		if v == "" {
			return 0
		}
		f, err := parseNumber(v)
		if err != nil {
			im.rep.at(Error, t, r.num, c, "%s %q is not a number", key, v)
		}
		return f
	}
	bound := func(r row, key string) *float64 {
		if r.cell(col(key)) == "" {
			return nil
		}
		f := number(r, key)
		return &f
	}
	yesNo := func(r row, key string) bool {
		c := col(key)
		b, ok := parseYesNo(r.cell(c))
		if !ok {
			im.rep.at(Error, t, r.num, c, "%s %q is not yes or no", key, r.cell(c))
		}
		return b
	}

	for _, r := range t.rows {
		name := r.cell(nameCol)
		switch kind := strings.ToLower(r.cell(kindCol)); kind {
		case kindSetting:
			rows.settings[name] = r.num
			switch name {
			case settingScale:
				sc.Scale = number(r, colValue)
			case settingDrivers:
				f := number(r, colValue)
				if f != float64(int(f)) {
					im.rep.at(Error, t, r.num, valueCol, "drivers %v is not a whole number", f)
				}
				sc.Drivers = int(f)
			case settingNotice:
				sc.Notice = im.text(t, r, colLabel)
			case settingNegativeSide:
				sc.Sides.Negative = im.text(t, r, colLabel)
			case settingPositiveSide:
				sc.Sides.Positive = im.text(t, r, colLabel)
			case settingValueQuestion:
				sc.ValueQuestion = r.cell(valueCol)
			case settingCategoryQuestion:
				sc.CategoryQuestion = r.cell(valueCol)
			default:
				im.rep.at(Error, t, r.num, nameCol, "unknown setting %q: use %s", name, strings.Join([]string{settingScale, settingDrivers, settingNotice,
					settingNegativeSide, settingPositiveSide, settingValueQuestion, settingCategoryQuestion}, ", "))
			}
		case kindOutcome:
			rows.outcomes = append(rows.outcomes, r.num)
			rows.outcomeCode[name] = r.num
			sc.Outcomes = append(sc.Outcomes, survey.Outcome{
				Code: name, Label: im.text(t, r, colLabel), Description: im.text(t, r, colDescriptionText),
				Drivers: strings.ToLower(r.cell(col(colDrivers))),
			})
		case kindBand:
			rows.bands = append(rows.bands, r.num)
			sc.Bands = append(sc.Bands, survey.Band{Outcome: r.cell(col(colOutcome)), From: bound(r, colFrom), To: bound(r, colTo)})
		case kindConfidence:
			rows.levels = append(rows.levels, r.num)
			rows.levelCode[name] = r.num
			sc.Confidence = append(sc.Confidence, survey.ConfidenceLevel{
				Code: name, Label: im.text(t, r, colLabel),
				MinAbsScore: number(r, colMinAbsScore), MinAnswered: number(r, colMinAnswered),
			})
		case kindRule:
			rows.rules = append(rows.rules, r.num)
			rule := survey.Rule{
				ID: name, Label: im.text(t, r, colLabel), When: r.cell(col(colWhen)),
				IfOutcome: fieldsOrNil(r.cell(col(colIfOutcome))),
				Outcome:   r.cell(col(colOutcome)), Confidence: r.cell(col(colConfidence)),
				MaxConfidence: r.cell(col(colMaxConfidence)), Caveat: im.text(t, r, colCaveat),
				Driver: yesNo(r, colDriver), Stop: yesNo(r, colStop),
			}
			if e, err := expr.Parse(rule.When); err == nil {
				for _, ref := range e.Refs() {
					im.checkRef(t, r.num, col(colWhen), ref)
				}
			}
			sc.Rules = append(sc.Rules, rule)
		case "":
			im.rep.at(Error, t, r.num, kindCol, "the row has no kind: use %s, %s, %s, %s or %s", kindSetting, kindOutcome, kindBand, kindConfidence, kindRule)
		default:
			im.rep.at(Error, t, r.num, kindCol, "unknown kind %q: use %s, %s, %s, %s or %s", kind, kindSetting, kindOutcome, kindBand, kindConfidence, kindRule)
		}
	}
	im.s.Scoring = sc
}

// scoringSheet lays out a survey's scoring.
func scoringSheet(sc *survey.Scoring, lc langColumns) *sheet {
	sh := newSheet(SheetScoring)
	sh.column(colKind, true)
	sh.column(colName, true)
	sh.column(colValue, true)
	sh.texts(lc, colLabel, true)
	sh.texts(lc, colDescriptionText, false)
	for _, c := range []string{colDrivers, colOutcome, colFrom, colTo, colMinAbsScore, colMinAnswered, colWhen, colIfOutcome, colConfidence, colMaxConfidence} {
		sh.column(c, false)
	}
	sh.texts(lc, colCaveat, false)
	sh.column(colDriver, false)
	sh.column(colStop, false)

	sh.add(map[string]any{colKind: kindSetting, colName: settingScale, colValue: sc.Scale})
	if sc.Drivers != 0 {
		sh.add(map[string]any{colKind: kindSetting, colName: settingDrivers, colValue: sc.Drivers})
	}
	if len(sc.Notice) > 0 {
		r := map[string]any{colKind: kindSetting, colName: settingNotice}
		setText(r, lc, colLabel, sc.Notice)
		sh.add(r)
	}
	for _, side := range []struct {
		name string
		text survey.Text
	}{{settingNegativeSide, sc.Sides.Negative}, {settingPositiveSide, sc.Sides.Positive}} {
		if len(side.text) > 0 {
			r := map[string]any{colKind: kindSetting, colName: side.name}
			setText(r, lc, colLabel, side.text)
			sh.add(r)
		}
	}
	for _, q := range []struct{ name, value string }{{settingValueQuestion, sc.ValueQuestion}, {settingCategoryQuestion, sc.CategoryQuestion}} {
		if q.value != "" {
			sh.add(map[string]any{colKind: kindSetting, colName: q.name, colValue: q.value})
		}
	}
	for _, o := range sc.Outcomes {
		r := map[string]any{colKind: kindOutcome, colName: o.Code, colDrivers: o.Drivers}
		setText(r, lc, colLabel, o.Label)
		setText(r, lc, colDescriptionText, o.Description)
		sh.add(r)
	}
	for _, b := range sc.Bands {
		r := map[string]any{colKind: kindBand, colOutcome: b.Outcome}
		if b.From != nil {
			r[colFrom] = *b.From
		}
		if b.To != nil {
			r[colTo] = *b.To
		}
		sh.add(r)
	}
	for _, l := range sc.Confidence {
		r := map[string]any{colKind: kindConfidence, colName: l.Code}
		setText(r, lc, colLabel, l.Label)
		if l.MinAbsScore != 0 {
			r[colMinAbsScore] = l.MinAbsScore
		}
		if l.MinAnswered != 0 {
			r[colMinAnswered] = l.MinAnswered
		}
		sh.add(r)
	}
	for _, rule := range sc.Rules {
		r := map[string]any{
			colKind: kindRule, colName: rule.ID, colWhen: rule.When,
			colIfOutcome: strings.Join(rule.IfOutcome, " "), colOutcome: rule.Outcome,
			colConfidence: rule.Confidence, colMaxConfidence: rule.MaxConfidence,
		}
		setText(r, lc, colLabel, rule.Label)
		setText(r, lc, colCaveat, rule.Caveat)
		setYes(r, colDriver, rule.Driver)
		setYes(r, colStop, rule.Stop)
		sh.add(r)
	}
	return sh
}

// scoringLocation finds the row of a scoring problem from Validate's
// message ("outcome \"grant\" has no label", "rule 2 (x): …", "band 1: …").
func (rows *scoringRows) locate(msg string) int {
	if rows == nil {
		return 0
	}
	var n int
	var code string
	switch {
	case scanIndex(msg, "outcome %d:", &n) && n <= len(rows.outcomes):
		return rows.outcomes[n-1]
	case scanQuoted(msg, "outcome ", &code):
		return rows.outcomeCode[code]
	case scanIndex(msg, "confidence level %d:", &n) && n <= len(rows.levels):
		return rows.levels[n-1]
	case scanQuoted(msg, "confidence level ", &code):
		return rows.levelCode[code]
	case scanIndex(msg, "band %d", &n) && n <= len(rows.bands):
		return rows.bands[n-1]
	case scanIndex(msg, "rule %d", &n) && n <= len(rows.rules):
		return rows.rules[n-1]
	case strings.HasPrefix(msg, "scale"):
		return rows.settings[settingScale]
	case strings.HasPrefix(msg, "drivers"):
		return rows.settings[settingDrivers]
	}
	return 0
}

// scanIndex reads a 1-based index from the start of msg with format.
func scanIndex(msg, format string, n *int) bool {
	_, err := fmt.Sscanf(msg, format, n)
	return err == nil && *n >= 1
}

// scanQuoted reads a quoted code after prefix at the start of msg.
func scanQuoted(msg, prefix string, code *string) bool {
	if !strings.HasPrefix(msg, prefix+`"`) {
		return false
	}
	_, err := fmt.Sscanf(msg[len(prefix):], "%q", code)
	return err == nil
}

// fieldsOrNil splits s at spaces, returning nil (not an empty slice) for a blank s.
func fieldsOrNil(s string) []string {
	if f := strings.Fields(s); len(f) > 0 {
		return f
	}
	return nil
}
