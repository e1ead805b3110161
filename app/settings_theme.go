package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// ThemePreference is the app preference that holds the staff's choice of
// theme: ThemeSystem, ThemeLight or ThemeDark. It is kept per computer in
// Fyne's preferences, not in the database.
const ThemePreference = "theme"

// Theme choices.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// ApplyTheme sets the app's theme from the ThemePreference: the default
// theme follows the system; light or dark force that variant.
func ApplyTheme(a fyne.App) {
	switch a.Preferences().StringWithFallback(ThemePreference, ThemeSystem) {
	case ThemeLight:
		a.Settings().SetTheme(&variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight})
	case ThemeDark:
		a.Settings().SetTheme(&variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantDark})
	default:
		a.Settings().SetTheme(theme.DefaultTheme())
	}
}

// variantTheme is a theme whose colours are always those of one variant.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

// Color returns the colour of the forced variant.
func (t *variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}
