package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"canvass/app/respondent"
	"canvass/app/web"
	"canvass/survey"
	"canvass/survey/settings"
	"canvass/survey/store"
)

// Settings keys for kiosk timings, in whole seconds (see survey/settings).
const (
	KioskIdleSetting   = settings.KioskIdleKey
	KioskThanksSetting = settings.KioskThanksKey
)

// defaultKiosk is kiosk mode's timing when staff have set none.
var defaultKiosk = settings.Kiosk{Idle: respondent.DefaultIdleTimeout, ThankYou: respondent.DefaultThankYou}

// Runner runs surveys in the staff window: kiosk mode, Answer here,
// Preview, resuming a partial response, and the "Phones and tablets"
// panel, over the web server phones.
type Runner struct {
	ctx    context.Context
	store  *store.Store
	shell  *Shell
	lock   *StaffLock // closed when kiosk mode starts
	phones *Phones
	home   func() // where leaving a form or the phones panel leads
	form   *respondent.Form
	panel  *PhonesPanel
}

// NewRunner runs st's surveys in sh's window; home is where leaving leads.
func NewRunner(ctx context.Context, st *store.Store, sh *Shell, lock *StaffLock, phones *Phones, home func()) *Runner {
	return &Runner{ctx: ctx, store: st, shell: sh, lock: lock, phones: phones, home: home}
}

// StartKiosk hands the window over to respondents for the latest version
// of the survey; the staff PIN brings the home screen back.
func (r *Runner) StartKiosk(surveyID string) error {
	def, err := r.store.Survey(r.ctx, surveyID, 0)
	if err != nil {
		return fmt.Errorf("open survey %q: %w", surveyID, err)
	}
	// Respondents get the laptop: the protected actions ask for the PIN again afterwards.
	r.lock.Lock()
	timing, _ := settings.LoadKiosk(r.ctx, r.store, defaultKiosk) // unreadable: the defaults, as LoadKiosk returns
	shown, username := settings.ForRespondents(r.ctx, r.store, def)
	cfg := respondent.KioskConfig{
		Survey:      shown,
		Username:    username,
		Store:       r.store,
		Context:     r.ctx,
		IdleTimeout: timing.Idle,
		ThankYou:    timing.ThankYou,
		OnExit:      r.home,
		OnError:     r.shell.ShowError,
	}
	if def.Scoring != nil {
		cfg.OnResult = r.decisionResult(def)
	}
	cfg.OnPhones = func(c fyne.Canvas) { r.phonesOver(c, def) }
	if _, err := respondent.StartKiosk(r.shell.Window(), cfg); err != nil {
		return fmt.Errorf("start kiosk mode for %q: %w", surveyID, err)
	}
	return nil
}

// Preview runs the latest version of the survey without saving anything.
func (r *Runner) Preview(surveyID string) error {
	return r.runForm(surveyID, true)
}

// Answer runs the latest version of the survey in the window for a member of
// staff (a commissioner answering the decision tool, say): answers are saved
// as given, and a scored survey ends on its explained result.
func (r *Runner) Answer(surveyID string) error {
	return r.runForm(surveyID, false)
}

// runForm shows the survey's form in the window, with a way back home.
func (r *Runner) runForm(surveyID string, preview bool) error {
	def, err := r.store.Survey(r.ctx, surveyID, 0)
	if err != nil {
		return fmt.Errorf("open survey %q: %w", surveyID, err)
	}
	f, err := respondent.NewForm(r.formConfig(def, preview, r.home))
	if err != nil {
		return fmt.Errorf("open the form for %q: %w", surveyID, err)
	}
	r.showForm(f)
	return nil
}

// Resume reopens a partial (draft or abandoned) response in the window so
// that a member of staff can finish it with the respondent; back leads to
// done, called when the form is left or submitted.
func (r *Runner) Resume(responseID string, done func()) error {
	resp, err := r.store.Response(r.ctx, responseID)
	if err != nil {
		return fmt.Errorf("resume response %s: %w", responseID, err)
	}
	def, err := r.store.Survey(r.ctx, resp.SurveyID, resp.SurveyVersion)
	if err != nil {
		return fmt.Errorf("resume response %s: survey %q version %d: %w", responseID, resp.SurveyID, resp.SurveyVersion, err)
	}
	f, err := respondent.ResumeForm(r.formConfig(def, false, done), resp)
	if err != nil {
		return err
	}
	r.showForm(f)
	return nil
}

// formConfig is how staff run a survey in the window: answers saved as
// given (unless preview), a scored survey ending on its result, and back
// to done when the form is left or submitted.
func (r *Runner) formConfig(def *survey.Survey, preview bool, done func()) respondent.FormConfig {
	shown, username := settings.ForRespondents(r.ctx, r.store, def)
	cfg := respondent.FormConfig{
		Survey:   shown,
		Username: username,
		Preview:  preview,
		Context:  r.ctx,
		OnCancel: func() {
			f := r.form
			done()
			if !preview && f != nil && f.Started() && !f.Submitted() {
				dialog.ShowInformation(lang.L("Kept as partial"),
					lang.L("The answers given so far are kept as a partial response. Open Responses to resume it or mark it complete."), r.shell.Window())
			}
		},
		OnSubmit: func(respondent.Submission) {
			done()
			if preview {
				previewFinished(r.shell.Window())
				return
			}
			dialog.ShowInformation(lang.L("Saved"), lang.L("The response has been saved."), r.shell.Window())
		},
	}
	if !preview {
		cfg.Store = r.store
	}
	if def.Scoring != nil {
		cfg.OnResult = r.decisionResult(def)
	}
	return cfg
}

// previewFinished says, when a preview is submitted, that nothing was kept.
func previewFinished(w fyne.Window) {
	dialog.ShowInformation(lang.L("Preview finished: nothing saved"),
		lang.L("This was a preview, so the answers were not kept. To collect answers, use Answer here or Start kiosk."), w)
}

// showForm puts f in the window and gives it the keyboard.
func (r *Runner) showForm(f *respondent.Form) {
	r.form = f
	r.shell.Window().SetContent(f.Content())
	f.AttachKeys(r.shell.Window().Canvas())
}

// Form returns the form last opened in the window by Answer, Preview or Resume (nil if none).
func (r *Runner) Form() *respondent.Form { return r.form }

// decisionResult scores the answers with the thresholds in force and
// returns the record to store and the screen that explains it.
func (r *Runner) decisionResult(def *survey.Survey) func(survey.Answers) ([]byte, fyne.CanvasObject, error) {
	return func(a survey.Answers) ([]byte, fyne.CanvasObject, error) {
		t, err := survey.LoadThresholds(r.ctx, r.store)
		if err != nil {
			return nil, nil, err
		}
		d, err := def.Decide(a, t, time.Now())
		if err != nil {
			return nil, nil, fmt.Errorf("score the answers: %w", err)
		}
		record, err := json.Marshal(d)
		if err != nil {
			return nil, nil, fmt.Errorf("encode the decision: %w", err)
		}
		return record, NewDecisionResultScroll(d, def.DefaultLanguage()), nil
	}
}

// ShowPhones shows the "Phones and tablets" panel for a survey in the
// window; Back returns home and serving goes on.
func (r *Runner) ShowPhones(surveyID string) error {
	def, err := r.store.Survey(r.ctx, surveyID, 0)
	if err != nil {
		return fmt.Errorf("open survey %q: %w", surveyID, err)
	}
	panel, content := NewPhonesPanel(r.phones, def.ID, def.Title.In(def.DefaultLanguage(), ""), r.eventNote(), web.PersonalQuestions(def), r.home)
	r.panel = panel
	r.shell.Window().SetContent(content)
	return nil
}

// phonesOver shows the panel over kiosk mode (after the staff PIN), as a
// pop-up that Back closes, leaving the respondent's form as it was.
func (r *Runner) phonesOver(c fyne.Canvas, def *survey.Survey) {
	var pop *widget.PopUp
	panel, content := NewPhonesPanel(r.phones, def.ID, def.Title.In(def.DefaultLanguage(), ""), r.eventNote(), web.PersonalQuestions(def), func() { pop.Hide() })
	r.panel = panel
	pop = widget.NewModalPopUp(content, c)
	pop.Resize(fyne.NewSize(fyne.Min(720, c.Size().Width-40), fyne.Min(760, c.Size().Height-40)))
	pop.Show()
}

// PhonesPanel returns the "Phones and tablets" panel last shown (nil if none).
func (r *Runner) PhonesPanel() *PhonesPanel { return r.panel }

// eventNote says which event new responses are tagged with, or that none is.
func (r *Runner) eventNote() string {
	ev, ok, err := r.store.ActiveEvent(r.ctx)
	if err != nil || !ok {
		return lang.L("No active event: new responses are not tagged with an event.")
	}
	return lang.L("Active event") + ": " + eventLine(ev)
}
