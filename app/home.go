package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
	"canvass/survey/store"
)

// Home is the staff home screen: the surveys with their response counts,
// the events and the active one, and the actions on each. It is also the
// navigator: it builds each staff screen from what that screen needs and
// shows it in the shell.
type Home struct {
	ctx   context.Context
	app   fyne.App
	win   fyne.Window
	store *store.Store

	shell *Shell     // the window's frame and status line (shell.go)
	lock  *StaffLock // the staff PIN guard (staff_lock.go)
	// restore, set by EnableRestore, restores a plain backup and takes the store it reopens.
	restore func(plain, shown string) (safety string, err error)

	surveyList  *SurveyList   // the Surveys column (surveys.go)
	eventList   *EventList    // the Events column (events.go)
	activeEvent *widget.Label // the banner in the header

	// Surveys and Events hold what the screen last showed (for tests).
	Surveys []store.SurveySummary
	Events  []survey.Event

	phones *Phones // serving a survey to respondents' phones (phones.go)
	runner *Runner // runs surveys in the window (run.go)
	// PINInvite invites staff to set a staff PIN while none is set (home_pin.go).
	PINInvite *PINInvitation
}

// NewHome builds the home screen for w; call Show to put it in the window.
func NewHome(ctx context.Context, a fyne.App, w fyne.Window, st *store.Store) *Home {
	h := &Home{
		ctx:         ctx,
		app:         a,
		win:         w,
		shell:       NewShell(w),
		activeEvent: widget.NewLabel(""),
	}
	h.lock = NewStaffLock(ctx, h.Store, w, h.shell.ShowError)
	h.useStore(st)
	h.PINInvite = newPINInvitation(ctx, h.Store, func() error { _, err := h.ShowSettings(); return err }, h.shell.ShowError)
	h.activeEvent.TextStyle = fyne.TextStyle{Bold: true}
	return h
}

// useStore makes st the store in use: what serves phones and runs forms
// is built on it (again, after a restore reopened it).
func (h *Home) useStore(st *store.Store) {
	if h.phones != nil {
		h.phones.Stop()
	}
	h.store = st
	h.phones = NewPhones(h.ctx, st)
	h.phones.OnError = func(err error) { fyne.Do(func() { h.shell.ShowError(err) }) }
	h.runner = NewRunner(h.ctx, st, h.shell, h.lock, h.phones, h.Show)
}

// Show puts the home screen in the window and refreshes it from the store.
func (h *Home) Show() {
	h.shell.SetContent(h.content())
	h.Refresh()
}

// StaffLock is the staff PIN guard of the protected actions.
func (h *Home) StaffLock() *StaffLock { return h.lock }

// SetBackgroundRunner replaces how the staff screens run slow work (see Shell.SetBackgroundRunner).
func (h *Home) SetBackgroundRunner(run func(work, done func())) { h.shell.SetBackgroundRunner(run) }

// Status returns the text of the status line (the last error or notice), or "" when there is none.
func (h *Home) Status() string { return h.shell.Status() }

// Wait blocks until the staff screens' background work has finished (see Shell.Wait).
func (h *Home) Wait() { h.shell.Wait() }

// content lays the screen out: header, surveys on the left, events on the
// right. The columns are built afresh on the store in use.
func (h *Home) content() fyne.CanvasObject {
	h.surveyList = NewSurveyList(h.ctx, h.store, h.shell, h.lock, h.surveyNav())
	h.eventList = NewEventList(h.ctx, h.store, h.shell, h.Backups(), h.Refresh)

	logo := canvas.NewImageFromResource(appIcon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(48, 48))
	title := widget.NewLabelWithStyle(lang.L("Canvass"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	subtitle := widget.NewLabel(lang.L("Offline consultation surveys"))
	brand := container.NewHBox(logo, container.NewVBox(title, subtitle))
	header := container.NewBorder(nil, nil, brand, h.headerActions())

	surveysHead := container.NewBorder(nil, nil, sectionHeading(lang.L("Surveys")), h.surveyList.HeaderActions())
	left := container.NewBorder(surveysHead, nil, nil, nil, container.NewVScroll(h.surveyList.Box))

	newEvent := widget.NewButtonWithIcon(lang.L("New event"), theme.ContentAddIcon(), func() { h.eventList.Edit(survey.Event{}) })
	eventsHead := container.NewBorder(nil, nil, sectionHeading(lang.L("Events")), newEvent)
	right := container.NewBorder(eventsHead, nil, nil, nil, container.NewVScroll(h.eventList.Box))

	split := container.NewHSplit(left, right)
	split.Offset = 0.64
	eventBanner := container.NewHBox(widget.NewIcon(theme.CalendarIcon()), h.activeEvent)
	top := container.NewVBox(container.NewPadded(header), h.PINInvite.Box, eventBanner, widget.NewSeparator())
	return container.NewBorder(top, h.shell.StatusBar(), nil, nil, container.NewPadded(split))
}

// surveyNav is where the survey cards' buttons lead.
func (h *Home) surveyNav() SurveyNav {
	return SurveyNav{
		Home:       h.Show,
		Refresh:    h.Refresh,
		Edit:       func(id string) error { _, err := h.EditSurvey(id); return err },
		EditNew:    func(def *survey.Survey) { h.EditDraft(def, true) },
		Results:    func(id string) error { _, err := h.ShowDashboard(id); return err },
		Responses:  func(id string) error { _, err := h.ShowResponses(id); return err },
		Export:     func(id string) error { _, err := ShowExport(h.ctx, h.win, h.store, id); return err },
		ExportForm: func(id string) error { return ShowExportForm(h.ctx, h.win, h.store, id) },
		Kiosk:      h.runner.StartKiosk,
		Phones:     h.runner.ShowPhones,
		Answer:     h.runner.Answer,
		Preview:    h.runner.Preview,
	}
}

// headerActions are the buttons at the right of the home header: back up,
// laptops (bundles, merge, ODK Central) and settings.
func (h *Home) headerActions() fyne.CanvasObject {
	backup := widget.NewButtonWithIcon(lang.L("Back up"), theme.DownloadIcon(), func() { h.lock.Require(h.Backups().Ask) })
	settings := widget.NewButtonWithIcon(lang.L("Settings"), theme.SettingsIcon(), func() {
		if _, err := h.ShowSettings(); err != nil {
			h.shell.ShowError(err)
		}
	})
	var laptops *widget.Button
	laptops = widget.NewButtonWithIcon(lang.L("Laptops"), theme.StorageIcon(), func() {
		menu := fyne.NewMenu("",
			fyne.NewMenuItem(lang.L("Export bundle…"), func() { h.lock.Require(func() { ShowExportBundle(h.ctx, h.win, h.store) }) }),
			fyne.NewMenuItem(lang.L("Merge bundles…"), func() { h.lock.Require(func() { h.ShowMergeBundles() }) }),
			fyne.NewMenuItem(lang.L("ODK Central…"), func() {
				if _, err := ShowSync(h.ctx, h.win, h.store); err != nil {
					h.shell.ShowError(err)
				}
			}),
		)
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(laptops)
		widget.ShowPopUpMenuAtPosition(menu, h.win.Canvas(), pos.Add(fyne.NewPos(0, laptops.Size().Height)))
	})
	return container.NewCenter(container.NewHBox(backup, laptops, settings))
}

// sectionHeading is the bold title of a column of the home screen.
func sectionHeading(s string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// Refresh reloads surveys and events from the store.
func (h *Home) Refresh() {
	sums, err := h.store.Surveys(h.ctx)
	if err != nil {
		h.shell.ShowError(fmt.Errorf("load surveys: %w", err))
		return
	}
	events, err := h.store.Events(h.ctx)
	if err != nil {
		h.shell.ShowError(fmt.Errorf("load events: %w", err))
		return
	}
	h.Surveys, h.Events = sums, events
	h.PINInvite.refresh()
	if h.surveyList == nil {
		h.content() // not shown yet: the lists still get filled
	}
	h.surveyList.Show(sums)
	h.eventList.Show(events)
	active := lang.L("No active event: new responses are not tagged with an event.")
	h.activeEvent.Importance = widget.WarningImportance
	for _, ev := range events {
		if ev.Active {
			active = lang.L("Active event") + ": " + eventLine(ev)
			h.activeEvent.Importance = widget.MediumImportance
		}
	}
	h.activeEvent.SetText(active)
}

// Runner runs surveys in the window (kiosk mode, Answer here, Preview,
// Resume, the phones panel).
func (h *Home) Runner() *Runner { return h.runner }

// Phones is what serves surveys to phones (for tests and the app's exit).
func (h *Home) Phones() *Phones { return h.phones }

// SurveyList is the home screen's Surveys column as last shown.
func (h *Home) SurveyList() *SurveyList { return h.surveyList }

// EventList is the home screen's Events column as last shown.
func (h *Home) EventList() *EventList { return h.eventList }

// ShowSettings opens the Settings screen. A restore started there comes
// back to Settings on the restored data.
func (h *Home) ShowSettings() (*SettingsScreen, error) {
	restore := h.restore
	if restore != nil {
		restore = func(plain, shown string) (string, error) {
			safety, err := h.restore(plain, shown)
			if err == nil {
				if _, err := h.ShowSettings(); err != nil {
					h.shell.ShowError(err)
				}
			}
			return safety, err
		}
	}
	return showSettings(settingsDeps{
		ctx: h.ctx, store: h.store, app: h.app, shell: h.shell, lock: h.lock,
		backups: NewBackups(h.ctx, h.store, h.shell, restore), home: h.Show,
	})
}

// env is what the data screens are built from: the store in use, the
// shell, and the home screen to go back to.
func (h *Home) env() screenEnv {
	return screenEnv{ctx: h.ctx, store: h.store, shell: h.shell, home: h.Show}
}

// ShowDashboard opens the results dashboard of a survey.
func (h *Home) ShowDashboard(id string) (*DashboardScreen, error) {
	return showDashboard(h.env(), id)
}

// ShowResponses opens the responses browser of a survey. It does not ask
// for the staff PIN: the buttons that open it do (StaffLock.Require).
func (h *Home) ShowResponses(id string) (*ResponsesScreen, error) {
	return showResponses(h.env(), h.lock, h.runner.Resume, id)
}

// EditSurvey opens the editor on the latest version of a survey.
func (h *Home) EditSurvey(id string) (*Editor, error) { return editSurvey(h.env(), id) }

// EditDraft opens the editor on def; isNew says it is not saved yet.
func (h *Home) EditDraft(def *survey.Survey, isNew bool) *Editor {
	return editDraft(h.env(), def, isNew)
}

// ShowMergeBundles opens the "Merge bundles" dialog with a button that
// takes staff from the conflicts a merge left to the response browser,
// showing only the conflicts; the home screen refreshes after each merge.
func (h *Home) ShowMergeBundles() *MergeDialog {
	d := ShowMerge(h.ctx, h.win, h.store, h.Refresh)
	d.OnResolve = func(surveyID string) {
		h.lock.Require(func() {
			rs, err := h.ShowResponses(surveyID)
			if err != nil {
				h.shell.ShowError(err)
				return
			}
			rs.ConflictsOnly.SetChecked(true)
			d.Browser = rs
		})
	}
	return d
}
