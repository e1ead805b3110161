package openrosa_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/openrosa"
)

// repeatXForm is the model of repeatSurvey as pyxform 4.5 writes it (the
// repeats twice: a jr:template and a first instance), with a group around
// "after" to check plain nesting.
const repeatXForm = `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
<h:head><h:title>Household</h:title><model odk:xforms-version="1.0.0" xmlns:odk="http://www.opendatakit.org/xforms">
<instance><data id="hh" version="1">
  <people jr:template=""><first/><age/><pets jr:template=""><pet/></pets><pets><pet/></pets></people>
  <people><first/><age/><pets jr:template=""><pet/></pets><pets><pet/></pets></people>
  <end_g><after/></end_g>
  <meta><instanceID/></meta>
</data></instance>
<instance id="other"><root><item><name>x</name></item></root></instance>
</model></h:head><h:body/></h:html>`

func repeatShape(t testing.TB) (*openrosa.Shape, *survey.Survey) {
	t.Helper()
	sh, err := openrosa.ParseShape([]byte(repeatXForm))
	if err != nil {
		t.Fatal(err)
	}
	def := repeatSurvey()
	def.Questions = append(def.Questions, &survey.Question{Type: survey.TypeGroup, Name: "end_g", Questions: []*survey.Question{
		{Type: survey.TypeText, Name: "after", Label: survey.En("After")},
	}})
	def.Questions = slices.Delete(def.Questions, 1, 2) // "after" now lives in end_g
	return sh, def
}

// collectXML is a submission as ODK Collect sends one: three people, the
// first with two pets, no templates, values with surrounding white space.
const collectXML = `<?xml version='1.0' ?><data id="hh" version="1" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">
<people><first>Ann</first><age>41</age><pets><pet>cat</pet></pets><pets><pet>dog</pet></pets></people>
<people><first>Bob &amp; co</first><age/></people>
<people><first> Cat </first><age>9</age><pets><pet>fish</pet></pets></people>
<end_g><after>done</after></end_g>
<meta><instanceID>uuid:6f1c9c1e-1111-4a55-9a0e-000000000001</instanceID><deprecatedID>uuid:old</deprecatedID></meta></data>`

func TestParseSubmissionReadsRepeats(t *testing.T) {
	sh, def := repeatShape(t)
	got, err := sh.ParseSubmission(def, []byte(collectXML))
	if err != nil {
		t.Fatal(err)
	}
	want := survey.Answers{
		"people[1]/first": "Ann", "people[1]/age": "41", "people[1]/pets[1]/pet": "cat", "people[1]/pets[2]/pet": "dog",
		"people[2]/first": "Bob & co", "people[3]/first": "Cat", "people[3]/age": "9", "people[3]/pets[1]/pet": "fish",
		"after": "done",
	}
	if !maps.Equal(got.Answers, want) {
		t.Errorf("answers = %v\nwant %v", got.Answers, want)
	}
	if got.InstanceID != "uuid:6f1c9c1e-1111-4a55-9a0e-000000000001" || got.DeprecatedID != "uuid:old" {
		t.Errorf("ids = %q, %q", got.InstanceID, got.DeprecatedID)
	}

	t.Run("jr:template placeholders are dropped", func(t *testing.T) {
		xml := strings.Replace(collectXML, "<people>", `<people jr:template=""><first>TEMPLATE</first><pets jr:template=""><pet>T</pet></pets></people><people>`, 1)
		got, err := sh.ParseSubmission(def, []byte(xml))
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got.Answers, want) {
			t.Errorf("answers = %v\nwant %v", got.Answers, want)
		}
	})
	t.Run("what the writer sends reads back the same", func(t *testing.T) {
		r := &survey.Response{ID: "r1", Started: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC), Answers: want}
		xml, err := sh.Instance(def, r, openrosa.Submission{InstanceID: "uuid:r1"}, openrosa.InstanceOptions{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		back, err := sh.ParseSubmission(def, xml)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(back.Answers, want) || back.InstanceID != "uuid:r1" {
			t.Errorf("read back %v (%s)\nwant %v", back.Answers, back.InstanceID, want)
		}
	})
}

func TestParseSubmissionRefusesHostileXML(t *testing.T) {
	sh, def := repeatShape(t)
	wrap := func(body string) string {
		return `<data id="hh" version="1">` + body + `<meta><instanceID>uuid:x</instanceID></meta></data>`
	}
	deep := strings.Repeat("<people>", 100) + strings.Repeat("</people>", 100)
	deepPets := "<people>" + strings.Repeat("<pets>", 70) + strings.Repeat("</pets>", 70) + "</people>"
	cases := []struct {
		name, xml string
		want      []string // all in the message
	}{
		{"a repeat element 100,000 times", wrap(strings.Repeat("<people><first>a</first></people>", 100_000)),
			[]string{"more than 9999 repeat instances", "/data/people[10000]"}},
		{"an instance index past MaxInstances, nested", wrap("<people>" + strings.Repeat("<pets><pet>p</pet></pets>", survey.MaxInstances+1) + "</people>"),
			[]string{"more than 9999", "/data/people[1]/pets[9999]"}},
		{"deep nesting of a repeat in itself", wrap(deep), []string{"/data/people[1]", "<people>", "does not have there"}},
		{"deep nesting of pets in pets", wrap(deepPets), []string{"/data/people[1]/pets[1]", "<pets>"}},
		{"deep nesting of unknown elements", wrap(strings.Repeat("<x>", 10_000) + strings.Repeat("</x>", 10_000)), []string{"/data holds <x>"}},
		{"an unknown element in an instance", wrap("<people><first>a</first><shoe>9</shoe></people>"), []string{"/data/people[1] holds <shoe>"}},
		{"an element inside a question", wrap("<people><first><b>a</b></first></people>"), []string{"/data/people[1]/first is a question", "<b>"}},
		{"a plain element twice", wrap("<people><first>a</first><first>b</first></people>"), []string{"/data/people[1]/first is given twice"}},
		{"text in a group", wrap("<end_g>hello<after>x</after></end_g>"), []string{"/data/end_g is a group", "hello"}},
		{"another form", `<other id="zz"><a/></other>`, []string{`not a submission of form "hh"`}},
		{"another version", `<data id="hh" version="2"><after/></data>`, []string{`version "2"`}},
		{"a value too large", wrap("<end_g><after>" + strings.Repeat("x", openrosa.MaxValueBytes+1) + "</after></end_g>"), []string{"/data/end_g/after", "more than"}},
		{"cut short", `<data id="hh" version="1"><people><first>a</first>`, []string{"not well-formed"}},
		{"empty", ``, []string{"empty or cut short"}},
		{"two roots", wrap("") + `<data id="hh" version="1"/>`, []string{"a second root", "<data>"}},
		{"template on a plain element", wrap(`<end_g jr:template="" xmlns:jr="http://openrosa.org/javarosa"/>`), []string{"jr:template", "not a repeat"}},
		{"an entity", `<!DOCTYPE d [<!ENTITY e "x">]><data id="hh" version="1"><end_g><after>&e;</after></end_g></data>`, []string{"not well-formed"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := sh.ParseSubmission(def, []byte(c.xml))
			if !errors.Is(err, openrosa.ErrBadSubmission) || got != nil {
				t.Fatalf("got %v, %v; want a refusal", got, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err, w)
				}
			}
		})
	}
}

// FuzzParseSubmission feeds repeat content to the parser: it never
// panics, and whatever it accepts has keys Canvass can read, within the
// limits, and writes back to XML that reads back the same.
func FuzzParseSubmission(f *testing.F) {
	sh, def := repeatShape(f)
	f.Add([]byte(collectXML))
	f.Add([]byte(`<data id="hh" version="1"><people jr:template=""><first>T</first></people><people><pets><pet>a</pet></pets><pets/></people></data>`))
	f.Add([]byte(`<data id="hh" version="1"><people><first>a</first></people><people/><people><age>3</age></people></data>`))
	f.Add([]byte(`<data id="hh" version="1"><people><people/></people></data>`))
	f.Add([]byte(`<data id="hh" version="1"><end_g><after>&lt;&amp;</after></end_g><meta><instanceID>uuid:1</instanceID></meta></data>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := sh.ParseSubmission(def, data)
		if err != nil {
			if got != nil || !errors.Is(err, openrosa.ErrBadSubmission) {
				t.Fatalf("refusal with a result or without ErrBadSubmission: %v, %v", got, err)
			}
			return
		}
		for k := range got.Answers {
			if _, _, err := survey.ParseKey(k); err != nil {
				t.Fatalf("key %q: %v", k, err)
			}
		}
		r := &survey.Response{ID: "r", Started: time.Unix(0, 0).UTC(), Answers: got.Answers}
		xml, err := sh.Instance(def, r, openrosa.Submission{InstanceID: "uuid:r"}, openrosa.InstanceOptions{Location: time.UTC})
		if err != nil {
			t.Fatalf("write back %v: %v", got.Answers, err)
		}
		back, err := sh.ParseSubmission(def, xml)
		if err != nil {
			t.Fatalf("read back %s: %v", xml, err)
		}
		if !maps.Equal(back.Answers, got.Answers) {
			t.Fatalf("read back %v, want %v", back.Answers, got.Answers)
		}
	})
}
