// Package assets embeds Canvass's static files: the application icon, the
// built-in survey templates and the UI translations. It holds bytes and
// decoded surveys only, so the command line can use it without Fyne.
package assets

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"canvass/survey"
)

// Icon is the application icon, a 512×512 PNG.
//
//go:embed icon.png
var Icon []byte

// templateFS holds the built-in survey templates, one JSON definition per file.
//
//go:embed templates/*.json
var templateFS embed.FS

// Translations holds the UI translations in the directory TranslationsDir,
// one [prefix.]lang.json file per language, for Fyne's lang.AddTranslationsFS.
//
//go:embed translations
var Translations embed.FS

// TranslationsDir is the directory inside Translations that holds the files.
const TranslationsDir = "translations"

// Templates decodes every built-in survey template, sorted by file name.
// It does not validate them; the package tests do.
func Templates() ([]*survey.Survey, error) {
	names, err := fs.Glob(templateFS, "templates/*.json")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	sort.Strings(names)
	out := make([]*survey.Survey, 0, len(names))
	for _, name := range names {
		b, err := templateFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read template %s: %w", path.Base(name), err)
		}
		s, err := survey.Unmarshal(b)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", path.Base(name), err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Template returns the built-in survey template with the given id.
func Template(id string) (*survey.Survey, error) {
	defs, err := Templates()
	if err != nil {
		return nil, err
	}
	for _, s := range defs {
		if s.ID == id {
			return s, nil
		}
	}
	return nil, fmt.Errorf("no built-in template %q", id)
}
