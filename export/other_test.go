package export_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"canvass/export"
	"canvass/survey"
)

// otherSurvey has or_other selects (one whose list lacks "other", one whose
// list has its own, one personal) and a select without or_other.
func otherSurvey() *survey.Survey {
	return &survey.Survey{
		ID:        "other",
		Version:   1,
		Title:     survey.En("Other survey"),
		Languages: []survey.Language{{Code: "en", Name: "English"}},
		Questions: []*survey.Question{
			{Type: survey.TypeSelectOne, Name: "where", Label: survey.En("Where do you live?"), List: "area", OrOther: true},
			{Type: survey.TypeSelectMultiple, Name: "likes", Label: survey.En("What do you like?"), List: "likes", OrOther: true},
			{Type: survey.TypeSelectOne, Name: "plain", Label: survey.En("Plain?"), List: "yesno"},
			{Type: survey.TypeSelectOne, Name: "faith", Label: survey.En("Faith"), List: "yesno", OrOther: true, Personal: true},
			{Type: survey.TypeText, Name: "comments", Label: survey.En("Comments")},
		},
		Lists: []survey.ChoiceList{
			{Name: "area", Choices: []survey.Choice{{Name: "north", Label: survey.En("North")}, {Name: "south", Label: survey.En("South")}}},
			{Name: "likes", Choices: []survey.Choice{{Name: "ducks", Label: survey.En("Ducks")}, {Name: "other", Label: survey.En("Something else")}}},
			{Name: "yesno", Choices: []survey.Choice{{Name: "yes", Label: survey.En("Yes")}, {Name: "no", Label: survey.En("No")}}},
		},
	}
}

// otherPayload is "Other" text that a spreadsheet would take for a formula.
const otherPayload = `=HYPERLINK("http://evil","click")`

func otherSource() *fakeSource {
	return &fakeSource{
		defs: []*survey.Survey{otherSurvey()},
		responses: []*survey.Response{
			{ID: "o1", SurveyID: "other", SurveyVersion: 1, Started: day1, Updated: day1, Status: survey.StatusComplete,
				Answers: survey.Answers{"where": "other", "where_other": otherPayload, "likes": "ducks other", "likes_other": "+44 kites",
					"plain": "yes", "faith": "other", "faith_other": "Jedi", "comments": "fine"}},
			{ID: "o2", SurveyID: "other", SurveyVersion: 1, Started: day1.Add(1), Updated: day1, Status: survey.StatusComplete,
				Answers: survey.Answers{"where": "north", "likes": "ducks", "plain": "no"}},
		},
	}
}

func TestOtherTextColumns(t *testing.T) {
	wantHeader := []string{"where", "where: other (please specify)", "likes", "likes: Ducks", "likes: Something else",
		"likes: other (please specify)", "plain", "faith", "faith: other (please specify)", "comments"}
	for _, name := range []string{"out.xlsx", "out.csv"} {
		t.Run(name, func(t *testing.T) {
			path, _ := exportFile(t, otherSource(), export.Options{SurveyID: "other"}, name)
			var recs [][]string
			if name == "out.csv" {
				recs = readCSV(t, path)
			} else {
				recs = rows(t, openWorkbook(t, path), "Responses")
			}
			if got := recs[0][slices.Index(recs[0], "merge conflict")+1:]; !slices.Equal(got, wantHeader) {
				t.Fatalf("question headers =\n%q\nwant\n%q", got, wantHeader)
			}
			wantWhere := otherPayload
			if name == "out.csv" {
				wantWhere = "'" + otherPayload
			}
			o1, o2 := rowMap(recs[0], recs[1]), rowMap(recs[0], recs[2])
			for k, v := range map[string]string{
				"where": "Other", "where: other (please specify)": wantWhere,
				"likes": "Ducks; Something else", "likes: Something else": "1", "likes: other (please specify)": "'+44 kites",
				"faith": "Other", "faith: other (please specify)": "Jedi",
			} {
				if name == "out.xlsx" && v == "'+44 kites" {
					v = "+44 kites"
				}
				if o1[k] != v {
					t.Errorf("o1 %q = %q, want %q", k, o1[k], v)
				}
			}
			if o2["where: other (please specify)"] != "" || o2["likes: other (please specify)"] != "" {
				t.Errorf("o2 has other text: %q", o2)
			}
		})
	}

	t.Run("workbook cells are text", func(t *testing.T) {
		path, _ := exportFile(t, otherSource(), export.Options{SurveyID: "other"}, "out.xlsx")
		f := openWorkbook(t, path)
		head := rows(t, f, "Responses")[0]
		for _, h := range []string{"where: other (please specify)", "likes: other (please specify)"} {
			ref := cellName(t, column(t, head, h), 2)
			if typ, err := f.GetCellType("Responses", ref); err != nil || typ != excelize.CellTypeInlineString {
				t.Errorf("%s %s: cell type %v, %v; want an inline string", h, ref, typ, err)
			}
			if formula, err := f.GetCellFormula("Responses", ref); err != nil || formula != "" {
				t.Errorf("%s %s: formula %q, %v", h, ref, formula, err)
			}
		}
	})

	t.Run("without personal questions", func(t *testing.T) {
		path, _ := exportFile(t, otherSource(), export.Options{SurveyID: "other", NoPersonal: true}, "out.csv")
		head := readCSV(t, path)[0]
		if slices.Contains(head, "faith: other (please specify)") || slices.Contains(head, "faith") {
			t.Errorf("a personal question's other text is exported: %q", head)
		}
		if !slices.Contains(head, "where: other (please specify)") {
			t.Errorf("the other text of a question that is not personal went too: %q", head)
		}
	})

	t.Run("codes", func(t *testing.T) {
		path, _ := exportFile(t, otherSource(), export.Options{SurveyID: "other", Codes: true}, "out.csv")
		recs := readCSV(t, path)
		o1 := rowMap(recs[0], recs[1])
		if o1["where"] != "other" || o1["likes"] != "ducks; other" || o1["likes: other"] != "1" || o1["where: other (please specify)"] != "'"+otherPayload {
			t.Errorf("o1 with codes = %q", o1)
		}
	})

	t.Run("long layout", func(t *testing.T) {
		for _, name := range []string{"out.xlsx", "out.csv"} {
			path, _ := exportFile(t, otherSource(), export.Options{SurveyID: "other", Long: true}, name)
			var recs [][]string
			if name == "out.csv" {
				recs = readCSV(t, path)
			} else {
				recs = rows(t, openWorkbook(t, path), "Responses")
			}
			var o1 []string
			for _, r := range recs[1:] {
				if r[0] == "o1" {
					o1 = append(o1, r[1]+" = "+r[2]+" / "+r[3])
				}
			}
			payload := otherPayload
			kites := "+44 kites"
			if name == "out.csv" {
				payload, kites = "'"+payload, "'"+kites
			}
			want := []string{
				"where = other / Other",
				"where: other (please specify) = " + payload + " / " + payload,
				"likes = ducks / Ducks",
				"likes = other / Something else",
				"likes: other (please specify) = " + kites + " / " + kites,
				"plain = yes / Yes",
				"faith = other / Other",
				"faith: other (please specify) = Jedi / Jedi",
				"comments = fine / fine",
			}
			if !slices.Equal(o1, want) {
				t.Errorf("%s: long rows of o1 =\n%q\nwant\n%q", name, o1, want)
			}
		}
	})

	t.Run("codebook", func(t *testing.T) {
		for _, long := range []bool{false, true} {
			path, _ := exportFile(t, otherSource(), export.Options{SurveyID: "other", Long: long}, "out.xlsx")
			cb := rows(t, openWorkbook(t, path), "Codebook")
			var order []string
			rowsOf := map[string]map[string]string{}
			for _, r := range cb[1:] {
				m := rowMap(cb[0], r)
				if m["question"] != "" && m["choice code"] == "" {
					order = append(order, m["question"])
					rowsOf[m["question"]] = m
				}
			}
			want := []string{"where", "where_other", "likes", "likes_other", "plain", "faith", "faith_other", "comments"}
			if !slices.Equal(order, want) {
				t.Errorf("long=%v: codebook questions = %q, want %q", long, order, want)
			}
			m := rowsOf["likes_other"]
			wantCol := "likes: other (please specify)"
			if long {
				wantCol = ""
			}
			if m["column"] != wantCol || m["type"] != "text" || m["versions"] != "1" {
				t.Errorf("long=%v: codebook likes_other = %q", long, m)
			}
			if rowsOf["faith_other"]["personal"] != "yes" || rowsOf["where"]["type"] != "select_one area or_other" {
				t.Errorf("long=%v: codebook faith_other = %q, where = %q", long, rowsOf["faith_other"], rowsOf["where"])
			}
		}
	})

	t.Run("summary counts the added Other choice", func(t *testing.T) {
		path, _ := exportFile(t, otherSource(), export.Options{SurveyID: "other"}, "out.xlsx")
		sum := rows(t, openWorkbook(t, path), "Summary")
		i := findRow(t, sum, "where: Where do you live?")
		got := [][]string{sum[i+3], sum[i+4], sum[i+5]}
		want := [][]string{{"North", "1", "50.00%"}, {"South", "0", "0.00%"}, {"Other", "1", "50.00%"}}
		for k := range want {
			if !slices.Equal(got[k], want[k]) {
				t.Errorf("summary row %s = %q, want %q", strconv.Itoa(k), got[k], want[k])
			}
		}
	})
}
