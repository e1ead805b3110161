// Package cli is Canvass's command line: it parses the subcommands, opens
// the store and runs headless commands, or hands over to the GUI. It never
// imports Fyne, so every command runs on a machine without a display.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"canvass/survey/store"
)

// AppID is the application's unique id; it also names its storage folder.
const AppID = "uk.org.canvass.app"

// Version is Canvass's version, shown by `canvass version` and in exports.
var Version = "0.1.0"

// GUIOptions says how the GUI should start.
type GUIOptions struct {
	KioskSurvey string // start straight into kiosk mode for this survey
	KioskEvent  string // with this event made active first ("" keeps the active one)
}

// GUI starts the graphical app on an open store and returns when its window closes.
type GUI func(ctx context.Context, st *store.Store, opts GUIOptions) error

// Env is what a command needs from the outside world.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	GUI    GUI
}

// command is one subcommand.
type command struct {
	usage string // arguments, after the command name
	help  string // one line
	run   func(ctx context.Context, env Env, args []string) error
}

// commands lists the subcommands by name.
var commands = map[string]command{
	"list":    {usage: "[--db PATH]", help: "list the surveys with their response counts", run: runList},
	"version": {usage: "", help: "print Canvass's version", run: runVersion},
	"bundle": {usage: "--out FILE.canvass [--event ID] [--passphrase-file FILE | --recipient KEY | --unencrypted] [--db PATH]",
		help: "write this laptop's surveys, events and responses to a bundle file for merging elsewhere", run: runBundle},
	"merge": {usage: "FILE.canvass... [--passphrase-file FILE | --identity FILE] [--db PATH]",
		help: "merge bundles from other laptops: nothing is overwritten, conflicts are kept and listed", run: runMerge},
	"serve": {usage: "--survey ID [--event ID] [--addr HOST:PORT] [--db PATH]",
		help: "serve the survey to respondents' own phones and tablets over the local network; prints the URL first", run: runServe},
	"keygen": {usage: "--out FILE", help: "make a key pair for the analyst: laptops encrypt to the public key, only the private key in FILE opens", run: runKeygen},
	"decrypt": {usage: "FILE.age --out FILE [--passphrase-file FILE | --identity FILE]",
		help: "write a plain copy of an encrypted export, bundle or backup", run: runDecrypt},
	"kiosk":       {usage: "--survey ID [--event ID] [--db PATH]", help: "start straight into kiosk mode", run: runKiosk},
	"decide":      {usage: "--answers FILE.json [--thresholds FILE.json] [--lang CODE] [--text]", help: "answer the grant-or-procurement decision tool and print the decision as JSON with its explanation in words (--text: the explanation only)", run: runDecide},
	"export":      {usage: "--survey ID --out FILE.xlsx|FILE.csv [--event ID] [--from DATE] [--to DATE] [--version N] [--codes] [--long] [--no-personal] [--complete-only] [--lang CODE] [--passphrase-file FILE | --recipient KEY | --unencrypted] [--password-file FILE] [--db PATH]", help: "export responses as an Excel workbook (data, summary, codebook) or CSV", run: runExport},
	"demo":        {usage: "--survey ID --responses N [--seed S] [--force] [--db PATH]", help: "fill the database with synthetic responses for trying the app out", run: runDemo},
	"import-form": {usage: "FILE.xlsx|FILE.xls [CHOICES.csv|CHOICES.xml...] [--db PATH]", help: "import an XLSForm workbook (ODK, KoboToolbox) as a survey; choice files are read from beside it or as given", run: runImportForm},
	"publish": {usage: "--survey ID [--version N] --server URL [--email E --password-file F] [--ignore-warnings] [--new-version] [--insecure] [--db PATH]",
		help: "publish a survey version to an ODK Central project as its XLSForm", run: runPublish},
	"pull": {usage: "--server URL --form XMLFORMID [--email E --password-file F] [--insecure] [--db PATH]",
		help: "import a form of an ODK Central project (from its XLSForm) as a survey", run: runPull},
	"sync": {usage: "--survey ID [--server URL] [--email E --password-file F] [--receive] [--abandoned] [--no-personal] [--insecure] [--db PATH]",
		help: "send the survey's complete responses to ODK Central and print what was sent (--receive: first bring in what was submitted there from elsewhere)", run: runSync},
	"export-form": {usage: "--survey ID [--version N] --out FILE.xlsx [--db PATH]", help: "write a survey as an XLSForm workbook to edit in Excel", run: runExportForm},
}

// usageError marks an error caused by the command line itself: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// usagef returns an error that makes Run print it with the usage and exit 2.
func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// Run runs Canvass with the given arguments (without the program name) and
// returns the process exit code: 0 on success, 1 on failure, 2 on bad usage
// or bad input.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Stdin == nil {
		env.Stdin = os.Stdin
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if err := runGUI(ctx, env, args); err != nil {
			return report(env, "canvass", err)
		}
		return 0
	}
	name := args[0]
	if name == "help" || name == "--help" || name == "-h" {
		printUsage(env.Stdout)
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "canvass: unknown command %q\n", name)
		printUsage(env.Stderr)
		return 2
	}
	if err := cmd.run(ctx, env, args[1:]); err != nil {
		return report(env, "canvass "+name, err)
	}
	return 0
}

// report prints err as one line and returns the exit code it deserves.
func report(env Env, who string, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(env.Stderr, "%s: %v\n", who, err)
	var ue usageError
	if errors.As(err, &ue) || errors.As(err, new(inputError)) {
		return 2
	}
	return 1
}

// inputError marks bad input (a file or value the user gave): exit code 2.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

// badInput wraps err so that Run exits with code 2.
func badInput(err error) error { return inputError{err} }

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: canvass [--db PATH]            open the app")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "       canvass %s %s\n              %s\n", n, c.usage, c.help)
	}
}

// newFlags returns a flag set for a command that reports errors instead of exiting.
func newFlags(env Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("canvass "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// parseFlags parses args, turning flag errors into usage errors; arguments
// after the flags are left in fs.Args().
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}

// parseOnlyFlags parses args like parseFlags and refuses, as a usage error,
// any argument left after the flags.
func parseOnlyFlags(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// DefaultDBPath is the database the app opens without --db: canvass.db in
// the app's storage folder (the folder Fyne gives the app's Storage()).
func DefaultDBPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the app's storage folder: %w", err)
	}
	return filepath.Join(dir, "fyne", AppID, "canvass.db"), nil
}

// dbPath is path, or the default database when path is empty.
func dbPath(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	return DefaultDBPath()
}

// openToRead opens an existing database read-only, so that a command that
// only reads works while the app has the database open; a database that
// does not exist yet is created (with the built-in templates) first.
func openToRead(ctx context.Context, path string) (*store.Store, error) {
	p, err := dbPath(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		st, err := openStore(ctx, p)
		if err != nil {
			return nil, err
		}
		if err := st.Close(); err != nil {
			return nil, err
		}
	}
	return openForReading(ctx, p)
}

// openStore opens the database at path (or the default one) and makes sure
// the built-in templates are in it.
func openStore(ctx context.Context, path string) (*store.Store, error) {
	path, err := dbPath(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create the database folder: %w", err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := installTemplates(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func runGUI(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "")
	db := fs.String("db", "", "database file (default: canvass.db in the app's storage folder)")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	return startGUI(ctx, env, *db, GUIOptions{})
}

func runKiosk(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "kiosk")
	db := fs.String("db", "", "database file")
	surveyID := fs.String("survey", "", "survey id (see canvass list)")
	eventID := fs.String("event", "", "event id to make active")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *surveyID == "" {
		return usagef("--survey is required")
	}
	return startGUI(ctx, env, *db, GUIOptions{KioskSurvey: *surveyID, KioskEvent: *eventID})
}

func startGUI(ctx context.Context, env Env, db string, opts GUIOptions) error {
	if env.GUI == nil {
		return usagef("this is Canvass's command line, which has no window: open the Canvass app for that (\"help\" lists the commands)")
	}
	st, err := openStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	if opts.KioskSurvey != "" {
		if _, err := st.Survey(ctx, opts.KioskSurvey, 0); err != nil {
			return badInput(fmt.Errorf("survey %q: %w", opts.KioskSurvey, err))
		}
		if opts.KioskEvent != "" {
			if err := st.SetActiveEvent(ctx, opts.KioskEvent); err != nil {
				return badInput(fmt.Errorf("event %q: %w", opts.KioskEvent, err))
			}
		}
	}
	return env.GUI(ctx, st, opts)
}

func runVersion(_ context.Context, env Env, args []string) error {
	if len(args) > 0 {
		return usagef("version takes no arguments")
	}
	fmt.Fprintf(env.Stdout, "canvass %s\n", Version)
	return nil
}

func runList(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "list")
	db := fs.String("db", "", "database file")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	st, err := openToRead(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.Surveys(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%-24s %7s %8s %7s %9s  %s\n", "ID", "VERSION", "COMPLETE", "PARTIAL", "ABANDONED", "TITLE")
	for _, s := range list {
		fmt.Fprintf(env.Stdout, "%-24s %7d %8d %7d %9d  %s\n", s.ID, s.Version, s.Complete, s.Partial, s.Abandoned, s.Title.In("en", ""))
	}
	return nil
}
