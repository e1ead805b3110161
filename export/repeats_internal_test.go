package export

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"canvass/survey"
)

// FuzzCountInstances: the export's one-pass count of instances agrees with
// survey.Answers.Instances for every container a key names, whatever the
// keys (damaged ones included).
func FuzzCountInstances(f *testing.F) {
	for _, seed := range []string{
		"carers[2]/age", "carers[10]/services[3]/service", "carers[0]/age", "carers[01]/age",
		"carers[99999]/age", "carers[2]age", "carers[+2]/age", "carers[2]]/age", "carers[[2]/age", "carers[]/age", "/age", "carers[2]/[1]/x", "[2]/x", "a[1]/b[2]/c[3]/d[4]/e[5]/f[6]/g[7]/h[8]/i[9]/x", "carers[2]/", "x",
	} {
		f.Add(seed, "carers[1]/age")
	}
	f.Fuzz(func(t *testing.T, k1, k2 string) {
		for _, k := range []string{k1, k2} {
			_, _, err := survey.ParseKey(k)
			if validKey(k) != (err == nil) {
				t.Errorf("validKey(%q) = %v, ParseKey says %v", k, validKey(k), err)
			}
		}
		a := survey.Answers{k1: "1", k2: "2"}
		got := countInstances(a, nil)
		for _, k := range []string{k1, k2} {
			path, _, err := survey.ParseKey(k)
			if err != nil {
				continue
			}
			for d := range path {
				container := survey.Key(path[:d], path[d].Repeat)
				if want := a.Instances(path[:d], path[d].Repeat); got[container] != want {
					t.Errorf("keys %q %q: %s has %d instances, Answers.Instances says %d", k1, k2, container, got[container], want)
				}
			}
		}
		for container, n := range got {
			if n < 1 || n > survey.MaxInstances || strings.HasSuffix(container, "/") {
				t.Errorf("keys %q %q: container %q counts %d", k1, k2, container, n)
			}
		}
	})
}

// TestCountInstances covers the cases by name.
func TestCountInstances(t *testing.T) {
	cases := []struct {
		name string
		keys []string
		want map[string]int
	}{
		{"none", []string{"age"}, map[string]int{}},
		{"gap counts", []string{"carers[3]/age", "carers[1]/age"}, map[string]int{"carers": 3}},
		{"nested", []string{"carers[2]/services[4]/s", "carers[1]/services[1]/s"}, map[string]int{"carers": 2, "carers[2]/services": 4, "carers[1]/services": 1}},
		{"damaged left out", []string{"carers[0]/age", "carers[01]/age", "carers[10000]/age", "carers[x]/age"}, map[string]int{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := survey.Answers{}
			for _, k := range c.keys {
				a[k] = "v"
			}
			got := countInstances(a, nil)
			if len(got) != len(c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
			for k, n := range c.want {
				if got[k] != n {
					t.Errorf("%s: %d, want %d", k, got[k], n)
				}
			}
		})
	}
}

// TestRepeatSheetSpills: a full repeat sheet continues on "people (2)"
// right after it, and _index keeps counting across the continuation, so
// that _parent_index of nested rows and the Codebook's promise hold.
func TestRepeatSheetSpills(t *testing.T) {
	saved := maxRows
	maxRows = 4 // the header and three rows
	defer func() { maxRows = saved }()
	def := &survey.Survey{ID: "s", Version: 1, Title: survey.En("S"), Questions: []*survey.Question{
		{Type: survey.TypeInteger, Name: "a"},
		{Type: survey.TypeGroup, Name: "people", Repeat: &survey.Repeat{}, Questions: []*survey.Question{{Type: survey.TypeInteger, Name: "age"}}},
	}}
	var buf bytes.Buffer
	twoPeople := func(i int) survey.Answers {
		return survey.Answers{"a": strconv.Itoa(i), "people[1]/age": "1", "people[2]/age": "2"}
	}
	res, err := Workbook(context.Background(), memSource{def: def, n: 3, answers: twoPeople}, Options{SurveyID: "s"}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if res.InstanceRows != 6 {
		t.Errorf("instance rows %d, want 6", res.InstanceRows)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"Responses", "people", "people (2)", "Summary", "Codebook", "About"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	var index, parents []string
	for _, sh := range []string{"people", "people (2)"} {
		rs, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs[1:] {
			index, parents = append(index, r[keyIndex]), append(parents, r[keyParentIndex])
		}
		if tables, err := f.GetTables(sh); err != nil || len(tables) != 1 {
			t.Errorf("%s: tables %v, %v", sh, tables, err)
		}
	}
	if !slices.Equal(index, []string{"1", "2", "3", "4", "5", "6"}) || !slices.Equal(parents, []string{"1", "1", "2", "2", "3", "3"}) {
		t.Errorf("_index %q, _parent_index %q", index, parents)
	}
}
