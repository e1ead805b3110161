package settings_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

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
