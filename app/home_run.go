package app

import (
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
)

// Settings keys for kiosk timings, in whole seconds (see survey/settings).
const (
	KioskIdleSetting   = settings.KioskIdleKey
	KioskThanksSetting = settings.KioskThanksKey
)

// defaultKiosk is kiosk mode's timing when staff have set none.
var defaultKiosk = settings.Kiosk{Idle: respondent.DefaultIdleTimeout, ThankYou: respondent.DefaultThankYou}

// StartKiosk hands the window over to respondents for the latest version
// of the survey; the staff PIN brings the home screen back.
func (h *Home) StartKiosk(surveyID string) error {
	def, err := h.store.Survey(h.ctx, surveyID, 0)
	if err != nil {
		return fmt.Errorf("open survey %q: %w", surveyID, err)
	}
	// Respondents get the laptop: the protected actions ask for the PIN again afterwards.
	h.lock.Lock()
	timing, _ := settings.LoadKiosk(h.ctx, h.store, defaultKiosk) // unreadable: the defaults, as LoadKiosk returns
	shown, username := settings.ForRespondents(h.ctx, h.store, def)
	cfg := respondent.KioskConfig{
		Survey:      shown,
		Username:    username,
		Store:       h.store,
		Context:     h.ctx,
		IdleTimeout: timing.Idle,
		ThankYou:    timing.ThankYou,
		OnExit:      h.Show,
		OnError:     h.showError,
	}
	if def.Scoring != nil {
		cfg.OnResult = h.decisionResult(def)
	}
	cfg.OnPhones = func(c fyne.Canvas) { h.phonesOver(c, def) }
	if _, err := respondent.StartKiosk(h.win, cfg); err != nil {
		return fmt.Errorf("start kiosk mode for %q: %w", surveyID, err)
	}
	return nil
}

// Preview runs the latest version of the survey without saving anything.
func (h *Home) Preview(surveyID string) error {
	return h.runForm(surveyID, true)
}

// Answer runs the latest version of the survey in the window for a member of
// staff (a commissioner answering the decision tool, say): answers are saved
// as given, and a scored survey ends on its explained result.
func (h *Home) Answer(surveyID string) error {
	return h.runForm(surveyID, false)
}

// runForm shows the survey's form in the window, with a way back home.
func (h *Home) runForm(surveyID string, preview bool) error {
	def, err := h.store.Survey(h.ctx, surveyID, 0)
	if err != nil {
		return fmt.Errorf("open survey %q: %w", surveyID, err)
	}
	f, err := respondent.NewForm(h.formConfig(def, preview, h.Show))
	if err != nil {
		return fmt.Errorf("open the form for %q: %w", surveyID, err)
	}
	h.showForm(f)
	return nil
}

// Resume reopens a partial (draft or abandoned) response in the window so
// that a member of staff can finish it with the respondent; back leads to
// done, called when the form is left or submitted.
func (h *Home) Resume(responseID string, done func()) error {
	resp, err := h.store.Response(h.ctx, responseID)
	if err != nil {
		return fmt.Errorf("resume response %s: %w", responseID, err)
	}
	def, err := h.store.Survey(h.ctx, resp.SurveyID, resp.SurveyVersion)
	if err != nil {
		return fmt.Errorf("resume response %s: survey %q version %d: %w", responseID, resp.SurveyID, resp.SurveyVersion, err)
	}
	f, err := respondent.ResumeForm(h.formConfig(def, false, done), resp)
	if err != nil {
		return err
	}
	h.showForm(f)
	return nil
}

// formConfig is how staff run a survey in the window: answers saved as
// given (unless preview), a scored survey ending on its result, and back
// to done when the form is left or submitted.
func (h *Home) formConfig(def *survey.Survey, preview bool, done func()) respondent.FormConfig {
	shown, username := settings.ForRespondents(h.ctx, h.store, def)
	cfg := respondent.FormConfig{
		Survey:   shown,
		Username: username,
		Preview:  preview,
		Context:  h.ctx,
		OnCancel: func() {
			f := h.form
			done()
			if !preview && f != nil && f.Started() && !f.Submitted() {
				dialog.ShowInformation(lang.L("Kept as partial"),
					lang.L("The answers given so far are kept as a partial response. Open Responses to resume it or mark it complete."), h.win)
			}
		},
		OnSubmit: func(respondent.Submission) {
			done()
			if preview {
				h.previewFinished()
				return
			}
			dialog.ShowInformation(lang.L("Saved"), lang.L("The response has been saved."), h.win)
		},
	}
	if !preview {
		cfg.Store = h.store
	}
	if def.Scoring != nil {
		cfg.OnResult = h.decisionResult(def)
	}
	return cfg
}

// previewFinished says, when a preview is submitted, that nothing was kept.
func (h *Home) previewFinished() {
	dialog.ShowInformation(lang.L("Preview finished: nothing saved"),
		lang.L("This was a preview, so the answers were not kept. To collect answers, use Answer here or Start kiosk."), h.win)
}

// showForm puts f in the window and gives it the keyboard.
func (h *Home) showForm(f *respondent.Form) {
	h.form = f
	h.win.SetContent(f.Content())
	f.AttachKeys(h.win.Canvas())
}

// Form returns the form last opened in the window by Answer or Preview (nil if none).
func (h *Home) Form() *respondent.Form { return h.form }

// decisionResult scores the answers with the thresholds in force and
// returns the record to store and the screen that explains it.
func (h *Home) decisionResult(def *survey.Survey) func(survey.Answers) ([]byte, fyne.CanvasObject, error) {
	return func(a survey.Answers) ([]byte, fyne.CanvasObject, error) {
		t, err := survey.LoadThresholds(h.ctx, h.store)
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
func (h *Home) ShowPhones(surveyID string) error {
	def, err := h.store.Survey(h.ctx, surveyID, 0)
	if err != nil {
		return fmt.Errorf("open survey %q: %w", surveyID, err)
	}
	panel, content := NewPhonesPanel(h.phones, def.ID, def.Title.In(def.DefaultLanguage(), ""), h.eventNote(), web.PersonalQuestions(def), h.Show)
	h.phonesPanel = panel
	h.win.SetContent(content)
	return nil
}

// phonesOver shows the panel over kiosk mode (after the staff PIN), as a
// pop-up that Back closes, leaving the respondent's form as it was.
func (h *Home) phonesOver(c fyne.Canvas, def *survey.Survey) {
	var pop *widget.PopUp
	panel, content := NewPhonesPanel(h.phones, def.ID, def.Title.In(def.DefaultLanguage(), ""), h.eventNote(), web.PersonalQuestions(def), func() { pop.Hide() })
	h.phonesPanel = panel
	pop = widget.NewModalPopUp(content, c)
	pop.Resize(fyne.NewSize(fyne.Min(720, c.Size().Width-40), fyne.Min(760, c.Size().Height-40)))
	pop.Show()
}

// Phones returns what serves surveys to phones (for tests and the app's exit).
func (h *Home) Phones() *Phones { return h.phones }

// PhonesPanel returns the "Phones and tablets" panel last shown (nil if none).
func (h *Home) PhonesPanel() *PhonesPanel { return h.phonesPanel }

// eventNote says which event new responses are tagged with, or that none is.
func (h *Home) eventNote() string {
	ev, ok, err := h.store.ActiveEvent(h.ctx)
	if err != nil || !ok {
		return lang.L("No active event: new responses are not tagged with an event.")
	}
	return lang.L("Active event") + ": " + eventLine(ev)
}
