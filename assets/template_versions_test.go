package assets_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"canvass/assets"
	"canvass/survey/store"
)

// digestsFile records the content digest of every built-in template
// version ever shipped, one "id version sha256" line each.
var digestsFile = filepath.Join("testdata", "template-digests.txt")

// readDigests returns the recorded digests by id and version.
func readDigests(t *testing.T) map[string]map[int]string {
	t.Helper()
	f, err := os.Open(digestsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]map[int]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		v, err := 0, error(nil)
		if len(fields) == 3 {
			v, err = strconv.Atoi(fields[1])
		}
		if len(fields) != 3 || err != nil || len(fields[2]) != 64 {
			t.Fatalf("%s line %d: want \"id version sha256\", got %q", digestsFile, n, line)
		}
		if out[fields[0]] == nil {
			out[fields[0]] = map[int]string{}
		}
		if _, dup := out[fields[0]][v]; dup {
			t.Fatalf("%s line %d: %s version %d recorded twice", digestsFile, n, fields[0], v)
		}
		out[fields[0]][v] = fields[2]
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTemplateVersionsRecorded: a built-in template's content may only
// change together with its version, or laptops installed before and after
// the change would hold different content under one version and merging
// them would hold responses back (see survey/store's templates.go).
func TestTemplateVersionsRecorded(t *testing.T) {
	recorded := readDigests(t)
	for _, def := range mustTemplates(t) {
		t.Run(def.ID, func(t *testing.T) {
			if !store.IsTemplateVersion(def.Version) {
				t.Fatalf("templates/%s.json: version %d is not a template version; use %d (template versions are 1, 1001, 2001, …)",
					def.ID, def.Version, store.NextTemplateVersion(def.Version))
			}
			got, err := store.ContentDigest(def)
			if err != nil {
				t.Fatal(err)
			}
			next := def.Version
			for v := range recorded[def.ID] {
				next = max(next, store.NextTemplateVersion(v))
			}
			want, ok := recorded[def.ID][def.Version]
			switch {
			case !ok && next != def.Version:
				t.Errorf("templates/%s.json: version %d is older than a recorded one; give it version %d and add to %s:\n%s %d %s",
					def.ID, def.Version, next, digestsFile, def.ID, next, got)
			case !ok:
				t.Errorf("templates/%s.json: version %d is not recorded yet; add to %s (never change a line already there):\n%s %d %s",
					def.ID, def.Version, digestsFile, def.ID, def.Version, got)
			case want != got:
				t.Errorf("templates/%s.json changed but still says version %d, which laptops already hold with the old content "+
					"(merging them would report a survey conflict). Set its \"version\" to %d and add to %s (keep the old line):\n%s %d %s",
					def.ID, def.Version, next, digestsFile, def.ID, next, got)
			}
		})
	}
}

// TestTemplateDigestsWellFormed: every recorded version is a template
// version, so a laptop never holds a staff edit under the same number.
func TestTemplateDigestsWellFormed(t *testing.T) {
	for id, versions := range readDigests(t) {
		for v := range versions {
			if !store.IsTemplateVersion(v) {
				t.Errorf("%s: %s version %d is not a template version", digestsFile, id, v)
			}
		}
	}
}

func TestTemplateByID(t *testing.T) {
	for _, want := range mustTemplates(t) {
		if got, err := assets.Template(want.ID); err != nil || got.ID != want.ID || got.Version != want.Version {
			t.Errorf("Template(%q) = %v, %v", want.ID, got, err)
		}
	}
	if _, err := assets.Template("nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Template(nope) error = %v", err)
	}
}
