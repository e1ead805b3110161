package survey_test

import (
	"testing"

	"canvass/survey"
)

func TestRepeatLimits(t *testing.T) {
	for _, c := range []struct {
		constraint  string
		least, most int
		ok          bool
	}{
		{"", 0, 0, true},
		{"count(${people}) >= 1", 1, 0, true},
		{"count(${people}) <= 5", 0, 5, true},
		{"count(${people}) >= 1 and count(${people}) <= 5", 1, 5, true},
		{" count( ${people} )>=2 and count(${people})<4 ", 2, 3, true},
		{"count(${people}) > 0", 1, 0, true},
		{"count(${people}) = 3", 3, 3, true},
		{"count(${people}) >= 4 and count(${people}) <= 2", 0, 0, false},
		{"count(${people}) <= 0", 0, 0, false},
		{"count(${people}) < 1", 0, 0, false},
		{"count(${people}) != 2", 0, 0, false},
		{"count(${others}) >= 1", 0, 0, false},
		{"count(${people}) >= 1 or ${x} = 'y'", 0, 0, false},
		{"count(${people}) >= 10000", 0, 0, false},
		{"count(${people}) > 9999", 0, 0, false},
		{"count(${people}) >= 1.5", 0, 0, false},
		{". >= 1", 0, 0, false},
	} {
		q := &survey.Question{Type: survey.TypeGroup, Name: "people", Repeat: &survey.Repeat{}, Constraint: c.constraint}
		least, most, ok := q.RepeatLimits()
		if least != c.least || most != c.most || ok != c.ok {
			t.Errorf("%q: %d, %d, %v; want %d, %d, %v", c.constraint, least, most, ok, c.least, c.most, c.ok)
		}
	}
	for _, c := range []struct {
		least, most int
		want        string
	}{
		{0, 0, ""},
		{1, 0, "count(${people}) >= 1"},
		{0, 5, "count(${people}) <= 5"},
		{2, 5, "count(${people}) >= 2 and count(${people}) <= 5"},
	} {
		got := survey.RepeatLimitsConstraint("people", c.least, c.most)
		if got != c.want {
			t.Errorf("RepeatLimitsConstraint(%d, %d) = %q, want %q", c.least, c.most, got, c.want)
		}
		q := &survey.Question{Name: "people", Repeat: &survey.Repeat{}, Constraint: got}
		if l, m, ok := q.RepeatLimits(); l != c.least || m != c.most || !ok {
			t.Errorf("%q reads back as %d, %d, %v", got, l, m, ok)
		}
	}
}

// FuzzRepeatLimits: any constraint reads without panic; limits it reads
// are consistent and written back they read the same.
func FuzzRepeatLimits(f *testing.F) {
	for _, s := range []string{"", "count(${people}) >= 1 and count(${people}) <= 5", "count(${people}) = 3",
		"count(${people}) < 1", "count(${people}) > 9999", ". >= 1", "count(${people}) >= 1 or 1", "count(${people})>=01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, c string) {
		q := &survey.Question{Type: survey.TypeGroup, Name: "people", Repeat: &survey.Repeat{}, Constraint: c}
		least, most, ok := q.RepeatLimits()
		if !ok {
			if least != 0 || most != 0 {
				t.Fatalf("%q: not ok but %d..%d", c, least, most)
			}
			return
		}
		if least < 0 || most < 0 || least > survey.MaxInstances || most > survey.MaxInstances || most > 0 && least > most {
			t.Fatalf("%q: limits %d..%d", c, least, most)
		}
		back := &survey.Question{Type: survey.TypeGroup, Name: "people", Repeat: &survey.Repeat{}, Constraint: survey.RepeatLimitsConstraint("people", least, most)}
		if l, m, ok := back.RepeatLimits(); !ok || l != least || m != most {
			t.Fatalf("%q: %d..%d written as %q reads %d..%d %v", c, least, most, back.Constraint, l, m, ok)
		}
	})
}
