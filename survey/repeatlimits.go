package survey

import (
	"regexp"
	"strconv"
	"strings"
)

// A repeat's limits live in its constraint, as XLSForm writes them on the
// begin_repeat row: "count(${people}) >= 1 and count(${people}) <= 5",
// with the constraint_message beside it. pyxform carries that constraint
// to the repeat's bind without a warning. Canvass checks it on the
// repeat's "add another?" page and at submission, and refuses to add an
// instance past a maximum it can read (RepeatLimits).

// countTerm is one comparison of a repeat's count with a whole number.
var countTerm = regexp.MustCompile(`^\s*count\s*\(\s*\$\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\s*\)\s*(>=|<=|!=|>|<|=)\s*([0-9]+)\s*$`)

// RepeatLimits reads the least and most instances the repeat q's
// constraint allows when the constraint is one comparison of
// count(${q}) with a whole number, or several joined by "and" (>=, >, <=,
// <, =). most 0 means no maximum. ok is false for a constraint of any
// other form (it is still checked, but Canvass cannot say its limits);
// a repeat without constraint has limits 0, 0 and ok.
func (q *Question) RepeatLimits() (least, most int, ok bool) {
	c := strings.TrimSpace(q.Constraint)
	if q.Repeat == nil {
		return 0, 0, false
	}
	if c == "" {
		return 0, 0, true
	}
	for _, term := range strings.Split(c, " and ") {
		m := countTerm.FindStringSubmatch(term)
		if m == nil || m[1] != q.Name {
			return 0, 0, false
		}
		n, err := strconv.Atoi(m[3])
		if err != nil || n > MaxInstances {
			return 0, 0, false
		}
		lo, hi := 0, 0 // this term's limits; hi 0: none
		switch m[2] {
		case ">=":
			lo = n
		case ">":
			lo = n + 1
		case "<=":
			hi = n
		case "<":
			hi = n - 1
		case "=":
			lo, hi = n, n
		default: // != sets no limit
			return 0, 0, false
		}
		if hi <= 0 && strings.Contains(m[2], "<") || m[2] == "=" && n == 0 {
			return 0, 0, false // at most none: not a limit anyone can meet by adding
		}
		least = max(least, lo)
		if hi > 0 && (most == 0 || hi < most) {
			most = hi
		}
	}
	if least > MaxInstances || most > 0 && least > most {
		return 0, 0, false // no number of instances meets it
	}
	return least, most, true
}

// RepeatLimitsConstraint writes the constraint that limits the repeat
// named name to least..most instances (most 0: no maximum; both 0: none), in
// the form RepeatLimits reads.
func RepeatLimitsConstraint(name string, least, most int) string {
	count := "count(${" + name + "})"
	var terms []string
	if least > 0 {
		terms = append(terms, count+" >= "+strconv.Itoa(least))
	}
	if most > 0 {
		terms = append(terms, count+" <= "+strconv.Itoa(most))
	}
	return strings.Join(terms, " and ")
}
