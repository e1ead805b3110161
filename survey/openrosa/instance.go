package openrosa

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"canvass/survey"
)

// Shape is the primary instance of a published XForm: the element tree a
// submission must follow, with the form's id and exact version on its root.
type Shape struct {
	Root    *Node
	FormID  string
	Version string
}

// Node is one element of the instance: a group (with children), a repeat
// (written once per instance of the response) or a field.
type Node struct {
	Name     string
	Children []*Node
	Repeat   bool // a repeat: pyxform writes it twice, as jr:template and as a first instance; the shape keeps one
}

// jrNamespace is the javarosa namespace of the jr:template attribute.
const jrNamespace = "http://openrosa.org/javarosa"

// isTemplate reports whether an instance element is a repeat's template.
func isTemplate(t xml.StartElement) bool {
	for _, a := range t.Attr {
		if a.Name.Local == "template" && a.Name.Space == jrNamespace {
			return true
		}
	}
	return false
}

// child returns n's child named name, or nil.
func (n *Node) child(name string) *Node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// ParseShape reads the primary instance (the model's first <instance>) of an XForm.
func ParseShape(xform []byte) (*Shape, error) {
	dec := xml.NewDecoder(bytes.NewReader(xform))
	dec.Strict = true
	inInstance := false
	var stack []*Node
	var shape *Shape
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read the form's XForm: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case !inInstance && t.Name.Local == "instance" && attr(t, "id") == "":
				inInstance = true
			case inInstance:
				n := &Node{Name: t.Name.Local, Repeat: isTemplate(t)}
				if len(stack) == 0 {
					shape = &Shape{Root: n, FormID: attr(t, "id"), Version: attr(t, "version")}
				} else if parent, prev := stack[len(stack)-1], stack[len(stack)-1].child(n.Name); prev != nil && (n.Repeat || prev.Repeat) {
					// A repeat's template and its first instance: one repeat.
					prev.Repeat = true
					n = &Node{Name: n.Name} // its children are the same: read and dropped
				} else {
					parent.Children = append(parent.Children, n)
				}
				stack = append(stack, n)
			}
		case xml.EndElement:
			if !inInstance {
				continue
			}
			if len(stack) == 0 { // </instance>
				if shape == nil {
					return nil, errors.New("read the form's XForm: its primary instance is empty")
				}
				if shape.FormID == "" {
					return nil, errors.New("read the form's XForm: the instance root has no form id")
				}
				return shape, nil
			}
			stack = stack[:len(stack)-1]
		}
	}
	return nil, errors.New("read the form's XForm: no primary <instance> found")
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// Submission is one version of a response to send.
type Submission struct {
	InstanceID   string // uuid:…
	DeprecatedID string // the instanceID this version replaces, for an edit; "" otherwise
}

// InstanceOptions say how answers become instance values.
type InstanceOptions struct {
	// Location is the zone wall-clock times (time, dateTime answers) were
	// given in; nil means the computer's own.
	Location *time.Location
	// LeaveOut names questions whose answers are not sent (personal data).
	LeaveOut map[string]bool
}

// Body writes the instance of r without its meta block: the part that
// changes when the response does. Fields the survey does not know stay
// empty; a response's answer to a question the form lacks is not sent.
func (sh *Shape) Body(def *survey.Survey, r *survey.Response, opts InstanceOptions) ([]byte, error) {
	var b bytes.Buffer
	if err := sh.write(&b, def, r, opts, nil); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Instance writes the full submission XML of r: root named and attributed
// as the form's, groups nested, values in XForm formats, and meta with the
// instanceID (and deprecatedID for an edit).
func (sh *Shape) Instance(def *survey.Survey, r *survey.Response, sub Submission, opts InstanceOptions) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if err := sh.write(&b, def, r, opts, &sub); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (sh *Shape) write(b *bytes.Buffer, def *survey.Survey, r *survey.Response, opts InstanceOptions, sub *Submission) error {
	loc := opts.Location
	if loc == nil {
		loc = time.Local
	}
	w := &instanceWriter{b: b, r: r, types: elementTypes(def), loc: loc, leaveOut: opts.LeaveOut}
	b.WriteString("<" + sh.Root.Name + ` id="` + escape(sh.FormID) + `"`)
	if sh.Version != "" {
		b.WriteString(` version="` + escape(sh.Version) + `"`)
	}
	b.WriteString(">")
	hasMeta := false
	for _, n := range sh.Root.Children {
		if n.Name == "meta" {
			hasMeta = true
			if sub != nil {
				writeMeta(b, n, sub)
			}
			continue
		}
		if err := w.node(n, nil); err != nil {
			return err
		}
	}
	if !hasMeta && sub != nil {
		writeMeta(b, &Node{Name: "meta"}, sub)
	}
	b.WriteString("</" + sh.Root.Name + ">")
	return nil
}

// elementTypes gives the type of each field element the survey asks:
// its questions, and the text of each "or other" choice.
func elementTypes(def *survey.Survey) map[string]survey.Type {
	types := map[string]survey.Type{}
	for _, q := range def.All() {
		types[q.Name] = q.Type
	}
	for _, q := range def.All() {
		if q.OrOther {
			types[q.OtherName()] = survey.TypeText
		}
	}
	return types
}

// instanceWriter writes a response's answers into the form's elements.
type instanceWriter struct {
	b        *bytes.Buffer
	r        *survey.Response
	types    map[string]survey.Type
	loc      *time.Location
	leaveOut map[string]bool
}

// node writes n inside the repeat instance path (nil outside every
// repeat): a group with its children, a repeat once per instance the
// response holds (none for none), a field with its answer.
func (w *instanceWriter) node(n *Node, path []survey.Step) error {
	b := w.b
	if n.Repeat {
		for i := range w.r.Answers.Instances(path, n.Name) {
			if err := w.children(n, append(slices.Clip(path), survey.Step{Repeat: n.Name, Index: i + 1})); err != nil {
				return err
			}
		}
		return nil
	}
	if len(n.Children) > 0 {
		return w.children(n, path)
	}
	v, ok := w.r.Answers[survey.Key(path, n.Name)]
	if !ok || v == "" || w.leaveOut[n.Name] {
		b.WriteString("<" + n.Name + "/>")
		return nil
	}
	xv, err := XFormValue(w.types[n.Name], v, w.loc, w.r.Started)
	if err != nil {
		return fmt.Errorf("response %s, question %s: %w", w.r.ID, survey.Key(path, n.Name), err)
	}
	b.WriteString("<" + n.Name + ">" + escape(xv) + "</" + n.Name + ">")
	return nil
}

// children writes n's element around its children.
func (w *instanceWriter) children(n *Node, path []survey.Step) error {
	w.b.WriteString("<" + n.Name + ">")
	for _, c := range n.Children {
		if err := w.node(c, path); err != nil {
			return err
		}
	}
	w.b.WriteString("</" + n.Name + ">")
	return nil
}

// writeMeta writes the meta group: instanceID, deprecatedID for an edit,
// and any other meta field of the form left empty.
func writeMeta(b *bytes.Buffer, n *Node, sub *Submission) {
	b.WriteString("<" + n.Name + ">")
	b.WriteString("<instanceID>" + escape(sub.InstanceID) + "</instanceID>")
	if sub.DeprecatedID != "" {
		b.WriteString("<deprecatedID>" + escape(sub.DeprecatedID) + "</deprecatedID>")
	}
	for _, c := range n.Children {
		if c.Name == "instanceID" || c.Name == "deprecatedID" {
			continue
		}
		b.WriteString("<" + c.Name + "/>")
	}
	b.WriteString("</" + n.Name + ">")
}

// EscapeText escapes s as XML character data, as the instance writer does.
func EscapeText(s string) string { return escape(s) }

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// XForm value formats.
const (
	xformTime     = "15:04:05.000Z07:00"
	xformDateTime = "2006-01-02T15:04:05.000Z07:00"
)

// XFormValue turns a stored answer into the XForm format of its type:
// dates stay 2006-01-02; a time (15:04) and a dateTime
// (2006-01-02T15:04) become full XForm times with the zone they were given
// in (a time takes the zone's offset on day, the day the response was
// started); start and end (RFC 3339) likewise; select_multiple and rank
// stay space-separated choice names; everything else is sent as stored.
func XFormValue(t survey.Type, v string, loc *time.Location, day time.Time) (string, error) {
	v = strings.TrimSpace(v)
	switch t {
	case survey.TypeSelectMultiple, survey.TypeRank:
		return strings.Join(strings.Fields(v), " "), nil
	case survey.TypeDate, survey.TypeToday:
		d, err := time.Parse(survey.DateLayout, v)
		if err != nil {
			return "", fmt.Errorf("date %q is not YYYY-MM-DD", v)
		}
		return d.Format(survey.DateLayout), nil
	case survey.TypeTime:
		for _, layout := range []string{"15:04:05.999999999Z07:00", "15:04:05.999999999", "15:04"} {
			if tm, err := time.ParseInLocation(layout, v, loc); err == nil {
				if !strings.ContainsAny(v[min(len(v), 5):], "Z+-") {
					// A wall time: the zone's offset on the day of the response.
					d := day.In(loc)
					tm = time.Date(d.Year(), d.Month(), d.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), loc)
				}
				return tm.Format(xformTime), nil
			}
		}
		return "", fmt.Errorf("time %q is not HH:MM", v)
	case survey.TypeDateTime, survey.TypeStart, survey.TypeEnd:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
			if tm, err := time.ParseInLocation(layout, v, loc); err == nil {
				return tm.Format(xformDateTime), nil
			}
		}
		return "", fmt.Errorf("date and time %q is not YYYY-MM-DDTHH:MM", v)
	}
	return v, nil
}
