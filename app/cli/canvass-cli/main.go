// Command canvass-cli is Canvass's command line without the window: the
// console program shipped beside the GUI on Windows, where a GUI program has
// no console to print to. It runs the same commands as `canvass`, built
// without Fyne or cgo.
package main

import (
	"context"
	"os"

	"canvass/app/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
}
