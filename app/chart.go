package app

import (
	"fmt"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Charts for the results dashboard, drawn with canvas rectangles and text
// in the theme's colours, so they follow light and dark themes.

// Bar is one bar (or column) of a chart.
type Bar struct {
	Label string
	Count int
}

// BarChart is a horizontal bar chart: one row per bar with its label, the
// bar and the count with its percentage of Total. Each bar's length is its
// share of Total (the respondents who answered) on a track that stands for
// all of them, so 31 % reads as about a third, never as "everyone"; an axis
// under the bars is labelled 0 % to 100 % of Total. Without a Total the bars
// are scaled to the largest count and the axis counts answers.
type BarChart struct {
	widget.BaseWidget
	Bars  []Bar
	Total int // the base of the percentages; 0 shows counts only
}

// NewBarChart returns a horizontal bar chart of bars, with percentages of total.
func NewBarChart(bars []Bar, total int) *BarChart {
	c := &BarChart{Bars: bars, Total: total}
	c.ExtendBaseWidget(c)
	return c
}

// ValueText is the text shown after bar i: "12 (34%)".
func (c *BarChart) ValueText(i int) string {
	n := c.Bars[i].Count
	if c.Total <= 0 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%d (%s)", n, percent(n, c.Total))
}

// percent writes n/total as a whole percentage ("33%"), with one decimal under 1%.
func percent(n, total int) string {
	if total <= 0 {
		return "–"
	}
	p := 100 * float64(n) / float64(total)
	if p > 0 && p < 1 {
		return fmt.Sprintf("%.1f%%", p)
	}
	return fmt.Sprintf("%.0f%%", math.Round(p))
}

// truncate cuts s to n characters, with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// CreateRenderer draws the chart.
func (c *BarChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barChartRenderer{c: c}
	r.Refresh()
	return r
}

type barChartRenderer struct {
	c       *BarChart
	labels  []*canvas.Text
	tracks  []*canvas.Rectangle
	fills   []*canvas.Rectangle
	values  []*canvas.Text
	axis    *canvas.Rectangle
	ticks   []*canvas.Text // the axis's scale, left to right
	caption *canvas.Text   // what the axis measures
	objects []fyne.CanvasObject
}

// axisSteps is how many intervals the axis is divided into.
const axisSteps = 4

// scale is the count a full-length bar stands for: Total, or without one
// the largest count.
func (c *BarChart) scale() int {
	if c.Total > 0 {
		return c.Total
	}
	most := 0
	for _, b := range c.Bars {
		most = max(most, b.Count)
	}
	return most
}

// Share is the fraction of the track bar i fills: its count over Total
// (or over the largest count without a Total), at most 1.
func (c *BarChart) Share(i int) float64 {
	sc := c.scale()
	if sc <= 0 {
		return 0
	}
	return math.Min(1, float64(c.Bars[i].Count)/float64(sc))
}

// AxisText returns the axis's tick labels, left to right, and its caption.
func (c *BarChart) AxisText() ([]string, string) {
	ticks := make([]string, axisSteps+1)
	for i := range ticks {
		if c.Total > 0 {
			ticks[i] = fmt.Sprintf("%d%%", 100*i/axisSteps)
		} else {
			ticks[i] = fmt.Sprintf("%.3g", float64(c.scale())*float64(i)/axisSteps)
		}
	}
	if c.Total > 0 {
		return ticks, lang.L("Share of the {{.N}} who answered this question", map[string]any{"N": c.Total})
	}
	return ticks, lang.L("Number of answers")
}

func (r *barChartRenderer) textSize() float32 { return theme.SizeForWidget(theme.SizeNameText, r.c) }
func (r *barChartRenderer) pad() float32      { return theme.SizeForWidget(theme.SizeNamePadding, r.c) }

func (r *barChartRenderer) rowHeight() float32 {
	return fyne.MeasureText("Ag", r.textSize(), fyne.TextStyle{}).Height + 2*r.pad()
}

func (r *barChartRenderer) Layout(size fyne.Size) {
	pad := r.pad()
	rowH := r.rowHeight()
	var labelW, valueW float32
	for i := range r.labels {
		labelW = max(labelW, r.labels[i].MinSize().Width)
		valueW = max(valueW, r.values[i].MinSize().Width)
	}
	labelW = min(labelW, size.Width*0.4)
	barX := labelW + 2*pad
	barW := max(size.Width-barX-valueW-2*pad, 10)
	for i := range r.c.Bars {
		y := float32(i) * rowH
		r.labels[i].Move(fyne.NewPos(0, y+pad))
		r.labels[i].Resize(fyne.NewSize(labelW, rowH-2*pad))
		barH := rowH - 2*pad
		r.tracks[i].Move(fyne.NewPos(barX, y+pad))
		r.tracks[i].Resize(fyne.NewSize(barW, barH))
		w := barW * float32(r.c.Share(i))
		r.fills[i].Move(fyne.NewPos(barX, y+pad))
		r.fills[i].Resize(fyne.NewSize(w, barH))
		r.values[i].Move(fyne.NewPos(barX+barW+pad, y+pad))
		r.values[i].Resize(fyne.NewSize(valueW, rowH-2*pad))
	}
	// The axis: a line under the tracks, its scale, and what it measures.
	y := float32(len(r.c.Bars))*rowH + pad
	r.axis.Move(fyne.NewPos(barX, y))
	r.axis.Resize(fyne.NewSize(barW, 1))
	for i, t := range r.ticks {
		tw := t.MinSize().Width
		x := barX + barW*float32(i)/axisSteps - tw/2
		x = min(max(x, barX-pad), barX+barW-tw+pad)
		t.Move(fyne.NewPos(x, y+pad/2))
	}
	r.caption.Move(fyne.NewPos(barX, y+pad/2+r.ticks[0].MinSize().Height))
}

// axisHeight is the height under the bars taken by the axis and its labels.
func (r *barChartRenderer) axisHeight() float32 {
	return r.pad()*2 + r.ticks[0].MinSize().Height + r.caption.MinSize().Height
}

func (r *barChartRenderer) MinSize() fyne.Size {
	return fyne.NewSize(240, float32(len(r.c.Bars))*r.rowHeight()+r.axisHeight())
}

func (r *barChartRenderer) Refresh() {
	n := len(r.c.Bars)
	if len(r.labels) != n {
		r.labels, r.tracks, r.fills, r.values = nil, nil, nil, nil
		r.objects = nil
		for range n {
			l, v := canvas.NewText("", nil), canvas.NewText("", nil)
			tr, f := canvas.NewRectangle(nil), canvas.NewRectangle(nil)
			tr.CornerRadius, f.CornerRadius = 3, 3
			r.labels, r.tracks, r.fills, r.values = append(r.labels, l), append(r.tracks, tr), append(r.fills, f), append(r.values, v)
			r.objects = append(r.objects, tr, f, l, v)
		}
	}
	if r.axis == nil {
		r.axis, r.caption = canvas.NewRectangle(nil), canvas.NewText("", nil)
		for range axisSteps + 1 {
			r.ticks = append(r.ticks, canvas.NewText("", nil))
		}
	}
	if len(r.objects) == 4*n {
		r.objects = append(r.objects, r.axis, r.caption)
		for _, t := range r.ticks {
			r.objects = append(r.objects, t)
		}
	}
	fg := theme.ColorForWidget(theme.ColorNameForeground, r.c)
	muted := theme.ColorForWidget(theme.ColorNamePlaceHolder, r.c)
	fill := theme.ColorForWidget(theme.ColorNamePrimary, r.c)
	track := theme.ColorForWidget(theme.ColorNameInputBackground, r.c)
	size := r.textSize()
	ticks, caption := r.c.AxisText()
	for i, t := range r.ticks {
		t.Text, t.Color, t.TextSize = ticks[i], muted, theme.SizeForWidget(theme.SizeNameCaptionText, r.c)
	}
	r.caption.Text, r.caption.Color, r.caption.TextSize = caption, muted, theme.SizeForWidget(theme.SizeNameCaptionText, r.c)
	r.axis.FillColor = theme.ColorForWidget(theme.ColorNameInputBorder, r.c)
	for i, b := range r.c.Bars {
		r.labels[i].Text = truncate(b.Label, 36)
		r.labels[i].Color, r.labels[i].TextSize = fg, size
		r.values[i].Text = r.c.ValueText(i)
		r.values[i].Color, r.values[i].TextSize = fg, size
		r.tracks[i].FillColor = track
		r.fills[i].FillColor = fill
	}
	r.Layout(r.c.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}

func (r *barChartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *barChartRenderer) Destroy()                     {}

// ColumnChart is a vertical bar chart: a column per bar, its count above
// it and its label under it (every few labels when they would not fit).
type ColumnChart struct {
	widget.BaseWidget
	Columns []Bar
	Height  float32 // of the plot area; 0 means 160
}

// NewColumnChart returns a column chart.
func NewColumnChart(columns []Bar) *ColumnChart {
	c := &ColumnChart{Columns: columns}
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer draws the chart.
func (c *ColumnChart) CreateRenderer() fyne.WidgetRenderer {
	r := &columnChartRenderer{c: c, axis: canvas.NewRectangle(nil)}
	r.Refresh()
	return r
}

// maxColumnWidth keeps a chart of one or two columns from being drawn as
// one wide block.
const maxColumnWidth = 48

type columnChartRenderer struct {
	c       *ColumnChart
	bars    []*canvas.Rectangle
	counts  []*canvas.Text
	labels  []*canvas.Text
	axis    *canvas.Rectangle
	objects []fyne.CanvasObject
}

func (r *columnChartRenderer) textSize() float32 {
	return theme.SizeForWidget(theme.SizeNameCaptionText, r.c)
}

func (r *columnChartRenderer) plotHeight() float32 {
	if r.c.Height > 0 {
		return r.c.Height
	}
	return 160
}

func (r *columnChartRenderer) Layout(size fyne.Size) {
	n := len(r.c.Columns)
	if n == 0 {
		return
	}
	textH := fyne.MeasureText("0", r.textSize(), fyne.TextStyle{}).Height
	plotTop := textH + 2
	plotH := max(size.Height-plotTop-textH-4, 10)
	slot := size.Width / float32(n)
	gap := max(min(slot*0.2, 8), 1)
	most := 0
	widest := float32(0)
	for i, c := range r.c.Columns {
		most = max(most, c.Count)
		widest = max(widest, r.labels[i].MinSize().Width)
	}
	// Show every k-th label so that labels do not overlap.
	every := 1
	for float32(every)*slot < widest+4 && every < n {
		every++
	}
	showCounts := true
	for i := range r.counts {
		if r.counts[i].MinSize().Width > slot {
			showCounts = false
		}
	}
	baseY := plotTop + plotH
	for i, c := range r.c.Columns {
		h := float32(0)
		if most > 0 {
			h = plotH * float32(c.Count) / float32(most)
		}
		if c.Count > 0 {
			h = max(h, 1)
		}
		x := float32(i) * slot
		bw := min(slot-gap, maxColumnWidth)
		r.bars[i].Move(fyne.NewPos(x+(slot-bw)/2, baseY-h))
		r.bars[i].Resize(fyne.NewSize(bw, h))
		cw := r.counts[i].MinSize().Width
		r.counts[i].Move(fyne.NewPos(x+(slot-cw)/2, baseY-h-textH-1))
		r.counts[i].Hidden = !showCounts || c.Count == 0
		lw := r.labels[i].MinSize().Width
		r.labels[i].Move(fyne.NewPos(x+(slot-lw)/2, baseY+3))
		r.labels[i].Hidden = i%every != 0
	}
	r.axis.Move(fyne.NewPos(0, baseY))
	r.axis.Resize(fyne.NewSize(size.Width, 1))
}

func (r *columnChartRenderer) MinSize() fyne.Size {
	textH := fyne.MeasureText("0", r.textSize(), fyne.TextStyle{}).Height
	return fyne.NewSize(float32(len(r.c.Columns))*6+60, r.plotHeight()+2*textH+6)
}

func (r *columnChartRenderer) Refresh() {
	n := len(r.c.Columns)
	if len(r.bars) != n {
		r.bars, r.counts, r.labels = nil, nil, nil
		r.objects = []fyne.CanvasObject{r.axis}
		for range n {
			b := canvas.NewRectangle(nil)
			b.CornerRadius = 2
			c, l := canvas.NewText("", nil), canvas.NewText("", nil)
			r.bars, r.counts, r.labels = append(r.bars, b), append(r.counts, c), append(r.labels, l)
			r.objects = append(r.objects, b, c, l)
		}
	}
	fg := theme.ColorForWidget(theme.ColorNameForeground, r.c)
	fill := theme.ColorForWidget(theme.ColorNamePrimary, r.c)
	r.axis.FillColor = theme.ColorForWidget(theme.ColorNameSeparator, r.c)
	size := r.textSize()
	for i, c := range r.c.Columns {
		r.bars[i].FillColor = fill
		r.counts[i].Text, r.counts[i].Color, r.counts[i].TextSize = fmt.Sprint(c.Count), fg, size
		r.labels[i].Text, r.labels[i].Color, r.labels[i].TextSize = truncate(c.Label, 14), fg, size
	}
	r.Layout(r.c.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}

func (r *columnChartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *columnChartRenderer) Destroy()                     {}

// statNumber is a large figure with a caption under it, for the dashboard's summary.
func statNumber(value *widget.Label, caption string) fyne.CanvasObject {
	value.TextStyle = fyne.TextStyle{Bold: true}
	value.SizeName = theme.SizeNameHeadingText
	c := widget.NewLabel(caption)
	return container.NewVBox(value, c)
}
