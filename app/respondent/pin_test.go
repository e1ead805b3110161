package respondent_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"canvass/app/respondent"
)

// cheapPIN is a StaffPIN with a small argon2 cost, so tests stay fast.
func cheapPIN(s respondent.SettingsStore) *respondent.StaffPIN {
	p := respondent.NewStaffPIN(s)
	p.Cost = respondent.Argon2Cost{Memory: 1024, Time: 1, Threads: 1}
	return p
}

func TestValidPIN(t *testing.T) {
	for _, tc := range []struct {
		pin string
		ok  bool
	}{
		{"1234", true}, {"000000000000", true}, {"123", false}, {"1234567890123", false},
		{"12a4", false}, {"12 34", false}, {"١٢٣٤", false}, {"", false},
	} {
		t.Run(tc.pin, func(t *testing.T) {
			err := respondent.ValidPIN(tc.pin)
			if (err == nil) != tc.ok {
				t.Fatalf("ValidPIN(%q) = %v, want ok=%v", tc.pin, err, tc.ok)
			}
			if err != nil && !errors.Is(err, respondent.ErrPINFormat) {
				t.Fatalf("error %v is not ErrPINFormat", err)
			}
		})
	}
}

func TestStaffPIN(t *testing.T) {
	ctx := context.Background()
	st := newFakeStore()
	p := cheapPIN(st)
	if set, err := p.IsSet(ctx); err != nil || set {
		t.Fatalf("IsSet before Set = %v, %v", set, err)
	}
	if _, err := p.Verify(ctx, "1234"); !errors.Is(err, respondent.ErrPINNotSet) {
		t.Fatalf("Verify before Set: %v, want ErrPINNotSet", err)
	}
	if err := p.Set(ctx, "12"); !errors.Is(err, respondent.ErrPINFormat) {
		t.Fatalf("Set short PIN: %v", err)
	}
	if err := p.Set(ctx, "482916"); err != nil {
		t.Fatal(err)
	}
	stored := st.settings[respondent.StaffPINSetting]
	if strings.Contains(stored, "482916") {
		t.Fatalf("PIN stored in clear: %q", stored)
	}
	if !strings.HasPrefix(stored, "argon2id$v=19$m=1024,t=1,p=1$") || strings.Count(stored, "$") != 4 {
		t.Fatalf("stored %q is not an argon2id hash string", stored)
	}
	for _, tc := range []struct {
		pin  string
		want bool
	}{{"482916", true}, {"482917", false}, {"", false}, {"4829160", false}} {
		ok, err := p.Verify(ctx, tc.pin)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.pin, ok, err, tc.want)
		}
	}
	if err := p.Set(ctx, "482916"); err != nil {
		t.Fatal(err)
	}
	if again := st.settings[respondent.StaffPINSetting]; again == stored {
		t.Error("setting the same PIN twice gave the same hash: the salt is not random")
	}
	// A hash made with other parameters still verifies: they are read back.
	q := respondent.NewStaffPIN(st)
	if ok, err := q.Verify(ctx, "482916"); err != nil || !ok {
		t.Errorf("Verify with a differently configured StaffPIN: %v, %v", ok, err)
	}
}

func TestStaffPINDamagedSetting(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ name, value string }{
		{"not argon", "bcrypt$2a$10$abc"},
		{"version", "argon2id$v=16$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"},
		{"huge memory", "argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"},
		{"bad salt", "argon2id$v=19$m=1024,t=1,p=1$***$aGFzaGhhc2hoYXNoaGFzaA"},
		{"short hash", "argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaA"},
		{"unknown parameter", "argon2id$v=19$m=1024,t=1,x=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newFakeStore()
			st.settings[respondent.StaffPINSetting] = tc.value
			ok, err := respondent.NewStaffPIN(st).Verify(ctx, "1234")
			if ok || !errors.Is(err, respondent.ErrPINHashFormat) {
				t.Fatalf("Verify = %v, %v; want ErrPINHashFormat", ok, err)
			}
		})
	}
}
