package survey

import "testing"

func TestCountItems(t *testing.T) {
	cases := []struct {
		name string
		item Text
		n    int
		lang string
		want string
		ok   bool
	}{
		{"one person", Text{"en": "person"}, 1, "en", "1 person", true},
		{"people", Text{"en": "person"}, 7, "en", "7 people", true},
		{"none is plural", Text{"en": "person"}, 0, "en", "0 people", true},
		{"service", Text{"": "service"}, 3, "en", "3 services", true},
		{"last word", Text{"en": "support worker"}, 2, "en", "2 support workers", true},
		{"consonant y", Text{"en": "family"}, 2, "en-GB", "2 families", true},
		{"vowel y", Text{"en": "day"}, 2, "en", "2 days", true},
		{"es", Text{"en": "bus"}, 2, "en", "2 buses", true},
		{"capital kept", Text{"en": "Child"}, 2, "en", "2 Children", true},
		{"hyphen", Text{"en": "grand-child"}, 2, "en", "2 grand-children", true},
		{"no item", Text{}, 2, "en", "", false},
		{"blank item", Text{"en": "  "}, 2, "en", "", false},
		{"not English", Text{"cy": "person"}, 2, "cy", "", false},
		{"only Welsh given", Text{"cy": "unigolyn"}, 2, "en", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := (&Repeat{Item: c.item}).CountItems(c.n, c.lang)
			if got != c.want || ok != c.ok {
				t.Errorf("CountItems(%d, %q) = %q, %v; want %q, %v", c.n, c.lang, got, ok, c.want, c.ok)
			}
		})
	}
	if _, ok := (*Repeat)(nil).CountItems(1, "en"); ok {
		t.Error("a nil repeat has a noun")
	}
}
