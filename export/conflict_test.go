package export_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"canvass/export"
	"canvass/survey"
	"canvass/survey/store"
)

// conflictStores is a central database that merged two laptops' bundles in
// which one response (Shared) has different answers; Alone is a response
// without a conflict and Copy the id the central gave the second version.
type conflictStores struct {
	central       *store.Store
	shared, alone string
	copy          string
}

func newConflictStores(t *testing.T) conflictStores {
	t.Helper()
	ctx := context.Background()
	open := func(name string) *store.Store {
		st, err := store.Open(ctx, filepath.Join(t.TempDir(), name+".db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	bundle := func(st *store.Store) string {
		path := filepath.Join(t.TempDir(), "b.canvass")
		if _, err := st.ExportBundle(ctx, path, ""); err != nil {
			t.Fatal(err)
		}
		return path
	}
	merge := func(st *store.Store, path string) store.MergeReport {
		rep, err := st.MergeBundle(ctx, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	a, b, central := open("a"), open("b"), open("central")
	def := &survey.Survey{ID: "park", Title: survey.En("Park"), Questions: []*survey.Question{
		{Type: survey.TypeSelectOne, Name: "visit", Label: survey.En("Visit?"), List: "yn"},
		{Type: survey.TypeText, Name: "why", Label: survey.En("Why?")},
	}, Lists: []survey.ChoiceList{{Name: "yn", Choices: []survey.Choice{
		{Name: "yes", Label: survey.En("Yes")}, {Name: "no", Label: survey.En("No")}}}}}
	if _, err := a.SaveSurvey(ctx, def); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, ans := range []survey.Answers{{"visit": "yes", "why": "trees"}, {"visit": "no"}} {
		r, err := a.StartResponse(ctx, "park", 0, "en")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Submit(ctx, r.ID, ans, nil); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	merge(b, bundle(a))
	if err := b.SaveAnswer(ctx, ids[0], "why", "the pond"); err != nil {
		t.Fatal(err)
	}
	merge(central, bundle(a))
	rep := merge(central, bundle(b))
	if len(rep.Conflicts) != 1 {
		t.Fatalf("merge made no conflict: %+v", rep)
	}
	return conflictStores{central: central, shared: ids[0], alone: ids[1], copy: rep.Conflicts[0].Copy}
}

// TestExportMergeConflicts checks that both versions of a conflicting
// response are exported and counted, each marked with the id they share,
// that the Summary, Codebook and About sheets explain it, and that the
// marks go once staff resolve the conflict.
func TestExportMergeConflicts(t *testing.T) {
	s := newConflictStores(t)
	opts := export.Options{SurveyID: "park"}

	t.Run("unresolved", func(t *testing.T) {
		path, res := exportFile(t, s.central, opts, "out.xlsx")
		if res.Responses != 3 || res.Complete != 3 {
			t.Errorf("result %+v, want both versions counted", res)
		}
		f := openWorkbook(t, path)
		rs := rows(t, f, "Responses")
		got := map[string]string{}
		whys := map[string]string{}
		for _, r := range rs[1:] {
			m := rowMap(rs[0], r)
			got[m["response id"]] = m["merge conflict"]
			whys[m["response id"]] = m["why"]
		}
		want := map[string]string{s.shared: s.shared, s.copy: s.shared, s.alone: ""}
		for id, w := range want {
			if c, ok := got[id]; !ok || c != w {
				t.Errorf("row %s: merge conflict %q (listed %v), want %q", id, c, ok, w)
			}
		}
		if whys[s.shared] != "trees" || whys[s.copy] != "the pond" {
			t.Errorf("versions' answers %v", whys)
		}
		sum := rows(t, f, "Summary")
		if len(sum) < 4 || len(sum[3]) == 0 || !strings.Contains(sum[3][0], "2 are versions of 1 response ") {
			t.Errorf("Summary does not warn about the conflict: %q", sum[:min(4, len(sum))])
		}
		if n := summaryN(t, sum, "visit"); n != "3" {
			t.Errorf("Summary n for visit = %q, want both versions counted", n)
		}
		about := rows(t, f, "About")
		if line := about[findRow(t, about, "Unresolved merge conflicts")]; !strings.HasPrefix(line[1], "2 versions of 1 response,") {
			t.Errorf("About line %q", line)
		}
		cb := rows(t, f, "Codebook")
		if line := cb[findRow(t, cb, "merge conflict")]; !strings.Contains(strings.Join(line, " "), "count only one version") {
			t.Errorf("Codebook line %q", line)
		}
	})

	t.Run("csv", func(t *testing.T) {
		path, _ := exportFile(t, s.central, opts, "out.csv")
		recs := readCSV(t, path)
		marked := 0
		for _, r := range recs[1:] {
			if rowMap(recs[0], r)["merge conflict"] == s.shared {
				marked++
			}
		}
		if marked != 2 {
			t.Errorf("%d CSV rows marked, want 2:\n%q", marked, recs)
		}
	})

	t.Run("long layout", func(t *testing.T) {
		long := opts
		long.Long = true
		path, _ := exportFile(t, s.central, long, "long.xlsx")
		f := openWorkbook(t, path)
		sum := rows(t, f, "Summary")
		if len(sum) < 4 || len(sum[3]) == 0 || !strings.Contains(sum[3][0], "2 are versions") {
			t.Errorf("long layout's Summary does not warn: %q", sum[:min(4, len(sum))])
		}
	})

	t.Run("resolved", func(t *testing.T) {
		if err := s.central.ResolveConflict(context.Background(), s.copy, s.shared, "staff"); err != nil {
			t.Fatal(err)
		}
		path, res := exportFile(t, s.central, opts, "out.xlsx")
		f := openWorkbook(t, path)
		rs := rows(t, f, "Responses")
		if res.Responses != 2 {
			t.Errorf("%d responses after resolving, want 2", res.Responses)
		}
		for _, r := range rs[1:] {
			if m := rowMap(rs[0], r); m["merge conflict"] != "" {
				t.Errorf("row %s still marked %q", m["response id"], m["merge conflict"])
			}
		}
		if sum := rows(t, f, "Summary"); len(sum) > 3 && len(sum[3]) > 0 && sum[3][0] != "" {
			t.Errorf("Summary row 4 = %q, want it blank", sum[3])
		}
		about := rows(t, f, "About")
		if line := about[findRow(t, about, "Unresolved merge conflicts")]; line[1] != "none" {
			t.Errorf("About line %q", line)
		}
	})
}

// summaryN returns the n of a question's block on the Summary sheet.
func summaryN(t *testing.T, sum [][]string, question string) string {
	t.Helper()
	for i, r := range sum {
		if len(r) > 0 && strings.HasPrefix(r[0], question+":") && i+1 < len(sum) {
			if next := sum[i+1]; len(next) > 1 && next[0] == "answered (n)" {
				return next[1]
			}
		}
	}
	t.Fatalf("no block for %s in the Summary: %q", question, sum)
	return ""
}
