package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"canvass/survey/encryption"
	"canvass/survey/store"
)

// BackupFolderSetting is the settings key of the folder backups go to by default.
const BackupFolderSetting = "backup.folder"

// backupLayout is the date-time in a backup's file name.
const backupLayout = "2006-01-02-1504"

// BackupName returns the file name of a backup made at t:
// canvass-backup-2026-11-25-1430.db.
func BackupName(t time.Time) string {
	return "canvass-backup-" + t.Format(backupLayout) + ".db"
}

// Backups is backing up and restoring the database: the Back up buttons,
// the backup an event's close makes, and Restore from a backup.
type Backups struct {
	ctx     context.Context
	store   *store.Store
	shell   *Shell
	secrets *secrets
	// restore restores a plain, checked backup (named shown for staff)
	// and returns the safety copy's path; nil when restoring is not available.
	restore func(plain, shown string) (safety string, err error)
	// OnFolderSet, when set, hears of the backup folder the first backup chose.
	OnFolderSet func(folder string)
}

// NewBackups is backing up st and restoring over it, asking and telling
// in sh; restore swaps the database (see Home.EnableRestore), nil when
// restoring is not available.
func NewBackups(ctx context.Context, st *store.Store, sh *Shell, restore func(plain, shown string) (safety string, err error)) *Backups {
	return &Backups{ctx: ctx, store: st, shell: sh, secrets: &secrets{ctx: ctx, win: sh.Window(), st: st}, restore: restore}
}

// Folder returns the backup folder setting ("" when none is set).
func (b *Backups) Folder() (string, error) {
	v, _, err := b.store.Setting(b.ctx, BackupFolderSetting)
	return v, err
}

// BackupTo backs the database up into folder, named after the current
// date and time (a "-2", "-3"… suffix when that name is taken), encrypted
// with lock (then the name ends in .db.age; the zero Lock writes a plain
// .db), and writes an audit line. It returns the backup's path.
func (b *Backups) BackupTo(folder string, lock encryption.Lock) (string, error) {
	return backupInto(b.ctx, b.store, folder, "canvass-backup-"+time.Now().Format(backupLayout), lock)
}

// backupInto backs st up to folder/base.db (or base-N.db), .age added when
// encrypted with lock, and audits it.
func backupInto(ctx context.Context, st *store.Store, folder, base string, lock encryption.Lock) (string, error) {
	if strings.TrimSpace(folder) == "" {
		return "", errors.New(lang.L("Choose a folder for the backup"))
	}
	fi, err := os.Stat(folder)
	if err != nil {
		return "", fmt.Errorf("backup folder: %w", err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("backup folder %s is not a folder", folder)
	}
	for i := 1; i < 100; i++ {
		name := base + ".db"
		if i > 1 {
			name = fmt.Sprintf("%s-%d.db", base, i)
		}
		if !lock.IsZero() {
			name += encryption.Ext
		}
		path := filepath.Join(folder, name)
		err := st.SealedBackup(ctx, path, lock)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := st.Audit(ctx, staffActor(), "backup", path, ""); err != nil {
			return path, err
		}
		return path, nil
	}
	return "", fmt.Errorf("back up into %s: too many backups named %s", folder, base)
}

// Ask asks how to encrypt (see secrets.lock) and for a folder
// (starting in the backup folder setting), and backs up into it.
func (b *Backups) Ask() {
	b.secrets.lock(lang.L("backup"), func(lock encryption.Lock) {
		folder, _ := b.Folder() // no setting yet: start where Fyne starts
		pickFolder(b.shell.Window(), lang.L("Choose a folder for the backup"), "backup", folder, func(folder string) { b.backupInBackground(folder, lock) }, b.shell.ShowError)
	})
}

// backupInBackground backs up into folder with lock off the main goroutine
// and reports the outcome; the first folder chosen becomes the backup folder.
func (b *Backups) backupInBackground(folder string, lock encryption.Lock) {
	b.shell.ShowNotice(lang.L("Backing up…"))
	var path string
	var err error
	b.shell.Background(func() {
		path, err = b.BackupTo(folder, lock)
	}, func() {
		if err != nil {
			b.shell.ShowError(err)
			return
		}
		if cur, _ := b.Folder(); cur == "" {
			if err := b.store.SetSetting(b.ctx, BackupFolderSetting, folder); err != nil {
				b.shell.ShowError(err)
				return
			}
			if b.OnFolderSet != nil {
				b.OnFolderSet(folder)
			}
		}
		b.shell.ShowNotice(lang.L("Backed up to {{.Path}} ({{.Lock}})", map[string]any{"Path": path, "Lock": describeLock(lock)}))
	})
}

// CheckBackup opens path read-only and reports what it holds. It fails
// for a file that is not a Canvass database, is damaged or is the open
// database itself.
func (b *Backups) CheckBackup(path string) (store.BackupInfo, error) {
	info, err := b.store.InspectBackup(b.ctx, path)
	if errors.Is(err, store.ErrBackupIsDatabase) {
		return info, errors.New(lang.L("That is the database Canvass has open, not a backup."))
	}
	return info, err
}

// samePath reports whether a and b name the same file.
func samePath(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// Restore replaces the database with the backup at path, opened with key
// when it is encrypted (the zero Key for a plain one): it decrypts and
// authenticates the whole file into a private temporary folder, then the
// store's restore use case checks it, writes the audit line, copies the
// current data into the automatic backups folder beside the database (on
// this laptop's disk, never on a stick unencrypted) and swaps the files.
// It returns the path of that safety copy.
func (b *Backups) Restore(path string, key encryption.Key) (safety string, err error) {
	if b.restore == nil {
		return "", errors.New(lang.L("Restoring is not available here: start Canvass normally to restore a backup."))
	}
	err = encryption.WithOpened(path, key, func(plain string) error {
		if _, err := b.CheckBackup(plain); err != nil {
			return fmt.Errorf("restore %s: %w", filepath.Base(path), err)
		}
		safety, err = b.restore(plain, path)
		return err
	})
	return safety, err
}

// AskRestore picks a backup file, shows what it holds with a clear
// warning, and restores it when confirmed.
func (b *Backups) AskRestore() {
	pick := filePick{title: lang.L("Choose a backup to restore"), ext: ".db", more: []string{encryption.Ext}, remember: "restore"}
	if folder, err := b.Folder(); err == nil {
		pick.folder = folder
	}
	pick.open(b.shell.Window(), func(path string) { b.confirmRestore(path) }, b.shell.ShowError)
}

// confirmRestore opens the backup at path (asking for the passphrase of
// an encrypted one), then warns before the restore and does it when confirmed.
func (b *Backups) confirmRestore(path string) {
	var info store.BackupInfo
	var key encryption.Key
	err := b.secrets.key(path, lang.L("backup"), func(k encryption.Key) error {
		key = k
		return encryption.WithOpened(path, k, func(plain string) error {
			var err error
			info, err = b.CheckBackup(plain)
			return err
		})
	}, func() {
		info.Path = path
		b.askRestoreConfirmed(info, key)
	})
	if err != nil {
		b.shell.ShowError(fmt.Errorf("%s: %w", filepath.Base(path), err))
	}
}

// askRestoreConfirmed shows what the backup holds with a clear warning and
// restores it, opened with key, when confirmed.
func (b *Backups) askRestoreConfirmed(info store.BackupInfo, key encryption.Key) *dialog.ConfirmDialog {
	warn := widget.NewLabel(lang.L("Restoring replaces the surveys, events, responses and shared settings (staff PIN, thresholds, export and kiosk settings) Canvass holds on this computer with the backup below. This computer's own settings are kept: backup folder, staff name, encryption choice. Responses collected since the backup was made will no longer be in Canvass.") + "\n\n" +
		lang.L("The current data is backed up first, and Canvass then reopens on the restored data."))
	warn.Wrapping = fyne.TextWrapWord
	what := widget.NewLabel(lang.L("{{.File}}, saved {{.When}}: {{.Surveys}} surveys, {{.Responses}}", map[string]any{
		"File": filepath.Base(info.Path), "When": info.Modified.Format("2 Jan 2006 15:04"),
		"Surveys": info.Surveys, "Responses": responsesText(info.Responses)}))
	what.TextStyle = fyne.TextStyle{Bold: true}
	what.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(lang.L("Restore from backup?"), lang.L("Restore"), lang.L("Cancel"),
		container.NewVBox(warn, what), func(ok bool) {
			if !ok {
				return
			}
			safety, err := b.Restore(info.Path, key)
			if err != nil {
				b.shell.ShowError(err)
				return
			}
			b.shell.ShowNotice(restoredNotice(safety))
		}, b.shell.Window())
	d.SetConfirmImportance(widget.DangerImportance)
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
	return d
}

// restoredNotice tells staff where the copy of the data from before the
// restore went, and that this computer's own settings stayed.
func restoredNotice(safety string) string {
	return lang.L("Restored. The data from before the restore is in {{.Path}}", map[string]any{"Path": safety}) + ". " +
		lang.L("Automatic copies are kept in {{.Folder}}. This computer's backup folder, staff name and encryption choice were kept.",
			map[string]any{"Folder": filepath.Dir(safety)})
}
