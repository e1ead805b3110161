package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
)

// editorLanguages returns the languages the editor asks texts in: the
// survey's, or English when it declares none.
func editorLanguages(def *survey.Survey) []survey.Language {
	var out []survey.Language
	for _, l := range def.Languages {
		if strings.TrimSpace(l.Code) != "" {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		out = []survey.Language{{Code: def.DefaultLanguage(), Name: "English"}}
	}
	return out
}

// textKey is the key a language's text is kept under in t: the code, or
// "" for the default language when t holds a language-less text only.
func textKey(t survey.Text, code string, isDefault bool) string {
	if _, ok := t[code]; !ok && isDefault && t[""] != "" {
		return ""
	}
	return code
}

// textEntries builds one entry per language for the text *t (a label, a
// hint…), keyed by language code; onChange runs after each edit.
func textEntries(def *survey.Survey, t *survey.Text, multiline bool, placeholder string, onChange func()) (fyne.CanvasObject, map[string]*widget.Entry) {
	langs := editorLanguages(def)
	entries := map[string]*widget.Entry{}
	box := container.NewVBox()
	for i, l := range langs {
		var e *widget.Entry
		if multiline {
			e = widget.NewMultiLineEntry()
			e.SetMinRowsVisible(2)
			e.Wrapping = fyne.TextWrapWord
		} else {
			e = widget.NewEntry()
		}
		e.SetPlaceHolder(placeholder)
		key := textKey(*t, l.Code, i == 0)
		e.SetText((*t)[key])
		e.OnChanged = func(s string) {
			if *t == nil {
				*t = survey.Text{}
			}
			if s == "" {
				delete(*t, key)
			} else {
				(*t)[key] = s
			}
			if onChange != nil {
				onChange()
			}
		}
		entries[l.Code] = e
		if len(langs) == 1 {
			box.Add(e)
			continue
		}
		name := l.Name
		if name == "" {
			name = l.Code
		}
		tag := widget.NewLabel(name)
		box.Add(container.NewBorder(nil, nil, tag, nil, e))
	}
	return box, entries
}

// fieldHeading is the name of a field of the editor's panels.
func fieldHeading(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// fieldHint is a short explanation under a field.
func fieldHint(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle = fyne.TextStyle{Italic: true}
	l.Wrapping = fyne.TextWrapWord
	return l
}

// errorLabel is a hidden label that shows a field's problem in the danger colour.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func setError(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// ChoiceRow is one choice in the choices editor.
type ChoiceRow struct {
	Name   *widget.Entry
	Labels map[string]*widget.Entry // by language code
	Up     *widget.Button
	Down   *widget.Button
	Remove *widget.Button
}

// ChoicesEditor edits the choice list of a select or rank question: which
// list it uses, and that list's choices (add, reorder, remove). A list
// shared by several questions changes for all of them, and says so.
type ChoicesEditor struct {
	List    *widget.Select // the list the question uses
	Rows    []*ChoiceRow
	Add     *widget.Button
	Shared  *widget.Label // names the other questions using the list
	Problem *widget.Label

	def      *survey.Survey
	q        *survey.Question
	onChange func()
	rows     *fyne.Container
	content  fyne.CanvasObject
}

// newChoicesEditor builds the choices editor of q.
func newChoicesEditor(def *survey.Survey, q *survey.Question, onChange func()) *ChoicesEditor {
	e := &ChoicesEditor{def: def, q: q, onChange: onChange, rows: container.NewVBox(), Problem: errorLabel()}
	if q.List == "" {
		e.newList()
	}
	e.List = widget.NewSelect(nil, func(name string) {
		if name == "" || name == e.q.List {
			return
		}
		if name == newListOption() {
			e.newList()
		} else {
			e.q.List = name
		}
		e.changed()
		e.refresh()
	})
	e.Add = widget.NewButtonWithIcon(lang.L("Add choice"), theme.ContentAddIcon(), func() { e.AddChoice() })
	e.Shared = fieldHint("")
	e.content = container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel(lang.L("Choice list")), nil, e.List),
		e.Shared, e.rows, e.Problem, container.NewHBox(e.Add))
	e.refresh()
	return e
}

func newListOption() string { return lang.L("＋ New list") }

// Content returns the editor's widgets.
func (e *ChoicesEditor) Content() fyne.CanvasObject { return e.content }

// newList gives q a new, empty list named after it.
func (e *ChoicesEditor) newList() {
	name := e.q.Name
	if name == "" {
		name = "choices"
	}
	base := name
	for i := 2; ; i++ {
		if _, taken := e.def.List(name); !taken {
			break
		}
		name = fmt.Sprintf("%s_%d", base, i)
	}
	e.def.Lists = append(e.def.Lists, survey.ChoiceList{Name: name})
	e.q.List = name
}

// list returns the list being edited (nil if q names a list that does not exist).
func (e *ChoicesEditor) list() *survey.ChoiceList {
	l, _ := e.def.List(e.q.List)
	return l
}

func (e *ChoicesEditor) changed() {
	if e.onChange != nil {
		e.onChange()
	}
}

// refresh rebuilds the rows from the list.
func (e *ChoicesEditor) refresh() {
	var names []string
	for _, l := range e.def.Lists {
		names = append(names, l.Name)
	}
	e.List.SetOptions(append(names, newListOption()))
	e.List.Selected = e.q.List
	e.List.Refresh()

	var others []string
	for _, o := range e.def.All() {
		if o != e.q && o.List == e.q.List && o.Type.HasChoices() {
			others = append(others, o.Name)
		}
	}
	if len(others) > 0 {
		e.Shared.SetText(lang.L("This list is also used by {{.Names}}: changes apply there too.", map[string]any{"Names": strings.Join(others, ", ")}))
		e.Shared.Show()
	} else {
		e.Shared.Hide()
	}

	e.rows.RemoveAll()
	e.Rows = nil
	l := e.list()
	if l == nil {
		setError(e.Problem, lang.L("The list {{.Name}} does not exist.", map[string]any{"Name": e.q.List}))
		return
	}
	langs := editorLanguages(e.def)
	for i := range l.Choices {
		e.rows.Add(e.choiceRow(l, i, langs))
	}
	if len(l.Choices) == 0 {
		e.rows.Add(fieldHint(lang.L("No choices yet: add the answers people can pick.")))
	}
	e.check()
}

// choiceRow builds the widgets of choice i.
func (e *ChoicesEditor) choiceRow(l *survey.ChoiceList, i int, langs []survey.Language) fyne.CanvasObject {
	row := &ChoiceRow{Name: widget.NewEntry(), Labels: map[string]*widget.Entry{}}
	c := &l.Choices[i]
	row.Name.SetText(c.Name)
	row.Name.SetPlaceHolder(lang.L("code"))
	row.Name.OnChanged = func(s string) {
		c.Name = strings.TrimSpace(s)
		e.check()
		e.changed()
	}
	labels := container.NewVBox()
	for j, lg := range langs {
		entry := widget.NewEntry()
		key := textKey(c.Label, lg.Code, j == 0)
		entry.SetText(c.Label[key])
		entry.SetPlaceHolder(lang.L("Answer as shown"))
		if len(langs) > 1 {
			entry.SetPlaceHolder(lg.Name)
		}
		first := j == 0
		entry.OnChanged = func(s string) {
			old := c.Label[key]
			if c.Label == nil {
				c.Label = survey.Text{}
			}
			if s == "" {
				delete(c.Label, key)
			} else {
				c.Label[key] = s
			}
			// A code still made from the label follows the label.
			if first && (c.Name == "" || c.Name == survey.ChoiceName(old)) {
				if n := e.freeChoiceName(survey.ChoiceName(s), c); n != "" {
					c.Name = n
					row.Name.SetText(n)
				}
			}
			e.check()
			e.changed()
		}
		row.Labels[lg.Code] = entry
		labels.Add(entry)
	}
	row.Up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { e.MoveChoice(i, -1) })
	row.Down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { e.MoveChoice(i, +1) })
	row.Remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { e.RemoveChoice(i) })
	if i == 0 {
		row.Up.Disable()
	}
	if i == len(l.Choices)-1 {
		row.Down.Disable()
	}
	e.Rows = append(e.Rows, row)
	name := container.NewGridWrap(fyne.NewSize(130, row.Name.MinSize().Height), row.Name)
	return container.NewBorder(nil, nil, name, container.NewHBox(row.Up, row.Down, row.Remove), labels)
}

// freeChoiceName returns base, or base_2…, unused by the other choices of the list.
func (e *ChoicesEditor) freeChoiceName(base string, self *survey.Choice) string {
	if base == "" {
		return ""
	}
	l := e.list()
	taken := func(n string) bool {
		for i := range l.Choices {
			if &l.Choices[i] != self && l.Choices[i].Name == n {
				return true
			}
		}
		return false
	}
	name := base
	for i := 2; taken(name); i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	return name
}

// check shows what is wrong with the choices' codes.
func (e *ChoicesEditor) check() {
	l := e.list()
	if l == nil {
		return
	}
	seen := map[string]bool{}
	var problems []string
	for i, c := range l.Choices {
		switch {
		case c.Name == "":
			problems = append(problems, lang.L("Choice {{.N}} has no code.", map[string]any{"N": i + 1}))
		case strings.ContainsAny(c.Name, " \t\n"):
			problems = append(problems, lang.L("The code {{.Code}} has a space: codes are one word.", map[string]any{"Code": c.Name}))
		case seen[c.Name]:
			problems = append(problems, lang.L("The code {{.Code}} is used twice.", map[string]any{"Code": c.Name}))
		}
		seen[c.Name] = true
	}
	setError(e.Problem, strings.Join(problems, "\n"))
}

// AddChoice adds an empty choice at the end of the list and returns its row.
func (e *ChoicesEditor) AddChoice() *ChoiceRow {
	l := e.list()
	if l == nil {
		return nil
	}
	l.Choices = append(l.Choices, survey.Choice{Label: survey.Text{}})
	e.changed()
	e.refresh()
	row := e.Rows[len(e.Rows)-1]
	if c := fyne.CurrentApp().Driver().CanvasForObject(e.content); c != nil {
		c.Focus(row.Labels[editorLanguages(e.def)[0].Code])
	}
	return row
}

// MoveChoice moves choice i one place up (-1) or down (+1).
func (e *ChoicesEditor) MoveChoice(i, dir int) {
	l := e.list()
	j := i + dir
	if l == nil || i < 0 || j < 0 || i >= len(l.Choices) || j >= len(l.Choices) {
		return
	}
	l.Choices[i], l.Choices[j] = l.Choices[j], l.Choices[i]
	e.changed()
	e.refresh()
}

// RemoveChoice removes choice i.
func (e *ChoicesEditor) RemoveChoice(i int) {
	l := e.list()
	if l == nil || i < 0 || i >= len(l.Choices) {
		return
	}
	l.Choices = append(l.Choices[:i], l.Choices[i+1:]...)
	e.changed()
	e.refresh()
}
