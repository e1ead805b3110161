package cli_test

import (
	"context"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"canvass/survey"
	"canvass/survey/central/centraltest"
	"canvass/survey/store"
)

// TestSyncReceivesRepeats: `canvass sync --receive` brings in a submission
// made on ODK Collect (three people, a nested pet) with its instance keys,
// says what it did, changes nothing the second time, and names a
// submission that does not follow the form without storing it.
func TestSyncReceivesRepeats(t *testing.T) {
	srv := centraltest.Need(t)
	ctx := context.Background()
	p := srv.NewProject(t)
	db := filepath.Join(t.TempDir(), "canvass.db")
	withStore(t, db, func(st *store.Store) {
		_, err := st.SaveSurvey(ctx, &survey.Survey{ID: "visits", Version: 1, Title: survey.En("Visits"),
			Languages: []survey.Language{{Code: "en", Name: "English"}},
			Questions: []*survey.Question{
				{Type: survey.TypeGroup, Name: "people", Label: survey.En("People"), Repeat: &survey.Repeat{Item: survey.En("person")}, Questions: []*survey.Question{
					{Type: survey.TypeText, Name: "first", Label: survey.En("Name")},
					{Type: survey.TypeGroup, Name: "pets", Label: survey.En("Pets"), Repeat: &survey.Repeat{}, Questions: []*survey.Question{
						{Type: survey.TypeText, Name: "pet", Label: survey.En("Pet")},
					}},
				}},
			}})
		if err != nil {
			t.Fatal(err)
		}
	})
	login := []string{"--db", db, "--server", p.URL(), "--email", p.Email, "--password-file", passwordFile(t, p.Password)}
	mustRun(t, append([]string{"publish", "--survey", "visits"}, login...)...)
	submit := func(id, people string) {
		p.Do(t, "POST", p.Path("/forms/visits/submissions"), "application/xml",
			[]byte(`<data id="visits" version="1">`+people+`<meta><instanceID>uuid:`+id+`</instanceID></meta></data>`))
	}
	const collect = "5c1e0c55-8f0d-4a0c-9d4e-3f1b2a7c9e01"
	submit(collect, `<people><first>Ann</first></people><people><first>Bob</first><pets><pet>cat</pet></pets></people><people><first>Cy</first></people>`)

	sync := append([]string{"sync", "--survey", "visits", "--receive"}, login...)
	out := mustRun(t, sync...)
	if !strings.Contains(out, "received 1 new, 0 already here, 0 refused, 0 waiting") || !strings.Contains(out, "0 sent, 0 edits sent, 1 already there") {
		t.Errorf("sync --receive says %q", out)
	}
	want := survey.Answers{"people[1]/first": "Ann", "people[2]/first": "Bob", "people[2]/pets[1]/pet": "cat", "people[3]/first": "Cy"}
	stored := func() map[string]survey.Answers {
		out := map[string]survey.Answers{}
		withStore(t, db, func(st *store.Store) {
			if err := st.EachResponse(ctx, survey.Filter{SurveyID: "visits"}, func(r *survey.Response) error {
				out[r.ID] = r.Answers
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		})
		return out
	}
	before := stored()
	if len(before) != 1 || !maps.Equal(before[collect], want) {
		t.Fatalf("stored %v, want %s = %v", before, collect, want)
	}

	submit("6c1e0c55-8f0d-4a0c-9d4e-3f1b2a7c9e02", `<people><first>Di</first><pets><pet>dog</pet><collar>red</collar></pets></people>`)
	code, out, errOut := runCLI(t, "", sync...)
	if code == 0 || !strings.Contains(out, "received 0 new, 1 already here, 1 refused") ||
		!strings.Contains(out, "not received: submission uuid:6c1e0c55-8f0d-4a0c-9d4e-3f1b2a7c9e02") ||
		!strings.Contains(out, "/data/people[1]/pets[1] holds <collar>") ||
		!strings.Contains(errOut, "1 submission on the server does not follow the form and was not stored here") {
		t.Errorf("sync --receive with a bad submission: exit %d\n%s%s", code, out, errOut)
	}
	if after := stored(); !maps.EqualFunc(before, after, maps.Equal) {
		t.Errorf("stored responses changed: %v, want %v", after, before)
	}
}
