package web

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's chromium with chromedp and check every
// page with axe-core. Where chromium or axe-core is missing they skip with
// a message, except under CI (CI=true), where they fail.

// needTool skips (or, under CI, fails) a test that lacks a tool.
func needTool(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing; CI must install it (see .ci/run)", what)
	}
	t.Skipf("%s is not installed: skipping the browser test", what)
}

// chromiumPath finds Debian's chromium.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	needTool(t, "chromium (apt-get install chromium)")
	return ""
}

// axeSource returns axe-core's script: $CANVASS_AXE, else the global npm package.
func axeSource(t *testing.T) string {
	t.Helper()
	paths := []string{os.Getenv("CANVASS_AXE")}
	if out, err := exec.Command("npm", "root", "-g").Output(); err == nil {
		paths = append(paths, filepath.Join(strings.TrimSpace(string(out)), "axe-core", "axe.min.js"))
	}
	paths = append(paths, "/usr/lib/node_modules/axe-core/axe.min.js", "/usr/local/lib/node_modules/axe-core/axe.min.js")
	for _, p := range paths {
		if p == "" {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
	}
	needTool(t, "axe-core (npm install -g axe-core)")
	return ""
}

// browser is one headless chromium with one tab at 375×667.
type browser struct {
	t     *testing.T
	ctx   context.Context
	axe   string
	shots string // folder for screenshots, "" for none
	pages int    // pages checked with axe
}

// newBrowser starts chromium with a fresh profile and nothing that calls out.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	exe := chromiumPath(t)
	axe := axeSource(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("lang", "en-GB"),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 667, chromedp.EmulateScale(2))); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b := &browser{t: t, ctx: ctx, axe: axe}
	if dir := os.Getenv("CANVASS_WEB_SHOTS"); dir != "" {
		b.shots = filepath.Join(dir, t.Name())
		os.MkdirAll(b.shots, 0o755)
	}
	return b
}

// do runs actions with a time limit.
func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// eval evaluates a script and decodes its result.
func evalIn[T any](b *browser, script string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](script))
	if err != nil {
		b.t.Fatalf("evaluate %.60q: %v", script, err)
	}
	return v
}

// navigate opens a URL and waits for the page.
func (b *browser) navigate(url string) {
	b.t.Helper()
	if err := b.do(chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		b.t.Fatalf("open %s: %v", url, err)
	}
}

// submitBy runs an action that submits a form (a click, a key) and waits
// for the next page to load.
func (b *browser) submitBy(a chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := b.do(chromedp.Evaluate[chromedp.Void](`window.__canvassOld = true`)); err != nil {
		b.t.Fatal(err)
	}
	if err := b.do(a); err != nil {
		b.t.Fatalf("submit: %v", err)
	}
	// The page navigates under the check, which then fails: ask again.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.__canvassOld && document.readyState === "complete"`))
		cancel()
		if err == nil && done {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.t.Fatal("the next page never loaded")
}

// axeViolation is what the test reports of an axe violation.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// wcagTags are the axe rule tags of WCAG 2.2 level A and AA.
const wcagTags = `["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22a","wcag22aa"]`

// check runs axe-core on the page (failing the test on any violation)
// and, when asked to, saves a screenshot named name.
func (b *browser) check(name string) {
	b.t.Helper()
	b.pages++
	if evalIn[bool](b, `typeof window.axe === "undefined"`) {
		if err := b.do(chromedp.Evaluate[chromedp.Void](b.axe)); err != nil {
			b.t.Fatalf("inject axe-core: %v", err)
		}
	}
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](
		`axe.run(document, {runOnly: {type: "tag", values: `+wcagTags+`}, resultTypes: ["violations"]}).then(r => r.violations)`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: run axe-core: %v", name, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal(raw, &vs); err != nil {
		b.t.Fatalf("%s: axe result: %v", name, err)
	}
	for _, v := range vs {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, n.HTML)
		}
		b.t.Errorf("%s: axe %s: %s\n  %s", name, v.ID, v.Help, strings.Join(where, "\n  "))
	}
	if b.shots != "" {
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.pages, name)), png, 0o644)
		}
	}
}
