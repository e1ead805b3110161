package xlsform

import (
	"errors"
	"fmt"
	"strings"

	"canvass/survey"
)

// fieldColumns maps the fields of survey.Problem to survey sheet columns.
var fieldColumns = map[string]string{
	"name": colName, "type": colType, "list": colType, "questions": colType,
	"range": colParameters, "required": colRequired, "calculation": colCalculation,
	"relevant": colRelevant, "constraint": colConstraint, "choice_filter": colChoiceFilter,
	"weight": colWeight, "appearance": colAppearance, "default": colDefault,
	"repeat_count": colRepeatCount,
}

// validate runs the survey's own checks on the imported definition and
// places each problem at the row and column it came from.
func (im *importer) validate() {
	err := im.s.Validate()
	if err == nil {
		return
	}
	var ve *survey.ValidationError
	if !errors.As(err, &ve) {
		im.rep.add(Problem{Severity: Error, Message: err.Error()})
		return
	}
	for _, p := range ve.Problems {
		im.place(p)
	}
}

// place adds one Validate problem at its place in the workbook.
func (im *importer) place(p survey.Problem) {
	msg := p.String()
	surveyT := im.wb.tables[SheetSurvey]
	switch {
	case p.Question != "":
		it, ok := im.byName[p.Question]
		if !ok {
			im.rep.at(Error, surveyT, 0, nil, "%s", msg)
			return
		}
		var c *column
		if p.Field == "label" {
			c = im.missingText(surveyT, colLabel, it.q.Label)
		} else if key, ok := fieldColumns[p.Field]; ok {
			c = surveyT.find(key)
		}
		im.rep.at(Error, surveyT, it.row.num, c, "%s", msg)
	case p.List != "":
		t := im.wb.tables[SheetChoices]
		info := im.lists[p.List]
		if t == nil || info == nil {
			im.rep.add(Problem{Severity: Error, Sheet: SheetChoices, Message: msg})
			return
		}
		var choice string
		if _, err := fmt.Sscanf(p.Field, "choice %q", &choice); err == nil {
			if num, ok := info.rows[choice]; ok {
				ch, _ := info.list.Choice(choice)
				im.rep.at(Error, t, num, im.missingText(t, colLabel, ch.Label), "%s", msg)
				return
			}
		}
		im.rep.at(Error, t, info.row, t.find(colName), "%s", msg)
	case p.Field == "scoring":
		im.placeScoring(p.Msg, msg)
	default:
		key := map[string]string{"id": colFormID, "version": colVersion, "languages": colDefaultLanguage}[p.Field]
		if t := im.wb.tables[SheetSettings]; key != "" && t != nil {
			num := t.header + 1
			if len(t.rows) > 0 {
				num = t.rows[0].num
			}
			if c := t.find(key); c != nil {
				im.rep.at(Error, t, num, c, "%s", msg)
			} else {
				im.rep.at(Error, t, num, nil, "%s", msg)
			}
			return
		}
		if key == "" {
			im.rep.at(Error, surveyT, 0, nil, "%s", msg)
			return
		}
		im.rep.add(Problem{Severity: Error, Sheet: SheetSettings, Message: msg})
	}
}

// placeScoring places a scoring problem on the canvass_scoring sheet, or on
// the survey sheet when it is about a question's weight.
func (im *importer) placeScoring(scoringMsg, msg string) {
	var name string
	if scanQuoted(scoringMsg, "question ", &name) {
		if it, ok := im.byName[name]; ok {
			t := im.wb.tables[SheetSurvey]
			im.rep.at(Error, t, it.row.num, t.find(colWeight), "%s", msg)
			return
		}
	}
	t := im.wb.tables[SheetScoring]
	if t == nil {
		im.rep.add(Problem{Severity: Error, Sheet: SheetScoring, Message: msg})
		return
	}
	var c *column
	if strings.HasPrefix(scoringMsg, "rule ") && strings.Contains(scoringMsg, ": when") {
		c = t.find(colWhen)
	}
	im.rep.at(Error, t, im.scoringRows.locate(scoringMsg), c, "%s", msg)
}

// missingText returns the first column of a text key whose language the
// text lacks, or the first such column at all.
func (im *importer) missingText(t *table, key string, text survey.Text) *column {
	cols := t.texts(key)
	for _, c := range cols {
		if c.lang != "" && strings.TrimSpace(text[c.lang]) == "" {
			return c
		}
	}
	if len(cols) > 0 {
		return cols[0]
	}
	return nil
}
