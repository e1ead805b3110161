package survey_test

import (
	"testing"

	"canvass/survey"
)

func TestNormaliseAnswer(t *testing.T) {
	postcode := &survey.Question{Type: survey.TypeText, Name: "postcode_district", Appearance: survey.AppearancePostcode}
	plain := &survey.Question{Type: survey.TypeText, Name: "name"}
	tests := []struct {
		q    *survey.Question
		in   string
		want string
	}{
		{postcode, "gu1", "GU1"},
		{postcode, " Gu1 ", "GU1"},
		{postcode, "sw1a", "SW1A"},
		{postcode, "gu1 1aa", "GU1 1AA"},
		{postcode, "GU11AA", "GU1 1AA"},
		{postcode, "sw1a  1aa", "SW1A 1AA"},
		{postcode, "ec1a1bb", "EC1A 1BB"},
		{postcode, "not a postcode", "NOTAPOSTCODE"},
		{postcode, "", ""},
		{plain, "  gu1 ", "gu1"},
		{plain, "Mary  Smith", "Mary  Smith"},
		{nil, " x ", "x"},
	}
	for _, tt := range tests {
		name := "nil"
		if tt.q != nil {
			name = tt.q.Name
		}
		if got := survey.NormaliseAnswer(tt.q, tt.in); got != tt.want {
			t.Errorf("%s: NormaliseAnswer(%q) = %q, want %q", name, tt.in, got, tt.want)
		}
	}
}

func FuzzNormaliseAnswer(f *testing.F) {
	for _, s := range []string{"gu1", "GU1 1AA", "ec1a1bb", "  ", "ǅ1 1ǅǅ", "\x00"} {
		f.Add(s)
	}
	q := &survey.Question{Type: survey.TypeText, Name: "p", Appearance: survey.AppearancePostcode}
	f.Fuzz(func(t *testing.T, s string) {
		once := survey.NormaliseAnswer(q, s)
		if twice := survey.NormaliseAnswer(q, once); twice != once {
			t.Errorf("not idempotent: %q → %q → %q", s, once, twice)
		}
	})
}
