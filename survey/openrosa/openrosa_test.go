package openrosa

import (
	"strings"
	"testing"
	"time"

	"canvass/survey"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw     string
		project string
		token   string
		secure  bool
		wantErr string
	}{
		{raw: "https://central.example.org/v1/projects/3", project: "https://central.example.org/v1/projects/3", secure: true},
		{raw: " https://central.example.org/v1/projects/3/ ", project: "https://central.example.org/v1/projects/3", secure: true},
		{raw: "https://central.example.org/v1/projects/3/forms/x/submissions", project: "https://central.example.org/v1/projects/3", secure: true},
		{raw: "https://c.example.org/odk/v1/key/AbC$d!e/projects/12", project: "https://c.example.org/odk/v1/projects/12", token: "AbC$d!e", secure: true},
		{raw: "http://127.0.0.1:8383/v1/projects/1", project: "http://127.0.0.1:8383/v1/projects/1", secure: true},
		{raw: "http://[::1]:8383/v1/projects/1", project: "http://[::1]:8383/v1/projects/1", secure: true},
		{raw: "http://central.example.org/v1/projects/1", project: "http://central.example.org/v1/projects/1", secure: false},
		{raw: "http://localhost.evil.example/v1/projects/1", project: "http://localhost.evil.example/v1/projects/1", secure: false},
		{raw: "", wantErr: "no server URL"},
		{raw: "ftp://x/v1/projects/1", wantErr: "must start with https://"},
		{raw: "https:///v1/projects/1", wantErr: "no host name"},
		{raw: "https://user:pw@c.example.org/v1/projects/1", wantErr: "not in the URL"},
		{raw: "https://c.example.org/v1/projects/abc", wantErr: "not a project number"},
		{raw: "https://c.example.org/v1/projects/0", wantErr: "not a project number"},
		{raw: "https://c.example.org/#/projects/3", wantErr: "expected a project URL"},
		{raw: "https://c.example.org/v1/key/SECRET", wantErr: "expected a project URL"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := ParseURL(tt.raw)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseURL(%q) = %+v, %v; want an error with %q", tt.raw, got, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), ":pw@") {
					t.Errorf("the message shows a secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ProjectURL() != tt.project || got.AppToken != tt.token || got.Secure() != tt.secure {
				t.Errorf("ParseURL(%q) = %s token %q secure %v; want %s, %q, %v", tt.raw, got.ProjectURL(), got.AppToken, got.Secure(), tt.project, tt.token, tt.secure)
			}
			if tt.token != "" && strings.Contains(got.String(), tt.token) {
				t.Errorf("String() shows the token: %s", got)
			}
		})
	}
}

const xform = `<?xml version="1.0"?><h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
<h:head><h:title>T</h:title><model><instance><data id="hv" version="2024031501"><when/><tags/><grp><n/><inner><t/></inner></grp><note/><meta><instanceID/></meta></data></instance>
<instance id="tags"><root><item><name>a</name></item></root></instance><bind nodeset="/data/when" type="date"/></model></h:head><h:body/></h:html>`

var shapeDef = &survey.Survey{ID: "hv", Version: 1, Title: survey.En("T"), Questions: []*survey.Question{
	{Type: survey.TypeDate, Name: "when"},
	{Type: survey.TypeSelectMultiple, Name: "tags", List: "tags"},
	{Type: survey.TypeGroup, Name: "grp", Questions: []*survey.Question{
		{Type: survey.TypeInteger, Name: "n"},
		{Type: survey.TypeGroup, Name: "inner", Questions: []*survey.Question{{Type: survey.TypeText, Name: "t", Personal: true}}},
	}},
	{Type: survey.TypeNote, Name: "note"},
}}

func TestInstanceFollowsTheForm(t *testing.T) {
	sh, err := ParseShape([]byte(xform))
	if err != nil {
		t.Fatal(err)
	}
	if sh.FormID != "hv" || sh.Version != "2024031501" || sh.Root.Name != "data" {
		t.Fatalf("shape = %+v", sh)
	}
	r := &survey.Response{ID: "r1", Started: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC), Answers: survey.Answers{
		"when": "2026-03-14", "tags": " a  b ", "n": "3", "t": "<Tom & Jo>", "unknown": "dropped",
	}}
	tests := []struct {
		name string
		sub  Submission
		opts InstanceOptions
		want string
	}{
		{"first", Submission{InstanceID: "uuid:r1"}, InstanceOptions{},
			`<data id="hv" version="2024031501"><when>2026-03-14</when><tags>a b</tags><grp><n>3</n><inner><t>&lt;Tom &amp; Jo&gt;</t></inner></grp><note/><meta><instanceID>uuid:r1</instanceID></meta></data>`},
		{"edit without personal data", Submission{InstanceID: "uuid:r2", DeprecatedID: "uuid:r1"}, InstanceOptions{LeaveOut: map[string]bool{"t": true}},
			`<data id="hv" version="2024031501"><when>2026-03-14</when><tags>a b</tags><grp><n>3</n><inner><t/></inner></grp><note/><meta><instanceID>uuid:r2</instanceID><deprecatedID>uuid:r1</deprecatedID></meta></data>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sh.Instance(shapeDef, r, tt.sub, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if s := strings.TrimPrefix(string(got), `<?xml version="1.0" encoding="UTF-8"?>`+"\n"); s != tt.want {
				t.Errorf("instance =\n%s\nwant\n%s", s, tt.want)
			}
		})
	}
}

func TestParseShapeRefusesNonForms(t *testing.T) {
	for _, in := range []string{"", "<html/>", "<model><instance></instance></model>", "<model><instance><data/></instance></model>", "<a><instance><data id='x'>"} {
		if _, err := ParseShape([]byte(in)); err == nil {
			t.Errorf("ParseShape(%q) accepted it", in)
		}
	}
}

func TestXFormValue(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone database")
	}
	summer := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	winter := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		typ     survey.Type
		in      string
		day     time.Time
		want    string
		wantErr bool
	}{
		{survey.TypeDate, "2026-03-14", summer, "2026-03-14", false},
		{survey.TypeDate, "14/03/2026", summer, "", true},
		{survey.TypeTime, "14:30", summer, "14:30:00.000+01:00", false},
		{survey.TypeTime, "14:30", winter, "14:30:00.000Z", false},
		{survey.TypeTime, "half past", summer, "", true},
		{survey.TypeDateTime, "2026-07-01T09:15", summer, "2026-07-01T09:15:00.000+01:00", false},
		{survey.TypeStart, "2026-07-01T08:15:03Z", summer, "2026-07-01T08:15:03.000Z", false},
		{survey.TypeSelectMultiple, "a  b\tc", summer, "a b c", false},
		{survey.TypeRank, "x y", summer, "x y", false},
		{survey.TypeText, " kept ", summer, "kept", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.typ)+" "+tt.in, func(t *testing.T) {
			got, err := XFormValue(tt.typ, tt.in, london, tt.day)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("XFormValue(%s, %q) = %q, %v; want %q (error %v)", tt.typ, tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseProblem(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   string
	}{
		{400, `{"message":"The given XLSForm file was not valid.","code":400.15,"details":{"error":"row 3: bad","warnings":null}}`, "the server answered 400 (problem 400.15): The given XLSForm file was not valid. — row 3: bad"},
		{400, `{"message":"warnings","code":400.16,"details":{"warnings":{"xlsFormWarnings":["w1"]}}}`, "warning: xlsFormWarnings: w1"},
		{409, `<OpenRosaResponse xmlns="http://openrosa.org/http/response"><message nature="error">out of date</message></OpenRosaResponse>`, "the server answered 409: out of date"},
		{502, ``, "the server answered 502: Bad Gateway"},
	}
	for _, tt := range tests {
		if got := parseProblem(tt.status, []byte(tt.body)).Error(); !strings.Contains(got, tt.want) {
			t.Errorf("parseProblem(%d, %s) = %q, want %q", tt.status, tt.body, got, tt.want)
		}
	}
}

func FuzzParseShape(f *testing.F) {
	f.Add([]byte(xform))
	f.Add([]byte(`<instance><data id="x"><a><b/></a></data></instance>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		sh, err := ParseShape(b)
		if err != nil {
			return
		}
		r := &survey.Response{ID: "r", Answers: survey.Answers{"a": "1"}}
		if _, err := sh.Instance(shapeDef, r, Submission{InstanceID: "uuid:r"}, InstanceOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzParseURL(f *testing.F) {
	f.Add("https://c.example.org/v1/key/TOKEN/projects/3")
	f.Add("http://127.0.0.1:8383/v1/projects/1")
	f.Fuzz(func(t *testing.T, raw string) {
		tg, err := ParseURL(raw)
		if err != nil {
			return
		}
		if tg.ProjectID < 1 {
			t.Fatalf("accepted project %d", tg.ProjectID)
		}
		again, err := ParseURL(tg.ProjectURL())
		if err != nil || again.ProjectURL() != tg.ProjectURL() {
			t.Fatalf("project URL %q does not read back: %v", tg.ProjectURL(), err)
		}
	})
}
