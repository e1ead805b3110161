package central_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/url"
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

// publishRepeats publishes repeatHousehold to a new project of the real Central.
func publishRepeats(t *testing.T) (*centraltest.Server, *store.Store, *survey.Survey, *centraltest.Project, *central.Conn) {
	t.Helper()
	srv := centraltest.Need(t)
	st := openStore(t)
	def, err := st.SaveSurvey(context.Background(), repeatHousehold())
	if err != nil {
		t.Fatal(err)
	}
	p := srv.NewProject(t)
	conn := connect(t, st, p)
	if _, err := conn.Publish(context.Background(), def, central.PublishOptions{}); err != nil {
		t.Fatalf("Central refused the survey with repeats: %v", err)
	}
	return srv, st, def, p, conn
}

// TestRepeatsThroughCentral publishes a survey with repeats (nested, a
// repeat_count one, the repeat_item column) to the real ODK Central, which
// converts it with its own pyxform, answers it through the engine (the
// second of three people removed before submitting), pushes it, and reads
// Central's own CSV export back: one table per repeat, rows in instance
// order, each naming its parent. Personal answers inside instances are
// left out when asked, on a second server project.
func TestRepeatsThroughCentral(t *testing.T) {
	srv, st, def, p, conn := publishRepeats(t)
	ctx := context.Background()
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
	t.Run("Central's OData lists the instances of the submission in order", func(t *testing.T) {
		b := p.Do(t, "GET", p.Path("/forms/hhrep.svc/Submissions('"+url.PathEscape(root)+"')/people"), "", nil)
		var got struct {
			Value []struct {
				First  string `json:"first"`
				Parent string `json:"__Submissions-id"`
			} `json:"value"`
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Value) != 2 || got.Value[0].First != "Ann" || got.Value[1].First != "Cat" || got.Value[0].Parent != root || got.Value[1].Parent != root {
			t.Errorf("Central's OData people of %s: %s", root, b)
		}
	})
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

// collectSubmission is a submission of repeatHousehold as ODK Collect
// makes one: three people (the first with two pets, the third with one),
// two children, no jr:template.
func collectSubmission(instanceID, people string) []byte {
	return []byte(`<?xml version='1.0' ?><data id="hhrep" version="1" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">` +
		`<nkids>2</nkids>` + people +
		`<kids><kid>Kim</kid></kids><kids><kid>Lou</kid></kids><howmany>3</howmany><total_age>80</total_age><after>from Collect</after>` +
		`<meta><instanceID>` + instanceID + `</instanceID></meta></data>`)
}

const collectPeople = `<people><first>Gil</first><age>50</age><pos>1</pos><pets><pet>hen</pet></pets><pets><pet>cow</pet></pets></people>` +
	`<people><first>Hal</first><age>20</age><pos>2</pos></people>` +
	`<people><first>Ivy</first><age>10</age><pos>3</pos><pets><pet>ant</pet></pets></people>`

// allResponses reads every response of a survey, by id.
func allResponses(t *testing.T, st *store.Store, surveyID string) map[string]survey.Answers {
	t.Helper()
	out := map[string]survey.Answers{}
	if err := st.EachResponse(context.Background(), survey.Filter{SurveyID: surveyID}, func(r *survey.Response) error {
		out[r.ID] = r.Answers
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReceiveRepeatsFromCentral submits to the real Central as ODK Collect
// would (three people, nested pets, children of a repeat_count) and
// receives it into Canvass: instance keys in document order, one
// transaction, a second receive changes nothing, and a push after it sends
// nothing back. Submissions Central accepted that do not follow the form
// (an unknown element inside an instance, 10,000 instances) are refused
// naming what and where, and nothing of them is stored. Another laptop
// pulls the form from Central with its repeats and receives both.
func TestReceiveRepeatsFromCentral(t *testing.T) {
	_, st, def, p, conn := publishRepeats(t)
	ctx := context.Background()
	mine := answerThroughEngine(t, st, def)
	if sum, err := conn.Push(ctx, def.ID, central.PushOptions{Location: time.UTC}); err != nil || sum.Sent != 1 {
		t.Fatalf("push: %+v, %v", sum, err)
	}
	const collectID = "uuid:1b4e28ba-2fa1-41d2-883f-0016d3cca427"
	submit := func(xml []byte) {
		t.Helper()
		p.Do(t, "POST", p.Path("/forms/hhrep/submissions"), "application/xml", xml)
	}
	submit(collectSubmission(collectID, collectPeople))
	submit(collectSubmission("uuid:2b4e28ba-2fa1-41d2-883f-0016d3cca427",
		`<people><first>Jo</first><shoe>9</shoe></people>`))
	submit(collectSubmission("uuid:3b4e28ba-2fa1-41d2-883f-0016d3cca427",
		strings.Repeat(`<people><age>1</age></people>`, survey.MaxInstances+1)))

	sum, err := conn.Receive(ctx, def.ID, central.ReceiveOptions{PushOptions: central.PushOptions{Location: time.UTC}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 1 || sum.Here != 1 || len(sum.Refused) != 2 || len(sum.Waiting) != 0 {
		t.Fatalf("receive: %+v", sum)
	}
	refusals := strings.Join(sum.Refused, "\n")
	for _, want := range []string{"uuid:2b4e28ba", "/data/people[1] holds <shoe>", "uuid:3b4e28ba", "more than 9999 repeat instances in all, at /data/people[10000]"} {
		if !strings.Contains(refusals, want) {
			t.Errorf("refusals lack %q:\n%s", want, refusals)
		}
	}
	collect := "1b4e28ba-2fa1-41d2-883f-0016d3cca427"
	want := survey.Answers{"nkids": "2", "after": "from Collect", "howmany": "3", "total_age": "80",
		"people[1]/first": "Gil", "people[1]/age": "50", "people[1]/pos": "1", "people[1]/pets[1]/pet": "hen", "people[1]/pets[2]/pet": "cow",
		"people[2]/first": "Hal", "people[2]/age": "20", "people[2]/pos": "2",
		"people[3]/first": "Ivy", "people[3]/age": "10", "people[3]/pos": "3", "people[3]/pets[1]/pet": "ant",
		"kids[1]/kid": "Kim", "kids[2]/kid": "Lou"}
	before := allResponses(t, st, def.ID)
	if len(before) != 2 || !maps.Equal(before[collect], want) {
		t.Fatalf("stored responses %v\nwant %s = %v", before, collect, want)
	}
	got, err := st.Response(ctx, collect)
	if err != nil || got.Status != survey.StatusComplete || got.SurveyVersion != 1 {
		t.Fatalf("stored %+v, %v", got, err)
	}

	t.Run("a second receive changes nothing", func(t *testing.T) {
		sum, err := conn.Receive(ctx, def.ID, central.ReceiveOptions{PushOptions: central.PushOptions{Location: time.UTC}})
		if err != nil || sum.New != 0 || sum.Here != 2 || len(sum.Refused) != 2 {
			t.Fatalf("second receive: %+v, %v", sum, err)
		}
		after := allResponses(t, st, def.ID)
		if !maps.EqualFunc(before, after, maps.Equal) {
			t.Errorf("a second receive changed what is stored:\n%v\n%v", before, after)
		}
	})
	t.Run("a push sends nothing back", func(t *testing.T) {
		sum, err := conn.Push(ctx, def.ID, central.PushOptions{Location: time.UTC})
		if err != nil || sum.AlreadyThere != 2 || sum.Sent+sum.Edited+sum.Refused != 0 {
			t.Fatalf("push after receive: %+v, %v", sum, err)
		}
		if n := p.Count(t, "hhrep"); n != 4 {
			t.Errorf("Central holds %d submissions, want 4", n)
		}
	})
	t.Run("an app user is told receiving needs a web user", func(t *testing.T) {
		app, err := central.Connect(ctx, st, central.Login{URL: p.AppUserURL(t, "hhrep")})
		if err != nil {
			t.Fatal(err)
		}
		defer app.Close()
		_, err = app.Receive(ctx, def.ID, central.ReceiveOptions{})
		if err == nil || !strings.Contains(err.Error(), "receiving needs a web user") || !strings.Contains(err.Error(), "403") {
			t.Fatalf("receive as an app user: %v", err)
		}
		if after := allResponses(t, st, def.ID); !maps.EqualFunc(before, after, maps.Equal) {
			t.Errorf("stored responses changed")
		}
	})
	t.Run("another laptop pulls the form with its repeats and receives", func(t *testing.T) {
		st2 := openStore(t)
		conn2 := connect(t, st2, p)
		pulled, err := conn2.Pull(ctx, "hhrep")
		if err != nil {
			t.Fatal(err)
		}
		def2, err := st2.Survey(ctx, "hhrep", pulled.Link.SurveyVersion)
		if err != nil {
			t.Fatal(err)
		}
		if q, _ := def2.Question("pets"); q == nil || q.Repeat == nil || q.Repeat.Item.In("en", "") != "pet" {
			t.Fatalf("pulled form lost the nested repeat: %+v (warnings %v)", q, pulled.Warnings)
		}
		if q, _ := def2.Question("kids"); q == nil || q.Repeat == nil || q.Repeat.Count == "" {
			t.Fatalf("pulled form lost the repeat_count: %+v", q)
		}
		sum, err := conn2.Receive(ctx, "hhrep", central.ReceiveOptions{})
		if err != nil || sum.New != 2 || len(sum.Refused) != 2 {
			t.Fatalf("receive on the other laptop: %+v, %v", sum, err)
		}
		there := allResponses(t, st2, "hhrep")
		if !maps.Equal(there[collect], want) || there[mine]["people[2]/first"] != "Cat" || there[mine]["people[2]/pets[1]/pet"] != "fish" {
			t.Errorf("other laptop holds %v", there)
		}
	})
}
