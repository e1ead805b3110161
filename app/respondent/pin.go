package respondent

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// SettingsStore keeps named settings; *store.Store satisfies it.
type SettingsStore interface {
	Setting(ctx context.Context, key string) (value string, ok bool, err error)
	SetSetting(ctx context.Context, key, value string) error
}

// StaffPINSetting is the settings key that holds the staff PIN's argon2id hash.
const StaffPINSetting = "staff_pin"

// PIN length limits.
const (
	MinPINDigits = 4
	MaxPINDigits = 12
)

var (
	// ErrPINNotSet is returned by Verify when no staff PIN has been set yet.
	ErrPINNotSet = errors.New("no staff PIN has been set")
	// ErrPINFormat is returned for a PIN that is not 4 to 12 digits.
	ErrPINFormat = fmt.Errorf("a staff PIN is %d to %d digits", MinPINDigits, MaxPINDigits)
	// ErrPINHashFormat is returned when the stored hash cannot be read.
	ErrPINHashFormat = errors.New("the stored staff PIN hash is not in argon2id format")
)

// Argon2Cost holds argon2id's parameters.
type Argon2Cost struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultArgon2Cost follows the RFC 9106 second recommendation, scaled to a
// laptop: 64 MiB, 2 passes, 1 thread (about 0.1 s).
var DefaultArgon2Cost = Argon2Cost{Memory: 64 * 1024, Time: 2, Threads: 1}

// Limits on parameters read back from a stored hash, so that an edited
// setting cannot make Verify allocate gigabytes or run for minutes.
const (
	maxArgon2Memory  = 1024 * 1024 // 1 GiB in KiB
	maxArgon2Time    = 16
	maxArgon2Threads = 16
	pinSaltBytes     = 16
	pinKeyBytes      = 32
)

// StaffPIN is the PIN that lets staff leave kiosk mode. It is stored only as
// an argon2id hash with a random salt, in the settings, in the form
// argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash> (unpadded standard base64),
// and compared in constant time.
type StaffPIN struct {
	settings SettingsStore
	// Cost is used for new hashes; Verify reads the parameters from the stored hash.
	Cost Argon2Cost
}

// NewStaffPIN returns the staff PIN kept in settings, hashed with DefaultArgon2Cost.
func NewStaffPIN(settings SettingsStore) *StaffPIN {
	return &StaffPIN{settings: settings, Cost: DefaultArgon2Cost}
}

// ValidPIN reports whether pin is an acceptable staff PIN: 4 to 12 ASCII digits.
func ValidPIN(pin string) error {
	if len(pin) < MinPINDigits || len(pin) > MaxPINDigits {
		return ErrPINFormat
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return ErrPINFormat
		}
	}
	return nil
}

// IsSet reports whether a staff PIN has been set.
func (p *StaffPIN) IsSet(ctx context.Context) (bool, error) {
	v, ok, err := p.settings.Setting(ctx, StaffPINSetting)
	if err != nil {
		return false, fmt.Errorf("read staff PIN setting: %w", err)
	}
	return ok && v != "", nil
}

// Set hashes pin with a fresh random salt and stores the hash, replacing any earlier PIN.
func (p *StaffPIN) Set(ctx context.Context, pin string) error {
	if err := ValidPIN(pin); err != nil {
		return err
	}
	salt := make([]byte, pinSaltBytes)
	if _, err := rand.Read(salt); err != nil {
		return fmt.Errorf("make staff PIN salt: %w", err)
	}
	c := p.Cost
	if c.Memory == 0 || c.Time == 0 || c.Threads == 0 {
		c = DefaultArgon2Cost
	}
	key := argon2.IDKey([]byte(pin), salt, c.Time, c.Memory, c.Threads, pinKeyBytes)
	enc := base64.RawStdEncoding
	v := fmt.Sprintf("argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, c.Memory, c.Time, c.Threads, enc.EncodeToString(salt), enc.EncodeToString(key))
	if err := p.settings.SetSetting(ctx, StaffPINSetting, v); err != nil {
		return fmt.Errorf("store staff PIN: %w", err)
	}
	return nil
}

// Verify reports whether pin is the staff PIN. It returns ErrPINNotSet when
// none has been set and ErrPINHashFormat (wrapped) when the setting is damaged.
func (p *StaffPIN) Verify(ctx context.Context, pin string) (bool, error) {
	v, ok, err := p.settings.Setting(ctx, StaffPINSetting)
	if err != nil {
		return false, fmt.Errorf("read staff PIN setting: %w", err)
	}
	if !ok || v == "" {
		return false, ErrPINNotSet
	}
	h, err := parsePINHash(v)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pin), h.salt, h.cost.Time, h.cost.Memory, h.cost.Threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(got, h.key) == 1, nil
}

// pinHash is a decoded stored hash.
type pinHash struct {
	cost Argon2Cost
	salt []byte
	key  []byte
}

// parsePINHash decodes argon2id$v=19$m=..,t=..,p=..$salt$key.
func parsePINHash(s string) (pinHash, error) {
	bad := func(what string) (pinHash, error) {
		return pinHash{}, fmt.Errorf("%w: %s", ErrPINHashFormat, what)
	}
	parts := strings.Split(s, "$")
	if len(parts) != 5 || parts[0] != "argon2id" {
		return bad("want 5 $-separated parts starting with argon2id")
	}
	if parts[1] != "v="+strconv.Itoa(argon2.Version) {
		return bad("unsupported version " + parts[1])
	}
	var h pinHash
	for _, kv := range strings.Split(parts[2], ",") {
		k, val, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(val, 10, 32)
		if !ok || err != nil {
			return bad("parameter " + kv)
		}
		switch k {
		case "m":
			h.cost.Memory = uint32(n)
		case "t":
			h.cost.Time = uint32(n)
		case "p":
			if n > maxArgon2Threads {
				return bad("parameter " + kv)
			}
			h.cost.Threads = uint8(n)
		default:
			return bad("unknown parameter " + k)
		}
	}
	c := h.cost
	if c.Memory < 8*uint32(c.Threads) || c.Memory > maxArgon2Memory || c.Time < 1 || c.Time > maxArgon2Time || c.Threads < 1 {
		return bad("parameters out of range " + parts[2])
	}
	var err error
	if h.salt, err = base64.RawStdEncoding.DecodeString(parts[3]); err != nil || len(h.salt) < 8 {
		return bad("salt")
	}
	if h.key, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return bad("hash")
	}
	return h, nil
}
