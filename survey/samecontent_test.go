package survey

import "testing"

func TestSameContent(t *testing.T) {
	base := &Survey{ID: "s", Version: 1, Title: En("T"), Questions: []*Question{{Type: TypeText, Name: "a", Label: En("A")}}}
	tests := []struct {
		name string
		edit func(*Survey)
		want bool
	}{
		{"clone", func(*Survey) {}, true},
		{"another version number", func(s *Survey) { s.Version = 7 }, true},
		{"a label", func(s *Survey) { s.Questions[0].Label = En("B") }, false},
		{"required", func(s *Survey) { s.Questions[0].Required = true }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base.Clone()
			tt.edit(c)
			if got := base.SameContent(c); got != tt.want {
				t.Errorf("SameContent = %v, want %v", got, tt.want)
			}
		})
	}
}
