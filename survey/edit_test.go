package survey_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"canvass/survey"
)

// tree writes the question tree as "a [g: b c] d".
func tree(qs []*survey.Question) string {
	var parts []string
	for _, q := range qs {
		if q.Type == survey.TypeGroup {
			parts = append(parts, "["+q.Name+": "+tree(q.Questions)+"]")
		} else {
			parts = append(parts, q.Name)
		}
	}
	return strings.Join(parts, " ")
}

func editSurvey() *survey.Survey {
	return &survey.Survey{ID: "e", Questions: []*survey.Question{
		{Type: survey.TypeText, Name: "a"},
		{Type: survey.TypeGroup, Name: "g", Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "b", Relevant: "${a} = 'x'"},
			{Type: survey.TypeText, Name: "c", Constraint: ". != ${a}"},
		}},
		{Type: survey.TypeText, Name: "d"},
	}}
}

func TestQuestionTreeEdits(t *testing.T) {
	tests := []struct {
		name string
		edit func(s *survey.Survey) bool
		want string
	}{
		{"a steps into the group below", func(s *survey.Survey) bool { q, _ := s.Question("a"); return s.MoveQuestion(q, +1) }, "[g: a b c] d"},
		{"d steps into the group above", func(s *survey.Survey) bool { q, _ := s.Question("d"); return s.MoveQuestion(q, -1) }, "a [g: b c d]"},
		{"b steps out of its group", func(s *survey.Survey) bool { q, _ := s.Question("b"); return s.MoveQuestion(q, -1) }, "a b [g: c] d"},
		{"groups move as a whole", func(s *survey.Survey) bool { q, _ := s.Question("g"); return s.MoveQuestion(q, -1) }, "[g: b c] a d"},
		{"the first question goes no higher", func(s *survey.Survey) bool { q, _ := s.Question("a"); return !s.MoveQuestion(q, -1) }, "a [g: b c] d"},
		{"wrap in a page", func(s *survey.Survey) bool {
			q, _ := s.Question("d")
			g, ok := s.WrapInPage(q, s.FreeName("page"))
			return ok && g.Appearance == survey.AppearanceFieldList
		}, "a [g: b c] [page_1: d]"},
		{"ungroup", func(s *survey.Survey) bool { g, _ := s.Question("g"); return s.Ungroup(g) }, "a b c d"},
		{"delete the last of a group drops the group", func(s *survey.Survey) bool {
			b, _ := s.Question("b")
			c, _ := s.Question("c")
			return s.DeleteQuestion(b) && s.DeleteQuestion(c)
		}, "a d"},
		{"insert after a question", func(s *survey.Survey) bool {
			b, _ := s.Question("b")
			s.InsertAfter(b, &survey.Question{Type: survey.TypeText, Name: "n"})
			return true
		}, "a [g: b n c] d"},
		{"insert after a group goes inside it", func(s *survey.Survey) bool {
			g, _ := s.Question("g")
			s.InsertAfter(g, &survey.Question{Type: survey.TypeText, Name: "n"})
			return true
		}, "a [g: b c n] d"},
		{"insert at the end", func(s *survey.Survey) bool {
			s.InsertAfter(nil, &survey.Question{Type: survey.TypeText, Name: "n"})
			return true
		}, "a [g: b c] d n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := editSurvey()
			if !tc.edit(s) {
				t.Fatal("the edit reported failure")
			}
			if got := tree(s.Questions); got != tc.want {
				t.Fatalf("tree = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParentReferencesAndNames(t *testing.T) {
	s := editSurvey()
	b, _ := s.Question("b")
	a, _ := s.Question("a")
	if p, ok := s.Parent(b); !ok || p == nil || p.Name != "g" {
		t.Errorf("Parent(b) = %v, %v", p, ok)
	}
	if p, ok := s.Parent(a); !ok || p != nil {
		t.Errorf("Parent(a) = %v, %v", p, ok)
	}
	if _, ok := s.Parent(&survey.Question{Name: "x"}); ok {
		t.Error("Parent found a question not in the survey")
	}
	if got := s.References("a"); !reflect.DeepEqual(got, []string{"b", "c"}) {
		t.Errorf("References(a) = %v", got)
	}
	s.RenameReferences("a", "area")
	if c, _ := s.Question("c"); b.Relevant != "${area} = 'x'" || c.Constraint != ". != ${area}" {
		t.Errorf("after rename: %q, %q", b.Relevant, c.Constraint)
	}
	for name, want := range map[string]error{"": survey.ErrNameMissing, "1x": survey.ErrNameInvalid, "d": survey.ErrNameTaken, "b": nil, "new": nil} {
		if err := s.CheckName(b, name); !errors.Is(err, want) || (want == nil && err != nil) {
			t.Errorf("CheckName(%q) = %v, want %v", name, err, want)
		}
	}
	for label, want := range map[string]string{"Yes, please!": "yes_please", "  Café & bar ": "caf_bar", strings.Repeat("ab ", 20): "ab_ab_ab_ab_ab_ab_ab_ab_ab_ab"} {
		if got := survey.ChoiceName(label); got != want {
			t.Errorf("ChoiceName(%q) = %q, want %q", label, got, want)
		}
	}
}

func TestMoveAfterAndInsertBeforeClosingNote(t *testing.T) {
	tests := []struct {
		name   string
		q, to  string // to "" = the top
		moved  bool
		result string
	}{
		{"to the top", "d", "", true, "d a [g: b c]"},
		{"after a group, not into it", "a", "g", true, "[g: b c] a d"},
		{"into a group after one of its questions", "d", "b", true, "a [g: b d c]"},
		{"out of a group, emptying it", "b", "d", true, "a [g: c] d b"},
		{"a group after its own question", "g", "b", false, "a [g: b c] d"},
		{"after itself", "a", "a", false, "a [g: b c] d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := editSurvey()
			q, _ := s.Question(tt.q)
			var to *survey.Question
			if tt.to != "" {
				to, _ = s.Question(tt.to)
			}
			if got := s.MoveAfter(q, to); got != tt.moved || tree(s.Questions) != tt.result {
				t.Errorf("MoveAfter = %v, tree %q; want %v, %q", got, tree(s.Questions), tt.moved, tt.result)
			}
		})
	}
	t.Run("a new question goes before the closing notes", func(t *testing.T) {
		s := editSurvey()
		s.Questions = append(s.Questions, &survey.Question{Type: survey.TypeNote, Name: "thanks"})
		s.InsertAfter(nil, &survey.Question{Type: survey.TypeText, Name: "new"})
		if got := tree(s.Questions); got != "a [g: b c] d new thanks" {
			t.Errorf("tree %q", got)
		}
	})
}

func TestRenameQuestionRenamesItsAutomaticList(t *testing.T) {
	survey3 := func() *survey.Survey {
		return &survey.Survey{ID: "r", Questions: []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "question_1", List: "question_1"},
			{Type: survey.TypeSelectOne, Name: "question_2", List: "question_2_2"},
			{Type: survey.TypeSelectOne, Name: "colour", List: "colours"},
			{Type: survey.TypeSelectOne, Name: "question_4", List: "question_4"},
			{Type: survey.TypeSelectOne, Name: "shade", List: "question_4", Relevant: "${question_1} = 'x'"},
		}, Lists: []survey.ChoiceList{{Name: "question_1"}, {Name: "question_2_2"}, {Name: "colours"}, {Name: "question_4"}, {Name: "mood"}}}
	}
	tests := []struct {
		name, q, to, wantList string
	}{
		{"automatic list follows", "question_1", "mood_today", "mood_today"},
		{"numbered automatic list follows", "question_2", "age", "age"},
		{"a list with its own name stays", "colour", "hue", "colours"},
		{"a list another question uses stays", "question_4", "tint", "question_4"},
		{"a taken name gets a number", "question_1", "mood", "mood_2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := survey3()
			q, _ := s.Question(tt.q)
			s.RenameQuestion(q, tt.to)
			if q.Name != tt.to || q.List != tt.wantList {
				t.Errorf("question %q list %q, want %q list %q", q.Name, q.List, tt.to, tt.wantList)
			}
			if _, ok := s.List(q.List); !ok {
				t.Errorf("the question's list %q does not exist", q.List)
			}
			if tt.q == "question_1" && s.Questions[4].Relevant != "${"+tt.to+"} = 'x'" {
				t.Errorf("reference not renamed: %q", s.Questions[4].Relevant)
			}
		})
	}
}

// TestRenameQuestionInRepeats: renaming a repeat rewrites its limits
// (count(${people}) in its own constraint), and renaming the answer a
// repeat_count reads rewrites the count.
func TestRenameQuestionInRepeats(t *testing.T) {
	s := &survey.Survey{ID: "r", Version: 1, Title: survey.En("R"), Questions: []*survey.Question{
		{Type: survey.TypeInteger, Name: "size", Label: survey.En("Size")},
		{Type: survey.TypeGroup, Name: "kids", Repeat: &survey.Repeat{Count: "${size} + 1"}, Questions: []*survey.Question{{Type: survey.TypeText, Name: "k", Label: survey.En("K")}}},
		{Type: survey.TypeGroup, Name: "people", Constraint: survey.RepeatLimitsConstraint("people", 1, 3), Repeat: &survey.Repeat{},
			Questions: []*survey.Question{{Type: survey.TypeText, Name: "p", Label: survey.En("P")}}},
	}}
	s.RenameQuestion(s.Questions[0], "household")
	s.RenameQuestion(s.Questions[2], "carers")
	if got := s.Questions[1].Repeat.Count; got != "${household} + 1" {
		t.Errorf("repeat_count %q after renaming size", got)
	}
	if least, most, ok := s.Questions[2].RepeatLimits(); !ok || least != 1 || most != 3 || s.Questions[2].Constraint != survey.RepeatLimitsConstraint("carers", 1, 3) {
		t.Errorf("limits %q after renaming the repeat", s.Questions[2].Constraint)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("renamed survey not valid: %v", err)
	}
}
