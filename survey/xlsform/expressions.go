package xlsform

import (
	"regexp"
	"strings"

	"canvass/survey/expr"
)

// builtins is the set of functions Canvass's expressions support.
var builtins = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range expr.Builtins() {
		m[n] = true
	}
	return m
}()

// keywordOps are the operators written as words.
var keywordOps = map[string]bool{"and": true, "or": true, "div": true, "mod": true}

// word is a bare word in an expression, outside strings and ${...}.
type word struct {
	text string
	off  int  // byte offset
	call bool // followed by "("
}

// bareWords lists the bare words of an expression (function names,
// operators written as words, XPath names), skipping string literals and
// ${...} references. Words may hold : . - as in jr:choice-name.
func bareWords(src string) []word {
	var out []word
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(src[i+1:], c)
			if j < 0 {
				return out
			}
			i += j + 2
		case c == '$' && i+1 < len(src) && src[i+1] == '{':
			j := strings.IndexByte(src[i:], '}')
			if j < 0 {
				return out
			}
			i += j + 1
		case c == '_' || isLetter(c):
			j := i + 1
			for j < len(src) && (src[j] == '_' || src[j] == ':' || src[j] == '.' || src[j] == '-' || isLetter(src[j]) || isDigit(src[j])) {
				j++
			}
			// A trailing '-' or '.' belongs to what follows ("a -1" is a minus).
			for j > i+1 && (src[j-1] == '-' || src[j-1] == '.' || src[j-1] == ':') {
				j--
			}
			k := j
			for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
				k++
			}
			out = append(out, word{text: src[i:j], off: i, call: k < len(src) && src[k] == '('})
			i = j
		case isDigit(c):
			j := i + 1
			for j < len(src) && (isDigit(src[j]) || src[j] == '.') {
				j++
			}
			i = j
		default:
			i++
		}
	}
	return out
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// unsupportedFunctions returns the functions src calls that Canvass does
// not have (pulldata, jr:choice-name, indexed-repeat, …), each once.
func unsupportedFunctions(src string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range bareWords(src) {
		if w.call && !builtins[w.text] && !keywordOps[w.text] && w.text != "instance" && !seen[w.text] {
			seen[w.text] = true
			out = append(out, w.text)
		}
	}
	return out
}

// textRefRe finds ${name} references in labels and hints.
var textRefRe = regexp.MustCompile(`\$\{([^}]*)\}`)

// textRefs returns the names referenced as ${name} in a label or hint.
func textRefs(s string) []string {
	var out []string
	for _, m := range textRefRe.FindAllStringSubmatch(s, -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	return out
}

// currentRe finds XPath's current()/../name, the way pyxform writes a
// reference to another question inside a choice filter or a lookup.
var currentRe = regexp.MustCompile(`current\(\)\s*/\s*(?:\.\.\s*/\s*)+([A-Za-z_][A-Za-z0-9_.-]*)`)

// currentRefs rewrites current()/../name as ${name}: in a form without
// repeats the two mean the same answer.
func currentRefs(src string) string {
	return currentRe.ReplaceAllString(src, "$${$1}")
}

// choiceNames rewrites ODK's jr:choice-name(value, '${question}') as the
// lookup it stands for, instance('list')/root/item[name = value]/label,
// with the list of that question: the label of a chosen answer. A call
// whose second argument is not a quoted ${name} of a select is left as it
// is (and reported as a function Canvass lacks).
func choiceNames(src string, listOf func(name string) string) string {
	const fn = "jr:choice-name"
	var b strings.Builder
	for {
		i := strings.Index(src, fn)
		if i < 0 {
			b.WriteString(src)
			return b.String()
		}
		j := i + len(fn)
		for j < len(src) && src[j] == ' ' {
			j++
		}
		args, end, ok := callArgs(src, j)
		if !ok || len(args) != 2 {
			b.WriteString(src[:j])
			src = src[j:]
			continue
		}
		q := strings.TrimSpace(args[1])
		list := ""
		if len(q) > 5 && (q[0] == '\'' || q[0] == '"') && q[len(q)-1] == q[0] && strings.HasPrefix(q[1:], "${") && strings.HasSuffix(q, "}"+q[:1]) {
			list = listOf(strings.TrimSpace(q[3 : len(q)-2]))
		}
		if list == "" || strings.ContainsAny(list, `'"`) {
			b.WriteString(src[:end])
			src = src[end:]
			continue
		}
		b.WriteString(src[:i])
		b.WriteString("instance('" + list + "')/root/item[name = " + strings.TrimSpace(args[0]) + "]/label")
		src = src[end:]
	}
}

// callArgs splits the arguments of the call whose "(" is at src[open],
// minding nested parentheses and quotes; end is the offset after ")".
func callArgs(src string, open int) (args []string, end int, ok bool) {
	if open >= len(src) || src[open] != '(' {
		return nil, 0, false
	}
	depth, start := 0, open+1
	for i := open; i < len(src); i++ {
		switch c := src[i]; c {
		case '\'', '"':
			j := strings.IndexByte(src[i+1:], c)
			if j < 0 {
				return nil, 0, false
			}
			i += j + 1
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return append(args, src[start:i]), i + 1, true
			}
		case ',':
			if depth == 1 {
				args = append(args, src[start:i])
				start = i + 1
			}
		}
	}
	return nil, 0, false
}

// positionRe finds position(..), position(../..) … as XLSForms write them.
var positionRe = regexp.MustCompile(`position\(\s*\.\.((?:\s*/\s*\.\.)*)\s*\)`)

// Canvass's position(..) is the index of the repeat instance around the
// question, whatever plain groups lie between; XPath's position(..) is
// the position of the parent node, so pyxform forms write position(../..)
// for a question in a group in a repeat (a field-list page of each
// person). groups is the number of plain groups between a row and the
// innermost repeat around it.

// importPositions rewrites position(../..) and deeper for Canvass: the
// innermost repeat's instance is position(..), a plain group or the form
// itself is 1. ok is false when the instance of an outer repeat is asked
// for, which Canvass cannot say. position(..) itself is left as it is.
func importPositions(src string, groups int, inRepeat bool) (out string, ok bool) {
	ok = true
	out = positionRe.ReplaceAllStringFunc(src, func(m string) string {
		up := strings.Count(m, "..")
		switch {
		case up == 1:
			return m
		case up <= groups || !inRepeat:
			return "1"
		case up == groups+1:
			return "position(..)"
		}
		ok = false
		return m
	})
	return out, ok
}

// exportPositions writes Canvass's position(..) as XPath reads it for a
// row groups plain groups inside its innermost repeat: position(../..)
// inside one group.
func exportPositions(src string, groups int) string {
	if groups == 0 {
		return src
	}
	return positionRe.ReplaceAllStringFunc(src, func(m string) string {
		if strings.Count(m, "..") != 1 {
			return m
		}
		return "position(" + strings.Repeat("../", groups) + "..)"
	})
}
