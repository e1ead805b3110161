package expr

import (
	"math"
	"strconv"
	"strings"
)

// Kind is the type of a Value.
type Kind int

// The kinds of value an expression produces. A blank answer is the empty string.
const (
	KindString Kind = iota
	KindNumber
	KindBool
)

// String names the kind ("string", "number", "boolean").
func (k Kind) String() string {
	switch k {
	case KindNumber:
		return "number"
	case KindBool:
		return "boolean"
	default:
		return "string"
	}
}

// Value is the result of an expression: a string, a number or a boolean.
// The zero Value is the blank string.
type Value struct {
	kind Kind
	str  string
	num  float64
	b    bool
}

// String returns a string value.
func String(s string) Value { return Value{kind: KindString, str: s} }

// Number returns a number value.
func Number(f float64) Value { return Value{kind: KindNumber, num: f} }

// Bool returns a boolean value.
func Bool(b bool) Value { return Value{kind: KindBool, b: b} }

// Kind reports the value's type.
func (v Value) Kind() Kind { return v.kind }

// IsBlank reports whether the value renders as the empty string: a blank
// string, or a number that is NaN or infinite.
func (v Value) IsBlank() bool {
	switch v.kind {
	case KindString:
		return v.str == ""
	case KindNumber:
		return math.IsNaN(v.num) || math.IsInf(v.num, 0)
	default:
		return false
	}
}

// String converts the value to a string as XPath's string() does, except
// that a NaN or infinite number renders as "" (so a calculation never
// stores "NaN") and numbers never use an exponent or trailing zeros.
func (v Value) String() string {
	switch v.kind {
	case KindNumber:
		return FormatNumber(v.num)
	case KindBool:
		if v.b {
			return "true"
		}
		return "false"
	default:
		return v.str
	}
}

// Number converts the value to a number as XPath's number() does: a string
// must be an optionally negative decimal (surrounding spaces allowed), true
// is 1 and false 0. ok is false when the result is NaN (blank or not a
// number) or infinite.
func (v Value) Number() (f float64, ok bool) {
	f = v.num64()
	return f, !math.IsNaN(f) && !math.IsInf(f, 0)
}

// num64 is Number without the ok flag: NaN when the value is not a number.
func (v Value) num64() float64 {
	switch v.kind {
	case KindNumber:
		return v.num
	case KindBool:
		if v.b {
			return 1
		}
		return 0
	default:
		return parseNumber(v.str)
	}
}

// Bool converts the value to a boolean as XPath's boolean() does: a number
// is true unless it is 0 or NaN, a string is true unless it is empty.
func (v Value) Bool() bool {
	switch v.kind {
	case KindNumber:
		return v.num != 0 && !math.IsNaN(v.num)
	case KindBool:
		return v.b
	default:
		return v.str != ""
	}
}

// FormatNumber renders f the way expressions show numbers: shortest decimal
// form rounded to 15 significant digits (so 0.1+0.2 shows as 0.3), no
// exponent, no trailing zeros, and "" for NaN or infinity.
func FormatNumber(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	if f == 0 {
		return "0" // also -0
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if err != nil {
		r = f
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// parseNumber converts a string to a number by XPath 1.0's rules: optional
// spaces, an optional minus, digits with an optional decimal point. Anything
// else, blank included, is NaN.
func parseNumber(s string) float64 {
	s = strings.TrimSpace(s)
	if !isDecimal(s) {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// isDecimal reports whether s is -?(d+(.d*)?|.d+).
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// isNumeric reports whether the string value converts to a finite number.
func isNumeric(s string) bool {
	f := parseNumber(s)
	return !math.IsNaN(f) && !math.IsInf(f, 0)
}
