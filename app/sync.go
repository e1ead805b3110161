package app

import (
	"context"
	"errors"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey/central"
	"canvass/survey/store"
)

// SyncDialog is the "ODK Central" dialog: staff connect to a project
// (Test connection), publish a survey and send its responses, with a
// progress bar and Cancel. The work runs in the background; the store's
// short transactions keep kiosk and web autosave flowing meanwhile.
// Its widgets are exposed so that tests can drive them.
type SyncDialog struct {
	Server     *widget.Entry  // project URL or app-user URL
	Email      *widget.Entry  // a web user's email (blank for an app-user URL or stored credentials)
	Password   *widget.Entry  // never shown, kept only in the local database
	Insecure   *widget.Check  // confirm plain http to a host other than 127.0.0.1
	Survey     *widget.Select // the survey to publish or sync
	Abandoned  *widget.Check  // send abandoned responses too
	NoPersonal *widget.Check  // leave out questions flagged personal

	TestButton    *widget.Button
	PublishButton *widget.Button
	SyncButton    *widget.Button
	ReceiveButton *widget.Button // brings in what was submitted to the server from elsewhere
	CancelButton  *widget.Button
	CloseButton   *widget.Button
	Progress      *widget.ProgressBar
	// Message says what happened, in full (Central's refusals included).
	Message *widget.Label
	// Summary is what the last Sync did.
	Summary central.Summary
	// Received is what the last Receive did.
	Received central.Received

	ctx     context.Context
	win     fyne.Window
	st      *store.Store
	ids     []string // survey ids, in Survey.Options order
	dlg     *dialog.CustomDialog
	cancel  context.CancelFunc
	running bool
	busy    sync.WaitGroup
}

// ShowSync opens the ODK Central dialog over w.
func ShowSync(ctx context.Context, w fyne.Window, st *store.Store) (*SyncDialog, error) {
	d := &SyncDialog{ctx: ctx, win: w, st: st}
	if err := d.build(); err != nil {
		return nil, err
	}
	d.dlg = dialog.NewCustomWithoutButtons(lang.L("ODK Central"), d.content(), w)
	d.dlg.SetButtons([]fyne.CanvasObject{d.CloseButton})
	d.dlg.Resize(fyne.NewSize(760, 680))
	d.dlg.Show()
	return d, nil
}

func (d *SyncDialog) build() error {
	list, err := d.st.Surveys(d.ctx)
	if err != nil {
		return err
	}
	var names []string
	for _, s := range list {
		d.ids = append(d.ids, s.ID)
		names = append(names, s.Title.In("en", "")+" ("+s.ID+")")
	}
	d.Server = widget.NewEntry()
	d.Server.SetPlaceHolder("https://central.example.org/v1/projects/3")
	d.Email = widget.NewEntry()
	d.Email.SetPlaceHolder(lang.L("web user's email (not needed for an app-user URL)"))
	d.Password = widget.NewPasswordEntry()
	d.Insecure = widget.NewCheck(lang.L("This server uses plain http and I trust this network (answers travel unencrypted)"), nil)
	d.Survey = widget.NewSelect(names, func(string) { d.prefill() })
	d.Abandoned = widget.NewCheck(lang.L("Send abandoned responses too"), nil)
	d.NoPersonal = widget.NewCheck(lang.L("Leave out questions flagged personal"), nil)
	d.TestButton = widget.NewButtonWithIcon(lang.L("Test connection"), theme.SearchIcon(), d.Test)
	d.PublishButton = widget.NewButtonWithIcon(lang.L("Publish survey"), theme.UploadIcon(), func() { d.Publish(central.PublishOptions{}) })
	d.SyncButton = widget.NewButtonWithIcon(lang.L("Send responses"), theme.MailSendIcon(), d.Sync)
	d.SyncButton.Importance = widget.HighImportance
	d.ReceiveButton = widget.NewButtonWithIcon(lang.L("Receive responses"), theme.DownloadIcon(), d.Receive)
	d.CancelButton = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), d.Cancel)
	d.CancelButton.Disable()
	// Close only hides the dialog: a send carries on in the background
	// (say while kiosk mode runs); Cancel stops it.
	d.CloseButton = widget.NewButton(lang.L("Close"), func() { d.dlg.Hide() })
	d.Progress = widget.NewProgressBar()
	d.Progress.Hide()
	d.Message = widget.NewLabel("")
	d.Message.Wrapping = fyne.TextWrapWord
	if len(names) > 0 {
		d.Survey.SetSelectedIndex(0)
	}
	return nil
}

func (d *SyncDialog) content() fyne.CanvasObject {
	intro := widget.NewLabel(lang.L("Paste the project URL Central shows for a device (…/v1/key/…/projects/N), or give the project URL with a web user's email and password. They are kept only in this laptop's database."))
	intro.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Server"), d.Server),
		widget.NewFormItem(lang.L("Email"), d.Email),
		widget.NewFormItem(lang.L("Password"), d.Password),
		widget.NewFormItem(lang.L("Survey"), d.Survey),
	)
	buttons := container.NewHBox(d.TestButton, d.PublishButton, d.SyncButton, d.ReceiveButton, d.CancelButton)
	top := container.NewVBox(intro, form, d.Insecure, d.Abandoned, d.NoPersonal, buttons, d.Progress)
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(d.Message))
}

// prefill puts the server the selected survey is linked to in the Server field, if it is empty.
func (d *SyncDialog) prefill() {
	id := d.surveyID()
	if id == "" || strings.TrimSpace(d.Server.Text) != "" {
		return
	}
	if links, err := d.st.CentralLinks(d.ctx, id); err == nil && len(links) > 0 {
		d.Server.SetText(links[0].Server)
	}
}

func (d *SyncDialog) surveyID() string {
	if i := d.Survey.SelectedIndex(); i >= 0 && i < len(d.ids) {
		return d.ids[i]
	}
	return ""
}

func (d *SyncDialog) login() central.Login {
	return central.Login{URL: strings.TrimSpace(d.Server.Text), Email: strings.TrimSpace(d.Email.Text),
		Password: d.Password.Text, ConfirmInsecure: d.Insecure.Checked}
}

func (d *SyncDialog) say(msg string, importance widget.Importance) {
	d.Message.Importance = importance
	d.Message.SetText(msg)
}

// run does work in the background with the buttons disabled and Cancel
// enabled, then shows its message.
func (d *SyncDialog) run(what string, work func(ctx context.Context, conn *central.Conn) (string, error), onErr func(error) bool) {
	if d.running {
		return
	}
	d.running = true
	ctx, cancel := context.WithCancel(d.ctx)
	d.cancel = cancel
	for _, b := range d.workButtons() {
		b.Disable()
	}
	d.CancelButton.Enable()
	d.say(what, widget.MediumImportance)
	login := d.login()
	d.busy.Add(1)
	go func() {
		defer d.busy.Done()
		defer cancel()
		msg, err := func() (string, error) {
			conn, err := central.Connect(ctx, d.st, login)
			if err != nil {
				return "", err
			}
			defer conn.Close()
			return work(ctx, conn)
		}()
		fyne.DoAndWait(func() {
			d.running = false
			for _, b := range d.workButtons() {
				b.Enable()
			}
			d.CancelButton.Disable()
			switch {
			case err != nil && errors.Is(err, context.Canceled) && d.ctx.Err() == nil:
				d.say(lang.L("Cancelled. What the server accepted is recorded; the rest will be sent next time."), widget.WarningImportance)
			case err != nil && (onErr == nil || !onErr(err)):
				d.say(err.Error(), widget.DangerImportance)
			case err == nil && (d.Summary.Pending > 0 || d.Summary.Refused > 0 || len(d.Received.Refused)+len(d.Received.Waiting) > 0):
				d.say(msg, widget.WarningImportance)
			case err == nil:
				d.say(msg, widget.SuccessImportance)
			}
		})
	}()
}

// Test checks the connection: the server answered, the credentials are accepted, N forms are visible.
func (d *SyncDialog) Test() {
	d.run(lang.L("Connecting…"), func(ctx context.Context, conn *central.Conn) (string, error) {
		check, err := conn.Test(ctx)
		if err != nil {
			return "", errors.New(check.String() + "\n" + err.Error())
		}
		return check.String(), nil
	}, nil)
}

// Publish uploads the selected survey's latest version as its XLSForm.
// Central's warnings (400.16) and an existing form id (409.3) are shown in
// full with the choice to upload anyway or as a new version.
func (d *SyncDialog) Publish(opts central.PublishOptions) {
	id := d.surveyID()
	d.run(lang.L("Publishing…"), func(ctx context.Context, conn *central.Conn) (string, error) {
		def, err := d.st.Survey(ctx, id, 0)
		if err != nil {
			return "", err
		}
		pub, err := conn.Publish(ctx, def, opts)
		if err != nil {
			return "", err
		}
		return lang.L("Published {{.Survey}} version {{.Version}} as form {{.Form}} version {{.FormVersion}}.", map[string]any{
			"Survey": def.ID, "Version": def.Version, "Form": pub.Link.XMLFormID, "FormVersion": pub.Link.FormVersion}), nil
	}, func(err error) bool {
		var again *central.PublishOptions
		question := ""
		switch {
		case errors.Is(err, central.ErrFormWarnings):
			again = &central.PublishOptions{IgnoreWarnings: true, NewVersion: opts.NewVersion}
			question = lang.L("Upload anyway?")
		case errors.Is(err, central.ErrFormExists):
			again = &central.PublishOptions{NewVersion: true, IgnoreWarnings: opts.IgnoreWarnings}
			question = lang.L("Publish it as a new version of that form?")
		default:
			return false
		}
		d.say(err.Error(), widget.WarningImportance)
		dialog.ShowConfirm(lang.L("ODK Central"), question, func(ok bool) {
			if ok {
				d.Publish(*again)
			}
		}, d.win)
		return true
	})
}

// Sync sends the selected survey's responses, moving the progress bar.
func (d *SyncDialog) Sync() {
	id := d.surveyID()
	opts := central.PushOptions{IncludeAbandoned: d.Abandoned.Checked, LeaveOutPersonal: d.NoPersonal.Checked}
	d.Summary, d.Received = central.Summary{}, central.Received{}
	d.Progress.SetValue(0)
	d.Progress.Show()
	opts.Progress = func(done, total int) {
		fyne.Do(func() { d.Progress.SetValue(float64(done) / float64(max(total, 1))) })
	}
	d.run(lang.L("Sending…"), func(ctx context.Context, conn *central.Conn) (string, error) {
		sum, err := conn.Push(ctx, id, opts)
		if err != nil {
			return "", err
		}
		d.Summary = sum
		if sum.Pending == 0 {
			fyne.Do(func() { d.Progress.SetValue(1) }) // nothing left, even when nothing needed sending
		}
		lines := []string{sum.String()}
		lines = append(lines, sum.Later...)
		for _, r := range sum.Refusals {
			lines = append(lines, lang.L("Refused: ")+r)
		}
		return strings.Join(lines, "\n"), nil
	}, nil)
}

// Receive brings in the selected survey's responses submitted to the
// server from elsewhere (ODK Collect, Enketo), repeat instances included;
// submissions that do not follow the form are named and not stored.
func (d *SyncDialog) Receive() {
	id := d.surveyID()
	opts := central.ReceiveOptions{PushOptions: central.PushOptions{LeaveOutPersonal: d.NoPersonal.Checked}}
	d.Summary, d.Received = central.Summary{}, central.Received{}
	d.run(lang.L("Receiving…"), func(ctx context.Context, conn *central.Conn) (string, error) {
		got, err := conn.Receive(ctx, id, opts)
		if err != nil {
			return "", err
		}
		d.Received = got
		lines := []string{lang.L("Received: ") + got.String()}
		for _, r := range got.Refused {
			lines = append(lines, lang.L("Not received: ")+r)
		}
		lines = append(lines, got.Waiting...)
		return strings.Join(lines, "\n"), nil
	}, nil)
}

// workButtons are the buttons that start work (disabled while it runs).
func (d *SyncDialog) workButtons() []*widget.Button {
	return []*widget.Button{d.TestButton, d.PublishButton, d.SyncButton, d.ReceiveButton}
}

// Cancel stops the running work; what the server accepted so far is recorded.
func (d *SyncDialog) Cancel() {
	if d.cancel != nil {
		d.cancel()
	}
}

// Wait waits for the background work.
func (d *SyncDialog) Wait() { d.busy.Wait() }
