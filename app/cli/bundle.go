package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"strings"

	"canvass/survey"
	"canvass/survey/encryption"
	"canvass/survey/store"
	"canvass/survey/userfile"
)

// The bundle and merge commands carry responses between laptops.
// runBundle writes a bundle, encrypted unless --unencrypted is given. It
// reads the database without taking the write lock, so it works while the
// app is open on the same database.
func runBundle(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "bundle")
	db := fs.String("db", "", "database file (default: the app's own)")
	out := fs.String("out", "", "bundle file to write, FILE.canvass")
	eventID := fs.String("event", "", "only this event's responses (default: all)")
	locks := addLockFlags(fs)
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *out == "":
		return usagef("--out is required")
	}
	st, err := openForReading(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	lock, given, err := locks.lock(ctx, st)
	if err != nil {
		return err
	}
	personal, err := st.PersonalData(ctx, "")
	if err != nil {
		return err
	}
	if !given {
		return needLock("a bundle", store.DescribePersonal(personal))
	}
	if err := st.RefuseOwnFile(*out); err != nil {
		return badInput(fmt.Errorf("--out: %w", err))
	}
	userfile.RemovePrivateLeftovers()
	if lock.IsZero() {
		warnPlain(env, "the bundle "+*out, store.DescribePersonal(personal))
	}
	info, err := st.ExportSealedBundle(ctx, *out, *eventID, lock)
	if err != nil {
		return badInputIf(err)
	}
	sealed := "not encrypted"
	if !lock.IsZero() {
		sealed = "encrypted: opens with " + lock.Describe()
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %s (%s), %s, %s, from device %s (%s)\n",
		info.Path, survey.Counted(info.Responses, "response", "responses"), survey.Counted(info.Answers, "answer", "answers"),
		survey.Counted(info.Surveys, "survey version", "survey versions"), survey.Counted(info.Events, "event", "events"), info.DeviceID, sealed)
	return nil
}

// runMerge merges bundles into the database, one transaction each, and
// prints a report for each. Every file is decrypted (when encrypted) and
// checked before anything is merged: one bad file and nothing is merged
// (exit code 2).
func runMerge(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "merge")
	db := fs.String("db", "", "database file (default: the app's own)")
	keys := addKeyFlags(fs)
	files, err := parseWithFiles(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("give the bundle files to merge")
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	var key encryption.Key
	if anySealed(files) { // plain bundles need no key, even when the one in Settings is gone
		if key, err = keys.key(ctx, st); err != nil {
			return err
		}
	}
	userfile.RemovePrivateLeftovers()
	err = openAll(files, key, func(plains []string) error {
		// Every bundle is checked (and kept as its checked private copy)
		// before any is merged.
		var opened []*store.Bundle
		defer func() {
			for _, b := range opened {
				b.Close()
			}
		}()
		for i, p := range plains {
			b, err := store.OpenBundle(ctx, p)
			if err != nil {
				return badInput(fmt.Errorf("%w; nothing was merged", err))
			}
			opened = append(opened, b)
			if p != files[i] {
				fmt.Fprintf(env.Stderr, "%s: decrypted and authenticated\n", files[i])
			}
		}
		var reports []store.MergeReport
		for i, b := range opened {
			rep, err := st.MergeOpened(ctx, b, nil)
			if err != nil {
				if len(reports) > 0 {
					err = fmt.Errorf("%w (the bundles before it were merged)", err)
				}
				return badInputIf(err)
			}
			rep.Bundle = files[i]
			reports = append(reports, rep)
			fmt.Fprint(env.Stdout, rep.String())
		}
		if len(reports) > 1 {
			fmt.Fprint(env.Stdout, store.SumReports(reports...).String())
		}
		return nil
	})
	if err != nil && !strings.Contains(err.Error(), "merged") {
		return keyHint(badInputIf(fmt.Errorf("%w; nothing was merged", err)))
	}
	return err
}

// parseWithFiles parses flags mixed with file arguments and returns the files.
func parseWithFiles(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return files, nil
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// badInputIf marks errors caused by the files or ids the user gave as bad
// input (exit code 2); other failures stay plain (exit code 1).
func badInputIf(err error) error {
	for _, bad := range []error{store.ErrNotDatabase, store.ErrNotCanvass, store.ErrNotBundle, store.ErrCorrupt,
		store.ErrNewerSchema, store.ErrNotFound, fs.ErrNotExist, userfile.ErrProtected, userfile.ErrNotRegular,
		userfile.ErrTooLarge} {
		if errors.Is(err, bad) {
			return badInput(err)
		}
	}
	return err
}
