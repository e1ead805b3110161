package expr_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"canvass/survey/expr"
)

// fuzzSeeds are typical and awkward expressions both fuzzers start from.
var fuzzSeeds = []string{
	"${age} > 17",
	". >= 0 and . <= 120",
	"selected(${services}, 'housing') or count-selected(${services}) > 2",
	"if(${a} = '', 'none', concat(${a}, ' ', ${b}))",
	"coalesce(${x}, 0) + int(${y} div 3) mod 2",
	`regex(., '^[A-Z]{1,2}[0-9][A-Z0-9]?$')`,
	"today() > ${dob} and string-length(${name}) < 40",
	"not(${consent} = 'yes') or -${n} * 2 != 4",
	"round(${score} div ${max} * 100, 1)",
	"'it''s' = \"it's\"",
	"substr(${text}, 1, 3) = 'ell' and starts-with(${t}, 'x')",
	"1 div 0",
	"((1))",
	"threshold('goods') >= ${value}",
	"${a} ==",
	"(((",
	"'unterminated",
	"${",
	"..",
	"‘curly’",
	"\xff\xfe",
	"é + ${a",
	"position(..) = count(${people})",
	"sum(${age}) div count(${age}) > max(${age}) - min(${age})",
	"join(', ', ${name}) != ''",
	"indexed-repeat(${name}, ${people}, position(..) - 1)",
	"indexed-repeat(${x}, ${r}, 1, ${s}, 2, ${t}, 3)",
	"position(..",
	"count(1)",
	"../x",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if fe, err := expr.ParseFilter(src); err == nil {
			_ = expr.CheckFilter(src, nil, func(string) bool { return false })
			evalNeverRendersNaN(t, fe, expr.Env{Now: fixedNow, Column: func(string) string { return "x" }})
		}
		e, err := expr.Parse(src)
		if err != nil {
			var pe *expr.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T, want *expr.Error", src, err)
			}
			if max := utf8.RuneCountInString(src) + 1; pe.Pos < 1 || pe.Pos > max {
				t.Fatalf("Parse(%q) error at column %d, outside 1..%d", src, pe.Pos, max)
			}
			if pe.Msg == "" {
				t.Fatalf("Parse(%q) error without a message", src)
			}
			return
		}
		if e.String() != src {
			t.Fatalf("String() = %q, want %q", e.String(), src)
		}
		_ = expr.Check(src, func(string) bool { return false })
		evalNeverRendersNaN(t, e, expr.Env{Self: "1", Now: fixedNow, Lookup: func(string) string { return "2" }})
		evalNeverRendersNaN(t, e, expr.Env{Now: fixedNow})
	})
}

func FuzzEval(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "", "")
		f.Add(s, "12.5", "a b c")
	}
	f.Add("${a} div ${a}", "0", "0")
	f.Add("regex(${a}, .)", "x", "(")
	f.Fuzz(func(t *testing.T, src, answer, self string) {
		e, err := expr.Parse(src)
		if err != nil {
			return
		}
		evalNeverRendersNaN(t, e, expr.Env{Self: self, Now: fixedNow, Lookup: func(string) string { return answer }})
		// Inside a repeat instance: sets of answers, a position, indexed-repeat.
		evalNeverRendersNaN(t, e, expr.Env{Self: self, Now: fixedNow, Lookup: func(string) string { return answer },
			Values: func(string) []string { return []string{answer, self, answer} }, Position: 3,
			Indexed: func(string, []expr.At) string { return self }})
	})
}

// evalNeverRendersNaN evaluates e and checks the result renders as a
// number, a word or nothing, never "NaN" or "Inf", and that errors are *Error.
func evalNeverRendersNaN(t *testing.T, e *expr.Expr, env expr.Env) {
	t.Helper()
	v, err := e.Eval(env)
	if err != nil {
		var pe *expr.Error
		if !errors.As(err, &pe) {
			t.Fatalf("Eval(%q) error %T, want *expr.Error", e, err)
		}
		return
	}
	if v.Kind() == expr.KindNumber {
		s := v.String()
		if strings.Contains(s, "NaN") || strings.Contains(s, "Inf") || strings.ContainsAny(s, "e+") {
			t.Fatalf("Eval(%q) renders the number as %q", e, s)
		}
	}
	s, err := e.EvalString(env)
	if err != nil || s != v.String() {
		t.Fatalf("EvalString(%q) = %q, %v; Eval gave %q", e, s, err, v.String())
	}
}
