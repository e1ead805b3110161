package xlsform_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"canvass/export/pyreaders"
	"canvass/survey"
	"canvass/survey/run"
	"canvass/survey/xlsform"
)

// repeatForm is a carers' form: a repeat counted by an earlier answer, a
// group inside it, a repeat nested in it and a repeat of fixed count.
func repeatForm(t *testing.T, countHeader string) []byte {
	return workbook(t,
		sheet{"survey", rows(
			"type          | name     | label                   | "+countHeader+" | relevant",
			"integer       | n_carers | How many people?        |                 |",
			"begin_repeat  | carers   | Person you care for     | ${n_carers}     |",
			"text          | who      | Their first name        |                 |",
			"begin_group   | details  | About them              |                 |",
			"integer       | age      | Age                     |                 |",
			"end_group     |          |                         |                 |",
			"begin_repeat  | services | Service they use        |                 | ${age} > 17",
			"text          | service  | Service                 |                 |",
			"end_repeat    |          |                         |                 |",
			"end_repeat    |          |                         |                 |",
			"begin repeat  | visits   | Visit                   | 2               |",
			"date          | visited  | When                    |                 |",
			"end repeat    |          |                         |                 |",
		)},
		sheet{"settings", rows("form_title | form_id", "Carers | carers")},
	)
}

// TestImportRepeats reads begin_repeat … end_repeat with repeat_count (or
// its older name jr:count), nesting and a group inside a repeat.
func TestImportRepeats(t *testing.T) {
	for _, header := range []string{"repeat_count", "jr:count"} {
		t.Run(header, func(t *testing.T) {
			data := repeatForm(t, header)
			s, rep, err := xlsform.ImportWith(bytes.NewReader(data), xlsform.Options{Repeats: true})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if len(rep.Dropped) > 0 || len(rep.Problems) > 0 {
				t.Fatalf("dropped %v, problems:%s", rep.Dropped, listProblems(rep.Problems))
			}
			carers := s.Questions[1]
			if carers.Name != "carers" || carers.Type != survey.TypeGroup || !reflect.DeepEqual(carers.Repeat, &survey.Repeat{Count: "${n_carers}"}) {
				t.Fatalf("carers = %s", toJSON(carers))
			}
			if g := carers.Questions[1]; g.Name != "details" || g.Repeat != nil || g.Questions[0].Name != "age" {
				t.Errorf("group inside the repeat = %s", toJSON(g))
			}
			if n := carers.Questions[2]; n.Name != "services" || n.Repeat == nil || n.Repeat.Count != "" || n.Relevant != "${age} > 17" || n.Questions[0].Name != "service" {
				t.Errorf("nested repeat = %s", toJSON(n))
			}
			if v := s.Questions[2]; v.Name != "visits" || v.Repeat == nil || v.Repeat.Count != "2" {
				t.Errorf("fixed repeat = %s", toJSON(v))
			}
			if rep.Imported != rep.Questions {
				t.Errorf("imported %d of %d questions", rep.Imported, rep.Questions)
			}
		})
	}
	t.Run("off by default", func(t *testing.T) {
		s, rep := mustImport(t, repeatForm(t, "repeat_count"))
		for _, q := range s.All() {
			if q.Repeat != nil || q.Name == "carers" || q.Name == "visits" {
				t.Errorf("a repeat was kept: %s", toJSON(q))
			}
		}
		var names []string
		for _, d := range rep.Dropped {
			names = append(names, d.Name)
		}
		if want := []string{"carers", "who", "age", "service", "visits", "visited"}; !reflect.DeepEqual(names, want) {
			t.Errorf("dropped %q, want %q", names, want)
		}
	})
	t.Run("repeat_count on a question", func(t *testing.T) {
		data := workbook(t, sheet{"survey", rows("type | name | label | repeat_count", "text | a | A | 3")}, sheet{"settings", rows("form_id", "f")})
		_, rep := mustImport(t, data)
		if p, ok := findProblem(rep.Problems, `repeat_count "3" is used only on a begin_repeat row`); !ok || p.Cell != "D2" {
			t.Errorf("problems:%s", listProblems(rep.Problems))
		}
	})
	t.Run("bad repeat_count", func(t *testing.T) {
		data := workbook(t, sheet{"survey", rows("type | name | label | repeat_count", "begin_repeat | r | R | ${nobody} +", "text | a | A |", "end_repeat | | |")}, sheet{"settings", rows("form_id", "f")})
		_, _, err := xlsform.ImportWith(bytes.NewReader(data), xlsform.Options{Repeats: true})
		ie, ok := err.(*xlsform.ImportError)
		if !ok {
			t.Fatalf("err = %v, want an ImportError", err)
		}
		if p, ok := findProblem(ie.Problems, ""); !ok || p.Cell != "D2" {
			t.Errorf("problems:%s", listProblems(ie.Problems))
		}
	})
}

// TestRepeatsPyxform exports a form with repeats, converts it with pyxform
// (each repeat a <repeat> with its jr:count), and imports it back to the
// same survey.
func TestRepeatsPyxform(t *testing.T) {
	data := repeatForm(t, "repeat_count")
	s, _, err := xlsform.ImportWith(bytes.NewReader(data), xlsform.Options{Repeats: true})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	// The noun for one instance travels in repeat_item, a column pyxform
	// accepts without a word.
	s.Questions[1].Repeat.Item = survey.En("person")
	s.Questions[1].Questions[2].Repeat.Item = survey.En("service")
	back, c := exportThroughPyxform(t, s)
	if m := missingPaths(t, s, c.XForm); len(m) > 0 {
		t.Errorf("pyxform's XForm lacks %q", m)
	}
	if back.Questions[1].Repeat.Item.In("en", "") != "person" || back.Questions[1].Questions[2].Repeat.Item.In("en", "") != "service" {
		t.Errorf("repeat_item did not come back: %s", toJSON(back.Questions[1]))
	}
	for _, want := range []string{
		`<repeat nodeset="/data/carers" jr:count=" /data/n_carers ">`,
		`<repeat nodeset="/data/carers/services">`,
		`<bind nodeset="/data/carers/services" relevant=" ../details/age  &gt; 17"/>`,
		`<bind nodeset="/data/visits_count" type="string" readonly="true()" calculate="2"/>`,
		`<repeat nodeset="/data/visits" jr:count=" /data/visits_count ">`,
	} {
		if !strings.Contains(c.XForm, want) {
			t.Errorf("the XForm lacks %s:\n%s", want, c.XForm)
		}
	}
}

// TestImportRepeatItem reads repeat_item per language on a begin_repeat
// row, and warns at its cell when it stands on another row.
func TestImportRepeatItem(t *testing.T) {
	data := workbook(t,
		sheet{"survey", rows(
			"type         | name   | label::English (en) | label::Cymraeg (cy) | repeat_item::English (en) | repeat_item::Cymraeg (cy)",
			"begin_repeat | people | People              | Pobl                | person                    | unigolyn",
			"text         | who    | Name                | Enw                 | name                      |",
			"end_repeat   |        |                     |                     |                           |",
		)},
		sheet{"settings", rows("form_title | form_id | default_language", "People | people | English (en)")},
	)
	s, rep, err := xlsform.ImportWith(bytes.NewReader(data), xlsform.Options{Repeats: true})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if got := s.Questions[0].Repeat.Item; !reflect.DeepEqual(got, survey.Text{"en": "person", "cy": "unigolyn"}) {
		t.Errorf("Item = %v", got)
	}
	if p, ok := findProblem(rep.Problems, "is used only on a begin_repeat row"); !ok || p.Cell != "E3" || p.Severity != xlsform.Warning {
		t.Errorf("problems:%s", listProblems(rep.Problems))
	}
}

// TestRepeatLimitsPyxform reads a repeat's limits from the constraint and
// constraint_message of its begin_repeat row (a nested repeat's too),
// exports them where pyxform puts them on the repeat's bind without a
// warning, and imports the export back to the same survey.
func TestRepeatLimitsPyxform(t *testing.T) {
	data := workbook(t,
		sheet{"survey", rows(
			"type         | name   | label  | constraint                                       | constraint_message::English (en) | repeat_item::English (en)",
			"text         | you    | You    |                                                  |                                  |",
			"begin_repeat | people | People | count(${people}) >= 1 and count(${people}) <= 3 | Tell us about 1 to 3 people.     | person",
			"text         | first  | Name   |                                                  |                                  |",
			"begin_repeat | pets   | Pets   | count(${pets}) <= 2                              |                                  | pet",
			"text         | pet    | Pet    |                                                  |                                  |",
			"end_repeat   |        |        |                                                  |                                  |",
			"end_repeat   |        |        |                                                  |                                  |",
		)},
		sheet{"settings", rows("form_title | form_id | default_language", "Limits | limits | English (en)")},
	)
	s, rep, err := xlsform.ImportWith(bytes.NewReader(data), xlsform.Options{Repeats: true})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if len(rep.Problems) > 0 || len(rep.Dropped) > 0 {
		t.Fatalf("dropped %v, problems:%s", rep.Dropped, listProblems(rep.Problems))
	}
	people, pets := s.Questions[1], s.Questions[1].Questions[1]
	if least, most, ok := people.RepeatLimits(); least != 1 || most != 3 || !ok || people.ConstraintMessage.In("en", "") != "Tell us about 1 to 3 people." {
		t.Errorf("people: %d..%d %v %s", least, most, ok, toJSON(people))
	}
	if least, most, ok := pets.RepeatLimits(); least != 0 || most != 2 || !ok {
		t.Errorf("pets: %d..%d %v %s", least, most, ok, toJSON(pets))
	}
	_, c := exportThroughPyxform(t, s)
	for _, want := range []string{
		`<bind nodeset="/data/people" constraint="count( /data/people ) &gt;= 1 and count( /data/people ) &lt;= 3" jr:constraintMsg="jr:itext('/data/people:jr:constraintMsg')"/>`,
		`<text id="/data/people:jr:constraintMsg"><value>Tell us about 1 to 3 people.</value></text>`,
		// Relative to the nested repeat: the pets of the same person.
		`<bind nodeset="/data/people/pets" constraint="count( ../pets ) &lt;= 2"/>`,
	} {
		if !strings.Contains(c.XForm, want) {
			t.Errorf("the XForm lacks %s:\n%s", want, c.XForm)
		}
	}
}

// exportThroughPyxform exports s, checks that the export imports back to
// the same survey without a problem and that pyxform converts it without
// a warning, and returns the re-imported survey and pyxform's conversion.
func exportThroughPyxform(t *testing.T, s *survey.Survey) (*survey.Survey, pyreaders.Conversion) {
	t.Helper()
	py := pyreaders.New(t)
	path := filepath.Join(t.TempDir(), s.ID+".xlsx")
	if err := xlsform.ExportFile(s, path); err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	back, rep, err := xlsform.ImportWith(bytes.NewReader(written), xlsform.Options{Repeats: true})
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	if len(rep.Problems) > 0 {
		t.Errorf("re-import reported:%s", listProblems(rep.Problems))
	}
	if d := firstDifference(s, back); d != "" {
		t.Errorf("re-import differs at %s", d)
	}
	c := py.XForms(path)[0]
	if c.Error != "" {
		t.Fatalf("pyxform refuses it: %s", c.Error)
	}
	if len(c.Warnings) > 0 {
		t.Errorf("pyxform warns: %q", c.Warnings)
	}
	return back, c
}

// TestImportSelectFromRepeat: pyxform's "select_one ${m_name}" (choices
// from the answers of a repeat: "which member is answering?") leaves that
// question out with a warning at its type cell; the rest of the household
// roster imports (it used to refuse the whole form: choice list
// "${m_name}" is not on the choices sheet).
func TestImportSelectFromRepeat(t *testing.T) {
	for _, typ := range []string{"select_one ${m_name}", "select_multiple ${m_name}"} {
		t.Run(typ, func(t *testing.T) {
			data := workbook(t,
				sheet{"survey", rows(
					"type         | name       | label",
					"begin_repeat | member     | Household member",
					"text         | m_name     | Name",
					"end_repeat   |            |",
					typ+"         | respondent | Which member is answering?",
					"text         | comments   | Anything else?",
				)},
				sheet{"settings", rows("form_title | form_id", "Roster | roster")},
			)
			s, rep, err := xlsform.ImportWith(bytes.NewReader(data), xlsform.Options{Repeats: true})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			_, respondent := s.Question("respondent")
			_, comments := s.Question("comments")
			_, name := s.Question("m_name")
			if respondent || !comments || !name {
				t.Errorf("imported respondent %v, comments %v, m_name %v", respondent, comments, name)
			}
			if len(rep.Dropped) != 1 || rep.Dropped[0].Name != "respondent" {
				t.Errorf("dropped %+v", rep.Dropped)
			}
			if p, ok := findProblem(rep.Problems, "choices from the answers of a repeat"); !ok || p.Cell != "A5" || p.Severity != xlsform.Warning {
				t.Errorf("problems:%s", listProblems(rep.Problems))
			}
		})
	}
}

// TestRepeatPositions: XPath's position(..) names the parent node, so a
// pyxform form asks for the instance of a question in a group in a repeat
// (a field-list page of each visit) as position(../..). Canvass's
// position(..) is the instance around the question whatever groups lie
// between: the import reads position(../..) there as position(..) (the form
// was refused: "position() is written position(..)"), the export writes it
// back as position(../..) for pyxform (it wrote position(..), which ODK
// reads as the group's position, always 1), a group's or the form's position is
// 1, and an outer repeat's instance, which Canvass cannot say, leaves the
// question out with a warning.
func TestRepeatPositions(t *testing.T) {
	data := workbook(t,
		sheet{"survey", rows(
			"type         | name    | label          | calculation         | repeat_count",
			"begin_group  | intro   | Intro          |                     |",
			"calculate    | one     |                | position(../..)     |",
			"end_group    |         |                |                     |",
			"begin_repeat | visits  | Visits         |                     | 2",
			"calculate    | vnum    |                | position(..)        |",
			"begin_group  | vdetail | Visit details  |                     |",
			"date         | vdate   | Date of visit  |                     |",
			"calculate    | vpos    |                | position(../..)     |",
			"calculate    | gpos    |                | position( .. / .. ) |",
			"calculate    | outer   |                | position(../../..)  |",
			"end_group    |         |                |                     |",
			"end_repeat   |         |                |                     |",
		)},
		sheet{"settings", rows("form_title | form_id", "Visits | visits")},
	)
	s, rep, err := xlsform.ImportWith(bytes.NewReader(data), xlsform.Options{Repeats: true})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	calc := func(s *survey.Survey, name string) string {
		q, ok := s.Question(name)
		if !ok {
			return "(left out)"
		}
		return q.Calculation
	}
	for name, want := range map[string]string{"one": "1", "vnum": "position(..)", "vpos": "position(..)", "gpos": "position(..)", "outer": "(left out)"} {
		if got := calc(s, name); got != want {
			t.Errorf("%s imported as %q, want %q", name, got, want)
		}
	}
	if p, ok := findProblem(rep.Problems, "outer repeat"); !ok || p.Cell != "D11" || p.Severity != xlsform.Warning {
		t.Errorf("problems:%s", listProblems(rep.Problems))
	}
	sess, err := run.New(run.Config{Survey: s})
	if err != nil {
		t.Fatal(err)
	}
	if a := sess.Answers(); a["visits[2]/vpos"] != "2" || a["visits[2]/vnum"] != "2" || a["one"] != "1" {
		t.Errorf("answers %v, want visit 2's vpos and vnum 2", a)
	}

	back, c := exportThroughPyxform(t, s)
	for _, want := range []string{
		`<bind nodeset="/data/visits/vnum" type="string" calculate="position(..)"/>`,
		`<bind nodeset="/data/visits/vdetail/vpos" type="string" calculate="position(../..)"/>`,
	} {
		if !strings.Contains(c.XForm, want) {
			t.Errorf("the XForm lacks %s:\n%s", want, c.XForm)
		}
	}
	if got := calc(back, "vpos"); got != "position(..)" {
		t.Errorf("re-imported vpos %q", got)
	}
}

// TestImportUncheckedGroupConstraint warns, at the cell, of a constraint
// Canvass does not check: on a plain group, or on a repeat whose count is
// set. A repeat's limits are not warned of.
func TestImportUncheckedGroupConstraint(t *testing.T) {
	data := workbook(t,
		sheet{"survey", rows(
			"type         | name   | label  | constraint           | repeat_count",
			"begin_group  | g      | G      | ${a} != ''           |",
			"text         | a      | A      |                      |",
			"end_group    |        |        |                      |",
			"begin_repeat | kids   | Kids   | count(${kids}) <= 3  | 2",
			"text         | b      | B      |                      |",
			"end_repeat   |        |        |                      |",
			"begin_repeat | people | People | count(${people}) >= 1 |",
			"text         | c      | C      |                      |",
			"end_repeat   |        |        |                      |",
		)},
		sheet{"settings", rows("form_id", "f")},
	)
	_, rep, err := xlsform.ImportWith(bytes.NewReader(data), xlsform.Options{Repeats: true})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	var cells []string
	for _, p := range rep.Problems {
		if p.Severity == xlsform.Warning && strings.Contains(p.Message, "is not checked") {
			cells = append(cells, p.Cell)
		}
	}
	if want := []string{"D2", "D5"}; !reflect.DeepEqual(cells, want) {
		t.Errorf("warned at %q, want %q; problems:%s", cells, want, listProblems(rep.Problems))
	}
}
