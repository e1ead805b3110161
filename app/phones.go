package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/app/web"
	"canvass/survey/store"
)

// Phones serves one survey at a time to respondents' own phones and
// tablets (package web) while the app runs, alongside kiosk mode. The home
// screen and kiosk mode's staff PIN dialog open its panel.
type Phones struct {
	ctx   context.Context
	store *store.Store
	// Addr is where the server listens; "" is every address on a free port.
	Addr string
	// OnError receives the server's errors that no respondent sees.
	OnError func(error)

	mu  sync.Mutex
	srv *web.Server
}

// NewPhones prepares serving from st; nothing listens until Start.
func NewPhones(ctx context.Context, st *store.Store) *Phones {
	return &Phones{ctx: ctx, store: st}
}

// Start serves the survey's latest version (stopping any other first) and
// returns the server; its URL has a new token every time.
func (p *Phones) Start(surveyID string) (*web.Server, error) {
	p.Stop()
	srv, err := web.Start(p.ctx, web.Config{Store: p.store, SurveyID: surveyID, Addr: p.Addr, ErrorLog: p.OnError})
	if err != nil {
		return nil, fmt.Errorf("serve %q to phones: %w", surveyID, err)
	}
	p.mu.Lock()
	p.srv = srv
	p.mu.Unlock()
	return srv, nil
}

// Server returns the running server, or nil.
func (p *Phones) Server() *web.Server {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.srv
}

// Stop stops serving; unfinished answers on phones are kept as abandoned.
func (p *Phones) Stop() {
	p.mu.Lock()
	srv := p.srv
	p.srv = nil
	p.mu.Unlock()
	if srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Stop(ctx); err != nil && p.OnError != nil {
		p.OnError(err)
	}
}

// PhonesPanel is the "Phones and tablets" screen for one survey: the
// plain-HTTP warning (with the survey's personal questions), then either
// a Start button or, while serving, a large QR code, the URL, how many
// phones are answering and Stop. back, if set, adds a button that leaves.
type PhonesPanel struct {
	p        *Phones
	surveyID string
	box      *fyne.Container
	QR       *canvas.Image
	URL      *widget.Label
	Count    *widget.Label
	StartBtn *widget.Button
	StopBtn  *widget.Button
	Message  *widget.Label
	ticker   *time.Ticker
	tickDone chan struct{}
}

// NewPhonesPanel builds the panel; content is its canvas object.
// event says which event the responses are tagged with (or that none is active).
func NewPhonesPanel(p *Phones, surveyID, surveyTitle, event string, personal []string, back func()) (*PhonesPanel, fyne.CanvasObject) {
	pp := &PhonesPanel{p: p, surveyID: surveyID}
	title := widget.NewLabelWithStyle(lang.L("Phones and tablets"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	about := widget.NewLabel(lang.L("Respondents answer {{.Survey}} on their own phones and tablets, with their own screen reader, zoom and language, while kiosk mode goes on. Every answer is saved on this laptop.",
		map[string]any{"Survey": surveyTitle}))
	about.Wrapping = fyne.TextWrapWord
	eventLabel := widget.NewLabel(event)
	eventLabel.Wrapping = fyne.TextWrapWord
	warn := lang.L("Answers travel over the Wi-Fi unencrypted: anyone on the same network could read them. Use this laptop's own hotspot with a password, not the venue's open or shared Wi-Fi.")
	if len(personal) > 0 {
		warn += " " + lang.L("This survey asks for personal data ({{.Questions}}): serve it only on the laptop's own password-protected hotspot.",
			map[string]any{"Questions": strings.Join(personal, ", ")})
	}
	warning := widget.NewLabel(warn)
	warning.Wrapping = fyne.TextWrapWord
	warning.Importance = widget.WarningImportance
	pp.Message = widget.NewLabel("")
	pp.Message.Wrapping = fyne.TextWrapWord
	pp.Message.Importance = widget.DangerImportance
	pp.QR = canvas.NewImageFromImage(nil)
	pp.QR.FillMode = canvas.ImageFillContain
	pp.QR.ScaleMode = canvas.ImageScalePixels
	pp.QR.SetMinSize(fyne.NewSize(320, 320))
	pp.URL = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	pp.URL.Selectable = true
	pp.URL.Wrapping = fyne.TextWrapBreak
	pp.Count = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	pp.StartBtn = widget.NewButtonWithIcon(lang.L("Start serving to phones"), theme.MediaPlayIcon(), pp.start)
	pp.StartBtn.Importance = widget.HighImportance
	pp.StopBtn = widget.NewButtonWithIcon(lang.L("Stop"), theme.MediaStopIcon(), pp.stop)
	pp.StopBtn.Importance = widget.DangerImportance
	buttons := container.NewHBox(pp.StartBtn, pp.StopBtn)
	if back != nil {
		buttons.Add(widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), func() { pp.Close(); back() }))
	}
	live := container.NewVBox(container.NewCenter(pp.QR), pp.URL, pp.Count)
	pp.box = container.NewVBox(title, about, eventLabel, warning, buttons, pp.Message, live)
	pp.show()
	return pp, container.NewVScroll(container.NewPadded(pp.box))
}

func (pp *PhonesPanel) start() {
	if _, err := pp.p.Start(pp.surveyID); err != nil {
		pp.Message.SetText(err.Error())
		return
	}
	pp.Message.SetText("")
	pp.show()
}

func (pp *PhonesPanel) stop() {
	pp.p.Stop()
	pp.show()
}

// show brings the panel up to date with the server.
func (pp *PhonesPanel) show() {
	srv := pp.p.Server()
	serving := srv != nil && srv.Survey().ID == pp.surveyID
	if !serving {
		pp.StartBtn.Show()
		pp.StopBtn.Hide()
		pp.QR.Image = nil
		pp.QR.Hide()
		pp.URL.SetText("")
		pp.Count.SetText("")
		if srv != nil {
			pp.Count.SetText(lang.L("Another survey is being served; starting this one stops it."))
		}
		pp.stopTicker()
		return
	}
	pp.StartBtn.Hide()
	pp.StopBtn.Show()
	if img, err := web.QRImage(srv.URL(), 8); err == nil {
		pp.QR.Image = img
		pp.QR.Show()
		pp.QR.Refresh()
	} else {
		pp.Message.SetText(err.Error())
	}
	pp.URL.SetText(srv.URL())
	if !srv.Reachable() && pp.p.Addr == "" {
		pp.Message.SetText(lang.L(web.NoNetwork))
	}
	pp.Refresh()
	pp.startTicker()
}

// Refresh shows how many phones are answering now.
func (pp *PhonesPanel) Refresh() {
	srv := pp.p.Server()
	if srv == nil {
		return
	}
	pp.Count.SetText(lang.L("Phones answering now: {{.Count}}", map[string]any{"Count": srv.Answering()}))
}

// startTicker refreshes the count every two seconds while the panel shows.
func (pp *PhonesPanel) startTicker() {
	if pp.ticker != nil {
		return
	}
	pp.ticker = time.NewTicker(2 * time.Second)
	pp.tickDone = make(chan struct{})
	t, done := pp.ticker, pp.tickDone
	go func() {
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fyne.Do(pp.Refresh)
			}
		}
	}()
}

func (pp *PhonesPanel) stopTicker() {
	if pp.ticker != nil {
		pp.ticker.Stop()
		close(pp.tickDone)
		pp.ticker = nil
	}
}

// Close stops refreshing the panel (serving goes on).
func (pp *PhonesPanel) Close() { pp.stopTicker() }
