package expr_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"canvass/survey/expr"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		pos  int
		msg  string
	}{
		{"empty", "", 1, "empty expression"},
		{"only spaces", "   ", 4, "empty expression"},
		{"operator at end", "1 +", 4, `expected a value after "+", found end of expression`},
		{"two operators", "1 +* 2", 4, `expected a value after "+", found "*"`},
		{"starts with comma", ",1", 1, `expected a value, found ","`},
		{"empty parentheses", "()", 2, `expected a value after "(", found ")"`},
		{"unclosed paren", "(1 + 2", 7, `expected ")" to close "(" at column 1, found end of expression`},
		{"comma in parentheses", "(1, 2)", 3, `expected ")" to close "(" at column 1, found ","`},
		{"stray close paren", "1 + 2)", 6, `unexpected ")"`},
		{"extra close paren", "(1))", 4, `unexpected ")"`},
		{"stray comma", "1, 2", 2, `unexpected "," outside a function call`},
		{"missing operator", "1 2", 3, "missing operator before number 2"},
		{"missing operator before ref", "${a} ${b}", 6, "missing operator before ${b}"},
		{"missing operator in parens", "(1 2)", 4, "missing operator before number 2"},
		{"if arity", "if(1, 2)", 1, "if() takes 3 arguments, got 2"},
		{"not without argument", "not()", 1, "not() takes 1 argument, got 0"},
		{"not with two arguments", "${a} and not(1, 2)", 10, "not() takes 1 argument, got 2"},
		{"today with argument", "today(1)", 1, "today() takes no arguments, got 1"},
		{"round arity", "round()", 1, "round() takes 1 or 2 arguments, got 0"},
		{"min arity", "min()", 1, "min() takes at least 1 argument, got 0"},
		{"selected arity", "selected(${a})", 1, "selected() takes 2 arguments, got 1"},
		{"trailing comma in call", "concat('a',)", 12, `expected a value after ",", found ")"`},
		{"missing comma in call", "concat('a' 'b')", 12, `missing operator or "," before string "b"`},
		{"unclosed call", "count-selected(${a}", 20, `missing ")" to close count-selected( at column 1`},
		{"unterminated string", "${a} = 'abc", 8, "unterminated string: missing closing '"},
		{"unterminated after doubled quote", "'a' = 'b''", 7, "unterminated string"},
		{"unterminated ref", "${age > 3", 1, `unterminated ${ reference: missing "}"`},
		{"empty ref", "${} = 1", 1, "empty ${} reference"},
		{"invalid ref name", "${1x} = 1", 1, `invalid question name "1x"`},
		{"lone dollar", "$a", 1, "refer to a question as ${name}"},
		{"bare name", "age > 3", 1, `unknown name "age": refer to a question as ${age}`},
		{"bare true", "${a} = true", 8, "write true() for the boolean"},
		{"double equals", "${a} == 1", 6, "use = to compare"},
		{"slash", "${a} / 2", 6, "use div to divide"},
		{"ampersands", "${a} && ${b}", 6, "use and"},
		{"bang", "!${a}", 1, "use not(...)"},
		{"percent", "5 % 2", 3, "use mod"},
		{"keyword op first", "and ${a}", 1, `unexpected "and": it needs a value on each side`},
		{"keyword op last", "${a} and", 9, `expected a value after "and", found end of expression`},
		{"keyword ops doubled", "${a} or or ${b}", 9, `unexpected "or"`},
		{"invalid number", "1.2.3", 1, `invalid number "1.2.3"`},
		{"exponent number", "3e5", 1, `invalid number "3e5"`},
		{"parent path", ".. = 1", 1, `".." (the parent) is supported only as position(..)`},
		{"unknown character", "${a} = 1 #", 10, `unexpected character '#'`},
		{"curly quote", "${a} = ‘x’", 8, "curly quote"},
		{"column counts characters", "'é' + ${a", 7, "unterminated ${"},
		{"invalid literal regex", "regex(., '[a-')", 10, "invalid regex pattern: error parsing regexp"},
		{"nested too deeply", strings.Repeat("(", 150) + "1" + strings.Repeat(")", 150), 101, "nested too deeply"},
		{"unary minus too deep", strings.Repeat("-", 200) + "1", 101, "nested too deeply"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := expr.Parse(tc.src)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tc.src, e)
			}
			var pe *expr.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T %v, want *expr.Error", tc.src, err, err)
			}
			if pe.Pos != tc.pos {
				t.Errorf("Parse(%q) error at column %d, want %d (%v)", tc.src, pe.Pos, tc.pos, err)
			}
			if !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("Parse(%q) error %q, want it to contain %q", tc.src, pe.Msg, tc.msg)
			}
			if want := "column "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Error() = %q, want prefix %q", err.Error(), want)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	err := &expr.Error{Pos: 4, Msg: `unexpected ")"`}
	if got, want := err.Error(), `column 4: unexpected ")"`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestRefsAndSelf(t *testing.T) {
	tests := []struct {
		src      string
		refs     []string
		usesSelf bool
	}{
		{"1 + 2", nil, false},
		{". > ${min} and . < ${max}", []string{"min", "max"}, true},
		{"${b} + ${a} + ${b} * ${c}", []string{"b", "a", "c"}, false},
		{"selected(${q}, 'x') or string-length(.) > 0", []string{"q"}, true},
		{"'${not_a_ref}' = '.'", nil, false},
		{".5 + 1", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			e, err := expr.Parse(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := e.Refs(); !slices.Equal(got, tc.refs) {
				t.Errorf("Refs() = %q, want %q", got, tc.refs)
			}
			if got := e.UsesSelf(); got != tc.usesSelf {
				t.Errorf("UsesSelf() = %v, want %v", got, tc.usesSelf)
			}
			if got := e.String(); got != tc.src {
				t.Errorf("String() = %q, want the source", got)
			}
		})
	}
}

func TestRefsIsACopy(t *testing.T) {
	e := expr.MustParse("${a} + ${b}")
	e.Refs()[0] = "changed"
	if got := e.Refs()[0]; got != "a" {
		t.Errorf("Refs()[0] = %q after caller changed its copy, want a", got)
	}
}

func TestCheck(t *testing.T) {
	known := func(name string) bool { return name == "age" || name == "consent" }
	tests := []struct {
		name  string
		src   string
		funcs []string
		pos   int    // 0: no error
		msg   string // fragment
	}{
		{"all known", "${age} > 17 and ${consent} = 'yes'", nil, 0, ""},
		{"unknown ref", "${age} > ${minimum}", nil, 10, "unknown question ${minimum}"},
		{"first unknown wins", "${x} + foo(${y})", nil, 1, "unknown question ${x}"},
		{"unknown function", "${age} > threshold('goods')", nil, 10, "unknown function threshold()"},
		{"extra function allowed", "${age} > threshold('goods')", []string{"threshold"}, 0, ""},
		{"syntax error", "${age} >", nil, 9, "expected a value"},
		{"arity still checked", "if(${age})", nil, 1, "if() takes 3 arguments"},
		{"self needs no name", ". > 0", nil, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := expr.Check(tc.src, known, tc.funcs...)
			if tc.pos == 0 {
				if err != nil {
					t.Fatalf("Check(%q) = %v, want nil", tc.src, err)
				}
				return
			}
			var pe *expr.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Check(%q) = %v, want *expr.Error", tc.src, err)
			}
			if pe.Pos != tc.pos || !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("Check(%q) = %v, want column %d containing %q", tc.src, err, tc.pos, tc.msg)
			}
		})
	}
}

func TestCheckNilKnownSkipsRefs(t *testing.T) {
	if err := expr.Check("${anything} = 1", nil); err != nil {
		t.Errorf("Check with nil known = %v, want nil", err)
	}
}

func TestBuiltins(t *testing.T) {
	names := expr.Builtins()
	for _, want := range []string{"selected", "count-selected", "if", "string-length", "concat",
		"coalesce", "regex", "today", "int", "number", "not", "true", "false", "string",
		"round", "contains", "starts-with", "boolean"} {
		if !slices.Contains(names, want) {
			t.Errorf("Builtins() lacks %s", want)
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("Builtins() not sorted: %v", names)
	}
}

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"age": true, "_x": true, "a1": true, "a.b-c_d": true, "Q2": true,
		"": false, "1a": false, "-a": false, ".a": false, "a b": false, "é": false, "a$": false,
	} {
		if got := expr.ValidName(name); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse of a bad expression did not panic")
		}
	}()
	expr.MustParse("1 +")
}

func TestParseFilter(t *testing.T) {
	e, err := expr.ParseFilter("county = ${county} and (name != 'other' or ${show_other} = 'yes')")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.Columns(), []string{"county", "name"}; !slices.Equal(got, want) {
		t.Errorf("Columns() = %q, want %q", got, want)
	}
	if got, want := e.Refs(), []string{"county", "show_other"}; !slices.Equal(got, want) {
		t.Errorf("Refs() = %q, want %q", got, want)
	}
	answers := map[string]string{"county": "surrey", "show_other": "no"}
	tests := []struct {
		choice map[string]string
		want   bool
	}{
		{map[string]string{"name": "guildford", "county": "surrey"}, true},
		{map[string]string{"name": "dover", "county": "kent"}, false},
		{map[string]string{"name": "other", "county": "surrey"}, false},
	}
	for _, tc := range tests {
		got, err := e.EvalBool(expr.Env{
			Lookup: func(n string) string { return answers[n] },
			Column: func(n string) string { return tc.choice[n] },
		})
		if err != nil || got != tc.want {
			t.Errorf("choice %v: got %v, %v; want %v", tc.choice, got, err, tc.want)
		}
	}
	if _, err := expr.Parse("county = ${county}"); err == nil {
		t.Error("Parse accepted a bare name; only ParseFilter should")
	}
	if got := expr.MustParse("1 = 1").Columns(); got != nil {
		t.Errorf("Columns() of a plain expression = %q, want none", got)
	}
}

func TestCheckFilter(t *testing.T) {
	known := func(n string) bool { return n == "county" }
	columns := func(n string) bool { return n == "name" || n == "county" }
	tests := []struct {
		src string
		pos int
		msg string
	}{
		{"county = ${county}", 0, ""},
		{"region = ${county}", 1, `unknown choice column "region"`},
		{"county = ${region}", 10, "unknown question ${region}"},
		{"county = ", 10, "expected a value"},
		{"and county", 1, `unexpected "and"`},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			err := expr.CheckFilter(tc.src, known, columns)
			if tc.pos == 0 {
				if err != nil {
					t.Fatalf("CheckFilter = %v, want nil", err)
				}
				return
			}
			var pe *expr.Error
			if !errors.As(err, &pe) || pe.Pos != tc.pos || !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("CheckFilter(%q) = %v, want column %d containing %q", tc.src, err, tc.pos, tc.msg)
			}
		})
	}
}
