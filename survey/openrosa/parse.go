package openrosa

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"canvass/survey"
)

// Limits on a submission read back from a server: beyond them it is
// refused as damaged or hostile, before anything is stored.
const (
	MaxSubmissionBytes = 16 << 20 // bytes of one submission's XML
	MaxValueBytes      = 1 << 20  // bytes of one value (the store's answer limit)
	maxDepth           = 64       // elements inside one another
)

// Received is a submission read back: its instanceID (and the one it
// replaced, for an edit) and the answers under Canvass's keys
// ("people[2]/age"), instances numbered in document order.
type Received struct {
	InstanceID   string
	DeprecatedID string
	Answers      survey.Answers
}

// ErrBadSubmission marks a submission that does not follow its form.
var ErrBadSubmission = errors.New("the submission does not follow its form")

// parsing is where the reader is: one open element of the submission.
type parsing struct {
	node  *Node
	path  []survey.Step // the instance path inside it
	xpath string        // "/data/people[2]/pets[1]" for messages
	seen  map[string]int
	text  strings.Builder
	field bool // a field: character data only
	skip  bool // a jr:template: read and dropped
}

// ParseSubmission reads a submission of this form (as ODK Collect, Enketo
// or Central send it) into answers keyed as Canvass keys them: each
// repeated element of a repeat is the next instance of it in its parent,
// jr:template placeholders are dropped, values are turned from XForm
// formats into Canvass's stored ones. A submission of another form, an
// element the form does not have, a plain element given twice, more than
// survey.MaxInstances instances in all, nesting deeper than the form, or a
// value larger than MaxValueBytes is refused with an error naming what
// and where (an XPath such as /data/people[10000]); nothing is returned
// then. Elements of the form that the survey does not ask (meta fields
// other than the ids, pyxform's own) are read and left out.
func (sh *Shape) ParseSubmission(def *survey.Survey, data []byte) (*Received, error) {
	if len(data) > MaxSubmissionBytes {
		return nil, fmt.Errorf("%w: it is %d bytes, more than the %d allowed", ErrBadSubmission, len(data), MaxSubmissionBytes)
	}
	types := elementTypes(def)
	out := &Received{Answers: survey.Answers{}}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var stack []*parsing
	instances := 0
	done := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: not well-formed XML: %v", ErrBadSubmission, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if done {
				return nil, fmt.Errorf("%w: a second root element <%s>", ErrBadSubmission, name)
			}
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("%w: elements nested more than %d deep at %s/%s", ErrBadSubmission, maxDepth, stack[len(stack)-1].xpath, name)
			}
			if len(stack) == 0 {
				if name != sh.Root.Name || attr(t, "id") != sh.FormID {
					return nil, fmt.Errorf("%w: it is <%s id=%q>, not a submission of form %q (<%s>)", ErrBadSubmission, name, attr(t, "id"), sh.FormID, sh.Root.Name)
				}
				if v := attr(t, "version"); v != sh.Version {
					return nil, fmt.Errorf("%w: it answers version %q of form %q, not version %q", ErrBadSubmission, v, sh.FormID, sh.Version)
				}
				stack = append(stack, &parsing{node: sh.Root, xpath: "/" + name, seen: map[string]int{}})
				continue
			}
			parent := stack[len(stack)-1]
			if parent.skip {
				stack = append(stack, &parsing{skip: true, xpath: parent.xpath + "/" + name})
				continue
			}
			if parent.field {
				return nil, fmt.Errorf("%w: %s is a question, but holds an element <%s>", ErrBadSubmission, parent.xpath, name)
			}
			n := parent.node.child(name)
			if n == nil && name == "deprecatedID" && len(stack) == 2 && parent.node.Name == "meta" {
				n = &Node{Name: name} // an edit names the version it replaces
			}
			if n == nil {
				return nil, fmt.Errorf("%w: %s holds <%s>, which the form does not have there", ErrBadSubmission, parent.xpath, name)
			}
			if isTemplate(t) {
				if !n.Repeat {
					return nil, fmt.Errorf("%w: %s/%s is marked jr:template but is not a repeat", ErrBadSubmission, parent.xpath, name)
				}
				stack = append(stack, &parsing{skip: true, xpath: parent.xpath + "/" + name})
				continue
			}
			parent.seen[name]++
			p := &parsing{node: n, path: parent.path, seen: map[string]int{}}
			switch {
			case n.Repeat:
				idx := parent.seen[name]
				instances++
				p.xpath = parent.xpath + "/" + name + "[" + strconv.Itoa(idx) + "]"
				if instances > survey.MaxInstances {
					return nil, fmt.Errorf("%w: more than %d repeat instances in all, at %s", ErrBadSubmission, survey.MaxInstances, p.xpath)
				}
				p.path = append(append([]survey.Step(nil), parent.path...), survey.Step{Repeat: name, Index: idx})
				if len(p.path) > survey.MaxRepeatDepth {
					return nil, fmt.Errorf("%w: repeats nested more than %d deep at %s", ErrBadSubmission, survey.MaxRepeatDepth, p.xpath)
				}
			default:
				p.xpath = parent.xpath + "/" + name
				if parent.seen[name] > 1 {
					return nil, fmt.Errorf("%w: %s is given twice (only a repeat may be)", ErrBadSubmission, p.xpath)
				}
				p.field = len(n.Children) == 0
			}
			stack = append(stack, p)
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			top := stack[len(stack)-1]
			if top.skip {
				continue
			}
			if !top.field {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, fmt.Errorf("%w: %s is a group, but holds text %.40q", ErrBadSubmission, top.xpath, bytes.TrimSpace(t))
				}
				continue
			}
			if top.text.Len()+len(t) > MaxValueBytes {
				return nil, fmt.Errorf("%w: the value of %s is more than %d bytes", ErrBadSubmission, top.xpath, MaxValueBytes)
			}
			top.text.Write(t)
		case xml.EndElement:
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				done = true
				continue
			}
			if top.skip || !top.field {
				continue
			}
			if err := out.keep(top, stack, types); err != nil {
				return nil, err
			}
		}
	}
	if !done {
		return nil, fmt.Errorf("%w: the XML is empty or cut short", ErrBadSubmission)
	}
	return out, nil
}

// keep stores a field's value: the ids from meta, answers of questions the
// survey asks.
func (r *Received) keep(p *parsing, stack []*parsing, types map[string]survey.Type) error {
	v := strings.TrimSpace(p.text.String())
	if len(stack) == 2 && stack[1].node.Name == "meta" {
		switch p.node.Name {
		case "instanceID":
			r.InstanceID = v
		case "deprecatedID":
			r.DeprecatedID = v
		}
		return nil
	}
	t, asked := types[p.node.Name]
	if !asked || v == "" || t == survey.TypeGroup {
		return nil
	}
	stored, err := StoredValue(t, v)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrBadSubmission, p.xpath, err)
	}
	r.Answers[survey.Key(p.path, p.node.Name)] = stored
	return nil
}

// StoredValue turns an XForm value into the form Canvass stores, the
// reverse of XFormValue: a time keeps its wall-clock hour and minute as
// given ("14:30:00.000+01:00" → "14:30"), a dateTime likewise
// ("2026-06-01T09:15:00.000+01:00" → "2026-06-01T09:15"), a date must be
// 2006-01-02, select_multiple and rank keep their space-separated names;
// everything else is kept as sent.
func StoredValue(t survey.Type, v string) (string, error) {
	switch t {
	case survey.TypeSelectMultiple, survey.TypeRank:
		return strings.Join(strings.Fields(v), " "), nil
	case survey.TypeDate, survey.TypeToday:
		if _, err := time.Parse(survey.DateLayout, v); err != nil {
			return "", fmt.Errorf("date %.40q is not YYYY-MM-DD", v)
		}
		return v, nil
	case survey.TypeTime:
		for _, layout := range []string{"15:04:05.999999999Z07:00", "15:04:05.999999999", "15:04"} {
			if tm, err := time.Parse(layout, v); err == nil {
				return tm.Format("15:04"), nil
			}
		}
		return "", fmt.Errorf("time %.40q is not an XForm time", v)
	case survey.TypeDateTime:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04"} {
			if tm, err := time.Parse(layout, v); err == nil {
				return tm.Format("2006-01-02T15:04"), nil
			}
		}
		return "", fmt.Errorf("date and time %.40q is not an XForm dateTime", v)
	}
	return v, nil
}

// RootVersion reads the version attribute of a submission's root element.
func RootVersion(data []byte) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", fmt.Errorf("%w: no root element: %v", ErrBadSubmission, err)
		}
		if t, ok := tok.(xml.StartElement); ok {
			return attr(t, "version"), nil
		}
	}
}
