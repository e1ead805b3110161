package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"

	"canvass/survey/store"
)

// RollingBackupsKept is how many automatic backups are kept beside the
// database (made daily when the app opens and whenever an event closes).
const RollingBackupsKept = 14

// dailyBackup makes the day's automatic backup beside the database if
// none is newer than a day. It runs off the main goroutine: VACUUM INTO on
// a large database takes a while, and the store is safe for concurrent use.
func (h *Home) dailyBackup() {
	_, _, err := h.store.BackupIfDue(h.ctx, store.DefaultBackupDir(h.store.Path()), RollingBackupsKept, 24*time.Hour)
	if err != nil {
		fyne.Do(func() { h.showError(fmt.Errorf("automatic backup: %w", err)) })
	}
}

// restoreFrom swaps the open database for the backup at path: the store
// is closed, the file replaced, and the store opened again on it. If the
// swap fails the old database is opened again, unchanged.
func (h *Home) restoreFrom(path string) error {
	st, err := h.store.Restore(h.ctx, path)
	if st != nil {
		h.store = st
	}
	if err != nil {
		return err
	}
	h.Refresh()
	return nil
}
