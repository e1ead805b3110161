package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
	"canvass/survey/encryption"
	"canvass/survey/store"
)

// bundleExt is the extension of bundle files.
const bundleExt = ".canvass"

// MergeDialog is the "Merge bundles" dialog: staff add bundle files from
// other laptops one at a time (each is checked as it is added), then Merge
// merges them in turn with a progress bar and shows what each brought.
// Its widgets are exposed so that tests can drive them.
type MergeDialog struct {
	AddButton   *widget.Button // opens a file picker for one more bundle
	MergeButton *widget.Button
	CloseButton *widget.Button
	Progress    *widget.ProgressBar
	// Message says what is happening, or what is wrong with a file.
	Message *widget.Label
	// Report shows what the last merge did: for each bundle (and, for
	// several, all of them) a heading, a row per kind of thing counted, and
	// what needs a look, in words; then the bundles that failed.
	Report *fyne.Container
	// Conflicts says, after a merge, which surveys have responses in two
	// versions waiting for staff to keep one; hidden when none wait.
	Conflicts *widget.Label
	// ResolveButtons open the response browser of each survey named in
	// Conflicts (in ConflictSurveys order); there are none unless OnResolve is set.
	ResolveButtons []*widget.Button
	// ConflictSurveys are the ids of the surveys with unresolved conflicts,
	// as found after the last merge.
	ConflictSurveys []string
	// OnResolve, if set, opens the response browser of a survey on its
	// conflicts; the dialog closes first.
	OnResolve func(surveyID string)
	// Browser is the response browser a resolve button opened, if any.
	Browser *ResponsesScreen
	// Secrets asks for the passphrase of an encrypted bundle.
	Secrets *secrets

	ctx    context.Context
	win    fyne.Window
	st     *store.Store
	onDone func()

	// files are the bundles waiting, each checked once as it was added
	// (store.OpenBundle: a private checked copy, closed when it leaves the list).
	files   []*store.Bundle
	list    *fyne.Container
	resolve *fyne.Container
	// filesScroll holds the list, as tall as three bundles at most, so
	// that the report below keeps its room.
	filesScroll *container.Scroll
	body        *fyne.Container
	dlg         *dialog.CustomDialog
	reports     []store.MergeReport
	failed      []error
	running     bool
	busy        sync.WaitGroup
}

// ShowMerge opens the "Merge bundles" dialog over w. onDone, if not nil,
// runs on the UI goroutine after each merge, so that the caller can
// refresh what it shows.
func ShowMerge(ctx context.Context, w fyne.Window, st *store.Store, onDone func()) *MergeDialog {
	d := &MergeDialog{ctx: ctx, win: w, st: st, onDone: onDone,
		Secrets: &secrets{ctx: ctx, win: w, st: st}}
	d.build()
	d.dlg = dialog.NewCustomWithoutButtons(lang.L("Merge bundles from other laptops"), d.content(), w)
	d.dlg.SetButtons([]fyne.CanvasObject{d.CloseButton, d.MergeButton})
	d.dlg.Resize(fyne.NewSize(720, 600))
	d.dlg.Show()
	return d
}

func (d *MergeDialog) build() {
	d.AddButton = widget.NewButtonWithIcon(lang.L("Add bundle…"), theme.ContentAddIcon(), d.askFile)
	d.MergeButton = widget.NewButtonWithIcon(lang.L("Merge"), theme.ConfirmIcon(), func() {
		if err := d.Merge(); err != nil {
			d.say(err)
		}
	})
	d.MergeButton.Importance = widget.HighImportance
	d.CloseButton = widget.NewButton(lang.L("Close"), func() {
		if !d.running && d.dlg != nil {
			d.closeFiles()
			d.dlg.Hide()
		}
	})
	d.Progress = widget.NewProgressBar()
	d.Progress.Hide()
	d.Message = widget.NewLabel("")
	d.Message.Wrapping = fyne.TextWrapWord
	d.Report = container.NewVBox()
	d.Conflicts = widget.NewLabel("")
	d.Conflicts.Wrapping = fyne.TextWrapWord
	d.Conflicts.Importance = widget.WarningImportance
	d.Conflicts.Hide()
	d.resolve = container.NewHBox()
	d.list = container.NewVBox()
	d.update()
}

func (d *MergeDialog) content() fyne.CanvasObject {
	intro := widget.NewLabel(lang.L("Add the bundle files (.canvass) made on the other laptops, one at a time, then press Merge. Nothing here is overwritten: responses already here are skipped, and a response that differs from the one here is kept beside it as a conflict for you to resolve in the response browser."))
	intro.Wrapping = fyne.TextWrapWord
	d.filesScroll = container.NewVScroll(d.list)
	d.fitFiles()
	top := container.NewVBox(intro, d.filesScroll, container.NewHBox(d.AddButton), d.Progress, d.Message, d.Conflicts, d.resolve)
	d.body = container.NewBorder(top, nil, nil, nil, container.NewVScroll(d.Report))
	return d.body
}

// fitFiles makes the list of bundles as tall as its rows, up to three.
func (d *MergeDialog) fitFiles() {
	if d.filesScroll == nil {
		return
	}
	h := d.list.MinSize().Height
	if len(d.list.Objects) > 3 {
		h = 3*d.list.Objects[0].MinSize().Height + 2*theme.Padding()
	}
	d.filesScroll.SetMinSize(fyne.NewSize(0, h))
}

// relayout lays the dialog out again after rows or the progress bar came or went.
func (d *MergeDialog) relayout() {
	if d.body != nil {
		d.body.Refresh()
	}
}

// Files returns the paths of the bundles waiting to be merged.
func (d *MergeDialog) Files() []string {
	out := make([]string, len(d.files))
	for i, f := range d.files {
		out[i] = f.Info.Path
	}
	return out
}

// closeFiles empties the list, removing the checked copies of its bundles.
func (d *MergeDialog) closeFiles() {
	for _, b := range d.files {
		b.Close()
	}
	d.files = nil
}

// AddFile checks the bundle at path and adds it to the list; a file that
// is not a bundle this Canvass can merge, or is listed already, is refused
// with the reason (also shown in the dialog). An encrypted bundle is opened
// with the private key file named in Settings, or the passphrase, asked
// for (then it is added once the passphrase is given), and authenticated
// completely before it is checked.
func (d *MergeDialog) AddFile(path string) error {
	err := d.addFile(path)
	d.say(err)
	if n := len(d.files); err == nil && n > 0 && d.files[n-1].Info.Path == path {
		d.warnOwn(d.files[n-1].Info)
	}
	return err
}

// warnOwn says, for a bundle this laptop made, that merging it adds nothing.
func (d *MergeDialog) warnOwn(f store.BundleInfo) {
	if !d.ownBundle(f) {
		return
	}
	d.Message.Importance = widget.WarningImportance
	d.Message.SetText(lang.L("This laptop's own bundle: everything in it is here already, so merging it adds nothing. Was another laptop's bundle meant?"))
}

func (d *MergeDialog) addFile(path string) error {
	if d.running {
		return errors.New(lang.L("Wait for the merge to finish."))
	}
	for _, f := range d.files {
		if same, _ := samePath(f.Info.Path, path); same || f.Info.Path == path {
			return errors.New(lang.L("{{.File}} is in the list already.", map[string]any{"File": filepath.Base(path)}))
		}
	}
	if same, _ := samePath(path, d.st.Path()); same {
		return errors.New(lang.L("That is the database Canvass has open, not a bundle."))
	}
	var opened *store.Bundle
	err := d.Secrets.key(path, lang.L("bundle"), func(k encryption.Key) error {
		return encryption.WithOpened(path, k, func(plain string) error {
			b, err := store.OpenBundle(d.ctx, plain)
			if err != nil {
				return err
			}
			b.Info.Path = path
			opened = b
			return nil
		})
	}, func() {
		d.files = append(d.files, opened)
		d.update()
		d.say(nil)
		d.warnOwn(opened.Info)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return nil
}

// RemoveFile takes a bundle off the list (not while a merge runs).
func (d *MergeDialog) RemoveFile(path string) {
	if d.running {
		return
	}
	for i, f := range d.files {
		if f.Info.Path == path {
			f.Close()
			d.files = append(d.files[:i], d.files[i+1:]...)
			break
		}
	}
	d.update()
}

// update redraws the list and the buttons.
func (d *MergeDialog) update() {
	d.list.RemoveAll()
	if len(d.files) == 0 {
		d.list.Add(widget.NewLabel(lang.L("No bundles added yet.")))
	}
	for _, b := range d.files {
		f, path := b.Info, b.Info.Path
		line := widget.NewLabel(lang.L("{{.File}}: {{.Responses}} from device {{.Device}}, made {{.When}}", map[string]any{
			"File": filepath.Base(path), "Responses": survey.Counted(f.Responses, "response", "responses"), "Device": shortDevice(f.DeviceID),
			"When": f.Created.Local().Format("2 Jan 2006 15:04"),
		}))
		line.Truncation = fyne.TextTruncateEllipsis
		if d.ownBundle(f) {
			line.SetText(lang.L("This laptop's own bundle") + " · " + line.Text)
			line.Importance = widget.WarningImportance
		}
		remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { d.RemoveFile(path) })
		remove.Importance = widget.LowImportance
		d.list.Add(container.NewBorder(nil, nil, nil, remove, line))
	}
	if len(d.files) == 0 || d.running {
		d.MergeButton.Disable()
	} else {
		d.MergeButton.Enable()
	}
	if d.running {
		d.AddButton.Disable()
		d.CloseButton.Disable()
	} else {
		d.AddButton.Enable()
		d.CloseButton.Enable()
	}
	d.list.Refresh()
	d.fitFiles()
	d.relayout()
}

func shortDevice(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// say shows err in the message line, or clears it.
// ownBundle reports whether this laptop made the bundle.
func (d *MergeDialog) ownBundle(f store.BundleInfo) bool {
	return d.st != nil && f.DeviceID != "" && f.DeviceID == d.st.DeviceID()
}

func (d *MergeDialog) say(err error) {
	if err == nil {
		d.Message.Importance = widget.MediumImportance
		d.Message.SetText("")
	} else {
		d.Message.Importance = widget.DangerImportance
		d.Message.SetText(err.Error())
	}
	d.Message.Refresh()
}

// askFile picks one more bundle with Fyne's (single-file) open dialog.
func (d *MergeDialog) askFile() {
	pick := filePick{title: lang.L("Choose a bundle to merge"), ext: bundleExt, remember: "merge-bundle"}
	if n := len(d.files); n > 0 {
		pick.folder = filepath.Dir(d.files[n-1].Info.Path)
	}
	pick.open(d.win, func(path string) { d.AddFile(path) }, d.say)
}

// Merge merges the listed bundles, one after another, in the background,
// moving the progress bar, then shows the report and empties the list.
// It returns at once; an error means it did not start. Wait waits for it.
func (d *MergeDialog) Merge() error {
	if d.running {
		return errors.New(lang.L("A merge is running already."))
	}
	if len(d.files) == 0 {
		return errors.New(lang.L("Add at least one bundle first."))
	}
	files := append([]*store.Bundle(nil), d.files...)
	d.running = true
	d.reports, d.failed = nil, nil
	d.Report.RemoveAll()
	d.Progress.Min, d.Progress.Max = 0, float64(len(files))
	d.Progress.SetValue(0)
	d.Progress.Show()
	d.say(nil)
	d.update()

	d.Conflicts.Hide()
	d.resolve.RemoveAll()
	d.busy.Add(1)
	go func() {
		defer d.busy.Done()
		var reports []store.MergeReport
		var failed []error
		for i, b := range files {
			name := filepath.Base(b.Info.Path)
			fyne.Do(func() {
				d.Message.SetText(lang.L("Merging {{.File}} ({{.N}} of {{.Of}})…", map[string]any{"File": name, "N": i + 1, "Of": len(files)}))
			})
			rep, err := d.st.MergeOpened(d.ctx, b, func(done, total int) {
				fyne.Do(func() { d.Progress.SetValue(float64(i) + float64(done)/float64(max(total, 1))) })
			})
			rep.Bundle = b.Info.Path
			if err != nil {
				failed = append(failed, fmt.Errorf("%s: %w", name, err))
				continue
			}
			reports = append(reports, rep)
		}
		waiting, err := conflictsBySurvey(d.ctx, d.st)
		fyne.DoAndWait(func() {
			d.finish(reports, failed)
			d.showConflicts(waiting, err)
		})
	}()
	return nil
}

// surveyConflicts counts one survey's unresolved conflicts.
type surveyConflicts struct {
	id, title string
	n         int
}

// conflictsBySurvey counts the unresolved conflicts of each survey, in the
// order of their oldest conflict.
func conflictsBySurvey(ctx context.Context, st *store.Store) ([]surveyConflicts, error) {
	all, err := st.Conflicts(ctx)
	if err != nil {
		return nil, err
	}
	var out []surveyConflicts
	at := map[string]int{}
	for _, c := range all {
		i, ok := at[c.SurveyID]
		if !ok {
			title := c.SurveyID
			if def, err := st.Survey(ctx, c.SurveyID, 0); err == nil {
				title = def.Title.In(def.DefaultLanguage(), "en")
			}
			i = len(out)
			at[c.SurveyID] = i
			out = append(out, surveyConflicts{id: c.SurveyID, title: title})
		}
		out[i].n++
	}
	return out, nil
}

// showConflicts says which surveys have conflicts waiting and how to
// resolve them, with a button for each when OnResolve is set.
func (d *MergeDialog) showConflicts(waiting []surveyConflicts, err error) {
	defer d.relayout()
	d.ConflictSurveys, d.ResolveButtons = nil, nil
	d.resolve.RemoveAll()
	if err != nil {
		d.Conflicts.SetText(lang.L("Could not list the conflicts:") + " " + err.Error())
		d.Conflicts.Show()
		return
	}
	if len(waiting) == 0 {
		d.Conflicts.Hide()
		return
	}
	var lines []string
	for _, w := range waiting {
		lines = append(lines, lang.L("• {{.Survey}} — conflicts: {{.N}}", map[string]any{"Survey": w.title, "N": w.n}))
		d.ConflictSurveys = append(d.ConflictSurveys, w.id)
		if d.OnResolve != nil {
			id := w.id
			b := widget.NewButtonWithIcon(lang.L("Resolve in {{.Survey}}", map[string]any{"Survey": w.title}), theme.WarningIcon(), func() {
				if d.dlg != nil {
					d.dlg.Hide()
				}
				d.OnResolve(id)
			})
			d.ResolveButtons = append(d.ResolveButtons, b)
			d.resolve.Add(b)
		}
	}
	how := lang.L("Until you keep one version of each, both count in results and exports. Open Responses on the survey and tick “Only conflicts” to compare them.")
	if d.OnResolve != nil {
		how = lang.L("Until you keep one version of each, both count in results and exports. Press the button below to compare them.")
	}
	d.Conflicts.SetText(lang.L("Conflicts waiting:") + "\n" + strings.Join(lines, "\n") + "\n" + how)
	d.Conflicts.Show()
}

// finish shows the outcome of a merge.
func (d *MergeDialog) finish(reports []store.MergeReport, failed []error) {
	d.running = false
	d.reports, d.failed = reports, failed
	d.closeFiles()
	d.Progress.SetValue(d.Progress.Max)
	d.showReport()
	switch {
	case len(failed) > 0:
		d.say(errors.New(lang.L("{{.Failed}} of {{.All}} bundles could not be merged; the others were. See below.",
			map[string]any{"Failed": len(failed), "All": len(failed) + len(reports)})))
	default:
		sum := store.SumReports(reports...)
		d.Message.Importance = widget.SuccessImportance
		if len(sum.Conflicts) > 0 || len(sum.SurveyConflicts) > 0 {
			d.Message.Importance = widget.WarningImportance
		}
		// The colour first, then the text: set the other way round, the window
		// kept drawing the own-bundle warning's orange.
		d.Message.SetText(lang.L("Merged. New responses: {{.New}}. Already here: {{.Dup}}. Conflicts: {{.Conflicts}}.",
			map[string]any{"New": sum.Added, "Dup": sum.Duplicates, "Conflicts": len(sum.Conflicts)}))
	}
	d.update()
	if d.onDone != nil {
		d.onDone()
	}
}

// Reports returns the reports of the last merge, one per merged bundle.
func (d *MergeDialog) Reports() []store.MergeReport { return d.reports }

// showReport fills Report from the last merge: the bundles that failed,
// then each bundle's report, then the totals when there were several.
func (d *MergeDialog) showReport() {
	d.Report.RemoveAll()
	for _, err := range d.failed {
		l := widget.NewLabel(lang.L("Not merged:") + " " + err.Error())
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		d.Report.Add(l)
	}
	reports := d.reports
	if len(reports) > 1 {
		reports = append(reports[:len(reports):len(reports)], store.SumReports(d.reports...))
	}
	for _, r := range reports {
		if len(d.Report.Objects) > 0 {
			d.Report.Add(widget.NewSeparator())
		}
		d.Report.Add(reportBlock(r))
	}
}

// reportBlock shows one merge report: its heading, a row for each line
// (what is counted, then the counts) and its notes, which need a look.
func reportBlock(r store.MergeReport) fyne.CanvasObject {
	box := container.NewVBox()
	if h := r.Heading(); h != "" {
		heading := widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		heading.Wrapping = fyne.TextWrapBreak // a long path breaks anywhere
		box.Add(heading)
	}
	rows := container.New(layout.NewFormLayout())
	for _, l := range r.Lines() {
		what := widget.NewLabelWithStyle(l.What, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		counts := widget.NewLabel(l.Counts)
		counts.Wrapping = fyne.TextWrapWord
		rows.Add(what)
		rows.Add(counts)
	}
	box.Add(rows)
	for _, n := range r.Notes() {
		l := widget.NewLabel("• " + n)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		box.Add(l)
	}
	return box
}

// ReportText is the text of the report as shown, a line for each label
// in order (a row's counts on the line after what they count).
func (d *MergeDialog) ReportText() string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		case *widget.Label:
			b.WriteString(o.Text + "\n")
		}
	}
	walk(d.Report)
	return b.String()
}

// Wait blocks until the running merge (if any) has ended and its report is
// shown. Call it from a goroutine other than the Fyne main one (tests).
func (d *MergeDialog) Wait() { d.busy.Wait() }

// ExportBundleDialog is the "Export bundle" dialog: which event's
// responses, then a save dialog, then the export in the background.
// Its widgets are exposed so that tests can drive them.
type ExportBundleDialog struct {
	Event      *widget.Select // "All events", then each event
	SaveButton *widget.Button // asks for the file and exports
	Progress   *widget.ProgressBarInfinite
	// Message says what happened: where the bundle went, or why it failed.
	Message *widget.Label

	// Info and Err tell what the last export did.
	Info store.BundleInfo
	Err  error

	// Secrets asks for the encryption choice or passphrase.
	Secrets *secrets

	ctx    context.Context
	win    fyne.Window
	st     *store.Store
	events []survey.Event
	dlg    *dialog.CustomDialog
	busy   sync.WaitGroup
}

// ShowExportBundle opens the "Export bundle" dialog over w.
func ShowExportBundle(ctx context.Context, w fyne.Window, st *store.Store) *ExportBundleDialog {
	d := &ExportBundleDialog{ctx: ctx, win: w, st: st, Secrets: &secrets{ctx: ctx, win: w, st: st}}
	events, err := st.Events(ctx)
	d.events = events
	all := lang.L("All events")
	options := []string{all}
	for _, ev := range events {
		options = append(options, eventLine(ev))
	}
	d.Event = widget.NewSelect(options, nil)
	d.Event.SetSelectedIndex(0)
	if active, ok, _ := st.ActiveEvent(ctx); ok {
		for i, ev := range events {
			if ev.ID == active.ID {
				d.Event.SetSelectedIndex(i + 1)
			}
		}
	}
	d.SaveButton = widget.NewButtonWithIcon(lang.L("Save bundle…"), theme.DocumentSaveIcon(), d.askFile)
	d.SaveButton.Importance = widget.HighImportance
	d.Progress = widget.NewProgressBarInfinite()
	d.Progress.Stop()
	d.Progress.Hide()
	d.Message = widget.NewLabel("")
	d.Message.Wrapping = fyne.TextWrapWord
	if err != nil {
		d.fail(err)
	}
	intro := widget.NewLabel(lang.L("A bundle holds this laptop's surveys, events and responses, to merge on another laptop with Merge bundles. It holds personal answers, so it is encrypted (Settings → Encryption says how); delete it once merged."))
	intro.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem(lang.L("Responses from"), d.Event))
	closeButton := widget.NewButton(lang.L("Close"), nil)
	d.dlg = dialog.NewCustomWithoutButtons(lang.L("Export bundle"), container.NewVBox(intro, form, d.Progress, d.Message), w)
	closeButton.OnTapped = d.dlg.Hide
	d.dlg.SetButtons([]fyne.CanvasObject{closeButton, d.SaveButton})
	d.dlg.Resize(fyne.NewSize(560, 320))
	d.dlg.Show()
	return d
}

// eventID is the chosen event's id ("" for all events).
func (d *ExportBundleDialog) eventID() string {
	if i := d.Event.SelectedIndex(); i > 0 && i <= len(d.events) {
		return d.events[i-1].ID
	}
	return ""
}

// DefaultFileName is the name the save dialog offers: canvass-bundle-,
// the device, the date.
func (d *ExportBundleDialog) DefaultFileName(day time.Time) string {
	return fmt.Sprintf("canvass-bundle-%s-%s%s", shortDevice(d.st.DeviceID()), day.Format("2006-01-02"), bundleExt)
}

func (d *ExportBundleDialog) askFile() {
	pick := filePick{title: lang.L("Export bundle to"), ext: bundleExt, folder: documentsFolder(), name: d.DefaultFileName(time.Now()), remember: "export-bundle"}
	pick.save(d.win, d.ExportTo, d.fail)
}

// ExportTo writes the bundle to path (".canvass" is added when the name has
// another ending), encrypted as Settings say — asking for the choice or the
// passphrase first when needed — in the background, and says where it
// went. Wait waits for it.
func (d *ExportBundleDialog) ExportTo(chosen string) {
	path := chosen
	if !strings.EqualFold(filepath.Ext(path), bundleExt) {
		dropPlaceholder(chosen) // the empty file the save dialog made
		path += bundleExt
	}
	d.Secrets.lock(lang.L("bundle"), func(lock encryption.Lock) { d.exportWith(path, lock) })
}

// exportWith writes the bundle to path with lock in the background.
func (d *ExportBundleDialog) exportWith(path string, lock encryption.Lock) {
	event := d.eventID()
	d.SaveButton.Disable()
	d.Progress.Show()
	d.Progress.Start()
	d.Message.SetText(lang.L("Writing {{.File}}…", map[string]any{"File": filepath.Base(path)}))
	d.busy.Add(1)
	go func() {
		defer d.busy.Done()
		info, err := d.st.ExportSealedBundle(d.ctx, path, event, lock)
		if err != nil {
			dropPlaceholder(path)
		}
		fyne.DoAndWait(func() {
			d.Progress.Stop()
			d.Progress.Hide()
			d.SaveButton.Enable()
			d.Info, d.Err = info, err
			if err != nil {
				d.fail(err)
				return
			}
			d.Message.SetText(lang.L("Saved to {{.Path}} ({{.Lock}}). Responses: {{.Responses}}. Survey versions: {{.Surveys}}. Events: {{.Events}}.",
				map[string]any{"Responses": info.Responses, "Surveys": info.Surveys, "Events": info.Events, "Path": info.Path, "Lock": describeLock(lock)}))
			d.Message.Importance = widget.SuccessImportance
			d.Message.Refresh()
		})
	}()
}

func (d *ExportBundleDialog) fail(err error) {
	d.Err = err
	d.Message.SetText(lang.L("The bundle was not saved:") + " " + err.Error())
	d.Message.Importance = widget.DangerImportance
	d.Message.Refresh()
}

// Wait blocks until the running export (if any) has ended. Call it from a
// goroutine other than the Fyne main one (tests).
func (d *ExportBundleDialog) Wait() { d.busy.Wait() }
