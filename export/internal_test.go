package export

import (
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canvass/export/dimension"
	"canvass/survey"
)

func TestMedian(t *testing.T) {
	cases := []struct {
		values []float64
		want   float64
	}{
		{[]float64{7}, 7},
		{[]float64{1, 2}, 1.5},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{5, 5, 5, 1}, 5},
		{[]float64{1, 1, 9, 9}, 5},
		{[]float64{-2.5, 10, 0.5}, 0.5},
	}
	for _, c := range cases {
		var n numbers
		for _, v := range c.values {
			n.add(v)
		}
		if got := n.median(); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.values, got, c.want)
		}
	}
}

func TestOrdinal(t *testing.T) {
	want := map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 101: "101st", 111: "111th"}
	for n, w := range want {
		if got := ordinal(n); got != w {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, w)
		}
	}
}

func TestParseDecision(t *testing.T) {
	cases := []struct {
		name string
		json string
		want decisionRecord
		err  bool
	}{
		{"strings", `{"outcome":"either","confidence":"low","score":0.1,"caveats":["a","b"]}`,
			decisionRecord{outcome: "either", confidence: "low", score: number(0.1), caveats: "a; b"}, false},
		{"labelled objects", `{"outcome":{"code":"grant","label":"Grant"},"drivers":[{"text":"t1"},{"message":"m2"}]}`,
			decisionRecord{outcome: "Grant", drivers: "t1; m2"}, false},
		{"key pairs", `{"thresholds":{"works":5193000,"effective":"2026-01-01","ok":true}}`,
			decisionRecord{thresholds: "effective: 2026-01-01, ok: yes, works: 5193000"}, false},
		{"any case", `{"OUTCOME":"neither","Score":"-1"}`, decisionRecord{outcome: "neither", score: number(-1)}, false},
		{"nulls", `{"outcome":null,"rules":[null,""]}`, decisionRecord{}, false},
		{"not an object", `[1,2]`, decisionRecord{}, true},
		{"broken", `{"outcome":`, decisionRecord{}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseDecision([]byte(c.json))
			if (err != nil) != c.err {
				t.Fatalf("err = %v", err)
			}
			// A record that reads as a survey.Decision is explained in words
			// (checked in TestWorkbookDecisions); the rest is compared here.
			if got.explanation != "" && !strings.HasPrefix(got.explanation, "Recommendation: ") {
				t.Errorf("explanation %q", got.explanation)
			}
			got.explanation = ""
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestParallelDeflate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 1000, deflateChunk - 1, deflateChunk, deflateChunk + 1, 5*deflateChunk + 12345} {
		t.Run(strconv.Itoa(size), func(t *testing.T) {
			in := make([]byte, size)
			for i := range in {
				in[i] = "<c r=\"A1\">xyz</c>"[rng.IntN(17)] // compressible, like sheet XML
			}
			var out bytes.Buffer
			w, err := newParallelDeflate(&out)
			if err != nil {
				t.Fatal(err)
			}
			// Write in uneven pieces.
			for rest := in; len(rest) > 0; {
				k := min(len(rest), 1+rng.IntN(300000))
				if _, err := w.Write(rest[:k]); err != nil {
					t.Fatal(err)
				}
				rest = rest[k:]
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(flate.NewReader(&out))
			if err != nil {
				t.Fatalf("inflate: %v", err)
			}
			if !bytes.Equal(got, in) {
				t.Fatalf("round trip lost data: %d bytes in, %d out", len(in), len(got))
			}
		})
	}
}

// memSource is a minimal Source for the internal tests.
type memSource struct {
	def *survey.Survey
	n   int
	// answers gives response i's answers; nil: a and b.
	answers func(i int) survey.Answers
}

func (m memSource) Survey(context.Context, string, int) (*survey.Survey, error) { return m.def, nil }
func (m memSource) SurveyVersions(context.Context, string) ([]int, error)       { return []int{1}, nil }
func (m memSource) Events(context.Context) ([]survey.Event, error)              { return nil, nil }
func (m memSource) DeviceID() string                                            { return "mem" }
func (m memSource) EachResponse(_ context.Context, _ survey.Filter, fn func(*survey.Response) error) error {
	for i := 0; i < m.n; i++ {
		r := &survey.Response{ID: "r" + strconv.Itoa(i), SurveyID: "s", SurveyVersion: 1, Started: time.Unix(int64(i), 0),
			Status: survey.StatusComplete, Answers: survey.Answers{"a": strconv.Itoa(i), "b": "x y"}}
		if m.answers != nil {
			r.Answers = m.answers(i)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// TestSheetSpills checks that a data sheet that fills up continues on
// "Responses (2)", "Responses (3)"… next to it, each with the header and a table.
func TestSheetSpills(t *testing.T) {
	saved := maxRows
	maxRows = 4 // the header and three rows
	defer func() { maxRows = saved }()
	def := &survey.Survey{ID: "s", Version: 1, Title: survey.En("S"),
		Questions: []*survey.Question{{Type: survey.TypeInteger, Name: "a"}, {Type: survey.TypeSelectMultiple, Name: "b", List: "l"}},
		Lists:     []survey.ChoiceList{{Name: "l", Choices: []survey.Choice{{Name: "x"}, {Name: "y"}}}},
	}
	for _, long := range []bool{false, true} {
		t.Run("long="+strconv.FormatBool(long), func(t *testing.T) {
			var buf bytes.Buffer
			res, err := Workbook(context.Background(), memSource{def: def, n: 8}, Options{SurveyID: "s", Long: long}, &buf)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "spill.xlsx")
			if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := dimension.Check(path); err != nil {
				t.Errorf("declared ranges: %v", err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			wantSheets := []string{"Responses", "Responses (2)", "Responses (3)"}
			wantRows := 8
			if long {
				wantSheets = append(wantSheets, "Responses (4)", "Responses (5)", "Responses (6)", "Responses (7)", "Responses (8)")
				wantRows = 24 // a, b=x, b=y per response
			}
			if res.Rows != wantRows {
				t.Errorf("rows = %d, want %d", res.Rows, wantRows)
			}
			list := f.GetSheetList()
			if !slices.Equal(list[:len(wantSheets)], wantSheets) || list[len(wantSheets)] != SheetSummary {
				t.Fatalf("sheets = %q", list)
			}
			total := 0
			for _, sh := range wantSheets {
				rs, err := f.GetRows(sh)
				if err != nil {
					t.Fatal(err)
				}
				if len(rs) < 2 || len(rs) > maxRows || rs[0][0] != "response id" {
					t.Errorf("%s: %d rows, header %q", sh, len(rs), rs[0])
				}
				total += len(rs) - 1
				if tables, err := f.GetTables(sh); err != nil || len(tables) != 1 {
					t.Errorf("%s: tables %v, %v", sh, tables, err)
				}
			}
			if total != wantRows {
				t.Errorf("%d data rows over the sheets, want %d", total, wantRows)
			}
		})
	}
}

func TestTextCells(t *testing.T) {
	p := &plan{loc: time.UTC}
	cases := []struct {
		in   string
		want value
	}{
		{"2026-03-01", value{kind: kindDate, t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}},
		{"1899-01-01", text("1899-01-01")}, // before Excel's calendar: kept as text
		{"01/03/2026", text("01/03/2026")},
	}
	for _, c := range cases {
		if got := dateValue(c.in); got != c.want {
			t.Errorf("dateValue(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
	times := map[string]float64{"12:00": 0.5, "06:00:00": 0.25, "18:00:00.000+01:00": 0.75, "00:00Z": 0}
	for in, want := range times {
		if got := timeValue(in); got.kind != kindTime || got.num != want {
			t.Errorf("timeValue(%q) = %+v, want %v", in, got, want)
		}
	}
	if got := timeValue("noon"); got.kind != kindText {
		t.Errorf("timeValue(noon) = %+v, want text", got)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data")
	}
	p.loc = london
	got := p.dateTimeValue("2026-07-01T09:00:00Z")
	if got.kind != kindDateTime || got.t != time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC) {
		t.Errorf("a UTC time in London's summer = %+v, want 10:00 wall time", got)
	}
	for _, s := range []string{"NaN", "Inf", "1e999", "12abc"} {
		if v := numberValue(s); v.kind != kindText {
			t.Errorf("numberValue(%q) = %+v, want text", s, v)
		}
	}
}

// failingWriter accepts limit bytes, then fails.
type failingWriter struct{ limit int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.limit {
		w.limit = 0
		return 0, errDiskFull
	}
	w.limit -= len(p)
	return len(p), nil
}

func TestParallelDeflateWriteError(t *testing.T) {
	for _, size := range []int{100, 10 * deflateChunk} {
		w, _ := newParallelDeflate(&failingWriter{limit: 10})
		data := bytes.Repeat([]byte("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"), size/40+1)
		_, werr := w.Write(data)
		cerr := w.Close()
		if !errors.Is(werr, errDiskFull) && !errors.Is(cerr, errDiskFull) {
			t.Errorf("size %d: write %v, close %v; want the writer's error", size, werr, cerr)
		}
		if err := w.Close(); !errors.Is(err, errDiskFull) {
			t.Errorf("size %d: a second Close = %v", size, err)
		}
	}
}
