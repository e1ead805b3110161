package respondent_test

import (
	"fmt"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"canvass/app/respondent"
)

// contrastPair is a colour drawn on another, with the contrast WCAG 2.2 AA
// asks of it: 4.5:1 for text, 3:1 for the boundary of a UI component.
type contrastPair struct {
	fg, bg fyne.ThemeColorName
	min    float64
	what   string
}

const (
	textContrast = 4.5
	uiContrast   = 3
)

// themePairs lists every colour pair the staff screens and the form draw.
var themePairs = []contrastPair{
	{theme.ColorNameForeground, theme.ColorNameBackground, textContrast, "text"},
	{theme.ColorNameForeground, theme.ColorNameInputBackground, textContrast, "typed text"},
	{theme.ColorNameForeground, theme.ColorNameButton, textContrast, "button text"},
	{theme.ColorNameForeground, theme.ColorNameOverlayBackground, textContrast, "dialog text"},
	{theme.ColorNameForeground, theme.ColorNameMenuBackground, textContrast, "menu text"},
	{theme.ColorNameForeground, theme.ColorNameHeaderBackground, textContrast, "table header text"},
	{theme.ColorNamePlaceHolder, theme.ColorNameInputBackground, textContrast, "placeholder in an entry"},
	{theme.ColorNamePlaceHolder, theme.ColorNameBackground, textContrast, "hint text"},
	{theme.ColorNameSuccess, theme.ColorNameBackground, textContrast, "status text: Active, Saved, Backed up"},
	{theme.ColorNameWarning, theme.ColorNameBackground, textContrast, "warning text"},
	{theme.ColorNameError, theme.ColorNameBackground, textContrast, "error text"},
	{theme.ColorNamePrimary, theme.ColorNameBackground, textContrast, "primary text (high importance labels)"},
	{theme.ColorNameHyperlink, theme.ColorNameBackground, textContrast, "links"},
	{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary, textContrast, "text on a primary button"},
	{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess, textContrast, "text on a success button"},
	{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning, textContrast, "text on a warning button"},
	{theme.ColorNameForegroundOnError, theme.ColorNameError, textContrast, "text on a danger button"},
	{theme.ColorNameInputBorder, theme.ColorNameBackground, uiContrast, "unticked check box, radio, entry outline"},
	{theme.ColorNameInputBorder, theme.ColorNameInputBackground, uiContrast, "entry outline on its fill"},
	{theme.ColorNamePrimary, theme.ColorNameBackground, uiContrast, "ticked check box, chosen radio"},
}

// TestThemeContrast computes the contrast of every colour pair of the
// staff theme and of the respondent form's theme, in light and dark.
func TestThemeContrast(t *testing.T) {
	themes := []struct {
		name string
		th   fyne.Theme
	}{
		{"staff", respondent.ReadableTheme()},
		{"form", &respondent.AccessibleTheme{}},
		{"form, large text", &respondent.AccessibleTheme{LargeText: true}},
		{"form, high contrast", &respondent.AccessibleTheme{HighContrast: true}},
	}
	for _, tc := range themes {
		for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
			name := fmt.Sprintf("%s/%s", tc.name, map[fyne.ThemeVariant]string{theme.VariantLight: "light", theme.VariantDark: "dark"}[v])
			t.Run(name, func(t *testing.T) {
				for _, p := range themePairs {
					fg, bg := tc.th.Color(p.fg, v), tc.th.Color(p.bg, v)
					bg = flatten(bg, tc.th.Color(theme.ColorNameBackground, v))
					fg = flatten(fg, bg)
					if c := contrast(fg, bg); c < p.min {
						t.Errorf("%s (%s on %s): %.2f:1, want at least %.1f:1", p.what, p.fg, p.bg, c, p.min)
					}
				}
			})
		}
	}
}

// flatten composes a translucent colour over an opaque one.
func flatten(c, over color.Color) color.Color {
	r, g, b, a := c.RGBA()
	if a == 0xffff {
		return c
	}
	or, og, ob, _ := over.RGBA()
	mix := func(x, y uint32) uint8 { return uint8(((x*a + y*(0xffff-a)) / 0xffff) >> 8) }
	return color.NRGBA{mix(r, or), mix(g, og), mix(b, ob), 0xff}
}

// The default theme is what the staff theme fixes: the test would catch it.
func TestDefaultThemeFallsShort(t *testing.T) {
	th := theme.DefaultTheme()
	bg := th.Color(theme.ColorNameBackground, theme.VariantLight)
	if c := contrast(th.Color(theme.ColorNameSuccess, theme.VariantLight), bg); c >= textContrast {
		t.Errorf("Fyne's light success colour reaches %.2f:1: the pair list may be stale", c)
	}
	if c := contrast(th.Color(theme.ColorNameInputBorder, theme.VariantLight), bg); c >= uiContrast {
		t.Errorf("Fyne's light input border reaches %.2f:1: the pair list may be stale", c)
	}
}
