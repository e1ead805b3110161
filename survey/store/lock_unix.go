//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package store

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// fileLock is an exclusive advisory lock (flock) on a PATH.lock file,
// released by the kernel if the process dies.
type fileLock struct {
	f    *os.File
	path string
}

// acquireLock takes the lock at path without waiting, or returns ErrLocked.
func acquireLock(path string) (*fileLock, error) {
	for range 10 {
		// O_NOFOLLOW: a symbolic link planted at the lock's name must not
		// make us truncate the file it points to.
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
		if errors.Is(err, syscall.ELOOP) {
			return nil, fmt.Errorf("lock file %s is a symbolic link; remove it if no Canvass is running", path)
		}
		if err != nil {
			return nil, fmt.Errorf("create lock file: %w", err)
		}
		if err := checkLockFile(f, path); err != nil {
			f.Close()
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, ErrLocked
			}
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		// The previous holder removes the file when it closes; if it did so
		// between our open and our flock, we locked a file nobody else
		// will see: try again with the file the path names now.
		held, err1 := f.Stat()
		named, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, named) {
			// The holder's pid helps whoever looks at a stuck lock.
			if err := f.Truncate(0); err == nil {
				f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
			}
			return &fileLock{f: f, path: path}, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("lock %s: the lock file keeps being replaced", path)
}

// checkLockFile refuses a lock file that is not a plain file of its own
// (a FIFO, a device, or a hard link to some other file), which writing
// the pid would damage.
func checkLockFile(f *os.File, path string) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("lock %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("lock file %s is not a regular file (%s); remove it if no Canvass is running", path, fi.Mode().Type())
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 {
		return fmt.Errorf("lock file %s is linked to another file; remove it if no Canvass is running", path)
	}
	return nil
}

// release removes the lock file while still holding the lock, then unlocks it.
func (l *fileLock) release() error {
	if l == nil {
		return nil
	}
	os.Remove(l.path)
	return l.f.Close()
}
