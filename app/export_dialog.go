package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"canvass/export"
	"canvass/survey"
	"canvass/survey/encryption"
	"canvass/survey/settings"
	"canvass/survey/store"
)

// ExportDialog is the Export dialog of one survey: the export options,
// then a save dialog, then the export with a progress bar and a summary.
// Its widgets are exposed so that tests can set them.
type ExportDialog struct {
	Format       *widget.RadioGroup // Excel workbook or CSV file
	Event        *widget.Select     // "All events", then each event
	From, To     *widget.DateEntry  // first and last day the responses were started on; blank: any
	CompleteOnly *widget.Check
	NoPersonal   *widget.Check
	Codes        *widget.Check
	Long         *widget.Check
	Password     *widget.Entry // blank: not encrypted; a CSV file with one is encrypted as .csv.age
	Confirm      *widget.Entry // the password again
	// Unencrypted allows an export with personal questions without a
	// password; shown only when the export holds personal questions.
	Unencrypted *widget.Check
	// Opens says what opens the file (Excel, canvass decrypt or age).
	Opens        *widget.Label
	opensOther   *widget.Label // hidden: the other format's note, so the room of the longer one is kept
	messageRoom  *widget.Label // hidden: the longest message, so that its room is kept
	Matching     *widget.Label // how many responses the options select
	Message      *widget.Label // what is wrong with the options, if anything
	ExportButton *widget.Button
	CancelButton *widget.Button // closes the dialog; during an export, stops it

	// Progress shows how far an export has got.
	Progress *widget.ProgressBar
	// Finished is the summary of the last export, or why it failed.
	Finished *widget.Label
	// OpenFolder opens the folder of the last export's file.
	OpenFolder *widget.Button

	// Path, Result and Err tell what the last export did.
	Path   string
	Result export.Result
	Err    error

	ctx      context.Context
	win      fyne.Window
	st       *store.Store
	def      *survey.Survey
	events   []survey.Event
	formats  []export.Format // by option of Format
	defaults settings.Export // what the dialog starts from (see survey/settings)

	dlg, progressDlg, doneDlg *dialog.CustomDialog
	progressText              *widget.Label
	body                      *fyne.Container // the options, the dialog's content
	personal                  string          // the personal questions of the survey, described ("" when none)

	mu         sync.Mutex
	cancel     context.CancelFunc // stops the running export; nil when none runs
	busy       sync.WaitGroup
	openURL    func(*url.URL) error
	onProgress func(done, total int) // tests: called on the UI goroutine after each progress update
}

// ShowExport opens the Export dialog for a survey over w, starting from the
// options used last time. It returns an error (for the caller to show) when
// the survey or the events cannot be read.
func ShowExport(ctx context.Context, w fyne.Window, st *store.Store, surveyID string) (*ExportDialog, error) {
	def, err := st.Survey(ctx, surveyID, 0)
	if err != nil {
		return nil, fmt.Errorf("export survey %q: %w", surveyID, err)
	}
	events, err := st.Events(ctx)
	if err != nil {
		return nil, fmt.Errorf("export survey %q: %w", surveyID, err)
	}
	d := &ExportDialog{
		ctx: ctx, win: w, st: st, def: def, events: events,
		defaults: loadExportSettings(ctx, st),
		openURL:  fyne.CurrentApp().OpenURL,
	}
	d.build()
	d.dlg = dialog.NewCustomWithoutButtons(lang.L("Export responses: {{.Title}}", map[string]any{"Title": def.Title.In(def.DefaultLanguage(), "")}), d.content(), w)
	d.dlg.SetButtons([]fyne.CanvasObject{d.CancelButton, d.ExportButton})
	d.dlg.Resize(fyne.NewSize(640, 620))
	d.dlg.Show()
	return d, nil
}

// build makes the option widgets and sets them from the remembered choices.
func (d *ExportDialog) build() {
	xlsx, csv := lang.L("Excel workbook (.xlsx)"), lang.L("CSV file (.csv)")
	d.formats = []export.Format{export.FormatXLSX, export.FormatCSV}
	d.Format = widget.NewRadioGroup([]string{xlsx, csv}, nil)
	d.Format.Horizontal = true
	d.Format.Required = true

	options := []string{lang.L("All events")}
	selected := 0
	for i, ev := range d.events {
		options = append(options, eventLine(ev))
		if ev.ID == d.defaults.EventID {
			selected = i + 1
		}
	}
	d.Event = widget.NewSelect(options, nil)

	d.From, d.To = widget.NewDateEntry(), widget.NewDateEntry()
	d.From.SetPlaceHolder(lang.L("first day (any)"))
	d.To.SetPlaceHolder(lang.L("last day (any)"))

	d.CompleteOnly = widget.NewCheck(lang.L("Complete responses only (leave out drafts and abandoned ones)"), nil)
	d.NoPersonal = widget.NewCheck(lang.L("Leave out personal questions"), nil)
	d.Codes = widget.NewCheck(lang.L("Answer codes instead of labels"), nil)
	d.Long = widget.NewCheck(lang.L("Long layout: one row per answer instead of one per response"), nil)
	d.Password = widget.NewPasswordEntry()
	d.Confirm = widget.NewPasswordEntry()
	d.Unencrypted = widget.NewCheck(lang.L("Save without a password: anyone who finds the file can read the personal answers"), func(bool) { d.showFormat() })
	d.Opens = widget.NewLabel("")
	d.Opens.Wrapping = fyne.TextWrapWord
	d.Opens.TextStyle = fyne.TextStyle{Italic: true} // a note; not LowImportance, whose grey is about 1.5:1 on the dialog
	d.opensOther = widget.NewLabel("")
	d.opensOther.Wrapping = fyne.TextWrapWord
	d.opensOther.TextStyle = d.Opens.TextStyle
	d.opensOther.Hide()
	d.personal = describePersonal(d.def)

	d.Matching = widget.NewLabel("")
	d.Matching.TextStyle = fyne.TextStyle{Bold: true}
	d.Message = widget.NewLabel("")
	d.Message.Wrapping = fyne.TextWrapWord
	d.Message.Importance = widget.DangerImportance
	d.Message.Hide()
	// The longest message the options can bring up keeps its room, hidden,
	// so that a message does not grow the dialog under the pointer.
	d.messageRoom = widget.NewLabel(errPasswordsDiffer().Error())
	if d.personal != "" {
		d.messageRoom.SetText(d.errPersonal().Error())
	}
	d.messageRoom.Wrapping = fyne.TextWrapWord
	d.messageRoom.Hide()

	d.ExportButton = widget.NewButton(lang.L("Export…"), d.askFile)
	d.ExportButton.Importance = widget.HighImportance
	d.CancelButton = widget.NewButton(lang.L("Cancel"), d.close)

	d.Progress = widget.NewProgressBar()
	d.progressText = widget.NewLabel("")
	d.Finished = widget.NewLabel("")
	d.Finished.Wrapping = fyne.TextWrapWord
	d.OpenFolder = widget.NewButton(lang.L("Open folder"), d.openFolder)

	// Set the remembered choices before the callbacks are wired, so that
	// setting them does not count the responses once per widget.
	d.Format.SetSelected(xlsx)
	if d.defaults.Format == export.FormatCSV.String() {
		d.Format.SetSelected(csv)
	}
	d.Event.SetSelectedIndex(selected)
	d.CompleteOnly.SetChecked(d.defaults.CompleteOnly)
	d.NoPersonal.SetChecked(d.defaults.NoPersonal)
	d.NoPersonal.OnChanged = func(bool) { d.showFormat() }
	d.Codes.SetChecked(d.defaults.Codes)
	d.Long.SetChecked(d.defaults.Long)

	d.Format.OnChanged = func(string) { d.showFormat(); d.update() }
	d.Event.OnChanged = func(string) { d.update() }
	d.From.OnChanged = func(*time.Time) { d.update() }
	d.To.OnChanged = func(*time.Time) { d.update() }
	d.CompleteOnly.OnChanged = func(bool) { d.update() }
}

// content lays the options out as a form.
func (d *ExportDialog) content() fyne.CanvasObject {
	label := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	}
	pwLabel, confirmLabel := label(lang.L("Password")), label(lang.L("Password again"))
	pwGap, plainGap := widget.NewLabel(""), widget.NewLabel("")

	dates := container.NewGridWithColumns(2, d.From, d.To)
	include := container.NewVBox(d.CompleteOnly, d.NoPersonal)
	layoutChecks := container.NewVBox(d.Codes, d.Long)
	form := container.New(layout.NewFormLayout(),
		label(lang.L("Format")), d.Format,
		label(lang.L("Event")), d.Event,
		label(lang.L("Started between")), dates,
		label(lang.L("Responses")), include,
		label(lang.L("Layout")), layoutChecks,
		pwLabel, d.Password,
		confirmLabel, d.Confirm,
		pwGap, container.New(keepRoom{}, d.Opens, d.opensOther),
		plainGap, d.unencryptedRow(),
	)
	d.showFormat()
	d.update()
	d.body = container.NewVBox(form, widget.NewSeparator(), d.Matching, container.New(keepRoom{}, d.Message, d.messageRoom))
	return d.body
}

// showFormat says what opens the file in the chosen format, and offers
// "without a password" only when the export holds personal questions.
func (d *ExportDialog) showFormat() {
	personal := d.personal != "" && !d.NoPersonal.Checked
	setVisible(d.Unencrypted, personal)
	d.Password.SetPlaceHolder(lang.L("optional"))
	if personal {
		d.Password.SetPlaceHolder(lang.L("needed: the export holds personal questions"))
	}
	// Both notes are set, the other format's hidden, so that the note's room is the longer one's.
	other := lang.L("With a password (at least {{.N}} characters) the CSV file is encrypted and saved as .csv.age. To open it: canvass decrypt FILE.csv.age --out FILE.csv --passphrase-file PASSWORD.txt on a laptop with Canvass, or the free age tool (age -d). Excel cannot open it until then.",
		map[string]any{"N": encryption.MinPassphrase})
	shown := lang.L("Excel asks for this password when it opens the workbook (so do LibreOffice and Numbers).")
	if d.format() == export.FormatCSV {
		shown, other = other, shown
	}
	d.Opens.SetText(shown)
	d.opensOther.SetText(other)
}

// unencryptedRow holds "Save without a password", keeping its room while it
// is hidden, when the survey has personal questions to leave out.
func (d *ExportDialog) unencryptedRow() fyne.CanvasObject {
	if d.personal == "" {
		return d.Unencrypted
	}
	return container.New(keepRoom{}, d.Unencrypted)
}

// keepRoom stacks its objects and takes the room of the tallest and widest
// of them, hidden ones included: what it shows can change without the
// dialog around it growing, shrinking and being centred again, which moved
// the check boxes away from under the pointer.
type keepRoom struct{}

func (keepRoom) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (keepRoom) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// describePersonal names the survey's personal questions ("" when none).
func describePersonal(def *survey.Survey) string {
	var names []string
	for _, q := range def.Fields() {
		if q.Personal {
			names = append(names, q.Name)
		}
	}
	return strings.Join(names, ", ")
}

func setVisible(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}

// format is the chosen file format.
func (d *ExportDialog) format() export.Format {
	for i, o := range d.Format.Options {
		if o == d.Format.Selected {
			return d.formats[i]
		}
	}
	return export.FormatXLSX
}

// update counts the responses the options select and clears an old message.
func (d *ExportDialog) update() {
	d.Message.Hide()
	opts, err := d.filterOptions()
	if err != nil {
		d.Matching.SetText("")
		return
	}
	counts, err := d.st.CountResponses(d.ctx, opts.Filter())
	if err != nil {
		d.Matching.SetText(err.Error())
		return
	}
	d.Matching.SetText(lang.L("{{.Responses}} match these options", map[string]any{"Responses": responsesText(counts.Total())}))
}

// Options returns the export options the widgets describe, or what is wrong
// with them (dates that are not dates or the wrong way round, passwords
// that differ).
func (d *ExportDialog) Options() (export.Options, error) {
	opts, err := d.filterOptions()
	if err != nil {
		return export.Options{}, err
	}
	opts.NoPersonal = d.NoPersonal.Checked
	opts.Codes = d.Codes.Checked
	opts.Long = d.Long.Checked
	opts.Location = time.Local
	opts.AppVersion = fyne.CurrentApp().Metadata().Version
	if d.Password.Text != d.Confirm.Text {
		return export.Options{}, errPasswordsDiffer()
	}
	if d.Password.Text == "" && d.personal != "" && !opts.NoPersonal && !d.Unencrypted.Checked {
		return export.Options{}, d.errPersonal()
	}
	if d.format() == export.FormatXLSX {
		opts.Password = d.Password.Text
	} else if _, err := d.csvLock(); err != nil {
		return export.Options{}, err
	}
	return opts, nil
}

func errPasswordsDiffer() error {
	return errors.New(lang.L("The two passwords are not the same. Type the password again in both boxes."))
}

// errPersonal says the export holds personal questions and no password.
func (d *ExportDialog) errPersonal() error {
	return errors.New(lang.L("The export holds personal questions ({{.Names}}): give it a password, leave them out, or tick “Save without a password”.", map[string]any{"Names": d.personal}))
}

// csvLock is the lock of a CSV export: the password's, or none without one.
func (d *ExportDialog) csvLock() (encryption.Lock, error) {
	if d.format() != export.FormatCSV || d.Password.Text == "" {
		return encryption.Lock{}, nil
	}
	l, err := encryption.PassphraseLock(d.Password.Text)
	if err != nil {
		return l, errors.New(lang.L("The password of an encrypted CSV file needs at least {{.N}} characters.", map[string]any{"N": encryption.MinPassphrase}))
	}
	return l, nil
}

// filterOptions reads the options that choose the responses.
func (d *ExportDialog) filterOptions() (export.Options, error) {
	opts := export.Options{SurveyID: d.def.ID, CompleteOnly: d.CompleteOnly.Checked}
	if i := d.Event.SelectedIndex(); i > 0 && i <= len(d.events) {
		opts.EventID = d.events[i-1].ID
	}
	from, err := dayOf(d.From, lang.L("The first day"))
	if err != nil {
		return export.Options{}, err
	}
	last, err := dayOf(d.To, lang.L("The last day"))
	if err != nil {
		return export.Options{}, err
	}
	if !from.IsZero() && !last.IsZero() && last.Before(from) {
		return export.Options{}, errors.New(lang.L("The first day is after the last day."))
	}
	opts.From = from
	if !last.IsZero() {
		opts.To = last.AddDate(0, 0, 1) // the whole of the last day
	}
	return opts, nil
}

// dayOf reads a date entry as local midnight; blank is the zero time.
func dayOf(e *widget.DateEntry, what string) (time.Time, error) {
	if strings.TrimSpace(e.Text) == "" {
		return time.Time{}, nil
	}
	bad := e.Date == nil
	if !bad && e.Validator != nil {
		bad = e.Validator(e.Text) != nil // the entry keeps its last good date while a wrong one is typed
	}
	if bad {
		return time.Time{}, fmt.Errorf("%s", lang.L("{{.What}} “{{.Text}}” is not a date: pick one from the calendar or clear it.", map[string]any{"What": what, "Text": e.Text}))
	}
	y, m, day := e.Date.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, time.Local), nil
}

// DefaultFileName is the name the save dialog offers: the survey id, the
// day and the format's extension, such as engagement-2026-11-25.xlsx.
func (d *ExportDialog) DefaultFileName(day time.Time) string {
	return d.def.ID + "-" + day.Format("2006-01-02") + "." + d.format().String()
}

// askFile checks the options, then asks where to save the export.
func (d *ExportDialog) askFile() {
	if _, err := d.Options(); err != nil {
		d.showMessage(err)
		return
	}
	ext := "." + d.format().String()
	askSavePath(d.win, lang.L("Save the export as"), d.DefaultFileName(time.Now()), ext, d.folder(), func(path string) {
		if err := d.ExportTo(path); err != nil {
			d.showMessage(err)
		}
	})
}

// folder is where the save dialog opens: the last export's folder, or the user's Documents.
func (d *ExportDialog) folder() string {
	if d.defaults.Folder != "" {
		return d.defaults.Folder
	}
	return documentsFolder()
}

func (d *ExportDialog) showMessage(err error) {
	d.Message.SetText(err.Error())
	d.Message.Show()
}

// ExportTo exports to path (the format's extension is added when the name
// has none) in the background, with a progress bar and a Cancel button,
// then shows a summary. It returns at once; an error means the export did
// not start (bad options, a file name with the other format's extension).
// Wait waits for the export to end.
func (d *ExportDialog) ExportTo(chosen string) error {
	opts, err := d.Options()
	if err != nil {
		return err
	}
	lock, err := d.csvLock()
	if err != nil {
		return err
	}
	path, err := withExtension(strings.TrimSuffix(chosen, encryption.Ext), "."+d.format().String())
	if err != nil {
		dropPlaceholder(chosen)
		return err
	}
	if !lock.IsZero() {
		path += encryption.Ext
	}
	if path != chosen {
		dropPlaceholder(chosen)
	}
	d.remember(opts, filepath.Dir(path))

	ctx, cancel := context.WithCancel(d.ctx)
	d.mu.Lock()
	d.cancel = cancel
	d.mu.Unlock()
	d.Path, d.Result, d.Err = path, export.Result{}, nil
	if d.dlg != nil {
		d.dlg.Hide()
	}
	d.showProgress(path)

	progress := func(done, total int) {
		fyne.Do(func() { d.setProgress(done, total) })
	}
	d.busy.Add(1)
	go func() {
		defer d.busy.Done()
		var res export.Result
		var err error
		if lock.IsZero() {
			res, err = runExport(ctx, d.st, opts, path, progress)
		} else {
			opts.SingleFile = true // only the one sealed file reaches the user
			err = encryption.WriteSealed(path, lock, func(plain string) error {
				res, err = runExport(ctx, d.st, opts, plain, progress)
				return err
			})
		}
		cancel()
		if err != nil {
			dropPlaceholder(path) // the empty file the save dialog made
		}
		fyne.DoAndWait(func() { d.finish(res, err, opts.Password != "" || !lock.IsZero()) })
	}()
	return nil
}

// runExport writes the export the options describe to path, telling
// progress how many responses are done out of how many.
func runExport(ctx context.Context, st *store.Store, opts export.Options, path string, progress func(done, total int)) (export.Result, error) {
	counts, err := st.CountResponses(ctx, opts.Filter())
	if err != nil {
		return export.Result{}, fmt.Errorf("count the responses to export: %w", err)
	}
	opts.Total = counts.Total()
	opts.Progress = progress
	return export.ToFile(ctx, st, opts, path)
}

// remember keeps the options for the next export, in the settings the
// Settings screen shows.
func (d *ExportDialog) remember(opts export.Options, folder string) {
	d.defaults = settings.Export{
		Format: d.format().String(), EventID: opts.EventID, CompleteOnly: opts.CompleteOnly,
		NoPersonal: opts.NoPersonal, Codes: opts.Codes, Long: opts.Long, Folder: folder,
	}
	_ = settings.SaveExport(d.ctx, d.st, d.defaults) // best effort: the export matters more than remembering it
}

// loadExportSettings reads what an export starts from; a store that
// cannot be read gives the plain defaults (it must never stop an export).
func loadExportSettings(ctx context.Context, st *store.Store) settings.Export {
	e, err := settings.LoadExport(ctx, st)
	if err != nil {
		return settings.Export{}
	}
	return e
}

// showProgress shows the progress dialog with its Cancel button.
func (d *ExportDialog) showProgress(path string) {
	d.Progress.Min, d.Progress.Max = 0, 1
	d.Progress.SetValue(0)
	d.progressText.SetText(lang.L("Starting…"))
	d.CancelButton.SetText(lang.L("Cancel"))
	d.CancelButton.Enable()
	to := widget.NewLabel(lang.L("Exporting to {{.File}}", map[string]any{"File": filepath.Base(path)}))
	to.Wrapping = fyne.TextWrapWord
	d.progressDlg = dialog.NewCustomWithoutButtons(lang.L("Exporting…"), container.NewVBox(to, d.Progress, d.progressText), d.win)
	d.progressDlg.SetButtons([]fyne.CanvasObject{d.CancelButton})
	d.progressDlg.Resize(fyne.NewSize(480, 200))
	d.progressDlg.Show()
}

func (d *ExportDialog) setProgress(done, total int) {
	if total > 0 {
		d.Progress.Max = float64(total)
	}
	d.Progress.SetValue(float64(done))
	d.progressText.SetText(lang.L("{{.Done}} of {{.Total}} responses", map[string]any{"Done": groupDigits(done), "Total": groupDigits(total)}))
	if d.onProgress != nil {
		d.onProgress(done, total)
	}
}

// Cancel stops the running export, if any, leaving no file behind.
func (d *ExportDialog) Cancel() {
	d.mu.Lock()
	cancel := d.cancel
	d.mu.Unlock()
	if cancel != nil {
		cancel()
		d.CancelButton.SetText(lang.L("Cancelling…"))
		d.CancelButton.Disable()
	}
}

// close is the Cancel button: it stops an export, or closes the options.
func (d *ExportDialog) close() {
	d.mu.Lock()
	running := d.cancel != nil
	d.mu.Unlock()
	if running {
		d.Cancel()
		return
	}
	if d.dlg != nil {
		d.dlg.Hide()
	}
}

// Wait blocks until the running export (if any) has ended and its summary
// is shown. Call it from a goroutine other than the Fyne main one (tests).
func (d *ExportDialog) Wait() { d.busy.Wait() }

// finish replaces the progress dialog with the export's summary, or says
// why it failed; closing a failure goes back to the options.
func (d *ExportDialog) finish(res export.Result, err error, encrypted bool) {
	d.mu.Lock()
	d.cancel = nil
	d.mu.Unlock()
	d.Result, d.Err = res, err
	if d.progressDlg != nil {
		d.progressDlg.Hide()
	}
	title := lang.L("Export finished")
	buttons := []fyne.CanvasObject{d.OpenFolder}
	switch {
	case errors.Is(err, context.Canceled):
		title = lang.L("Export cancelled")
		d.Finished.SetText(lang.L("The export was cancelled. No file was written."))
		buttons = nil
	case err != nil:
		title = lang.L("Export failed")
		d.Finished.SetText(lang.L("The export failed, and no file was written:") + "\n" + err.Error())
		buttons = nil
	default:
		text := lang.L("{{.Responses}} exported to {{.Path}}", map[string]any{"Responses": responsesText(res.Responses), "Path": d.Path})
		if len(res.Files) > 1 {
			text += "\n" + lang.L("Each repeat group has a file of its own beside it:") + " " + repeatFileNames(res.Files[1:])
		}
		switch {
		case encrypted && d.format() == export.FormatCSV:
			text += "\n" + lang.L("The file is encrypted with the password you gave: open it with canvass decrypt or the age tool (age -d).")
		case encrypted:
			text += "\n" + lang.L("The workbook is protected with the password you gave.")
		}
		d.Finished.SetText(text)
	}
	closeButton := widget.NewButton(lang.L("Close"), nil)
	closeButton.Importance = widget.HighImportance
	d.doneDlg = dialog.NewCustomWithoutButtons(title, d.Finished, d.win)
	closeButton.OnTapped = func() {
		d.doneDlg.Hide()
		if err != nil && d.dlg != nil {
			d.dlg.Show()
		}
	}
	d.doneDlg.SetButtons(append(buttons, closeButton))
	d.doneDlg.Resize(fyne.NewSize(520, 220))
	d.doneDlg.Show()
}

// openFolder opens the folder of the last export in the system's file manager.
func (d *ExportDialog) openFolder() {
	if d.Path == "" {
		return
	}
	if err := d.openURL(folderURL(d.Path)); err != nil {
		d.Finished.SetText(d.Finished.Text + "\n" + lang.L("The folder could not be opened:") + " " + err.Error())
	}
}

// folderURL is the file:// URL of the folder holding path.
func folderURL(path string) *url.URL {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		dir = filepath.Dir(path)
	}
	return &url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}
}

// responsesText says how many responses, such as "1 response" or "1 234 responses".
func responsesText(n int) string {
	if n == 1 {
		return lang.L("1 response")
	}
	return lang.L("{{.Count}} responses", map[string]any{"Count": groupDigits(n)})
}

// groupDigits writes n with its thousands separated by a no-break space: 1 234 567.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u00a0")
		}
		b.WriteRune(r)
	}
	return b.String()
}

// askSavePath shows a save dialog titled title offering name in folder,
// listing the files with extension ext, and calls then with the path chosen
// (not when the dialog is cancelled); an error from the dialog is shown in
// an information dialog. Fyne's dialog has created or emptied the file by
// then; dropPlaceholder removes it when nothing is written to it.
func askSavePath(w fyne.Window, title, name, ext, folder string, then func(path string)) {
	pick := filePick{title: title, ext: ext, folder: folder, name: name}
	pick.save(w, then, func(err error) { dialog.NewInformation(title, err.Error(), w).Show() })
}

// documentsFolder is the user's Documents folder, or their home folder, or "".
func documentsFolder() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	if fi, err := os.Stat(filepath.Join(home, "Documents")); err == nil && fi.IsDir() {
		return filepath.Join(home, "Documents")
	}
	return home
}

// knownExtensions are the file extensions Canvass writes.
var knownExtensions = []string{".xlsx", ".csv"}

// withExtension returns path ending in ext (".xlsx"): as it is when it does,
// with ext added when it has no extension or an unknown one, and an error
// when it ends in another extension Canvass writes (".csv" for a workbook).
func withExtension(path, ext string) (string, error) {
	have := filepath.Ext(path)
	if strings.EqualFold(have, ext) {
		return path, nil
	}
	for _, k := range knownExtensions {
		if strings.EqualFold(have, k) {
			return "", errors.New(lang.L("The file name {{.Name}} ends in {{.Have}}, but a {{.Want}} file is being saved. Change the name, or the format.",
				map[string]any{"Name": filepath.Base(path), "Have": have, "Want": ext}))
		}
	}
	return path + ext, nil
}

// dropPlaceholder removes path when it is an empty file: the one the save
// dialog created, when nothing was written to it after all.
func dropPlaceholder(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		_ = os.Remove(path) // best effort: an empty file is harmless
	}
}

// repeatFileNames lists the names of the repeat files an export wrote.
func repeatFileNames(paths []string) string {
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	return strings.Join(names, ", ")
}
