package cli_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"canvass/app/cli"
	"canvass/survey"
	"canvass/survey/expr"
	"canvass/survey/run"
	"canvass/survey/store"
)

// demoDB makes a database with n demo responses to a survey.
func demoDB(t *testing.T, surveyID string, n int, seed string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "canvass.db")
	code, out, errOut := runCLI(t, "", "demo", "--db", db, "--survey", surveyID, "--responses", itoa(n), "--seed", seed)
	if code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "draft") || !strings.Contains(out, " partial, ") {
		t.Errorf("demo says %q: want the status words complete, partial, abandoned", out)
	}
	want := "added " + itoa(n) + " demo responses to "
	if n == 1 {
		want = "added 1 demo response to "
	}
	if !strings.Contains(out, want) {
		t.Errorf("demo said %q", out)
	}
	return db
}

func itoa(n int) string { return strconv.Itoa(n) }

// readResponses reads every response to a survey from a database.
func readResponses(t *testing.T, db, surveyID string) (*survey.Survey, []*survey.Response) {
	t.Helper()
	ctx := context.Background()
	st := openReadOnly(t, db)
	def, err := st.Survey(ctx, surveyID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var rs []*survey.Response
	if err := st.EachResponse(ctx, survey.Filter{SurveyID: surveyID}, func(r *survey.Response) error {
		rs = append(rs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return def, rs
}

// The built-in templates hold expressions the generator and this check both use.
var parsed sync.Map

func mustParse(t *testing.T, src string) *expr.Expr {
	t.Helper()
	if e, ok := parsed.Load(src); ok {
		return e.(*expr.Expr)
	}
	e, err := expr.Parse(src)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	parsed.Store(src, e)
	return e
}

// TestDemoResponsesAreValid checks every demo answer against the survey:
// known questions, valid choices, constraints kept, relevance respected,
// required questions of complete responses answered.
func TestDemoResponsesAreValid(t *testing.T) {
	for _, id := range []string{"engagement", "sds", "decision"} {
		t.Run(id, func(t *testing.T) {
			db := demoDB(t, id, 300, "7")
			def, rs := readResponses(t, db, id)
			if len(rs) != 300 {
				t.Fatalf("%d responses, want 300", len(rs))
			}
			statuses := map[survey.Status]int{}
			events := map[string]bool{}
			instances := 0 // answers in repeat instances (sds: each person a carer supports)
			for _, r := range rs {
				for k := range r.Answers {
					if strings.Contains(k, "[") {
						instances++
					}
				}
				statuses[r.Status]++
				events[r.EventID] = true
				if r.DeviceID != cli.DemoDevice {
					t.Fatalf("response %s has device %q", r.ID, r.DeviceID)
				}
				checkDemoResponse(t, def, r)
			}
			if statuses[survey.StatusComplete] < 200 || statuses[survey.StatusAbandoned] == 0 || statuses[survey.StatusDraft] == 0 {
				t.Errorf("statuses = %v, want mostly complete with some abandoned and draft", statuses)
			}
			if len(events) < 4 {
				t.Errorf("responses at %d events, want them spread over several", len(events))
			}
			if hasRepeat := len(def.Repeats("carer_effect")) > 0; hasRepeat != (instances > 0) {
				t.Errorf("%d answers in repeat instances; the survey repeats: %v", instances, hasRepeat)
			}
		})
	}
}

func checkDemoResponse(t *testing.T, def *survey.Survey, r *survey.Response) {
	t.Helper()
	a := r.Answers
	env := expr.Env{Lookup: func(n string) string { return a[n] }, Now: r.Started}
	var engine *run.Session // for answers in repeat instances, checked by the engine
	for name, v := range a {
		q, err := def.KeyQuestion(name)
		if err != nil || !q.Type.HoldsAnswer() {
			t.Fatalf("%s: answer to unknown question %q (%v)", r.ID, name, err)
		}
		names := map[string]bool{}
		for _, c := range def.Choices(q) {
			names[c.Name] = true
		}
		switch q.Type {
		case survey.TypeSelectOne:
			if !names[v] {
				t.Errorf("%s: %s = %q is not a choice", r.ID, name, v)
			}
		case survey.TypeSelectMultiple, survey.TypeRank:
			got := strings.Fields(v)
			for _, c := range got {
				if !names[c] {
					t.Errorf("%s: %s holds %q, not a choice", r.ID, name, c)
				}
			}
			if q.Type == survey.TypeRank && len(got) != len(names) {
				t.Errorf("%s: ranking %q does not rank every choice", r.ID, v)
			}
		case survey.TypeAcknowledge:
			if v != "OK" {
				t.Errorf("%s: acknowledgement %q", r.ID, v)
			}
		}
		if strings.Contains(name, "[") {
			if engine == nil {
				engine = replay(t, def, r)
			}
			if c := engine.Check(name); !c.OK() || !engine.Relevant(name) {
				t.Errorf("%s: %s = %q: %+v, relevant %v", r.ID, name, v, c, engine.Relevant(name))
			}
			continue
		}
		if q.Constraint != "" {
			cenv := env
			cenv.Self = v
			if ok, err := mustParse(t, q.Constraint).EvalBool(cenv); err != nil || !ok {
				t.Errorf("%s: %s = %q breaks %q", r.ID, name, v, q.Constraint)
			}
		}
		rel := []string{q.Relevant}
		for _, g := range def.Ancestors(name) {
			rel = append(rel, g.Relevant)
		}
		for _, src := range rel {
			if src == "" {
				continue
			}
			if ok, err := mustParse(t, src).EvalBool(env); err != nil || !ok {
				t.Errorf("%s: %s answered though %q is false", r.ID, name, src)
			}
		}
	}
	if r.Status != survey.StatusComplete {
		return
	}
	if r.Submitted == nil || r.Submitted.Before(r.Started) {
		t.Errorf("%s: complete but submitted %v, started %v", r.ID, r.Submitted, r.Started)
	}
	for _, q := range def.Fields() {
		if q.Required && a[q.Name] == "" && q.Relevant == "" && len(def.Ancestors(q.Name)) == 0 {
			t.Errorf("%s: complete without the required %s", r.ID, q.Name)
		}
	}
	if def.Scoring != nil {
		var d survey.Decision
		if err := json.Unmarshal(r.Result, &d); err != nil || d.Outcome == "" {
			t.Errorf("%s: decision record %s: %v", r.ID, r.Result, err)
		}
	}
}

func TestDemoTimes(t *testing.T) {
	db := demoDB(t, "engagement", 200, "3")
	ctx := context.Background()
	st := openReadOnly(t, db)
	evs, err := st.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	days := map[string]time.Time{}
	for _, e := range evs {
		if !strings.HasPrefix(e.Name, "Demo: ") {
			t.Errorf("demo event %q is not marked as demo", e.Name)
		}
		days[e.ID] = e.Date
	}
	_, rs := readResponses(t, db, "engagement")
	hours := map[int]bool{}
	for _, r := range rs {
		local := r.Started.In(time.Local)
		if local.Hour() < 9 || local.Hour() >= 17 {
			t.Errorf("%s started at %v, outside 9:00–17:00", r.ID, local)
		}
		hours[local.Hour()] = true
		if day, ok := days[r.EventID]; ok && (local.Year() != day.Year() || local.YearDay() != day.YearDay()) {
			t.Errorf("%s started %v, not on its event's day %v", r.ID, local, day)
		}
	}
	if len(hours) < 6 {
		t.Errorf("responses started in only %d different hours", len(hours))
	}
}

func TestDemoSeed(t *testing.T) {
	answers := func(db string) map[string]survey.Answers {
		_, rs := readResponses(t, db, "sds")
		m := map[string]survey.Answers{}
		for _, r := range rs {
			m[r.ID] = r.Answers
		}
		return m
	}
	a, b, c := answers(demoDB(t, "sds", 50, "11")), answers(demoDB(t, "sds", 50, "11")), answers(demoDB(t, "sds", 50, "12"))
	if len(a) != 50 {
		t.Fatalf("%d responses", len(a))
	}
	for id, ans := range a {
		if got, ok := b[id]; !ok || !mapsEqual(got, ans) {
			t.Fatalf("seed 11 twice: response %s differs: %v vs %v", id, ans, got)
		}
	}
	same := 0
	for id := range a {
		if _, ok := c[id]; ok {
			same++
		}
	}
	if same > 0 {
		t.Errorf("seeds 11 and 12 share %d response ids", same)
	}
}

func mapsEqual(a, b survey.Answers) bool {
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

func TestDemoRefusesRealResponses(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "canvass.db")
	if code, _, errOut := runCLI(t, "", "list", "--db", db); code != 0 { // installs the templates
		t.Fatal(errOut)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.StartResponse(ctx, "engagement", 0, "en"); err != nil {
		t.Fatal(err)
	}
	st.Close()

	code, _, errOut := runCLI(t, "", "demo", "--db", db, "--survey", "engagement", "--responses", "5")
	if code != 2 || !strings.Contains(errOut, "1 real responses") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("demo on real data: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "demo", "--db", db, "--survey", "engagement", "--responses", "5", "--force")
	if code != 0 {
		t.Errorf("demo --force: exit %d, %q", code, errOut)
	}
	_, rs := readResponses(t, db, "engagement")
	if len(rs) != 6 {
		t.Errorf("%d responses, want the real one and 5 demo ones", len(rs))
	}
	// Demo data on demo data needs no --force, and reuses the demo events.
	if code, _, errOut := runCLI(t, "", "demo", "--db", demoDB(t, "sds", 5, "1"), "--survey", "sds", "--responses", "5"); code != 0 {
		t.Errorf("demo twice: exit %d, %q", code, errOut)
	}
}

func TestDemoBadInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "canvass.db")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no survey", []string{"--responses", "5"}, "--survey is required"},
		{"no count", []string{"--survey", "sds"}, "--responses 0"},
		{"negative count", []string{"--survey", "sds", "--responses", "-3"}, "--responses -3"},
		{"too many", []string{"--survey", "sds", "--responses", "2000000"}, "from 1 to"},
		{"unknown survey", []string{"--survey", "nope", "--responses", "5"}, `unknown survey "nope"`},
		{"stray argument", []string{"--survey", "sds", "--responses", "5", "extra"}, `unexpected argument "extra"`},
		{"bad seed", []string{"--survey", "sds", "--responses", "5", "--seed", "x"}, "invalid value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", append([]string{"demo", "--db", db}, c.args...)...)
			if code != 2 || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, c.want)
			}
		})
	}
	if _, rs := readResponses(t, db, "sds"); len(rs) != 0 {
		t.Errorf("bad input added %d responses", len(rs))
	}
}

// replay gives r's answers (but calculations and metadata) to a new
// session, as `canvass decide` does, failing on any the engine refuses.
func replay(t *testing.T, def *survey.Survey, r *survey.Response) *run.Session {
	t.Helper()
	se, err := run.New(run.Config{Survey: def, Clock: func() time.Time { return r.Started }})
	if err != nil {
		t.Fatal(err)
	}
	script := survey.Answers{}
	for k, v := range r.Answers {
		if q, _ := def.KeyQuestion(k); q.Type != survey.TypeCalculate && !q.Type.IsMetadata() {
			script[k] = v
		}
	}
	if probs := se.AnswerAll(script); len(probs) > 0 {
		t.Errorf("%s: the engine refuses %+v", r.ID, probs)
	}
	return se
}

// TestDemoRepeats makes demo responses to a survey with a repeat the
// respondent fills in (with a nested one) and a repeat_count repeat: the
// responses have varying numbers of instances, every key is one the survey
// makes, and the engine accepts every complete response as it stands.
func TestDemoRepeats(t *testing.T) {
	def := &survey.Survey{ID: "carers", Version: 1, Title: survey.En("Carers"), Questions: []*survey.Question{
		{Type: survey.TypeText, Name: "name", Label: survey.En("Your name"), Required: true},
		{Type: survey.TypeGroup, Name: "people", Label: survey.En("People"), Repeat: &survey.Repeat{Item: survey.En("person")}, Questions: []*survey.Question{
			{Type: survey.TypeInteger, Name: "age", Label: survey.En("Age"), Required: true, Constraint: ". < 120"},
			{Type: survey.TypeText, Name: "school", Label: survey.En("School"), Relevant: "${age} < 16"},
			{Type: survey.TypeGroup, Name: "services", Repeat: &survey.Repeat{}, Questions: []*survey.Question{
				{Type: survey.TypeSelectOne, Name: "service", Label: survey.En("Service"), List: "services"},
			}},
		}},
		{Type: survey.TypeCalculate, Name: "total_age", Calculation: "sum(${age})"},
		{Type: survey.TypeInteger, Name: "nvisits", Label: survey.En("Visits"), Constraint: ". <= 3"},
		{Type: survey.TypeGroup, Name: "visits", Repeat: &survey.Repeat{Count: "${nvisits}"}, Questions: []*survey.Question{
			{Type: survey.TypeDate, Name: "visit_date", Label: survey.En("Date")},
		}},
	}, Lists: []survey.ChoiceList{{Name: "services", Choices: []survey.Choice{
		{Name: "meals", Label: survey.En("Meals")}, {Name: "respite", Label: survey.En("Respite")}}}}}
	def, rs := demoOf(t, def, "200", "3")
	counts := map[int]int{}
	nested, visits := 0, 0
	for _, r := range rs {
		checkDemoResponse(t, def, r)
		counts[r.Answers.Instances(nil, "people")]++
		for k := range r.Answers {
			if _, err := def.KeyQuestion(k); err != nil {
				t.Fatalf("%s: %v", r.ID, err)
			}
			if strings.Contains(k, "/services[") {
				nested++
			}
			if strings.HasPrefix(k, "visits[") {
				visits++
			}
		}
		if r.Status != survey.StatusComplete {
			continue
		}
		se := replay(t, def, r)
		if p, probs := se.CheckAll(); p >= 0 {
			t.Errorf("%s: complete, but %+v", r.ID, probs)
		}
		if got, want := se.Value("total_age"), r.Answers["total_age"]; got != want {
			t.Errorf("%s: total_age %q stored, the engine makes %q", r.ID, want, got)
		}
	}
	if counts[0] == 0 || counts[1] == 0 || counts[2] == 0 || counts[3] == 0 || nested == 0 || visits == 0 {
		t.Errorf("people per response %v, %d nested answers, %d visit answers: want a spread", counts, nested, visits)
	}
}

// One demo response is said in the singular.
func TestDemoOneResponse(t *testing.T) {
	if n := countResponses(t, demoDB(t, "engagement", 1, "1")); n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
}

// TestDemoRepeatLimits: a repeat limited to 1..2 (its constraint) gets
// 1 or 2 instances in every demo response that goes past it.
func TestDemoRepeatLimits(t *testing.T) {
	def := &survey.Survey{ID: "limits", Version: 1, Title: survey.En("Limits"), Questions: []*survey.Question{
		{Type: survey.TypeText, Name: "name", Label: survey.En("Your name"), Required: true},
		{Type: survey.TypeGroup, Name: "people", Label: survey.En("People"), Constraint: survey.RepeatLimitsConstraint("people", 1, 2),
			Repeat: &survey.Repeat{Item: survey.En("person")}, Questions: []*survey.Question{
				{Type: survey.TypeText, Name: "first", Label: survey.En("First name"), Required: true},
			}},
		{Type: survey.TypeText, Name: "end", Label: survey.En("Anything else?"), Required: true},
	}}
	def, rs := demoOf(t, def, "150", "5")
	counts := map[int]int{}
	for _, r := range rs {
		checkDemoResponse(t, def, r)
		if r.Answers["end"] == "" {
			continue // stopped before the end
		}
		counts[r.Answers.Instances(nil, "people")]++
	}
	if len(counts) != 2 || counts[1] == 0 || counts[2] == 0 {
		t.Errorf("people per response past the repeat: %v, want only 1 and 2", counts)
	}
}

// demoOf stores def in a new database, runs canvass demo on it with the
// given number of responses and seed, and reads back the survey and the
// responses.
func demoOf(t *testing.T, def *survey.Survey, responses, seed string) (*survey.Survey, []*survey.Response) {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "canvass.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveSurvey(ctx, def); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, _, errOut := runCLI(t, "", "demo", "--db", db, "--survey", def.ID, "--responses", responses, "--seed", seed); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errOut)
	}
	return readResponses(t, db, def.ID)
}
