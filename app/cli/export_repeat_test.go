package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"canvass/survey"
	"canvass/survey/store"
)

// TestExportRepeats: a CSV export of a survey with a repeat writes a file
// per repeat and names it; a workbook says how many repeat rows it holds;
// an encrypted CSV export, which can only be one file, is refused with a
// way out, and leaves nothing behind.
func TestExportRepeats(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "canvass.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	def := &survey.Survey{ID: "carers", Title: survey.En("Carers"), Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "postcode", Label: survey.En("Postcode")},
			{Type: survey.TypeGroup, Name: "carers", Label: survey.En("People you care for"), Repeat: &survey.Repeat{}, Questions: []*survey.Question{
				{Type: survey.TypeInteger, Name: "age", Label: survey.En("Their age")},
			}},
		}}
	if _, err := st.SaveSurvey(ctx, def); err != nil {
		t.Fatal(err)
	}
	r, err := st.StartResponse(ctx, "carers", 0, "en")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Submit(ctx, r.ID, survey.Answers{"postcode": "AB1", "carers[1]/age": "80", "carers[2]/age": "12"}, nil); err != nil {
		t.Fatal(err)
	}
	st.Close()

	dir := t.TempDir()
	cases := []struct {
		name, out string
		args      []string
		code      int
		say       string
		files     []string
	}{
		{"csv", "c.csv", []string{"--unencrypted"}, 0, "Repeat rows written to " + filepath.Join(dir, "c-carers.csv"), []string{"c.csv", "c-carers.csv"}},
		{"workbook", "w.xlsx", []string{"--unencrypted"}, 0, "2 repeat rows (one per instance) written on the repeat sheets", []string{"w.xlsx"}},
		{"encrypted csv", "s.csv", []string{"--passphrase-file", writeSecret(t, "the council's shared passphrase")}, 2, "export to .xlsx", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"export", "--db", db, "--survey", "carers", "--out", filepath.Join(dir, c.out)}, c.args...)...)
			if code != c.code || !strings.Contains(out+errOut, c.say) {
				t.Errorf("exit %d (want %d), out %q, err %q; want it to say %q", code, c.code, out, errOut, c.say)
			}
			for _, f := range c.files {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("%s: %v", f, err)
				}
			}
		})
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "s") {
			t.Errorf("the refused encrypted export left %s", e.Name())
		}
	}
}
