package web

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"canvass/survey"
	"canvass/survey/run"
)

// answer is one step of a fill script: the answer a respondent gives to a
// question (choice names, as stored; text as typed; dates as D/M/Y and
// date-times as "D/M/Y HH:MM"), after first trying each Bad value, which
// the page must refuse with an error. Key "REPEAT#N" with Value "add"
// presses "Add …" on the repeat's page when it has N instances.
type answer struct {
	Key   string
	Value string
	Bad   []string
}

// fillScripts are the answers the browser and the engine give to each
// survey; every built-in template and the every-type test survey.
var fillScripts = map[string][]answer{
	"engagement": {
		{Key: "consent", Value: "OK", Bad: []string{""}},
		{Key: "role", Value: "vcs_org", Bad: []string{""}},
		{Key: "org_name", Value: "Westshire Carers Network"},
		{Key: "heard", Value: "event word_of_mouth"},
		{Key: "early_enough", Value: "yes"},
		{Key: "asked_before", Value: "not_sure"},
		{Key: "outcomes_fit", Value: "4"},
		{Key: "info_clear", Value: "2"},
		{Key: "format_ok", Value: "partly"},
		{Key: "format_barrier", Value: "Large print was not offered."},
		{Key: "barriers", Value: "paperwork short_deadlines", Bad: []string{"paperwork none"}},
		{Key: "lots", Value: "yes"},
		{Key: "priority", Value: "local_knowledge quality social_value cost"},
		{Key: "monitoring", Value: "Ask the people who use the service."},
		{Key: "listened", Value: "4"},
		{Key: "feedback", Value: "yes"},
		{Key: "email", Value: "chair@westshire-carers.org.uk", Bad: []string{"chair@"}},
		{Key: "anything_else", Value: "Thank you for asking."},
		{Key: "age_band", Value: "45_64"},
		{Key: "postcode_district", Value: "WS1", Bad: []string{"ZZZ 1AA"}},
	},
	"sds": {
		{Key: "consent", Value: "OK", Bad: []string{""}},
		{Key: "who", Value: "carer"},
		{Key: "budget_known", Value: "3"},
		{Key: "say_in_plan", Value: "partly"},
		{Key: "budget_form", Value: "direct_payment"},
		{Key: "happy_form", Value: "no"},
		{Key: "prefer_form", Value: "A pre-paid card."},
		{Key: "find_support", Value: "sometimes"},
		{Key: "control", Value: "4"},
		{Key: "independence", Value: "5"},
		{Key: "help_managing", Value: "family support_org", Bad: []string{"none family"}},
		{Key: "paperwork", Value: "a_little"},
		{Key: "supported#0", Value: "add"},
		{Key: "supported[1]/carer_effect", Value: "2"},
		{Key: "supported#1", Value: "add"},
		{Key: "supported[2]/carer_effect", Value: "4"},
		{Key: "one_change", Value: "Fewer forms."},
		{Key: "age_band", Value: "65_74"},
		{Key: "postcode_district", Value: "WS2"},
	},
	"decision": {
		{Key: "consent", Value: "OK", Bad: []string{""}},
		{Key: "funding_title", Value: "Befriending service", Bad: []string{""}},
		{Key: "service_area", Value: "adult_social_care"},
		{Key: "funding_description", Value: "Weekly visits to older people who live alone."},
		{Key: "g_personal", Value: "no"},
		{Key: "g_power", Value: "yes"},
		{Key: "g_function", Value: "yes"},
		{Key: "g_return", Value: "no"},
		{Key: "value", Value: "120,000", Bad: []string{"-5", "lots"}},
		{Key: "category", Value: "light_touch"},
		{Key: "g_subsidy", Value: "no"},
		{Key: "c_spec", Value: "organisation"},
		{Key: "c_origin", Value: "organisation"},
		{Key: "c_benefit", Value: "both"},
		{Key: "c_market", Value: "few"},
		{Key: "c_shape", Value: "build"},
		{Key: "c_enforce", Value: "monitoring"},
		{Key: "c_payment", Value: "contribution"},
		{Key: "c_innovation", Value: "partly"},
		{Key: "c_size", Value: "small"},
		{Key: "c_vat", Value: "dont_know"},
		{Key: "c_duration", Value: "time_limited"},
		{Key: "c_risk", Value: "shared"},
		{Key: "c_independence", Value: "yes"},
		{Key: "c_ownership", Value: "yes"},
	},
	"alltypes": {
		{Key: "consent", Value: "OK", Bad: []string{""}},
		{Key: "name", Value: "Siân"},
		{Key: "people", Value: "3", Bad: []string{"", "several", "0"}},
		{Key: "miles", Value: "2.5", Bad: []string{"3,5"}},
		{Key: "colour", Value: "other", Bad: []string{"", "other"}},
		{Key: "colour_other", Value: "Teal"},
		{Key: "area", Value: "south"},
		{Key: "services", Value: "library pool", Bad: []string{"library none"}},
		{Key: "satisfied", Value: "4"},
		{Key: "priorities", Value: "parks housing schools transport"},
		{Key: "rating", Value: "5"},
		{Key: "percent", Value: "40", Bad: []string{"150"}},
		{Key: "moved_in", Value: "27/3/2007", Bad: []string{"", "/3/2007", "31/2/2007", "1/1/2099", "1/1/07"}},
		{Key: "arrived", Value: "14:30"},
		{Key: "appointment", Value: "3/4/2027 09:15", Bad: []string{"3/4/2027"}},
		{Key: "contact_ok", Value: "yes", Bad: []string{""}},
		{Key: "email", Value: "sian@example.org", Bad: []string{"sian.example.org"}},
		{Key: "comments", Value: "Line one.\nLine two."},
	},
}

// splitDate turns "D/M/Y[ HH:MM]" into date boxes.
func splitDate(v string) dateParts {
	date, tm, _ := strings.Cut(v, " ")
	parts := strings.SplitN(date, "/", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return dateParts{Day: parts[0], Month: parts[1], Year: parts[2], Time: tm}
}

// replay runs a script through the engine alone, page by page as a
// respondent would, and returns the answers it would submit.
func replay(t *testing.T, def *survey.Survey, script []answer) survey.Answers {
	t.Helper()
	sess, err := run.New(run.Config{Survey: def})
	if err != nil {
		t.Fatal(err)
	}
	added := map[string]bool{}
pages:
	for range 500 {
		onPage := map[string]bool{}
		for _, f := range sess.Page().Fields {
			onPage[f.Key] = true
			onPage[f.Question.OtherName()] = true
		}
		if pr := sess.Page().Prompt; pr != nil {
			mark := fmt.Sprintf("%s#%d", pr.Key, pr.Count)
			for _, a := range script {
				if a.Key == mark && a.Value == "add" && !added[mark] {
					added[mark] = true
					if err := sess.AddInstance(pr.Key); err != nil {
						t.Fatalf("engine: add to %s: %v", pr.Key, err)
					}
					continue pages
				}
			}
		}
		for _, a := range script {
			if !onPage[a.Key] {
				continue
			}
			q, err := def.KeyQuestion(a.Key)
			isQuestion := err == nil
			if !isQuestion {
				owner, _ := def.Question(strings.TrimSuffix(a.Key, "_other"))
				sess.AnswerOther(owner.Name, a.Value)
				continue
			}
			if !sess.Relevant(a.Key) {
				continue
			}
			switch q.Type {
			case survey.TypeDate:
				v, pr := splitDate(a.Value).stored()
				if pr != nil {
					t.Fatalf("script date %q: %+v", a.Value, pr)
				}
				sess.Answer(a.Key, v)
			case survey.TypeDateTime:
				d := splitDate(a.Value)
				v, _ := d.stored()
				sess.AnswerText(a.Key, v+" "+d.Time)
			case survey.TypeText, survey.TypeInteger, survey.TypeDecimal, survey.TypeTime:
				sess.AnswerText(a.Key, a.Value)
			default:
				if q.Type == survey.TypeRange && rangeSteps(q.Range) == nil {
					sess.AnswerText(a.Key, a.Value)
				} else {
					sess.Answer(a.Key, a.Value)
				}
			}
		}
		if sess.IsLast() {
			if page, problems := sess.Finish(); page >= 0 {
				t.Fatalf("engine: cannot submit: %v", problems)
			}
			return sess.Answers()
		}
		if _, problems := sess.Next(); len(problems) > 0 {
			t.Fatalf("engine: page %d: %v", sess.PageIndex(), problems)
		}
	}
	t.Fatal("engine: the script never reached the end")
	return nil
}

// withoutMetadata drops the answers that depend on the clock or the device.
func withoutMetadata(def *survey.Survey, a survey.Answers) survey.Answers {
	out := survey.Answers{}
	for k, v := range a {
		if q, ok := def.Question(k); ok && q.Type.IsMetadata() {
			continue
		}
		out[k] = v
	}
	return out
}

// filler answers survey pages in the browser, by pointer or by keyboard.
type filler struct {
	b        *browser
	def      *survey.Survey
	keyboard bool
}

// pageKeys lists the answer keys the shown page has inputs for.
func (f *filler) pageKeys() map[string]bool {
	keys := evalIn[[]string](f.b, `Array.from(document.querySelectorAll("form [name]")).map(e => e.name)
		.filter(n => !["csrf", "page", "action", "move", "lang", "change", "remove"].includes(n))
		.map(n => n.replace(/\[(day|month|year|time)\]$/, ""))
		.concat(Array.from(document.querySelectorAll("ol.rank")).map(e => e.id.slice(2)))`)
	out := map[string]bool{}
	for _, k := range keys {
		out[k] = true
	}
	// A repeat's page: its token ends "REPEAT#COUNT".
	token := evalIn[string](f.b, `(document.querySelector('input[name="page"]') || {value: ""}).value`)
	if _, mark, ok := strings.Cut(token, "."); ok {
		if _, mark, ok = strings.Cut(mark, "."); ok && strings.Contains(mark, "#") {
			out[mark] = true
		}
	}
	return out
}

// sel is a CSS selector for the element with an attribute value.
func sel(attr, value string) string { return fmt.Sprintf(`[%s=%q]`, attr, value) }

// focusOn presses Tab until the element matching css has the focus.
func (f *filler) focusOn(css string) {
	f.b.t.Helper()
	for range 150 {
		if evalIn[bool](f.b, fmt.Sprintf(`document.activeElement !== null && document.activeElement.matches(%q)`, css)) {
			return
		}
		if err := f.b.do(chromedp.KeyEvent("\t")); err != nil {
			f.b.t.Fatal(err)
		}
	}
	f.b.t.Fatalf("Tab never reached %s", css)
}

// typeInto replaces the text of the input matching css: focus it (Tab
// or a click), select all, delete, type.
func (f *filler) typeInto(css, text string) {
	f.b.t.Helper()
	if f.keyboard {
		f.focusOn(css)
	} else if err := f.b.do(chromedp.Click(chromedp.CSS(css))); err != nil {
		f.b.t.Fatalf("click %s: %v", css, err)
	}
	if err := f.b.do(chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent("\b")); err != nil {
		f.b.t.Fatal(err)
	}
	if text != "" {
		if err := f.b.do(chromedp.KeyEvent(text)); err != nil {
			f.b.t.Fatal(err)
		}
	}
	if got := evalIn[string](f.b, fmt.Sprintf(`document.querySelector(%q).value`, css)); got != text {
		f.b.t.Fatalf("typed %q into %s, it holds %q", text, css, got)
	}
}

// toggle checks or unchecks a radio or check box to want.
func (f *filler) toggle(css string, want bool) {
	f.b.t.Helper()
	if evalIn[bool](f.b, fmt.Sprintf(`document.querySelector(%q).checked`, css)) == want {
		return
	}
	if f.keyboard {
		f.focusOn(css)
		if err := f.b.do(chromedp.KeyEvent(" ")); err != nil {
			f.b.t.Fatal(err)
		}
		return
	}
	if err := f.b.do(chromedp.Click(chromedp.CSS(css))); err != nil {
		f.b.t.Fatalf("click %s: %v", css, err)
	}
}

// chooseRadio selects one radio of a group: by keyboard, Tab into the
// group, then arrow keys (which select as they move).
func (f *filler) chooseRadio(key, value string) {
	f.b.t.Helper()
	target := sel("name", key) + sel("value", value)
	if !f.keyboard {
		f.toggle(target, true)
		return
	}
	f.focusOn(sel("name", key))
	for range 30 {
		if evalIn[bool](f.b, fmt.Sprintf(`document.activeElement.matches(%q)`, target)) {
			break
		}
		if err := f.b.do(chromedp.KeyEvent(kbArrowDown)); err != nil {
			f.b.t.Fatal(err)
		}
	}
	if !evalIn[bool](f.b, fmt.Sprintf(`document.querySelector(%q).checked`, target)) {
		if err := f.b.do(chromedp.KeyEvent(" ")); err != nil {
			f.b.t.Fatal(err)
		}
	}
}

// kbArrowDown is the Down arrow key.
const kbArrowDown = kb.ArrowDown

// press submits the page with a button.
func (f *filler) press(css string) {
	f.b.t.Helper()
	if f.keyboard {
		f.focusOn(css)
		f.b.submitBy(chromedp.KeyEvent("\r"))
		return
	}
	f.b.submitBy(chromedp.Click(chromedp.CSS(css)))
}

// fill enters value as the answer to key on the shown page.
func (f *filler) fill(key, value string) {
	t := f.b.t
	t.Helper()
	q, err := f.def.KeyQuestion(key)
	if err != nil { // an "Other" text box
		f.typeInto(sel("name", key), value)
		return
	}
	switch q.Type {
	case survey.TypeText, survey.TypeInteger, survey.TypeDecimal:
		f.typeInto(sel("name", key), value)
	case survey.TypeTime:
		f.typeInto(sel("name", key), value)
	case survey.TypeAcknowledge:
		f.toggle(sel("name", key), value != "")
	case survey.TypeSelectOne, survey.TypeRange:
		switch {
		case q.Type == survey.TypeRange && rangeSteps(q.Range) == nil:
			f.typeInto(sel("name", key), value)
		case q.HasAppearance(survey.AppearanceMinimal):
			if err := f.b.do(chromedp.SetValue(chromedp.CSS(sel("name", key)), value)); err != nil {
				t.Fatal(err)
			}
		case value != "":
			f.chooseRadio(key, value)
		}
	case survey.TypeSelectMultiple:
		want := map[string]bool{}
		for _, v := range strings.Fields(value) {
			want[v] = true
		}
		for _, v := range evalIn[[]string](f.b, fmt.Sprintf(`Array.from(document.querySelectorAll(%q)).map(e => e.value)`, sel("name", key))) {
			f.toggle(sel("name", key)+sel("value", v), want[v])
		}
	case survey.TypeRank:
		f.rank(key, strings.Fields(value))
	case survey.TypeDate, survey.TypeDateTime:
		d := splitDate(value)
		f.typeInto(sel("name", key+"[day]"), d.Day)
		f.typeInto(sel("name", key+"[month]"), d.Month)
		f.typeInto(sel("name", key+"[year]"), d.Year)
		if q.Type == survey.TypeDateTime {
			f.typeInto(sel("name", key+"[time]"), d.Time)
		}
	default:
		t.Fatalf("no way to fill %s (%s)", key, q.Type)
	}
}

// rank puts a rank question's items in order with the Up buttons, each a
// form POST, then accepts the order if no move was needed.
func (f *filler) rank(key string, want []string) {
	order := func() []string {
		return evalIn[[]string](f.b, fmt.Sprintf(`Array.from(document.querySelectorAll('[id="q-%s"] li')).map(li => li.dataset.value)`, key))
	}
	for i, v := range want {
		for range 20 {
			cur := order()
			j := indexOf(cur, v)
			if j <= i {
				break
			}
			f.press(fmt.Sprintf(`button[name="move"][value="%s %s up"]`, key, v))
		}
	}
	if got := order(); !reflect.DeepEqual(got, want) {
		f.b.t.Fatalf("rank %s: order %v, want %v", key, got, want)
	}
	keep := fmt.Sprintf(`button[name="move"][value="%s - keep"]`, key)
	if evalIn[bool](f.b, fmt.Sprintf(`document.querySelector(%q) !== null`, keep)) {
		f.press(keep)
	}
}

func indexOf(list []string, v string) int {
	for i, s := range list {
		if s == v {
			return i
		}
	}
	return -1
}

// errorsShown returns the error summary's lines on the shown page.
func (f *filler) errorsShown() []string {
	return evalIn[[]string](f.b, `Array.from(document.querySelectorAll(".error-summary a")).map(a => a.getAttribute("href") + " " + a.textContent)`)
}

// answerSurvey fills the survey from its start page to the thank-you page,
// trying each bad value first; it checks every page and error with axe.
func (f *filler) answerSurvey(url string, script []answer) {
	t := f.b.t
	t.Helper()
	f.b.navigate(url)
	f.b.check("start")
	f.press(`button.button-start`)
	done := map[string]bool{}
pages:
	for page := 0; page < 200; page++ {
		if strings.HasSuffix(evalIn[string](f.b, `location.pathname`), "/done") {
			f.b.check("thank-you")
			return
		}
		name := fmt.Sprintf("page%02d", page)
		f.b.check(name)
		keys := f.pageKeys()
		for _, a := range script {
			if !keys[a.Key] || done[a.Key] {
				continue
			}
			if a.Value == "add" && strings.Contains(a.Key, "#") {
				done[a.Key] = true
				f.press(`button[value="add"]`)
				continue pages
			}
			for i, bad := range a.Bad {
				f.fill(a.Key, bad)
				f.press(`button[value="next"]`)
				errs := f.errorsShown()
				found := false
				for _, e := range errs {
					found = found || strings.HasPrefix(e, "#"+fieldID(a.Key))
				}
				if !found {
					t.Fatalf("%s: %q for %s shows no error for it (errors: %q)", name, bad, a.Key, errs)
				}
				f.b.check(fmt.Sprintf("%s-%s-error%d", name, a.Key, i+1))
			}
			f.fill(a.Key, a.Value)
			done[a.Key] = true
		}
		f.press(`button[value="next"]`)
		if errs := f.errorsShown(); len(errs) > 0 {
			t.Fatalf("%s: the script's answers were refused: %q", name, errs)
		}
	}
	t.Fatal("never reached the thank-you page")
}

// TestBrowserFillsEveryTemplate fills every built-in template and the
// every-type survey in chromium at 375×667 (the self-directed support
// survey by keyboard alone), triggers every error the scripts hold, checks
// every page with axe-core, and compares the stored answers with the same
// script run through the engine.
func TestBrowserFillsEveryTemplate(t *testing.T) {
	st := openTestStore(t)
	for _, id := range []string{"engagement", "sds", "decision", "alltypes"} {
		t.Run(id, func(t *testing.T) {
			srv := startTestServer(t, st, id, Limits{})
			b := newBrowser(t)
			f := &filler{b: b, def: srv.Survey(), keyboard: id == "sds"}
			f.answerSurvey(srv.URL(), fillScripts[id])

			ids := storedResponses(t, srv)
			if len(ids) != 1 {
				t.Fatalf("%d responses stored, want 1", len(ids))
			}
			resp, err := st.Response(context.Background(), ids[0])
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != survey.StatusComplete {
				t.Errorf("status %s, want complete", resp.Status)
			}
			if (srv.Survey().Scoring != nil) != (len(resp.Result) > 0) {
				t.Errorf("decision record %q stored for a survey scored=%v", resp.Result, srv.Survey().Scoring != nil)
			}
			got := withoutMetadata(srv.Survey(), resp.Answers)
			want := withoutMetadata(srv.Survey(), replay(t, srv.Survey(), fillScripts[id]))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("stored answers differ from the engine's:\n got %v\nwant %v", got, want)
			}
			for _, a := range fillScripts[id] {
				if strings.Contains(a.Key, "[") && got[a.Key] != a.Value {
					t.Errorf("stored %s = %q, want %q (each instance the script added)", a.Key, got[a.Key], a.Value)
				}
			}

			// Start again gives an empty start page, and the thank-you page is gone.
			f.press(`form[action$="/again"] button`)
			b.check("start-again")
			if !evalIn[bool](b, `document.querySelector("button.button-start") !== null`) {
				t.Error("Start again did not lead to the start page")
			}
		})
	}
}

// storedResponses lists the ids of the responses to the served survey.
func storedResponses(t *testing.T, srv *Server) []string {
	t.Helper()
	var ids []string
	err := srv.cfg.Store.EachResponse(context.Background(), survey.Filter{SurveyID: srv.def.ID}, func(r *survey.Response) error {
		ids = append(ids, r.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}
