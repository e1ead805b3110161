package web

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// inputKind is how a field's answer arrives in a form POST.
type inputKind int

const (
	inputText     inputKind = iota // one text box: what was typed
	inputChoice                    // radios or a drop-down: one choice name
	inputChoices                   // check boxes: any number of choice names
	inputRank                      // hidden inputs: every choice name, in order
	inputDate                      // day, month and year boxes
	inputDateTime                  // day, month, year and time boxes
	inputCheckbox                  // one check box (acknowledge): "OK" or nothing
)

// postField says which answer a page expects under which name.
type postField struct {
	Key      string
	Kind     inputKind
	OtherKey string // the "Other" text box's name, if any
}

// moveRequest is a press of a rank item's up or down button, or of the
// rank's "This order is right" button (Dir "keep", Value "-").
type moveRequest struct {
	Key, Value string
	Dir        string // "up", "down" or "keep"
}

// dateParts is what was typed into a date's boxes.
type dateParts struct{ Day, Month, Year, Time string }

// posted is a page's form POST, decoded.
type posted struct {
	CSRF   string
	Page   string
	Action string // "next", "back", "add", "remove", "change", or "move" (Move is set)
	Move   moveRequest
	// Instance is the repeat instance a Change or Remove button names
	// ("" for the Remove button of the instance's own page).
	Instance string
	// Texts holds, by key, what was typed (text boxes, "Other" boxes).
	Texts map[string]string
	// Values holds, by key, answers in their stored form (choice names,
	// space-separated lists, "OK").
	Values map[string]string
	// Dates holds the boxes of date and date-time fields by key.
	Dates map[string]dateParts
}

// errBadForm marks a POST no browser sends from our pages.
var errBadForm = errors.New("malformed form")

// maxFields bounds how many name=value pairs a POST may have.
const maxFields = 400

// parsePost decodes an application/x-www-form-urlencoded body against the
// fields of the page it claims to come from. Names the page does not have
// are ignored; a single-valued name given twice, a choice name with spaces
// or an unknown action is errBadForm.
func parsePost(body string, fields []postField) (*posted, error) {
	if strings.Count(body, "&") >= maxFields {
		return nil, fmt.Errorf("%w: too many fields", errBadForm)
	}
	vals, err := url.ParseQuery(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errBadForm, err)
	}
	one := func(name string) (string, error) {
		v := vals[name]
		switch len(v) {
		case 0:
			return "", nil
		case 1:
			return v[0], nil
		}
		return "", fmt.Errorf("%w: %q given %d times", errBadForm, name, len(v))
	}
	p := &posted{Texts: map[string]string{}, Values: map[string]string{}, Dates: map[string]dateParts{}}
	if p.CSRF, err = one("csrf"); err != nil {
		return nil, err
	}
	if p.Page, err = one("page"); err != nil {
		return nil, err
	}
	move, err := one("move")
	if err != nil {
		return nil, err
	}
	action, err := one("action")
	if err != nil {
		return nil, err
	}
	change, err := one("change")
	if err != nil {
		return nil, err
	}
	remove, err := one("remove")
	if err != nil {
		return nil, err
	}
	switch {
	case change != "" || remove != "":
		if move != "" || action != "" || (change != "" && remove != "") || hasSpace(change+remove) {
			return nil, fmt.Errorf("%w: two actions at once", errBadForm)
		}
		p.Action, p.Instance = "change", change
		if remove != "" {
			p.Action, p.Instance = "remove", remove
		}
	case move != "":
		parts := strings.Fields(move)
		if len(parts) != 3 || (parts[2] != "up" && parts[2] != "down" && parts[2] != "keep") {
			return nil, fmt.Errorf("%w: bad move %q", errBadForm, move)
		}
		p.Action, p.Move = "move", moveRequest{Key: parts[0], Value: parts[1], Dir: parts[2]}
	case action == "next" || action == "back" || action == "add" || action == "remove":
		p.Action = action
	case action == "":
		p.Action = "next" // Enter in a text box submits without a button
	default:
		return nil, fmt.Errorf("%w: unknown action %q", errBadForm, action)
	}
	for _, f := range fields {
		if err := p.take(f, vals, one); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// take decodes one field's inputs.
func (p *posted) take(f postField, vals url.Values, one func(string) (string, error)) error {
	var err error
	switch f.Kind {
	case inputText:
		var s string
		if s, err = one(f.Key); err == nil {
			p.Texts[f.Key] = newlines(s)
		}
	case inputChoice, inputCheckbox:
		var s string
		if s, err = one(f.Key); err == nil {
			if hasSpace(s) {
				return fmt.Errorf("%w: %q is not a choice", errBadForm, s)
			}
			p.Values[f.Key] = s
		}
	case inputChoices, inputRank:
		seen := map[string]bool{}
		var list []string
		for _, v := range vals[f.Key] {
			if v == "" {
				continue
			}
			if hasSpace(v) || seen[v] {
				return fmt.Errorf("%w: %q is not a choice", errBadForm, v)
			}
			seen[v] = true
			list = append(list, v)
		}
		p.Values[f.Key] = strings.Join(list, " ")
	case inputDate, inputDateTime:
		var d dateParts
		for _, part := range []struct {
			name string
			to   *string
		}{{"day", &d.Day}, {"month", &d.Month}, {"year", &d.Year}, {"time", &d.Time}} {
			if *part.to, err = one(f.Key + "[" + part.name + "]"); err != nil {
				return err
			}
			*part.to = strings.TrimSpace(*part.to)
		}
		p.Dates[f.Key] = d
	}
	if err != nil {
		return err
	}
	if f.OtherKey != "" {
		s, err := one(f.OtherKey)
		if err != nil {
			return err
		}
		p.Texts[f.OtherKey] = newlines(s)
	}
	return nil
}

// hasSpace reports whether s holds white space, which no choice name does.
func hasSpace(s string) bool { return strings.IndexFunc(s, unicode.IsSpace) >= 0 }

// newlines turns the CR LF line ends a browser sends from a text area
// into the LF the typed text had.
func newlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// dateProblem says which boxes of a date are missing or not numbers.
type dateProblem struct {
	Missing  []string // "day", "month", "year" in that order
	NotDigit bool
}

// stored returns the date in its stored form (2006-01-02, with " HH:MM"
// appended for a date-time's time box handled by the caller), or a problem
// when boxes are missing or hold more than digits. All boxes empty is the
// blank answer "". Whether the date exists is for the engine to judge.
func (d dateParts) stored() (string, *dateProblem) {
	if d.Day == "" && d.Month == "" && d.Year == "" {
		return "", nil
	}
	var pr dateProblem
	for _, part := range []struct{ name, v string }{{"day", d.Day}, {"month", d.Month}, {"year", d.Year}} {
		if part.v == "" {
			pr.Missing = append(pr.Missing, part.name)
		} else if !allDigits(part.v) || len(part.v) > 4 {
			pr.NotDigit = true
		}
	}
	if len(pr.Missing) > 0 || pr.NotDigit {
		return "", &pr
	}
	if len(d.Year) != 4 {
		return "", &dateProblem{NotDigit: true}
	}
	day, _ := strconv.Atoi(d.Day)
	month, _ := strconv.Atoi(d.Month)
	return fmt.Sprintf("%s-%02d-%02d", d.Year, month, day), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// moved returns list (space-separated choice names) with value moved one
// place up or down; an unknown value or direction leaves it as it is.
func moved(list, value, dir string) string {
	up := dir == "up"
	if !up && dir != "down" {
		return list
	}
	items := strings.Fields(list)
	for i, v := range items {
		if v != value {
			continue
		}
		j := i + 1
		if up {
			j = i - 1
		}
		if j >= 0 && j < len(items) {
			items[i], items[j] = items[j], items[i]
		}
		break
	}
	return strings.Join(items, " ")
}
