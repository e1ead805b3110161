package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/survey/encryption"
	"canvass/survey/store"
)

// EncryptionCard is the Settings card for how bundles and backups are
// encrypted, and for what the system says about the disk. Its widgets are
// exposed so that tests can drive them.
type EncryptionCard struct {
	Mode         *widget.RadioGroup
	PublicKey    *widget.Entry
	IdentityFile *widget.Label
	Save         *widget.Button
	Message      *widget.Label
	// Disk says whether the system reports the disk as encrypted (filled in the background).
	Disk *widget.Label

	identity string
	ctx      context.Context
	store    *store.Store
}

// settingsModes are the Mode radio's options, in the order of settingsModeValues.
func settingsModes() []string {
	return []string{
		lang.L("A passphrase shared by the council's staff (typed each time, never stored)"),
		lang.L("The analyst's public key (only the analyst's private key opens the files)"),
	}
}

var settingsModeValues = []encryption.Mode{encryption.Passphrase, encryption.PublicKey}

// newEncryptionCard builds the card on st; its file picker opens over
// sh's window and the disk check runs in sh's background.
func newEncryptionCard(ctx context.Context, st *store.Store, sh *Shell) (fyne.CanvasObject, *EncryptionCard, error) {
	choice, err := encryption.LoadChoice(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	c := &EncryptionCard{identity: choice.IdentityFile, ctx: ctx, store: st}
	c.Mode = widget.NewRadioGroup(settingsModes(), nil)
	c.PublicKey = widget.NewEntry()
	c.PublicKey.SetPlaceHolder(lang.L("The analyst's public key: age1… (from canvass keygen)"))
	c.PublicKey.SetText(choice.PublicKey)
	c.Mode.OnChanged = func(string) { c.showKey() }
	for i, m := range settingsModeValues {
		if m == choice.Mode {
			c.Mode.SetSelected(settingsModes()[i])
		}
	}
	c.showKey()
	c.IdentityFile = widget.NewLabel("")
	c.IdentityFile.Wrapping = fyne.TextWrapWord
	c.showIdentity()
	pickKey := widget.NewButtonWithIcon(lang.L("Private key file…"), theme.FolderOpenIcon(), func() {
		filePick{title: lang.L("The analyst's private key file")}.open(sh.Window(), func(path string) {
			if _, err := encryption.ReadIdentityFile(path); err != nil {
				c.say(err)
				return
			}
			c.identity = path
			c.showIdentity()
		}, c.say)
	})
	forget := widget.NewButton(lang.L("Forget"), func() { c.identity = ""; c.showIdentity() })
	c.Message = widget.NewLabel("")
	c.Message.Wrapping = fyne.TextWrapWord
	c.Save = widget.NewButton(lang.L("Save encryption setting"), func() { c.SaveChoice() })
	c.Disk = widget.NewLabel(lang.L("This laptop's disk: checking…"))
	c.Disk.Wrapping = fyne.TextWrapWord
	var status encryption.DiskStatus
	sh.Background(func() { status = encryption.CheckDisk(ctx, st.Path()) }, func() {
		c.Disk.SetText(lang.L("This laptop's disk: {{.Status}}", map[string]any{"Status": status.String()}))
		if status.Known && !status.Encrypted {
			c.Disk.Importance = widget.DangerImportance
			c.Disk.Refresh()
		}
	})
	atRest := fieldHint(lang.L("Canvass does not encrypt its own database or the automatic backups beside it: the laptop's disk must be encrypted (BitLocker on Windows, FileVault on macOS, LUKS on Linux)."))
	box := container.NewVBox(c.Mode, c.PublicKey,
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Private key file (analyst's laptop only)")), container.NewHBox(pickKey, forget), c.IdentityFile),
		container.NewHBox(c.Save), c.Message, widget.NewSeparator(), atRest, c.Disk)
	return widget.NewCard(lang.L("Encryption"), lang.L("Bundles, backups and exports carry personal answers off this laptop: they are encrypted."), box), c, nil
}

func (c *EncryptionCard) showKey() {
	if c.Mode.Selected == settingsModes()[1] {
		c.PublicKey.Show()
	} else {
		c.PublicKey.Hide()
	}
}

func (c *EncryptionCard) showIdentity() {
	if c.identity == "" {
		c.IdentityFile.SetText(lang.L("None: this laptop cannot open files encrypted to the public key."))
		return
	}
	c.IdentityFile.SetText(c.identity)
}

func (c *EncryptionCard) say(err error) {
	c.Message.SetText(err.Error())
	c.Message.Importance = widget.DangerImportance
	c.Message.Refresh()
}

// SaveChoice stores the mode, public key and private key file chosen.
func (c *EncryptionCard) SaveChoice() error {
	choice := encryption.Choice{IdentityFile: c.identity}
	for i, o := range settingsModes() {
		if o == c.Mode.Selected {
			choice.Mode = settingsModeValues[i]
		}
	}
	if choice.Mode == encryption.PublicKey {
		choice.PublicKey = c.PublicKey.Text
	}
	if err := encryption.SaveChoice(c.ctx, c.store, choice); err != nil {
		c.say(err)
		return err
	}
	if err := c.store.Audit(c.ctx, staffActor(), "encryption-setting", string(choice.Mode), ""); err != nil {
		c.say(err)
		return err
	}
	c.Message.SetText(lang.L("Saved."))
	c.Message.Importance = widget.SuccessImportance
	c.Message.Refresh()
	return nil
}
