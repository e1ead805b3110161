package export

import (
	"context"
	"io"

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
	err = writeFileAtomic(ctx, src, path, func(w io.Writer) error {
		var err error
		if format == FormatCSV {
			res, err = CSV(ctx, src, opts, w)
		} else {
			res, err = Workbook(ctx, src, opts, w)
		}
		return err
	})
	if err != nil {
		return Result{}, cancelled(ctx, err)
	}
	return res, nil
}

// writeFileAtomic writes path through userfile.WriteAtomic, refusing the
// files of the database src reads (when it says which: see OwnFiles).
func writeFileAtomic(ctx context.Context, src Source, path string, write func(io.Writer) error) error {
	var protected []string
	if o, ok := src.(interface{ OwnFiles() []string }); ok {
		protected = o.OwnFiles()
	}
	return userfile.WriteAtomic(ctx, path, protected, write)
}
