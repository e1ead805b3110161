package survey

import (
	"strings"
	"unicode"
)

// NormaliseAnswer writes an answer the one way it is stored, so that the
// same answer typed two ways counts once in results and exports: spaces
// around any answer go; a postcode question (AppearancePostcode) is in
// capitals, without inner spaces, and a full postcode has one space before
// its last three characters ("gu1 1aa", "GU11AA" → "GU1 1AA"; "gu1" → "GU1").
// Front ends call it through the form engine before checking an answer,
// so a constraint sees the stored form.
func NormaliseAnswer(q *Question, v string) string {
	v = strings.TrimSpace(v)
	if q == nil || v == "" {
		return v
	}
	if q.Type == TypeText && q.HasAppearance(AppearancePostcode) {
		return normalisePostcode(v)
	}
	return v
}

// normalisePostcode upper-cases a postcode and spaces it as Royal Mail
// writes it: outward code, one space, inward code (a digit and two letters).
func normalisePostcode(v string) string {
	compact := strings.ToUpper(strings.Join(strings.Fields(v), ""))
	n := len(compact)
	if n >= 5 && n <= 7 && isASCIIDigit(rune(compact[n-3])) && isASCIILetter(rune(compact[n-2])) && isASCIILetter(rune(compact[n-1])) {
		return compact[:n-3] + " " + compact[n-3:]
	}
	return compact
}

func isASCIIDigit(r rune) bool  { return r < unicode.MaxASCII && unicode.IsDigit(r) }
func isASCIILetter(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) }
