package export

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// ToFile exports to the file at path, as a workbook or CSV by its extension
// (FormatOf). It writes a temporary file in the same folder, syncs it and
// renames it over path only once everything is written: a failed or
// cancelled export leaves an earlier file at path untouched and no
// temporary file behind. The file is readable by its owner only, since
// exports may hold personal data.
func ToFile(ctx context.Context, src Source, opts Options, path string) (Result, error) {
	format, err := FormatOf(path)
	if err != nil {
		return Result{}, err
	}
	if format == FormatCSV && opts.Password != "" {
		return Result{}, ErrPasswordCSV
	}
	var res Result
	err = writeFileAtomic(ctx, path, func(w io.Writer) error {
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

// writeFileAtomic writes path through a temporary file beside it.
func writeFileAtomic(ctx context.Context, path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("create a temporary file beside %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("write %s: %w", path, errIsDir)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("move the export into place at %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

var errIsDir = errors.New("it is a folder")

// syncDir makes a rename in dir durable where the system allows it.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: the file itself is already synced
		d.Close()
	}
}
