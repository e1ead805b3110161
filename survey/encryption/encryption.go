// Package encryption protects the personal data in files that leave the
// laptop — bundles, backups and CSV exports — with age
// (age-encryption.org/v1): to a shared passphrase (scrypt) or to an
// analyst's public key (X25519), authenticated chunk by chunk.
//
// It works on finished plain files and knows nothing of surveys: WriteSealed
// lets the usual writer make the plain file in a private temporary folder
// and encrypts it to its destination; WithOpened decrypts a file completely
// into a private temporary folder — so that a flipped bit, a truncation or
// another key is refused before the reader sees a byte — hands it to the
// usual checks and removes it afterwards. Plain files pass through, so old
// plain bundles keep working.
package encryption

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"

	"canvass/survey/userfile"
)

// Ext is the file name ending of encrypted exports and backups
// (export.csv.age, canvass-backup-….db.age). Bundles keep .canvass: Canvass
// tells an encrypted bundle by its content.
const Ext = ".age"

// magic starts every age file.
const magic = "age-encryption.org/v1\n"

// MinPassphrase is the shortest passphrase Seal accepts for new files.
const MinPassphrase = 10

var (
	// ErrNeedKey: the file is encrypted and no passphrase or key was given.
	ErrNeedKey = errors.New("the file is encrypted")
	// ErrWrongKey: the passphrase or key given is not the one the file was encrypted with.
	ErrWrongKey = errors.New("wrong passphrase or key (or the file's key block was damaged)")
	// ErrDamaged: the encrypted file was changed or cut short after it was written.
	ErrDamaged = errors.New("the encrypted file is damaged or incomplete")
)

// scryptWorkFactor is the scrypt cost (log2 N) of new passphrase files; 0
// keeps age's default. Tests lower it.
var scryptWorkFactor = 0

// Lock says how new files are encrypted: to a passphrase or to recipients'
// public keys. The zero Lock means "do not encrypt".
type Lock struct {
	passphrase string
	recipients []age.Recipient
	keys       []string // the recipients as given, for Describe
}

// PassphraseLock encrypts to a shared passphrase of at least MinPassphrase characters.
func PassphraseLock(passphrase string) (Lock, error) {
	if n := len([]rune(passphrase)); n < MinPassphrase {
		return Lock{}, fmt.Errorf("the passphrase has %d characters; use at least %d", n, MinPassphrase)
	}
	return Lock{passphrase: passphrase}, nil
}

// RecipientLock encrypts to the public keys given ("age1…"): only the
// holders of the matching private keys can open the files, not even the
// laptop that wrote them.
func RecipientLock(keys ...string) (Lock, error) {
	var l Lock
	for _, k := range keys {
		k = strings.TrimSpace(k)
		if k == "" {
			continue
		}
		if strings.HasPrefix(strings.ToUpper(k), "AGE-SECRET-KEY-") {
			return Lock{}, errors.New("that is a private key: give the public key (age1…), and keep the private key secret")
		}
		rs, err := age.ParseRecipients(strings.NewReader(k))
		if err != nil || len(rs) != 1 {
			return Lock{}, fmt.Errorf("public key %q: not an age public key (it starts with age1; make one with canvass keygen)", shorten(k))
		}
		l.recipients = append(l.recipients, rs[0])
		l.keys = append(l.keys, k)
	}
	if len(l.recipients) == 0 {
		return Lock{}, errors.New("no public key given")
	}
	return l, nil
}

// IsZero reports whether l encrypts nothing (plain files).
func (l Lock) IsZero() bool { return l.passphrase == "" && len(l.recipients) == 0 }

// Passphrase returns the passphrase of a passphrase lock, for the one
// other encryption Canvass writes with it: an Excel workbook's password.
func (l Lock) Passphrase() (string, bool) { return l.passphrase, l.passphrase != "" }

// Describe says in a few words what opens files sealed with l.
func (l Lock) Describe() string {
	switch {
	case l.passphrase != "":
		return "the shared passphrase"
	case len(l.keys) == 1:
		return "the private key of " + shorten(l.keys[0])
	case len(l.keys) > 1:
		return fmt.Sprintf("the private key of any of %d public keys", len(l.keys))
	}
	return "nothing: it is not encrypted"
}

func (l Lock) ageRecipients() ([]age.Recipient, error) {
	if l.passphrase == "" {
		return l.recipients, nil
	}
	r, err := age.NewScryptRecipient(l.passphrase)
	if err != nil {
		return nil, err
	}
	if scryptWorkFactor > 0 {
		r.SetWorkFactor(scryptWorkFactor)
	}
	return []age.Recipient{r}, nil
}

// Key opens encrypted files: a passphrase or private keys (identities).
// The zero Key opens only plain files.
type Key struct {
	passphrase string
	identities []age.Identity
}

// PassphraseKey opens files sealed with the passphrase.
func PassphraseKey(passphrase string) Key { return Key{passphrase: passphrase} }

// IdentityKey opens files sealed to the public keys of the private keys in
// text, in the format canvass keygen (and age-keygen) writes: one
// AGE-SECRET-KEY-1… line each, "#" comments and blank lines ignored.
func IdentityKey(text string) (Key, error) {
	ids, err := age.ParseIdentities(strings.NewReader(text))
	if err != nil {
		// age's message may quote the line: never show a secret.
		return Key{}, errors.New("not an age private key file (make one with canvass keygen)")
	}
	return Key{identities: ids}, nil
}

// IsZero reports whether k opens only plain files.
func (k Key) IsZero() bool { return k.passphrase == "" && len(k.identities) == 0 }

func (k Key) ageIdentities() ([]age.Identity, error) {
	if k.passphrase == "" {
		return k.identities, nil
	}
	id, err := age.NewScryptIdentity(k.passphrase)
	if err != nil {
		return nil, err
	}
	return append([]age.Identity{id}, k.identities...), nil
}

// Seal encrypts everything read from src to dst with lock, streaming.
func Seal(dst io.Writer, src io.Reader, lock Lock) error {
	if lock.IsZero() {
		return errors.New("encrypt: no passphrase or public key given")
	}
	rs, err := lock.ageRecipients()
	if err != nil {
		return fmt.Errorf("encrypt: %w", err)
	}
	w, err := age.Encrypt(dst, rs...)
	if err != nil {
		return fmt.Errorf("encrypt: %w", err)
	}
	if _, err := io.Copy(w, src); err != nil {
		return fmt.Errorf("encrypt: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("encrypt: %w", err)
	}
	return nil
}

// Unseal decrypts src to dst with key. Output may have been written when it
// fails: write to a file that is discarded on error.
func Unseal(dst io.Writer, src io.Reader, key Key) error {
	ids, err := key.ageIdentities()
	if err != nil {
		return err
	}
	br := bufio.NewReader(src)
	if head, _ := br.Peek(len(magic)); string(head) != magic {
		return fmt.Errorf("%w: it is not an age file", ErrDamaged)
	}
	if len(ids) == 0 {
		return needKey(br)
	}
	r, err := age.Decrypt(br, ids...)
	if err != nil {
		var nomatch *age.NoIdentityMatchError
		if errors.As(err, &nomatch) {
			return wrongKey(nomatch.StanzaTypes, key)
		}
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if _, err := io.Copy(dst, r); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return err // our own write failed, not the file
		}
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return nil
}

// needKey says what the encrypted file in r wants.
func needKey(r io.Reader) error {
	if passphraseFile(r) {
		return fmt.Errorf("%w with a passphrase: give the passphrase", ErrNeedKey)
	}
	return fmt.Errorf("%w to a public key: give the matching private key file", ErrNeedKey)
}

// passphraseFile reports whether the age header in r is for a passphrase.
func passphraseFile(r io.Reader) bool {
	hdr, err := age.ExtractHeader(io.LimitReader(r, 64<<10))
	return err == nil && bytes.Contains(hdr, []byte("\n-> scrypt "))
}

func wrongKey(stanzas []string, key Key) error {
	for _, t := range stanzas {
		if t == "scrypt" {
			if key.passphrase == "" {
				return fmt.Errorf("%w: it was encrypted with a passphrase, not to a key: give the passphrase", ErrWrongKey)
			}
			return fmt.Errorf("%w: it was encrypted with another passphrase", ErrWrongKey)
		}
	}
	if len(key.identities) == 0 {
		return fmt.Errorf("%w: it was encrypted to a public key, not with a passphrase: give the matching private key file", ErrWrongKey)
	}
	return fmt.Errorf("%w: it was encrypted to another public key; this private key cannot open it (the laptop that wrote it cannot either)", ErrWrongKey)
}

// IsSealed reports whether the file at path is age-encrypted, from its
// first bytes.
func IsSealed(path string) (bool, error) {
	f, err := userfile.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	if err := regular(f, path); err != nil {
		return false, err
	}
	head := make([]byte, len(magic))
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, err
	}
	return string(head[:n]) == magic, nil
}

// NeedsPassphrase reports whether the encrypted file at path opens with a
// passphrase (rather than a private key), so a front end knows what to ask.
func NeedsPassphrase(path string) (bool, error) {
	f, err := userfile.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	return passphraseFile(f), nil
}

// regular refuses anything but a regular file (a FIFO would hang, a device never end).
func regular(f *os.File, path string) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	return nil
}

// WithOpened calls use with the path of a plain copy of the file at path:
// the file itself when it is plain, otherwise a copy decrypted with key
// into a private temporary folder (only its owner can read it), which is
// removed when use returns. The whole file is decrypted and authenticated
// first: damage, truncation or a wrong key fail before use is called.
func WithOpened(path string, key Key, use func(plain string) error) error {
	sealed, err := IsSealed(path)
	if err != nil {
		return err
	}
	if !sealed {
		return use(path)
	}
	dir, err := userfile.PrivateDir()
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	plain := filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), Ext))
	if err := unsealFile(path, plain, key); err != nil {
		return fmt.Errorf("%s: %w; nothing was read from it", path, err)
	}
	return renamed(use(plain), plain, path)
}

func unsealFile(src, dst string, key Key) error {
	in, err := userfile.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := regular(in, src); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	err = Unseal(bw, bufio.NewReaderSize(in, 1<<20), key)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// WriteSealed makes an encrypted file at dest: write makes the plain file
// at the path it is given, in a private temporary folder, under dest's
// name without .age; it is then encrypted with lock into a temporary file
// beside dest, flushed and moved into place, and the plain file removed.
// dest must be a new path or a regular file (which is replaced).
func WriteSealed(dest string, lock Lock, write func(plain string) error) error {
	if err := CheckDestination(dest); err != nil {
		return err
	}
	dir, err := userfile.PrivateDir()
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	plain := filepath.Join(dir, strings.TrimSuffix(filepath.Base(dest), Ext))
	if err := write(plain); err != nil {
		return renamed(err, plain, dest)
	}
	return SealFile(plain, dest, lock)
}

// CheckDestination refuses a destination that is neither a new path nor a
// regular file: a folder, a device, a FIFO.
func CheckDestination(dest string) error {
	fi, err := os.Lstat(dest)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s exists and is not a regular file: choose a new file name", dest)
	}
	return nil
}

// CheckNew refuses a destination that exists already (fs.ErrExist).
func CheckNew(dest string) error {
	if _, err := os.Lstat(dest); err == nil {
		return fs.ErrExist
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// SealFile encrypts the plain file at src with lock to dest through the
// shared partial-file writer (userfile.WriteAtomic): a locked file beside
// dest, readable by its owner only, flushed and then moved into place; one
// left by a run killed part-way is removed by the next writer there.
func SealFile(src, dest string, lock Lock) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("encrypt to %s: %w", dest, err)
		}
	}()
	if err := CheckDestination(dest); err != nil {
		return err
	}
	in, err := userfile.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return userfile.WriteAtomic(context.Background(), dest, nil, func(w io.Writer) error {
		return Seal(w, bufio.NewReaderSize(in, 1<<20), lock)
	})
}

// shorten keeps the start and end of a long key for messages.
func shorten(k string) string {
	if len(k) <= 24 {
		return k
	}
	return k[:12] + "…" + k[len(k)-6:]
}

// renamed makes err's message name shown instead of the private temporary
// path; errors.Is and errors.As still see the original error.
func renamed(err error, private, shown string) error {
	if err == nil || !strings.Contains(err.Error(), private) {
		return err
	}
	return pathSwapError{err: err, private: private, shown: shown}
}

type pathSwapError struct {
	err            error
	private, shown string
}

func (e pathSwapError) Error() string {
	return strings.ReplaceAll(e.err.Error(), e.private, e.shown)
}

func (e pathSwapError) Unwrap() error { return e.err }
