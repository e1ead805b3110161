package expr

import (
	"math"
	"regexp"
	"strings"
	"unicode/utf8"
)

// builtin is a built-in function: its argument count range (max < 0 for
// any number) and its implementation, which evaluates the arguments it needs.
type builtin struct {
	min, max int
	call     func(c *evalCtx, n *callNode) (Value, error)
}

// eager wraps a function whose arguments are all evaluated first.
func eager(min, max int, f func(c *evalCtx, args []Value) Value) builtin {
	return builtin{min: min, max: max, call: func(c *evalCtx, n *callNode) (Value, error) {
		args, err := evalArgs(c, n.args)
		if err != nil {
			return Value{}, err
		}
		return f(c, args), nil
	}}
}

// argOrSelf returns the first argument, or '.' when there is none
// (string(), number() and string-length() default to the current value).
func argOrSelf(c *evalCtx, args []Value) Value {
	if len(args) == 0 {
		return String(c.env.Self)
	}
	return args[0]
}

// numeric wraps a one-argument numeric function.
func numeric(f func(float64) float64) builtin {
	return eager(1, 1, func(_ *evalCtx, a []Value) Value { return Number(f(a[0].num64())) })
}

// builtins are the functions every expression may call.
var builtins = map[string]builtin{
	"true":    eager(0, 0, func(*evalCtx, []Value) Value { return Bool(true) }),
	"false":   eager(0, 0, func(*evalCtx, []Value) Value { return Bool(false) }),
	"not":     eager(1, 1, func(_ *evalCtx, a []Value) Value { return Bool(!a[0].Bool()) }),
	"boolean": eager(1, 1, func(_ *evalCtx, a []Value) Value { return Bool(a[0].Bool()) }),
	"string":  eager(0, 1, func(c *evalCtx, a []Value) Value { return String(argOrSelf(c, a).String()) }),
	"number":  eager(0, 1, func(c *evalCtx, a []Value) Value { return Number(argOrSelf(c, a).num64()) }),
	"int":     numeric(math.Trunc),
	"floor":   numeric(math.Floor),
	"ceiling": numeric(math.Ceil),
	"abs":     numeric(math.Abs),
	"round":   eager(1, 2, roundFunc),
	"pow": eager(2, 2, func(_ *evalCtx, a []Value) Value {
		return Number(math.Pow(a[0].num64(), a[1].num64()))
	}),
	"min": eager(1, -1, func(_ *evalCtx, a []Value) Value { return extreme(a, math.Min) }),
	"max": eager(1, -1, func(_ *evalCtx, a []Value) Value { return extreme(a, math.Max) }),

	"if":       {min: 3, max: 3, call: ifFunc},
	"coalesce": {min: 2, max: 2, call: coalesceFunc},

	"concat": eager(0, -1, func(_ *evalCtx, a []Value) Value {
		var b strings.Builder
		for _, v := range a {
			b.WriteString(v.String())
		}
		return String(b.String())
	}),
	"string-length": eager(0, 1, func(c *evalCtx, a []Value) Value {
		return Number(float64(utf8.RuneCountInString(argOrSelf(c, a).String())))
	}),
	"contains": eager(2, 2, func(_ *evalCtx, a []Value) Value {
		return Bool(strings.Contains(a[0].String(), a[1].String()))
	}),
	"starts-with": eager(2, 2, func(_ *evalCtx, a []Value) Value {
		return Bool(strings.HasPrefix(a[0].String(), a[1].String()))
	}),
	"ends-with": eager(2, 2, func(_ *evalCtx, a []Value) Value {
		return Bool(strings.HasSuffix(a[0].String(), a[1].String()))
	}),
	"substr": eager(2, 3, substrFunc),
	"regex":  {min: 2, max: 2, call: regexFunc},

	"selected": eager(2, 2, func(_ *evalCtx, a []Value) Value {
		want := strings.TrimSpace(a[1].String())
		if want == "" {
			return Bool(false)
		}
		for _, tok := range strings.Fields(a[0].String()) {
			if tok == want {
				return Bool(true)
			}
		}
		return Bool(false)
	}),
	"count-selected": eager(1, 1, func(_ *evalCtx, a []Value) Value {
		return Number(float64(len(strings.Fields(a[0].String()))))
	}),
	"selected-at": eager(2, 2, func(_ *evalCtx, a []Value) Value {
		toks := strings.Fields(a[0].String())
		i := math.Trunc(a[1].num64())
		if !(i >= 0 && i < float64(len(toks))) { // also false for NaN
			return String("")
		}
		return String(toks[int(i)])
	}),

	"today": eager(0, 0, func(c *evalCtx, _ []Value) Value {
		return String(c.clock().Format("2006-01-02"))
	}),
	"now": eager(0, 0, func(c *evalCtx, _ []Value) Value {
		return String(c.clock().Format("2006-01-02T15:04:05.000Z07:00"))
	}),
}

// ifFunc evaluates the condition, then only the branch it selects.
func ifFunc(c *evalCtx, n *callNode) (Value, error) {
	cond, err := n.args[0].eval(c)
	if err != nil {
		return Value{}, err
	}
	if cond.Bool() {
		return n.args[1].eval(c)
	}
	return n.args[2].eval(c)
}

// coalesceFunc returns its first argument unless it is blank, else the second.
func coalesceFunc(c *evalCtx, n *callNode) (Value, error) {
	v, err := n.args[0].eval(c)
	if err != nil {
		return Value{}, err
	}
	if !v.IsBlank() {
		return v, nil
	}
	return n.args[1].eval(c)
}

// regexFunc reports whether the pattern matches anywhere in the string
// (anchor it with ^ and $ to match the whole answer), as ODK does.
func regexFunc(c *evalCtx, n *callNode) (Value, error) {
	args, err := evalArgs(c, n.args)
	if err != nil {
		return Value{}, err
	}
	re := n.re
	if re == nil {
		re, err = regexp.Compile(args[1].String())
		if err != nil {
			return Value{}, c.errorAt(n.off, "regex(): invalid pattern: %v", err)
		}
	}
	return Bool(re.MatchString(args[0].String())), nil
}

// roundFunc rounds half away from zero, to the given number of decimal
// places (default 0; negative rounds to tens, hundreds…).
func roundFunc(_ *evalCtx, a []Value) Value {
	x := a[0].num64()
	if len(a) == 1 {
		return Number(math.Round(x))
	}
	d := math.Trunc(a[1].num64())
	switch {
	case math.IsNaN(d):
		return Number(math.NaN())
	case d > 15:
		return Number(x)
	case d < -308:
		return Number(0 * x)
	}
	p := math.Pow(10, d)
	return Number(math.Round(x*p) / p)
}

// substrFunc is ODK's substr(s, start, end): characters from start
// (0-based) up to but not including end (default: the end of s).
func substrFunc(_ *evalCtx, a []Value) Value {
	r := []rune(a[0].String())
	clamp := func(f float64) int {
		switch {
		case math.IsNaN(f) || f < 0:
			return 0
		case f > float64(len(r)):
			return len(r)
		}
		return int(f)
	}
	start, end := clamp(math.Trunc(a[1].num64())), len(r)
	if len(a) == 3 {
		end = clamp(math.Trunc(a[2].num64()))
	}
	if start >= end {
		return String("")
	}
	return String(string(r[start:end]))
}

// extreme folds min or max over the arguments; any NaN gives NaN.
func extreme(a []Value, pick func(x, y float64) float64) Value {
	out := a[0].num64()
	for _, v := range a[1:] {
		out = pick(out, v.num64())
	}
	return Number(out)
}
