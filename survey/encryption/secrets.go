package encryption

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"filippo.io/age"

	"canvass/survey/userfile"
)

// Secret files are read with a size limit, and only when they are regular
// files: /dev/zero or a FIFO given by mistake is refused, not read forever.
const (
	maxPassphraseFile = 4 << 10
	maxKeyFile        = 64 << 10
)

// readSmallFile reads a regular file of at most limit bytes.
func readSmallFile(path string, limit int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := userfile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d KiB: not a passphrase or key file", path, limit>>10)
	}
	return b, nil
}

// ReadPassphraseFile reads a passphrase from the first line of a file (a
// trailing \r is dropped), refusing an empty one.
func ReadPassphraseFile(path string) (string, error) {
	b, err := readSmallFile(path, maxPassphraseFile)
	if err != nil {
		return "", fmt.Errorf("passphrase file: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimSuffix(line, "\r")
	if strings.TrimSpace(line) == "" {
		return "", fmt.Errorf("passphrase file %s: the first line is empty", path)
	}
	return line, nil
}

// ReadIdentityFile reads the private key file at path (see IdentityKey).
func ReadIdentityFile(path string) (Key, error) {
	b, err := readSmallFile(path, maxKeyFile)
	if err != nil {
		return Key{}, fmt.Errorf("private key file: %w", err)
	}
	k, err := IdentityKey(string(b))
	if err != nil {
		return Key{}, fmt.Errorf("private key file %s: %w", path, err)
	}
	return k, nil
}

// ParseRecipientArg reads a public key given on the command line: the key
// itself (age1…), or the path of a file of them, one a line.
func ParseRecipientArg(arg string) (Lock, error) {
	arg = strings.TrimSpace(arg)
	if strings.HasPrefix(arg, "age1") {
		return RecipientLock(arg)
	}
	if strings.HasPrefix(arg, "AGE-SECRET-KEY-") {
		return Lock{}, errors.New("that is a private key: give the public key (age1…), and keep the private key secret")
	}
	b, err := readSmallFile(arg, maxKeyFile)
	if err != nil {
		return Lock{}, fmt.Errorf("public key: give a key starting age1 or a file of them: %w", err)
	}
	var keys []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "AGE-SECRET-KEY-") {
			return Lock{}, fmt.Errorf("public key file %s holds a private key: give the public key (age1…) only", arg)
		}
		keys = append(keys, line)
	}
	l, err := RecipientLock(keys...)
	if err != nil {
		return Lock{}, fmt.Errorf("public key file %s: %w", arg, err)
	}
	return l, nil
}

// KeyPair is a new X25519 key pair for an analyst.
type KeyPair struct {
	Public  string // age1…: give it to every laptop (Settings, --recipient)
	Private string // AGE-SECRET-KEY-1…: keep it on the analyst's laptop only
}

// NewKeyPair makes a new key pair.
func NewKeyPair() (KeyPair, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return KeyPair{}, fmt.Errorf("make a key pair: %w", err)
	}
	return KeyPair{Public: id.Recipient().String(), Private: id.String()}, nil
}

// WriteKeyFile writes kp to a new file at path, readable by its owner only,
// in the format age-keygen writes (comments with the date and the public
// key, then the private key). It never replaces an existing file.
func WriteKeyFile(path string, kp KeyPair, now time.Time) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("write key file: %s exists already; a key file is never replaced (the files encrypted to it would be lost)", path)
	}
	if err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	text := fmt.Sprintf("# created: %s\n# public key: %s\n%s\n", now.UTC().Format(time.RFC3339), kp.Public, kp.Private)
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write key file: %w", err)
	}
	return f.Close()
}
