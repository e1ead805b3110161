package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"canvass/assets"
	"canvass/survey"
	"canvass/survey/store"
)

// oldSDS is the sds template as laptops installed it before template
// versions (git: de8cbf0^:assets/templates/sds.json), stored as version 1.
func oldSDS(t *testing.T) *survey.Survey {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "templates", "sds-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	def, err := survey.Unmarshal(b)
	if err != nil {
		t.Fatalf("old sds: %v", err)
	}
	return def
}

// builtIns returns the templates this build installs.
func builtIns(t *testing.T) []*survey.Survey {
	t.Helper()
	defs, err := assets.Templates()
	if err != nil {
		t.Fatal(err)
	}
	return defs
}

func builtIn(t *testing.T, id string) *survey.Survey {
	t.Helper()
	def, err := assets.Template(id)
	if err != nil {
		t.Fatal(err)
	}
	return def
}

func digest(t *testing.T, def *survey.Survey) string {
	t.Helper()
	d, err := store.ContentDigest(def)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// answer submits a response to version v of sds on s and returns its id.
func answer(t *testing.T, s *store.Store, v int) string {
	t.Helper()
	r := mustStart(t, s, "sds", v)
	if err := s.Submit(context.Background(), r.ID, survey.Answers{"consent": "yes"}, nil); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// laptop is a database as one laptop holds it, and what it should hold.
type laptop struct {
	s         *store.Store
	responses map[string]int // response id → the sds version it was given on
	staff     int            // the version a staff edit made (0: none)
}

// Laptop setups: how a laptop came to hold the sds survey.
var setups = map[string]func(t *testing.T) *laptop{
	// Installed by a build before template versions, never upgraded.
	"old": oldLaptop,
	// Old, then staff edited sds (version 2, as v1 had responses), not upgraded.
	"old edited": oldEdited,
	// Old, then upgraded to this build.
	"upgraded": func(t *testing.T) *laptop { return upgrade(t, oldLaptop(t)) },
	// Old, edited by staff, then upgraded.
	"edited then upgraded": func(t *testing.T) *laptop { return upgrade(t, oldEdited(t)) },
	// Installed by this build.
	"fresh": func(t *testing.T) *laptop {
		l := &laptop{s: mustOpen(t), responses: map[string]int{}}
		install(t, l.s, len(builtIns(t)))
		l.responses[answer(t, l.s, 0)] = builtIn(t, "sds").Version
		return l
	},
}

// oldLaptop is a legacy install with a response on sds version 1.
func oldLaptop(t *testing.T) *laptop {
	l := legacy(t)
	l.responses[answer(t, l.s, 1)] = 1
	return l
}

// oldEdited is oldLaptop where staff then edited sds and answered the edit.
func oldEdited(t *testing.T) *laptop {
	l := oldLaptop(t)
	l.staff = staffEdit(t, l.s)
	l.responses[answer(t, l.s, l.staff)] = l.staff
	return l
}

// upgrade starts this build on l and answers the now current sds.
func upgrade(t *testing.T, l *laptop) *laptop {
	install(t, l.s, 1)
	l.responses[answer(t, l.s, 0)] = builtIn(t, "sds").Version
	return l
}

// legacy opens a database holding every template as version 1, as a build
// before template versions installed them, with the old sds content.
func legacy(t *testing.T) *laptop {
	t.Helper()
	s := mustOpen(t)
	for _, def := range builtIns(t) {
		if def.ID == "sds" {
			def = oldSDS(t)
		}
		c := def.Clone()
		c.Version = 1
		if _, err := s.ImportSurvey(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	return &laptop{s: s, responses: map[string]int{}}
}

// staffEdit changes the latest sds as the editor would and returns the new version.
func staffEdit(t *testing.T, s *store.Store) int {
	t.Helper()
	def, err := s.Survey(context.Background(), "sds", 0)
	if err != nil {
		t.Fatal(err)
	}
	def.Title = survey.En("Your support, your choice (Newtown)")
	return mustSaveSurvey(t, s, def).Version
}

// install runs the start-up template install and checks how many versions it added.
func install(t *testing.T, s *store.Store, want int) {
	t.Helper()
	n, err := s.InstallTemplates(context.Background(), builtIns(t))
	if err != nil || n != want {
		t.Fatalf("InstallTemplates = %d, %v; want %d", n, err, want)
	}
}

// check verifies that l still holds its responses on their versions, the
// old sds content as version 1 (when it had it), its staff edit, and the
// built-in sds version with this build's content.
func (l *laptop) check(t *testing.T, wantLatest int) {
	t.Helper()
	ctx := context.Background()
	for id, v := range l.responses {
		if r := mustResponse(t, l.s, id); r.SurveyVersion != v {
			t.Errorf("response %s is on version %d, want %d", id, r.SurveyVersion, v)
		}
	}
	versions, err := l.s.SurveyVersions(ctx, "sds")
	if err != nil {
		t.Fatal(err)
	}
	if got := versions[len(versions)-1]; got != wantLatest {
		t.Errorf("sds versions %v: latest %d, want %d", versions, got, wantLatest)
	}
	if latest, err := l.s.Survey(ctx, "sds", 0); err != nil || latest.Version != wantLatest {
		t.Errorf("current sds = %v, %v; want version %d", latest, err, wantLatest)
	}
	for _, v := range versions {
		def, err := l.s.Survey(ctx, "sds", v)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case v == 1 && digest(t, def) != digest(t, oldSDS(t)):
			t.Errorf("sds version 1 no longer holds the old content")
		case v == builtIn(t, "sds").Version && digest(t, def) != digest(t, builtIn(t, "sds")):
			t.Errorf("sds version %d does not hold this build's template", v)
		case v == l.staff && def.Title["en"] != "Your support, your choice (Newtown)":
			t.Errorf("staff edit version %d lost its title: %v", v, def.Title)
		}
	}
}

// TestOldSDSFixture: the fixture is the sds version 1 the assets record.
func TestOldSDSFixture(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", "testdata", "template-digests.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := "sds 1 " + digest(t, oldSDS(t))
	if !slices.Contains(strings.Split(string(b), "\n"), want) {
		t.Errorf("the assets record no %q: testdata/templates/sds-v1.json is not the shipped sds version 1", want)
	}
	if oldSDS(t).Version != 1 || builtIn(t, "sds").Version <= 1 {
		t.Errorf("fixture version %d, built-in version %d", oldSDS(t).Version, builtIn(t, "sds").Version)
	}
}

func TestInstallTemplateVersions(t *testing.T) {
	ctx := context.Background()
	current := builtIn(t, "sds").Version
	tests := []struct {
		setup    string
		versions []int
		latest   int
	}{
		{"fresh", []int{current}, current},
		{"upgraded", []int{1, current}, current},
		{"edited then upgraded", []int{1, 2, current}, current},
		{"old", []int{1}, 1},
		{"old edited", []int{1, 2}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.setup, func(t *testing.T) {
			l := setups[tc.setup](t)
			if got, _ := l.s.SurveyVersions(ctx, "sds"); !slices.Equal(got, tc.versions) {
				t.Errorf("sds versions = %v, want %v", got, tc.versions)
			}
			l.check(t, tc.latest)
			// Every start installs again: nothing changes once upgraded.
			if tc.latest == current {
				before := dump(t, l.s)
				install(t, l.s, 0)
				if after := dump(t, l.s); after != before {
					t.Errorf("a second install changed the database:\n%s\nthen\n%s", before, after)
				}
			}
			// The home screen lists the survey once, at its current version.
			list, err := l.s.Surveys(ctx)
			if err != nil {
				t.Fatal(err)
			}
			found := 0
			for _, sum := range list {
				if sum.ID == "sds" {
					found++
					if sum.Version != tc.latest || sum.Versions != len(tc.versions) || sum.Complete != len(l.responses) {
						t.Errorf("home list sds = %+v; want version %d of %d, %d complete", sum, tc.latest, len(tc.versions), len(l.responses))
					}
				}
			}
			if found != 1 {
				t.Errorf("home list has sds %d times", found)
			}
		})
	}
}

// TestInstallTemplateKeepsArchived: a survey staff archived gets the new
// version archived too, so it does not come back on the home screen.
func TestInstallTemplateKeepsArchived(t *testing.T) {
	ctx := context.Background()
	l := legacy(t)
	if err := l.s.ArchiveSurvey(ctx, "sds", true); err != nil {
		t.Fatal(err)
	}
	install(t, l.s, 1)
	list, err := l.s.ArchivedSurveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != "sds" || list[0].Version != builtIn(t, "sds").Version {
		t.Errorf("archived surveys after upgrade = %+v", list)
	}
}

// TestMergeTemplateVersions: laptops with and without the upgrade, with and
// without staff edits, merge each other's bundles in both directions with
// no conflict and nothing held back; merging again changes nothing.
func TestMergeTemplateVersions(t *testing.T) {
	current := builtIn(t, "sds").Version
	pairs := []struct{ a, b string }{
		{"old", "upgraded"},
		{"old", "fresh"},
		{"old edited", "upgraded"},
		{"old edited", "fresh"},
		{"edited then upgraded", "fresh"},
		{"edited then upgraded", "old"},
		{"upgraded", "fresh"},
	}
	for _, p := range pairs {
		t.Run(p.a+" with "+p.b, func(t *testing.T) {
			a, b := setups[p.a](t), setups[p.b](t)
			for _, dir := range []struct {
				name     string
				from, to *laptop
			}{{"a into b", a, b}, {"b into a", b, a}} {
				bundle := mustBundle(t, dir.from.s, "")
				rep := mustMerge(t, dir.to.s, bundle)
				if len(rep.SurveyConflicts) > 0 || rep.Withheld > 0 || len(rep.Conflicts) > 0 {
					t.Errorf("%s: %s", dir.name, rep)
				}
				before := dump(t, dir.to.s)
				if again := mustMerge(t, dir.to.s, bundle); again.Changed() || dump(t, dir.to.s) != before {
					t.Errorf("%s again changed something: %s", dir.name, again)
				}
			}
			// Both now hold every response on its own version and the
			// same versions, the newest current.
			all := &laptop{responses: map[string]int{}}
			for _, l := range []*laptop{a, b} {
				for id, v := range l.responses {
					all.responses[id] = v
				}
				all.staff = max(all.staff, l.staff)
			}
			latest := 1
			if p.a != "old" && p.a != "old edited" || p.b != "old" && p.b != "old edited" {
				latest = current
			}
			for _, l := range []*laptop{a, b} {
				all.s = l.s
				all.check(t, max(latest, all.staff))
			}
			va, _ := a.s.SurveyVersions(context.Background(), "sds")
			vb, _ := b.s.SurveyVersions(context.Background(), "sds")
			if !slices.Equal(va, vb) {
				t.Errorf("sds versions differ after merging: %v and %v", va, vb)
			}
			// Both start again (the old one now upgraded) and merge again: no conflict, nothing new.
			for _, l := range []*laptop{a, b} {
				if _, err := l.s.InstallTemplates(context.Background(), builtIns(t)); err != nil {
					t.Fatal(err)
				}
			}
			for _, dir := range [][2]*laptop{{a, b}, {b, a}} {
				rep := mustMerge(t, dir[1].s, mustBundle(t, dir[0].s, ""))
				if len(rep.SurveyConflicts) > 0 || rep.Withheld > 0 || len(rep.Conflicts) > 0 || rep.Added > 0 {
					t.Errorf("after both started again: %s", rep)
				}
			}
		})
	}
}

// TestSaveSurveyKeepsTemplateVersions: staff edits of a built-in template
// never change its installed version and never take a template version's
// number, so they cannot collide with a later template version.
func TestSaveSurveyKeepsTemplateVersions(t *testing.T) {
	ctx := context.Background()
	current := builtIn(t, "sds").Version
	tests := []struct {
		name  string
		setup func(t *testing.T, s *store.Store)
		want  []int // sds versions after two edits, the second without new responses
	}{
		{"template version without responses", func(t *testing.T, s *store.Store) {
			install(t, s, len(builtIns(t)))
		}, []int{current, current + 1}},
		{"template version with responses", func(t *testing.T, s *store.Store) {
			install(t, s, len(builtIns(t)))
			answer(t, s, current)
		}, []int{current, current + 1}},
		{"staff version before a template number", func(t *testing.T, s *store.Store) {
			def := builtIn(t, "sds").Clone()
			def.Version = store.NextTemplateVersion(current) - 1
			def.Title = survey.En("Edited many times")
			if _, err := s.ImportSurvey(ctx, def); err != nil {
				t.Fatal(err)
			}
			answer(t, s, def.Version)
		}, []int{store.NextTemplateVersion(current) - 1, store.NextTemplateVersion(current) + 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustOpen(t)
			tc.setup(t, s)
			before, err := s.Survey(ctx, "sds", tc.want[0])
			if err != nil {
				t.Fatal(err)
			}
			for _, title := range []string{"First edit", "Second edit"} {
				def, err := s.Survey(ctx, "sds", 0)
				if err != nil {
					t.Fatal(err)
				}
				def.Title = survey.En(title)
				mustSaveSurvey(t, s, def)
			}
			if got, _ := s.SurveyVersions(ctx, "sds"); !slices.Equal(got, tc.want) {
				t.Errorf("sds versions = %v, want %v", got, tc.want)
			}
			if after, err := s.Survey(ctx, "sds", tc.want[0]); err != nil || digest(t, after) != digest(t, before) {
				t.Errorf("version %d changed: %v", tc.want[0], err)
			}
			if latest, _ := s.Survey(ctx, "sds", 0); latest.Title["en"] != "Second edit" {
				t.Errorf("latest title = %v", latest.Title)
			}
		})
	}
}

func TestTemplateVersionNumbers(t *testing.T) {
	tests := []struct {
		v        int
		template bool
		next     int
	}{
		{0, false, 1}, {1, true, 1001}, {2, false, 1001}, {1000, false, 1001},
		{1001, true, 2001}, {1002, false, 2001}, {2001, true, 3001}, {-5, false, 1},
	}
	for _, tc := range tests {
		if got := store.IsTemplateVersion(tc.v); got != tc.template {
			t.Errorf("IsTemplateVersion(%d) = %v", tc.v, got)
		}
		if got := store.NextTemplateVersion(tc.v); got != tc.next {
			t.Errorf("NextTemplateVersion(%d) = %d, want %d", tc.v, got, tc.next)
		}
	}
}

// TestPlanEdit: what an editor is told before saving matches what saving does.
func TestPlanEdit(t *testing.T) {
	ctx := context.Background()
	current := builtIn(t, "sds").Version
	tests := []struct {
		name  string
		setup func(t *testing.T, s *store.Store) string
		want  store.EditPlan
	}{
		{"built-in template version", func(t *testing.T, s *store.Store) string {
			install(t, s, len(builtIns(t)))
			return "sds"
		}, store.EditPlan{Latest: current, Next: current + 1, BuiltIn: true}},
		{"built-in with a response", func(t *testing.T, s *store.Store) string {
			install(t, s, len(builtIns(t)))
			answer(t, s, current)
			return "sds"
		}, store.EditPlan{Latest: current, Next: current + 1, Responses: 1, BuiltIn: true}},
		{"staff's own survey", func(t *testing.T, s *store.Store) string {
			mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
			return "park"
		}, store.EditPlan{Latest: 1, Next: 1}},
		{"staff's edit of a template", func(t *testing.T, s *store.Store) string {
			install(t, s, len(builtIns(t)))
			staffEdit(t, s)
			return "sds"
		}, store.EditPlan{Latest: current + 1, Next: current + 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustOpen(t)
			id := tc.setup(t, s)
			got, err := s.PlanEdit(ctx, id)
			if err != nil || got != tc.want {
				t.Fatalf("PlanEdit = %+v, %v; want %+v", got, err, tc.want)
			}
			def, err := s.Survey(ctx, id, 0)
			if err != nil {
				t.Fatal(err)
			}
			def.Title = survey.En("Changed")
			if saved := mustSaveSurvey(t, s, def); saved.Version != tc.want.Next {
				t.Errorf("saved as version %d, plan said %d", saved.Version, tc.want.Next)
			}
		})
	}
	if _, err := mustOpen(t).PlanEdit(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PlanEdit of a missing survey: %v", err)
	}
}
