package expr_test

import (
	"testing"

	"canvass/survey/expr"
)

// BenchmarkEval measures a typical relevant expression against a map of answers.
func BenchmarkEval(b *testing.B) {
	e := expr.MustParse("selected(${services}, 'housing') and ${age} >= 18 and ${consent} = 'yes'")
	answers := map[string]string{"services": "advice housing transport", "age": "42", "consent": "yes"}
	env := expr.Env{Lookup: func(name string) string { return answers[name] }}
	for b.Loop() {
		ok, err := e.EvalBool(env)
		if err != nil || !ok {
			b.Fatalf("EvalBool = %v, %v; want true", ok, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/eval")
}

// BenchmarkParse measures parsing the same expression.
func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := expr.Parse("selected(${services}, 'housing') and ${age} >= 18 and ${consent} = 'yes'"); err != nil {
			b.Fatal(err)
		}
	}
}
