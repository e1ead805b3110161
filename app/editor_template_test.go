package app_test

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"canvass/app"
	"canvass/assets"
	"canvass/survey"
	"canvass/survey/store"
)

// TestEditorKeepsBuiltInTemplateVersion: editing a built-in survey as
// installed says, before saving, that saving creates a new version, and
// does so, so every laptop keeps the same template version (merges of
// their bundles then never clash over it).
func TestEditorKeepsBuiltInTemplateVersion(t *testing.T) {
	r := newStaffRig(t)
	for _, def := range r.installBuiltIns() {
		t.Run(def.ID, func(t *testing.T) {
			before, err := store.ContentDigest(def)
			if err != nil {
				t.Fatal(err)
			}
			ed, err := r.home.EditSurvey(def.ID)
			if err != nil {
				t.Fatal(err)
			}
			relabel(t, ed, "consent", "I agree")
			next := def.Version + 1
			want := fmt.Sprintf("Version %d is the built-in template as every laptop has it: saving creates version %d.", def.Version, next)
			if !strings.Contains(ed.VersionNote.Text, want) {
				t.Errorf("version note %q, want it to say %q", ed.VersionNote.Text, want)
			}
			saved, err := ed.Save()
			if err != nil {
				t.Fatalf("Save: %v (problems %q)", err, ed.Problems.Text)
			}
			if saved.Version != next {
				t.Errorf("saved as version %d, want %d", saved.Version, next)
			}
			kept, err := r.st.Survey(r.ctx, def.ID, def.Version)
			if err != nil {
				t.Fatal(err)
			}
			if after, _ := store.ContentDigest(kept); after != before {
				t.Errorf("the built-in version %d changed", def.Version)
			}
		})
	}
}

// installBuiltIns installs the built-in templates, as every start does, and returns them.
func (r *staffRig) installBuiltIns() []*survey.Survey {
	r.t.Helper()
	defs, err := assets.Templates()
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.st.InstallTemplates(r.ctx, defs); err != nil {
		r.t.Fatal(err)
	}
	return defs
}

// relabel selects question name in the editor and types label as its English label.
func relabel(t *testing.T, ed *app.Editor, name, label string) {
	t.Helper()
	if !ed.Select(name) {
		t.Fatalf("no question %s", name)
	}
	entry := ed.Panel.Labels["en"]
	entry.SetText("")
	test.Type(entry, label)
}
