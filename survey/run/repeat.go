package run

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"canvass/survey"
	"canvass/survey/expr"
)

// Instance is one instance of a repeat, as a page shows it.
type Instance struct {
	Repeat         *survey.Question // the repeat group
	Key            string           // the instance's key: "carers[2]", "carers[2]/services[1]"
	Index          int              // from 1
	Count          int              // instances of this repeat in its parent now
	Fixed          bool             // repeat_count decides the count: no add or remove
	Title          string           // "Person 2 of 3", in the respondent's language
	RemoveLabel    string           // "Remove this person"
	RemoveQuestion string           // "Remove person 2? The answers about person 2 will be deleted."

	path []survey.Step // the instance path, this instance last
}

// RepeatPrompt is the page after a repeat's instances that asks whether
// to add another (a repeat without repeat_count only).
type RepeatPrompt struct {
	Repeat   *survey.Question
	Key      string // the repeat's key in its parent: "carers" or "carers[2]/services"
	Count    int    // instances so far
	CanAdd   bool   // false at the most the repeat's constraint allows (survey.Question.RepeatLimits), or when the response holds survey.MaxInstances instances (all repeats together)
	Summary  string // "2 added so far." / "No person added yet."
	AddLabel string // "Add a person" (none yet) / "Add another person"
	Full     string // at the most the repeat's constraint allows, why Add is gone: "You can add at most 3 people."; else ""
}

// slot is one answer key of the current layout: a question holding an
// answer, in the instance path (nil outside every repeat).
type slot struct {
	key  string
	q    *survey.Question
	path []survey.Step
}

// layout is the expanded form for the instances a session has now: its
// answer keys in survey order and its pages.
type layout struct {
	slots []slot
	byKey map[string]int // index in slots
	pages []Page
}

// words gives the repeat texts in the respondent's language.
type words struct{ lang, fallback string }

// item is a repeat's noun for one instance ("person"), or the engine's
// translated "entry".
func (w words) item(q *survey.Question) string {
	if q.Repeat != nil {
		if s := strings.TrimSpace(q.Repeat.Item.In(w.lang, w.fallback)); s != "" {
			return s
		}
	}
	return Message(w.lang, msgItem)
}

// InstanceTitle words the heading of instance n of count of repeat q in
// language lang (else fallback), for the respondent's pages and the staff's
// screens alike: "Person 2 of 3" with the repeat's noun (survey.Repeat.Item);
// without one, by the repeat's label when that reads as a name ("Household
// member 2 of 3"), else "Entry 2 of 3".
func InstanceTitle(q *survey.Question, lang, fallback string, n, count int) string {
	return words{lang: lang, fallback: fallback}.title(q, n, count)
}

// title is InstanceTitle in w's language.
func (w words) title(q *survey.Question, n, count int) string {
	item := w.item(q)
	if q.Repeat != nil && strings.TrimSpace(q.Repeat.Item.In(w.lang, w.fallback)) == "" {
		if label := strings.TrimSpace(q.Label.In(w.lang, w.fallback)); labelNames(label) {
			return w.say(msgLabelTitle, item, n, count, "{{.Repeat}}", label)
		}
	}
	return w.say(msgInstanceTitle, item, n, count)
}

// labelNames tells whether a repeat's label can stand before "2 of 3" as
// the name of what is counted: short, one line, no ${…} that only a
// session could fill in, and no question or instruction ("?", ":", ".").
func labelNames(label string) bool {
	return label != "" && utf8.RuneCountInString(label) <= 40 && !strings.ContainsAny(label, "\n$") &&
		!strings.HasSuffix(label, "?") && !strings.HasSuffix(label, ":") && !strings.HasSuffix(label, ".")
}

// say fills in a message's {{.Item}}, {{.ItemTitle}}, {{.N}} and {{.Count}}.
// More pairs of placeholder and value may follow.
func (w words) say(key, item string, n, count int, more ...string) string {
	first, size := utf8.DecodeRuneInString(item)
	title := string(unicode.ToUpper(first)) + item[size:]
	return strings.NewReplacer(append([]string{"{{.Item}}", item, "{{.ItemTitle}}", title,
		"{{.N}}", strconv.Itoa(n), "{{.Count}}", strconv.Itoa(count)}, more...)...).Replace(Message(w.lang, key))
}

// buildLayout expands the survey for the instance counts inst (keyed by
// repeat key): each instance's questions get their keys and pages, and a
// repeat without repeat_count gets its prompt page after its instances.
func buildLayout(r *rules, inst map[string]int, w words) *layout {
	l := &layout{byKey: map[string]int{}}
	total := 0
	for _, n := range inst {
		total += n
	}
	addSlot := func(q *survey.Question, path []survey.Step) string {
		key := survey.Key(path, q.Name)
		if q.Type.HoldsAnswer() {
			l.byKey[key] = len(l.slots)
			l.slots = append(l.slots, slot{key: key, q: q, path: path})
		}
		return key
	}
	var walk func(qs []*survey.Question, path []survey.Step, in *Instance)
	fieldList := func(g *survey.Question, path []survey.Step, in *Instance) {
		pg := Page{Group: g, Instance: in}
		var nested []*survey.Question // repeats inside get their own pages after it
		var flat func(qs []*survey.Question)
		flat = func(qs []*survey.Question) {
			for _, q := range qs {
				switch {
				case q.Repeat != nil:
					nested = append(nested, q)
				case q.Type == survey.TypeGroup:
					flat(q.Questions)
				default:
					key := addSlot(q, path)
					if q.Type.Shown() {
						pg.Fields = append(pg.Fields, Field{Key: key, Question: q})
					}
				}
			}
		}
		flat(g.Questions)
		if len(pg.Fields) > 0 {
			l.pages = append(l.pages, pg)
		}
		walk(nested, path, in)
	}
	walk = func(qs []*survey.Question, path []survey.Step, in *Instance) {
		for _, q := range qs {
			switch {
			case q.Repeat != nil:
				rk := survey.Key(path, q.Name)
				n := inst[rk]
				fixed := q.Repeat.Count != ""
				item := w.item(q)
				for i := 1; i <= n; i++ {
					p := append(slices.Clip(path), survey.Step{Repeat: q.Name, Index: i})
					child := &Instance{Repeat: q, Key: rk + "[" + strconv.Itoa(i) + "]", Index: i, Count: n, Fixed: fixed,
						Title:          w.title(q, i, n),
						RemoveLabel:    w.say(msgRemoveLabel, item, i, n),
						RemoveQuestion: w.say(msgRemoveQuestion, item, i, n),
						path:           p}
					if q.HasAppearance(survey.AppearanceFieldList) {
						fieldList(q, p, child)
					} else {
						walk(q.Questions, p, child)
					}
				}
				if !fixed {
					most := r.most[q.Name]
					pr := &RepeatPrompt{Repeat: q, Key: rk, Count: n, CanAdd: total < survey.MaxInstances && (most == 0 || n < most),
						Summary: w.say(msgRepeatSummary, item, n, n), AddLabel: w.say(msgAddAnother, item, n, n)}
					if most > 0 && n >= most {
						pr.Full = w.limit(msgRepeatFull, q, most, 0)
					}
					if n == 0 {
						pr.Summary = w.say(msgRepeatNone, item, 0, 0)
						pr.AddLabel = w.say(addFirst(w.lang, item), item, 0, 0)
					}
					l.pages = append(l.pages, Page{Instance: in, Prompt: pr, path: path})
				}
			case q.Type == survey.TypeGroup && q.HasAppearance(survey.AppearanceFieldList):
				fieldList(q, path, in)
			case q.Type == survey.TypeGroup:
				walk(q.Questions, path, in)
			default:
				key := addSlot(q, path)
				if q.Type.Shown() {
					l.pages = append(l.pages, Page{Instance: in, Fields: []Field{{Key: key, Question: q}}})
				}
			}
		}
	}
	walk(r.s.Questions, nil, nil)
	for i := range l.pages {
		if p := &l.pages[i]; p.Prompt == nil && p.Instance != nil {
			p.path = p.Instance.path
		}
	}
	return l
}

// addFirst picks "Add a …" or, in English before a vowel, "Add an …".
func addFirst(lang, item string) string {
	if (lang == "en" || strings.HasPrefix(lang, "en-")) && strings.ContainsRune("aeiouAEIOU", rune(item[0])) {
		return msgAddFirstAn
	}
	return msgAddFirst
}

// pageID names a page across layouts: its first key, or its repeat's key
// for a prompt.
func pageID(p Page) string {
	if p.Prompt != nil {
		return "+" + p.Prompt.Key
	}
	if len(p.Fields) > 0 {
		return p.Fields[0].Key
	}
	return ""
}

// relayout expands the form again after instance counts or the language
// changed, keeping the current page where it still exists.
func (s *Session) relayout() {
	if !s.r.hasRepeats {
		return
	}
	cur := ""
	if s.page >= 0 && s.page < len(s.lay.pages) {
		cur = pageID(s.lay.pages[s.page])
	}
	s.lay = buildLayout(s.r, s.inst, words{s.lang, s.s.DefaultLanguage()})
	if i := s.findPage(func(p Page) bool { return pageID(p) == cur }); i >= 0 {
		s.page = i
	}
	s.page = max(0, min(s.page, len(s.lay.pages)-1))
}

// findPage returns the first page for which ok holds, or -1.
func (s *Session) findPage(ok func(Page) bool) int {
	for i, p := range s.lay.pages {
		if ok(p) {
			return i
		}
	}
	return -1
}

// Instances returns how many instances the repeat with key repeatKey
// ("carers", "carers[2]/services") has now.
func (s *Session) Instances(repeatKey string) int { return s.inst[repeatKey] }

// PromptInstances returns the instances the prompt page pr lists, in
// order, each once: those of its repeat in its parent, not those of
// repeats inside them.
func (s *Session) PromptInstances(pr *RepeatPrompt) []*Instance {
	var out []*Instance
	seen := map[string]bool{}
	for _, pg := range s.lay.pages {
		in := pg.Instance
		if in != nil && !seen[in.Key] && in.Repeat == pr.Repeat && strings.HasPrefix(in.Key, pr.Key+"[") && !strings.Contains(in.Key[len(pr.Key):], "/") {
			seen[in.Key] = true
			out = append(out, in)
		}
	}
	return out
}

// repeatAt checks a repeat key and returns the repeat and the instance
// path of its parent.
func (s *Session) repeatAt(repeatKey string) (*survey.Question, []survey.Step, error) {
	path, name, err := survey.ParseKey(repeatKey)
	if err != nil {
		return nil, nil, fmt.Errorf("repeat %q: %w", repeatKey, err)
	}
	q, ok := s.s.Question(name)
	if !ok || q.Repeat == nil {
		return nil, nil, fmt.Errorf("repeat %q: the survey has no repeat %q", repeatKey, name)
	}
	chain := s.r.chain[name]
	if len(chain) != len(path) {
		return nil, nil, fmt.Errorf("repeat %q: %s lies in %s", repeatKey, name, places(chain))
	}
	for i, st := range path {
		if st.Repeat != chain[i] || st.Index > s.inst[survey.Key(path[:i], st.Repeat)] {
			return nil, nil, fmt.Errorf("repeat %q: there is no instance %s", repeatKey, instanceKey(path[:i+1]))
		}
	}
	return q, path, nil
}

// places says where a repeat lies: "no repeat" or "carers[n]/services[n]".
func places(chain []string) string {
	if len(chain) == 0 {
		return "no repeat"
	}
	return strings.Join(chain, "[n]/") + "[n]"
}

// AddInstance appends an instance to the repeat with key repeatKey
// ("carers", "carers[2]/services"), gives its questions their defaults
// and makes its first page current (the repeat's prompt if it shows no
// question). It refuses a repeat whose count repeat_count fixes, a key
// that is not a repeat's, a repeat at the most its constraint allows
// (survey.Question.RepeatLimits) and a response at survey.MaxInstances.
func (s *Session) AddInstance(repeatKey string) error {
	if s.submitted {
		return ErrSubmitted
	}
	q, _, err := s.repeatAt(repeatKey)
	if err != nil {
		return fmt.Errorf("add instance: %w", err)
	}
	if q.Repeat.Count != "" {
		return fmt.Errorf("add instance: repeat %q: its number of instances is set by repeat_count (%s)", repeatKey, q.Repeat.Count)
	}
	n := s.inst[repeatKey]
	if most := s.r.most[q.Name]; most > 0 && n >= most {
		return fmt.Errorf("add instance: repeat %q: it has %d, the most its constraint allows (%s)", repeatKey, n, q.Constraint)
	}
	if n >= survey.MaxInstances || s.totalInstances() >= survey.MaxInstances {
		return fmt.Errorf("add instance: repeat %q: the response already has %d instances, the most allowed", repeatKey, survey.MaxInstances)
	}
	s.inst[repeatKey] = n + 1
	s.relayout()
	key := repeatKey + "[" + strconv.Itoa(n+1) + "]"
	s.giveDefaults([]string{key})
	s.settle()
	if i := s.findPage(func(p Page) bool { return p.Instance != nil && inside(p.Instance.Key, key) }); i >= 0 {
		s.page = i
	} else if i := s.findPage(func(p Page) bool { return p.Prompt != nil && p.Prompt.Key == repeatKey }); i >= 0 {
		s.page = i
	}
	return nil
}

// totalInstances counts the instances of every repeat in the response:
// survey.MaxInstances bounds them all together, so that nested repeat
// counts cannot multiply into millions of questions.
func (s *Session) totalInstances() int {
	n := 0
	for _, c := range s.inst {
		n += c
	}
	return n
}

// inside reports whether the instance key k is inst or lies in it.
func inside(k, inst string) bool { return k == inst || strings.HasPrefix(k, inst+"/") }

// giveDefaults gives the questions of the new instances their defaults.
func (s *Session) giveDefaults(instances []string) []string {
	var changed []string
	for _, sl := range s.lay.slots {
		q := sl.q
		if q.Default == "" || q.Type.IsMetadata() || q.Type == survey.TypeCalculate || s.answers[sl.key] != "" {
			continue
		}
		for _, in := range instances {
			if strings.HasPrefix(sl.key, in+"/") {
				s.answers[sl.key] = q.Default
				changed = append(changed, sl.key)
				break
			}
		}
	}
	return changed
}

// instanceKey writes the key of the instance at path ("carers[2]").
func instanceKey(path []survey.Step) string { return strings.TrimSuffix(survey.Key(path, ""), "/") }

// parseInstance splits an instance key ("carers[2]") into its path.
func parseInstance(key string) ([]survey.Step, error) {
	path, _, err := survey.ParseKey(key + "/_")
	if err != nil || len(path) == 0 || !strings.HasSuffix(key, "]") {
		return nil, fmt.Errorf("%q is not an instance key such as carers[2]", key)
	}
	return path, nil
}

// RemoveInstance removes the instance with key instanceKey ("carers[2]")
// with its answers and nested instances, and numbers the later instances
// down by one. The store gets the whole change in one transaction
// (Store.SaveAnswers): if it fails, the session keeps the old instances
// and the error says so. The current page becomes the next instance's
// first page, else the repeat's prompt. It refuses a repeat whose count
// repeat_count fixes and a key that is not an instance's.
func (s *Session) RemoveInstance(ctx context.Context, instanceKey string) error {
	if s.submitted {
		return ErrSubmitted
	}
	path, err := parseInstance(instanceKey)
	if err != nil {
		return fmt.Errorf("remove instance: %w", err)
	}
	last := path[len(path)-1]
	repeatKey := survey.Key(path[:len(path)-1], last.Repeat)
	q, _, err := s.repeatAt(repeatKey)
	if err != nil {
		return fmt.Errorf("remove instance: %w", err)
	}
	if last.Index > s.inst[repeatKey] {
		return fmt.Errorf("remove instance: %s has %d instances, so no instance %d", repeatKey, s.inst[repeatKey], last.Index)
	}
	if q.Repeat.Count != "" {
		return fmt.Errorf("remove instance %q: the number of instances is set by repeat_count (%s)", instanceKey, q.Repeat.Count)
	}
	old := s.snapshot()
	s.answers.RemoveInstance(path)
	s.parked.RemoveInstance(path)
	s.unreadable = renumber(s.unreadable, path)
	counts := renumber(s.inst, path)
	counts[repeatKey] = s.inst[repeatKey] - 1
	s.inst = counts
	s.relayout()
	s.settle()
	if err := s.persistAll(ctx); err != nil {
		s.restore(old)
		return fmt.Errorf("remove %s: nothing was removed: %w", instanceKey, err)
	}
	if i := s.findPage(func(p Page) bool { return p.Instance != nil && inside(p.Instance.Key, instanceKey) }); i >= 0 {
		s.page = i
	} else if i := s.findPage(func(p Page) bool { return p.Prompt != nil && p.Prompt.Key == repeatKey }); i >= 0 {
		s.page = i
	}
	return nil
}

// renumber applies the removal of the instance at path to a map keyed by
// answer or repeat keys, as survey.Answers.RemoveInstance does to answers.
func renumber[V any](m map[string]V, path []survey.Step) map[string]V {
	keys := make(survey.Answers, len(m))
	for k := range m {
		keys[k] = k
	}
	keys.RemoveInstance(path)
	out := make(map[string]V, len(keys))
	for k, was := range keys {
		out[k] = m[was]
	}
	return out
}

// state is what RemoveInstance puts back when the store refuses.
type state struct {
	answers    survey.Answers
	parked     survey.Answers
	unreadable map[string]refusal
	inst       map[string]int
	page       int
}

func (s *Session) snapshot() state {
	return state{maps.Clone(s.answers), maps.Clone(s.parked), maps.Clone(s.unreadable), maps.Clone(s.inst), s.page}
}

func (s *Session) restore(st state) {
	s.answers, s.parked, s.unreadable, s.inst = st.answers, st.parked, st.unreadable, st.inst
	s.relayout()
	s.page = st.page
}

// persistAll writes every answer that differs from the store's in one
// transaction (nothing before the response is started: Save starts it).
func (s *Session) persistAll(ctx context.Context) error {
	if s.cfg.Store == nil || s.responseID == "" {
		return nil
	}
	values := survey.Answers{}
	var clear []string
	for _, k := range s.dirty() {
		if v := s.answers[k]; v != "" {
			values[k] = v
		} else {
			clear = append(clear, k)
		}
	}
	if len(values)+len(clear) == 0 {
		return nil
	}
	if err := s.cfg.Store.SaveAnswers(ctx, s.responseID, values, clear); err != nil {
		return err
	}
	for k, v := range values {
		s.stored[k] = v
	}
	for _, k := range clear {
		delete(s.stored, k)
	}
	return nil
}

// countsFromAnswers rebuilds the instance counts of stored answers: each
// repeat has as many instances as the highest index its keys name.
func (s *Session) countsFromAnswers() {
	for k := range s.answers {
		if !strings.Contains(k, "[") {
			continue
		}
		if _, err := s.s.KeyQuestion(k); err != nil {
			continue // not a key of this survey: kept, never shown
		}
		path, _, _ := survey.ParseKey(k)
		for i, st := range path {
			rk := survey.Key(path[:i], st.Repeat)
			s.inst[rk] = max(s.inst[rk], st.Index)
		}
	}
}

// fixCounts sets the instances of every repeat_count repeat to its count
// now, outer repeats first; answers of instances beyond a lowered count
// are cleared and new instances get their defaults. It reports whether a
// count changed, adding the keys it changed to changed.
func (s *Session) fixCounts(changed *[]string) bool {
	any := false
	var added []string
	total := s.totalInstances()
	for _, rep := range s.r.repeats {
		e := s.r.count[rep.Name]
		if e == nil {
			continue
		}
		for _, parent := range s.r.instancePaths(s.inst, s.r.chain[rep.Name]) {
			rk := survey.Key(parent, rep.Name)
			if s.countAnswerFails(e, parent) {
				continue // not given yet: keep the instances it has
			}
			v, err := e.Eval(s.eval().env("", parent))
			if err != nil {
				s.eval().fail(rk, "repeat_count", e, err)
				continue // keep the instances it has
			}
			f, _ := v.Number()
			n := 0
			if f >= 1 { // blank, NaN and negative give none
				n = int(math.Min(math.Trunc(f), survey.MaxInstances))
			}
			had := s.inst[rk]
			if room := max(0, survey.MaxInstances-total); n-had > room {
				s.eval().fail(rk, "repeat_count", e, fmt.Errorf("%d instances would take the response past %d instances in all: it has %d", n, survey.MaxInstances, had+room))
				n = had + room
			}
			if n == had {
				continue
			}
			total += n - had
			any = true
			// The instances past the count go, the last ones of their
			// repeat (nothing after them to renumber), in one pass over the
			// answers whatever their number: a count typed as 50000 and
			// corrected took seconds per keystroke.
			depth := len(parent) + 1
			gone := map[string]bool{}
			for i := had; i > n; i-- {
				gone[instanceKey(append(slices.Clip(parent), survey.Step{Repeat: rep.Name, Index: i}))] = true
			}
			if len(gone) > 0 {
				for k, v := range s.answers {
					if gone[instanceOf(k, depth)] {
						s.parked[k] = v
						delete(s.answers, k)
						*changed = append(*changed, k)
					}
				}
				maps.DeleteFunc(s.unreadable, func(k string, _ refusal) bool { return gone[instanceOf(k, depth)] })
				maps.DeleteFunc(s.inst, func(k string, _ int) bool { return gone[instanceOf(k, depth)] })
			}
			back := map[string]bool{}
			for i := had + 1; i <= n; i++ {
				key := instanceKey(append(slices.Clip(parent), survey.Step{Repeat: rep.Name, Index: i}))
				added = append(added, key)
				back[key] = true
			}
			*changed = append(*changed, s.unpark(back, depth)...)
			if n == 0 {
				delete(s.inst, rk)
			} else {
				s.inst[rk] = n
			}
		}
	}
	if any {
		s.relayout()
		*changed = append(*changed, s.giveDefaults(added)...)
	}
	return any
}

// countAnswerFails tells whether an answer repeat_count e reads (in the
// instance path parent) breaks its own check: a count of 50000 where the
// question allows at most 20 must not build thousands of instances (and
// "Page 2 of 40000") while the respondent is told to correct it. A blank
// answer does not count as failing: it is a count of none.
func (s *Session) countAnswerFails(e *expr.Expr, parent []survey.Step) bool {
	for _, name := range e.Refs() {
		key := s.r.resolve(name, parent)
		if _, ok := s.slot(key); !ok || s.answers[key] == "" {
			continue
		}
		if c := s.Check(key); c.Outcome != OK && c.Outcome != RequiredEmpty {
			return true
		}
	}
	return false
}

// instanceOf is the instance key at depth (1: the top-level repeat) that
// key lies in or is: "carers[2]" for "carers[2]/services[1]/name" at depth
// 1; "" when key is not that deep.
func instanceOf(key string, depth int) string {
	parts := strings.SplitN(key, "/", depth+1)
	if len(parts) < depth {
		return ""
	}
	return strings.Join(parts[:depth], "/")
}

// unpark gives the instances (keys at depth) that a repeat_count brings back the answers they
// had when the count last fell (a respondent correcting 2 to 3 passes
// through a blank count), with the instances nested in them.
func (s *Session) unpark(instances map[string]bool, depth int) []string {
	if len(instances) == 0 {
		return nil
	}
	var back []string
	for k, v := range s.parked {
		instance := instanceOf(k, depth)
		if !instances[instance] {
			continue
		}
		s.answers[k] = v
		delete(s.parked, k)
		back = append(back, k)
		path, _, err := survey.ParseKey(k)
		if err != nil {
			continue
		}
		for i, st := range path {
			rk := survey.Key(path[:i], st.Repeat)
			if inside(rk, instance) {
				s.inst[rk] = max(s.inst[rk], st.Index)
			}
		}
	}
	return back
}

// instancePaths lists the instance paths through the repeats chain that
// exist for the counts inst: [[]] for no repeat, [[r[1]], [r[2]]] for
// one repeat r of two instances.
func (r *rules) instancePaths(inst map[string]int, chain []string) [][]survey.Step {
	paths := [][]survey.Step{nil}
	for _, rep := range chain {
		var next [][]survey.Step
		for _, p := range paths {
			for i := 1; i <= inst[survey.Key(p, rep)]; i++ {
				next = append(next, append(slices.Clip(p), survey.Step{Repeat: rep, Index: i}))
			}
		}
		paths = next
	}
	return paths
}

// resolve returns the key ${name} stands for in the instance path: the
// same instance for each repeat around name that the path is in, the
// first instance of the others (XPath's value of a set of answers).
func (r *rules) resolve(name string, path []survey.Step) string { return r.keyAt(name, path, nil) }

// indexed returns the key indexed-repeat(${name}, …) names: the instances
// at, then those of the path, then the first; "" when at names a repeat
// that is not around name.
func (r *rules) indexed(name string, at []expr.At, path []survey.Step) string {
	chain := r.chain[name]
	for _, a := range at {
		if !slices.Contains(chain, a.Repeat) {
			return ""
		}
	}
	return r.keyAt(name, path, at)
}

// keyAt builds the key of name: for each repeat around it, the index at
// gives, else the path's while the path runs through the same repeats,
// else 1.
func (r *rules) keyAt(name string, path []survey.Step, at []expr.At) string {
	chain := r.chain[name]
	if len(chain) == 0 {
		return name
	}
	steps := make([]survey.Step, len(chain))
	same := true
	for i, rep := range chain {
		same = same && i < len(path) && path[i].Repeat == rep
		steps[i] = survey.Step{Repeat: rep, Index: 1}
		if same {
			steps[i].Index = path[i].Index
		}
		for _, a := range at {
			if a.Repeat == rep {
				steps[i].Index = a.Index
				same = false
			}
		}
	}
	return survey.Key(steps, name)
}

// values returns every answer ${name} stands for in the instance path:
// the same instance of each repeat around name the path is in, every
// instance of the others; for a repeat's own name, one blank per instance.
func (v evaluator) values(name string, path []survey.Step) []string {
	chain := v.r.chain[name]
	var out []string
	var walk func(i int, steps []survey.Step, same bool)
	walk = func(i int, steps []survey.Step, same bool) {
		if i == len(chain) {
			if v.r.isRepeat[name] {
				for range v.inst[survey.Key(steps, name)] {
					out = append(out, "")
				}
				return
			}
			out = append(out, v.a[survey.Key(steps, name)])
			return
		}
		rep := chain[i]
		if same && i < len(path) && path[i].Repeat == rep {
			walk(i+1, append(steps, path[i]), true)
			return
		}
		for j := 1; j <= v.inst[survey.Key(steps, rep)]; j++ {
			walk(i+1, append(slices.Clip(steps), survey.Step{Repeat: rep, Index: j}), false)
		}
	}
	walk(0, nil, true)
	return out
}
