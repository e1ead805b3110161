package survey_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"canvass/survey"
)

func TestDefaultThresholds(t *testing.T) {
	d := survey.DefaultThresholds()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"goods_services": 207720, "light_touch": 663540, "works": 5193000}
	if !reflect.DeepEqual(d.Amounts, want) || d.Notifiable != 30000 || d.SubsidyMFA != 315000 {
		t.Errorf("defaults %+v", d)
	}
	if d.EffectiveText() != "1 January 2026" {
		t.Errorf("effective %q", d.EffectiveText())
	}
	old := survey.Thresholds2024()
	if err := old.Validate(); err != nil {
		t.Fatal(err)
	}
	if old.Amounts["goods_services"] != 214904 || old.Amounts["works"] != 5372609 || old.Amounts["light_touch"] != 663540 {
		t.Errorf("2024 amounts %v", old.Amounts)
	}
	if _, ok := d.Amount("health_care"); ok {
		t.Error("health care must have no threshold")
	}
}

func TestThresholdsAt(t *testing.T) {
	sets := survey.HistoricalThresholds()
	tests := []struct {
		day  time.Time
		want string // effective date, "" for none
	}{
		{time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), ""},
		{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "2024-01-01"},
		{time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), "2024-01-01"},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "2026-01-01"},
		{time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC), "2026-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.day.Format(survey.DateLayout), func(t *testing.T) {
			got, ok := survey.ThresholdsAt(sets, tt.day)
			eff := ""
			if ok {
				eff = got.Effective.Format(survey.DateLayout)
			}
			if eff != tt.want {
				t.Errorf("set in force %q, want %q", eff, tt.want)
			}
		})
	}
}

func TestThresholdsValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*survey.Thresholds)
		want   string
	}{
		{"no date", func(t *survey.Thresholds) { t.Effective = time.Time{} }, "effective date"},
		{"no source", func(t *survey.Thresholds) { t.Source = "  " }, "source"},
		{"missing category", func(t *survey.Thresholds) { delete(t.Amounts, "works") }, "threshold for works is missing"},
		{"zero amount", func(t *survey.Thresholds) { t.Amounts["works"] = 0 }, "works: 0 is not above zero"},
		{"negative amount", func(t *survey.Thresholds) { t.Amounts["light_touch"] = -5 }, "light_touch: -5 is not above zero"},
		{"NaN amount", func(t *survey.Thresholds) { t.Amounts["light_touch"] = math.NaN() }, "light_touch: not a number"},
		{"bad category code", func(t *survey.Thresholds) { t.Amounts["health care"] = 1e6 }, `category "health care"`},
		{"notifiable above a threshold", func(t *survey.Thresholds) { t.Notifiable = 300000 }, "must be below the goods_services threshold"},
		{"no notifiable", func(t *survey.Thresholds) { t.Notifiable = 0 }, "notifiable: 0 is not above zero"},
		{"no subsidy limit", func(t *survey.Thresholds) { t.SubsidyMFA = -1 }, "subsidy_mfa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := survey.DefaultThresholds()
			tt.change(&th)
			err := th.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want an error saying %q", err, tt.want)
			}
		})
	}
	t.Run("all problems at once", func(t *testing.T) {
		err := survey.Thresholds{}.Validate()
		for _, want := range []string{"effective date", "source", "goods_services", "light_touch", "works", "notifiable", "subsidy_mfa"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Validate() = %v, does not mention %q", err, want)
			}
		}
	})
}

func TestThresholdsJSON(t *testing.T) {
	d := survey.DefaultThresholds()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"effective":"2026-01-01"`) || !strings.Contains(string(b), `"goods_services":207720`) {
		t.Errorf("JSON %s", b)
	}
	back, err := survey.ParseThresholds(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, d) {
		t.Errorf("round trip: %+v, want %+v", back, d)
	}

	bad := []struct{ name, json, want string }{
		{"not JSON", `{`, "read thresholds"},
		{"unknown field", `{"name":"x","efective":"2026-01-01"}`, `unknown field "efective"`},
		{"bad date", `{"effective":"1/1/2026"}`, "YYYY-MM-DD"},
		{"invalid amounts", `{"effective":"2026-01-01","source":"s","amounts":{"goods_services":-1}}`, "not above zero"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := survey.ParseThresholds([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
}

// memSettings is a SettingStore in memory.
type memSettings struct {
	values map[string]string
	err    error
}

func (m *memSettings) Setting(_ context.Context, key string) (string, bool, error) {
	v, ok := m.values[key]
	return v, ok, m.err
}

func (m *memSettings) SetSetting(_ context.Context, key, value string) error {
	if m.err != nil {
		return m.err
	}
	m.values[key] = value
	return nil
}

func TestLoadSaveThresholds(t *testing.T) {
	ctx := context.Background()
	st := &memSettings{values: map[string]string{}}
	got, err := survey.LoadThresholds(ctx, st)
	if err != nil || !reflect.DeepEqual(got, survey.DefaultThresholds()) {
		t.Fatalf("unset: %+v, %v; want the defaults", got, err)
	}

	next := survey.DefaultThresholds()
	next.Effective = time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
	next.Amounts["works"] = 5500000
	if err := survey.SaveThresholds(ctx, st, next); err != nil {
		t.Fatal(err)
	}
	if _, ok := st.values[survey.ThresholdsSettingKey]; !ok {
		t.Fatalf("saved under %v, want key %q", st.values, survey.ThresholdsSettingKey)
	}
	got, err = survey.LoadThresholds(ctx, st)
	if err != nil || !reflect.DeepEqual(got, next) {
		t.Errorf("loaded %+v, %v; want %+v", got, err, next)
	}

	invalid := next
	invalid.Source = ""
	if err := survey.SaveThresholds(ctx, st, invalid); err == nil {
		t.Error("saved thresholds without a source")
	}

	st.values[survey.ThresholdsSettingKey] = `{"effective":"soon"}`
	if _, err := survey.LoadThresholds(ctx, st); err == nil || !strings.Contains(err.Error(), `saved setting "thresholds"`) {
		t.Errorf("corrupt setting: %v", err)
	}

	boom := errors.New("disk on fire")
	st.err = boom
	if _, err := survey.LoadThresholds(ctx, st); !errors.Is(err, boom) {
		t.Errorf("store failure: %v", err)
	}
}

func TestMoney(t *testing.T) {
	tests := map[float64]string{
		0: "0", 8000: "8,000", 207720: "207,720", 5193000: "5,193,000", 29999.99: "29,999.99",
		29999.5: "29,999.50", 999: "999", 1000: "1,000", -1234.5: "-1,234.50", 0.004: "0",
	}
	for in, want := range tests {
		if got := survey.Money(in); got != want {
			t.Errorf("Money(%v) = %q, want %q", in, got, want)
		}
	}
	if got := survey.Money(math.Inf(1)); got != "" {
		t.Errorf("Money(Inf) = %q", got)
	}
}
