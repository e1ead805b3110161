package expr_test

import (
	"slices"
	"strings"
	"testing"

	"canvass/survey/expr"
)

// towns is a choice list as Env.Items gives it.
var towns = []map[string]string{
	{"name": "leeds", "label": "Leeds", "county": "west"},
	{"name": "york", "label": "York", "county": "north"},
}

func itemsEnv(answers map[string]string) expr.Env {
	return expr.Env{
		Lookup: func(n string) string { return answers[n] },
		Items: func(list string) (int, func(int, string) string) {
			if list != "towns" {
				return 0, nil
			}
			return len(towns), func(i int, col string) string { return towns[i][col] }
		},
	}
}

func TestLookup(t *testing.T) {
	cases := []struct {
		src, want string
		answers   map[string]string
	}{
		{"instance('towns')/root/item[name = ${town}]/label", "York", map[string]string{"town": "york"}},
		{"instance('towns')/root/item[name=${town}]/county", "west", map[string]string{"town": "leeds"}},
		{"instance( 'towns' ) / root / item [ county = 'north' ] / label", "York", nil},
		{"concat('In ', instance('towns')/root/item[name = ${town}]/label)", "In Leeds", map[string]string{"town": "leeds"}},
		{"instance('towns')/root/item[name = ${town}]/label", "", map[string]string{"town": "bath"}},
		{"instance('nowhere')/root/item[name = 'x']/label", "", nil},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			e, err := expr.Parse(c.src)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.EvalString(itemsEnv(c.answers))
			if err != nil || got != c.want {
				t.Errorf("= %q, %v; want %q", got, err, c.want)
			}
		})
	}
	e := expr.MustParse("instance('towns')/root/item[name = ${town} and county = ${county}]/label")
	if !slices.Equal(e.Refs(), []string{"town", "county"}) || !slices.Equal(e.Lists(), []string{"towns"}) || len(e.Columns()) != 0 {
		t.Errorf("refs %q, lists %q, columns %q", e.Refs(), e.Lists(), e.Columns())
	}
	// In a choice filter the lookup's columns are the looked-up list's,
	// not the filtered list's.
	f, err := expr.ParseFilter("county = instance('towns')/root/item[name = ${town}]/county")
	if err != nil || !slices.Equal(f.Columns(), []string{"county"}) {
		t.Errorf("filter columns %v, %v", f.Columns(), err)
	}
}

func TestLookupErrors(t *testing.T) {
	for src, want := range map[string]string{
		"${a} / 2":                              `unexpected "/": use div`,
		"instance('towns')/root/item/label":     `expected "["`,
		"instance(towns)/root/item[x]/label":    "expected the list's name in quotes",
		"instance('towns')/root/row[x]/label":   "expected item",
		"instance('towns')/root/item[name]":     `expected "/"`,
		"instance('towns')/root/item[name = 1/": `expected "]", found "/"`,
		"[1]":                                   "expected a value",
	} {
		_, err := expr.Parse(src)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want %q", src, err, want)
		}
	}
}
