package respondent

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey/run"
)

// Repeats on the form ("tell us about each person you care for"). The
// engine lays out one set of pages per instance, a prompt page after them
// and every word shown ("Person 2 of 3", "Remove this person", "Add
// another person"); the form shows them and passes the engine's keys back:
//   - an instance page starts with its count as a heading and, unless the
//     repeat has a fixed count, a "Remove this person" button that asks
//     first (Escape or "No, keep" cancels);
//   - the prompt page says how many have been added, offers "Add
//     another person" and lists each person with a Change button; Next
//     goes on past the repeat.

// repeatView holds the widgets of instance and prompt pages and of the
// "remove?" question.
type repeatView struct {
	caption *widget.RichText // what is counted: "Person 1 of 2 – Their pets"
	heading *widget.RichText // "Person 2 of 3"
	remove  *KeyButton       // "Remove this person"
	headRow *fyne.Container

	promptHead *widget.RichText // the repeat's label
	promptHint *widget.RichText // the repeat's hint
	summary    *widget.Label    // "2 added so far."
	full       *widget.Label    // why Add is off: "You can add at most 3 people."
	promptErr  *widget.RichText // the repeat's limit not met: "Add at least 1 person."
	errText    string
	add        *KeyButton      // "Add another person"
	added      *fyne.Container // a row per instance: "Person 1 of 2: Ann" and Change
	changes    []*KeyButton    // the rows' Change buttons
	rowTexts   []string
	promptBox  *fyne.Container

	confirm     *formPopUp
	confirmText *widget.Label
	confirmYes  *KeyButton
	confirmNo   *KeyButton
	removing    string // the key of the instance the question is about
}

// buildRepeatView creates the widgets of instance and prompt pages.
func (f *Form) buildRepeatView() {
	v := &f.rep
	v.heading = headingText()
	v.caption = widget.NewRichText()
	v.caption.Wrapping = fyne.TextWrapWord
	// A plain button: the danger colour is kept for "Yes, remove".
	v.remove = f.newKeyButton(theme.DeleteIcon(), f.askRemove)
	v.headRow = container.NewBorder(nil, nil, nil, container.NewVBox(v.remove), f.vbox(v.caption, v.heading))

	v.promptHead = headingText()
	v.promptHint = widget.NewRichText()
	v.promptHint.Wrapping = fyne.TextWrapWord
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord
	// A plain button: Next stays the page's main action.
	v.add = f.newKeyButton(theme.ContentAddIcon(), f.addInstance)
	v.added = f.vbox()
	v.promptErr = widget.NewRichText()
	v.promptErr.Wrapping = fyne.TextWrapWord
	v.promptErr.Hide()
	v.full = widget.NewLabel("")
	v.full.Wrapping = fyne.TextWrapWord
	v.promptBox = f.vbox(v.promptHead, v.promptHint, v.summary, v.full, v.promptErr, container.NewHBox(v.add), v.added)
}

// setPromptError shows the engine's problem with the prompt page's repeat
// (its constraint: "Add at least 1 person.") above its Add button, in the
// colour and weight of a question's error, and in the error summary.
func (f *Form) setPromptError(msg string) {
	v := &f.rep
	if v.errText == msg {
		return
	}
	v.errText = msg
	showError(v.promptErr, msg)
	f.refreshErrorSummary()
}

// goToPrompt puts the focus where the prompt's problem is fixed: Add, or
// at a maximum the first person's Change (where they can be removed).
func (f *Form) goToPrompt() {
	c := f.canvas()
	if c == nil {
		return
	}
	f.scroll.ScrollToTop()
	if !f.rep.add.Disabled() {
		c.Focus(f.rep.add)
	} else if len(f.rep.changes) > 0 {
		c.Focus(f.rep.changes[0])
	}
}

// headingText is a bold, wrapping heading.
func headingText() *widget.RichText {
	rt := widget.NewRichText()
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// setHeading writes text into a heading made by headingText.
func setHeading(rt *widget.RichText, text string) {
	rt.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		SizeName: theme.SizeNameHeadingText, TextStyle: fyne.TextStyle{Bold: true},
	}}}
	rt.Hidden = text == ""
	rt.Refresh()
}

// setGrey writes text in the hints' grey into rt, hidden when empty.
func setGrey(rt *widget.RichText, text string) {
	rt.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: text, Style: widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder}}}
	rt.Hidden = text == ""
	rt.Refresh()
}

// repeatObjects returns what page p shows above its questions: the
// instance's heading and Remove button, or the prompt's summary and Add button.
func (f *Form) repeatObjects(p run.Page) []fyne.CanvasObject {
	f.refreshRepeat(p)
	var out []fyne.CanvasObject
	if p.Instance != nil {
		out = append(out, f.rep.headRow)
	}
	if p.Prompt != nil {
		out = append(out, f.rep.promptBox)
	}
	return out
}

// refreshRepeat writes the engine's words for page p into the widgets.
func (f *Form) refreshRepeat(p run.Page) {
	v := &f.rep
	if in := p.Instance; in != nil {
		setHeading(v.heading, in.Title)
		// On a prompt page the repeat's label is its heading already.
		caption := ""
		if p.Prompt == nil {
			caption = f.sess.Caption()
		}
		setGrey(v.caption, caption)
		v.remove.SetText(in.RemoveLabel)
		if in.Fixed {
			v.remove.Hide()
		} else {
			v.remove.Show()
		}
	}
	if pr := p.Prompt; pr != nil {
		setHeading(v.promptHead, f.sess.Text(pr.Repeat.Label))
		setGrey(v.promptHint, f.sess.Text(pr.Repeat.Hint))
		v.summary.SetText(pr.Summary)
		v.full.SetText(pr.Full)
		v.full.Hidden = pr.Full == ""
		v.add.SetText(pr.AddLabel)
		setEnabled(&v.add.Button, pr.CanAdd)
		f.listInstances(pr)
	}
}

// listInstances lists the prompt's instances under its Add button, each
// with the first answer given in it ("Person 1 of 2: Ann") and a Change
// button that opens its first page (where it can be removed too).
func (f *Form) listInstances(pr *run.RepeatPrompt) {
	v := &f.rep
	v.added.Objects, v.changes, v.rowTexts = nil, nil, nil
	for _, in := range f.sess.PromptInstances(pr) {
		text := in.Title
		if first := f.firstAnswer(in.Key); first != "" {
			text += ": " + first
		}
		label := widget.NewLabel(text)
		label.Truncation = fyne.TextTruncateEllipsis
		key := in.Key
		change := f.newKeyButton(theme.DocumentCreateIcon(), func() { f.openInstance(key) })
		change.SetText(lang.L("Change"))
		change.Importance = widget.LowImportance
		v.changes = append(v.changes, change)
		v.rowTexts = append(v.rowTexts, text)
		v.added.Objects = append(v.added.Objects, container.NewBorder(nil, nil, nil, change, label))
	}
	v.added.Refresh()
}

// firstAnswer is the first answer given in the instance with key inst, as
// the respondent reads it ("" when none).
func (f *Form) firstAnswer(inst string) string {
	for _, p := range f.sess.Pages() {
		if p.Instance == nil || p.Instance.Key != inst {
			continue
		}
		for _, fl := range p.Fields {
			if v := f.sess.Display(fl.Key); v != "" {
				return v
			}
		}
	}
	return ""
}

// openInstance shows the first relevant page of the instance with key inst.
func (f *Form) openInstance(inst string) {
	if f.stopped || f.sess.Submitted() {
		return
	}
	f.activity()
	for i, p := range f.sess.Pages() {
		if p.Instance != nil && p.Instance.Key == inst && f.sess.PageRelevant(i) {
			f.saveNow()
			f.sess.GoTo(i)
			f.showPage()
			return
		}
	}
}

// addInstance adds an instance to the repeat of the prompt page shown and
// shows its first page.
func (f *Form) addInstance() {
	pr := f.sess.Page().Prompt
	if pr == nil || f.stopped || f.sess.Submitted() {
		return
	}
	f.activity()
	f.saveNow()
	if err := f.sess.AddInstance(pr.Key); err != nil {
		// Only a repeat at its maximum refuses, and its Add button is disabled.
		f.bannerText.SetText(reason(err))
		f.banner.Show()
		f.override.Refresh()
		return
	}
	f.pagesChanged()
	f.showPage()
}

// askRemove asks whether to remove the instance shown, with "No, keep" focused.
func (f *Form) askRemove() {
	in := f.sess.Page().Instance
	c := f.canvas()
	if in == nil || in.Fixed || f.stopped || f.sess.Submitted() || c == nil {
		return
	}
	f.activity()
	f.saveNow()
	v := &f.rep
	if v.confirm == nil {
		v.confirmText = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		v.confirmText.Wrapping = fyne.TextWrapWord
		v.confirmText.SizeName = theme.SizeNameSubHeadingText
		v.confirmYes = f.newKeyButton(theme.DeleteIcon(), f.confirmRemove)
		v.confirmYes.Importance = widget.DangerImportance
		v.confirmYes.onEscape = f.cancelRemove
		v.confirmNo = f.newKeyButton(theme.CancelIcon(), f.cancelRemove)
		v.confirmNo.onEscape = f.cancelRemove
		box := container.NewVBox(v.confirmText, container.NewHBox(layout.NewSpacer(), v.confirmNo, v.confirmYes))
		v.confirm = newFormPopUp(container.NewPadded(box), c)
	}
	v.removing = in.Key
	v.confirmText.SetText(in.RemoveQuestion)
	v.confirmYes.SetText(lang.L("Yes, remove"))
	v.confirmNo.SetText(lang.L("No, keep"))
	v.confirm.show(f.th, columnWidth(f.th)) // large text and high contrast hold here too
	c.Focus(v.confirmNo)
}

// RemoveShown reports whether the form is asking whether to remove an instance.
func (f *Form) RemoveShown() bool { return f.rep.confirm.shown() }

// cancelRemove closes the question and keeps the instance.
func (f *Form) cancelRemove() {
	if !f.RemoveShown() {
		return
	}
	f.activity()
	f.closeRemove()
	if c := f.canvas(); c != nil {
		c.Focus(f.rep.remove)
	}
}

// closeRemove closes the "Remove?" question; its button gives up the focus
// first, so that it drops its focused style.
func (f *Form) closeRemove() {
	if !f.RemoveShown() {
		return
	}
	if c := f.canvas(); c != nil {
		c.Unfocus()
	}
	f.rep.confirm.Hide()
	f.rep.removing = ""
}

// confirmRemove removes the instance asked about and shows the page the
// engine makes current.
func (f *Form) confirmRemove() {
	if !f.RemoveShown() {
		return
	}
	key := f.rep.removing
	f.closeRemove()
	if f.stopped || f.sess.Submitted() {
		return
	}
	f.activity()
	f.saveNow()
	if err := f.sess.RemoveInstance(f.ctx, key); err != nil {
		// The engine keeps every answer when the store refuses the removal.
		f.bannerText.SetText(lang.L("Nothing was removed: we could not save to disk: {{.Reason}}. Please tell a member of staff.",
			map[string]any{"Reason": reason(err)}))
		f.banner.Show()
		f.override.Refresh()
		return
	}
	f.saveNow() // the store took the removal: the banner of a refused one goes
	f.pagesChanged()
	f.showPage()
}

// pagesChanged brings the fields up to date after the engine changed its
// pages (an instance added or removed, a repeat_count answered): fields of
// new keys are built, those of keys gone dropped, and every field shows its
// answer again (removing an instance renumbers the later ones).
func (f *Form) pagesChanged() {
	f.syncFields()
	f.showAllValues()
	for _, fd := range f.fields {
		fd.setError("")
	}
}

// escape passes Escape to the form, as if nothing were focused.
func (f *Form) escape() { f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) }

// InstanceCaption returns the line above the count heading of the page
// shown: what is counted ("Person 1 of 2 – Their pets"), "" when none.
func (f *Form) InstanceCaption() string {
	if f.rep.caption.Hidden {
		return ""
	}
	return f.rep.caption.String()
}

// InstanceTitle returns the count heading of the page shown ("Person 2 of
// 3"), or "" outside a repeat instance.
func (f *Form) InstanceTitle() string {
	if f.sess.Page().Instance == nil {
		return ""
	}
	return f.rep.heading.String()
}

// RemoveButton returns the "Remove this person" button: on the pages of an
// instance, hidden when repeat_count sets the number.
func (f *Form) RemoveButton() *KeyButton { return f.rep.remove }

// RemoveQuestion returns the question asked before removing, its "Yes,
// remove" and "No, keep" buttons; the buttons are nil before it is first asked.
func (f *Form) RemoveQuestion() (text string, yes, no *KeyButton) {
	if f.rep.confirm == nil {
		return "", nil, nil
	}
	return f.rep.confirmText.Text, f.rep.confirmYes, f.rep.confirmNo
}

// PromptInstances returns the rows listing the instances on the prompt page
// shown ("Person 1 of 2: Ann") and their Change buttons.
func (f *Form) PromptInstances() (texts []string, change []*KeyButton) {
	if f.sess.Page().Prompt == nil {
		return nil, nil
	}
	return f.rep.rowTexts, f.rep.changes
}

// AddButton returns the "Add another person" button of the prompt page.
func (f *Form) AddButton() *KeyButton { return f.rep.add }

// PromptHint returns the repeat's hint shown on the prompt page ("" when none).
func (f *Form) PromptHint() string {
	if f.sess.Page().Prompt == nil || f.rep.promptHint.Hidden {
		return ""
	}
	return f.rep.promptHint.String()
}

// PromptFull returns why the prompt page offers no Add ("You can add at
// most 3 people."), or "".
func (f *Form) PromptFull() string {
	if f.sess.Page().Prompt == nil || f.rep.full.Hidden {
		return ""
	}
	return f.rep.full.Text
}

// PromptSummary returns the prompt page's summary ("2 added so far."), or
// "" on any other page.
func (f *Form) PromptSummary() string {
	if f.sess.Page().Prompt == nil {
		return ""
	}
	return f.rep.summary.Text
}
