package survey_test

import (
	"errors"
	"strings"
	"testing"

	"canvass/survey"
)

// both is a label in English and Welsh.
func both(s string) survey.Text { return survey.Text{"en": s, "cy": s + " (cy)"} }

// choices builds a choice list whose labels are in both languages.
func choices(name string, codes ...string) survey.ChoiceList {
	l := survey.ChoiceList{Name: name}
	for _, c := range codes {
		l.Choices = append(l.Choices, survey.Choice{Name: c, Label: both(c)})
	}
	return l
}

// validSurvey returns a bilingual survey that passes Validate; each case
// below breaks one thing in it.
func validSurvey() *survey.Survey {
	towns := choices("towns", "guildford", "woking", "dover")
	for i, county := range []string{"surrey", "surrey", "kent"} {
		towns.Choices[i].Filter = map[string]string{"county": county}
	}
	return &survey.Survey{
		ID:        "consult-2024_a",
		Version:   1,
		Title:     both("Consultation"),
		Languages: []survey.Language{{Code: "en", Name: "English"}, {Code: "cy", Name: "Cymraeg"}},
		Questions: []*survey.Question{
			{Type: survey.TypeNote, Name: "intro", Label: both("Welcome")},
			{Type: survey.TypeInteger, Name: "age", Label: both("Age"), Required: true,
				Constraint: ". >= 0 and . <= 120"},
			{Type: survey.TypeSelectOne, Name: "consent", Label: both("Consent?"), List: "yes_no", Required: true},
			{Type: survey.TypeSelectMultiple, Name: "services", Label: both("Services"), List: "services",
				Relevant: "${consent} = 'yes'"},
			{Type: survey.TypeGroup, Name: "housing", Appearance: "field-list",
				Relevant: "selected(${services}, 'housing')",
				Questions: []*survey.Question{
					{Type: survey.TypeRange, Name: "rating", Label: both("Rate it"), Range: &survey.Range{Start: 1, End: 5, Step: 1}},
					{Type: survey.TypeText, Name: "comments", Label: both("Comments")},
				}},
			{Type: survey.TypeCalculate, Name: "next_year", Calculation: "${age} + 1"},
			{Type: survey.TypeHidden, Name: "source", Default: "kiosk"},
			{Type: survey.TypeRank, Name: "priorities", Label: both("Rank"), List: "services"},
			{Type: survey.TypeSelectOne, Name: "county", Label: both("County"), List: "counties"},
			{Type: survey.TypeSelectOne, Name: "town", Label: both("Town"), List: "towns",
				ChoiceFilter: "county = ${county}"},
			{Type: survey.TypeStart, Name: "started"},
		},
		Lists: []survey.ChoiceList{
			choices("yes_no", "yes", "no"),
			choices("services", "housing", "transport", "advice"),
			choices("counties", "surrey", "kent"),
			towns,
		},
	}
}

// question finds a question of s by name, failing the test if it is missing.
func question(t *testing.T, s *survey.Survey, name string) *survey.Question {
	t.Helper()
	q, ok := s.Question(name)
	if !ok {
		t.Fatalf("test survey has no question %q", name)
	}
	return q
}

func list(t *testing.T, s *survey.Survey, name string) *survey.ChoiceList {
	t.Helper()
	l, ok := s.List(name)
	if !ok {
		t.Fatalf("test survey has no list %q", name)
	}
	return l
}

// problems runs Validate and returns its problems, failing on any other error type.
func problems(t *testing.T, s *survey.Survey) []survey.Problem {
	t.Helper()
	err := s.Validate()
	if err == nil {
		return nil
	}
	var ve *survey.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate returned %T %v, want *survey.ValidationError", err, err)
	}
	return ve.Problems
}

func TestValidSurveyPasses(t *testing.T) {
	if err := validSurvey().Validate(); err != nil {
		t.Fatalf("Validate of the valid survey:\n%v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name     string
		change   func(t *testing.T, s *survey.Survey)
		question string // Problem.Question wanted
		list     string // Problem.List wanted
		field    string
		msg      string // fragment of Problem.Msg
		count    int    // problems expected in all; 0 means 1
	}{
		{"missing id", func(t *testing.T, s *survey.Survey) { s.ID = " " },
			"", "", "id", "missing", 0},
		{"id with spaces", func(t *testing.T, s *survey.Survey) { s.ID = "my survey!" },
			"", "", "id", `"my survey!" may contain only letters, digits, _ - . and :`, 0},
		{"version zero", func(t *testing.T, s *survey.Survey) { s.Version = 0 },
			"", "", "version", "must be 1 or more, got 0", 0},
		{"no questions", func(t *testing.T, s *survey.Survey) { s.Questions = nil },
			"", "", "questions", "the survey has no questions", 0},
		{"name starting with a digit", func(t *testing.T, s *survey.Survey) {
			question(t, s, "comments").Name = "1comment"
		}, "1comment", "", "name", `"1comment" is not a valid name`, 0},
		{"name with a space", func(t *testing.T, s *survey.Survey) {
			question(t, s, "comments").Name = "your comments"
		}, "your comments", "", "name", "start with a letter or _", 0},
		{"missing name", func(t *testing.T, s *survey.Survey) { question(t, s, "intro").Name = "" },
			"#1", "", "name", "missing: every note needs a name", 0},
		{"duplicate name", func(t *testing.T, s *survey.Survey) {
			question(t, s, "comments").Name = "age"
		}, "age", "", "name", `"age" is already used by question 2`, 0},
		{"group and question share a name", func(t *testing.T, s *survey.Survey) {
			question(t, s, "next_year").Name = "housing"
			question(t, s, "housing").Name = "housing" // the group keeps it; the calculate is the duplicate
		}, "housing", "", "name", "already used by question 5; names must be unique across the survey, groups included", 0},
		{"or_other text would overwrite another question", func(t *testing.T, s *survey.Survey) {
			question(t, s, "consent").OrOther = true
			question(t, s, "comments").Name = "consent_other"
		}, "consent", "", "or_other", `kept as "consent_other", which is also the name of question`, 0},
		{"unknown type", func(t *testing.T, s *survey.Survey) { question(t, s, "comments").Type = "textarea" },
			"comments", "", "type", `unknown type "textarea"`, 0},
		{"missing type", func(t *testing.T, s *survey.Survey) { question(t, s, "comments").Type = "" },
			"comments", "", "type", "missing", 0},
		{"select without list", func(t *testing.T, s *survey.Survey) { question(t, s, "consent").List = "" },
			"consent", "", "list", "a select_one question needs a choice list", 0},
		{"select with unknown list", func(t *testing.T, s *survey.Survey) {
			question(t, s, "services").List = "servcies"
		}, "services", "", "list", `unknown choice list "servcies"`, 0},
		{"rank with unknown list", func(t *testing.T, s *survey.Survey) {
			question(t, s, "priorities").List = "nope"
		}, "priorities", "", "list", `unknown choice list "nope"`, 0},
		{"range without parameters", func(t *testing.T, s *survey.Survey) { question(t, s, "rating").Range = nil },
			"rating", "", "range", "needs start, end and step", 0},
		{"range with zero step", func(t *testing.T, s *survey.Survey) { question(t, s, "rating").Range.Step = 0 },
			"rating", "", "range", "step must be more than 0", 0},
		{"range with negative step", func(t *testing.T, s *survey.Survey) { question(t, s, "rating").Range.Step = -1 },
			"rating", "", "range", "step must be more than 0, got -1", 0},
		{"range with start equal to end", func(t *testing.T, s *survey.Survey) { question(t, s, "rating").Range.End = 1 },
			"rating", "", "range", "start and end are both 1", 0},
		{"range step wider than range", func(t *testing.T, s *survey.Survey) { question(t, s, "rating").Range.Step = 10 },
			"rating", "", "range", "step 10 is larger than the range from 1 to 5", 0},
		{"required note", func(t *testing.T, s *survey.Survey) { question(t, s, "intro").Required = true },
			"intro", "", "required", "a note cannot be required", 0},
		{"required calculate", func(t *testing.T, s *survey.Survey) { question(t, s, "next_year").Required = true },
			"next_year", "", "required", "a calculate cannot be required", 0},
		{"required group", func(t *testing.T, s *survey.Survey) { question(t, s, "housing").Required = true },
			"housing", "", "required", "a group cannot be required", 0},
		{"calculate without calculation", func(t *testing.T, s *survey.Survey) {
			question(t, s, "next_year").Calculation = "  "
		}, "next_year", "", "calculation", "a calculate question needs a calculation", 0},
		{"constraint syntax error", func(t *testing.T, s *survey.Survey) {
			question(t, s, "age").Constraint = "(. >= 0))"
		}, "age", "", "constraint", `column 9: unexpected ")"`, 0},
		{"relevant unknown question", func(t *testing.T, s *survey.Survey) {
			question(t, s, "services").Relevant = "${concent} = 'yes'"
		}, "services", "", "relevant", "column 1: unknown question ${concent}", 0},
		{"group relevant syntax error", func(t *testing.T, s *survey.Survey) {
			question(t, s, "housing").Relevant = "selected(${services})"
		}, "housing", "", "relevant", "selected() takes 2 arguments, got 1", 0},
		{"calculation unknown function", func(t *testing.T, s *survey.Survey) {
			question(t, s, "next_year").Calculation = "pulldata(${age})"
		}, "next_year", "", "calculation", "unknown function pulldata()", 0},
		{"indexed-repeat outside a repeat", func(t *testing.T, s *survey.Survey) {
			question(t, s, "next_year").Calculation = "1 + indexed-repeat(${age}, ${housing}, 2)"
		}, "next_year", "", "calculation", "column 5: indexed-repeat() reads ${age} in ${housing}, which is not a repeat around it", 0},
		{"calculation invalid regex", func(t *testing.T, s *survey.Survey) {
			question(t, s, "next_year").Calculation = "if(regex(${age}, '[0-9'), 1, 0)"
		}, "next_year", "", "calculation", "invalid regex pattern", 0},
		{"choice filter unknown column", func(t *testing.T, s *survey.Survey) {
			question(t, s, "town").ChoiceFilter = "region = ${county}"
		}, "town", "", "choice_filter", `column 1: unknown choice column "region"`, 0},
		{"choice filter unknown question", func(t *testing.T, s *survey.Survey) {
			question(t, s, "town").ChoiceFilter = "county = ${region}"
		}, "town", "", "choice_filter", "column 10: unknown question ${region}", 0},
		{"calculation cycle", func(t *testing.T, s *survey.Survey) {
			s.Questions = append(s.Questions,
				&survey.Question{Type: survey.TypeCalculate, Name: "a", Calculation: "${b} + 1"},
				&survey.Question{Type: survey.TypeCalculate, Name: "b", Calculation: "${c} * 2"},
				&survey.Question{Type: survey.TypeCalculate, Name: "c", Calculation: "if(${age} > 1, ${a}, 0)"})
		}, "a", "", "calculation", "calculation cycle: a → b → c → a", 0},
		{"calculation using itself", func(t *testing.T, s *survey.Survey) {
			question(t, s, "next_year").Calculation = "coalesce(${next_year}, 0) + 1"
		}, "next_year", "", "calculation", "calculation cycle: next_year uses itself", 0},
		{"shown question without label", func(t *testing.T, s *survey.Survey) { question(t, s, "comments").Label = nil },
			"comments", "", "label", "missing", 0},
		{"label only in spaces", func(t *testing.T, s *survey.Survey) {
			question(t, s, "intro").Label = survey.Text{"en": " ", "cy": ""}
		}, "intro", "", "label", "missing", 0},
		{"label missing in Welsh", func(t *testing.T, s *survey.Survey) {
			question(t, s, "age").Label = survey.En("Age")
		}, "age", "", "label", "missing in Cymraeg (cy)", 0},
		{"duplicate language", func(t *testing.T, s *survey.Survey) {
			s.Languages = append(s.Languages, survey.Language{Code: "cy", Name: "Welsh"})
		}, "", "", "languages", `"cy" is listed more than once`, 0},
		{"language without code", func(t *testing.T, s *survey.Survey) {
			s.Languages = append(s.Languages, survey.Language{Name: "Polski"})
		}, "", "", "languages", "language 3 (Polski) has no code", 0},
		{"negative weight", func(t *testing.T, s *survey.Survey) { question(t, s, "consent").Weight = -2 },
			"consent", "", "weight", "must be 0 or more, got -2", 0},
		{"empty group", func(t *testing.T, s *survey.Survey) {
			s.Questions = append(s.Questions, &survey.Question{Type: survey.TypeGroup, Name: "later"})
		}, "later", "", "questions", "the group is empty", 0},
		{"empty row", func(t *testing.T, s *survey.Survey) {
			g := question(t, s, "housing")
			g.Questions = append(g.Questions, nil)
		}, "#8", "", "", `empty row in group "housing"`, 0},
		{"questions under a non-group", func(t *testing.T, s *survey.Survey) {
			q := question(t, s, "comments")
			q.Questions = []*survey.Question{{Type: survey.TypeText, Name: "more", Label: both("More")}}
		}, "comments", "", "questions", "a text cannot hold questions", 0},
		{"empty choice list", func(t *testing.T, s *survey.Survey) { list(t, s, "counties").Choices = nil },
			"", "counties", "choices", "the list has no choices", 0},
		{"duplicate choice", func(t *testing.T, s *survey.Survey) {
			l := list(t, s, "services")
			l.Choices = append(l.Choices, survey.Choice{Name: "advice", Label: both("Advice again")})
		}, "", "services", "choices", `choice "advice" is listed more than once`, 0},
		{"choice name with a space in a select_multiple list", func(t *testing.T, s *survey.Survey) { list(t, s, "services").Choices[1].Name = "not really" },
			"", "services", "choices", `choice name "not really" may not contain spaces: the list is used by select_multiple question "services"`, 0},
		{"choice name with a control character", func(t *testing.T, s *survey.Survey) { list(t, s, "yes_no").Choices[1].Name = "no\x01" },
			"", "yes_no", "choices", `may not contain control characters`, 0},
		{"choice without name", func(t *testing.T, s *survey.Survey) { list(t, s, "yes_no").Choices[1].Name = "" },
			"", "yes_no", "choices", "choice 2 has no name", 0},
		{"choice without label", func(t *testing.T, s *survey.Survey) { list(t, s, "yes_no").Choices[0].Label = nil },
			"", "yes_no", `choice "yes": label`, "missing", 0},
		{"choice label missing in Welsh", func(t *testing.T, s *survey.Survey) {
			list(t, s, "counties").Choices[1].Label = survey.En("Kent")
		}, "", "counties", `choice "kent": label`, "missing in Cymraeg (cy)", 0},
		{"list defined twice", func(t *testing.T, s *survey.Survey) {
			s.Lists = append(s.Lists, choices("yes_no", "yes", "no", "maybe"))
		}, "", "yes_no", "name", "the list is defined more than once", 0},
		{"list with invalid name", func(t *testing.T, s *survey.Survey) {
			list(t, s, "counties").Name = "the counties"
			question(t, s, "county").List = "the counties"
		}, "", "the counties", "name", `"the counties" is not a valid list name`, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := validSurvey()
			tc.change(t, s)
			ps := problems(t, s)
			want := tc.count
			if want == 0 {
				want = 1
			}
			if len(ps) != want {
				t.Errorf("got %d problems, want %d:\n%v", len(ps), want, s.Validate())
			}
			for _, p := range ps {
				if p.Question == tc.question && p.List == tc.list && p.Field == tc.field && strings.Contains(p.Msg, tc.msg) {
					return
				}
			}
			t.Errorf("no problem with question %q, list %q, field %q and message containing %q in:\n%v",
				tc.question, tc.list, tc.field, tc.msg, s.Validate())
		})
	}
}

func TestValidateAcceptsVariants(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, s *survey.Survey)
	}{
		{"no languages and language-less labels", func(t *testing.T, s *survey.Survey) {
			s.Languages = nil
			for _, q := range s.All() {
				if !q.Label.Empty() {
					q.Label = survey.Text{"": "label"}
				}
			}
			for i := range s.Lists {
				for j := range s.Lists[i].Choices {
					s.Lists[i].Choices[j].Label = survey.Text{"": "choice"}
				}
			}
		}},
		{"language-less label stands for the default language", func(t *testing.T, s *survey.Survey) {
			question(t, s, "age").Label = survey.Text{"": "Age", "cy": "Oed"}
		}},
		{"hidden, calculate and metadata need no label", func(t *testing.T, s *survey.Survey) {
			question(t, s, "next_year").Label = nil
			question(t, s, "source").Label = nil
		}},
		{"choice name with a space in a select_one list", func(t *testing.T, s *survey.Survey) {
			list(t, s, "yes_no").Choices[1].Name = "not really"
		}},
		{"duplicate choices allowed by the setting", func(t *testing.T, s *survey.Survey) {
			s.AllowChoiceDuplicates = true
			l := list(t, s, "yes_no")
			l.Choices = append(l.Choices, l.Choices[0])
		}},
		{"list name with a colon", func(t *testing.T, s *survey.Survey) {
			list(t, s, "counties").Name = "counties:v2"
			question(t, s, "county").List = "counties:v2"
		}},
		{"form id with a dot and a colon", func(t *testing.T, s *survey.Survey) { s.ID = "org.example:household" }},
		{"numeric choice names", func(t *testing.T, s *survey.Survey) {
			s.Lists = append(s.Lists, choices("scale", "1", "2", "3"))
			question(t, s, "consent").List = "scale"
		}},
		{"choice filter on name and label", func(t *testing.T, s *survey.Survey) {
			question(t, s, "town").ChoiceFilter = "name != 'dover' and label != ''"
		}},
		{"decreasing range", func(t *testing.T, s *survey.Survey) {
			question(t, s, "rating").Range = &survey.Range{Start: 10, End: 0, Step: 2.5}
		}},
		{"calculations chained without a cycle", func(t *testing.T, s *survey.Survey) {
			s.Questions = append(s.Questions,
				&survey.Question{Type: survey.TypeCalculate, Name: "a", Calculation: "${b} + ${c}"},
				&survey.Question{Type: survey.TypeCalculate, Name: "b", Calculation: "${c} * 2"},
				&survey.Question{Type: survey.TypeCalculate, Name: "c", Calculation: "${next_year}"})
		}},
		{"relevant referring to a later question", func(t *testing.T, s *survey.Survey) {
			question(t, s, "age").Relevant = "${town} != ''"
		}},
		{"positive weight", func(t *testing.T, s *survey.Survey) { question(t, s, "consent").Weight = 2 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := validSurvey()
			tc.change(t, s)
			if err := s.Validate(); err != nil {
				t.Errorf("Validate:\n%v", err)
			}
		})
	}
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	s := &survey.Survey{
		ID:        "bad id",
		Version:   -1,
		Languages: []survey.Language{{Code: "en", Name: "English"}, {Code: "en", Name: "English again"}},
		Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "name", Label: survey.En("Name")},
			{Type: survey.TypeText, Name: "name", Label: survey.En("Name again")},
			{Type: "essay", Name: "story", Label: survey.En("Story")},
			{Type: survey.TypeInteger, Name: "age", Label: survey.En("Age"), Constraint: ". > 0 and"},
			{Type: survey.TypeSelectOne, Name: "colour", Label: survey.En("Colour")},
			{Type: survey.TypeNote, Name: "thanks", Required: true},
			{Type: survey.TypeGroup, Name: "g", Relevant: "${nobody} = 1", Questions: []*survey.Question{
				{Type: survey.TypeRange, Name: "r", Label: survey.En("R"), Range: &survey.Range{Start: 1, End: 1, Step: 1}},
				{Type: survey.TypeCalculate, Name: "x", Calculation: "${y} + 1"},
			}},
			{Type: survey.TypeCalculate, Name: "y", Calculation: "${x} div 2", Weight: -1},
			{Type: survey.TypeCalculate, Name: "z"},
		},
		Lists: []survey.ChoiceList{{Name: "empty"}},
	}
	want := []string{
		`survey: id: "bad id" may contain only letters, digits, _ - . and :`,
		"survey: version: must be 1 or more, got -1",
		`survey: languages: "en" is listed more than once`,
		`question "name": name: "name" is already used by question 1`,
		`question "story": type: unknown type "essay"`,
		`question "age": constraint: column 10: expected a value after "and", found end of expression`,
		`question "colour": list: a select_one question needs a choice list`,
		`question "thanks": required: a note cannot be required`,
		`question "thanks": label: missing`,
		`question "g": relevant: column 1: unknown question ${nobody}`,
		`question "r": range: start and end are both 1: they must differ`,
		`question "y": weight: must be 0 or more, got -1`,
		`question "z": calculation: a calculate question needs a calculation`,
		`list "empty": choices: the list has no choices`,
		`question "x": calculation: calculation cycle: x → y → x`,
	}
	err := s.Validate()
	if err == nil {
		t.Fatal("Validate = nil, want every problem")
	}
	got := strings.Split(err.Error(), "\n")
	for _, w := range want {
		found := false
		for _, g := range got {
			if strings.HasPrefix(g, w) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("missing problem %q", w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(got), len(want), err)
	}
	var ve *survey.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error is %T, want *survey.ValidationError", err)
	}
	if ps := ve.For("thanks"); len(ps) != 2 {
		t.Errorf("For(thanks) = %v, want the required and label problems", ps)
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    survey.Problem
		want string
	}{
		{survey.Problem{Question: "age", Field: "constraint", Msg: `column 4: unexpected ")"`},
			`question "age": constraint: column 4: unexpected ")"`},
		{survey.Problem{Question: "#3", Field: "name", Msg: "missing"}, "question #3: name: missing"},
		{survey.Problem{List: "yes_no", Field: "choices", Msg: "the list has no choices"},
			`list "yes_no": choices: the list has no choices`},
		{survey.Problem{Field: "version", Msg: "must be 1 or more, got 0"}, "survey: version: must be 1 or more, got 0"},
		{survey.Problem{Question: "#2", Msg: "empty row"}, "question #2: empty row"},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

func TestValidateNeverPanicsOnEmptyRows(t *testing.T) {
	s := &survey.Survey{ID: "x", Version: 1, Questions: []*survey.Question{nil, nil}, Scoring: &survey.Scoring{}}
	ps := problems(t, s)
	if len(ps) != 3 { // two empty rows, no questions
		t.Errorf("got %d problems, want 3: %v", len(ps), ps)
	}
}

func TestValidateIncludesScoringProblems(t *testing.T) {
	s := validSurvey()
	s.Scoring = &survey.Scoring{} // no scale, outcomes, bands or levels
	question(t, s, "consent").Weight = -2
	ps := problems(t, s)
	var scoring, weight int
	for _, p := range ps {
		if p.Field == "scoring" {
			scoring++
			if strings.Contains(p.Msg, "weight -2") {
				t.Errorf("the bad weight is reported twice: %v", p)
			}
		}
		if p.Question == "consent" && p.Field == "weight" {
			weight++
		}
	}
	if scoring == 0 {
		t.Errorf("no scoring problems reported for an empty scoring definition:\n%v", s.Validate())
	}
	if weight != 1 {
		t.Errorf("bad weight reported %d times on the question, want once", weight)
	}
	if !strings.Contains(s.Validate().Error(), "survey: scoring: no outcomes") {
		t.Errorf("scoring problem not rendered as survey-level:\n%v", s.Validate())
	}
}
