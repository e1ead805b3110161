package respondent

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/app/wheel"
	"canvass/survey"
	"canvass/survey/run"
)

// ResponseStore is what the form runner needs from the store: the engine's
// run.Store. *store.Store satisfies it, and tests inject fakes (a failing
// one, for instance).
type ResponseStore = run.Store

// Scheduler runs f once after d on the Fyne main goroutine; the returned
// function cancels it. Tests inject a manual scheduler to run time by hand.
type Scheduler interface {
	AfterFunc(d time.Duration, f func()) (stop func())
}

// timerScheduler is the real Scheduler: time.AfterFunc handed to fyne.Do.
type timerScheduler struct{}

// AfterFunc runs f after d through fyne.Do; once stop has been called
// (on the main goroutine), f never runs, even if the timer already fired.
func (timerScheduler) AfterFunc(d time.Duration, f func()) func() {
	cancelled := false // read and written on the main goroutine only
	t := time.AfterFunc(d, func() {
		fyne.Do(func() {
			if !cancelled {
				f()
			}
		})
	})
	return func() { cancelled = true; t.Stop() }
}

// Submission is what OnSubmit receives once the store has confirmed a submission.
type Submission struct {
	ResponseID string // "" in preview
	Answers    survey.Answers
	Result     []byte // from OnResult, if any
}

// FormConfig says which survey the form runs and where its answers go.
type FormConfig struct {
	Survey   *survey.Survey
	Store    ResponseStore // may be nil only in preview
	Language string        // "" means the survey's default language
	Preview  bool          // nothing is saved (the survey editor's preview)
	DeviceID string        // for deviceid questions; "" takes the store's from the started response
	Username string        // for username questions: the staff name from Settings

	Context   context.Context  // for store calls; nil means context.Background()
	Clock     func() time.Time // nil means time.Now
	Scheduler Scheduler        // nil means real timers through fyne.Do
	// SaveDelay is how long typing must pause before a typed answer is
	// saved (it is also saved on focus loss and on Back/Next); default 400 ms.
	SaveDelay time.Duration
	// RetryDelay is how long after a failed save the form tries again on its
	// own (it also retries on every change); default 10 s.
	RetryDelay time.Duration

	// OnResult, when set, runs at Submit with the final answers: result is
	// stored with the response and view (if not nil) is shown on a last
	// screen before OnSubmit. Scored surveys hook the decision result here.
	OnResult func(answers survey.Answers) (result []byte, view fyne.CanvasObject, err error)
	// OnSubmit runs once the store has confirmed the submission (and after
	// the respondent has pressed Finish on the result screen, if there is one).
	OnSubmit func(Submission)
	// OnCancel, when set, puts a Leave button on the form; the answers given
	// so far stay saved as a draft.
	OnCancel func()
	// OnActivity runs on every tap, key and answer (kiosk mode's idle timer).
	OnActivity func()
	// OnEscape runs when Escape is pressed anywhere on the form.
	OnEscape func()
}

// Default delays.
const (
	DefaultSaveDelay  = 400 * time.Millisecond
	DefaultRetryDelay = 10 * time.Second
)

// Form runs one respondent through a survey: one page at a time, answers
// saved the moment they are given. Every rule of the form (skip logic,
// calculations, checks, pages) is the engine's (survey/run); the form only
// shows the session and collects answers for it. All methods must be
// called on the Fyne main goroutine.
type Form struct {
	// PreviewNote says on every page of a preview that nothing is saved
	// (hidden when the form saves).
	PreviewNote *widget.Label

	cfg   FormConfig
	s     *survey.Survey
	sess  *run.Session
	ctx   context.Context
	sched Scheduler

	fields  map[string]*Field // by answer key, for every field of the session's pages now
	syncing bool              // widgets are being set from answers: ignore their callbacks

	saveErr     error // last save failure, shown in the banner
	stopRetry   func()
	stopSave    func() // pending debounced save
	typedField  string // field whose typing the debounced save will re-check
	stopped     bool
	finishShown bool
	finishSub   Submission

	// widgets
	th           *AccessibleTheme
	override     *container.ThemeOverride
	body         *fyne.Container // page area, or the result screen
	column       *fyne.Container
	scroll       *container.Scroll
	title        *widget.Label
	langRow      *fyne.Container
	langButtons  map[string]*widget.Button
	banner       *fyne.Container
	summary      *errorSummary // "There is a problem" after a failed Next
	root         *fyne.Container
	bannerBg     *canvas.Rectangle
	background   *canvas.Rectangle // the form's own background, so high contrast is black
	bannerText   *widget.Label
	progressText *widget.Label
	progress     *widget.ProgressBar
	back, next   *KeyButton
	leave        *widget.Button
	largeText    *widget.Check
	highContrast *widget.Check
	widths       []*centredLayout
	shownOn      fyne.Canvas // the canvas the form is put on (AttachKeys, kiosk mode)
	rep          repeatView  // instance and prompt pages of repeats
	shownKeys    []string    // the answer keys of the page shown
}

// ErrNoPages is returned for a survey with nothing to show.
var ErrNoPages = run.ErrNoPages

// NewForm builds a form for a new respondent. Nothing is stored until the
// first answer is given. The error names the faulty expression, if any.
func NewForm(cfg FormConfig) (*Form, error) {
	if err := checkConfig(cfg); err != nil {
		return nil, err
	}
	sess, err := run.New(sessionConfig(cfg))
	if err != nil {
		return nil, fmt.Errorf("new form: %w", err)
	}
	f := newForm(cfg, sess)
	f.showAllValues()
	f.showPage()
	return f, nil
}

// ResumeForm builds a form that continues a stored draft response (staff
// resume), opening at the first page after the last one answered.
func ResumeForm(cfg FormConfig, resp *survey.Response) (*Form, error) {
	if resp == nil {
		return nil, errors.New("resume form: no response")
	}
	if cfg.Survey != nil && (resp.SurveyID != cfg.Survey.ID || resp.SurveyVersion != cfg.Survey.Version) {
		return nil, fmt.Errorf("resume response %s: it answers survey %q version %d, not %q version %d",
			resp.ID, resp.SurveyID, resp.SurveyVersion, cfg.Survey.ID, cfg.Survey.Version)
	}
	if resp.Status == survey.StatusComplete {
		return nil, fmt.Errorf("resume response %s: it has already been submitted", resp.ID)
	}
	if err := checkConfig(cfg); err != nil {
		return nil, err
	}
	sess, err := run.Resume(sessionConfig(cfg), resp)
	if err != nil {
		return nil, fmt.Errorf("resume form: %w", err)
	}
	f := newForm(cfg, sess)
	f.showAllValues()
	f.showPage()
	return f, nil
}

// checkConfig refuses a config without a survey, or without a store outside preview.
func checkConfig(cfg FormConfig) error {
	if cfg.Survey == nil {
		return errors.New("new form: no survey")
	}
	if cfg.Store == nil && !cfg.Preview {
		return fmt.Errorf("new form for survey %q: no store (set Preview to run without one)", cfg.Survey.ID)
	}
	return nil
}

// sessionConfig is the engine's config for the form's: a preview stores nothing.
func sessionConfig(cfg FormConfig) run.Config {
	rc := run.Config{Survey: cfg.Survey, Store: cfg.Store, Language: cfg.Language, DeviceID: cfg.DeviceID, Username: cfg.Username, Clock: cfg.Clock}
	if cfg.Preview {
		rc.Store = nil
	}
	return rc
}

// newForm builds the widgets of a form over the session.
func newForm(cfg FormConfig, sess *run.Session) *Form {
	f := &Form{
		cfg:    cfg,
		s:      cfg.Survey,
		sess:   sess,
		ctx:    cfg.Context,
		sched:  cfg.Scheduler,
		fields: map[string]*Field{},
		th:     &AccessibleTheme{Base: staffChoice()},
	}
	if f.ctx == nil {
		f.ctx = context.Background()
	}
	if f.sched == nil {
		f.sched = timerScheduler{}
	}
	if f.cfg.SaveDelay <= 0 {
		f.cfg.SaveDelay = DefaultSaveDelay
	}
	if f.cfg.RetryDelay <= 0 {
		f.cfg.RetryDelay = DefaultRetryDelay
	}
	f.build()
	return f
}

// Content returns the form's whole screen (themed for large text / high contrast).
func (f *Form) Content() fyne.CanvasObject { return f.override }

// Pages returns the form's pages as the session lays them out now (a
// repeat's pages once per instance); PageIndex indexes them.
func (f *Form) Pages() []survey.Page {
	var out []survey.Page
	for _, p := range f.sess.Pages() {
		sp := survey.Page{Group: p.Group}
		for _, fl := range p.Fields {
			sp.Questions = append(sp.Questions, fl.Question)
		}
		out = append(out, sp)
	}
	return out
}

// PageIndex returns the index, in Pages(), of the page shown.
func (f *Form) PageIndex() int { return f.sess.PageIndex() }

// Page returns the page shown, with the answer key of each of its fields.
func (f *Form) Page() run.Page { return f.sess.Page() }

// PageNumber returns the shown page's position among the pages relevant
// now, counting from 1, and how many there are ("Page 3 of 9").
func (f *Form) PageNumber() (n, total int) { return f.sess.Progress() }

// Session returns the engine session the form shows.
func (f *Form) Session() *run.Session { return f.sess }

// Answers returns a copy of the answers as the form holds them.
func (f *Form) Answers() survey.Answers { return f.sess.Answers() }

// Field returns the input of the answer key (a question's name, or its
// instance key inside a repeat: "people[2]/name"), or nil if it has none.
func (f *Form) Field(key string) *Field { return f.fields[key] }

// Errors returns the error texts shown now, by question name.
func (f *Form) Errors() map[string]string {
	out := map[string]string{}
	for name, fd := range f.fields {
		if fd.errText != "" {
			out[name] = fd.errText
		}
	}
	return out
}

// Banner returns the save-failure message shown, or "" when saving works.
func (f *Form) Banner() string {
	if f.banner.Hidden {
		return ""
	}
	return f.bannerText.Text
}

// ResponseID returns the stored response's id, "" until it has been started.
func (f *Form) ResponseID() string { return f.sess.ResponseID() }

// Language returns the language the form is shown in.
func (f *Form) Language() string { return f.sess.Language() }

// Started reports whether the respondent has given any answer.
func (f *Form) Started() bool { return f.sess.Started() }

// Unsaved reports whether the form holds answers the store has not
// confirmed (always false in preview and before the first answer).
func (f *Form) Unsaved() bool { return f.sess.Unsaved() }

// Submitted reports whether the store has confirmed the submission.
func (f *Form) Submitted() bool { return f.sess.Submitted() }

// BackButton returns the Back button.
func (f *Form) BackButton() *KeyButton { return f.back }

// NextButton returns the Next button; on the last page it reads Submit, and
// on the result screen Finish.
func (f *Form) NextButton() *KeyButton { return f.next }

// LeaveButton returns the Leave button (nil without OnCancel).
func (f *Form) LeaveButton() *widget.Button { return f.leave }

// LanguageButton returns the button that switches to the language code (nil if none).
func (f *Form) LanguageButton(code string) *widget.Button { return f.langButtons[code] }

// LargeTextToggle returns the "Larger text" check.
func (f *Form) LargeTextToggle() *widget.Check { return f.largeText }

// HighContrastToggle returns the "High contrast" check.
func (f *Form) HighContrastToggle() *widget.Check { return f.highContrast }

// Theme returns the form's theme as the toggles have set it.
func (f *Form) Theme() *AccessibleTheme { return f.th }

// AttachKeys routes the keys that reach canvas c with nothing focused to
// the form: Enter moves on, digits 1–9 pick a choice, Escape calls OnEscape.
// (Focused tiles and entries pass these keys on themselves; Tab and
// Shift+Tab move focus as usual.)
func (f *Form) AttachKeys(c fyne.Canvas) {
	f.shownOn = c
	c.SetOnTypedKey(f.TypedKey)
	c.SetOnTypedRune(f.TypedRune)
	f.FocusFirst()
}

// FocusFirst puts the keyboard focus on the first field of the page shown
// (the form does so itself on every page change once it is on screen).
func (f *Form) FocusFirst() {
	if f.stopped || f.sess.Submitted() || f.finishShown {
		return
	}
	f.focusFirstField()
}

// TypedKey handles a key for the form as a whole.
func (f *Form) TypedKey(ev *fyne.KeyEvent) {
	if f.stopped {
		return
	}
	f.activity()
	if f.RemoveShown() {
		// The "Remove?" question is open: Escape cancels it; nothing reaches the page.
		if ev.Name == fyne.KeyEscape {
			f.cancelRemove()
		}
		return
	}
	switch ev.Name {
	case fyne.KeyEscape:
		if f.cfg.OnEscape != nil {
			f.cfg.OnEscape()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		f.Next()
	}
}

// TypedRune handles a typed character for the form as a whole when the
// page shows a single choice question: 1–9 pick (or toggle) the n-th
// choice shown; on a number scale (range, rating) 0–9 pick that number.
func (f *Form) TypedRune(r rune) {
	if f.stopped {
		return
	}
	f.activity()
	if f.sess.Submitted() || f.finishShown || f.RemoveShown() {
		return
	}
	fd := f.singleChoiceField()
	if fd == nil {
		return
	}
	if fd.Question.Type == survey.TypeAcknowledge {
		// A consent page: Space or 1 ticks (or unticks) "I agree".
		if (r == ' ' || r == '1') && len(fd.Tiles) > 0 {
			fd.Tiles[0].Tapped(nil)
		}
		return
	}
	if r < '0' || r > '9' {
		return
	}
	if fd.Question.Type == survey.TypeRange {
		// On a 0–10 scale "5" means five, not the fifth tile.
		if t := fd.Tile(string(r)); t != nil {
			t.Tapped(nil)
		}
		return
	}
	if tiles, i := fd.shownTiles(), int(r-'1'); i >= 0 && i < len(tiles) {
		tiles[i].Tapped(nil)
	}
}

// singleChoiceField returns the page's only shown question if it is
// answered by tiles (choices, Likert, rating).
func (f *Form) singleChoiceField() *Field {
	var only *Field
	for _, fl := range f.sess.Page().Fields {
		fd := f.fields[fl.Key]
		if fd == nil || fd.box.Hidden {
			continue
		}
		if fl.Question.Type == survey.TypeNote {
			continue
		}
		if only != nil {
			return nil
		}
		only = fd
	}
	if only == nil || len(only.Tiles) == 0 || only.Question.Type == survey.TypeRank {
		return nil
	}
	return only
}

// activity reports an interaction to OnActivity.
func (f *Form) activity() {
	if f.cfg.OnActivity != nil {
		f.cfg.OnActivity()
	}
}

// Next validates the page and moves to the next relevant page, or submits
// on the last one. It reports whether the form moved on.
func (f *Form) Next() bool {
	if f.stopped || f.sess.Submitted() {
		if f.finishShown {
			f.finish()
		}
		return false
	}
	f.saveNow()
	if !f.validatePage() {
		return false
	}
	if f.sess.IsLast() {
		return f.Submit()
	}
	if moved, _ := f.sess.Next(); !moved {
		return false
	}
	f.showPage()
	return true
}

// Back moves to the previous relevant page, keeping every answer.
func (f *Form) Back() bool {
	if f.finishShown {
		return f.ChangeAnswers()
	}
	if f.stopped || f.sess.Submitted() {
		return false
	}
	f.saveNow()
	if !f.sess.Back() {
		return false
	}
	f.showPage()
	return true
}

// validatePage shows the errors of the shown page's questions, as the
// engine checks them, and reports whether there are none.
func (f *Form) validatePage() bool {
	f.readDates()
	bad := map[string]string{}
	for _, p := range f.sess.CheckPage(f.sess.PageIndex()) {
		bad[p.Key] = p.Message
	}
	for _, fl := range f.sess.Page().Fields {
		if fd := f.fields[fl.Key]; fd != nil {
			fd.setError(bad[fl.Key])
		}
	}
	if pr := f.sess.Page().Prompt; pr != nil {
		f.setPromptError(bad[pr.Key])
	}
	if len(bad) > 0 {
		f.showErrorSummary()
	}
	return len(bad) == 0
}

// readDates tells the engine about date boxes whose text is not a date
// (the date entry does not report a change for text it cannot read).
func (f *Form) readDates() {
	for key, fd := range f.fields {
		if fd.Date != nil && fd.Date.Text != "" && fd.Date.Validate() != nil && f.sess.Check(key).Outcome != run.Unreadable {
			f.sess.MarkUnreadable(key)
		}
	}
}

// Submit checks every relevant page, stores the final answers (and the
// result from OnResult) and, once the store has confirmed, calls OnSubmit.
// If the store fails the answers stay on screen and the banner says why.
func (f *Form) Submit() bool {
	if f.stopped || f.sess.Submitted() {
		return false
	}
	f.saveNow()
	f.readDates()
	if page, _ := f.sess.Finish(); page >= 0 {
		if page != f.sess.PageIndex() {
			f.sess.GoTo(page)
			f.showPage()
		}
		f.validatePage()
		return false
	}
	var result []byte
	var view fyne.CanvasObject
	var resultErr error
	if f.cfg.OnResult != nil {
		result, view, resultErr = f.cfg.OnResult(f.Answers())
		if resultErr != nil {
			result, view = nil, nil
		}
	}
	if err := f.sess.Submit(f.ctx, result); err != nil {
		f.saveFailed(err)
		return false
	}
	f.saveOK()
	f.cancelTimers()
	f.unfocus()
	sub := Submission{ResponseID: f.sess.ResponseID(), Answers: f.Answers(), Result: result}
	if view != nil || resultErr != nil {
		f.showResult(view, resultErr, sub)
		return true
	}
	f.showDone()
	if f.cfg.OnSubmit != nil {
		f.cfg.OnSubmit(sub)
	}
	return true
}

// Flush stores every answer not yet stored (typed text included). It
// returns the store's error, which the banner also shows.
func (f *Form) Flush() error {
	if f.stopped {
		return nil
	}
	return f.save()
}

// Abandon marks a started, unsubmitted response as abandoned after storing
// what it can (kiosk inactivity). A form never answered stores nothing.
func (f *Form) Abandon() error {
	if f.stopped || f.sess.Submitted() || f.cfg.Preview || !f.sess.Started() {
		return nil
	}
	f.save()
	return f.sess.Abandon(f.ctx)
}

// Stop cancels the form's timers; a stopped form does nothing more.
func (f *Form) Stop() {
	f.cancelTimers()
	f.stopped = true
	f.closeRemove()
}

func (f *Form) cancelTimers() {
	if f.stopSave != nil {
		f.stopSave()
		f.stopSave = nil
	}
	if f.stopRetry != nil {
		f.stopRetry()
		f.stopRetry = nil
	}
}

// SetLanguage switches every label to code and records the language on the response.
func (f *Form) SetLanguage(code string) {
	if f.stopped || !f.sess.SetLanguage(code) {
		return
	}
	f.activity()
	f.showAllValues() // a choice_filter may compare labels
	f.updateVisibility()
	f.updateNav()
	f.refreshTexts()
	if f.sess.ResponseID() != "" {
		f.save()
	}
}

// setAnswer gives the engine a respondent's answer in its stored form and
// saves now (choices) or after typing pauses (sliders while they move).
func (f *Form) setAnswer(fd *Field, value string, immediate bool) {
	f.answer(fd, func() (run.Check, []string) { return f.sess.Answer(fd.key, value) }, immediate)
}

// setText gives the engine what the respondent typed; it is saved once
// typing pauses.
func (f *Form) setText(fd *Field, text string) {
	f.answer(fd, func() (run.Check, []string) { return f.sess.AnswerText(fd.key, text) }, false)
}

// answer applies a change through the engine, shows what it changed in
// turn and saves.
func (f *Form) answer(fd *Field, apply func() (run.Check, []string), immediate bool) {
	if f.syncing || f.stopped || f.sess.Submitted() {
		return
	}
	f.activity()
	check, changed := apply()
	if len(changed) > 0 {
		f.showChanged(fd, changed)
	}
	f.followPages()
	if fd.errText != "" || immediate {
		fd.setError(check.Message)
	}
	if immediate {
		f.saveNow()
	} else {
		f.typedField = fd.key
		f.saveLater()
	}
}

// setOther gives the engine the text of an "Other" choice.
func (f *Form) setOther(fd *Field, text string) {
	if f.syncing || f.stopped || f.sess.Submitted() {
		return
	}
	f.activity()
	check := f.sess.AnswerOther(fd.key, text)
	if fd.errText != "" {
		fd.setError(check.Message)
	}
	f.typedField = fd.key
	f.saveLater()
}

// showChanged shows the answers the engine changed (calculations, answers
// cleared because their question is no longer relevant or their choice no
// longer offered), except the input being used, and updates the page.
func (f *Form) showChanged(using *Field, changed []string) {
	f.syncing = true
	for _, key := range changed {
		if fd := f.fields[key]; fd != nil && fd != using {
			fd.show(f.sess.Value(key))
			fd.setError("")
		}
	}
	for _, fd := range f.fields {
		if fd.Other != nil {
			fd.showOther(f.sess.Other(fd.key))
		}
	}
	f.syncing = false
	f.updateVisibility()
	f.updateNav()
}

// showAllValues sets every widget from the answers.
func (f *Form) showAllValues() {
	f.syncing = true
	defer func() { f.syncing = false }()
	for key, fd := range f.fields {
		fd.show(f.sess.Value(key))
		if fd.Other != nil {
			fd.showOther(f.sess.Other(key))
		}
	}
}

// showPage shows the session's current page and puts the keyboard focus
// on its first field.
func (f *Form) showPage() {
	p := f.sess.Page()
	f.hideErrorSummary()
	objs := []fyne.CanvasObject{}
	if f.sess.IsFirst() && len(f.s.Languages) > 1 {
		objs = append(objs, f.langRow)
	}
	objs = append(objs, f.repeatObjects(p)...)
	if p.Group != nil && !p.Group.Label.Empty() {
		objs = append(objs, groupHeading(f.sess.Text(p.Group.Label)))
	}
	f.shownKeys = f.shownKeys[:0]
	for _, fl := range p.Fields {
		f.shownKeys = append(f.shownKeys, fl.Key)
		if fd := f.fields[fl.Key]; fd != nil {
			fd.setError("")
			objs = append(objs, fd.box)
		}
	}
	f.column.Objects = objs
	f.refreshTexts()
	f.updateVisibility()
	f.updateNav()
	f.override.Refresh() // new objects in the column must pick up the form's theme
	f.scroll.ScrollToTop()
	f.focusFirstField()
}

// focusFirstField puts the keyboard focus on the first input of the page's
// first shown question — its text entry, date box, first choice tile,
// drop-down or slider — so typing and digits go to the page on screen.
// With nothing to focus (a page of notes) the focus is taken away, so no
// key reaches a widget of a page no longer shown.
func (f *Form) focusFirstField() {
	c := f.canvas()
	if c == nil {
		return
	}
	for _, fl := range f.sess.Page().Fields {
		fd := f.fields[fl.Key]
		if fd == nil || fd.box.Hidden || fl.Question.Type == survey.TypeNote {
			continue
		}
		if w := fd.focusTarget(); w != nil {
			c.Focus(w)
			return
		}
		break
	}
	c.Unfocus()
}

// unfocus takes the keyboard focus away from the form's widgets.
func (f *Form) unfocus() {
	if c := f.canvas(); c != nil {
		c.Unfocus()
	}
}

// canvas returns the canvas the form is shown on, or nil. The driver
// learns a form just put on screen only when it draws it, so until then
// the canvas given to AttachKeys (or kiosk mode's) stands in.
func (f *Form) canvas() fyne.Canvas {
	if c := fyne.CurrentApp().Driver().CanvasForObject(f.override); c != nil {
		return c
	}
	return f.shownOn
}

// updateVisibility shows the relevant questions of the page and hides the
// rest, and offers each choice question the choices the engine offers.
func (f *Form) updateVisibility() {
	for _, fl := range f.sess.Page().Fields {
		fd := f.fields[fl.Key]
		if fd == nil {
			continue
		}
		f.filterChoices(fd)
		if f.sess.Relevant(fl.Key) {
			fd.box.Show()
		} else {
			fd.box.Hide()
			fd.setError("")
		}
		fd.updateOtherVisibility()
	}
	f.keepFocusOnScreen()
}

// keepFocusOnScreen moves the focus to the page's first field when the
// widget holding it has just been hidden (its question is no longer
// relevant, or "Other" is no longer chosen), so no key reaches it.
func (f *Form) keepFocusOnScreen() {
	c := f.canvas()
	if c == nil || c.Focused() == nil {
		return
	}
	foc := c.Focused()
	for _, fd := range f.fields {
		if fd.owns(foc) {
			if fd.box.Hidden || !f.onPage(fd) || (fd.Other == foc && fd.otherBox.Hidden) {
				f.focusFirstField()
			}
			return
		}
	}
}

// onPage reports whether fd is a question of the page shown.
func (f *Form) onPage(fd *Field) bool {
	for _, fl := range f.sess.Page().Fields {
		if fl.Key == fd.key {
			return true
		}
	}
	return false
}

// filterChoices offers fd the choices the engine offers now (its choice_filter).
func (f *Form) filterChoices(fd *Field) {
	if !f.sess.Filtered(fd.key) {
		return
	}
	offered := map[string]bool{}
	for _, c := range f.sess.Choices(fd.key) {
		offered[c.Name] = true
	}
	idx := []int{}
	for i, c := range fd.choices {
		if offered[c.Name] {
			idx = append(idx, i)
		}
	}
	fd.setShown(idx)
}

// updateNav updates progress and the Back / Next / Submit buttons.
func (f *Form) updateNav() {
	n, total := f.PageNumber()
	f.progressText.SetText(lang.L("Page {{.Page}} of {{.Total}}", map[string]any{"Page": n, "Total": total}))
	if total > 0 {
		f.progress.SetValue(float64(n) / float64(total))
	}
	if f.sess.IsFirst() {
		f.back.Disable()
	} else {
		f.back.Enable()
	}
	if f.sess.IsLast() {
		f.next.SetText(lang.L("Submit"))
		f.next.SetIcon(theme.ConfirmIcon())
	} else {
		f.next.SetText(lang.L("Next"))
		f.next.SetIcon(theme.NavigateNextIcon())
	}
}

// refreshTexts shows every label in the current language.
func (f *Form) refreshTexts() {
	f.title.SetText(f.sess.Text(f.s.Title))
	f.refreshRepeat(f.sess.Page())
	for _, fl := range f.sess.Page().Fields {
		if fd := f.fields[fl.Key]; fd != nil {
			fd.refreshTexts()
		}
	}
	for code, b := range f.langButtons {
		if code == f.sess.Language() {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
	if f.leave != nil {
		f.leave.SetText(lang.L("Leave"))
	}
	f.back.SetText(lang.L("Back"))
	f.largeText.Text = lang.L("Larger text")
	f.largeText.Refresh()
	f.highContrast.Text = lang.L("High contrast")
	f.highContrast.Refresh()
}

// setTheme applies the accessibility toggles.
func (f *Form) setTheme(large, contrast bool) {
	f.th = &AccessibleTheme{Base: f.th.Base, LargeText: large, HighContrast: contrast}
	f.override.Theme = f.th
	for _, l := range f.widths {
		l.max = columnWidth(f.th)
	}
	f.refreshColours()
	f.override.Refresh()
	f.activity() // after the change: kiosk mode paints its Staff strip in the new theme
}

// build creates the form's widgets.
func (f *Form) build() {
	f.syncFields()
	f.title = widget.NewLabel("")
	f.title.TextStyle = fyne.TextStyle{Bold: true}
	f.title.Truncation = fyne.TextTruncateEllipsis

	f.langButtons = map[string]*widget.Button{}
	langs := []fyne.CanvasObject{}
	for _, l := range f.s.Languages {
		code := l.Code
		name := l.Name
		if name == "" {
			name = code
		}
		b := widget.NewButton(name, func() { f.SetLanguage(code) })
		f.langButtons[code] = b
		langs = append(langs, b)
	}
	f.langRow = f.hbox(append([]fyne.CanvasObject{widget.NewIcon(theme.ComputerIcon())}, langs...)...)

	f.largeText = widget.NewCheck("", func(on bool) { f.setTheme(on, f.th.HighContrast) })
	f.highContrast = widget.NewCheck("", func(on bool) { f.setTheme(f.th.LargeText, on) })

	f.bannerText = widget.NewLabel("")
	f.bannerText.Wrapping = fyne.TextWrapWord
	f.bannerBg = canvas.NewRectangle(nil)
	f.banner = container.NewStack(f.bannerBg, f.border(nil, nil,
		widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())), nil, f.bannerText))
	f.banner.Hide()
	f.summary = f.newErrorSummary()

	f.buildRepeatView()
	f.column = f.vbox()
	f.scroll = container.NewVScroll(wheel.To(f.centred(f.padded(f.column)), func() *container.Scroll { return f.scroll }))

	f.progressText = widget.NewLabel("")
	f.progress = widget.NewProgressBar()
	f.progress.TextFormatter = func() string { return "" }
	f.back = f.newKeyButton(theme.NavigateBackIcon(), func() { f.activity(); f.Back() })
	f.next = f.newKeyButton(theme.NavigateNextIcon(), func() { f.activity(); f.Next() })
	f.next.Importance = widget.HighImportance
	f.next.IconPlacement = widget.ButtonIconTrailingText

	tools := f.hbox(f.largeText, f.highContrast)
	var left fyne.CanvasObject
	if f.cfg.OnCancel != nil {
		f.leave = widget.NewButtonWithIcon("", theme.CancelIcon(), func() {
			f.activity()
			f.saveNow()
			f.Stop()
			f.cfg.OnCancel()
		})
		f.leave.Importance = widget.LowImportance
		left = f.leave
	}
	f.PreviewNote = widget.NewLabelWithStyle(lang.L("Preview: nothing is saved. Answers given here are not kept."),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.PreviewNote.Importance = widget.WarningImportance
	f.PreviewNote.Wrapping = fyne.TextWrapWord
	if !f.cfg.Preview {
		f.PreviewNote.Hide()
	}
	header := f.centred(f.vbox(
		f.border(nil, nil, left, tools, f.title),
		f.PreviewNote,
		f.banner,
		f.summary.box,
	))
	footer := f.centred(f.padded(f.vbox(
		f.border(nil, nil, f.progressText, nil, container.New(&thinLayout{height: 10}, f.progress)),
		f.border(nil, nil, f.back, f.next),
	)))
	f.body = container.NewStack(f.scroll)
	root := f.border(
		f.vbox(header, widget.NewSeparator()),
		f.vbox(widget.NewSeparator(), footer),
		nil, nil, f.body)
	f.root = root
	f.background = canvas.NewRectangle(nil)
	f.override = container.NewThemeOverride(container.NewStack(f.background, root), f.th)
	f.refreshColours()
}

// syncFields makes f.fields hold one Field for every field of the
// session's pages now: it builds those of new keys (an instance added) and
// drops those of keys gone (an instance removed). It returns the fields
// built and whether any was dropped; values are not shown here.
func (f *Form) syncFields() (built []*Field, dropped bool) {
	keep := map[string]bool{}
	for _, p := range f.sess.Pages() {
		for _, fl := range p.Fields {
			keep[fl.Key] = true
			if _, ok := f.fields[fl.Key]; ok {
				continue
			}
			if fd := f.buildField(fl); fd != nil {
				f.fields[fl.Key] = fd
				built = append(built, fd)
			}
		}
	}
	for key := range f.fields {
		if !keep[key] {
			delete(f.fields, key)
			dropped = true
		}
	}
	return built, dropped
}

// followPages follows the engine's pages after an answer (answering a
// repeat_count adds or removes instances): new fields show their answers
// (defaults), and the page is shown again if its questions changed.
func (f *Form) followPages() {
	built, dropped := f.syncFields()
	if len(built) == 0 && !dropped {
		return
	}
	f.syncing = true
	for _, fd := range built {
		fd.show(f.sess.Value(fd.key))
		if fd.Other != nil {
			fd.showOther(f.sess.Other(fd.key))
		}
	}
	f.syncing = false
	if !slices.Equal(f.shownKeys, f.pageKeys()) {
		f.showPage()
		return
	}
	f.updateNav()
}

// pageKeys returns the answer keys of the session's current page.
func (f *Form) pageKeys() []string {
	var keys []string
	for _, fl := range f.sess.Page().Fields {
		keys = append(keys, fl.Key)
	}
	return keys
}

// centred puts obj in a column of comfortable reading width, centred.
func (f *Form) centred(obj fyne.CanvasObject) *fyne.Container {
	l := &centredLayout{max: columnWidth(f.th)}
	f.widths = append(f.widths, l)
	return container.New(l, obj)
}

// columnWidth is the reading width for the theme's text size (about 70 characters).
func columnWidth(th fyne.Theme) float32 {
	return th.Size(theme.SizeNameText) * 46
}

// centredLayout gives its objects at most max width, centred horizontally.
type centredLayout struct{ max float32 }

func (l *centredLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := fyne.Min(size.Width, l.max)
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
	}
}

func (l *centredLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// thinLayout gives its objects a fixed height, centred vertically (a slim progress bar).
type thinLayout struct{ height float32 }

func (l *thinLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	h := fyne.Min(l.height, size.Height)
	for _, o := range objs {
		o.Resize(fyne.NewSize(size.Width, h))
		o.Move(fyne.NewPos(0, (size.Height-h)/2))
	}
}

func (l *thinLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(40, l.height) }

// groupHeading is a field-list page's heading.
func groupHeading(text string) fyne.CanvasObject {
	rt := widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		SizeName: theme.SizeNameHeadingText, TextStyle: fyne.TextStyle{Bold: true},
	}})
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// showDone replaces the page with a short confirmation.
func (f *Form) showDone() {
	msg := widget.NewLabel(lang.L("Thank you. Your answers have been saved."))
	msg.Wrapping = fyne.TextWrapWord
	msg.Alignment = fyne.TextAlignCenter
	msg.SizeName = theme.SizeNameSubHeadingText
	gap := canvas.NewRectangle(nil)
	gap.SetMinSize(fyne.NewSize(1, 120))
	f.column.Objects = []fyne.CanvasObject{gap, msg}
	f.column.Refresh()
	f.back.Disable()
	f.next.Disable()
}

// showResult shows the result view of a scored survey with a Finish button.
func (f *Form) showResult(view fyne.CanvasObject, err error, sub Submission) {
	f.finishShown = true
	f.finishSub = sub
	if err != nil {
		l := widget.NewLabel(lang.L("Your answers have been saved, but the result could not be worked out: ") + err.Error())
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		view = l
	}
	// The view takes the page area itself (not the question column), so a
	// view that scrolls on its own gets the full height.
	if _, ok := view.(*container.Scroll); !ok {
		view = container.NewVScroll(f.padded(view))
	}
	f.body.Objects = []fyne.CanvasObject{f.centred(view)}
	f.override.Refresh()
	f.back.SetText(lang.L("Change answers"))
	f.back.Enable()
	f.next.SetText(lang.L("Finish"))
	f.next.SetIcon(theme.ConfirmIcon())
	f.progressText.SetText("")
	f.progress.SetValue(1)
}

// ChangeAnswers leaves the result screen of a scored survey for the last
// page answered, so that answers can be changed; submitting again stores
// the changed answers and a new result in place of the old. It reports
// whether the result screen was showing.
func (f *Form) ChangeAnswers() bool {
	if !f.finishShown || f.stopped {
		return false
	}
	f.finishShown = false
	f.sess.Reopen()
	f.body.Objects = []fyne.CanvasObject{f.scroll}
	f.back.SetText(lang.L("Back"))
	f.next.Enable()
	f.showPage()
	return true
}

// finish leaves the result screen.
func (f *Form) finish() {
	if !f.finishShown {
		return
	}
	f.finishShown = false
	f.next.Disable()
	if f.cfg.OnSubmit != nil {
		f.cfg.OnSubmit(f.finishSub)
	}
}
