package survey_test

import (
	"testing"

	"canvass/survey"
	"canvass/survey/expr"
)

func TestSkipRuleExpression(t *testing.T) {
	tests := []struct {
		rule survey.SkipRule
		want string
	}{
		{survey.SkipRule{Question: "visit", Op: survey.SkipIs, Value: "yes"}, "${visit} = 'yes'"},
		{survey.SkipRule{Question: "visit", Op: survey.SkipIsNot, Value: "no"}, "${visit} != 'no'"},
		{survey.SkipRule{Question: "likes", Op: survey.SkipIncludes, Value: "ducks"}, "selected(${likes}, 'ducks')"},
		{survey.SkipRule{Question: "likes", Op: survey.SkipNotIncludes, Value: "cafe"}, "not(selected(${likes}, 'cafe'))"},
		{survey.SkipRule{Question: "town", Op: survey.SkipIs, Value: "Bishop's Stortford"}, "${town} = 'Bishop''s Stortford'"},
		{survey.SkipRule{Question: "age", Op: survey.SkipIs, Value: ""}, "${age} = ''"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got := tt.rule.Expression()
			if got != tt.want {
				t.Errorf("Expression() = %q, want %q", got, tt.want)
			}
			if err := expr.Check(got, nil); err != nil {
				t.Errorf("%q does not parse: %v", got, err)
			}
			back, ok := survey.ParseSkipRule(got)
			if !ok || back != tt.rule {
				t.Errorf("ParseSkipRule(%q) = %+v, %v; want %+v", got, back, ok, tt.rule)
			}
		})
	}
}

func TestParseSkipRule(t *testing.T) {
	tests := []struct {
		src  string
		want survey.SkipRule
		ok   bool
	}{
		{`  ${visit}='yes' `, survey.SkipRule{Question: "visit", Op: survey.SkipIs, Value: "yes"}, true},
		{`${visit} != "it""s"`, survey.SkipRule{Question: "visit", Op: survey.SkipIsNot, Value: `it"s`}, true},
		{`selected( ${likes} , "ducks" )`, survey.SkipRule{Question: "likes", Op: survey.SkipIncludes, Value: "ducks"}, true},
		{`${age} > 18`, survey.SkipRule{}, false},
		{`${visit} = 'yes' and ${age} = '3'`, survey.SkipRule{}, false},
		{`${visit} = ${other}`, survey.SkipRule{}, false},
		{``, survey.SkipRule{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, ok := survey.ParseSkipRule(tt.src)
			if ok != tt.ok || got != tt.want {
				t.Errorf("ParseSkipRule(%q) = %+v, %v; want %+v, %v", tt.src, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// FuzzParseSkipRule: whatever ParseSkipRule reads, the rule writes back
// as an expression that parses and reads back as the same rule.
func FuzzParseSkipRule(f *testing.F) {
	for _, s := range []string{"${visit} = 'yes'", `selected(${a}, "b")`, `not(selected(${q}, 'it''s'))`, "${a} != ''", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		r, ok := survey.ParseSkipRule(src)
		if !ok {
			return
		}
		out := r.Expression()
		if err := expr.Check(out, nil); err != nil {
			t.Fatalf("%q read as %+v, written %q, which does not parse: %v", src, r, out, err)
		}
		back, ok := survey.ParseSkipRule(out)
		if !ok || back != r {
			t.Fatalf("%q read as %+v, written %q, read back %+v %v", src, r, out, back, ok)
		}
	})
}
