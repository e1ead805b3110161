package app_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"canvass/app"
	"canvass/app/respondent"
	"canvass/survey"
)

// peopleSurvey has a page "people" (name, age) after a household size.
func peopleSurvey() *survey.Survey {
	return &survey.Survey{
		ID:        "people",
		Version:   1,
		Title:     survey.En("People"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeInteger, Name: "size", Label: survey.En("How many people live with you?")},
			{Type: survey.TypeGroup, Name: "people", Label: survey.En("About them"), Appearance: survey.AppearanceFieldList, Questions: []*survey.Question{
				{Type: survey.TypeText, Name: "first", Label: survey.En("First name"), Required: true},
				{Type: survey.TypeInteger, Name: "age", Label: survey.En("Age")},
			}},
		},
	}
}

func TestEditorMakesAGroupRepeat(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(peopleSurvey())
	ed, err := r.home.EditSurvey("people")
	if err != nil {
		t.Fatal(err)
	}
	if !ed.Select("people") {
		t.Fatal("no group people")
	}
	rep := ed.Panel.Repeat
	if rep == nil {
		t.Fatal("a group's panel has no repeat settings")
	}
	if rep.Count.Visible() && rep.Repeats.Checked {
		t.Fatal("a plain group shows as repeating")
	}
	test.Tap(rep.Repeats)
	q, _ := ed.Draft.Question("people")
	if q.Repeat == nil || q.Repeat.Count != "" {
		t.Fatalf("ticking Repeat gave %+v, want a repeat the respondent adds to", q.Repeat)
	}
	if rep.Mode.Selected != "The respondent adds as many as they need" || !rep.Count.Disabled() {
		t.Errorf("mode %q, count disabled %v: want the respondent to decide", rep.Mode.Selected, rep.Count.Disabled())
	}
	if !ed.Dirty() {
		t.Error("making a group repeat is not an unsaved change")
	}
	if got := ed.List.Length(); got != 4 {
		t.Fatalf("list has %d rows", got)
	}

	rep.Mode.SetSelected("A set number of times, or as many as an earlier answer says")
	if rep.Count.Disabled() || !rep.CountError.Visible() || !strings.Contains(rep.CountError.Text, "How many times") {
		t.Errorf("an empty set count: disabled %v, error %q", rep.Count.Disabled(), rep.CountError.Text)
	}
	for _, tt := range []struct {
		count, want string // want: "" no error, else a piece of the message
	}{
		{"${nope} + 1", "Column"},
		{"${size} +", "Column"},
		{"-2", "not a whole number from 0 to 9999"},
		{"2.5", "not a whole number"},
		{"10000", "not a whole number"},
		{"${size}", ""},
		{"3", ""},
	} {
		t.Run(tt.count, func(t *testing.T) {
			rep.Count.SetText("")
			test.Type(rep.Count, tt.count)
			if q.Repeat.Count != tt.count {
				t.Errorf("stored count %q, want %q", q.Repeat.Count, tt.count)
			}
			switch {
			case tt.want == "" && rep.CountError.Visible():
				t.Errorf("error %q for a good count", rep.CountError.Text)
			case tt.want != "" && (!rep.CountError.Visible() || !strings.Contains(rep.CountError.Text, tt.want) || !strings.HasPrefix(rep.CountError.Text, "How many times:")):
				t.Errorf("error %q (shown %v), want it to name the field and say %q", rep.CountError.Text, rep.CountError.Visible(), tt.want)
			}
		})
	}

	rep.Count.SetText("")
	test.Type(rep.Count, "${nope}")
	if _, err := ed.Save(); err == nil || !strings.Contains(ed.Problems.Text, `question "people": repeat_count`) {
		t.Errorf("Save with a bad count: %v, problems %q", err, ed.Problems.Text)
	}
	rep.Count.SetText("")
	test.Type(rep.Count, "${size}")
	saved, err := ed.Save()
	if err != nil {
		t.Fatalf("Save: %v (%s)", err, ed.Problems.Text)
	}
	if g, _ := saved.Question("people"); g.Repeat == nil || g.Repeat.Count != "${size}" {
		t.Fatalf("stored repeat %+v", g.Repeat)
	}

	// Reopened, the panel shows what was stored; switching back to the
	// respondent keeps the count for a later switch, untick drops the repeat.
	ed, _ = r.home.EditSurvey("people")
	ed.Select("people")
	rep = ed.Panel.Repeat
	if !rep.Repeats.Checked || rep.Count.Text != "${size}" || rep.Count.Disabled() {
		t.Fatalf("reopened: checked %v, count %q", rep.Repeats.Checked, rep.Count.Text)
	}
	q, _ = ed.Draft.Question("people")
	rep.Mode.SetSelected("The respondent adds as many as they need")
	if q.Repeat.Count != "" || rep.CountError.Visible() {
		t.Errorf("respondent decides: count %q, error %q", q.Repeat.Count, rep.CountError.Text)
	}
	rep.Mode.SetSelected("A set number of times, or as many as an earlier answer says")
	if q.Repeat.Count != "${size}" {
		t.Errorf("switching back lost the count: %q", q.Repeat.Count)
	}
	test.Tap(rep.Repeats)
	if q.Repeat != nil {
		t.Fatalf("untick left %+v", q.Repeat)
	}
	test.Tap(rep.Repeats)
	if q.Repeat == nil || q.Repeat.Count != "${size}" {
		t.Errorf("tick again: %+v, want the count back", q.Repeat)
	}
	test.Tap(rep.Repeats)
	if _, err := ed.Save(); err != nil {
		t.Fatal(err)
	}
	if latest, _ := r.st.Survey(r.ctx, "people", 0); latest.Questions[1].Repeat != nil {
		t.Error("unticked repeat was stored")
	}
}

// TestEditorPreviewsARepeat names what a repeat asks about and previews
// it: the form shows the prompt page, adds an instance with the noun, and
// a set count gives exactly that many instances, without Remove.
func TestEditorPreviewsARepeat(t *testing.T) {
	r, ed, _ := editPeopleRepeat(t)
	f := previewToRepeat(t, ed)
	if got := f.PromptSummary(); got == "" || !strings.Contains(got, "person") {
		t.Fatalf("preview's prompt page says %q, want the noun", got)
	}
	test.Tap(f.AddButton())
	if got := f.InstanceTitle(); got != "Person 1 of 1" {
		t.Errorf("after Add: %q, want Person 1 of 1", got)
	}
	if f.RemoveButton().Hidden {
		t.Error("an instance the respondent added has no Remove")
	}

	// Back in the editor, a set count: exactly that many, no Remove.
	test.Tap(f.LeaveButton())
	ed.Select("people")
	rep := ed.Panel.Repeat
	rep.Mode.SetSelected("A set number of times, or as many as an earlier answer says")
	test.Type(rep.Count, "${size}")
	if err := ed.Preview(); err != nil {
		t.Fatal(err)
	}
	f = ed.PreviewForm
	f.Session().Answer("size", "2")
	if !f.Next() {
		t.Fatalf("Next: %v", f.Errors())
	}
	if got := f.InstanceTitle(); got != "Person 1 of 2" || !f.RemoveButton().Hidden {
		t.Errorf("set count: %q (Remove hidden %v), want Person 1 of 2 without Remove", got, f.RemoveButton().Hidden)
	}
	if n := r.countResponses("people"); n != 0 {
		t.Errorf("the preview stored %d responses", n)
	}
}

// editPeopleRepeat opens the editor on peopleSurvey with the group
// "people" made a repeat of persons.
func editPeopleRepeat(t *testing.T) (*staffRig, *app.Editor, *app.RepeatEditor) {
	t.Helper()
	r := newStaffRig(t)
	r.saveSurvey(peopleSurvey())
	ed, err := r.home.EditSurvey("people")
	if err != nil {
		t.Fatal(err)
	}
	ed.Select("people")
	rep := ed.Panel.Repeat
	test.Tap(rep.Repeats)
	test.Type(rep.Items["en"], "person")
	if q, _ := ed.Draft.Question("people"); q.Repeat == nil || q.Repeat.Item["en"] != "person" {
		t.Fatalf("item noun not kept: %+v", q.Repeat)
	}
	return r, ed, rep
}

// previewToRepeat previews the draft and answers the household size (2),
// so the form shows the people repeat.
func previewToRepeat(t *testing.T, ed *app.Editor) *respondent.Form {
	t.Helper()
	if err := ed.Preview(); err != nil {
		t.Fatal(err)
	}
	f := ed.PreviewForm
	f.Session().Answer("size", "2")
	if !f.Next() {
		t.Fatalf("Next from the first page: %v", f.Errors())
	}
	return f
}
