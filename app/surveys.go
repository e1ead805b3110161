package app

import (
	"context"
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
	"canvass/survey/store"
)

// SurveyList is the home screen's Surveys column: a card per survey with
// its counts and actions, and the survey-level use cases behind them (new,
// duplicate, rename, archive). Opening another screen goes through nav.
type SurveyList struct {
	ctx   context.Context
	store *store.Store
	shell *Shell
	lock  *StaffLock // guards Responses and Export
	nav   SurveyNav
	Box   *fyne.Container // one card per survey
}

// SurveyNav is where a survey card's buttons lead. Each opener takes the
// survey's id and returns what went wrong.
type SurveyNav struct {
	Home                           func() // the home screen, afresh (after a change)
	Edit, Results, Responses       func(string) error
	Kiosk, Phones, Answer, Preview func(string) error
	Export, ExportForm             func(string) error
	EditNew                        func(*survey.Survey) // the editor on a new, unsaved survey
	Refresh                        func()               // reload the home screen's lists
}

// NewSurveyList builds the (empty) Surveys column; Show fills it.
func NewSurveyList(ctx context.Context, st *store.Store, sh *Shell, lock *StaffLock, nav SurveyNav) *SurveyList {
	return &SurveyList{ctx: ctx, store: st, shell: sh, lock: lock, nav: nav, Box: container.NewVBox()}
}

// Show puts a card per survey in the column.
func (l *SurveyList) Show(sums []store.SurveySummary) {
	l.Box.RemoveAll()
	if len(sums) == 0 {
		l.Box.Add(widget.NewLabel(lang.L("No surveys yet.")))
	}
	for _, s := range sums {
		l.Box.Add(l.card(s))
	}
	l.Box.Refresh()
}

// card shows one survey with its counts and actions.
func (l *SurveyList) card(s store.SurveySummary) fyne.CanvasObject {
	counts := fmt.Sprintf("%s %d  ·  %s",
		lang.L("Version"), s.Version,
		statusCounts(s))
	title := s.Title.In("en", "")
	actions := container.NewVBox(container.NewHBox(l.runActions(s)...), container.NewHBox(l.staffActions(s)...))
	return widget.NewCard(title, counts, actions)
}

// do runs open on the survey id, showing what went wrong.
func (l *SurveyList) do(open func(string) error, id string) func() {
	return func() {
		if err := open(id); err != nil {
			l.shell.ShowError(err)
		}
	}
}

// runActions are the buttons that run a survey. A scored survey (the
// decision tool) is answered by staff in the window; others run in kiosk mode.
func (l *SurveyList) runActions(s store.SurveySummary) []fyne.CanvasObject {
	answer := widget.NewButtonWithIcon(lang.L("Answer here"), theme.DocumentCreateIcon(), l.do(l.nav.Answer, s.ID))
	preview := widget.NewButtonWithIcon(lang.L("Preview"), theme.VisibilityIcon(), l.do(l.nav.Preview, s.ID))
	if s.Scored {
		answer.SetText(lang.L("Open decision tool"))
		answer.Importance = widget.HighImportance
		return []fyne.CanvasObject{answer, preview}
	}
	kiosk := widget.NewButtonWithIcon(lang.L("Start kiosk"), theme.MediaPlayIcon(), l.do(l.nav.Kiosk, s.ID))
	kiosk.Importance = widget.HighImportance
	phones := widget.NewButtonWithIcon(lang.L("Phones and tablets"), theme.ComputerIcon(), l.do(l.nav.Phones, s.ID))
	return []fyne.CanvasObject{kiosk, phones, answer, preview}
}

// staffActions are the staff buttons on a survey's card: edit, results,
// responses, export, and a menu with duplicate, rename, export as
// XLSForm and archive.
func (l *SurveyList) staffActions(s store.SurveySummary) []fyne.CanvasObject {
	id := s.ID
	edit := widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), l.do(l.nav.Edit, id))
	results := widget.NewButtonWithIcon(lang.L("Results"), theme.GridIcon(), l.do(l.nav.Results, id))
	responses := widget.NewButtonWithIcon(lang.L("Responses"), theme.ListIcon(), func() {
		l.lock.Require(l.do(l.nav.Responses, id))
	})
	var more *widget.Button
	more = widget.NewButtonWithIcon("", theme.MoreHorizontalIcon(), func() {
		menu := fyne.NewMenu("",
			fyne.NewMenuItem(lang.L("Duplicate"), func() {
				if _, err := l.Duplicate(id); err != nil {
					l.shell.ShowError(err)
				}
			}),
			fyne.NewMenuItem(lang.L("Rename…"), func() { l.askRename(id) }),
			fyne.NewMenuItem(lang.L("Export as XLSForm…"), l.do(l.nav.ExportForm, id)),
			fyne.NewMenuItem(lang.L("Archive…"), func() { l.askArchive(id) }),
		)
		c := l.shell.Window().Canvas()
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(more)
		widget.ShowPopUpMenuAtPosition(menu, c, pos.Add(fyne.NewPos(0, more.Size().Height)))
	})
	exportData := widget.NewButtonWithIcon(lang.L("Export"), theme.DocumentSaveIcon(), func() {
		l.lock.Require(l.do(l.nav.Export, id))
	})
	return []fyne.CanvasObject{edit, results, responses, exportData, more}
}

// HeaderActions are the buttons beside the Surveys heading: archived
// surveys, import a form, new survey.
func (l *SurveyList) HeaderActions() fyne.CanvasObject {
	add := widget.NewButtonWithIcon(lang.L("New survey"), theme.ContentAddIcon(), l.askNew)
	archived := widget.NewButtonWithIcon(lang.L("Archived"), theme.FolderIcon(), func() {
		if err := l.ShowArchived(); err != nil {
			l.shell.ShowError(err)
		}
	})
	importForm := widget.NewButtonWithIcon(lang.L("Import form…"), theme.UploadIcon(), func() {
		ShowImportForm(l.ctx, l.shell.Window(), l.store, func(string) { l.nav.Refresh() })
	})
	return container.NewHBox(archived, importForm, add)
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

// New returns a new, unsaved survey with the given title: English, one
// text question, an id made from the title that no survey uses.
func (l *SurveyList) New(title string) (*survey.Survey, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return nil, errors.New(lang.L("Give the survey a title"))
	}
	id, err := l.store.FreeSurveyID(l.ctx, surveyID(title))
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

// askNew asks for a title, then opens the editor on a new survey.
func (l *SurveyList) askNew() {
	title := widget.NewEntry()
	title.SetPlaceHolder(lang.L("e.g. Library opening hours"))
	items := []*widget.FormItem{widget.NewFormItem(lang.L("Title"), title)}
	d := dialog.NewForm(lang.L("New survey"), lang.L("Create"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		def, err := l.New(title.Text)
		if err != nil {
			l.shell.ShowError(err)
			return
		}
		l.nav.EditNew(def)
	}, l.shell.Window())
	d.Resize(fyne.NewSize(460, 200))
	d.Show()
	l.shell.Window().Canvas().Focus(title)
}

// Duplicate stores a copy of the latest version of a survey under a new
// id, as version 1, with "(copy)" after its title (store.DuplicateSurvey).
func (l *SurveyList) Duplicate(id string) (*survey.Survey, error) {
	saved, err := l.store.DuplicateSurvey(l.ctx, id, " "+lang.L("(copy)"))
	if err != nil {
		return nil, err
	}
	l.nav.Refresh()
	l.shell.ShowNotice(lang.L("Copied as “{{.Title}}”.", map[string]any{"Title": saved.Title.In(saved.DefaultLanguage(), "en")}))
	return saved, nil
}

// Rename changes the title of a survey in its default language. Like any
// edit, it makes a new version when the latest has responses.
func (l *SurveyList) Rename(id, title string) (*survey.Survey, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return nil, errors.New(lang.L("Give the survey a title"))
	}
	def, err := l.store.Survey(l.ctx, id, 0)
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
	saved, err := l.store.SaveSurvey(l.ctx, def)
	if err != nil {
		return nil, fmt.Errorf("rename survey %q: %w", id, err)
	}
	l.nav.Refresh()
	return saved, nil
}

func (l *SurveyList) askRename(id string) {
	def, err := l.store.Survey(l.ctx, id, 0)
	if err != nil {
		l.shell.ShowError(err)
		return
	}
	title := widget.NewEntry()
	title.SetText(def.Title.In(def.DefaultLanguage(), "en"))
	items := []*widget.FormItem{widget.NewFormItem(lang.L("Title"), title)}
	d := dialog.NewForm(lang.L("Rename survey"), lang.L("Rename"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		if _, err := l.Rename(id, title.Text); err != nil {
			l.shell.ShowError(err)
		}
	}, l.shell.Window())
	d.Resize(fyne.NewSize(460, 200))
	d.Show()
}

// Archive archives a survey (or brings it back): it leaves the home
// screen but keeps its responses.
func (l *SurveyList) Archive(id string, archived bool) error {
	if err := l.store.ArchiveSurvey(l.ctx, id, archived); err != nil {
		return err
	}
	action := "archive-survey"
	if !archived {
		action = "unarchive-survey"
	}
	if err := l.store.Audit(l.ctx, staffActor(), action, id, ""); err != nil {
		return err
	}
	l.nav.Refresh()
	return nil
}

func (l *SurveyList) askArchive(id string) {
	msg := lang.L("The survey leaves the home screen. Its responses are kept, and you can bring it back from Archived.")
	d := dialog.NewConfirm(lang.L("Archive survey?"), msg, func(ok bool) {
		if ok {
			if err := l.Archive(id, true); err != nil {
				l.shell.ShowError(err)
			}
		}
	}, l.shell.Window())
	d.SetConfirmText(lang.L("Archive"))
	d.Show()
}

// ShowArchived lists the archived surveys, each with a button to bring it back.
func (l *SurveyList) ShowArchived() error {
	sums, err := l.store.ArchivedSurveys(l.ctx)
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
			if err := l.Archive(id, false); err != nil {
				l.shell.ShowError(err)
				return
			}
			l.nav.Home()
		})
		counts := statusCounts(s)
		rows.Add(widget.NewCard(s.Title.In("en", ""), counts, container.NewHBox(restore)))
	}
	l.shell.Show(lang.L("Archived surveys"), container.NewVScroll(rows), l.nav.Home, "")
	return nil
}
