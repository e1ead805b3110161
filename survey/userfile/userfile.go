// Package userfile opens and writes the files a user names on the command
// line or in a file dialog, with care: reads are bounded and never hang on
// a FIFO or device; outputs are written privately (0600) through a locked
// partial file that is renamed into place only when complete, never over a
// folder, device, FIFO or the database's own files, and partial files left
// by a killed run are removed by the next one.
package userfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Errors of this package; test with errors.Is.
var (
	// ErrProtected: the output is the database, one of its side files or backups.
	ErrProtected = errors.New("that is the database or one of its own files; choose another file")
	// ErrNotRegular: the path names a folder, device, FIFO or socket.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge: a file is larger than the reader accepts.
	ErrTooLarge = errors.New("file is too large")
)

// DatabaseFiles lists what an output must never replace for the database
// at db: the file, its -wal, -shm, -journal and .lock files, and its
// backups folder (every file inside it), under the name given and the name
// its symbolic links resolve to.
func DatabaseFiles(db string) []string {
	if db == "" {
		return nil
	}
	var out []string
	for _, name := range uniq(absOrSelf(db), resolve(db)) {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal", ".lock"} {
			out = append(out, name+suffix)
		}
		out = append(out, filepath.Join(filepath.Dir(name), "backups")+string(filepath.Separator))
	}
	return out
}

// CheckOutput checks that path may be written as an output: it is a new
// path or a regular file (after following symbolic links), and none of the
// protected files (see DatabaseFiles; a name ending in a separator protects
// a whole folder). It returns the path to write, with links resolved.
func CheckOutput(path string, protected []string) (string, error) {
	if strings.TrimSpace(path) == "" {
		return "", errors.New("no output file given")
	}
	target, err := resolveOutput(path)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(target)
	switch {
	case err == nil && fi.IsDir():
		return "", fmt.Errorf("%s: it is a folder, %w; give a file name inside it", path, ErrNotRegular)
	case err == nil && !fi.Mode().IsRegular():
		return "", fmt.Errorf("%s: %w (%s); give a file name", path, ErrNotRegular, kind(fi.Mode()))
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return "", err
	}
	dir := filepath.Dir(target)
	if di, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("%s: the folder %s does not exist (%w)", path, dir, fs.ErrNotExist)
	} else if !di.IsDir() {
		return "", fmt.Errorf("%s: %s is not a folder (%w)", path, dir, fs.ErrNotExist)
	}
	for _, p := range protected {
		if isProtected(target, fi, p) {
			return "", fmt.Errorf("%s: %w", path, ErrProtected)
		}
	}
	return target, nil
}

// isProtected reports whether target (whose FileInfo is fi, nil if it does
// not exist) is protected by p.
func isProtected(target string, fi fs.FileInfo, p string) bool {
	if strings.HasSuffix(p, string(filepath.Separator)) {
		folder := filepath.Clean(p)
		for _, f := range uniq(folder, resolve(folder)) {
			if strings.HasPrefix(target, f+string(filepath.Separator)) || sameFileName(target, f) {
				return true
			}
		}
		return false
	}
	if sameFileName(target, p) || sameFileName(target, resolve(p)) {
		return true
	}
	if fi != nil {
		if pi, err := os.Stat(p); err == nil && os.SameFile(fi, pi) {
			return true
		}
	}
	return false
}

// resolveOutput returns path with every symbolic link resolved, for a path
// that may not exist yet. A link to a missing file is refused: writing
// would replace the link, not create its target.
func resolveOutput(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if li, err := os.Lstat(abs); err == nil {
		if li.Mode()&fs.ModeSymlink != 0 {
			t, err := filepath.EvalSymlinks(abs)
			if err != nil {
				return "", fmt.Errorf("%s: %w: a link to a file that cannot be reached (%v)", path, ErrNotRegular, err)
			}
			return t, nil
		}
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return abs, nil // CheckOutput reports the missing folder
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}

// resolve returns p with its symbolic links resolved, or p as an absolute
// path if it cannot be resolved (a file not yet made).
func resolve(p string) string {
	if t, err := filepath.EvalSymlinks(p); err == nil {
		if a, err := filepath.Abs(t); err == nil {
			return a
		}
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		if a, err := filepath.Abs(filepath.Join(dir, filepath.Base(p))); err == nil {
			return a
		}
	}
	return absOrSelf(p)
}

func absOrSelf(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

func uniq(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

// kind names a non-regular file mode for messages.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeDir != 0:
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

// Open opens an existing regular file for reading without blocking on a
// FIFO or device, and refuses anything else with ErrNotRegular.
func Open(path string) (*os.File, error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, kind(fi.Mode()))
	}
	if err := setBlocking(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// ReadFile reads a whole regular file (see Open) of at most limit bytes.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(f, path, limit)
}

// ReadAll reads r to its end, refusing more than limit bytes; name names it in errors.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: %w (more than %s)", name, ErrTooLarge, Size(limit))
	}
	return b, nil
}

// Size writes a byte count for people.
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// sameFileName compares two absolute names, ignoring case where the usual
// file systems do (Windows, macOS).
func sameFileName(a, b string) bool {
	a, b = filepath.Clean(a), filepath.Clean(b)
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return strings.EqualFold(a, b)
	}
	return a == b
}
