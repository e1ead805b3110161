package expr_test

import (
	"strings"
	"testing"

	"canvass/survey/expr"
)

// repeatEnv is an Env over a repeat "people" of three instances whose
// ages are 30, 4 and blank, evaluated in the second instance.
func repeatEnv() expr.Env {
	values := map[string][]string{
		"age":    {"30", "4", ""},
		"name":   {"Ann", "Bo", "Cy"},
		"people": {"", "", ""},
		"none":   {},
	}
	return expr.Env{
		Lookup:   func(n string) string { return map[string]string{"age": "4", "name": "Bo", "n": "7"}[n] },
		Values:   func(n string) []string { return values[n] },
		Position: 2,
		Indexed: func(n string, at []expr.At) string {
			if len(at) != 1 || at[0].Repeat != "people" || at[0].Index > len(values[n]) {
				return ""
			}
			return values[n][at[0].Index-1]
		},
	}
}

func TestRepeatFunctions(t *testing.T) {
	cases := []struct{ src, want string }{
		{"position(..)", "2"},
		{"position( .. ) + 1", "3"},
		{"count(${people})", "3"},
		{"count(${age})", "3"},
		{"count(${none})", "0"},
		{"count(${n})", "0"}, // no Values entry: none
		{"sum(${age})", ""},  // a blank instance makes the sum NaN, as XPath does
		{"sum(${none})", "0"},
		{"sum(${name}) = sum(${name})", "false"},
		{"join(', ', ${name})", "Ann, Bo, Cy"},
		{"join('-', ${none})", ""},
		{"join(' ', ${name}, 'and', 'Di')", "Ann Bo Cy and Di"},
		{"max(${age})", ""},
		{"max(1, 5, 2)", "5"},
		{"min(${none})", ""},
		{"indexed-repeat(${name}, ${people}, 3)", "Cy"},
		{"indexed-repeat(${name}, ${people}, position(..) - 1)", "Ann"},
		{"indexed-repeat(${name}, ${people}, 9)", ""},
		{"indexed-repeat(${name}, ${people}, 0)", ""},
		{"indexed-repeat(${name}, ${people}, 1.5)", ""},
		{"indexed-repeat(${name}, ${people}, 'x')", ""},
		{"${age} * 2", "8"}, // a plain reference is this instance's answer
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			e, err := expr.Parse(c.src)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.EvalString(repeatEnv())
			if err != nil || got != c.want {
				t.Errorf("= %q, %v; want %q", got, err, c.want)
			}
		})
	}
	t.Run("sum and max of answered instances", func(t *testing.T) {
		env := repeatEnv()
		env.Values = func(string) []string { return []string{"30", "4", "12.5"} }
		for src, want := range map[string]string{"sum(${age})": "46.5", "max(${age})": "30", "min(${age})": "4"} {
			if got, err := expr.MustParse(src).EvalString(env); err != nil || got != want {
				t.Errorf("%s = %q, %v; want %q", src, got, err, want)
			}
		}
	})
	t.Run("without Values a reference is one value", func(t *testing.T) {
		env := expr.Env{Lookup: func(string) string { return "5" }}
		for src, want := range map[string]string{"count(${x})": "1", "sum(${x})": "5", "position(..)": "1", "indexed-repeat(${x}, ${r}, 1)": ""} {
			if got, err := expr.MustParse(src).EvalString(env); err != nil || got != want {
				t.Errorf("%s = %q, %v; want %q", src, got, err, want)
			}
		}
	})
}

func TestRepeatParseErrors(t *testing.T) {
	cases := []struct {
		src  string
		col  int
		want string
	}{
		{"..", 1, "supported only as position(..)"},
		{"position()", 1, "position() is written position(..)"},
		{"position(.)", 1, "position() is written position(..)"},
		{"position(.., 1)", 1, "position() is written position(..)"},
		{"count(1)", 1, "count(): argument 1 must be a question or repeat written ${name}"},
		{"sum(${a} + 1)", 1, "sum(): argument 1 must be"},
		{"count(${a}, ${b})", 1, "count() takes 1 argument"},
		{"indexed-repeat(${a}, ${r})", 1, "indexed-repeat() takes 3 to 7 arguments"},
		{"indexed-repeat(${a}, ${r}, 1, ${s})", 1, "pairs of ${repeat} and an index"},
		{"indexed-repeat(${a}, 'r', 1)", 1, "argument 2 must be"},
		{"1 + indexed-repeat('a', ${r}, 1)", 5, "argument 1 must be"},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			_, err := expr.Parse(c.src)
			pe, ok := err.(*expr.Error)
			if !ok || pe.Pos != c.col || !strings.Contains(pe.Msg, c.want) {
				t.Errorf("Parse = %v; want column %d, %q", err, c.col, c.want)
			}
		})
	}
	if err := expr.Check("count(${people}) + position(..)", func(n string) bool { return n == "people" }); err != nil {
		t.Errorf("Check: %v", err)
	}
	if err := expr.Check("sum(${nobody})", func(n string) bool { return false }); err == nil || !strings.Contains(err.Error(), "unknown question ${nobody}") {
		t.Errorf("Check of an unknown set = %v", err)
	}
}
