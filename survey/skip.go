package survey

import (
	"regexp"
	"strings"

	"canvass/survey/expr"
)

// SkipOp is the comparison of a simple skip-logic rule.
type SkipOp string

// Skip-logic comparisons.
const (
	SkipIs          SkipOp = "is"               // ${q} = 'a'
	SkipIsNot       SkipOp = "is not"           // ${q} != 'a'
	SkipIncludes    SkipOp = "includes"         // selected(${q}, 'a')
	SkipNotIncludes SkipOp = "does not include" // not(selected(${q}, 'a'))
)

// SkipRule is the simple form of a relevance condition: "show this
// question if [question] [is / is not / includes] [answer]".
type SkipRule struct {
	Question string // name of the question looked at
	Op       SkipOp
	Value    string // stored value (a choice name, a number, some text)
}

// quoteLiteral writes s as an expression string literal.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Expression returns the rule as an XLSForm expression, e.g. ${visit} = 'yes'.
func (r SkipRule) Expression() string {
	ref := "${" + r.Question + "}"
	v := quoteLiteral(r.Value)
	switch r.Op {
	case SkipIsNot:
		return ref + " != " + v
	case SkipIncludes:
		return "selected(" + ref + ", " + v + ")"
	case SkipNotIncludes:
		return "not(selected(" + ref + ", " + v + "))"
	}
	return ref + " = " + v
}

const literalRE = `(?:'((?:[^']|'')*)'|"((?:[^"]|"")*)")`

var (
	compareRE     = regexp.MustCompile(`^\s*\$\{([^}\s]+)\}\s*(=|!=)\s*` + literalRE + `\s*$`)
	selectedRE    = regexp.MustCompile(`^\s*selected\(\s*\$\{([^}\s]+)\}\s*,\s*` + literalRE + `\s*\)\s*$`)
	notSelectedRE = regexp.MustCompile(`^\s*not\(\s*selected\(\s*\$\{([^}\s]+)\}\s*,\s*` + literalRE + `\s*\)\s*\)\s*$`)
)

// literalValue returns the text of a matched single- or double-quoted literal.
func literalValue(single, double string, isSingle bool) string {
	if isSingle {
		return strings.ReplaceAll(single, "''", "'")
	}
	return strings.ReplaceAll(double, `""`, `"`)
}

// ParseSkipRule reads an expression written the way SkipRule writes one
// (either quote) about a question with a valid name; ok is false for
// anything else.
func ParseSkipRule(src string) (SkipRule, bool) {
	r, ok := parseSkipRule(src)
	if !ok || !expr.ValidName(r.Question) {
		return SkipRule{}, false
	}
	return r, true
}

func parseSkipRule(src string) (SkipRule, bool) {
	if m := compareRE.FindStringSubmatchIndex(src); m != nil {
		op := SkipIs
		if src[m[4]:m[5]] == "!=" {
			op = SkipIsNot
		}
		return SkipRule{Question: src[m[2]:m[3]], Op: op, Value: matchedLiteral(src, m, 6)}, true
	}
	if m := notSelectedRE.FindStringSubmatchIndex(src); m != nil {
		return SkipRule{Question: src[m[2]:m[3]], Op: SkipNotIncludes, Value: matchedLiteral(src, m, 4)}, true
	}
	if m := selectedRE.FindStringSubmatchIndex(src); m != nil {
		return SkipRule{Question: src[m[2]:m[3]], Op: SkipIncludes, Value: matchedLiteral(src, m, 4)}, true
	}
	return SkipRule{}, false
}

// matchedLiteral returns the literal whose two alternative groups start at
// index i of the submatch indices m (single-quoted first).
func matchedLiteral(src string, m []int, i int) string {
	if m[i] >= 0 {
		return literalValue(src[m[i]:m[i+1]], "", true)
	}
	return literalValue("", src[m[i+2]:m[i+3]], false)
}
