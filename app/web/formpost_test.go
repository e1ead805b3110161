package web

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

var testFields = []postField{
	{Key: "name", Kind: inputText},
	{Key: "colour", Kind: inputChoice, OtherKey: "colour_other"},
	{Key: "services", Kind: inputChoices},
	{Key: "order", Kind: inputRank},
	{Key: "born", Kind: inputDate},
	{Key: "at", Kind: inputDateTime},
	{Key: "ok", Kind: inputCheckbox},
}

func TestParsePost(t *testing.T) {
	tests := []struct {
		name string
		body string
		want *posted
		err  bool
	}{
		{name: "everything", body: "csrf=c&page=3&action=next&name=Si%C3%A2n%0D%0Ahi&colour=other&colour_other=Teal&services=a&services=b&order=x&order=y&born%5Bday%5D=+7&born%5Bmonth%5D=3&born%5Byear%5D=2007&ok=OK&stray=1",
			want: &posted{CSRF: "c", Page: "3", Action: "next",
				Texts:  map[string]string{"name": "Siân\nhi", "colour_other": "Teal"},
				Values: map[string]string{"colour": "other", "services": "a b", "order": "x y", "ok": "OK"},
				Dates:  map[string]dateParts{"born": {Day: "7", Month: "3", Year: "2007"}, "at": {}}}},
		{name: "enter submits as next", body: "csrf=c", want: &posted{CSRF: "c", Action: "next",
			Texts: map[string]string{"name": "", "colour_other": ""}, Values: map[string]string{"colour": "", "services": "", "order": "", "ok": ""},
			Dates: map[string]dateParts{"born": {}, "at": {}}}},
		{name: "move", body: "csrf=c&move=order+y+up", want: &posted{CSRF: "c", Action: "move", Move: moveRequest{Key: "order", Value: "y", Dir: "up"},
			Texts: map[string]string{"name": "", "colour_other": ""}, Values: map[string]string{"colour": "", "services": "", "order": "", "ok": ""},
			Dates: map[string]dateParts{"born": {}, "at": {}}}},
		{name: "change an instance", body: "csrf=c&change=people%5B2%5D", want: &posted{CSRF: "c", Action: "change", Instance: "people[2]",
			Texts: map[string]string{"name": "", "colour_other": ""}, Values: map[string]string{"colour": "", "services": "", "order": "", "ok": ""},
			Dates: map[string]dateParts{"born": {}, "at": {}}}},
		{name: "remove an instance", body: "csrf=c&remove=people%5B2%5D%2Fpets%5B1%5D", want: &posted{CSRF: "c", Action: "remove", Instance: "people[2]/pets[1]",
			Texts: map[string]string{"name": "", "colour_other": ""}, Values: map[string]string{"colour": "", "services": "", "order": "", "ok": ""},
			Dates: map[string]dateParts{"born": {}, "at": {}}}},
		{name: "add and remove this one", body: "csrf=c&action=add", want: &posted{CSRF: "c", Action: "add",
			Texts: map[string]string{"name": "", "colour_other": ""}, Values: map[string]string{"colour": "", "services": "", "order": "", "ok": ""},
			Dates: map[string]dateParts{"born": {}, "at": {}}}},
		{name: "change and remove at once", body: "csrf=c&change=a%5B1%5D&remove=a%5B1%5D", err: true},
		{name: "change with an action", body: "csrf=c&change=a%5B1%5D&action=next", err: true},
		{name: "remove twice", body: "csrf=c&remove=a%5B1%5D&remove=a%5B2%5D", err: true},
		{name: "instance with a space", body: "csrf=c&remove=a+b", err: true},
		{name: "text twice", body: "csrf=c&name=a&name=b", err: true},
		{name: "csrf twice", body: "csrf=c&csrf=d", err: true},
		{name: "choice with a space", body: "csrf=c&colour=red+blue", err: true},
		{name: "multi-select repeated", body: "csrf=c&services=a&services=a", err: true},
		{name: "bad move", body: "csrf=c&move=order+y+sideways", err: true},
		{name: "unknown action", body: "csrf=c&action=delete", err: true},
		{name: "bad escape", body: "csrf=%zz", err: true},
		{name: "too many fields", body: strings.Repeat("x=1&", maxFields+1), err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePost(tt.body, testFields)
			if tt.err {
				if !errors.Is(err, errBadForm) {
					t.Fatalf("err = %v, want errBadForm", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDateParts(t *testing.T) {
	tests := []struct {
		in      dateParts
		want    string
		missing []string
		bad     bool
	}{
		{dateParts{}, "", nil, false},
		{dateParts{Day: "7", Month: "3", Year: "2007"}, "2007-03-07", nil, false},
		{dateParts{Day: "07", Month: "03", Year: "2007"}, "2007-03-07", nil, false},
		{dateParts{Day: "31", Month: "2", Year: "2007"}, "2007-02-31", nil, false}, // the engine refuses it
		{dateParts{Month: "3", Year: "2007"}, "", []string{"day"}, false},
		{dateParts{Year: "2007"}, "", []string{"day", "month"}, false},
		{dateParts{Day: "x", Month: "3", Year: "2007"}, "", nil, true},
		{dateParts{Day: "1", Month: "3", Year: "07"}, "", nil, true},
		{dateParts{Day: "1", Month: "3", Year: "20071"}, "", nil, true},
	}
	for _, tt := range tests {
		got, pr := tt.in.stored()
		if got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.in, got, tt.want)
		}
		if (pr != nil) != (tt.missing != nil || tt.bad) {
			t.Errorf("%+v: problem %+v", tt.in, pr)
			continue
		}
		if pr != nil && (!reflect.DeepEqual(pr.Missing, tt.missing) || pr.NotDigit != tt.bad) {
			t.Errorf("%+v: problem %+v, want missing %v bad %v", tt.in, pr, tt.missing, tt.bad)
		}
	}
}

func TestMoved(t *testing.T) {
	for _, tt := range []struct{ list, v, dir, want string }{
		{"a b c", "b", "up", "b a c"},
		{"a b c", "b", "down", "a c b"},
		{"a b c", "a", "up", "a b c"},
		{"a b c", "c", "down", "a b c"},
		{"a b c", "z", "up", "a b c"},
		{"a b c", "b", "keep", "a b c"},
	} {
		if got := moved(tt.list, tt.v, tt.dir); got != tt.want {
			t.Errorf("moved(%q, %q, %q) = %q, want %q", tt.list, tt.v, tt.dir, got, tt.want)
		}
	}
}

// FuzzParsePost feeds arbitrary bodies to the form-POST parser: it never
// panics, and what it accepts keeps its promises.
func FuzzParsePost(f *testing.F) {
	for _, s := range []string{
		"csrf=c&page=3&action=next&name=x&colour=red&services=a&services=b&order=x&order=y&born%5Bday%5D=1&born%5Bmonth%5D=2&born%5Byear%5D=2000",
		"csrf=c&move=order+y+up", "csrf=c&move=order+-+keep", "action=back", "name=%ff%fe", "colour=a%20b",
		"born%5Bday%5D=%EF%BC%93&born%5Bmonth%5D=1&born%5Byear%5D=2000", "at%5Btime%5D=3pm", ";;&&==", "%",
		"csrf=c&action=add", "csrf=c&change=people%5B2%5D", "csrf=c&remove=people%5B2%5D%2Fpets%5B1%5D", "action=remove", "remove=&change=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		p, err := parsePost(body, testFields)
		if err != nil {
			if !errors.Is(err, errBadForm) {
				t.Fatalf("error %v is not errBadForm", err)
			}
			return
		}
		switch p.Action {
		case "next", "back", "add":
			if p.Instance != "" {
				t.Fatalf("%s names instance %q", p.Action, p.Instance)
			}
		case "change", "remove":
			if (p.Action == "change" && p.Instance == "") || hasSpace(p.Instance) {
				t.Fatalf("%s of instance %q", p.Action, p.Instance)
			}
		case "move":
			if p.Move.Key == "" || strings.ContainsAny(p.Move.Key+p.Move.Value, " ") {
				t.Fatalf("move %+v", p.Move)
			}
		default:
			t.Fatalf("action %q", p.Action)
		}
		for k, v := range p.Values {
			seen := map[string]bool{}
			for _, c := range strings.Fields(v) {
				if seen[c] {
					t.Fatalf("%s: %q repeats %q", k, v, c)
				}
				seen[c] = true
			}
			if strings.Join(strings.Fields(v), " ") != v {
				t.Fatalf("%s: %q is not a clean list", k, v)
			}
		}
		for k, s := range p.Texts {
			if strings.Contains(s, "\r\n") {
				t.Fatalf("%s: %q keeps CR LF", k, s)
			}
		}
		for k, d := range p.Dates {
			v, pr := d.stored()
			if pr == nil && v != "" && len(v) != len("2006-01-02") {
				t.Fatalf("%s: %+v gives %q", k, d, v)
			}
		}
		if _, err := url.ParseQuery(body); err != nil {
			t.Fatalf("accepted a body url.ParseQuery refuses: %v", err)
		}
	})
}
