package xlsform

import (
	"fmt"
	"sort"
	"strings"
)

// Severity says whether a problem stops an import.
type Severity int

// Problem severities.
const (
	// Warning marks something Canvass left out or changed; the import goes on.
	Warning Severity = iota
	// Error marks something that stops the import.
	Error
)

// String names the severity ("warning", "error").
func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Problem is one thing wrong with, or left out of, an imported form, placed
// where a person editing the workbook in Excel can find it.
type Problem struct {
	Severity Severity
	Sheet    string // sheet name as written in the workbook; "" for the file as a whole
	Row      int    // Excel row number (1 is the header row); 0 when not tied to a row
	Column   string // column header as written in the workbook; "" when not tied to a column
	Cell     string // Excel cell reference such as "C12"; "" when not tied to one cell
	Message  string // what is wrong, in plain words
	col      int    // 1-based column number, for sorting; 0 for none
	order    int    // sheet order, for sorting
}

// Where describes the problem's place, such as `survey sheet, row 12, column
// "relevant" (C12)`, or "" for the file as a whole.
func (p Problem) Where() string {
	if p.Sheet == "" {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s sheet", p.Sheet)
	if p.Row > 0 {
		fmt.Fprintf(&b, ", row %d", p.Row)
	}
	if p.Column != "" {
		fmt.Fprintf(&b, ", column %q", p.Column)
	}
	if p.Cell != "" {
		fmt.Fprintf(&b, " (%s)", p.Cell)
	}
	return b.String()
}

// String formats the problem as one line: place, then message.
func (p Problem) String() string {
	if w := p.Where(); w != "" {
		return w + ": " + p.Message
	}
	return p.Message
}

// Report lists what an import found besides the survey itself.
type Report struct {
	// Problems holds every problem found, errors and warnings, in the order
	// of the workbook (settings, survey, choices, then other sheets; by row,
	// then column).
	Problems []Problem
	// SourceVersion is the settings sheet's version as written, when it was
	// not a small whole number (for example ODK's 2024031501) and the survey
	// was imported as version 1.
	SourceVersion string
	// Questions counts the questions of the survey sheet (rows a
	// respondent answers, as Survey.NumAnswerable counts them, plus those
	// Canvass cannot run); Imported those kept. Dropped lists every row
	// left out, calculations and notes included.
	Questions, Imported int
	Dropped             []Dropped
}

// Dropped is a question, or a group or repeat with all it holds, left out
// of the import.
type Dropped struct {
	Name string // as written
	Row  int    // on the survey sheet
	Why  string // "location questions (geopoint) are not supported"
}

// Summary says how many questions were imported and names those dropped:
// "imported 23 of 31 questions; dropped: gps (row 4: location questions
// (geopoint) are not supported), …".
func (r *Report) Summary() string {
	if r == nil || r.Questions == 0 && len(r.Dropped) == 0 {
		return ""
	}
	s := fmt.Sprintf("imported %d of %d questions", r.Imported, r.Questions)
	if len(r.Dropped) == 0 {
		return s
	}
	parts := make([]string, len(r.Dropped))
	for i, d := range r.Dropped {
		parts[i] = fmt.Sprintf("%s (row %d: %s)", d.Name, d.Row, d.Why)
	}
	return s + "; dropped: " + strings.Join(parts, ", ")
}

// Warnings returns the problems that did not stop the import.
func (r *Report) Warnings() []Problem { return r.filter(Warning) }

// Errors returns the problems that stopped the import.
func (r *Report) Errors() []Problem { return r.filter(Error) }

func (r *Report) filter(s Severity) []Problem {
	if r == nil {
		return nil
	}
	var out []Problem
	for _, p := range r.Problems {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// sort puts the problems in workbook order, keeping discovery order for ties.
func (r *Report) sort() {
	sort.SliceStable(r.Problems, func(i, j int) bool {
		a, b := r.Problems[i], r.Problems[j]
		if a.order != b.order {
			return a.order < b.order
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return a.col < b.col
	})
}

// ImportError is returned when a form cannot be imported. It lists every
// problem that stopped the import; the Report returned alongside also
// holds the warnings.
type ImportError struct {
	Problems []Problem
	cause    error // the file-level error, such as ErrNotWorkbook, if any
}

// Unwrap returns the file-level cause, so errors.Is(err, ErrNotWorkbook) works.
func (e *ImportError) Unwrap() error { return e.cause }

// Error lists the problems, one per line after a summary line.
func (e *ImportError) Error() string {
	var b strings.Builder
	if len(e.Problems) == 1 {
		b.WriteString("cannot import the form: ")
		b.WriteString(e.Problems[0].String())
		return b.String()
	}
	fmt.Fprintf(&b, "cannot import the form: %d problems:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}
