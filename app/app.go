// Package app is Canvass's graphical interface: the staff home screen, the
// respondent form, kiosk mode and the result screens. It receives the
// fyne.App and the open store from main and never creates them itself.
package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	_ "canvass/app/localeenv" // initialised before Fyne reads the locale: no "Error parsing user locale C"
	"canvass/app/respondent"
	"canvass/assets"
	"canvass/survey/store"
	"canvass/survey/userfile"
)

// appIcon is Canvass's icon, for the app, its windows and the home screen.
var appIcon = fyne.NewStaticResource("icon.png", assets.Icon)

// Options says how the GUI starts.
type Options struct {
	// KioskSurvey, when set, starts straight into kiosk mode for that survey.
	KioskSurvey string
}

// Metadata is the app metadata main hands to Fyne before the app is
// created, so that a binary started from anywhere gets the same id, name,
// icon and threading model (fyneDo) as FyneApp.toml declares.
func Metadata(id, version string) fyne.AppMetadata {
	return fyne.AppMetadata{
		ID:         id,
		Name:       "Canvass",
		Version:    version,
		Icon:       appIcon,
		Migrations: map[string]bool{"fyneDo": true},
	}
}

// Run opens the main window on st and blocks until the app quits.
func Run(ctx context.Context, a fyne.App, st *store.Store, opts Options) error {
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	a.SetIcon(appIcon)
	w := a.NewWindow(lang.L("Canvass"))
	w.Resize(fyne.NewSize(1200, 760))
	w.CenterOnScreen()
	w.SetMaster()

	respondent.ApplyTheme(a)
	h := NewHome(ctx, a, w, st)
	h.EnableRestore()
	go h.dailyBackup()
	go userfile.RemovePrivateLeftovers() // plain copies a killed merge or restore left behind
	if opts.KioskSurvey != "" {
		if err := h.Runner().StartKiosk(opts.KioskSurvey); err != nil {
			return err
		}
	} else {
		h.Show()
	}
	w.ShowAndRun()
	h.phones.Stop()    // serving stops with the app
	if h.store != st { // a restore reopened the database: the caller closes only st
		return h.store.Close()
	}
	return nil
}
