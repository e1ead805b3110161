package survey

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"canvass/survey/expr"
)

// Answer keys. A question outside any repeat is keyed by its name, as
// always. A question inside a repeat is keyed by the path of its instance
// before its name: "carers[2]/age" is the age of the second person cared
// for, "carers[2]/services[1]/service" the first service of that person.
// Instances count from 1, as XPath's position() does; a key holds the
// repeats only, never the plain groups around them. The same key is used in
// survey.Answers, the store, bundles and exports, so answers of instances
// merge, erase and export like any other answer.

// MaxInstances is the most instances one repeat may have in a response,
// and MaxRepeatDepth the most repeats a key may pass through: keys beyond
// them are refused as damaged.
const (
	MaxInstances   = 9999
	MaxRepeatDepth = 8
)

// Step is one instance on a key's path: the repeat's name and the
// instance's position, from 1.
type Step struct {
	Repeat string
	Index  int
}

// Key writes the key of the question name in the instance path.
func Key(path []Step, name string) string {
	var b strings.Builder
	for _, s := range path {
		b.WriteString(s.Repeat)
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(s.Index))
		b.WriteString("]/")
	}
	b.WriteString(name)
	return b.String()
}

// ParseKey splits an answer key into its instance path and the question's
// name. It refuses anything Key does not write: bad names, indexes below 1
// or above MaxInstances, leading zeros, more than MaxRepeatDepth steps, and
// keys longer than MaxNameLength (Validate keeps a form's keys within it).
func ParseKey(key string) (path []Step, name string, err error) {
	if len(key) > MaxNameLength {
		return nil, "", fmt.Errorf("answer key %.60q… is %d bytes, more than the %d allowed", key, len(key), MaxNameLength)
	}
	parts := strings.Split(key, "/")
	if len(parts)-1 > MaxRepeatDepth {
		return nil, "", fmt.Errorf("answer key %.60q passes through %d repeats, more than the %d allowed", key, len(parts)-1, MaxRepeatDepth)
	}
	for _, p := range parts[:len(parts)-1] {
		repeat, rest, ok := strings.Cut(p, "[")
		num, closed := strings.CutSuffix(rest, "]")
		if !ok || !closed {
			return nil, "", fmt.Errorf("answer key %.60q: %.40q is not repeat[n]", key, p)
		}
		if !expr.ValidName(repeat) {
			return nil, "", fmt.Errorf("answer key %.60q: %.40q is not a valid repeat name", key, repeat)
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || n > MaxInstances || num != strconv.Itoa(n) {
			return nil, "", fmt.Errorf("answer key %.60q: instance %.20q of %s is not a number from 1 to %d", key, num, repeat, MaxInstances)
		}
		path = append(path, Step{Repeat: repeat, Index: n})
	}
	name = parts[len(parts)-1]
	if !expr.ValidName(name) {
		return nil, "", fmt.Errorf("answer key %.60q: %.40q is not a valid question name", key, name)
	}
	return path, name, nil
}

// CompareKeys orders answer keys as the form shows them within one
// repeat: by instance number (carers[2] before carers[10]), then by the
// rest of the key. Keys that do not parse sort after the others, by text.
func CompareKeys(a, b string) int {
	pa, na, ea := ParseKey(a)
	pb, nb, eb := ParseKey(b)
	switch {
	case ea != nil || eb != nil:
		if (ea == nil) != (eb == nil) {
			if ea == nil {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	}
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if c := cmp.Or(strings.Compare(pa[i].Repeat, pb[i].Repeat), cmp.Compare(pa[i].Index, pb[i].Index)); c != 0 {
			return c
		}
	}
	return cmp.Or(cmp.Compare(len(pa), len(pb)), strings.Compare(na, nb))
}

// SortKeys sorts answer keys with CompareKeys.
func SortKeys(keys []string) { slices.SortFunc(keys, CompareKeys) }

// Instances returns how many instances of the repeat under parent (nil
// for a repeat outside any other) the answers hold: the highest index any
// of its keys names, so an instance whose answers are all blank between
// answered ones still counts.
func (a Answers) Instances(parent []Step, repeat string) int {
	n := 0
	for k := range a {
		if step, ok := stepUnder(k, parent, repeat); ok && step.Index > n {
			n = step.Index
		}
	}
	return n
}

// RemoveInstance deletes every answer of the instance at path (its last
// step names the repeat and the instance) and of the instances nested in
// it, and moves the later instances of that repeat down by one, so that
// answers keep their order with no gap: removing carers[2] of three makes
// carers[3]/age carers[2]/age. Answers outside that repeat are untouched.
func (a Answers) RemoveInstance(path []Step) {
	if len(path) == 0 {
		return
	}
	parent, last := path[:len(path)-1], path[len(path)-1]
	moved := Answers{}
	for k, v := range a {
		step, ok := stepUnder(k, parent, last.Repeat)
		if !ok || step.Index < last.Index {
			continue
		}
		delete(a, k)
		if step.Index == last.Index {
			continue
		}
		p, name, _ := ParseKey(k)
		p[len(parent)].Index--
		moved[Key(p, name)] = v
	}
	for k, v := range moved {
		a[k] = v
	}
}

// stepUnder returns the step of key k that names an instance of repeat
// directly under the instance path parent, if k lies inside such an
// instance.
func stepUnder(k string, parent []Step, repeat string) (Step, bool) {
	if !strings.Contains(k, "[") {
		return Step{}, false
	}
	p, _, err := ParseKey(k)
	if err != nil || len(p) <= len(parent) || !slices.Equal(p[:len(parent)], parent) || p[len(parent)].Repeat != repeat {
		return Step{}, false
	}
	return p[len(parent)], true
}

// Repeats returns the repeats that enclose the question (or group) named
// name, outermost first; nil for a question outside any repeat or not in
// the survey. A repeat does not enclose itself.
func (s *Survey) Repeats(name string) []*Question {
	var found []*Question
	var walk func(qs []*Question, around []*Question) bool
	walk = func(qs []*Question, around []*Question) bool {
		for _, q := range qs {
			if q.Name == name {
				found = around
				return true
			}
			if q.Type == TypeGroup {
				inner := around
				if q.Repeat != nil {
					inner = append(slices.Clip(around), q)
				}
				if walk(q.Questions, inner) {
					return true
				}
			}
		}
		return false
	}
	walk(s.Questions, nil)
	return found
}

// KeyQuestion returns the question an answer key belongs to, checking that
// the key's instance path names exactly the repeats around it, outermost
// first: "carers[2]/age" needs age inside the repeat carers and no other
// repeat, and a plain name a question outside every repeat. The error says
// what is wrong with the key.
func (s *Survey) KeyQuestion(key string) (*Question, error) {
	path, name, err := ParseKey(key)
	if err != nil {
		return nil, err
	}
	q, ok := s.Question(name)
	if !ok {
		return nil, fmt.Errorf("answer key %.60q: the survey has no question %q", key, name)
	}
	repeats := s.Repeats(name)
	want := make([]string, len(repeats))
	for i, r := range repeats {
		want[i] = r.Name + "[n]"
	}
	if len(path) != len(repeats) {
		return nil, fmt.Errorf("answer key %.60q: %s lies in %s", key, name, repeatPlaces(want))
	}
	for i, st := range path {
		if st.Repeat != repeats[i].Name {
			return nil, fmt.Errorf("answer key %.60q: %s lies in %s", key, name, repeatPlaces(want))
		}
	}
	return q, nil
}

// repeatPlaces says where a question lies: "no repeat" or "carers[n]/services[n]".
func repeatPlaces(steps []string) string {
	if len(steps) == 0 {
		return "no repeat"
	}
	return strings.Join(steps, "/")
}
