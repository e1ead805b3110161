package app_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"canvass/app"
	"canvass/survey"
	"canvass/survey/encryption"
	"canvass/survey/store"
)

const sharedPassphrase = "the council's shared passphrase"

// unsetChoice clears a laptop's encryption setting, as on a new laptop.
func unsetChoice(t *testing.T, st *store.Store) {
	t.Helper()
	if err := encryption.SaveChoice(context.Background(), st, encryption.Choice{}); err != nil {
		t.Fatal(err)
	}
}

func TestBundleAsksForPassphrase(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	w := test.NewTempWindow(t, widget.NewLabel("home"))
	laptop := mergeLaptop(t, "laptop", 3)
	central := mergeLaptop(t, "central", 0)
	unsetChoice(t, laptop)
	unsetChoice(t, central)

	d := app.ShowExportBundle(ctx, w, laptop)
	path := filepath.Join(t.TempDir(), "laptop.canvass")
	d.ExportTo(path)
	choice := d.Secrets.Prompt
	if choice == nil || choice.Mode == nil {
		t.Fatal("the first bundle did not ask how to encrypt")
	}
	test.Tap(choice.OK)
	if !strings.Contains(choice.Message.Text, "Choose one") {
		t.Errorf("no choice made: message %q", choice.Message.Text)
	}
	choice.Mode.SetSelected(choice.Mode.Options[0]) // the shared passphrase
	test.Tap(choice.OK)
	pass := d.Secrets.Prompt
	if pass == choice || pass.Again == nil {
		t.Fatal("no passphrase asked (twice) after choosing a passphrase")
	}
	test.Type(pass.Passphrase, sharedPassphrase)
	test.Type(pass.Again, sharedPassphrase+"!")
	test.Tap(pass.OK)
	if !strings.Contains(pass.Message.Text, "not the same") {
		t.Errorf("two different passphrases: message %q", pass.Message.Text)
	}
	pass.Again.SetText(sharedPassphrase)
	test.Tap(pass.OK)
	d.Wait()
	if d.Err != nil || !strings.Contains(d.Message.Text, "shared passphrase") {
		t.Fatalf("export: %v, message %q", d.Err, d.Message.Text)
	}
	if sealed, _ := encryption.IsSealed(path); !sealed {
		t.Fatal("the bundle is not encrypted")
	}
	if c, _ := encryption.LoadChoice(ctx, laptop); c.Mode != encryption.Passphrase {
		t.Errorf("the choice was not kept: %+v", c)
	}
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte("laptop reason")) || bytes.Contains(raw, []byte(sharedPassphrase)) {
		t.Error("the bundle holds an answer or the passphrase in the clear")
	}

	m := app.ShowMerge(ctx, w, central, nil)
	if err := m.AddFile(path); err != nil {
		t.Fatal(err)
	}
	open := m.Secrets.Prompt
	if open == nil || open.Again != nil {
		t.Fatal("merge did not ask for the passphrase (once)")
	}
	test.Type(open.Passphrase, "a wrong passphrase")
	test.Tap(open.OK)
	m.Secrets.Wait()
	if !strings.Contains(open.Message.Text, "another passphrase") || len(m.Files()) != 0 {
		t.Errorf("wrong passphrase: message %q, files %v", open.Message.Text, m.Files())
	}
	open.Passphrase.SetText(sharedPassphrase)
	test.Tap(open.OK)
	m.Secrets.Wait()
	if got := m.Files(); len(got) != 1 || got[0] != path {
		t.Fatalf("files after the right passphrase: %v (message %q)", got, open.Message.Text)
	}
	if err := m.Merge(); err != nil {
		t.Fatal(err)
	}
	m.Wait()
	if n := countAll(t, central); n != 3 {
		t.Errorf("central has %d responses, want 3 (report %q)", n, m.ReportText())
	}
}

func TestMergeRefusesDamagedBundle(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	w := test.NewTempWindow(t, widget.NewLabel("home"))
	laptop := mergeLaptop(t, "laptop", 2)
	central := mergeLaptop(t, "central", 0)
	d := app.ShowExportBundle(ctx, w, laptop)
	path := filepath.Join(t.TempDir(), "b.canvass")
	d.ExportTo(path)
	d.Wait()
	if d.Err != nil {
		t.Fatal(d.Err)
	}
	raw, _ := os.ReadFile(path)
	raw[len(raw)/2] ^= 1
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	m := app.ShowMerge(ctx, w, central, nil)
	if err := m.AddFile(path); !errors.Is(err, encryption.ErrDamaged) || !strings.Contains(m.Message.Text, "damaged") {
		t.Errorf("AddFile of a flipped bit: %v, message %q", err, m.Message.Text)
	}
	if len(m.Files()) != 0 {
		t.Error("the damaged bundle was listed")
	}
}

func TestEncryptedBackupRestores(t *testing.T) {
	// A temp folder of this test's own, so the check for decrypted copies
	// left behind sees only this test's files.
	t.Setenv("TMPDIR", t.TempDir())
	r := newStaffRig(t)
	r.saveSurvey(parkSurvey())
	kept := r.respond("park", survey.StatusComplete, survey.Answers{"visit": "yes", "why": "the pond is lovely"})
	lock, err := encryption.PassphraseLock(sharedPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	backup, err := r.home.Backups().BackupTo(t.TempDir(), lock)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(backup, ".db.age") {
		t.Errorf("encrypted backup named %s", backup)
	}
	if raw, _ := os.ReadFile(backup); bytes.Contains(raw, []byte("the pond is lovely")) {
		t.Error("the backup holds an answer in the clear")
	}
	lost := r.respond("park", survey.StatusComplete, survey.Answers{"visit": "no"})

	r.home.EnableRestore() // as Run does
	raw, _ := os.ReadFile(backup)
	damaged := map[string][]byte{"flipped": bytes.Clone(raw), "truncated": raw[:len(raw)-10]}
	damaged["flipped"][len(raw)-5] ^= 0x20
	refused := map[string]struct {
		path string
		key  encryption.Key
	}{
		"wrong passphrase": {backup, encryption.PassphraseKey("not the passphrase")},
		"no passphrase":    {backup, encryption.Key{}},
	}
	for name, b := range damaged {
		p := filepath.Join(t.TempDir(), name+".db.age")
		os.WriteFile(p, b, 0o600)
		refused[name] = struct {
			path string
			key  encryption.Key
		}{p, encryption.PassphraseKey(sharedPassphrase)}
	}
	for name, c := range refused {
		t.Run(name, func(t *testing.T) {
			if _, err := r.home.Backups().Restore(c.path, c.key); err == nil {
				t.Fatal("restored")
			}
			if r.home.Store() != r.st {
				t.Fatal("the database was replaced")
			}
			if _, err := r.st.Response(r.ctx, lost.ID); err != nil {
				t.Errorf("the current data changed: %v", err)
			}
		})
	}
	if _, err := r.home.Backups().Restore(backup, encryption.PassphraseKey(sharedPassphrase)); err != nil {
		t.Fatal(err)
	}
	reopened := r.home.Store()
	if reopened == r.st {
		t.Fatal("the store was not reopened")
	}
	t.Cleanup(func() { reopened.Close() })
	if _, err := reopened.Response(r.ctx, kept.ID); err != nil {
		t.Errorf("response from before the backup: %v", err)
	}
	if _, err := reopened.Response(r.ctx, lost.ID); err == nil {
		t.Error("response made after the backup survived the restore")
	}
	if left, _ := filepath.Glob(filepath.Join(os.TempDir(), "canvass-private-*", filepath.Base(strings.TrimSuffix(backup, ".age")))); len(left) > 0 {
		t.Errorf("decrypted copies left behind: %v", left)
	}
}

func TestEncryptionSettings(t *testing.T) {
	r := newStaffRig(t)
	s, err := r.home.ShowSettings()
	if err != nil {
		t.Fatal(err)
	}
	c := s.Encryption
	if strings.Contains(c.Disk.Text, "checking") || !strings.Contains(c.Disk.Text, "disk") {
		t.Errorf("disk status %q", c.Disk.Text)
	}
	if c.PublicKey.Visible() {
		t.Error("the public key entry shows before the key choice")
	}
	c.Mode.SetSelected(c.Mode.Options[1])
	if !c.PublicKey.Visible() {
		t.Error("the public key entry is hidden with the key choice")
	}
	c.PublicKey.SetText("age1notakey")
	if err := c.SaveChoice(); err == nil || !strings.Contains(c.Message.Text, "not an age public key") {
		t.Errorf("a bad key saved: %v, message %q", err, c.Message.Text)
	}
	c.PublicKey.SetText(analystKey.Public)
	test.Tap(c.Save)
	got, err := encryption.LoadChoice(r.ctx, r.st)
	if err != nil || got.Mode != encryption.PublicKey || got.PublicKey != analystKey.Public {
		t.Errorf("stored choice %+v, %v", got, err)
	}
	if a := r.lastAudit(); a.Action != "encryption-setting" {
		t.Errorf("audit %+v", a)
	}
}
