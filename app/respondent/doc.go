// Package respondent is what respondents see and touch: the form runner
// (one page at a time over a survey/run engine session, answers saved as
// they are given), its choice tiles, kiosk mode with its staff PIN, and
// the large-text / high-contrast theme. It holds no rule of the form (the
// engine does) and no staff screen (package app does); staff code starts
// a form or a kiosk with what it needs and gets control back through the
// config's callbacks.
package respondent
