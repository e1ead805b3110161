package encryption

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	scryptWorkFactor = 10 // fast tests; real files use age's default
	os.Exit(m.Run())
}

const testPassphrase = "correct horse battery staple"

// plainText is larger than age's 64 KiB chunks, so damage can hit any chunk.
var plainText = bytes.Repeat([]byte("Jo Bloggs, 07700 900123, jo@example.org\n"), 5000)

func mustPassphrase(t *testing.T, p string) Lock {
	t.Helper()
	l, err := PassphraseLock(p)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func mustKeyPair(t *testing.T) (Lock, Key) {
	t.Helper()
	kp, err := NewKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	l, err := RecipientLock(kp.Public)
	if err != nil {
		t.Fatal(err)
	}
	k, err := IdentityKey(kp.Private)
	if err != nil {
		t.Fatal(err)
	}
	return l, k
}

// sealTo writes plainText sealed with lock to a file and returns its path.
func sealTo(t *testing.T, lock Lock) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "plain")
	if err := os.WriteFile(src, plainText, 0o600); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "sealed.age")
	if err := SealFile(src, dst, lock); err != nil {
		t.Fatal(err)
	}
	return dst
}

// errRefused accepts ErrWrongKey or ErrDamaged.
var errRefused = errors.New("refused")

func readFile(p string) []byte {
	b, _ := os.ReadFile(p)
	return b
}

// open runs WithOpened and returns what use saw (nil when it was not called).
func open(path string, key Key) ([]byte, error) {
	var got []byte
	err := WithOpened(path, key, func(plain string) error {
		var err error
		got, err = os.ReadFile(plain)
		return err
	})
	return got, err
}

func TestRoundTrip(t *testing.T) {
	lock, key := mustKeyPair(t)
	for _, tc := range []struct {
		name string
		lock Lock
		key  Key
	}{
		{"passphrase", mustPassphrase(t, testPassphrase), PassphraseKey(testPassphrase)},
		{"public key", lock, key},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := sealTo(t, tc.lock)
			raw, _ := os.ReadFile(path)
			if bytes.Contains(raw, []byte("Bloggs")) {
				t.Fatal("the sealed file holds the plain text")
			}
			if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
				t.Errorf("sealed file mode %v, want 0600", fi.Mode().Perm())
			}
			if ok, err := IsSealed(path); !ok || err != nil {
				t.Fatalf("IsSealed = %v, %v", ok, err)
			}
			var seen string
			err := WithOpened(path, tc.key, func(plain string) error {
				seen = plain
				fi, err := os.Stat(plain)
				if err != nil {
					return err
				}
				if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
					t.Errorf("decrypted copy mode %v, want 0600", fi.Mode().Perm())
				}
				if !strings.HasPrefix(plain, os.TempDir()) {
					t.Errorf("decrypted copy at %s, want it in the system temp folder", plain)
				}
				got, err := os.ReadFile(plain)
				if !bytes.Equal(got, plainText) {
					t.Error("decrypted text differs")
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Dir(seen)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the decrypted copy's folder is still there: %v", err)
			}
		})
	}
}

func TestRefused(t *testing.T) {
	lock, key := mustKeyPair(t)
	_, otherKey := mustKeyPair(t)
	pass := sealTo(t, mustPassphrase(t, testPassphrase))
	pub := sealTo(t, lock)
	size := func(p string) int64 { fi, _ := os.Stat(p); return fi.Size() }

	damaged := func(src string, change func([]byte) []byte) string {
		b, _ := os.ReadFile(src)
		p := filepath.Join(t.TempDir(), "damaged")
		if err := os.WriteFile(p, change(bytes.Clone(b)), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flip := func(at int64) func([]byte) []byte {
		return func(b []byte) []byte { b[at] ^= 0x10; return b }
	}
	cut := func(n int64) func([]byte) []byte { return func(b []byte) []byte { return b[:n] } }

	for _, tc := range []struct {
		name string
		path string
		key  Key
		want error
	}{
		{"wrong passphrase", pass, PassphraseKey("not the passphrase at all"), ErrWrongKey},
		{"key for a passphrase file", pass, key, ErrWrongKey},
		{"no key for a passphrase file", pass, Key{}, ErrNeedKey},
		{"another private key", pub, otherKey, ErrWrongKey},
		{"passphrase for a key file", pub, PassphraseKey(testPassphrase), ErrWrongKey},
		{"no key for a key file", pub, Key{}, ErrNeedKey},
		// A flip in a key stanza may read as another key: refused either way.
		{"bit flipped in the key stanza", damaged(pub, flip(60)), key, errRefused},
		{"bit flipped in the header MAC", damaged(pub, flip(int64(bytes.Index(readFile(pub), []byte("\n---"))+6))), key, ErrDamaged},
		{"bit flipped in the first chunk", damaged(pass, flip(300)), PassphraseKey(testPassphrase), ErrDamaged},
		{"bit flipped in a middle chunk", damaged(pass, flip(size(pass)/2)), PassphraseKey(testPassphrase), ErrDamaged},
		{"bit flipped in the last byte", damaged(pub, flip(size(pub)-1)), key, ErrDamaged},
		{"truncated mid-chunk", damaged(pass, cut(size(pass)/2)), PassphraseKey(testPassphrase), ErrDamaged},
		{"truncated at a chunk end", damaged(pub, cut(size(pub)-(size(pub)-200)%(64*1024+16))), key, ErrDamaged},
		{"last byte cut", damaged(pub, cut(size(pub)-1)), key, ErrDamaged},
		{"header only", damaged(pub, func(b []byte) []byte { return b[:bytes.Index(b, []byte("\n---"))+60] }), key, ErrDamaged},
		{"bytes appended", damaged(pub, func(b []byte) []byte { return append(b, "x"...) }), key, ErrDamaged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := open(tc.path, tc.key)
			if !errors.Is(err, tc.want) && !(tc.want == errRefused && (errors.Is(err, ErrWrongKey) || errors.Is(err, ErrDamaged))) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if got != nil {
				t.Fatal("the reader was handed the file although it was refused")
			}
			if !strings.Contains(err.Error(), "nothing was read") {
				t.Errorf("message %q does not say nothing was read", err)
			}
		})
	}
}

func TestPlainPassesThrough(t *testing.T) {
	p := filepath.Join(t.TempDir(), "old.canvass")
	if err := os.WriteFile(p, []byte("SQLite format 3\x00rest"), 0o600); err != nil {
		t.Fatal(err)
	}
	var seen string
	if err := WithOpened(p, Key{}, func(plain string) error { seen = plain; return nil }); err != nil {
		t.Fatal(err)
	}
	if seen != p {
		t.Errorf("use got %s, want the plain file itself %s", seen, p)
	}
}

func TestWriteSealed(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "export.csv.age")
	var plainPath string
	err := WriteSealed(dest, mustPassphrase(t, testPassphrase), func(plain string) error {
		plainPath = plain
		if filepath.Base(plain) != "export.csv" {
			t.Errorf("plain file named %s, want export.csv", filepath.Base(plain))
		}
		return os.WriteFile(plain, plainText, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(plainPath); !errors.Is(err, os.ErrNotExist) {
		t.Error("the plain file was left behind")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("destination folder holds %d files, want only the sealed one", len(entries))
	}
	got, err := open(dest, PassphraseKey(testPassphrase))
	if err != nil || !bytes.Equal(got, plainText) {
		t.Fatalf("reopen: %v", err)
	}

	t.Run("writer fails", func(t *testing.T) {
		dest := filepath.Join(t.TempDir(), "b.canvass")
		err := WriteSealed(dest, mustPassphrase(t, testPassphrase), func(plain string) error {
			os.WriteFile(plain, plainText, 0o600)
			return errors.New("cannot write " + plain)
		})
		if err == nil || strings.Contains(err.Error(), os.TempDir()+string(filepath.Separator)+"canvass-private-") {
			t.Fatalf("err = %v: want a failure naming the destination, not the private copy", err)
		}
		if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
			t.Error("a failed write left a destination file")
		}
	})
	t.Run("special destinations", func(t *testing.T) {
		for _, dest := range []string{t.TempDir(), os.DevNull} {
			called := false
			err := WriteSealed(dest, mustPassphrase(t, testPassphrase), func(string) error { called = true; return nil })
			if err == nil || called {
				t.Errorf("%s: err = %v, writer called %v; want refused before writing", dest, err, called)
			}
		}
	})
}

func TestLocks(t *testing.T) {
	if _, err := PassphraseLock("short"); err == nil {
		t.Error("a 5-character passphrase was accepted")
	}
	kp, _ := NewKeyPair()
	for _, bad := range []string{"", "age1nope", kp.Private, "ssh-ed25519 AAAA"} {
		if _, err := RecipientLock(bad); err == nil {
			t.Errorf("RecipientLock(%q) accepted", bad)
		} else if strings.Contains(err.Error(), "AGE-SECRET-KEY") || len(bad) > 20 && strings.Contains(err.Error(), bad[len(bad)-6:]) {
			t.Errorf("the error repeats a private key: %v", err)
		}
	}
	if _, err := ParseRecipientArg(kp.Private); err == nil || strings.Contains(err.Error(), kp.Private) {
		t.Errorf("a private key given as recipient: %v", err)
	}
	if _, err := IdentityKey("AGE-SECRET-KEY-1NOTAKEY"); err == nil || strings.Contains(err.Error(), "NOTAKEY") {
		t.Errorf("a bad private key: %v", err)
	}
	var zero Lock
	if err := Seal(&bytes.Buffer{}, strings.NewReader("x"), zero); err == nil {
		t.Error("Seal with no lock did not fail")
	}
}

func TestSecretFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("passphrase", func(t *testing.T) {
		got, err := ReadPassphraseFile(write("pass", testPassphrase+"\r\nsecond line\n"))
		if err != nil || got != testPassphrase {
			t.Fatalf("got %q, %v", got, err)
		}
	})
	kp, _ := NewKeyPair()
	keyFile := filepath.Join(dir, "analyst.key")
	if err := WriteKeyFile(keyFile, kp, time.Now()); err != nil {
		t.Fatal(err)
	}
	t.Run("key file", func(t *testing.T) {
		if fi, _ := os.Stat(keyFile); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("key file mode %v", fi.Mode().Perm())
		}
		if _, err := ReadIdentityFile(keyFile); err != nil {
			t.Fatal(err)
		}
		if err := WriteKeyFile(keyFile, kp, time.Now()); err == nil {
			t.Error("an existing key file was replaced")
		}
		// The public key printed in the key file's comment is a recipient file too.
		if _, err := ParseRecipientArg(write("pub", "# analyst\n"+kp.Public+"\n")); err != nil {
			t.Error(err)
		}
		if _, err := ParseRecipientArg(keyFile); err == nil {
			t.Error("a private key file was accepted as a public key file")
		}
	})
	bad := []struct{ name, path string }{
		{"empty first line", write("empty", "\nsecret\n")},
		{"too large", write("big", strings.Repeat("x", 1<<20))},
		{"missing", filepath.Join(dir, "nope")},
		{"folder", dir},
	}
	if runtime.GOOS != "windows" {
		bad = append(bad, struct{ name, path string }{"device", "/dev/zero"})
		fifo := filepath.Join(dir, "fifo")
		if err := syscall.Mkfifo(fifo, 0o600); err == nil {
			bad = append(bad, struct{ name, path string }{"fifo", fifo})
		}
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan error, 3)
			go func() {
				_, err1 := ReadPassphraseFile(tc.path)
				_, err2 := ReadIdentityFile(tc.path)
				_, err3 := ParseRecipientArg(tc.path)
				done <- errors.Join(nilIf(err1), nilIf(err2), nilIf(err3))
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("reading a secret file hangs")
			}
		})
	}
}

// nilIf turns "it failed" (wanted) into nil and "it succeeded" into an error.
func nilIf(err error) error {
	if err == nil {
		return errors.New("accepted")
	}
	return nil
}

// FuzzOpenDamaged mutates a sealed file: it is either refused, or (when the
// mutation is a no-op) reads back exactly; it never yields other content.
func FuzzOpenDamaged(f *testing.F) {
	scryptWorkFactor = 10
	kp, _ := NewKeyPair()
	lock, _ := RecipientLock(kp.Public)
	key, _ := IdentityKey(kp.Private)
	small := bytes.Repeat([]byte("answer;"), 20000)
	var sealed bytes.Buffer
	if err := Seal(&sealed, bytes.NewReader(small), lock); err != nil {
		f.Fatal(err)
	}
	f.Add(uint32(100), uint8(1), uint32(0), []byte{})
	f.Add(uint32(70000), uint8(0x80), uint32(0), []byte{})
	f.Add(uint32(0), uint8(0), uint32(1000), []byte{})
	f.Add(uint32(5), uint8(0), uint32(0), []byte("xx"))
	f.Fuzz(func(t *testing.T, at uint32, mask uint8, cut uint32, insert []byte) {
		b := bytes.Clone(sealed.Bytes())
		i := int(at) % len(b)
		b[i] ^= mask
		if c := int(cut) % len(b); c > 0 {
			b = b[:len(b)-c]
		}
		if len(insert) > 0 {
			j := int(at) % len(b)
			b = append(b[:j], append(bytes.Clone(insert), b[j:]...)...)
		}
		var out bytes.Buffer
		err := Unseal(&out, bytes.NewReader(b), key)
		if err == nil && !bytes.Equal(out.Bytes(), small) {
			t.Fatal("a changed file decrypted to other content without an error")
		}
		if err != nil && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrWrongKey) {
			t.Fatalf("unexpected kind of error: %v", err)
		}
	})
}

// FuzzKeyFiles feeds arbitrary text to the key parsers: no panic, and an
// error never repeats the text (it may be a secret).
func FuzzKeyFiles(f *testing.F) {
	kp, _ := NewKeyPair()
	f.Add(kp.Private)
	f.Add("# created\n# public key: " + kp.Public + "\n" + kp.Private + "\n")
	f.Add(kp.Public)
	f.Add("AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ")
	f.Fuzz(func(t *testing.T, text string) {
		if _, err := IdentityKey(text); err != nil && len(text) > 12 && strings.Contains(err.Error(), text) {
			t.Fatalf("the error repeats the key text: %v", err)
		}
		if _, err := RecipientLock(text); err != nil && strings.HasPrefix(text, "AGE-SECRET-KEY-") && len(text) > 30 && strings.Contains(err.Error(), text) {
			t.Fatalf("the error repeats a private key: %v", err)
		}
	})
}

// SealFile writes through the shared partial-file writer: what a run killed
// part-way left beside the destination (a partial file, or an earlier
// version's ".NAME.age.123.tmp") is removed, and a failed encryption leaves
// nothing beside it.
func TestSealFileCleansLeftovers(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "plain")
	if err := os.WriteFile(src, plainText, 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "bundle.canvass.age")
	leftovers := []string{
		filepath.Join(filepath.Dir(out), ".bundle.canvass.age.canvass-partial-0123456789ab"),
		filepath.Join(filepath.Dir(out), ".bundle.canvass.age.4012345678.tmp"),
	}
	for _, p := range leftovers {
		if err := os.WriteFile(p, []byte("sealed leftovers"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := SealFile(src, out, mustPassphrase(t, testPassphrase)); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "bundle.canvass.age" {
		t.Errorf("beside the sealed file: %v; want it alone", entries)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("sealed file: %v, %v; want mode 0600", fi, err)
	}
	got, err := open(out, PassphraseKey(testPassphrase))
	if err != nil || !bytes.Equal(got, plainText) {
		t.Errorf("sealed file opens to %d bytes, %v", len(got), err)
	}

	failed := filepath.Join(t.TempDir(), "failed.age")
	if err := SealFile(src, failed, Lock{}); err == nil {
		t.Fatal("sealing without a lock succeeded")
	}
	if entries, _ := os.ReadDir(filepath.Dir(failed)); len(entries) != 0 {
		t.Errorf("a failed seal left %v", entries)
	}
}
