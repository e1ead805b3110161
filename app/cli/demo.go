package cli

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"canvass/survey"
	"canvass/survey/expr"
	"canvass/survey/run"
	"canvass/survey/store"
)

// DemoDevice is the device id of the responses `canvass demo` makes, which
// tells them apart from real ones.
const DemoDevice = "demo"

// demoEventPrefix starts the names of the events `canvass demo` makes.
const demoEventPrefix = "Demo: "

// maxDemoResponses bounds --responses.
const maxDemoResponses = 1_000_000

// demoBatch is how many responses go into one transaction.
const demoBatch = 2000

func runDemo(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "demo")
	db := fs.String("db", "", "database file (default: the app's own)")
	surveyID := fs.String("survey", "", "survey id (see canvass list)")
	n := fs.Int("responses", 0, "how many synthetic responses to add")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same responses")
	force := fs.Bool("force", false, "add demo responses even to a database that holds real ones")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	if *surveyID == "" {
		return usagef("--survey is required (see canvass list)")
	}
	if *n < 1 || *n > maxDemoResponses {
		return usagef("--responses %d: give a number from 1 to %d", *n, maxDemoResponses)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	def, err := st.Survey(ctx, *surveyID, 0)
	if errors.Is(err, store.ErrNotFound) {
		return badInput(fmt.Errorf("unknown survey %q (see canvass list)", *surveyID))
	}
	if err != nil {
		return err
	}
	if !*force {
		var real int
		if err := st.DB().QueryRowContext(ctx, "SELECT count(*) FROM responses WHERE device_id <> ?", DemoDevice).Scan(&real); err != nil {
			return fmt.Errorf("count real responses: %w", err)
		}
		if real > 0 {
			return badInput(fmt.Errorf("the database holds %d real responses, and demo data would be mixed with them; use a new --db, or --force to add it anyway", real))
		}
	}
	thresholds := survey.DefaultThresholds()
	if def.Scoring != nil {
		if thresholds, err = survey.LoadThresholds(ctx, st); err != nil {
			return err
		}
	}
	// The seed and the number of responses already there pick the random
	// stream: the same command on the same database gives the same data,
	// and a second run adds new responses rather than clashing ids.
	var existing uint64
	if err := st.DB().QueryRowContext(ctx, "SELECT count(*) FROM responses").Scan(&existing); err != nil {
		return fmt.Errorf("count responses: %w", err)
	}
	src := rand.NewChaCha8(seedBytes(*seed, existing))
	rng := rand.New(src)
	events, err := demoEvents(ctx, st, time.Now())
	if err != nil {
		return err
	}
	gen := newDemoGenerator(def, rng, src, events, thresholds)
	var counts store.Counts
	for done := 0; done < *n; {
		k := min(demoBatch, *n-done)
		batch := make([]*survey.Response, k)
		for i := range batch {
			if batch[i], err = gen.response(); err != nil {
				return err
			}
			switch batch[i].Status {
			case survey.StatusComplete:
				counts.Complete++
			case survey.StatusAbandoned:
				counts.Abandoned++
			default:
				counts.Draft++
			}
		}
		if _, err := st.ImportResponses(ctx, batch); err != nil {
			return fmt.Errorf("add demo responses: %w", err)
		}
		done += k
	}
	if err := st.Audit(ctx, "cli", "demo data", def.ID, fmt.Sprintf("%d synthetic responses, seed %d", *n, *seed)); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "added %s to %s (%d %s, %d %s, %d %s) across events: %d\n",
		survey.Counted(*n, "demo response", "demo responses"), def.ID, counts.Complete, survey.StatusComplete.Label(), counts.Draft, survey.StatusDraft.Label(),
		counts.Abandoned, survey.StatusAbandoned.Label(), len(events))
	return nil
}

func seedBytes(seed, existing uint64) (b [32]byte) {
	binary.LittleEndian.PutUint64(b[:], seed)
	binary.LittleEndian.PutUint64(b[8:], existing)
	copy(b[16:], "canvass demo")
	return b
}

// demoEvent is an event demo responses are spread over.
type demoEvent struct {
	id     string
	day    time.Time // local midnight
	weight float64
}

// demoEvents finds the demo events, making them the first time: four
// events over the last six weeks, each a day from 9:00 to 17:00.
func demoEvents(ctx context.Context, st *store.Store, now time.Time) ([]demoEvent, error) {
	plan := []struct {
		name, venue string
		daysAgo     int
		weight      float64
	}{
		{"Town hall drop-in", "Town hall", 40, 3},
		{"Library stall", "Central library", 26, 2},
		{"Market day", "Market square", 12, 4},
		{"Community centre evening", "Riverside community centre", 3, 1},
	}
	existing, err := st.Events(ctx)
	if err != nil {
		return nil, err
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	var out []demoEvent
	for _, p := range plan {
		name := demoEventPrefix + p.name
		var ev survey.Event
		for _, e := range existing {
			if e.Name == name {
				ev = e
			}
		}
		if ev.ID == "" {
			ev = survey.Event{Name: name, Venue: p.venue, Date: today.AddDate(0, 0, -p.daysAgo),
				Notes: "Made by canvass demo: synthetic responses for trying the app out.", Closed: true}
			if err := st.SaveEvent(ctx, &ev); err != nil {
				return nil, err
			}
		}
		day := ev.Date
		if day.IsZero() {
			day = today.AddDate(0, 0, -p.daysAgo)
		}
		out = append(out, demoEvent{id: ev.ID, day: time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.Local), weight: p.weight})
	}
	return out, nil
}

// demoGenerator makes plausible responses to one survey version by
// answering it through the form engine (survey/run), as a respondent
// would: every question type answered with a valid value; relevance,
// constraints, calculations, choice filters, defaults and metadata applied
// by the engine; choices drawn with a preference of their own per question
// (so that the summary's charts have shape); some responses left partial.
type demoGenerator struct {
	def        *survey.Survey
	rng        *rand.Rand
	ids        *rand.ChaCha8
	events     []demoEvent
	thresholds survey.Thresholds
	fields     []*demoField
	byName     map[string]*demoField
	langs      []string
	compiled   *run.Compiled // the survey parsed once for every session
}

// demoField is one question with its respondents' preferences.
type demoField struct {
	q       *survey.Question
	choices []survey.Choice // the list's choices
	weights []float64       // how much respondents favour each choice (or range point)
}

func newDemoGenerator(def *survey.Survey, rng *rand.Rand, ids *rand.ChaCha8, events []demoEvent, t survey.Thresholds) *demoGenerator {
	g := &demoGenerator{def: def, rng: rng, ids: ids, events: events, thresholds: t}
	for _, l := range def.Languages {
		g.langs = append(g.langs, l.Code)
	}
	if len(g.langs) == 0 {
		g.langs = []string{def.DefaultLanguage()}
	}
	for _, q := range def.Fields() {
		f := &demoField{q: q, choices: def.Choices(q)}
		points := len(f.choices)
		if q.Type == survey.TypeRange && q.Range != nil && q.Range.Step > 0 {
			points = int(math.Floor((q.Range.End-q.Range.Start)/q.Range.Step+1e-9)) + 1
		}
		for i := 0; i < points; i++ {
			w := 0.3 + rng.ExpFloat64()
			if q.IsLikert() || q.Type == survey.TypeRange {
				w += float64(i) * 0.4 // scales lean a little towards the favourable end
			}
			f.weights = append(f.weights, w)
		}
		g.fields = append(g.fields, f)
	}
	return g
}

func (g *demoGenerator) newID() string {
	id, err := uuid.NewRandomFromReader(g.ids)
	if err != nil {
		return uuid.NewString() // ChaCha8's Read never fails
	}
	return id.String()
}

// response makes the next response.
func (g *demoGenerator) response() (*survey.Response, error) {
	rng := g.rng
	r := &survey.Response{
		ID: g.newID(), SurveyID: g.def.ID, SurveyVersion: g.def.Version, DeviceID: DemoDevice,
		Language: g.langs[rng.IntN(len(g.langs))], Answers: survey.Answers{},
	}
	day := time.Now().AddDate(0, 0, -1-rng.IntN(30))
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.Local)
	if rng.Float64() < 0.93 {
		ev := g.pickEvent()
		r.EventID, day = ev.id, ev.day
	}
	r.Started = day.Add(9*time.Hour + time.Duration(rng.Int64N(int64(8*time.Hour))))
	minutes := 2 + rng.ExpFloat64()*5
	r.Updated = r.Started.Add(time.Duration(minutes * float64(time.Minute)))
	cut := math.MaxInt // a complete response goes to the end, through every instance
	switch p := rng.Float64(); {
	case p < 0.80:
		r.Status = survey.StatusComplete
		submitted := r.Updated.Add(time.Duration(5+rng.IntN(30)) * time.Second)
		r.Submitted = &submitted
	case p < 0.92:
		r.Status = survey.StatusAbandoned
		cut = 1 + rng.IntN(max(1, len(g.fields)-1))
	default:
		r.Status = survey.StatusDraft
		cut = 1 + rng.IntN(max(1, len(g.fields)-1))
	}
	if err := g.answer(r, cut); err != nil {
		return nil, err
	}
	if g.def.Scoring != nil && r.Status == survey.StatusComplete {
		if d, err := g.def.DecideIn(r.Language, r.Answers, g.thresholds, *r.Submitted); err == nil {
			r.Result, _ = json.Marshal(d) // plain data always encodes
		}
	}
	return r, nil
}

func (g *demoGenerator) pickEvent() demoEvent {
	total := 0.0
	for _, e := range g.events {
		total += e.weight
	}
	x := g.rng.Float64() * total
	for _, e := range g.events {
		if x < e.weight {
			return e
		}
		x -= e.weight
	}
	return g.events[len(g.events)-1]
}

// answer walks r through an engine session page by page, as a
// respondent would, answering until cut questions have been seen, and
// keeps what the session holds; a complete response the engine would not
// let be submitted stays a draft. At a repeat's "add another?" page it
// adds a random number of instances (see instances), within the limits
// of the repeat's constraint.
func (g *demoGenerator) answer(r *survey.Response, cut int) error {
	at := r.Started
	if g.compiled == nil {
		c, err := run.Compile(g.def)
		if err != nil {
			return fmt.Errorf("demo responses to %q: %w", g.def.ID, err)
		}
		g.compiled = c
		g.byName = map[string]*demoField{}
		for _, f := range g.fields {
			g.byName[f.q.Name] = f
		}
	}
	sess, err := run.New(run.Config{Survey: g.def, Compiled: g.compiled, Language: r.Language, DeviceID: DemoDevice, Clock: func() time.Time { return at }})
	if err != nil {
		return fmt.Errorf("demo responses to %q: %w", g.def.ID, err)
	}
	want := map[string]int{} // instances to add, by repeat key
	seen := 0
	for steps := 0; seen < cut && steps < demoMaxSteps; steps++ {
		p := sess.Page()
		if pr := p.Prompt; pr != nil {
			n, ok := want[pr.Key]
			if !ok {
				n = g.instances()
				if least, _, ok := pr.Repeat.RepeatLimits(); ok {
					n = max(n, least) // the repeat's own minimum (its most stops Add)
				}
				want[pr.Key] = n
			}
			if pr.Count < n && pr.CanAdd {
				if err := sess.AddInstance(pr.Key); err != nil {
					return fmt.Errorf("demo responses to %q: %w", g.def.ID, err)
				}
				continue
			}
		}
		for _, fld := range p.Fields {
			f := g.byName[fld.Question.Name]
			if f == nil || !sess.Relevant(fld.Key) {
				continue // notes
			}
			seen++
			g.answerField(sess, f, fld.Key, r.Started)
		}
		next := sess.NextPage(sess.PageIndex())
		if next < 0 {
			break
		}
		sess.GoTo(next)
	}
	if r.Status == survey.StatusComplete {
		at = *r.Submitted
		if page, _ := sess.Finish(); page >= 0 {
			r.Status, r.Submitted = survey.StatusDraft, nil
		}
	}
	r.Answers = sess.Answers()
	return nil
}

// demoMaxSteps bounds the pages one demo response goes through.
const demoMaxSteps = 10_000

// instances draws how many instances a respondent adds to a repeat: none
// now and then, mostly one to three, sometimes more.
func (g *demoGenerator) instances() int {
	switch p := g.rng.Float64(); {
	case p < 0.12:
		return 0
	case p < 0.90:
		return 1 + g.rng.IntN(3)
	default:
		return 4 + g.rng.IntN(3)
	}
}

// answerField answers the field with key, if it is one a respondent
// answers, with a value its constraint accepts (else leaves it blank).
func (g *demoGenerator) answerField(sess *run.Session, f *demoField, key string, started time.Time) {
	q := f.q
	if !q.Type.Shown() {
		return // calculations and metadata are the engine's
	}
	if !q.Required && g.rng.Float64() < 0.12 {
		return // optional questions are sometimes skipped
	}
	for try := 0; try < 25; try++ {
		v := g.value(f, g.offered(sess, f, key), started)
		if v == "" {
			return
		}
		if c, _ := sess.Answer(key, v); c.OK() {
			return
		}
	}
	sess.Answer(key, "") // nothing the constraint accepts: leave it blank
}

// offered returns the indexes, in f.choices, of the choices the session
// offers now for key (its choice_filter), without the "Other" that
// or_other adds.
func (g *demoGenerator) offered(sess *run.Session, f *demoField, key string) []int {
	if !f.q.Type.HasChoices() {
		return nil
	}
	shown := map[string]bool{}
	for _, c := range sess.Choices(key) {
		shown[c.Name] = true
	}
	var out []int
	for i, c := range f.choices {
		if shown[c.Name] {
			out = append(out, i)
		}
	}
	return out
}

// weighted picks an index by the field's weights.
func (g *demoGenerator) weighted(w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	x := g.rng.Float64() * total
	for i, wi := range w {
		if x < wi {
			return i
		}
		x -= wi
	}
	return len(w) - 1
}

// exclusiveChoices are answers that rule out the others ("none of these").
var exclusiveChoices = map[string]bool{"none": true, "dont_know": true, "not_sure": true, "prefer_not": true, "prefer_not_to_say": true}

// value makes one answer for f, in the stored form; offered holds the
// indexes of the choices offered now.
func (g *demoGenerator) value(f *demoField, offered []int, started time.Time) string {
	rng := g.rng
	q := f.q
	pick := func() int { // an index of f.choices, drawn by weight among those offered
		w := make([]float64, len(offered))
		for j, i := range offered {
			w[j] = f.weights[i]
		}
		return offered[g.weighted(w)]
	}
	switch q.Type {
	case survey.TypeAcknowledge:
		return "OK"
	case survey.TypeSelectOne:
		if len(offered) == 0 {
			return ""
		}
		return f.choices[pick()].Name
	case survey.TypeSelectMultiple:
		if len(offered) == 0 {
			return ""
		}
		k := 1 + rng.IntN(min(3, len(offered)))
		chosen := map[int]bool{}
		for len(chosen) < k {
			chosen[pick()] = true
		}
		var names []string
		for i, c := range f.choices {
			if chosen[i] && !(len(chosen) > 1 && exclusiveChoices[c.Name]) {
				names = append(names, c.Name)
			}
		}
		return strings.Join(names, " ")
	case survey.TypeRank:
		type keyed struct {
			name string
			key  float64
		}
		ks := make([]keyed, len(offered))
		for j, i := range offered {
			ks[j] = keyed{f.choices[i].Name, math.Log(f.weights[i]) - math.Log(rng.ExpFloat64())} // Gumbel: a weighted shuffle
		}
		sort.Slice(ks, func(i, j int) bool { return ks[i].key > ks[j].key })
		names := make([]string, len(ks))
		for i, k := range ks {
			names[i] = k.name
		}
		return strings.Join(names, " ")
	case survey.TypeRange:
		if q.Range == nil || q.Range.Step <= 0 || len(f.weights) == 0 {
			return ""
		}
		return expr.FormatNumber(q.Range.Start + float64(g.weighted(f.weights))*q.Range.Step)
	case survey.TypeInteger:
		if strings.Contains(q.Name, "age") {
			return fmt.Sprint(16 + rng.IntN(75))
		}
		return fmt.Sprint(rng.IntN(60))
	case survey.TypeDecimal:
		if strings.Contains(q.Name, "value") || strings.Contains(q.Name, "amount") || strings.Contains(q.Name, "cost") {
			v := math.Pow(10, 3.5+rng.Float64()*2.8)
			return expr.FormatNumber(math.Round(v/100) * 100)
		}
		return expr.FormatNumber(math.Round(rng.Float64()*100000) / 100)
	case survey.TypeDate:
		return started.AddDate(0, 0, -rng.IntN(730)).Format(survey.DateLayout)
	case survey.TypeTime:
		return fmt.Sprintf("%02d:%02d", 8+rng.IntN(12), 5*rng.IntN(12))
	case survey.TypeDateTime:
		return started.Add(time.Duration(rng.IntN(24*60)) * time.Minute).Format("2006-01-02T15:04")
	case survey.TypeText:
		return g.text(q)
	}
	return ""
}

var (
	demoFirst     = []string{"sam", "alex", "priya", "tom", "aisha", "gareth", "mei", "joe", "fatima", "olu", "rhiannon", "kit"}
	demoLast      = []string{"jones", "khan", "smith", "okafor", "evans", "chen", "patel", "murphy", "davies", "nowak"}
	demoOrgs      = []string{"Riverside Community Trust", "Friends of Eastfield Park", "Northgate Carers' Network", "Hillside Food Bank", "Youth Forward CIC", "Age Well Together", "Westbrook Tenants' Association", "Open Door Advice Centre", "Shared Table Community Kitchen", "Bridge Mental Health Support"}
	demoPostcodes = []string{"GU1", "GU2", "GU4", "KT1", "KT22", "RH1", "RH12", "SM5", "CR0", "TW9", "GU21", "KT15"}
	demoTitles    = []string{"Befriending for older people", "Carers' respite breaks", "Youth club sessions", "Home care for adults", "Community transport", "Debt advice service", "Food bank support", "Digital skills drop-in"}
	demoComments  = []string{
		"The session was at a good time for me.",
		"More notice would have helped: I only heard about it two days before.",
		"Please make the forms shorter and easier to read.",
		"Small groups like ours cannot manage the insurance requirements.",
		"It would help to have someone to ring with questions.",
		"People who use the service should sit on the panel that checks it.",
		"The bus only runs once an hour on Saturdays, so getting here was hard.",
		"Contracts are too large for local organisations to bid for on their own.",
		"Thank you for asking us before deciding.",
		"Quarterly meetings with service users would keep things on track.",
		"Information in other languages, please.",
		"Funding for three years rather than one would let us plan.",
		"The building had no hearing loop.",
		"A simple online survey after six months would be enough.",
		"I would like to know what happens next.",
	}
)

// text makes a free-text answer that fits the question's name.
func (g *demoGenerator) text(q *survey.Question) string {
	rng := g.rng
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	name := strings.ToLower(q.Name)
	switch {
	case strings.Contains(name, "email"):
		return fmt.Sprintf("%s.%s%d@example.org", pick(demoFirst), pick(demoLast), rng.IntN(100))
	case strings.Contains(name, "postcode"):
		return pick(demoPostcodes)
	case strings.Contains(name, "org"):
		return pick(demoOrgs)
	case strings.Contains(name, "title"):
		return pick(demoTitles)
	case strings.Contains(name, "phone"):
		return fmt.Sprintf("07700 900%03d", rng.IntN(1000))
	case strings.Contains(name, "name"):
		first := pick(demoFirst)
		return strings.ToUpper(first[:1]) + first[1:]
	}
	s := pick(demoComments)
	if q.IsMultiline() && rng.IntN(2) == 0 {
		s += " " + pick(demoComments)
	}
	return s
}
