package respondent

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
		a.Settings().SetTheme(&variantTheme{Theme: ReadableTheme(), variant: theme.VariantLight})
	case ThemeDark:
		a.Settings().SetTheme(&variantTheme{Theme: ReadableTheme(), variant: theme.VariantDark})
	default:
		a.Settings().SetTheme(ReadableTheme())
	}
}

// ReadableTheme is Fyne's default theme with the colours that fall short of
// WCAG 2.2 AA replaced, in both variants: every text colour reaches 4.5:1
// on the backgrounds it is drawn on, and the outline of an unticked check
// box or radio, and of an entry, 3:1 (see TestThemeContrast). Fyne's own
// light theme draws green status text at about 1.5:1, orange warnings at
// 2.2:1 and unticked boxes in #F3F3F3 on white.
func ReadableTheme() fyne.Theme { return readableTheme{} }

type readableTheme struct{}

// Readable colours, light and dark.
var readableColors = map[fyne.ThemeColorName][2]color.NRGBA{
	//                           light                               dark
	theme.ColorNameSuccess:     {{0x1b, 0x6e, 0x20, 0xff}, {0x5c, 0xd6, 0x7a, 0xff}},
	theme.ColorNameWarning:     {{0x9a, 0x4a, 0x00, 0xff}, {0xff, 0xa7, 0x26, 0xff}},
	theme.ColorNameError:       {{0xc0, 0x1f, 0x1f, 0xff}, {0xff, 0x7b, 0x72, 0xff}},
	theme.ColorNamePrimary:     {{0x1a, 0x56, 0xdb, 0xff}, {0x6c, 0xa0, 0xff, 0xff}},
	theme.ColorNameHyperlink:   {{0x1a, 0x56, 0xdb, 0xff}, {0x8a, 0xb4, 0xff, 0xff}},
	theme.ColorNameInputBorder: {{0x76, 0x76, 0x76, 0xff}, {0x8e, 0x8e, 0x93, 0xff}},
	theme.ColorNamePlaceHolder: {{0x5f, 0x5f, 0x5f, 0xff}, {0xb0, 0xb0, 0xb5, 0xff}},
	// Text on the coloured buttons and badges.
	theme.ColorNameForegroundOnPrimary: {{0xff, 0xff, 0xff, 0xff}, {0x10, 0x10, 0x12, 0xff}},
	theme.ColorNameForegroundOnSuccess: {{0xff, 0xff, 0xff, 0xff}, {0x10, 0x10, 0x12, 0xff}},
	theme.ColorNameForegroundOnWarning: {{0xff, 0xff, 0xff, 0xff}, {0x10, 0x10, 0x12, 0xff}},
	theme.ColorNameForegroundOnError:   {{0xff, 0xff, 0xff, 0xff}, {0x10, 0x10, 0x12, 0xff}},
}

func (readableTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := readableColors[n]; ok {
		if v == theme.VariantDark {
			return c[1]
		}
		return c[0]
	}
	return theme.DefaultTheme().Color(n, v)
}

func (readableTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (readableTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }
func (readableTheme) Size(n fyne.ThemeSizeName) float32       { return theme.DefaultTheme().Size(n) }

// variantTheme is a theme whose colours are always those of one variant.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

// ForcedVariant is the variant the theme keeps to.
func (t *variantTheme) ForcedVariant() fyne.ThemeVariant { return t.variant }

// staffChoice is the theme staff chose in Settings when they chose Light
// or Dark, for the respondents' form to build on; nil when the app
// follows the system.
func staffChoice() fyne.Theme {
	if t, ok := fyne.CurrentApp().Settings().Theme().(*variantTheme); ok {
		return t
	}
	return nil
}

// Color returns the colour of the forced variant.
func (t *variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}
