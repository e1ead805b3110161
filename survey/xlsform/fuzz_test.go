package xlsform_test

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"canvass/assets"
	"canvass/survey/xlsform"
)

// decodeSheets reads the fuzz encoding of a workbook: a line "#name" starts
// a sheet, every other line is a row with cells separated by "|".
func decodeSheets(src string) []sheet {
	var out []sheet
	for _, line := range strings.Split(src, "\n") {
		if name, ok := strings.CutPrefix(line, "#"); ok {
			out = append(out, sheet{name: name})
			continue
		}
		if len(out) == 0 {
			out = append(out, sheet{name: "survey"})
		}
		cur := &out[len(out)-1]
		cur.rows = append(cur.rows, strings.Split(line, "|"))
	}
	return out
}

// fuzzSeeds are realistic forms in the fuzz encoding.
var fuzzSeeds = []string{
	"#survey\ntype|name|label|hint|required|appearance|relevant\n" +
		"begin_group|visit|Your visit|||field-list|\n" +
		"select_one freq|how_often|How often?||yes|minimal|\n" +
		"select_multiple act|activities|What for?|Choose all|||\n" +
		"end_group||||||\n" +
		"select_one agree|welcoming|Welcoming staff|||likert|${how_often} != 'first'\n" +
		"text|improve|Change one thing?|||multiline|\n" +
		"#choices\nlist_name|name|label|score\nfreq|first|First visit|\nfreq|weekly|Weekly|\n" +
		"act|cafe|Café|\nact|classes|Classes|\nagree|1|Disagree|-2\nagree|2|Agree|2\n" +
		"#settings\nform_title|form_id|version\nCentre feedback|centre|2026031501",
	"#survey\ntype|name|label::English (en)|label::Cymraeg (cy)|hint::English (en)|required|required_message::Cymraeg (cy)\n" +
		"select_one lang|lang|Which language?|Pa iaith?||yes|Dewiswch\n" +
		"text|comment|Comments?|Sylwadau?|Optional||\n" +
		"note|thanks|Thanks ${comment}|Diolch ${comment}|||\n" +
		"#choices\nlist_name|name|label::English (en)|label::Cymraeg (cy)\nlang|en|English|Saesneg\nlang|cy|Welsh|Cymraeg\n" +
		"#settings\nform_title|form_id|default_language\nLibrary|library|English (en)",
	"#survey\ntype|name|label|required|relevant|constraint|constraint_message|calculation|default|read_only|weight|personal\n" +
		"integer|age|Age|yes||. >= 16|Too young||||| \n" +
		"select_one yn|carer|Carer?||${age} >= 16|||||no|2|\n" +
		"integer|hours|Hours|${carer} = 'yes'|${carer} = 'yes'|. < 169||||||\n" +
		"calculate|days||||||round(${hours} div 24, 1)||||\n" +
		"text|email|Email|||regex(., '^[^@]+@')|Bad email|||||yes\n" +
		"#choices\nlist_name|name|label|score\nyn|yes|Yes|1\nyn|no|No|-1\n" +
		"#settings\nform_id|form_title\ncarers|Carers",
	"#survey\ntype|name|label|choice_filter|parameters\n" +
		"select_one county or_other|county|County||\n" +
		"select_one town|town|Town|county = ${county}|\n" +
		"range|safe|Safety||start=1 end=5 step=1\n" +
		"rank county|order|Order||\n" +
		"start|started|||\nend|ended|||\ntoday|day|||\ndeviceid|device|||\n" +
		"date|visited|Visited|| \ntime|at|At||\ndateTime|stamp|Stamp||\n" +
		"#choices\nlist_name|name|label|county\ncounty|gwynedd|Gwynedd|\ncounty|powys|Powys|\n" +
		"town|bangor|Bangor|gwynedd\ntown|newtown|Newtown|powys\n" +
		"#settings\nform_id|version\nplaces|3",
	"#Survey\nType|NAME|Label\nbegin group|g|G\ngeopoint|loc|Where\nbegin_repeat|r|R\ntext|m|M\nend_repeat||\nend group||\n" +
		"calculate|c|pulldata('a','b','c','d')\ntext|t|T ${loc}\n#CHOICES\nList Name|Name|Label\n#Settings\nForm_Title|ID_String\nX|x",
	"#survey\ntype|name|label|weight\nselect_one s|crit|Criterion|1\n" +
		"#choices\nlist_name|name|label|score\ns|a|A|-2\ns|b|B|2\n" +
		"#settings\nform_id\nscored\n" +
		"#canvass_scoring\nkind|name|value|label|outcome|from|to|when|driver|stop|min_abs_score\n" +
		"setting|scale|2||||||||\noutcome|grant||Grant||||||||\noutcome|contract||Contract||||||||\n" +
		"band||||grant||0||||\nband||||contract|0|||||\nconfidence|high||High||||||0.5\nconfidence|low||Low||||||\n" +
		"rule|r1||Rule|contract|||${crit} = 'a'|yes|yes|",
}

// FuzzImport builds a workbook from a text encoding of its sheets and
// imports it: it must never panic, must either succeed or return an
// *ImportError, and a survey it returns must validate and survive an
// export and re-import unchanged. Seeds beyond fuzzSeeds are kept in
// testdata/fuzz/FuzzImport. Run it with a short minimisation budget, or the
// fuzzer seems to stall for a minute on each new input it minimises:
//
//	go test -run '^$' -fuzz '^FuzzImport$' -fuzztime 45s -fuzzminimizetime 20x ./survey/xlsform/
func FuzzImport(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		data, err := buildWorkbook(decodeSheets(src))
		if err != nil {
			t.Skip() // not a workbook excelize can build (bad sheet name, long cell)
		}
		checkImport(t, data, true)
	})
}

// FuzzImportBytes imports arbitrary bytes: it must never panic.
func FuzzImportBytes(f *testing.F) {
	for _, src := range fuzzSeeds[:3] {
		data, err := buildWorkbook(decodeSheets(src))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	defs, err := assets.Templates()
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := xlsform.Export(defs[0], &buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	if xls, err := os.ReadFile(xlsForm); err == nil { // an old-style .xls
		f.Add(xls)
		f.Add(xls[:len(xls)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkImport(t, data, false)
	})
}

// checkImport imports data and checks the results are consistent; with
// roundTrip it also checks that an imported survey exports and re-imports
// unchanged.
func checkImport(t *testing.T, data []byte, roundTrip bool) {
	s, rep, err := xlsform.Import(bytes.NewReader(data))
	if rep == nil {
		t.Fatal("nil report")
	}
	if err != nil {
		var ie *xlsform.ImportError
		if !errors.As(err, &ie) || len(ie.Problems) == 0 {
			t.Fatalf("error %T without problems: %v", err, err)
		}
		if s != nil {
			t.Fatal("a failed import returned a survey")
		}
		for _, p := range ie.Problems {
			if p.Severity != xlsform.Error || p.Message == "" {
				t.Fatalf("bad problem in an ImportError: %+v", p)
			}
		}
		return
	}
	if len(rep.Errors()) > 0 {
		t.Fatalf("import succeeded with errors:%s", listProblems(rep.Errors()))
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("imported survey does not validate: %v", err)
	}
	if !roundTrip {
		return
	}
	var buf bytes.Buffer
	if err := xlsform.Export(s, &buf); err != nil {
		t.Fatalf("export of an imported survey: %v", err)
	}
	again, rep2, err := xlsform.Import(&buf)
	if err != nil {
		t.Fatalf("re-import of an exported survey: %v", err)
	}
	if len(rep2.Problems) > 0 {
		t.Fatalf("re-import reported problems:%s", listProblems(rep2.Problems))
	}
	if !reflect.DeepEqual(s, again) {
		t.Fatalf("export and re-import changed the survey at %s", firstDifference(s, again))
	}
}

// TestFuzzSeeds keeps the seeds meaningful: all but the unsupported one
// import, so the fuzzer starts from forms that reach the round trip.
func TestFuzzSeeds(t *testing.T) {
	for i, src := range fuzzSeeds {
		data := workbook(t, decodeSheets(src)...)
		_, rep, err := xlsform.Import(bytes.NewReader(data))
		if wantErr := i == 4; (err != nil) != wantErr {
			t.Errorf("seed %d: error %v, want error %v:%s", i, err, wantErr, listProblems(rep.Problems))
		}
		checkImport(t, data, true)
	}
}
