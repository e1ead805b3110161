// Command canvass runs consultation surveys offline: the GUI by default,
// or a headless subcommand (see `canvass help`).
package main

import (
	"context"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"canvass/app"
	"canvass/app/cli"
	"canvass/survey/store"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:], cli.Env{
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		GUI: func(ctx context.Context, st *store.Store, opts cli.GUIOptions) error {
			fyneapp.SetMetadata(app.Metadata(cli.AppID, cli.Version))
			return app.Run(ctx, fyneapp.NewWithID(cli.AppID), st, app.Options{KioskSurvey: opts.KioskSurvey})
		},
	}))
}
