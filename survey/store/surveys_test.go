package store_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"canvass/assets"
	"canvass/survey"
	"canvass/survey/store"
)

func TestSurveyVersions(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, store.WithClock(newClock().Now))

	def := sampleSurvey("park", "Park survey")
	def.Version = 42 // ignored
	v1 := mustSaveSurvey(t, s, def)
	if v1.Version != 1 {
		t.Fatalf("first save: version %d, want 1", v1.Version)
	}
	if def.Version != 42 {
		t.Errorf("SaveSurvey changed the caller's Version to %d", def.Version)
	}

	t.Run("edit without responses updates in place", func(t *testing.T) {
		edit := sampleSurvey("park", "Park survey (draft 2)")
		saved := mustSaveSurvey(t, s, edit)
		if saved.Version != 1 || saved.Title["en"] != "Park survey (draft 2)" {
			t.Errorf("saved = version %d %q, want version 1 with the new title", saved.Version, saved.Title["en"])
		}
		if vs, err := s.SurveyVersions(ctx, "park"); err != nil || !reflect.DeepEqual(vs, []int{1}) {
			t.Errorf("SurveyVersions = %v, %v; want [1]", vs, err)
		}
	})

	old := mustStart(t, s, "park", 0)
	if old.SurveyVersion != 1 {
		t.Fatalf("response started on version %d, want 1", old.SurveyVersion)
	}

	t.Run("saving unchanged content keeps the version", func(t *testing.T) {
		saved := mustSaveSurvey(t, s, sampleSurvey("park", "Park survey (draft 2)"))
		if saved.Version != 1 {
			t.Errorf("unchanged save made version %d, want 1", saved.Version)
		}
	})

	t.Run("edit with responses makes a new version", func(t *testing.T) {
		edit := sampleSurvey("park", "Park survey v2")
		edit.Questions = edit.Questions[:3]
		saved := mustSaveSurvey(t, s, edit)
		if saved.Version != 2 {
			t.Fatalf("version %d, want 2", saved.Version)
		}
		got, err := s.Survey(ctx, "park", 1)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 1 || got.Title["en"] != "Park survey (draft 2)" || len(got.Questions) != 4 {
			t.Errorf("version 1 changed: %d %q %d questions", got.Version, got.Title["en"], len(got.Questions))
		}
		latest, err := s.Survey(ctx, "park", 0)
		if err != nil {
			t.Fatal(err)
		}
		if latest.Version != 2 || len(latest.Questions) != 3 {
			t.Errorf("latest = version %d with %d questions, want 2 with 3", latest.Version, len(latest.Questions))
		}
		if r := mustResponse(t, s, old.ID); r.SurveyVersion != 1 {
			t.Errorf("old response now points at version %d", r.SurveyVersion)
		}
		if r := mustStart(t, s, "park", 0); r.SurveyVersion != 2 {
			t.Errorf("new response started on version %d, want 2", r.SurveyVersion)
		}
		if vs, err := s.SurveyVersions(ctx, "park"); err != nil || !reflect.DeepEqual(vs, []int{1, 2}) {
			t.Errorf("SurveyVersions = %v, %v; want [1 2]", vs, err)
		}
	})

	t.Run("start on an old version", func(t *testing.T) {
		if r := mustStart(t, s, "park", 1); r.SurveyVersion != 1 {
			t.Errorf("started on version %d, want 1", r.SurveyVersion)
		}
		if _, err := s.StartResponse(ctx, "park", 9, "en"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("StartResponse(version 9) = %v, want ErrNotFound", err)
		}
		if _, err := s.StartResponse(ctx, "nope", 0, "en"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("StartResponse(unknown survey) = %v, want ErrNotFound", err)
		}
	})

	t.Run("not found", func(t *testing.T) {
		for _, c := range []struct {
			id string
			v  int
		}{{"nope", 0}, {"nope", 1}, {"park", 3}} {
			if _, err := s.Survey(ctx, c.id, c.v); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Survey(%q, %d) = %v, want ErrNotFound", c.id, c.v, err)
			}
		}
		if _, err := s.SurveyVersions(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SurveyVersions(nope) = %v, want ErrNotFound", err)
		}
		if err := s.ArchiveSurvey(ctx, "nope", true); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ArchiveSurvey(nope) = %v, want ErrNotFound", err)
		}
	})

	t.Run("bad input", func(t *testing.T) {
		broken := sampleSurvey("broken", "Broken")
		broken.Questions[3].Relevant = "${nowhere} = 'yes'"
		for name, def := range map[string]*survey.Survey{
			"nil":     nil,
			"no id":   {Title: survey.En("x")},
			"invalid": broken,
		} {
			if _, err := s.SaveSurvey(ctx, def); err == nil {
				t.Errorf("%s: SaveSurvey accepted it", name)
			} else if name == "invalid" && !strings.Contains(err.Error(), "nowhere") {
				t.Errorf("%s: error %q does not name the bad reference", name, err)
			}
		}
		if _, err := s.Survey(ctx, "broken", 0); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("refused survey was stored: %v", err)
		}
	})
}

func TestSurveysList(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustSaveSurvey(t, s, sampleSurvey("zoo", "Zoo survey"))
	mustSaveSurvey(t, s, sampleSurvey("bus", "bus routes"))
	tpl := sampleSurvey("arts", "Arts grant")
	tpl.Template = "decision-tool"
	mustSaveSurvey(t, s, tpl)

	// zoo: version 1 gets a complete and a draft, version 2 an abandoned one.
	done := mustStart(t, s, "zoo", 0)
	if err := s.Submit(ctx, done.ID, survey.Answers{"visit": "yes"}, nil); err != nil {
		t.Fatal(err)
	}
	mustStart(t, s, "zoo", 0)
	mustSaveSurvey(t, s, sampleSurvey("zoo", "Zoo survey 2"))
	left := mustStart(t, s, "zoo", 2)
	if err := s.SetStatus(ctx, left.ID, survey.StatusAbandoned); err != nil {
		t.Fatal(err)
	}

	list, err := s.Surveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, sum := range list {
		ids = append(ids, sum.ID)
	}
	if want := []string{"arts", "bus", "zoo"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("Surveys order = %v, want %v (by title, ignoring case)", ids, want)
	}
	zoo := list[2]
	if zoo.Version != 2 || zoo.Versions != 2 || zoo.Complete != 1 || zoo.Partial != 1 || zoo.Abandoned != 1 || zoo.Title["en"] != "Zoo survey 2" || zoo.Updated.IsZero() {
		t.Errorf("zoo summary = %+v", zoo)
	}
	if list[0].Template != "decision-tool" || list[0].Complete != 0 || list[0].Versions != 1 {
		t.Errorf("arts summary = %+v", list[0])
	}

	t.Run("archive", func(t *testing.T) {
		if err := s.ArchiveSurvey(ctx, "zoo", true); err != nil {
			t.Fatal(err)
		}
		list, err := s.Surveys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 {
			t.Errorf("Surveys after archiving zoo has %d entries, want 2", len(list))
		}
		arch, err := s.ArchivedSurveys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(arch) != 1 || arch[0].ID != "zoo" || !arch[0].Archived || arch[0].Complete != 1 {
			t.Errorf("ArchivedSurveys = %+v", arch)
		}
		// A new version of an archived survey stays archived.
		if v := mustSaveSurvey(t, s, sampleSurvey("zoo", "Zoo survey 3")); v.Version != 3 {
			t.Errorf("new version %d, want 3", v.Version)
		}
		if arch, _ := s.ArchivedSurveys(ctx); len(arch) != 1 || arch[0].Version != 3 {
			t.Errorf("ArchivedSurveys after a new version = %+v", arch)
		}
		if err := s.ArchiveSurvey(ctx, "zoo", false); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.Surveys(ctx); len(list) != 3 {
			t.Errorf("Surveys after unarchiving has %d entries, want 3", len(list))
		}
	})
}

func TestInstallTemplates(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	templates := func() []*survey.Survey {
		a, b := sampleSurvey("tpl-a", "Template A"), sampleSurvey("tpl-b", "Template B")
		a.Template, b.Template = "tpl-a", "tpl-b"
		a.Version, b.Version = 1, 1
		return []*survey.Survey{a, b}
	}
	n, err := s.InstallTemplates(ctx, templates())
	if err != nil || n != 2 {
		t.Fatalf("first InstallTemplates = %d, %v; want 2", n, err)
	}
	// The user edits one and archives the other: nothing comes back on the next start.
	mustSaveSurvey(t, s, sampleSurvey("tpl-a", "My own A"))
	if err := s.ArchiveSurvey(ctx, "tpl-b", true); err != nil {
		t.Fatal(err)
	}
	n, err = s.InstallTemplates(ctx, templates())
	if err != nil || n != 0 {
		t.Fatalf("second InstallTemplates = %d, %v; want 0", n, err)
	}
	// The edit is a new version: the template's version 1 stays as every laptop holds it.
	a, err := s.Survey(ctx, "tpl-a", 0)
	if err != nil || a.Title["en"] != "My own A" || a.Version != 2 {
		t.Errorf("tpl-a after reinstall = %+v, %v", a, err)
	}
	if vs, _ := s.SurveyVersions(ctx, "tpl-b"); len(vs) != 1 {
		t.Errorf("tpl-b has versions %v", vs)
	}
	c := sampleSurvey("tpl-c", "C")
	c.Version = 1
	n, err = s.InstallTemplates(ctx, []*survey.Survey{c, {}})
	if err == nil || n != 1 {
		t.Errorf("InstallTemplates with a bad template = %d, %v; want 1 and an error", n, err)
	}
}

func TestImportSurvey(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	def := sampleSurvey("park", "Park")
	def.Version = 3
	if ok, err := s.ImportSurvey(ctx, def); !ok || err != nil {
		t.Fatalf("ImportSurvey = %v, %v", ok, err)
	}
	if ok, err := s.ImportSurvey(ctx, def); ok || err != nil {
		t.Errorf("ImportSurvey again = %v, %v; want false, nil", ok, err)
	}
	other := sampleSurvey("park", "Different")
	other.Version = 3
	if _, err := s.ImportSurvey(ctx, other); err == nil {
		t.Error("ImportSurvey of different content under the same version succeeded")
	}
	if got, err := s.Survey(ctx, "park", 0); err != nil || got.Version != 3 || got.Title["en"] != "Park" {
		t.Errorf("Survey = %+v, %v", got, err)
	}
}

// TestSurveysMarksScored: the list says which surveys are scored decision
// tools, so the home screen needs no definition to choose its buttons.
func TestSurveysMarksScored(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	defs, err := assets.Templates()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.InstallTemplates(ctx, defs); err != nil {
		t.Fatal(err)
	}
	list, err := s.Surveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"decision": true, "engagement": false, "sds": false}
	for _, sum := range list {
		if sum.Scored != want[sum.ID] {
			t.Errorf("%s: Scored = %v, want %v", sum.ID, sum.Scored, want[sum.ID])
		}
	}
	if len(list) != len(want) {
		t.Fatalf("%d surveys, want %d", len(list), len(want))
	}
}
