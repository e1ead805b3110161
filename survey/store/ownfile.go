package store

import "path/filepath"

// RefuseOwnFile refuses a destination that is this store's database or one
// of its side files (-wal, -shm, -journal, lock), after resolving symlinks,
// for writers outside the store (encrypted bundles, exports).
func (s *Store) RefuseOwnFile(dest string) error {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	return s.notOwnFile(abs)
}
