package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
)

// ResponseStore is what the form runner needs from the store; *store.Store
// satisfies it, and tests inject fakes (a failing one, for instance).
type ResponseStore interface {
	StartResponse(ctx context.Context, surveyID string, version int, lang string) (*survey.Response, error)
	SaveAnswer(ctx context.Context, responseID, question, value string) error
	SetLanguage(ctx context.Context, responseID, lang string) error
	Submit(ctx context.Context, responseID string, final survey.Answers, result []byte) error
	SetStatus(ctx context.Context, responseID string, status survey.Status) error
}

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
// saved the moment they are given, skip logic, calculations and checks.
// All methods must be called on the Fyne main goroutine.
type Form struct {
	cfg   FormConfig
	s     *survey.Survey
	rules *formRules
	pages []survey.Page
	ctx   context.Context
	now   func() time.Time
	sched Scheduler

	lang    string
	page    int
	answers survey.Answers // what the screen shows: the truth
	stored  survey.Answers // what the store has confirmed
	fields  map[string]*Field
	syncing bool // widgets are being set from answers: ignore their callbacks

	touched     bool   // the respondent has given an answer
	responseID  string // "" until the response is started
	storedLang  string // language the store has for the response
	saveErr     error  // last save failure, shown in the banner
	stopRetry   func()
	stopSave    func() // pending debounced save
	typedField  string // field whose typing the debounced save will re-check
	stopped     bool
	submitted   bool
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
	bannerBg     *canvas.Rectangle
	background   *canvas.Rectangle // the form's own background, so high contrast is black
	bannerText   *widget.Label
	progressText *widget.Label
	progress     *widget.ProgressBar
	back, next   *widget.Button
	leave        *widget.Button
	largeText    *widget.Check
	highContrast *widget.Check
	widths       []*centredLayout
}

// ErrNoPages is returned for a survey with nothing to show.
var ErrNoPages = errors.New("the survey has no questions to show")

// NewForm builds a form for a new respondent. Nothing is stored until the
// first answer is given. The error names the faulty expression, if any.
func NewForm(cfg FormConfig) (*Form, error) {
	f, err := newForm(cfg)
	if err != nil {
		return nil, err
	}
	for _, q := range f.rules.fields {
		if q.Default != "" && q.Type.HoldsAnswer() && !q.Type.IsMetadata() && q.Type != survey.TypeCalculate {
			f.answers[q.Name] = q.Default
		}
	}
	f.rules.settle(f.answers, f.lang, f.s.DefaultLanguage(), f.now())
	f.showAllValues()
	f.showPage(f.firstPage())
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
	if resp.Language != "" && cfg.Language == "" {
		cfg.Language = resp.Language
	}
	f, err := newForm(cfg)
	if err != nil {
		return nil, err
	}
	f.responseID = resp.ID
	f.storedLang = resp.Language
	f.touched = true
	for k, v := range resp.Answers {
		if v != "" {
			f.answers[k] = v
			f.stored[k] = v
		}
	}
	f.rules.settle(f.answers, f.lang, f.s.DefaultLanguage(), f.now())
	f.showAllValues()
	f.showPage(f.resumePage())
	return f, nil
}

// newForm checks the config, compiles the rules and builds the widgets.
func newForm(cfg FormConfig) (*Form, error) {
	if cfg.Survey == nil {
		return nil, errors.New("new form: no survey")
	}
	if cfg.Store == nil && !cfg.Preview {
		return nil, fmt.Errorf("new form for survey %q: no store (set Preview to run without one)", cfg.Survey.ID)
	}
	rules, err := compileRules(cfg.Survey)
	if err != nil {
		return nil, fmt.Errorf("new form: %w", err)
	}
	f := &Form{
		cfg:     cfg,
		s:       cfg.Survey,
		rules:   rules,
		pages:   cfg.Survey.Pages(),
		ctx:     cfg.Context,
		now:     cfg.Clock,
		sched:   cfg.Scheduler,
		answers: survey.Answers{},
		stored:  survey.Answers{},
		fields:  map[string]*Field{},
		th:      &AccessibleTheme{},
	}
	if len(f.pages) == 0 {
		return nil, fmt.Errorf("new form for survey %q: %w", f.s.ID, ErrNoPages)
	}
	if f.ctx == nil {
		f.ctx = context.Background()
	}
	if f.now == nil {
		f.now = time.Now
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
	f.lang = f.s.DefaultLanguage()
	if cfg.Language != "" && f.hasLanguage(cfg.Language) {
		f.lang = cfg.Language
	}
	f.build()
	return f, nil
}

func (f *Form) hasLanguage(code string) bool {
	if len(f.s.Languages) == 0 {
		return code == f.s.DefaultLanguage()
	}
	for _, l := range f.s.Languages {
		if l.Code == code {
			return true
		}
	}
	return false
}

// Content returns the form's whole screen (themed for large text / high contrast).
func (f *Form) Content() fyne.CanvasObject { return f.override }

// Pages returns the form's pages (Survey.Pages()); PageIndex indexes them.
func (f *Form) Pages() []survey.Page { return f.pages }

// PageIndex returns the index, in Survey.Pages(), of the page shown.
func (f *Form) PageIndex() int { return f.page }

// PageNumber returns the shown page's position among the pages relevant
// now, counting from 1, and how many there are ("Page 3 of 9").
func (f *Form) PageNumber() (n, total int) {
	now := f.now()
	for i, p := range f.pages {
		if i == f.page || f.rules.pageRelevant(p, f.answers, now) {
			total++
			if i <= f.page {
				n = total
			}
		}
	}
	return n, total
}

// Answers returns a copy of the answers as the form holds them.
func (f *Form) Answers() survey.Answers {
	out := make(survey.Answers, len(f.answers))
	for k, v := range f.answers {
		out[k] = v
	}
	return out
}

// Field returns the input of the named question, or nil if it has none.
func (f *Form) Field(name string) *Field { return f.fields[name] }

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
func (f *Form) ResponseID() string { return f.responseID }

// Language returns the language the form is shown in.
func (f *Form) Language() string { return f.lang }

// Started reports whether the respondent has given any answer.
func (f *Form) Started() bool { return f.touched }

// Unsaved reports whether the form holds answers the store has not
// confirmed (always false in preview and before the first answer).
func (f *Form) Unsaved() bool {
	if f.cfg.Preview || !f.touched {
		return false
	}
	return f.responseID == "" || len(f.dirtyNames()) > 0
}

// Submitted reports whether the store has confirmed the submission.
func (f *Form) Submitted() bool { return f.submitted }

// BackButton returns the Back button.
func (f *Form) BackButton() *widget.Button { return f.back }

// NextButton returns the Next button; on the last page it reads Submit, and
// on the result screen Finish.
func (f *Form) NextButton() *widget.Button { return f.next }

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
	c.SetOnTypedKey(f.TypedKey)
	c.SetOnTypedRune(f.TypedRune)
}

// TypedKey handles a key for the form as a whole.
func (f *Form) TypedKey(ev *fyne.KeyEvent) {
	if f.stopped {
		return
	}
	f.activity()
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
	if f.submitted || f.finishShown {
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
	for _, q := range f.pages[f.page].Questions {
		fd := f.fields[q.Name]
		if fd == nil || fd.box.Hidden {
			continue
		}
		if q.Type == survey.TypeNote {
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

// firstPage returns the first relevant page (0 if none is).
func (f *Form) firstPage() int {
	if i := f.nextPage(-1); i >= 0 {
		return i
	}
	return 0
}

// nextPage returns the first relevant page after i, or -1.
func (f *Form) nextPage(i int) int {
	now := f.now()
	for j := i + 1; j < len(f.pages); j++ {
		if f.rules.pageRelevant(f.pages[j], f.answers, now) {
			return j
		}
	}
	return -1
}

// prevPage returns the last relevant page before i, or -1.
func (f *Form) prevPage(i int) int {
	now := f.now()
	for j := i - 1; j >= 0; j-- {
		if f.rules.pageRelevant(f.pages[j], f.answers, now) {
			return j
		}
	}
	return -1
}

// resumePage returns the relevant page after the last one holding an answer.
func (f *Form) resumePage() int {
	last := -1
	for i, p := range f.pages {
		for _, q := range p.Questions {
			if f.answers[q.Name] != "" {
				last = i
			}
		}
	}
	if last < 0 {
		return f.firstPage()
	}
	if n := f.nextPage(last); n >= 0 {
		return n
	}
	if f.rules.pageRelevant(f.pages[last], f.answers, f.now()) {
		return last
	}
	if p := f.prevPage(last); p >= 0 {
		return p
	}
	return f.firstPage()
}

// Next validates the page and moves to the next relevant page, or submits
// on the last one. It reports whether the form moved on.
func (f *Form) Next() bool {
	if f.stopped || f.submitted {
		if f.finishShown {
			f.finish()
		}
		return false
	}
	f.saveNow()
	if !f.validatePage(f.page) {
		return false
	}
	n := f.nextPage(f.page)
	if n < 0 {
		return f.Submit()
	}
	f.showPage(n)
	return true
}

// Back moves to the previous relevant page, keeping every answer.
func (f *Form) Back() bool {
	if f.finishShown {
		return f.ChangeAnswers()
	}
	if f.stopped || f.submitted {
		return false
	}
	f.saveNow()
	p := f.prevPage(f.page)
	if p < 0 {
		return false
	}
	f.showPage(p)
	return true
}

// validatePage shows the errors of page i's relevant questions and reports
// whether there are none.
func (f *Form) validatePage(i int) bool {
	ok := true
	now := f.now()
	for _, q := range f.pages[i].Questions {
		fd := f.fields[q.Name]
		if fd == nil {
			continue
		}
		msg := ""
		if f.rules.isRelevant(q, f.answers, now) {
			msg = f.checkField(fd)
		}
		fd.setError(msg)
		if msg != "" {
			ok = false
		}
	}
	if !ok && i == f.page {
		f.scroll.ScrollToTop()
	}
	return ok
}

// checkField returns the error of a field's input or answer.
func (f *Form) checkField(fd *Field) string {
	if e := fd.currentInputErr(); e != "" {
		return e
	}
	return f.rules.check(fd.Question, f.answers[fd.Question.Name], f.answers, f.lang, f.s.DefaultLanguage(), f.now())
}

// Submit checks every relevant page, stores the final answers (and the
// result from OnResult) and, once the store has confirmed, calls OnSubmit.
// If the store fails the answers stay on screen and the banner says why.
func (f *Form) Submit() bool {
	if f.stopped || f.submitted {
		return false
	}
	f.saveNow()
	for i, p := range f.pages {
		if !f.rules.pageRelevant(p, f.answers, f.now()) {
			continue
		}
		if !f.validatePage(i) {
			if i != f.page {
				f.showPage(i)
				f.validatePage(i)
			}
			return false
		}
	}
	f.touch()
	for _, q := range f.rules.fields {
		if q.Type == survey.TypeEnd {
			f.answers[q.Name] = f.now().Format(time.RFC3339)
		}
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
	if !f.cfg.Preview {
		if err := f.save(); err != nil {
			return false
		}
		if err := f.cfg.Store.Submit(f.ctx, f.responseID, f.Answers(), result); err != nil {
			f.saveFailed(fmt.Errorf("submit: %w", err))
			return false
		}
		for k, v := range f.answers {
			f.stored[k] = v
		}
	}
	f.submitted = true
	f.cancelTimers()
	sub := Submission{ResponseID: f.responseID, Answers: f.Answers(), Result: result}
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
	if f.stopped || f.submitted || f.cfg.Preview || !f.touched {
		return nil
	}
	err := f.save()
	if f.responseID == "" {
		return err
	}
	if serr := f.cfg.Store.SetStatus(f.ctx, f.responseID, survey.StatusAbandoned); serr != nil {
		return errors.Join(err, fmt.Errorf("mark response %s abandoned: %w", f.responseID, serr))
	}
	return err
}

// Stop cancels the form's timers; a stopped form does nothing more.
func (f *Form) Stop() {
	f.cancelTimers()
	f.stopped = true
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
	if !f.hasLanguage(code) || code == f.lang {
		return
	}
	f.activity()
	f.lang = code
	f.afterChange() // a choice_filter may compare labels
	f.refreshTexts()
	if f.responseID != "" {
		f.save()
	}
}

// setAnswer records a respondent's answer, recomputes calculations and skip
// logic, and saves now (choices) or after typing pauses (text).
func (f *Form) setAnswer(fd *Field, value string, immediate bool) {
	if f.syncing || f.stopped || f.submitted {
		return
	}
	f.activity()
	name := fd.Question.Name
	if f.answers[name] == value {
		if immediate {
			f.saveNow()
		}
		return
	}
	f.touch()
	if value == "" {
		delete(f.answers, name)
	} else {
		f.answers[name] = value
	}
	if fd.Question.OrOther && !hasChoice(fd.Question, value, otherChoice) {
		// The "Other" text goes with the choice, on screen too: ticking
		// "Other" again must not show text that is no longer the answer.
		delete(f.answers, otherName(fd.Question))
		f.syncing = true
		fd.showOther("")
		f.syncing = false
	}
	f.afterChange()
	if fd.errText != "" || immediate {
		fd.setError(f.checkField(fd))
	}
	if immediate {
		f.saveNow()
	} else {
		f.typedField = name
		f.saveLater()
	}
}

// setOther records the text of an "Other" choice.
func (f *Form) setOther(fd *Field, text string) {
	if f.syncing || f.stopped || f.submitted {
		return
	}
	f.activity()
	name := otherName(fd.Question)
	text = strings.TrimSpace(text)
	if f.answers[name] == text {
		return
	}
	f.touch()
	if text == "" {
		delete(f.answers, name)
	} else {
		f.answers[name] = text
	}
	if fd.errText != "" {
		fd.setError(f.checkField(fd))
	}
	f.typedField = fd.Question.Name
	f.saveLater()
}

// afterChange settles calculations and skip logic and updates the screen.
func (f *Form) afterChange() {
	changed := f.rules.settle(f.answers, f.lang, f.s.DefaultLanguage(), f.now())
	f.syncing = true
	for _, name := range changed {
		if fd := f.fields[name]; fd != nil {
			fd.show(f.answers[name])
			fd.setError("")
		}
		if q, ok := f.s.Question(name); ok && q.OrOther {
			if fd := f.fields[name]; fd != nil {
				fd.showOther(f.answers[otherName(q)])
			}
		}
	}
	f.syncing = false
	f.updateVisibility()
	f.updateNav()
}

// touch marks the form as answered: the metadata start, today and deviceid are filled.
func (f *Form) touch() {
	if f.touched {
		return
	}
	f.touched = true
	now := f.now()
	for _, q := range f.rules.fields {
		switch q.Type {
		case survey.TypeStart:
			f.answers[q.Name] = now.Format(time.RFC3339)
		case survey.TypeToday:
			f.answers[q.Name] = now.Format("2006-01-02")
		case survey.TypeDeviceID:
			if f.cfg.DeviceID != "" {
				f.answers[q.Name] = f.cfg.DeviceID
			}
		}
	}
}

// showAllValues sets every widget from the answers.
func (f *Form) showAllValues() {
	f.syncing = true
	defer func() { f.syncing = false }()
	for name, fd := range f.fields {
		fd.show(f.answers[name])
		if fd.Question.OrOther {
			fd.showOther(f.answers[otherName(fd.Question)])
		}
	}
}

// showPage shows page i.
func (f *Form) showPage(i int) {
	f.page = i
	p := f.pages[i]
	objs := []fyne.CanvasObject{}
	if f.prevPage(i) < 0 && len(f.s.Languages) > 1 {
		objs = append(objs, f.langRow)
	}
	if p.Group != nil && !p.Group.Label.Empty() {
		objs = append(objs, groupHeading(p.Group.Label.In(f.lang, f.s.DefaultLanguage())))
	}
	for _, q := range p.Questions {
		if fd := f.fields[q.Name]; fd != nil {
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
	f.focusFirstEntry()
}

// focusFirstEntry puts the cursor in the page's first text entry, if its
// first shown question is typed, so a keyboard user can start typing.
func (f *Form) focusFirstEntry() {
	for _, q := range f.pages[f.page].Questions {
		fd := f.fields[q.Name]
		if fd == nil || fd.box.Hidden || q.Type == survey.TypeNote {
			continue
		}
		if fd.Entry != nil && !fd.Entry.Disabled() {
			if c := fyne.CurrentApp().Driver().CanvasForObject(f.override); c != nil {
				c.Focus(fd.Entry)
			}
		}
		return
	}
}

// updateVisibility shows the relevant questions of the page and hides the
// rest, and offers each choice question the choices its filter lets through.
func (f *Form) updateVisibility() {
	now := f.now()
	for _, q := range f.pages[f.page].Questions {
		fd := f.fields[q.Name]
		if fd == nil {
			continue
		}
		f.filterChoices(fd, now)
		if f.rules.isRelevant(q, f.answers, now) {
			fd.box.Show()
		} else {
			fd.box.Hide()
			fd.setError("")
		}
		fd.updateOtherVisibility(f.answers[q.Name])
	}
}

// filterChoices offers fd the choices its choice_filter lets through now.
func (f *Form) filterChoices(fd *Field, now time.Time) {
	q := fd.Question
	if f.rules.filter[q.Name] == nil {
		return
	}
	idx := []int{}
	for i, c := range fd.choices {
		if f.rules.choiceShown(q, c, f.answers, f.lang, f.s.DefaultLanguage(), now) {
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
	if f.prevPage(f.page) < 0 {
		f.back.Disable()
	} else {
		f.back.Enable()
	}
	if f.nextPage(f.page) < 0 {
		f.next.SetText(lang.L("Submit"))
		f.next.SetIcon(theme.ConfirmIcon())
	} else {
		f.next.SetText(lang.L("Next"))
		f.next.SetIcon(theme.NavigateNextIcon())
	}
}

// refreshTexts shows every label in the current language.
func (f *Form) refreshTexts() {
	fb := f.s.DefaultLanguage()
	f.title.SetText(f.s.Title.In(f.lang, fb))
	show := func(name string) string { return f.displayValue(name) }
	for _, q := range f.pages[f.page].Questions {
		if fd := f.fields[q.Name]; fd != nil {
			fd.refreshTexts(f.lang, fb, show)
		}
	}
	for code, b := range f.langButtons {
		if code == f.lang {
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

// displayValue renders an answer for a label: choice labels for choices.
func (f *Form) displayValue(name string) string {
	v := f.answers[name]
	q, ok := f.s.Question(name)
	if !ok || !q.Type.HasChoices() || v == "" {
		return v
	}
	l, ok := f.s.List(q.List)
	if !ok {
		return v
	}
	var parts []string
	for _, c := range strings.Fields(v) {
		if ch, ok := l.Choice(c); ok {
			parts = append(parts, ch.Label.In(f.lang, f.s.DefaultLanguage()))
		} else {
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, ", ")
}

// setTheme applies the accessibility toggles.
func (f *Form) setTheme(large, contrast bool) {
	f.activity()
	f.th = &AccessibleTheme{Base: f.th.Base, LargeText: large, HighContrast: contrast}
	f.override.Theme = f.th
	for _, l := range f.widths {
		l.max = columnWidth(f.th)
	}
	f.refreshColours()
	f.override.Refresh()
}

// dirtyNames lists the answers that differ from what the store has, in survey order.
func (f *Form) dirtyNames() []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] && f.answers[n] != f.stored[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, q := range f.rules.fields {
		add(q.Name)
		if q.OrOther {
			add(otherName(q))
		}
	}
	var rest []string
	for n := range f.answers {
		rest = append(rest, n)
	}
	for n := range f.stored {
		rest = append(rest, n)
	}
	sort.Strings(rest)
	for _, n := range rest {
		add(n)
	}
	return out
}

// build creates the form's widgets.
func (f *Form) build() {
	for _, q := range f.s.All() {
		if fd := f.buildField(q); fd != nil {
			f.fields[q.Name] = fd
		}
	}
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
	f.langRow = container.NewHBox(append([]fyne.CanvasObject{widget.NewIcon(theme.ComputerIcon())}, langs...)...)

	f.largeText = widget.NewCheck("", func(on bool) { f.setTheme(on, f.th.HighContrast) })
	f.highContrast = widget.NewCheck("", func(on bool) { f.setTheme(f.th.LargeText, on) })

	f.bannerText = widget.NewLabel("")
	f.bannerText.Wrapping = fyne.TextWrapWord
	f.bannerBg = canvas.NewRectangle(nil)
	f.banner = container.NewStack(f.bannerBg, container.NewBorder(nil, nil,
		widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())), nil, f.bannerText))
	f.banner.Hide()

	f.column = container.NewVBox()
	f.scroll = container.NewVScroll(f.centred(container.NewPadded(f.column)))

	f.progressText = widget.NewLabel("")
	f.progress = widget.NewProgressBar()
	f.progress.TextFormatter = func() string { return "" }
	f.back = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { f.activity(); f.Back() })
	f.next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { f.activity(); f.Next() })
	f.next.Importance = widget.HighImportance
	f.next.IconPlacement = widget.ButtonIconTrailingText

	tools := container.NewHBox(f.largeText, f.highContrast)
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
	header := f.centred(container.NewVBox(
		container.NewBorder(nil, nil, left, tools, f.title),
		f.banner,
	))
	footer := f.centred(container.NewPadded(container.NewVBox(
		container.NewBorder(nil, nil, f.progressText, nil, container.New(&thinLayout{height: 10}, f.progress)),
		container.NewBorder(nil, nil, f.back, f.next),
	)))
	f.body = container.NewStack(f.scroll)
	root := container.NewBorder(
		container.NewVBox(header, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), footer),
		nil, nil, f.body)
	f.background = canvas.NewRectangle(nil)
	f.override = container.NewThemeOverride(container.NewStack(f.background, root), f.th)
	f.refreshColours()
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
		view = container.NewVScroll(container.NewPadded(view))
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
	f.submitted = false
	f.body.Objects = []fyne.CanvasObject{f.scroll}
	f.back.SetText(lang.L("Back"))
	f.next.Enable()
	f.showPage(f.page)
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
