// Package run is Canvass's form-filling engine: one Session runs one
// respondent through one version of a survey. Every front end — the Fyne
// form and kiosk, the decision tool, the web form, `canvass decide` and
// `canvass demo` — drives a Session and only shows and collects; no rule of
// the form lives anywhere else. It knows nothing of Fyne, HTTP or SQL
// (answers are persisted through the small Store interface). Its model is
// JavaRosa's FormEntryController, which ODK Collect wraps and never
// reimplements.
//
// # What a session does
//
//   - Answer(key, value) takes a value in its stored form (choice names,
//     2006-01-02, decimal strings) and AnswerText(key, text) takes what a
//     respondent typed (12,500 or ٣ or 3pm). Both return a Check: OK,
//     RequiredEmpty, ConstraintViolated or Unreadable, with the message in
//     the respondent's language (the survey's own required_message and
//     constraint_message, else Canvass's translations). Like the Fyne form
//     always did, and unlike JavaRosa, an answer that breaks its constraint
//     is kept (a kiosk saves every keystroke) but the page cannot be left
//     until it is put right. A value that is not a value of its type
//     (Unreadable) is not kept: the answer becomes blank and Check keeps
//     reporting the problem until the next answer.
//   - After every change the session settles: calculations are recomputed,
//     answers of questions that are no longer relevant are cleared (a stale
//     answer is never stored or scored), chosen choices that a
//     choice_filter no longer offers are dropped, and the "Other" text goes
//     when "Other" is no longer chosen. Defaults are given when the session
//     is created. Metadata is filled in when the first answer is given
//     (start, today, deviceid, username) and at submission (end).
//   - Pages: a question outside a field-list group is a page; a field-list
//     group is one page. Next checks the current page and moves to the next
//     relevant page; Back moves to the previous relevant one; Progress says
//     "page n of total" among the relevant pages; CheckAll says whether the
//     session can be submitted and, if not, which page to show.
//   - Persistence: Save writes every answer that changed since the last
//     save, one Store.SaveAnswer each (autosave), starting the response at
//     the first save after the first answer, so a form nobody touched
//     stores nothing. Submit saves what is left and then calls
//     Store.Submit with the final answers, which the store compares with
//     what it holds: answers already saved are not written again. A failed
//     save keeps everything in memory; the next Save retries.
//
// # Addressing answers
//
// An answer is addressed by a key. Today a key is the question's name,
// which is also the key of the answer in survey.Answers and in the store.
// Front ends must not assume that: they get keys from Page.Fields and pass
// them back unchanged, and read the question of a key with Field.Question.
// Repeat groups will give each instance's questions their own keys
// (an instance path before the name) without changing this API.
//
// # An expression that fails at run time
//
// One rule, chosen for respondents' safety: an expression that fails to
// evaluate (a function given text where it needs a number, a regex that
// does not compile, …) counts as if its column were empty. So a failing
// relevant shows the question, a failing constraint accepts the answer, a
// failing choice_filter offers the choice, and a failing calculation is
// blank. A faulty survey can thus never hide a question from a
// respondent, block them from going on, or leave them without choices.
// Every failure is recorded, once per question and column, in Faults, so
// front ends and staff tools can report the fault. Expressions that do
// not parse are refused by New.
//
// A Session is not safe for concurrent use; a front end drives it from one
// goroutine (the Fyne main goroutine, one HTTP request at a time, …).
package run
