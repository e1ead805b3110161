// Package expr parses and evaluates the XLSForm / XPath 1.0 expression
// subset used in a survey's relevant, constraint, calculation and
// choice_filter columns and in the decision tool's rules.
//
// Questions are referred to as ${name} and the current question's value as
// '.'. A bare name is an error, except in a choice filter parsed with
// ParseFilter, where it names a column of the choice being filtered.
//
// An expression is parsed once with Parse and evaluated many times with
// Eval against an Env that supplies answers. Values are strings, numbers or
// booleans; a blank answer is the empty string. Comparisons and arithmetic
// follow XPath 1.0 as ODK applies it:
//
//   - = and != compare as booleans if either side is a boolean, as numbers if
//     either side is a number or both sides are numeric strings, and as
//     strings otherwise (so ${x} = "" is true when x is blank);
//   - < <= > >= compare as numbers, except that two non-numeric, non-blank
//     strings compare as strings (ISO dates sort correctly); a blank or
//     non-numeric operand against a number makes the comparison false;
//   - arithmetic converts to numbers; a blank operand gives NaN, which
//     renders as "" (as does infinity from div by zero);
//   - and / or short-circuit, and if() evaluates only the branch it takes.
//
// String literals use ' or "; inside one, its delimiting quote is written
// twice, as in the literal below. Backslashes are literal, which suits regex().
//
//	concat('it''s ', "a ""quoted"" word", '^\d+$')
package expr

import (
	"fmt"
	"sort"
	"time"
	"unicode/utf8"
)

// Error is a parse or evaluation error at a position of the source.
type Error struct {
	Pos int    // 1-based column (in characters) in the expression's source
	Msg string // what is wrong, in plain words
}

// Error formats the error as "column N: msg".
func (e *Error) Error() string { return fmt.Sprintf("column %d: %s", e.Pos, e.Msg) }

// newError builds an *Error at byte offset off of src.
func newError(src string, off int, format string, args ...any) *Error {
	if off > len(src) {
		off = len(src)
	}
	return &Error{Pos: utf8.RuneCountInString(src[:off]) + 1, Msg: fmt.Sprintf(format, args...)}
}

// Func is an extra function supplied through Env.Funcs. Its arguments are
// evaluated before the call.
type Func func(args []Value) (Value, error)

// Env is what an expression is evaluated against.
type Env struct {
	Lookup func(name string) string // value of ${name}; "" when blank or unknown; nil: all blank
	Self   string                   // value of '.'
	Column func(name string) string // value of a bare column name in a choice filter; nil: all blank
	Now    time.Time                // for today() and now(); zero means time.Now()
	Funcs  map[string]Func          // extra functions; built-in names take precedence
	// Items gives the choices of a list for instance('list')/root/item[…]
	// lookups: how many, and column col of choice i ("name", "label" in the
	// form's language, or a filter column). nil: every list is empty.
	Items func(list string) (n int, column func(i int, col string) string)

	// Repeats. Values gives every value ${name} stands for where a set of
	// answers is wanted — count(), sum(), max(), min() and join(): one per
	// instance of the repeats around name that the evaluation is not inside
	// (and, for a repeat's own name, one blank per instance). nil: the one
	// value Lookup gives.
	Values func(name string) []string
	// Position is position(..): the index, from 1, of the repeat instance
	// the expression is evaluated in; 0 outside every repeat, where
	// position(..) is 1.
	Position int
	// Indexed gives indexed-repeat(${name}, ${repeat}, n, …): the value of
	// name in the instances at. nil: blank.
	Indexed func(name string, at []At) string
}

// At names one instance in indexed-repeat(): a repeat and an index from 1.
type At struct {
	Repeat string
	Index  int
}

// Expr is a parsed expression. It is immutable and safe for concurrent use.
type Expr struct {
	src      string
	root     node
	refs     []string // unique ${names} in order of first use
	refSites []site   // every ${name} with its offset
	calls    []site   // every function call with the offset of its name
	usesSelf bool

	columns     []string // unique bare column names (choice filters only)
	columnSites []site
	lists       []string // unique lists looked up with instance('list')/…
	indexed     []Indexed
}

// Indexed is one indexed-repeat() call: the question it reads and the
// repeats it names, with the call's position (1-based column).
type Indexed struct {
	Name    string
	Repeats []string
	Pos     int
}

// site is a name used at a byte offset of the source.
type site struct {
	name string
	off  int
}

// Parse parses src. Errors are *Error, positioned at the offending column.
func Parse(src string) (*Expr, error) { return parse(src, false) }

// ParseFilter parses a choice_filter expression. It is Parse, except that a
// bare name (as in XLSForm's "county = ${county}") is a column of the choice
// being filtered, whose value Env.Column supplies.
func ParseFilter(src string) (*Expr, error) { return parse(src, true) }

func parse(src string, columnNames bool) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks, columnNames: columnNames}
	root, err := p.parse()
	if err != nil {
		return nil, err
	}
	e := &Expr{src: src, root: root, refSites: p.refs, calls: p.calls, columnSites: p.columns, usesSelf: p.usesSelf, indexed: p.indexed}
	e.refs = uniqueNames(p.refs)
	e.columns = uniqueNames(p.columns)
	e.lists = uniqueNames(p.lists)
	return e, nil
}

// uniqueNames lists the names of sites once each, in order of first use.
func uniqueNames(sites []site) []string {
	var out []string
	seen := make(map[string]bool, len(sites))
	for _, s := range sites {
		if !seen[s.name] {
			seen[s.name] = true
			out = append(out, s.name)
		}
	}
	return out
}

// MustParse is Parse for expressions fixed in code; it panics on error.
func MustParse(src string) *Expr {
	e, err := Parse(src)
	if err != nil {
		panic(fmt.Sprintf("expr: parse %q: %v", src, err))
	}
	return e
}

// String returns the source text the expression was parsed from.
func (e *Expr) String() string { return e.src }

// Refs returns the names referenced as ${name}, each once, in order of first use.
func (e *Expr) Refs() []string { return append([]string(nil), e.refs...) }

// Columns returns the choice columns a choice filter names (see
// ParseFilter), each once, in order of first use.
func (e *Expr) Columns() []string { return append([]string(nil), e.columns...) }

// Lists returns the choice lists the expression looks up with
// instance('list')/root/item[…]/column, each once, in order of first use.
func (e *Expr) Lists() []string { return append([]string(nil), e.lists...) }

// IndexedRepeats returns the expression's indexed-repeat() calls, in
// order, so a survey can check that each names repeats around its question.
func (e *Expr) IndexedRepeats() []Indexed { return append([]Indexed(nil), e.indexed...) }

// UsesSelf reports whether the expression refers to the current value with '.'.
func (e *Expr) UsesSelf() bool { return e.usesSelf }

// Eval evaluates the expression. Errors (an unknown function, an invalid
// regex pattern built at run time, an error from an extra function) are *Error.
func (e *Expr) Eval(env Env) (Value, error) {
	c := &evalCtx{env: env, src: e.src}
	return e.root.eval(c)
}

// EvalBool evaluates the expression and converts the result with boolean().
func (e *Expr) EvalBool(env Env) (bool, error) {
	v, err := e.Eval(env)
	if err != nil {
		return false, err
	}
	return v.Bool(), nil
}

// EvalString evaluates the expression and converts the result with string();
// a NaN or infinite number gives "".
func (e *Expr) EvalString(env Env) (string, error) {
	v, err := e.Eval(env)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

// Check parses src and checks that every ${name} satisfies known (when known
// is not nil) and every function is built in or listed in funcs. The error,
// if any, is an *Error positioned at the first problem.
func Check(src string, known func(name string) bool, funcs ...string) error {
	e, err := Parse(src)
	if err != nil {
		return err
	}
	return e.check(known, nil, funcs)
}

// CheckFilter is Check for a choice_filter (see ParseFilter): it also checks
// that every bare column name satisfies columns (when columns is not nil).
func CheckFilter(src string, known, columns func(name string) bool, funcs ...string) error {
	e, err := ParseFilter(src)
	if err != nil {
		return err
	}
	return e.check(known, columns, funcs)
}

// check reports the first unknown reference, column or function.
func (e *Expr) check(known, columns func(string) bool, funcs []string) error {
	extra := make(map[string]bool, len(funcs))
	for _, f := range funcs {
		extra[f] = true
	}
	var first *Error
	firstOff := len(e.src) + 1
	report := func(off int, format string, args ...any) {
		if off < firstOff {
			firstOff = off
			first = newError(e.src, off, format, args...)
		}
	}
	if known != nil {
		for _, r := range e.refSites {
			if !known(r.name) {
				report(r.off, "unknown question ${%s}", r.name)
			}
		}
	}
	if columns != nil {
		for _, c := range e.columnSites {
			if !columns(c.name) {
				report(c.off, "unknown choice column %q", c.name)
			}
		}
	}
	for _, c := range e.calls {
		if _, ok := builtins[c.name]; !ok && !extra[c.name] {
			report(c.off, "unknown function %s()", c.name)
		}
	}
	if first != nil {
		return first
	}
	return nil
}

// Builtins returns the names of the built-in functions, sorted.
func Builtins() []string {
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
