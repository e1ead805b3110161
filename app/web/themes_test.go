package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestBrowserThemesAndSizes answers the first pages of the every-type
// survey, errors included, at 320 px wide in dark mode with increased
// contrast, and in light mode: axe-core finds nothing, nothing scrolls
// sideways, and every control is at least 44 px in both directions.
func TestBrowserThemesAndSizes(t *testing.T) {
	st := openTestStore(t)
	for _, mode := range []struct {
		name     string
		features []*emulation.MediaFeature
	}{
		{"dark-more-contrast", []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}, {Name: "prefers-contrast", Value: "more"}}},
		{"light", []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			srv := startTestServer(t, st, "alltypes", Limits{})
			b := newBrowser(t)
			if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: mode.features}); err != nil {
				t.Fatal(err)
			}
			if err := b.do(chromedp.EmulateViewport(320, 568, chromedp.EmulateScale(2))); err != nil {
				t.Fatal(err)
			}
			f := &filler{b: b, def: srv.Survey()}
			b.navigate(srv.URL())
			checkLayout(t, b, "start")
			b.check("start")
			f.press(`button.button-start`)
			steps := []answer{{Key: "consent", Value: "OK", Bad: []string{""}}, {Key: "name", Value: "Siân"},
				{Key: "people", Value: "3", Bad: []string{"0"}}, {Key: "miles", Value: "2"}, {Key: "colour", Value: "red", Bad: []string{"other"}},
				{Key: "area", Value: "north"}, {Key: "services", Value: "library"}, {Key: "satisfied", Value: "4"}}
			for page := 0; page < 10; page++ {
				keys := f.pageKeys()
				name := fmt.Sprintf("page%02d", page)
				checkLayout(t, b, name)
				b.check(name)
				for _, a := range steps {
					if !keys[a.Key] {
						continue
					}
					for _, bad := range a.Bad {
						f.fill(a.Key, bad)
						f.press(`button[value="next"]`)
						checkLayout(t, b, name+"-error")
						b.check(name + "-" + a.Key + "-error")
					}
					f.fill(a.Key, a.Value)
				}
				f.press(`button[value="next"]`)
			}
		})
	}
}

// checkLayout fails the test when the page scrolls sideways or a control
// is smaller than 44×44 px.
func checkLayout(t *testing.T, b *browser, name string) {
	t.Helper()
	if w := evalIn[int](b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 0 {
		t.Errorf("%s: scrolls sideways by %d px at 320 px", name, w)
	}
	small := evalIn[[]string](b, `Array.from(document.querySelectorAll("button, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, textarea, .choice, .error-summary a"))
		.filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.height < 44 || r.width < 44) })
		.map(e => e.outerHTML.slice(0, 80) + " " + Math.round(e.getBoundingClientRect().width) + "×" + Math.round(e.getBoundingClientRect().height))`)
	for _, s := range small {
		t.Errorf("%s: target under 44 px: %s", name, s)
	}
}

// TestBrowserMessagePages checks the pages that are not part of a survey:
// "cookies are needed" (the cookie was dropped before Start), and "too
// many people" (the respondent cap), with axe-core.
func TestBrowserMessagePages(t *testing.T) {
	st := openTestStore(t)
	srv := startTestServer(t, st, "sds", Limits{MaxRespondents: 1})
	b := newBrowser(t)
	f := &filler{b: b, def: srv.Survey()}

	b.navigate(srv.URL())
	if _, err := chromedp.Call(b.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	f.press(`button.button-start`)
	if !strings.Contains(evalIn[string](b, `document.querySelector("h1").textContent`), "Cookies are needed") {
		t.Fatal("no cookies page")
	}
	b.check("cookies-needed")

	other := newClient(t, srv) // takes the only place
	other.start()
	b.navigate(srv.URL())
	f.press(`button.button-start`)
	if !strings.Contains(evalIn[string](b, `document.querySelector("h1").textContent`), "Too many people") {
		t.Fatal("no busy page")
	}
	b.check("too-many-people")
}
