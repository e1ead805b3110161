package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestFileDialogsRememberTheirFolder: each action's dialog starts where it
// was last used on this computer, even between two imports in a row; a
// folder since removed falls back to the usual start.
func TestFileDialogsRememberTheirFolder(t *testing.T) {
	test.NewTempApp(t)
	forms, bundles := t.TempDir(), t.TempDir()
	if got := startFolder("import-form", "/fallback"); got != "/fallback" {
		t.Errorf("first import starts in %q", got)
	}
	rememberFolder("import-form", forms)
	rememberFolder("export-bundle", bundles)
	for action, want := range map[string]string{"import-form": forms, "export-bundle": bundles, "backup": "/fallback"} {
		if got := startFolder(action, "/fallback"); got != want {
			t.Errorf("%s starts in %q, want %q", action, got, want)
		}
	}
	gone := filepath.Join(forms, "gone")
	if err := os.Mkdir(gone, 0o700); err != nil {
		t.Fatal(err)
	}
	rememberFolder("import-form", gone)
	os.Remove(gone)
	if got := startFolder("import-form", "/fallback"); got != "/fallback" {
		t.Errorf("a removed folder: starts in %q", got)
	}
}

// A folder dialog says what it is for, and its button chooses the folder
// (Fyne's says "Open", as if a backup were opened).
func TestFolderDialogSaysWhatItDoes(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1366, 768))
	pickFolder(w, "Choose a folder for the backup", "", t.TempDir(), func(string) {}, func(error) {})
	shown := test.RenderObjectToMarkup(w.Canvas().Overlays().Top())
	for _, want := range []string{">Choose a folder for the backup<", ">Choose this folder<"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the folder dialog lacks %q", want)
		}
	}
	if strings.Contains(shown, ">Open<") {
		t.Error("the folder dialog's button still says Open")
	}
}
