package app

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/app/respondent"
	"canvass/app/wheel"
	"canvass/survey"
	"canvass/survey/store"
)

// Editor is the survey editor: the questions on the left (reordered with
// up and down, grouped into pages), the selected question or the survey's
// details on the right, Preview and Save at the top. It edits Draft, a
// copy of the survey; nothing is stored until Save, which validates the
// whole survey and lists every problem.
type Editor struct {
	// Draft is the definition being edited.
	Draft *survey.Survey

	List          *widget.List
	DetailsButton *widget.Button
	AddButton     *widget.Button
	UpButton      *widget.Button
	DownButton    *widget.Button
	PageButton    *widget.Button
	DeleteButton  *widget.Button
	MoveTo        *widget.Select // moves the selected question to just after the one picked
	SaveButton    *widget.Button
	PreviewButton *widget.Button
	VersionNote   *widget.Label // what saving will do to the versions
	Problems      *widget.Label // what Validate found at the last Save
	Panel         *QuestionPanel
	Details       *SurveyDetails
	Page          *container.Scroll // the right-hand side, scrolled by the wheel over its fields too
	PreviewForm   *respondent.Form  // the form Preview shows (nil before the first Preview)

	env      screenEnv
	isNew    bool           // never saved
	saved    *survey.Survey // the definition as stored (nil when new)
	latest   int            // latest stored version (0 when new)
	answered int            // responses on the latest stored version
	next     int            // the version Save writes changes to (latest when in place)
	selected *survey.Question
	rows     []questionRow
	syncing  bool
	detail   *fyne.Container
}

// editSurvey opens the editor on the latest version of a survey.
func editSurvey(env screenEnv, id string) (*Editor, error) {
	def, err := env.store.Survey(env.ctx, id, 0)
	if err != nil {
		return nil, fmt.Errorf("edit survey %q: %w", id, err)
	}
	return editDraft(env, def, false), nil
}

// editDraft opens the editor on def (isNew: it has never been saved).
func editDraft(env screenEnv, def *survey.Survey, isNew bool) *Editor {
	ed := &Editor{Draft: def.Clone(), env: env, isNew: isNew}
	if !isNew {
		ed.saved = def.Clone()
	}
	if ed.Draft.Version < 1 {
		ed.Draft.Version = 1
	}
	ed.build()
	ed.loadVersionNote()
	ed.show()
	return ed
}

// show puts the editor in the window.
func (ed *Editor) show() {
	title := ed.Draft.Title.In(ed.Draft.DefaultLanguage(), "en")
	if ed.isNew {
		title = lang.L("New survey") + ": " + title
	} else {
		title = lang.L("Edit") + ": " + title
	}
	ed.env.shell.Show(title, ed.content(), ed.leave, "", ed.PreviewButton, ed.SaveButton)
}

// leave goes home, asking first when there are unsaved changes.
func (ed *Editor) leave() {
	if !ed.Dirty() {
		ed.env.home()
		return
	}
	d := dialog.NewConfirm(lang.L("Leave without saving?"), lang.L("Your changes to this survey have not been saved."), func(ok bool) {
		if ok {
			ed.env.home()
		}
	}, ed.env.shell.Window())
	d.SetConfirmText(lang.L("Leave"))
	d.SetDismissText(lang.L("Keep editing"))
	d.Show()
}

// Dirty reports whether there are unsaved changes: a new survey, or a
// draft whose content differs from the stored definition. Selecting or
// touching a field without changing it is not a change.
func (ed *Editor) Dirty() bool { return ed.saved == nil || !ed.saved.SameContent(ed.Draft) }

// changed is called after every edit: it updates what saving will do.
func (ed *Editor) changed() {
	ed.showVersionNote()
}

func (ed *Editor) build() {
	ed.rows = questionRows(ed.Draft.Questions)
	ed.List = widget.NewList(
		func() int { return len(ed.rows) },
		func() fyne.CanvasObject {
			indent := canvas.NewRectangle(nil)
			icon := widget.NewIcon(theme.DocumentIcon())
			label := widget.NewLabel("")
			label.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, container.NewHBox(indent, icon), nil, label)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(ed.rows) {
				return
			}
			r := ed.rows[i]
			c := o.(*fyne.Container)
			left := c.Objects[1].(*fyne.Container)
			left.Objects[0].(*canvas.Rectangle).SetMinSize(fyne.NewSize(float32(r.Depth)*24, 1))
			left.Objects[1].(*widget.Icon).SetResource(typeIcon(r.Q))
			c.Objects[0].(*widget.Label).SetText(ed.rowText(r.Q))
			left.Refresh()
		})
	ed.List.OnSelected = func(i widget.ListItemID) {
		if ed.syncing || i >= len(ed.rows) {
			return
		}
		ed.selected = ed.rows[i].Q
		ed.showPanel()
		ed.updateButtons()
	}

	ed.DetailsButton = widget.NewButtonWithIcon(lang.L("Survey details"), theme.InfoIcon(), func() { ed.Select("") })
	ed.AddButton = widget.NewButtonWithIcon(lang.L("Add question"), theme.ContentAddIcon(), func() { ed.AddQuestion() })
	ed.UpButton = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { ed.Move(-1) })
	ed.DownButton = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { ed.Move(+1) })
	ed.PageButton = widget.NewButtonWithIcon(lang.L("Make page"), theme.FolderNewIcon(), func() { ed.TogglePage() })
	ed.DeleteButton = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { ed.Delete() })
	ed.MoveTo = widget.NewSelect(nil, func(s string) {
		if !ed.syncing {
			ed.moveTo(s)
		}
	})
	ed.MoveTo.PlaceHolder = lang.L("Move to…")
	ed.SaveButton = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), func() {
		if _, err := ed.Save(); err != nil && !isValidation(err) {
			ed.env.shell.ShowError(err)
		}
	})
	ed.SaveButton.Importance = widget.HighImportance
	ed.PreviewButton = widget.NewButtonWithIcon(lang.L("Preview"), theme.VisibilityIcon(), func() {
		if err := ed.Preview(); err != nil {
			ed.env.shell.ShowError(err)
		}
	})
	ed.VersionNote = widget.NewLabel("")
	ed.VersionNote.Wrapping = fyne.TextWrapWord
	ed.VersionNote.Importance = widget.WarningImportance
	ed.Problems = errorLabel()
	ed.detail = container.NewStack()
	ed.Page = wheel.Page(container.NewPadded(ed.detail))
	ed.showPanel()
	ed.updateButtons()
}

func (ed *Editor) content() fyne.CanvasObject {
	tools := container.NewVBox(container.NewHBox(ed.AddButton, ed.UpButton, ed.DownButton, ed.PageButton, ed.DeleteButton), ed.MoveTo)
	left := container.NewBorder(container.NewVBox(ed.DetailsButton, widget.NewSeparator()), tools, nil, nil, ed.List)
	split := container.NewHSplit(left, ed.Page)
	split.Offset = 0.34
	bottom := container.NewVBox(ed.Problems, ed.VersionNote)
	return container.NewBorder(nil, bottom, nil, nil, split)
}

// typeIcon is the icon of a question type in the list.
func typeIcon(q *survey.Question) fyne.Resource {
	switch {
	case q.Type == survey.TypeGroup && q.Repeat != nil:
		return theme.MediaReplayIcon()
	case q.Type == survey.TypeGroup:
		return theme.FolderIcon()
	case q.Type == survey.TypeSelectOne:
		return theme.RadioButtonCheckedIcon()
	case q.Type == survey.TypeSelectMultiple:
		return theme.CheckButtonCheckedIcon()
	case q.Type == survey.TypeRank:
		return theme.ListIcon()
	case q.Type == survey.TypeRange:
		return theme.MediaFastForwardIcon()
	case q.Type == survey.TypeDate, q.Type == survey.TypeDateTime, q.Type == survey.TypeTime:
		return theme.CalendarIcon()
	case q.Type == survey.TypeNote:
		return theme.InfoIcon()
	case q.Type == survey.TypeAcknowledge:
		return theme.ConfirmIcon()
	case q.Type == survey.TypeCalculate:
		return theme.ComputerIcon()
	case q.Type == survey.TypeHidden:
		return theme.VisibilityOffIcon()
	case q.Type.IsMetadata():
		return theme.SettingsIcon()
	case q.Type == survey.TypeInteger, q.Type == survey.TypeDecimal:
		return theme.ContentAddIcon()
	}
	return theme.FileTextIcon()
}

// rowText is a question's line in the list.
func (ed *Editor) rowText(q *survey.Question) string {
	var b strings.Builder
	if q.Type == survey.TypeGroup {
		switch {
		case q.Repeat != nil && q.HasAppearance(survey.AppearanceFieldList):
			b.WriteString(lang.L("Repeated page") + ": ")
		case q.Repeat != nil:
			b.WriteString(lang.L("Repeated group") + ": ")
		case q.HasAppearance(survey.AppearanceFieldList):
			b.WriteString(lang.L("Page") + ": ")
		default:
			b.WriteString(lang.L("Group") + ": ")
		}
	}
	b.WriteString(questionTitle(ed.Draft, q))
	if q.Required {
		b.WriteString(" *")
	}
	if q.Relevant != "" {
		b.WriteString("  ↳ " + lang.L("conditional"))
	}
	return b.String()
}

// refreshList redraws the question list after an edit, keeping the selection.
func (ed *Editor) refreshList() {
	ed.rows = questionRows(ed.Draft.Questions)
	ed.syncing = true
	ed.List.UnselectAll()
	for i, r := range ed.rows {
		if r.Q == ed.selected {
			ed.List.Select(i)
			ed.List.ScrollTo(i)
		}
	}
	ed.syncing = false
	ed.List.Refresh()
	ed.updateButtons()
}

// showPanel shows the selected question's panel, or the survey details.
func (ed *Editor) showPanel() {
	ed.Panel, ed.Details = nil, nil
	if ed.selected == nil {
		ed.Details = newSurveyDetails(ed)
		ed.detail.Objects = []fyne.CanvasObject{ed.Details.Content()}
	} else {
		ed.Panel = newQuestionPanel(ed, ed.selected)
		ed.detail.Objects = []fyne.CanvasObject{ed.Panel.Content()}
	}
	ed.detail.Refresh()
	ed.Page.ScrollToTop()
}

func (ed *Editor) updateButtons() {
	enable := func(b fyne.Disableable, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	q := ed.selected
	enable(ed.UpButton, q != nil)
	enable(ed.DownButton, q != nil)
	enable(ed.DeleteButton, q != nil)
	inGroup := false
	if q != nil {
		parent, ok := ed.Draft.Parent(q)
		inGroup = ok && parent != nil && q.Type != survey.TypeGroup
	}
	enable(ed.PageButton, q != nil && !inGroup) // a page inside a page means nothing
	if q == nil {
		ed.AddButton.SetText(lang.L("Add question"))
	} else {
		ed.AddButton.SetText(lang.L("Insert below"))
	}
	ed.syncing = true
	ed.MoveTo.SetOptions(ed.moveTargets())
	ed.MoveTo.ClearSelected()
	ed.syncing = false
	enable(ed.MoveTo, q != nil)
	if q != nil && q.Type == survey.TypeGroup {
		ed.PageButton.SetText(lang.L("Ungroup"))
	} else {
		ed.PageButton.SetText(lang.L("Make page"))
	}
}

// Select shows the question with that name ("" for the survey's details).
// It reports whether the question exists.
func (ed *Editor) Select(name string) bool {
	if name == "" {
		ed.selected = nil
		ed.syncing = true
		ed.List.UnselectAll()
		ed.syncing = false
		ed.showPanel()
		ed.updateButtons()
		return true
	}
	q, ok := ed.Draft.Question(name)
	if !ok {
		return false
	}
	ed.selected = q
	ed.refreshList()
	ed.showPanel()
	return true
}

// Selected returns the question shown (nil for the survey's details).
func (ed *Editor) Selected() *survey.Question { return ed.selected }

// AddQuestion adds a text question below the selected one (inside it, for
// a page) or, with none selected, before the survey's closing notes, and
// selects it.
func (ed *Editor) AddQuestion() *survey.Question {
	q := &survey.Question{Type: survey.TypeText, Name: ed.Draft.FreeName("question"), Label: survey.Text{}}
	ed.Draft.InsertAfter(ed.selected, q)
	ed.selected = q
	ed.changed()
	ed.refreshList()
	ed.showPanel()
	if ed.Panel != nil && len(ed.Panel.Labels) > 0 {
		if c := fyne.CurrentApp().Driver().CanvasForObject(ed.List); c != nil {
			c.Focus(ed.Panel.Labels[editorLanguages(ed.Draft)[0].Code])
		}
	}
	return q
}

// Move moves the selected question one step up (-1) or down (+1), into and
// out of pages on the way.
func (ed *Editor) Move(dir int) {
	if ed.selected == nil {
		return
	}
	if ed.Draft.MoveQuestion(ed.selected, dir) {
		ed.changed()
		ed.refreshList()
		if ed.Panel != nil && ed.Panel.Skip != nil {
			ed.showPanel() // the earlier questions the skip logic offers have changed
		}
	}
}

// moveTop is the Move to… option that puts a question first.
func moveTop() string { return lang.L("To the top") }

// moveTargets lists where the selected question can go: the top, or after
// any question not inside it (numbered as in the list).
func (ed *Editor) moveTargets() []string {
	if ed.selected == nil {
		return nil
	}
	out := []string{moveTop()}
	for i, r := range ed.rows {
		if !survey.Within(r.Q, ed.selected) {
			out = append(out, moveAfterOption(i, ed.rowText(r.Q)))
		}
	}
	return out
}

// moveAfterOption is the Move to… option for the question on row i.
func moveAfterOption(i int, text string) string {
	return lang.L("After {{.N}}. {{.Question}}", map[string]any{"N": i + 1, "Question": text})
}

// moveTo moves the selected question to the place picked in Move to….
func (ed *Editor) moveTo(option string) {
	q := ed.selected
	if q == nil || option == "" {
		return
	}
	var target *survey.Question
	if option != moveTop() {
		found := false
		for i, r := range ed.rows {
			if moveAfterOption(i, ed.rowText(r.Q)) == option {
				target, found = r.Q, true
				break
			}
		}
		if !found {
			return
		}
	}
	if ed.Draft.MoveAfter(q, target) {
		ed.changed()
		ed.refreshList()
		ed.showPanel() // the earlier questions the skip logic offers have changed
	}
}

// TogglePage puts the selected question on a page of its own (a
// field-list group the next questions can be moved into), or, for a
// group, takes its questions out of it.
func (ed *Editor) TogglePage() {
	q := ed.selected
	if q == nil {
		return
	}
	if q.Type == survey.TypeGroup {
		first := (*survey.Question)(nil)
		if len(q.Questions) > 0 {
			first = q.Questions[0]
		}
		if ed.Draft.Ungroup(q) {
			ed.selected = first
		}
	} else if _, ok := ed.Draft.WrapInPage(q, ed.Draft.FreeName("page")); !ok {
		return
	}
	ed.changed()
	ed.refreshList()
	ed.showPanel()
}

// Delete asks before removing the selected question, naming the
// questions whose conditions refer to it. It returns the dialog.
func (ed *Editor) Delete() *dialog.ConfirmDialog {
	q := ed.selected
	if q == nil {
		return nil
	}
	msg := lang.L("Remove “{{.Question}}” from the survey?", map[string]any{"Question": questionTitle(ed.Draft, q)})
	if q.Type == survey.TypeGroup {
		msg = lang.L("Remove this page and every question on it?")
	}
	if refs := ed.Draft.References(q.Name); len(refs) > 0 {
		msg += "\n\n" + lang.L("These questions refer to it and will need their conditions changed: {{.Names}}", map[string]any{"Names": strings.Join(refs, ", ")})
	}
	d := dialog.NewConfirm(lang.L("Remove question?"), msg, func(ok bool) {
		if !ok {
			return
		}
		if ed.Draft.DeleteQuestion(q) {
			ed.selected = nil
			ed.changed()
			ed.refreshList()
			ed.showPanel()
		}
	}, ed.env.shell.Window())
	d.SetConfirmText(lang.L("Remove"))
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
	return d
}

// loadVersionNote says what saving will do: update the version in place
// or, when it has responses or is a built-in template's, create the next one.
func (ed *Editor) loadVersionNote() {
	ed.latest, ed.answered, ed.next = 0, 0, 0
	if !ed.isNew {
		plan, err := ed.env.store.PlanEdit(ed.env.ctx, ed.Draft.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			ed.env.shell.ShowError(err)
		}
		ed.latest, ed.answered, ed.next = plan.Latest, plan.Responses, plan.Next
	}
	ed.showVersionNote()
}

// showVersionNote says what Save would do now.
func (ed *Editor) showVersionNote() {
	switch {
	case ed.latest > 0 && !ed.Dirty():
		ed.VersionNote.SetText(lang.L("No unsaved changes: version {{.V}} is as stored.", map[string]any{"V": ed.latest}))
		ed.VersionNote.Importance = widget.MediumImportance
	case ed.latest == 0:
		ed.VersionNote.SetText(lang.L("New survey: Save stores it as version 1."))
		ed.VersionNote.Importance = widget.MediumImportance
	case ed.answered > 0:
		ed.VersionNote.SetText(lang.L("Version {{.V}} has {{.Responses}}. Saving creates version {{.Next}}; existing responses stay with version {{.V}}.",
			map[string]any{"V": ed.latest, "Responses": responsesText(ed.answered), "Next": ed.next}))
		ed.VersionNote.Importance = widget.WarningImportance
	case ed.next != ed.latest:
		ed.VersionNote.SetText(lang.L("Version {{.V}} is the built-in template as every laptop has it: saving creates version {{.Next}}.",
			map[string]any{"V": ed.latest, "Next": ed.next}))
		ed.VersionNote.Importance = widget.MediumImportance
	default:
		ed.VersionNote.SetText(lang.L("Version {{.V}} has no responses yet: saving updates it.", map[string]any{"V": ed.latest}))
		ed.VersionNote.Importance = widget.MediumImportance
	}
	ed.VersionNote.Refresh()
}

// isValidation reports whether err is a survey validation failure (shown in Problems).
func isValidation(err error) bool {
	var v *survey.ValidationError
	return errors.As(err, &v)
}

// Save validates the whole draft, listing every problem under the editor,
// and stores it: as a new version when the latest has responses. It
// returns the stored survey.
func (ed *Editor) Save() (*survey.Survey, error) {
	def := ed.Draft.Clone()
	if err := def.Validate(); err != nil {
		var v *survey.ValidationError
		if errors.As(err, &v) {
			lines := []string{lang.L("The survey cannot be saved yet:")}
			for _, p := range v.Problems {
				lines = append(lines, "• "+p.String())
			}
			setError(ed.Problems, strings.Join(lines, "\n"))
		} else {
			setError(ed.Problems, err.Error())
		}
		return nil, err
	}
	setError(ed.Problems, "")
	unchanged := !ed.Dirty()
	saved, err := ed.env.store.SaveSurvey(ed.env.ctx, def)
	if err != nil {
		return nil, fmt.Errorf("save survey %q: %w", def.ID, err)
	}
	ed.Draft.Version = saved.Version
	if ed.Details != nil { // shown: it named the version before the save
		ed.Details.ID.SetText(idLine(ed.Draft))
	}
	ed.isNew, ed.saved = false, saved.Clone()
	ed.loadVersionNote()
	if unchanged {
		ed.env.shell.ShowNotice(lang.L("Nothing to save: version {{.V}} is unchanged.", map[string]any{"V": saved.Version}))
	} else {
		ed.env.shell.ShowNotice(lang.L("Saved as version {{.V}}.", map[string]any{"V": saved.Version}))
	}
	return saved, nil
}

// Preview runs the draft in the form runner without saving anything; the
// form's Leave button (or finishing it) comes back to the editor.
func (ed *Editor) Preview() error {
	def := ed.Draft.Clone().AsShown(ed.env.ctx, ed.env.store)
	back := func() {
		ed.show()
	}
	f, err := respondent.NewForm(respondent.FormConfig{
		Survey:   def,
		Preview:  true,
		Context:  ed.env.ctx,
		OnCancel: back,
		OnSubmit: func(respondent.Submission) {
			back()
			previewFinished(ed.env.shell.Window())
		},
	})
	if err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	ed.PreviewForm = f
	ed.env.shell.Show(lang.L("Preview (nothing is saved)"), f.Content(), back, lang.L("Editor"))
	f.AttachKeys(ed.env.shell.Window().Canvas())
	return nil
}

// SurveyDetails edits the survey as a whole: title, description and languages.
type SurveyDetails struct {
	ID           *widget.Label // "Survey id: park · version 2"
	Titles       map[string]*widget.Entry
	Descriptions map[string]*widget.Entry
	LangCodes    []*widget.Entry
	LangNames    []*widget.Entry
	AddLanguage  *widget.Button

	ed      *Editor
	content fyne.CanvasObject
}

// idLine names the survey and the version the editor holds.
func idLine(def *survey.Survey) string {
	return lang.L("Survey id: {{.ID}} · version {{.V}}", map[string]any{"ID": def.ID, "V": def.Version})
}

func newSurveyDetails(ed *Editor) *SurveyDetails {
	d := &SurveyDetails{ed: ed}
	def := ed.Draft
	box := container.NewVBox()
	d.ID = widget.NewLabel(idLine(def))
	box.Add(d.ID)
	titles, entries := textEntries(def, &def.Title, false, lang.L("Title"), ed.changed)
	d.Titles = entries
	box.Add(fieldHeading(lang.L("Title")))
	box.Add(titles)
	desc, entries := textEntries(def, &def.Description, true, lang.L("Optional: shown before the first question"), ed.changed)
	d.Descriptions = entries
	box.Add(fieldHeading(lang.L("Survey description")))
	box.Add(desc)

	box.Add(fieldHeading(lang.L("Languages")))
	box.Add(fieldHint(lang.L("The first is the default. Every question needs its text in each language; respondents pick theirs at the top of the form.")))
	if len(def.Languages) == 0 {
		def.Languages = []survey.Language{{Code: "en", Name: "English"}}
	}
	for i := range def.Languages {
		l := &def.Languages[i]
		code, name := widget.NewEntry(), widget.NewEntry()
		code.SetText(l.Code)
		code.SetPlaceHolder("cy")
		name.SetText(l.Name)
		name.SetPlaceHolder("Cymraeg")
		code.OnChanged = func(s string) { l.Code = strings.TrimSpace(s); ed.changed() }
		name.OnChanged = func(s string) { l.Name = strings.TrimSpace(s); ed.changed() }
		i := i
		remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			def.Languages = append(def.Languages[:i], def.Languages[i+1:]...)
			ed.changed()
			ed.showPanel()
		})
		if len(def.Languages) == 1 {
			remove.Disable()
		}
		d.LangCodes = append(d.LangCodes, code)
		d.LangNames = append(d.LangNames, name)
		box.Add(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(90, code.MinSize().Height), code), remove, name))
	}
	d.AddLanguage = widget.NewButtonWithIcon(lang.L("Add language"), theme.ContentAddIcon(), func() {
		def.Languages = append(def.Languages, survey.Language{})
		ed.changed()
		ed.showPanel()
	})
	box.Add(container.NewHBox(d.AddLanguage))
	d.content = box
	return d
}

// Content returns the panel's widgets.
func (d *SurveyDetails) Content() fyne.CanvasObject { return d.content }
