package store_test

import (
	"path/filepath"
	"testing"

	"canvass/survey"
)

// TestMergeRepeatInstances merges bundles whose responses hold answers of
// repeat instances (keys such as "people[2]/why"): every instance arrives
// unchanged, in both directions, and merging the bundles again changes
// nothing.
func TestMergeRepeatInstances(t *testing.T) {
	f := newFleet(t, 2)
	a, b := f.laptops[0], f.laptops[1]
	want := []*survey.Response{
		respond(t, a, survey.Answers{"visit": "yes", "people[1]/name": "Ann", "people[1]/why": "ducks",
			"people[2]/name": "Bo", "people[10]/why": "swans", "people[2]/groups[3]/why": "a nested instance"}),
		respond(t, b, survey.Answers{"visit": "no", "people[1]/why": "geese"}),
		draft(t, b, survey.Answers{"people[3]/name": "Cy"}),
	}
	bundleA, bundleB := mustBundle(t, a, ""), mustBundle(t, b, "")
	if rep := mustMerge(t, f.central, bundleA); rep.Added != 1 || len(rep.Conflicts) != 0 {
		t.Fatalf("merge A: %+v", rep)
	}
	if rep := mustMerge(t, f.central, bundleB); rep.Added != 2 || len(rep.Conflicts) != 0 {
		t.Fatalf("merge B: %+v", rep)
	}
	got := allResponses(t, f.central)
	for _, w := range want {
		if !sameResponse(got[w.ID], w) {
			t.Errorf("merged response = %+v\nwant %+v", got[w.ID], w)
		}
	}
	before := dump(t, f.central)
	for _, p := range []string{bundleB, bundleA} {
		if rep := mustMerge(t, f.central, p); rep.Changed() || rep.Added != 0 {
			t.Errorf("merging %s again: %+v", filepath.Base(p), rep)
		}
	}
	if after := dump(t, f.central); after != before {
		t.Errorf("merging again changed the database:\n%s\nthen\n%s", before, after)
	}
}
