package export

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"canvass/survey/userfile"
)

// ToFile exports to the file at path, as a workbook or CSV by its extension
// (FormatOf). It writes a temporary file in the same folder, syncs it and
// renames it over path only once everything is written: a failed or
// cancelled export leaves an earlier file at path untouched and no
// temporary file behind. The file is readable by its owner only, since
// exports may hold personal data. It refuses a path that is a folder or
// special file, or (when src is a store) the database or its side files.
func ToFile(ctx context.Context, src Source, opts Options, path string) (Result, error) {
	format, err := FormatOf(path)
	if err != nil {
		return Result{}, err
	}
	if format == FormatCSV && opts.Password != "" {
		return Result{}, ErrPasswordCSV
	}
	var res Result
	var repeats []*userfile.Partial
	defer func() {
		for _, p := range repeats {
			p.Abort() // does nothing once committed
		}
	}()
	err = writeFileAtomic(ctx, src, path, func(w io.Writer) error {
		var err error
		if format == FormatXLSX {
			res, err = Workbook(ctx, src, opts, w)
			return err
		}
		var open repeatFile
		if !opts.SingleFile {
			open = func(t *table) (io.Writer, error) {
				p, err := userfile.Create(RepeatFile(path, t.sheet), protectedFiles(src))
				if err != nil {
					return nil, fmt.Errorf("CSV file of repeat %s: %w", t.repeat.Name, err)
				}
				repeats = append(repeats, p)
				return p, nil
			}
		}
		if res, err = writeCSV(ctx, src, opts, w, open); err != nil {
			return err
		}
		res.Files = []string{path}
		for _, p := range repeats {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := p.Commit(); err != nil {
				return err
			}
			res.Files = append(res.Files, p.Target())
		}
		return nil
	})
	if err != nil {
		return Result{}, cancelled(ctx, err)
	}
	if len(res.Files) == 0 {
		res.Files = []string{path}
	}
	return res, nil
}

// RepeatFile is the path of a repeat's CSV file beside the main file path:
// "consultation.csv" and the repeat sheet "carers" give
// "consultation-carers.csv", as ODK Central names its repeat files.
func RepeatFile(path, sheet string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-" + sheet + ext
}

// protectedFiles lists the database files of src, when it says which (see
// OwnFiles): an export never replaces them.
func protectedFiles(src Source) []string {
	if o, ok := src.(interface{ OwnFiles() []string }); ok {
		return o.OwnFiles()
	}
	return nil
}

// writeFileAtomic writes path through userfile.WriteAtomic, refusing the
// files of the database src reads (when it says which: see OwnFiles).
func writeFileAtomic(ctx context.Context, src Source, path string, write func(io.Writer) error) error {
	return userfile.WriteAtomic(ctx, path, protectedFiles(src), write)
}
