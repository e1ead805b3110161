package respondent

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey"
)

// KioskStore is what kiosk mode needs from the store; *store.Store satisfies it.
type KioskStore interface {
	ResponseStore
	SettingsStore
}

// KioskConfig sets up kiosk mode.
type KioskConfig struct {
	Survey   *survey.Survey
	Store    KioskStore
	Language string // "" means the survey's default
	DeviceID string // for deviceid questions; "" takes the store's
	Username string // for username questions: the staff name from Settings

	IdleTimeout time.Duration // no tap or key for this long asks "Are you still there?"; default 90 s
	StillThere  time.Duration // how long that question waits before starting again; default 30 s
	ThankYou    time.Duration // how long the thank-you screen shows; default 5 s

	Context   context.Context  // for store calls; nil means context.Background()
	Clock     func() time.Time // nil means time.Now
	Scheduler Scheduler        // nil means real timers through fyne.Do
	PIN       *StaffPIN        // nil means NewStaffPIN(Store)

	// OnResult, when set, is given to each respondent's form (see
	// FormConfig.OnResult): a scored survey shows its result screen, and the
	// thank-you screen follows once the respondent presses Finish (or the
	// kiosk starts again after inactivity).
	OnResult func(answers survey.Answers) (result []byte, view fyne.CanvasObject, err error)
	// OnExit runs after staff have left kiosk mode with the PIN (or
	// cancelled setting the first PIN). The window has its previous
	// content, size mode and key handlers back; its close intercept is removed.
	OnExit func()
	// OnError receives problems no respondent should see, such as a
	// response that could not be marked abandoned (it stays a draft).
	OnError func(error)
	// OnPhones, when set, adds "Phones and tablets" to the staff PIN
	// dialog: with the right PIN it runs on the kiosk's canvas (to show the
	// panel over the form) instead of leaving kiosk mode.
	OnPhones func(fyne.Canvas)
}

// Kiosk defaults.
const (
	DefaultIdleTimeout = 90 * time.Second
	DefaultStillThere  = 30 * time.Second
	DefaultThankYou    = 5 * time.Second
	maxPINDelay        = 60 * time.Second
)

// Kiosk is a window given over to respondents: fullscreen, one form after
// another, reset after inactivity, left only with the staff PIN.
//
// What it can and cannot stop: closing the window (the close button,
// Alt+F4, Cmd+Q — all are close requests) and Escape ask for the PIN.
// Fyne cannot intercept system keys handled by the desktop itself:
// Alt+Tab / Super (switch windows), Ctrl+Alt+F1… (switch virtual
// terminal), Ctrl+Alt+Del, or the power button; use the operating system's
// kiosk / assigned-access mode for those. Escape pressed inside a date
// entry or the Select drop-down stays with that widget.
type Kiosk struct {
	cfg   KioskConfig
	w     fyne.Window
	ctx   context.Context
	now   func() time.Time
	sched Scheduler
	pin   *StaffPIN

	form     *Form
	holder   *fyne.Container // the form or the thank-you screen
	staff    *widget.Button
	strip    *container.ThemeOverride // the band holding Staff, in the form's theme
	stripBg  *canvas.Rectangle        // the window's background, the form's
	thanking bool
	exited   bool
	started  bool

	stopIdle   func()
	stopThanks func()

	// "Are you still there?"
	still        *formPopUp
	stillText    *widget.Label
	stillButton  *widget.Button
	stillLeft    int
	stopStillTik func()

	// PIN entry to leave
	pinPopup   *widget.PopUp
	pinEntry   *widget.Entry
	pinOK      *widget.Button
	pinPhones  *widget.Button    // "Phones and tablets" (with OnPhones)
	pinThen    func(fyne.Canvas) // what a right PIN does instead of leaving
	pinMsg     *widget.Label
	failures   int
	lockedTill time.Time
	stopLock   func()
	// leaveUnsaved is set once staff have been warned that leaving loses unsaved answers.
	leaveUnsaved bool

	// first-time PIN setup
	setup      *widget.PopUp
	setupPIN   *widget.Entry
	setupAgain *widget.Entry
	setupOK    *widget.Button
	setupMsg   *widget.Label

	prevContent    fyne.CanvasObject
	prevFullScreen bool
	prevSize       fyne.Size // the window's size before full screen
	prevKey        func(*fyne.KeyEvent)
	prevRune       func(rune)
}

// StartKiosk turns w into a kiosk for cfg.Survey. If no staff PIN has been
// set, it first asks for one (entered twice); kiosk mode starts once it is
// stored. The error reports a bad config or a survey the form cannot run.
func StartKiosk(w fyne.Window, cfg KioskConfig) (*Kiosk, error) {
	if w == nil {
		return nil, errors.New("start kiosk: no window")
	}
	if cfg.Survey == nil || cfg.Store == nil {
		return nil, errors.New("start kiosk: a survey and a store are needed")
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.StillThere <= 0 {
		cfg.StillThere = DefaultStillThere
	}
	if cfg.ThankYou <= 0 {
		cfg.ThankYou = DefaultThankYou
	}
	k := &Kiosk{cfg: cfg, w: w, ctx: cfg.Context, now: cfg.Clock, sched: cfg.Scheduler, pin: cfg.PIN}
	if k.ctx == nil {
		k.ctx = context.Background()
	}
	if k.now == nil {
		k.now = time.Now
	}
	if k.sched == nil {
		k.sched = timerScheduler{}
	}
	if k.pin == nil {
		k.pin = NewStaffPIN(cfg.Store)
	}
	// Build the first form now so that a survey the form cannot run is
	// reported before the window changes.
	if err := k.newForm(); err != nil {
		return nil, fmt.Errorf("start kiosk: %w", err)
	}
	set, err := k.pin.IsSet(k.ctx)
	if err != nil {
		return nil, fmt.Errorf("start kiosk: %w", err)
	}
	if !set {
		k.showSetup()
		return k, nil
	}
	k.enter()
	return k, nil
}

// Form returns the form shown now (a new one for each respondent).
func (k *Kiosk) Form() *Form { return k.form }

// Active reports whether the window is in kiosk mode.
func (k *Kiosk) Active() bool { return k.started && !k.exited }

// ThankYouShown reports whether the thank-you screen is showing.
func (k *Kiosk) ThankYouShown() bool { return k.thanking }

// StillThereShown reports whether "Are you still there?" is showing.
func (k *Kiosk) StillThereShown() bool { return k.still.shown() }

// StillThereText is the countdown under "Are you still there?".
func (k *Kiosk) StillThereText() string { return k.stillText.Text }

// StillThereButton returns the "I'm still here" button.
func (k *Kiosk) StillThereButton() *widget.Button { return k.stillButton }

// StaffButton returns the discreet button that asks for the PIN.
func (k *Kiosk) StaffButton() *widget.Button { return k.staff }

// PINShown reports whether the PIN dialog is showing.
func (k *Kiosk) PINShown() bool { return k.pinPopup != nil && !k.pinPopup.Hidden }

// PINEntry returns the PIN dialog's entry and its Leave button.
func (k *Kiosk) PINEntry() (*widget.Entry, *widget.Button) { return k.pinEntry, k.pinOK }

// PINMessage returns the PIN dialog's message ("Wrong PIN…").
func (k *Kiosk) PINMessage() string {
	if k.pinMsg == nil {
		return ""
	}
	return k.pinMsg.Text
}

// SetupShown reports whether the first-time PIN setup is showing.
func (k *Kiosk) SetupShown() bool { return k.setup != nil && !k.setup.Hidden }

// SetupEntries returns the PIN setup's two entries, its button and its message.
func (k *Kiosk) SetupEntries() (pin, again *widget.Entry, ok *widget.Button, msg string) {
	return k.setupPIN, k.setupAgain, k.setupOK, k.setupMsg.Text
}

// RequestExit asks for the staff PIN: the window's close button, Alt+F4,
// Escape and the Staff button all come here.
func (k *Kiosk) RequestExit() {
	if !k.Active() {
		return
	}
	k.activity()
	k.showPIN()
}

// enter puts the window into kiosk mode.
func (k *Kiosk) enter() {
	k.started = true
	c := k.w.Canvas()
	k.prevContent = k.w.Content()
	k.prevFullScreen = k.w.FullScreen()
	k.prevSize = c.Size()
	k.prevKey = c.OnTypedKey()
	k.prevRune = c.OnTypedRune()

	k.staff = widget.NewButton(lang.L("Staff"), k.RequestExit)
	k.staff.Importance = widget.LowImportance
	k.holder = container.NewStack(k.form.Content())
	k.stripBg = canvas.NewRectangle(nil) // behind everything: the strip and the gap above it
	k.strip = container.NewThemeOverride(container.NewHBox(layout.NewSpacer(), k.staff), k.form.Theme())
	k.paintStrip()
	content := container.NewStack(
		k.stripBg,
		newTapCatcher(k.activity),
		container.NewBorder(nil, k.strip, nil, nil, k.holder),
	)
	k.w.SetContent(content)
	k.w.SetFullScreen(true)
	k.w.SetCloseIntercept(k.RequestExit)
	c.SetOnTypedKey(k.typedKey)
	c.SetOnTypedRune(k.typedRune)
	k.form.FocusFirst()
	k.audit("kiosk.start", k.cfg.Survey.ID)
	k.resetIdle()
}

// paintStrip gives the band under the form, with its Staff button, the
// form's theme and background, so that high contrast covers the whole
// screen (it kept the app's background, a grey band under a black form).
func (k *Kiosk) paintStrip() {
	if k.strip == nil || k.form == nil {
		return
	}
	th := k.form.Theme()
	k.strip.Theme = th
	k.stripBg.FillColor = th.Color(theme.ColorNameBackground, fyne.CurrentApp().Settings().ThemeVariant())
	k.strip.Refresh()
}

// StaffStripColor is the background of the band holding the Staff button
// (the window's, behind the form).
func (k *Kiosk) StaffStripColor() color.Color { return k.stripBg.FillColor }

// typedKey handles keys that reach the canvas with nothing focused.
func (k *Kiosk) typedKey(ev *fyne.KeyEvent) {
	k.activity()
	if ev.Name == fyne.KeyEscape {
		if k.PINShown() {
			k.hidePIN()
			return
		}
		if k.form.RemoveShown() {
			k.form.TypedKey(ev) // Escape cancels the form's "Remove?" question
			return
		}
		k.RequestExit()
		return
	}
	if !k.thanking && !k.PINShown() {
		k.form.TypedKey(ev)
	}
}

// typedRune handles characters that reach the canvas with nothing focused.
func (k *Kiosk) typedRune(r rune) {
	k.activity()
	if !k.thanking && !k.PINShown() {
		k.form.TypedRune(r)
	}
}

// newForm replaces the form with a brand-new one: nothing of the previous respondent survives.
func (k *Kiosk) newForm() error {
	if k.form != nil {
		k.form.Stop()
	}
	f, err := NewForm(FormConfig{
		Survey:     k.cfg.Survey,
		Store:      k.cfg.Store,
		Language:   k.cfg.Language,
		DeviceID:   k.cfg.DeviceID,
		Username:   k.cfg.Username,
		Context:    k.ctx,
		Clock:      k.now,
		Scheduler:  k.sched,
		OnResult:   k.cfg.OnResult,
		OnSubmit:   func(Submission) { k.thankYou() },
		OnActivity: k.activity,
		OnEscape:   k.RequestExit,
	})
	if err != nil {
		return err
	}
	k.form = f
	f.shownOn = k.w.Canvas()
	if k.holder != nil {
		k.holder.Objects = []fyne.CanvasObject{f.Content()}
		k.holder.Refresh()
		k.paintStrip()
		k.w.Canvas().Unfocus()
		f.FocusFirst()
	}
	return nil
}

// reset starts a fresh form for the next respondent.
func (k *Kiosk) reset() {
	k.thanking = false
	k.hideStillThere()
	k.hidePIN()
	k.leaveUnsaved = false
	// Pop-ups of the previous respondent (a calendar, a drop-down) go too.
	ov := k.w.Canvas().Overlays()
	for _, o := range ov.List() {
		ov.Remove(o)
	}
	if err := k.newForm(); err != nil {
		k.report(err)
		return
	}
	k.resetIdle()
}

// activity restarts the idle timer (and dismisses "Are you still there?").
func (k *Kiosk) activity() {
	if !k.Active() {
		return
	}
	k.paintStrip() // Larger text and High contrast come here too
	if k.StillThereShown() {
		k.hideStillThere()
	}
	k.resetIdle()
}

// resetIdle restarts the idle timer.
func (k *Kiosk) resetIdle() {
	if k.stopIdle != nil {
		k.stopIdle()
		k.stopIdle = nil
	}
	if !k.Active() || k.thanking {
		return
	}
	k.stopIdle = k.sched.AfterFunc(k.cfg.IdleTimeout, k.idle)
}

// idle runs when nobody has touched the kiosk for IdleTimeout.
func (k *Kiosk) idle() {
	k.stopIdle = nil
	if !k.Active() || k.thanking {
		return
	}
	k.hidePIN()
	if !k.form.Started() && k.form.Session().IsFirst() {
		return // nothing to lose: stay as is, quietly
	}
	k.showStillThere()
}

// showStillThere asks "Are you still there?" with a countdown.
func (k *Kiosk) showStillThere() {
	if k.still == nil {
		title := widget.NewLabel(lang.L("Are you still there?"))
		title.SizeName = theme.SizeNameHeadingText
		title.TextStyle = fyne.TextStyle{Bold: true}
		title.Alignment = fyne.TextAlignCenter
		k.stillText = widget.NewLabel("")
		k.stillText.Alignment = fyne.TextAlignCenter
		k.stillText.Wrapping = fyne.TextWrapWord
		k.stillButton = widget.NewButton(lang.L("Yes, I'm still here"), func() {
			k.hideStillThere()
			k.resetIdle()
		})
		k.stillButton.Importance = widget.HighImportance
		box := container.NewVBox(title, k.stillText, k.stillButton)
		k.still = newFormPopUp(box, k.w.Canvas())
	}
	k.stillLeft = int(k.cfg.StillThere / time.Second)
	k.updateStillText()
	k.still.show(k.form.Theme(), 640) // the respondent's large text or high contrast
	k.tickStill()
}

func (k *Kiosk) updateStillText() {
	text := lang.L("To keep your answers private, the survey will start again in {{.Seconds}} seconds.", map[string]any{"Seconds": k.stillLeft})
	if k.stillLeft == 1 {
		text = lang.L("To keep your answers private, the survey will start again in 1 second.")
	}
	k.stillText.SetText(text)
}

// tickStill counts down once a second; at zero the response is abandoned.
func (k *Kiosk) tickStill() {
	k.stopStillTik = k.sched.AfterFunc(time.Second, func() {
		k.stopStillTik = nil
		if !k.StillThereShown() || !k.Active() {
			return
		}
		k.stillLeft--
		if k.stillLeft > 0 {
			k.updateStillText()
			k.tickStill()
			return
		}
		k.abandon()
	})
}

func (k *Kiosk) hideStillThere() {
	if k.stopStillTik != nil {
		k.stopStillTik()
		k.stopStillTik = nil
	}
	if k.still != nil && !k.still.Hidden {
		k.still.Hide()
	}
}

// abandon stores what the respondent gave, marks it abandoned and starts
// again. If the answers could not be stored they exist only on screen, so
// the form stays (with its banner asking for staff) and the kiosk tries
// again after the next idle timeout.
func (k *Kiosk) abandon() {
	if err := k.form.Abandon(); err != nil {
		k.report(fmt.Errorf("kiosk: abandon response %s: %w", k.form.ResponseID(), err))
		if k.form.Unsaved() {
			k.hideStillThere()
			k.resetIdle()
			return
		}
	}
	k.reset()
}

// thankYou shows the thank-you screen, then a fresh form.
func (k *Kiosk) thankYou() {
	k.thanking = true
	if k.stopIdle != nil {
		k.stopIdle()
		k.stopIdle = nil
	}
	title := widget.NewLabel(lang.L("Thank you!"))
	title.SizeName = theme.SizeNameHeadingText
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.Alignment = fyne.TextAlignCenter
	msg := widget.NewLabel(lang.L("Your answers have been saved."))
	msg.SizeName = theme.SizeNameSubHeadingText
	msg.Alignment = fyne.TextAlignCenter
	msg.Wrapping = fyne.TextWrapWord
	// A reading-width column, not NewCenter: a wrapping label in NewCenter
	// gets its minimum width and breaks after every word or two.
	column := container.New(&centredLayout{max: columnWidth(k.form.Theme())},
		container.NewVBox(layout.NewSpacer(), title, msg, layout.NewSpacer()))
	// The form's theme and its background, so that high contrast (white on
	// black) stays on: the override colours text, not the window behind it.
	th := k.form.Theme()
	bg := canvas.NewRectangle(th.Color(theme.ColorNameBackground, fyne.CurrentApp().Settings().ThemeVariant()))
	screen := container.NewThemeOverride(container.NewStack(bg, column), th)
	k.holder.Objects = []fyne.CanvasObject{screen}
	k.holder.Refresh()
	k.w.Canvas().Unfocus()
	k.stopThanks = k.sched.AfterFunc(k.cfg.ThankYou, func() {
		k.stopThanks = nil
		if k.Active() {
			k.reset()
		}
	})
}

// showPIN shows the PIN dialog.
func (k *Kiosk) showPIN() {
	if k.pinPopup == nil {
		title := widget.NewLabel(lang.L("Staff only"))
		title.TextStyle = fyne.TextStyle{Bold: true}
		helpText := lang.L("Enter the staff PIN to leave kiosk mode.")
		if k.cfg.OnPhones != nil {
			helpText = lang.L("Enter the staff PIN to leave kiosk mode, or to serve this survey to phones and tablets.")
		}
		help := widget.NewLabel(helpText)
		help.Wrapping = fyne.TextWrapWord
		k.pinEntry = widget.NewPasswordEntry()
		k.pinEntry.OnSubmitted = func(string) { k.tryPIN() }
		k.pinEntry.OnChanged = func(string) { k.resetIdle() }
		k.pinMsg = widget.NewLabel("")
		k.pinMsg.Wrapping = fyne.TextWrapWord
		k.pinMsg.Importance = widget.DangerImportance
		k.pinOK = widget.NewButton(lang.L("Leave kiosk"), k.tryPIN)
		k.pinOK.Importance = widget.HighImportance
		cancel := widget.NewButton(lang.L("Cancel"), func() { k.hidePIN(); k.resetIdle() })
		row := container.NewHBox(layout.NewSpacer(), cancel, k.pinOK)
		if k.cfg.OnPhones != nil {
			k.pinPhones = widget.NewButton(lang.L("Phones and tablets"), func() { k.pinThen = k.cfg.OnPhones; k.tryPIN() })
			row.Objects = append([]fyne.CanvasObject{k.pinPhones}, row.Objects...)
		}
		box := container.NewVBox(title, help, k.pinEntry, k.pinMsg, row)
		k.pinPopup = widget.NewModalPopUp(container.NewPadded(box), k.w.Canvas())
	}
	k.pinEntry.SetText("")
	k.updateLock()
	k.pinPopup.Show()
	k.pinPopup.Resize(fyne.NewSize(fyne.Min(420, k.w.Canvas().Size().Width), k.pinPopup.MinSize().Height))
	if !k.pinEntry.Disabled() {
		k.w.Canvas().Focus(k.pinEntry)
	}
}

func (k *Kiosk) hidePIN() {
	if k.pinPopup != nil && !k.pinPopup.Hidden {
		k.pinEntry.SetText("")
		k.pinPopup.Hide()
	}
}

// tryPIN checks the PIN; a wrong one locks the dialog for 1, 2, 4 … 60 s.
func (k *Kiosk) tryPIN() {
	then := k.pinThen // set only for the press that asked for it
	k.pinThen = nil
	if !k.PINShown() {
		return
	}
	k.resetIdle()
	if k.now().Before(k.lockedTill) {
		k.updateLock()
		return
	}
	pin := k.pinEntry.Text
	k.pinEntry.SetText("")
	ok, err := k.pin.Verify(k.ctx, pin)
	if err != nil {
		k.pinMsg.SetText(lang.L("The PIN could not be checked: {{.Reason}}", map[string]any{"Reason": err.Error()}))
		return
	}
	if !ok {
		k.failures++
		delay := time.Second << min(k.failures-1, 6)
		if delay > maxPINDelay {
			delay = maxPINDelay
		}
		k.lockedTill = k.now().Add(delay)
		k.audit("kiosk.pin_wrong", fmt.Sprintf("attempt %d", k.failures))
		k.updateLock()
		return
	}
	k.failures = 0
	k.lockedTill = time.Time{}
	if then != nil {
		k.hidePIN()
		then(k.w.Canvas())
		return
	}
	if err := k.form.Flush(); err != nil && k.form.Unsaved() && !k.leaveUnsaved {
		k.leaveUnsaved = true
		k.pinMsg.SetText(lang.L("The answers on screen could not be saved: {{.Reason}}. Enter the PIN again to leave anyway; they will be lost.",
			map[string]any{"Reason": reason(err)}))
		return
	}
	k.exit()
}

// updateLock shows how long the PIN dialog stays locked and unlocks it when due.
func (k *Kiosk) updateLock() {
	if k.stopLock != nil {
		k.stopLock()
		k.stopLock = nil
	}
	left := k.lockedTill.Sub(k.now())
	if left <= 0 {
		k.pinOK.Enable()
		if k.failures > 0 {
			k.pinMsg.SetText(lang.L("You can try the PIN again now."))
		} else {
			k.pinMsg.SetText("")
		}
		return
	}
	// The entry stays open during the wait, so digits typed meanwhile are
	// kept; only trying them waits (tryPIN refuses until lockedTill).
	k.pinOK.Disable()
	secs := int((left + time.Second - 1) / time.Second)
	k.pinMsg.SetText(lang.L("Wrong PIN. You can try again in {{.Seconds}} s.", map[string]any{"Seconds": secs}))
	step := left - time.Duration(secs-1)*time.Second
	k.stopLock = k.sched.AfterFunc(step, func() {
		k.stopLock = nil
		if k.pinPopup != nil {
			k.updateLock()
			if !k.pinOK.Disabled() && k.PINShown() {
				k.w.Canvas().Focus(k.pinEntry)
			}
		}
	})
}

// exit leaves kiosk mode; an unfinished response stays a draft for staff to resume.
func (k *Kiosk) exit() {
	if k.form.Unsaved() {
		k.report(fmt.Errorf("kiosk: left with answers that could not be saved (%v)", k.form.saveErr))
	}
	k.form.Stop()
	for _, stop := range []*func(){&k.stopIdle, &k.stopThanks, &k.stopLock, &k.stopStillTik} {
		if *stop != nil {
			(*stop)()
			*stop = nil
		}
	}
	k.hidePIN()
	k.hideStillThere()
	k.exited = true
	c := k.w.Canvas()
	c.SetOnTypedKey(k.prevKey)
	c.SetOnTypedRune(k.prevRune)
	k.w.SetCloseIntercept(nil)
	k.w.SetFullScreen(k.prevFullScreen)
	if !k.prevFullScreen && !k.prevSize.IsZero() {
		// Leaving full screen, GLFW keeps the screen's size at the old
		// window position, which pushes the right edge off screen.
		k.w.Resize(k.prevSize)
	}
	k.w.SetContent(k.prevContent)
	k.audit("kiosk.exit", k.cfg.Survey.ID)
	if k.cfg.OnExit != nil {
		k.cfg.OnExit()
	}
}

// showSetup asks for a new staff PIN, twice, before kiosk mode starts.
func (k *Kiosk) showSetup() {
	title := widget.NewLabel(lang.L("Set a staff PIN"))
	title.TextStyle = fyne.TextStyle{Bold: true}
	help := widget.NewLabel(lang.L("Staff need this PIN to leave kiosk mode. Use {{.Min}} to {{.Max}} digits, and keep it to yourselves.",
		map[string]any{"Min": MinPINDigits, "Max": MaxPINDigits}))
	help.Wrapping = fyne.TextWrapWord
	k.setupPIN = widget.NewPasswordEntry()
	k.setupPIN.SetPlaceHolder(lang.L("New PIN"))
	k.setupAgain = widget.NewPasswordEntry()
	k.setupAgain.SetPlaceHolder(lang.L("The same PIN again"))
	k.setupMsg = widget.NewLabel("")
	k.setupMsg.Wrapping = fyne.TextWrapWord
	k.setupMsg.Importance = widget.DangerImportance
	k.setupOK = widget.NewButton(lang.L("Set PIN and start"), k.trySetup)
	k.setupOK.Importance = widget.HighImportance
	k.setupAgain.OnSubmitted = func(string) { k.trySetup() }
	cancel := widget.NewButton(lang.L("Cancel"), func() {
		k.setup.Hide()
		k.form.Stop()
		k.exited = true
		if k.cfg.OnExit != nil {
			k.cfg.OnExit()
		}
	})
	box := container.NewVBox(title, help, k.setupPIN, k.setupAgain, k.setupMsg,
		container.NewHBox(layout.NewSpacer(), cancel, k.setupOK))
	k.setup = widget.NewModalPopUp(container.NewPadded(box), k.w.Canvas())
	k.setup.Show()
	k.setup.Resize(fyne.NewSize(fyne.Min(460, k.w.Canvas().Size().Width), k.setup.MinSize().Height))
	k.w.Canvas().Focus(k.setupPIN)
}

// trySetup stores the new PIN if both entries agree, then starts kiosk mode.
func (k *Kiosk) trySetup() {
	a, b := k.setupPIN.Text, k.setupAgain.Text
	switch {
	case ValidPIN(a) != nil:
		k.setupMsg.SetText(lang.L("A staff PIN is {{.Min}} to {{.Max}} digits (0–9).", map[string]any{"Min": MinPINDigits, "Max": MaxPINDigits}))
		return
	case a != b:
		k.setupMsg.SetText(lang.L("The two PINs are different. Please type the same PIN twice."))
		k.setupAgain.SetText("")
		return
	}
	if err := k.pin.Set(k.ctx, a); err != nil {
		k.setupMsg.SetText(lang.L("The PIN could not be saved: {{.Reason}}", map[string]any{"Reason": err.Error()}))
		return
	}
	k.setupPIN.SetText("")
	k.setupAgain.SetText("")
	k.setup.Hide()
	k.audit("kiosk.pin_set", "")
	k.enter()
}

// report passes an error to OnError.
func (k *Kiosk) report(err error) {
	if k.cfg.OnError != nil {
		k.cfg.OnError(err)
	}
}

// auditor is the store's audit log, used when the store has one.
type auditor interface {
	Audit(ctx context.Context, actor, action, subject, detail string) error
}

// audit records a kiosk event in the store's audit log, if it keeps one.
func (k *Kiosk) audit(action, detail string) {
	if a, ok := k.cfg.Store.(auditor); ok {
		if err := a.Audit(k.ctx, "kiosk", action, k.cfg.Survey.ID, detail); err != nil {
			k.report(fmt.Errorf("kiosk: audit %s: %w", action, err))
		}
	}
}

// tapCatcher lies under the kiosk's content: taps on empty space count as activity.
type tapCatcher struct {
	widget.BaseWidget
	onTap func()
}

func newTapCatcher(onTap func()) *tapCatcher {
	t := &tapCatcher{onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

// Tapped reports the tap.
func (t *tapCatcher) Tapped(*fyne.PointEvent) { t.onTap() }

// CreateRenderer draws nothing.
func (t *tapCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(layout.NewSpacer())
}

// PINPhonesButton returns the PIN dialog's "Phones and tablets" button
// (nil without OnPhones, or before the dialog was first shown).
func (k *Kiosk) PINPhonesButton() *widget.Button { return k.pinPhones }
