package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"canvass/survey"
	"canvass/survey/store"
)

// Choosing CSV, or leaving out the personal questions, must not change the
// Export dialog's size: a dialog that grows is centred again, and the check
// boxes move away from under the pointer. (The test window does not centre
// the dialog again; its minimum size is what the real window goes by.)
func TestExportDialogKeepsItsSize(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := &survey.Survey{ID: "allotments", Version: 1, Title: survey.En("Allotments"), Questions: []*survey.Question{
		{Type: survey.TypeText, Name: "name", Label: survey.En("Your name"), Personal: true},
	}}
	if _, err := st.SaveSurvey(ctx, s); err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1366, 768))
	d, err := ShowExport(ctx, w, st, "allotments")
	if err != nil {
		t.Fatal(err)
	}
	// laidOut has the dialog lay itself out again at its size and returns
	// its minimum size and where the check boxes sit in it.
	type state struct {
		min             fyne.Size
		codes, personal fyne.Position
	}
	laidOut := func() state {
		d.dlg.Resize(d.dlg.MinSize().Max(fyne.NewSize(640, 620)))
		dr := fyne.CurrentApp().Driver()
		at := func(o fyne.CanvasObject) fyne.Position {
			return dr.AbsolutePositionForObject(o).Subtract(dr.AbsolutePositionForObject(d.body))
		}
		return state{min: d.dlg.MinSize(), codes: at(d.Codes), personal: at(d.NoPersonal)}
	}
	xlsx := laidOut()
	for _, step := range []struct {
		name string
		do   func()
	}{
		{"CSV chosen", func() { d.Format.SetSelected(d.Format.Options[1]) }},
		{"personal questions left out", func() { d.NoPersonal.SetChecked(true) }},
		{"personal questions back in", func() { d.NoPersonal.SetChecked(false) }},
		{"workbook chosen again", func() { d.Format.SetSelected(d.Format.Options[0]) }},
		{"Export pressed without a password", func() {
			test.Tap(d.ExportButton)
			if !d.Message.Visible() || !strings.Contains(d.Message.Text, "personal questions") {
				t.Fatalf("no message after Export without a password: %q", d.Message.Text)
			}
		}},
		{"passwords that differ", func() {
			d.Password.SetText("one password")
			test.Tap(d.ExportButton)
			if !d.Message.Visible() || !strings.Contains(d.Message.Text, "not the same") {
				t.Fatalf("no message after Export with passwords that differ: %q", d.Message.Text)
			}
		}},
	} {
		step.do()
		laidOut() // the wrapped note measures its lines at the width it is given
		if got := laidOut(); got != xlsx {
			t.Errorf("%s: dialog %v, Codes at %v, Leave out personal at %v; with the workbook: %v, %v, %v",
				step.name, got.min, got.codes, got.personal, xlsx.min, xlsx.codes, xlsx.personal)
		}
	}
}
