package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
	"canvass/survey/run"
	"canvass/survey/store"
)

// ResponsesScreen is the staff's responses browser for one survey: a list
// filtered by status and event, and the opened response with its answers
// in words, which staff can mark complete, delete, or strip of personal
// data — each after a confirmation, each written to the audit log.
// Responses that a merge kept in two versions are marked as conflicts;
// opening one shows both versions side by side, to keep one of them.
type ResponsesScreen struct {
	Status *widget.Select
	Event  *widget.Select
	// ConflictsOnly lists only the versions in conflict; it shows only
	// while there are conflicts (or while it is ticked).
	ConflictsOnly *widget.Check
	ConflictNote  *widget.Label // says how many conflicts wait, if any
	List          *widget.List
	More          *widget.Button // loads the next page of responses
	Count         *widget.Label

	// Rows are the responses listed; Opened is the one shown, with Lines.
	Rows   []store.ResponseSummary
	Opened *survey.Response
	Lines  []AnswerLine
	// Compare is the opened conflict, when the opened response is in one.
	Compare *ConflictView
	// Notice says what the last action on the opened response did.
	Notice *widget.Label
	// Detail scrolls the opened response; it starts at the top for each one.
	Detail *container.Scroll
	// Erased says when this laptop erased the personal data of a response (by id).
	Erased map[string]time.Time
	// Find narrows the opened response to the answers, questions and
	// instances ("Person 2") holding its text; Found says how many.
	Find  *widget.Entry
	Found *widget.Label

	MarkCompleteButton *widget.Button
	ResumeButton       *widget.Button // continues a partial response in the form
	EraseButton        *widget.Button
	DeleteButton       *widget.Button
	KeepHereButton     *widget.Button // keeps this laptop's version of a conflict
	KeepBundleButton   *widget.Button // keeps the bundle's version

	env      screenEnv
	lock     *StaffLock                         // guards Erase
	resume   func(id string, done func()) error // continues a partial response in the window's form
	surveyID string
	events   map[string]string // Event option → id
	names    map[string]string // event id → name
	defs     map[int]*survey.Survey
	latest   *survey.Survey // the survey's newest version, which names the repeats in the list
	detail   *fyne.Container
	head     []fyne.CanvasObject // the opened response's lines above its answers
	syncing  bool

	conflicts  []store.Conflict // this survey's, oldest first
	conflicted map[string]int   // response id → its first pair in conflicts
}

// AnswerLine is one answer of an opened response, in words, or the
// heading of a repeat instance ("People you care for 2 of 3") whose
// answers follow it.
type AnswerLine struct {
	Question string // the answer's key: the question's name, or its instance key ("carers[2]/age")
	Label    string // the question as asked; for a heading, the instance's name
	Answer   string // the answer as shown to the respondent (choice labels)
	Personal bool
	// Instance names the repeat instance the answer belongs to, as its
	// heading does; "" outside repeats.
	Instance string
	Heading  bool // the line opens an instance: Question is its path ("carers[2]"), Answer is empty
	Depth    int  // the repeats around the line (a heading's own not counted)
}

// responsesPage is how many responses the list loads at a time.
const responsesPage = 200

// showResponses opens the responses browser of a survey. It does not ask
// for the staff PIN: the buttons that open it do (StaffLock.Require).
func showResponses(env screenEnv, lock *StaffLock, resume func(id string, done func()) error, id string) (*ResponsesScreen, error) {
	def, events, err := surveyAndEvents(env.ctx, env.store, id)
	if err != nil {
		return nil, fmt.Errorf("responses to %q: %w", id, err)
	}
	r := &ResponsesScreen{env: env, lock: lock, resume: resume, surveyID: id, names: map[string]string{}, defs: map[int]*survey.Survey{def.Version: def}, latest: def}
	var opts []string
	opts, r.events = eventOptions(events)
	for _, ev := range events {
		r.names[ev.ID] = ev.Name
	}
	r.Status = widget.NewSelect([]string{statusAll(), statusLabel(survey.StatusComplete), statusLabel(survey.StatusDraft), statusLabel(survey.StatusAbandoned)}, func(string) { r.Reload() })
	r.Status.Selected = statusAll()
	r.Event = widget.NewSelect(opts, func(string) { r.Reload() })
	r.Event.Selected = opts[0]
	r.ConflictsOnly = widget.NewCheck("", func(bool) { r.Reload() })
	r.ConflictNote = widget.NewLabel("")
	r.ConflictNote.Wrapping = fyne.TextWrapWord
	r.ConflictNote.Importance = widget.WarningImportance
	r.Count = widget.NewLabel("")
	r.More = widget.NewButton(lang.L("Show more"), func() { r.loadMore() })
	r.List = widget.NewList(func() int { return len(r.Rows) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(r.Rows) {
				o.(*widget.Label).SetText(r.rowText(r.Rows[i]))
			}
		})
	r.List.OnSelected = func(i widget.ListItemID) {
		if r.syncing || i >= len(r.Rows) {
			return
		}
		if err := r.Open(r.Rows[i].ID); err != nil {
			env.shell.ShowError(err)
		}
	}
	r.MarkCompleteButton = widget.NewButtonWithIcon(lang.L("Mark complete"), theme.ConfirmIcon(), func() { r.MarkComplete() })
	r.ResumeButton = widget.NewButtonWithIcon(lang.L("Resume"), theme.MediaPlayIcon(), func() {
		if err := r.Resume(); err != nil {
			env.shell.ShowError(err)
		}
	})
	r.EraseButton = widget.NewButtonWithIcon(lang.L("Erase personal data"), theme.VisibilityOffIcon(), func() { r.lock.Require(func() { r.ErasePersonal() }) })
	r.DeleteButton = widget.NewButtonWithIcon(lang.L("Delete response"), theme.DeleteIcon(), func() { r.Delete() })
	r.DeleteButton.Importance = widget.DangerImportance
	r.KeepHereButton = widget.NewButtonWithIcon(lang.L("Keep this laptop's"), theme.ComputerIcon(), func() { r.KeepHere() })
	r.KeepBundleButton = widget.NewButtonWithIcon(lang.L("Keep the bundle's"), theme.DownloadIcon(), func() { r.KeepBundle() })
	r.detail = container.NewVBox()
	r.Find = widget.NewEntry()
	r.Find.SetPlaceHolder(lang.L("Find in this response"))
	r.Find.ActionItem = widget.NewIcon(theme.SearchIcon())
	r.Find.OnChanged = func(string) {
		if r.Opened != nil && r.Compare == nil {
			r.showLines()
		}
	}
	r.Found = widget.NewLabel("")
	r.Notice = widget.NewLabel("")
	r.Notice.Importance = widget.SuccessImportance
	r.Notice.Wrapping = fyne.TextWrapWord
	r.Notice.Hide()

	filters := container.NewVBox(container.NewGridWithColumns(2, r.Status, r.Event), r.ConflictNote, r.ConflictsOnly, r.Count)
	left := container.NewBorder(filters, container.NewHBox(r.More), nil, nil, r.List)
	actions := container.NewHBox(r.ResumeButton, r.MarkCompleteButton, r.EraseButton, r.DeleteButton, r.KeepHereButton, r.KeepBundleButton)
	r.Detail = container.NewVScroll(container.NewPadded(r.detail))
	find := container.NewBorder(nil, nil, nil, r.Found, r.Find)
	right := container.NewBorder(container.NewVBox(actions, r.Notice, find), nil, nil, nil, r.Detail)
	split := container.NewHSplit(left, right)
	split.Offset = 0.38
	env.shell.Show(lang.L("Responses")+": "+def.Title.In(def.DefaultLanguage(), "en"), split, env.home, "")
	r.showNone()
	if err := r.Reload(); err != nil {
		return nil, err
	}
	return r, nil
}

func statusAll() string { return lang.L("Every status") }

// statusLabel names a status for staff, in the words every screen and
// export uses (survey.Status.Label), capitalised.
func statusLabel(s survey.Status) string {
	switch s {
	case survey.StatusComplete:
		return lang.L("Complete")
	case survey.StatusDraft:
		return lang.L("Partial")
	case survey.StatusAbandoned:
		return lang.L("Abandoned")
	}
	return s.Label()
}

// Filter returns the responses the filters select.
func (r *ResponsesScreen) Filter() survey.Filter {
	f := survey.Filter{SurveyID: r.surveyID, EventID: r.events[r.Event.Selected]}
	for _, s := range []survey.Status{survey.StatusComplete, survey.StatusDraft, survey.StatusAbandoned} {
		if r.Status.Selected == statusLabel(s) {
			f.Statuses = []survey.Status{s}
		}
	}
	return f
}

func (r *ResponsesScreen) rowText(s store.ResponseSummary) string {
	answers := lang.L("{{.N}} answers", map[string]any{"N": s.Answers})
	if s.Answers == 1 {
		answers = lang.L("1 answer")
	}
	parts := []string{s.Started.Local().Format("Mon 2 Jan 2006 15:04"), statusLabel(s.Status)}
	if _, ok := r.Erased[s.ID]; ok {
		// Before the event's name, which a narrow list cuts off.
		parts = append(parts, "🔒 "+lang.L("personal data erased"))
	}
	parts = append(parts, answers)
	parts = append(parts, instanceCounts(r.latest, s.Instances)...)
	if badge := r.conflictBadge(s.ID); badge != "" {
		parts = append([]string{badge}, parts...)
	}
	if name := r.names[s.EventID]; name != "" {
		parts = append(parts, name)
	}
	return strings.Join(parts, " · ")
}

// RowText is the i-th row of the list as shown.
func (r *ResponsesScreen) RowText(i int) string {
	if i < 0 || i >= len(r.Rows) {
		return ""
	}
	return r.rowText(r.Rows[i])
}

// Reload lists the first page of responses for the filters and closes the opened one.
func (r *ResponsesScreen) Reload() error {
	if err := r.loadRows(responsesPage); err != nil {
		r.env.shell.ShowError(err)
		return err
	}
	r.showNone()
	return nil
}

// loadRows reads the conflicts and lists the first n responses for the
// filters (every conflicting version when only conflicts are shown).
func (r *ResponsesScreen) loadRows(n int) error {
	if err := r.loadConflicts(); err != nil {
		return err
	}
	erased, err := r.env.store.Erasures(r.env.ctx)
	if err != nil {
		return err
	}
	r.Erased = erased
	if r.ConflictsOnly.Checked {
		r.Rows = r.conflictRows()
		r.afterLoad()
		return nil
	}
	rows, err := r.env.store.ResponseSummaries(r.env.ctx, r.Filter(), n, 0)
	if err != nil {
		return err
	}
	r.Rows = rows
	r.afterLoad()
	return nil
}

func (r *ResponsesScreen) loadMore() {
	if r.ConflictsOnly.Checked {
		return
	}
	rows, err := r.env.store.ResponseSummaries(r.env.ctx, r.Filter(), responsesPage, len(r.Rows))
	if err != nil {
		r.env.shell.ShowError(err)
		return
	}
	r.Rows = append(r.Rows, rows...)
	r.afterLoad()
}

func (r *ResponsesScreen) afterLoad() {
	total := len(r.Rows)
	if r.ConflictsOnly.Checked {
		r.Count.SetText(lang.L("Versions in conflict: {{.N}}", map[string]any{"N": total}))
	} else {
		c, err := r.env.store.CountResponses(r.env.ctx, r.Filter())
		if err != nil {
			r.env.shell.ShowError(err)
		}
		total = c.Total()
		r.Count.SetText(lang.L("{{.Shown}} of {{.Total}} responses", map[string]any{"Shown": len(r.Rows), "Total": total}))
	}
	if len(r.Rows) < total {
		r.More.Enable()
	} else {
		r.More.Disable()
	}
	r.syncing = true
	r.List.UnselectAll()
	r.syncing = false
	r.List.Refresh()
}

// showNone empties the detail pane.
func (r *ResponsesScreen) showNone() {
	r.Opened, r.Lines, r.Compare = nil, nil, nil
	r.Notice.Hide()
	r.Find.Disable() // nothing to find in yet
	r.Found.SetText("")
	r.detail.Objects = []fyne.CanvasObject{fieldHint(lang.L("Pick a response on the left to read it."))}
	r.detail.Refresh()
	r.showActions(false)
	r.MarkCompleteButton.Disable()
	r.ResumeButton.Disable()
	r.EraseButton.Disable()
	r.DeleteButton.Disable()
}

// definition returns the survey version a response answers.
func (r *ResponsesScreen) definition(version int) (*survey.Survey, error) {
	if def, ok := r.defs[version]; ok {
		return def, nil
	}
	def, err := r.env.store.Survey(r.env.ctx, r.surveyID, version)
	if err != nil {
		return nil, err
	}
	r.defs[version] = def
	return def, nil
}

// Open shows a response: each answer with its question's label and the
// answer in words; a response in a merge conflict shows beside its other
// version (Compare).
func (r *ResponsesScreen) Open(id string) error {
	r.Notice.Hide()
	r.Detail.ScrollToTop() // a short response never opens on the blank end of a long one
	if i, ok := r.conflicted[id]; ok {
		return r.openConflict(id, r.conflicts[i])
	}
	resp, err := r.env.store.Response(r.env.ctx, id)
	if err != nil {
		return fmt.Errorf("open response: %w", err)
	}
	def, err := r.definition(resp.SurveyVersion)
	if err != nil {
		return fmt.Errorf("open response %s: %w", id, err)
	}
	r.Opened, r.Lines, r.Compare = resp, answerLines(def, resp.Answers), nil
	r.showActions(false)

	head := []string{
		lang.L("Started {{.When}}", map[string]any{"When": resp.Started.Local().Format("Mon 2 Jan 2006 15:04")}),
		statusLabel(resp.Status),
		lang.L("Version {{.V}}", map[string]any{"V": resp.SurveyVersion}),
	}
	if name := r.names[resp.EventID]; name != "" {
		head = append(head, name)
	}
	if resp.Language != "" {
		head = append(head, resp.Language)
	}
	info := widget.NewLabel(strings.Join(head, " · "))
	objs := []fyne.CanvasObject{info}
	if at, ok := r.Erased[resp.ID]; ok {
		mark := widget.NewLabel("🔒 " + erasedText(at))
		mark.Wrapping = fyne.TextWrapWord
		mark.Importance = widget.WarningImportance
		objs = append(objs, mark)
	}
	if len(personalAnswered(def, resp.Answers)) == 0 {
		// Says why "Erase personal data" is greyed out.
		objs = append(objs, fieldHint(lang.L("No personal data in this response: nothing to erase.")))
	}
	objs = append(objs, widget.NewSeparator())
	r.head = objs
	r.Find.Enable()
	r.showLines()

	if resp.Status == survey.StatusComplete {
		r.MarkCompleteButton.Disable()
		r.ResumeButton.Disable()
	} else {
		r.MarkCompleteButton.Enable()
		r.ResumeButton.Enable()
	}
	if len(personalAnswered(def, resp.Answers)) > 0 {
		r.EraseButton.Enable()
	} else {
		r.EraseButton.Disable()
	}
	r.DeleteButton.Enable()
	return nil
}

// showLines shows the opened response's lines that match Find: an answer
// whose question, answer or instance holds the text (in any case), and the
// headings of the instances they are in.
func (r *ResponsesScreen) showLines() {
	objs := slices.Clone(r.head)
	shown := matchingLines(r.Lines, r.Find.Text)
	answers, matched := 0, 0
	for i, l := range r.Lines {
		if !l.Heading {
			answers++
		}
		if shown[i] {
			objs = append(objs, answerLineView(l)...)
			if !l.Heading {
				matched++
			}
		}
	}
	switch {
	case answers == 0:
		objs = append(objs, widget.NewLabel(lang.L("No answers.")))
	case matched == 0:
		objs = append(objs, widget.NewLabel(lang.L("No answer here holds “{{.Text}}”.", map[string]any{"Text": strings.TrimSpace(r.Find.Text)})))
	}
	r.Found.SetText("")
	if strings.TrimSpace(r.Find.Text) != "" {
		r.Found.SetText(lang.L("{{.Shown}} of {{.Total}} answers", map[string]any{"Shown": matched, "Total": answers}))
	}
	r.detail.Objects = objs
	r.detail.Refresh()
}

// matchingLines marks the lines to show for a search: every line when it is
// blank; else the answers whose question, answer or instance name holds
// it, and the headings of the instances around them.
func matchingLines(lines []AnswerLine, search string) []bool {
	shown := make([]bool, len(lines))
	text := strings.ToLower(strings.TrimSpace(search))
	for i, l := range lines {
		shown[i] = text == "" || !l.Heading && (strings.Contains(strings.ToLower(l.Label), text) ||
			strings.Contains(strings.ToLower(l.Answer), text) || strings.Contains(strings.ToLower(l.Instance), text))
	}
	for i, l := range lines {
		if !l.Heading || shown[i] {
			continue
		}
		for j := i + 1; j < len(lines) && strings.HasPrefix(lines[j].Question, l.Question+"/"); j++ {
			if shown[j] {
				shown[i] = true
				break
			}
		}
	}
	return shown
}

// answerLineView shows one line of an opened response: an instance's
// heading in bold with a rule above it, or a question and its answer,
// indented under the instances around them.
func answerLineView(l AnswerLine) []fyne.CanvasObject {
	indent := func(o fyne.CanvasObject) fyne.CanvasObject {
		if l.Depth == 0 {
			return o
		}
		pad := canvas.NewRectangle(nil)
		pad.SetMinSize(fyne.NewSize(float32(l.Depth)*theme.Padding()*6, 1))
		return container.NewBorder(nil, nil, pad, nil, o)
	}
	if l.Heading {
		h := widget.NewLabelWithStyle(l.Label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		h.Importance = widget.HighImportance
		h.Wrapping = fyne.TextWrapWord
		return []fyne.CanvasObject{widget.NewSeparator(), indent(h)}
	}
	q := widget.NewLabelWithStyle(l.Label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	q.Wrapping = fyne.TextWrapWord
	a := widget.NewLabel(l.Answer)
	a.Wrapping = fyne.TextWrapWord
	if l.Personal {
		a.SetText(l.Answer + "   🔒 " + lang.L("personal"))
	}
	return []fyne.CanvasObject{indent(q), indent(a)}
}

// answerLines lists the answers of a response in survey order, in words:
// the answers of each repeat instance under its heading, instances in
// order (SortKeys), nested ones inside theirs. Answers the definition
// cannot place come last, in key order.
func answerLines(def *survey.Survey, answers survey.Answers) []AnswerLine {
	lng := def.DefaultLanguage()
	labelOf := func(q *survey.Question) string {
		if label := q.Label.In(lng, "en"); label != "" {
			return label
		}
		return q.Name
	}
	var out []AnswerLine
	seen := map[string]bool{}
	var walk func(qs []*survey.Question, path []survey.Step, instance string)
	walk = func(qs []*survey.Question, path []survey.Step, instance string) {
		for _, q := range qs {
			switch {
			case q.Type == survey.TypeGroup && q.Repeat != nil:
				n := answers.Instances(path, q.Name)
				for i := 1; i <= n; i++ {
					inner := append(slices.Clip(path), survey.Step{Repeat: q.Name, Index: i})
					heading := run.InstanceTitle(q, lng, "en", i, n)
					out = append(out, AnswerLine{Question: strings.TrimSuffix(survey.Key(inner, ""), "/"), Label: heading, Instance: heading, Heading: true, Depth: len(path)})
					walk(q.Questions, inner, heading)
				}
			case q.Type == survey.TypeGroup:
				walk(q.Questions, path, instance)
			case q.Type.HoldsAnswer():
				key := survey.Key(path, q.Name)
				v, ok := answers[key]
				if !ok {
					continue
				}
				seen[key] = true
				out = append(out, AnswerLine{Question: key, Label: labelOf(q), Answer: answerText(def, q, v, lng), Personal: q.Personal, Instance: instance, Depth: len(path)})
			}
		}
	}
	walk(def.Questions, nil, "")
	var rest []string
	for key := range answers {
		if !seen[key] {
			rest = append(rest, key)
		}
	}
	survey.SortKeys(rest)
	for _, key := range rest {
		out = append(out, AnswerLine{Question: key, Label: key, Answer: answers[key]})
	}
	return out
}

// instanceCounts says how many instances of each top-level repeat of def
// a response holds, in survey order: "3 people", or "3 in “People you care
// for”" for a repeat without a noun.
func instanceCounts(def *survey.Survey, counts map[string]int) []string {
	if len(counts) == 0 || def == nil {
		return nil
	}
	lng := def.DefaultLanguage()
	var out []string
	for _, q := range def.All() {
		n := counts[q.Name]
		if q.Repeat == nil || n == 0 || len(def.Repeats(q.Name)) > 0 {
			continue
		}
		if phrase, ok := q.Repeat.CountItems(n, lng); ok {
			out = append(out, phrase)
			continue
		}
		label := q.Label.In(lng, "en")
		if label == "" {
			label = q.Name
		}
		out = append(out, lang.L("{{.N}} in “{{.Repeat}}”", map[string]any{"N": n, "Repeat": label}))
	}
	return out
}

// answerText writes a stored answer in words: choice labels for choice
// questions (numbered for a ranking), the value otherwise.
func answerText(def *survey.Survey, q *survey.Question, v, lng string) string {
	if !q.Type.HasChoices() {
		return def.ValueLabel(q, v, lng)
	}
	label := func(name string) string { return def.ValueLabel(q, name, lng) }
	names := strings.Fields(v)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = label(n)
		if q.Type == survey.TypeRank {
			parts[i] = fmt.Sprintf("%d. %s", i+1, parts[i])
		}
	}
	if q.Type == survey.TypeSelectOne {
		return strings.Join(parts, " ")
	}
	return strings.Join(parts, "; ")
}

// personalAnswered lists the personal questions a response has answered,
// in any repeat instance too (the store erases a name's answers in every
// instance).
func personalAnswered(def *survey.Survey, answers survey.Answers) []string {
	answered := map[string]bool{}
	for key := range answers {
		if _, name, err := survey.ParseKey(key); err == nil {
			answered[name] = true
		}
	}
	var out []string
	for _, q := range def.Fields() {
		if !q.Personal {
			continue
		}
		if answered[q.Name] {
			out = append(out, q.Name)
		}
		if answered[q.OtherName()] && q.OrOther {
			out = append(out, q.OtherName()) // the respondent's own words are personal too
		}
	}
	return out
}

// confirm shows a confirmation with a danger-coloured confirm button.
func (r *ResponsesScreen) confirm(title, msg, action string, do func() error) *dialog.ConfirmDialog {
	d := dialog.NewConfirm(title, msg, func(ok bool) {
		if !ok {
			return
		}
		if err := do(); err != nil {
			r.env.shell.ShowError(err)
		}
	}, r.env.shell.Window())
	d.SetConfirmText(action)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
	return d
}

// Resume opens the opened partial response in the form, where staff can
// finish it with the respondent; leaving or submitting the form comes back
// here with the response open again.
func (r *ResponsesScreen) Resume() error {
	if r.Opened == nil {
		return nil
	}
	id := r.Opened.ID
	return r.resume(id, func() {
		back, err := showResponses(r.env, r.lock, r.resume, r.surveyID)
		if err != nil {
			r.env.shell.ShowError(err)
			return
		}
		if err := back.Open(id); err != nil {
			r.env.shell.ShowError(err)
		}
	})
}

// MarkComplete asks, then marks the opened partial response complete. It returns the dialog.
func (r *ResponsesScreen) MarkComplete() *dialog.ConfirmDialog {
	resp := r.Opened
	if resp == nil || resp.Status == survey.StatusComplete || r.Compare != nil {
		return nil
	}
	msg := lang.L("The response will count as complete, with the answers it has. Missing answers stay missing.")
	return r.confirm(lang.L("Mark complete?"), msg, lang.L("Mark complete"), func() error {
		if err := r.env.store.SetStatus(r.env.ctx, resp.ID, survey.StatusComplete); err != nil {
			return err
		}
		if err := r.env.store.Audit(r.env.ctx, staffActor(), "mark-complete", resp.ID, "was "+string(resp.Status)); err != nil {
			return err
		}
		if err := r.refreshRows(); err != nil {
			return err
		}
		return r.Open(resp.ID)
	})
}

// Delete asks, then deletes the opened response. It returns the dialog.
func (r *ResponsesScreen) Delete() *dialog.ConfirmDialog {
	resp := r.Opened
	if resp == nil || r.Compare != nil { // a conflict is settled by keeping one version
		return nil
	}
	msg := lang.L("The response and all its answers are deleted for good. The audit log records that it was deleted, not what it said.")
	return r.confirm(lang.L("Delete response?"), msg, lang.L("Delete"), func() error {
		if err := r.env.store.DeleteResponse(r.env.ctx, resp.ID, staffActor()); err != nil {
			return err
		}
		if err := r.refreshRows(); err != nil {
			return err
		}
		r.showNone()
		return nil
	})
}

// ErasePersonal asks, then erases the opened response's answers to the
// questions that hold personal data, keeping the other answers. It returns the dialog.
func (r *ResponsesScreen) ErasePersonal() *dialog.ConfirmDialog {
	resp := r.Opened
	if resp == nil || r.Compare != nil { // a conflict is settled by keeping one version
		return nil
	}
	def, err := r.definition(resp.SurveyVersion)
	if err != nil {
		r.env.shell.ShowError(err)
		return nil
	}
	names := personalAnswered(def, resp.Answers)
	if len(names) == 0 {
		r.env.shell.ShowError(errors.New(lang.L("This response holds no personal data.")))
		return nil
	}
	var labels []string
	for _, l := range r.Lines {
		if item := "• " + l.Label; l.Personal && !slices.Contains(labels, item) {
			labels = append(labels, item) // once for every instance
		}
	}
	msg := lang.L("These answers are deleted from this laptop's database; the other answers stay:") + "\n" + strings.Join(labels, "\n") +
		"\n\n" + lang.L(olderCopiesText)
	erasing := 0 // answers, in every repeat instance: one question can hold several
	for key := range resp.Answers {
		if _, name, err := survey.ParseKey(key); err == nil && slices.Contains(names, name) {
			erasing++
		}
	}
	return r.confirm(lang.L("Erase personal data?"), msg, lang.L("Erase"), func() error {
		if err := r.env.store.ErasePersonal(r.env.ctx, resp.ID, names, staffActor()); err != nil {
			return err
		}
		if err := r.refreshRows(); err != nil {
			return err
		}
		if err := r.Open(resp.ID); err != nil {
			return err
		}
		r.Notice.Importance = widget.SuccessImportance
		erased := lang.L("Personal data erased from this response ({{.N}} answers).", map[string]any{"N": erasing})
		if erasing == 1 {
			erased = lang.L("Personal data erased from this response (1 answer).")
		}
		r.Notice.SetText(erased + " " + lang.L(olderCopiesText))
		r.Notice.Show()
		return nil
	})
}

// refreshRows reloads the rows listed so far (and the conflicts), keeping
// the opened response.
func (r *ResponsesScreen) refreshRows() error {
	return r.loadRows(max(len(r.Rows), responsesPage))
}

// statusCounts writes a survey's responses by status, in the words every
// screen and export uses: "3 complete, 1 partial, 2 abandoned" (abandoned
// only when there are some).
func statusCounts(s store.SurveySummary) string {
	if s.Abandoned == 0 {
		return lang.L("{{.Complete}} complete, {{.Partial}} partial", map[string]any{"Complete": s.Complete, "Partial": s.Partial})
	}
	return lang.L("{{.Complete}} complete, {{.Partial}} partial, {{.Abandoned}} abandoned",
		map[string]any{"Complete": s.Complete, "Partial": s.Partial, "Abandoned": s.Abandoned})
}

// olderCopiesText says plainly what erasing cannot reach.
const olderCopiesText = "Copies made before now still hold these answers: backups (the automatic ones in backups/ beside the database and any on a USB stick), bundles exported for merging, and other laptops that merged a bundle. Delete or replace those copies, and erase the answers there too."

// erasedText marks a response whose personal data was erased.
func erasedText(at time.Time) string {
	return lang.L("Personal data erased on {{.When}}. Backups and bundles made before then still hold it.",
		map[string]any{"When": at.Local().Format("2 Jan 2006 at 15:04")})
}
