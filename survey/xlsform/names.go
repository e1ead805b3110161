package xlsform

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"canvass/survey"
	"canvass/survey/expr"
)

// asciiName makes a name that XML (and so pyxform) accepts but Canvass
// does not, such as "âge" or "niño_edad", into one Canvass accepts: accents
// dropped, other letters made _. It returns "" for a name that is not an
// XML-style name at all (a space, a symbol), which stays refused.
func asciiName(name string) string {
	if name == "" || expr.ValidName(name) {
		return ""
	}
	first := []rune(name)[0]
	if !(first == '_' || unicode.IsLetter(first)) {
		return ""
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// an accent, dropped
		case r < 128 && (r == '_' || r == '.' || r == '-' || isLetter(byte(r)) || isDigit(byte(r))):
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteByte('_')
		default:
			return "" // not a name pyxform accepts either
		}
	}
	out := b.String()
	if out == "" || isDigit(out[0]) || out[0] == '.' || out[0] == '-' {
		out = "_" + out
	}
	if !expr.ValidName(out) {
		return ""
	}
	return out
}

// planRenames finds the names of the survey sheet that need an ASCII
// spelling, each given one no other row uses.
func (im *importer) planRenames(names []string) {
	for _, n := range names {
		a := asciiName(n)
		if a == "" || im.renames[n] != "" {
			continue
		}
		out := a
		for k := 2; im.rowNames[out]; k++ {
			out = a + "_" + itoa(k)
		}
		im.rowNames[out] = true
		if im.renames == nil {
			im.renames = map[string]string{}
		}
		im.renames[n] = out
	}
}

// renameRefs rewrites ${name} references to renamed questions.
func (im *importer) renameRefs(s string) string {
	if len(im.renames) == 0 || !strings.Contains(s, "${") {
		return s
	}
	for from, to := range im.renames {
		s = strings.ReplaceAll(s, "${"+from+"}", "${"+to+"}")
	}
	return s
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// renameText rewrites references to renamed questions in every language.
func (im *importer) renameText(t survey.Text) survey.Text {
	if len(im.renames) == 0 {
		return t
	}
	for k, v := range t {
		t[k] = im.renameRefs(v)
	}
	return t
}
