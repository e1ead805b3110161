package export_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"canvass/export"
	"canvass/survey"
)

// benchSurvey is a 30-question survey of mixed types: 8 single choice
// (2 of them Likert), 4 multiple choice of 5, 2 rankings of 4, 4 integers,
// 2 decimals, 2 ratings, 3 texts, 2 dates, a time, a date-time and a consent.
func benchSurvey() *survey.Survey {
	s := &survey.Survey{ID: "bench", Version: 1, Title: survey.En("Benchmark survey")}
	list := func(name string, n int) {
		l := survey.ChoiceList{Name: name}
		for i := 1; i <= n; i++ {
			l.Choices = append(l.Choices, survey.Choice{Name: fmt.Sprintf("%s%d", name, i), Label: survey.En(fmt.Sprintf("Answer %d of %s", i, name))})
		}
		s.Lists = append(s.Lists, l)
	}
	list("one", 4)
	list("many", 5)
	list("rank", 4)
	likert := survey.ChoiceList{Name: "likert"}
	for i := 1; i <= 5; i++ {
		likert.Choices = append(likert.Choices, survey.Choice{Name: strconv.Itoa(i), Label: survey.En(fmt.Sprintf("%d – point %d", i, i))})
	}
	s.Lists = append(s.Lists, likert)
	add := func(n int, q survey.Question) {
		for i := 1; i <= n; i++ {
			c := q
			c.Name = fmt.Sprintf("%s_%d", q.Type, i)
			c.Label = survey.En("Question " + c.Name)
			s.Questions = append(s.Questions, &c)
		}
	}
	add(1, survey.Question{Type: survey.TypeAcknowledge})
	add(6, survey.Question{Type: survey.TypeSelectOne, List: "one"})
	s.Questions = append(s.Questions,
		&survey.Question{Type: survey.TypeSelectOne, Name: "likert_1", List: "likert", Appearance: "likert"},
		&survey.Question{Type: survey.TypeSelectOne, Name: "likert_2", List: "likert", Appearance: "likert"})
	add(4, survey.Question{Type: survey.TypeSelectMultiple, List: "many"})
	add(2, survey.Question{Type: survey.TypeRank, List: "rank"})
	add(4, survey.Question{Type: survey.TypeInteger})
	add(2, survey.Question{Type: survey.TypeDecimal})
	add(2, survey.Question{Type: survey.TypeRange, Appearance: "rating", Range: &survey.Range{Start: 1, End: 5, Step: 1}})
	add(3, survey.Question{Type: survey.TypeText})
	add(2, survey.Question{Type: survey.TypeDate})
	add(1, survey.Question{Type: survey.TypeTime})
	add(1, survey.Question{Type: survey.TypeDateTime})
	return s
}

// benchAnswers pre-builds answer strings so that generating a response costs little.
type benchAnswers struct {
	def   *survey.Survey
	ones  []string
	many  []string // space-separated subsets
	ranks []string // permutations
	texts []string
	dates []string
	ids   []string
}

func newBenchAnswers(def *survey.Survey) *benchAnswers {
	b := &benchAnswers{def: def}
	for i := 1; i <= 4; i++ {
		b.ones = append(b.ones, "one"+strconv.Itoa(i))
	}
	for mask := 1; mask < 32; mask++ {
		s := ""
		for i := 0; i < 5; i++ {
			if mask&(1<<i) != 0 {
				if s != "" {
					s += " "
				}
				s += "many" + strconv.Itoa(i+1)
			}
		}
		b.many = append(b.many, s)
	}
	b.ranks = []string{"rank1 rank2 rank3 rank4", "rank2 rank1 rank4 rank3", "rank3 rank4 rank1 rank2", "rank4 rank3 rank2 rank1", "rank1 rank3 rank2 rank4"}
	b.texts = []string{"", "Fine", "The bus to the venue only runs once an hour on Saturdays.",
		"More notice please — we heard about it two days before.", "=HYPERLINK(\"http://x\",\"y\")", "Clearer forms, fewer of them, and someone to ring."}
	for d := 0; d < 365; d++ {
		b.dates = append(b.dates, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d).Format("2006-01-02"))
	}
	for i := 0; i < 1000; i++ {
		b.ids = append(b.ids, fmt.Sprintf("00000000-0000-4000-8000-%012d", i))
	}
	return b
}

// fill makes response i (reusing r and its answer map).
func (b *benchAnswers) fill(i int, r *survey.Response) {
	rng := rand.New(rand.NewPCG(uint64(i), 7))
	if r.Answers == nil {
		r.Answers = survey.Answers{}
	}
	clear(r.Answers)
	started := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	sub := started.Add(time.Duration(3+rng.IntN(12)) * time.Minute)
	r.ID = b.ids[i%len(b.ids)]
	r.SurveyID, r.SurveyVersion = "bench", 1
	r.EventID = "ev" + strconv.Itoa(i%3)
	r.DeviceID, r.Language = "bench-device", "en"
	r.Started, r.Updated, r.Submitted, r.Status = started, sub, &sub, survey.StatusComplete
	if i%10 == 9 {
		r.Submitted, r.Status = nil, survey.StatusAbandoned
	}
	for _, q := range b.def.Questions {
		var v string
		switch q.Type {
		case survey.TypeAcknowledge:
			v = "OK"
		case survey.TypeSelectOne:
			if q.List == "likert" {
				v = strconv.Itoa(1 + rng.IntN(5))
			} else {
				v = b.ones[rng.IntN(len(b.ones))]
			}
		case survey.TypeSelectMultiple:
			v = b.many[rng.IntN(len(b.many))]
		case survey.TypeRank:
			v = b.ranks[rng.IntN(len(b.ranks))]
		case survey.TypeInteger:
			v = strconv.Itoa(rng.IntN(100))
		case survey.TypeDecimal:
			v = strconv.FormatFloat(float64(rng.IntN(100000))/100, 'f', -1, 64)
		case survey.TypeRange:
			v = strconv.Itoa(1 + rng.IntN(5))
		case survey.TypeText:
			v = b.texts[rng.IntN(len(b.texts))]
		case survey.TypeDate:
			v = b.dates[rng.IntN(len(b.dates))]
		case survey.TypeTime:
			v = "14:30"
		case survey.TypeDateTime:
			v = "2026-03-01T10:15:00Z"
		}
		if v != "" && rng.IntN(20) != 0 { // about 5 % left blank
			r.Answers[q.Name] = v
		}
	}
}

func benchSource(n int) *fakeSource {
	def := benchSurvey()
	b := newBenchAnswers(def)
	return &fakeSource{
		defs:   []*survey.Survey{def},
		events: []survey.Event{{ID: "ev0", Name: "Town hall"}, {ID: "ev1", Name: "Library"}, {ID: "ev2", Name: "Market"}},
		gen:    b.fill,
		n:      n,
	}
}

// BenchmarkExport exports a 30-question survey's responses as a workbook
// (and, for comparison, as CSV and in the long layout) from an in-memory
// source, reporting responses per second.
func BenchmarkExport(b *testing.B) {
	for _, n := range []int{1000, 5000, 10000, 100000} {
		for _, kind := range []string{"xlsx", "csv", "xlsx-long"} {
			if n == 100000 && kind != "xlsx" && testing.Short() {
				continue
			}
			b.Run(fmt.Sprintf("%s/%d", kind, n), func(b *testing.B) {
				src := benchSource(n)
				opts := export.Options{SurveyID: "bench", Location: time.UTC, Long: kind == "xlsx-long"}
				b.ReportAllocs()
				for b.Loop() {
					var err error
					if kind == "csv" {
						_, err = export.CSV(context.Background(), src, opts, io.Discard)
					} else {
						_, err = export.Workbook(context.Background(), src, opts, io.Discard)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "responses/s")
				// CANVASS_BENCH_DIR=folder keeps one export of each size, for
				// looking at (and timing gzip on) the workbook BENCHMARKS.md describes.
				if dir := os.Getenv("CANVASS_BENCH_DIR"); dir != "" {
					ext := map[string]string{"csv": "csv"}[kind]
					if ext == "" {
						ext = "xlsx"
					}
					path := filepath.Join(dir, fmt.Sprintf("bench-%s-%d.%s", kind, n, ext))
					if _, err := export.ToFile(context.Background(), src, opts, path); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// repeatBenchSurvey is benchSurvey with a repeat of 6 questions ("each
// person you care for"): a name (personal), an age, a relation, the
// services they use, a date and a comment.
func repeatBenchSurvey() *survey.Survey {
	s := benchSurvey()
	s.Lists = append(s.Lists, survey.ChoiceList{Name: "relation", Choices: []survey.Choice{
		{Name: "parent", Label: survey.En("Parent")}, {Name: "child", Label: survey.En("Child")}, {Name: "partner", Label: survey.En("Partner")}}})
	s.Questions = append(s.Questions, &survey.Question{Type: survey.TypeGroup, Name: "people", Label: survey.En("People you care for"), Repeat: &survey.Repeat{},
		Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "who", Label: survey.En("Their name"), Personal: true},
			{Type: survey.TypeInteger, Name: "their_age", Label: survey.En("Their age")},
			{Type: survey.TypeSelectOne, Name: "relation", Label: survey.En("They are my"), List: "relation"},
			{Type: survey.TypeSelectMultiple, Name: "services", Label: survey.En("Services they use"), List: "many"},
			{Type: survey.TypeDate, Name: "since", Label: survey.En("Caring since")},
			{Type: survey.TypeText, Name: "their_needs", Label: survey.En("What they need")},
		}})
	return s
}

// repeatBenchSource makes n responses like benchSource's, each with
// instances people of the repeat.
func repeatBenchSource(n, instances int) *fakeSource {
	def := repeatBenchSurvey()
	b := newBenchAnswers(def)
	names := []string{"Ann", "Bo", "Cy", "Di", "Ed"}
	relations := []string{"parent", "child", "partner"}
	keys := make([][6]string, instances)
	for k := range keys {
		for j, q := range []string{"who", "their_age", "relation", "services", "since", "their_needs"} {
			keys[k][j] = survey.Key([]survey.Step{{Repeat: "people", Index: k + 1}}, q)
		}
	}
	src := benchSource(n)
	src.defs = []*survey.Survey{def}
	src.gen = func(i int, r *survey.Response) {
		b.fill(i, r)
		for k := range instances {
			key := keys[k]
			r.Answers[key[0]] = names[(i+k)%len(names)]
			r.Answers[key[1]] = strconv.Itoa(5 + (i*7+k)%90)
			r.Answers[key[2]] = relations[(i+k)%len(relations)]
			r.Answers[key[3]] = b.many[(i+k)%len(b.many)]
			r.Answers[key[4]] = b.dates[(i+k)%len(b.dates)]
			r.Answers[key[5]] = b.texts[(i+k)%len(b.texts)]
		}
	}
	return src
}

// BenchmarkExportRepeats exports 10,000 responses with 3 instances of a
// repeat each (30,000 rows on the repeat's sheet or file), as a workbook
// and as CSV files, next to BenchmarkExport's plain export; 30,000
// responses show that memory stays flat.
func BenchmarkExportRepeats(b *testing.B) {
	const instances = 3
	for _, n := range []int{10000, 30000} {
		for _, kind := range []string{"xlsx", "csv", "xlsx-long"} {
			b.Run(fmt.Sprintf("%s/%dx%d", kind, n, instances), func(b *testing.B) {
				src := repeatBenchSource(n, instances)
				opts := export.Options{SurveyID: "bench", Location: time.UTC, Long: kind == "xlsx-long"}
				b.ReportAllocs()
				for b.Loop() {
					var res export.Result
					var err error
					if kind == "csv" {
						res, err = export.CSVWithRepeats(context.Background(), src, opts, io.Discard, func(string) (io.Writer, error) { return io.Discard, nil })
					} else {
						res, err = export.Workbook(context.Background(), src, opts, io.Discard)
					}
					if err != nil {
						b.Fatal(err)
					}
					if !opts.Long && res.InstanceRows != n*instances {
						b.Fatalf("%d instance rows, want %d", res.InstanceRows, n*instances)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "responses/s")
			})
		}
	}
}
