package xlsform_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"canvass/export/pyreaders"
	"canvass/survey"
	"canvass/survey/xlsform"
)

// interopCase is a form pyxform accepts that Canvass must import too.
type interopCase struct {
	name   string
	file   string // the file name it is imported under
	sheets []sheet
	check  func(t *testing.T, s *survey.Survey, rep *xlsform.Report)
}

func yesNo() sheet {
	return sheet{"choices", rows("list_name | name | label", "yn | yes | Yes", "yn | no | No")}
}

// warned fails t unless a warning contains fragment.
func warned(t *testing.T, rep *xlsform.Report, fragment string) {
	t.Helper()
	if _, ok := findProblem(rep.Warnings(), fragment); !ok {
		t.Errorf("no warning mentions %q:%s", fragment, listProblems(rep.Problems))
	}
}

func question(t *testing.T, s *survey.Survey, name string) *survey.Question {
	t.Helper()
	for _, q := range s.All() {
		if q.Name == name {
			return q
		}
	}
	t.Fatalf("no question %q in %s", name, toJSON(s))
	return nil
}

var interopCases = []interopCase{
	{
		name: "1 no settings sheet: the id comes from the file name", file: "household survey-v2.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label", "text | a | A")}},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			if s.ID != "household_survey-v2" || s.Title.In("en", "") != "household_survey-v2" {
				t.Errorf("id %q, title %q", s.ID, s.Title)
			}
			warned(t, rep, `named "household_survey-v2" after its file`)
		},
	},
	{
		name: "1 settings without form_id", file: "clinic.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label", "text | a | A")}, {"settings", rows("form_title | version", "Clinic visit | 3")}},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			if s.ID != "clinic" || s.Title.In("en", "") != "Clinic visit" || s.Version != 3 {
				t.Errorf("id %q, title %q, version %d", s.ID, s.Title, s.Version)
			}
		},
	},
	{
		name: "2 type aliases", file: "aliases.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label",
			"select one from yn | a | A",
			"select all that apply from yn | b | B",
			"select_one yn or specify other | c | C",
			"add integer prompt | d | D",
			"add text prompt | e | E",
			"imei | f |",
			"uri:deviceid | g |",
			"gps | h | H",
			"add image prompt | i | I",
			"begin group | grp | G",
			"q string | j | J",
			"end group | |",
			"get today | k |",
			"select1 yn | l | L",
			"add select multiple prompt using yn | m | M",
			"trigger | n | N",
			"percentage | o | O",
		)}, yesNo()},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			want := map[string]survey.Type{
				"a": survey.TypeSelectOne, "b": survey.TypeSelectMultiple, "c": survey.TypeSelectOne,
				"d": survey.TypeInteger, "e": survey.TypeText, "f": survey.TypeDeviceID, "g": survey.TypeDeviceID,
				"j": survey.TypeText, "k": survey.TypeToday, "l": survey.TypeSelectOne, "m": survey.TypeSelectMultiple,
				"n": survey.TypeAcknowledge, "o": survey.TypeInteger,
			}
			for name, typ := range want {
				if q := question(t, s, name); q.Type != typ {
					t.Errorf("%s: type %s, want %s", name, q.Type, typ)
				}
			}
			if !question(t, s, "c").OrOther {
				t.Error("c: or specify other was lost")
			}
			if rep.Questions != 12 || rep.Imported != 10 || len(rep.Dropped) != 2 {
				t.Errorf("imported %d of %d, dropped %+v", rep.Imported, rep.Questions, rep.Dropped)
			}
			if got := rep.Summary(); !strings.HasPrefix(got, "imported 10 of 12 questions; dropped: h (row 9: location questions (gps) are not supported), i (row 10: photo questions (add image prompt)") {
				t.Errorf("summary %q", got)
			}
		},
	},
	{
		name: "3 curly quotes in expressions", file: "quotes.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label | relevant | constraint",
			"select_one yn | a | A ‘quoted’ label | |",
			"text | b | B | ${a} = ’yes’ | . != “none”",
		)}, yesNo()},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			b := question(t, s, "b")
			if b.Relevant != "${a} = 'yes'" || b.Constraint != `. != "none"` {
				t.Errorf("relevant %q, constraint %q", b.Relevant, b.Constraint)
			}
			if question(t, s, "a").Label["en"] != "A ‘quoted’ label" {
				t.Error("labels keep their typographic quotes")
			}
		},
	},
	{
		name: "4 names unique per group", file: "permission.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label | relevant",
			"begin_group | permission | Permission |",
			"select_one yn | permission | May we ask? |",
			"end_group | | |",
			"begin_group | visit | Visit |",
			"text | permission | Visit permission |",
			"end_group | | |",
			"select_one yn | other | Other | ${visit} != ''",
		)}, yesNo()},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			if s.Questions[0].Name != "permission" || s.Questions[0].Questions[0].Name != "permission_permission" || s.Questions[1].Questions[0].Name != "visit_permission" {
				t.Errorf("names %s", toJSON(s.Questions))
			}
			warned(t, rep, `name "permission" is also used in row 2: Canvass stores answers by name, so this one was renamed "permission_permission"`)
		},
	},
	{
		name: "5 spaces in select_one choice names", file: "spaces.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label", "select_one place | a | A")},
			{"choices", rows("list_name | name | label", "place | at home | At home", "place | at work | At work")}},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			if l, _ := s.List("place"); len(l.Choices) != 2 || l.Choices[0].Name != "at home" {
				t.Errorf("list %+v", l)
			}
		},
	},
	{
		name: "6 allow_choice_duplicates", file: "cascade.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label | choice_filter",
			"select_one region | region | Region |", "select_one town | town | Town | region = ${region}")},
			{"choices", rows("list_name | name | label | region",
				"region | north | North |", "region | south | South |",
				"town | other | Other | north", "town | other | Other | south", "town | leeds | Leeds | north")},
			{"settings", rows("form_id | allow_choice_duplicates", "cascade | yes")}},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			if !s.AllowChoiceDuplicates {
				t.Error("the setting was lost")
			}
			if l, _ := s.List("town"); len(l.Choices) != 3 {
				t.Errorf("town list %+v", l)
			}
		},
	},
	{
		name: "7 colons and dots in list names and form_id", file: "colons.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label", "select_one yn:v2 | a | A", "select_one org.lists.yn | b | B")},
			{"choices", rows("list_name | name | label", "yn:v2 | yes | Yes", "yn:v2 | no | No", "org.lists.yn | yes | Yes")},
			{"settings", rows("form_id", "org.example:household")}},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			if s.ID != "org.example:household" || question(t, s, "a").List != "yn:v2" || question(t, s, "b").List != "org.lists.yn" {
				t.Errorf("id %q, lists %q %q", s.ID, question(t, s, "a").List, question(t, s, "b").List)
			}
		},
	},
	{
		name: "8 languages without codes, fallbacks", file: "igbo.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label::English (en) | label::Igbo | label::Local language | image",
			"text | a | Name | Aha | Local name |",
			"text | b | Age | | |",
			"note | c | | | | logo.png",
		)}, {"settings", rows("form_id | default_language", "igbo | English (en)")}},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			var codes []string
			for _, l := range s.Languages {
				codes = append(codes, l.Code+"="+l.Name)
			}
			if !slices.Equal(codes, []string{"en=English", "ig=Igbo", "x-local-language=Local language"}) {
				t.Errorf("languages %q", codes)
			}
			if b := question(t, s, "b").Label; b["ig"] != "Age" || b["x-local-language"] != "Age" {
				t.Errorf("b's label %q: want the English text in the other languages", b)
			}
			if c := question(t, s, "c").Label; c["en"] != "c" {
				t.Errorf("c's label %q: want its name", c)
			}
			warned(t, rep, "1 question has no Igbo (ig) label, in rows 3: it shows the English (en) label instead")
			warned(t, rep, `has no language code: it was kept as "x-local-language"`)
			warned(t, rep, "1 question has no label (perhaps only an image), in rows 4: it is shown by name instead")
		},
	},
	{
		name: "9 a note without a name", file: "notes.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label", "note | | Welcome", "text | a | A")}},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			if s.Questions[0].Name != "generated_note_name_2" {
				t.Errorf("note named %q", s.Questions[0].Name)
			}
		},
	},
	{
		name: "12 lookups in a list and current()", file: "lookup.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label | calculation | choice_filter",
			"select_one region | region | Region | |",
			"calculate | region_label | | instance('region')/root/item[name = ${region}]/label |",
			"select_one town | town | Town in ${region_label} | | region = current()/../region",
			"note | said | You chose ${region_label} | |",
			"calculate | town_name | | concat('Town: ', jr:choice-name( ${town}, '${town}')) |",
		)}, {"choices", rows("list_name | name | label | region",
			"region | n | North |", "region | s | South |", "town | leeds | Leeds | n", "town | bath | Bath | s")}},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			if c := question(t, s, "region_label").Calculation; c != "instance('region')/root/item[name = ${region}]/label" {
				t.Errorf("calculation %q", c)
			}
			if c := question(t, s, "town_name").Calculation; c != "concat('Town: ', instance('town')/root/item[name = ${town}]/label)" {
				t.Errorf("jr:choice-name became %q", c)
			}
			if f := question(t, s, "town").ChoiceFilter; f != "region = ${region}" {
				t.Errorf("choice_filter %q: want current()/../region as ${region}", f)
			}
			if len(rep.Dropped) != 0 {
				t.Errorf("dropped %+v", rep.Dropped)
			}
		},
	},
	{
		name: "single-colon language headers and osm", file: "yes_or_no.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label:english | jr:constraintMsg:english | constraint",
			"select one from yes_or_no | good_day | Good day? | | ",
			"integer | age | Age | Too old | . < 150",
			"osm buildings | building | Building |  |")},
			{"choices", rows("list name | name | label:english", "yes_or_no | yes | Yes", "yes_or_no | no | No", "buildings | house | House")}},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			if age := question(t, s, "age"); age.Label["en"] != "Age" || age.ConstraintMessage["en"] != "Too old" {
				t.Errorf("age %+v", age)
			}
			if len(rep.Dropped) != 1 || rep.Dropped[0].Name != "building" {
				t.Errorf("dropped %+v", rep.Dropped)
			}
		},
	},
	{
		name: "a form_id with spaces", file: "spaces-id.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label", "text | a | A")}, {"settings", rows("form_id", "Household Survey (2024)")}},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			if s.ID != "Household_Survey__2024" {
				t.Errorf("id %q", s.ID)
			}
			warned(t, rep, `so it was imported as "Household_Survey__2024"`)
		},
	},
	{
		name: "names with accents", file: "accents.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label | relevant",
			"integer | âge | Âge |",
			"text | niño | Nombre del niño |",
			"note | saludo | Hola ${niño} | ${âge} > 18",
			"text | age | Another age |")}},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			if n := question(t, s, "saludo"); n.Relevant != "${age_2} > 18" || n.Label["en"] != "Hola ${nino}" {
				t.Errorf("saludo %+v", n)
			}
			question(t, s, "age_2")
			question(t, s, "age")
			warned(t, rep, `name "âge" has letters Canvass does not use in names: it was renamed "age_2"`)
		},
	},
	{
		name: "10 phone metadata", file: "meta.xlsx",
		sheets: []sheet{{"survey", rows("type | name | label",
			"username | user |", "email | mail |", "phonenumber | phone |", "subscriberid | sub |", "simserial | sim |", "text | a | A")}},
		check: func(t *testing.T, s *survey.Survey, rep *xlsform.Report) {
			for name, typ := range map[string]survey.Type{"user": survey.TypeUsername, "mail": survey.TypeEmail, "phone": survey.TypePhoneNumber, "sub": survey.TypeSubscriberID, "sim": survey.TypeSimSerial} {
				if q := question(t, s, name); q.Type != typ || !q.Type.IsMetadata() {
					t.Errorf("%s: type %s", name, q.Type)
				}
			}
			for _, w := range rep.Warnings() {
				if w.Sheet == "survey" {
					t.Errorf("warning: %s", w)
				}
			}
		},
	},
}

// TestImportWhatPyxformAccepts imports forms that pyxform converts and
// Canvass used to refuse, then checks pyxform does convert each one.
func TestImportWhatPyxformAccepts(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, c := range interopCases {
		path := filepath.Join(dir, c.file)
		if err := os.WriteFile(path, workbook(t, c.sheets...), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
		t.Run(c.name, func(t *testing.T) {
			s, rep, err := xlsform.ImportFile(path)
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			c.check(t, s, rep)
			// And the survey survives our own export.
			var buf bytes.Buffer
			if err := xlsform.Export(s, &buf); err != nil {
				t.Fatalf("export: %v", err)
			}
			back, _ := mustImport(t, buf.Bytes())
			if d := firstDifference(s, back); d != "" {
				t.Errorf("export and import again differs at %s", d)
			}
		})
	}
	py := pyreaders.New(t)
	for i, c := range py.XForms(paths...) {
		if c.Error != "" {
			t.Errorf("%s: pyxform refuses it too: %s", interopCases[i].name, c.Error)
		}
	}
}

// TestStillRefused: what pyxform refuses, or what Canvass cannot store,
// stays refused with its place.
func TestStillRefused(t *testing.T) {
	cases := []struct {
		name     string
		sheets   []sheet
		fragment string
		cell     string
	}{
		{"ambiguous reference", []sheet{{"survey", rows("type | name | label | relevant",
			"begin_group | g1 | G1 |", "text | x | X |", "end_group | | |",
			"begin_group | g2 | G2 |", "text | x | X again |", "end_group | | |",
			"text | y | Y | ${x} = 'a'")}},
			"refers to ${x}, but several questions have that name (rows 3, 6)", "D8"},
		{"same name twice in one group", []sheet{{"survey", rows("type | name | label",
			"begin_group | g | G", "text | x | X", "text | x | X again", "end_group | |")}},
			`name "x" is used twice in the group "g" (rows 3 and 4)`, "B4"},
		{"space in a select_multiple choice", []sheet{{"survey", rows("type | name | label", "select_multiple place | a | A")},
			{"choices", rows("list_name | name | label", "place | at home | At home")}},
			`choice name "at home" has a space: list "place" is used by the select_multiple question "a" (row 2)`, "B2"},
		{"space in a rank choice", []sheet{{"survey", rows("type | name | label", "rank place | a | A")},
			{"choices", rows("list_name | name | label", "place | at home | At home")}},
			`used by the rank question "a"`, "B2"},
		{"duplicate choice without the setting", []sheet{{"survey", rows("type | name | label", "select_one yn | a | A")},
			{"choices", rows("list_name | name | label", "yn | yes | Yes", "yn | yes | Yes")}},
			"set allow_choice_duplicates to yes", "B3"},
		{"a question without a name", []sheet{{"survey", rows("type | name | label", "text | | A")}},
			"the question has no name", "B2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ie, _ := mustFail(t, workbook(t, c.sheets...))
			p, ok := findProblem(ie.Problems, c.fragment)
			if !ok {
				t.Fatalf("no error mentions %q:%s", c.fragment, listProblems(ie.Problems))
			}
			if p.Cell != c.cell {
				t.Errorf("placed at %q, want %q", p.Cell, c.cell)
			}
		})
	}
}
