package run_test

import (
	"fmt"
	"testing"

	"canvass/survey"
	"canvass/survey/run"
)

// twenty returns 20 questions named with suffix: integers with a
// constraint, texts (two shown only after an answer) and choices, and a
// calculation over them.
func twenty(suffix string) []*survey.Question {
	var qs []*survey.Question
	for i := 1; i <= 20; i++ {
		name := fmt.Sprintf("q%d%s", i, suffix)
		q := &survey.Question{Name: name, Label: survey.En("Question")}
		switch {
		case i <= 10:
			q.Type, q.Constraint = survey.TypeInteger, ". >= 0 and . < 1000"
		case i <= 15:
			q.Type = survey.TypeText
			if i >= 14 {
				q.Relevant = fmt.Sprintf("${q1%s} > 5", suffix)
			}
		default:
			q.Type, q.List = survey.TypeSelectOne, "yn"
		}
		qs = append(qs, q)
	}
	return append(qs, &survey.Question{Type: survey.TypeCalculate, Name: "calc" + suffix,
		Calculation: fmt.Sprintf("${q1%s} + ${q2%s}", suffix, suffix)})
}

var ynList = []survey.ChoiceList{{Name: "yn", Choices: []survey.Choice{{Name: "yes", Label: survey.En("Yes")}, {Name: "no", Label: survey.En("No")}}}}

// benchAnswers answers keys in turn, one Answer per iteration.
func benchAnswers(b *testing.B, def *survey.Survey, setup func(*run.Session), keys []string) {
	se, err := run.New(run.Config{Survey: def, Clock: fixedClock})
	if err != nil {
		b.Fatal(err)
	}
	setup(se)
	value := func(i int, key string) string {
		q, _ := se.Question(key)
		switch q.Type {
		case survey.TypeSelectOne:
			return []string{"yes", "no"}[i%2]
		case survey.TypeText:
			return fmt.Sprint("text ", i%7)
		}
		return fmt.Sprint(i % 9)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		key := keys[i%len(keys)]
		if c, _ := se.Answer(key, value(i/len(keys), key)); c.Outcome == run.Unreadable {
			b.Fatalf("%s: %+v", key, c)
		}
	}
}

// BenchmarkAnswer measures the cost of one answer (settling included) on
// 60 answers: three instances of a repeat of 20 questions, against the
// same 60 questions without a repeat, and 20 without.
func BenchmarkAnswer(b *testing.B) {
	b.Run("flat 20 questions", func(b *testing.B) {
		def := &survey.Survey{ID: "flat20", Version: 1, Questions: twenty(""), Lists: ynList}
		var keys []string
		for i := 1; i <= 20; i++ {
			keys = append(keys, fmt.Sprintf("q%d", i))
		}
		benchAnswers(b, def, func(*run.Session) {}, keys)
	})
	b.Run("flat 60 questions", func(b *testing.B) {
		def := &survey.Survey{ID: "flat60", Version: 1, Lists: ynList}
		var keys []string
		for _, s := range []string{"_a", "_b", "_c"} {
			def.Questions = append(def.Questions, twenty(s)...)
			for i := 1; i <= 20; i++ {
				keys = append(keys, fmt.Sprintf("q%d%s", i, s))
			}
		}
		benchAnswers(b, def, func(*run.Session) {}, keys)
	})
	b.Run("repeat 3 instances x 20 questions", func(b *testing.B) {
		def := &survey.Survey{ID: "rep", Version: 1, Lists: ynList, Questions: []*survey.Question{
			{Type: survey.TypeGroup, Name: "r", Repeat: &survey.Repeat{}, Questions: twenty("")},
			{Type: survey.TypeCalculate, Name: "total", Calculation: "sum(${calc})"},
		}}
		var keys []string
		for n := 1; n <= 3; n++ {
			for i := 1; i <= 20; i++ {
				keys = append(keys, fmt.Sprintf("r[%d]/q%d", n, i))
			}
		}
		benchAnswers(b, def, func(se *run.Session) {
			for range 3 {
				if err := se.AddInstance("r"); err != nil {
					b.Fatal(err)
				}
			}
		}, keys)
	})
}
