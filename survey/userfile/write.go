package userfile

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// partialMark is in the name of every partial file, so that the next run
// can tell its own leftovers from other files.
const partialMark = ".canvass-partial-"

// Partial is an output being written: a hidden file beside its target,
// readable by its owner only and locked while it is written, that Commit
// moves into place. A run killed part-way leaves it behind unlocked; the
// next Create in that folder removes it.
type Partial struct {
	*os.File
	target string
}

// Create checks path with CheckOutput, removes partial files earlier runs
// left in its folder and starts a Partial for it.
func Create(path string, protected []string) (*Partial, error) {
	target, err := CheckOutput(path, protected)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(target)
	CleanPartials(dir)
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return nil, err
	}
	name := filepath.Join(dir, "."+filepath.Base(target)+partialMark+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create a file in %s: %w", dir, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		os.Remove(name)
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	return &Partial{File: f, target: target}, nil
}

// Target is the path Commit moves the file to.
func (p *Partial) Target() string { return p.target }

// Commit flushes the file to disk and moves it into place, replacing the
// regular file there. It checks the target again first, in case it became
// a folder or special file meanwhile.
func (p *Partial) Commit() error {
	name := p.Name()
	if err := p.Sync(); err != nil {
		p.Abort()
		return fmt.Errorf("write %s: %w", p.target, err)
	}
	if fi, err := os.Lstat(p.target); err == nil && !fi.Mode().IsRegular() {
		p.Abort()
		return fmt.Errorf("%s: %w (%s)", p.target, ErrNotRegular, kind(fi.Mode()))
	}
	if closeBeforeMove {
		if err := p.closeForMove(); err != nil {
			return err
		}
		return p.renameClosed(name)
	}
	if err := os.Rename(name, p.target); err != nil {
		p.Abort()
		return fmt.Errorf("move %s into place: %w", p.target, err)
	}
	return p.closeMoved() // after the rename: the lock is held until the file has its name
}

// CommitNew is Commit for a target that must not exist: it never replaces
// a file (fs.ErrExist). File systems without hard links (FAT on USB
// sticks) fall back to a check before the rename.
func (p *Partial) CommitNew() error {
	name := p.Name()
	if err := p.Sync(); err != nil {
		p.Abort()
		return fmt.Errorf("write %s: %w", p.target, err)
	}
	if closeBeforeMove {
		if err := p.closeForMove(); err != nil {
			return err
		}
		if _, err := os.Lstat(p.target); err == nil {
			os.Remove(name)
			return fs.ErrExist
		}
		return p.renameClosed(name)
	}
	if err := os.Link(name, p.target); err != nil {
		if errors.Is(err, fs.ErrExist) {
			p.Abort()
			return fs.ErrExist
		}
		if _, err := os.Lstat(p.target); err == nil {
			p.Abort()
			return fs.ErrExist
		}
		if err := os.Rename(name, p.target); err != nil {
			p.Abort()
			return fmt.Errorf("move %s into place: %w", p.target, err)
		}
	} else {
		os.Remove(name)
	}
	return p.closeMoved()
}

// renameClosed moves the closed partial file name into place (Windows).
func (p *Partial) renameClosed(name string) error {
	if err := os.Rename(name, p.target); err != nil {
		os.Remove(name)
		return fmt.Errorf("move %s into place: %w", p.target, err)
	}
	SyncDir(filepath.Dir(p.target))
	return nil
}

// closeMoved closes the file once it has its name, releasing its lock.
func (p *Partial) closeMoved() error {
	err := p.Close()
	p.File = nil
	SyncDir(filepath.Dir(p.target))
	if err != nil {
		return fmt.Errorf("close %s: %w", p.target, err)
	}
	return nil
}

// closeBeforeMove: Windows cannot rename or remove a file that is open (Go
// opens files without FILE_SHARE_DELETE), so there a partial file is closed,
// releasing its lock, just before it is moved into place or removed.
var closeBeforeMove = runtime.GOOS == "windows"

// closeForMove closes the partial file before it is moved; on failure it
// removes it.
func (p *Partial) closeForMove() error {
	name := p.Name()
	err := p.File.Close()
	p.File = nil
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("close %s: %w", p.target, err)
	}
	return nil
}

// Abort removes the partial file; it is safe to call after Commit.
func (p *Partial) Abort() {
	if p.File == nil {
		return
	}
	name := p.Name()
	if closeBeforeMove {
		p.File.Close()
		os.Remove(name)
		return
	}
	os.Remove(name)
	p.File.Close()
}

// WriteAtomic writes path (checked with CheckOutput against protected)
// through a Partial: write gets a buffered writer; nothing appears at path
// unless write and every flush succeed and ctx is not cancelled.
func WriteAtomic(ctx context.Context, path string, protected []string, write func(io.Writer) error) (err error) {
	p, err := Create(path, protected)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			p.Abort()
		}
	}()
	bw := bufio.NewWriterSize(p, 1<<20)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return p.Commit()
}

// CopyInto copies the file at src to a Partial for dest and commits it.
func CopyInto(ctx context.Context, src, dest string, protected []string) error {
	in, err := Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return WriteAtomic(ctx, dest, protected, func(w io.Writer) error {
		_, err := io.Copy(w, readerWithContext{ctx, in})
		return err
	})
}

type readerWithContext struct {
	ctx context.Context
	r   io.Reader
}

func (r readerWithContext) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// CleanPartials removes the partial files in dir that no running Canvass
// is writing (their lock is free), and the ".NAME.*.tmp" files earlier
// versions of Canvass left beside a .canvass, .xlsx, .csv, .db or .age file.
func CleanPartials(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, ".") || !(strings.Contains(name, partialMark) || isOldTemp(name)) {
			continue
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if lockFile(f) == nil {
			os.Remove(path) // removed while locked: nobody else can be starting on it
		}
		f.Close()
	}
}

// isOldTemp matches ".NAME.EXT.123456.tmp", the temporary files of earlier versions.
func isOldTemp(name string) bool {
	if !strings.HasSuffix(name, ".tmp") {
		return false
	}
	rest := strings.TrimSuffix(name, ".tmp")
	i := strings.LastIndexByte(rest, '.')
	if i < 0 || strings.Trim(rest[i+1:], "0123456789") != "" || rest[i+1:] == "" {
		return false
	}
	for _, ext := range []string{".canvass", ".xlsx", ".csv", ".db", ".age"} {
		if strings.HasSuffix(strings.ToLower(rest[:i]), ext) {
			return true
		}
	}
	return false
}

// SyncDir makes a rename in dir durable where the system allows it.
func SyncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: the file itself is already synced
		d.Close()
	}
}

// errLocked: another process holds a partial file's lock.
var errLocked = errors.New("locked by another process")
