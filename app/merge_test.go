package app_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"canvass/app"
	"canvass/survey"
	"canvass/survey/encryption"
	"canvass/survey/store"
)

// analystKey is the key pair the merge tests' laptops encrypt bundles to.
var analystKey, _ = encryption.NewKeyPair()

// mergeLaptop is a database with one survey and n submitted responses,
// set to encrypt bundles to analystKey and to open them with it.
func mergeLaptop(t *testing.T, name string, n int) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), name+".db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	keyFile := filepath.Join(t.TempDir(), "analyst.key")
	if err := encryption.WriteKeyFile(keyFile, analystKey, time.Now()); err != nil {
		t.Fatal(err)
	}
	choice := encryption.Choice{Mode: encryption.PublicKey, PublicKey: analystKey.Public, IdentityFile: keyFile}
	if err := encryption.SaveChoice(ctx, st, choice); err != nil {
		t.Fatal(err)
	}
	def := &survey.Survey{ID: "park", Title: survey.En("Park"), Questions: []*survey.Question{
		{Type: survey.TypeText, Name: "why", Label: survey.En("Why?")},
	}}
	if _, err := st.SaveSurvey(ctx, def); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		r, err := st.StartResponse(ctx, "park", 0, "en")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Submit(ctx, r.ID, survey.Answers{"why": name + " reason " + string(rune('a'+i))}, nil); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func countAll(t *testing.T, st *store.Store) int {
	t.Helper()
	c, err := st.CountResponses(context.Background(), survey.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return c.Total()
}

func TestMergeDialog(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	w := test.NewTempWindow(t, widget.NewLabel("home"))
	central := mergeLaptop(t, "central", 0)
	dir := t.TempDir()
	var bundles []string
	for i, n := range []int{3, 2} {
		l := mergeLaptop(t, "laptop"+string(rune('A'+i)), n)
		d := app.ShowExportBundle(ctx, w, l)
		path := filepath.Join(dir, "laptop"+string(rune('A'+i))) // the dialog adds .canvass
		d.ExportTo(path)
		d.Wait()
		if d.Err != nil {
			t.Fatalf("export bundle: %v", d.Err)
		}
		if d.Info.Path != path+".canvass" || d.Info.Responses != n || !strings.Contains(d.Message.Text, "Responses: "+string(rune('0'+n))+".") {
			t.Errorf("export bundle: %+v, message %q", d.Info, d.Message.Text)
		}
		bundles = append(bundles, d.Info.Path)
	}
	notBundle := filepath.Join(dir, "notes.canvass")
	if err := os.WriteFile(notBundle, []byte("shopping list"), 0o600); err != nil {
		t.Fatal(err)
	}

	done := 0
	m := app.ShowMerge(ctx, w, central, func() { done++ })
	if !m.MergeButton.Disabled() {
		t.Error("Merge is enabled with no bundles")
	}
	for _, p := range bundles {
		if err := m.AddFile(p); err != nil {
			t.Fatal(err)
		}
	}
	refusals := map[string]string{
		bundles[0]:      "already",
		notBundle:       "not a database",
		central.Path():  "database Canvass has open",
		dir + "/gone.x": "gone.x",
	}
	for path, want := range refusals {
		if err := m.AddFile(path); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(m.Message.Text, want) {
			t.Errorf("AddFile(%s) = %v, message %q; want it refused with %q", filepath.Base(path), err, m.Message.Text, want)
		}
	}
	if got := m.Files(); len(got) != 2 || got[0] != bundles[0] || got[1] != bundles[1] {
		t.Fatalf("Files() = %v", got)
	}
	m.RemoveFile(bundles[1])
	if err := m.AddFile(bundles[1]); err != nil {
		t.Fatal(err)
	}

	test.Tap(m.MergeButton)
	m.Wait()
	if n := countAll(t, central); n != 5 {
		t.Errorf("central has %d responses after the merge, want 5", n)
	}
	if done != 1 {
		t.Errorf("onDone ran %d times, want 1", done)
	}
	if len(m.Reports()) != 2 || m.Reports()[0].Added != 3 || m.Reports()[1].Added != 2 {
		t.Errorf("reports %+v", m.Reports())
	}
	for _, want := range []string{"3 new, 0 already here, 0 conflicts", "All 2 bundles", "5 new"} {
		if !strings.Contains(m.ReportText(), want) {
			t.Errorf("report shown lacks %q:\n%s", want, m.ReportText())
		}
	}
	if !strings.Contains(m.Message.Text, "New responses: 5.") {
		t.Errorf("message %q", m.Message.Text)
	}
	if m.Progress.Value != m.Progress.Max || len(m.Files()) != 0 || !m.MergeButton.Disabled() || m.AddButton.Disabled() {
		t.Errorf("after the merge: progress %v/%v, files %v, merge disabled %v, add disabled %v",
			m.Progress.Value, m.Progress.Max, m.Files(), m.MergeButton.Disabled(), m.AddButton.Disabled())
	}

	// The same bundles again: nothing new.
	for _, p := range bundles {
		if err := m.AddFile(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Merge(); err != nil {
		t.Fatal(err)
	}
	m.Wait()
	if n := countAll(t, central); n != 5 || !strings.Contains(m.Message.Text, "New responses: 0. Already here: 5.") {
		t.Errorf("merging again: %d responses, message %q", n, m.Message.Text)
	}
	if err := m.Merge(); err == nil {
		t.Error("Merge with an empty list started")
	}
}

func TestExportBundleDialogOneEvent(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	w := test.NewTempWindow(t, widget.NewLabel("home"))
	l := mergeLaptop(t, "laptop", 2)
	ev := survey.Event{Name: "Fair", Active: true}
	if err := l.SaveEvent(ctx, &ev); err != nil {
		t.Fatal(err)
	}
	mergeLaptopRespond(t, l)

	d := app.ShowExportBundle(ctx, w, l)
	if d.Event.Selected != "Fair" {
		t.Errorf("event chosen at first = %q, want the active one", d.Event.Selected)
	}
	path := filepath.Join(t.TempDir(), "fair.canvass")
	d.ExportTo(path)
	d.Wait()
	if d.Err != nil || d.Info.Responses != 1 || d.Info.EventID != ev.ID {
		t.Errorf("event bundle: %+v, %v", d.Info, d.Err)
	}
	if !strings.HasPrefix(d.DefaultFileName(ev.Date), "canvass-bundle-"+l.DeviceID()[:8]) {
		t.Errorf("DefaultFileName = %q", d.DefaultFileName(ev.Date))
	}

	d.Event.SetSelectedIndex(0) // all events
	d.ExportTo(path)
	d.Wait()
	if d.Err != nil || d.Info.Responses != 3 {
		t.Errorf("all events: %+v, %v", d.Info, d.Err)
	}

	d.ExportTo(filepath.Join(t.TempDir(), "missing folder", "x.canvass"))
	d.Wait()
	if d.Err == nil || !strings.Contains(d.Message.Text, "not saved") {
		t.Errorf("export into a missing folder: %v, message %q", d.Err, d.Message.Text)
	}
}

// mergeLaptopRespond submits one more response on st.
func mergeLaptopRespond(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	r, err := st.StartResponse(ctx, "park", 0, "en")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Submit(ctx, r.ID, survey.Answers{"why": "event"}, nil); err != nil {
		t.Fatal(err)
	}
}

// TestMergeDialogConflicts checks that after a merge the dialog names the
// surveys with conflicts waiting, and that its button opens the response
// browser on them.
func TestMergeDialogConflicts(t *testing.T) {
	r := newConflictRig(t)
	id := r.respondOn(r.a, survey.Answers{"visit": "yes", "why": "Quiet"})
	r.merge(r.b, r.bundle(r.a))
	if err := r.b.SaveAnswer(r.ctx, id, "why", "Noisy"); err != nil {
		t.Fatal(err)
	}
	r.merge(r.st, r.bundle(r.a))
	fromB := r.bundle(r.b)

	t.Run("without a resolve hook", func(t *testing.T) {
		m := app.ShowMerge(r.ctx, r.win, r.st, nil)
		if m.Conflicts.Visible() {
			t.Error("conflicts shown before any merge")
		}
		if err := m.AddFile(r.bundle(r.a)); err != nil {
			t.Fatal(err)
		}
		if err := m.Merge(); err != nil {
			t.Fatal(err)
		}
		m.Wait()
		if m.Conflicts.Visible() || len(m.ConflictSurveys) != 0 {
			t.Errorf("no conflicts, yet shown: %q", m.Conflicts.Text)
		}
		if err := m.AddFile(fromB); err != nil {
			t.Fatal(err)
		}
		if err := m.Merge(); err != nil {
			t.Fatal(err)
		}
		m.Wait()
		if !m.Conflicts.Visible() || !strings.Contains(m.Conflicts.Text, "Park survey — conflicts: 1") ||
			!strings.Contains(m.Conflicts.Text, "Only conflicts") || len(m.ResolveButtons) != 0 {
			t.Errorf("conflicts line %q (visible %v), %d buttons", m.Conflicts.Text, m.Conflicts.Visible(), len(m.ResolveButtons))
		}
		// The report reads as a table of counts, with the conflict in words.
		shown := m.ReportText()
		for _, want := range []string{"(from device " + r.b.DeviceID()[:8] + ")\n",
			"Responses\n0 new, 0 already here, 1 conflict\n", "Survey versions\n0 added, 1 already here, 0 conflicting\n",
			"• Response " + id + " differs from the one here: the bundle's version is kept beside it as ",
			"• Resolve the conflicts in the response browser: keep one version of each.\n"} {
			if !strings.Contains(shown, want) {
				t.Errorf("the report shown lacks %q:\n%s", want, shown)
			}
		}
		var monospace func(o fyne.CanvasObject) bool
		monospace = func(o fyne.CanvasObject) bool {
			switch o := o.(type) {
			case *fyne.Container:
				return slices.ContainsFunc(o.Objects, monospace)
			case *widget.Label:
				return o.TextStyle.Monospace
			}
			return false
		}
		if monospace(m.Report) {
			t.Error("the report is shown as a text dump in a monospace font")
		}
	})

	t.Run("from the home screen", func(t *testing.T) {
		m := r.home.ShowMergeBundles()
		if err := m.AddFile(fromB); err != nil {
			t.Fatal(err)
		}
		if err := m.Merge(); err != nil {
			t.Fatal(err)
		}
		m.Wait()
		// Merging B again adds nothing, but the conflict still waits.
		if len(m.ConflictSurveys) != 1 || m.ConflictSurveys[0] != "park" || len(m.ResolveButtons) != 1 {
			t.Fatalf("conflict surveys %v, %d buttons", m.ConflictSurveys, len(m.ResolveButtons))
		}
		test.Tap(m.ResolveButtons[0])
		rs := m.Browser
		if rs == nil || !rs.ConflictsOnly.Checked || len(rs.Rows) != 2 {
			t.Fatalf("browser %v", rs)
		}
		if err := rs.Open(rs.Rows[0].ID); err != nil || rs.Compare == nil {
			t.Fatalf("open: %v, compare %v", err, rs.Compare)
		}
	})
}

// TestMergeDialogNamesOwnBundle: a bundle this laptop exported itself is
// listed with a warning that merging it adds nothing; another laptop's is not.
func TestMergeDialogNamesOwnBundle(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	w := test.NewTempWindow(t, widget.NewLabel("home"))
	here := mergeLaptop(t, "here", 2)
	other := mergeLaptop(t, "other", 1)
	dir := t.TempDir()
	var paths []string
	for _, l := range []*store.Store{here, other} {
		d := app.ShowExportBundle(ctx, w, l)
		d.ExportTo(filepath.Join(dir, filepath.Base(l.Path())))
		d.Wait()
		if d.Err != nil {
			t.Fatal(d.Err)
		}
		paths = append(paths, d.Info.Path)
	}
	m := app.ShowMerge(ctx, w, here, func() {})
	if err := m.AddFile(paths[1]); err != nil {
		t.Fatal(err)
	}
	const warning = "This laptop's own bundle"
	if strings.Contains(m.Message.Text, warning) {
		t.Error("another laptop's bundle is called this laptop's own")
	}
	if err := m.AddFile(paths[0]); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Message.Text, warning) || m.Message.Importance != widget.WarningImportance {
		t.Errorf("this laptop's own bundle is added without comment: %q", m.Message.Text)
	}
}

// A damaged plain bundle is refused when added, with a message that names
// the file and says what is wrong in words, not SQLite's; nothing waits to
// be merged and the good bundle beside it still merges.
func TestMergeDialogExplainsDamagedBundle(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	w := test.NewTempWindow(t, widget.NewLabel("home"))
	central := mergeLaptop(t, "central", 0)
	laptop := mergeLaptop(t, "laptopA", 30)
	dir := t.TempDir()
	good := filepath.Join(dir, "laptopA.canvass")
	if _, err := laptop.ExportBundle(ctx, good, ""); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	for i := 3 * 4096; i < len(b); i += 7 {
		b[i] ^= 0x5a
	}
	damaged := filepath.Join(dir, "laptopB.canvass")
	if err := os.WriteFile(damaged, b, 0o600); err != nil {
		t.Fatal(err)
	}

	m := app.ShowMerge(ctx, w, central, nil)
	err = m.AddFile(damaged)
	if err == nil {
		t.Fatal("a damaged bundle was added")
	}
	t.Logf("shown: %s", m.Message.Text)
	for _, want := range []string{"laptopB.canvass", "damaged", "make the bundle again"} {
		if !strings.Contains(m.Message.Text, want) {
			t.Errorf("message %q lacks %q", m.Message.Text, want)
		}
	}
	if strings.Contains(m.Message.Text, "malformed") || m.Message.Importance != widget.DangerImportance {
		t.Errorf("message %q (importance %v): want it in words, shown as an error", m.Message.Text, m.Message.Importance)
	}
	if len(m.Files()) != 0 || !m.MergeButton.Disabled() {
		t.Errorf("after the refusal: files %v, merge disabled %v", m.Files(), m.MergeButton.Disabled())
	}
	if err := m.AddFile(good); err != nil {
		t.Fatal(err)
	}
	test.Tap(m.MergeButton)
	m.Wait()
	if n := countAll(t, central); n != 30 {
		t.Errorf("central has %d responses after merging the good bundle, want 30", n)
	}
}
