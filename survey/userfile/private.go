package userfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// privatePrefix names the folders PrivateDir makes in the system temp
// folder, so that RemovePrivateLeftovers knows them.
const privatePrefix = "canvass-private-"

// PrivateDir makes a folder only this user can read in the system temp
// folder, for plain copies of personal data (a decrypted bundle, a bundle
// being checked before a merge). The caller removes it when done; a run
// killed part-way leaves it for RemovePrivateLeftovers.
func PrivateDir() (string, error) {
	dir, err := os.MkdirTemp("", privatePrefix+"*")
	if err != nil {
		return "", fmt.Errorf("make a private temporary folder: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("make a private temporary folder: %w", err)
	}
	return dir, nil
}

// LeftoverAge is how old a private folder must be before
// RemovePrivateLeftovers deletes it: older than any merge or restore still
// running in another Canvass process could be.
const LeftoverAge = time.Hour

// RemovePrivateLeftovers deletes the private folders (see PrivateDir) that
// runs killed part-way left in the system temp folder more than
// LeftoverAge ago. It is best effort: what cannot be read or removed stays.
func RemovePrivateLeftovers() {
	tmp := os.TempDir()
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), privatePrefix) {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > LeftoverAge {
			os.RemoveAll(filepath.Join(tmp, e.Name()))
		}
	}
}
