package store_test

import (
	"context"
	"strings"
	"testing"

	"canvass/survey"
	"canvass/survey/store"
)

// TestResponseConflictField checks that Response and EachResponse say which
// responses are versions of one response kept side by side after a merge,
// on the original and on every copy, and stop saying it once resolved.
func TestResponseConflictField(t *testing.T) {
	ctx := context.Background()
	f := newFleet(t, 3)
	a, b, c := f.laptops[0], f.laptops[1], f.laptops[2]
	shared := respond(t, a, survey.Answers{"visit": "yes", "why": "trees"})
	for _, l := range []*store.Store{b, c} {
		mustMerge(t, l, mustBundle(t, a, ""))
	}
	// Staff on B and on C each corrected the answer their own way.
	if err := b.SaveAnswer(ctx, shared.ID, "why", "the pond"); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveAnswer(ctx, shared.ID, "why", "the ducks"); err != nil {
		t.Fatal(err)
	}
	alone := respond(t, a, survey.Answers{"visit": "no"})
	var copies []string
	for _, l := range []*store.Store{a, b, c} {
		rep := mustMerge(t, f.central, mustBundle(t, l, ""))
		for _, k := range rep.Conflicts {
			copies = append(copies, k.Copy)
		}
	}
	if len(copies) != 2 {
		t.Fatalf("copies %v, want one from B and one from C", copies)
	}

	conflictOfEach := func(t *testing.T) map[string]string {
		t.Helper()
		viaEach := map[string]string{}
		for id, r := range allResponses(t, f.central) {
			viaEach[id] = r.Conflict
			if one := mustResponse(t, f.central, id); one.Conflict != r.Conflict {
				t.Errorf("response %s: Response says conflict %q, EachResponse %q", id, one.Conflict, r.Conflict)
			}
		}
		return viaEach
	}

	t.Run("unresolved", func(t *testing.T) {
		got := conflictOfEach(t)
		want := map[string]string{shared.ID: shared.ID, copies[0]: shared.ID, copies[1]: shared.ID, alone.ID: ""}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("response %s: Conflict = %q, want %q", id, got[id], w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%d responses, want %d", len(got), len(want))
		}
	})

	t.Run("one copy resolved, one left", func(t *testing.T) {
		if err := f.central.ResolveConflict(ctx, shared.ID, copies[0], "Sam"); err != nil {
			t.Fatal(err)
		}
		got := conflictOfEach(t)
		if got[shared.ID] != shared.ID || got[copies[1]] != shared.ID {
			t.Errorf("with one copy left: %v", got)
		}
	})

	t.Run("all resolved", func(t *testing.T) {
		if err := f.central.ResolveConflict(ctx, copies[1], shared.ID, "Sam"); err != nil {
			t.Fatal(err)
		}
		got := conflictOfEach(t)
		if len(got) != 2 || got[shared.ID] != "" || got[alone.ID] != "" {
			t.Errorf("after resolving: %v", got)
		}
		if r := mustResponse(t, f.central, shared.ID); r.Answers["why"] != "the ducks" {
			t.Errorf("kept answer %q, want C's", r.Answers["why"])
		}
	})
}

// TestEachResponseFindsConflictsByIndex checks that telling an original
// from a plain response looks the copies up in the conflict_of index
// rather than scanning every response for each row.
func TestEachResponseFindsConflictsByIndex(t *testing.T) {
	s := mustOpen(t)
	query, args, err := store.EachResponseSQL(survey.Filter{SurveyID: "park"})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.DB().QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if text := strings.Join(plan, "; "); !strings.Contains(text, "responses_conflict_of") {
		t.Errorf("plan %q does not use the conflict_of index", text)
	}
}
