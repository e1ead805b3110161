package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"

	"canvass/survey/store"
)

// The bundle and merge commands carry responses between laptops.
// runBundle writes a bundle. It reads the database without taking the
// write lock, so it works while the app is open on the same database.
func runBundle(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "bundle")
	db := fs.String("db", "", "database file (default: the app's own)")
	out := fs.String("out", "", "bundle file to write, FILE.canvass")
	eventID := fs.String("event", "", "only this event's responses (default: all)")
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
	info, err := st.ExportBundle(ctx, *out, *eventID)
	if err != nil {
		return badInputIf(err)
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %d responses (%d answers), %d survey versions, %d events, from device %s\n",
		info.Path, info.Responses, info.Answers, info.Surveys, info.Events, info.DeviceID)
	return nil
}

// runMerge merges bundles into the database, one transaction each, and
// prints a report for each. Every file is checked before anything is
// merged: one bad file and nothing is merged (exit code 2).
func runMerge(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "merge")
	db := fs.String("db", "", "database file (default: the app's own)")
	files, err := parseWithFiles(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("give the bundle files to merge")
	}
	for _, f := range files {
		if _, err := store.ReadBundleInfo(ctx, f); err != nil {
			return badInput(fmt.Errorf("%w; nothing was merged", err))
		}
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	var reports []store.MergeReport
	for _, f := range files {
		rep, err := st.MergeBundle(ctx, f, nil)
		if err != nil {
			if len(reports) > 0 {
				err = fmt.Errorf("%w (the bundles before it were merged)", err)
			}
			return badInputIf(err)
		}
		reports = append(reports, rep)
		fmt.Fprint(env.Stdout, rep.String())
	}
	if len(reports) > 1 {
		fmt.Fprint(env.Stdout, store.SumReports(reports...).String())
	}
	return nil
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
		store.ErrNewerSchema, store.ErrNotFound, fs.ErrNotExist} {
		if errors.Is(err, bad) {
			return badInput(err)
		}
	}
	return err
}
