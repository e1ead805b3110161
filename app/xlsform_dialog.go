package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
	"canvass/survey/store"
	"canvass/survey/xlsform"
)

// ImportOutcome is what reading an XLSForm workbook gave, before anything
// is saved: the survey it defines, or the problems that refused it.
type ImportOutcome struct {
	Path     string
	Survey   *survey.Survey    // the form as read; nil when it was refused
	Problems []xlsform.Problem // what stopped the import (refused only)
	Warnings []xlsform.Problem // what was left out or changed
	// Questions and Imported count the form's questions and those kept;
	// Dropped lists every row left out.
	Questions, Imported int
	Dropped             []xlsform.Dropped
	// Existing is the latest version of the survey that already has the
	// form's id, if any: importing replaces its definition (as a new
	// version when it has responses).
	Existing *survey.Survey
}

// Refused reports whether the form cannot be imported.
func (o *ImportOutcome) Refused() bool { return o.Survey == nil }

// ReadFormFile reads the XLSForm workbook at path. A form that cannot be
// imported is not an error: the outcome is Refused and lists the problems.
// The error is for a file that cannot be read at all, or a store failure.
func ReadFormFile(ctx context.Context, st *store.Store, path string) (*ImportOutcome, error) {
	def, rep, err := xlsform.ImportFile(path)
	o := &ImportOutcome{Path: path, Survey: def, Warnings: rep.Warnings(), Questions: rep.Questions, Imported: rep.Imported, Dropped: rep.Dropped}
	var ie *xlsform.ImportError
	switch {
	case errors.As(err, &ie):
		o.Survey, o.Problems = nil, ie.Problems
		if len(o.Problems) == 0 {
			o.Problems = []xlsform.Problem{{Severity: xlsform.Error, Message: err.Error()}}
		}
		return o, nil
	case err != nil:
		return nil, fmt.Errorf("import form %s: %w", filepath.Base(path), err)
	}
	existing, err := st.Survey(ctx, def.ID, 0)
	switch {
	case err == nil:
		o.Existing = existing
	case !errors.Is(err, store.ErrNotFound):
		return nil, fmt.Errorf("import form %s: %w", filepath.Base(path), err)
	}
	return o, nil
}

// Save stores the imported form: a new survey, or a new definition of the
// survey with the same id. It returns the stored copy.
func (o *ImportOutcome) Save(ctx context.Context, st *store.Store) (*survey.Survey, error) {
	if o.Refused() {
		return nil, fmt.Errorf("import form %s: it was refused", filepath.Base(o.Path))
	}
	saved, err := st.SaveSurvey(ctx, o.Survey)
	if err != nil {
		return nil, fmt.Errorf("import form %s: %w", filepath.Base(o.Path), err)
	}
	return saved, nil
}

// ShowImportForm asks for an XLSForm workbook (.xlsx) and imports it as a
// survey: a refused form shows its problems; one with warnings, or one that
// would replace an existing survey, asks first; then onDone gets the id.
func ShowImportForm(ctx context.Context, w fyne.Window, st *store.Store, onDone func(id string)) {
	fail := func(err error) { showPlainError(w, lang.L("Import form"), err) }
	pick := filePick{title: lang.L("Import a form (XLSForm workbook)"), ext: ".xlsx", more: []string{".xls"}, folder: documentsFolder(), remember: "import-form"}
	pick.open(w, func(path string) {
		o, err := ReadFormFile(ctx, st, path)
		if err != nil {
			fail(err)
			return
		}
		ShowImportOutcome(ctx, w, st, o, onDone)
	}, fail)
}

// ImportReview is the dialog that shows an import's outcome. Its buttons
// and lines are exposed for tests.
type ImportReview struct {
	Intro  string         // the text above the list
	Lines  []string       // the problems or warnings listed, one per line
	Import *widget.Button // nil when the form was refused or saved straight away
	Close  *widget.Button // Cancel, or Close for a refused form
	Copy   *widget.Button // copies the lines to the clipboard
	// Saved is the survey stored, once it is.
	Saved *survey.Survey
	// Err is why saving failed, if it did.
	Err error
}

// ShowImportOutcome shows what reading a form gave: the problems of a
// refused form; the warnings (and the survey it replaces) with Import and
// Cancel; or, for a clean new form, saves it at once. onDone (may be nil)
// gets the id of the saved survey.
func ShowImportOutcome(ctx context.Context, w fyne.Window, st *store.Store, o *ImportOutcome, onDone func(id string)) *ImportReview {
	rv := &ImportReview{}
	file := filepath.Base(o.Path)
	if o.Refused() {
		rv.Lines = problemLines(o.Problems)
		intro := lang.L("{{.File}} cannot be imported. Fix what is listed below in the workbook, then import it again.", map[string]any{"File": file})
		if len(o.Problems) == 1 {
			intro = lang.L("{{.File}} cannot be imported. Fix the problem below in the workbook, then import it again.", map[string]any{"File": file})
		}
		rv.show(w, lang.L("This form cannot be imported"), intro, nil)
		return rv
	}
	save := func() {
		saved, err := o.Save(ctx, st)
		rv.Saved, rv.Err = saved, err
		if err != nil {
			showPlainError(w, lang.L("Import form"), err)
			return
		}
		if onDone != nil {
			onDone(saved.ID)
		}
	}
	if len(o.Warnings) == 0 && o.Existing == nil {
		save()
		return rv
	}
	def := o.Survey
	var intro []string
	intro = append(intro, lang.L("{{.File}} holds “{{.Title}}” ({{.ID}}): {{.Questions}} questions.",
		map[string]any{"File": file, "Title": def.Title.In(def.DefaultLanguage(), ""), "ID": def.ID, "Questions": def.NumAnswerable()}))
	if ex := o.Existing; ex != nil {
		intro = append(intro, lang.L("A survey with the id {{.ID}} is already here (“{{.Title}}”, version {{.Version}}). Importing replaces its questions with the workbook's; responses already given keep the version they were answered on.",
			map[string]any{"ID": ex.ID, "Title": ex.Title.In(ex.DefaultLanguage(), ""), "Version": ex.Version}))
	}
	if len(o.Dropped) > 0 {
		intro = append(intro, lang.L("Only {{.Imported}} of its {{.Questions}} questions can be imported: the others would not be asked.",
			map[string]any{"Imported": o.Imported, "Questions": o.Questions}))
	}
	if len(o.Warnings) > 0 {
		rv.Lines = problemLines(o.Warnings)
		intro = append(intro, lang.L("Some things in the workbook were left out or changed:"))
	}
	rv.show(w, lang.L("Import “{{.Title}}”?", map[string]any{"Title": def.Title.In(def.DefaultLanguage(), "")}), strings.Join(intro, "\n\n"), save)
	return rv
}

// show lays the review out: the intro, the scrollable list of lines, and
// the buttons (Import and Cancel when doImport is set, else Close).
func (rv *ImportReview) show(w fyne.Window, title, intro string, doImport func()) {
	rv.Intro = intro
	introLabel := widget.NewLabel(intro)
	introLabel.Wrapping = fyne.TextWrapWord
	list := container.NewVBox()
	for _, l := range rv.Lines {
		line := widget.NewLabel(l)
		line.Wrapping = fyne.TextWrapWord
		list.Add(line)
	}
	var body fyne.CanvasObject = introLabel
	if len(rv.Lines) > 0 {
		scroll := container.NewVScroll(list)
		scroll.SetMinSize(fyne.NewSize(620, 300))
		body = container.NewBorder(introLabel, nil, nil, nil, scroll)
	}
	d := dialog.NewCustomWithoutButtons(title, body, w)
	rv.Copy = widget.NewButton(lang.L("Copy list"), func() {
		fyne.CurrentApp().Clipboard().SetContent(strings.Join(rv.Lines, "\n"))
	})
	var buttons []fyne.CanvasObject
	if len(rv.Lines) > 0 {
		buttons = append(buttons, rv.Copy)
	}
	if doImport != nil {
		rv.Close = widget.NewButton(lang.L("Cancel"), d.Hide)
		rv.Import = widget.NewButton(lang.L("Import"), func() {
			d.Hide()
			doImport()
		})
		rv.Import.Importance = widget.HighImportance
		buttons = append(buttons, rv.Close, rv.Import)
	} else {
		rv.Close = widget.NewButton(lang.L("Close"), d.Hide)
		rv.Close.Importance = widget.HighImportance
		buttons = append(buttons, rv.Close)
	}
	d.SetButtons(buttons)
	d.Resize(fyne.NewSize(720, 520))
	d.Show()
}

// problemLines writes each problem as one line, its place first: `survey
// sheet, row 12, column "relevant" (C12): …`.
func problemLines(ps []xlsform.Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// ShowExportForm asks where to save a survey's latest version as an
// XLSForm workbook, writes it, and says where it went. It returns an error
// (for the caller to show) when the survey cannot be read.
func ShowExportForm(ctx context.Context, w fyne.Window, st *store.Store, surveyID string) error {
	def, err := st.Survey(ctx, surveyID, 0)
	if err != nil {
		return fmt.Errorf("export form %q: %w", surveyID, err)
	}
	name := fmt.Sprintf("%s-form-v%d.xlsx", def.ID, def.Version)
	askSavePath(w, lang.L("Save the form as"), name, ".xlsx", documentsFolder(), func(chosen string) {
		path, err := ExportFormFile(ctx, st, surveyID, chosen)
		if err != nil {
			showPlainError(w, lang.L("Export form"), err)
			return
		}
		showSaved(w, lang.L("Form exported"), lang.L("“{{.Title}}” (version {{.Version}}) saved to {{.Path}}. Edit it in Excel, then import it again.",
			map[string]any{"Title": def.Title.In(def.DefaultLanguage(), ""), "Version": def.Version, "Path": path}), path)
	})
	return nil
}

// ExportFormFile writes the latest version of a survey as an XLSForm
// workbook to path (adding .xlsx when the name has no extension) and
// returns the path written.
func ExportFormFile(ctx context.Context, st *store.Store, surveyID, chosen string) (string, error) {
	path, err := withExtension(chosen, ".xlsx")
	if path != chosen {
		dropPlaceholder(chosen)
	}
	if err != nil {
		return "", err
	}
	def, err := st.Survey(ctx, surveyID, 0)
	if err != nil {
		dropPlaceholder(path)
		return "", fmt.Errorf("export form %q: %w", surveyID, err)
	}
	if err := xlsform.ExportFile(def, path, st.OwnFiles()...); err != nil {
		dropPlaceholder(path)
		return "", err
	}
	return path, nil
}

// showSaved says a file was saved, with Open folder and Close buttons.
func showSaved(w fyne.Window, title, message, path string) {
	text := widget.NewLabel(message)
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomWithoutButtons(title, text, w)
	open := widget.NewButton(lang.L("Open folder"), func() {
		if err := fyne.CurrentApp().OpenURL(folderURL(path)); err != nil {
			text.SetText(message + "\n" + lang.L("The folder could not be opened:") + " " + err.Error())
		}
	})
	closeButton := widget.NewButton(lang.L("Close"), d.Hide)
	closeButton.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{open, closeButton})
	d.Resize(fyne.NewSize(520, 200))
	d.Show()
}

// showPlainError shows err as a wrapped message under title.
func showPlainError(w fyne.Window, title string, err error) {
	text := widget.NewLabel(err.Error())
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, lang.L("Close"), text, w)
	d.Resize(fyne.NewSize(520, 220))
	d.Show()
}
