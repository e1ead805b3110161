//go:build !unix

package userfile

import (
	"os"
	"time"
)

// lockFile cannot lock here: a partial file counts as abandoned once it
// has not been written for an hour.
func lockFile(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() > 0 && time.Since(fi.ModTime()) < time.Hour {
		return errLocked
	}
	return nil
}
