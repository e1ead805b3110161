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
//     group is one page. Each instance of a repeat has its own pages (a
//     field-list repeat, or a field-list group in a repeat, one page per
//     instance), in instance order; a repeat without repeat_count is then
//     followed by its prompt page (Page.Prompt: "Add another person?"),
//     shown also when it has no instance, from which Next goes on past the
//     repeat. A page inside an instance says so in Page.Instance ("Person 2
//     of 3"). Pages change as instances come and go: front ends read Pages
//     and PageIndex again after AddInstance, RemoveInstance and Answer.
//     Next checks the current page and moves to the next relevant page;
//     Back moves to the previous relevant one; Progress says "page n of
//     total" among the relevant pages; CheckAll says whether the session
//     can be submitted and, if not, which page to show. Problems name the
//     instance key ("carers[2]/age").
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
// An answer is addressed by a key. Outside every repeat a key is the
// question's name. Inside a repeat it is the instance path before the
// name (survey.Key): "carers[2]/age" is the age of the second person,
// "carers[2]/services[1]/service" the first service of that person;
// instances count from 1. The same key is used in survey.Answers, the
// store, bundles and exports. Front ends never build keys: they get them
// from Page.Fields, Page.Instance and Page.Prompt and pass them back
// unchanged, and read the question of a key with Field.Question.
//
// # Repeats
//
// A repeat (a group with survey.Repeat) is answered once per instance.
// The session keeps how many instances each repeat has in each instance
// of its parent (Instances("carers"), Instances("carers[2]/services")):
//
//   - A repeat without repeat_count has the instances the respondent adds
//     (AddInstance) and removes (RemoveInstance). A response holds at most
//     survey.MaxInstances instances, all repeats together (so nested
//     counts cannot multiply into millions of questions). Removing one deletes its answers and those of
//     the instances nested in it and numbers the later instances down by
//     one; the store gets the whole change in one transaction
//     (Store.SaveAnswers), and if it fails the session keeps the old
//     instances. An added instance that holds no answer is not stored, so
//     a resumed draft does not have it.
//   - A repeat with repeat_count has exactly the instances its count gives
//     now (blank, negative or not a number: none). When the count falls,
//     the answers of the instances beyond it are cleared (from Answers and,
//     at the next Save, from the store), like the answers of questions no
//     longer relevant; but the session keeps them aside until Finish, and
//     if the count rises again they come back, so a respondent correcting
//     "2" to "3" (through a blank count) or "12" to "13" loses nothing.
//     New instances get their defaults. A count that fails to evaluate keeps the instances;
//     one that would pass survey.MaxInstances in all stops there (a Fault).
//     A count that reads an answer breaking its own check (50000 where the
//     question allows at most 20) is not a count yet: the instances stay.
//
// A repeat without repeat_count is limited by its constraint, as XLSForm
// writes it on the begin_repeat row (pyxform puts it on the repeat's bind):
// "count(${people}) >= 1 and count(${people}) <= 5", with the
// constraint_message beside it. It is evaluated in the repeat's parent
// instance, with '.' as its number of instances, and checked on its
// prompt page: Next there, CheckAll and Finish report a Problem keyed by
// the repeat's key ("people", "carers[2]/services") with the
// constraint_message, or, when there is none and the constraint has the
// form survey.Question.RepeatLimits reads, "Add at least 1 person.", "Add
// exactly 2 people." or "You can add at most 3 people. Please remove 1.".
// A repeat that is not relevant is not checked. When RepeatLimits reads a
// maximum, the prompt's CanAdd is false there and AddInstance refuses;
// for a constraint of any other form Canvass cannot know what one more
// instance would do, so only Next is refused. The constraint of a repeat
// with repeat_count is not checked (the count decides).
//
// Resume rebuilds the instances from the keys of the stored answers: a
// repeat has as many instances as the highest index they name.
//
// Inside an instance, ${x} means the x of the same instance when x lies
// in the same repeat, and the x of the enclosing instance when x lies in
// an outer one; so the relevance, constraint, calculation, choice filter,
// required and default of a question in a repeat work per instance, and
// labels read ${x} the same way (Text in the current page's instance,
// TextAt in any other). Elsewhere — outside the repeat, or from another
// repeat — ${x} is the x of the first instance (XPath's value of a set of
// answers); to take all of them use count(${x}), sum(${x}), max(${x}),
// min(${x}) or join(', ', ${x}), which go over every instance of each
// repeat around x that the expression is not inside; count(${r}) of a
// repeat r counts its instances. sum, max and min of a set holding a
// blank answer are blank, as in ODK. indexed-repeat(${x}, ${r}, n) is the
// x of the n-th instance of r (with up to three repeat and index pairs
// for nested repeats), and position(..) the index of the instance the
// expression is in.
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
