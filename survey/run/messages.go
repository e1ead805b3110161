package run

import (
	"encoding/json"
	"path"
	"sync"

	"canvass/assets"
)

// The respondent-facing messages of the engine. Each is a key of Canvass's
// translation files (assets/translations/LANG.json), looked up in the
// session's language and then in English, so a translation of the app
// translates the engine too.
const (
	MsgRequired    = "Please answer this question."
	MsgConstraint  = "This answer is not accepted. Please check it."
	MsgOtherEmpty  = "Please say what “Other” is."
	MsgInteger     = "Please enter a whole number, for example 12."
	MsgDecimal     = "Please enter a number, for example 12 or 3.5."
	MsgTime        = "Please enter a time, for example 14:30."
	MsgDateTime    = "Please enter a date and time, for example 2025-06-30 14:30."
	MsgDate        = "Please enter a valid date, or pick one from the calendar."
	MsgNotAChoice  = "Please choose one of the answers shown."
	MsgOneChoice   = "Please choose one answer only."
	MsgRange       = "Please choose a number on the scale."
	MsgAcknowledge = "Please tick the box to agree, or leave it empty."
	msgOtherLabel  = "choice.other" // the label of the "Other" choice that or_other adds

	// Repeats: {{.Item}} is the repeat's noun for one instance ("person",
	// survey.Repeat.Item), {{.ItemTitle}} the same with a capital,
	// {{.N}} an instance's number and {{.Count}} how many there are.
	msgItem           = "repeat.item" // the noun when the survey gives none
	msgInstanceTitle  = "{{.ItemTitle}} {{.N}} of {{.Count}}"
	msgLabelTitle     = "{{.Repeat}} {{.N}} of {{.Count}}" // without a noun, by the repeat's label
	msgRemoveLabel    = "Remove this {{.Item}}"
	msgRemoveQuestion = "Remove {{.Item}} {{.N}}? The answers about {{.Item}} {{.N}} will be deleted."
	msgRepeatNone     = "No {{.Item}} added yet."
	msgRepeatSummary  = "{{.Count}} added so far."
	msgAddFirst       = "Add a {{.Item}}"
	msgAddFirstAn     = "Add an {{.Item}}" // English, before a vowel
	msgAddAnother     = "Add another {{.Item}}"
	// A repeat's limits (survey.Question.RepeatLimits), when its
	// constraint_message says nothing: {{.Items}} is "1 person", "3 people".
	msgRepeatAtLeast = "Add at least {{.Items}}."
	msgRepeatAtMost  = "You can add at most {{.Items}}. Please remove {{.N}}."
	msgRepeatExactly = "Add exactly {{.Items}}."
	msgRepeatFull    = "You can add at most {{.Items}}."
)

// catalogue holds the decoded translation files, by language code.
var catalogue struct {
	sync.Mutex
	files map[string]map[string]string
}

// translation returns the translation file of code (nil if there is none).
func translation(code string) map[string]string {
	catalogue.Lock()
	defer catalogue.Unlock()
	if m, ok := catalogue.files[code]; ok {
		return m
	}
	if catalogue.files == nil {
		catalogue.files = map[string]map[string]string{}
	}
	var m map[string]string
	if b, err := assets.Translations.ReadFile(path.Join(assets.TranslationsDir, code+".json")); err == nil {
		if json.Unmarshal(b, &m) != nil {
			m = nil
		}
	}
	catalogue.files[code] = m
	return m
}

// Message returns the message key in language code, then in English, then
// the key itself.
func Message(code, key string) string {
	if s := translation(code)[key]; s != "" {
		return s
	}
	if s := translation("en")[key]; s != "" {
		return s
	}
	return key
}
