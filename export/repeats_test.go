package export_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"canvass/export"
	"canvass/export/dimension"
	"canvass/export/pyreaders"
	"canvass/survey"
	"canvass/survey/run"
	"canvass/survey/store"
)

// carersSurvey asks about each person the respondent cares for (a repeat)
// and each service that person uses (a repeat inside it).
func carersSurvey() *survey.Survey {
	return &survey.Survey{
		ID:        "carers",
		Version:   1,
		Title:     survey.En("Carers"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "postcode", Label: survey.En("Postcode")},
			{Type: survey.TypeGroup, Name: "carers", Label: survey.En("People you care for"), Repeat: &survey.Repeat{}, Questions: []*survey.Question{
				{Type: survey.TypeText, Name: "who", Label: survey.En("Their name"), Personal: true},
				{Type: survey.TypeInteger, Name: "age", Label: survey.En("Their age")},
				{Type: survey.TypeSelectOne, Name: "relation", Label: survey.En("They are my"), List: "relation"},
				{Type: survey.TypeText, Name: "note", Label: survey.En("Anything else")},
				{Type: survey.TypeGroup, Name: "services", Label: survey.En("Services they use"), Repeat: &survey.Repeat{}, Questions: []*survey.Question{
					{Type: survey.TypeSelectMultiple, Name: "service", Label: survey.En("Service"), List: "service"},
				}},
			}},
			{Type: survey.TypeSelectOne, Name: "satisfied", Label: survey.En("Satisfied?"), List: "yn"},
		},
		Lists: []survey.ChoiceList{
			{Name: "relation", Choices: []survey.Choice{{Name: "parent", Label: survey.En("Parent")}, {Name: "child", Label: survey.En("Child")}, {Name: "partner", Label: survey.En("Partner")}}},
			{Name: "service", Choices: []survey.Choice{{Name: "day", Label: survey.En("Day centre")}, {Name: "home", Label: survey.En("Home care")}}},
			{Name: "yn", Choices: []survey.Choice{{Name: "yes", Label: survey.En("Yes")}, {Name: "no", Label: survey.En("No")}}},
		},
	}
}

// carersStore saves carersSurvey and three responses in a new database:
//   - a: three people added, the second removed (so two remain, Ann and
//     Cy), Cy with an answer that looks like a formula;
//   - b: nobody cared for;
//   - c: one person (Di) using two services.
func carersStore(t *testing.T) (*store.Store, []string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.SaveSurvey(ctx, carersSurvey()); err != nil {
		t.Fatal(err)
	}
	a := survey.Answers{
		"postcode": "AB1 2CD", "satisfied": "yes",
		"carers[1]/who": "Ann", "carers[1]/age": "81", "carers[1]/relation": "parent",
		"carers[2]/who": "Bo", "carers[2]/age": "12", "carers[2]/relation": "child",
		"carers[3]/who": "Cy", "carers[3]/age": "40", "carers[3]/relation": "partner", "carers[3]/note": "=HYPERLINK(\"http://x\")",
	}
	a.RemoveInstance([]survey.Step{{Repeat: "carers", Index: 2}})
	answers := []survey.Answers{
		a,
		{"postcode": "EF3 4GH", "satisfied": "no"},
		{"postcode": "IJ5 6KL", "carers[1]/who": "Di", "carers[1]/age": "77", "carers[1]/relation": "parent",
			"carers[1]/services[1]/service": "day home", "carers[1]/services[2]/service": "home"},
	}
	var ids []string
	for _, ans := range answers {
		r, err := st.StartResponse(ctx, "carers", 0, "en")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SaveAnswers(ctx, r.ID, ans, nil); err != nil {
			t.Fatal(err)
		}
		if err := st.Submit(ctx, r.ID, ans, nil); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
		time.Sleep(2 * time.Millisecond) // responses export in the order they were started
	}
	return st, ids
}

// TestRepeatSheets exports a survey with a repeat and a nested repeat and
// reads the workbook back with openpyxl in read-only mode: one sheet per
// repeat, keyed back to its parent as KoboToolbox does.
func TestRepeatSheets(t *testing.T) {
	st, ids := carersStore(t)
	py := pyreaders.New(t)
	cases := []struct {
		name       string
		opts       export.Options
		wantWho    bool
		wantAnswer string // the relation of Ann as exported
	}{
		{"labels", export.Options{SurveyID: "carers"}, true, "Parent"},
		{"codes", export.Options{SurveyID: "carers", Codes: true}, true, "parent"},
		{"no personal", export.Options{SurveyID: "carers", NoPersonal: true}, false, "Parent"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, res := exportFile(t, st, c.opts, "carers.xlsx")
			if res.Rows != 3 || res.InstanceRows != 5 {
				t.Errorf("rows %d, instance rows %d; want 3 and 5 (3 people, 2 services)", res.Rows, res.InstanceRows)
			}
			if err := dimension.Check(path); err != nil {
				t.Errorf("declared ranges: %v", err)
			}
			sheets := map[string]pyreaders.Sheet{}
			var names []string
			for _, sh := range py.ReadOnly(path) {
				sheets[sh.Name] = sh
				names = append(names, sh.Name)
			}
			if want := []string{"Responses", "carers", "services", "Summary", "Codebook", "About"}; !slices.Equal(names, want) {
				t.Fatalf("sheets %q, want %q", names, want)
			}

			resp := sheets["Responses"]
			head := resp.Rows[0]
			for _, h := range head {
				if strings.Contains(h, "[") || h == "who" || h == "age" || h == "service" {
					t.Errorf("Responses has a column %q of a repeat question", h)
				}
			}
			idx, count := column(t, head, "_index")-1, column(t, head, "carers: count")-1
			if column(t, head, "postcode") > count+1 || count+1 > column(t, head, "satisfied") {
				t.Errorf("the count column is not where the repeat stands: %q", head)
			}
			for i, want := range []string{"2", "0", "1"} {
				row := resp.Rows[i+1]
				if row[0] != ids[i] || row[idx] != [...]string{"1", "2", "3"}[i] || row[count] != want {
					t.Errorf("Responses row %d: id %s _index %s count %s, want %s %d %s", i+1, row[0], row[idx], row[count], ids[i], i+1, want)
				}
			}
			if resp.Dimension != "A1:"+cellName(t, len(head), 4) {
				t.Errorf("Responses declares %s", resp.Dimension)
			}

			carers := sheets["carers"]
			ch := carers.Rows[0]
			if want := []string{"response id", "_index", "_parent_index", "_parent_table_name", "instance number", "instance"}; !slices.Equal(ch[:6], want) {
				t.Errorf("carers keys %q, want %q", ch[:6], want)
			}
			if got := slices.Contains(ch, "who"); got != c.wantWho {
				t.Errorf("carers has the personal column who: %v, want %v", got, c.wantWho)
			}
			want := [][]string{
				{ids[0], "1", "1", "Responses", "1", "carers[1]"},
				{ids[0], "2", "1", "Responses", "2", "carers[2]"},
				{ids[2], "3", "3", "Responses", "1", "carers[1]"},
			}
			if len(carers.Rows) != 4 {
				t.Fatalf("carers has %d rows, want header + 3: %q", len(carers.Rows), carers.Rows)
			}
			age, rel, note, svc := column(t, ch, "age")-1, column(t, ch, "relation")-1, column(t, ch, "note")-1, column(t, ch, "services: count")-1
			for i, w := range want {
				if got := carers.Rows[i+1][:6]; !slices.Equal(got, w) {
					t.Errorf("carers row %d keys %q, want %q", i+1, got, w)
				}
			}
			if r := carers.Rows[2]; r[age] != "40" || r[note] != `=HYPERLINK("http://x")` {
				t.Errorf("Cy's row moved into the second place: %q", r)
			}
			if got := []string{carers.Rows[1][rel], carers.Rows[1][svc], carers.Rows[3][svc]}; !slices.Equal(got, []string{c.wantAnswer, "0", "2"}) {
				t.Errorf("Ann's relation, services counts: %q", got)
			}
			if carers.Dimension != "A1:"+cellName(t, len(ch), 4) {
				t.Errorf("carers declares %s for %d columns", carers.Dimension, len(ch))
			}

			services := sheets["services"]
			if len(services.Rows) != 3 {
				t.Fatalf("services has %d rows, want header + 2: %q", len(services.Rows), services.Rows)
			}
			for i, w := range [][]string{
				{ids[2], "1", "3", "carers", "1", "carers[1]/services[1]"},
				{ids[2], "2", "3", "carers", "2", "carers[1]/services[2]"},
			} {
				if got := services.Rows[i+1][:6]; !slices.Equal(got, w) {
					t.Errorf("services row %d keys %q, want %q", i+1, got, w)
				}
			}

			// The formula-like note is text, never a formula.
			cells := rawCells(t, sheetPart(t, zipParts(t, path), "carers"))
			cell := cells[cellName(t, note+1, 3)]
			if cell.Formula != nil || cell.Type != "inlineStr" {
				t.Errorf("the note is written as %+v, want inline text", cell)
			}

			cb := rows(t, openWorkbook(t, path), "Codebook")
			for _, line := range []string{"_parent_index", "_parent_table_name", "_index", "carers: count", "services: count", "instance"} {
				if findRow(t, cb, line) < 0 {
					t.Errorf("Codebook has no line for %s", line)
				}
			}
			if got := cb[0][len(cb[0])-1]; got != "sheet" {
				t.Errorf("Codebook's last column is %q, want sheet", got)
			}
			if r := cb[findRow(t, cb, "_parent_index")]; !strings.Contains(r[2], "KoboToolbox") {
				t.Errorf("Codebook does not state the convention: %q", r)
			}
		})
	}
}

// TestRepeatSummary: the Summary counts every instance of a question in a
// repeat and says across how many responses.
func TestRepeatSummary(t *testing.T) {
	for _, c := range []struct {
		name, item, want, one string
	}{
		{"the repeat's noun", "person", "3 people across 2 responses", "1 person across 1 response"},
		{"no noun", "", "3 entries in “People you care for” across 2 responses", "1 entry in “People you care for” across 1 response"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, _ := carersStore(t)
			if c.item != "" {
				def := carersSurvey()
				def.Questions[1].Repeat.Item = survey.En(c.item)
				if _, err := st.SaveSurvey(context.Background(), def); err != nil {
					t.Fatal(err)
				}
			}
			path, _ := exportFile(t, st, export.Options{SurveyID: "carers"}, "carers.xlsx")
			readBack(t, path)
			sum := rows(t, openWorkbook(t, path), "Summary")
			at := findRow(t, sum, "relation: They are my (repeat carers, sheet carers)")
			if sum[at+1][1] != "3" || sum[at+2][0] != c.want {
				t.Errorf("relation block %q, want n 3 and %q", sum[at:at+4], c.want)
			}
			at = findRow(t, sum, "note: Anything else (repeat carers, sheet carers)")
			if sum[at+1][1] != "1" || sum[at+2][0] != c.one {
				t.Errorf("note block %q, want n 1 and %q", sum[at:at+3], c.one)
			}
			parent := findRow(t, sum, "Parent")
			if sum[parent][1] != "2" {
				t.Errorf("Parent counted %q, want 2 (Ann and Di)", sum[parent])
			}
			at = findRow(t, sum, "service: Service (repeat services, sheet services)")
			if sum[at+1][1] != "2" || sum[at+2][0] != "2 entries in “Services they use” across 1 response" {
				t.Errorf("service block %q", sum[at:at+3])
			}
		})
	}
}

// TestRepeatLongLayout: the long layout keeps one file and names each
// answer's instance.
func TestRepeatLongLayout(t *testing.T) {
	st, ids := carersStore(t)
	for _, name := range []string{"long.xlsx", "long.csv"} {
		t.Run(name, func(t *testing.T) {
			path, _ := exportFile(t, st, export.Options{SurveyID: "carers", Long: true, Codes: true}, name)
			var rs [][]string
			if strings.HasSuffix(name, ".csv") {
				rs = readCSV(t, path)
			} else {
				readBack(t, path)
				rs = rows(t, openWorkbook(t, path), "Responses")
			}
			if want := []string{"response id", "instance", "question", "answer code", "answer label"}; !slices.Equal(rs[0], want) {
				t.Fatalf("headers %q, want %q", rs[0], want)
			}
			var got []string
			for _, r := range rs[1:] {
				if r[0] == ids[2] {
					got = append(got, strings.Join(r[1:4], " "))
				}
			}
			want := []string{" postcode IJ5 6KL", "carers[1] who Di", "carers[1] age 77", "carers[1] relation parent",
				"carers[1]/services[1] service day", "carers[1]/services[1] service home", "carers[1]/services[2] service home"}
			if !slices.Equal(got, want) {
				t.Errorf("rows of the third response:\n%q\nwant\n%q", got, want)
			}
		})
	}
}

// TestRepeatCSVFiles: a CSV export writes a file per repeat beside the
// main one, with the same keys, readable by the owner only, and a caller
// that takes one file is refused with a clear message.
func TestRepeatCSVFiles(t *testing.T) {
	st, ids := carersStore(t)
	path, res := exportFile(t, st, export.Options{SurveyID: "carers"}, "carers.csv")
	dir := filepath.Dir(path)
	want := []string{path, filepath.Join(dir, "carers-carers.csv"), filepath.Join(dir, "carers-services.csv")}
	if !slices.Equal(res.Files, want) {
		t.Errorf("files %q, want %q", res.Files, want)
	}
	if left := otherFiles(t, dir, "carers.csv", "carers-carers.csv", "carers-services.csv"); len(left) > 0 {
		t.Errorf("left behind: %q", left)
	}
	for _, f := range want {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(f), fi.Mode().Perm())
		}
	}
	main := readCSV(t, want[0])
	if c := column(t, main[0], "carers: count") - 1; main[1][c] != "2" || main[2][c] != "0" || main[3][c] != "1" {
		t.Errorf("counts in the main file: %q", main)
	}
	carers := readCSV(t, want[1])
	if len(carers) != 4 || !slices.Equal(carers[2][:6], []string{ids[0], "2", "1", "Responses", "2", "carers[2]"}) {
		t.Errorf("carers file %q", carers)
	}
	note := column(t, carers[0], "note") - 1
	if carers[2][note] != `'=HYPERLINK("http://x")` {
		t.Errorf("the formula-like note is %q in CSV, want a leading '", carers[2][note])
	}
	services := readCSV(t, want[2])
	if len(services) != 3 || !slices.Equal(services[2][:6], []string{ids[2], "2", "3", "carers", "2", "carers[1]/services[2]"}) {
		t.Errorf("services file %q", services)
	}

	_, err := export.ToFile(context.Background(), st, export.Options{SurveyID: "carers", SingleFile: true}, filepath.Join(t.TempDir(), "one.csv"))
	if err == nil || !strings.Contains(err.Error(), "repeat") || !strings.Contains(err.Error(), "carers, services") {
		t.Errorf("one file asked for: %v", err)
	}
	if _, err := export.CSV(context.Background(), st, export.Options{SurveyID: "carers"}, &strings.Builder{}); err == nil {
		t.Error("CSV to one writer dropped the repeats without a word")
	}
}

// TestRepeatErasedStayErased: personal answers erased inside instances
// are gone from every export.
func TestRepeatErasedStayErased(t *testing.T) {
	st, ids := carersStore(t)
	if err := st.ErasePersonal(context.Background(), ids[0], []string{"who"}, "test"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"x.xlsx", "x.csv", "long.csv"} {
		t.Run(name, func(t *testing.T) {
			_, res := exportFile(t, st, export.Options{SurveyID: "carers", Long: strings.HasPrefix(name, "long")}, name)
			files := res.Files
			if want := map[string]int{"x.xlsx": 1, "x.csv": 3, "long.csv": 1}[name]; len(files) != want {
				t.Fatalf("files %q, want %d", files, want)
			}
			var all strings.Builder
			for _, f := range files {
				if strings.HasSuffix(f, ".xlsx") {
					readBack(t, f)
					wb := openWorkbook(t, f)
					for _, sh := range wb.GetSheetList() {
						for _, r := range rows(t, wb, sh) {
							all.WriteString(strings.Join(r, "|") + "\n")
						}
					}
					continue
				}
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				all.Write(b)
			}
			for _, gone := range []string{"Ann", "Cy"} {
				if strings.Contains(all.String(), gone) {
					t.Errorf("the erased name %s is in the export", gone)
				}
			}
			if !strings.Contains(all.String(), "Di") {
				t.Error("the name that was not erased is missing: the check cannot fail")
			}
		})
	}
}

// TestSheetNames: repeat sheet names fit Excel's 31 characters with room
// for a continuation, lose the characters Excel refuses, and never clash.
func TestSheetNames(t *testing.T) {
	long := strings.Repeat("people_you_care_for_", 5)
	def := carersSurvey()
	def.Questions[1].Name = long
	def.Questions[1].Questions[4].Name = long[:40] + "x"
	src := &fakeSource{defs: []*survey.Survey{def}}
	path, _ := exportFile(t, src, export.Options{SurveyID: "carers"}, "names.xlsx")
	readBack(t, path)
	names := openWorkbook(t, path).GetSheetList()
	if len(names) != 6 {
		t.Fatalf("sheets %q", names)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if len([]rune(n)) > 26 && n != "Responses" || strings.ContainsAny(n, `[]:*?/\`) || seen[strings.ToLower(n)] {
			t.Errorf("sheet name %q", n)
		}
		seen[strings.ToLower(n)] = true
	}
}

// TestRepeatExportThroughEngine is the scenario through the real
// form engine and store: a respondent adds three people, removes the
// second and submits; the export has two rows on the repeat sheet, keyed
// to the response's row, and openpyxl in read-only mode reads them.
func TestRepeatExportThroughEngine(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.SaveSurvey(ctx, carersSurvey()); err != nil {
		t.Fatal(err)
	}
	def, err := st.Survey(ctx, "carers", 0)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := run.New(run.Config{Survey: def, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	answer := func(key, value string) {
		t.Helper()
		if c, _ := sess.Answer(key, value); !c.OK() {
			t.Fatalf("answer %s = %q: %+v", key, value, c)
		}
	}
	answer("postcode", "AB1 2CD")
	for i, who := range []string{"Ann", "Bo", "Cy"} {
		if err := sess.AddInstance("carers"); err != nil {
			t.Fatal(err)
		}
		answer(fmt.Sprintf("carers[%d]/who", i+1), who)
		answer(fmt.Sprintf("carers[%d]/age", i+1), strconv.Itoa(40+i))
	}
	if err := sess.RemoveInstance(ctx, "carers[2]"); err != nil {
		t.Fatal(err)
	}
	if page, problems := sess.Finish(); page >= 0 {
		t.Fatalf("finish: page %d, %v", page, problems)
	}
	if err := sess.Submit(ctx, nil); err != nil {
		t.Fatal(err)
	}

	path, res := exportFile(t, st, export.Options{SurveyID: "carers"}, "engine.xlsx")
	if res.Rows != 1 || res.InstanceRows != 2 {
		t.Errorf("rows %d, instance rows %d; want 1 and 2", res.Rows, res.InstanceRows)
	}
	for _, sh := range pyreaders.New(t).ReadOnly(path) {
		if sh.Name != "carers" {
			continue
		}
		h := sh.Rows[0]
		who := column(t, h, "who") - 1
		var got []string
		for _, r := range sh.Rows[1:] {
			got = append(got, strings.Join([]string{r[1], r[2], r[3], r[5], r[who]}, " "))
		}
		if want := []string{"1 1 Responses carers[1] Ann", "2 1 Responses carers[2] Cy"}; !slices.Equal(got, want) || sh.Dimension != "A1:"+cellName(t, len(h), 3) {
			t.Errorf("carers rows %q (declared %s), want %q", got, sh.Dimension, want)
		}
		return
	}
	t.Error("no carers sheet")
}

// readBack reopens a workbook with openpyxl in read-only mode, which trusts
// each sheet's declared range, and fails t unless it sees every sheet and
// row that excelize sees.
func readBack(t *testing.T, path string) {
	t.Helper()
	f := openWorkbook(t, path)
	var names []string
	for _, sh := range pyreaders.New(t).ReadOnly(path) {
		names = append(names, sh.Name)
		if full := rows(t, f, sh.Name); len(sh.Rows) != len(full) {
			t.Errorf("%s: openpyxl read-only sees %d rows (declared %s), excelize %d", sh.Name, len(sh.Rows), sh.Dimension, len(full))
		}
	}
	if !slices.Equal(names, f.GetSheetList()) {
		t.Errorf("openpyxl sheets %q, excelize %q", names, f.GetSheetList())
	}
}

// TestPageMadeRepeatable: a page answered on version 1 and made repeatable
// in version 2 (the editor's "Repeat these questions") keeps its version 1
// answers in the export, as the first instance of the repeat (where its
// columns are), on the workbook and in the CSV files. They were on no
// sheet at all.
func TestPageMadeRepeatable(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	v1 := &survey.Survey{ID: "carers", Version: 1, Title: survey.En("Carers"), Questions: []*survey.Question{
		{Type: survey.TypeText, Name: "town", Label: survey.En("Town")},
		{Type: survey.TypeGroup, Name: "carers", Label: survey.En("The person you care for"), Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "who", Label: survey.En("Their name")},
			{Type: survey.TypeInteger, Name: "age", Label: survey.En("Their age")},
		}},
	}}
	respond := func(a survey.Answers) {
		r, err := st.StartResponse(ctx, "carers", 0, "en")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Submit(ctx, r.ID, a, nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond) // responses export in the order they were started
	}
	if _, err := st.SaveSurvey(ctx, v1); err != nil {
		t.Fatal(err)
	}
	respond(survey.Answers{"town": "Leeds", "who": "Ann", "age": "81"})
	v2 := v1.Clone()
	v2.Questions[1].Repeat = &survey.Repeat{Item: survey.En("person")}
	if saved, err := st.SaveSurvey(ctx, v2); err != nil || saved.Version != 2 {
		t.Fatalf("version 2: %v", err)
	}
	respond(survey.Answers{"town": "York", "carers[1]/who": "Bo", "carers[2]/who": "Cy", "carers[2]/age": "9"})

	path, _ := exportFile(t, st, export.Options{SurveyID: "carers"}, "carers.xlsx")
	readBack(t, path)
	f := openWorkbook(t, path)
	want := [][]string{{"1", "1", "carers[1]", "Ann", "81"}, {"2", "2", "carers[1]", "Bo", ""}, {"3", "2", "carers[2]", "Cy", "9"}}
	sheet := rows(t, f, "carers")
	if len(sheet) != 4 {
		t.Fatalf("carers sheet %q, want three people", sheet)
	}
	cell := func(r []string, name string) string {
		if i := column(t, sheet[0], name) - 1; i < len(r) {
			return r[i]
		}
		return "" // excelize leaves out empty cells at a row's end
	}
	for i, r := range sheet[1:] {
		got := []string{cell(r, "_index"), cell(r, "_parent_index"), cell(r, "instance"), cell(r, "who"), cell(r, "age")}
		if !slices.Equal(got, want[i]) {
			t.Errorf("carers row %d %q, want %q", i+1, got, want[i])
		}
	}
	resp := rows(t, f, "Responses")
	if c := column(t, resp[0], "carers: count") - 1; resp[1][c] != "1" || resp[2][c] != "2" {
		t.Errorf("Responses counts %q, %q", resp[1][c], resp[2][c])
	}

	dir := t.TempDir()
	if _, err := export.ToFile(ctx, st, export.Options{SurveyID: "carers"}, filepath.Join(dir, "carers.csv")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "carers-carers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), ",carers[1],Ann,81") {
		t.Errorf("carers-carers.csv lacks Ann:\n%s", data)
	}
}
