package xlsform_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"canvass/survey"
	"canvass/survey/xlsform"
)

// TestCommunityCentreFeedback imports a plain one-language form with a
// field-list group, Likert scales and an ODK date-style version.
func TestCommunityCentreFeedback(t *testing.T) {
	data := workbook(t,
		sheet{"survey", rows(
			"type                   | name       | label                                   | hint                | required | appearance | relevant",
			"begin_group            | visit      | Your visit                              |                     |          | field-list |",
			"select_one visit_freq  | how_often  | How often do you come to the centre?    |                     | yes      | minimal    |",
			"select_multiple act    | activities | What do you come for?                   | Choose all that apply |        | horizontal |",
			"end_group              |            |                                         |                     |          |            |",
			"begin_group            | rating     | What you think                          |                     |          |            |",
			"select_one agree5      | welcoming  | The staff are welcoming                 |                     |          | likert     |",
			"select_one agree5      | clean      | The building is clean                   |                     |          | likert     |",
			"end_group              |            |                                         |                     |          |            |",
			"text                   | improve    | What one thing would you change?        |                     |          | multiline  | ${how_often} != 'first'",
		)},
		sheet{"choices", rows(
			"list_name  | name     | label",
			"visit_freq | first    | This is my first visit",
			"visit_freq | weekly   | Every week",
			"visit_freq | monthly  | Every month",
			"act        | cafe     | Café",
			"act        | classes  | Classes",
			"agree5     | 1        | Strongly disagree",
			"agree5     | 2        | Disagree",
			"agree5     | 3        | Neither",
			"agree5     | 4        | Agree",
			"agree5     | 5        | Strongly agree",
		)},
		sheet{"settings", rows(
			"form_title                      | form_id          | version",
			"Community centre feedback 2026  | centre_feedback  | 2026031501",
		)},
	)
	s, rep := mustImport(t, data)

	if s.ID != "centre_feedback" || s.Title["en"] != "Community centre feedback 2026" {
		t.Errorf("id %q title %v", s.ID, s.Title)
	}
	if s.Version != 1 || rep.SourceVersion != "2026031501" {
		t.Errorf("version %d, source version %q; want 1 and the written value", s.Version, rep.SourceVersion)
	}
	// ODK's usual yyyymmddrr version is not a problem.
	if p, ok := findProblem(rep.Problems, "version"); ok {
		t.Errorf("the usual version number 2026031501 is reported: %+v", p)
	}
	if want := []survey.Language{{Code: "en", Name: "English"}}; !reflect.DeepEqual(s.Languages, want) {
		t.Errorf("languages %v, want %v", s.Languages, want)
	}
	if len(s.Questions) != 3 {
		t.Fatalf("got %d top-level questions, want 3 (two groups and a text)", len(s.Questions))
	}
	visit := s.Questions[0]
	if visit.Type != survey.TypeGroup || !visit.HasAppearance(survey.AppearanceFieldList) || len(visit.Questions) != 2 {
		t.Errorf("visit group: %+v", visit)
	}
	pages := s.Pages()
	if len(pages) != 4 || len(pages[0].Questions) != 2 {
		t.Errorf("want 4 pages, the first with 2 questions; got %d pages", len(pages))
	}
	q, _ := s.Question("welcoming")
	if !q.IsLikert() || q.List != "agree5" {
		t.Errorf("welcoming: %+v", q)
	}
	q, _ = s.Question("how_often")
	if !q.Required || q.Appearance != "minimal" {
		t.Errorf("how_often: %+v", q)
	}
	q, _ = s.Question("activities")
	if q.Hint["en"] != "Choose all that apply" {
		t.Errorf("activities hint %v", q.Hint)
	}
	q, _ = s.Question("improve")
	if !q.IsMultiline() || q.Relevant != "${how_often} != 'first'" {
		t.Errorf("improve: %+v", q)
	}
	if l, ok := s.List("agree5"); !ok || len(l.Choices) != 5 || l.Choices[0].Name != "1" || l.Choices[0].Label["en"] != "Strongly disagree" {
		t.Errorf("agree5 list: %+v", l)
	}
	if len(rep.Warnings()) != 0 {
		t.Errorf("want no warnings, got:%s", listProblems(rep.Problems))
	}
}

// TestBilingualEnglishWelsh imports a form in English and Welsh.
func TestBilingualEnglishWelsh(t *testing.T) {
	data := workbook(t,
		sheet{"survey", rows(
			"type            | name    | label::English (en)      | label::Cymraeg (cy)          | hint::English (en) | hint::Cymraeg (cy)   | required | required_message::English (en) | required_message::Cymraeg (cy)",
			"select_one lang | lang    | Which language?          | Pa iaith?                    |                    |                      | yes      | Please choose                  | Dewiswch os gwelwch yn dda",
			"text            | comment | Any comments?            | Unrhyw sylwadau?             | Optional           | Dewisol              |          |                                |",
			"note            | thanks  | Thank you, ${comment}    | Diolch, ${comment}           |                    |                      |          |                                |",
		)},
		sheet{"choices", rows(
			"list_name | name | label::English (en) | label::Cymraeg (cy)",
			"lang      | en   | English             | Saesneg",
			"lang      | cy   | Welsh               | Cymraeg",
		)},
		sheet{"settings", rows(
			"form_title            | form_id  | version | default_language | canvass_title::Cymraeg (cy)",
			"Library survey        | library  | 4       | Cymraeg (cy)     | Arolwg llyfrgell",
		)},
	)
	s, rep := mustImport(t, data)
	if len(rep.Problems) != 0 {
		t.Errorf("unexpected problems:%s", listProblems(rep.Problems))
	}
	want := []survey.Language{{Code: "cy", Name: "Cymraeg"}, {Code: "en", Name: "English"}}
	if !reflect.DeepEqual(s.Languages, want) {
		t.Errorf("languages %v, want %v (default first)", s.Languages, want)
	}
	if s.Version != 4 || rep.SourceVersion != "" {
		t.Errorf("version %d (source %q), want 4", s.Version, rep.SourceVersion)
	}
	// form_title holds the default language, Welsh; the canvass_title column
	// for Welsh does not override it.
	if s.Title["cy"] != "Library survey" {
		t.Errorf("title %v", s.Title)
	}
	q, _ := s.Question("lang")
	if q.Label["cy"] != "Pa iaith?" || q.Label["en"] != "Which language?" || q.RequiredMessage["cy"] != "Dewiswch os gwelwch yn dda" {
		t.Errorf("lang: %+v", q)
	}
	q, _ = s.Question("comment")
	if q.Hint["cy"] != "Dewisol" || q.Hint["en"] != "Optional" {
		t.Errorf("comment hint %v", q.Hint)
	}
	l, _ := s.List("lang")
	if l.Choices[1].Label["cy"] != "Cymraeg" {
		t.Errorf("choice label %v", l.Choices[1].Label)
	}
}

// TestLanguageSpellings covers the ways a column can name its language.
func TestLanguageSpellings(t *testing.T) {
	tests := []struct {
		header   string
		settings string // default_language, "" for none
		want     []survey.Language
	}{
		{"label::English (en)", "", []survey.Language{{Code: "en", Name: "English"}}},
		{"label::en", "", []survey.Language{{Code: "en", Name: "English"}}},
		{"label::Welsh", "", []survey.Language{{Code: "cy", Name: "Welsh"}}},
		{"label :: Cymraeg (CY)", "", []survey.Language{{Code: "cy", Name: "Cymraeg"}}},
		{"label", "", []survey.Language{{Code: "en", Name: "English"}}},
		{"label", "cy", []survey.Language{{Code: "cy", Name: "Cymraeg"}}},
		{"label", "Français (fr)", []survey.Language{{Code: "fr", Name: "Français"}}},
	}
	for _, tt := range tests {
		t.Run(tt.header+"/"+tt.settings, func(t *testing.T) {
			data := workbook(t,
				sheet{"survey", [][]string{{"type", "name", tt.header}, {"text", "q", "Hello"}}},
				sheet{"settings", [][]string{{"form_id", "default_language"}, {"f", tt.settings}}},
			)
			s, _ := mustImport(t, data)
			if !reflect.DeepEqual(s.Languages, tt.want) {
				t.Errorf("languages %v, want %v", s.Languages, tt.want)
			}
			if q, _ := s.Question("q"); q.Label[tt.want[0].Code] != "Hello" {
				t.Errorf("label %v", q.Label)
			}
		})
	}
}

// TestSkipLogicAndConstraints imports relevance, constraints, messages,
// calculations, defaults and read-only questions.
func TestSkipLogicAndConstraints(t *testing.T) {
	data := workbook(t,
		sheet{"survey", rows(
			"type              | name      | label                    | required              | relevant                 | constraint                    | constraint_message           | calculation              | default | read_only | personal | weight",
			"integer           | age       | How old are you?         | yes                   |                          | . >= 16 and . <= 110          | Please enter 16 to 110       |                          |         |           |          |",
			"select_one yn     | carer     | Are you a carer?         |                       | ${age} >= 16             |                               |                              |                          | no      |           |          | 2",
			"integer           | hours     | Hours of care a week     | ${carer} = 'yes'      | ${carer} = 'yes'         | . > 0 and . < 169             | There are 168 hours in a week |                         |         |           |          |",
			"calculate         | days      |                          |                       |                          |                               |                              | round(${hours} div 24, 1) |        |           |          |",
			"note              | days_note | That is ${days} days     |                       | ${hours} != ''           |                               |                              |                          |         |           |          |",
			"text              | email     | Email, if you want news  |                       |                          | regex(., '^[^@]+@[^@]+$')     | That is not an email address |                          |         | false     | yes      |",
			"decimal           | fixed     | Fixed value              |                       |                          |                               |                              |                          | 1.5     | yes       |          |",
			"note              | end_note  | Thank you                | yes                   |                          |                               |                              |                          |         |           |          |",
		)},
		sheet{"choices", rows(
			"list_name | name | label",
			"yn        | yes  | Yes",
			"yn        | no   | No",
		)},
		sheet{"settings", rows("form_id", "carers")},
	)
	s, rep := mustImport(t, data)

	age, _ := s.Question("age")
	if !age.Required || age.Constraint != ". >= 16 and . <= 110" || age.ConstraintMessage["en"] != "Please enter 16 to 110" {
		t.Errorf("age: %+v", age)
	}
	carer, _ := s.Question("carer")
	if carer.Relevant != "${age} >= 16" || carer.Default != "no" || carer.Weight != 2 {
		t.Errorf("carer: %+v", carer)
	}
	hours, _ := s.Question("hours")
	if hours.Required {
		t.Errorf("hours: a required expression must import as optional")
	}
	if p, ok := findProblem(rep.Warnings(), "depends on an expression"); !ok || p.Row != 4 || p.Column != "required" || p.Cell != "D4" {
		t.Errorf("want a warning at survey D4 for the required expression, got %+v; all:%s", p, listProblems(rep.Problems))
	}
	days, _ := s.Question("days")
	if days.Type != survey.TypeCalculate || days.Calculation != "round(${hours} div 24, 1)" {
		t.Errorf("days: %+v", days)
	}
	email, _ := s.Question("email")
	if !email.Personal || email.ReadOnly {
		t.Errorf("email: %+v", email)
	}
	fixed, _ := s.Question("fixed")
	if !fixed.ReadOnly || fixed.Default != "1.5" {
		t.Errorf("fixed: %+v", fixed)
	}
	if p, ok := findProblem(rep.Warnings(), "a note cannot be required"); !ok || p.Cell != "D9" {
		t.Errorf("want a warning at D9 for the required note, got %+v", p)
	}
	if q, _ := s.Question("end_note"); q.Required {
		t.Error("the note stayed required")
	}
	// The settings sheet has no title: the id stands in, with a warning.
	if s.Title["en"] != "carers" {
		t.Errorf("title %v", s.Title)
	}
	if _, ok := findProblem(rep.Warnings(), "no form_title"); !ok {
		t.Errorf("want a warning about the missing title:%s", listProblems(rep.Problems))
	}
}

// TestOrOtherAndChoiceFilter imports or_other and cascading selects with
// a filter column on the choices sheet.
func TestOrOtherAndChoiceFilter(t *testing.T) {
	data := workbook(t,
		sheet{"survey", rows(
			"type                         | name     | label                 | choice_filter",
			"select_one county or_other   | county   | Which county?         |",
			"select_one town              | town     | Which town?           | county = ${county}",
			"select_multiple service OR_OTHER | services | Services used     |",
			"select_one service           | best     | Which was best?       | selected(${services}, name)",
		)},
		sheet{"choices", rows(
			"list_name | name       | label          | county | $kuid",
			"county    | gwynedd    | Gwynedd        |        | k1",
			"county    | powys      | Powys          |        | k2",
			"town      | bangor     | Bangor         | gwynedd | k3",
			"town      | caernarfon | Caernarfon     | gwynedd | k4",
			"town      | newtown    | Newtown        | powys  | k5",
			"service   | library    | Library        |        |",
			"service   | pool       | Swimming pool  |        |",
		)},
		sheet{"settings", rows("form_title | form_id", "Services | services")},
	)
	s, rep := mustImport(t, data)
	if len(rep.Problems) != 0 {
		t.Errorf("unexpected problems:%s", listProblems(rep.Problems))
	}
	county, _ := s.Question("county")
	if !county.OrOther || county.List != "county" || county.Type != survey.TypeSelectOne {
		t.Errorf("county: %+v", county)
	}
	services, _ := s.Question("services")
	if !services.OrOther || services.Type != survey.TypeSelectMultiple {
		t.Errorf("services: %+v", services)
	}
	town, _ := s.Question("town")
	if town.ChoiceFilter != "county = ${county}" {
		t.Errorf("town filter %q", town.ChoiceFilter)
	}
	towns, _ := s.List("town")
	if got := towns.Choices[2].Filter; !reflect.DeepEqual(got, map[string]string{"county": "powys"}) {
		t.Errorf("newtown filter %v", got)
	}
	counties, _ := s.List("county")
	if counties.Choices[0].Filter != nil {
		t.Errorf("blank filter cells and $ columns must not become filters: %v", counties.Choices[0].Filter)
	}
}

// TestRangeRankDatesMetadata imports range, rank, date/time types and
// metadata.
func TestRangeRankDatesMetadata(t *testing.T) {
	data := workbook(t,
		sheet{"survey", rows(
			"type          | name      | label                        | parameters                | appearance | constraint",
			"start         | started   |                              |                           |            |",
			"end           | ended     |                              |                           |            |",
			"today         | day       |                              |                           |            |",
			"deviceid      | device    |                              |                           |            |",
			"range         | safety    | How safe do you feel?        | start=1 end=5 step=1      | rating     |",
			"range         | noise     | Noise level                  | start = 0; end = 10; step = 0.5 |      |",
			"range         | plain     | Default parameters           |                           |            |",
			"rank priority | priority  | Put these in order           |                           |            |",
			"date          | visited   | When did you visit?          |                           |            | . <= today()",
			"time          | arrived   | What time did you arrive?    |                           |            |",
			"dateTime      | booked    | When did you book?           |                           |            |",
			"datetime      | booked2   | Lower-case spelling          |                           |            |",
		)},
		sheet{"choices", rows(
			"list_name | name    | label",
			"priority  | parks   | Parks",
			"priority  | roads   | Roads",
			"priority  | schools | Schools",
		)},
		sheet{"settings", rows("form_title | form_id | version", "Priorities | priorities | 7")},
	)
	s, rep := mustImport(t, data)
	if len(rep.Problems) != 0 {
		t.Errorf("unexpected problems:%s", listProblems(rep.Problems))
	}
	wantTypes := map[string]survey.Type{
		"started": survey.TypeStart, "ended": survey.TypeEnd, "day": survey.TypeToday, "device": survey.TypeDeviceID,
		"safety": survey.TypeRange, "priority": survey.TypeRank, "visited": survey.TypeDate,
		"arrived": survey.TypeTime, "booked": survey.TypeDateTime, "booked2": survey.TypeDateTime,
	}
	for name, typ := range wantTypes {
		if q, ok := s.Question(name); !ok || q.Type != typ {
			t.Errorf("%s: got %+v, want type %s", name, q, typ)
		}
	}
	ranges := map[string]survey.Range{"safety": {Start: 1, End: 5, Step: 1}, "noise": {Start: 0, End: 10, Step: 0.5}, "plain": {Start: 1, End: 10, Step: 1}}
	for name, want := range ranges {
		q, _ := s.Question(name)
		if q.Range == nil || *q.Range != want {
			t.Errorf("%s range %+v, want %+v", name, q.Range, want)
		}
	}
	if s.Version != 7 {
		t.Errorf("version %d, want 7", s.Version)
	}
}

// TestRepeatAndGeopoint checks that unsupported questions are left out
// with a warning when nothing refers to them, and refused otherwise, each
// placed at its row and column.
func TestRepeatAndGeopoint(t *testing.T) {
	choices := sheet{"choices", rows("list_name | name | label", "yn | yes | Yes", "yn | no | No")}
	settings := sheet{"settings", rows("form_title | form_id", "Households | households")}

	t.Run("dropped with warnings", func(t *testing.T) {
		data := workbook(t,
			sheet{"survey", rows(
				"type           | name       | label                 | relevant | calculation",
				"text           | household  | Household name        |          |",
				"geopoint       | location   | Where do you live?    |          |",
				"begin_repeat   | members    | Household members     |          |",
				"text           | member     | Name                  |          |",
				"integer        | member_age | Age of ${member}      | position(..) > 1 |",
				"select_one rel | relation   | Relation to you       |          |",
				"end_repeat     |            |                       |          |",
				"calculate      | lookup     |                       |          | pulldata('fees', 'fee', 'key', ${household})",
				"select_one yn  | happy      | Happy?                |          |",
				"image          | photo      | Photo of the front    | ${happy} = 'yes' |",
				"begin_group    | media      | Media                 |          |",
				"audio          | voice      | Say it                |          |",
				"end_group      |            |                       |          |",
			)},
			choices, settings)
		s, rep := mustImport(t, data)
		var names []string
		for _, q := range s.All() {
			names = append(names, q.Name)
		}
		if want := []string{"household", "happy"}; !reflect.DeepEqual(names, want) {
			t.Errorf("kept %v, want %v", names, want)
		}
		warnings := []struct {
			fragment string
			row      int
			column   string
			cell     string
		}{
			{"geopoint", 3, "type", "A3"},
			{"repeats (begin_repeat)", 4, "type", "A4"},
			{"3 questions in it", 4, "type", "A4"},
			{"pulldata()", 9, "calculation", "E9"},
			{"photo questions", 11, "type", "A11"},
			{"audio recordings", 13, "type", "A13"},
			{`nothing in the group "media" can be imported`, 12, "type", "A12"},
		}
		for _, w := range warnings {
			p, ok := findProblem(rep.Warnings(), w.fragment)
			if !ok {
				t.Errorf("no warning mentions %q:%s", w.fragment, listProblems(rep.Problems))
				continue
			}
			if p.Sheet != "survey" || p.Row != w.row || p.Column != w.column || p.Cell != w.cell {
				t.Errorf("warning %q at %s, want survey row %d column %s (%s)", w.fragment, p.Where(), w.row, w.column, w.cell)
			}
		}
		// Nothing inside the repeat is checked further: its unknown list and
		// position(..) call go with it.
		if len(rep.Problems) != 6 {
			t.Errorf("got %d problems, want 6 warnings:%s", len(rep.Problems), listProblems(rep.Problems))
		}
	})

	t.Run("what refers to a dropped question goes with it", func(t *testing.T) {
		data := workbook(t,
			sheet{"survey", rows(
				"type           | name       | label                      | relevant",
				"geopoint       | location   | Where do you live?         |",
				"note           | where_note | You are at ${location}     |",
				"begin_repeat   | members    | Household members          |",
				"text           | member     | Name                       |",
				"end_repeat     |            |                            |",
				"text           | first      | First member               | ${member} != ''",
				"text           | second     | Then                       | ${first} != ''",
				"text           | kept       | Anything else?             |",
			)},
			choices, settings)
		s, rep := mustImport(t, data)
		if len(s.Questions) != 1 || s.Questions[0].Name != "kept" {
			t.Fatalf("kept %s", toJSON(s.Questions))
		}
		for _, w := range []struct{ fragment, cell string }{
			{"label refers to ${location}, which Canvass cannot import (row 2: location questions (geopoint) are not supported)", "C3"},
			{"relevant refers to ${member}, which Canvass cannot import (row 4: repeats (begin_repeat) are not supported)", "D7"},
			{"relevant refers to ${first}, which Canvass cannot import (row 7: relevant refers to ${member}", "D8"},
		} {
			if p, ok := findProblem(rep.Warnings(), w.fragment); !ok || p.Cell != w.cell {
				t.Errorf("no warning at %s mentions %q:%s", w.cell, w.fragment, listProblems(rep.Problems))
			}
		}
		if got := rep.Summary(); !strings.HasPrefix(got, "imported 1 of 5 questions; dropped: location (row 2") {
			t.Errorf("summary %q", got)
		}
	})

	t.Run("a question using a missing function takes its referrers", func(t *testing.T) {
		data := workbook(t,
			sheet{"survey", rows(
				"type           | name    | label    | relevant",
				"select_one yn  | happy   | Happy?   |",
				"text           | why     | Why?     | pulldata('x', 'y', 'z', ${happy}) = 'Yes'",
				"text           | more    | More?    | ${why} != ''",
			)},
			choices, settings)
		s, rep := mustImport(t, data)
		if p, ok := findProblem(rep.Warnings(), "pulldata()"); !ok || p.Cell != "D3" {
			t.Errorf("want a warning at D3 naming pulldata():%s", listProblems(rep.Problems))
		}
		if p, ok := findProblem(rep.Warnings(), "refers to ${why}"); !ok || p.Cell != "D4" {
			t.Errorf("want a warning at D4:%s", listProblems(rep.Problems))
		}
		if len(s.Questions) != 1 {
			t.Errorf("questions %s", toJSON(s.Questions))
		}
	})
}

// TestCaseVariantNames imports a form whose sheet names, column headers and
// types use other capitalisation and spellings.
func TestCaseVariantNames(t *testing.T) {
	data := workbook(t,
		sheet{"Survey", rows(
			"Type               | NAME    | Label::English (en) | Required | Read Only | jr:constraintMsg::English (en) | Constraint | Appearance",
			"begin group        | g       | Group               |          |           |                                |            | field-list",
			"select one YN      | ok      | OK?                 | TRUE     |           |                                |            |",
			"Integer            | n       | Number              | 1        | FALSE     | Too big                        | . < 10     |",
			"end group          |         |                     |          |           |                                |            |",
			"select all that apply YN | which | Which?        | no       |           |                                |            |",
			"Trigger            | ack     | Acknowledge         |          |           |                                |            |",
		)},
		sheet{"CHOICES", rows(
			"List Name | Name | LABEL::English (en)",
			"YN        | y    | Yes",
			"YN        | n    | No",
		)},
		sheet{" Settings ", rows(
			"Form_Title | ID_String | Default_Language",
			"Shouting   | shout     | English (en)",
		)},
	)
	s, rep := mustImport(t, data)
	if len(rep.Problems) != 0 {
		t.Errorf("unexpected problems:%s", listProblems(rep.Problems))
	}
	if s.ID != "shout" || s.Title["en"] != "Shouting" {
		t.Errorf("id %q title %v", s.ID, s.Title)
	}
	g, _ := s.Question("g")
	if g.Type != survey.TypeGroup || len(g.Questions) != 2 || g.Appearance != "field-list" {
		t.Errorf("group: %+v", g)
	}
	ok, _ := s.Question("ok")
	if !ok.Required || ok.List != "YN" || ok.Type != survey.TypeSelectOne {
		t.Errorf("ok: %+v", ok)
	}
	n, _ := s.Question("n")
	if !n.Required || n.ReadOnly || n.ConstraintMessage["en"] != "Too big" || n.Type != survey.TypeInteger {
		t.Errorf("n: %+v", n)
	}
	which, _ := s.Question("which")
	if which.Type != survey.TypeSelectMultiple || which.Required {
		t.Errorf("which: %+v", which)
	}
	ack, _ := s.Question("ack")
	if ack.Type != survey.TypeAcknowledge {
		t.Errorf("ack: %+v", ack)
	}
}

// TestIgnoredColumns checks that columns Canvass does not use are reported
// once, and Kobo's $ columns silently skipped.
func TestIgnoredColumns(t *testing.T) {
	data := workbook(t,
		sheet{"survey", rows(
			"type | name | label | media::image | guidance_hint | $kuid | empty_extra",
			"text | a    | A     | a.png        | Ask slowly    | x1    |",
			"text | b    | B     | b.png        |               | x2    |",
		)},
		sheet{"settings", rows("form_id | style", "cols | pages")},
	)
	_, rep := mustImport(t, data)
	for _, w := range []struct{ column, cell string }{{"media::image", "D2"}, {"guidance_hint", "E2"}, {"style", "B2"}} {
		found := false
		for _, p := range rep.Warnings() {
			if p.Column == w.column {
				found = true
				if p.Cell != w.cell || !strings.Contains(p.Message, "not used by Canvass") {
					t.Errorf("warning for %s: %s", w.column, p)
				}
			}
		}
		if !found {
			t.Errorf("no warning for column %s:%s", w.column, listProblems(rep.Problems))
		}
	}
	for _, p := range rep.Problems {
		if p.Column == "$kuid" || p.Column == "empty_extra" {
			t.Errorf("unexpected warning: %s", p)
		}
	}
}

// TestMalformed checks that each broken form is refused with a message
// naming the problem and its place.
func TestMalformed(t *testing.T) {
	okChoices := sheet{"choices", rows("list_name | name | label", "yn | yes | Yes", "yn | no | No")}
	okSettings := sheet{"settings", rows("form_title | form_id", "Broken | broken")}
	form := func(surveyRows ...string) []byte {
		return workbook(t, sheet{"survey", rows(surveyRows...)}, okChoices, okSettings)
	}
	tests := []struct {
		name     string
		data     []byte
		fragment string
		sheet    string
		cell     string // "" when the problem is not tied to a cell
	}{
		{"not a workbook", []byte("type,name,label\ntext,a,A\n"), "not an Excel workbook", "", ""},
		{"empty file", nil, "the file is empty", "", ""},
		{"old xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "old-style .xls", "", ""},
		{"zip but not xlsx", zipOf(t, "hello.txt", "hi"), "not an Excel workbook", "", ""},
		{"no survey sheet", workbook(t, sheet{"questions", rows("type | name", "text | a")}), `no survey sheet (sheets: "questions")`, "", ""},
		{"no type column", form("kind | name | label", "text | a | A"), "no type column", "survey", ""},
		{"empty name", form("type | name | label", "text |  | A"), "has no name", "survey", "B2"},
		{"invalid name", form("type | name | label", "text | 2nd | A"), `name "2nd" is not valid`, "survey", "B2"},
		{"duplicate names", form("type | name | label", "text | a | A", "integer | a | B"), `name "a" is used twice at the top of the form (rows 2 and 3)`, "survey", "B3"},
		{"unknown list", form("type | name | label", "select_one colours | a | A"), `choice list "colours" is not on the choices sheet`, "survey", "A2"},
		{"select without list", form("type | name | label", "select_one | a | A"), "needs the name of a choice list", "survey", "A2"},
		{"unknown type", form("type | name | label", "textarea | a | A"), `unknown question type "textarea"`, "survey", "A2"},
		{"bad expression", form("type | name | label | relevant", "text | a | A |", "text | b | B | ${a} == 'x'"), `unexpected "==": use = to compare`, "survey", "D3"},
		{"unknown reference", form("type | name | label | relevant", "text | a | A | ${nobody} = 'x'"), "refers to ${nobody}, which is not a question", "survey", "D2"},
		{"unknown reference in label", form("type | name | label", "note | a | Hello ${who}"), "refers to ${who}", "survey", "C2"},
		{"unclosed group", form("type | name | label", "begin_group | g | G", "text | a | A"), `begin_group "g" is never closed`, "survey", "A2"},
		{"end_group without begin", form("type | name | label", "text | a | A", "end_group | |"), "end_group without a matching begin_group", "survey", "A3"},
		{"end_repeat closes a group", form("type | name | label", "begin_group | g | G", "text | a | A", "end_repeat | |"), `end_repeat closes the begin_group "g" of row 2`, "survey", "A4"},
		{"row without type", form("type | name | label", "text | a | A", " | b | B"), "has a name or label but no type", "survey", "A3"},
		{"calculate without calculation", form("type | name | label | calculation", "calculate | c | |"), "has no calculation", "survey", "D2"},
		{"bad weight", form("type | name | label | weight", "select_one yn | a | A | heavy"), `weight "heavy" is not a number`, "survey", "D2"},
		{"bad personal", form("type | name | label | personal", "text | a | A | perhaps"), `personal "perhaps" is not yes or no`, "survey", "D2"},
		{"bad range parameters", form("type | name | label | parameters", "range | r | R | start=1 end=five"), `end="five" is not a number`, "survey", "D2"},
		{"unknown range parameter", form("type | name | label | parameters", "range | r | R | from=1"), `unknown parameter "from"`, "survey", "D2"},
		{"choice filter column", form("type | name | label | choice_filter", "select_one yn | a | A | region = 'x'"), `refers to column "region"`, "survey", "D2"},
		{"duplicate column", form("type | name | label | label", "text | a | A | B"), `column "label" appears twice (columns C and D)`, "survey", "D1"},
		{"no list_name on a choice", workbook(t, sheet{"survey", rows("type | name | label", "text | a | A")},
			sheet{"choices", rows("list_name | name | label", " | x | X")}, okSettings), "the choice has no list_name", "choices", "A2"},
		{"duplicate choice", workbook(t, sheet{"survey", rows("type | name | label", "select_one yn | a | A")},
			sheet{"choices", rows("list_name | name | label", "yn | yes | Yes", "yn | yes | Yes again")}, okSettings), `choice "yes" appears twice in list "yn" (rows 2 and 3)`, "choices", "B3"},
		{"choice name with a space", workbook(t, sheet{"survey", rows("type | name | label", "select_multiple yn | a | A")},
			sheet{"choices", rows("list_name | name | label", "yn | not sure | Not sure")}, okSettings), `choice name "not sure" has a space`, "choices", "B2"},
		{"bad score", workbook(t, sheet{"survey", rows("type | name | label", "select_one yn | a | A")},
			sheet{"choices", rows("list_name | name | label | score", "yn | yes | Yes | high")}, okSettings), `score "high" is not a number`, "choices", "D2"},
		{"bad form_id", workbook(t, sheet{"survey", rows("type | name | label", "text | a | A")},
			sheet{"settings", rows("form_title | form_id", "T | ¿¿")}), `form_id "¿¿" may hold only`, "settings", "B2"},
		{"no id and no title", workbook(t, sheet{"survey", rows("type | name | label", "text | a | A")}), "no form_id and no form_title", "settings", ""},
		// Problems found by Survey.Validate, placed back on their rows.
		{"calculation cycle", form("type | name | label | calculation", "calculate | x | | ${y} + 1", "calculate | y | | ${x} + 1"),
			"calculation cycle", "survey", "D2"},
		{"empty group", form("type | name | label", "begin_group | g | G", "end_group | |", "text | a | A"), "the group is empty", "survey", "A2"},
		{"range step", form("type | name | label | parameters", "range | r | R | start=1 end=5 step=0"), "step must be more than 0", "survey", "D2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ie, rep := mustFail(t, tt.data)
			p, ok := findProblem(ie.Problems, tt.fragment)
			if !ok {
				t.Fatalf("no error mentions %q:%s", tt.fragment, listProblems(rep.Problems))
			}
			if p.Severity != xlsform.Error {
				t.Errorf("severity %s", p.Severity)
			}
			if p.Sheet != tt.sheet || p.Cell != tt.cell {
				t.Errorf("problem at sheet %q cell %q, want sheet %q cell %q: %s", p.Sheet, p.Cell, tt.sheet, tt.cell, p)
			}
			if !strings.Contains(ie.Error(), tt.fragment) {
				t.Errorf("the error text does not carry the problem: %s", ie.Error())
			}
		})
	}
}

func TestNotWorkbookIs(t *testing.T) {
	_, _, err := xlsform.Import(strings.NewReader("hello"))
	if !errors.Is(err, xlsform.ErrNotWorkbook) {
		t.Errorf("errors.Is(%v, ErrNotWorkbook) = false", err)
	}
	_, _, err = xlsform.ImportFile(filepath.Join(t.TempDir(), "missing.xlsx"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ImportFile of a missing file: %v", err)
	}
}

func TestImportFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "form.xlsx")
	data := workbook(t, sheet{"survey", rows("type | name | label", "text | a | A")}, sheet{"settings", rows("form_title", "My form: 2026!")})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s, rep, err := xlsform.ImportFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Without a form_id the form is named after its file, as pyxform does.
	if s.ID != "form" {
		t.Errorf("id %q", s.ID)
	}
	if p, ok := findProblem(rep.Warnings(), `no form_id: it was named "form" after its file`); !ok || p.Sheet != "settings" {
		t.Errorf("want a settings warning about the id:%s", listProblems(rep.Problems))
	}
	// Read without a file name, the id is made from the title.
	s, rep = mustImport(t, data)
	if s.ID != "my_form_2026" {
		t.Errorf("id %q", s.ID)
	}
	if _, ok := findProblem(rep.Warnings(), "no form_id"); !ok {
		t.Errorf("want a warning about the id:%s", listProblems(rep.Problems))
	}
}

func TestBlankRowsKeepExcelRowNumbers(t *testing.T) {
	data := workbook(t, sheet{"survey", [][]string{
		{"type", "name", "label"}, {}, {"text", "a", "A"}, {}, {}, {"text", "a", "Again"},
	}}, sheet{"settings", rows("form_id", "f")})
	ie, _ := mustFail(t, data)
	if p, ok := findProblem(ie.Problems, "used twice"); !ok || p.Row != 6 || p.Cell != "B6" {
		t.Errorf("want the duplicate at row 6, got %+v", p)
	}
}

// zipOf returns a zip archive holding one file.
func zipOf(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := newZip(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestScoringSheet checks the canvass_scoring sheet's problems are placed
// on its rows.
func TestScoringSheet(t *testing.T) {
	surveySheet := sheet{"survey", rows(
		"type          | name  | label   | weight",
		"select_one s  | crit  | Crit    | 1",
		"geopoint      | where | Where   |",
	)}
	choices := sheet{"choices", rows("list_name | name | label | score", "s | a | A | -2", "s | b | B | 2")}
	settings := sheet{"settings", rows("form_id | form_title", "scored | Scored")}
	good := []string{
		"kind       | name  | value | label    | outcome | from | to | when             | min_abs_score",
		"setting    | scale | 2     |          |         |      |    |                  |",
		"outcome    | grant |       | Grant    |         |      |    |                  |",
		"outcome    | buy   |       | Contract |         |      |    |                  |",
		"band       |       |       |          | grant   |      | 0  |                  |",
		"band       |       |       |          | buy     | 0    |    |                  |",
		"confidence | high  |       | High     |         |      |    |                  | 0.5",
		"confidence | low   |       | Low      |         |      |    |                  |",
		"rule       | r1    |       | Rule one | buy     |      |    | ${crit} = 'a'    |",
	}
	with := func(change func([]string) []string) []byte {
		lines := change(append([]string(nil), good...))
		return workbook(t, surveySheet, choices, settings, sheet{"canvass_scoring", rows(lines...)})
	}

	t.Run("good", func(t *testing.T) {
		s, rep := mustImport(t, with(func(l []string) []string { return l }))
		if s.Scoring == nil || s.Scoring.Scale != 2 || len(s.Scoring.Bands) != 2 || *s.Scoring.Bands[1].From != 0 || s.Scoring.Bands[1].To != nil {
			t.Errorf("scoring %+v", s.Scoring)
		}
		if len(s.Scoring.Rules) != 1 || s.Scoring.Rules[0].When != "${crit} = 'a'" || s.Scoring.Rules[0].Outcome != "buy" {
			t.Errorf("rules %+v", s.Scoring.Rules)
		}
		if len(rep.Warnings()) != 1 {
			t.Errorf("want only the geopoint warning:%s", listProblems(rep.Problems))
		}
	})

	tests := []struct {
		name     string
		change   func([]string) []string
		fragment string
		row      int
		cell     string
	}{
		{"unknown kind", func(l []string) []string { return append(l, "criterion | x") }, `unknown kind "criterion"`, 10, "A10"},
		{"bad bound", func(l []string) []string { l[4] = "band | | | | grant | | low"; return l }, `to "low" is not a number`, 5, "G5"},
		{"unknown setting", func(l []string) []string { return append(l, "setting | colour | red") }, `unknown setting "colour"`, 10, "B10"},
		{"rule refers to a dropped question", func(l []string) []string { l[8] = "rule | r1 | | Rule | buy | | | ${where} != ''"; return l },
			"refers to ${where}, which Canvass cannot import", 9, "H9"},
		// Found by Validate and placed by the message's band number or code.
		{"band with unknown outcome", func(l []string) []string { l[5] = "band | | | | either | 0"; return l }, `band 2: unknown outcome "either"`, 6, ""},
		{"outcome without label", func(l []string) []string { l[3] = "outcome | buy"; return l }, `outcome "buy" has no label`, 4, ""},
		{"rule with a bad condition", func(l []string) []string { l[8] = "rule | r1 | | Rule | buy | | | ${crit} = "; return l }, "rule 1 (r1): when", 9, "H9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ie, rep := mustFail(t, with(tt.change))
			p, ok := findProblem(ie.Problems, tt.fragment)
			if !ok {
				t.Fatalf("no error mentions %q:%s", tt.fragment, listProblems(rep.Problems))
			}
			if p.Sheet != "canvass_scoring" || p.Row != tt.row || p.Cell != tt.cell {
				t.Errorf("at %s (row %d, cell %q), want row %d cell %q", p.Where(), p.Row, p.Cell, tt.row, tt.cell)
			}
		})
	}
}

// TestSettingsVersions: ODK's usual yyyymmddrr version number imports
// without comment; only a version that is not a whole number is flagged.
func TestSettingsVersions(t *testing.T) {
	tests := []struct {
		version string
		want    int
		source  string
		warned  bool
	}{
		{"7", 7, "", false},
		{"2026120401", 1, "2026120401", false},
		{"1.2", 1, "1.2", true},
		{"v3", 1, "v3", true},
		{"", 1, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			data := workbook(t,
				sheet{"survey", rows("type | name | label", "text | name | Your name")},
				sheet{"settings", rows("form_title | form_id | version", "Versions | versions | "+tt.version)},
			)
			s, rep := mustImport(t, data)
			_, warned := findProblem(rep.Warnings(), "version")
			if s.Version != tt.want || rep.SourceVersion != tt.source || warned != tt.warned {
				t.Errorf("version %d, source %q, warned %v; want %d, %q, %v (problems:%s)",
					s.Version, rep.SourceVersion, warned, tt.want, tt.source, tt.warned, listProblems(rep.Problems))
			}
		})
	}
}
