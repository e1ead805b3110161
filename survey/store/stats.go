package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"canvass/survey"
	"canvass/survey/expr"
)

// StatsKind says how a question's answers are summarised on the results dashboard.
type StatsKind int

// Kinds of summary.
const (
	StatsNone    StatsKind = iota // not summarised: notes, groups, calculations, hidden and metadata
	StatsChoices                  // how many chose each choice (select_one, select_multiple, acknowledge; rank: ranked first)
	StatsScale                    // how many gave each point of a short scale (Likert, rating, a range of up to 11 points)
	StatsNumbers                  // count, min, max, mean and a histogram (integer, decimal, longer ranges)
	StatsText                     // free text (and dates, times), listed with TextAnswers
)

// maxScalePoints is the most points a range may have to be shown as a scale.
const maxScalePoints = 11

// StatsKindOf says how the dashboard summarises answers to q.
func StatsKindOf(q *survey.Question) StatsKind {
	switch {
	case q == nil:
		return StatsNone
	case q.IsLikert():
		return StatsScale
	case q.Type.HasChoices(), q.Type == survey.TypeAcknowledge:
		return StatsChoices
	case q.Type == survey.TypeRange:
		if q.Range != nil && q.Range.Step > 0 && math.Abs(q.Range.End-q.Range.Start)/q.Range.Step < maxScalePoints {
			return StatsScale
		}
		return StatsNumbers
	case q.Type == survey.TypeInteger, q.Type == survey.TypeDecimal:
		return StatsNumbers
	case q.Type == survey.TypeText, q.Type == survey.TypeDate, q.Type == survey.TypeTime, q.Type == survey.TypeDateTime:
		return StatsText
	}
	return StatsNone
}

// ValueCount is how many answers gave one stored value.
type ValueCount struct {
	Value string // the stored value: a choice name, a scale point, …
	Count int
	Known bool // the value is one of the question's choices or scale points
}

// Bin is one bar of a histogram: the numbers from From up to (not
// including) To; the last bin also holds To.
type Bin struct {
	From, To float64
	Count    int
}

// NumberStats summarises the numeric answers to a question.
type NumberStats struct {
	Count          int // numeric answers
	Min, Max, Mean float64
	Bins           []Bin // empty when Count is 0
}

// QuestionStats summarises the answers to one question.
type QuestionStats struct {
	Name     string
	Kind     StatsKind
	Answered int // responses with an answer to the question
	// Counts (StatsChoices, StatsScale) holds every choice or scale point in
	// order, zero counts included, then any other stored values, most
	// frequent first. For select_multiple the counts add up to more than
	// Answered; for rank they count the choice ranked first.
	Counts  []ValueCount
	Numbers *NumberStats // StatsNumbers only
}

// HourCount is how many responses were started in one hour.
type HourCount struct {
	Hour  time.Time // the start of the hour, UTC
	Count int
}

// Dashboard holds the figures of the results dashboard for one survey.
type Dashboard struct {
	Counts    Counts
	PerHour   []HourCount     // hours with at least one response, in order
	Questions []QuestionStats // the survey's summarised questions, in survey order
}

// CompletionRate returns complete responses as a share (0–1) of all of them; 0 when there are none.
func (d *Dashboard) CompletionRate() float64 {
	if d.Counts.Total() == 0 {
		return 0
	}
	return float64(d.Counts.Complete) / float64(d.Counts.Total())
}

// Question returns the figures of the named question.
func (d *Dashboard) Question(name string) (QuestionStats, bool) {
	for _, q := range d.Questions {
		if q.Name == name {
			return q, true
		}
	}
	return QuestionStats{}, false
}

// DashboardStats computes the results dashboard of def for the responses
// f selects (f.SurveyID is set to def.ID). Questions are taken from def
// and matched by name, so with f.Version 0 answers given on every version
// are counted. Every figure is aggregated in SQL, in one read transaction.
func (s *Store) DashboardStats(ctx context.Context, def *survey.Survey, f survey.Filter) (*Dashboard, error) {
	if def == nil {
		return nil, fmt.Errorf("dashboard: no survey given")
	}
	f.SurveyID = def.ID
	where, args, err := filterSQL(f)
	if err != nil {
		return nil, fmt.Errorf("dashboard of %q: %w", def.ID, err)
	}
	d := &Dashboard{}
	err = s.read(ctx, fmt.Sprintf("dashboard of %q", def.ID), func(tx *sql.Tx) error {
		if d.Counts, err = countsTx(ctx, tx, where, args); err != nil {
			return err
		}
		if d.PerHour, err = perHourTx(ctx, tx, where, args); err != nil {
			return err
		}
		for _, q := range def.All() {
			kind := StatsKindOf(q)
			if kind == StatsNone {
				continue
			}
			qs, err := questionStatsTx(ctx, tx, def, q, kind, where, args)
			if err != nil {
				return fmt.Errorf("question %q: %w", q.Name, err)
			}
			d.Questions = append(d.Questions, qs)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// QuestionStats computes the figures of one question of def, as DashboardStats does.
func (s *Store) QuestionStats(ctx context.Context, def *survey.Survey, question string, f survey.Filter) (QuestionStats, error) {
	if def == nil {
		return QuestionStats{}, fmt.Errorf("question stats: no survey given")
	}
	q, ok := def.Question(question)
	if !ok {
		return QuestionStats{}, fmt.Errorf("question stats: survey %q has no question %q: %w", def.ID, question, ErrNotFound)
	}
	f.SurveyID = def.ID
	where, args, err := filterSQL(f)
	if err != nil {
		return QuestionStats{}, fmt.Errorf("question stats of %q: %w", question, err)
	}
	var qs QuestionStats
	err = s.read(ctx, fmt.Sprintf("question stats of %q", question), func(tx *sql.Tx) error {
		qs, err = questionStatsTx(ctx, tx, def, q, StatsKindOf(q), where, args)
		return err
	})
	return qs, err
}

func countsTx(ctx context.Context, tx *sql.Tx, where string, args []any) (Counts, error) {
	rows, err := tx.QueryContext(ctx, "SELECT r.status, count(*) FROM responses r"+where+" GROUP BY r.status", args...)
	if err != nil {
		return Counts{}, fmt.Errorf("count responses: %w", err)
	}
	defer rows.Close()
	var c Counts
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return Counts{}, fmt.Errorf("count responses: %w", err)
		}
		switch survey.Status(st) {
		case survey.StatusDraft:
			c.Draft = n
		case survey.StatusComplete:
			c.Complete = n
		case survey.StatusAbandoned:
			c.Abandoned = n
		}
	}
	return c, rows.Err()
}

// perHourTx groups responses by the hour (UTC) they were started in: the
// first 13 characters of the fixed-width time, "2006-01-02T15".
func perHourTx(ctx context.Context, tx *sql.Tx, where string, args []any) ([]HourCount, error) {
	rows, err := tx.QueryContext(ctx,
		"SELECT substr(r.started_at, 1, 13) AS hour, count(*) FROM responses r"+where+" GROUP BY hour ORDER BY hour", args...)
	if err != nil {
		return nil, fmt.Errorf("responses per hour: %w", err)
	}
	defer rows.Close()
	var out []HourCount
	for rows.Next() {
		var h string
		var n int
		if err := rows.Scan(&h, &n); err != nil {
			return nil, fmt.Errorf("responses per hour: %w", err)
		}
		t, err := time.Parse("2006-01-02T15", h)
		if err != nil {
			return nil, fmt.Errorf("responses per hour: stored time %q: %w", h, err)
		}
		out = append(out, HourCount{Hour: t, Count: n})
	}
	return out, rows.Err()
}

// answersFrom is the FROM clause of the answers to one question (the
// first argument) among the filtered responses.
const answersFrom = " FROM responses r JOIN answers a ON a.response_id = r.id AND a.question = ?"

func questionStatsTx(ctx context.Context, tx *sql.Tx, def *survey.Survey, q *survey.Question, kind StatsKind, where string, args []any) (QuestionStats, error) {
	qs := QuestionStats{Name: q.Name, Kind: kind}
	qargs := append([]any{q.Name}, args...)
	var err error
	switch kind {
	case StatsChoices, StatsScale:
		var counts map[string]int
		counts, qs.Answered, err = valueCountsTx(ctx, tx, q, where, qargs)
		if err != nil {
			return qs, err
		}
		qs.Counts = orderCounts(counts, knownValues(def, q))
	case StatsNumbers:
		qs.Answered, qs.Numbers, err = numberStatsTx(ctx, tx, q, where, qargs)
	case StatsText:
		err = tx.QueryRowContext(ctx, "SELECT count(*)"+answersFrom+where, qargs...).Scan(&qs.Answered)
	}
	return qs, err
}

// valueCountsTx counts answers by value. Multi-select answers are split
// on spaces in SQL with a recursive common table expression: each step
// peels the first name off the rest; the first row of each answer (item
// NULL) counts the answer itself. Rank answers count their first name.
func valueCountsTx(ctx context.Context, tx *sql.Tx, q *survey.Question, where string, qargs []any) (map[string]int, int, error) {
	var query string
	switch q.Type {
	case survey.TypeSelectMultiple:
		query = `WITH RECURSIVE parts(item, rest) AS (
				SELECT NULL, a.value || ' '` + answersFrom + where + `
				UNION ALL
				SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
				FROM parts WHERE rest <> ''
			)
			SELECT item, count(*) FROM parts WHERE item IS NULL OR item <> '' GROUP BY item`
	case survey.TypeRank:
		query = `SELECT substr(trim(a.value) || ' ', 1, instr(trim(a.value) || ' ', ' ') - 1) AS first, count(*)` +
			answersFrom + where + " GROUP BY first"
	default:
		query = "SELECT a.value, count(*)" + answersFrom + where + " GROUP BY a.value"
	}
	rows, err := tx.QueryContext(ctx, query, qargs...)
	if err != nil {
		return nil, 0, fmt.Errorf("count answers: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	answered := 0
	for rows.Next() {
		var v sql.NullString
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, 0, fmt.Errorf("count answers: %w", err)
		}
		switch {
		case !v.Valid:
			answered = n
		case q.Type == survey.TypeSelectMultiple:
			counts[v.String] += n
		default:
			counts[v.String] += n
			answered += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("count answers: %w", err)
	}
	return counts, answered, nil
}

// knownValues lists the values a question offers, in order: its choices,
// the points of its range, or "OK" for an acknowledgement.
func knownValues(def *survey.Survey, q *survey.Question) []string {
	switch {
	case q.Type.HasChoices():
		var out []string
		for _, c := range def.Choices(q) {
			out = append(out, c.Name)
		}
		return out
	case q.Type == survey.TypeAcknowledge:
		return []string{"OK"}
	case q.Type == survey.TypeRange && q.Range != nil && q.Range.Step > 0:
		var out []string
		lo, hi := q.Range.Start, q.Range.End
		step := q.Range.Step
		if hi < lo {
			step = -step
		}
		for i := 0; i <= maxScalePoints; i++ {
			v := lo + float64(i)*step
			if (step > 0 && v > hi+1e-9) || (step < 0 && v < hi-1e-9) {
				break
			}
			out = append(out, expr.FormatNumber(v))
		}
		return out
	}
	return nil
}

// orderCounts lists every known value in order, then the other values most frequent first.
func orderCounts(counts map[string]int, known []string) []ValueCount {
	out := make([]ValueCount, 0, len(known)+len(counts))
	seen := map[string]bool{}
	for _, v := range known {
		if seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, ValueCount{Value: v, Count: counts[v], Known: true})
	}
	var other []ValueCount
	for v, n := range counts {
		if !seen[v] {
			other = append(other, ValueCount{Value: v, Count: n})
		}
	}
	sort.Slice(other, func(i, j int) bool {
		if other[i].Count != other[j].Count {
			return other[i].Count > other[j].Count
		}
		return other[i].Value < other[j].Value
	})
	return append(out, other...)
}

// numericValue is true for a stored value that reads as a decimal number.
const numericValue = `a.value GLOB '*[0-9]*' AND a.value NOT GLOB '*[^0-9.eE+-]*'`

// maxBins is how many bars a histogram has at most.
const maxBins = 12

// numberStatsTx summarises numeric answers: one query for count, min, max
// and mean, one for the histogram (values binned in SQL).
func numberStatsTx(ctx context.Context, tx *sql.Tx, q *survey.Question, where string, qargs []any) (int, *NumberStats, error) {
	var answered, count int
	var lo, hi, mean sql.NullFloat64
	cond := where
	if cond == "" {
		cond = " WHERE "
	} else {
		cond += " AND "
	}
	err := tx.QueryRowContext(ctx, `SELECT count(*),
			count(CASE WHEN `+numericValue+` THEN 1 END),
			min(CASE WHEN `+numericValue+` THEN CAST(a.value AS REAL) END),
			max(CASE WHEN `+numericValue+` THEN CAST(a.value AS REAL) END),
			avg(CASE WHEN `+numericValue+` THEN CAST(a.value AS REAL) END)`+answersFrom+where,
		qargs...).Scan(&answered, &count, &lo, &hi, &mean)
	if err != nil {
		return 0, nil, fmt.Errorf("summarise numbers: %w", err)
	}
	ns := &NumberStats{Count: count}
	if count == 0 || !lo.Valid {
		return answered, ns, nil
	}
	ns.Min, ns.Max, ns.Mean = lo.Float64, hi.Float64, mean.Float64
	integers := q.Type == survey.TypeInteger || (q.Type == survey.TypeRange && q.Range != nil && q.Range.Step == math.Trunc(q.Range.Step))
	start, width, n := histogramBins(ns.Min, ns.Max, integers)
	ns.Bins = make([]Bin, n)
	for i := range ns.Bins {
		ns.Bins[i] = Bin{From: start + float64(i)*width, To: start + float64(i+1)*width}
	}
	rows, err := tx.QueryContext(ctx, `SELECT min(CAST((CAST(a.value AS REAL) - ?) / ? AS INTEGER), ?) AS bin, count(*)`+
		answersFrom+cond+numericValue+" GROUP BY bin",
		append([]any{start, width, n - 1}, qargs...)...)
	if err != nil {
		return 0, nil, fmt.Errorf("histogram: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b, c int
		if err := rows.Scan(&b, &c); err != nil {
			return 0, nil, fmt.Errorf("histogram: %w", err)
		}
		if b < 0 {
			b = 0
		}
		ns.Bins[b].Count += c
	}
	if err := rows.Err(); err != nil {
		return 0, nil, fmt.Errorf("histogram: %w", err)
	}
	return answered, ns, nil
}

// histogramBins chooses at most maxBins bins of a round width (1, 2 or 5
// times a power of ten; at least 1 for integers) covering lo…hi.
func histogramBins(lo, hi float64, integers bool) (start, width float64, n int) {
	span := hi - lo
	if span <= 0 {
		if integers {
			return math.Floor(lo), 1, 1
		}
		return lo, 1, 1
	}
	raw := span / maxBins
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	width = 10 * pow
	for _, m := range []float64{1, 2, 5} {
		if m*pow >= raw {
			width = m * pow
			break
		}
	}
	if integers && width < 1 {
		width = 1
	}
	for {
		start = math.Floor(lo/width) * width
		n = int(math.Floor((hi-start)/width)) + 1
		if n <= maxBins+1 {
			break
		}
		width *= 2
	}
	// A maximum exactly on a bin's lower edge joins the bin before it.
	if n > 1 && start+float64(n-1)*width == hi && !integers {
		n--
	}
	return start, width, n
}

// TextAnswer is one free-text answer, for the dashboard's lists.
type TextAnswer struct {
	ResponseID string
	Started    time.Time
	Value      string
}

// TextAnswers lists the answers to a question among the responses f
// selects, newest first, at most limit of them (all if limit ≤ 0),
// keeping those that contain search (ignoring case) when it is not
// empty. total is how many answers match.
func (s *Store) TextAnswers(ctx context.Context, f survey.Filter, question, search string, limit int) (answers []TextAnswer, total int, err error) {
	where, args, err := filterSQL(f)
	if err != nil {
		return nil, 0, fmt.Errorf("list answers to %q: %w", question, err)
	}
	qargs := append([]any{question}, args...)
	cond := where
	if search = strings.TrimSpace(search); search != "" {
		if cond == "" {
			cond = " WHERE "
		} else {
			cond += " AND "
		}
		cond += "instr(lower(a.value), lower(?)) > 0"
		qargs = append(qargs, search)
	}
	if limit <= 0 {
		limit = -1
	}
	err = s.read(ctx, fmt.Sprintf("list answers to %q", question), func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT count(*)"+answersFrom+cond, qargs...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, "SELECT r.id, r.started_at, a.value"+answersFrom+cond+
			" ORDER BY r.started_at DESC, r.id LIMIT ?", append(qargs, limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ta TextAnswer
			var started string
			if err := rows.Scan(&ta.ResponseID, &started, &ta.Value); err != nil {
				return err
			}
			if ta.Started, err = parseTime(started); err != nil {
				return err
			}
			answers = append(answers, ta)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	return answers, total, nil
}

// ResponseSummary is one row of the staff's response list.
type ResponseSummary struct {
	ID            string
	SurveyVersion int
	EventID       string
	Language      string
	Started       time.Time
	Updated       time.Time
	Status        survey.Status
	Answers       int // how many answers it holds
}

// ResponseSummaries lists the responses f selects, newest first, at most
// limit of them (all if limit ≤ 0), skipping the first offset.
func (s *Store) ResponseSummaries(ctx context.Context, f survey.Filter, limit, offset int) ([]ResponseSummary, error) {
	where, args, err := filterSQL(f)
	if err != nil {
		return nil, fmt.Errorf("list responses: %w", err)
	}
	if limit <= 0 {
		limit = -1
	}
	if offset < 0 {
		offset = 0
	}
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.survey_version, coalesce(r.event_id, ''), r.language,
			r.started_at, r.updated_at, r.status, (SELECT count(*) FROM answers a WHERE a.response_id = r.id)
		FROM responses r`+where+` ORDER BY r.started_at DESC, r.id LIMIT ? OFFSET ?`,
		append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("list responses: %w", err)
	}
	defer rows.Close()
	var out []ResponseSummary
	for rows.Next() {
		var rs ResponseSummary
		var started, updated, status string
		if err := rows.Scan(&rs.ID, &rs.SurveyVersion, &rs.EventID, &rs.Language, &started, &updated, &status, &rs.Answers); err != nil {
			return nil, fmt.Errorf("list responses: %w", err)
		}
		if rs.Started, err = parseTime(started); err != nil {
			return nil, fmt.Errorf("list responses: %w", err)
		}
		if rs.Updated, err = parseTime(updated); err != nil {
			return nil, fmt.Errorf("list responses: %w", err)
		}
		rs.Status = survey.Status(status)
		out = append(out, rs)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list responses: %w", err)
	}
	return out, nil
}
