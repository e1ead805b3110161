package survey

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Threshold categories: the codes of the decision tool's `category` question
// that have a procurement threshold. Health care has none: the Provider
// Selection Regime applies instead.
const (
	CategoryGoodsServices = "goods_services"
	CategoryLightTouch    = "light_touch"
	CategoryWorks         = "works"
)

// ThresholdCategories lists the categories every threshold set must price,
// in the order an editor shows them.
var ThresholdCategories = []string{CategoryGoodsServices, CategoryLightTouch, CategoryWorks}

// ThresholdsSettingKey is the store setting that holds the thresholds staff
// have entered, as the JSON of one Thresholds.
const ThresholdsSettingKey = "thresholds"

// DateLayout is how dates are written in definitions, answers and settings.
const DateLayout = "2006-01-02"

// Thresholds is one set of procurement and subsidy-control amounts, in force
// from an effective date. Amounts are whole-life values in pounds including
// VAT. Staff keep them up to date: they are data, never code.
type Thresholds struct {
	Name      string    // what the set covers, e.g. "England, sub-central authorities"
	Effective time.Time // the day the amounts came into force (a date, UTC midnight)
	Source    string    // where the amounts come from, for the record
	// Amounts holds the regulated-procurement threshold per category code
	// (at least the ThresholdCategories).
	Amounts map[string]float64
	// Notifiable is the value from which a below-threshold contract must be notified.
	Notifiable float64
	// SubsidyMFA is the minimal financial assistance limit per recipient over
	// three financial years (subsidy control).
	SubsidyMFA float64
}

// thresholdsJSON is the stored form of Thresholds.
type thresholdsJSON struct {
	Name       string             `json:"name"`
	Effective  string             `json:"effective"`
	Source     string             `json:"source"`
	Amounts    map[string]float64 `json:"amounts"`
	Notifiable float64            `json:"notifiable"`
	SubsidyMFA float64            `json:"subsidy_mfa"`
}

// DefaultThresholds returns the amounts in force from 1 January 2026 in
// England for sub-central authorities (a county council), under the
// Procurement Act 2023. Canvass uses them until staff enter newer ones.
func DefaultThresholds() Thresholds {
	return Thresholds{
		Name:      "England, sub-central authorities",
		Effective: time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC),
		Source: "Procurement Act 2023, Schedule 1 threshold amounts in force from 1 January 2026; " +
			"whole-life value including VAT. Minimal financial assistance: Subsidy Control Act 2022.",
		Amounts: map[string]float64{
			CategoryGoodsServices: 207720,
			CategoryLightTouch:    663540,
			CategoryWorks:         5193000,
		},
		Notifiable: 30000,
		SubsidyMFA: 315000,
	}
}

// Thresholds2024 returns the amounts that applied in 2024 and 2025, kept so
// that decisions recorded then can be understood and re-checked.
func Thresholds2024() Thresholds {
	return Thresholds{
		Name:      "England, sub-central authorities",
		Effective: time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC),
		Source: "Threshold amounts in force from 1 January 2024 to 31 December 2025; " +
			"whole-life value including VAT. Minimal financial assistance: Subsidy Control Act 2022.",
		Amounts: map[string]float64{
			CategoryGoodsServices: 214904,
			CategoryLightTouch:    663540,
			CategoryWorks:         5372609,
		},
		Notifiable: 30000,
		SubsidyMFA: 315000,
	}
}

// HistoricalThresholds returns the built-in threshold sets, oldest first.
func HistoricalThresholds() []Thresholds {
	return []Thresholds{Thresholds2024(), DefaultThresholds()}
}

// ThresholdsAt returns the set in force on day: the one with the latest
// effective date not after it. ok is false when every set starts later.
func ThresholdsAt(sets []Thresholds, day time.Time) (t Thresholds, ok bool) {
	for _, s := range sets {
		if s.Effective.After(day) {
			continue
		}
		if !ok || s.Effective.After(t.Effective) {
			t, ok = s, true
		}
	}
	return t, ok
}

// Amount returns the threshold for a category code; ok is false when the
// category has none (health care, a blank or an unknown category).
func (t Thresholds) Amount(category string) (amount float64, ok bool) {
	amount, ok = t.Amounts[category]
	return amount, ok
}

// EffectiveText returns the effective date written out, e.g. "1 January 2026".
func (t Thresholds) EffectiveText() string {
	if t.Effective.IsZero() {
		return ""
	}
	return t.Effective.Format("2 January 2006")
}

// Validate reports every problem of the set at once: a missing date or
// source, and amounts that are missing, not positive or out of order.
func (t Thresholds) Validate() error {
	var errs []error
	if t.Effective.IsZero() {
		errs = append(errs, errors.New("effective date: enter the date the amounts came into force"))
	}
	if strings.TrimSpace(t.Source) == "" {
		errs = append(errs, errors.New("source: say where the amounts come from"))
	}
	for _, c := range ThresholdCategories {
		if _, ok := t.Amounts[c]; !ok {
			errs = append(errs, fmt.Errorf("amounts: the threshold for %s is missing", c))
		}
	}
	codes := make([]string, 0, len(t.Amounts))
	for c := range t.Amounts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		if !validName(c) {
			errs = append(errs, fmt.Errorf("amounts: category %q: use letters, digits and _ only", c))
		}
		if err := positiveAmount(t.Amounts[c]); err != nil {
			errs = append(errs, fmt.Errorf("amounts: %s: %w", c, err))
		} else if positiveAmount(t.Notifiable) == nil && t.Notifiable >= t.Amounts[c] {
			errs = append(errs, fmt.Errorf("notifiable: £%s must be below the %s threshold of £%s",
				Money(t.Notifiable), c, Money(t.Amounts[c])))
		}
	}
	if err := positiveAmount(t.Notifiable); err != nil {
		errs = append(errs, fmt.Errorf("notifiable: %w", err))
	}
	if err := positiveAmount(t.SubsidyMFA); err != nil {
		errs = append(errs, fmt.Errorf("subsidy_mfa: %w", err))
	}
	if len(errs) > 0 {
		return fmt.Errorf("thresholds: %w", errors.Join(errs...))
	}
	return nil
}

// positiveAmount checks that f is a finite amount above zero.
func positiveAmount(f float64) error {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return errors.New("not a number")
	case f <= 0:
		return fmt.Errorf("%s is not above zero", Money(f))
	}
	return nil
}

// validName reports whether s is a non-empty run of letters, digits and _
// that starts with a letter or _.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// MarshalJSON writes the set with the effective date as "2006-01-02".
func (t Thresholds) MarshalJSON() ([]byte, error) {
	j := thresholdsJSON{
		Name: t.Name, Source: t.Source, Amounts: t.Amounts,
		Notifiable: t.Notifiable, SubsidyMFA: t.SubsidyMFA,
	}
	if !t.Effective.IsZero() {
		j.Effective = t.Effective.Format(DateLayout)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a set written by MarshalJSON. Unknown fields are an
// error, so that a mistyped name is not silently ignored.
func (t *Thresholds) UnmarshalJSON(b []byte) error {
	var j thresholdsJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return err
	}
	var eff time.Time
	if j.Effective != "" {
		d, err := time.Parse(DateLayout, strings.TrimSpace(j.Effective))
		if err != nil {
			return fmt.Errorf("effective date %q: write it as YYYY-MM-DD", j.Effective)
		}
		eff = d
	}
	*t = Thresholds{
		Name: j.Name, Effective: eff, Source: j.Source, Amounts: j.Amounts,
		Notifiable: j.Notifiable, SubsidyMFA: j.SubsidyMFA,
	}
	return nil
}

// ParseThresholds decodes and validates a set of thresholds from JSON.
func ParseThresholds(b []byte) (Thresholds, error) {
	var t Thresholds
	if err := json.Unmarshal(b, &t); err != nil {
		return Thresholds{}, fmt.Errorf("read thresholds: %w", err)
	}
	if err := t.Validate(); err != nil {
		return Thresholds{}, err
	}
	return t, nil
}

// SettingStore is the part of the store that keeps settings.
type SettingStore interface {
	Setting(ctx context.Context, key string) (value string, ok bool, err error)
	SetSetting(ctx context.Context, key, value string) error
}

// LoadThresholds returns the thresholds saved in the store, or
// DefaultThresholds when staff have not saved any.
func LoadThresholds(ctx context.Context, st SettingStore) (Thresholds, error) {
	v, ok, err := st.Setting(ctx, ThresholdsSettingKey)
	if err != nil {
		return Thresholds{}, fmt.Errorf("load thresholds: %w", err)
	}
	if !ok || strings.TrimSpace(v) == "" {
		return DefaultThresholds(), nil
	}
	t, err := ParseThresholds([]byte(v))
	if err != nil {
		return Thresholds{}, fmt.Errorf("saved setting %q: %w", ThresholdsSettingKey, err)
	}
	return t, nil
}

// SaveThresholds validates t and saves it in the store as the thresholds to use.
func SaveThresholds(ctx context.Context, st SettingStore, t Thresholds) error {
	if err := t.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("encode thresholds: %w", err)
	}
	if err := st.SetSetting(ctx, ThresholdsSettingKey, string(b)); err != nil {
		return fmt.Errorf("save thresholds: %w", err)
	}
	return nil
}

// Money formats an amount in pounds with thousands separators and pence
// only when there are any: 207720 → "207,720", 29999.5 → "29,999.50".
func Money(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	neg := f < 0
	pence := int64(math.Round(math.Abs(f) * 100))
	whole, frac := pence/100, pence%100
	sign := ""
	if neg && pence != 0 {
		sign = "-"
	}
	out := sign + groupThousands(fmt.Sprint(whole))
	if frac != 0 {
		out += fmt.Sprintf(".%02d", frac)
	}
	return out
}
