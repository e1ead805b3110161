// Package settings is Canvass's typed settings model: what staff set once
// and every screen and command obeys. Each part is read and written
// through the store's key–value settings (a Store), one key per part, and
// an unreadable value reads as the part's defaults, so a damaged setting
// never stops the work it configures.
package settings

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"canvass/survey"
)

// Store is where settings live; *store.Store satisfies it.
type Store interface {
	Setting(ctx context.Context, key string) (value string, ok bool, err error)
	SetSetting(ctx context.Context, key, value string) error
}

// ExportKey is the setting that holds the Export part, as JSON.
const ExportKey = "export.defaults"

// Legacy keys of the four export options ("1" or "0"), written by earlier
// versions of the Settings screen; read when ExportKey is absent.
const (
	legacyCompleteOnly = "export.complete_only"
	legacyNoPersonal   = "export.no_personal"
	legacyCodes        = "export.codes"
	legacyLong         = "export.long"
)

// Export is what an export starts from: the options staff set in Settings,
// which the Export dialog also keeps after each export (so Settings shows
// what the next export will do). The password is never kept, and neither
// is the date range: a forgotten range would quietly leave out every
// response collected since.
type Export struct {
	Format       string `json:"format,omitempty"` // "xlsx" or "csv"; "" is xlsx
	EventID      string `json:"event,omitempty"`  // "" is every event
	CompleteOnly bool   `json:"complete_only,omitempty"`
	NoPersonal   bool   `json:"no_personal,omitempty"`
	Codes        bool   `json:"codes,omitempty"`
	Long         bool   `json:"long,omitempty"`
	Folder       string `json:"folder,omitempty"` // where the last export went
}

// LoadExport reads the Export part. A missing setting gives the
// defaults (or what the legacy keys say); an unreadable one gives the
// defaults. Only a failing store is an error.
func LoadExport(ctx context.Context, st Store) (Export, error) {
	raw, ok, err := st.Setting(ctx, ExportKey)
	if err != nil {
		return Export{}, fmt.Errorf("read the export settings: %w", err)
	}
	var e Export
	if ok {
		if json.Unmarshal([]byte(raw), &e) != nil {
			return Export{}, nil
		}
		return e, nil
	}
	for key, field := range map[string]*bool{
		legacyCompleteOnly: &e.CompleteOnly, legacyNoPersonal: &e.NoPersonal,
		legacyCodes: &e.Codes, legacyLong: &e.Long,
	} {
		v, _, err := st.Setting(ctx, key)
		if err != nil {
			return Export{}, fmt.Errorf("read the export settings: %w", err)
		}
		*field = v == "1"
	}
	return e, nil
}

// SaveExport writes the Export part.
func SaveExport(ctx context.Context, st Store, e Export) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("save the export settings: %w", err)
	}
	if err := st.SetSetting(ctx, ExportKey, string(b)); err != nil {
		return fmt.Errorf("save the export settings: %w", err)
	}
	return nil
}

// UpdateExport reads the Export part, lets change edit it and writes it back.
func UpdateExport(ctx context.Context, st Store, change func(*Export)) error {
	e, err := LoadExport(ctx, st)
	if err != nil {
		return err
	}
	change(&e)
	return SaveExport(ctx, st, e)
}

// Keys of the Kiosk part, whole seconds as decimal text.
const (
	KioskIdleKey   = "kiosk.idle_seconds"
	KioskThanksKey = "kiosk.thanks_seconds"
)

// Limits of the kiosk timings staff may set.
const (
	MinIdle, MaxIdle     = 15 * time.Second, time.Hour
	MinThanks, MaxThanks = time.Second, time.Minute
)

// Kiosk is how kiosk mode times a respondent: how long without a tap
// before it asks "Are you still there?", and how long the thank-you
// screen shows.
type Kiosk struct {
	Idle     time.Duration
	ThankYou time.Duration
}

// LoadKiosk reads the Kiosk part; a timing not set, unreadable or not
// above zero is taken from def.
func LoadKiosk(ctx context.Context, st Store, def Kiosk) (Kiosk, error) {
	k := def
	for key, field := range map[string]*time.Duration{KioskIdleKey: &k.Idle, KioskThanksKey: &k.ThankYou} {
		v, ok, err := st.Setting(ctx, key)
		if err != nil {
			return def, fmt.Errorf("read the kiosk settings: %w", err)
		}
		if n, err := strconv.Atoi(v); ok && err == nil && n > 0 {
			*field = time.Duration(n) * time.Second
		}
	}
	return k, nil
}

// ErrKioskRange is returned by SaveKiosk for a timing outside the limits.
var ErrKioskRange = errors.New("a kiosk timing is outside its limits")

// SaveKiosk writes the Kiosk part after checking both timings are whole
// seconds within the limits (ErrKioskRange otherwise, nothing written).
func SaveKiosk(ctx context.Context, st Store, k Kiosk) error {
	if k.Idle < MinIdle || k.Idle > MaxIdle || k.ThankYou < MinThanks || k.ThankYou > MaxThanks ||
		k.Idle%time.Second != 0 || k.ThankYou%time.Second != 0 {
		return ErrKioskRange
	}
	if err := st.SetSetting(ctx, KioskIdleKey, strconv.Itoa(int(k.Idle/time.Second))); err != nil {
		return fmt.Errorf("save the kiosk settings: %w", err)
	}
	if err := st.SetSetting(ctx, KioskThanksKey, strconv.Itoa(int(k.ThankYou/time.Second))); err != nil {
		return fmt.Errorf("save the kiosk settings: %w", err)
	}
	return nil
}

// StaffNameKey holds the name of the member of staff using this laptop.
// Forms that ask for a username (XLSForm's username metadata) record it,
// as ODK Collect records the user set on the device.
const StaffNameKey = "staff.name"

// MaxStaffName is the longest staff name kept, in bytes.
const MaxStaffName = 200

// LoadStaffName reads the staff name; "" when none is set or the stored
// value is not one SaveStaffName would write.
func LoadStaffName(ctx context.Context, st Store) (string, error) {
	v, _, err := st.Setting(ctx, StaffNameKey)
	if err != nil {
		return "", fmt.Errorf("read the staff name: %w", err)
	}
	if checkStaffName(v) != nil {
		return "", nil
	}
	return v, nil
}

// SaveStaffName checks and stores the staff name; blank clears it.
func SaveStaffName(ctx context.Context, st Store, name string) error {
	name = strings.TrimSpace(name)
	if err := checkStaffName(name); err != nil {
		return err
	}
	if err := st.SetSetting(ctx, StaffNameKey, name); err != nil {
		return fmt.Errorf("save the staff name: %w", err)
	}
	return nil
}

// checkStaffName refuses a name too long or holding control characters.
func checkStaffName(name string) error {
	if len(name) > MaxStaffName {
		return fmt.Errorf("the staff name is %d bytes long; at most %d are kept", len(name), MaxStaffName)
	}
	if !utf8.ValidString(name) {
		return errors.New("the staff name is not valid text")
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return fmt.Errorf("the staff name holds the control character %U", r)
		}
	}
	return nil
}

// ForRespondents is what a respondent's session takes from this laptop's
// settings: the survey as respondents see it (threshold figures filled in,
// see survey.Survey.AsShown) and the staff name for username questions.
// Every front end that starts sessions (the window's form, kiosk mode, the
// phone pages) calls it, so they cannot differ. Unreadable settings give
// the defaults and no name: showing a form never fails on them.
func ForRespondents(ctx context.Context, st Store, def *survey.Survey) (shown *survey.Survey, username string) {
	username, _ = LoadStaffName(ctx, st)
	return def.AsShown(ctx, st), username
}
