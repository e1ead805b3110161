package app

import (
	"fmt"
	"image/color"
	"slices"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
	"canvass/survey/store"
)

// ConflictView is an opened merge conflict: the version of a response that
// was on this laptop first beside the one a bundle brought, row by row.
type ConflictView struct {
	Conflict store.Conflict
	Here     *survey.Response // the original: the version this laptop had
	Bundle   *survey.Response // the copy a merge kept beside it
	Rows     []ConflictRow
	// More counts the other versions of this response waiting after this pair.
	More int
}

// ConflictRow is one line of a ConflictView: a detail of the response
// (Question empty) or an answer, in words on each side.
type ConflictRow struct {
	Question string // the question's name; "" for a detail such as the device
	Label    string
	Here     string
	Bundle   string
	Differs  bool
}

// Differing returns the rows whose two sides differ.
func (v *ConflictView) Differing() []ConflictRow {
	var out []ConflictRow
	for _, row := range v.Rows {
		if row.Differs {
			out = append(out, row)
		}
	}
	return out
}

// conflictTime is how the conflict view writes times: to the second, since
// two versions often differ by less than a minute.
const conflictTime = "Mon 2 Jan 2006 15:04:05"

// loadConflicts reads this survey's unresolved conflicts and updates the
// conflicts filter.
func (r *ResponsesScreen) loadConflicts() error {
	all, err := r.env.store.Conflicts(r.env.ctx)
	if err != nil {
		return fmt.Errorf("list conflicts: %w", err)
	}
	r.conflicts = r.conflicts[:0]
	r.conflicted = map[string]int{}
	for _, c := range all {
		if c.SurveyID != r.surveyID {
			continue
		}
		i := len(r.conflicts)
		r.conflicts = append(r.conflicts, c)
		if _, seen := r.conflicted[c.Original.ID]; !seen {
			r.conflicted[c.Original.ID] = i
		}
		r.conflicted[c.Copy.ID] = i
	}
	n := len(r.conflicts)
	r.ConflictsOnly.Text = lang.L("Only conflicts ({{.N}})", map[string]any{"N": n})
	r.ConflictsOnly.Refresh()
	if n > 0 || r.ConflictsOnly.Checked {
		r.ConflictsOnly.Show()
	} else {
		r.ConflictsOnly.Hide()
	}
	if n > 0 {
		r.ConflictNote.SetText(lang.L("Merge conflicts waiting: {{.N}}. Both versions of each count in results and exports until you open one and keep one version.", map[string]any{"N": n}))
		r.ConflictNote.Show()
	} else {
		r.ConflictNote.Hide()
	}
	return nil
}

// conflictRows lists the versions in conflict as rows of the list, newest
// first, with the status and event filters applied.
func (r *ResponsesScreen) conflictRows() []store.ResponseSummary {
	f := r.Filter()
	keep := func(v store.ConflictVersion) bool {
		if f.EventID != "" && v.EventID != f.EventID {
			return false
		}
		return len(f.Statuses) == 0 || v.Status == f.Statuses[0]
	}
	var out []store.ResponseSummary
	seen := map[string]bool{}
	for _, c := range r.conflicts {
		for _, v := range []store.ConflictVersion{c.Original, c.Copy} {
			if seen[v.ID] || !keep(v) {
				continue
			}
			seen[v.ID] = true
			out = append(out, store.ResponseSummary{ID: v.ID, SurveyVersion: v.SurveyVersion, EventID: v.EventID,
				Started: v.Started, Updated: v.Updated, Status: v.Status, Answers: v.Answers})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Started.After(out[j].Started) })
	return out
}

// openConflict shows the conflict that response id is part of: this
// laptop's version and the bundle's side by side.
func (r *ResponsesScreen) openConflict(id string, c store.Conflict) error {
	here, err := r.env.store.Response(r.env.ctx, c.Original.ID)
	if err != nil {
		return fmt.Errorf("open conflict of response %s: %w", c.Original.ID, err)
	}
	bundle, err := r.env.store.Response(r.env.ctx, c.Copy.ID)
	if err != nil {
		return fmt.Errorf("open conflict of response %s: %w", c.Original.ID, err)
	}
	hereDef, err := r.definition(here.SurveyVersion)
	if err != nil {
		return fmt.Errorf("open conflict of response %s: %w", c.Original.ID, err)
	}
	bundleDef, err := r.definition(bundle.SurveyVersion)
	if err != nil {
		return fmt.Errorf("open conflict of response %s: %w", c.Original.ID, err)
	}
	v := &ConflictView{Conflict: c, Here: here, Bundle: bundle}
	v.Rows = append(r.conflictDetails(here, bundle), conflictAnswers(hereDef, bundleDef, here.Answers, bundle.Answers)...)
	for _, other := range r.conflicts {
		if other.Original.ID == c.Original.ID && other.Copy.ID != c.Copy.ID {
			v.More++
		}
	}
	r.Compare = v
	if id == bundle.ID {
		r.Opened = bundle
	} else {
		r.Opened = here
	}
	r.Lines = nil

	intro := widget.NewLabel(lang.L("This response came from two laptops with different content; the rows that differ are highlighted and marked ≠. Keep one version: the other is deleted for good, and merging its bundle again will not bring it back."))
	intro.Wrapping = fyne.TextWrapWord
	intro.Importance = widget.WarningImportance
	objs := []fyne.CanvasObject{intro}
	if v.More > 0 {
		more := fieldHint(lang.L("Other bundles brought more versions of this response ({{.N}}); each shows here once this one is settled.", map[string]any{"N": v.More}))
		objs = append(objs, more)
	}
	objs = append(objs, conflictRowView(lang.L("Question"), lang.L("On this laptop"), lang.L("From the bundle"), false, true))
	objs = append(objs, widget.NewSeparator())
	details := true
	for _, row := range v.Rows {
		if details && row.Question != "" {
			details = false
			objs = append(objs, widget.NewSeparator())
		}
		objs = append(objs, conflictRowView(row.Label, row.Here, row.Bundle, row.Differs, false))
	}
	r.detail.Objects = objs
	r.detail.Refresh()
	r.Find.Disable() // the comparison shows every answer of both versions
	r.Found.SetText("")
	r.showActions(true)
	return nil
}

// conflictDetails compares the two versions' details: who collected them
// where and when, and how far they got.
func (r *ResponsesScreen) conflictDetails(here, bundle *survey.Response) []ConflictRow {
	device := func(id string) string {
		if id == r.env.store.DeviceID() {
			return shortDevice(id) + " " + lang.L("(this laptop)")
		}
		return shortDevice(id)
	}
	when := func(t time.Time) string { return t.Local().Format(conflictTime) }
	submitted := func(t *time.Time) string {
		if t == nil {
			return lang.L("not submitted")
		}
		return when(*t)
	}
	event := func(id string) string {
		if id == "" {
			return lang.L("none")
		}
		if name := r.names[id]; name != "" {
			return name
		}
		return id
	}
	rows := []ConflictRow{
		{Label: lang.L("Collected on device"), Here: device(here.DeviceID), Bundle: device(bundle.DeviceID)},
		{Label: lang.L("Started"), Here: when(here.Started), Bundle: when(bundle.Started)},
		{Label: lang.L("Last changed"), Here: when(here.Updated), Bundle: when(bundle.Updated)},
		{Label: lang.L("Submitted"), Here: submitted(here.Submitted), Bundle: submitted(bundle.Submitted)},
		{Label: lang.L("Status"), Here: statusLabel(here.Status), Bundle: statusLabel(bundle.Status)},
		{Label: lang.L("Event"), Here: event(here.EventID), Bundle: event(bundle.EventID)},
		{Label: lang.L("Survey version"), Here: fmt.Sprint(here.SurveyVersion), Bundle: fmt.Sprint(bundle.SurveyVersion)},
	}
	if here.Language != "" || bundle.Language != "" {
		rows = append(rows, ConflictRow{Label: lang.L("Language"), Here: here.Language, Bundle: bundle.Language})
	}
	for i := range rows {
		rows[i].Differs = rows[i].Here != rows[i].Bundle
	}
	return rows
}

// conflictAnswers compares two versions' answers question by question, in
// the order of this laptop's survey version; a question only one side
// answered shows "no answer" on the other.
func conflictAnswers(hereDef, bundleDef *survey.Survey, here, bundle survey.Answers) []ConflictRow {
	hereLines := answersOnly(answerLines(hereDef, here))
	bundleLines := answersOnly(answerLines(bundleDef, bundle))
	byName := map[string]AnswerLine{}
	for _, l := range bundleLines {
		byName[l.Question] = l
	}
	var names []string
	labels := map[string]string{}
	for _, q := range hereDef.Fields() {
		if _, a := here[q.Name]; a {
			names = append(names, q.Name)
		} else if _, b := bundle[q.Name]; b {
			names = append(names, q.Name)
		}
	}
	for _, l := range append(hereLines, bundleLines...) {
		if _, ok := labels[l.Question]; !ok {
			labels[l.Question] = l.Label
			if l.Instance != "" {
				labels[l.Question] = l.Instance + " › " + l.Label
			}
		}
	}
	listed := map[string]bool{}
	for _, n := range names {
		listed[n] = true
	}
	var rest []string
	for n := range labels {
		if !listed[n] {
			rest = append(rest, n)
		}
	}
	survey.SortKeys(rest) // instances in order: carers[2] before carers[10]
	names = append(names, rest...)

	hereBy := map[string]AnswerLine{}
	for _, l := range hereLines {
		hereBy[l.Question] = l
	}
	none := lang.L("(no answer)")
	var out []ConflictRow
	for _, n := range names {
		row := ConflictRow{Question: n, Label: labels[n], Here: none, Bundle: none}
		if l, ok := hereBy[n]; ok {
			row.Here = l.Answer
		}
		if l, ok := byName[n]; ok {
			row.Bundle = l.Answer
		}
		row.Differs = here[n] != bundle[n]
		out = append(out, row)
	}
	return out
}

// conflictRowView lays out one row of the comparison in three columns; a
// row whose sides differ gets a tinted background and a marker, so that it
// stands out without relying on colour alone.
func conflictRowView(label, here, bundle string, differs, heading bool) fyne.CanvasObject {
	style := fyne.TextStyle{Bold: heading}
	cell := func(s string, st fyne.TextStyle) *widget.Label {
		l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, st)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	if differs {
		label = "≠ " + label
		style.Bold = true
	}
	row := container.NewGridWithColumns(3, cell(label, fyne.TextStyle{Bold: true}), cell(here, style), cell(bundle, style))
	if !differs {
		return row
	}
	bg := canvas.NewRectangle(tint(theme.Color(theme.ColorNameWarning), 0x40))
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, row)
}

// tint returns c with the given opacity.
func tint(c color.Color, alpha uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: alpha}
}

// showActions shows the buttons for a conflict (keep one version) or for
// a plain response (mark complete, erase, delete).
func (r *ResponsesScreen) showActions(conflict bool) {
	for _, b := range []*widget.Button{r.KeepHereButton, r.KeepBundleButton} {
		if conflict {
			b.Show()
		} else {
			b.Hide()
		}
	}
	for _, b := range []*widget.Button{r.ResumeButton, r.MarkCompleteButton, r.EraseButton, r.DeleteButton} {
		if conflict {
			b.Hide()
		} else {
			b.Show()
		}
	}
}

// KeepHere asks, then resolves the opened conflict by keeping this
// laptop's version and deleting the bundle's. It returns the dialog.
func (r *ResponsesScreen) KeepHere() *dialog.ConfirmDialog {
	v := r.Compare
	if v == nil {
		return nil
	}
	msg := lang.L("The version from the bundle (device {{.Device}}, last changed {{.When}}) is deleted for good. Merging that bundle again will not bring it back.",
		map[string]any{"Device": shortDevice(v.Bundle.DeviceID), "When": v.Bundle.Updated.Local().Format(conflictTime)})
	return r.confirm(lang.L("Keep this laptop's version?"), msg, lang.L("Keep this laptop's"), func() error {
		return r.resolve(v.Here.ID, v.Bundle.ID, lang.L("Kept this laptop's version; the bundle's was deleted."))
	})
}

// KeepBundle asks, then resolves the opened conflict by keeping the
// bundle's version (under the response's usual id) and deleting this
// laptop's. It returns the dialog.
func (r *ResponsesScreen) KeepBundle() *dialog.ConfirmDialog {
	v := r.Compare
	if v == nil {
		return nil
	}
	msg := lang.L("This laptop's version (device {{.Device}}, last changed {{.When}}) is deleted for good and the bundle's takes its place. Merging an older bundle again will not bring it back.",
		map[string]any{"Device": shortDevice(v.Here.DeviceID), "When": v.Here.Updated.Local().Format(conflictTime)})
	return r.confirm(lang.L("Keep the bundle's version?"), msg, lang.L("Keep the bundle's"), func() error {
		return r.resolve(v.Bundle.ID, v.Here.ID, lang.L("Kept the bundle's version; this laptop's was deleted."))
	})
}

// resolve keeps one version, then refreshes the list and shows the
// response as it now is (or its next conflict) under the line done.
func (r *ResponsesScreen) resolve(keepID, dropID, done string) error {
	original := r.Compare.Here.ID
	if err := r.env.store.ResolveConflict(r.env.ctx, keepID, dropID, staffActor()); err != nil {
		return err
	}
	if err := r.refreshRows(); err != nil {
		return err
	}
	if len(r.conflicts) == 0 && r.ConflictsOnly.Checked {
		r.ConflictsOnly.SetChecked(false) // nothing left to filter on: list every response again
	}
	if err := r.Open(original); err != nil {
		return err
	}
	r.Notice.SetText(done)
	r.Notice.Show()
	return nil
}

// conflictBadge marks a conflicting response in the list, saying which
// version it is, since both versions otherwise read alike.
func (r *ResponsesScreen) conflictBadge(id string) string {
	i, ok := r.conflicted[id]
	switch {
	case !ok:
		return ""
	case r.conflicts[i].Original.ID == id:
		return "⚠ " + lang.L("Conflict: this laptop's version")
	default:
		return "⚠ " + lang.L("Conflict: the bundle's version")
	}
}

// answersOnly leaves out the headings of repeat instances.
func answersOnly(lines []AnswerLine) []AnswerLine {
	return slices.DeleteFunc(lines, func(l AnswerLine) bool { return l.Heading })
}
