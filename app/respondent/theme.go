package respondent

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// AccessibleTheme is the respondent form's theme: the base theme with text
// comfortably large for a laptop at arm's length, optionally larger still,
// optionally high contrast (white on black, yellow for focus and selection).
// Apply it with container.NewThemeOverride so the rest of the app keeps its theme.
// Question hints use the placeholder colour, which this theme makes muted
// but still readable (at least 4.5:1 on the background).
type AccessibleTheme struct {
	Base         fyne.Theme // nil: ReadableTheme
	LargeText    bool       // text about 40% larger than the form's default
	HighContrast bool       // black background, white text, yellow focus
}

var _ fyne.Theme = (*AccessibleTheme)(nil)

// High-contrast palette: every text colour reaches at least 7:1 on black.
var (
	hcBlack  = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	hcWhite  = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	hcYellow = color.NRGBA{0xff, 0xe6, 0x00, 0xff}
	hcGrey   = color.NRGBA{0x3a, 0x3a, 0x3a, 0xff}
)

func (t *AccessibleTheme) base() fyne.Theme {
	if t.Base != nil {
		return t.Base
	}
	return ReadableTheme()
}

// Color returns the named colour; high contrast replaces the whole palette.
// A base theme that keeps to one variant (the staff's choice of Light or
// Dark in Settings) decides the variant, whatever the system's.
func (t *AccessibleTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if f, ok := t.base().(interface{ ForcedVariant() fyne.ThemeVariant }); ok {
		v = f.ForcedVariant()
	}
	if t.HighContrast {
		return highContrastColor(n)
	}
	if n == theme.ColorNamePlaceHolder {
		if v == theme.VariantDark {
			return color.NRGBA{0xc4, 0xc4, 0xc4, 0xff}
		}
		return color.NRGBA{0x4d, 0x4d, 0x4d, 0xff}
	}
	return t.base().Color(n, v)
}

// highContrastColor is the high-contrast palette, whatever the variant.
func highContrastColor(n fyne.ThemeColorName) color.Color {
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameMenuBackground,
		theme.ColorNameOverlayBackground, theme.ColorNameHeaderBackground:
		return hcBlack
	case theme.ColorNameForeground, theme.ColorNameInputBorder, theme.ColorNameSeparator:
		return hcWhite
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink:
		return hcYellow
	case theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnWarning,
		theme.ColorNameForegroundOnError, theme.ColorNameForegroundOnSuccess:
		return hcBlack // the coloured fills are light
	case theme.ColorNameButton:
		return hcGrey
	case theme.ColorNameDisabledButton:
		return color.NRGBA{0x26, 0x26, 0x26, 0xff}
	case theme.ColorNameDisabled:
		return color.NRGBA{0xb0, 0xb0, 0xb0, 0xff}
	case theme.ColorNamePlaceHolder:
		return color.NRGBA{0xe0, 0xe0, 0xe0, 0xff}
	case theme.ColorNameError:
		return color.NRGBA{0xff, 0x8a, 0x8a, 0xff}
	case theme.ColorNameWarning:
		return color.NRGBA{0xff, 0xb3, 0x47, 0xff}
	case theme.ColorNameSuccess:
		return color.NRGBA{0x7c, 0xff, 0x7c, 0xff}
	case theme.ColorNameHover, theme.ColorNamePressed:
		return color.NRGBA{0xff, 0xff, 0xff, 0x40}
	case theme.ColorNameSelection:
		return color.NRGBA{0xff, 0xe6, 0x00, 0x66}
	case theme.ColorNameScrollBar:
		return color.NRGBA{0xff, 0xff, 0xff, 0x99}
	case theme.ColorNameScrollBarBackground:
		return color.NRGBA{0xff, 0xff, 0xff, 0x20}
	case theme.ColorNameShadow:
		return color.NRGBA{0x00, 0x00, 0x00, 0x00}
	}
	return hcWhite
}

// Font returns the base theme's font.
func (t *AccessibleTheme) Font(s fyne.TextStyle) fyne.Resource { return t.base().Font(s) }

// Icon returns the base theme's icon.
func (t *AccessibleTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base().Icon(n) }

// Size scales text, icons and padding up from the base theme.
func (t *AccessibleTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.base().Size(n)
	text, space := float32(1.25), float32(1.3)
	if t.LargeText {
		text, space = 1.7, 1.6
	}
	switch n {
	case theme.SizeNameText, theme.SizeNameCaptionText, theme.SizeNameInlineIcon:
		return s * text
	case theme.SizeNameSubHeadingText, theme.SizeNameHeadingText:
		return s * (1 + (text-1)*0.8) // headings are big already: grow a little less
	case theme.SizeNamePadding, theme.SizeNameInnerPadding, theme.SizeNameLineSpacing:
		return s * space
	case theme.SizeNameInputBorder, theme.SizeNameSeparatorThickness:
		if t.HighContrast {
			return s * 2
		}
	}
	return s
}
