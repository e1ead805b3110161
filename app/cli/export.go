package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"canvass/export"
	"canvass/survey/encryption"
	"canvass/survey/store"
)

// dayLayout is how days are given on the command line.
const dayLayout = "2006-01-02"

func runExport(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "export")
	db := fs.String("db", "", "database file (default: the app's own)")
	surveyID := fs.String("survey", "", "survey id (see canvass list)")
	out := fs.String("out", "", "file to write: FILE.xlsx (workbook) or FILE.csv (data only)")
	eventID := fs.String("event", "", "only responses given at this event (id, or name)")
	from := fs.String("from", "", "only responses started on or after this day (YYYY-MM-DD)")
	to := fs.String("to", "", "only responses started on or before this day (YYYY-MM-DD)")
	version := fs.Int("version", 0, "only this survey version (default: every version, in one set of columns)")
	codes := fs.Bool("codes", false, "write choice codes instead of labels")
	long := fs.Bool("long", false, "one row per answer instead of one row per response")
	noPersonal := fs.Bool("no-personal", false, "leave out questions flagged personal")
	completeOnly := fs.Bool("complete-only", false, "leave out draft and abandoned responses")
	lang := fs.String("lang", "", "language of the labels (default: the survey's first)")
	passwordFile := fs.String("password-file", "", "encrypt the workbook with the password in this file (.xlsx only; the same as --passphrase-file for a workbook)")
	locks := addLockFlags(fs)
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	if *surveyID == "" {
		return usagef("--survey is required (see canvass list)")
	}
	if *out == "" {
		return usagef("--out is required: a file name ending in .xlsx or .csv")
	}
	format, err := export.FormatOf(strings.TrimSuffix(*out, encryption.Ext))
	if err != nil {
		return usagef("--out %s: the file name must end in .xlsx or .csv (.age may follow)", *out)
	}
	if *version < 0 {
		return usagef("--version %d: versions start at 1", *version)
	}
	opts := export.Options{
		SurveyID: *surveyID, Version: *version, EventID: *eventID,
		Codes: *codes, Long: *long, NoPersonal: *noPersonal, CompleteOnly: *completeOnly,
		Language: *lang, AppVersion: Version, Location: time.Local,
	}
	if opts.From, err = parseDay("--from", *from); err != nil {
		return err
	}
	last, err := parseDay("--to", *to)
	if err != nil {
		return err
	}
	if !last.IsZero() {
		opts.To = last.AddDate(0, 0, 1) // the whole of the last day
	}
	if !opts.From.IsZero() && !opts.To.IsZero() && !opts.From.Before(opts.To) {
		return usagef("--from %s is after --to %s", *from, *to)
	}
	if *passwordFile != "" {
		if format == export.FormatCSV {
			return usagef("--password-file is for workbooks: encrypt a CSV file with --passphrase-file or --recipient")
		}
		if *locks != (lockFlags{}) {
			return usagef("give --password-file or --passphrase-file/--recipient/--unencrypted, not both")
		}
		if opts.Password, err = readPassphraseFlag("--password-file", *passwordFile); err != nil {
			return err
		}
	}
	if dir := filepath.Dir(*out); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return badInput(fmt.Errorf("--out %s: the folder %s does not exist", *out, dir))
		}
	}

	st, err := openForReading(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := checkExportTarget(ctx, st, opts); err != nil {
		return err
	}
	if opts.EventID != "" {
		if opts.EventID, err = resolveEvent(ctx, st, opts.EventID); err != nil {
			return err
		}
	}
	counts, err := st.CountResponses(ctx, opts.Filter())
	if err != nil {
		return err
	}
	opts.Total = counts.Total()
	if err := st.RefuseOwnFile(*out); err != nil {
		return badInput(fmt.Errorf("--out: %w", err))
	}
	lock, err := exportLock(ctx, env, st, locks, &opts, format, *out)
	if err != nil {
		return badInputIf(err)
	}
	path := *out
	var res export.Result
	if lock.IsZero() {
		res, err = export.ToFile(ctx, st, opts, path)
	} else {
		path = sealedPath(*out)
		if err := st.RefuseOwnFile(path); err != nil {
			return badInput(fmt.Errorf("--out %s: %w", path, err))
		}
		opts.SingleFile = true // only the one sealed file reaches the user
		err = encryption.WriteSealed(path, lock, func(plain string) error {
			res, err = export.ToFile(ctx, st, opts, plain)
			return err
		})
	}
	if errors.Is(err, export.ErrRepeatFiles) {
		return badInput(fmt.Errorf("%w (--long writes one file)", err))
	}
	if err != nil {
		return badInputIf(err)
	}
	fmt.Fprintf(env.Stdout, "%d rows written to %s (%d responses)\n", res.Rows, path, res.Responses)
	repeatFiles := res.Files[min(1, len(res.Files)):]
	for _, f := range repeatFiles {
		fmt.Fprintf(env.Stdout, "Repeat rows written to %s\n", f)
	}
	if res.InstanceRows > 0 && len(repeatFiles) == 0 {
		fmt.Fprintf(env.Stdout, "%d repeat rows (one per instance) written on the repeat sheets\n", res.InstanceRows)
	}
	if !lock.IsZero() {
		fmt.Fprintf(env.Stdout, "It is encrypted: open it with canvass decrypt %s --out FILE, or the age tool (age -d), with %s.\n", path, lock.Describe())
	}
	return nil
}

// exportLock decides how an export is protected. A workbook with a
// passphrase gets it as its password (Excel opens it); a CSV file, or a
// workbook for a public key, is encrypted with age. An export with
// personal questions must be protected or --unencrypted given; a plain one
// gets a warning naming them.
func exportLock(ctx context.Context, env Env, st *store.Store, locks *lockFlags, opts *export.Options, format export.Format, out string) (encryption.Lock, error) {
	var personal []store.PersonalQuestions
	if !opts.NoPersonal {
		var err error
		if personal, err = st.PersonalData(ctx, opts.SurveyID); err != nil {
			return encryption.Lock{}, err
		}
	}
	described := store.DescribePersonal(personal)
	if opts.Password != "" {
		return encryption.Lock{}, nil
	}
	lock, given, err := locks.lock(ctx, st)
	if err != nil {
		return encryption.Lock{}, err
	}
	switch {
	case !given && len(personal) > 0:
		return encryption.Lock{}, needLock("an export with personal questions", described)
	case !given || lock.IsZero():
		if len(personal) > 0 {
			warnPlain(env, "the export "+out, described)
		}
		return encryption.Lock{}, nil
	}
	if p, ok := lock.Passphrase(); ok && format == export.FormatXLSX && !strings.HasSuffix(out, encryption.Ext) {
		opts.Password = p
		return encryption.Lock{}, nil
	}
	return lock, nil
}

// parseDay reads a YYYY-MM-DD day on the command line as local midnight.
func parseDay(flagName, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation(dayLayout, s, time.Local)
	if err != nil {
		return time.Time{}, usagef("%s %q: want a day like 2026-03-14", flagName, s)
	}
	return d, nil
}

// openForReading opens an existing database read-only (so that exporting
// works while the app has it open), the default one when path is "".
func openForReading(ctx context.Context, path string) (*store.Store, error) {
	path, err := dbPath(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, badInput(fmt.Errorf("database %s: %w", path, err))
	}
	st, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, badInputIf(err)
	}
	return st, nil
}

// checkExportTarget turns an unknown survey or version into a clear error.
func checkExportTarget(ctx context.Context, st *store.Store, opts export.Options) error {
	versions, err := st.SurveyVersions(ctx, opts.SurveyID)
	if errors.Is(err, store.ErrNotFound) || err == nil && len(versions) == 0 {
		return badInput(fmt.Errorf("unknown survey %q (see canvass list)", opts.SurveyID))
	}
	if err != nil {
		return err
	}
	if opts.Version != 0 && !slices.Contains(versions, opts.Version) {
		return badInput(fmt.Errorf("survey %q has no version %d (it has %s)", opts.SurveyID, opts.Version, joinVersions(versions)))
	}
	return nil
}

// resolveEvent returns the id of the event given by id or, failing that,
// by its exact name (ignoring case) when only one event has it.
func resolveEvent(ctx context.Context, st *store.Store, idOrName string) (string, error) {
	if _, err := st.Event(ctx, idOrName); err == nil {
		return idOrName, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	evs, err := st.Events(ctx)
	if err != nil {
		return "", err
	}
	var ids []string
	for _, ev := range evs {
		if strings.EqualFold(ev.Name, idOrName) {
			ids = append(ids, ev.ID)
		}
	}
	switch len(ids) {
	case 0:
		return "", badInput(fmt.Errorf("unknown event %q: give an event id or name", idOrName))
	case 1:
		return ids[0], nil
	}
	return "", badInput(fmt.Errorf("%d events are called %q: give the event id", len(ids), idOrName))
}

func joinVersions(vs []int) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ", ")
}
