package respondent_test

import (
	"context"
	"image/color"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/app/internal/canvastext"
	"canvass/app/respondent"
	"canvass/survey"
	"canvass/survey/store"
)

// kioskRig runs kiosk mode in a headless window.
type kioskRig struct {
	t      *testing.T
	k      *respondent.Kiosk
	w      fyne.Window
	st     respondent.KioskStore
	clock  *manualClock
	exits  int
	home   fyne.CanvasObject
	errors []error
}

func newKioskRig(t *testing.T, st respondent.KioskStore, pin string, opts ...func(*respondent.KioskConfig)) *kioskRig {
	t.Helper()
	test.NewTempApp(t)
	r := &kioskRig{t: t, st: st, clock: newManualClock(), home: widget.NewLabel("home screen")}
	pins := cheapPIN(st)
	if pin != "" {
		if err := pins.Set(context.Background(), pin); err != nil {
			t.Fatal(err)
		}
	}
	r.w = test.NewTempWindow(t, r.home)
	r.w.Resize(fyne.NewSize(1366, 768))
	s := engagement(t)
	if real, ok := st.(*store.Store); ok {
		saved, err := real.Survey(context.Background(), s.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		s = saved
	}
	cfg := respondent.KioskConfig{
		Survey:    s,
		Store:     st,
		Clock:     r.clock.Now,
		Scheduler: r.clock,
		PIN:       pins,
		OnExit:    func() { r.exits++ },
		OnError:   func(err error) { r.errors = append(r.errors, err) },
	}
	for _, o := range opts {
		o(&cfg)
	}
	k, err := respondent.StartKiosk(r.w, cfg)
	if err != nil {
		t.Fatalf("StartKiosk: %v", err)
	}
	r.k = k
	return r
}

func (r *kioskRig) answerConsent() {
	r.t.Helper()
	test.Tap(r.k.Form().Field("consent").Tile("OK"))
	test.Tap(r.k.Form().NextButton())
}

func (r *kioskRig) enterPIN(pin string) {
	r.t.Helper()
	e, ok := r.k.PINEntry()
	e.SetText(pin)
	test.Tap(ok)
}

func TestKioskFirstUseSetsPIN(t *testing.T) {
	st := newFakeStore()
	r := newKioskRig(t, st, "")
	if !r.k.SetupShown() || r.k.Active() {
		t.Fatal("kiosk started without asking for a staff PIN")
	}
	pin, again, ok, _ := r.k.SetupEntries()
	for _, tc := range []struct{ a, b, want string }{
		{"12", "12", "4 to 12 digits"},
		{"1234", "4321", "different"},
	} {
		pin.SetText(tc.a)
		again.SetText(tc.b)
		test.Tap(ok)
		if _, _, _, msg := r.k.SetupEntries(); !strings.Contains(msg, tc.want) {
			t.Errorf("PINs %q/%q: message %q, want it to mention %q", tc.a, tc.b, msg, tc.want)
		}
		if r.k.Active() {
			t.Fatal("kiosk started with a bad PIN")
		}
	}
	pin.SetText("2468")
	again.SetText("2468")
	test.Tap(ok)
	if !r.k.Active() || r.k.SetupShown() || !r.w.FullScreen() {
		t.Fatalf("active %v setup %v fullscreen %v", r.k.Active(), r.k.SetupShown(), r.w.FullScreen())
	}
	stored, set, _ := st.Setting(context.Background(), respondent.StaffPINSetting)
	if !set || strings.Contains(stored, "2468") || !strings.HasPrefix(stored, "argon2id$") {
		t.Fatalf("stored PIN setting %q", stored)
	}
}

func TestKioskPIN(t *testing.T) {
	r := newKioskRig(t, newFakeStore(), "2468")
	if !r.k.Active() || !r.w.FullScreen() {
		t.Fatal("kiosk not active and fullscreen")
	}
	r.k.RequestExit() // what the close button and Alt+F4 do
	if !r.k.PINShown() {
		t.Fatal("close request did not ask for the PIN")
	}
	wantDelays := []int{1, 2, 4, 8}
	for i, secs := range wantDelays {
		r.enterPIN("1111")
		if !r.k.Active() || r.exits != 0 {
			t.Fatal("wrong PIN left kiosk mode")
		}
		msg := r.k.PINMessage()
		if !strings.Contains(msg, "Wrong PIN") || !strings.Contains(msg, " "+strconv.Itoa(secs)+" s") {
			t.Fatalf("attempt %d: message %q, want a %d s wait", i+1, msg, secs)
		}
		// The right PIN is refused during the wait, but what was typed is kept.
		r.enterPIN("2468")
		e, ok := r.k.PINEntry()
		e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if !r.k.Active() {
			t.Fatal("PIN accepted during the lockout")
		}
		if e.Disabled() || e.Text != "2468" {
			t.Fatalf("attempt %d: during the wait the entry is disabled %v and holds %q", i+1, e.Disabled(), e.Text)
		}
		r.clock.Advance(time.Duration(secs) * time.Second)
		if ok.Disabled() {
			t.Fatalf("attempt %d: still locked after %d s", i+1, secs)
		}
	}
	r.enterPIN("2468")
	if r.k.Active() || r.exits != 1 || r.w.FullScreen() {
		t.Fatalf("right PIN: active %v exits %d fullscreen %v", r.k.Active(), r.exits, r.w.FullScreen())
	}
	if r.w.Content() != r.home {
		t.Error("previous window content not restored")
	}
}

func TestKioskExitRestoresWindowSize(t *testing.T) {
	r := newKioskRig(t, newFakeStore(), "2468")
	before := fyne.NewSize(1366, 768)    // the rig's window
	r.w.Resize(fyne.NewSize(1920, 1080)) // what going full screen does to the window
	r.k.RequestExit()
	r.enterPIN("2468")
	if r.k.Active() {
		t.Fatal("right PIN did not leave kiosk mode")
	}
	if got := r.w.Canvas().Size(); got != before {
		t.Errorf("window size after kiosk mode %v, want %v as before", got, before)
	}
}

func TestKioskDelayIsCapped(t *testing.T) {
	r := newKioskRig(t, newFakeStore(), "2468")
	test.Tap(r.k.StaffButton())
	for i := 0; i < 9; i++ {
		r.enterPIN("0000")
		r.clock.Advance(time.Minute)
	}
	r.enterPIN("0000")
	if msg := r.k.PINMessage(); !strings.Contains(msg, " 60 s") {
		t.Fatalf("after 10 wrong PINs: %q, want the 60 s cap", msg)
	}
}

func TestKioskEscapeAsksForPIN(t *testing.T) {
	r := newKioskRig(t, newFakeStore(), "2468")
	c := r.w.Canvas()
	c.Unfocus()
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !r.k.PINShown() {
		t.Fatal("Escape did not ask for the PIN")
	}
	c.Unfocus()
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if r.k.PINShown() || !r.k.Active() {
		t.Fatal("Escape again should close the PIN dialog and stay in kiosk")
	}
}

func TestKioskIdle(t *testing.T) {
	t.Run("abandons a started response and starts again", func(t *testing.T) {
		st := newFakeStore()
		r := newKioskRig(t, st, "2468")
		first := r.k.Form()
		r.answerConsent()
		test.Tap(first.Field("role").Tile("carer"))
		r.clock.Advance(respondent.DefaultIdleTimeout - time.Second)
		if r.k.StillThereShown() {
			t.Fatal("asked too early")
		}
		r.clock.Advance(time.Second)
		if !r.k.StillThereShown() {
			t.Fatal("not asked after the idle timeout")
		}
		r.clock.Advance(respondent.DefaultStillThere - time.Second)
		if got := r.k.StillThereText(); !strings.HasSuffix(got, "start again in 1 second.") {
			t.Errorf("the last second of the countdown says %q", got)
		}
		r.clock.Advance(time.Second)
		resp := st.only(t)
		if resp.Status != survey.StatusAbandoned {
			t.Fatalf("status %q, want abandoned", resp.Status)
		}
		if resp.Answers["role"] != "carer" {
			t.Fatalf("partial answers not kept: %v", resp.Answers)
		}
		if r.k.Form() == first || r.k.Form().Started() || len(r.k.Form().Answers()) != 0 || r.k.StillThereShown() {
			t.Fatal("kiosk did not start a fresh form")
		}
		if first.Field("role").Tile("carer") == r.k.Form().Field("role").Tile("carer") {
			t.Fatal("a widget of the previous respondent survived")
		}
	})
	t.Run("a tap keeps the respondent", func(t *testing.T) {
		st := newFakeStore()
		r := newKioskRig(t, st, "2468")
		r.answerConsent()
		r.clock.Advance(respondent.DefaultIdleTimeout)
		test.Tap(r.k.StillThereButton())
		r.clock.Advance(respondent.DefaultStillThere)
		if r.k.StillThereShown() || st.only(t).Status != survey.StatusDraft {
			t.Fatal("respondent who answered the prompt lost the form")
		}
		// Activity keeps postponing the prompt.
		for i := 0; i < 5; i++ {
			r.clock.Advance(respondent.DefaultIdleTimeout / 2)
			test.Tap(r.k.Form().Field("role").Tile("carer"))
		}
		if r.k.StillThereShown() {
			t.Fatal("asked although the respondent kept answering")
		}
	})
	t.Run("an untouched form stores nothing", func(t *testing.T) {
		st := newFakeStore()
		r := newKioskRig(t, st, "2468")
		form := r.k.Form()
		r.clock.Advance(10 * respondent.DefaultIdleTimeout)
		if st.count() != 0 || r.k.StillThereShown() || r.k.Form() != form {
			t.Fatalf("idle empty kiosk: %d responses, prompt %v", st.count(), r.k.StillThereShown())
		}
	})
}

// TestKioskThankYouKeepsHighContrast: a respondent who chose high contrast
// reads the thank-you screen in it too: white on black, not white on the
// app's own (light) background.
func TestKioskThankYouKeepsHighContrast(t *testing.T) {
	st := newFakeStore()
	r := newKioskRig(t, st, "2468")
	first := r.k.Form()
	test.Tap(first.HighContrastToggle())
	r.answerConsent()
	test.Tap(first.Field("role").Tile("service_user"))
	for !first.Submitted() {
		test.Tap(first.NextButton())
	}
	if !r.k.ThankYouShown() {
		t.Fatal("no thank-you screen")
	}
	if !blackBehind(r.w.Content()) {
		t.Error("the thank-you screen has no black background: high contrast is dropped")
	}
}

// blackBehind reports whether a black rectangle over 300 px wide is drawn
// under o: high contrast's background.
func blackBehind(o fyne.CanvasObject) bool {
	switch x := o.(type) {
	case *canvas.Rectangle:
		if x.FillColor == nil {
			return false
		}
		rr, g, b, a := x.FillColor.RGBA()
		return rr == 0 && g == 0 && b == 0 && a == 0xffff && x.Size().Width > 300
	case *fyne.Container:
		return slices.ContainsFunc(x.Objects, blackBehind)
	case fyne.Widget:
		return slices.ContainsFunc(test.WidgetRenderer(x).Objects(), blackBehind)
	}
	return false
}

// TestKioskStillThereKeepsHighContrast: "Are you still there?" is drawn
// in the respondent's high contrast, on black: on the app's own (light)
// pop-up background its white text could not be read.
func TestKioskStillThereKeepsHighContrast(t *testing.T) {
	r := newKioskRig(t, newFakeStore(), "2468")
	test.Tap(r.k.Form().HighContrastToggle())
	r.answerConsent()
	r.clock.Advance(respondent.DefaultIdleTimeout)
	if !r.k.StillThereShown() {
		t.Fatal("no 'Are you still there?'")
	}
	if !blackBehind(r.w.Canvas().Overlays().Top()) {
		t.Error("'Are you still there?' has no black background: high contrast is dropped")
	}
}

// TestKioskStaffStripFollowsTheForm: the band under the form that holds the
// Staff button turns black with the form in high contrast, and back.
func TestKioskStaffStripFollowsTheForm(t *testing.T) {
	r := newKioskRig(t, newFakeStore(), "2468")
	background := func() color.Color {
		return r.k.Form().Theme().Color(theme.ColorNameBackground, fyne.CurrentApp().Settings().ThemeVariant())
	}
	if got, want := r.k.StaffStripColor(), background(); got != want {
		t.Errorf("at the start the strip is %v, the form %v", got, want)
	}
	test.Tap(r.k.Form().HighContrastToggle())
	if got := r.k.StaffStripColor(); !sameColor(got, 0, 0, 0) {
		t.Errorf("in high contrast the strip is %v, not black", got)
	}
	test.Tap(r.k.Form().HighContrastToggle())
	if got, want := r.k.StaffStripColor(), background(); got != want {
		t.Errorf("high contrast off: the strip is %v, the form %v", got, want)
	}
}

func TestKioskThankYouResets(t *testing.T) {
	st := newFakeStore()
	r := newKioskRig(t, st, "2468")
	first := r.k.Form()
	r.answerConsent()
	test.Tap(first.Field("role").Tile("service_user"))
	for !first.Submitted() {
		test.Tap(first.NextButton())
	}
	if !r.k.ThankYouShown() || !strings.Contains(test.RenderObjectToMarkup(r.w.Content()), "Thank you") {
		t.Fatal("no thank-you screen")
	}
	if st.only(t).Status != survey.StatusComplete {
		t.Fatal("not stored as complete")
	}
	if texts := canvastext.In(r.w.Content()); !slices.Contains(texts, "Your answers have been saved.") {
		t.Errorf("thank-you message not drawn on one line: %q", texts)
	}
	r.clock.Advance(respondent.DefaultThankYou)
	if r.k.ThankYouShown() || r.k.Form() == first {
		t.Fatal("thank-you screen did not give way to a fresh form")
	}
	f := r.k.Form()
	if f.Started() || len(f.Answers()) != 0 || f.PageIndex() != 0 || f.Field("role").Tile("service_user").Selected() {
		t.Fatal("the new form is not empty")
	}
	// The next respondent gets a response of their own.
	test.Tap(f.Field("consent").Tile("OK"))
	if st.count() != 2 || f.ResponseID() == first.ResponseID() {
		t.Fatalf("second respondent: %d responses", st.count())
	}
}

func TestKioskNeverDropsUnsavedAnswers(t *testing.T) {
	t.Run("idle keeps the form until the answers are stored", func(t *testing.T) {
		st := newFakeStore()
		r := newKioskRig(t, st, "2468")
		form := r.k.Form()
		st.mu.Lock()
		st.fail = errDiskFull
		st.mu.Unlock()
		r.answerConsent()
		test.Tap(form.Field("role").Tile("carer"))
		r.clock.Advance(respondent.DefaultIdleTimeout + respondent.DefaultStillThere)
		if r.k.Form() != form || form.Answers()["role"] != "carer" || form.Banner() == "" {
			t.Fatal("kiosk dropped answers that exist only on screen")
		}
		if len(r.errors) == 0 {
			t.Error("the failure was not reported to OnError")
		}
		st.mu.Lock()
		st.fail = nil
		st.mu.Unlock()
		r.clock.Advance(respondent.DefaultIdleTimeout + respondent.DefaultStillThere)
		if r.k.Form() == form {
			t.Fatal("kiosk did not start again once the answers were stored")
		}
		if resp := st.only(t); resp.Status != survey.StatusAbandoned || resp.Answers["role"] != "carer" {
			t.Fatalf("stored %v %v", resp.Status, resp.Answers)
		}
	})
	t.Run("leaving with unsaved answers needs the PIN twice", func(t *testing.T) {
		st := newFakeStore()
		r := newKioskRig(t, st, "2468")
		st.mu.Lock()
		st.fail = errDiskFull
		st.mu.Unlock()
		r.answerConsent()
		test.Tap(r.k.StaffButton())
		r.enterPIN("2468")
		if !r.k.Active() || !strings.Contains(r.k.PINMessage(), "could not be saved") {
			t.Fatalf("active %v message %q", r.k.Active(), r.k.PINMessage())
		}
		r.enterPIN("2468")
		if r.k.Active() || r.exits != 1 {
			t.Fatal("second PIN did not leave")
		}
	})
}

func TestKioskWithRealStore(t *testing.T) {
	ctx := context.Background()
	st, _, _ := openStore(t, engagement(t))
	r := newKioskRig(t, st, "")
	pin, again, ok, _ := r.k.SetupEntries()
	pin.SetText("97531")
	again.SetText("97531")
	test.Tap(ok)
	stored, set, err := st.Setting(ctx, respondent.StaffPINSetting)
	if err != nil || !set || strings.Contains(stored, "97531") || !strings.HasPrefix(stored, "argon2id$v=19$") {
		t.Fatalf("PIN setting %q, %v, %v", stored, set, err)
	}

	first := r.k.Form()
	r.answerConsent()
	test.Tap(first.Field("role").Tile("council_staff"))
	id := first.ResponseID()
	r.clock.Advance(respondent.DefaultIdleTimeout + respondent.DefaultStillThere)
	resp, err := st.Response(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != survey.StatusAbandoned || resp.Answers["role"] != "council_staff" || resp.Answers["consent"] != "OK" {
		t.Fatalf("after idle: status %q answers %v", resp.Status, resp.Answers)
	}
	if r.k.Form() == first || r.k.Form().Started() {
		t.Fatal("no fresh form after idle")
	}
	test.Tap(r.k.StaffButton())
	r.enterPIN("97531")
	if r.k.Active() || r.exits != 1 {
		t.Fatal("right PIN did not leave")
	}
}

func TestKioskShowsResultBeforeThankYou(t *testing.T) {
	// withResult gives the kiosk a fake scorer that records what it saw.
	withResult := func(seen *[]survey.Answers) func(*respondent.KioskConfig) {
		return func(c *respondent.KioskConfig) {
			c.OnResult = func(a survey.Answers) ([]byte, fyne.CanvasObject, error) {
				*seen = append(*seen, a)
				return []byte(`{"outcome":"grant"}`), widget.NewLabel("Recommendation: grant"), nil
			}
		}
	}
	finishForm := func(r *kioskRig, role string) *respondent.Form {
		r.t.Helper()
		f := r.k.Form()
		r.answerConsent()
		test.Tap(f.Field("role").Tile(role))
		for !f.Submitted() {
			test.Tap(f.NextButton())
		}
		return f
	}

	t.Run("Finish leads to the thank-you screen", func(t *testing.T) {
		st := newFakeStore()
		var seen []survey.Answers
		r := newKioskRig(t, st, "2468", withResult(&seen))
		first := finishForm(r, "carer")
		if len(seen) != 1 || seen[0]["role"] != "carer" {
			t.Fatalf("OnResult saw %v", seen)
		}
		if r.k.ThankYouShown() {
			t.Fatal("thank-you shown before the result")
		}
		if !strings.Contains(test.RenderObjectToMarkup(r.w.Content()), "Recommendation: grant") || first.NextButton().Text != "Finish" {
			t.Fatal("the result screen is not shown")
		}
		if resp := st.only(t); resp.Status != survey.StatusComplete || string(resp.Result) != `{"outcome":"grant"}` {
			t.Fatalf("stored status %q result %q", resp.Status, resp.Result)
		}
		r.clock.Advance(respondent.DefaultThankYou) // the result stays until Finish
		if r.k.Form() != first || r.k.ThankYouShown() {
			t.Fatal("the result screen went away on its own after the thank-you delay")
		}
		test.Tap(first.NextButton())
		if !r.k.ThankYouShown() {
			t.Fatal("Finish did not show the thank-you screen")
		}
		r.clock.Advance(respondent.DefaultThankYou)
		if r.k.ThankYouShown() || r.k.Form() == first || r.k.Form().Started() {
			t.Fatal("no fresh form after the thank-you screen")
		}
	})

	t.Run("a result left on screen is cleared after inactivity", func(t *testing.T) {
		st := newFakeStore()
		var seen []survey.Answers
		r := newKioskRig(t, st, "2468", withResult(&seen))
		first := finishForm(r, "service_user")
		r.clock.Advance(respondent.DefaultIdleTimeout + respondent.DefaultStillThere)
		if r.k.Form() == first || strings.Contains(test.RenderObjectToMarkup(r.w.Content()), "Recommendation: grant") {
			t.Fatal("the previous respondent's result is still on screen")
		}
		if resp := st.only(t); resp.Status != survey.StatusComplete {
			t.Fatalf("a submitted response became %q", resp.Status)
		}
	})
}

// TestKioskPhonesNeedsPIN opens the phones panel from kiosk mode's staff
// dialog: only with the right PIN, and without leaving kiosk mode.
func TestKioskPhonesNeedsPIN(t *testing.T) {
	opened := 0
	r := newKioskRig(t, newFakeStore(), "2468", func(c *respondent.KioskConfig) {
		c.OnPhones = func(fyne.Canvas) { opened++ }
	})
	r.k.RequestExit()
	if !r.k.PINShown() || r.k.PINPhonesButton() == nil {
		t.Fatal("the staff dialog has no Phones and tablets button")
	}
	e, _ := r.k.PINEntry()
	e.SetText("1111")
	test.Tap(r.k.PINPhonesButton())
	if opened != 0 {
		t.Fatal("a wrong PIN opened the phones panel")
	}
	r.clock.Advance(2 * time.Minute)
	r.k.RequestExit()
	e.SetText("2468")
	test.Tap(r.k.PINPhonesButton())
	if opened != 1 || !r.k.Active() || r.exits != 0 {
		t.Fatalf("right PIN: opened %d, kiosk active %v, exits %d; want the panel over a running kiosk", opened, r.k.Active(), r.exits)
	}
}
