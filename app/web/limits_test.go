package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// startLimited serves householdSurvey with people limited to 1..2.
func startLimited(t *testing.T) *Server {
	t.Helper()
	st := openTestStore(t)
	s := householdSurvey()
	s.Questions[0].Constraint = "count(${people}) >= 1 and count(${people}) <= 2"
	if _, err := st.SaveSurvey(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return startTestServer(t, st, "household", Limits{Rate: 1000, Burst: 1000})
}

// TestRepeatLimitPages: people limited to 1..2 (the repeat's constraint).
// Continue with nobody added stays on the list's page with the engine's
// message in the error summary, linked to Add, and above Add; at two
// people Add is not offered and a forged Add changes nothing.
func TestRepeatLimitPages(t *testing.T) {
	srv := startLimited(t)
	c := newClient(t, srv)
	prompt := c.start()

	code, loc, body := c.answer(prompt, nil)
	if code != http.StatusOK {
		t.Fatalf("Continue with nobody: %d %q, want the page again\n%s", code, loc, body)
	}
	mustContain(t, "nobody added", body, `<title>Error: `, `class="error-summary"`,
		`<li><a href="#q-people">Add at least 1 person.</a></li>`,
		`<p id="q-people-error" class="error-message" tabindex="-1"><span class="visually-hidden-prefix">Error:</span> Add at least 1 person.</p>`,
		`id="q-people" name="action" value="add" aria-describedby="q-people-error">Add a person</button>`)
	if n := deviceOf(t, srv, c).sess.Instances("people"); n != 0 {
		t.Fatalf("%d people after a refused Continue", n)
	}

	prompt = c.addPerson(body, "Ann")
	mustContain(t, "one person", prompt, "<h1>1 added so far.</h1>", `value="add">Add another person</button>`)
	mustNotContain(t, "one person", prompt, `class="error-summary"`, "Add at least", "at most")
	prompt = c.addPerson(prompt, "Bob")
	mustContain(t, "two people", prompt, "<h1>2 added so far.</h1>", "Ann", "Bob")
	mustContain(t, "two people", prompt, `<p class="inset">You can add at most 2 people.</p>`)
	mustNotContain(t, "two people", prompt, `value="add"`)

	code, _, body = c.press(prompt, url.Values{"action": {"add"}})
	if code != http.StatusConflict {
		t.Errorf("Add forged at the maximum: %d, want 409\n%s", code, body)
	}
	if n := deviceOf(t, srv, c).sess.Instances("people"); n != 2 {
		t.Fatalf("%d people after a forged Add at the maximum", n)
	}
	_, prompt = c.get("form")
	code, loc, body = c.answer(prompt, nil)
	page := c.follow("Continue with two", code, loc, body, "form")
	mustContain(t, "after the list", page, "How many children live with you?")
}

// TestBrowserRepeatLimit: in chromium, Continue with nobody added shows the
// limit's error (axe-core WCAG 2.2 A/AA clean); its summary link focuses
// Add; at two people the page offers no Add (axe clean again).
func TestBrowserRepeatLimit(t *testing.T) {
	srv := startLimited(t)
	b := newBrowser(t)
	f := &filler{b: b, def: srv.Survey()}
	b.navigate(srv.URL())
	f.press(`button.button-start`)
	f.press(`button[value="next"]`)
	if errs := f.errorsShown(); len(errs) != 1 || errs[0] != "#q-people Add at least 1 person." {
		t.Fatalf("errors %q", errs)
	}
	b.check("limit-error")
	if err := b.do(chromedp.Click(chromedp.CSS(`.error-summary a`))); err != nil {
		t.Fatal(err)
	}
	if got := evalIn[string](b, `document.activeElement.id`); got != "q-people" {
		t.Errorf("the error link focused %q, want the Add button", got)
	}
	for i, name := range []string{"Ann", "Bob"} {
		f.press(`button[value="add"]`)
		f.typeInto(sel("name", "people["+string(rune('1'+i))+"]/first"), name)
		f.press(`button[value="next"]`)
	}
	if n := evalIn[int](b, `document.querySelectorAll('button[value="add"]').length`); n != 0 {
		t.Errorf("%d Add buttons at the maximum", n)
	}
	b.check("limit-reached")
}
