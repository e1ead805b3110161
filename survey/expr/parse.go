package expr

import (
	"fmt"
	"regexp"
	"strconv"
)

// maxDepth bounds the nesting of parentheses, calls and unary minus, so
// that hostile input cannot exhaust the stack.
const maxDepth = 100

// parser is a recursive-descent parser over the token slice, one method
// per XPath precedence level.
type parser struct {
	src      string
	toks     []token
	i        int
	depth    int
	refs     []site
	calls    []site
	columns  []site // bare names, when columnNames is set
	lists    []site // lists looked up with instance('list')/…
	indexed  []Indexed
	usesSelf bool

	columnNames bool // a bare name is a choice column (choice_filter)
}

// binaryLevels lists the binary operators from loosest to tightest binding;
// all are left-associative.
var binaryLevels = [][]string{
	{"or"},
	{"and"},
	{"=", "!="},
	{"<", "<=", ">", ">="},
	{"+", "-"},
	{"*", "div", "mod"},
}

// keywordOps are the operators spelt as names; they are operators only
// between two operands.
var keywordOps = map[string]bool{"and": true, "or": true, "div": true, "mod": true}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) advance() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) errorAt(off int, format string, args ...any) *Error {
	return newError(p.src, off, format, args...)
}

// column is the 1-based column of byte offset off, for messages.
func (p *parser) column(off int) int { return newError(p.src, off, "").Pos }

// parse parses the whole source as one expression.
func (p *parser) parse() (node, error) {
	if p.peek().kind == tokEOF {
		return nil, p.errorAt(p.peek().pos, "empty expression")
	}
	n, err := p.binary(0, token{})
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		switch {
		case t.kind == tokSlash:
			return nil, p.errorAt(t.pos, `unexpected "/": use div to divide, and ${name} to refer to a question`)
		case t.kind == tokRParen:
			return nil, p.errorAt(t.pos, `unexpected ")"`)
		case t.kind == tokComma:
			return nil, p.errorAt(t.pos, `unexpected "," outside a function call`)
		case startsOperand(t):
			return nil, p.errorAt(t.pos, "missing operator before %s", t.describe())
		default:
			return nil, p.errorAt(t.pos, "unexpected %s", t.describe())
		}
	}
	return n, nil
}

// startsOperand reports whether t can begin an operand.
func startsOperand(t token) bool {
	switch t.kind {
	case tokRef, tokSelf, tokString, tokNumber, tokLParen:
		return true
	case tokName:
		return !keywordOps[t.text]
	}
	return false
}

// operatorAt returns the operator of the given level that t spells, if any.
func operatorAt(level int, t token) (string, bool) {
	if t.kind != tokOp && !(t.kind == tokName && keywordOps[t.text]) {
		return "", false
	}
	for _, op := range binaryLevels[level] {
		if t.text == op {
			return op, true
		}
	}
	return "", false
}

// binary parses the operators of one level and everything tighter. after
// is the token before this operand (zero at the start), for messages.
func (p *parser) binary(level int, after token) (node, error) {
	if level == len(binaryLevels) {
		return p.unary(after)
	}
	left, err := p.binary(level+1, after)
	if err != nil {
		return nil, err
	}
	for {
		opTok := p.peek()
		op, ok := operatorAt(level, opTok)
		if !ok {
			return left, nil
		}
		p.advance()
		right, err := p.binary(level+1, opTok)
		if err != nil {
			return nil, err
		}
		switch op {
		case "or":
			left = &logicNode{and: false, l: left, r: right}
		case "and":
			left = &logicNode{and: true, l: left, r: right}
		case "=", "!=", "<", "<=", ">", ">=":
			left = &compareNode{op: op, l: left, r: right}
		default:
			left = &arithNode{op: op, l: left, r: right}
		}
	}
}

// enter counts one level of nesting at offset off.
func (p *parser) enter(off int) error {
	p.depth++
	if p.depth > maxDepth {
		return p.errorAt(off, "expression nested too deeply (more than %d levels)", maxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// unary parses unary minus and primaries.
func (p *parser) unary(after token) (node, error) {
	t := p.peek()
	if t.kind == tokOp && t.text == "-" {
		p.advance()
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.unary(t)
		if err != nil {
			return nil, err
		}
		return &negNode{x: x}, nil
	}
	return p.primary(after)
}

// primary parses a literal, a reference, '.', a parenthesised expression or a call.
func (p *parser) primary(after token) (node, error) {
	t := p.peek()
	switch t.kind {
	case tokNumber:
		p.advance()
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, p.errorAt(t.pos, "invalid number %s", quote(t.text))
		}
		return &literalNode{v: Number(f)}, nil
	case tokString:
		p.advance()
		return &literalNode{v: String(t.text)}, nil
	case tokRef:
		p.advance()
		p.refs = append(p.refs, site{name: t.text, off: t.pos})
		return &refNode{name: t.text}, nil
	case tokSelf:
		p.advance()
		p.usesSelf = true
		return selfNode{}, nil
	case tokLParen:
		p.advance()
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		inner, err := p.binary(0, t)
		if err != nil {
			return nil, err
		}
		closing := p.peek()
		switch {
		case closing.kind == tokRParen:
			p.advance()
			return inner, nil
		case startsOperand(closing):
			return nil, p.errorAt(closing.pos, "missing operator before %s", closing.describe())
		default:
			return nil, p.errorAt(closing.pos, `expected ")" to close "(" at column %d, found %s`, p.column(t.pos), closing.describe())
		}
	case tokSlash:
		return nil, p.errorAt(t.pos, `unexpected "/": use div to divide, and ${name} to refer to a question`)
	case tokParent:
		return nil, p.errorAt(t.pos, `".." (the parent) is supported only as position(..): refer to questions as ${name}`)
	case tokName:
		if t.text == "instance" && p.toks[p.i+1].kind == tokLParen {
			return p.lookup()
		}
		if t.text == "position" && p.toks[p.i+1].kind == tokLParen {
			return p.position()
		}
		if p.toks[p.i+1].kind == tokLParen {
			return p.call()
		}
		switch {
		case keywordOps[t.text]:
			return nil, p.errorAt(t.pos, "unexpected %q: it needs a value on each side", t.text)
		case p.columnNames:
			p.advance()
			p.columns = append(p.columns, site{name: t.text, off: t.pos})
			return &columnNode{name: t.text}, nil
		case t.text == "true" || t.text == "false":
			return nil, p.errorAt(t.pos, "unknown name %q: write %s() for the boolean, or '%s' for the text", t.text, t.text, t.text)
		default:
			return nil, p.errorAt(t.pos, "unknown name %q: refer to a question as ${%s}, or quote text as '%s'", t.text, t.text, t.text)
		}
	}
	if after.kind == tokEOF { // the zero token: nothing came before
		return nil, p.errorAt(t.pos, "expected a value, found %s", t.describe())
	}
	return nil, p.errorAt(t.pos, "expected a value after %s, found %s", after.describe(), t.describe())
}

// call parses name(args...) and checks built-in argument counts.
func (p *parser) call() (node, error) {
	nameTok := p.advance()
	open := p.advance()
	if err := p.enter(nameTok.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	n := &callNode{name: nameTok.text, off: nameTok.pos}
	p.calls = append(p.calls, site{name: nameTok.text, off: nameTok.pos})
	var argStarts []int
	if p.peek().kind == tokRParen {
		p.advance()
	} else {
		prev := open
		for {
			argStarts = append(argStarts, p.peek().pos)
			arg, err := p.binary(0, prev)
			if err != nil {
				return nil, err
			}
			n.args = append(n.args, arg)
			t := p.peek()
			if t.kind == tokComma {
				prev = p.advance()
				continue
			}
			if t.kind == tokRParen {
				p.advance()
				break
			}
			if startsOperand(t) {
				return nil, p.errorAt(t.pos, "missing operator or \",\" before %s", t.describe())
			}
			if t.kind == tokEOF {
				return nil, p.errorAt(t.pos, `missing ")" to close %s( at column %d`, n.name, p.column(nameTok.pos))
			}
			return nil, p.errorAt(t.pos, `expected "," or ")" in %s(), found %s`, n.name, t.describe())
		}
	}
	b, ok := builtins[n.name]
	if !ok {
		return n, nil // an extra function: checked by Check, resolved by Eval
	}
	n.fn = &b
	if got := len(n.args); got < b.min || (b.max >= 0 && got > b.max) {
		return nil, p.errorAt(nameTok.pos, "%s() takes %s, got %d", n.name, arity(b.min, b.max), got)
	}
	if err := p.setArgs(n, b); err != nil {
		return nil, err
	}
	if n.name == "regex" {
		if lit, ok := n.args[1].(*literalNode); ok {
			re, err := regexp.Compile(lit.v.String())
			if err != nil {
				return nil, p.errorAt(argStarts[1], "invalid regex pattern: %v", err)
			}
			n.re = re
		}
	}
	return n, nil
}

// arity describes an argument count range for a message.
func arity(min, max int) string {
	plural := func(n int) string {
		if n == 1 {
			return "1 argument"
		}
		return fmt.Sprintf("%d arguments", n)
	}
	switch {
	case min == max && min == 0:
		return "no arguments"
	case min == max:
		return plural(min)
	case max < 0:
		return "at least " + plural(min)
	case max == min+1:
		return fmt.Sprintf("%d or %s", min, plural(max))
	default:
		return fmt.Sprintf("%d to %s", min, plural(max))
	}
}

// lookup parses instance('list')/root/item[predicate]/column: the column
// of the first choice of the list for which the predicate holds, as XLSForm
// writes a lookup in a choice list (bare names in the predicate are the
// choice's columns, ${name} the answers).
func (p *parser) lookup() (node, error) {
	start := p.advance() // instance
	want := func(kind tokenKind, text, what string) (token, error) {
		t := p.peek()
		if t.kind != kind || text != "" && t.text != text {
			return t, p.errorAt(t.pos, "in instance('list')/root/item[…]/column: expected %s, found %s", what, t.describe())
		}
		return p.advance(), nil
	}
	if _, err := want(tokLParen, "", `"("`); err != nil {
		return nil, err
	}
	list, err := want(tokString, "", "the list's name in quotes")
	if err != nil {
		return nil, err
	}
	for _, step := range []struct {
		kind       tokenKind
		text, what string
	}{{tokRParen, "", `")"`}, {tokSlash, "", `"/"`}, {tokName, "root", "root"}, {tokSlash, "", `"/"`}, {tokName, "item", "item"}, {tokLBracket, "", `"["`}} {
		if _, err := want(step.kind, step.text, step.what); err != nil {
			return nil, err
		}
	}
	if err := p.enter(start.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	saved, savedCols := p.columnNames, p.columns
	p.columnNames = true
	pred, err := p.binary(0, start)
	p.columnNames, p.columns = saved, savedCols // the list's columns, not the filtered list's
	if err != nil {
		return nil, err
	}
	if _, err := want(tokRBracket, "", `"]"`); err != nil {
		return nil, err
	}
	if _, err := want(tokSlash, "", `"/"`); err != nil {
		return nil, err
	}
	col, err := want(tokName, "", "a column name")
	if err != nil {
		return nil, err
	}
	p.lists = append(p.lists, site{name: list.text, off: list.pos})
	return &lookupNode{list: list.text, pred: pred, column: col.text}, nil
}

// position parses position(..), the index of the repeat instance an
// expression is evaluated in (XPath's position of the instance node).
func (p *parser) position() (node, error) {
	name := p.advance()
	p.advance() // (
	p.calls = append(p.calls, site{name: name.text, off: name.pos})
	if p.peek().kind != tokParent || p.toks[p.i+1].kind != tokRParen {
		return nil, p.errorAt(name.pos, "position() is written position(..): the index of the repeat instance it is in")
	}
	p.advance()
	p.advance()
	return positionNode{}, nil
}

// setArgs checks the arguments that must name a question, for the
// functions over a repeat's instances, at parse time.
func (p *parser) setArgs(n *callNode, b builtin) error {
	if b.sets == nil {
		return nil
	}
	for i, arg := range n.args {
		if !b.sets(i, len(n.args)) {
			continue
		}
		if _, ok := arg.(*refNode); !ok {
			return p.errorAt(n.off, "%s(): argument %d must be a question or repeat written ${name}", n.name, i+1)
		}
	}
	if n.name == "indexed-repeat" {
		if len(n.args)%2 == 0 {
			return p.errorAt(n.off, "indexed-repeat() takes ${question}, then pairs of ${repeat} and an index; got %d arguments", len(n.args))
		}
		ix := Indexed{Name: n.args[0].(*refNode).name, Pos: p.column(n.off)}
		for i := 1; i < len(n.args); i += 2 {
			ix.Repeats = append(ix.Repeats, n.args[i].(*refNode).name)
		}
		p.indexed = append(p.indexed, ix)
	}
	return nil
}
