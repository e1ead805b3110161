package app_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestSkipEditorBuilder(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	ed, err := r.home.EditSurvey("park")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("existing simple rule shows in the builder", func(t *testing.T) {
		ed.Select("why")
		s := ed.Panel.Skip
		if s.Mode.Selected != "Only if…" || s.Question.Selected != "Do you visit the park? (visit)" || s.Op.Selected != "is" || s.Value.Selected != "Yes" {
			t.Errorf("builder shows %q %q %q %q", s.Mode.Selected, s.Question.Selected, s.Op.Selected, s.Value.Selected)
		}
	})
	t.Run("only earlier questions are offered", func(t *testing.T) {
		ed.Select("age")
		if opts := ed.Panel.Skip.Question.Options; len(opts) != 2 {
			t.Errorf("options %q, want visit and likes", opts)
		}
	})
	tests := []struct {
		name     string
		question string
		op       string
		value    string
		want     string
	}{
		{"is", "Do you visit the park? (visit)", "is", "No", "${visit} = 'no'"},
		{"is not", "Do you visit the park? (visit)", "is not", "Yes", "${visit} != 'yes'"},
		{"includes", "What do you like? (likes)", "includes", "The café", "selected(${likes}, 'cafe')"},
		{"does not include", "What do you like? (likes)", "does not include", "Ducks", "not(selected(${likes}, 'ducks'))"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ed.Select("name")
			s := ed.Panel.Skip
			s.Mode.SetSelected("Only if…")
			s.Question.SetSelected(tt.question)
			s.Op.SetSelected(tt.op)
			s.Value.SetSelected(tt.value)
			q, _ := ed.Draft.Question("name")
			if q.Relevant != tt.want || s.Raw.Text != tt.want {
				t.Errorf("relevant %q, raw %q; want %q", q.Relevant, s.Raw.Text, tt.want)
			}
		})
	}
	t.Run("a number question takes a typed answer", func(t *testing.T) {
		ed.Select("email")
		s := ed.Panel.Skip
		s.Mode.SetSelected("Only if…")
		s.Question.SetSelected("Your age (age)")
		if s.Value.Visible() || !s.ValueEntry.Visible() {
			t.Fatal("no entry for the answer")
		}
		test.Type(s.ValueEntry, "16")
		if q, _ := ed.Draft.Question("email"); q.Relevant != "${age} = '16'" {
			t.Errorf("relevant %q", q.Relevant)
		}
	})
	t.Run("raw expression checked as typed", func(t *testing.T) {
		ed.Select("email")
		s := ed.Panel.Skip
		s.Raw.SetText("")
		test.Type(s.Raw, "${age} > ")
		if !s.RawError.Visible() || !strings.HasPrefix(s.RawError.Text, "Column ") {
			t.Errorf("error %q (shown %v), want one with its column", s.RawError.Text, s.RawError.Visible())
		}
		test.Type(s.Raw, "17")
		if s.RawError.Visible() || s.Mode.Selected != "Custom condition (below)" {
			t.Errorf("valid custom condition: error %q, mode %q", s.RawError.Text, s.Mode.Selected)
		}
		if q, _ := ed.Draft.Question("email"); q.Relevant != "${age} > 17" {
			t.Errorf("relevant %q", q.Relevant)
		}
		s.Raw.SetText("${nobody} = 'x'")
		if !strings.Contains(s.RawError.Text, "nobody") {
			t.Errorf("unknown question not reported: %q", s.RawError.Text)
		}
		s.Raw.SetText("selected(${likes}, 'trees')")
		if s.Mode.Selected != "Only if…" || s.Op.Selected != "includes" || s.Value.Selected != "Trees" {
			t.Errorf("typed simple rule not shown in the builder: %q %q %q", s.Mode.Selected, s.Op.Selected, s.Value.Selected)
		}
	})
	t.Run("always clears the condition", func(t *testing.T) {
		ed.Select("why")
		ed.Panel.Skip.Mode.SetSelected("Always")
		if q, _ := ed.Draft.Question("why"); q.Relevant != "" || ed.Panel.Skip.Raw.Text != "" {
			t.Errorf("relevant %q after Always", q.Relevant)
		}
	})
}
