package export

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"

	"canvass/survey"
)

// summary aggregates the exported responses while they stream past, for the
// Summary sheet. Its memory is bounded by the number of questions and
// distinct answers, not by the number of responses: choice counts are one
// integer per choice, and the median of a number question comes from a
// histogram of its distinct values (so a free-form decimal with a different
// value in every response is the one case that grows with the responses).
type summary struct {
	p       *plan
	tallies []tally // one per field of the plan
}

// tally is the aggregate of one question. Percentages on the Summary sheet
// are of answered: the responses that gave the question an answer.
type tally struct {
	answered int
	// responses counts the responses that answered: for a question in a
	// repeat, answered counts instances and responses the responses they
	// are in. last is the number of the response counted last.
	responses, last int
	counts          []int          // per choice: chosen (select), ranked first (rank)
	posSum          []int          // rank: sum of the positions each choice was given
	posN            []int          // rank: how often each choice was ranked at all
	other           map[string]int // choice codes no exported version knows
	nums            numbers        // number questions and numeric Likert scales
	earliest        string         // dates: ISO text sorts as time
	latest          string
}

// numbers is a histogram of the values of a number question.
type numbers struct {
	n        int
	sum      float64
	min, max float64
	hist     map[float64]int
}

func (s *numbers) add(f float64) {
	if s.hist == nil {
		s.hist = map[float64]int{}
		s.min, s.max = f, f
	}
	s.n++
	s.sum += f
	s.min = min(s.min, f)
	s.max = max(s.max, f)
	s.hist[f]++
}

func (s *numbers) mean() float64 { return s.sum / float64(s.n) }

// median is the middle value, or the mean of the two middle values.
func (s *numbers) median() float64 {
	keys := slices.Sorted(maps.Keys(s.hist))
	lo, hi := (s.n+1)/2, s.n/2+1 // 1-based ranks of the middle value(s)
	var a, b float64
	seen := 0
	for _, k := range keys {
		next := seen + s.hist[k]
		if seen < lo && lo <= next {
			a = k
		}
		if seen < hi && hi <= next {
			b = k
			break
		}
		seen = next
	}
	return (a + b) / 2
}

func newSummary(p *plan) *summary {
	s := &summary{p: p, tallies: make([]tally, len(p.fields))}
	for i, f := range p.fields {
		if f.q.Type.HasChoices() {
			s.tallies[i].counts = make([]int, len(f.choices))
		}
		if f.q.Type == survey.TypeRank {
			s.tallies[i].posSum = make([]int, len(f.choices))
			s.tallies[i].posN = make([]int, len(f.choices))
		}
	}
	return s
}

// add counts one answer to field fi, given in response number seq (from 1,
// in export order): a question in a repeat gets one per instance.
func (s *summary) add(fi int, ans string, seq int) {
	if strings.TrimSpace(ans) == "" {
		return
	}
	t := &s.tallies[fi]
	f := s.p.fields[fi]
	t.answered++
	if t.last != seq {
		t.responses++
		t.last = seq
	}
	switch f.q.Type {
	case survey.TypeSelectOne:
		t.choose(f, strings.TrimSpace(ans))
		if f.numeric {
			if v, ok := parseNumber(ans); ok {
				t.nums.add(v)
			}
		}
	case survey.TypeSelectMultiple:
		for code := range strings.FieldsSeq(ans) {
			t.choose(f, code)
		}
	case survey.TypeRank:
		pos := 0
		for code := range strings.FieldsSeq(ans) {
			pos++
			i, ok := f.index[code]
			if !ok {
				if pos == 1 {
					t.choose(f, code)
				}
				continue
			}
			if pos == 1 {
				t.counts[i]++
			}
			t.posSum[i] += pos
			t.posN[i]++
		}
	case survey.TypeInteger, survey.TypeDecimal, survey.TypeRange:
		if v, ok := parseNumber(ans); ok {
			t.nums.add(v)
		}
	case survey.TypeDate, survey.TypeToday:
		d := strings.TrimSpace(ans)
		if t.earliest == "" || d < t.earliest {
			t.earliest = d
		}
		if d > t.latest {
			t.latest = d
		}
	}
}

func (t *tally) choose(f *field, code string) {
	if i, ok := f.index[code]; ok {
		t.counts[i]++
		return
	}
	if t.other == nil {
		t.other = map[string]int{}
	}
	t.other[code]++
}

// otherCodes lists the unknown codes seen, most frequent first.
func (t *tally) otherCodes() []string {
	codes := slices.Collect(maps.Keys(t.other))
	slices.SortFunc(codes, func(a, b string) int {
		return cmp.Or(cmp.Compare(t.other[b], t.other[a]), cmp.Compare(a, b))
	})
	return codes
}

// round rounds to n decimal places, for readable summary figures.
func round(f float64, n int) float64 {
	p := math.Pow(10, float64(n))
	return math.Round(f*p) / p
}
