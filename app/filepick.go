package app

import (
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
)

// fileDialogSize is the size Canvass's file and folder dialogs open at:
// large enough for long file names on a laptop screen.
var fileDialogSize = fyne.NewSize(820, 580)

// filePick says how a file dialog starts.
type filePick struct {
	title  string   // the dialog's title; blank keeps Fyne's ("Open File", "Save File")
	ext    string   // the extension listed, with its dot: ".xlsx"
	more   []string // other extensions listed too: ".xls"
	folder string   // where the dialog starts; blank, or a folder that cannot be listed, keeps Fyne's default
	name   string   // the file name a save dialog offers
	// remember names the action ("import-form", "export-bundle"…) whose
	// last folder the dialog starts in, on this computer, before folder.
	remember string
}

// lastFolderKey is the app preference remembering the folder a file
// dialog of one action was last used in.
func lastFolderKey(action string) string { return "folder." + action }

// startFolder is where a dialog of the action starts: the folder it was
// last used in, if it still exists, otherwise fallback.
func startFolder(action, fallback string) string {
	if action != "" {
		if f := fyne.CurrentApp().Preferences().String(lastFolderKey(action)); f != "" {
			if st, err := os.Stat(f); err == nil && st.IsDir() {
				return f
			}
		}
	}
	return fallback
}

// rememberFolder keeps folder as where the action's dialog starts next time.
func rememberFolder(action, folder string) {
	if action != "" && folder != "" {
		fyne.CurrentApp().Preferences().SetString(lastFolderKey(action), folder)
	}
}

// open shows a file open dialog as p says, then calls then with the path
// of the file chosen, or fail with the error the dialog reported. A
// cancelled dialog calls neither.
func (p filePick) open(w fyne.Window, then func(path string), fail func(error)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			fail(err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		rememberFolder(p.remember, filepath.Dir(path))
		then(path)
	}, w)
	p.show(d)
}

// save shows a file save dialog as p says, offering p.name, then calls then
// with the path chosen, or fail with the error the dialog reported. A
// cancelled dialog calls neither. Fyne's dialog has created or emptied the
// file by the time then runs.
func (p filePick) save(w fyne.Window, then func(path string), fail func(error)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			fail(err)
			return
		}
		if wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close()
		rememberFolder(p.remember, filepath.Dir(path))
		then(path)
	}, w)
	d.SetFileName(p.name)
	p.show(d)
}

// pickFolder shows a folder dialog titled title at Canvass's file dialog
// size, starting where the action's dialog was last used, else in start
// (blank or unlistable keeps Fyne's default), then calls then with the
// folder chosen, or fail with the error the dialog reported. A cancelled
// dialog calls neither.
func pickFolder(w fyne.Window, title, action, start string, then func(path string), fail func(error)) {
	d := dialog.NewFolderOpen(func(uri fyne.ListableURI, err error) {
		if err != nil {
			fail(err)
			return
		}
		if uri == nil {
			return
		}
		rememberFolder(action, uri.Path())
		then(uri.Path())
	}, w)
	if title != "" {
		d.SetTitleText(title)
	}
	d.SetConfirmText(lang.L("Choose this folder")) // Fyne's "Open" reads as if a file were opened
	startIn(d, startFolder(action, start))
	d.Resize(fileDialogSize)
	d.Show()
}

// show sets d's title, filter and starting folder from p and shows it.
func (p filePick) show(d *dialog.FileDialog) {
	if p.title != "" {
		d.SetTitleText(p.title)
	}
	if p.ext != "" {
		d.SetFilter(storage.NewExtensionFileFilter(append([]string{p.ext}, p.more...)))
	}
	startIn(d, startFolder(p.remember, p.folder))
	d.Resize(fileDialogSize)
	d.Show()
}

// startIn makes a file or folder dialog start in folder; a blank folder, or
// one that cannot be listed, leaves Fyne's own starting place.
func startIn(d *dialog.FileDialog, folder string) {
	if folder == "" {
		return
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(folder)); err == nil {
		d.SetLocation(l)
	}
}
