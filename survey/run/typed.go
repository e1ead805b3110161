package run

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"canvass/survey"
	"canvass/survey/expr"
)

// Dates outside these years are refused as typing slips (0205 for 2025).
const (
	MinDateYear = 1900
	MaxDateYear = 2100
)

// Typed numbers: digits with an optional sign and decimal point, and commas
// only where they group thousands ("12,500.75", not "3,5", which might mean 3.5).
var (
	integerPattern   = regexp.MustCompile(`^[+-]?[0-9]+$`)
	decimalPattern   = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$`)
	thousandsPattern = regexp.MustCompile(`^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$`)
)

// ParseText turns what a respondent typed for a question of type t into the
// stored value, or names (as a message key, see Message) why it cannot.
// Numbers are plain decimals: no exponents ("1e3"), hex or "Inf"; digits of
// other scripts ("٣", "３") count as the digits they are. Blank text is a
// blank answer. Types that are not typed (choices, for instance) come back
// trimmed and unchecked; Answer checks them.
func ParseText(t survey.Type, s string) (value, problem string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ""
	}
	switch t {
	case survey.TypeInteger:
		s = plainNumber(s)
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || !integerPattern.MatchString(s) {
			return "", MsgInteger
		}
		return strconv.FormatInt(n, 10), ""
	case survey.TypeDecimal:
		s = plainNumber(s)
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || !decimalPattern.MatchString(s) || math.IsInf(n, 0) {
			return "", MsgDecimal
		}
		return expr.FormatNumber(n), ""
	case survey.TypeTime, survey.TypeDateTime, survey.TypeDate:
		s = asciiDigits(s)
	}
	switch t {
	case survey.TypeTime:
		for _, layout := range []string{"15:04", "15.04", "3:04pm", "3:04PM", "3.04pm", "3.04PM", "3pm", "3PM"} {
			if tm, err := time.Parse(layout, strings.ReplaceAll(s, " ", "")); err == nil {
				return tm.Format("15:04"), ""
			}
		}
		return "", MsgTime
	case survey.TypeDateTime:
		for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02T15:04:05"} {
			if tm, err := time.Parse(layout, s); err == nil {
				return tm.Format("2006-01-02T15:04"), ""
			}
		}
		return "", MsgDateTime
	case survey.TypeDate:
		tm, err := time.Parse(survey.DateLayout, s)
		if err != nil || tm.Year() < MinDateYear || tm.Year() > MaxDateYear {
			return "", MsgDate
		}
		return tm.Format(survey.DateLayout), ""
	}
	return s, ""
}

// plainNumber returns typed number text with ASCII digits, an ASCII minus
// and the commas of thousands groups removed; text that is not a number
// comes back in a form the number patterns reject.
func plainNumber(s string) string {
	s = asciiDigits(s)
	if thousandsPattern.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	return s
}

// asciiDigits replaces decimal digits of any script (Unicode Nd) with
// ASCII ones, the Arabic decimal and thousands separators with '.' and
// ',', and the minus sign U+2212 with '-'.
func asciiDigits(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '٫':
			r = '.'
		case r == '٬':
			r = ','
		case r == '−':
			r = '-'
		case r > unicode.MaxASCII && unicode.Is(unicode.Nd, r):
			// Unicode keeps each script's digits 0–9 in a run of ten code
			// points (runs may adjoin), so the digit is the offset in its run.
			start := r
			for unicode.Is(unicode.Nd, start-1) {
				start--
			}
			r = '0' + (r-start)%10
		}
		b.WriteRune(r)
	}
	return b.String()
}
