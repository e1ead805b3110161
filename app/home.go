package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/app/respondent"
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

	surveys     *fyne.Container // one card per survey
	events      *fyne.Container // one row per event
	activeEvent *widget.Label   // the banner in the header

	// Surveys and Events hold what the screen last showed (for tests).
	Surveys []store.SurveySummary
	Events  []survey.Event

	form   *respondent.Form // the form last opened in the window by Answer or Preview
	phones *Phones          // serving a survey to respondents' phones (phones.go)
	// phonesPanel is the "Phones and tablets" panel last shown.
	phonesPanel *PhonesPanel
	// PINInvite invites staff to set a staff PIN while none is set (home_pin.go).
	PINInvite *PINInvitation
}

// NewHome builds the home screen for w; call Show to put it in the window.
func NewHome(ctx context.Context, a fyne.App, w fyne.Window, st *store.Store) *Home {
	h := &Home{
		ctx:         ctx,
		app:         a,
		win:         w,
		store:       st,
		shell:       NewShell(w),
		surveys:     container.NewVBox(),
		events:      container.NewVBox(),
		activeEvent: widget.NewLabel(""),
		phones:      NewPhones(ctx, st),
	}
	h.lock = NewStaffLock(ctx, h.Store, w, h.shell.ShowError)
	h.PINInvite = newPINInvitation(h)
	h.phones.OnError = func(err error) { fyne.Do(func() { h.shell.ShowError(err) }) }
	h.activeEvent.TextStyle = fyne.TextStyle{Bold: true}
	return h
}

// Show puts the home screen in the window and refreshes it from the store.
func (h *Home) Show() {
	h.shell.SetContent(h.content())
	h.Refresh()
}

// Shell is the staff window's frame the screens are shown in.
func (h *Home) Shell() *Shell { return h.shell }

// StaffLock is the staff PIN guard of the protected actions.
func (h *Home) StaffLock() *StaffLock { return h.lock }

// SetBackgroundRunner replaces how the staff screens run slow work (see Shell.SetBackgroundRunner).
func (h *Home) SetBackgroundRunner(run func(work, done func())) { h.shell.SetBackgroundRunner(run) }

// Status returns the text of the status line (the last error or notice), or "" when there is none.
func (h *Home) Status() string { return h.shell.Status() }

// Wait blocks until the staff screens' background work has finished (see Shell.Wait).
func (h *Home) Wait() { h.shell.Wait() }

// RequireStaffPIN runs then behind the staff PIN (see StaffLock.Require).
func (h *Home) RequireStaffPIN(then func()) *PINPrompt { return h.lock.Require(then) }

// showScreen shows a staff screen in the shell, "← Home" going back here
// when back is nil (for the screens still built as methods of Home).
func (h *Home) showScreen(title string, body fyne.CanvasObject, back func(), backLabel string, actions ...fyne.CanvasObject) *widget.Button {
	if back == nil {
		back = h.Show
	}
	return h.shell.Show(title, body, back, backLabel, actions...)
}

func (h *Home) showError(err error)          { h.shell.ShowError(err) }
func (h *Home) showNotice(msg string)        { h.shell.ShowNotice(msg) }
func (h *Home) background(work, done func()) { h.shell.Background(work, done) }

// content lays the screen out: header, surveys on the left, events on the right.
func (h *Home) content() fyne.CanvasObject {
	logo := canvas.NewImageFromResource(appIcon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(48, 48))
	title := widget.NewLabelWithStyle(lang.L("Canvass"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	subtitle := widget.NewLabel(lang.L("Offline consultation surveys"))
	brand := container.NewHBox(logo, container.NewVBox(title, subtitle))
	header := container.NewBorder(nil, nil, brand, h.staffHeaderActions())

	surveysHead := container.NewBorder(nil, nil, sectionHeading(lang.L("Surveys")), h.surveysHeaderActions())
	left := container.NewBorder(surveysHead, nil, nil, nil, container.NewVScroll(h.surveys))

	newEvent := widget.NewButtonWithIcon(lang.L("New event"), theme.ContentAddIcon(), func() { h.EditEvent(survey.Event{}) })
	eventsHead := container.NewBorder(nil, nil, sectionHeading(lang.L("Events")), newEvent)
	right := container.NewBorder(eventsHead, nil, nil, nil, container.NewVScroll(h.events))

	split := container.NewHSplit(left, right)
	split.Offset = 0.64
	eventBanner := container.NewHBox(widget.NewIcon(theme.CalendarIcon()), h.activeEvent)
	top := container.NewVBox(container.NewPadded(header), h.PINInvite.Box, eventBanner, widget.NewSeparator())
	return container.NewBorder(top, h.shell.StatusBar(), nil, nil, container.NewPadded(split))
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
		h.showError(fmt.Errorf("load surveys: %w", err))
		return
	}
	events, err := h.store.Events(h.ctx)
	if err != nil {
		h.showError(fmt.Errorf("load events: %w", err))
		return
	}
	h.Surveys, h.Events = sums, events
	h.PINInvite.refresh()

	h.surveys.RemoveAll()
	if len(sums) == 0 {
		h.surveys.Add(widget.NewLabel(lang.L("No surveys yet.")))
	}
	for _, s := range sums {
		h.surveys.Add(h.surveyCard(s))
	}
	h.surveys.Refresh()

	h.events.RemoveAll()
	if len(events) == 0 {
		hint := widget.NewLabel(lang.L("No events yet. Create one before the day, so that every response is tagged with it."))
		hint.Wrapping = fyne.TextWrapWord
		h.events.Add(hint)
	}
	active := lang.L("No active event: new responses are not tagged with an event.")
	h.activeEvent.Importance = widget.WarningImportance
	for _, ev := range events {
		h.events.Add(h.eventRow(ev))
		if ev.Active {
			active = lang.L("Active event") + ": " + eventLine(ev)
			h.activeEvent.Importance = widget.MediumImportance
		}
	}
	h.events.Refresh()
	h.activeEvent.SetText(active)
}

// surveyCard shows one survey with its counts and actions.
func (h *Home) surveyCard(s store.SurveySummary) fyne.CanvasObject {
	counts := fmt.Sprintf("%s %d  ·  %s",
		lang.L("Version"), s.Version,
		statusCounts(s))
	title := s.Title.In("en", "")
	actions := container.NewVBox(container.NewHBox(h.surveyActions(s)...), container.NewHBox(h.staffSurveyActions(s)...))
	card := widget.NewCard(title, counts, actions)
	return card
}

// surveyActions are the buttons on a survey's card. A scored survey (the
// decision tool) is answered by staff in the window; others run in kiosk mode.
func (h *Home) surveyActions(s store.SurveySummary) []fyne.CanvasObject {
	id := s.ID
	act := func(do func(string) error) func() {
		return func() {
			if err := do(id); err != nil {
				h.showError(err)
			}
		}
	}
	answer := widget.NewButtonWithIcon(lang.L("Answer here"), theme.DocumentCreateIcon(), act(h.Answer))
	preview := widget.NewButtonWithIcon(lang.L("Preview"), theme.VisibilityIcon(), act(h.Preview))
	if s.Scored {
		answer.SetText(lang.L("Open decision tool"))
		answer.Importance = widget.HighImportance
		return []fyne.CanvasObject{answer, preview}
	}
	kiosk := widget.NewButtonWithIcon(lang.L("Start kiosk"), theme.MediaPlayIcon(), act(h.StartKiosk))
	kiosk.Importance = widget.HighImportance
	phones := widget.NewButtonWithIcon(lang.L("Phones and tablets"), theme.ComputerIcon(), act(h.ShowPhones))
	return []fyne.CanvasObject{kiosk, phones, answer, preview}
}

// eventRow shows one event with its actions.
func (h *Home) eventRow(ev survey.Event) fyne.CanvasObject {
	name := widget.NewLabelWithStyle(ev.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: ev.Active})
	detail := widget.NewLabel(eventDetail(ev))
	edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { h.EditEvent(ev) })
	var state fyne.CanvasObject
	if ev.Closed {
		closed := widget.NewLabelWithStyle(lang.L("Closed"), fyne.TextAlignTrailing, fyne.TextStyle{Italic: true})
		state = closed
	} else if ev.Active {
		badge := widget.NewLabelWithStyle(lang.L("Active"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		badge.Importance = widget.SuccessImportance
		state = badge
	} else {
		id := ev.ID
		state = widget.NewButton(lang.L("Make active"), func() {
			if err := h.store.SetActiveEvent(h.ctx, id); err != nil {
				h.showError(fmt.Errorf("make event active: %w", err))
				return
			}
			h.Refresh()
		})
	}
	return container.NewBorder(nil, widget.NewSeparator(), nil, container.NewHBox(state, edit, h.closeEventButton(ev)), container.NewVBox(name, detail))
}

// surveyAndEvents loads the latest version of a survey and every event,
// what a screen filtering that survey's responses by event starts from.
func (h *Home) surveyAndEvents(id string) (*survey.Survey, []survey.Event, error) {
	def, err := h.store.Survey(h.ctx, id, 0)
	if err != nil {
		return nil, nil, err
	}
	events, err := h.store.Events(h.ctx)
	if err != nil {
		return nil, nil, err
	}
	return def, events, nil
}

// eventLine is an event in one line: name, venue, date.
func eventLine(ev survey.Event) string {
	parts := []string{ev.Name}
	if d := eventDetail(ev); d != "" {
		parts = append(parts, d)
	}
	return strings.Join(parts, " · ")
}

// eventOptions is the options of an event filter: "All events" first, then
// each event in one line (an event whose line repeats another's gets the
// start of its id added), with the event id of each option ("" for all
// events).
func eventOptions(events []survey.Event) (opts []string, ids map[string]string) {
	all := lang.L("All events")
	opts = []string{all}
	ids = map[string]string{all: ""}
	for _, ev := range events {
		opt := eventLine(ev)
		if _, dup := ids[opt]; dup {
			opt += " (" + ev.ID[:8] + ")"
		}
		ids[opt] = ev.ID
		opts = append(opts, opt)
	}
	return opts, ids
}

// eventDetail is an event's venue and date.
func eventDetail(ev survey.Event) string {
	var parts []string
	if ev.Venue != "" {
		parts = append(parts, ev.Venue)
	}
	if !ev.Date.IsZero() {
		parts = append(parts, ev.Date.Format("Mon 2 Jan 2006"))
	}
	return strings.Join(parts, " · ")
}

// EventForm is the open New / Edit event dialog, with its fields exposed
// for tests.
type EventForm struct {
	Dialog      *dialog.FormDialog
	Name, Venue *widget.Entry
	Date        *widget.DateEntry
	Notes       *widget.Entry
	Active      *widget.Check
}

// EditEvent opens the form to create (zero ev) or edit an event; Save (or
// Return in the name or venue) stores it, and makes it active if ticked.
func (h *Home) EditEvent(ev survey.Event) *EventForm {
	name := widget.NewEntry()
	name.SetText(ev.Name)
	name.SetPlaceHolder(lang.L("e.g. Carers' week drop-in"))
	venue := widget.NewEntry()
	venue.SetText(ev.Venue)
	date := widget.NewDateEntry()
	if ev.Date.IsZero() {
		now := time.Now()
		date.SetDate(&now)
	} else {
		d := ev.Date
		date.SetDate(&d)
	}
	notes := widget.NewMultiLineEntry()
	notes.SetText(ev.Notes)
	notes.SetMinRowsVisible(3)
	active := widget.NewCheck(lang.L("Make this the active event"), nil)
	active.SetChecked(ev.Active || ev.ID == "")
	name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("%s", lang.L("Give the event a name"))
		}
		return nil
	}
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Name"), name),
		widget.NewFormItem(lang.L("Venue"), venue),
		widget.NewFormItem(lang.L("Date"), date),
		widget.NewFormItem(lang.L("Notes"), notes),
		widget.NewFormItem("", active),
	}
	title := lang.L("New event")
	if ev.ID != "" {
		title = lang.L("Edit event")
	}
	d := dialog.NewForm(title, lang.L("Save"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		ev.Name = strings.TrimSpace(name.Text)
		ev.Venue = strings.TrimSpace(venue.Text)
		ev.Notes = notes.Text
		if date.Date != nil {
			y, m, dd := date.Date.Date()
			ev.Date = time.Date(y, m, dd, 0, 0, 0, 0, time.Local)
		}
		if err := h.store.SaveEvent(h.ctx, &ev); err != nil {
			h.showError(fmt.Errorf("save event %q: %w", ev.Name, err))
			return
		}
		if active.Checked {
			if err := h.store.SetActiveEvent(h.ctx, ev.ID); err != nil {
				h.showError(fmt.Errorf("make event active: %w", err))
			}
		}
		h.Refresh()
	}, h.win)
	name.OnSubmitted = func(string) { d.Submit() } // Return saves, as in any form
	venue.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(480, 420))
	d.Show()
	h.win.Canvas().Focus(name)
	return &EventForm{Dialog: d, Name: name, Venue: venue, Date: date, Notes: notes, Active: active}
}

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
