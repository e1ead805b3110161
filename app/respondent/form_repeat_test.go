package respondent_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/app/respondent"
	"canvass/export"
	"canvass/export/pyreaders"
	"canvass/survey"
	"canvass/survey/store"
)

// peopleSurvey asks about each person the respondent cares for: their
// name, then how they are related, each on its own page. count is the
// repeat's repeat_count ("" lets the respondent add and remove people).
func peopleSurvey(count string) *survey.Survey {
	qs := []*survey.Question{
		{Type: survey.TypeText, Name: "you", Label: survey.En("Your first name")},
	}
	if count != "" {
		qs = append(qs, &survey.Question{Type: survey.TypeInteger, Name: "n", Label: survey.En("How many people do you care for?"), Required: true})
	}
	qs = append(qs,
		&survey.Question{Type: survey.TypeGroup, Name: "people", Label: survey.En("People you care for"),
			Repeat: &survey.Repeat{Count: count, Item: survey.En("person")},
			Questions: []*survey.Question{
				{Type: survey.TypeText, Name: "name", Label: survey.En("Their first name"), Required: true},
				{Type: survey.TypeSelectOne, Name: "relation", Label: survey.En("How is ${name} related to you?"), List: "rel"},
			}},
		&survey.Question{Type: survey.TypeText, Name: "else", Label: survey.En("Anything else?")},
	)
	return &survey.Survey{ID: "carers", Version: 1, Title: survey.En("Caring for someone"), Questions: qs,
		Lists: []survey.ChoiceList{{Name: "rel", Choices: []survey.Choice{
			{Name: "parent", Label: survey.En("Parent")},
			{Name: "child", Label: survey.En("Child")},
			{Name: "partner", Label: survey.En("Partner")},
			{Name: "friend", Label: survey.En("Friend")},
		}}}}
}

// key is the answer key of question q in person i.
func key(i int, q string) string { return fmt.Sprintf("people[%d]/%s", i, q) }

// onPrompt fails unless the page shown is the people prompt saying summary.
func (r *formRig) onPrompt(summary string) {
	r.t.Helper()
	if got := r.f.PromptSummary(); got != summary {
		r.t.Fatalf("page %d: prompt summary %q, want %q (title %q)", r.f.PageIndex(), got, summary, r.f.InstanceTitle())
	}
	if r.f.AddButton().Hidden || !r.f.AddButton().Visible() {
		r.t.Fatal("the prompt page shows no Add button")
	}
}

// onInstance fails unless the page shown belongs to the instance titled title.
func (r *formRig) onInstance(title string) {
	r.t.Helper()
	if got := r.f.InstanceTitle(); got != title {
		r.t.Fatalf("page %d: instance title %q, want %q", r.f.PageIndex(), got, title)
	}
}

// focused fails unless the keyboard focus is on w.
func (r *formRig) focused(w fyne.Focusable, what string) {
	r.t.Helper()
	if got := r.w.Canvas().Focused(); got != w {
		r.t.Fatalf("focus on %T %v, want %s", got, got, what)
	}
}

// addPerson adds a person from the prompt page by mouse and keyboard: Add,
// type the name into the focused entry, Enter, a digit for the relation, Enter.
func (r *formRig) addPerson(n, total int, name string, digit rune) {
	r.t.Helper()
	c := r.w.Canvas()
	test.Tap(r.f.AddButton())
	r.onInstance(fmt.Sprintf("Person %d of %d", n, total))
	entry := r.field(key(n, "name")).Entry
	r.focused(entry, "the new person's name")
	typeKeys(c, name)
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.onInstance(fmt.Sprintf("Person %d of %d", n, total))
	rel := r.field(key(n, "relation"))
	if !r.onPage("relation") || !rel.Visible() {
		r.t.Fatalf("after the name, page %d does not ask the relation", r.f.PageIndex())
	}
	r.focused(rel.Tiles[0], "the first relation")
	if want := "How is " + name + " related to you?"; rel.Label() != want {
		r.t.Errorf("relation label %q, want %q", rel.Label(), want)
	}
	typeKeys(c, string(digit))
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// TestFormRepeatAddThreeRemoveSecond is the scenario through the
// fyne test driver into a real store: three people added, the second
// removed (after a "keep" first), submitted; the store holds exactly
// people[1] and people[2] with the right values.
func TestFormRepeatAddThreeRemoveSecond(t *testing.T) {
	st, s, _ := openStore(t, peopleSurvey(""))
	r := newRig(t, s, st)
	r.typeIn("you", "Pat")
	r.next()
	r.onPrompt("No person added yet.")
	if got := r.f.AddButton().Text; got != "Add a person" {
		t.Errorf("Add button %q before anyone is added, want %q", got, "Add a person")
	}
	r.addPerson(1, 1, "Ann", '1')
	r.onPrompt("1 added so far.")
	if got := r.f.AddButton().Text; got != "Add another person" {
		t.Errorf("Add button %q, want %q", got, "Add another person")
	}
	r.addPerson(2, 2, "Bob", '2')
	r.addPerson(3, 3, "Cat", '4')
	r.onPrompt("3 added so far.")
	if texts, _ := r.f.PromptInstances(); !slices.Equal(texts, []string{"Person 1 of 3: Ann", "Person 2 of 3: Bob", "Person 3 of 3: Cat"}) {
		t.Fatalf("the prompt lists %q", texts)
	}

	// Back walks through person 3's pages to person 2's relation page.
	for _, want := range []string{"relation", "name", "relation"} {
		test.Tap(r.f.BackButton())
		if !r.onPage(want) {
			t.Fatalf("Back: page %d is not a %s page", r.f.PageIndex(), want)
		}
	}
	r.onInstance("Person 2 of 3")
	if got := r.field(key(2, "relation")).Value(); got != "child" {
		t.Fatalf("person 2's relation %q after Back, want child", got)
	}

	rm := r.f.RemoveButton()
	if rm.Hidden || rm.Text != "Remove this person" {
		t.Fatalf("Remove button hidden %v text %q", rm.Hidden, rm.Text)
	}
	test.Tap(rm)
	text, yes, no := r.f.RemoveQuestion()
	if !r.f.RemoveShown() || text != "Remove person 2? The answers about person 2 will be deleted." {
		t.Fatalf("Remove did not ask first: shown %v text %q", r.f.RemoveShown(), text)
	}
	r.focused(no, "No, keep")
	test.Tap(no)
	if r.f.RemoveShown() || len(storedAnswers(t, st, r.f.ResponseID())) != 7 {
		t.Fatalf("No, keep: still asking %v, stored %v", r.f.RemoveShown(), storedAnswers(t, st, r.f.ResponseID()))
	}
	r.onInstance("Person 2 of 3")

	test.Tap(rm)
	test.Tap(yes)
	if r.f.RemoveShown() {
		t.Fatal("the question stays after Yes, remove")
	}
	// The engine shows the next person's first page: Cat is person 2 now.
	r.onInstance("Person 2 of 2")
	name := r.field(key(2, "name"))
	if !r.onPage("name") || name.Entry.Text != "Cat" {
		t.Fatalf("after removing, page %d name entry %q, want Cat's name page", r.f.PageIndex(), name.Entry.Text)
	}
	r.focused(name.Entry, "Cat's name")
	if r.f.Field(key(3, "name")) != nil {
		t.Error("a field of person 3 is left after the removal")
	}
	wantStored := survey.Answers{
		"you": "Pat", key(1, "name"): "Ann", key(1, "relation"): "parent",
		key(2, "name"): "Cat", key(2, "relation"): "friend",
	}
	if got := storedAnswers(t, st, r.f.ResponseID()); !reflect.DeepEqual(got, wantStored) {
		t.Fatalf("stored after the removal:\n got %v\nwant %v", got, wantStored)
	}

	r.next() // Cat's relation
	r.next() // the prompt
	r.onPrompt("2 added so far.")
	r.next()
	r.typeIn("else", "Thanks")
	if got := r.f.NextButton().Text; got != "Submit" {
		t.Fatalf("last page button %q", got)
	}
	test.Tap(r.f.NextButton())
	if !r.f.Submitted() || len(r.submitted) != 1 {
		t.Fatalf("not submitted: errors %v banner %q", r.f.Errors(), r.f.Banner())
	}
	resp, err := st.Response(context.Background(), r.f.ResponseID())
	if err != nil {
		t.Fatal(err)
	}
	wantStored["else"] = "Thanks"
	if resp.Status != survey.StatusComplete || !reflect.DeepEqual(resp.Answers, wantStored) {
		t.Fatalf("submitted %s:\n got %v\nwant %v", resp.Status, resp.Answers, wantStored)
	}

	// The export's repeat sheet, read by openpyxl in read-only mode: two
	// rows, Ann and Cat, each keyed to the response's row on Responses.
	path := filepath.Join(t.TempDir(), "carers.xlsx")
	if _, err := export.ToFile(context.Background(), st, export.Options{SurveyID: s.ID, Location: time.UTC}, path); err != nil {
		t.Fatalf("export: %v", err)
	}
	sheets := map[string]pyreaders.Sheet{}
	for _, sh := range pyreaders.New(t).ReadOnly(path) {
		sheets[sh.Name] = sh
	}
	responses, people := sheets["Responses"], sheets["people"]
	if len(responses.Rows) != 2 || len(people.Rows) != 3 {
		t.Fatalf("openpyxl reads %d Responses rows and %d people rows, want header + 1 and header + 2:\n%q\n%q",
			len(responses.Rows), len(people.Rows), responses.Rows, people.Rows)
	}
	cell := func(sh pyreaders.Sheet, row int, col string) string {
		t.Helper()
		i := slices.Index(sh.Rows[0], col)
		if i < 0 || i >= len(sh.Rows[row]) {
			t.Fatalf("sheet %s has no column %q: %q", sh.Name, col, sh.Rows[0])
		}
		return sh.Rows[row][i]
	}
	if cell(responses, 1, "people: count") != "2" {
		t.Errorf("Responses counts %q people", cell(responses, 1, "people: count"))
	}
	parent := cell(responses, 1, "_index")
	for i, want := range [][]string{{"1", "Ann", "Parent"}, {"2", "Cat", "Friend"}} {
		got := []string{cell(people, i+1, "instance number"), cell(people, i+1, "name"), cell(people, i+1, "relation")}
		if !slices.Equal(got, want) || cell(people, i+1, "_parent_index") != parent || cell(people, i+1, "response id") != r.f.ResponseID() {
			t.Errorf("people row %d: %q, _parent_index %s, response %s; want %q, %s, %s", i+1, got,
				cell(people, i+1, "_parent_index"), cell(people, i+1, "response id"), want, parent, r.f.ResponseID())
		}
	}
}

// TestFormRepeatRemoveByKeyboard: the Remove button and its question work
// from the keyboard; Escape (on a button, or with nothing focused) cancels
// and nothing reaches the page beneath while the question is open.
func TestFormRepeatRemoveByKeyboard(t *testing.T) {
	r := newRig(t, peopleSurvey(""), newFakeStore())
	c := r.w.Canvas()
	r.next()
	r.addPerson(1, 1, "Ann", '1')
	r.addPerson(2, 2, "Bob", '2')
	test.Tap(r.f.BackButton())
	r.onInstance("Person 2 of 2")
	press := func(key fyne.KeyName) { c.Focused().TypedKey(&fyne.KeyEvent{Name: key}) }

	t.Run("enter on Remove asks; escape on No keeps", func(t *testing.T) {
		c.Focus(r.f.RemoveButton())
		press(fyne.KeyReturn)
		_, _, no := r.f.RemoveQuestion()
		if !r.f.RemoveShown() {
			t.Fatal("Enter on Remove did not ask")
		}
		r.focused(no, "No, keep")
		press(fyne.KeyEscape)
		if r.f.RemoveShown() || r.f.Session().Instances("people") != 2 {
			t.Fatalf("Escape: asking %v, %d people", r.f.RemoveShown(), r.f.Session().Instances("people"))
		}
		r.focused(r.f.RemoveButton(), "the Remove button again")
	})
	t.Run("with nothing focused, keys do not reach the page and escape cancels", func(t *testing.T) {
		press(fyne.KeySpace)
		if !r.f.RemoveShown() {
			t.Fatal("Space on Remove did not ask")
		}
		c.Unfocus()
		typeKeys(c, "3")
		c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if got := r.f.Answers()[key(2, "relation")]; got != "child" || !r.onPage("relation") {
			t.Fatalf("keys reached the page under the question: relation %q, page %d", got, r.f.PageIndex())
		}
		c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if r.f.RemoveShown() {
			t.Fatal("Escape with nothing focused did not cancel")
		}
	})
	t.Run("tab to Yes and enter removes", func(t *testing.T) {
		test.Tap(r.f.RemoveButton())
		_, yes, _ := r.f.RemoveQuestion()
		c.FocusNext()
		r.focused(yes, "Yes, remove")
		press(fyne.KeyReturn)
		if r.f.RemoveShown() || r.f.Session().Instances("people") != 1 {
			t.Fatalf("Yes: asking %v, %d people", r.f.RemoveShown(), r.f.Session().Instances("people"))
		}
		// No person follows: the engine shows the prompt.
		r.onPrompt("1 added so far.")
		if got := r.f.Answers(); got[key(1, "name")] != "Ann" || got[key(2, "name")] != "" {
			t.Fatalf("answers after removing Bob: %v", got)
		}
	})
}

// countedPeople answers "how many" with 2 and gives both people their
// name and relation "friend": each is "Person i of 2" without a Remove
// button (the count is fixed). It ends on the page after the people.
func countedPeople(t *testing.T) (*formRig, *store.Store) {
	t.Helper()
	st, s, _ := openStore(t, peopleSurvey("${n}"))
	r := newRig(t, s, st)
	r.next()
	r.typeIn("n", "2")
	r.next()
	for i, name := range []string{"Ann", "Bob"} {
		r.onInstance(fmt.Sprintf("Person %d of 2", i+1))
		if !r.f.RemoveButton().Hidden {
			t.Fatalf("person %d of a fixed count offers Remove", i+1)
		}
		r.typeIn(key(i+1, "name"), name)
		r.next()
		r.tap(key(i+1, "relation"), "friend")
		r.next()
	}
	return r, st
}

// TestFormRepeatCount: a repeat_count repeat shows exactly that many
// people, with no Add button, no prompt page and no Remove button; a
// lower count drops the last person's answers.
func TestFormRepeatCount(t *testing.T) {
	r, st := countedPeople(t)
	r.shows("else") // no prompt page
	if r.f.InstanceTitle() != "" || r.f.PromptSummary() != "" {
		t.Fatalf("the page after the people shows %q / %q", r.f.InstanceTitle(), r.f.PromptSummary())
	}
	for r.f.Back() {
		if r.onPage("n") {
			break
		}
	}
	r.field("n").Entry.SetText("1") // one change: 2 → 1
	r.next()
	r.onInstance("Person 1 of 1")
	r.next()
	r.next()
	r.shows("else")
	test.Tap(r.f.NextButton())
	if !r.f.Submitted() {
		t.Fatalf("not submitted: %v", r.f.Errors())
	}
	want := survey.Answers{"n": "1", key(1, "name"): "Ann", key(1, "relation"): "friend"}
	if got := storedAnswers(t, st, r.f.ResponseID()); !reflect.DeepEqual(got, want) {
		t.Fatalf("stored:\n got %v\nwant %v", got, want)
	}
}

// TestFormRepeatProgress: the page count grows as people are added and
// shrinks as they are removed, and always counts the page shown.
func TestFormRepeatProgress(t *testing.T) {
	r := newRig(t, peopleSurvey(""), newFakeStore())
	r.next()
	n, total := r.f.PageNumber()
	if n != 2 || total != 3 {
		t.Fatalf("prompt with nobody: page %d of %d, want 2 of 3", n, total)
	}
	test.Tap(r.f.AddButton())
	if n, total = r.f.PageNumber(); n != 2 || total != 5 {
		t.Fatalf("person 1's first page: %d of %d, want 2 of 5", n, total)
	}
	test.Tap(r.f.RemoveButton())
	_, yes, _ := r.f.RemoveQuestion()
	test.Tap(yes)
	if n, total = r.f.PageNumber(); n != 2 || total != 3 {
		t.Fatalf("after removing the only person: %d of %d, want 2 of 3", n, total)
	}
}

// TestFormRepeatPreviewStoresNothing: adding, removing and submitting
// people in a preview never calls the store.
func TestFormRepeatPreviewStoresNothing(t *testing.T) {
	st := newFakeStore()
	r := newRig(t, peopleSurvey(""), st, func(c *respondent.FormConfig) { c.Preview = true })
	r.next()
	r.addPerson(1, 1, "Ann", '1')
	r.addPerson(2, 2, "Bob", '2')
	test.Tap(r.f.BackButton())
	test.Tap(r.f.RemoveButton())
	_, yes, _ := r.f.RemoveQuestion()
	test.Tap(yes)
	r.onPrompt("1 added so far.")
	r.next()
	test.Tap(r.f.NextButton())
	if !r.f.Submitted() {
		t.Fatalf("preview not submitted: %v", r.f.Errors())
	}
	if st.count() != 0 || len(st.calls) != 0 {
		t.Fatalf("a preview used the store: %v", st.calls)
	}
	if got := r.submitted[0].Answers; got[key(1, "name")] != "Ann" || got[key(2, "name")] != "" {
		t.Fatalf("preview answers %v", got)
	}
}

// TestFormRepeatQuestionFollowsTheme: the "Remove?" question is drawn in the
// form's theme on the form's background, so large text and high contrast
// (white on black) hold in it too.
func TestFormRepeatQuestionFollowsTheme(t *testing.T) {
	for _, tc := range []struct {
		name            string
		large, contrast bool
	}{{"default", false, false}, {"large text", true, false}, {"high contrast", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, peopleSurvey(""), newFakeStore())
			if tc.large {
				tapCheck(r.f.LargeTextToggle())
			}
			if tc.contrast {
				tapCheck(r.f.HighContrastToggle())
			}
			r.next()
			test.Tap(r.f.AddButton())
			test.Tap(r.f.RemoveButton())
			pop, ok := r.w.Canvas().Overlays().Top().(*widget.PopUp)
			if !ok {
				t.Fatalf("top overlay %T, want the question's pop-up", r.w.Canvas().Overlays().Top())
			}
			over, ok := pop.Content.(*container.ThemeOverride)
			if !ok || over.Theme != r.f.Theme() {
				t.Fatalf("the question is not drawn in the form's theme (%T)", pop.Content)
			}
			bg := over.Content.(*fyne.Container).Objects[0].(*canvas.Rectangle)
			th := r.f.Theme()
			v := fyne.CurrentApp().Settings().ThemeVariant()
			if bg.FillColor != th.Color(theme.ColorNameBackground, v) {
				t.Fatalf("background %v, want the form's %v", bg.FillColor, th.Color(theme.ColorNameBackground, v))
			}
			if ratio := contrast(th.Color(theme.ColorNameForeground, v), bg.FillColor); ratio < 7 && tc.contrast || ratio < 4.5 {
				t.Fatalf("text on the question's background: %.1f:1", ratio)
			}
			if pop.Size().Width < 300 || pop.Size().Width > r.w.Canvas().Size().Width {
				t.Fatalf("question %v wide on a %v canvas", pop.Size().Width, r.w.Canvas().Size().Width)
			}
			// The focused "No, keep": high contrast fills a focused button with
			// yellow, so it must then be drawn black on yellow, not white on yellow.
			_, _, no := r.f.RemoveQuestion()
			r.focused(no, "No, keep")
			fg, fill := theme.ColorNameForeground, theme.ColorNameButton
			if no.Importance == widget.HighImportance {
				fg, fill = theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary
			}
			if ratio := contrast(th.Color(fg, v), flatten(th.Color(theme.ColorNameFocus, v), th.Color(fill, v))); ratio < 4.5 {
				t.Fatalf("focused No, keep (importance %v): text %.1f:1 on its fill", no.Importance, ratio)
			}
			test.Tap(no)
			if no.Importance != widget.MediumImportance {
				t.Fatalf("No, keep keeps importance %v after losing the focus", no.Importance)
			}
		})
	}
}

// TestKioskWithRepeats: in kiosk mode Escape closes the "Remove?" question
// rather than asking for the PIN; a respondent who walks away mid-person
// leaves an abandoned response holding that person's answers and the next
// respondent starts with nobody; a submission shows the thank-you screen.
func TestKioskWithRepeats(t *testing.T) {
	st := newFakeStore()
	r := newKioskRig(t, st, "2468", func(c *respondent.KioskConfig) { c.Survey = peopleSurvey("") })
	f := r.k.Form()
	c := r.w.Canvas()
	test.Tap(f.NextButton())
	test.Tap(f.AddButton())
	typeKeys(c, "Ann")
	test.Tap(f.RemoveButton())
	if !f.RemoveShown() {
		t.Fatal("Remove did not ask")
	}
	c.Unfocus()
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.RemoveShown() || r.k.PINShown() {
		t.Fatalf("Escape: question shown %v, PIN shown %v; want neither", f.RemoveShown(), r.k.PINShown())
	}
	c.Unfocus()
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !r.k.PINShown() {
		t.Fatal("Escape on the page no longer asks for the PIN")
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})

	r.clock.Advance(respondent.DefaultIdleTimeout)
	if !r.k.StillThereShown() {
		t.Fatal("no 'Are you still there?' on a person's page")
	}
	r.clock.Advance(respondent.DefaultStillThere)
	resp := st.only(t)
	if resp.Status != survey.StatusAbandoned || resp.Answers[key(1, "name")] != "Ann" {
		t.Fatalf("walked away: %s %v", resp.Status, resp.Answers)
	}
	f = r.k.Form()
	if f.Started() || f.Session().Instances("people") != 0 {
		t.Fatalf("the next respondent inherits %d people", f.Session().Instances("people"))
	}

	test.Tap(f.NextButton())
	test.Tap(f.AddButton())
	typeKeys(c, "Bob")
	for !f.Submitted() {
		if !f.Next() && !f.Submitted() {
			t.Fatalf("stuck on page %d: %v", f.PageIndex(), f.Errors())
		}
	}
	if !r.k.ThankYouShown() {
		t.Fatal("no thank-you screen after a repeat")
	}
	if got := st.responses[f.ResponseID()].Answers[key(1, "name")]; got != "Bob" {
		t.Fatalf("stored %q", got)
	}
}

// TestFormRepeatRemoveFailsSafely: when the store refuses the removal,
// nobody is removed, every answer stays, and the banner says so.
func TestFormRepeatRemoveFailsSafely(t *testing.T) {
	st := newFakeStore()
	r := newRig(t, peopleSurvey(""), st)
	r.next()
	r.addPerson(1, 1, "Ann", '1')
	r.addPerson(2, 2, "Bob", '2')
	for r.f.InstanceTitle() != "Person 1 of 2" {
		if !r.f.Back() {
			t.Fatal("Back did not reach person 1")
		}
	}
	st.mu.Lock()
	st.fail = errDiskFull
	st.mu.Unlock()
	test.Tap(r.f.RemoveButton())
	_, yes, _ := r.f.RemoveQuestion()
	test.Tap(yes)
	if n := r.f.Session().Instances("people"); n != 2 {
		t.Fatalf("%d people after a refused removal, want 2", n)
	}
	r.onInstance("Person 1 of 2")
	if got := r.field(key(1, "name")).Entry.Text; got != "Ann" {
		t.Fatalf("person 1's name shows %q", got)
	}
	if b := r.f.Banner(); !strings.Contains(b, "Nothing was removed") || !strings.Contains(b, "disk full") {
		t.Fatalf("banner %q", b)
	}
	st.mu.Lock()
	st.fail = nil
	st.mu.Unlock()
	test.Tap(r.f.RemoveButton())
	test.Tap(yes)
	if n := r.f.Session().Instances("people"); n != 1 || st.only(t).Answers[key(1, "name")] != "Bob" {
		t.Fatalf("after the store recovered: %d people, stored %v", n, st.only(t).Answers)
	}
}

// TestFormRepeatPromptKeyboard: on the prompt page nothing is focused, so
// Enter goes on past the repeat as on every page; Tab reaches "Add another
// person" first, and Enter on it adds one with the focus in its first field.
func TestFormRepeatPromptKeyboard(t *testing.T) {
	r := newRig(t, peopleSurvey(""), newFakeStore())
	c := r.w.Canvas()
	r.next()
	r.addPerson(1, 1, "Ann", '3')
	r.onPrompt("1 added so far.")
	if c.Focused() != nil {
		t.Fatalf("the prompt page opens with the focus on %T", c.Focused())
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.shows("else")
	test.Tap(r.f.BackButton())
	r.onPrompt("1 added so far.")
	c.FocusNext()
	r.focused(r.f.AddButton(), "Add another person")
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.onInstance("Person 2 of 2")
	r.focused(r.field(key(2, "name")).Entry, "person 2's name")
	typeKeys(c, "Bob")
	r.next()
	r.next()

	// The prompt lists each person with their first answer; Change opens one.
	texts, change := r.f.PromptInstances()
	if want := []string{"Person 1 of 2: Ann", "Person 2 of 2: Bob"}; !slices.Equal(texts, want) || len(change) != 2 {
		t.Fatalf("the prompt lists %q (%d Change buttons), want %q", texts, len(change), want)
	}
	c.FocusNext()
	c.FocusNext()
	r.focused(change[0], "Ann's Change")
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.onInstance("Person 1 of 2")
	if !r.onPage(key(1, "name")) {
		t.Fatalf("Change opened page %d, not Ann's name", r.f.PageIndex())
	}
	r.focused(r.field(key(1, "name")).Entry, "Ann's name")
}

// TestResumeFormWithPeople: a draft holding two people resumes with both
// (their fields rebuilt from the stored keys), after the last page answered.
func TestResumeFormWithPeople(t *testing.T) {
	st, s, _ := openStore(t, peopleSurvey(""))
	ctx := context.Background()
	resp, err := st.StartResponse(ctx, s.ID, s.Version, "en")
	if err != nil {
		t.Fatal(err)
	}
	answers := survey.Answers{"you": "Pat", key(1, "name"): "Ann", key(1, "relation"): "parent", key(2, "name"): "Bob"}
	if err := st.SaveAnswers(ctx, resp.ID, answers, nil); err != nil {
		t.Fatal(err)
	}
	if resp, err = st.Response(ctx, resp.ID); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	f, err := respondent.ResumeForm(respondent.FormConfig{Survey: s, Store: st}, resp)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, f.Content())
	w.Resize(fyne.NewSize(1366, 768))
	if got := f.InstanceTitle(); got != "Person 2 of 2" || f.Page().Fields[0].Key != key(2, "relation") {
		t.Fatalf("resumed on %q %v, want Bob's relation", got, f.Page().Fields)
	}
	test.Tap(f.Field(key(2, "relation")).Tile("friend"))
	f.Back()
	if got := f.Field(key(2, "name")).Entry.Text; got != "Bob" {
		t.Fatalf("Bob's name shows %q", got)
	}
	if got := storedAnswers(t, st, resp.ID)[key(2, "relation")]; got != "friend" {
		t.Fatalf("stored relation %q", got)
	}
}

// TestFormRepeatCountTypedOverKeepsPeople: correcting the count in its box
// ("2" cleared, then "3") passes through an empty count, yet both people
// come back with their answers on screen, and a third is added.
func TestFormRepeatCountTypedOverKeepsPeople(t *testing.T) {
	r, _ := countedPeople(t)
	for !r.onPage("n") {
		if !r.f.Back() {
			t.Fatal("Back did not reach the count")
		}
	}
	r.typeIn("n", "3") // clears the box first: the count is briefly empty
	r.next()
	for i, name := range []string{"Ann", "Bob", ""} {
		r.onInstance(fmt.Sprintf("Person %d of 3", i+1))
		if got := r.field(key(i+1, "name")).Entry.Text; got != name {
			t.Fatalf("person %d's name box shows %q, want %q", i+1, got, name)
		}
		if name == "" {
			break
		}
		r.next()
		if got := r.field(key(i+1, "relation")).Value(); got != "friend" {
			t.Fatalf("person %d's relation %q after the count was typed over", i+1, got)
		}
		r.next()
	}
}

// TestFormNestedRepeat: each person has services of their own (a repeat in
// a repeat). The services prompt stands inside the person (headed "Person 1
// of 1"); a service page is headed by the service, and removing it removes
// only that service.
func TestFormNestedRepeat(t *testing.T) {
	s := &survey.Survey{ID: "nested", Version: 1, Title: survey.En("Nested"), Questions: []*survey.Question{
		{Type: survey.TypeGroup, Name: "people", Label: survey.En("People"), Repeat: &survey.Repeat{Item: survey.En("person")},
			Questions: []*survey.Question{
				{Type: survey.TypeText, Name: "name", Label: survey.En("Name")},
				{Type: survey.TypeGroup, Name: "services", Label: survey.En("Services ${name} uses"), Repeat: &survey.Repeat{Item: survey.En("service")},
					Questions: []*survey.Question{{Type: survey.TypeText, Name: "service", Label: survey.En("Which service?")}}},
			}},
	}}
	st := newFakeStore()
	r := newRig(t, s, st)
	c := r.w.Canvas()
	test.Tap(r.f.AddButton())
	// Above "Person 1 of 1": what is counted, as on the phone pages.
	if got := r.f.InstanceCaption(); got != "People" {
		t.Fatalf("person's page caption %q, want the repeat's label", got)
	}
	typeKeys(c, "Ann")
	r.next()
	r.onInstance("Person 1 of 1")
	if got := r.f.InstanceCaption(); got != "" {
		t.Fatalf("services prompt caption %q: its heading is the label already", got)
	}
	if got := r.f.PromptSummary(); got != "No service added yet." {
		t.Fatalf("services prompt %q", got)
	}
	for _, svc := range []string{"Day centre", "Meals"} {
		test.Tap(r.f.AddButton())
		typeKeys(c, svc)
		r.next()
	}
	if texts, _ := r.f.PromptInstances(); !slices.Equal(texts, []string{"Service 1 of 2: Day centre", "Service 2 of 2: Meals"}) {
		t.Fatalf("services listed %q", texts)
	}
	test.Tap(r.f.BackButton())
	r.onInstance("Service 2 of 2")
	// "Service 2 of 2" alone does not say whose: the caption does.
	if got := r.f.InstanceCaption(); got != "Person 1 of 1 – Services Ann uses" {
		t.Fatalf("service page caption %q", got)
	}
	test.Tap(r.f.RemoveButton())
	if text, yes, _ := r.f.RemoveQuestion(); text != "Remove service 2? The answers about service 2 will be deleted." {
		t.Fatalf("asks %q", text)
	} else {
		test.Tap(yes)
	}
	r.onInstance("Person 1 of 1") // the services prompt, inside Ann
	want := survey.Answers{key(1, "name"): "Ann", "people[1]/services[1]/service": "Day centre"}
	if got := st.only(t).Answers; !reflect.DeepEqual(got, want) {
		t.Fatalf("stored %v, want %v", got, want)
	}
	r.next()
	r.onPrompt("1 added so far.")
}

// TestFormRepeatFollowsLanguage: switching language on a person's page
// re-reads the engine's words (the repeat's noun is per language) and the
// labels, keeping the answers.
func TestFormRepeatFollowsLanguage(t *testing.T) {
	s := peopleSurvey("")
	s.Languages = []survey.Language{{Code: "en", Name: "English"}, {Code: "cy", Name: "Cymraeg"}}
	s.Questions[1].Repeat.Item = survey.Text{"en": "person", "cy": "unigolyn"}
	s.Questions[1].Questions[0].Label = survey.Text{"en": "Their first name", "cy": "Eu henw cyntaf"}
	r := newRig(t, s, newFakeStore())
	r.next()
	r.addPerson(1, 1, "Ann", '1')
	test.Tap(r.f.BackButton())
	test.Tap(r.f.BackButton())
	r.onInstance("Person 1 of 1")
	r.f.SetLanguage("cy")
	r.onInstance("Unigolyn 1 of 1")
	if got := r.f.RemoveButton().Text; got != "Remove this unigolyn" {
		t.Errorf("Remove reads %q", got)
	}
	if got := r.field(key(1, "name")); got.Label() != "Eu henw cyntaf" || got.Entry.Text != "Ann" {
		t.Errorf("after the switch: label %q, entry %q", got.Label(), got.Entry.Text)
	}
}

// TestFormSDSTemplateRepeat: the built-in self-directed-support survey asks a
// carer about each person they support. Through the form: two people, the
// first removed from the list's Change, submitted; a person with a budget
// never sees the repeat.
func TestFormSDSTemplateRepeat(t *testing.T) {
	st, s, _ := openStore(t, builtIn(t, "sds"))
	ctx := context.Background()

	t.Run("a carer of two people removes the first", func(t *testing.T) {
		r := newRig(t, s, st)
		r.tap("consent", "OK")
		r.next()
		r.tap("who", "carer")
		for r.f.PromptSummary() == "" {
			r.next()
		}
		if got := r.f.PromptHint(); got != "If you care for more than one person with a personal budget, tell us about each of them." {
			t.Errorf("the prompt shows the hint %q", got)
		}
		for i, effect := range []string{"2", "4"} {
			test.Tap(r.f.AddButton())
			r.onInstance(fmt.Sprintf("Person %d of %d", i+1, i+1))
			typeKeys(r.w.Canvas(), effect) // a Likert scale: the digit picks that choice
			r.next()
		}
		texts, change := r.f.PromptInstances()
		if want := []string{"Person 1 of 2: 2 – A little harder", "Person 2 of 2: 4 – A little easier"}; !slices.Equal(texts, want) {
			t.Fatalf("listed %q, want %q", texts, want)
		}
		test.Tap(change[0])
		test.Tap(r.f.RemoveButton())
		_, yes, _ := r.f.RemoveQuestion()
		test.Tap(yes)
		r.onInstance("Person 1 of 1")
		if got := r.field("supported[1]/carer_effect").Value(); got != "4" {
			t.Fatalf("the remaining person's answer %q, want 4", got)
		}
		for !r.f.Submitted() {
			test.Tap(r.f.NextButton())
		}
		resp, err := st.Response(ctx, r.f.ResponseID())
		if err != nil {
			t.Fatal(err)
		}
		if resp.Answers["supported[1]/carer_effect"] != "4" || resp.Answers["supported[2]/carer_effect"] != "" || resp.Answers["who"] != "carer" {
			t.Fatalf("stored %v", resp.Answers)
		}
	})
	t.Run("a person with a budget is not asked", func(t *testing.T) {
		r := newRig(t, s, st)
		r.tap("consent", "OK")
		r.next()
		r.tap("who", "personal_budget")
		for !r.f.Submitted() {
			if r.f.PromptSummary() != "" || r.f.InstanceTitle() != "" {
				t.Fatalf("page %d asks about the people supported", r.f.PageIndex())
			}
			test.Tap(r.f.NextButton())
		}
	})
}
