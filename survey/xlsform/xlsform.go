// Package xlsform reads and writes survey definitions as XLSForm workbooks
// (.xlsx), the spreadsheet format of ODK and KoboToolbox, so that forms
// designed elsewhere can run in Canvass and Canvass forms can be edited in
// Excel.
//
// A workbook has a survey sheet (one row per question, with begin_group /
// end_group rows around groups), a choices sheet (one row per answer of each
// choice list) and a settings sheet (form_title, form_id, version,
// default_language). Sheet and column names are matched case-insensitively;
// text columns carry a language suffix such as "label::English (en)", and a
// column without one holds the default language.
//
// Canvass adds columns that ODK ignores: personal and weight on the survey
// sheet, score on the choices sheet, canvass_title::…, canvass_description::…
// and canvass_template on the settings sheet, and a canvass_scoring sheet
// for the decision tool's scoring.
//
// Versions: a settings version that is a whole number from 1 to
// MaxVersion becomes the survey's Version; a larger whole number (ODK's
// usual yyyymmddrr, such as 2026120401) imports as version 1 with the
// written value kept in Report.SourceVersion, and is no problem; anything
// else ("1.2", "v3") does the same with a warning. Blank is version 1. The
// store numbers versions itself when it saves a survey anyway.
package xlsform

import "strings"

// MaxVersion is the largest settings version imported as it is.
const MaxVersion = 99999

// Sheet names, as Export writes them.
const (
	SheetSurvey   = "survey"
	SheetChoices  = "choices"
	SheetSettings = "settings"
	SheetScoring  = "canvass_scoring"
)

// sheetOrder ranks sheets for sorting problems.
func sheetOrder(canonical string) int {
	switch canonical {
	case "":
		return 0
	case SheetSettings:
		return 1
	case SheetSurvey:
		return 2
	case SheetChoices:
		return 3
	}
	return 4
}

// Canonical column names (header base names after alias resolution).
const (
	colType              = "type"
	colName              = "name"
	colLabel             = "label"
	colHint              = "hint"
	colRequired          = "required"
	colRequiredMessage   = "required_message"
	colRelevant          = "relevant"
	colConstraint        = "constraint"
	colConstraintMessage = "constraint_message"
	colCalculation       = "calculation"
	colDefault           = "default"
	colReadOnly          = "read_only"
	colAppearance        = "appearance"
	colChoiceFilter      = "choice_filter"
	colParameters        = "parameters"
	colPersonal          = "personal"
	colWeight            = "weight"
	colRepeatCount       = "repeat_count"
	colRepeatItem        = "repeat_item" // Canvass's: the noun for one instance; pyxform ignores it
	colListName          = "list_name"
	colScore             = "score"

	colFormTitle       = "form_title"
	colFormID          = "form_id"
	colVersion         = "version"
	colDefaultLanguage = "default_language"
	colTitle           = "canvass_title"
	colDescription     = "canvass_description"
	colTemplate        = "canvass_template"

	colAllowChoiceDuplicates = "allow_choice_duplicates"

	colKind            = "kind"
	colValue           = "value"
	colDescriptionText = "description"
	colDrivers         = "drivers"
	colOutcome         = "outcome"
	colFrom            = "from"
	colTo              = "to"
	colMinAbsScore     = "min_abs_score"
	colMinAnswered     = "min_answered"
	colWhen            = "when"
	colIfOutcome       = "if_outcome"
	colConfidence      = "confidence"
	colMaxConfidence   = "max_confidence"
	colCaveat          = "caveat"
	colDriver          = "driver"
	colStop            = "stop"
)

// columnAliases maps other spellings of a column (lower case, spaces as _)
// to its canonical name.
var columnAliases = map[string]string{
	"jr:requiredmsg":     colRequiredMessage,
	"requiredmsg":        colRequiredMessage,
	"jr:constraintmsg":   colConstraintMessage,
	"constraintmsg":      colConstraintMessage,
	"calculate":          colCalculation,
	"readonly":           colReadOnly,
	"list":               colListName,
	"title":              colFormTitle,
	"id_string":          colFormID,
	"set_form_id":        colFormID,
	"set_form_title":     colFormTitle,
	"default":            colDefault,
	"constraint_message": colConstraintMessage,
	"required_message":   colRequiredMessage,
	"jr:count":           colRepeatCount,
}

// textColumns lists, per sheet, the columns that hold text in several
// languages (with a "::language" suffix).
var textColumns = map[string]map[string]bool{
	SheetSurvey:   {colLabel: true, colHint: true, colRequiredMessage: true, colConstraintMessage: true, colRepeatItem: true},
	SheetChoices:  {colLabel: true},
	SheetSettings: {colTitle: true, colDescription: true},
	SheetScoring:  {colLabel: true, colDescriptionText: true, colCaveat: true},
}

// surveyColumns are the survey sheet columns Canvass reads.
var surveyColumns = map[string]bool{
	colType: true, colName: true, colLabel: true, colHint: true, colRequired: true,
	colRequiredMessage: true, colRelevant: true, colConstraint: true,
	colConstraintMessage: true, colCalculation: true, colDefault: true, colReadOnly: true,
	colAppearance: true, colChoiceFilter: true, colParameters: true, colPersonal: true,
	colWeight: true, colRepeatCount: true, colRepeatItem: true,
}

// choiceMediaColumns are choices sheet columns that are not filter columns
// but that Canvass does not use.
var choiceMediaColumns = map[string]bool{
	"image": true, "audio": true, "video": true, "media": true, "big-image": true,
	"big_image": true, "order": true,
}

// settingsColumns are the settings sheet columns Canvass reads.
var settingsColumns = map[string]bool{
	colFormTitle: true, colFormID: true, colVersion: true, colDefaultLanguage: true,
	colTitle: true, colDescription: true, colTemplate: true, colAllowChoiceDuplicates: true,
}

// scoringColumns are the canvass_scoring sheet columns Canvass reads.
var scoringColumns = map[string]bool{
	colKind: true, colName: true, colValue: true, colLabel: true, colDescriptionText: true,
	colDrivers: true, colOutcome: true, colFrom: true, colTo: true, colMinAbsScore: true,
	colMinAnswered: true, colWhen: true, colIfOutcome: true, colConfidence: true,
	colMaxConfidence: true, colCaveat: true, colDriver: true, colStop: true,
}

// header is a column header split into its parts.
type header struct {
	key    string // canonical base name, e.g. "label"
	suffix string // the text after "::", trimmed; "" when there is none
}

// splitHeader splits a header such as "Label :: English (en)" into a
// canonical key ("label") and a suffix ("English (en)"). With singleColon
// (a sheet none of whose headers has "::"), "label:English" splits at its
// first ":" as older forms write it, as pyxform reads it; a known name
// such as jr:constraintMsg stays whole.
func splitHeader(h string, singleColon bool) header {
	sep := "::"
	if singleColon && !strings.Contains(h, "::") {
		if _, known := columnAliases[normaliseKey(h)]; !known {
			sep = ":"
		}
	}
	prefix := ""
	if sep == ":" && strings.HasPrefix(strings.ToLower(strings.TrimSpace(h)), "jr:") {
		prefix, h = "jr:", strings.TrimSpace(h)[3:] // jr:constraintMsg:English
	}
	base, suffix, _ := strings.Cut(h, sep)
	key := normaliseKey(prefix + base)
	if a, ok := columnAliases[key]; ok {
		key = a
	}
	return header{key: key, suffix: strings.TrimSpace(suffix)}
}

// normaliseKey lower-cases a header and joins its words with _.
func normaliseKey(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.TrimSpace(s))), "_")
}
