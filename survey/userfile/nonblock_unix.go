//go:build unix

package userfile

import (
	"os"
	"syscall"
)

func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// setBlocking clears O_NONBLOCK, once the file is known to be regular.
func setBlocking(f *os.File) error {
	return syscall.SetNonblock(int(f.Fd()), false)
}
