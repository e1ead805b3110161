package xlsform

import (
	"fmt"
	"strings"

	"canvass/survey"
)

// rowKind says what a survey sheet row does.
type rowKind int

const (
	rowQuestion rowKind = iota
	rowBeginGroup
	rowEndGroup
	rowBeginRepeat
	rowEndRepeat
)

// parsedType is the type column of a survey row, read.
type parsedType struct {
	kind        rowKind
	typ         survey.Type
	list        string // choice list of a select or rank
	orOther     bool
	unsupported string // why Canvass cannot run it; "" when it can
}

// simpleTypes maps single-word XLSForm types (lower case) to Canvass types.
var simpleTypes = map[string]survey.Type{
	"text": survey.TypeText, "string": survey.TypeText,
	"integer": survey.TypeInteger, "int": survey.TypeInteger,
	"decimal":     survey.TypeDecimal,
	"range":       survey.TypeRange,
	"date":        survey.TypeDate,
	"time":        survey.TypeTime,
	"datetime":    survey.TypeDateTime,
	"note":        survey.TypeNote,
	"acknowledge": survey.TypeAcknowledge, "trigger": survey.TypeAcknowledge,
	"calculate": survey.TypeCalculate,
	"hidden":    survey.TypeHidden,
	"start":     survey.TypeStart,
	"end":       survey.TypeEnd,
	"today":     survey.TypeToday,
	"deviceid":  survey.TypeDeviceID,
	"username":  survey.TypeUsername,
}

// unsupportedTypes explains the XLSForm types Canvass cannot run.
var unsupportedTypes = map[string]string{
	"geopoint":                  "location questions (geopoint) are not supported",
	"geotrace":                  "location questions (geotrace) are not supported",
	"geoshape":                  "location questions (geoshape) are not supported",
	"start-geopoint":            "location questions (start-geopoint) are not supported",
	"image":                     "photo questions (image) are not supported",
	"photo":                     "photo questions (photo) are not supported",
	"audio":                     "audio recordings (audio) are not supported",
	"background-audio":          "audio recordings (background-audio) are not supported",
	"video":                     "video recordings (video) are not supported",
	"file":                      "file uploads (file) are not supported",
	"barcode":                   "barcode scanning (barcode) is not supported",
	"email":                     "the email metadata is not supported",
	"phonenumber":               "the phonenumber metadata is not supported",
	"subscriberid":              "the subscriberid metadata is not supported",
	"simserial":                 "the simserial metadata is not supported",
	"audit":                     "audit logs (audit) are not supported",
	"xml-external":              "external data files (xml-external) are not supported",
	"csv-external":              "external data files (csv-external) are not supported",
	"select_one_from_file":      "choices from an external file (select_one_from_file) are not supported",
	"select_multiple_from_file": "choices from an external file (select_multiple_from_file) are not supported",
	"select_one_external":       "external choices (select_one_external) are not supported",
	"begin_repeat":              "repeats (begin_repeat) are not supported",
}

// multiWord joins the spellings with spaces that XLSForm allows for some
// types ("begin group", "select one", "select all that apply").
var multiWord = []struct{ words, canonical string }{
	{"begin group", "begin_group"},
	{"end group", "end_group"},
	{"begin repeat", "begin_repeat"},
	{"end repeat", "end_repeat"},
	{"select one from file", "select_one_from_file"},
	{"select multiple from file", "select_multiple_from_file"},
	{"select all that apply from file", "select_multiple_from_file"},
	{"select one external", "select_one_external"},
	{"select one", "select_one"},
	{"select multiple", "select_multiple"},
	{"select all that apply", "select_multiple"},
	{"select_all_that_apply", "select_multiple"},
	{"odk:rank", "rank"},
}

// parseType reads the type column. An error message is returned for a
// type that is malformed or unknown.
func parseType(raw string) (parsedType, string) {
	fields := strings.Fields(raw)
	lower := strings.ToLower(strings.Join(fields, " "))
	for _, m := range multiWord {
		if lower == m.words || strings.HasPrefix(lower, m.words+" ") {
			n := len(strings.Fields(m.words))
			fields = append([]string{m.canonical}, fields[n:]...)
			break
		}
	}
	if len(fields) == 0 {
		return parsedType{}, "the type is blank"
	}
	word := strings.ToLower(fields[0])
	args := fields[1:]
	switch word {
	case "begin_group":
		return parsedType{kind: rowBeginGroup, typ: survey.TypeGroup}, noArgs(word, args)
	case "end_group":
		return parsedType{kind: rowEndGroup}, noArgs(word, args)
	case "begin_repeat":
		return parsedType{kind: rowBeginRepeat, typ: survey.TypeGroup, unsupported: unsupportedTypes[word]}, noArgs(word, args)
	case "end_repeat":
		return parsedType{kind: rowEndRepeat}, noArgs(word, args)
	case "select_one", "select_multiple", "rank":
		typ := map[string]survey.Type{"select_one": survey.TypeSelectOne, "select_multiple": survey.TypeSelectMultiple, "rank": survey.TypeRank}[word]
		switch {
		case len(args) == 0:
			return parsedType{}, fmt.Sprintf("%s needs the name of a choice list after it, as in %q", word, word+" yes_no")
		case len(args) == 2 && strings.EqualFold(args[1], "or_other") && word != "rank":
			return parsedType{kind: rowQuestion, typ: typ, list: args[0], orOther: true}, ""
		case len(args) > 1:
			return parsedType{}, fmt.Sprintf("unexpected %q after %s %s: a list name has no spaces (only or_other may follow it)", strings.Join(args[1:], " "), word, args[0])
		}
		return parsedType{kind: rowQuestion, typ: typ, list: args[0]}, ""
	}
	if typ, ok := simpleTypes[word]; ok {
		return parsedType{kind: rowQuestion, typ: typ}, noArgs(word, args)
	}
	if why, ok := unsupportedTypes[word]; ok {
		return parsedType{kind: rowQuestion, unsupported: why}, ""
	}
	return parsedType{}, fmt.Sprintf("unknown question type %q", fields[0])
}

// noArgs reports words after a type that takes none.
func noArgs(word string, args []string) string {
	if len(args) == 0 {
		return ""
	}
	return fmt.Sprintf("unexpected %q after %s", strings.Join(args, " "), word)
}

// typeCell writes a question's type column.
func typeCell(q *survey.Question) string {
	if !q.Type.HasChoices() {
		return string(q.Type)
	}
	s := string(q.Type) + " " + q.List
	if q.OrOther {
		s += " or_other"
	}
	return s
}
