package xlsform_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"canvass/export/pyreaders"
	"canvass/survey"
	"canvass/survey/xlsform"
)

// testdata/forms/igbo-household.xls was written by xlwt (python3-xlwt),
// the writer behind many forms' old .xls copies: BIFF8 with a shared
// strings table, numbers as NUMBER and RK records, an English and an Igbo
// label column.
const xlsForm = "testdata/forms/igbo-household.xls"

func TestImportXLS(t *testing.T) {
	s, rep, err := xlsform.ImportFile(xlsForm)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if s.ID != "xlsform" || len(s.Languages) != 2 || s.Languages[1].Code != "ig" {
		t.Errorf("id %q, languages %v", s.ID, s.Languages)
	}
	age := question(t, s, "age")
	if age.Type != survey.TypeInteger || age.Label["ig"] != "Afọ ole?" || age.Constraint != ". >= 0" {
		t.Errorf("age %+v", age)
	}
	if ok := question(t, s, "ok"); ok.Relevant != "${age} > 18" {
		t.Errorf("relevant %q", ok.Relevant)
	}
	if d := question(t, s, "d"); d.Label["en"] != "2.5" {
		t.Errorf("a number cell as a label: %q", d.Label)
	}
	l, _ := s.List("yn")
	if len(l.Choices) != 3 || l.Choices[2].Name != "1" {
		t.Errorf("a number as a choice name: %+v", l.Choices)
	}
	if rep.SourceVersion != "2024031501" {
		t.Errorf("source version %q", rep.SourceVersion)
	}
	// pyxform reads the same file (through xlrd) to the same questions.
	conv := pyreaders.New(t).XForm(xlsForm)
	if m := missingPaths(t, s, conv.XForm); len(m) > 0 {
		t.Errorf("pyxform's XForm lacks %q", m)
	}
}

// TestImportDamagedXLS: an .xls file cut short, or not a workbook inside
// its compound file, is refused with a message, never a panic.
func TestImportDamagedXLS(t *testing.T) {
	data, err := os.ReadFile(xlsForm)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{8, 512, 1024, len(data) / 2} {
		_, _, err := xlsform.Import(bytes.NewReader(data[:n]))
		if err == nil {
			t.Errorf("cut at %d bytes: imported", n)
		}
	}
	flipped := bytes.Clone(data)
	for i := 600; i < len(flipped); i += 97 {
		flipped[i] ^= 0x5a
	}
	path := filepath.Join(t.TempDir(), "flipped.xls")
	if err := os.WriteFile(path, flipped, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := xlsform.ImportFile(path); err == nil {
		t.Log("a bit-flipped .xls still imported") // flips may land in unused space
	}
}

// TestImportHouseholdForm imports a field form of the usual shape (made
// from a markdown table by pyxform's own md_table_to_workbook): two
// languages, consent, a field-list group, a cascading select, a
// jr:choice-name label, select_multiple with an "other" text, a geopoint,
// a photo and a repeat. What Canvass cannot run is dropped and counted;
// the repeat is kept, with its question inside.
func TestImportHouseholdForm(t *testing.T) {
	s, rep, err := xlsform.ImportFile("testdata/forms/household.xlsx")
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	want := "imported 9 of 11 questions; dropped: gps (row 17: location questions (geopoint) are not supported), photo (row 18: photo questions (image) are not supported)"
	if got := rep.Summary(); got != want {
		t.Errorf("summary\n%s\nwant\n%s", got, want)
	}
	if m := question(t, s, "members"); m.Repeat == nil || len(m.Questions) != 1 || m.Questions[0].Name != "m_name" {
		t.Errorf("members: repeat %+v with %d questions, want a repeat holding m_name", m.Repeat, len(m.Questions))
	}
	if c := question(t, s, "district_label").Calculation; c != "instance('district')/root/item[name = ${district}]/label" {
		t.Errorf("district_label %q", c)
	}
	if s.ID != "hh_2024" || rep.SourceVersion != "2024031501" || len(s.Languages) != 2 {
		t.Errorf("id %q, source version %q, languages %v", s.ID, rep.SourceVersion, s.Languages)
	}
}
