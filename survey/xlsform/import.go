package xlsform

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"canvass/survey"
	"canvass/survey/userfile"
)

// Options tell an import what the workbook's bytes cannot.
type Options struct {
	// FileName is the form's file name (a path is fine): a form whose
	// settings give no form_id is named after it, as pyxform does.
	FileName string
	// Dir is the folder of the files the form's select_one_from_file and
	// select_multiple_from_file questions name (CSV or XML); "" for none.
	Dir string
	// Files maps a file name the form names to a path to read it from
	// instead of Dir, for files given one by one.
	Files map[string]string
	// Repeats reads begin_repeat … end_repeat as repeats (with repeat_count
	// or jr:count) instead of dropping them with a warning. ImportFile (the
	// import dialog, `canvass import-form`) has it on: the engine, both
	// front ends, the store and the exports handle repeat instances.
	Repeats bool
}

// Import reads an XLSForm workbook and returns the survey it defines, with
// a report of what was left out or changed. Questions Canvass cannot run
// (repeats, locations, media, functions it lacks) are dropped with a
// warning when nothing else in the form refers to them; otherwise, and for
// any malformed content, Import returns an *ImportError listing every
// problem with its sheet, row and column, and no survey. The report is
// never nil.
func Import(r io.Reader) (*survey.Survey, *Report, error) {
	return ImportWith(r, Options{})
}

// ImportWith is Import with options.
func ImportWith(r io.Reader, opts Options) (*survey.Survey, *Report, error) {
	rep := &reporter{}
	wb, err := readWorkbook(r, rep)
	if err != nil {
		rep.add(Problem{Severity: Error, Message: err.Error()})
		return nil, rep.report(), rep.failure(err)
	}
	im := &importer{rep: rep, wb: wb, opts: opts, byName: map[string]*item{}, lists: map[string]*listInfo{}}
	s := im.run()
	if rep.failed() {
		return nil, rep.report(), rep.failure(nil)
	}
	return s, rep.report(), nil
}

// ImportFile is Import for a file on disk: the form is named after the
// file when its settings give no form_id, and choice files are read from
// its folder, or from the paths in choiceFiles (matched by file name). A
// file that cannot be opened gives that error (not an *ImportError); so
// does a folder, FIFO or device, which is refused without waiting on it.
func ImportFile(path string, choiceFiles ...string) (*survey.Survey, *Report, error) {
	f, err := userfile.Open(path)
	if err != nil {
		return nil, &Report{}, fmt.Errorf("open form: %w", err)
	}
	defer f.Close()
	opts := Options{FileName: path, Dir: filepath.Dir(path), Repeats: true}
	for _, p := range choiceFiles {
		if opts.Files == nil {
			opts.Files = map[string]string{}
		}
		opts.Files[filepath.Base(p)] = p
	}
	return ImportWith(f, opts)
}

// reporter collects the problems of one import.
type reporter struct {
	problems      []*Problem
	sourceVersion string
	questions     int
	dropped       []Dropped
	// droppedQuestions counts the dropped rows that are questions.
	droppedQuestions int
}

func (r *reporter) add(p Problem) *Problem {
	p.order = sheetOrder(strings.ToLower(strings.TrimSpace(p.Sheet)))
	r.problems = append(r.problems, &p)
	return &p
}

// at adds a problem at a cell of a table (c may be nil for the whole row,
// row 0 for the whole sheet).
func (r *reporter) at(sev Severity, t *table, num int, c *column, format string, args ...any) *Problem {
	p := Problem{Severity: sev, Sheet: t.name, Row: num, Message: fmt.Sprintf(format, args...)}
	if c != nil {
		p.Column = c.header
		p.col = c.index + 1
		if num > 0 {
			p.Cell = cellName(c.index, num)
		}
	}
	return r.add(p)
}

func (r *reporter) failed() bool {
	for _, p := range r.problems {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

func (r *reporter) report() *Report {
	rep := &Report{SourceVersion: r.sourceVersion, Questions: r.questions, Imported: r.questions - r.droppedQuestions, Dropped: r.dropped}
	for _, p := range r.problems {
		rep.Problems = append(rep.Problems, *p)
	}
	rep.sort()
	return rep
}

// failure builds the *ImportError of a failed import.
func (r *reporter) failure(cause error) error {
	rep := r.report()
	return &ImportError{Problems: rep.Errors(), cause: cause}
}

// item is one row of the survey sheet on its way to becoming a question.
type item struct {
	q        *survey.Question
	kind     rowKind
	row      row
	parent   *item
	children []*item
	// unsupported says why the row cannot be imported; set for rows Canvass
	// cannot run, nil otherwise.
	unsupported *Problem
	// fromFile marks a select_one_from_file or select_multiple_from_file
	// question, whose list is read from a file beside the form.
	fromFile bool
	// dropper is the unsupported item (this one or an enclosing repeat or
	// group) that takes this one with it; nil when the item is kept.
	dropper *item
}

// listInfo is a choice list with where its rows are.
type listInfo struct {
	list    *survey.ChoiceList
	file    string         // the choice file it was read from; "" for the choices sheet
	row     int            // first row on the choices sheet
	rows    map[string]int // choice name → row
	columns map[string]bool
}

// importer turns the tables of a workbook into a survey.
type importer struct {
	rep   *reporter
	wb    *workbook
	opts  Options
	s     survey.Survey
	langs []survey.Language // default first

	items  []*item // every survey row except end rows, in order
	top    []*item
	byName map[string]*item
	// shared lists the rows of each name used in more than one group;
	// rowNames holds every name written on the survey sheet.
	shared   map[string][]int
	rowNames map[string]bool
	rowLists map[string]string // select question name → its list, from the sheet as written
	renames  map[string]string // names with letters outside ASCII → the names they were given

	lists     map[string]*listInfo
	listOrder []string
	fileLists map[string]string // choice file (and its columns) → list name

	scoringRows *scoringRows
}

func (im *importer) run() *survey.Survey {
	surveyT, choices, settings, scoring := im.wb.tables[SheetSurvey], im.wb.tables[SheetChoices], im.wb.tables[SheetSettings], im.wb.tables[SheetScoring]
	im.checkColumns(surveyT, surveyColumns)
	im.checkColumns(settings, settingsColumns)
	im.checkColumns(scoring, scoringColumns)
	im.checkChoiceColumns(choices)
	im.readLanguages(settings)
	im.readSettings(settings)
	im.readChoices(choices)
	im.readSurvey(surveyT)
	im.checkChoiceNames()
	im.dropReferrers()
	im.checkExpressions()
	im.dropUnsupported()
	im.fillLabels()
	im.count()
	im.s.Questions = im.keep(im.top)
	for _, name := range im.listOrder {
		im.s.Lists = append(im.s.Lists, *im.lists[name].list)
	}
	im.s.Languages = im.langs
	im.readScoring(scoring)
	if im.rep.failed() {
		return nil
	}
	im.validate()
	return &im.s
}

// checkColumns warns about columns Canvass does not read that hold something.
func (im *importer) checkColumns(t *table, known map[string]bool) {
	if t == nil {
		return
	}
	for _, c := range t.cols {
		if known[c.key] && (c.suffix == "" || textColumns[t.canonical][c.key]) || strings.HasPrefix(c.key, "$") {
			continue
		}
		for _, r := range t.rows {
			if r.cell(c) != "" {
				im.rep.at(Warning, t, r.num, c, "column %q is not used by Canvass: its contents were ignored", c.header)
				break
			}
		}
	}
}

// checkChoiceColumns warns about media columns on the choices sheet; every
// other unknown column is a filter column for choice_filter.
func (im *importer) checkChoiceColumns(t *table) {
	if t == nil {
		return
	}
	for _, c := range t.cols {
		if !choiceMediaColumns[c.key] && (c.suffix == "" || c.key == colLabel) {
			continue
		}
		for _, r := range t.rows {
			if r.cell(c) != "" {
				im.rep.at(Warning, t, r.num, c, "column %q is not used by Canvass: its contents were ignored", c.header)
				break
			}
		}
	}
}

// isFilterColumn reports whether a choices sheet column holds values for
// choice_filter expressions.
func isFilterColumn(c *column) bool {
	switch {
	case c.key == colListName || c.key == colName || c.key == colScore || c.key == colLabel:
		return false
	case c.suffix != "" || choiceMediaColumns[c.key] || strings.HasPrefix(c.key, "$"):
		return false
	}
	return true
}
