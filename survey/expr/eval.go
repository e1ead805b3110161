package expr

import (
	"cmp"
	"math"
	"regexp"
	"time"
)

// node is one element of the parsed expression tree.
type node interface {
	eval(c *evalCtx) (Value, error)
}

// evalCtx carries the environment through one evaluation.
type evalCtx struct {
	env Env
	src string
	now time.Time // resolved on first use
}

func (c *evalCtx) lookup(name string) string {
	if c.env.Lookup == nil {
		return ""
	}
	return c.env.Lookup(name)
}

// values returns every value ${name} stands for (see Env.Values).
func (c *evalCtx) values(name string) []string {
	if c.env.Values == nil {
		return []string{c.lookup(name)}
	}
	return c.env.Values(name)
}

// positionNode is position(..).
type positionNode struct{}

func (positionNode) eval(c *evalCtx) (Value, error) {
	return Number(float64(max(c.env.Position, 1))), nil
}

// clock returns Env.Now, or the current time when it is zero, fixed for the
// whole evaluation.
func (c *evalCtx) clock() time.Time {
	if c.now.IsZero() {
		c.now = c.env.Now
		if c.now.IsZero() {
			c.now = time.Now()
		}
	}
	return c.now
}

func (c *evalCtx) errorAt(off int, format string, args ...any) *Error {
	return newError(c.src, off, format, args...)
}

type literalNode struct{ v Value }

func (n *literalNode) eval(*evalCtx) (Value, error) { return n.v, nil }

type refNode struct{ name string }

func (n *refNode) eval(c *evalCtx) (Value, error) { return String(c.lookup(n.name)), nil }

// columnNode is a bare name in a choice filter: a column of the choice.
type columnNode struct{ name string }

func (n *columnNode) eval(c *evalCtx) (Value, error) {
	if c.env.Column == nil {
		return String(""), nil
	}
	return String(c.env.Column(n.name)), nil
}

type selfNode struct{}

func (selfNode) eval(c *evalCtx) (Value, error) { return String(c.env.Self), nil }

type negNode struct{ x node }

func (n *negNode) eval(c *evalCtx) (Value, error) {
	v, err := n.x.eval(c)
	if err != nil {
		return Value{}, err
	}
	return Number(-v.num64()), nil
}

// logicNode is a short-circuiting and / or.
type logicNode struct {
	and  bool
	l, r node
}

func (n *logicNode) eval(c *evalCtx) (Value, error) {
	l, err := n.l.eval(c)
	if err != nil {
		return Value{}, err
	}
	if l.Bool() != n.and { // false and …, true or …
		return Bool(!n.and), nil
	}
	r, err := n.r.eval(c)
	if err != nil {
		return Value{}, err
	}
	return Bool(r.Bool()), nil
}

// evalBoth evaluates the operands of a binary operator, left first; the
// first error stops it.
func evalBoth(c *evalCtx, left, right node) (l, r Value, err error) {
	if l, err = left.eval(c); err != nil {
		return Value{}, Value{}, err
	}
	if r, err = right.eval(c); err != nil {
		return Value{}, Value{}, err
	}
	return l, r, nil
}

type compareNode struct {
	op   string
	l, r node
}

func (n *compareNode) eval(c *evalCtx) (Value, error) {
	l, r, err := evalBoth(c, n.l, n.r)
	if err != nil {
		return Value{}, err
	}
	switch n.op {
	case "=":
		return Bool(equal(l, r)), nil
	case "!=":
		return Bool(!equal(l, r)), nil
	}
	return Bool(relate(n.op, l, r)), nil
}

// equal implements = : booleans if either side is boolean, numbers if either
// side is a number or both are numeric strings, strings otherwise.
func equal(a, b Value) bool {
	switch {
	case a.kind == KindBool || b.kind == KindBool:
		return a.Bool() == b.Bool()
	case a.kind == KindNumber || b.kind == KindNumber:
		return a.num64() == b.num64()
	case isNumeric(a.str) && isNumeric(b.str):
		return parseNumber(a.str) == parseNumber(b.str)
	default:
		return a.str == b.str
	}
}

// relate implements < <= > >= : numbers, except that two non-blank,
// non-numeric strings (such as ISO dates) compare as strings.
func relate(op string, a, b Value) bool {
	if a.kind == KindString && b.kind == KindString && a.str != "" && b.str != "" &&
		!isNumeric(a.str) && !isNumeric(b.str) {
		return ordered(op, a.str, b.str)
	}
	return ordered(op, a.num64(), b.num64()) // NaN makes every comparison false
}

// ordered applies < <= > or >= (any other op is taken as >=) to x and y
// with Go's own operators, so a NaN compares false either way.
func ordered[T cmp.Ordered](op string, x, y T) bool {
	switch op {
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	default:
		return x >= y
	}
}

type arithNode struct {
	op   string
	l, r node
}

func (n *arithNode) eval(c *evalCtx) (Value, error) {
	l, r, err := evalBoth(c, n.l, n.r)
	if err != nil {
		return Value{}, err
	}
	x, y := l.num64(), r.num64()
	switch n.op {
	case "+":
		return Number(x + y), nil
	case "-":
		return Number(x - y), nil
	case "*":
		return Number(x * y), nil
	case "div":
		return Number(x / y), nil // ±Inf or NaN by zero, never a panic
	default: // mod: remainder with the sign of the dividend; NaN by zero
		return Number(math.Mod(x, y)), nil
	}
}

// callNode is a function call. fn is set for built-ins; re holds a regex()
// pattern compiled at parse time when it was a literal.
type callNode struct {
	name string
	args []node
	off  int
	fn   *builtin
	re   *regexp.Regexp
}

func (n *callNode) eval(c *evalCtx) (Value, error) {
	if n.fn != nil {
		return n.fn.call(c, n)
	}
	f, ok := c.env.Funcs[n.name]
	if !ok || f == nil {
		return Value{}, c.errorAt(n.off, "unknown function %s()", n.name)
	}
	args, err := evalArgs(c, n.args)
	if err != nil {
		return Value{}, err
	}
	v, err := f(args)
	if err != nil {
		return Value{}, c.errorAt(n.off, "%s(): %v", n.name, err)
	}
	return v, nil
}

// evalArgs evaluates every argument in order.
func evalArgs(c *evalCtx, args []node) ([]Value, error) {
	vals := make([]Value, len(args))
	for i, a := range args {
		v, err := a.eval(c)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return vals, nil
}

// lookupNode is instance('list')/root/item[pred]/column.
type lookupNode struct {
	list   string
	pred   node
	column string
}

// eval returns the column of the first choice for which pred holds, or
// "" when none does.
func (n *lookupNode) eval(c *evalCtx) (Value, error) {
	if c.env.Items == nil {
		return String(""), nil
	}
	count, column := c.env.Items(n.list)
	inner := *c
	for i := range count {
		inner.env.Column = func(col string) string { return column(i, col) }
		v, err := n.pred.eval(&inner)
		if err != nil {
			return Value{}, err
		}
		if v.Bool() {
			return String(column(i, n.column)), nil
		}
	}
	return String(""), nil
}
