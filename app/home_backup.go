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
		fyne.Do(func() { h.shell.ShowError(fmt.Errorf("automatic backup: %w", err)) })
	}
}

// EnableRestore lets a restore replace the open store with one opened on
// the restored data (the store's restore use case closes the old one).
// Run calls it; whoever calls it closes Store() at the end, not the store
// it gave NewHome. Without it a restore says it is not available.
func (h *Home) EnableRestore() { h.restore = h.restoreFrom }

// Backups is backing up and restoring the store in use.
func (h *Home) Backups() *Backups { return NewBackups(h.ctx, h.store, h.shell, h.restore) }

// restoreFrom restores the plain backup at plain (named shown for staff)
// through the store's restore use case and takes the store it reopens.
func (h *Home) restoreFrom(plain, shown string) (safety string, err error) {
	st, safety, err := h.store.Restore(h.ctx, store.RestoreRequest{Backup: plain, Shown: shown, Actor: staffActor()})
	if st != nil && st != h.store {
		h.useStore(st)
	}
	if err != nil {
		return "", err
	}
	h.Refresh()
	return safety, nil
}

// Store is the store the staff screens work on: the one given to NewHome
// until a restore reopens it.
func (h *Home) Store() *store.Store { return h.store }
