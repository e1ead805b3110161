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
	// sets, when set, says which arguments (of n) must be written ${name}:
	// the functions over a repeat's instances take a set of answers there.
	sets func(i, n int) bool
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
	"min": spread(1, -1, func(_ *evalCtx, a []Value) Value { return extreme(a, math.Min) }),
	"max": spread(1, -1, func(_ *evalCtx, a []Value) Value { return extreme(a, math.Max) }),

	"count": {min: 1, max: 1, sets: first, call: func(c *evalCtx, n *callNode) (Value, error) {
		return Number(float64(len(c.values(n.args[0].(*refNode).name)))), nil
	}},
	"sum": {min: 1, max: 1, sets: first, call: func(c *evalCtx, n *callNode) (Value, error) {
		total := 0.0
		for _, v := range c.values(n.args[0].(*refNode).name) {
			total += String(v).num64() // a blank gives NaN, as in XPath
		}
		return Number(total), nil
	}},
	"join": spread(1, -1, func(_ *evalCtx, a []Value) Value {
		parts := make([]string, len(a)-1)
		for i, v := range a[1:] {
			parts[i] = v.String()
		}
		return String(strings.Join(parts, a[0].String()))
	}),
	// position(..) is parsed on its own (see parser.position); listed here
	// as a name expressions may call.
	"position":       {min: 1, max: 1, call: func(c *evalCtx, _ *callNode) (Value, error) { return positionNode{}.eval(c) }},
	"indexed-repeat": {min: 3, max: 7, sets: func(i, _ int) bool { return i == 0 || i%2 == 1 }, call: indexedRepeat},

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

// first marks the first argument as a set of answers.
func first(i, _ int) bool { return i == 0 }

// spread wraps a function whose arguments are evaluated first, each
// ${name} giving every value it stands for (see Env.Values).
func spread(min, max int, f func(c *evalCtx, args []Value) Value) builtin {
	return builtin{min: min, max: max, call: func(c *evalCtx, n *callNode) (Value, error) {
		var args []Value
		for _, a := range n.args {
			if r, ok := a.(*refNode); ok {
				for _, v := range c.values(r.name) {
					args = append(args, String(v))
				}
				continue
			}
			v, err := a.eval(c)
			if err != nil {
				return Value{}, err
			}
			args = append(args, v)
		}
		if len(args) == 0 {
			return Number(math.NaN()), nil // max() of no instances
		}
		return f(c, args), nil
	}}
}

// indexedRepeat is indexed-repeat(${name}, ${repeat}, n, …): the answer
// of name in the n-th instance of repeat (and so on for up to three
// nested repeats); blank for an index that is not a whole number from 1.
func indexedRepeat(c *evalCtx, n *callNode) (Value, error) {
	var at []At
	for i := 1; i+1 < len(n.args); i += 2 {
		v, err := n.args[i+1].eval(c)
		if err != nil {
			return Value{}, err
		}
		f := v.num64()
		if !(f >= 1 && f <= math.MaxInt32) || f != math.Trunc(f) {
			return String(""), nil
		}
		at = append(at, At{Repeat: n.args[i].(*refNode).name, Index: int(f)})
	}
	if c.env.Indexed == nil {
		return String(""), nil
	}
	return String(c.env.Indexed(n.args[0].(*refNode).name, at)), nil
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
