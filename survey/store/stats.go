package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
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
		if q.ScalePoints() != nil {
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
	Answered int // responses with an answer to the question; for a question in a repeat, instances
	// Responses is how many responses answered: Answered itself outside
	// repeats, the responses the answering instances belong to inside one.
	Responses int
	// InRepeat: the question is inside a repeat, and every instance counts.
	InRepeat bool
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
// are counted. Every figure is aggregated in SQL: see answerGroupsTx for
// how the answers are counted in a single pass, and answerGroups for how
// large counts are spread over two connections.
func (s *Store) DashboardStats(ctx context.Context, def *survey.Survey, f survey.Filter) (*Dashboard, error) {
	if def == nil {
		return nil, fmt.Errorf("dashboard: no survey given")
	}
	f.SurveyID = def.ID
	where, args, err := filterSQL(f)
	if err != nil {
		return nil, fmt.Errorf("dashboard of %q: %w", def.ID, err)
	}
	var qs []*survey.Question
	var repeated []string // questions inside repeats: every instance counts
	for _, q := range def.All() {
		if StatsKindOf(q) != StatsNone {
			qs = append(qs, q)
			if def.Repeats(q.Name) != nil {
				repeated = append(repeated, q.Name)
			}
		}
	}
	d := &Dashboard{}
	var all int
	err = s.read(ctx, fmt.Sprintf("dashboard of %q", def.ID), func(tx *sql.Tx) error {
		if d.Counts, err = countByStatus(ctx, tx, where, args); err != nil {
			return err
		}
		if d.PerHour, err = perHourTx(ctx, tx, where, args); err != nil {
			return err
		}
		if d.Counts.Total() > 0 && len(qs) > 0 {
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM responses").Scan(&all); err != nil {
				return fmt.Errorf("count responses: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	groups := map[string][]ValueCount{}
	answered, responses := map[string]int{}, map[string]int{}
	if n := d.Counts.Total(); n > 0 && len(qs) > 0 {
		// Instance keys ("carers[2]/age") are found by pattern, which no
		// index serves: count them among the filtered responses only.
		complement := len(repeated) == 0 && (statsStrategy == strategyComplement || statsStrategy == strategyAuto && 2*(all-n) < n)
		parts := 1
		if statsParallel(n) {
			parts = 2
		}
		if groups, answered, responses, err = s.answerGroups(ctx, qs, repeated, where, args, complement, parts); err != nil {
			return nil, fmt.Errorf("dashboard of %q: %w", def.ID, err)
		}
	}
	for _, q := range qs {
		st := questionStats(def, q, groups[q.Name], answered[q.Name])
		st.Responses, st.InRepeat = answered[q.Name], slices.Contains(repeated, q.Name)
		if st.InRepeat {
			st.Responses = responses[q.Name]
		}
		d.Questions = append(d.Questions, st)
	}
	return d, nil
}

// statsParallel reports whether DashboardStats counts the answers of n
// responses on two connections at once: from 5000 responses, on machines
// with four cores or more (on two, the machine's other work eats the gain).
var statsParallel = func(n int) bool { return n >= 5000 && runtime.NumCPU() >= 4 }

// answerGroups runs answerGroupsTx, spread over parts connections: the
// direct way splits the responses (by rowid), the complement way splits
// the questions. The parts are added up. Each part reads its own snapshot,
// so answers given while the dashboard is computed may show in one part
// and not another: the figures are a moment's, not a transaction's.
func (s *Store) answerGroups(ctx context.Context, qs []*survey.Question, repeated []string, where string, args []any, complement bool, parts int) (map[string][]ValueCount, map[string]int, map[string]int, error) {
	type result struct {
		groups              map[string][]ValueCount
		answered, responses map[string]int
		err                 error
	}
	results := make([]result, parts)
	var wg sync.WaitGroup
	for i := range parts {
		pq, pw, pa := qs, where, args
		if parts > 1 {
			if complement {
				pq = nil
				for j := i; j < len(qs); j += parts {
					pq = append(pq, qs[j])
				}
				if len(pq) == 0 {
					continue
				}
			} else {
				pw = where + " AND r.rowid % ? = ?"
				pa = append(append([]any(nil), args...), parts, i)
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[i]
			r.err = s.read(ctx, "count answers", func(tx *sql.Tx) error {
				var err error
				if r.groups, r.answered, err = answerGroupsTx(ctx, tx, pq, repeated, pw, pa, complement); err != nil {
					return err
				}
				r.responses, err = instanceResponsesTx(ctx, tx, repeated, pw, pa)
				return err
			})
		}()
	}
	wg.Wait()
	groups := map[string][]ValueCount{}
	answered, responses := map[string]int{}, map[string]int{}
	for _, r := range results {
		if r.err != nil {
			return nil, nil, nil, r.err
		}
		for q, n := range r.responses {
			responses[q] += n
		}
		for q, g := range r.groups {
			groups[q] = append(groups[q], g...)
		}
		for q, n := range r.answered {
			answered[q] += n
		}
	}
	return groups, answered, responses, nil
}

// baseName is the SQL for the question name at the end of an answer key:
// "age" for "carers[2]/age" (what follows the last slash).
const baseName = "substr(a.question, length(rtrim(a.question, replace(a.question, '/', ''))) + 1)"

// instanceKey matches the answer keys of repeat instances; a plain
// question name never holds ']' or '/'.
const instanceKey = "a.question GLOB '*]/*'"

// instanceResponsesTx counts, for each question in repeated, the filtered
// responses with at least one instance that answered it.
func instanceResponsesTx(ctx context.Context, tx *sql.Tx, repeated []string, where string, fargs []any) (map[string]int, error) {
	out := map[string]int{}
	if len(repeated) == 0 {
		return out, nil
	}
	in, inArgs := inList(repeated)
	cond := strings.TrimPrefix(where, " WHERE ")
	if cond == "" {
		cond = "1"
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+baseName+`, count(DISTINCT r.id)
		FROM responses r CROSS JOIN answers a ON a.response_id = r.id
		WHERE (`+cond+`) AND `+instanceKey+` AND `+baseName+` IN `+in+` GROUP BY 1`, append(append([]any(nil), fargs...), inArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("count responses with instances: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var q string
		var n int
		if err := rows.Scan(&q, &n); err != nil {
			return nil, fmt.Errorf("count responses with instances: %w", err)
		}
		out[q] = n
	}
	return out, rows.Err()
}

// How DashboardStats reaches the answers of the filtered responses.
const (
	strategyAuto       = iota // complement when the filter selects more than two thirds
	strategyDirect            // join the filtered responses with their answers
	strategyComplement        // every answer to the questions, minus those of the responses left out
)

// statsStrategy is strategyAuto except in tests, which try both ways.
var statsStrategy = strategyAuto

// inList returns "(?, ?, …)" for names; for none, SQLite's empty list
// "()", which x IN never matches and x NOT IN always does.
func inList(names []string) (string, []any) {
	if len(names) == 0 {
		return "()", nil
	}
	args := make([]any, len(names))
	for i, n := range names {
		args[i] = n
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ") + ")", args
}

// answerGroupsTx counts the answers to qs among the filtered responses by
// (question, value), in one statement:
//
//   - g holds signed counts. Directly, it is the filtered responses
//     joined with their answers (CROSS JOIN keeps responses the outer
//     loop: one range of answers per response), grouped. When the filter selects most
//     responses it is cheaper to count every answer to the questions (no
//     join at all) and subtract the answers of the responses the filter
//     leaves out (a join over those few): complement.
//   - Free-text values are folded into one group per question: only their
//     number is needed (TextAnswers lists them).
//   - v sums g by value, turning a ranking into its first choice.
//   - parts splits the space-separated answers of select_multiple
//     questions with a recursive common table expression over the grouped
//     values (not over every answer), carrying their counts; its rows with
//     item NULL count the answers themselves.
//
// It returns the counts by question and the number of responses that
// answered each question.
func answerGroupsTx(ctx context.Context, tx *sql.Tx, qs []*survey.Question, repeated []string, where string, fargs []any, complement bool) (map[string][]ValueCount, map[string]int, error) {
	var all, text, other, multi, rank []string
	for _, q := range qs {
		all = append(all, q.Name)
		switch {
		case StatsKindOf(q) == StatsText:
			text = append(text, q.Name)
		default:
			other = append(other, q.Name)
		}
		switch q.Type {
		case survey.TypeSelectMultiple:
			multi = append(multi, q.Name)
		case survey.TypeRank:
			rank = append(rank, q.Name)
		}
	}
	allIn, allArgs := inList(all)
	textIn, textArgs := inList(text)
	otherIn, otherArgs := inList(other)
	multiIn, multiArgs := inList(multi)
	rankIn, rankArgs := inList(rank)
	conds := strings.TrimPrefix(where, " WHERE ")
	// A question in a repeat is answered under instance keys
	// ("carers[2]/age"), all counted under its name.
	question, match, matchArgs := "a.question", "+a.question IN "+allIn, allArgs
	if len(repeated) > 0 {
		repIn, repArgs := inList(repeated)
		question = "CASE WHEN " + instanceKey + " THEN " + baseName + " ELSE a.question END"
		match = "(+a.question IN " + allIn + " OR " + instanceKey + " AND " + baseName + " IN " + repIn + ")"
		matchArgs = append(slices.Clone(allArgs), repArgs...)
	}

	var g string
	var args []any
	joined := func(sign, cond string, condArgs []any) {
		g += `SELECT ` + question + `, CASE WHEN ` + question + ` IN ` + textIn + ` THEN '' ELSE a.value END, ` + sign + `count(*)
			FROM responses r CROSS JOIN answers a ON a.response_id = r.id
			WHERE ` + cond + ` AND ` + match + ` GROUP BY 1, 2`
		args = append(append(append(args, textArgs...), condArgs...), matchArgs...)
	}
	if complement {
		g = `SELECT a.question, a.value, count(*) FROM answers a WHERE a.question IN ` + otherIn + ` GROUP BY 1, 2
			UNION ALL
			SELECT a.question, '', count(*) FROM answers a WHERE a.question IN ` + textIn + ` GROUP BY 1
			UNION ALL
			`
		args = append(append(args, otherArgs...), textArgs...)
		joined("-", "coalesce(("+conds+"), 0) = 0", fargs)
	} else {
		joined("", conds, fargs)
	}
	query := `WITH g(question, value, n) AS (` + g + `),
		v(question, value, n) AS (
			SELECT question,
				CASE WHEN question IN ` + rankIn + ` THEN substr(trim(value) || ' ', 1, instr(trim(value) || ' ', ' ') - 1) ELSE value END,
				sum(n)
			FROM g GROUP BY 1, 2 HAVING sum(n) <> 0
		),
		parts(question, item, rest, n) AS (
			SELECT question, NULL, value || ' ', n FROM v WHERE question IN ` + multiIn + `
			UNION ALL
			SELECT question, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1), n
			FROM parts WHERE rest <> ''
		)
		SELECT question, item, sum(n) FROM parts WHERE item IS NULL OR item <> '' GROUP BY 1, 2
		UNION ALL
		SELECT question, value, n FROM v WHERE question NOT IN ` + multiIn
	args = append(append(append(args, rankArgs...), multiArgs...), multiArgs...)

	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("count answers: %w", err)
	}
	defer rows.Close()
	isMulti := map[string]bool{}
	for _, m := range multi {
		isMulti[m] = true
	}
	groups := map[string][]ValueCount{}
	answered := map[string]int{}
	for rows.Next() {
		var q string
		var v sql.NullString
		var n int
		if err := rows.Scan(&q, &v, &n); err != nil {
			return nil, nil, fmt.Errorf("count answers: %w", err)
		}
		switch {
		case !v.Valid: // the answers to a select_multiple question
			answered[q] += n
		case isMulti[q]:
			groups[q] = append(groups[q], ValueCount{Value: v.String, Count: n})
		default:
			groups[q] = append(groups[q], ValueCount{Value: v.String, Count: n})
			answered[q] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("count answers: %w", err)
	}
	return groups, answered, nil
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

// questionStats turns the grouped counts of a question into its figures.
func questionStats(def *survey.Survey, q *survey.Question, groups []ValueCount, answered int) QuestionStats {
	kind := StatsKindOf(q)
	qs := QuestionStats{Name: q.Name, Kind: kind, Answered: answered}
	switch kind {
	case StatsChoices, StatsScale:
		counts := map[string]int{}
		for _, g := range groups {
			counts[g.Value] += g.Count
		}
		qs.Counts = orderCounts(counts, knownValues(def, q))
	case StatsNumbers:
		qs.Numbers = numberStats(q, groups)
	}
	return qs
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
	case q.Type == survey.TypeRange:
		var out []string
		for _, v := range q.ScalePoints() {
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

// maxBins is how many bars a histogram has at most.
const maxBins = 12

// numberStats summarises the numeric answers to a question from their
// values grouped and counted in SQL (one row per distinct value): values
// that are not numbers count as answered but not as numbers.
func numberStats(q *survey.Question, groups []ValueCount) *NumberStats {
	ns := &NumberStats{}
	type point struct {
		v float64
		n int
	}
	var points []point
	var sum float64
	for _, g := range groups {
		v, err := strconv.ParseFloat(strings.TrimSpace(g.Value), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || g.Count <= 0 {
			continue
		}
		if ns.Count == 0 || v < ns.Min {
			ns.Min = v
		}
		if ns.Count == 0 || v > ns.Max {
			ns.Max = v
		}
		ns.Count += g.Count
		sum += v * float64(g.Count)
		points = append(points, point{v, g.Count})
	}
	if ns.Count == 0 {
		return ns
	}
	ns.Mean = sum / float64(ns.Count)
	integers := q.Type == survey.TypeInteger || (q.Type == survey.TypeRange && q.Range != nil && q.Range.Step == math.Trunc(q.Range.Step))
	start, width, n := histogramBins(ns.Min, ns.Max, integers)
	ns.Bins = make([]Bin, n)
	for i := range ns.Bins {
		ns.Bins[i] = Bin{From: start + float64(i)*width, To: start + float64(i+1)*width}
	}
	for _, p := range points {
		b := min(max(int(math.Floor((p.v-start)/width)), 0), n-1)
		ns.Bins[b].Count += p.n
	}
	return ns
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

// answersFrom is the FROM clause of the answers to one question (the
// first argument) among the filtered responses.
// The second argument is the GLOB pattern of the question's answers in
// repeat instances ("*]/age"; see instancePattern).
const answersFrom = " FROM responses r JOIN answers a ON a.response_id = r.id AND (a.question = ? OR a.question GLOB ?)"

// instancePattern is the GLOB pattern of a question's answers in every
// repeat instance, or one that matches no stored key (""; every answer has
// a question) for a name that is not valid (a valid name holds no GLOB
// metacharacter).
func instancePattern(question string) string {
	if !expr.ValidName(question) {
		return ""
	}
	return "*]/" + question
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
	qargs := append([]any{question, instancePattern(question)}, args...)
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
	// Instances counts the instances of each top-level repeat the response
	// holds, by repeat name: the highest instance number its answer keys
	// name (as survey.Answers.Instances counts). Nil without any.
	Instances map[string]int
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
			r.started_at, r.updated_at, r.status, (SELECT count(*) FROM answers a WHERE a.response_id = r.id),
			(SELECT group_concat(repeat || ' ' || n) FROM (
				SELECT substr(a.question, 1, instr(a.question, '[') - 1) AS repeat,
					max(CAST(substr(a.question, instr(a.question, '[') + 1, instr(a.question, ']') - instr(a.question, '[') - 1) AS INTEGER)) AS n
				FROM answers a WHERE a.response_id = r.id AND `+instanceKey+` GROUP BY 1))
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
		var instances sql.NullString
		if err := rows.Scan(&rs.ID, &rs.SurveyVersion, &rs.EventID, &rs.Language, &started, &updated, &status, &rs.Answers, &instances); err != nil {
			return nil, fmt.Errorf("list responses: %w", err)
		}
		rs.Instances = parseInstanceCounts(instances.String)
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

// parseInstanceCounts reads "carers 3,pets 1" (the top-level repeats of a
// response and their instance counts) into a map, leaving out what is not
// a valid repeat name with a count from 1 to survey.MaxInstances (damaged keys).
func parseInstanceCounts(s string) map[string]int {
	var out map[string]int
	for part := range strings.SplitSeq(s, ",") {
		name, num, ok := strings.Cut(part, " ")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || n < 1 || n > survey.MaxInstances || !expr.ValidName(name) {
			continue
		}
		if out == nil {
			out = map[string]int{}
		}
		out[name] = max(out[name], n)
	}
	return out
}
