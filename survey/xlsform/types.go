package xlsform

import (
	"fmt"
	"slices"
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
	fromFile    bool   // select_one_from_file, select_multiple_from_file: list is a file name
	unsupported string // why Canvass cannot run it; "" when it can
	// repeat marks a begin_repeat row (not a loop over a list), which
	// Options.Repeats reads as a repeat.
	repeat bool
}

// simpleTypes maps XLSForm types that take no list (lower case, single
// spaces) to Canvass types: ODK's names and the aliases pyxform accepts
// (its question type dictionary and aliases module).
var simpleTypes = map[string]survey.Type{}

func init() {
	for typ, names := range map[survey.Type][]string{
		survey.TypeText:         {"text", "string", "q string", "add text prompt", "phone number"},
		survey.TypeInteger:      {"integer", "int", "q int", "add integer prompt", "percentage", "number of days in last month", "number of days in last six months", "number of days in last year"},
		survey.TypeDecimal:      {"decimal", "q decimal", "add decimal prompt"},
		survey.TypeRange:        {"range"},
		survey.TypeDate:         {"date", "q date", "add date prompt"},
		survey.TypeTime:         {"time"},
		survey.TypeDateTime:     {"datetime", "q date time", "q datetime", "date time", "add date time prompt", "add datetime prompt"},
		survey.TypeNote:         {"note", "q note", "add note prompt"},
		survey.TypeAcknowledge:  {"acknowledge", "trigger", "q acknowledge", "add acknowledge prompt"},
		survey.TypeCalculate:    {"calculate", "q calculate", "add calculate prompt"},
		survey.TypeHidden:       {"hidden"},
		survey.TypeStart:        {"start", "start time", "get start time"},
		survey.TypeEnd:          {"end", "end time", "get end time"},
		survey.TypeToday:        {"today", "get today"},
		survey.TypeDeviceID:     {"deviceid", "imei", "device id", "get device id", "uri:deviceid"},
		survey.TypeUsername:     {"username", "uri:username"},
		survey.TypeEmail:        {"email", "uri:email"},
		survey.TypePhoneNumber:  {"phonenumber", "get phone number", "uri:phonenumber"},
		survey.TypeSubscriberID: {"subscriberid", "subscriber id", "get subscriber id", "uri:subscriberid"},
		survey.TypeSimSerial:    {"simserial", "sim id", "get sim id", "uri:simserial"},
	} {
		for _, n := range names {
			simpleTypes[n] = typ
		}
	}
	for what, names := range map[string][]string{
		"location questions (%s) are not supported":      {"geopoint", "gps", "location", "q location", "q geopoint", "add location prompt", "geotrace", "q geotrace", "geoshape", "q geoshape", "start-geopoint", "background-geopoint"},
		"photo questions (%s) are not supported":         {"image", "photo", "q picture", "q image", "add image prompt", "add photo prompt"},
		"audio recordings (%s) are not supported":        {"audio", "q audio", "add audio prompt", "background-audio"},
		"video recordings (%s) are not supported":        {"video", "q video", "add video prompt"},
		"file uploads (%s) are not supported":            {"file", "add file prompt"},
		"barcode scanning (%s) is not supported":         {"barcode", "q barcode", "add barcode prompt"},
		"OpenStreetMap questions (%s) are not supported": {"osm"},
		"audit logs (%s) are not supported":              {"audit"},
		"external data files (%s) are not supported":     {"xml-external", "csv-external"},
	} {
		for _, n := range names {
			unsupportedTypes[n] = fmt.Sprintf(what, n)
		}
	}
}

// unsupportedTypes explains the XLSForm types Canvass cannot run.
var unsupportedTypes = map[string]string{}

// selectCommands maps the spellings of select types pyxform accepts to
// their canonical names.
var selectCommands = map[string]string{
	"select_one": "select_one", "select one": "select_one", "select1": "select_one",
	"select one from": "select_one", "select one using": "select_one", "add select one prompt using": "select_one",
	"q select1":       "select_one",
	"select_multiple": "select_multiple", "select multiple": "select_multiple",
	"select all that apply": "select_multiple", "select_all_that_apply": "select_multiple",
	"select all that apply from": "select_multiple", "select multiple from": "select_multiple",
	"select multiple using": "select_multiple", "add select multiple prompt using": "select_multiple",
	"q select": "select_multiple",
	"rank":     "rank", "odk:rank": "rank",
	"select_one_from_file": "select_one_from_file", "select one from file": "select_one_from_file",
	"select_multiple_from_file": "select_multiple_from_file", "select multiple from file": "select_multiple_from_file",
	"select all that apply from file": "select_multiple_from_file",
	"select_one_external":             "select_one_external", "select one external": "select_one_external",
}

// orOtherWords are the spellings of "or_other" after a select's list.
var orOtherWords = []string{"or_other", "or specify other", "or other"}

// controlWords are the words after begin/end: groups, and repeats under
// their several names.
var controlWords = map[string]rowKind{
	"group": rowBeginGroup, "repeat": rowBeginRepeat, "lgroup": rowBeginRepeat,
	"loop": rowBeginRepeat, "looped group": rowBeginRepeat,
}

// parseType reads the type column. An error message is returned for a
// type that is malformed or unknown. Types are matched without regard to
// case or repeated spaces.
func parseType(raw string) (parsedType, string) {
	fields := strings.Fields(raw)
	if len(fields) == 0 {
		return parsedType{}, "the type is blank"
	}
	lower := strings.ToLower(strings.Join(fields, " "))
	if pt, msg, ok := parseControl(lower); ok {
		return pt, msg
	}
	if typ, ok := simpleTypes[lower]; ok {
		return parsedType{kind: rowQuestion, typ: typ}, ""
	}
	if why, ok := unsupportedTypes[lower]; ok {
		return parsedType{kind: rowQuestion, unsupported: why}, ""
	}
	// A select: the command, the list name, then perhaps "or_other".
	for n := min(len(fields)-1, 5); n >= 1; n-- {
		cmd, ok := selectCommands[strings.ToLower(strings.Join(fields[:n], " "))]
		if !ok {
			continue
		}
		return parseSelect(cmd, fields[n:])
	}
	if why, ok := unsupportedTypes[strings.ToLower(fields[0])]; ok {
		return parsedType{kind: rowQuestion, unsupported: why}, "" // "osm building_tags"
	}
	if cmd, ok := selectCommands[lower]; ok {
		return parsedType{}, fmt.Sprintf("%s needs the name of a choice list after it, as in %q", cmd, cmd+" yes_no")
	}
	if typ, ok := simpleTypes[strings.ToLower(fields[0])]; ok {
		return parsedType{}, fmt.Sprintf("unexpected %q after %s", strings.Join(fields[1:], " "), typ)
	}
	return parsedType{}, fmt.Sprintf("unknown question type %q", raw)
}

// parseControl reads begin/end group and repeat rows ("begin group",
// "begin_repeat", "end loop"…). ok is false for other types.
func parseControl(lower string) (pt parsedType, msg string, ok bool) {
	for _, verb := range []string{"begin", "end"} {
		for _, sep := range []string{" ", "_"} {
			rest, found := strings.CutPrefix(lower, verb+sep)
			if !found {
				continue
			}
			for word, kind := range controlWords {
				after, match := strings.CutPrefix(rest, word)
				if !match || after != "" && after[0] != ' ' {
					continue
				}
				args := strings.TrimSpace(after)
				if verb == "end" {
					kind = map[rowKind]rowKind{rowBeginGroup: rowEndGroup, rowBeginRepeat: rowEndRepeat}[kind]
					return parsedType{kind: kind}, noArgs(verb+"_"+word, strings.Fields(args)), true
				}
				if kind == rowBeginRepeat {
					pt := parsedType{kind: kind, typ: survey.TypeGroup, unsupported: fmt.Sprintf("repeats (begin_%s) are not supported", strings.ReplaceAll(word, " ", "_"))}
					pt.repeat = word != "loop"
					return pt, noArgs("begin_"+strings.ReplaceAll(word, " ", "_"), strings.Fields(args)), true
				}
				return parsedType{kind: kind, typ: survey.TypeGroup}, noArgs("begin_group", strings.Fields(args)), true
			}
		}
	}
	return parsedType{}, "", false
}

// parseSelect reads what follows a select command: the list (or file)
// name, then perhaps an or_other spelling.
func parseSelect(cmd string, args []string) (parsedType, string) {
	typ := map[string]survey.Type{
		"select_one": survey.TypeSelectOne, "select_multiple": survey.TypeSelectMultiple, "rank": survey.TypeRank,
		"select_one_from_file": survey.TypeSelectOne, "select_multiple_from_file": survey.TypeSelectMultiple,
	}[cmd]
	pt := parsedType{kind: rowQuestion, typ: typ, list: args[0]}
	if cmd == "select_one_external" {
		pt.unsupported = "external choices (select_one_external) are not supported"
	}
	if strings.HasPrefix(args[0], "${") {
		// pyxform's choices from the answers of a repeat ("which member
		// is answering?"): the form imports without the question.
		pt.unsupported = fmt.Sprintf("choices from the answers of a repeat (%s %s) are not supported", cmd, args[0])
	}
	if strings.HasSuffix(cmd, "_from_file") {
		pt.fromFile = true
	}
	if len(args) == 1 {
		return pt, ""
	}
	rest := strings.ToLower(strings.Join(args[1:], " "))
	if slices.Contains(orOtherWords, rest) && cmd != "rank" && !pt.fromFile {
		pt.orOther = true
		return pt, ""
	}
	return parsedType{}, fmt.Sprintf("unexpected %q after %s %s: a list name has no spaces (only or_other may follow it)", strings.Join(args[1:], " "), cmd, args[0])
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
