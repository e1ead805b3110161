package expr_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"canvass/survey/expr"
)

// answers is the response most evaluation cases run against.
var answers = map[string]string{
	"age":      "34",
	"blank":    "",
	"name":     "Ann",
	"colours":  "red green  blue",
	"n10":      "10",
	"n9":       "9",
	"dec":      "2.5",
	"txt":      "abc",
	"date1":    "2024-03-01",
	"date2":    "2024-12-25",
	"spaced":   " 7 ",
	"cy":       "Mae'r",
	"postcode": "GU1",
	"bad":      "[",
	"pattern":  "^[a-z]+$",
	"a-b.c":    "dotted",
	"yes":      "yes",
}

// fixedNow is the clock of every evaluation case: a Saturday in June.
var fixedNow = time.Date(2024, 6, 15, 10, 30, 0, 0, time.UTC)

func env(self string) expr.Env {
	return expr.Env{
		Lookup: func(name string) string { return answers[name] },
		Self:   self,
		Now:    fixedNow,
		Funcs: map[string]expr.Func{
			"threshold": func(args []expr.Value) (expr.Value, error) {
				if args[0].String() == "goods" {
					return expr.Number(214904), nil
				}
				return expr.Value{}, fmt.Errorf("no threshold for %q", args[0].String())
			},
		},
	}
}

const (
	str  = expr.KindString
	num  = expr.KindNumber
	boo  = expr.KindBool
	none = "" // a blank rendering
)

func TestEval(t *testing.T) {
	tests := []struct {
		name string
		src  string
		self string
		want string
		kind expr.Kind
	}{
		// Precedence and associativity.
		{"mul before add", "1 + 2 * 3", "", "7", num},
		{"parentheses", "(1 + 2) * 3", "", "9", num},
		{"sub left assoc", "10 - 4 - 3", "", "3", num},
		{"div left assoc", "100 div 10 div 2", "", "5", num},
		{"mul then mod", "2 * 3 mod 4", "", "2", num},
		{"mod then mul", "7 mod 4 * 2", "", "6", num},
		{"mixed arithmetic", "1 + 2 * 3 - 4 div 2", "", "5", num},
		{"arith before equality", "1 + 2 = 3", "", "true", boo},
		{"relational before equality", "1 < 2 = true()", "", "true", boo},
		{"relational left assoc", "3 > 2 > 1", "", "false", boo},
		{"and before or", "true() or false() and false()", "", "true", boo},
		{"and before or 2", "1 = 2 and 1 = 1 or 0", "", "false", boo},
		{"or of ands", "1 = 1 and 2 = 3 or 1 = 1", "", "true", boo},
		{"unary minus binds tighter", "-2 * 3", "", "-6", num},
		{"double unary minus", "- - 4", "", "4", num},
		{"minus a negative", "2 - -3", "", "5", num},
		{"unary minus on ref", "-${age} + 40", "", "6", num},
		{"minus without spaces after ref", "${age}-1", "", "33", num},
		{"keyword op after ref without space", "${n10}div 2", "", "5", num},
		{"leading-dot numbers", ".5 + .5", "", "1", num},
		{"whitespace and newlines", " \t1\n+\n2 ", "", "3", num},

		// Comparison and coercion.
		{"string answer vs number", "${age} > 17", "", "true", boo},
		{"blank vs number is false", "${blank} > 17", "", "false", boo},
		{"blank <= number is false too", "${blank} <= 17", "", "false", boo},
		{"blank equals empty string", "${blank} = ''", "", "true", boo},
		{"answer not empty", "${age} = ''", "", "false", boo},
		{"blank not-equal empty", "${blank} != ''", "", "false", boo},
		{"numeric string equals number", "${age} = 34", "", "true", boo},
		{"numeric string equals string", "${age} = '34'", "", "true", boo},
		{"two numeric strings compare as numbers", "${age} = '34.0'", "", "true", boo},
		{"strings compare exactly", "${txt} = 'abc'", "", "true", boo},
		{"strings are case sensitive", "${txt} = 'ABC'", "", "false", boo},
		{"text vs number is false", "${txt} > 5", "", "false", boo},
		{"numeric strings order as numbers", "${n10} > ${n9}", "", "true", boo},
		{"numeric literals order as numbers", "'10' < '9'", "", "false", boo},
		{"non-numeric strings order as strings", "'b' > 'a'", "", "true", boo},
		{"ISO dates order", "${date1} < ${date2}", "", "true", boo},
		{"date after today", "${date2} < today()", "", "false", boo},
		{"date before today", "${date1} <= today()", "", "true", boo},
		{"blank date vs today", "${blank} < today()", "", "false", boo},
		{"spaces around a number", "${spaced} + 1", "", "8", num},
		{"decimal answer", "${dec} * 2", "", "5", num},
		{"bool vs number", "true() = 1", "", "true", boo},
		{"bool vs empty string", "false() = ''", "", "true", boo},
		{"bool vs non-empty string", "true() = 'false'", "", "true", boo},
		{"blank = 0 is false", "${blank} = 0", "", "false", boo},
		{"blank != 0 is true", "${blank} != 0", "", "true", boo},
		{"unknown name is blank", "${nobody} = ''", "", "true", boo},
		{"bool ordered as number", "true() > false()", "", "true", boo},

		// Arithmetic edge cases.
		{"blank in arithmetic", "${blank} + 1", "", none, num},
		{"text in arithmetic", "${txt} * 2", "", none, num},
		{"div by zero", "1 div 0", "", none, num},
		{"negative div by zero", "-1 div 0", "", none, num},
		{"zero div zero", "0 div 0", "", none, num},
		{"infinity still compares", "1 div 0 > 5", "", "true", boo},
		{"mod by zero", "5 mod 0", "", none, num},
		{"mod keeps dividend sign", "-7 mod 3", "", "-1", num},
		{"decimal mod", "7.5 mod 2", "", "1.5", num},
		{"float noise rounded", "0.1 + 0.2", "", "0.3", num},
		{"decimal result", "10 div 4", "", "2.5", num},
		{"whole result has no decimals", "4 div 2", "", "2", num},
		{"repeating decimal", "1 div 3", "", "0.333333333333333", num},
		{"large number no exponent", "1000000 * 1000000", "", "1000000000000", num},
		{"negative zero", "-0", "", "0", num},

		// selected and friends.
		{"selected present", "selected(${colours}, 'green')", "", "true", boo},
		{"selected last", "selected(${colours}, 'blue')", "", "true", boo},
		{"selected needs whole token", "selected(${colours}, 'gre')", "", "false", boo},
		{"selected on blank", "selected(${blank}, 'red')", "", "false", boo},
		{"selected empty code", "selected(${colours}, '')", "", "false", boo},
		{"selected with self", "selected(., 'b')", "a b c", "true", boo},
		{"selected number code", "selected('1 2 10', 10)", "", "true", boo},
		{"count-selected", "count-selected(${colours})", "", "3", num},
		{"count-selected blank", "count-selected(${blank})", "", "0", num},
		{"selected-at", "selected-at(${colours}, 1)", "", "green", str},
		{"selected-at out of range", "selected-at(${colours}, 5)", "", none, str},

		// if and coalesce.
		{"if true branch", "if(${age} >= 18, 'adult', 'child')", "", "adult", str},
		{"if on blank", "if(${blank} >= 18, 'adult', 'child')", "", "child", str},
		{"if is lazy", "if(true(), 1, regex('x', ${bad}))", "", "1", num},
		{"nested if", "if(${age} < 18, 'u18', if(${age} < 65, '18-64', '65+'))", "", "18-64", str},
		{"coalesce blank", "coalesce(${blank}, 'none')", "", "none", str},
		{"coalesce present", "coalesce(${name}, 'none')", "", "Ann", str},
		{"coalesce NaN", "coalesce(1 div 0, 5)", "", "5", num},

		// String functions.
		{"string-length", "string-length(${name})", "", "3", num},
		{"string-length counts characters", "string-length('Mae’r')", "", "5", num},
		{"string-length of self", "string-length(.)", "hello", "5", num},
		{"string-length no args is self", "string-length()", "hi", "2", num},
		{"concat", "concat(${name}, ' ', ${age})", "", "Ann 34", str},
		{"concat nothing", "concat()", "", "", str},
		{"concat mixed kinds", "concat('a', 1 + 1, true(), 1 div 0)", "", "a2true", str},
		{"contains", "contains(${name}, 'nn')", "", "true", boo},
		{"starts-with", "starts-with(${name}, 'An')", "", "true", boo},
		{"ends-with", "ends-with(${name}, 'An')", "", "false", boo},
		{"substr range", "substr('hello', 1, 3)", "", "el", str},
		{"substr to end", "substr('héllo', 1)", "", "éllo", str},
		{"substr clamps", "substr('hello', -2, 99)", "", "hello", str},

		// regex.
		{"regex postcode district", "regex(${postcode}, '^[A-Z]{1,2}[0-9][A-Z0-9]?$')", "", "true", boo},
		{"regex finds anywhere", `regex('abc123', '\d+')`, "", "true", boo},
		{"regex anchored", `regex('abc', '^\d+$')`, "", "false", boo},
		{"regex pattern from answer", "regex(., ${pattern})", "hello", "true", boo},
		{"regex email", `regex(., '^[^@\s]+@[^@\s]+\.[^@\s]+$')`, "a@b.org", "true", boo},

		// Dates.
		{"today", "today()", "", "2024-06-15", str},
		{"now", "now()", "", "2024-06-15T10:30:00.000Z", str},

		// Numbers.
		{"int truncates", "int(3.7)", "", "3", num},
		{"int truncates toward zero", "int(-3.7)", "", "-3", num},
		{"int of blank", "int(${blank})", "", none, num},
		{"int of text", "int('12abc')", "", none, num},
		{"number trims spaces", "number('  42 ')", "", "42", num},
		{"number rejects exponent", "number('1e3')", "", none, num},
		{"number of bool", "number(true())", "", "1", num},
		{"number of self", "number(.)", "2.50", "2.5", num},
		{"round half up", "round(2.5)", "", "3", num},
		{"round half away from zero", "round(-2.5)", "", "-3", num},
		{"round to places", "round(3.14159, 2)", "", "3.14", num},
		{"round to tens", "round(1234, -2)", "", "1200", num},
		{"floor", "floor(-1.5)", "", "-2", num},
		{"ceiling", "ceiling(1.2)", "", "2", num},
		{"abs", "abs(-4)", "", "4", num},
		{"pow", "pow(2, 10)", "", "1024", num},
		{"min", "min(3, 1, 2)", "", "1", num},
		{"max with blank", "max(3, ${blank})", "", none, num},

		// Booleans.
		{"true", "true()", "", "true", boo},
		{"false", "false()", "", "false", boo},
		{"not blank", "not(${blank})", "", "true", boo},
		{"not zero", "not(0)", "", "true", boo},
		{"not of text zero", "not('0')", "", "false", boo},
		{"boolean empty", "boolean('')", "", "false", boo},
		{"boolean NaN", "boolean(0 div 0)", "", "false", boo},
		{"boolean negative", "boolean(-1)", "", "true", boo},
		{"string of number", "string(2.50)", "", "2.5", str},
		{"string of infinity", "string(1 div 0)", "", "", str},
		{"string no args is self", "string()", "x", "x", str},

		// String literals and escaping.
		{"doubled single quote", "'it''s'", "", "it's", str},
		{"doubled double quote", `"say ""hi"""`, "", `say "hi"`, str},
		{"double quotes inside single", `'say "hi"'`, "", `say "hi"`, str},
		{"single quote inside double", `"it's"`, "", "it's", str},
		{"backslash is literal", `string-length('a\nb')`, "", "4", num},
		{"compare with quote", "${cy} = 'Mae''r'", "", "true", boo},
		{"unicode literal", "concat('café', ' ', '—')", "", "café —", str},
		{"empty literal", "''", "", "", str},

		// Self and short-circuit.
		{"self range", ". > 0 and . <= 120", "34", "true", boo},
		{"blank self fails range", ". > 0 and . <= 120", "", "false", boo},
		{"self blank", ". = ''", "", "true", boo},
		{"and short-circuits", "false() and regex('x', ${bad})", "", "false", boo},
		{"or short-circuits", "true() or regex('x', ${bad})", "", "true", boo},
		{"guarded compare", "${blank} != '' and ${blank} > 3", "", "false", boo},
		{"and returns boolean", "1 and 'x'", "", "true", boo},

		// Names and extra functions.
		{"name with dash and dot", "${a-b.c}", "", "dotted", str},
		{"extra function", "threshold('goods') > 100000", "", "true", boo},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := expr.Parse(tc.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.src, err)
			}
			v, err := e.Eval(env(tc.self))
			if err != nil {
				t.Fatalf("Eval(%q): %v", tc.src, err)
			}
			if got := v.String(); got != tc.want {
				t.Errorf("Eval(%q) = %q, want %q", tc.src, got, tc.want)
			}
			if v.Kind() != tc.kind {
				t.Errorf("Eval(%q) kind = %v, want %v", tc.src, v.Kind(), tc.kind)
			}
		})
	}
}

func TestEvalBoolAndString(t *testing.T) {
	e := expr.MustParse("${age} + 1")
	s, err := e.EvalString(env(""))
	if err != nil || s != "35" {
		t.Errorf("EvalString = %q, %v; want 35", s, err)
	}
	b, err := e.EvalBool(env(""))
	if err != nil || !b {
		t.Errorf("EvalBool = %v, %v; want true", b, err)
	}
	b, err = expr.MustParse("${blank} + 1").EvalBool(env(""))
	if err != nil || b {
		t.Errorf("EvalBool(NaN) = %v, %v; want false", b, err)
	}
}

func TestEvalNilLookupIsBlank(t *testing.T) {
	v, err := expr.MustParse("${x} = '' and count-selected(${y}) = 0").Eval(expr.Env{})
	if err != nil || !v.Bool() {
		t.Errorf("Eval with empty Env = %v, %v; want true", v, err)
	}
}

func TestEvalZeroNowUsesClock(t *testing.T) {
	before := time.Now().Format("2006-01-02")
	got, err := expr.MustParse("today()").EvalString(expr.Env{})
	after := time.Now().Format("2006-01-02")
	if err != nil || (got != before && got != after) {
		t.Errorf("today() = %q, %v; want %q", got, err, before)
	}
}

func TestTodayUsesLocationOfNow(t *testing.T) {
	tz := time.FixedZone("UTC+13", 13*3600)
	now := time.Date(2024, 6, 15, 20, 0, 0, 0, time.UTC).In(tz) // already the 16th there
	got, err := expr.MustParse("today()").EvalString(expr.Env{Now: now})
	if err != nil || got != "2024-06-16" {
		t.Errorf("today() = %q, %v; want 2024-06-16", got, err)
	}
}

func TestEvalErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		pos  int
		msg  string
	}{
		{"invalid dynamic regex", "regex('x', ${bad})", 1, "regex(): invalid pattern"},
		{"unknown function at run time", "1 + nosuch(2)", 5, "unknown function nosuch()"},
		{"extra function error", "threshold('services')", 1, `threshold(): no threshold for "services"`},
		{"error inside and", "true() and regex('x', ${bad})", 12, "invalid pattern"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := expr.MustParse(tc.src).Eval(env(""))
			var e *expr.Error
			if !errors.As(err, &e) {
				t.Fatalf("Eval(%q) error = %v, want *expr.Error", tc.src, err)
			}
			if e.Pos != tc.pos || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("Eval(%q) error = %v, want column %d containing %q", tc.src, err, tc.pos, tc.msg)
			}
		})
	}
}

func TestBuiltinsCannotBeOverridden(t *testing.T) {
	e := expr.MustParse("today()")
	got, err := e.EvalString(expr.Env{Now: fixedNow, Funcs: map[string]expr.Func{
		"today": func([]expr.Value) (expr.Value, error) { return expr.String("tomorrow"), nil },
	}})
	if err != nil || got != "2024-06-15" {
		t.Errorf("today() = %q, %v; want the built-in", got, err)
	}
}

func TestEvalIsReusable(t *testing.T) {
	e := expr.MustParse("if(. >= 18, 'adult', 'child')")
	for self, want := range map[string]string{"17": "child", "18": "adult", "": "child", "90": "adult"} {
		got, err := e.EvalString(expr.Env{Self: self})
		if err != nil || got != want {
			t.Errorf("self %q: got %q, %v; want %q", self, got, err, want)
		}
	}
}
