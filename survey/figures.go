package survey

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"canvass/survey/expr"
)

// WithThresholds returns the survey with the threshold figures written into
// the labels and hints that mention them: in a scored survey, each
// {{expression}} in a label or hint is replaced by its value, with the
// functions threshold(cat), notifiable(), subsidy_mfa(), threshold_date()
// and money(n) over t (see Scoring). So a question about "the minimal
// financial assistance limit" can say "£315,000, in force from 1 January
// 2026", and says the new figure as soon as staff update the thresholds.
// A survey without scoring, or without such pieces, is returned as it is;
// otherwise the copy is new and s is unchanged. A piece that fails (which
// Validate prevents) is left as written.
func (s *Survey) WithThresholds(t Thresholds) *Survey {
	if s == nil || s.Scoring == nil || !s.hasFigures() {
		return s
	}
	c := s.Clone()
	env := expr.Env{Lookup: func(string) string { return "" }, Funcs: decisionFuncs(&Decision{}, t)}
	fill := func(txt Text) Text {
		if txt == nil {
			return nil
		}
		out := make(Text, len(txt))
		for l, v := range txt {
			out[l] = v
			if strings.Contains(v, "{{") {
				if r, err := renderTemplate(v, env); err == nil {
					out[l] = r
				}
			}
		}
		return out
	}
	for _, q := range c.All() {
		q.Label = fill(q.Label)
		q.Hint = fill(q.Hint)
	}
	return c
}

// AsShown returns the survey as respondents see it: in a scored survey, the
// questions that mention a threshold carry the figures in force, read from
// the saved settings (see WithThresholds). Every front end that shows a
// survey (the window's form, kiosk mode, preview, the web pages) calls it,
// so none shows a {{…}} piece. Thresholds that cannot be read give the
// defaults, as the decision itself does: showing the form never fails.
func (s *Survey) AsShown(ctx context.Context, st SettingStore) *Survey {
	if s == nil || s.Scoring == nil || !s.hasFigures() {
		return s
	}
	t, err := LoadThresholds(ctx, st)
	if err != nil {
		t = DefaultThresholds()
	}
	return s.WithThresholds(t)
}

// hasFigures reports whether any label or hint holds a {{…}} piece.
func (s *Survey) hasFigures() bool {
	for _, q := range s.All() {
		for _, txt := range []Text{q.Label, q.Hint} {
			for _, v := range txt {
				if strings.Contains(v, "{{") {
					return true
				}
			}
		}
	}
	return false
}

// validateFigures checks the value and category questions named for the
// explanation, and every {{…}} piece in labels and hints (see WithThresholds).
func (sc *Scoring) validateFigures(s *Survey) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf("scoring: "+format, args...)) }
	if name := sc.ValueQuestion; name != "" {
		if q, ok := s.Question(name); !ok {
			add("value_question: no question is called %q", name)
		} else if q.Type != TypeDecimal && q.Type != TypeInteger {
			add("value_question %q: it must be a decimal or integer question, not %s", name, q.Type)
		}
	}
	if name := sc.CategoryQuestion; name != "" {
		if q, ok := s.Question(name); !ok {
			add("category_question: no question is called %q", name)
		} else if q.Type != TypeSelectOne {
			add("category_question %q: it must be a select_one question, not %s", name, q.Type)
		}
	}
	noRefs := func(string) bool { return false }
	for _, q := range s.All() {
		for _, f := range []struct {
			name string
			txt  Text
		}{{"label", q.Label}, {"hint", q.Hint}} {
			field, txt := f.name, f.txt
			langs := make([]string, 0, len(txt))
			for l := range txt {
				langs = append(langs, l)
			}
			sort.Strings(langs)
			for _, l := range langs {
				err := walkTemplate(txt[l], func(_ string, e *expr.Expr) error {
					if e == nil {
						return nil
					}
					return expr.Check(e.String(), noRefs, ScoringFuncs...)
				})
				if err != nil {
					add("question %q: %s [%s]: %v", q.Name, field, l, err)
				}
			}
		}
	}
	return errs
}
