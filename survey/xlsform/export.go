package xlsform

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"canvass/export/dimension"
	"canvass/survey"
	"canvass/survey/userfile"
)

// Export writes s as an XLSForm workbook: survey, choices and settings
// sheets with ODK's column names, Canvass's extra columns, and a
// canvass_scoring sheet when the survey is scored. Import reads the result
// back to an equal definition. Texts are written in the survey's languages
// (a survey without languages is written in English); text in a language
// the survey does not declare gets a column of its own and comes back as
// an extra language.
func Export(s *survey.Survey, w io.Writer) error {
	if s == nil {
		return errors.New("export form: no survey given")
	}
	f, err := buildWorkbook(s)
	if err != nil {
		return fmt.Errorf("export form %q: %w", s.ID, err)
	}
	defer f.Close()
	// Every sheet declares its true used range: pyxform reads no further.
	f.ZipWriter = func(w io.Writer) excelize.ZipWriter { return dimension.NewWriter(zip.NewWriter(w), nil) }
	if err := f.Write(w); err != nil {
		return fmt.Errorf("export form %q: write: %w", s.ID, err)
	}
	return nil
}

// ExportFile writes the XLSForm workbook of s to path through a private
// partial file renamed into place when complete (userfile.WriteAtomic),
// refusing a folder, special file or any of the protected files (pass the
// store's OwnFiles).
func ExportFile(s *survey.Survey, path string, protected ...string) error {
	err := userfile.WriteAtomic(context.Background(), path, protected, func(w io.Writer) error { return Export(s, w) })
	if err != nil {
		return fmt.Errorf("export form: %w", err)
	}
	return nil
}

// langColumns are the language suffixes texts are written in.
type langColumns struct {
	codes    []string          // in column order: declared languages, then others
	suffixes map[string]string // code → suffix ("English (en)"); "" → none
}

// exportLanguages lists the survey's languages, then any other language
// its texts use.
func exportLanguages(s *survey.Survey) langColumns {
	lc := langColumns{suffixes: map[string]string{}}
	add := func(code, name string) {
		if _, ok := lc.suffixes[code]; ok {
			return
		}
		lc.codes = append(lc.codes, code)
		if code == "" {
			lc.suffixes[code] = ""
		} else {
			lc.suffixes[code] = languageSuffix(code, name)
		}
	}
	for _, l := range s.Languages {
		add(l.Code, l.Name)
	}
	if len(lc.codes) == 0 {
		add(s.DefaultLanguage(), knownLanguages[s.DefaultLanguage()])
	}
	var extra []string
	seen := map[string]bool{}
	note := func(t survey.Text) {
		for k, v := range t {
			if _, ok := lc.suffixes[k]; !ok && v != "" && !seen[k] {
				seen[k] = true
				extra = append(extra, k)
			}
		}
	}
	note(s.Title)
	note(s.Description)
	for _, q := range s.All() {
		if q == nil {
			continue
		}
		note(q.Label)
		note(q.Hint)
		note(q.RequiredMessage)
		note(q.ConstraintMessage)
	}
	for _, l := range s.Lists {
		for _, c := range l.Choices {
			note(c.Label)
		}
	}
	if sc := s.Scoring; sc != nil {
		note(sc.Notice)
		for _, o := range sc.Outcomes {
			note(o.Label)
			note(o.Description)
		}
		for _, c := range sc.Confidence {
			note(c.Label)
		}
		for _, r := range sc.Rules {
			note(r.Label)
			note(r.Caveat)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		add(k, "")
	}
	return lc
}

// header returns the column header of a text key in a language.
func (lc langColumns) header(key, code string) string {
	if suffix := lc.suffixes[code]; suffix != "" {
		return key + "::" + suffix
	}
	return key
}

// sheet is a sheet being built: a fixed order of possible columns, rows
// keyed by header, and the columns that must appear even when empty.
type sheet struct {
	name     string
	order    []string
	required map[string]bool
	rows     []map[string]any
}

func newSheet(name string) *sheet { return &sheet{name: name, required: map[string]bool{}} }

// column adds a possible column; required ones are written even when empty.
func (sh *sheet) column(h string, required bool) {
	sh.order = append(sh.order, h)
	if required {
		sh.required[h] = true
	}
}

// texts adds the columns of a text key, one per language.
func (sh *sheet) texts(lc langColumns, key string, required bool) {
	for _, code := range lc.codes {
		sh.column(lc.header(key, code), required && code != "")
	}
}

func (sh *sheet) add(r map[string]any) { sh.rows = append(sh.rows, r) }

// setText puts a text's languages into a row.
func setText(r map[string]any, lc langColumns, key string, t survey.Text) {
	for code, v := range t {
		if v != "" {
			r[lc.header(key, code)] = v
		}
	}
}

// setYes puts "yes" in a row's column when on is true, and leaves the
// column out otherwise (XLSForm reads a blank as no).
func setYes(r map[string]any, col string, on bool) {
	if on {
		r[col] = "yes"
	}
}

// write writes the sheet's used columns to f.
func (sh *sheet) write(f *excelize.File) error {
	var cols []string
	for _, h := range sh.order {
		used := sh.required[h]
		for _, r := range sh.rows {
			if v, ok := r[h]; ok && v != nil && v != "" {
				used = true
				break
			}
		}
		if used {
			cols = append(cols, h)
		}
	}
	if _, err := f.NewSheet(sh.name); err != nil {
		return fmt.Errorf("add the %s sheet: %w", sh.name, err)
	}
	for i, h := range cols {
		if err := setCell(f, sh.name, i, 1, h); err != nil {
			return err
		}
	}
	for n, r := range sh.rows {
		for i, h := range cols {
			if err := setCell(f, sh.name, i, n+2, r[h]); err != nil {
				return err
			}
		}
	}
	if len(cols) > 0 {
		last := columnLetter(len(cols) - 1)
		if err := f.SetColWidth(sh.name, "A", last, 18); err != nil {
			return fmt.Errorf("%s sheet: %w", sh.name, err)
		}
		if err := f.SetPanes(sh.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return fmt.Errorf("%s sheet: %w", sh.name, err)
		}
	}
	return nil
}

// setCell writes one value: text always as text (never a formula), numbers
// as numbers with every digit kept.
func setCell(f *excelize.File, sheetName string, col, num int, v any) error {
	cell := cellName(col, num)
	var err error
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if v == "" {
			return nil
		}
		err = f.SetCellStr(sheetName, cell, v)
	case float64:
		// The shortest decimal that reads back as v: excelize's automatic
		// precision would cut it to Excel's 15 significant digits.
		prec := 0
		if _, frac, ok := strings.Cut(formatNumber(v), "."); ok {
			prec = len(frac)
		}
		err = f.SetCellFloat(sheetName, cell, v, prec, 64)
	case int:
		err = f.SetCellInt(sheetName, cell, int64(v))
	default:
		err = fmt.Errorf("unexpected value %T", v)
	}
	if err != nil {
		return fmt.Errorf("%s sheet, cell %s: %w", sheetName, cell, err)
	}
	return nil
}

// buildWorkbook lays the survey out in a new workbook.
func buildWorkbook(s *survey.Survey) (*excelize.File, error) {
	if err := checkQuestions(s.Questions); err != nil {
		return nil, err
	}
	lc := exportLanguages(s)
	sheets := []*sheet{surveySheet(s, lc), choicesSheet(s, lc), settingsSheet(s, lc)}
	if s.Scoring != nil {
		sheets = append(sheets, scoringSheet(s.Scoring, lc))
	}
	f := excelize.NewFile()
	for _, sh := range sheets {
		if err := sh.write(f); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		f.Close()
		return nil, err
	}
	f.SetActiveSheet(0)
	return f, nil
}

// checkQuestions refuses questions a survey sheet cannot hold.
func checkQuestions(qs []*survey.Question) error {
	for i, q := range qs {
		switch {
		case q == nil:
			return fmt.Errorf("question %d is empty", i+1)
		case !q.Type.Known():
			return fmt.Errorf("question %q has type %q, which Canvass does not know", q.Name, q.Type)
		case q.Type != survey.TypeGroup && len(q.Questions) > 0:
			return fmt.Errorf("question %q is a %s but holds questions: only a group can", q.Name, q.Type)
		case q.Type != survey.TypeGroup && q.Repeat != nil:
			return fmt.Errorf("question %q is a %s but repeats: only a group can", q.Name, q.Type)
		}
		if err := checkQuestions(q.Questions); err != nil {
			return err
		}
	}
	return nil
}

// surveySheet lays out the questions, groups as begin_group … end_group
// and repeats as begin_repeat … end_repeat.
func surveySheet(s *survey.Survey, lc langColumns) *sheet {
	sh := newSheet(SheetSurvey)
	sh.column(colType, true)
	sh.column(colName, true)
	sh.texts(lc, colLabel, true)
	sh.texts(lc, colHint, false)
	sh.column(colRequired, false)
	sh.texts(lc, colRequiredMessage, false)
	for _, c := range []string{colRelevant, colConstraint} {
		sh.column(c, false)
	}
	sh.texts(lc, colConstraintMessage, false)
	for _, c := range []string{colCalculation, colDefault, colReadOnly, colAppearance, colChoiceFilter, colParameters, colPersonal, colWeight, colRepeatCount} {
		sh.column(c, false)
	}
	sh.texts(lc, colRepeatItem, false)
	// groups counts the plain groups around qs inside the innermost repeat
	// (-1 outside every repeat), for position(..).
	var walk func(qs []*survey.Question, groups int)
	walk = func(qs []*survey.Question, groups int) {
		for _, q := range qs {
			r := questionRow(q, lc)
			if groups > 0 && q.Repeat == nil {
				for _, c := range []string{colRelevant, colConstraint, colCalculation, colChoiceFilter} {
					r[c] = exportPositions(r[c].(string), groups)
				}
			}
			sh.add(r)
			if q.Type == survey.TypeGroup {
				begin, end := "begin_group", "end_group"
				if q.Repeat != nil {
					begin, end = "begin_repeat", "end_repeat"
					r[colRepeatCount] = q.Repeat.Count
					setText(r, lc, colRepeatItem, q.Repeat.Item)
				}
				r[colType] = begin
				inner := groups
				switch {
				case q.Repeat != nil:
					inner = 0
				case groups >= 0:
					inner++
				}
				walk(q.Questions, inner)
				sh.add(map[string]any{colType: end})
			}
		}
	}
	walk(s.Questions, -1)
	return sh
}

// questionRow is one question's row of the survey sheet.
func questionRow(q *survey.Question, lc langColumns) map[string]any {
	r := map[string]any{
		colType:         typeCell(q),
		colName:         q.Name,
		colRelevant:     q.Relevant,
		colConstraint:   q.Constraint,
		colCalculation:  q.Calculation,
		colDefault:      q.Default,
		colAppearance:   q.Appearance,
		colChoiceFilter: q.ChoiceFilter,
	}
	setText(r, lc, colLabel, q.Label)
	setText(r, lc, colHint, q.Hint)
	setText(r, lc, colRequiredMessage, q.RequiredMessage)
	setText(r, lc, colConstraintMessage, q.ConstraintMessage)
	setYes(r, colRequired, q.Required)
	setYes(r, colReadOnly, q.ReadOnly)
	setYes(r, colPersonal, q.Personal)
	if q.Weight != 0 {
		r[colWeight] = q.Weight
	}
	if q.Range != nil {
		r[colParameters] = fmt.Sprintf("start=%s end=%s step=%s",
			formatNumber(q.Range.Start), formatNumber(q.Range.End), formatNumber(q.Range.Step))
	}
	return r
}

// formatNumber writes a number with every digit it needs and no exponent.
func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// choicesSheet lays out the choice lists, with score and filter columns.
func choicesSheet(s *survey.Survey, lc langColumns) *sheet {
	sh := newSheet(SheetChoices)
	sh.column(colListName, true)
	sh.column(colName, true)
	sh.texts(lc, colLabel, true)
	sh.column(colScore, false)
	filters := map[string]bool{}
	for _, l := range s.Lists {
		for _, c := range l.Choices {
			for k := range c.Filter {
				filters[k] = true
			}
		}
	}
	keys := make([]string, 0, len(filters))
	for k := range filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sh.column(k, false)
	}
	for _, l := range s.Lists {
		for _, c := range l.Choices {
			r := map[string]any{colListName: l.Name, colName: c.Name}
			setText(r, lc, colLabel, c.Label)
			if c.Score != nil {
				r[colScore] = *c.Score
			}
			for k, v := range c.Filter {
				r[k] = v
			}
			sh.add(r)
		}
	}
	return sh
}

// settingsSheet lays out the form's title, id, version and languages.
func settingsSheet(s *survey.Survey, lc langColumns) *sheet {
	sh := newSheet(SheetSettings)
	def := lc.codes[0]
	sh.column(colFormTitle, true)
	sh.column(colFormID, true)
	sh.column(colVersion, true)
	sh.column(colDefaultLanguage, true)
	for _, code := range lc.codes[1:] {
		sh.column(lc.header(colTitle, code), false)
	}
	sh.texts(lc, colDescription, false)
	sh.column(colTemplate, false)
	sh.column(colAllowChoiceDuplicates, false)

	r := map[string]any{
		colFormTitle:       s.Title[def],
		colFormID:          s.ID,
		colVersion:         s.Version,
		colDefaultLanguage: lc.suffixes[def],
		colTemplate:        s.Template,
	}
	for code, v := range s.Title {
		if code != def && v != "" {
			r[lc.header(colTitle, code)] = v
		}
	}
	setText(r, lc, colDescription, s.Description)
	setYes(r, colAllowChoiceDuplicates, s.AllowChoiceDuplicates)
	sh.add(r)
	return sh
}
