package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/app/respondent"
	"canvass/app/wheel"
	"canvass/survey"
	"canvass/survey/settings"
	"canvass/survey/store"
)

// SettingsScreen is where staff change the staff PIN, the kiosk timings,
// the default export options, the theme, the backup folder and the
// decision tool's thresholds, and back up or restore the database.
type SettingsScreen struct {
	PINCurrent *widget.Entry // hidden when no PIN is set yet
	PINNew     *widget.Entry
	PINAgain   *widget.Entry
	PINButton  *widget.Button
	PINMessage *widget.Label

	IdleSeconds   *widget.Entry
	ThanksSeconds *widget.Entry
	KioskButton   *widget.Button
	KioskMessage  *widget.Label

	CompleteOnly, NoPersonal, Codes, Long *widget.Check

	Theme *widget.RadioGroup

	StaffName        *widget.Entry
	StaffNameButton  *widget.Button
	StaffNameMessage *widget.Label

	BackupFolder *widget.Label
	BackupButton *widget.Button

	Encryption *EncryptionCard

	// Page scrolls the cards; the wheel scrolls it over input fields too.
	Page *container.Scroll

	d settingsDeps
}

// settingsDeps is what the Settings screen is built from.
type settingsDeps struct {
	ctx     context.Context
	store   *store.Store
	app     fyne.App // the theme preference
	shell   *Shell
	lock    *StaffLock // guards Back up and Restore
	backups *Backups
	home    func() // where "← Home" leads
}

func themeOptions() []string {
	return []string{lang.L("Same as the system"), lang.L("Light"), lang.L("Dark")}
}

var themeValues = []string{respondent.ThemeSystem, respondent.ThemeLight, respondent.ThemeDark}

// showSettings opens the settings screen in d.shell.
func showSettings(d settingsDeps) (*SettingsScreen, error) {
	s := &SettingsScreen{d: d}
	pinCard, err := s.pinCard()
	if err != nil {
		return nil, err
	}
	kioskCard, err := s.kioskCard()
	if err != nil {
		return nil, err
	}
	exportCard, err := s.exportCard()
	if err != nil {
		return nil, err
	}
	backupCard, err := s.backupCard()
	if err != nil {
		return nil, err
	}
	staffCard, err := s.staffCard()
	if err != nil {
		return nil, err
	}
	encryptionCard, enc, err := newEncryptionCard(d.ctx, d.store, d.shell)
	if err != nil {
		return nil, err
	}
	s.Encryption = enc
	cards := container.NewVBox(pinCard, staffCard, kioskCard, exportCard, s.themeCard(), backupCard, encryptionCard)
	if t, err := survey.LoadThresholds(d.ctx, d.store); err == nil {
		editor := NewThresholdsEditor(t, func(t survey.Thresholds) error {
			return survey.SaveThresholds(d.ctx, d.store, t)
		})
		cards.Add(widget.NewCard(lang.L("Decision tool thresholds"), lang.L("The procurement amounts the decision tool compares against."), editor))
	}
	backHere := func() {
		if _, err := showSettings(d); err != nil {
			d.shell.ShowError(err)
		}
	}
	audit := widget.NewButtonWithIcon(lang.L("Audit log"), theme.HistoryIcon(), func() {
		if err := showAuditLog(d.ctx, d.store, d.shell, backHere); err != nil {
			d.shell.ShowError(err)
		}
	})
	s.Page = wheel.Page(cards)
	d.shell.Show(lang.L("Settings"), s.Page, d.home, "", audit)
	return s, nil
}

func (s *SettingsScreen) pinCard() (fyne.CanvasObject, error) {
	set, err := respondent.NewStaffPIN(s.d.store).IsSet(s.d.ctx)
	if err != nil {
		return nil, err
	}
	s.PINCurrent, s.PINNew, s.PINAgain = widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	s.PINCurrent.SetPlaceHolder(lang.L("Current PIN"))
	s.PINNew.SetPlaceHolder(lang.L("New PIN (4 to 12 digits)"))
	s.PINAgain.SetPlaceHolder(lang.L("New PIN again"))
	s.PINMessage = widget.NewLabel("")
	s.PINMessage.Wrapping = fyne.TextWrapWord
	s.PINButton = widget.NewButton(lang.L("Change PIN"), func() { s.ChangePIN() })
	if !set {
		s.PINCurrent.Hide()
		s.PINButton.SetText(lang.L("Set PIN"))
	}
	box := container.NewVBox(s.PINCurrent, container.NewGridWithColumns(2, s.PINNew, s.PINAgain), container.NewHBox(s.PINButton), s.PINMessage)
	return widget.NewCard(lang.L("Staff PIN"), lang.L("Needed to leave kiosk mode and to read, export, back up, restore or erase responses."), box), nil
}

// ChangePIN checks the current PIN (when one is set) and the new one
// typed twice, then stores the new one.
func (s *SettingsScreen) ChangePIN() error {
	fail := func(err error) error {
		say(s.PINMessage, err.Error(), widget.DangerImportance)
		return err
	}
	pin := respondent.NewStaffPIN(s.d.store)
	set, err := pin.IsSet(s.d.ctx)
	if err != nil {
		return fail(err)
	}
	if set {
		ok, err := pin.Verify(s.d.ctx, s.PINCurrent.Text)
		if err != nil {
			return fail(err)
		}
		if !ok {
			s.PINCurrent.SetText("")
			return fail(errors.New(lang.L("The current PIN is not right.")))
		}
	}
	if s.PINNew.Text != s.PINAgain.Text {
		return fail(errors.New(lang.L("The two new PINs are not the same.")))
	}
	if err := respondent.ValidPIN(s.PINNew.Text); err != nil {
		return fail(errors.New(lang.L("A staff PIN is 4 to 12 digits.")))
	}
	if err := pin.Set(s.d.ctx, s.PINNew.Text); err != nil {
		return fail(err)
	}
	if err := s.d.store.Audit(s.d.ctx, staffActor(), "change-pin", "", ""); err != nil {
		return fail(err)
	}
	for _, e := range []*widget.Entry{s.PINCurrent, s.PINNew, s.PINAgain} {
		e.SetText("")
	}
	s.PINCurrent.Show()
	s.PINButton.SetText(lang.L("Change PIN"))
	if set {
		say(s.PINMessage, lang.L("The staff PIN has been changed."), widget.SuccessImportance)
	} else {
		say(s.PINMessage, lang.L("The staff PIN is set. Keep it safe: it is needed to leave kiosk mode."), widget.SuccessImportance)
	}
	return nil
}

func (s *SettingsScreen) staffCard() (fyne.CanvasObject, error) {
	name, err := settings.LoadStaffName(s.d.ctx, s.d.store)
	if err != nil {
		return nil, err
	}
	s.StaffName = widget.NewEntry()
	s.StaffName.SetText(name)
	s.StaffName.SetPlaceHolder(lang.L("e.g. Sam Patel"))
	s.StaffName.OnSubmitted = func(string) { s.SaveStaffName() }
	s.StaffNameMessage = widget.NewLabel("")
	s.StaffNameMessage.Wrapping = fyne.TextWrapWord
	s.StaffNameButton = widget.NewButton(lang.L("Save"), func() { s.SaveStaffName() })
	form := widget.NewForm(widget.NewFormItem(lang.L("Staff name"), sized(s.StaffName, 300)))
	return widget.NewCard(lang.L("Who is using this laptop"),
		lang.L("Forms that ask for a username (XLSForm's username question) record this name."),
		container.NewVBox(form, container.NewHBox(s.StaffNameButton), s.StaffNameMessage)), nil
}

// SaveStaffName checks and stores the staff name.
func (s *SettingsScreen) SaveStaffName() error {
	err := settings.SaveStaffName(s.d.ctx, s.d.store, s.StaffName.Text)
	if err != nil {
		say(s.StaffNameMessage, err.Error(), widget.DangerImportance)
	} else {
		say(s.StaffNameMessage, lang.L("Saved. Forms started from now on record this name."), widget.SuccessImportance)
	}
	return err
}

func (s *SettingsScreen) kioskCard() (fyne.CanvasObject, error) {
	timing, err := settings.LoadKiosk(s.d.ctx, s.d.store, defaultKiosk)
	if err != nil {
		return nil, err
	}
	seconds := func(d time.Duration) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(strconv.Itoa(int(d / time.Second)))
		return e
	}
	s.IdleSeconds, s.ThanksSeconds = seconds(timing.Idle), seconds(timing.ThankYou)
	s.KioskMessage = widget.NewLabel("")
	s.KioskMessage.Wrapping = fyne.TextWrapWord
	s.KioskButton = widget.NewButton(lang.L("Save"), func() { s.SaveKiosk() })
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Ask “Are you still there?” after (seconds without a tap)"), sized(s.IdleSeconds, 100)),
		widget.NewFormItem(lang.L("Show the thank-you screen for (seconds)"), sized(s.ThanksSeconds, 100)))
	return widget.NewCard(lang.L("Kiosk mode"), "", container.NewVBox(form, container.NewHBox(s.KioskButton), s.KioskMessage)), nil
}

// SaveKiosk checks and stores the kiosk timings.
func (s *SettingsScreen) SaveKiosk() error {
	parse := func(e *widget.Entry, what string, lo, hi int) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(e.Text))
		if err != nil || n < lo || n > hi {
			return 0, errors.New(lang.L("{{.What}}: give a whole number of seconds from {{.Lo}} to {{.Hi}}.", map[string]any{"What": what, "Lo": lo, "Hi": hi}))
		}
		return n, nil
	}
	fail := func(err error) error {
		say(s.KioskMessage, err.Error(), widget.DangerImportance)
		return err
	}
	secs := func(d time.Duration) int { return int(d / time.Second) }
	idle, err := parse(s.IdleSeconds, lang.L("Inactivity"), secs(settings.MinIdle), secs(settings.MaxIdle))
	if err != nil {
		return fail(err)
	}
	thanks, err := parse(s.ThanksSeconds, lang.L("Thank-you screen"), secs(settings.MinThanks), secs(settings.MaxThanks))
	if err != nil {
		return fail(err)
	}
	if err := settings.SaveKiosk(s.d.ctx, s.d.store, settings.Kiosk{Idle: time.Duration(idle) * time.Second, ThankYou: time.Duration(thanks) * time.Second}); err != nil {
		return fail(err)
	}
	say(s.KioskMessage, lang.L("Saved. Kiosk mode uses these timings from the next start."), widget.SuccessImportance)
	return nil
}

func (s *SettingsScreen) exportCard() (fyne.CanvasObject, error) {
	d, err := settings.LoadExport(s.d.ctx, s.d.store)
	if err != nil {
		return nil, err
	}
	// Each check edits the one export settings record, which the Export
	// dialog starts from.
	check := func(text string, on bool, set func(*settings.Export, bool)) *widget.Check {
		c := widget.NewCheck(text, nil)
		c.SetChecked(on)
		c.OnChanged = func(b bool) {
			if err := settings.UpdateExport(s.d.ctx, s.d.store, func(e *settings.Export) { set(e, b) }); err != nil {
				s.d.shell.ShowError(err)
			}
		}
		return c
	}
	s.CompleteOnly = check(lang.L("Complete responses only"), d.CompleteOnly, func(e *settings.Export, b bool) { e.CompleteOnly = b })
	s.NoPersonal = check(lang.L("Leave out personal data"), d.NoPersonal, func(e *settings.Export, b bool) { e.NoPersonal = b })
	s.Codes = check(lang.L("Choice codes instead of labels"), d.Codes, func(e *settings.Export, b bool) { e.Codes = b })
	s.Long = check(lang.L("One row per answer (long format)"), d.Long, func(e *settings.Export, b bool) { e.Long = b })
	return widget.NewCard(lang.L("Export"), lang.L("What an export includes unless changed at the time."),
		container.NewVBox(s.CompleteOnly, s.NoPersonal, s.Codes, s.Long)), nil
}

func (s *SettingsScreen) themeCard() fyne.CanvasObject {
	a := s.d.app
	cur := a.Preferences().StringWithFallback(respondent.ThemePreference, respondent.ThemeSystem)
	s.Theme = widget.NewRadioGroup(themeOptions(), nil)
	s.Theme.Horizontal = true
	for i, v := range themeValues {
		if v == cur {
			s.Theme.SetSelected(themeOptions()[i])
		}
	}
	s.Theme.OnChanged = func(choice string) {
		for i, o := range themeOptions() {
			if o == choice {
				a.Preferences().SetString(respondent.ThemePreference, themeValues[i])
				respondent.ApplyTheme(a)
			}
		}
	}
	return widget.NewCard(lang.L("Appearance"), lang.L("Light or dark, for every screen, the respondents' form included (it also has its own high-contrast switch)."), s.Theme)
}

func (s *SettingsScreen) backupCard() (fyne.CanvasObject, error) {
	folder, err := s.d.backups.Folder()
	if err != nil {
		return nil, err
	}
	s.BackupFolder = widget.NewLabel(folder)
	s.BackupFolder.Wrapping = fyne.TextWrapWord
	if folder == "" {
		s.BackupFolder.SetText(lang.L("No backup folder chosen yet."))
	}
	s.d.backups.OnFolderSet = func(folder string) { s.BackupFolder.SetText(folder) } // the first backup chose it
	choose := widget.NewButtonWithIcon(lang.L("Choose folder…"), theme.FolderOpenIcon(), func() {
		current, _ := s.d.backups.Folder() // no setting yet: start where Fyne starts
		pickFolder(s.d.shell.Window(), lang.L("Choose the backup folder"), "", current, func(path string) {
			if err := s.SetBackupFolder(path); err != nil {
				s.d.shell.ShowError(err)
			}
		}, s.d.shell.ShowError)
	})
	s.BackupButton = widget.NewButtonWithIcon(lang.L("Back up now"), theme.DownloadIcon(), func() { s.d.lock.Require(s.d.backups.Ask) })
	restore := widget.NewButtonWithIcon(lang.L("Restore from a backup…"), theme.ContentUndoIcon(), func() {
		s.d.lock.Require(s.d.backups.AskRestore)
	})
	restore.Importance = widget.DangerImportance
	hint := fieldHint(lang.L("Backups are named with the date and time, e.g. canvass-backup-2026-11-25-1430.db.age (encrypted as Encryption below says; .db when saved unencrypted). Closing an event can back up into this folder. Keep a copy off this laptop (a USB stick) after each event."))
	box := container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel(lang.L("Backup folder")), choose, s.BackupFolder),
		hint, container.NewHBox(s.BackupButton, restore))
	return widget.NewCard(lang.L("Backups"), "", box), nil
}

// SetBackupFolder stores the backup folder setting (an existing folder).
func (s *SettingsScreen) SetBackupFolder(folder string) error {
	if err := s.d.store.SetSetting(s.d.ctx, BackupFolderSetting, folder); err != nil {
		return err
	}
	s.BackupFolder.SetText(folder)
	return nil
}

// showAuditLog shows the newest 500 lines of the audit log in sh; back
// leads to Settings.
func showAuditLog(ctx context.Context, st *store.Store, sh *Shell, back func()) error {
	entries, err := st.AuditLog(ctx, 500)
	if err != nil {
		return err
	}
	list := widget.NewList(func() int { return len(entries) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			e := entries[i]
			parts := []string{e.At.Local().Format("2006-01-02 15:04:05"), e.Actor, e.Action}
			if e.Subject != "" {
				parts = append(parts, e.Subject)
			}
			if e.Detail != "" {
				parts = append(parts, e.Detail)
			}
			o.(*widget.Label).SetText(strings.Join(parts, " · "))
		})
	sh.Show(lang.L("Audit log"), list, back, lang.L("Settings"))
	return nil
}

// say shows msg in a card's message label, coloured by importance
// (success or danger).
func say(l *widget.Label, msg string, importance widget.Importance) {
	l.Importance = importance
	l.SetText(msg)
}
