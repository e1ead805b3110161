package settings_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"canvass/survey/settings"
	"canvass/survey/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestExportSettings(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		set  map[string]string
		want settings.Export
	}{
		{"nothing set", nil, settings.Export{}},
		{"saved", map[string]string{settings.ExportKey: `{"format":"csv","event":"e1","codes":true,"folder":"/x"}`},
			settings.Export{Format: "csv", EventID: "e1", Codes: true, Folder: "/x"}},
		{"unreadable", map[string]string{settings.ExportKey: `{not json`}, settings.Export{}},
		{"legacy keys", map[string]string{"export.complete_only": "1", "export.long": "1", "export.codes": "0"},
			settings.Export{CompleteOnly: true, Long: true}},
		{"the saved part wins over legacy keys", map[string]string{"export.long": "1", settings.ExportKey: `{"codes":true}`},
			settings.Export{Codes: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			for k, v := range tc.set {
				if err := st.SetSetting(ctx, k, v); err != nil {
					t.Fatal(err)
				}
			}
			got, err := settings.LoadExport(ctx, st)
			if err != nil || got != tc.want {
				t.Fatalf("LoadExport = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
	t.Run("update keeps what it does not change", func(t *testing.T) {
		st := openStore(t)
		if err := settings.SaveExport(ctx, st, settings.Export{Format: "csv", Folder: "/f"}); err != nil {
			t.Fatal(err)
		}
		if err := settings.UpdateExport(ctx, st, func(e *settings.Export) { e.NoPersonal = true }); err != nil {
			t.Fatal(err)
		}
		got, _ := settings.LoadExport(ctx, st)
		if got != (settings.Export{Format: "csv", Folder: "/f", NoPersonal: true}) {
			t.Fatalf("after update %+v", got)
		}
	})
	t.Run("a failing store is an error", func(t *testing.T) {
		if _, err := settings.LoadExport(ctx, failing{}); err == nil {
			t.Fatal("no error")
		}
	})
}

type failing struct{}

func (failing) Setting(context.Context, string) (string, bool, error) {
	return "", false, errors.New("disk gone")
}
func (failing) SetSetting(context.Context, string, string) error { return errors.New("disk gone") }

func TestKioskSettings(t *testing.T) {
	ctx := context.Background()
	def := settings.Kiosk{Idle: 90 * time.Second, ThankYou: 5 * time.Second}
	st := openStore(t)
	if got, err := settings.LoadKiosk(ctx, st, def); err != nil || got != def {
		t.Fatalf("nothing set: %+v, %v", got, err)
	}
	if err := st.SetSetting(ctx, settings.KioskIdleKey, "banana"); err != nil {
		t.Fatal(err)
	}
	if got, _ := settings.LoadKiosk(ctx, st, def); got != def {
		t.Fatalf("unreadable idle gave %+v", got)
	}
	for _, bad := range []settings.Kiosk{
		{Idle: 14 * time.Second, ThankYou: 5 * time.Second},
		{Idle: time.Hour + time.Second, ThankYou: 5 * time.Second},
		{Idle: 90 * time.Second, ThankYou: 61 * time.Second},
		{Idle: 90*time.Second + time.Millisecond, ThankYou: 5 * time.Second},
	} {
		if err := settings.SaveKiosk(ctx, st, bad); !errors.Is(err, settings.ErrKioskRange) {
			t.Errorf("SaveKiosk(%+v) = %v", bad, err)
		}
	}
	want := settings.Kiosk{Idle: 2 * time.Minute, ThankYou: 8 * time.Second}
	if err := settings.SaveKiosk(ctx, st, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := settings.LoadKiosk(ctx, st, def); got != want {
		t.Fatalf("after save %+v, want %+v", got, want)
	}
	if v, _, _ := st.Setting(ctx, settings.KioskIdleKey); v != "120" {
		t.Errorf("stored idle %q, want 120 (whole seconds, as before)", v)
	}
}
