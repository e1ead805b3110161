package settings_test

import (
	"context"
	"strings"
	"testing"

	"canvass/survey/settings"
)

func TestStaffName(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, give, want string
		wantErr          bool
	}{
		{"plain", "Sam Patel", "Sam Patel", false},
		{"trimmed", "  Sam Patel \n", "Sam Patel", false},
		{"blank clears", "", "", false},
		{"too long", strings.Repeat("a", settings.MaxStaffName+1), "", true},
		{"control character", "Sam\x00Patel", "", true},
		{"not UTF-8", "Sam\xffPatel", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			err := settings.SaveStaffName(ctx, st, tt.give)
			if (err != nil) != tt.wantErr {
				t.Fatalf("SaveStaffName(%q) error %v, want error %v", tt.give, err, tt.wantErr)
			}
			got, err := settings.LoadStaffName(ctx, st)
			if err != nil || got != tt.want {
				t.Errorf("LoadStaffName = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	t.Run("a damaged stored value reads as none", func(t *testing.T) {
		st := openStore(t)
		if err := st.SetSetting(ctx, settings.StaffNameKey, "Sam\x07"); err != nil {
			t.Fatal(err)
		}
		if got, err := settings.LoadStaffName(ctx, st); got != "" || err != nil {
			t.Errorf("LoadStaffName = %q, %v", got, err)
		}
	})
}
