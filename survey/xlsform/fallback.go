package xlsform

import (
	"fmt"
	"sort"
	"strings"

	"canvass/survey"
)

// fillLabels gives every label Canvass shows a text in every language, as
// ODK Collect does when it shows a form: a label missing in one language
// falls back to the default language's, and a question or choice with no
// label at all (one shown only as an image, say) to its name. Each
// fallback is reported, grouped by column.
func (im *importer) fillLabels() {
	def := im.langs[0].Code
	fb := &fallbacks{rows: map[fallbackKey][]int{}}
	surveyT := im.wb.tables[SheetSurvey]
	var walk func(items []*item)
	walk = func(items []*item) {
		for _, it := range items {
			if it.dropper != nil {
				continue
			}
			if it.q.Type.Shown() {
				it.q.Label = fb.fill(im, surveyT, it.row.num, it.q.Name, it.q.Label, def)
			}
			walk(it.children)
		}
	}
	walk(im.top)
	t := im.wb.tables[SheetChoices]
	if t == nil {
		t = &table{canonical: SheetChoices, name: SheetChoices}
	}
	for _, name := range im.listOrder {
		info := im.lists[name]
		quiet := &fallbacks{rows: map[fallbackKey][]int{}} // a choice file's lines are not rows of the sheet
		for i := range info.list.Choices {
			ch := &info.list.Choices[i]
			if info.file != "" {
				ch.Label = quiet.fill(im, t, 0, ch.Name, ch.Label, def)
				continue
			}
			ch.Label = fb.fill(im, t, info.rows[ch.Name], ch.Name, ch.Label, def)
		}
	}
	fb.report(im)
}

// fallbackKey groups fallbacks by sheet and language ("" for none at all).
type fallbackKey struct {
	t    *table
	lang string
}

type fallbacks struct {
	rows  map[fallbackKey][]int
	order []fallbackKey
}

// fill returns text with every language of the form filled in.
func (fb *fallbacks) fill(im *importer, t *table, num int, name string, text survey.Text, def string) survey.Text {
	if text.Empty() {
		fb.add(fallbackKey{t, ""}, num)
		out := survey.Text{}
		for _, l := range im.langs {
			out[l.Code] = name
		}
		return out
	}
	base := text.In(def, "")
	for _, l := range im.langs {
		if strings.TrimSpace(text[l.Code]) != "" || l.Code == def && strings.TrimSpace(text[""]) != "" {
			continue
		}
		out := survey.Text{}
		for k, v := range text {
			out[k] = v
		}
		out[l.Code] = base
		text = out
		if l.Code != def {
			fb.add(fallbackKey{t, l.Code}, num)
		}
	}
	return text
}

func (fb *fallbacks) add(k fallbackKey, num int) {
	if _, seen := fb.rows[k]; !seen {
		fb.order = append(fb.order, k)
	}
	fb.rows[k] = append(fb.rows[k], num)
}

// report adds one warning per sheet and language, naming the rows.
func (fb *fallbacks) report(im *importer) {
	for _, k := range fb.order {
		nums := fb.rows[k]
		sort.Ints(nums)
		what := "question"
		if k.t.canonical == SheetChoices {
			what = "choice"
		}
		if len(nums) > 1 {
			what += "s"
		}
		if k.lang == "" {
			c := k.t.find(colLabel)
			if c == nil && len(k.t.texts(colLabel)) > 0 {
				c = k.t.texts(colLabel)[0]
			}
			im.rep.at(Warning, k.t, nums[0], c, "%d %s %s no label (perhaps only an image), in rows %s: %s shown by name instead",
				len(nums), what, hasHave(len(nums)), rowList(nums), itThey(len(nums)))
			continue
		}
		c := textColumn(k.t, colLabel, k.lang)
		im.rep.at(Warning, k.t, nums[0], c, "%d %s %s no %s label, in rows %s: %s %s label instead",
			len(nums), what, hasHave(len(nums)), im.languageName(k.lang), rowList(nums), showShows(len(nums)), im.languageName(im.langs[0].Code))
	}
}

// languageName names a language of the form: "Igbo (x-igbo)".
func (im *importer) languageName(code string) string {
	for _, l := range im.langs {
		if l.Code == code && l.Name != "" {
			return fmt.Sprintf("%s (%s)", l.Name, code)
		}
	}
	return code
}

// rowList lists row numbers, the first ten of them.
func rowList(nums []int) string {
	if len(nums) > 10 {
		return joinInts(nums[:10]) + fmt.Sprintf(" and %d more", len(nums)-10)
	}
	return joinInts(nums)
}

func hasHave(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

func itThey(n int) string {
	if n == 1 {
		return "it is"
	}
	return "they are"
}

func showShows(n int) string {
	if n == 1 {
		return "it shows the"
	}
	return "they show the"
}
