package cli_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"canvass/survey/encryption"
	"canvass/survey/store"
)

// writeSecret writes a passphrase file.
func writeSecret(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pass.txt")
	if err := os.WriteFile(p, []byte(text+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// dbChecksum hashes a closed database's files: any change shows.
func dbChecksum(t *testing.T, db string) string {
	t.Helper()
	h := sha256.New()
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		f, err := os.Open(db + suffix)
		if err != nil {
			continue
		}
		io.WriteString(h, suffix)
		io.Copy(h, f)
		f.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

// settle opens and closes db for writing once, as merge does, so that
// later checksums compare like with like.
func settle(t *testing.T, db string) {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}

// damagedCopies writes a flipped-bit copy (at several places) and truncated
// copies of the file at path.
func damagedCopies(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := map[string]string{}
	write := func(name string, data []byte) {
		p := filepath.Join(dir, name+".canvass")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	for _, at := range []int{200, len(b) / 3, len(b) / 2, len(b) - 1} {
		c := bytes.Clone(b)
		c[at] ^= 0x04
		write("flipped-bit-at-"+itoa(at), c)
	}
	write("truncated-half", b[:len(b)/2])
	write("truncated-last-byte", b[:len(b)-1])
	return out
}

func TestEncryptedBundleWithPassphrase(t *testing.T) {
	// A temp folder of this test's own, so the check for decrypted copies
	// left behind sees only this test's files, not those of tests running
	// beside it.
	t.Setenv("TMPDIR", t.TempDir())
	laptop := demoDB(t, "engagement", 40, "11")
	other := demoDB(t, "engagement", 5, "12")
	central := filepath.Join(t.TempDir(), "central.db")
	pass := writeSecret(t, "the council's shared passphrase")
	wrong := writeSecret(t, "not the shared passphrase")
	bundle := filepath.Join(t.TempDir(), "laptop.canvass")

	code, out, errOut := runCLI(t, "", "bundle", "--db", laptop, "--out", bundle, "--passphrase-file", pass)
	if code != 0 {
		t.Fatalf("bundle: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "encrypted: opens with the shared passphrase") {
		t.Errorf("bundle said %q", out)
	}
	if sealed, _ := encryption.IsSealed(bundle); !sealed {
		t.Fatal("the bundle is not encrypted")
	}
	// The central database has data already, so "unchanged" means something.
	plainOther := filepath.Join(t.TempDir(), "other.canvass")
	if code, _, errOut := runCLI(t, "", "bundle", "--unencrypted", "--db", other, "--out", plainOther); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := runCLI(t, "", "merge", "--db", central, plainOther); code != 0 {
		t.Fatalf("merging an old plain bundle: %s", errOut)
	}
	before := dbChecksum(t, central)

	refused := map[string][]string{
		"wrong passphrase": {bundle, "--passphrase-file", wrong},
		"no passphrase":    {bundle},
		"a good plain bundle, then the encrypted one with the wrong passphrase": {plainOther, bundle, "--passphrase-file", wrong},
	}
	for name, p := range damagedCopies(t, bundle) {
		refused[name] = []string{p, "--passphrase-file", pass}
	}
	for name, args := range refused {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"merge", "--db", central}, args...)...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing merged", code, out)
			}
			if !strings.Contains(errOut, "nothing was merged") {
				t.Errorf("stderr %q", errOut)
			}
			if got := dbChecksum(t, central); got != before {
				t.Error("the database changed")
			}
		})
	}
	t.Run("the right passphrase", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", "merge", "--db", central, bundle, "--passphrase-file", pass)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if !strings.Contains(out, bundle+" (from device") || !strings.Contains(out, "40 new") {
			t.Errorf("merge said %q", out)
		}
		if n := countResponses(t, central); n != 45 {
			t.Errorf("central has %d responses, want 45", n)
		}
	})
	t.Run("no plain copy left behind", func(t *testing.T) {
		left, _ := filepath.Glob(filepath.Join(os.TempDir(), "canvass-private-*", "laptop.canvass"))
		if len(left) > 0 {
			t.Errorf("decrypted copies left: %v", left)
		}
		entries, _ := os.ReadDir(filepath.Dir(bundle))
		if len(entries) != 1 {
			t.Errorf("the bundle's folder holds %d files, want the bundle only", len(entries))
		}
	})
}

func TestEncryptedBundleForAnalystKey(t *testing.T) {
	laptop := demoDB(t, "engagement", 20, "21")
	analyst := filepath.Join(t.TempDir(), "analyst.db")
	keyFile := filepath.Join(t.TempDir(), "analyst.key")

	code, out, errOut := runCLI(t, "", "keygen", "--out", keyFile)
	if code != 0 {
		t.Fatalf("keygen: %s", errOut)
	}
	public := regexp.MustCompile(`age1[0-9a-z]+`).FindString(out)
	if public == "" {
		t.Fatalf("keygen printed no public key: %q", out)
	}
	if strings.Contains(out, "AGE-SECRET-KEY") {
		t.Error("keygen printed the private key")
	}
	if code, _, _ := runCLI(t, "", "keygen", "--out", keyFile); code != 2 {
		t.Error("keygen replaced an existing key file")
	}

	bundle := filepath.Join(t.TempDir(), "laptop.canvass")
	if code, _, errOut := runCLI(t, "", "bundle", "--db", laptop, "--out", bundle, "--recipient", public); code != 0 {
		t.Fatalf("bundle: %s", errOut)
	}
	settle(t, laptop)
	before := dbChecksum(t, laptop)
	t.Run("the laptop that wrote it cannot read it back", func(t *testing.T) {
		code, _, errOut := runCLI(t, "", "merge", "--db", laptop, bundle)
		if code != 2 || !strings.Contains(errOut, "private key") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		otherKey := filepath.Join(t.TempDir(), "other.key")
		runCLI(t, "", "keygen", "--out", otherKey)
		code, _, errOut = runCLI(t, "", "merge", "--db", laptop, bundle, "--identity", otherKey)
		if code != 2 || !strings.Contains(errOut, "another public key") {
			t.Errorf("with another key: exit %d, stderr %q", code, errOut)
		}
		code, _, errOut = runCLI(t, "", "merge", "--db", laptop, bundle, "--passphrase-file", writeSecret(t, "guessing a passphrase"))
		if code != 2 || !strings.Contains(errOut, "public key") {
			t.Errorf("with a passphrase: exit %d, stderr %q", code, errOut)
		}
		if dbChecksum(t, laptop) != before {
			t.Error("the laptop's database changed")
		}
	})
	t.Run("the analyst merges it", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", "merge", "--db", analyst, bundle, "--identity", keyFile)
		if code != 0 || !strings.Contains(out, "20 new") {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
	})
	t.Run("from the settings", func(t *testing.T) {
		ctx := context.Background()
		for db, c := range map[string]encryption.Choice{
			laptop:  {Mode: encryption.PublicKey, PublicKey: public},
			analyst: {Mode: encryption.PublicKey, PublicKey: public, IdentityFile: keyFile},
		} {
			st, err := store.Open(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if err := encryption.SaveChoice(ctx, st, c); err != nil {
				t.Fatal(err)
			}
			st.Close()
		}
		again := filepath.Join(t.TempDir(), "again.canvass")
		code, out, errOut := runCLI(t, "", "bundle", "--db", laptop, "--out", again)
		if code != 0 || !strings.Contains(out, "encrypted: opens with the private key of age1") {
			t.Fatalf("bundle with the key in Settings: exit %d: %s%s", code, out, errOut)
		}
		code, out, errOut = runCLI(t, "", "merge", "--db", analyst, again)
		if code != 0 || !strings.Contains(out, "20 already here") {
			t.Fatalf("merge with the key file in Settings: exit %d: %s%s", code, out, errOut)
		}
		// A plain bundle merges even when the key file named in Settings is gone.
		plain := filepath.Join(t.TempDir(), "plain.canvass")
		if code, _, errOut := runCLI(t, "", "bundle", "--db", laptop, "--out", plain, "--unencrypted"); code != 0 {
			t.Fatal(errOut)
		}
		os.Rename(keyFile, keyFile+".moved")
		defer os.Rename(keyFile+".moved", keyFile)
		if code, _, errOut := runCLI(t, "", "merge", "--db", analyst, plain); code != 0 {
			t.Errorf("plain bundle with the Settings key file gone: exit %d: %s", code, errOut)
		}
		if code, _, errOut := runCLI(t, "", "merge", "--db", analyst, again); code != 2 || !strings.Contains(errOut, "private key file in Settings") {
			t.Errorf("encrypted bundle with the Settings key file gone: exit %d: %s", code, errOut)
		}
	})
}

// TestStringsFindsNoAnswers runs the strings tool on a plain and an
// encrypted bundle: the demo's answers are in the one, none in the other.
func TestStringsFindsNoAnswers(t *testing.T) {
	tool, err := exec.LookPath("strings")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the strings tool (binutils) is missing")
		}
		t.Skip("the strings tool (binutils) is not installed")
	}
	laptop := demoDB(t, "engagement", 60, "31")
	_, responses := readResponses(t, laptop, "engagement")
	answers := map[string]bool{}
	for _, r := range responses {
		for _, v := range r.Answers {
			if len(v) >= 6 { // shorter ones are codes that turn up by chance
				answers[v] = true
			}
		}
	}
	if len(answers) < 20 {
		t.Fatalf("only %d distinct answers to look for", len(answers))
	}
	found := func(bundle string) int {
		out, err := exec.Command(tool, "-n", "4", bundle).Output()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for a := range answers {
			if bytes.Contains(out, []byte(a)) {
				n++
			}
		}
		return n
	}
	dir := t.TempDir()
	plain, sealed := filepath.Join(dir, "plain.canvass"), filepath.Join(dir, "sealed.canvass")
	if code, _, errOut := runCLI(t, "", "bundle", "--unencrypted", "--db", laptop, "--out", plain); code != 0 {
		t.Fatal(errOut)
	}
	pass := writeSecret(t, "strings must find nothing")
	if code, _, errOut := runCLI(t, "", "bundle", "--db", laptop, "--out", sealed, "--passphrase-file", pass); code != 0 {
		t.Fatal(errOut)
	}
	if n := found(plain); n == 0 {
		t.Fatal("strings finds no answers even in the plain bundle: the check cannot fail")
	}
	if n := found(sealed); n != 0 {
		t.Errorf("strings finds %d of %d answers in the encrypted bundle", n, len(answers))
	}
	raw, _ := os.ReadFile(sealed)
	if bytes.Contains(raw, []byte("strings must find nothing")) {
		t.Error("the passphrase is in the bundle")
	}
}

func TestBundleNeedsAChoice(t *testing.T) {
	laptop := demoDB(t, "engagement", 5, "41")
	out := filepath.Join(t.TempDir(), "b.canvass")
	t.Run("no choice", func(t *testing.T) {
		code, _, errOut := runCLI(t, "", "bundle", "--db", laptop, "--out", out)
		if code != 2 || !strings.Contains(errOut, "--passphrase-file") || !strings.Contains(errOut, "email") {
			t.Errorf("exit %d, stderr %q: want 2, the flags and the personal questions", code, errOut)
		}
		if _, err := os.Stat(out); err == nil {
			t.Error("a bundle was written")
		}
	})
	t.Run("unencrypted warns", func(t *testing.T) {
		code, _, errOut := runCLI(t, "", "bundle", "--db", laptop, "--out", out, "--unencrypted")
		if code != 0 || !strings.Contains(errOut, "NOT encrypted") || !strings.Contains(errOut, "email") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
	for name, args := range map[string][]string{
		"passphrase on the command line": {"--passphrase", "secret passphrase"},
		"two choices":                    {"--unencrypted", "--recipient", "age1qqq"},
		"short passphrase":               {"--passphrase-file", writeSecret(t, "short")},
		"private key as recipient":       {"--recipient", "AGE-SECRET-KEY-1QQQQ"},
		"passphrase file is a device":    {"--passphrase-file", os.DevNull},
		"database as output":             {"--passphrase-file", writeSecret(t, "a long enough passphrase"), "--out", laptop},
	} {
		t.Run(name, func(t *testing.T) {
			before := dbChecksum(t, laptop)
			args := append([]string{"bundle", "--db", laptop, "--out", filepath.Join(t.TempDir(), "x.canvass")}, args...)
			code, _, errOut := runCLI(t, "", args...)
			if code != 2 || errOut == "" {
				t.Errorf("exit %d, stderr %q", code, errOut)
			}
			if strings.Contains(errOut, "AGE-SECRET-KEY-1QQQQ") {
				t.Error("the error repeats the private key")
			}
			if dbChecksum(t, laptop) != before {
				t.Error("the database changed")
			}
		})
	}
}

func TestEncryptedExport(t *testing.T) {
	db := exportDB(t)
	pass := writeSecret(t, "analysts open this")
	dir := t.TempDir()
	t.Run("personal questions need a choice", func(t *testing.T) {
		out := filepath.Join(dir, "refused.csv")
		code, _, errOut := runCLI(t, "", "export", "--db", db, "--survey", "engagement", "--out", out)
		if code != 2 || !strings.Contains(errOut, "personal questions") || !strings.Contains(errOut, "email") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("no personal questions, no choice needed", func(t *testing.T) {
		out := filepath.Join(dir, "np.csv")
		if code, _, errOut := runCLI(t, "", "export", "--db", db, "--survey", "engagement", "--out", out, "--no-personal"); code != 0 || errOut != "" {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("unencrypted warns", func(t *testing.T) {
		out := filepath.Join(dir, "plain.csv")
		code, _, errOut := runCLI(t, "", "export", "--db", db, "--survey", "engagement", "--out", out, "--unencrypted")
		if code != 0 || !strings.Contains(errOut, "NOT encrypted") || !strings.Contains(errOut, "email") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("csv.age opens with canvass decrypt", func(t *testing.T) {
		out := filepath.Join(dir, "all.csv")
		code, stdout, errOut := runCLI(t, "", "export", "--db", db, "--survey", "engagement", "--out", out, "--passphrase-file", pass)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if !strings.Contains(stdout, out+".age") || !strings.Contains(stdout, "canvass decrypt") {
			t.Errorf("export said %q", stdout)
		}
		if _, err := os.Stat(out); err == nil {
			t.Error("a plain CSV was written")
		}
		opened := filepath.Join(dir, "opened.csv")
		if code, _, errOut := runCLI(t, "", "decrypt", out+".age", "--out", opened, "--passphrase-file", pass); code != 0 {
			t.Fatalf("decrypt: %s", errOut)
		}
		b, err := os.ReadFile(opened)
		if err != nil {
			t.Fatal(err)
		}
		recs := parseCSV(t, b)
		if len(recs) != 151 || !strings.Contains(strings.Join(recs[0], ","), "email") {
			t.Errorf("decrypted CSV: %d records, header %q", len(recs), recs[0])
		}
		if code, _, errOut := runCLI(t, "", "decrypt", out+".age", "--out", filepath.Join(dir, "x.csv"), "--passphrase-file", writeSecret(t, "a wrong passphrase")); code != 2 || !strings.Contains(errOut, "another passphrase") {
			t.Errorf("decrypt with a wrong passphrase: exit %d, %q", code, errOut)
		}
	})
	t.Run("workbook with a passphrase is password-protected", func(t *testing.T) {
		out := filepath.Join(dir, "all.xlsx")
		if code, _, errOut := runCLI(t, "", "export", "--db", db, "--survey", "engagement", "--out", out, "--passphrase-file", pass); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		b, _ := os.ReadFile(out)
		if !bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0}) { // an encrypted Office file is a CFB container
			t.Error("the workbook is not password-protected")
		}
	})
}
