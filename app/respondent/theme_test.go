package respondent_test

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"canvass/app/respondent"
)

// sameColor reports whether c is the opaque colour r, g, b.
func sameColor(c color.Color, r, g, b uint8) bool {
	cr, cg, cb, ca := c.RGBA()
	return uint8(cr>>8) == r && uint8(cg>>8) == g && uint8(cb>>8) == b && ca == 0xffff
}

// luminance is the WCAG relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG contrast ratio of a on b.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestAccessibleThemeSizes(t *testing.T) {
	base := theme.DefaultTheme()
	for _, tc := range []struct {
		name   string
		th     *respondent.AccessibleTheme
		minMul float32
	}{
		{"default", &respondent.AccessibleTheme{}, 1.2},
		{"large", &respondent.AccessibleTheme{LargeText: true}, 1.6},
		{"large high contrast", &respondent.AccessibleTheme{LargeText: true, HighContrast: true}, 1.6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, n := range []fyne.ThemeSizeName{theme.SizeNameText, theme.SizeNameInlineIcon} {
				if got, b := tc.th.Size(n), base.Size(n); got < b*tc.minMul {
					t.Errorf("%s: %v, want at least %v", n, got, b*tc.minMul)
				}
			}
			if tc.th.Size(theme.SizeNameSubHeadingText) <= tc.th.Size(theme.SizeNameText) {
				t.Error("question labels are not larger than body text")
			}
		})
	}
}

func TestAccessibleThemeContrast(t *testing.T) {
	for _, tc := range []struct {
		name    string
		th      *respondent.AccessibleTheme
		variant fyne.ThemeVariant
		min     float64
	}{
		{"high contrast", &respondent.AccessibleTheme{HighContrast: true}, theme.VariantLight, 7},
		{"high contrast dark", &respondent.AccessibleTheme{HighContrast: true}, theme.VariantDark, 7},
		{"light hint", &respondent.AccessibleTheme{}, theme.VariantLight, 4.5},
		{"dark hint", &respondent.AccessibleTheme{}, theme.VariantDark, 4.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bg := tc.th.Color(theme.ColorNameBackground, tc.variant)
			names := []fyne.ThemeColorName{theme.ColorNamePlaceHolder}
			if tc.th.HighContrast {
				names = append(names, theme.ColorNameForeground, theme.ColorNameError, theme.ColorNamePrimary,
					theme.ColorNameFocus, theme.ColorNameDisabled, theme.ColorNamePlaceHolder)
			}
			for _, n := range names {
				if c := contrast(tc.th.Color(n, tc.variant), bg); c < tc.min {
					t.Errorf("%s on background: contrast %.1f, want at least %.1f", n, c, tc.min)
				}
			}
			if tc.th.HighContrast {
				on := tc.th.Color(theme.ColorNameForegroundOnPrimary, tc.variant)
				if c := contrast(on, tc.th.Color(theme.ColorNamePrimary, tc.variant)); c < tc.min {
					t.Errorf("text on primary: contrast %.1f", c)
				}
			}
		})
	}
}

// The staff's Light or Dark choice in Settings holds for the respondents'
// form too, whatever the system's variant.
func TestFormFollowsTheStaffThemeChoice(t *testing.T) {
	for _, c := range []struct {
		choice string
		want   fyne.ThemeVariant
	}{
		{respondent.ThemeLight, theme.VariantLight},
		{respondent.ThemeDark, theme.VariantDark},
	} {
		t.Run(c.choice, func(t *testing.T) {
			r := newRig(t, longPage(), newFakeStore(), func(*respondent.FormConfig) {
				a := fyne.CurrentApp()
				a.Preferences().SetString(respondent.ThemePreference, c.choice)
				respondent.ApplyTheme(a)
			})
			system := fyne.CurrentApp().Settings().ThemeVariant()
			for _, n := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameForeground, theme.ColorNamePlaceHolder} {
				got := r.f.Theme().Color(n, system)
				want := (&respondent.AccessibleTheme{}).Color(n, c.want)
				if got != want {
					t.Errorf("%s: the form draws %v, want %v (the %s variant)", n, got, want, c.choice)
				}
			}
		})
	}
}
