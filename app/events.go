package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
	"canvass/survey/encryption"
	"canvass/survey/store"
)

// EventList is the home screen's Events column: a row per event, with
// make active, edit, close (with its backup) and reopen, and the New /
// Edit event dialog.
type EventList struct {
	ctx     context.Context
	store   *store.Store
	shell   *Shell
	backups *Backups // for the backup an event's close makes
	changed func()   // reload the home screen's lists
	Box     *fyne.Container
}

// NewEventList builds the (empty) Events column; Show fills it.
func NewEventList(ctx context.Context, st *store.Store, sh *Shell, backups *Backups, changed func()) *EventList {
	return &EventList{ctx: ctx, store: st, shell: sh, backups: backups, changed: changed, Box: container.NewVBox()}
}

// Show puts a row per event in the column.
func (l *EventList) Show(events []survey.Event) {
	l.Box.RemoveAll()
	if len(events) == 0 {
		hint := widget.NewLabel(lang.L("No events yet. Create one before the day, so that every response is tagged with it."))
		hint.Wrapping = fyne.TextWrapWord
		l.Box.Add(hint)
	}
	for _, ev := range events {
		l.Box.Add(l.row(ev))
	}
	l.Box.Refresh()
}

// row shows one event with its actions.
func (l *EventList) row(ev survey.Event) fyne.CanvasObject {
	name := widget.NewLabelWithStyle(ev.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: ev.Active})
	detail := widget.NewLabel(eventDetail(ev))
	edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { l.Edit(ev) })
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
			if err := l.store.SetActiveEvent(l.ctx, id); err != nil {
				l.shell.ShowError(fmt.Errorf("make event active: %w", err))
				return
			}
			l.changed()
		})
	}
	return container.NewBorder(nil, widget.NewSeparator(), nil, container.NewHBox(state, edit, l.closeButton(ev)), container.NewVBox(name, detail))
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

// Edit opens the form to create (zero ev) or edit an event; Save (or
// Return in the name or venue) stores it, and makes it active if ticked.
func (l *EventList) Edit(ev survey.Event) *EventForm {
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
		if err := l.store.SaveEvent(l.ctx, &ev); err != nil {
			l.shell.ShowError(fmt.Errorf("save event %q: %w", ev.Name, err))
			return
		}
		if active.Checked {
			if err := l.store.SetActiveEvent(l.ctx, ev.ID); err != nil {
				l.shell.ShowError(fmt.Errorf("make event active: %w", err))
			}
		}
		l.changed()
	}, l.shell.Window())
	name.OnSubmitted = func(string) { d.Submit() } // Return saves, as in any form
	venue.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(480, 420))
	d.Show()
	l.shell.Window().Canvas().Focus(name)
	return &EventForm{Dialog: d, Name: name, Venue: venue, Date: date, Notes: notes, Active: active}
}

// closeButton closes an open event (asking whether to back up) or reopens a closed one.
func (l *EventList) closeButton(ev survey.Event) fyne.CanvasObject {
	if ev.Closed {
		return widget.NewButton(lang.L("Reopen"), func() {
			if err := l.Reopen(ev.ID); err != nil {
				l.shell.ShowError(err)
			}
		})
	}
	return widget.NewButton(lang.L("Close"), func() { l.askClose(ev) })
}

// Close marks an event closed (no longer active) and, when backup
// is set, backs the database up into the backup folder. It returns the
// backup's path ("" without one).
func (l *EventList) Close(id string, backup bool, lock encryption.Lock) (string, error) {
	_, backupErr, err := l.store.CloseEvent(l.ctx, id, staffActor(), store.DefaultBackupDir(l.store.Path()), RollingBackupsKept)
	if err != nil {
		return "", err
	}
	l.changed()
	if backupErr != nil {
		l.shell.ShowError(backupErr)
	}
	if !backup {
		return "", nil
	}
	folder, err := l.backups.Folder()
	if err != nil {
		return "", err
	}
	if folder == "" {
		return "", errors.New(lang.L("The event is closed, but no backup folder is set: choose one in Settings."))
	}
	path, err := l.backups.BackupTo(folder, lock)
	if err != nil {
		return "", fmt.Errorf("the event is closed, but the backup failed: %w", err)
	}
	return path, nil
}

// Reopen clears an event's closed mark.
func (l *EventList) Reopen(id string) error {
	ev, err := l.store.Event(l.ctx, id)
	if err != nil {
		return fmt.Errorf("reopen event: %w", err)
	}
	ev.Closed = false
	if err := l.store.SaveEvent(l.ctx, &ev); err != nil {
		return fmt.Errorf("reopen event %q: %w", ev.Name, err)
	}
	l.changed()
	return nil
}

func (l *EventList) askClose(ev survey.Event) {
	folder, _ := l.backups.Folder()
	backup := widget.NewCheck(lang.L("Back up the database now"), nil)
	where := widget.NewLabel("")
	where.Wrapping = fyne.TextWrapWord
	if folder == "" {
		backup.Disable()
		where.SetText(lang.L("An automatic copy goes into {{.Folder}}. To back up to another place as well (a USB stick) when an event closes, choose a backup folder in Settings.",
			map[string]any{"Folder": store.DefaultBackupDir(l.store.Path())}))
	} else {
		backup.SetChecked(true)
		where.SetText(lang.L("Into {{.Folder}}", map[string]any{"Folder": folder}))
	}
	msg := widget.NewLabel(lang.L("New responses will no longer be tagged with “{{.Name}}”. You can reopen it later.", map[string]any{"Name": ev.Name}))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(lang.L("Close event?"), lang.L("Close event"), lang.L("Cancel"),
		container.NewVBox(msg, backup, where), func(ok bool) {
			if !ok {
				return
			}
			closeWith := func(lock encryption.Lock) {
				path, err := l.Close(ev.ID, backup.Checked, lock)
				if err != nil {
					l.shell.ShowError(err)
					return
				}
				if path != "" {
					l.shell.ShowNotice(lang.L("Event closed. Backed up to {{.Path}} ({{.Lock}})", map[string]any{"Path": path, "Lock": describeLock(lock)}))
				} else if !l.shell.ShowsError() {
					l.shell.ShowNotice(lang.L("Event closed. An automatic copy is in {{.Folder}}", map[string]any{"Folder": store.DefaultBackupDir(l.store.Path())}))
				}
			}
			if !backup.Checked {
				closeWith(encryption.Lock{})
				return
			}
			l.backups.secrets.lock(lang.L("backup"), closeWith)
		}, l.shell.Window())
	d.Resize(fyne.NewSize(480, 260))
	d.Show()
}
