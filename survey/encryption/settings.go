package encryption

import (
	"context"
	"fmt"
)

// Mode is how this laptop encrypts bundles and backups.
type Mode string

const (
	// Unset: nobody has chosen yet; the first bundle or backup asks.
	Unset Mode = ""
	// Passphrase: a passphrase shared by the council's staff, typed each time (never stored).
	Passphrase Mode = "passphrase"
	// PublicKey: the analyst's public key; only the analyst's laptop can open the files.
	PublicKey Mode = "public-key"
)

// The settings keys of the choice. Neither a passphrase nor a private key
// is ever stored: only the mode, the analyst's public key and, on the
// analyst's laptop, where the private key file is.
const (
	SettingMode         = "encryption.mode"
	SettingPublicKey    = "encryption.public_key"
	SettingIdentityFile = "encryption.identity_file"
)

// Settings is where the choice is kept (the store's settings table).
type Settings interface {
	Setting(ctx context.Context, key string) (string, bool, error)
	SetSetting(ctx context.Context, key, value string) error
}

// Choice is this laptop's encryption setting.
type Choice struct {
	Mode         Mode
	PublicKey    string // age1…, with Mode PublicKey
	IdentityFile string // path of the private key file, on the analyst's laptop ("" elsewhere)
}

// LoadChoice reads the choice; an unknown stored mode reads as Unset, so the next bundle asks again.
func LoadChoice(ctx context.Context, s Settings) (Choice, error) {
	var c Choice
	for key, into := range map[string]*string{SettingPublicKey: &c.PublicKey, SettingIdentityFile: &c.IdentityFile} {
		v, _, err := s.Setting(ctx, key)
		if err != nil {
			return Choice{}, err
		}
		*into = v
	}
	m, _, err := s.Setting(ctx, SettingMode)
	if err != nil {
		return Choice{}, err
	}
	switch Mode(m) {
	case Passphrase:
		c.Mode = Passphrase
	case PublicKey:
		if _, err := RecipientLock(c.PublicKey); err == nil {
			c.Mode = PublicKey
		}
	}
	return c, nil
}

// SaveChoice stores the choice after checking it.
func SaveChoice(ctx context.Context, s Settings, c Choice) error {
	switch c.Mode {
	case Passphrase, Unset:
	case PublicKey:
		if _, err := RecipientLock(c.PublicKey); err != nil {
			return fmt.Errorf("encryption setting: %w", err)
		}
	default:
		return fmt.Errorf("encryption setting: unknown mode %q", c.Mode)
	}
	for _, kv := range [][2]string{{SettingMode, string(c.Mode)}, {SettingPublicKey, c.PublicKey}, {SettingIdentityFile, c.IdentityFile}} {
		if err := s.SetSetting(ctx, kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// Lock is the lock the choice gives without asking anyone: the public key's.
// With Mode Passphrase the passphrase must be asked for (ok is false).
func (c Choice) Lock() (l Lock, ok bool) {
	if c.Mode != PublicKey {
		return Lock{}, false
	}
	l, err := RecipientLock(c.PublicKey)
	return l, err == nil
}
