package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"canvass/survey"
)

// decisionHeaders are the columns of the Decisions sheet.
// The explanation is the whole text a commissioner reads on the result
// screen (survey.Decision.Explain); the columns before it are for filtering.
var decisionHeaders = []string{"response id", "event", "submitted", "status", "outcome", "outcome label", "confidence", "score", "criteria answered", "drivers", "rules", "caveats", "thresholds", "explanation"}
var decisionWidths = []float64{38, 24, 17, 11, 14, 30, 11, 8, 9, 60, 40, 60, 50, 100}

// hasScoring reports whether any exported version is a scored decision tool.
func hasScoring(defs []*survey.Survey) bool {
	for _, d := range defs {
		if d.Scoring != nil {
			return true
		}
	}
	return false
}

// decisionRecord is a decision record flattened into cells.
type decisionRecord struct {
	outcome, outcomeLabel, confidence   string
	score, answered                     value
	drivers, rules, caveats, thresholds string
	explanation                         string // empty for a record that is not a survey.Decision
}

// parseDecision reads a response's decision record: a survey.Decision, or,
// when the JSON is not exactly one (an older or newer record), generically
// by its keys outcome, confidence, score, drivers, rules, caveats and
// thresholds in any case: lists are joined with "; ", objects are shown by
// their label, text or message, or as "key: value" pairs.
func parseDecision(raw []byte) (decisionRecord, error) {
	var d survey.Decision
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err == nil && d.Outcome != "" {
		return decisionFromRecord(&d), nil
	}
	return decisionFromJSON(raw)
}

// decisionFromRecord flattens a survey.Decision.
func decisionFromRecord(d *survey.Decision) decisionRecord {
	rec := decisionRecord{
		outcome:      d.Outcome,
		outcomeLabel: d.OutcomeLabel,
		confidence:   d.Confidence,
		score:        number(d.Score),
		caveats:      strings.Join(d.Caveats, "; "),
		explanation:  strings.TrimSpace(d.Explain().Text()),
	}
	if d.Criteria > 0 {
		rec.answered = number(float64(d.Answered))
	}
	var parts []string
	for _, dr := range d.Drivers {
		if dr.Rule != "" {
			parts = append(parts, "rule: "+firstOf(dr.RuleLabel, dr.Rule))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s (%s)", firstOf(dr.QuestionLabel, dr.Question), firstOf(dr.AnswerLabel, dr.Answer),
			strconv.FormatFloat(dr.Contribution, 'f', -1, 64)))
	}
	rec.drivers = strings.Join(parts, "; ")
	parts = parts[:0]
	for _, r := range d.Rules {
		parts = append(parts, firstOf(r.Label, r.ID))
	}
	rec.rules = strings.Join(parts, "; ")
	th := d.Thresholds
	parts = parts[:0]
	if th.Name != "" {
		parts = append(parts, th.Name)
	}
	if th.Effective != "" {
		parts = append(parts, "in force from "+th.Effective)
	}
	if th.Category != "" && th.Amount != nil {
		parts = append(parts, fmt.Sprintf("%s threshold £%s", th.Category, survey.Money(*th.Amount)))
	}
	rec.thresholds = strings.Join(parts, ", ")
	return rec
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// decisionFromJSON reads a record generically.
func decisionFromJSON(raw []byte) (decisionRecord, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return decisionRecord{}, fmt.Errorf("decode decision record: %w", err)
	}
	get := func(key string) any {
		for k, v := range m {
			if strings.EqualFold(k, key) {
				return v
			}
		}
		return nil
	}
	rec := decisionRecord{
		outcome:      describe(get("outcome")),
		outcomeLabel: describe(get("outcome_label")),
		confidence:   describe(get("confidence")),
		drivers:      describe(get("drivers")),
		rules:        describe(get("rules")),
		caveats:      describe(get("caveats")),
		thresholds:   describe(get("thresholds")),
	}
	rec.score = numberOf(get("score"))
	rec.answered = numberOf(get("answered"))
	return rec, nil
}

// numberOf is a number cell for a decoded JSON number or numeric string.
func numberOf(v any) value {
	switch v := v.(type) {
	case json.Number:
		return numberValue(v.String())
	case string:
		return numberValue(v)
	}
	return value{}
}

// labelKeys name the fields that say what an object is, best first.
var labelKeys = []string{"label", "text", "message", "summary", "description"}

// describe renders a decoded JSON value as one line of text.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case []any:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			if s := describe(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	case map[string]any:
		for _, k := range labelKeys {
			for key, val := range v {
				if strings.EqualFold(key, k) {
					if s, ok := val.(string); ok && s != "" {
						return s
					}
				}
			}
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			s := describe(v[k])
			if s == "" {
				continue
			}
			if _, nested := v[k].(map[string]any); nested {
				s = "(" + s + ")"
			}
			parts = append(parts, k+": "+s)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

// decisionRow fills row (len(decisionHeaders)) for r, or reports false when
// r has no decision record. A record that cannot be read is shown as such
// rather than failing the export.
func (p *plan) decisionRow(r *survey.Response, events map[string]string, row []value) bool {
	if len(bytes.TrimSpace(r.Result)) == 0 || string(bytes.TrimSpace(r.Result)) == "null" {
		return false
	}
	var meta [metaCount]value
	p.metaValues(r, events, meta[:])
	row[0], row[1], row[2], row[3] = meta[metaID], meta[metaEvent], meta[metaSubmitted], meta[metaStatus]
	rec, err := parseDecision(r.Result)
	if err != nil {
		row[4] = text("unreadable decision record: " + err.Error())
		for i := 5; i < len(row); i++ {
			row[i] = value{}
		}
		return true
	}
	row[4], row[5], row[6], row[7], row[8] = optText(rec.outcome), optText(rec.outcomeLabel), optText(rec.confidence), rec.score, rec.answered
	row[9], row[10], row[11], row[12] = optText(rec.drivers), optText(rec.rules), optText(rec.caveats), optText(rec.thresholds)
	row[13] = optText(rec.explanation)
	return true
}

// optText is a text cell, or a blank one for "".
func optText(s string) value {
	if s == "" {
		return value{}
	}
	return text(s)
}
