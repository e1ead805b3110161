package expr

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind is the lexical class of a token.
type tokenKind int

const (
	tokEOF    tokenKind = iota
	tokRef              // ${name}; text is the name
	tokSelf             // .
	tokString           // 'x' or "x"; text is the unquoted value
	tokNumber           // 12, 1.5, .5; text is the digits
	tokName             // a function name or and/or/div/mod
	tokOp               // = != < <= > >= + - *
	tokLParen
	tokRParen
	tokComma
	tokSlash    // /, only in instance('list')/root/item[…]/column
	tokLBracket // [
	tokRBracket // ]
	tokParent   // .., only in position(..)
)

// token is one lexeme; pos and end are byte offsets in the source.
type token struct {
	kind tokenKind
	text string
	pos  int
	end  int
}

// describe names the token for an error message.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of expression"
	case tokRef:
		return "${" + t.text + "}"
	case tokString:
		return "string " + quote(t.text)
	case tokNumber:
		return "number " + t.text
	default:
		return quote(t.text)
	}
}

// quote wraps s in double quotes for a message, shortening long text.
func quote(s string) string {
	if utf8.RuneCountInString(s) > 30 {
		r := []rune(s)
		s = string(r[:27]) + "..."
	}
	return fmt.Sprintf("%q", s)
}

// lexer splits an expression's source into tokens.
type lexer struct {
	src string
	pos int
}

// lex returns all tokens of src, ending with tokEOF, or the first lexical error.
func lex(src string) ([]token, error) {
	l := &lexer{src: src}
	var toks []token
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		if t.kind == tokEOF {
			return toks, nil
		}
	}
}

// errorAt builds an *Error at byte offset off of the source.
func (l *lexer) errorAt(off int, format string, args ...any) *Error {
	return newError(l.src, off, format, args...)
}

func (l *lexer) next() (token, error) {
	for l.pos < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if !unicode.IsSpace(r) {
			break
		}
		l.pos += size
	}
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tokEOF, pos: start, end: start}, nil
	}
	c := l.src[start]
	two := ""
	if start+1 < len(l.src) {
		two = l.src[start : start+2]
	}
	tok := func(k tokenKind, n int) (token, error) {
		l.pos = start + n
		return token{kind: k, text: l.src[start:l.pos], pos: start, end: l.pos}, nil
	}
	switch {
	case c == '$':
		return l.ref()
	case c == '\'' || c == '"':
		return l.str()
	case c >= '0' && c <= '9':
		return l.number()
	case c == '.':
		if two == ".." {
			return tok(tokParent, 2)
		}
		if start+1 < len(l.src) && l.src[start+1] >= '0' && l.src[start+1] <= '9' {
			return l.number()
		}
		return tok(tokSelf, 1)
	case c == '(':
		return tok(tokLParen, 1)
	case c == ')':
		return tok(tokRParen, 1)
	case c == ',':
		return tok(tokComma, 1)
	case two == "!=" || two == "<=" || two == ">=":
		return tok(tokOp, 2)
	case two == "==":
		return token{}, l.errorAt(start, `unexpected "==": use = to compare`)
	case two == "&&":
		return token{}, l.errorAt(start, `unexpected "&&": use and`)
	case two == "||":
		return token{}, l.errorAt(start, `unexpected "||": use or`)
	case c == '=' || c == '<' || c == '>' || c == '+' || c == '-' || c == '*':
		return tok(tokOp, 1)
	case c == '/':
		return tok(tokSlash, 1)
	case c == '[':
		return tok(tokLBracket, 1)
	case c == ']':
		return tok(tokRBracket, 1)
	case c == '!':
		return token{}, l.errorAt(start, `unexpected "!": use not(...) or !=`)
	case c == '%':
		return token{}, l.errorAt(start, `unexpected "%%": use mod`)
	case c == '_' || isLetter(c):
		n := 1
		for start+n < len(l.src) {
			d := l.src[start+n]
			if d == '_' || isLetter(d) || isDigit(d) ||
				(d == '-' && start+n+1 < len(l.src) && isLetter(l.src[start+n+1])) {
				n++
				continue
			}
			break
		}
		return tok(tokName, n)
	}
	r, _ := utf8.DecodeRuneInString(l.src[start:])
	if r == utf8.RuneError {
		return token{}, l.errorAt(start, "invalid UTF-8 byte")
	}
	if r == '‘' || r == '’' || r == '“' || r == '”' {
		return token{}, l.errorAt(start, "unexpected curly quote %q: use straight quotes ' or \"", r)
	}
	return token{}, l.errorAt(start, "unexpected character %q", r)
}

// ref lexes ${name}.
func (l *lexer) ref() (token, error) {
	start := l.pos
	if !strings.HasPrefix(l.src[start:], "${") {
		return token{}, l.errorAt(start, `unexpected "$": refer to a question as ${name}`)
	}
	close := strings.IndexByte(l.src[start+2:], '}')
	if close < 0 {
		return token{}, l.errorAt(start, `unterminated ${ reference: missing "}"`)
	}
	name := l.src[start+2 : start+2+close]
	l.pos = start + 2 + close + 1
	if strings.TrimSpace(name) == "" {
		return token{}, l.errorAt(start, "empty ${} reference: put a question name between the braces")
	}
	if !ValidName(name) {
		return token{}, l.errorAt(start, "invalid question name %s in ${...}: use a letter or _ first, then letters, digits, _ . -", quote(name))
	}
	return token{kind: tokRef, text: name, pos: start, end: l.pos}, nil
}

// str lexes a quoted string. The other quote may appear inside, and the
// delimiting quote is written twice inside it.
func (l *lexer) str() (token, error) {
	start := l.pos
	q := l.src[start]
	var b strings.Builder
	i := start + 1
	for {
		j := strings.IndexByte(l.src[i:], q)
		if j < 0 {
			return token{}, l.errorAt(start, "unterminated string: missing closing %c", q)
		}
		b.WriteString(l.src[i : i+j])
		i += j + 1
		if i < len(l.src) && l.src[i] == q {
			b.WriteByte(q)
			i++
			continue
		}
		break
	}
	l.pos = i
	return token{kind: tokString, text: b.String(), pos: start, end: i}, nil
}

// number lexes digits with at most one decimal point.
func (l *lexer) number() (token, error) {
	start := l.pos
	i := start
	dots := 0
	for i < len(l.src) && (isDigit(l.src[i]) || l.src[i] == '.') {
		if l.src[i] == '.' {
			dots++
		}
		i++
	}
	if dots > 1 {
		return token{}, l.errorAt(start, "invalid number %s", quote(l.src[start:i]))
	}
	if i < len(l.src) && (isLetter(l.src[i]) || l.src[i] == '_') {
		j := i
		for j < len(l.src) && (isLetter(l.src[j]) || isDigit(l.src[j]) || l.src[j] == '_') {
			j++
		}
		return token{}, l.errorAt(start, "invalid number %s", quote(l.src[start:j]))
	}
	l.pos = i
	return token{kind: tokNumber, text: l.src[start:i], pos: start, end: i}, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// ValidName reports whether s is a valid XLSForm question name: a letter or
// _ first, then letters, digits, _ . or -.
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	if !(s[0] == '_' || isLetter(s[0])) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '.' || c == '-' || isLetter(c) || isDigit(c)) {
			return false
		}
	}
	return true
}
