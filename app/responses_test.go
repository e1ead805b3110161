package app_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"canvass/app/internal/canvastext"
	"canvass/survey"
	"canvass/survey/run"
	"canvass/survey/store"
)

func TestResponsesBrowser(t *testing.T) {
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	ev := survey.Event{Name: "Fair", Active: true}
	if err := r.st.SaveEvent(r.ctx, &ev); err != nil {
		t.Fatal(err)
	}
	full := r.respond("park", survey.StatusComplete, survey.Answers{
		"visit": "yes", "likes": "ducks cafe", "age": "34", "why": "Quiet", "name": "Ann Example", "email": "ann@example.org"})
	partial := r.respond("park", survey.StatusAbandoned, survey.Answers{"visit": "no", "name": "Bob Example"})
	if err := r.st.SetActiveEvent(r.ctx, ""); err != nil {
		t.Fatal(err)
	}
	other := r.respond("park", survey.StatusDraft, survey.Answers{"visit": "yes"})

	rs, err := r.home.ShowResponses("park")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Rows) != 3 || rs.Count.Text != "3 of 3 responses" {
		t.Fatalf("%d rows, %q", len(rs.Rows), rs.Count.Text)
	}
	for i, row := range rs.Rows {
		want := map[string]string{full.ID: "", partial.ID: " · 2 answers", other.ID: " · 1 answer"}[row.ID]
		if got := rs.RowText(i); want != "" && !strings.Contains(got, want+" ") && !strings.HasSuffix(got, want) {
			t.Errorf("row %q: want %q (the count in the right number)", got, want)
		}
	}

	t.Run("filters", func(t *testing.T) {
		rs.Status.SetSelected("Abandoned")
		if len(rs.Rows) != 1 || rs.Rows[0].ID != partial.ID {
			t.Errorf("abandoned: %+v", rs.Rows)
		}
		rs.Status.SetSelected("Every status")
		rs.Event.SetSelected("Fair")
		if len(rs.Rows) != 2 {
			t.Errorf("at the fair: %d rows, want 2", len(rs.Rows))
		}
		rs.Event.SetSelected("All events")
		if len(rs.Rows) != 3 {
			t.Errorf("all: %d rows", len(rs.Rows))
		}
	})

	t.Run("read one", func(t *testing.T) {
		if err := rs.Open(full.ID); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, l := range rs.Lines {
			got[l.Label] = l.Answer
		}
		want := map[string]string{
			"Do you visit the park?": "Yes", "What do you like?": "Ducks; The café", "Your age": "34",
			"Why?": "Quiet", "Your name": "Ann Example", "Your email": "ann@example.org",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("lines %v, want %v", got, want)
		}
		if rs.EraseButton.Disabled() || !rs.MarkCompleteButton.Disabled() {
			t.Errorf("complete response with personal data: erase disabled %v, mark complete disabled %v",
				rs.EraseButton.Disabled(), rs.MarkCompleteButton.Disabled())
		}
	})

	t.Run("says why there is nothing to erase", func(t *testing.T) {
		const why = "No personal data in this response: nothing to erase."
		for _, tt := range []struct {
			name string
			id   string
			want bool
		}{{"personal data", full.ID, false}, {"none", other.ID, true}} {
			if err := rs.Open(tt.id); err != nil {
				t.Fatal(err)
			}
			said := strings.Contains(strings.Join(canvastext.In(r.win.Content()), " "), why)
			if said != tt.want || rs.EraseButton.Disabled() != tt.want {
				t.Errorf("%s: note shown %v, erase disabled %v, want %v", tt.name, said, rs.EraseButton.Disabled(), tt.want)
			}
		}
	})

	t.Run("resume a partial response and finish it", func(t *testing.T) {
		if err := rs.Open(other.ID); err != nil {
			t.Fatal(err)
		}
		if rs.ResumeButton.Disabled() {
			t.Fatal("Resume is disabled on a draft")
		}
		if err := rs.Resume(); err != nil {
			t.Fatal(err)
		}
		f := r.home.Runner().Form()
		if f == nil || f.ResponseID() != other.ID || f.Answers()["visit"] != "yes" {
			t.Fatalf("the form does not continue the draft: %+v", f)
		}
		test.Type(f.Field("why").Entry, "Shade")
		for !f.Submitted() {
			before := f.PageIndex()
			test.Tap(f.NextButton())
			if !f.Submitted() && f.PageIndex() == before {
				t.Fatalf("Next refused: %v", f.Errors())
			}
		}
		got, err := r.st.Response(r.ctx, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != survey.StatusComplete || got.Answers["why"] != "Shade" || got.Answers["visit"] != "yes" {
			t.Fatalf("after resuming: %s %v", got.Status, got.Answers)
		}
		if err := rs.Open(full.ID); err != nil {
			t.Fatal(err)
		}
		if !rs.ResumeButton.Disabled() {
			t.Error("Resume is offered on a complete response")
		}
	})

	t.Run("erase personal data", func(t *testing.T) {
		if err := rs.Open(full.ID); err != nil {
			t.Fatal(err)
		}
		d := rs.ErasePersonal()
		if d == nil {
			t.Fatal("no confirmation")
		}
		asked := test.RenderObjectToMarkup(r.win.Canvas().Overlays().Top())
		for _, want := range []string{"deleted from this laptop", "backups", "bundles"} {
			if !strings.Contains(asked, want) {
				t.Errorf("the confirmation does not mention %q", want)
			}
		}
		d.Confirm()
		after, err := r.st.Response(r.ctx, full.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := survey.Answers{"visit": "yes", "likes": "ducks cafe", "age": "34", "why": "Quiet"}
		if !reflect.DeepEqual(after.Answers, want) {
			t.Errorf("answers after erasing %v, want %v", after.Answers, want)
		}
		a := r.lastAudit()
		if a.Action != "erase-personal" || a.Subject != full.ID || !strings.HasPrefix(a.Actor, "staff") {
			t.Errorf("audit %+v", a)
		}
		if !strings.Contains(a.Detail, "name") || !strings.Contains(a.Detail, "email") {
			t.Errorf("audit detail %q does not name the questions", a.Detail)
		}
		for _, secret := range []string{"Ann", "ann@example.org"} {
			if strings.Contains(a.Detail, secret) || strings.Contains(a.Subject, secret) {
				t.Errorf("audit line holds the erased value %q: %+v", secret, a)
			}
		}
		if !rs.EraseButton.Disabled() {
			t.Error("erase still offered with nothing personal left")
		}
		// Confirmed, marked, and honest about older copies.
		if !rs.Notice.Visible() || !strings.Contains(rs.Notice.Text, "Personal data erased from this response (2 answers).") ||
			!strings.Contains(rs.Notice.Text, "backups") {
			t.Errorf("notice after erasing: %q (shown %v)", rs.Notice.Text, rs.Notice.Visible())
		}
		if shown := test.RenderObjectToMarkup(rs.Detail); !strings.Contains(shown, "Personal data erased on ") {
			t.Error("the opened response carries no erasure marker")
		}
		for i, row := range rs.Rows {
			if got := rs.RowText(i); (row.ID == full.ID) != strings.Contains(got, "personal data erased") {
				t.Errorf("row %q", got)
			} else if row.ID == full.ID && strings.Index(got, "personal data erased") > strings.Index(got, "Fair") {
				t.Errorf("row %q: the marker comes after the event's name, which a narrow list cuts off", got)
			}
		}
		// One answer erased is said in the singular.
		if err := rs.Open(partial.ID); err != nil {
			t.Fatal(err)
		}
		rs.ErasePersonal().Confirm()
		if !strings.Contains(rs.Notice.Text, "Personal data erased from this response (1 answer).") {
			t.Errorf("notice after erasing one answer: %q", rs.Notice.Text)
		}
	})

	t.Run("mark complete", func(t *testing.T) {
		if err := rs.Open(partial.ID); err != nil {
			t.Fatal(err)
		}
		rs.MarkComplete().Confirm()
		after, _ := r.st.Response(r.ctx, partial.ID)
		if after.Status != survey.StatusComplete || after.Submitted == nil {
			t.Errorf("status %s submitted %v", after.Status, after.Submitted)
		}
		if a := r.lastAudit(); a.Action != "mark-complete" || a.Subject != partial.ID || a.Detail != "was abandoned" {
			t.Errorf("audit %+v", a)
		}
		if rs.MarkComplete() != nil {
			t.Error("a complete response offered to be marked complete")
		}
	})

	t.Run("delete, dismissed then confirmed", func(t *testing.T) {
		if err := rs.Open(other.ID); err != nil {
			t.Fatal(err)
		}
		rs.Delete().Dismiss()
		if _, err := r.st.Response(r.ctx, other.ID); err != nil {
			t.Fatalf("dismissed delete removed the response: %v", err)
		}
		rs.Delete().Confirm()
		if _, err := r.st.Response(r.ctx, other.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		if a := r.lastAudit(); a.Action != "delete-response" || a.Subject != other.ID {
			t.Errorf("audit %+v", a)
		}
		if len(rs.Rows) != 2 || rs.Opened != nil {
			t.Errorf("%d rows, opened %v after delete", len(rs.Rows), rs.Opened)
		}
	})

	t.Run("each response opens at its top", func(t *testing.T) {
		long := r.respond("park", survey.StatusComplete, survey.Answers{"visit": "yes", "why": strings.Repeat("A long reason. ", 600)})
		if err := rs.Reload(); err != nil {
			t.Fatal(err)
		}
		if err := rs.Open(long.ID); err != nil {
			t.Fatal(err)
		}
		rs.Detail.Refresh() // lays the long answer out, as the window would
		rs.Detail.ScrollToBottom()
		if rs.Detail.Offset.Y == 0 {
			t.Fatal("the response does not scroll at this height: the test proves nothing")
		}
		if err := rs.Open(full.ID); err != nil {
			t.Fatal(err)
		}
		if rs.Detail.Offset.Y != 0 {
			t.Errorf("the next response opens scrolled %v down", rs.Detail.Offset.Y)
		}
	})
}

// TestResponsesBrowserRepeats: an opened response shows each repeat
// instance under its own heading, in order (the tenth after the second),
// with its personal answers marked; erasing personal data covers every
// instance and is marked as for any response.
func TestResponsesBrowserRepeats(t *testing.T) {
	r := newStaffRig(t)
	def := carersSurvey()
	r.saveSurvey(def)
	answers := survey.Answers{"postcode": "AB1"}
	for i := 1; i <= 10; i++ {
		answers[fmt.Sprintf("carers[%d]/who", i)] = fmt.Sprintf("Person%02d", i)
		answers[fmt.Sprintf("carers[%d]/relation", i)] = "parent"
	}
	answers["carers[2]/needs"] = "A quiet room"
	resp := r.respond("carers", survey.StatusComplete, answers)
	rs, err := r.home.ShowResponses("carers")
	if err != nil {
		t.Fatal(err)
	}
	if got := rs.RowText(0); !strings.Contains(got, " · 22 answers · 10 in “People you care for”") {
		t.Errorf("the list row %q does not count the people", got)
	}
	if err := rs.Open(resp.ID); err != nil {
		t.Fatal(err)
	}
	var headings, whos []string
	for _, l := range rs.Lines {
		switch {
		case l.Heading:
			headings = append(headings, l.Label)
		case l.Label == "Their name":
			whos = append(whos, l.Answer)
			if !l.Personal || l.Depth != 1 {
				t.Errorf("line %+v: not marked personal or not indented", l)
			}
		}
	}
	if len(headings) != 10 || headings[0] != "People you care for 1 of 10" || headings[1] != "People you care for 2 of 10" || headings[9] != "People you care for 10 of 10" {
		t.Errorf("headings %q", headings)
	}
	// The respondent read the same heading on the form.
	if form := formHeading(t, carersSurvey(), "carers", 10, 2); form != headings[1] {
		t.Errorf("the form heads person 2 %q, the browser %q", form, headings[1])
	}
	if len(whos) != 10 || whos[1] != "Person02" || whos[9] != "Person10" {
		t.Errorf("names in order %q", whos)
	}
	for i, l := range rs.Lines {
		if l.Label == "What they need" && (i == 0 || rs.Lines[i-3].Label != "People you care for 2 of 10" || l.Instance != "People you care for 2 of 10") {
			t.Errorf("the second person's need is not under their heading: %+v", l)
		}
		if strings.Contains(l.Label, "[") {
			t.Errorf("a raw key is shown: %+v", l)
		}
	}
	shown := test.RenderObjectToMarkup(rs.Detail)
	for _, want := range []string{"People you care for 10 of 10", "Person10   🔒 personal", "A quiet room"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the opened response does not show %q", want)
		}
	}

	if rs.Find.Disabled() {
		t.Error("Find is disabled with a response open")
	}
	// Finding narrows the response to the answers, and instances, holding the text.
	for _, c := range []struct {
		find, found string
		show, hide  []string
	}{
		{"QUIET", "1 of 22 answers", []string{"People you care for 2 of 10", "A quiet room"}, []string{"Person01", "People you care for 1 of 10"}},
		{"care for 10", "2 of 22 answers", []string{"People you care for 10 of 10", "Person10"}, []string{"Person09", "AB1"}},
		{"swans", "0 of 22 answers", []string{"No answer here holds “swans”."}, []string{"Person"}},
		{"", "", []string{"Person01", "Person10", "AB1"}, nil},
	} {
		rs.Find.SetText("")
		test.Type(rs.Find, c.find)
		shown := test.RenderObjectToMarkup(rs.Detail)
		for _, want := range c.show {
			if !strings.Contains(shown, want) {
				t.Errorf("find %q: %q not shown", c.find, want)
			}
		}
		for _, not := range c.hide {
			if strings.Contains(shown, not) {
				t.Errorf("find %q: %q still shown", c.find, not)
			}
		}
		if rs.Found.Text != c.found {
			t.Errorf("find %q: %q, want %q", c.find, rs.Found.Text, c.found)
		}
	}

	if rs.EraseButton.Disabled() {
		t.Fatal("erase not offered though every instance holds a personal name")
	}
	d := rs.ErasePersonal()
	if d == nil {
		t.Fatal("no confirmation")
	}
	if asked := test.RenderObjectToMarkup(r.win.Canvas().Overlays().Top()); strings.Count(asked, "• Their name") != 1 {
		t.Errorf("the confirmation should name the question once: %s", asked)
	}
	d.Confirm()
	after, err := r.st.Response(r.ctx, resp.ID)
	if err != nil {
		t.Fatal(err)
	}
	for k := range after.Answers {
		if strings.HasSuffix(k, "/who") {
			t.Errorf("%s survived the erasure", k)
		}
	}
	if len(after.Answers) != 12 {
		t.Errorf("%d answers kept, want 12 (postcode, 10 relations, 1 need)", len(after.Answers))
	}
	// One question, ten answers: the notice counts the answers erased.
	if !strings.Contains(rs.Notice.Text, "Personal data erased from this response (10 answers).") {
		t.Errorf("notice after erasing ten people's names: %q", rs.Notice.Text)
	}
	if shown := test.RenderObjectToMarkup(rs.Detail); !strings.Contains(shown, "Personal data erased on ") || strings.Contains(shown, "Person0") {
		t.Error("the opened response is not marked erased, or still shows a name")
	}
	if !rs.EraseButton.Disabled() {
		t.Error("erase still offered with nothing personal left")
	}

	// With the repeat's noun, instances are named as the form names them.
	named := carersSurvey()
	named.ID = "named"
	named.Questions[1].Repeat.Item = survey.En("person")
	r.saveSurvey(named)
	resp = r.respond("named", survey.StatusComplete, survey.Answers{"carers[1]/needs": "Lifts", "carers[2]/needs": "Company"})
	if rs, err = r.home.ShowResponses("named"); err != nil {
		t.Fatal(err)
	}
	if err := rs.Open(resp.ID); err != nil {
		t.Fatal(err)
	}
	if shown := test.RenderObjectToMarkup(rs.Detail); !strings.Contains(shown, "Person 2 of 2") {
		t.Errorf("with the noun person, no heading 'Person 2 of 2'")
	}
	if got := rs.RowText(0); !strings.HasSuffix(got, " · 2 answers · 2 people") {
		t.Errorf("the list row %q does not count the people", got)
	}
}

// formHeading is the heading the respondent's form shows on instance i of
// repeat, after adding n instances.
func formHeading(t *testing.T, def *survey.Survey, repeat string, n, i int) string {
	t.Helper()
	sess, err := run.New(run.Config{Survey: def})
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		if err := sess.AddInstance(repeat); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range sess.Pages() {
		if in := p.Instance; in != nil && in.Index == i {
			return in.Title
		}
	}
	t.Fatalf("no instance %d of %s", i, repeat)
	return ""
}
