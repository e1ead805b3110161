package assets_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"canvass/assets"
	"canvass/survey"
)

// mustTemplates loads the built-in templates, failing the test on error.
func mustTemplates(t *testing.T) []*survey.Survey {
	t.Helper()
	tpls, err := assets.Templates()
	if err != nil {
		t.Fatalf("Templates: %v", err)
	}
	return tpls
}

// mustTemplate returns the built-in template with the given id.
func mustTemplate(t *testing.T, id string) *survey.Survey {
	t.Helper()
	s, err := assets.Template(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTemplatesDecodeWithUniqueIDs(t *testing.T) {
	tpls := mustTemplates(t)
	seen := map[string]bool{}
	ids := make([]string, 0, len(tpls))
	for _, s := range tpls {
		if s.ID == "" {
			t.Errorf("a template has no id")
		}
		if seen[s.ID] {
			t.Errorf("template id %q used twice", s.ID)
		}
		seen[s.ID] = true
		ids = append(ids, s.ID)
	}
	// Templates are sorted by file name, and each file is named after its id.
	for _, want := range []string{"engagement", "sds"} {
		if !seen[want] {
			t.Errorf("template %q missing; have %v", want, ids)
		}
	}
	for i := 1; i < len(ids); i++ {
		if ids[i-1] > ids[i] {
			t.Errorf("templates not sorted by file name: %v", ids)
		}
	}
}

func TestTemplatesShape(t *testing.T) {
	for _, s := range mustTemplates(t) {
		t.Run(s.ID, func(t *testing.T) {
			if s.Version < 1 {
				t.Errorf("version = %d, want ≥ 1", s.Version)
			}
			if s.Template != s.ID {
				t.Errorf("template = %q, want %q", s.Template, s.ID)
			}
			if s.Title.Empty() {
				t.Errorf("no title")
			}
			if s.DefaultLanguage() != "en" {
				t.Errorf("default language = %q, want en", s.DefaultLanguage())
			}
			if len(s.Questions) < 2 {
				t.Fatalf("only %d top-level questions", len(s.Questions))
			}
			first, last := s.Questions[0], s.Questions[len(s.Questions)-1]
			if first.Type != survey.TypeAcknowledge || !first.Required {
				t.Errorf("first question %q is %s (required %v), want a required acknowledge",
					first.Name, first.Type, first.Required)
			}
			if first.RequiredMessage.Empty() {
				t.Errorf("consent %q has no required_message", first.Name)
			}
			if last.Type != survey.TypeNote {
				t.Errorf("last question %q is %s, want a note", last.Name, last.Type)
			}
			for _, q := range s.All() {
				if q.Type.Shown() && q.Label.Empty() {
					t.Errorf("question %q has no label", q.Name)
				}
				if q.Required && q.RequiredMessage.Empty() {
					t.Errorf("required question %q has no required_message", q.Name)
				}
				if q.Constraint != "" && q.ConstraintMessage.Empty() {
					t.Errorf("question %q has a constraint but no constraint_message", q.Name)
				}
			}
		})
	}
}

func TestTemplatesValidate(t *testing.T) {
	for _, s := range mustTemplates(t) {
		t.Run(s.ID, func(t *testing.T) {
			if err := s.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

// refPattern finds ${name} references in an expression.
var refPattern = regexp.MustCompile(`\$\{([^}]*)\}`)

func TestTemplatesReferences(t *testing.T) {
	for _, s := range mustTemplates(t) {
		t.Run(s.ID, func(t *testing.T) {
			names := map[string]bool{}
			for _, q := range s.All() {
				if q.Name == "" {
					t.Errorf("a %s question has no name", q.Type)
				}
				if names[q.Name] {
					t.Errorf("question name %q used twice", q.Name)
				}
				names[q.Name] = true
				if !q.Type.Known() {
					t.Errorf("question %q has unknown type %q", q.Name, q.Type)
				}
			}
			for _, q := range s.All() {
				for field, e := range map[string]string{
					"relevant": q.Relevant, "constraint": q.Constraint,
					"calculation": q.Calculation, "choice_filter": q.ChoiceFilter,
				} {
					for _, m := range refPattern.FindAllStringSubmatch(e, -1) {
						if !names[m[1]] {
							t.Errorf("%s of %q refers to unknown question ${%s}", field, q.Name, m[1])
						}
						if m[1] == q.Name {
							t.Errorf("%s of %q refers to itself; use .", field, q.Name)
						}
					}
				}
				if q.Type.HasChoices() {
					l, ok := s.List(q.List)
					if !ok {
						t.Errorf("%s %q names unknown list %q", q.Type, q.Name, q.List)
					} else if len(l.Choices) < 2 {
						t.Errorf("list %q of %q has %d choices", q.List, q.Name, len(l.Choices))
					}
				} else if q.List != "" {
					t.Errorf("%s %q names a list (%q) but takes none", q.Type, q.Name, q.List)
				}
				if q.Type == survey.TypeRange {
					if q.Range == nil || q.Range.Step <= 0 || q.Range.End <= q.Range.Start {
						t.Errorf("range %q has bad parameters %+v", q.Name, q.Range)
					}
				}
			}
			lists := map[string]bool{}
			for _, l := range s.Lists {
				if lists[l.Name] {
					t.Errorf("list name %q used twice", l.Name)
				}
				lists[l.Name] = true
				choices := map[string]bool{}
				for _, c := range l.Choices {
					if c.Name == "" || strings.ContainsAny(c.Name, " \t") {
						t.Errorf("list %q: bad choice name %q", l.Name, c.Name)
					}
					if choices[c.Name] {
						t.Errorf("list %q: choice %q used twice", l.Name, c.Name)
					}
					choices[c.Name] = true
					if c.Label.Empty() {
						t.Errorf("list %q: choice %q has no label", l.Name, c.Name)
					}
				}
			}
		})
	}
}

// checkLikertList checks that a Likert question's choices are named "1".."5"
// and labelled starting with their number.
func checkLikertList(t *testing.T, s *survey.Survey, q *survey.Question) {
	t.Helper()
	choices := s.Choices(q)
	if len(choices) != 5 {
		t.Errorf("Likert %q has %d choices, want 5", q.Name, len(choices))
		return
	}
	for i, c := range choices {
		want := string(rune('1' + i))
		if c.Name != want {
			t.Errorf("Likert %q choice %d named %q, want %q", q.Name, i, c.Name, want)
		}
		if !strings.HasPrefix(c.Label.In("en", ""), want+" – ") {
			t.Errorf("Likert %q choice %q label %q does not start with %q", q.Name, c.Name, c.Label.In("en", ""), want+" – ")
		}
	}
}

// aboutYou are the optional demographic questions both public templates end with.
var aboutYou = map[string]survey.Type{
	"age_band":          survey.TypeSelectOne,
	"postcode_district": survey.TypeText,
}

func TestTemplateQuestions(t *testing.T) {
	tests := []struct {
		id       string
		want     map[string]survey.Type
		personal []string
		required []string
	}{
		{
			id: "engagement",
			want: map[string]survey.Type{
				"consent": survey.TypeAcknowledge, "role": survey.TypeSelectOne,
				"org_name": survey.TypeText, "heard": survey.TypeSelectMultiple,
				"early_enough": survey.TypeSelectOne, "asked_before": survey.TypeSelectOne,
				"outcomes_fit": survey.TypeSelectOne, "info_clear": survey.TypeSelectOne,
				"format_ok": survey.TypeSelectOne, "format_barrier": survey.TypeText,
				"barriers": survey.TypeSelectMultiple, "lots": survey.TypeSelectOne,
				"priority": survey.TypeRank, "monitoring": survey.TypeText,
				"listened": survey.TypeRange, "feedback": survey.TypeSelectOne,
				"email": survey.TypeText, "anything_else": survey.TypeText,
				"thanks": survey.TypeNote,
			},
			personal: []string{"org_name", "email", "postcode_district"},
			required: []string{"consent", "role"},
		},
		{
			id: "sds",
			want: map[string]survey.Type{
				"consent": survey.TypeAcknowledge, "who": survey.TypeSelectOne,
				"budget_known": survey.TypeSelectOne, "say_in_plan": survey.TypeSelectOne,
				"budget_form": survey.TypeSelectOne, "happy_form": survey.TypeSelectOne,
				"prefer_form": survey.TypeText, "find_support": survey.TypeSelectOne,
				"control": survey.TypeSelectOne, "independence": survey.TypeSelectOne,
				"help_managing": survey.TypeSelectMultiple, "paperwork": survey.TypeSelectOne,
				"carer_effect": survey.TypeSelectOne, "one_change": survey.TypeText,
				"thanks": survey.TypeNote,
			},
			personal: []string{"postcode_district"},
			required: []string{"consent"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			s := mustTemplate(t, tt.id)
			for name, typ := range aboutYou {
				tt.want[name] = typ
			}
			for name, typ := range tt.want {
				q, ok := s.Question(name)
				if !ok {
					t.Errorf("question %q missing", name)
					continue
				}
				if q.Type != typ {
					t.Errorf("question %q is %s, want %s", name, q.Type, typ)
				}
			}
			for _, q := range s.All() {
				if _, ok := tt.want[q.Name]; !ok && q.Type != survey.TypeGroup {
					t.Errorf("unexpected question %q (%s)", q.Name, q.Type)
				}
			}
			for _, q := range s.All() {
				if q.IsLikert() {
					checkLikertList(t, s, q)
				}
			}
			checkFlag(t, s, "personal", func(q *survey.Question) bool { return q.Personal }, tt.personal)
			checkFlag(t, s, "required", func(q *survey.Question) bool { return q.Required }, tt.required)
		})
	}
}

// checkFlag checks that flag holds for exactly the named questions.
func checkFlag(t *testing.T, s *survey.Survey, flag string, has func(*survey.Question) bool, want []string) {
	t.Helper()
	wanted := map[string]bool{}
	for _, n := range want {
		wanted[n] = true
	}
	for _, q := range s.All() {
		if has(q) != wanted[q.Name] {
			t.Errorf("question %q: %s = %v, want %v", q.Name, flag, has(q), wanted[q.Name])
		}
	}
}

func TestAboutYouIsOneOptionalPage(t *testing.T) {
	for _, id := range []string{"engagement", "sds"} {
		t.Run(id, func(t *testing.T) {
			s := mustTemplate(t, id)
			for name := range aboutYou {
				anc := s.Ancestors(name)
				if len(anc) != 1 || !anc[0].HasAppearance(survey.AppearanceFieldList) ||
					anc[0].Label.In("en", "") != "About you (optional)" {
					t.Errorf("%q is not in the field-list group \"About you (optional)\"", name)
				}
			}
		})
	}
}

func TestTemplateRelevance(t *testing.T) {
	tests := []struct {
		id, name, relevant string
	}{
		{"engagement", "org_name", "selected(${role}, 'vcs_org') or selected(${role}, 'provider')"},
		{"engagement", "barriers", "selected(${role}, 'vcs_org') or selected(${role}, 'provider')"},
		{"engagement", "lots", "selected(${role}, 'vcs_org') or selected(${role}, 'provider')"},
		{"engagement", "format_barrier", "selected(${format_ok}, 'partly') or selected(${format_ok}, 'no')"},
		{"engagement", "email", "${feedback} = 'yes'"},
		{"sds", "prefer_form", "selected(${happy_form}, 'no')"},
		{"sds", "supported", "${who} = 'carer'"}, // carer_effect, asked for each person supported
	}
	for _, tt := range tests {
		t.Run(tt.id+"/"+tt.name, func(t *testing.T) {
			q, ok := mustTemplate(t, tt.id).Question(tt.name)
			if !ok {
				t.Fatalf("question %q missing", tt.name)
			}
			if q.Relevant != tt.relevant {
				t.Errorf("relevant = %q, want %q", q.Relevant, tt.relevant)
			}
		})
	}
}

// regexArg extracts the pattern of a constraint of the form regex(., 'pattern').
var regexArg = regexp.MustCompile(`^regex\(\., '(.*)'\)$`)

func TestTemplateConstraintPatterns(t *testing.T) {
	tests := []struct {
		id, name string
		accept   []string
		reject   []string
	}{
		{"engagement", "email",
			[]string{"a@b.co", "jo.bloggs@example.org.uk"},
			[]string{"jo", "jo@example", "jo @example.org", "@example.org", "jo@@example.org"}},
		{"engagement", "postcode_district",
			[]string{"GU1", "gu1", "SW1A", "E1", "M60", "EC1V"},
			[]string{"G", "GU", "GU1 1AA", "1GU", "GUU1", "SW1AA"}},
		{"sds", "postcode_district",
			[]string{"GU1", "SW1A"},
			[]string{"GU1 1AA", "123"}},
	}
	for _, tt := range tests {
		t.Run(tt.id+"/"+tt.name, func(t *testing.T) {
			q, ok := mustTemplate(t, tt.id).Question(tt.name)
			if !ok {
				t.Fatalf("question %q missing", tt.name)
			}
			m := regexArg.FindStringSubmatch(q.Constraint)
			if m == nil {
				t.Fatalf("constraint %q is not regex(., '…')", q.Constraint)
			}
			re, err := regexp.Compile(m[1])
			if err != nil {
				t.Fatalf("pattern %q: %v", m[1], err)
			}
			for _, v := range tt.accept {
				if !re.MatchString(v) {
					t.Errorf("rejects %q", v)
				}
			}
			for _, v := range tt.reject {
				if re.MatchString(v) {
					t.Errorf("accepts %q", v)
				}
			}
		})
	}
}

func TestIcon(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(assets.Icon))
	if err != nil {
		t.Fatalf("decode icon: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Errorf("icon is %dx%d, want 512x512", b.Dx(), b.Dy())
	}
}

func TestTranslations(t *testing.T) {
	files, err := fs.Glob(assets.Translations, path.Join(assets.TranslationsDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	read := func(t *testing.T, name string) map[string]string {
		t.Helper()
		b, err := fs.ReadFile(assets.Translations, name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return m
	}
	en := read(t, path.Join(assets.TranslationsDir, "en.json"))
	for _, key := range []string{"Canvass", "Surveys", "Events"} {
		if en[key] == "" {
			t.Errorf("en.json has no %q", key)
		}
	}
	for _, f := range files {
		t.Run(path.Base(f), func(t *testing.T) {
			for key, v := range read(t, f) {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%q is blank", key)
				}
				if _, ok := en[key]; !ok {
					t.Errorf("%q is not in en.json", key)
				}
			}
		})
	}
	if err := lang.AddTranslationsFS(assets.Translations, assets.TranslationsDir); err != nil {
		t.Errorf("AddTranslationsFS: %v", err)
	}
}

// TestSDSAsksAboutEachPersonSupported: the self-directed support template
// asks carers how caring has changed once for each person they support
// (the only question the template notes scope to the person cared for);
// every other question of every template is asked once.
func TestSDSAsksAboutEachPersonSupported(t *testing.T) {
	for _, s := range mustTemplates(t) {
		t.Run(s.ID, func(t *testing.T) {
			for _, q := range s.All() {
				var in []string
				for _, r := range s.Repeats(q.Name) {
					in = append(in, r.Name)
				}
				want := []string(nil)
				if s.ID == "sds" && (q.Name == "carer_effect") {
					want = []string{"supported"}
				}
				if !slices.Equal(in, want) {
					t.Errorf("%s is inside the repeats %q, want %q", q.Name, in, want)
				}
			}
		})
	}
	s := mustTemplate(t, "sds")
	g, ok := s.Question("supported")
	if !ok || g.Type != survey.TypeGroup || g.Repeat == nil {
		t.Fatalf("sds has no repeat group supported: %+v", g)
	}
	if g.Repeat.Count != "" || g.Repeat.Item.In("en", "") != "person" {
		t.Errorf("repeat %+v: want the respondent to add each person", g.Repeat)
	}
	if g.Label.In("en", "") != "Each person you support" || len(g.Questions) != 1 || g.Questions[0].Name != "carer_effect" {
		t.Errorf("supported is %q with %d questions", g.Label.In("en", ""), len(g.Questions))
	}
	if q, _ := s.Question("carer_effect"); q.Relevant != "" || q.Label.In("en", "") != "Has this made caring easier or harder to keep up?" {
		t.Errorf("carer_effect: relevant %q, label %q", q.Relevant, q.Label.In("en", ""))
	}
}
