package run_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"canvass/survey/run"
)

// FuzzRepeatSession drives a session of household with a script of
// operations — add, remove, answer, count changes, Back/Next — and checks
// after each that every answer belongs to an instance the session has,
// that the pages hold exactly the instances it counts, and that nothing
// panics.
func FuzzRepeatSession(f *testing.F) {
	f.Add([]byte{0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{0, 0, 0, 2, 9, 3, 1, 5, 17, 33, 4, 250, 6})
	f.Add([]byte("add remove count answer"))
	f.Fuzz(func(t *testing.T, script []byte) {
		if len(script) > 200 {
			script = script[:200]
		}
		se, err := run.New(run.Config{Survey: household(), Clock: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		for i, op := range script {
			n := 1 + int(op>>4)%4 // an instance number 1..4
			person := "people[" + strconv.Itoa(n) + "]"
			switch op % 10 {
			case 0:
				se.AddInstance("people")
			case 1:
				se.RemoveInstance(ctx, person)
			case 2:
				se.AddInstance(person + "/services")
			case 3:
				se.RemoveInstance(ctx, person+"/services[1]")
			case 4:
				se.Answer(person+"/age", strconv.Itoa(int(op)))
			case 5:
				se.Answer(person+"/pname", "P"+strconv.Itoa(i))
			case 6:
				se.Answer("nvisits", strconv.Itoa(int(op>>4)%5))
			case 7:
				se.Answer("visits["+strconv.Itoa(n)+"]/when", "day")
			case 8:
				se.Next()
			case 9:
				se.Back()
			}
			checkConsistent(t, se)
		}
	})
}

// checkConsistent checks the session's answers against its instances.
func checkConsistent(t *testing.T, se *run.Session) {
	t.Helper()
	for key := range se.Answers() {
		if _, ok := se.Question(key); !ok && !strings.HasSuffix(key, "_other") {
			t.Fatalf("answer %q belongs to no instance (people %d, visits %d)", key, se.Instances("people"), se.Instances("visits"))
		}
	}
	seen := map[string]bool{}
	for _, p := range se.Pages() {
		if p.Instance != nil {
			seen[p.Instance.Key] = true
			if p.Instance.Index > p.Instance.Count {
				t.Fatalf("instance %+v", p.Instance)
			}
		}
	}
	for _, rep := range []string{"people", "visits"} {
		for i := 1; i <= se.Instances(rep); i++ {
			if !seen[rep+"["+strconv.Itoa(i)+"]"] {
				t.Fatalf("%s has %d instances but no page of %d", rep, se.Instances(rep), i)
			}
		}
		if seen[rep+"["+strconv.Itoa(se.Instances(rep)+1)+"]"] {
			t.Fatalf("a page of %s beyond its %d instances", rep, se.Instances(rep))
		}
	}
	if i := se.PageIndex(); i < 0 || (len(se.Pages()) > 0 && i >= len(se.Pages())) {
		t.Fatalf("page index %d of %d", i, len(se.Pages()))
	}
}
