package app

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"canvass/app/wheel"
	"canvass/survey"
	"canvass/survey/store"
)

// DashboardScreen shows a survey's results, filtered by event and date
// range: how many responses in each state, the completion rate, responses
// per hour, and a chart for each question. The figures are aggregated by
// the store in SQL, off the main goroutine.
type DashboardScreen struct {
	Event   *widget.Select
	From    *widget.DateEntry
	To      *widget.DateEntry
	Refresh *widget.Button

	// Figures on screen: the store's aggregates and the summary labels.
	Stats     *store.Dashboard
	Total     *widget.Label
	Complete  *widget.Label
	Partial   *widget.Label
	Abandoned *widget.Label
	Rate      *widget.Label
	// Texts holds the free-text lists by question name.
	Texts map[string]*TextAnswersList
	Page  *container.Scroll // the whole page; the wheel over a search field scrolls it

	env     screenEnv
	def     *survey.Survey
	events  map[string]string // Event option → event id
	body    *fyne.Container
	loading *widget.Label
	seq     int
	err     error
}

// showDashboard opens the results dashboard of a survey (latest version's
// questions, answers of every version) and starts working out the figures.
func showDashboard(env screenEnv, id string) (*DashboardScreen, error) {
	def, events, err := surveyAndEvents(env.ctx, env.store, id)
	if err != nil {
		return nil, fmt.Errorf("results of %q: %w", id, err)
	}
	d := &DashboardScreen{env: env, def: def, Texts: map[string]*TextAnswersList{}}
	var opts []string
	opts, d.events = eventOptions(events)
	d.Event = widget.NewSelect(opts, func(string) { d.Reload() })
	d.Event.Selected = opts[0]
	d.From, d.To = widget.NewDateEntry(), widget.NewDateEntry()
	d.From.SetPlaceHolder(lang.L("any date"))
	d.To.SetPlaceHolder(lang.L("any date"))
	d.From.OnChanged = func(*time.Time) { d.Reload() }
	d.To.OnChanged = func(*time.Time) { d.Reload() }
	d.Refresh = widget.NewButtonWithIcon(lang.L("Refresh"), theme.ViewRefreshIcon(), d.Reload)
	d.Total, d.Complete, d.Partial, d.Abandoned, d.Rate = widget.NewLabel("–"), widget.NewLabel("–"), widget.NewLabel("–"), widget.NewLabel("–"), widget.NewLabel("–")
	d.loading = widget.NewLabel(lang.L("Working out the figures…"))
	d.body = container.NewVBox()

	filters := container.NewHBox(widget.NewLabel(lang.L("Event")), d.Event,
		widget.NewLabel(lang.L("From")), sized(d.From, 170), widget.NewLabel(lang.L("To")), sized(d.To, 170), d.Refresh)
	summary := container.NewGridWithColumns(5,
		statNumber(d.Total, lang.L("Responses")),
		statNumber(d.Complete, statusLabel(survey.StatusComplete)),
		statNumber(d.Partial, statusLabel(survey.StatusDraft)),
		statNumber(d.Abandoned, statusLabel(survey.StatusAbandoned)),
		statNumber(d.Rate, lang.L("Completion rate")))
	page := container.NewVBox(filters, widget.NewSeparator(), summary, d.loading, d.body)
	d.Page = container.NewVScroll(page)
	env.shell.Show(lang.L("Results")+": "+def.Title.In(def.DefaultLanguage(), "en"), d.Page, env.home, "")
	d.Reload()
	return d, nil
}

// sized gives o a fixed width.
func sized(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(width, o.MinSize().Height), o)
}

// Filter returns the responses the screen's filters select.
func (d *DashboardScreen) Filter() survey.Filter {
	f := survey.Filter{SurveyID: d.def.ID, EventID: d.events[d.Event.Selected]}
	if d.From.Date != nil {
		y, m, dd := d.From.Date.Date()
		f.From = time.Date(y, m, dd, 0, 0, 0, 0, time.Local)
	}
	if d.To.Date != nil {
		y, m, dd := d.To.Date.Date()
		f.To = time.Date(y, m, dd+1, 0, 0, 0, 0, time.Local) // the whole of the last day
	}
	return f
}

// Err returns the error of the last load, if any.
func (d *DashboardScreen) Err() error { return d.err }

// Reload works the figures out again for the current filters, in the
// background; Home.Wait waits for it. A newer reload supersedes an older one.
func (d *DashboardScreen) Reload() {
	d.seq++
	seq := d.seq
	f := d.Filter()
	d.loading.Show()
	var stats *store.Dashboard
	var err error
	d.env.shell.Background(func() {
		stats, err = d.env.store.DashboardStats(d.env.ctx, d.def, f)
	}, func() {
		if seq != d.seq {
			return
		}
		d.loading.Hide()
		d.err = err
		if err != nil {
			d.env.shell.ShowError(err)
			return
		}
		d.show(stats)
	})
}

// show puts the figures on screen.
func (d *DashboardScreen) show(s *store.Dashboard) {
	d.Stats = s
	c := s.Counts
	d.Total.SetText(strconv.Itoa(c.Total()))
	d.Complete.SetText(strconv.Itoa(c.Complete))
	d.Partial.SetText(strconv.Itoa(c.Draft))
	d.Abandoned.SetText(strconv.Itoa(c.Abandoned))
	d.Rate.SetText(percent(c.Complete, c.Total()))

	d.body.RemoveAll()
	d.Texts = map[string]*TextAnswersList{}
	if c.Total() == 0 {
		d.body.Add(widget.NewLabel(lang.L("No responses match these filters yet.")))
		d.body.Refresh()
		return
	}
	title, bars := perHourBars(s.PerHour, time.Local)
	d.body.Add(widget.NewCard(title, "", NewColumnChart(bars)))
	lng := d.def.DefaultLanguage()
	for _, qs := range s.Questions {
		q, ok := d.def.Question(qs.Name)
		if !ok {
			continue
		}
		label := q.Label.In(lng, "en")
		if label == "" {
			label = q.Name
		}
		sub := lang.L("{{.N}} answered", map[string]any{"N": qs.Answered})
		if qs.InRepeat {
			sub = instancesText(d.def, q, qs.Answered, qs.Responses)
		}
		if q.Type == survey.TypeSelectMultiple {
			sub += " · " + lang.L("several answers each: percentages add up to more than 100%")
		}
		if q.Type == survey.TypeRank {
			sub += " · " + lang.L("ranked first")
		}
		d.body.Add(questionCard(label, sub, d.questionChart(q, qs)))
	}
	d.body.Refresh()
}

// questionChart is the chart of one question's figures.
func (d *DashboardScreen) questionChart(q *survey.Question, qs store.QuestionStats) fyne.CanvasObject {
	lng := d.def.DefaultLanguage()
	choiceLabel := func(v store.ValueCount) string {
		if !v.Known {
			return v.Value + " " + lang.L("(not in the list)")
		}
		return d.def.ValueLabel(q, v.Value, lng)
	}
	switch qs.Kind {
	case store.StatsChoices:
		bars := make([]Bar, len(qs.Counts))
		for i, v := range qs.Counts {
			bars[i] = Bar{Label: choiceLabel(v), Count: v.Count}
		}
		return NewBarChart(bars, qs.Answered)
	case store.StatsScale:
		var cols []Bar
		var sum float64
		var n int
		for _, v := range qs.Counts {
			cols = append(cols, Bar{Label: choiceLabel(v), Count: v.Count})
			if f, err := strconv.ParseFloat(v.Value, 64); err == nil && v.Known {
				sum += f * float64(v.Count)
				n += v.Count
			}
		}
		chart := NewColumnChart(cols)
		chart.Height = 120
		if q.Type == survey.TypeRange && n > 0 {
			avg := widget.NewLabel(lang.L("Average {{.Avg}}", map[string]any{"Avg": strconv.FormatFloat(sum/float64(n), 'f', 1, 64)}))
			return container.NewVBox(chart, avg)
		}
		return chart
	case store.StatsNumbers:
		ns := qs.Numbers
		if ns == nil || ns.Count == 0 {
			return widget.NewLabel(lang.L("No numbers given."))
		}
		cols := make([]Bar, len(ns.Bins))
		for i, b := range ns.Bins {
			cols[i] = Bar{Label: binLabel(b, q.Type != survey.TypeDecimal), Count: b.Count}
		}
		chart := NewColumnChart(cols)
		chart.Height = 120
		facts := widget.NewLabel(lang.L("{{.N}} numbers · lowest {{.Min}} · highest {{.Max}} · average {{.Mean}}", map[string]any{
			"N": ns.Count, "Min": fmtNum(ns.Min), "Max": fmtNum(ns.Max), "Mean": strconv.FormatFloat(ns.Mean, 'f', 1, 64)}))
		return container.NewVBox(facts, chart)
	case store.StatsText:
		if q.Personal {
			return fieldHint(lang.L("Personal data: the answers are not listed here. Staff can read them in Responses."))
		}
		if qs.Answered == 0 {
			return widget.NewLabel(lang.L("No answers."))
		}
		l := newTextAnswersList(d, q.Name)
		d.Texts[q.Name] = l
		return l.Content()
	}
	return widget.NewLabel("")
}

// instancesText says how many repeat instances answered a question in a
// repeat, across how many responses: "5 people across 3 responses" with
// the repeat's noun (survey.Repeat.Item), else "5 entries in “People you
// care for” across 3 responses".
func instancesText(def *survey.Survey, q *survey.Question, instances, responses int) string {
	repeats := def.Repeats(q.Name)
	if len(repeats) == 0 {
		return lang.L("{{.N}} answered", map[string]any{"N": instances})
	}
	r := repeats[len(repeats)-1]
	label := r.Label.In(def.DefaultLanguage(), "en")
	if label == "" {
		label = r.Name
	}
	counted := r.Repeat.CountIn(instances, def.DefaultLanguage(), label)
	return lang.L("{{.Items}} across {{.Responses}}", map[string]any{"Items": counted, "Responses": responsesText(responses)})
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// binLabel names a histogram bin: "20–29" for whole numbers, "20–30" otherwise.
func binLabel(b store.Bin, integers bool) string {
	if integers && b.To-b.From == 1 {
		return fmtNum(b.From)
	}
	if integers {
		return fmtNum(b.From) + "–" + fmtNum(b.To-1)
	}
	return fmtNum(b.From) + "–" + fmtNum(b.To)
}

// perHourBars turns the hours with responses into one column per hour
// from the first to the last (in loc), or one per day when that spans
// more than two days. It returns the chart's title too.
func perHourBars(hours []store.HourCount, loc *time.Location) (string, []Bar) {
	if len(hours) == 0 {
		return lang.L("Responses per hour"), nil
	}
	sort.Slice(hours, func(i, j int) bool { return hours[i].Hour.Before(hours[j].Hour) })
	first, last := hours[0].Hour, hours[len(hours)-1].Hour
	if last.Sub(first) > 48*time.Hour {
		byDay := map[string]int{}
		for _, h := range hours {
			byDay[h.Hour.In(loc).Format("2006-01-02")] += h.Count
		}
		var bars []Bar
		d0 := first.In(loc)
		day := time.Date(d0.Year(), d0.Month(), d0.Day(), 0, 0, 0, 0, loc)
		for !day.After(last.In(loc)) {
			bars = append(bars, Bar{Label: day.Format("2 Jan"), Count: byDay[day.Format("2006-01-02")]})
			day = day.AddDate(0, 0, 1)
		}
		return lang.L("Responses per day"), bars
	}
	counts := map[time.Time]int{}
	for _, h := range hours {
		counts[h.Hour] = h.Count
	}
	var bars []Bar
	for t := first; !t.After(last); t = t.Add(time.Hour) {
		label := t.In(loc).Format("15:04")
		if first.In(loc).YearDay() != last.In(loc).YearDay() {
			label = t.In(loc).Format("Mon 15:04")
		}
		bars = append(bars, Bar{Label: label, Count: counts[t]})
	}
	return lang.L("Responses per hour"), bars
}

// TextAnswersList is a scrollable, searchable list of the free-text
// answers to one question (the newest 200 that match). Searching runs in
// the background, a moment after the typing stops.
type TextAnswersList struct {
	Search  *widget.Entry
	Shown   *widget.Label // "200 of 1234 answers", "1 of 3 answers match"
	Answers []store.TextAnswer
	all     int // answers to the question before any search

	d        *DashboardScreen
	question string
	filter   survey.Filter
	seq      int
	list     *widget.List
	content  fyne.CanvasObject
}

// textListLimit is how many answers a list shows at most.
const textListLimit = 200

// searchDelay is how long typing must pause before a search runs.
const searchDelay = 250 * time.Millisecond

func newTextAnswersList(d *DashboardScreen, question string) *TextAnswersList {
	l := &TextAnswersList{d: d, question: question, filter: d.Filter(), Search: widget.NewEntry(), Shown: widget.NewLabel("")}
	l.Search.SetPlaceHolder(lang.L("Search these answers"))
	l.Search.ActionItem = widget.NewIcon(theme.SearchIcon())
	l.Search.OnChanged = func(string) { l.load(searchDelay) }
	l.list = widget.NewList(func() int { return len(l.Answers) },
		func() fyne.CanvasObject {
			t := widget.NewLabel("")
			t.Truncation = fyne.TextTruncateEllipsis
			return t
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(l.Answers) {
				o.(*widget.Label).SetText(l.Answers[i].Value)
			}
		})
	box := canvas.NewRectangle(nil)
	box.SetMinSize(fyne.NewSize(200, 220))
	l.content = container.NewBorder(container.NewBorder(nil, nil, nil, l.Shown, wheel.To(l.Search, func() *container.Scroll { return d.Page })), nil, nil, nil, container.NewStack(box, l.list))
	l.load(0)
	return l
}

// Content returns the list's widgets.
func (l *TextAnswersList) Content() fyne.CanvasObject { return l.content }

// load fetches the answers that match the search after delay, in the
// background; a newer search supersedes it.
func (l *TextAnswersList) load(delay time.Duration) {
	l.seq++
	seq, search := l.seq, l.Search.Text
	var answers []store.TextAnswer
	var total int
	var err error
	stale := false
	l.Shown.SetText(lang.L("Searching…"))
	l.d.env.shell.Background(func() {
		time.Sleep(delay)
		fyne.DoAndWait(func() { stale = seq != l.seq })
		if stale {
			return
		}
		answers, total, err = l.d.env.store.TextAnswers(l.d.env.ctx, l.filter, l.question, search, textListLimit)
	}, func() {
		if stale || seq != l.seq {
			return
		}
		if err != nil {
			l.d.env.shell.ShowError(err)
			return
		}
		l.Answers = answers
		if search == "" {
			l.all = total
		}
		l.Shown.SetText(l.countText(search, len(answers), total))
		l.list.Refresh()
		l.list.ScrollToTop()
	})
}

// countText says how many answers are listed: of all the answers, or of
// those that match the search, and never "0 of 0" while there are answers.
func (l *TextAnswersList) countText(search string, shown, total int) string {
	switch {
	case strings.TrimSpace(search) == "":
		return lang.L("{{.Shown}} of {{.Total}} answers", map[string]any{"Shown": shown, "Total": total})
	case total == 0:
		return lang.L("No answer matches, of {{.All}}", map[string]any{"All": l.all})
	case shown < total:
		return lang.L("{{.Shown}} shown of {{.Total}} that match, of {{.All}}", map[string]any{"Shown": shown, "Total": total, "All": l.all})
	}
	return lang.L("{{.Total}} of {{.All}} answers match", map[string]any{"Total": total, "All": l.all})
}

// questionCard is a card headed by a question, wrapped rather than cut or
// widening the page, with a line under it and the question's chart.
func questionCard(question, sub string, chart fyne.CanvasObject) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(question, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	title.Wrapping = fyne.TextWrapWord
	subtitle := widget.NewLabel(sub)
	subtitle.Wrapping = fyne.TextWrapWord
	return widget.NewCard("", "", container.NewVBox(title, subtitle, chart))
}
