package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"canvass/survey"
	"canvass/survey/central"
	"canvass/survey/store"
)

// serverFlags are the connection flags of publish, pull and sync. The
// password is read from a file, never from the command line.
type serverFlags struct {
	server, email, passwordFile *string
	insecure                    *bool
}

func addServerFlags(fs *flag.FlagSet, serverHelp string) serverFlags {
	return serverFlags{
		server:       fs.String("server", "", serverHelp),
		email:        fs.String("email", "", "a web user's email, with a project URL"),
		passwordFile: fs.String("password-file", "", "file whose first line is the web user's password"),
		insecure:     fs.Bool("insecure", false, "allow plain http to a host other than 127.0.0.1 (answers and passwords travel unencrypted)"),
	}
}

// login reads the connection flags; the password file is read here.
func (f serverFlags) login(server string) (central.Login, error) {
	l := central.Login{URL: server, Email: *f.email, ConfirmInsecure: *f.insecure}
	if *f.passwordFile != "" {
		if *f.email == "" {
			return l, usagef("--password-file needs --email")
		}
		pw, err := readPassphraseFlag("--password-file", *f.passwordFile)
		if err != nil {
			return l, err
		}
		l.Password = pw
	} else if *f.email != "" {
		return l, usagef("--email needs --password-file (a password is never given on the command line)")
	}
	return l, nil
}

// connect opens the connection, turning a bad URL or missing credentials into bad input.
func connect(ctx context.Context, st *store.Store, l central.Login) (*central.Conn, error) {
	conn, err := central.Connect(ctx, st, l)
	if err != nil {
		return nil, badInput(err)
	}
	return conn, nil
}

// withServer opens the database and a connection to the server, runs fn and closes both.
func withServer(ctx context.Context, db string, l central.Login, fn func(st *store.Store, conn *central.Conn) error) error {
	st, err := openStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	conn, err := connect(ctx, st, l)
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(st, conn)
}

func runPublish(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "publish")
	db := fs.String("db", "", "database file (default: the app's own)")
	surveyID := fs.String("survey", "", "survey id (see canvass list)")
	version := fs.Int("version", 0, "survey version (default: the latest)")
	sf := addServerFlags(fs, "project URL (https://HOST/v1/projects/ID) or app-user URL")
	ignoreWarnings := fs.Bool("ignore-warnings", false, "upload even if the server warns about the form (problem 400.16)")
	newVersion := fs.Bool("new-version", false, "upload as a new version of a form the project already has (problem 409.3)")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *surveyID == "":
		return usagef("--survey is required (see canvass list)")
	case *sf.server == "":
		return usagef("--server is required: the project URL Central shows")
	case *version < 0:
		return usagef("--version %d: versions start at 1", *version)
	}
	l, err := sf.login(*sf.server)
	if err != nil {
		return err
	}
	return withServer(ctx, *db, l, func(st *store.Store, conn *central.Conn) error {
		def, err := st.Survey(ctx, *surveyID, *version)
		if errors.Is(err, store.ErrNotFound) {
			return badInput(fmt.Errorf("unknown survey %q version %d (see canvass list)", *surveyID, *version))
		}
		if err != nil {
			return err
		}
		pub, err := conn.Publish(ctx, def, central.PublishOptions{IgnoreWarnings: *ignoreWarnings, NewVersion: *newVersion})
		switch {
		case errors.Is(err, central.ErrFormExists):
			return fmt.Errorf("%w\nrun again with --new-version to publish it as a new version of that form", err)
		case errors.Is(err, central.ErrFormWarnings):
			return fmt.Errorf("%w\nrun again with --ignore-warnings to upload anyway", err)
		case err != nil:
			return err
		}
		fmt.Fprintf(env.Stdout, "published %s version %d to %s as form %q version %q (%s)\n",
			def.ID, def.Version, conn.Server(), pub.Link.XMLFormID, pub.Link.FormVersion, pub.Name)
		return nil
	})
}

func runPull(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "pull")
	db := fs.String("db", "", "database file (default: the app's own)")
	formID := fs.String("form", "", "the form's id on the server (xmlFormId)")
	sf := addServerFlags(fs, "project URL (https://HOST/v1/projects/ID) or app-user URL")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *sf.server == "":
		return usagef("--server is required: the project URL Central shows")
	case *formID == "":
		return usagef("--form is required: the form's id on the server")
	}
	l, err := sf.login(*sf.server)
	if err != nil {
		return err
	}
	return withServer(ctx, *db, l, func(_ *store.Store, conn *central.Conn) error {
		p, err := conn.Pull(ctx, *formID)
		for _, w := range p.Warnings {
			fmt.Fprintf(env.Stderr, "warning: %s\n", w)
		}
		if err != nil {
			return err
		}
		what := "already here as"
		if p.New {
			what = "imported as"
		}
		fmt.Fprintf(env.Stdout, "form %q version %q %s survey %s version %d: %s (%d questions)\n", p.Link.XMLFormID, p.Link.FormVersion,
			what, p.Survey.ID, p.Survey.Version, p.Survey.Title.In(p.Survey.DefaultLanguage(), ""), p.Survey.NumAnswerable())
		return nil
	})
}

func runSync(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "sync")
	db := fs.String("db", "", "database file (default: the app's own)")
	surveyID := fs.String("survey", "", "survey id (see canvass list)")
	sf := addServerFlags(fs, "project URL or app-user URL (default: where the survey was published or pulled)")
	abandoned := fs.Bool("abandoned", false, "send abandoned responses too")
	noPersonal := fs.Bool("no-personal", false, "leave out the answers to questions flagged personal")
	receive := fs.Bool("receive", false, "first bring in the responses submitted to the server from elsewhere (ODK Collect, Enketo; web users only)")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	if *surveyID == "" {
		return usagef("--survey is required (see canvass list)")
	}
	l, err := sf.login(*sf.server)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.SurveyVersions(ctx, *surveyID); err != nil {
		return badInput(fmt.Errorf("unknown survey %q (see canvass list)", *surveyID))
	}
	servers := []string{*sf.server}
	if *sf.server == "" {
		links, err := st.CentralLinks(ctx, *surveyID)
		if err != nil {
			return err
		}
		servers = nil
		for _, lk := range links {
			if !slices.Contains(servers, lk.Server) {
				servers = append(servers, lk.Server)
			}
		}
		if len(servers) == 0 {
			return badInput(fmt.Errorf("survey %q is not published anywhere yet: give --server, or run canvass publish first", *surveyID))
		}
	}
	// Ctrl+C stops between submissions; what was sent is recorded.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	refused, notReceived := 0, 0
	for _, server := range servers {
		l.URL = server
		conn, err := connect(ctx, st, l)
		if err != nil {
			return err
		}
		opts := central.PushOptions{IncludeAbandoned: *abandoned, LeaveOutPersonal: *noPersonal}
		if *receive {
			got, err := conn.Receive(ctx, *surveyID, central.ReceiveOptions{PushOptions: opts})
			if err != nil {
				conn.Close()
				if errors.Is(err, central.ErrNotLinked) {
					return badInput(err)
				}
				return fmt.Errorf("%s: %w", server, err)
			}
			fmt.Fprintf(env.Stdout, "%s: received %s\n", server, got)
			for _, r := range got.Refused {
				fmt.Fprintf(env.Stdout, "not received: %s\n", r)
			}
			for _, w := range got.Waiting {
				fmt.Fprintf(env.Stdout, "waiting: %s\n", w)
			}
			notReceived += len(got.Refused)
		}
		sum, err := conn.Push(ctx, *surveyID, opts)
		conn.Close()
		if err != nil {
			if errors.Is(err, central.ErrNotLinked) {
				return badInput(err)
			}
			return fmt.Errorf("%s: %w (%s)", server, err, sum)
		}
		fmt.Fprintf(env.Stdout, "%s: %s\n", server, sum)
		for _, r := range sum.Refusals {
			fmt.Fprintf(env.Stdout, "refused: %s\n", r)
		}
		for _, w := range sum.Later {
			fmt.Fprintf(env.Stdout, "later: %s\n", w)
		}
		refused += sum.Refused
	}
	if refused > 0 {
		return fmt.Errorf("the server refused %d %s; each keeps the server's message and stays here unchanged", refused, survey.Pick(refused, "response", "responses"))
	}
	if notReceived > 0 {
		return fmt.Errorf("%d %s on the server %s not follow the form and %s not stored here (see \"not received\" above); nothing stored here was changed",
			notReceived, survey.Pick(notReceived, "submission", "submissions"), survey.Pick(notReceived, "does", "do"), survey.Pick(notReceived, "was", "were"))
	}
	return nil
}
