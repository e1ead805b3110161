package app

import (
	"os"
	"path/filepath"
	"testing"

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
