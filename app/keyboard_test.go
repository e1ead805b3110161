package app_test

import (
	"testing"

	"fyne.io/fyne/v2"

	"canvass/survey"
)

// press sends a key as the window does: to the focused widget, else to
// the canvas's handler.
func press(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
}

// typeRunes types s as the window does: into the focused widget, else to
// the canvas's handler.
func typeRunes(c fyne.Canvas, s string) {
	for _, r := range s {
		if f := c.Focused(); f != nil {
			f.TypedRune(r)
		} else if h := c.OnTypedRune(); h != nil {
			h(r)
		}
	}
}

// focusedField returns the name of the question whose widget has the focus
// ("" when nothing is focused or the focus is elsewhere).
func focusedField(f interface {
	Pages() []survey.Page
	PageIndex() int
}, field func(string) []fyne.Focusable, c fyne.Canvas) string {
	foc := c.Focused()
	if foc == nil {
		return ""
	}
	for _, p := range f.Pages() {
		for _, q := range p.Questions {
			for _, w := range field(q.Name) {
				if w == foc {
					return q.Name
				}
			}
		}
	}
	return "elsewhere"
}

// TestKeyboardWalkThroughDecisionTool is the walk-through: a title
// typed on page 2 and Enter, then digits on the next pages choose answers
// — the digits never reach the title, which is no longer on screen.
func TestKeyboardWalkThroughDecisionTool(t *testing.T) {
	r := openDecisionTool(t)
	c := r.w.Canvas()
	widgets := func(name string) []fyne.Focusable {
		fd := r.f.Field(name)
		if fd == nil {
			return nil
		}
		var out []fyne.Focusable
		if fd.Entry != nil {
			out = append(out, fd.Entry)
		}
		for _, tl := range fd.Tiles {
			out = append(out, tl)
		}
		return out
	}
	focus := func() string { return focusedField(r.f, widgets, c) }

	if got := focus(); got != "consent" {
		t.Fatalf("the first page opens with the focus on %q, want consent", got)
	}
	typeRunes(c, " ")
	press(c, fyne.KeyReturn)
	if !r.onPage("funding_title") || focus() != "funding_title" {
		t.Fatalf("page 2: focus on %q", focus())
	}
	typeRunes(c, "Befriending")
	press(c, fyne.KeyReturn) // Enter moves on from a single-line entry
	steps := []struct {
		question, digit, want string
	}{
		{"g_personal", "2", "no"},
		{"g_power", "2", "no"},
		{"g_function", "2", "no"},
		{"g_return", "1", "yes"},
	}
	for _, s := range steps {
		if !r.onPage(s.question) {
			t.Fatalf("expected the page of %s, the form shows page %d (errors %v)", s.question, r.f.PageIndex(), r.f.Errors())
		}
		if got := focus(); got != s.question {
			t.Fatalf("on the page of %s the focus is on %q", s.question, got)
		}
		typeRunes(c, s.digit)
		if got := r.f.Answers()[s.question]; got != s.want {
			t.Fatalf("%s after %s = %q, want %q", s.question, s.digit, got, s.want)
		}
		press(c, fyne.KeyReturn)
	}
	if !r.onPage("value") || focus() != "value" {
		t.Fatalf("value page: focus on %q", focus())
	}
	typeRunes(c, "8000")
	press(c, fyne.KeyReturn)
	if got := focus(); got != "category" {
		t.Fatalf("after a text page the focus is on %q, want the category tiles", got)
	}
	typeRunes(c, "2") // the second choice, even after a text page
	if err := r.f.Flush(); err != nil {
		t.Fatal(err)
	}
	resp, err := r.st.Response(t.Context(), r.f.ResponseID())
	if err != nil {
		t.Fatal(err)
	}
	want := survey.Answers{"consent": "OK", "funding_title": "Befriending", "g_personal": "no", "g_power": "no",
		"g_function": "no", "g_return": "yes", "value": "8000", "category": "light_touch"}
	for k, v := range want {
		if resp.Answers[k] != v {
			t.Errorf("stored %s = %q, want %q", k, resp.Answers[k], v)
		}
	}
	if len(resp.Answers) != len(want) {
		t.Errorf("stored %v, want exactly %v", resp.Answers, want)
	}

	t.Run("Back puts the focus on the page shown", func(t *testing.T) {
		if !r.f.Back() || focus() != "value" {
			t.Fatalf("after Back the focus is on %q", focus())
		}
	})
	t.Run("a page of notes holds no focus", func(t *testing.T) {
		// On a page of notes only, nothing keeps the focus.
		for !r.onPage("end") {
			if !r.f.Next() {
				t.Fatalf("could not reach the last page: %v", r.f.Errors())
			}
		}
		if f := c.Focused(); f != nil {
			t.Fatalf("a page of notes leaves the focus on %v", f)
		}
	})
}
