package store

import "canvass/survey/userfile"

// RefuseOwnFile refuses a destination that is this store's database, one
// of its side files (-wal, -shm, -journal, lock) or backups, after
// resolving symlinks, or that is a folder, device or FIFO: the one output
// guard (userfile.CheckOutput) for writers outside the store (encrypted
// bundles, exports).
func (s *Store) RefuseOwnFile(dest string) error {
	_, err := userfile.CheckOutput(dest, s.OwnFiles())
	return err
}
