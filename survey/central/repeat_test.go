package central_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/central"
	"canvass/survey/central/centraltest"
	"canvass/survey/run"
	"canvass/survey/store"
	"canvass/survey/xlsform"
)

// repeatHousehold has a repeat of people (the noun "person", a personal
// name, an age, the instance's position) holding a repeat of pets, a
// repeat of children whose count an earlier answer sets (repeat_count),
// and aggregates over the people.
func repeatHousehold() *survey.Survey {
	return &survey.Survey{ID: "hhrep", Version: 1, Title: survey.En("Household with repeats"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeInteger, Name: "nkids", Label: survey.En("How many children?")},
			{Type: survey.TypeGroup, Name: "people", Label: survey.En("People"), Repeat: &survey.Repeat{Item: survey.En("person")},
				Questions: []*survey.Question{
					{Type: survey.TypeText, Name: "first", Label: survey.En("Name"), Personal: true},
					{Type: survey.TypeInteger, Name: "age", Label: survey.En("Age of ${first}")},
					{Type: survey.TypeCalculate, Name: "pos", Calculation: "position(..)"},
					{Type: survey.TypeGroup, Name: "pets", Label: survey.En("Pets"), Repeat: &survey.Repeat{Item: survey.En("pet")},
						Questions: []*survey.Question{
							{Type: survey.TypeText, Name: "pet", Label: survey.En("Pet")},
						}},
				}},
			{Type: survey.TypeGroup, Name: "kids", Label: survey.En("Children"), Repeat: &survey.Repeat{Count: "${nkids}", Item: survey.En("child")},
				Questions: []*survey.Question{
					{Type: survey.TypeText, Name: "kid", Label: survey.En("Child's name"), Personal: true},
				}},
			{Type: survey.TypeCalculate, Name: "howmany", Calculation: "count(${people})"},
			{Type: survey.TypeCalculate, Name: "total_age", Calculation: "sum(${age})"},
			{Type: survey.TypeText, Name: "after", Label: survey.En("Anything else?")},
		}}
}

// answerThroughEngine answers repeatHousehold as a respondent would: three
// people (Ann with two pets, Bob, Cat with one), two children, then the
// second person removed before submitting, so Cat becomes people[2].
func answerThroughEngine(t *testing.T, st *store.Store, def *survey.Survey) string {
	t.Helper()
	ctx := context.Background()
	se, err := run.New(run.Config{Survey: def, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	answer := func(key, v string) {
		t.Helper()
		if c, _ := se.Answer(key, v); !c.OK() {
			t.Fatalf("answer %s = %q: %s", key, v, c.Detail)
		}
	}
	add := func(key string) {
		t.Helper()
		if err := se.AddInstance(key); err != nil {
			t.Fatal(err)
		}
	}
	answer("nkids", "2")
	for i, p := range []struct{ name, age string }{{"Ann", "41"}, {"Bob", "40"}, {"Cat", "9"}} {
		add("people")
		k := "people[" + string(rune('1'+i)) + "]"
		answer(k+"/first", p.name)
		answer(k+"/age", p.age)
	}
	add("people[1]/pets")
	answer("people[1]/pets[1]/pet", "cat")
	add("people[1]/pets")
	answer("people[1]/pets[2]/pet", "dog")
	add("people[3]/pets")
	answer("people[3]/pets[1]/pet", "fish")
	answer("kids[1]/kid", "Dee")
	answer("kids[2]/kid", "Eve")
	answer("after", "Thanks & bye")
	if err := se.RemoveInstance(ctx, "people[2]"); err != nil {
		t.Fatal(err)
	}
	if page, problems := se.Finish(); page >= 0 {
		t.Fatalf("finish: page %d: %v", page, problems)
	}
	if err := se.Submit(ctx, nil); err != nil {
		t.Fatal(err)
	}
	resp, err := st.Response(ctx, se.ResponseID())
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"people[1]/first": "Ann", "people[2]/first": "Cat", "people[2]/pets[1]/pet": "fish", "kids[2]/kid": "Eve"} {
		if resp.Answers[k] != v {
			t.Fatalf("stored %s = %q, want %q (answers %v)", k, resp.Answers[k], v, resp.Answers)
		}
	}
	if _, ok := resp.Answers["people[3]/first"]; ok {
		t.Fatalf("the removed person left people[3] behind: %v", resp.Answers)
	}
	return resp.ID
}

// rowsOf picks columns of a table, one line per row: "KEY|PARENT_KEY|col…".
func rowsOf(rows []map[string]string, cols ...string) []string {
	var out []string
	for _, r := range rows {
		line := []string{r["KEY"], r["PARENT_KEY"]}
		for _, c := range cols {
			line = append(line, r[c])
		}
		out = append(out, strings.Join(line, "|"))
	}
	return out
}

// TestRepeatsThroughCentral publishes a survey with repeats (nested, a
// repeat_count one, the repeat_item column) to the real ODK Central, which
// converts it with its own pyxform, answers it through the engine (the
// second of three people removed before submitting), pushes it, and reads
// Central's own CSV export back: one table per repeat, rows in instance
// order, each naming its parent. Personal answers inside instances are
// left out when asked, on a second server project.
func TestRepeatsThroughCentral(t *testing.T) {
	srv := centraltest.Need(t)
	ctx := context.Background()
	st := openStore(t)
	def, err := st.SaveSurvey(ctx, repeatHousehold())
	if err != nil {
		t.Fatal(err)
	}
	p := srv.NewProject(t)
	conn := connect(t, st, p)
	if _, err := conn.Publish(ctx, def, central.PublishOptions{}); err != nil {
		t.Fatalf("Central refused the survey with repeats: %v", err)
	}
	xform := string(p.Do(t, "GET", p.Path("/forms/hhrep.xml"), "", nil))
	for _, want := range []string{`<repeat nodeset="/data/people"`, `<repeat nodeset="/data/people/pets"`, `jr:count=" /data/nkids "`, `jr:template=""`} {
		if !strings.Contains(xform, want) {
			t.Errorf("Central's XForm lacks %s:\n%s", want, xform)
		}
	}
	// Central keeps the XLSForm with its repeat_item column: read back, the nouns are there.
	xlsx := filepath.Join(t.TempDir(), "central.xlsx")
	if err := os.WriteFile(xlsx, p.Do(t, "GET", p.Path("/forms/hhrep.xlsx"), "", nil), 0o600); err != nil {
		t.Fatal(err)
	}
	back, _, err := xlsform.ImportFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	for name, noun := range map[string]string{"people": "person", "pets": "pet", "kids": "child"} {
		if q, _ := back.Question(name); q == nil || q.Repeat == nil || q.Repeat.Item.In("en", "") != noun {
			t.Errorf("Central's XLSForm read back: repeat %s = %+v, want the noun %q", name, q, noun)
		}
	}

	id := answerThroughEngine(t, st, def)
	sum, err := conn.Push(ctx, def.ID, central.PushOptions{Location: time.UTC})
	if err != nil || sum.Sent != 1 || sum.Refused != 0 {
		t.Fatalf("push: %+v, %v", sum, err)
	}
	root := "uuid:" + id
	tables := p.SubmissionsZip(t, "hhrep")
	main := tables["hhrep.csv"]
	if len(main) != 1 || main[0]["KEY"] != root || main[0]["nkids"] != "2" || main[0]["after"] != "Thanks & bye" ||
		main[0]["howmany"] != "2" || main[0]["total_age"] != "50" {
		t.Errorf("Central's main table: %v", main)
	}
	want := map[string][]string{
		"hhrep-people.csv": {root + "/people[1]|" + root + "|Ann|41|1", root + "/people[2]|" + root + "|Cat|9|2"},
		"hhrep-pets.csv": {root + "/people[1]/pets[1]|" + root + "/people[1]|cat", root + "/people[1]/pets[2]|" + root + "/people[1]|dog",
			root + "/people[2]/pets[1]|" + root + "/people[2]|fish"},
		"hhrep-kids.csv": {root + "/kids[1]|" + root + "|Dee", root + "/kids[2]|" + root + "|Eve"},
	}
	cols := map[string][]string{"hhrep-people.csv": {"first", "age", "pos"}, "hhrep-pets.csv": {"pet"}, "hhrep-kids.csv": {"kid"}}
	for file, w := range want {
		got := rowsOf(tables[file], cols[file]...)
		if strings.Join(got, "\n") != strings.Join(w, "\n") {
			t.Errorf("Central's %s:\n%s\nwant\n%s\n(all rows: %v)", file, strings.Join(got, "\n"), strings.Join(w, "\n"), tables[file])
		}
	}
	t.Run("again: already there", func(t *testing.T) {
		sum, err := conn.Push(ctx, def.ID, central.PushOptions{Location: time.UTC})
		if err != nil || sum.AlreadyThere != 1 || sum.Sent+sum.Edited != 0 {
			t.Fatalf("second push: %+v, %v", sum, err)
		}
	})
	t.Run("personal answers inside instances left out", func(t *testing.T) {
		p2 := srv.NewProject(t)
		conn2 := connect(t, st, p2)
		if _, err := conn2.Publish(ctx, def, central.PublishOptions{}); err != nil {
			t.Fatal(err)
		}
		sum, err := conn2.Push(ctx, def.ID, central.PushOptions{Location: time.UTC, LeaveOutPersonal: true})
		if err != nil || sum.Sent != 1 {
			t.Fatalf("push: %+v, %v", sum, err)
		}
		tables := p2.SubmissionsZip(t, "hhrep")
		want := map[string][]string{
			"hhrep-people.csv": {root + "/people[1]|" + root + "||41|1", root + "/people[2]|" + root + "||9|2"},
			"hhrep-pets.csv": {root + "/people[1]/pets[1]|" + root + "/people[1]|cat", root + "/people[1]/pets[2]|" + root + "/people[1]|dog",
				root + "/people[2]/pets[1]|" + root + "/people[2]|fish"},
			"hhrep-kids.csv": {root + "/kids[1]|" + root + "|", root + "/kids[2]|" + root + "|"},
		}
		for file, w := range want {
			got := rowsOf(tables[file], cols[file]...)
			if strings.Join(got, "\n") != strings.Join(w, "\n") {
				t.Errorf("Central's %s:\n%s\nwant\n%s", file, strings.Join(got, "\n"), strings.Join(w, "\n"))
			}
		}
		for _, rows := range tables {
			for _, r := range rows {
				for col, v := range r {
					if v == "Ann" || v == "Cat" || v == "Dee" || v == "Eve" {
						t.Errorf("personal answer %q sent in %s", v, col)
					}
				}
			}
		}
	})
}
