package survey_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"canvass/survey"
)

func TestParseKey(t *testing.T) {
	tests := []struct {
		key  string
		path []survey.Step
		name string
		err  string
	}{
		{"age", nil, "age", ""},
		{"carers[2]/age", []survey.Step{{"carers", 2}}, "age", ""},
		{"carers[12]/services[1]/service", []survey.Step{{"carers", 12}, {"services", 1}}, "service", ""},
		{"carers[0]/age", nil, "", "not a number from 1 to 9999"},
		{"carers[02]/age", nil, "", "not a number from 1 to 9999"},
		{"carers[10000]/age", nil, "", "not a number from 1 to 9999"},
		{"carers[-1]/age", nil, "", "not a number"},
		{"carers[x]/age", nil, "", "not a number"},
		{"carers/age", nil, "", "is not repeat[n]"},
		{"carers[1/age", nil, "", "is not repeat[n]"},
		{"[1]/age", nil, "", "not a valid repeat name"},
		{"carers[1]/", nil, "", "not a valid question name"},
		{"carers[1]/1age", nil, "", "not a valid question name"},
		{"", nil, "", "not a valid question name"},
		{strings.Repeat("r[1]/", 9) + "q", nil, "", "more than the 8 allowed"},
		{"r[1]/" + strings.Repeat("q", 196), nil, "", "more than the 200 allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			path, name, err := survey.ParseKey(tt.key)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(path, tt.path) || name != tt.name {
				t.Fatalf("= %v %q %v, want %v %q", path, name, err, tt.path, tt.name)
			}
			if back := survey.Key(path, name); back != tt.key {
				t.Errorf("Key gives %q back", back)
			}
		})
	}
}

func TestSortKeys(t *testing.T) {
	keys := []string{"carers[10]/age", "z", "carers[2]/who", "bad[", "carers[2]/age", "carers[2]/services[1]/service", "a", "carers[1]/age"}
	survey.SortKeys(keys)
	want := []string{"a", "z", "carers[1]/age", "carers[2]/age", "carers[2]/who", "carers[2]/services[1]/service", "carers[10]/age", "bad["}
	if !slices.Equal(keys, want) {
		t.Errorf("sorted %q\n want %q", keys, want)
	}
}

// TestRemoveInstance deletes the middle of three instances: its answers
// and those nested in it go, the third moves down to second, and nothing
// else changes.
func TestRemoveInstance(t *testing.T) {
	carers := func(n int) []survey.Step { return []survey.Step{{"carers", n}} }
	tests := []struct {
		name   string
		remove []survey.Step
		want   survey.Answers
	}{
		{"middle", carers(2), survey.Answers{
			"n": "3", "carers[1]/who": "Ann", "carers[1]/services[1]/service": "day centre",
			"carers[2]/who": "Cy", "carers[2]/age": "80", "carers[2]/services[1]/service": "meals", "carers[2]/services[2]/service": "visits",
			"visits[2]/visited": "2026-01-02",
		}},
		{"last", carers(3), survey.Answers{
			"n": "3", "carers[1]/who": "Ann", "carers[1]/services[1]/service": "day centre",
			"carers[2]/who": "Bo", "carers[2]/services[1]/service": "respite",
			"visits[2]/visited": "2026-01-02",
		}},
		{"nested", []survey.Step{{"carers", 3}, {"services", 1}}, survey.Answers{
			"n": "3", "carers[1]/who": "Ann", "carers[1]/services[1]/service": "day centre",
			"carers[2]/who": "Bo", "carers[2]/services[1]/service": "respite",
			"carers[3]/who": "Cy", "carers[3]/age": "80", "carers[3]/services[1]/service": "visits",
			"visits[2]/visited": "2026-01-02",
		}},
		{"none there", carers(7), base()},
		{"empty path", nil, base()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := base()
			a.RemoveInstance(tt.remove)
			if !reflect.DeepEqual(a, tt.want) {
				t.Errorf("got  %v\nwant %v", a, tt.want)
			}
		})
	}
}

func base() survey.Answers {
	return survey.Answers{
		"n": "3", "carers[1]/who": "Ann", "carers[1]/services[1]/service": "day centre",
		"carers[2]/who": "Bo", "carers[2]/services[1]/service": "respite",
		"carers[3]/who": "Cy", "carers[3]/age": "80", "carers[3]/services[1]/service": "meals", "carers[3]/services[2]/service": "visits",
		"visits[2]/visited": "2026-01-02",
	}
}

func TestInstances(t *testing.T) {
	a := base()
	for _, tt := range []struct {
		parent []survey.Step
		repeat string
		want   int
	}{
		{nil, "carers", 3},
		{nil, "visits", 2},
		{nil, "services", 0},
		{[]survey.Step{{"carers", 3}}, "services", 2},
		{[]survey.Step{{"carers", 2}}, "services", 1},
		{[]survey.Step{{"carers", 4}}, "services", 0},
	} {
		if got := a.Instances(tt.parent, tt.repeat); got != tt.want {
			t.Errorf("Instances(%v, %s) = %d, want %d", tt.parent, tt.repeat, got, tt.want)
		}
	}
}

// FuzzParseKey checks that every key ParseKey accepts is written back
// unchanged by Key, and that nothing makes it panic.
func FuzzParseKey(f *testing.F) {
	for _, s := range []string{"age", "carers[2]/age", "a[1]/b[9999]/c", "a[0]/b", "a[01]/b", "[", "a[1]]/b", "a[+1]/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		path, name, err := survey.ParseKey(key)
		if err != nil {
			return
		}
		if back := survey.Key(path, name); back != key {
			t.Fatalf("ParseKey(%q) then Key gives %q", key, back)
		}
	})
}

func repeatSurvey() *survey.Survey {
	text := func(name string) *survey.Question {
		return &survey.Question{Type: survey.TypeText, Name: name, Label: survey.En(name)}
	}
	return &survey.Survey{ID: "carers", Version: 1, Title: survey.En("Carers"), Questions: []*survey.Question{
		{Type: survey.TypeInteger, Name: "n", Label: survey.En("How many")},
		{Type: survey.TypeGroup, Name: "carers", Label: survey.En("Carer"), Repeat: &survey.Repeat{Count: "${n}"}, Questions: []*survey.Question{
			text("who"),
			{Type: survey.TypeGroup, Name: "details", Label: survey.En("Details"), Questions: []*survey.Question{text("age")}},
			{Type: survey.TypeGroup, Name: "services", Label: survey.En("Services"), Repeat: &survey.Repeat{}, Questions: []*survey.Question{text("service")}},
		}},
		{Type: survey.TypeGroup, Name: "about", Label: survey.En("About"), Questions: []*survey.Question{text("postcode")}},
	}}
}

func TestKeyQuestion(t *testing.T) {
	s := repeatSurvey()
	if err := s.Validate(); err != nil {
		t.Fatalf("the survey does not validate: %v", err)
	}
	tests := []struct{ key, want, err string }{
		{"n", "n", ""},
		{"postcode", "postcode", ""},
		{"carers[3]/who", "who", ""},
		{"carers[1]/age", "age", ""},
		{"carers[2]/services[4]/service", "service", ""},
		{"who", "", "who lies in carers[n]"},
		{"carers[1]/service", "", "service lies in carers[n]/services[n]"},
		{"services[1]/service", "", "service lies in carers[n]/services[n]"},
		{"carers[1]/n", "", "n lies in no repeat"},
		{"details[1]/age", "", "age lies in carers[n]"},
		{"carers[1]/ghost", "", `the survey has no question "ghost"`},
		{"carers[0]/who", "", "not a number from 1"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			q, err := s.KeyQuestion(tt.key)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil || q.Name != tt.want {
				t.Fatalf("= %v, %v; want %s", q, err, tt.want)
			}
		})
	}
}

func TestRepeatOnlyOnGroups(t *testing.T) {
	s := repeatSurvey()
	s.Questions[0].Repeat = &survey.Repeat{Count: "2"}
	s.Questions[1].Repeat.Count = "${nobody} +"
	err := s.Validate()
	for _, want := range []string{"only a group can repeat", "repeat_count"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v, want it to say %q", err, want)
		}
	}
}

func TestRepeatKeyLimits(t *testing.T) {
	t.Run("long names", func(t *testing.T) {
		s := repeatSurvey()
		s.Questions[1].Questions[2].Questions[0].Name = strings.Repeat("s", 180)
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "longer than 200 bytes") {
			t.Errorf("Validate = %v", err)
		}
	})
	t.Run("deep", func(t *testing.T) {
		s := repeatSurvey()
		inner := &survey.Question{Type: survey.TypeText, Name: "q", Label: survey.En("Q")}
		for i := 0; i < 9; i++ {
			inner = &survey.Question{Type: survey.TypeGroup, Name: fmt.Sprintf("r%d", i), Label: survey.En("R"), Repeat: &survey.Repeat{}, Questions: []*survey.Question{inner}}
		}
		s.Questions = append(s.Questions, inner)
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "repeats nest more than 8 deep") {
			t.Errorf("Validate = %v", err)
		}
		s.Questions[len(s.Questions)-1] = inner.Questions[0]
		if err := s.Validate(); err != nil {
			t.Errorf("8 deep: %v", err)
		}
	})
}
