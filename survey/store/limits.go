package store

// Limits on what the store keeps and what a bundle may bring. They are far
// above real use and stop a hostile or mistaken file (a 50 MB event name,
// a million questions) from costing gigabytes in every later list, export
// and merge. Survey definitions also meet survey's limits (survey.MaxQuestions…).
const (
	MaxIDLength         = 100       // bytes in a response, event or device id
	MaxEventNameLength  = 1_000     // bytes in an event's name or venue
	MaxEventNotesLength = 10_000    // bytes in an event's notes
	MaxAnswerLength     = 1 << 20   // bytes in one answer
	MaxResultLength     = 1 << 20   // bytes in a response's stored result (decision tool)
	MaxDefinitionLength = 8 << 20   // bytes in one survey definition
	MaxBundleSize       = 4 << 30   // bytes in a bundle file
	maxLanguageLength   = 35        // bytes in a language code (BCP 47)
	maxTemplateLength   = 200       // bytes in a template name
	maxVersion          = 1_000_000 // survey versions
)
