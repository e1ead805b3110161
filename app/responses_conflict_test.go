package app_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"canvass/survey"
	"canvass/survey/store"
)

// conflictRig is a staff rig whose database merged bundles from two
// laptops that changed the same responses differently.
type conflictRig struct {
	*staffRig
	a, b *store.Store
}

func newConflictRig(t *testing.T) *conflictRig {
	t.Helper()
	r := &conflictRig{staffRig: newStaffRig(t)}
	r.saveSurvey(parkSurvey())
	setup := r.bundle(r.st)
	r.a, r.b = r.laptop("a", setup, 3), r.laptop("b", setup, 2)
	return r
}

// laptop is another laptop, set up from the bundle setup, whose clock runs
// some days behind, so that changes on two laptops come at other times.
func (r *conflictRig) laptop(name, setup string, daysBehind int) *store.Store {
	r.t.Helper()
	behind := store.WithClock(func() time.Time { return time.Now().AddDate(0, 0, -daysBehind) })
	st, err := store.Open(r.ctx, filepath.Join(r.t.TempDir(), name+".db"), behind)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { st.Close() })
	r.merge(st, setup)
	return st
}

func (r *conflictRig) bundle(st *store.Store) string {
	r.t.Helper()
	path := filepath.Join(r.t.TempDir(), "x.canvass")
	if _, err := st.ExportBundle(r.ctx, path, ""); err != nil {
		r.t.Fatal(err)
	}
	return path
}

func (r *conflictRig) merge(st *store.Store, path string) store.MergeReport {
	r.t.Helper()
	rep, err := st.MergeBundle(r.ctx, path, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	return rep
}

// respondOn submits a response on laptop st.
func (r *conflictRig) respondOn(st *store.Store, answers survey.Answers) string {
	r.t.Helper()
	resp, err := st.StartResponse(r.ctx, "park", 0, "en")
	if err != nil {
		r.t.Fatal(err)
	}
	if err := st.Submit(r.ctx, resp.ID, answers, nil); err != nil {
		r.t.Fatal(err)
	}
	return resp.ID
}

func (r *conflictRig) answers(id string) survey.Answers {
	r.t.Helper()
	resp, err := r.st.Response(r.ctx, id)
	if err != nil {
		r.t.Fatalf("response %s: %v", id, err)
	}
	return resp.Answers
}

func TestResponsesResolveConflicts(t *testing.T) {
	r := newConflictRig(t)
	first := r.respondOn(r.a, survey.Answers{"visit": "yes", "likes": "ducks", "why": "Quiet"})
	second := r.respondOn(r.a, survey.Answers{"visit": "yes", "why": "Trees"})
	r.merge(r.b, r.bundle(r.a))
	// Staff on laptop B changed both afterwards.
	for id, ans := range map[string]survey.Answers{first: {"why": "Noisy", "age": "40"}, second: {"why": "Shade"}} {
		if err := r.b.SaveAnswers(r.ctx, id, ans, nil); err != nil {
			t.Fatal(err)
		}
	}
	r.respond("park", survey.StatusComplete, survey.Answers{"visit": "no"})
	r.merge(r.st, r.bundle(r.a))
	rep := r.merge(r.st, r.bundle(r.b))
	copyOf := map[string]string{}
	for _, c := range rep.Conflicts {
		copyOf[c.Original] = c.Copy
	}
	if len(copyOf) != 2 || copyOf[first] == "" || copyOf[second] == "" {
		t.Fatalf("merge made conflicts %+v", rep.Conflicts)
	}

	rs, err := r.home.ShowResponses("park")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("badges and filter", func(t *testing.T) {
		if !rs.ConflictsOnly.Visible() || rs.ConflictsOnly.Text != "Only conflicts (2)" || !rs.ConflictNote.Visible() {
			t.Errorf("conflicts filter %q visible %v, note visible %v", rs.ConflictsOnly.Text, rs.ConflictsOnly.Visible(), rs.ConflictNote.Visible())
		}
		if len(rs.Rows) != 5 {
			t.Fatalf("%d rows, want 5 (both versions of two responses, and one more)", len(rs.Rows))
		}
		for i, row := range rs.Rows {
			want := ""
			switch row.ID {
			case first, second:
				want = "⚠ Conflict: this laptop's version · "
			case copyOf[first], copyOf[second]:
				want = "⚠ Conflict: the bundle's version · "
			}
			if got := rs.RowText(i); want != "" && !strings.HasPrefix(got, want) || want == "" && strings.Contains(got, "Conflict") {
				t.Errorf("row %s reads %q, want it to start %q", row.ID, got, want)
			}
		}
		test.Tap(rs.ConflictsOnly)
		if len(rs.Rows) != 4 || rs.Count.Text != "Versions in conflict: 4" {
			t.Errorf("only conflicts: %d rows, %q", len(rs.Rows), rs.Count.Text)
		}
		rs.Status.SetSelected("Abandoned")
		if len(rs.Rows) != 0 {
			t.Errorf("abandoned conflicts: %d rows", len(rs.Rows))
		}
		rs.Status.SetSelected("Every status")
	})

	t.Run("side by side", func(t *testing.T) {
		for _, id := range []string{first, copyOf[first]} {
			if err := rs.Open(id); err != nil {
				t.Fatal(err)
			}
			v := rs.Compare
			if v == nil || v.Here.ID != first || v.Bundle.ID != copyOf[first] || rs.Opened.ID != id {
				t.Fatalf("open %s: compare %+v, opened %v", id, v, rs.Opened)
			}
			differ := map[string][2]string{}
			for _, row := range v.Differing() {
				differ[row.Label] = [2]string{row.Here, row.Bundle}
			}
			want := map[string][2]string{"Why?": {"Quiet", "Noisy"}, "Your age": {"(no answer)", "40"}}
			for label, w := range want {
				if differ[label] != w {
					t.Errorf("row %q = %q, want %q", label, differ[label], w)
				}
			}
			if _, ok := differ["Last changed"]; !ok {
				t.Errorf("the change times are not shown as differing: %v", differ)
			}
			for _, same := range []string{"Do you visit the park?", "What do you like?", "Started"} {
				if _, ok := differ[same]; ok {
					t.Errorf("%q marked as differing", same)
				}
			}
			devices := v.Rows[0]
			if devices.Label != "Collected on device" || devices.Here != r.a.DeviceID()[:8] || devices.Bundle != r.a.DeviceID()[:8] {
				t.Errorf("device row %+v", devices)
			}
			if !rs.KeepHereButton.Visible() || !rs.KeepBundleButton.Visible() || rs.DeleteButton.Visible() || rs.EraseButton.Visible() {
				t.Error("a conflict shows the wrong buttons")
			}
			if rs.Delete() != nil || rs.ErasePersonal() != nil || rs.MarkComplete() != nil {
				t.Error("one version of a conflict offered to be deleted, erased or marked complete")
			}
		}
	})

	t.Run("keep the bundle's", func(t *testing.T) {
		if err := rs.Open(first); err != nil {
			t.Fatal(err)
		}
		rs.KeepBundle().Dismiss()
		if _, err := r.st.Response(r.ctx, copyOf[first]); err != nil {
			t.Fatalf("dismissing resolved the conflict: %v", err)
		}
		rs.KeepBundle().Confirm()
		if got := r.answers(first); got["why"] != "Noisy" || got["age"] != "40" {
			t.Errorf("kept answers %v, want the bundle's", got)
		}
		if _, err := r.st.Response(r.ctx, copyOf[first]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the bundle's copy is still there: %v", err)
		}
		a := r.lastAudit()
		if a.Action != "resolve-conflict" || a.Subject != first || !strings.HasPrefix(a.Actor, "staff") ||
			!strings.Contains(a.Detail, "kept "+copyOf[first]) || strings.Contains(a.Detail, "Noisy") {
			t.Errorf("audit %+v", a)
		}
		if len(rs.Rows) != 2 || rs.ConflictsOnly.Text != "Only conflicts (1)" {
			t.Errorf("after resolving: %d rows, filter %q", len(rs.Rows), rs.ConflictsOnly.Text)
		}
		if rs.Compare != nil || rs.Opened == nil || rs.Opened.ID != first || !rs.DeleteButton.Visible() {
			t.Errorf("after resolving: compare %v, opened %v", rs.Compare, rs.Opened)
		}
		if !rs.Notice.Visible() || rs.Notice.Text != "Kept the bundle's version; this laptop's was deleted." {
			t.Errorf("notice %q (visible %v)", rs.Notice.Text, rs.Notice.Visible())
		}
	})

	t.Run("keep this laptop's", func(t *testing.T) {
		if err := rs.Open(copyOf[second]); err != nil {
			t.Fatal(err)
		}
		rs.KeepHere().Confirm()
		if got := r.answers(second); got["why"] != "Trees" {
			t.Errorf("kept answers %v, want this laptop's", got)
		}
		if _, err := r.st.Response(r.ctx, copyOf[second]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the bundle's copy is still there: %v", err)
		}
		if a := r.lastAudit(); a.Action != "resolve-conflict" || a.Subject != second || !strings.Contains(a.Detail, "kept "+second) {
			t.Errorf("audit %+v", a)
		}
		if !strings.HasPrefix(rs.Notice.Text, "Kept this laptop's version") {
			t.Errorf("notice %q", rs.Notice.Text)
		}
		// The last conflict is gone: the filter goes and every response is listed.
		if rs.ConflictsOnly.Checked || rs.ConflictsOnly.Visible() || rs.ConflictNote.Visible() || len(rs.Rows) != 3 {
			t.Errorf("no conflicts left: filter ticked %v visible %v, note visible %v, %d rows",
				rs.ConflictsOnly.Checked, rs.ConflictsOnly.Visible(), rs.ConflictNote.Visible(), len(rs.Rows))
		}
		for i := range rs.Rows {
			if strings.Contains(rs.RowText(i), "Conflict") {
				t.Errorf("row %q still marked", rs.RowText(i))
			}
		}
		if rs.KeepHere() != nil || rs.KeepBundle() != nil {
			t.Error("keep offered with no conflict open")
		}
	})
}

// TestResponsesConflictOfThree checks that a response three laptops changed
// shows one pair at a time, saying another version waits.
func TestResponsesConflictOfThree(t *testing.T) {
	r := newConflictRig(t)
	c := r.laptop("c", r.bundle(r.st), 1)
	id := r.respondOn(r.a, survey.Answers{"visit": "yes", "why": "Quiet"})
	for _, l := range []*store.Store{r.b, c} {
		r.merge(l, r.bundle(r.a))
	}
	if err := r.b.SaveAnswer(r.ctx, id, "why", "Noisy"); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveAnswer(r.ctx, id, "why", "Busy"); err != nil {
		t.Fatal(err)
	}
	for _, l := range []*store.Store{r.a, r.b, c} {
		r.merge(r.st, r.bundle(l))
	}
	rs, err := r.home.ShowResponses("park")
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.Open(id); err != nil {
		t.Fatal(err)
	}
	if rs.Compare == nil || rs.Compare.More != 1 || rs.ConflictsOnly.Text != "Only conflicts (2)" {
		t.Fatalf("compare %+v, filter %q", rs.Compare, rs.ConflictsOnly.Text)
	}
	firstCopy := rs.Compare.Bundle.Answers["why"]
	rs.KeepHere().Confirm()
	if rs.Compare == nil || rs.Compare.More != 0 || rs.Compare.Bundle.Answers["why"] == firstCopy {
		t.Fatalf("after the first pair: compare %+v, want the other version next", rs.Compare)
	}
	rs.KeepBundle().Confirm()
	if rs.Compare != nil || len(rs.Rows) != 1 {
		t.Errorf("after both: compare %+v, %d rows", rs.Compare, len(rs.Rows))
	}
	if why := r.answers(id)["why"]; why == "Quiet" || why == firstCopy {
		t.Errorf("kept %q, want the last version chosen", why)
	}
}
