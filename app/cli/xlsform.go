package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"canvass/survey"
	"canvass/survey/store"
	"canvass/survey/xlsform"
)

// runImportForm imports an XLSForm workbook as a survey (a new survey, or a
// new version of the one with the same form_id). Files named after the form
// are the choice files of its select_one_from_file questions, when they are
// not beside it. What is left out is said before anything is saved.
func runImportForm(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "import-form")
	db := fs.String("db", "", "database file (default: the app's own)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("give the FILE.xlsx to read")
	}
	var files []string
	rest := fs.Args()
	for len(rest) > 0 {
		files = append(files, rest[0])
		if err := parseFlags(fs, rest[1:]); err != nil {
			return err
		}
		rest = fs.Args()
	}
	file := files[0]
	for _, f := range files[1:] {
		if ext := strings.ToLower(filepath.Ext(f)); ext != ".csv" && ext != ".xml" {
			return usagef("unexpected argument %q: only the form's choice files (.csv, .xml) may follow it", f)
		}
	}
	def, rep, err := xlsform.ImportFile(file, files[1:]...)
	for _, w := range rep.Warnings() {
		fmt.Fprintf(env.Stderr, "warning: %s\n", w)
	}
	if err != nil {
		return badInput(fmt.Errorf("%s: %w", file, err))
	}
	if s := rep.Summary(); s != "" && len(rep.Dropped) > 0 {
		fmt.Fprintln(env.Stderr, s)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	saved, err := st.SaveSurvey(ctx, def)
	if err != nil {
		var ve *survey.ValidationError
		if errors.As(err, &ve) {
			return badInput(fmt.Errorf("%s: %w", file, err))
		}
		return err
	}
	fmt.Fprintf(env.Stdout, "imported %s version %d: %s (%d questions)\n",
		saved.ID, saved.Version, saved.Title.In(saved.DefaultLanguage(), ""), saved.NumAnswerable())
	if s := rep.Summary(); len(rep.Dropped) > 0 {
		fmt.Fprintln(env.Stdout, s)
	}
	return nil
}

// runExportForm writes a survey definition as an XLSForm workbook.
func runExportForm(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "export-form")
	db := fs.String("db", "", "database file (default: the app's own)")
	surveyID := fs.String("survey", "", "survey id (see canvass list)")
	version := fs.Int("version", 0, "survey version (default: the latest)")
	out := fs.String("out", "", "workbook to write, FILE.xlsx")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *surveyID == "":
		return usagef("--survey is required (see canvass list)")
	case *out == "":
		return usagef("--out is required: a file name ending in .xlsx")
	case !strings.EqualFold(filepath.Ext(*out), ".xlsx"):
		return usagef("--out %s: the file name must end in .xlsx", *out)
	case *version < 0:
		return usagef("--version %d: versions start at 1", *version)
	}
	if fi, err := os.Stat(filepath.Dir(*out)); err != nil || !fi.IsDir() {
		return badInput(fmt.Errorf("--out %s: the folder %s does not exist", *out, filepath.Dir(*out)))
	}
	st, err := openToRead(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	def, err := st.Survey(ctx, *surveyID, *version)
	if errors.Is(err, store.ErrNotFound) {
		if *version > 0 {
			return badInput(fmt.Errorf("survey %q has no version %d (see canvass list)", *surveyID, *version))
		}
		return badInput(fmt.Errorf("unknown survey %q (see canvass list)", *surveyID))
	}
	if err != nil {
		return err
	}
	if err := xlsform.ExportFile(def, *out, st.OwnFiles()...); err != nil {
		return badInputIf(err)
	}
	fmt.Fprintf(env.Stdout, "exported %s version %d to %s\n", def.ID, def.Version, *out)
	return nil
}
