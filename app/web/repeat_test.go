package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"canvass/survey"
	"canvass/survey/store"
)

// householdSurvey asks about each person (added by the respondent, name
// required), then how many children, then each child (as many as that).
func householdSurvey() *survey.Survey {
	return &survey.Survey{
		ID: "household", Version: 1, Title: survey.En("Your household"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeGroup, Name: "people", Label: survey.En("People you support"), Hint: survey.En("Tell us about each of them."), Appearance: survey.AppearanceFieldList,
				Repeat: &survey.Repeat{Item: survey.En("person")},
				Questions: []*survey.Question{
					{Type: survey.TypeText, Name: "first", Label: survey.En("First name"), Required: true},
					{Type: survey.TypeInteger, Name: "age", Label: survey.En("Age")},
				}},
			{Type: survey.TypeInteger, Name: "n", Label: survey.En("How many children live with you?")},
			{Type: survey.TypeGroup, Name: "kids", Label: survey.En("Children"), Appearance: survey.AppearanceFieldList,
				Repeat: &survey.Repeat{Count: "${n}", Item: survey.En("child")},
				Questions: []*survey.Question{
					{Type: survey.TypeInteger, Name: "kid_age", Label: survey.En("Age of this child"), Required: true},
				}},
			{Type: survey.TypeNote, Name: "thanks", Label: survey.En("Thank you.")},
		},
	}
}

// startHousehold serves householdSurvey from a new store.
func startHousehold(t *testing.T) (*Server, *store.Store) {
	t.Helper()
	st := openTestStore(t)
	if _, err := st.SaveSurvey(context.Background(), householdSurvey()); err != nil {
		t.Fatal(err)
	}
	return startTestServer(t, st, "household", Limits{Rate: 1000, Burst: 1000}), st
}

// press posts the current page (body) with values as they are, with no
// action added: a button's name and value, and any answers.
func (c *client) press(body string, values url.Values) (int, string, string) {
	c.t.Helper()
	form := url.Values{"csrf": {csrfOf(c.t, body)}}
	if m := pagePattern.FindStringSubmatch(body); m != nil {
		form.Set("page", m[1])
	}
	for k, v := range values {
		form[k] = v
	}
	return c.post("form", form)
}

// follow expects a 303 to page and returns that page.
func (c *client) follow(what string, code int, loc, body, page string) string {
	c.t.Helper()
	if code != http.StatusSeeOther || !strings.HasSuffix(loc, "/"+page) {
		c.t.Fatalf("%s: %d %q, want 303 to /%s\n%s", what, code, loc, page, body)
	}
	code, body = c.get(page)
	if code != http.StatusOK {
		c.t.Fatalf("%s: GET /%s: %d\n%s", what, page, code, body)
	}
	return body
}

// addPerson presses "Add …" on the repeat's page, names the person and
// continues back to the repeat's page, which it returns.
func (c *client) addPerson(prompt, name string) string {
	c.t.Helper()
	code, loc, body := c.press(prompt, url.Values{"action": {"add"}})
	page := c.follow("add", code, loc, body, "form")
	key := regexp.MustCompile(`name="(people\[\d+\]/first)"`).FindStringSubmatch(page)
	if key == nil {
		c.t.Fatalf("add: no name box on the new page:\n%s", page)
	}
	code, loc, body = c.answer(page, url.Values{key[1]: {name}})
	return c.follow("name "+name, code, loc, body, "form")
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: the page does not say %q:\n%s", what, w, body)
		}
	}
}

func mustNotContain(t *testing.T, what, body string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(body, w) {
			t.Errorf("%s: the page says %q:\n%s", what, w, body)
		}
	}
}

// TestRepeatPages adds three people on the phone pages, removes the
// second (asked first), and submits: the stored answers are people[1] and
// people[2]. On the way: a second press of the same button, a page left
// open for a person since removed, an empty required answer in one
// instance, "No, keep", a repeat_count repeat, and another device.
func TestRepeatPages(t *testing.T) {
	srv, st := startHousehold(t)
	ctx := context.Background()
	c := newClient(t, srv)

	prompt := c.start()
	mustContain(t, "first page", prompt, `<h1>No person added yet.</h1>`, `<p class="hint">Tell us about each of them.</p>`, `value="add">Add a person</button>`)
	mustNotContain(t, "first page", prompt, `class="summary-list"`)

	t.Run("a double press of Add adds one", func(t *testing.T) {
		first, _, _ := c.press(prompt, url.Values{"action": {"add"}})
		again, loc, body := c.press(prompt, url.Values{"action": {"add"}})
		if first != http.StatusSeeOther || again != http.StatusSeeOther || !strings.HasSuffix(loc, "/form") {
			t.Fatalf("add twice: %d then %d %s\n%s", first, again, loc, body)
		}
		if n := deviceOf(t, srv, c).sess.Instances("people"); n != 1 {
			t.Fatalf("two presses of Add made %d people, want 1", n)
		}
		_, page := c.get("form")
		mustContain(t, "new person", page, "<h1>Person 1 of 1</h1>", `<p class="caption">People you support</p>`,
			`id="q-people~1~first" name="people[1]/first"`, `value="remove">Remove this person</button>`)
		code, loc, body := c.answer(page, url.Values{"people[1]/first": {"Ann"}})
		prompt = c.follow("Ann", code, loc, body, "form")
	})

	prompt = c.addPerson(prompt, "Bob")
	prompt = c.addPerson(prompt, "Cat")

	// Change the first person: Continue comes back to the list, not to the second.
	code, loc, body := c.press(prompt, url.Values{"change": {"people[1]"}})
	annPage := c.follow("change Ann", code, loc, body, "form")
	mustContain(t, "Ann's page", annPage, "<h1>Person 1 of 3</h1>", `value="Ann"`)
	code, loc, body = c.answer(annPage, url.Values{"people[1]/first": {"Ann"}})
	prompt = c.follow("Ann changed", code, loc, body, "form")
	mustContain(t, "back on the list after Change", prompt, "<h1>3 added so far.</h1>")
	mustContain(t, "three people", prompt, "Person 1 of 3", "Person 2 of 3", "Person 3 of 3", "Ann", "Bob", "Cat",
		`value="add">Add another person</button>`, `name="remove" value="people[2]">Remove<span class="visually-hidden-prefix"> Person 2 of 3</span>`)

	// Cat's page, opened with Change and left open in another tab.
	code, loc, body = c.press(prompt, url.Values{"change": {"people[3]"}})
	catPage := c.follow("change Cat", code, loc, body, "form")
	mustContain(t, "Cat's page", catPage, "<h1>Person 3 of 3</h1>", `value="Cat"`)
	code, loc, body = c.answer(catPage, url.Values{"people[3]/first": {"Cat"}})
	prompt = c.follow("back to the list", code, loc, body, "form")

	code, loc, body = c.press(prompt, url.Values{"remove": {"people[2]"}})
	confirm := c.follow("remove Bob", code, loc, body, "remove")
	mustContain(t, "confirmation", confirm, "<h1>Remove person 2", `<p class="inset">Bob</p>`, `name="instance" value="people[2]"`, `value="yes">Yes, remove</button>`, `value="no">No, keep</button>`)
	if n := deviceOf(t, srv, c).sess.Instances("people"); n != 3 {
		t.Fatalf("asking to remove already removed: %d people", n)
	}
	yes := url.Values{"csrf": {csrfOf(t, confirm)}, "instance": {"people[2]"}, "gen": {regexp.MustCompile(`name="gen" value="(\d+)"`).FindStringSubmatch(confirm)[1]}, "confirm": {"yes"}}
	code, loc, body = c.post("remove", yes)
	prompt = c.follow("yes, remove", code, loc, body, "form")
	mustContain(t, "after removing", prompt, "Person 1 of 2", "Person 2 of 2", "Ann", "Cat")
	mustNotContain(t, "after removing", prompt, "Bob", "Person 3")

	stored := func() survey.Answers {
		t.Helper()
		r, err := st.Response(ctx, deviceOf(t, srv, c).responseID())
		if err != nil {
			t.Fatal(err)
		}
		return r.Answers
	}
	before := stored()
	if before["people[1]/first"] != "Ann" || before["people[2]/first"] != "Cat" || before["people[3]/first"] != "" {
		t.Fatalf("stored after removing Bob: %v", before)
	}

	t.Run("the same confirmation sent again changes nothing", func(t *testing.T) {
		code, _, body := c.post("remove", yes)
		if code != http.StatusConflict {
			t.Errorf("second Yes: %d, want 409", code)
		}
		mustContain(t, "second Yes", body, "nothing was changed", `class="error-summary"`)
		if got := stored(); !sameAnswers(got, before) {
			t.Errorf("a second Yes changed the answers: %v, was %v", got, before)
		}
	})
	t.Run("a page left open for a removed person changes nothing", func(t *testing.T) {
		code, _, body := c.answer(catPage, url.Values{"people[3]/first": {"Zed"}})
		if code != http.StatusConflict {
			t.Errorf("stale page: %d, want 409", code)
		}
		mustContain(t, "stale page", body, "nothing on it was saved")
		code, _, _ = c.press(catPage, url.Values{"action": {"remove"}})
		if code != http.StatusConflict {
			t.Errorf("stale Remove: %d, want 409", code)
		}
		if got := stored(); !sameAnswers(got, before) {
			t.Errorf("a stale page changed the answers: %v, was %v", got, before)
		}
	})
	t.Run("a confirmation left open while the form moved on changes nothing", func(t *testing.T) {
		code, loc, body := c.press(prompt, url.Values{"remove": {"people[1]"}})
		confirm := c.follow("remove Ann", code, loc, body, "remove")
		code, loc, body = c.press(prompt, url.Values{"change": {"people[1]"}})
		page := c.follow("change Ann instead", code, loc, body, "form")
		code, loc, body = c.answer(page, url.Values{"people[1]/first": {"Ann"}}) // and back to the list
		prompt = c.follow("Ann unchanged", code, loc, body, "form")
		mustContain(t, "back on the list", prompt, "Person 2 of 2")
		code, _, body = c.post("remove", url.Values{"csrf": {csrfOf(t, confirm)}, "instance": {"people[1]"}, "gen": {"1"}, "confirm": {"yes"}})
		if code != http.StatusConflict || !strings.Contains(body, "nothing was changed") {
			t.Errorf("Yes on a confirmation left open: %d, want 409 saying nothing was changed", code)
		}
		if got := stored(); !sameAnswers(got, before) {
			t.Errorf("a confirmation left open changed the answers: %v, was %v", got, before)
		}
	})
	t.Run("another device cannot reach these people", func(t *testing.T) {
		other := newClient(t, srv)
		page := other.start()
		code, _, _ := other.press(page, url.Values{"remove": {"people[1]"}})
		otherConfirm := url.Values{"csrf": {csrfOf(t, page)}, "instance": {"people[1]"}, "gen": {"0"}, "confirm": {"yes"}}
		code2, _, _ := other.post("remove", otherConfirm)
		if code != http.StatusConflict || code2 != http.StatusConflict {
			t.Errorf("another device removing people[1]: %d, %d; want 409", code, code2)
		}
		if got := stored(); !sameAnswers(got, before) {
			t.Errorf("another device changed the answers: %v", got)
		}
	})

	t.Run("an error in one instance, then No, keep and Yes", func(t *testing.T) {
		code, loc, body := c.press(prompt, url.Values{"action": {"add"}})
		page := c.follow("add a third", code, loc, body, "form")
		code, _, page = c.answer(page, url.Values{"people[3]/first": {""}, "people[3]/age": {"many"}})
		if code != http.StatusOK {
			t.Fatalf("empty name: %d", code)
		}
		mustContain(t, "errors", page, `<a href="#q-people~3~first">`, `<a href="#q-people~3~age">`, "<h1>Person 3 of 3</h1>",
			`id="q-people~3~first-error"`, `aria-invalid="true"`, `value="many"`)
		code, loc, body = c.press(page, url.Values{"action": {"remove"}, "people[3]/first": {"Dee"}})
		confirm := c.follow("remove from its page", code, loc, body, "remove")
		mustContain(t, "confirm 3", confirm, "<h1>Remove person 3")
		no := url.Values{"csrf": {csrfOf(t, confirm)}, "instance": {"people[3]"}, "gen": {"1"}, "confirm": {"no"}}
		code, loc, body = c.post("remove", no)
		page = c.follow("no, keep", code, loc, body, "form")
		mustContain(t, "kept", page, "<h1>Person 3 of 3</h1>", `value="Dee"`)
		code, loc, body = c.press(page, url.Values{"action": {"remove"}, "people[3]/first": {"Dee"}})
		confirm = c.follow("remove again", code, loc, body, "remove")
		mustContain(t, "confirm 3 again", confirm, `name="gen" value="1"`, `<p class="inset">Dee</p>`)
		no.Set("confirm", "yes")
		code, loc, body = c.post("remove", no)
		prompt = c.follow("yes", code, loc, body, "form")
		mustContain(t, "two again", prompt, "Person 2 of 2")
		mustNotContain(t, "two again", prompt, "Dee", "Person 3")
	})

	// Continue past the people; two children, as many as asked, no Remove.
	code, loc, body = c.answer(prompt, nil)
	page := c.follow("continue", code, loc, body, "form")
	mustContain(t, "children count", page, "How many children live with you?")
	code, loc, body = c.answer(page, url.Values{"n": {"2"}})
	page = c.follow("n", code, loc, body, "form")
	mustContain(t, "child 1", page, "<h1>Child 1 of 2</h1>", `name="kids[1]/kid_age"`)
	mustNotContain(t, "child 1", page, `value="remove"`, `value="add"`)
	code, _, body = c.answer(page, nil)
	if code != http.StatusOK {
		t.Fatalf("child without an age: %d", code)
	}
	mustContain(t, "child error", body, `<a href="#q-kids~1~kid_age">`)
	code, loc, body = c.answer(page, url.Values{"kids[1]/kid_age": {"5"}})
	page = c.follow("child 1", code, loc, body, "form")
	mustContain(t, "child 2", page, "<h1>Child 2 of 2</h1>")
	code, loc, body = c.press(page, url.Values{"action": {"back"}, "kids[2]/kid_age": {"7"}})
	page = c.follow("back", code, loc, body, "form")
	mustContain(t, "back to child 1", page, "<h1>Child 1 of 2</h1>", `value="5"`)
	code, loc, body = c.answer(page, url.Values{"kids[1]/kid_age": {"5"}})
	page = c.follow("child 1 again", code, loc, body, "form")
	mustContain(t, "child 2 again", page, "<h1>Child 2 of 2</h1>", `value="7"`)
	code, loc, body = c.answer(page, url.Values{"kids[2]/kid_age": {"7"}})
	page = c.follow("child 2", code, loc, body, "form")
	code, loc, body = c.answer(page, nil)
	c.follow("submit", code, loc, body, "done")

	got := stored()
	for k, want := range map[string]string{"people[1]/first": "Ann", "people[2]/first": "Cat", "n": "2", "kids[1]/kid_age": "5", "kids[2]/kid_age": "7"} {
		if got[k] != want {
			t.Errorf("stored %s = %q, want %q (all: %v)", k, got[k], want, got)
		}
	}
	for k := range got {
		if strings.HasPrefix(k, "people[3]") || strings.HasPrefix(k, "kids[3]") {
			t.Errorf("stored %s for a removed or uncounted instance", k)
		}
	}
}

// sameAnswers compares answers, leaving out metadata stamped per request.
func sameAnswers(a, b survey.Answers) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestBrowserRepeats adds three people in chromium at 375×667, removes the
// second (asked first) and submits, checking every page with axe-core:
// the list, an instance page with an error, the confirmation. The stored
// answers are people[1] and people[2].
func TestBrowserRepeats(t *testing.T) {
	srv, st := startHousehold(t)
	b := newBrowser(t)
	f := &filler{b: b, def: srv.Survey()}
	b.navigate(srv.URL())
	f.press(`button.button-start`)
	b.check("no-one-yet")
	heading := func() string { return evalIn[string](b, `document.querySelector("h1").textContent`) }
	for i, name := range []string{"Ann", "Bob", "Cat"} {
		f.press(`button[value="add"]`)
		key := fmt.Sprintf("people[%d]/first", i+1)
		if want := fmt.Sprintf("Person %d of %d", i+1, i+1); heading() != want {
			t.Fatalf("heading %q, want %q", heading(), want)
		}
		if i == 1 { // an error in this instance, linked from the summary
			f.press(`button[value="next"]`)
			errs := f.errorsShown()
			if len(errs) != 1 || !strings.HasPrefix(errs[0], "#"+fieldID(key)+" ") {
				t.Fatalf("errors %q, want one for %s", errs, key)
			}
			b.check("person-error")
			if err := b.do(chromedp.Click(chromedp.CSS(`.error-summary a`))); err != nil {
				t.Fatal(err)
			}
			if got := evalIn[string](b, `document.activeElement.name`); got != key {
				t.Errorf("the error link focused %q, want %s", got, key)
			}
		}
		f.typeInto(sel("name", key), name)
		if i == 0 {
			b.check("person")
		}
		f.press(`button[value="next"]`)
	}
	b.check("three-people")
	f.press(`button[name="remove"][value="people[2]"]`)
	b.check("remove-confirm")
	if h := heading(); !strings.HasPrefix(h, "Remove person 2") {
		t.Errorf("confirmation heading %q", h)
	}
	f.press(`button[value="yes"]`)
	if got := evalIn[[]string](b, `Array.from(document.querySelectorAll(".summary-list-value")).map(e => e.textContent)`); !reflect.DeepEqual(got, []string{"Ann", "Cat"}) {
		t.Errorf("after removing the second: %q, want Ann, Cat", got)
	}
	b.check("two-people")
	f.press(`button[value="next"]`) // past the people
	f.typeInto(sel("name", "n"), "0")
	f.press(`button[value="next"]`)
	for !strings.HasSuffix(evalIn[string](b, `location.pathname`), "/done") {
		f.press(`button[value="next"]`)
	}
	ids := storedResponses(t, srv)
	if len(ids) != 1 {
		t.Fatalf("%d responses", len(ids))
	}
	resp, err := st.Response(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	want := survey.Answers{"people[1]/first": "Ann", "people[2]/first": "Cat", "n": "0"}
	if got := withoutMetadata(srv.Survey(), resp.Answers); !reflect.DeepEqual(got, want) || resp.Status != survey.StatusComplete {
		t.Errorf("stored %v (%s), want %v", got, resp.Status, want)
	}
}

// TestNestedRepeatPages: a repeat inside a repeat (each person's pets).
// The inner repeat's page names the person it belongs to, lists only that
// person's pets, and removing a pet leaves the other person's alone.
func TestNestedRepeatPages(t *testing.T) {
	st := openTestStore(t)
	def := &survey.Survey{ID: "pets", Version: 1, Title: survey.En("Pets"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeGroup, Name: "people", Label: survey.En("People"), Repeat: &survey.Repeat{Item: survey.En("person")}, Questions: []*survey.Question{
				{Type: survey.TypeText, Name: "first", Label: survey.En("First name")},
				{Type: survey.TypeGroup, Name: "pets", Label: survey.En("Their pets"), Repeat: &survey.Repeat{Item: survey.En("pet")}, Questions: []*survey.Question{
					{Type: survey.TypeText, Name: "pet", Label: survey.En("Pet's name")},
				}},
			}},
		}}
	if _, err := st.SaveSurvey(context.Background(), def); err != nil {
		t.Fatal(err)
	}
	srv := startTestServer(t, st, "pets", Limits{Rate: 1000, Burst: 1000})
	c := newClient(t, srv)
	page := c.start()
	step := func(what string, values url.Values) {
		t.Helper()
		code, loc, body := c.press(page, values)
		page = c.follow(what, code, loc, body, "form")
	}
	for i, person := range []string{"Ann", "Bob"} {
		step("add "+person, url.Values{"action": {"add"}})
		step("name "+person, url.Values{"action": {"next"}, fmt.Sprintf("people[%d]/first", i+1): {person}})
		mustContain(t, person+"'s pets", page, "<h1>No pet added yet.</h1>", fmt.Sprintf("Person %d of %d", i+1, i+1))
		for j, pet := range []string{person + "'s cat", person + "'s dog"} {
			step("add pet", url.Values{"action": {"add"}})
			key := fmt.Sprintf("people[%d]/pets[%d]/pet", i+1, j+1)
			mustContain(t, "pet page", page, fmt.Sprintf("<h1>Pet %d of %d</h1>", j+1, j+1), `name="`+key+`"`)
			step("name pet", url.Values{"action": {"next"}, key: {pet}})
		}
		mustContain(t, person+"'s list", page, person+"&#39;s cat", person+"&#39;s dog",
			fmt.Sprintf(`<p class="caption">Person %d of %d – Their pets</p>`, i+1, i+1))
		if i == 1 {
			mustNotContain(t, "Bob's list", page, "Ann&#39;s")
		}
		step("continue to the people", url.Values{"action": {"next"}})
	}
	mustContain(t, "people", page, "Person 1 of 2", "Person 2 of 2", "Ann", "Bob")

	// Bob's cat: from Bob's pets page, Remove, Yes.
	step("change Bob", url.Values{"change": {"people[2]"}})
	step("Bob", url.Values{"action": {"next"}, "people[2]/first": {"Bob"}}) // on to his first pet
	mustContain(t, "Bob's cat page", page, `<p class="caption">Person 2 of 2 – Their pets</p><h1>Pet 1 of 2</h1>`)
	code, loc, body := c.press(page, url.Values{"action": {"remove"}, "people[2]/pets[1]/pet": {"Bob's cat"}})
	confirm := c.follow("remove Bob's cat", code, loc, body, "remove")
	code, loc, body = c.post("remove", url.Values{"csrf": {csrfOf(t, confirm)}, "instance": {"people[2]/pets[1]"}, "gen": {"0"}, "confirm": {"yes"}})
	c.follow("yes", code, loc, body, "form")
	r, err := st.Response(context.Background(), deviceOf(t, srv, c).responseID())
	if err != nil {
		t.Fatal(err)
	}
	want := survey.Answers{"people[1]/first": "Ann", "people[1]/pets[1]/pet": "Ann's cat", "people[1]/pets[2]/pet": "Ann's dog",
		"people[2]/first": "Bob", "people[2]/pets[1]/pet": "Bob's dog"}
	if !sameAnswers(r.Answers, want) {
		t.Errorf("stored %v, want %v", r.Answers, want)
	}
}

// TestRepeatPagesFollowTheLanguage: switching language on a person's page
// words the instance's heading, the Remove button and the list in the new
// language (the noun is the survey's), keeping the answers.
func TestRepeatPagesFollowTheLanguage(t *testing.T) {
	st := openTestStore(t)
	def := householdSurvey()
	def.ID = "household_cy"
	def.Languages = append(def.Languages, survey.Language{Code: "cy", Name: "Cymraeg"})
	for _, q := range def.All() {
		for _, tx := range []survey.Text{q.Label, q.Hint} {
			if tx != nil && tx["en"] != "" {
				tx["cy"] = "CY " + tx["en"]
			}
		}
		if q.Repeat != nil {
			q.Repeat.Item["cy"] = map[string]string{"people": "unigolyn", "kids": "plentyn"}[q.Name]
		}
	}
	def.Title["cy"] = "Eich cartref"
	if _, err := st.SaveSurvey(context.Background(), def); err != nil {
		t.Fatal(err)
	}
	srv := startTestServer(t, st, "household_cy", Limits{Rate: 1000, Burst: 1000})
	c := newClient(t, srv)
	prompt := c.start()
	code, loc, body := c.press(prompt, url.Values{"action": {"add"}})
	page := c.follow("add", code, loc, body, "form")
	code, loc, body = c.answer(page, url.Values{"people[1]/first": {"Ann"}})
	list := c.follow("Ann", code, loc, body, "form")
	code, loc, body = c.press(list, url.Values{"change": {"people[1]"}})
	page = c.follow("change Ann", code, loc, body, "form")
	code, _, _ = c.post("language", url.Values{"csrf": {csrfOf(t, page)}, "lang": {"cy"}})
	if code != http.StatusSeeOther {
		t.Fatalf("switch: %d", code)
	}
	_, page = c.get("form")
	mustContain(t, "Welsh person page", page, `<html lang="cy">`, "<h1>Unigolyn 1 of 1</h1>", `<p class="caption">CY People you support</p>`,
		"CY First name", `value="Ann"`, "unigolyn")
	mustNotContain(t, "Welsh person page", page, ">Person 1 of 1<")
	code, loc, body = c.answer(page, url.Values{"people[1]/first": {"Ann"}})
	list = c.follow("back to the list", code, loc, body, "form")
	mustContain(t, "Welsh list", list, "Unigolyn 1 of 1", "Ann")
}
