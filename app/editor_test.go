package app_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"canvass/app"
	"canvass/survey"
)

// names lists the question tree as "a b [page_1: c d] e".
func names(qs []*survey.Question) string {
	var parts []string
	for _, q := range qs {
		if q.Type == survey.TypeGroup {
			parts = append(parts, "["+q.Name+": "+names(q.Questions)+"]")
			continue
		}
		parts = append(parts, q.Name)
	}
	return strings.Join(parts, " ")
}

func TestEditorSaveVersions(t *testing.T) {
	tests := []struct {
		name        string
		responses   int
		wantVersion int
		wantNote    string
	}{
		{"no responses: same version", 0, 1, "Version 1 has no responses yet"},
		{"responses: next version", 2, 2, "Version 1 has 2 responses. Saving creates version 2; existing responses stay with version 1"},
		{"one response: next version", 1, 2, "Version 1 has 1 response. Saving creates version 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newStaffRig(t)
			r.saveSurvey(parkSurvey())
			var ids []string
			for range tt.responses {
				ids = append(ids, r.respond("park", survey.StatusComplete, survey.Answers{"visit": "yes"}).ID)
			}
			ed, err := r.home.EditSurvey("park")
			if err != nil {
				t.Fatal(err)
			}
			relabel(t, ed, "why", "Why do you visit?")
			if !strings.Contains(ed.VersionNote.Text, tt.wantNote) {
				t.Errorf("version note %q, want it to say %q", ed.VersionNote.Text, tt.wantNote)
			}
			if !ed.Dirty() {
				t.Error("editing a label did not mark the survey changed")
			}
			ed.Select("") // the survey's details, which name the version
			saved, err := ed.Save()
			if err != nil {
				t.Fatalf("Save: %v (problems %q)", err, ed.Problems.Text)
			}
			if want := fmt.Sprintf("Survey id: park · version %d", tt.wantVersion); ed.Details == nil || ed.Details.ID.Text != want {
				t.Errorf("details after saving say %q, want %q", ed.Details.ID.Text, want)
			}
			if saved.Version != tt.wantVersion || ed.Dirty() {
				t.Errorf("saved version %d (dirty %v), want %d", saved.Version, ed.Dirty(), tt.wantVersion)
			}
			latest, err := r.st.Survey(r.ctx, "park", 0)
			if err != nil {
				t.Fatal(err)
			}
			if q, _ := latest.Question("why"); latest.Version != tt.wantVersion || q.Label["en"] != "Why do you visit?" {
				t.Errorf("stored v%d label %q", latest.Version, q.Label["en"])
			}
			for _, id := range ids {
				if resp, err := r.st.Response(r.ctx, id); err != nil || resp.SurveyVersion != 1 {
					t.Errorf("response %s: version %d, %v; want it to stay with version 1", id, resp.SurveyVersion, err)
				}
			}
			if tt.responses > 0 {
				if v1, err := r.st.Survey(r.ctx, "park", 1); err != nil || v1.Questions[3].Label["en"] != "Why?" {
					t.Errorf("version 1 changed: %v", err)
				}
			}
		})
	}
}

func TestEditorValidatesBeforeSaving(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	ed, err := r.home.EditSurvey("park")
	if err != nil {
		t.Fatal(err)
	}
	ed.Select("age")
	ed.Panel.Labels["en"].SetText("")
	ed.Select("why")
	ed.Panel.Skip.Raw.SetText("${nope} = 'x'")
	if _, err := ed.Save(); err == nil {
		t.Fatal("a survey with problems was saved")
	}
	for _, want := range []string{`question "age": label: missing`, `question "why": relevant:`, "nope"} {
		if !strings.Contains(ed.Problems.Text, want) {
			t.Errorf("problems %q do not mention %q", ed.Problems.Text, want)
		}
	}
	if v, _ := r.st.Survey(r.ctx, "park", 0); v.Questions[2].Label["en"] != "Your age" {
		t.Error("the store changed although Save failed")
	}
}

func TestEditorNewSurvey(t *testing.T) {
	r := newStaffRig(t)
	def, err := r.home.SurveyList().New("Library hours")
	if err != nil {
		t.Fatal(err)
	}
	ed := r.home.EditDraft(def, true)
	if !strings.Contains(ed.VersionNote.Text, "version 1") {
		t.Errorf("note %q", ed.VersionNote.Text)
	}
	ed.Select("question_1")
	test.Type(ed.Panel.Labels["en"], "When do you come?")
	ed.Panel.Type.SetSelected("One choice")
	if ed.Panel.Choices == nil {
		t.Fatal("a choice question has no choices editor")
	}
	for _, label := range []string{"Mornings", "Evenings", "Weekends"} {
		row := ed.Panel.Choices.AddChoice()
		test.Type(row.Labels["en"], label)
	}
	ed.Panel.Choices.MoveChoice(2, -1)
	ed.Panel.Choices.RemoveChoice(0)
	l, ok := ed.Draft.List(ed.Selected().List)
	if !ok {
		t.Fatal("no list")
	}
	var got []string
	for _, c := range l.Choices {
		got = append(got, c.Name+"="+c.Label["en"])
	}
	if want := []string{"weekends=Weekends", "evenings=Evenings"}; !reflect.DeepEqual(got, want) {
		t.Errorf("choices %v, want %v", got, want)
	}
	saved, err := ed.Save()
	if err != nil {
		t.Fatalf("Save: %v\n%s", err, ed.Problems.Text)
	}
	if saved.ID != "library_hours" || saved.Version != 1 {
		t.Errorf("saved %s v%d", saved.ID, saved.Version)
	}
	if len(r.home.Surveys) != 0 {
		r.home.Refresh()
	}
}

func TestEditorStructure(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	ed, err := r.home.EditSurvey("park")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		do   func()
		want string
	}{
		{"start", func() {}, "visit likes age why name email"},
		{"make a page of age", func() { ed.Select("age"); ed.TogglePage() }, "visit likes [page_1: age] why name email"},
		{"why steps into the page", func() { ed.Select("why"); ed.Move(-1) }, "visit likes [page_1: age why] name email"},
		{"name steps in", func() { ed.Select("name"); ed.Move(-1) }, "visit likes [page_1: age why name] email"},
		{"age moves down in the page", func() { ed.Select("age"); ed.Move(+1) }, "visit likes [page_1: why age name] email"},
		{"why steps out above", func() { ed.Select("why"); ed.Move(-1) }, "visit likes why [page_1: age name] email"},
		{"likes steps over why", func() { ed.Select("likes"); ed.Move(+1) }, "visit why likes [page_1: age name] email"},
		{"the page moves up as a whole", func() { ed.Select("page_1"); ed.Move(-1) }, "visit why [page_1: age name] likes email"},
		{"add after age", func() { ed.Select("age"); ed.AddQuestion() }, "visit why [page_1: age question_1 name] likes email"},
		{"ungroup the page", func() { ed.Select("page_1"); ed.TogglePage() }, "visit why age question_1 name likes email"},
		{"delete question_1", func() { ed.Select("question_1"); ed.Delete().Confirm() }, "visit why age name likes email"},
		{"visit cannot move up", func() { ed.Select("visit"); ed.Move(-1) }, "visit why age name likes email"},
	}
	for _, s := range steps {
		s.do()
		if got := names(ed.Draft.Questions); got != s.want {
			t.Fatalf("%s: %s, want %s", s.name, got, s.want)
		}
	}
	if g, ok := ed.Draft.Question("page_1"); ok {
		t.Errorf("ungrouped page still there: %+v", g)
	}
	if _, err := ed.Save(); err != nil {
		t.Fatalf("Save after restructuring: %v\n%s", err, ed.Problems.Text)
	}
}

func TestEditorRenameCarriesReferences(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	ed, _ := r.home.EditSurvey("park")
	ed.Select("visit")
	ed.Panel.Name.SetText("why")
	if !ed.Panel.NameError.Visible() {
		t.Error("a duplicate name was accepted")
	}
	ed.Panel.Name.SetText("2bad")
	if !ed.Panel.NameError.Visible() {
		t.Error("an invalid name was accepted")
	}
	ed.Panel.Name.SetText("visits")
	if ed.Panel.NameError.Visible() {
		t.Errorf("a good name refused: %s", ed.Panel.NameError.Text)
	}
	why, _ := ed.Draft.Question("why")
	if why.Relevant != "${visits} = 'yes'" {
		t.Errorf("relevant = %q, want the reference renamed", why.Relevant)
	}
}

func TestEditorDeleteWarnsAboutReferences(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	ed, _ := r.home.EditSurvey("park")
	ed.Select("visit")
	d := ed.Delete()
	d.Dismiss()
	if _, ok := ed.Draft.Question("visit"); !ok {
		t.Error("dismissing the dialog deleted the question")
	}
}

func TestEditorFieldsPerType(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	ed, _ := r.home.EditSurvey("park")
	ed.Select("age")
	for _, tt := range []struct {
		typ   string
		check func(p *app.QuestionPanel) bool
	}{
		{"Scale or rating", func(p *app.QuestionPanel) bool { return p.RangeStart != nil && p.Rating != nil && p.Required != nil }},
		{"Note (text only)", func(p *app.QuestionPanel) bool { return p.Required == nil && p.Personal == nil && p.Labels != nil }},
		{"Calculation", func(p *app.QuestionPanel) bool { return p.Calculation != nil && p.Labels == nil }},
		{"Several choices", func(p *app.QuestionPanel) bool { return p.Choices != nil && p.Skip != nil }},
		{"Text", func(p *app.QuestionPanel) bool { return p.Multiline != nil && p.Constraint != nil }},
		{"Start time (automatic)", func(p *app.QuestionPanel) bool { return p.Skip == nil && p.Labels == nil }},
	} {
		ed.Panel.Type.SetSelected(tt.typ)
		if !tt.check(ed.Panel) {
			t.Errorf("%s: wrong fields on the panel", tt.typ)
		}
	}
	ed.Panel.Type.SetSelected("Whole number")
	test.Type(ed.Panel.Constraint, ". >")
	if !strings.Contains(ed.Panel.ConstraintError.Text, "Column") {
		t.Errorf("constraint error %q, want a column", ed.Panel.ConstraintError.Text)
	}
}

func TestEditorTracksRealChangesOnly(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	r.respond("park", survey.StatusComplete, survey.Answers{"visit": "yes"})
	ed, err := r.home.EditSurvey("park")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("selecting every question is no change", func(t *testing.T) {
		for i := range ed.List.Length() {
			ed.List.Select(i)
		}
		ed.Select("")
		if ed.Dirty() {
			t.Error("selecting questions marked the survey changed")
		}
		if !strings.Contains(ed.VersionNote.Text, "No unsaved changes") {
			t.Errorf("version note %q, want it to say there is nothing to save", ed.VersionNote.Text)
		}
	})
	t.Run("ticking a box and back is no change", func(t *testing.T) {
		ed.Select("age")
		test.Tap(ed.Panel.Required)
		if !ed.Dirty() || !strings.Contains(ed.VersionNote.Text, "Saving creates version 2") {
			t.Errorf("after ticking: dirty %v, note %q", ed.Dirty(), ed.VersionNote.Text)
		}
		test.Tap(ed.Panel.Required)
		if ed.Dirty() {
			t.Error("unticking again still reports a change")
		}
	})
	t.Run("saving without a change says so and keeps version 1", func(t *testing.T) {
		saved, err := ed.Save()
		if err != nil || saved.Version != 1 {
			t.Fatalf("Save: v%d, %v", saved.Version, err)
		}
		if versions, _ := r.st.SurveyVersions(r.ctx, "park"); len(versions) != 1 {
			t.Errorf("versions %v, want only 1", versions)
		}
	})
	t.Run("a real change is saved as the version the note promised", func(t *testing.T) {
		ed.Select("why")
		test.Type(ed.Panel.Hints["en"], "Tell us")
		if !strings.Contains(ed.VersionNote.Text, "Saving creates version 2") {
			t.Errorf("note %q", ed.VersionNote.Text)
		}
		saved, err := ed.Save()
		if err != nil || saved.Version != 2 || ed.Dirty() {
			t.Fatalf("Save: %v, dirty %v", err, ed.Dirty())
		}
	})
}

func TestEditorInsertMoveAndRename(t *testing.T) {
	r := newStaffRig(t)
	def := parkSurvey()
	def.Questions = append(def.Questions, &survey.Question{Type: survey.TypeNote, Name: "thanks", Label: survey.En("Thank you")})
	r.saveSurvey(def)
	ed, err := r.home.EditSurvey("park")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("add with nothing selected lands before the closing note", func(t *testing.T) {
		test.Tap(ed.AddButton)
		if got := names(ed.Draft.Questions); got != "visit likes age why name email question_1 thanks" {
			t.Errorf("questions %s", got)
		}
	})
	t.Run("insert below the selected question", func(t *testing.T) {
		ed.Select("visit")
		if ed.AddButton.Text != "Insert below" {
			t.Errorf("add button reads %q with a question selected", ed.AddButton.Text)
		}
		test.Tap(ed.AddButton)
		if got := names(ed.Draft.Questions); got != "visit question_2 likes age why name email question_1 thanks" {
			t.Errorf("questions %s", got)
		}
	})
	t.Run("move to a position in one step", func(t *testing.T) {
		ed.Select("question_1")
		var after string
		for _, o := range ed.MoveTo.Options {
			if strings.Contains(o, "Do you visit the park?") {
				after = o
			}
		}
		if after == "" {
			t.Fatalf("no Move to option after visit in %q", ed.MoveTo.Options)
		}
		ed.MoveTo.SetSelected(after)
		if got := names(ed.Draft.Questions); got != "visit question_1 question_2 likes age why name email thanks" {
			t.Errorf("questions %s", got)
		}
		ed.MoveTo.SetSelected("To the top")
		if got := names(ed.Draft.Questions); got != "question_1 visit question_2 likes age why name email thanks" {
			t.Errorf("questions %s", got)
		}
		if ed.Selected().Name != "question_1" || ed.MoveTo.Selected != "" {
			t.Errorf("after the move: selected %q, Move to shows %q", ed.Selected().Name, ed.MoveTo.Selected)
		}
	})
	t.Run("renaming a question renames its automatic choice list", func(t *testing.T) {
		ed.Select("question_1")
		ed.Panel.Type.SetSelected("One choice")
		q := ed.Selected()
		if q.List != "question_1" {
			t.Fatalf("new list %q, want question_1", q.List)
		}
		ed.Panel.Name.SetText("")
		test.Type(ed.Panel.Name, "mood")
		if q.Name != "mood" || q.List != "mood" {
			t.Errorf("question %q list %q, want mood/mood", q.Name, q.List)
		}
		if _, ok := ed.Draft.List("question_1"); ok {
			t.Error("the old list name is still there")
		}
		if ed.Panel.Choices.List.Selected != "mood" {
			t.Errorf("choice list shown as %q", ed.Panel.Choices.List.Selected)
		}
	})
}

func TestEditorWheelScrollsOverInputs(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	ed, err := r.home.EditSurvey("park")
	if err != nil {
		t.Fatal(err)
	}
	win := r.win
	win.Resize(fyne.NewSize(900, 420))
	ed.Select("likes")
	entry := ed.Panel.Hints["en"]
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(entry).Add(fyne.NewPos(10, 10))
	test.Scroll(win.Canvas(), pos, 0, -120)
	if ed.Page.Offset.Y <= 0 {
		t.Errorf("the wheel over the hint field left the page at offset %v", ed.Page.Offset.Y)
	}
}
