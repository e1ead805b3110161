package app

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

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

// staffSurveyActions are the staff buttons on a survey's card: edit,
// results, responses, and a menu with duplicate, rename and archive.
func (h *Home) staffSurveyActions(s store.SurveySummary) []fyne.CanvasObject {
	id := s.ID
	edit := widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), func() {
		if _, err := h.EditSurvey(id); err != nil {
			h.showError(err)
		}
	})
	results := widget.NewButtonWithIcon(lang.L("Results"), theme.GridIcon(), func() {
		if _, err := h.ShowDashboard(id); err != nil {
			h.showError(err)
		}
	})
	responses := widget.NewButtonWithIcon(lang.L("Responses"), theme.ListIcon(), func() {
		h.RequireStaffPIN(func() {
			if _, err := h.ShowResponses(id); err != nil {
				h.showError(err)
			}
		})
	})
	var more *widget.Button
	more = widget.NewButtonWithIcon("", theme.MoreHorizontalIcon(), func() {
		menu := fyne.NewMenu("",
			fyne.NewMenuItem(lang.L("Duplicate"), func() {
				if _, err := h.DuplicateSurvey(id); err != nil {
					h.showError(err)
				}
			}),
			fyne.NewMenuItem(lang.L("Rename…"), func() { h.askRename(id) }),
			fyne.NewMenuItem(lang.L("Export as XLSForm…"), func() {
				if err := ShowExportForm(h.ctx, h.win, h.store, id); err != nil {
					h.showError(err)
				}
			}),
			fyne.NewMenuItem(lang.L("Archive…"), func() { h.askArchive(id) }),
		)
		c := h.win.Canvas()
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(more)
		widget.ShowPopUpMenuAtPosition(menu, c, pos.Add(fyne.NewPos(0, more.Size().Height)))
	})
	exportData := widget.NewButtonWithIcon(lang.L("Export"), theme.DocumentSaveIcon(), func() {
		h.RequireStaffPIN(func() {
			if _, err := ShowExport(h.ctx, h.win, h.store, id); err != nil {
				h.showError(err)
			}
		})
	})
	return []fyne.CanvasObject{edit, results, responses, exportData, more}
}

// surveysHeaderActions are the buttons beside the Surveys heading.
func (h *Home) surveysHeaderActions() fyne.CanvasObject {
	add := widget.NewButtonWithIcon(lang.L("New survey"), theme.ContentAddIcon(), h.askNewSurvey)
	archived := widget.NewButtonWithIcon(lang.L("Archived"), theme.FolderIcon(), func() {
		if err := h.ShowArchived(); err != nil {
			h.showError(err)
		}
	})
	importForm := widget.NewButtonWithIcon(lang.L("Import form…"), theme.UploadIcon(), func() {
		ShowImportForm(h.ctx, h.win, h.store, func(string) { h.Refresh() })
	})
	return container.NewHBox(archived, importForm, add)
}

// staffHeaderActions are the buttons at the right of the home header.
func (h *Home) staffHeaderActions() fyne.CanvasObject {
	backup := widget.NewButtonWithIcon(lang.L("Back up"), theme.DownloadIcon(), func() { h.lock.Require(h.Backups().Ask) })
	settings := widget.NewButtonWithIcon(lang.L("Settings"), theme.SettingsIcon(), func() {
		if _, err := h.ShowSettings(); err != nil {
			h.showError(err)
		}
	})
	var laptops *widget.Button
	laptops = widget.NewButtonWithIcon(lang.L("Laptops"), theme.StorageIcon(), func() {
		menu := fyne.NewMenu("",
			fyne.NewMenuItem(lang.L("Export bundle…"), func() { h.RequireStaffPIN(func() { ShowExportBundle(h.ctx, h.win, h.store) }) }),
			fyne.NewMenuItem(lang.L("Merge bundles…"), func() { h.RequireStaffPIN(func() { h.ShowMergeBundles() }) }),
			fyne.NewMenuItem(lang.L("ODK Central…"), func() {
				if _, err := ShowSync(h.ctx, h.win, h.store); err != nil {
					h.showError(err)
				}
			}),
		)
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(laptops)
		widget.ShowPopUpMenuAtPosition(menu, h.win.Canvas(), pos.Add(fyne.NewPos(0, laptops.Size().Height)))
	})
	return container.NewCenter(container.NewHBox(backup, laptops, settings))
}

// surveyID makes a survey id from a title: lower-case letters, digits and
// _, at most 40 characters, never empty.
func surveyID(title string) string {
	var b strings.Builder
	lastUnderscore := true
	for _, r := range strings.ToLower(title) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			lastUnderscore = false
		case !lastUnderscore:
			b.WriteRune('_')
			lastUnderscore = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	id := strings.Trim(b.String(), "_")
	if id == "" {
		id = "survey"
	}
	return id
}

// NewSurvey returns a new, unsaved survey with the given title: English,
// one text question, an id made from the title that no survey uses.
func (h *Home) NewSurvey(title string) (*survey.Survey, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return nil, errors.New(lang.L("Give the survey a title"))
	}
	id, err := h.store.FreeSurveyID(h.ctx, surveyID(title))
	if err != nil {
		return nil, err
	}
	return &survey.Survey{
		ID:        id,
		Version:   1,
		Title:     survey.En(title),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{{Type: survey.TypeText, Name: "question_1", Label: survey.En("")}},
	}, nil
}

// askNewSurvey asks for a title, then opens the editor on a new survey.
func (h *Home) askNewSurvey() {
	title := widget.NewEntry()
	title.SetPlaceHolder(lang.L("e.g. Library opening hours"))
	items := []*widget.FormItem{widget.NewFormItem(lang.L("Title"), title)}
	d := dialog.NewForm(lang.L("New survey"), lang.L("Create"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		def, err := h.NewSurvey(title.Text)
		if err != nil {
			h.showError(err)
			return
		}
		h.EditDraft(def, true)
	}, h.win)
	d.Resize(fyne.NewSize(460, 200))
	d.Show()
	h.win.Canvas().Focus(title)
}

// DuplicateSurvey stores a copy of the latest version of a survey under a
// new id, as version 1, with "(copy)" after its title (store.DuplicateSurvey).
func (h *Home) DuplicateSurvey(id string) (*survey.Survey, error) {
	saved, err := h.store.DuplicateSurvey(h.ctx, id, " "+lang.L("(copy)"))
	if err != nil {
		return nil, err
	}
	h.Refresh()
	h.showNotice(lang.L("Copied as “{{.Title}}”.", map[string]any{"Title": saved.Title.In(saved.DefaultLanguage(), "en")}))
	return saved, nil
}

// RenameSurvey changes the title of a survey in its default language.
// Like any edit, it makes a new version when the latest has responses.
func (h *Home) RenameSurvey(id, title string) (*survey.Survey, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return nil, errors.New(lang.L("Give the survey a title"))
	}
	def, err := h.store.Survey(h.ctx, id, 0)
	if err != nil {
		return nil, fmt.Errorf("rename survey %q: %w", id, err)
	}
	if def.Title == nil {
		def.Title = survey.Text{}
	}
	lng := def.DefaultLanguage()
	if _, ok := def.Title[lng]; !ok && def.Title[""] != "" {
		lng = ""
	}
	def.Title[lng] = title
	saved, err := h.store.SaveSurvey(h.ctx, def)
	if err != nil {
		return nil, fmt.Errorf("rename survey %q: %w", id, err)
	}
	h.Refresh()
	return saved, nil
}

func (h *Home) askRename(id string) {
	def, err := h.store.Survey(h.ctx, id, 0)
	if err != nil {
		h.showError(err)
		return
	}
	title := widget.NewEntry()
	title.SetText(def.Title.In(def.DefaultLanguage(), "en"))
	items := []*widget.FormItem{widget.NewFormItem(lang.L("Title"), title)}
	d := dialog.NewForm(lang.L("Rename survey"), lang.L("Rename"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		if _, err := h.RenameSurvey(id, title.Text); err != nil {
			h.showError(err)
		}
	}, h.win)
	d.Resize(fyne.NewSize(460, 200))
	d.Show()
}

// ArchiveSurvey archives a survey (or brings it back): it leaves the home
// screen but keeps its responses.
func (h *Home) ArchiveSurvey(id string, archived bool) error {
	if err := h.store.ArchiveSurvey(h.ctx, id, archived); err != nil {
		return err
	}
	action := "archive-survey"
	if !archived {
		action = "unarchive-survey"
	}
	if err := h.store.Audit(h.ctx, staffActor(), action, id, ""); err != nil {
		return err
	}
	h.Refresh()
	return nil
}

func (h *Home) askArchive(id string) {
	msg := lang.L("The survey leaves the home screen. Its responses are kept, and you can bring it back from Archived.")
	d := dialog.NewConfirm(lang.L("Archive survey?"), msg, func(ok bool) {
		if ok {
			if err := h.ArchiveSurvey(id, true); err != nil {
				h.showError(err)
			}
		}
	}, h.win)
	d.SetConfirmText(lang.L("Archive"))
	d.Show()
}

// ShowArchived lists the archived surveys, each with a button to bring it back.
func (h *Home) ShowArchived() error {
	sums, err := h.store.ArchivedSurveys(h.ctx)
	if err != nil {
		return fmt.Errorf("list archived surveys: %w", err)
	}
	rows := container.NewVBox()
	if len(sums) == 0 {
		rows.Add(widget.NewLabel(lang.L("No archived surveys.")))
	}
	for _, s := range sums {
		id := s.ID
		restore := widget.NewButtonWithIcon(lang.L("Bring back"), theme.ContentUndoIcon(), func() {
			if err := h.ArchiveSurvey(id, false); err != nil {
				h.showError(err)
				return
			}
			h.Show()
		})
		counts := statusCounts(s)
		rows.Add(widget.NewCard(s.Title.In("en", ""), counts, container.NewHBox(restore)))
	}
	h.showScreen(lang.L("Archived surveys"), container.NewVScroll(rows), nil, "")
	return nil
}

// closeEventButton closes an open event (asking whether to back up) or reopens a closed one.
func (h *Home) closeEventButton(ev survey.Event) fyne.CanvasObject {
	if ev.Closed {
		return widget.NewButton(lang.L("Reopen"), func() {
			if err := h.ReopenEvent(ev.ID); err != nil {
				h.showError(err)
			}
		})
	}
	return widget.NewButton(lang.L("Close"), func() { h.askCloseEvent(ev) })
}

// CloseEvent marks an event closed (no longer active) and, when backup
// is set, backs the database up into the backup folder. It returns the
// backup's path ("" without one).
func (h *Home) CloseEvent(id string, backup bool, lock encryption.Lock) (string, error) {
	_, backupErr, err := h.store.CloseEvent(h.ctx, id, staffActor(), store.DefaultBackupDir(h.store.Path()), RollingBackupsKept)
	if err != nil {
		return "", err
	}
	h.Refresh()
	if backupErr != nil {
		h.showError(backupErr)
	}
	if !backup {
		return "", nil
	}
	backups := h.Backups()
	folder, err := backups.Folder()
	if err != nil {
		return "", err
	}
	if folder == "" {
		return "", errors.New(lang.L("The event is closed, but no backup folder is set: choose one in Settings."))
	}
	path, err := backups.BackupTo(folder, lock)
	if err != nil {
		return "", fmt.Errorf("the event is closed, but the backup failed: %w", err)
	}
	return path, nil
}

// ReopenEvent clears an event's closed mark.
func (h *Home) ReopenEvent(id string) error {
	ev, err := h.store.Event(h.ctx, id)
	if err != nil {
		return fmt.Errorf("reopen event: %w", err)
	}
	ev.Closed = false
	if err := h.store.SaveEvent(h.ctx, &ev); err != nil {
		return fmt.Errorf("reopen event %q: %w", ev.Name, err)
	}
	h.Refresh()
	return nil
}

func (h *Home) askCloseEvent(ev survey.Event) {
	backups := h.Backups()
	folder, _ := backups.Folder()
	backup := widget.NewCheck(lang.L("Back up the database now"), nil)
	where := widget.NewLabel("")
	where.Wrapping = fyne.TextWrapWord
	if folder == "" {
		backup.Disable()
		where.SetText(lang.L("An automatic copy goes into {{.Folder}}. To back up to another place as well (a USB stick) when an event closes, choose a backup folder in Settings.",
			map[string]any{"Folder": store.DefaultBackupDir(h.store.Path())}))
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
				path, err := h.CloseEvent(ev.ID, backup.Checked, lock)
				if err != nil {
					h.showError(err)
					return
				}
				if path != "" {
					h.showNotice(lang.L("Event closed. Backed up to {{.Path}} ({{.Lock}})", map[string]any{"Path": path, "Lock": describeLock(lock)}))
				} else if !h.shell.ShowsError() {
					h.showNotice(lang.L("Event closed. An automatic copy is in {{.Folder}}", map[string]any{"Folder": store.DefaultBackupDir(h.store.Path())}))
				}
			}
			if !backup.Checked {
				closeWith(encryption.Lock{})
				return
			}
			backups.secrets.lock(lang.L("backup"), closeWith)
		}, h.win)
	d.Resize(fyne.NewSize(480, 260))
	d.Show()
}
