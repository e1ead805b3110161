// Package export writes a survey's responses as an Excel workbook (data
// sheet, summary with charts, codebook, decision records, about) or as a CSV
// file. It reads through the small Source interface, which the store
// satisfies, streams one response at a time and never holds every response
// in memory: only the summary's aggregates grow, with the number of distinct
// answers rather than the number of responses.
//
// Free text reaches a workbook as text, never as a formula, and gets a
// leading ' in CSV when it starts with = + - @, a tab or a carriage return.
// Files are written to a temporary file beside the target and renamed into
// place, so a failed or cancelled export leaves no half file and never
// clobbers an earlier good one.
package export

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"canvass/survey"
)

// Source is where an export reads surveys, events and responses from.
// *store.Store satisfies it.
type Source interface {
	// Survey returns one version of a survey definition (0: the latest).
	Survey(ctx context.Context, id string, version int) (*survey.Survey, error)
	// SurveyVersions lists the versions of a survey.
	SurveyVersions(ctx context.Context, id string) ([]int, error)
	// Events lists every event, to name the events responses were given at.
	Events(ctx context.Context) ([]survey.Event, error)
	// EachResponse calls fn with each response the filter selects, one at a
	// time, in the order they were started; fn must not keep the response.
	EachResponse(ctx context.Context, f survey.Filter, fn func(*survey.Response) error) error
	// DeviceID names the installation doing the export.
	DeviceID() string
}

// Errors returned by the exporters; test with errors.Is.
var (
	// ErrUnknownFormat: the output file's extension is neither .xlsx nor .csv.
	ErrUnknownFormat = errors.New("unknown export format: the file name must end in .xlsx or .csv")
	// ErrPasswordCSV: a password was given for a CSV file, which cannot be encrypted.
	ErrPasswordCSV = errors.New("a CSV file cannot be protected with a password: export to .xlsx instead")
	// ErrNoSurvey: Options.SurveyID is empty.
	ErrNoSurvey = errors.New("no survey given to export")
	// ErrTooManyColumns: the data has more columns than a worksheet holds.
	ErrTooManyColumns = errors.New("too many columns for one worksheet")
)

// Format is the kind of file an export writes.
type Format int

// Export formats.
const (
	FormatXLSX Format = iota // an Excel workbook
	FormatCSV                // comma-separated values, UTF-8 with a byte-order mark
)

// String returns the format's file extension without the dot.
func (f Format) String() string {
	if f == FormatCSV {
		return "csv"
	}
	return "xlsx"
}

// FormatOf returns the format a file name asks for by its extension
// (.xlsx or .csv, in any case), or ErrUnknownFormat.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return FormatXLSX, nil
	case ".csv":
		return FormatCSV, nil
	}
	return 0, fmt.Errorf("%q: %w", filepath.Base(path), ErrUnknownFormat)
}

// Options say what to export and how.
type Options struct {
	SurveyID string
	Version  int       // 0: every version, in one set of columns
	EventID  string    // "": every event
	From     time.Time // zero: no lower bound on the start time
	To       time.Time // zero: no upper bound (exclusive) on the start time

	CompleteOnly bool   // leave out partial (draft) and abandoned responses
	NoPersonal   bool   // leave out questions flagged personal
	Codes        bool   // write choice codes (names) instead of labels
	Long         bool   // one row per answer instead of one row per response
	Language     string // label language; "": the survey's default language

	Password string // encrypt the workbook (XLSX only)
	// SingleFile says the caller takes one file only (it encrypts it, say):
	// a CSV export that needs a file per repeat is refused with ErrRepeatFiles.
	SingleFile bool

	AppVersion string           // Canvass's version, for the About sheet
	Location   *time.Location   // time zone of dates and times; nil: time.Local
	Now        func() time.Time // the export's time stamp; nil: time.Now

	// Total is how many responses the filter selects, for example
	// st.CountResponses(ctx, opts.Filter()) then Counts.Total(); it is only
	// passed on to Progress. 0: unknown.
	Total int
	// Progress, when set, is called from the exporting goroutine now and then
	// with the responses done so far and the total (never less than done).
	Progress func(done, total int)
}

// Filter returns the response filter the options describe.
func (o Options) Filter() survey.Filter {
	f := survey.Filter{
		SurveyID: o.SurveyID,
		Version:  o.Version,
		EventID:  o.EventID,
		From:     o.From,
		To:       o.To,
	}
	if o.CompleteOnly {
		f.Statuses = []survey.Status{survey.StatusComplete}
	}
	return f
}

func (o Options) location() *time.Location {
	if o.Location != nil {
		return o.Location
	}
	return time.Local
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Result tells what an export wrote.
type Result struct {
	Responses int // responses exported
	Rows      int // data rows written: one per response, or one per answer in the long layout
	// InstanceRows is the rows of the repeat sheets (files): one per instance.
	InstanceRows int
	Columns      int // data columns
	Complete     int // responses by status
	Draft        int
	Abandoned    int
	Truncated    int // workbook text cells cut to Excel's 32,767-character limit
	Cleaned      int // workbook text cells whose control characters were replaced by U+FFFD
	// Files lists what ToFile wrote: the file asked for, then a CSV file per
	// repeat (RepeatFile).
	Files []string
}

// progressEvery is how many responses pass between progress reports.
const progressEvery = 500

// planFor reads what every export starts from: the survey versions the
// options select (kept in the plan), the columns they give, and the names
// of the events by id.
func planFor(ctx context.Context, src Source, opts Options) (*plan, map[string]string, error) {
	defs, err := loadDefinitions(ctx, src, opts)
	if err != nil {
		return nil, nil, err
	}
	p, err := newPlan(defs, opts)
	if err != nil {
		return nil, nil, err
	}
	events, err := eventNames(ctx, src)
	if err != nil {
		return nil, nil, err
	}
	return p, events, nil
}

// loadDefinitions fetches the survey versions the options select, newest first.
func loadDefinitions(ctx context.Context, src Source, opts Options) ([]*survey.Survey, error) {
	if opts.SurveyID == "" {
		return nil, ErrNoSurvey
	}
	var versions []int
	if opts.Version != 0 {
		versions = []int{opts.Version}
	} else {
		vs, err := src.SurveyVersions(ctx, opts.SurveyID)
		if err != nil {
			return nil, fmt.Errorf("list versions of survey %q: %w", opts.SurveyID, err)
		}
		versions = slices.Clone(vs)
	}
	if len(versions) == 0 {
		return nil, fmt.Errorf("survey %q has no versions", opts.SurveyID)
	}
	slices.Sort(versions)
	slices.Reverse(versions)
	defs := make([]*survey.Survey, 0, len(versions))
	for _, v := range slices.Compact(versions) {
		def, err := src.Survey(ctx, opts.SurveyID, v)
		if err != nil {
			return nil, fmt.Errorf("load survey %q version %d: %w", opts.SurveyID, v, err)
		}
		defs = append(defs, def)
	}
	return defs, nil
}

// eventNames maps event ids to names.
func eventNames(ctx context.Context, src Source) (map[string]string, error) {
	evs, err := src.Events(ctx)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	names := make(map[string]string, len(evs))
	for _, e := range evs {
		names[e.ID] = e.Name
	}
	return names, nil
}

// counter tracks progress and status counts while responses stream past.
type counter struct {
	ctx    context.Context
	opts   Options
	result Result
}

// next counts r, reports progress now and then and stops on cancellation.
func (c *counter) next(r *survey.Response) error {
	if err := c.ctx.Err(); err != nil {
		return err
	}
	c.result.Responses++
	switch r.Status {
	case survey.StatusComplete:
		c.result.Complete++
	case survey.StatusAbandoned:
		c.result.Abandoned++
	default:
		c.result.Draft++
	}
	if c.opts.Progress != nil && c.result.Responses%progressEvery == 0 {
		c.report()
	}
	return nil
}

func (c *counter) report() {
	if c.opts.Progress == nil {
		return
	}
	c.opts.Progress(c.result.Responses, max(c.opts.Total, c.result.Responses))
}

// cancelled returns ctx.Err() itself when the context is done, so that a
// cancelled export returns exactly context.Canceled or DeadlineExceeded.
func cancelled(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}
