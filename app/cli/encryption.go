package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"canvass/survey/encryption"

	"canvass/survey/userfile"
)

// Files that leave the laptop are encrypted (survey/encryption): bundle
// and export take the lock flags, merge and decrypt the key flags.
// Passphrases and private keys are read from files, never from the command
// line, where other users and the shell history would see them.

// lockFlags are the flags that say how a new file is encrypted.
type lockFlags struct {
	passphraseFile string
	recipient      string
	unencrypted    bool
}

func addLockFlags(fs *flag.FlagSet) *lockFlags {
	var f lockFlags
	fs.StringVar(&f.passphraseFile, "passphrase-file", "", "encrypt with the shared passphrase on the first line of this file")
	fs.StringVar(&f.recipient, "recipient", "", "encrypt to the analyst's public key (age1…, or a file of them): only the private key opens it")
	fs.BoolVar(&f.unencrypted, "unencrypted", false, "write a plain file that anyone who finds it can read (not recommended)")
	return &f
}

// lock returns the lock the flags give, or else the one this laptop's
// settings give (the analyst's public key); the zero Lock with
// --unencrypted. given is false when neither says anything.
func (f *lockFlags) lock(ctx context.Context, st encryption.Settings) (l encryption.Lock, given bool, err error) {
	n := 0
	for _, set := range []bool{f.passphraseFile != "", f.recipient != "", f.unencrypted} {
		if set {
			n++
		}
	}
	if n > 1 {
		return l, false, usagef("give only one of --passphrase-file, --recipient and --unencrypted")
	}
	switch {
	case f.unencrypted:
		return l, true, nil
	case f.passphraseFile != "":
		p, err := readPassphraseFlag("--passphrase-file", f.passphraseFile)
		if err != nil {
			return l, false, err
		}
		l, err = encryption.PassphraseLock(p)
		if err != nil {
			return l, false, badInput(fmt.Errorf("--passphrase-file %s: %w", f.passphraseFile, err))
		}
		return l, true, nil
	case f.recipient != "":
		l, err = encryption.ParseRecipientArg(f.recipient)
		if err != nil {
			return l, false, badInput(fmt.Errorf("--recipient: %w", err))
		}
		return l, true, nil
	}
	choice, err := encryption.LoadChoice(ctx, st)
	if err != nil {
		return l, false, err
	}
	if l, ok := choice.Lock(); ok {
		return l, true, nil
	}
	return l, false, nil
}

// needLock is the error for a file that must be encrypted when no flag and
// no setting says how.
func needLock(what, personal string) error {
	msg := what + " is encrypted: give --passphrase-file FILE (the shared passphrase) or --recipient KEY (the analyst's public key, from canvass keygen)"
	if personal != "" {
		msg += "; it holds answers to personal questions: " + personal
	}
	return usagef("%s; --unencrypted writes a plain file anyone can read", msg)
}

// warnPlain warns on stderr that a plain file with personal answers was asked for.
func warnPlain(env Env, what, personal string) {
	if personal == "" {
		personal = "none flagged personal, but free-text answers may still name people"
	}
	fmt.Fprintf(env.Stderr, "warning: %s is NOT encrypted: anyone who finds it can read it. Personal questions in it: %s\n", what, personal)
}

// keyFlags are the flags that give what opens encrypted files.
type keyFlags struct {
	passphraseFile string
	identity       string
}

func addKeyFlags(fs *flag.FlagSet) *keyFlags {
	var f keyFlags
	fs.StringVar(&f.passphraseFile, "passphrase-file", "", "open encrypted files with the passphrase on the first line of this file")
	fs.StringVar(&f.identity, "identity", "", "open encrypted files with the private key in this file (from canvass keygen)")
	return &f
}

// key returns the key the flags give, or else the private key file this
// laptop's settings name; the zero Key (plain files only) when none.
func (f *keyFlags) key(ctx context.Context, st encryption.Settings) (encryption.Key, error) {
	switch {
	case f.passphraseFile != "" && f.identity != "":
		return encryption.Key{}, usagef("give --passphrase-file or --identity, not both")
	case f.passphraseFile != "":
		p, err := readPassphraseFlag("--passphrase-file", f.passphraseFile)
		return encryption.PassphraseKey(p), err
	case f.identity != "":
		k, err := encryption.ReadIdentityFile(f.identity)
		if err != nil {
			return encryption.Key{}, badInput(fmt.Errorf("--identity: %w", err))
		}
		return k, nil
	}
	if st == nil {
		return encryption.Key{}, nil
	}
	choice, err := encryption.LoadChoice(ctx, st)
	if err != nil || choice.IdentityFile == "" {
		return encryption.Key{}, err
	}
	k, err := encryption.ReadIdentityFile(choice.IdentityFile)
	if err != nil {
		return encryption.Key{}, badInput(fmt.Errorf("the private key file in Settings: %w", err))
	}
	return k, nil
}

// openAll decrypts every file (see encryption.WithOpened) before calling
// use with the plain copies, so that one refused file stops everything.
func openAll(files []string, key encryption.Key, use func(plain []string) error) error {
	var plains []string
	var next func(i int) error
	next = func(i int) error {
		if i == len(files) {
			return use(plains)
		}
		return encryption.WithOpened(files[i], key, func(plain string) error {
			plains = append(plains, plain)
			return next(i + 1)
		})
	}
	return next(0)
}

// readPassphraseFlag reads the passphrase or password file a flag names
// (bounded, regular files only).
func readPassphraseFlag(flagName, path string) (string, error) {
	p, err := encryption.ReadPassphraseFile(path)
	if err != nil {
		return "", badInput(fmt.Errorf("%s: %w", flagName, err))
	}
	return p, nil
}

// anySealed reports whether any of files is encrypted (unreadable ones
// count as not: opening them reports why).
func anySealed(files []string) bool {
	for _, f := range files {
		if sealed, err := encryption.IsSealed(f); err == nil && sealed {
			return true
		}
	}
	return false
}

// keyHint turns "no key given" into the flag to give.
func keyHint(err error) error {
	switch {
	case errors.Is(err, encryption.ErrNeedKey):
		return badInput(fmt.Errorf("%w (--passphrase-file FILE or --identity FILE)", err))
	case errors.Is(err, encryption.ErrWrongKey), errors.Is(err, encryption.ErrDamaged):
		return badInput(err)
	}
	return err
}

// sealedPath is where an age-encrypted copy of out goes: out itself when it
// ends in .age, out.age otherwise.
func sealedPath(out string) string {
	if strings.EqualFold(filepath.Ext(out), encryption.Ext) {
		return out
	}
	return out + encryption.Ext
}

// runKeygen writes a new key pair for the analyst.
func runKeygen(_ context.Context, env Env, args []string) error {
	fs := newFlags(env, "keygen")
	out := fs.String("out", "", "new file for the private key (kept on the analyst's laptop only)")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required: a new file for the private key")
	}
	kp, err := encryption.NewKeyPair()
	if err != nil {
		return err
	}
	if err := encryption.WriteKeyFile(*out, kp, time.Now()); err != nil {
		return badInput(err)
	}
	fmt.Fprintf(env.Stdout, "public key: %s\n", kp.Public)
	fmt.Fprintf(env.Stdout, "The private key is in %s (readable by you only). Keep it on this laptop and a safe copy elsewhere: without it nothing encrypted to the public key can be opened.\n", *out)
	fmt.Fprintln(env.Stdout, "Give the public key to every laptop (Settings → Encryption, or canvass bundle --recipient KEY); merge with --identity "+*out+".")
	return nil
}

// runDecrypt writes a plain copy of an encrypted export, bundle or backup.
func runDecrypt(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "decrypt")
	out := fs.String("out", "", "plain file to write (must not exist)")
	keys := addKeyFlags(fs)
	files, err := parseWithFiles(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usagef("give one encrypted file")
	}
	if *out == "" {
		return usagef("--out is required")
	}
	if _, err := os.Lstat(*out); err == nil {
		return badInput(fmt.Errorf("--out %s exists already: choose a new file", *out))
	}
	key, err := keys.key(ctx, nil)
	if err != nil {
		return err
	}
	if sealed, err := encryption.IsSealed(files[0]); err != nil {
		return badInput(err)
	} else if !sealed {
		return badInput(fmt.Errorf("%s is not encrypted", files[0]))
	}
	err = encryption.WithOpened(files[0], key, func(plain string) error {
		return copyNew(plain, *out)
	})
	if err != nil {
		return keyHint(err)
	}
	fmt.Fprintf(env.Stdout, "wrote %s (readable by you only)\n", *out)
	return nil
}

// copyNew copies src to the new file dst, readable by its owner only.
func copyNew(src, dst string) (err error) {
	in, err := userfile.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(dst)
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return out.Sync()
}
