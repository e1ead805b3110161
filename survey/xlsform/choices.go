package xlsform

import (
	"strings"
	"unicode"

	"canvass/survey"
)

// readChoices reads the choices sheet into lists.
func (im *importer) readChoices(t *table) {
	if t == nil {
		return
	}
	listCol, nameCol, scoreCol := t.find(colListName), t.find(colName), t.find(colScore)
	if listCol == nil || nameCol == nil {
		var missing []string
		if listCol == nil {
			missing = append(missing, colListName)
		}
		if nameCol == nil {
			missing = append(missing, colName)
		}
		if len(t.rows) > 0 || len(t.cols) > 0 {
			im.rep.at(Error, t, t.header, nil, "the choices sheet has no %s column", strings.Join(missing, " or "))
		}
		return
	}
	var filters []*column
	for _, c := range t.cols {
		if isFilterColumn(c) {
			filters = append(filters, c)
		}
	}
	for _, r := range t.rows {
		list, name := r.cell(listCol), r.cell(nameCol)
		if list == "" {
			im.rep.at(Error, t, r.num, listCol, "the choice has no list_name")
			continue
		}
		info := im.lists[list]
		if info == nil {
			info = &listInfo{list: &survey.ChoiceList{Name: list}, row: r.num, rows: map[string]int{}, columns: map[string]bool{}}
			im.lists[list] = info
			im.listOrder = append(im.listOrder, list)
			for _, c := range filters {
				info.columns[c.header] = true
			}
		}
		if name == "" {
			im.rep.at(Error, t, r.num, nameCol, "the choice in list %q has no name", list)
			continue
		}
		if prev, dup := info.rows[name]; dup && !im.s.AllowChoiceDuplicates {
			im.rep.at(Error, t, r.num, nameCol, "choice %q appears twice in list %q (rows %d and %d): set allow_choice_duplicates to yes on the settings sheet if that is meant", name, list, prev, r.num)
			continue
		} else if !dup {
			info.rows[name] = r.num
		}
		ch := survey.Choice{Name: name, Label: im.text(t, r, colLabel)}
		if v := r.cell(scoreCol); v != "" {
			f, err := parseNumber(v)
			if err != nil {
				im.rep.at(Error, t, r.num, scoreCol, "score %q is not a number", v)
			} else {
				ch.Score = &f
			}
		}
		for _, c := range filters {
			if v := r.cell(c); v != "" {
				if ch.Filter == nil {
					ch.Filter = map[string]string{}
				}
				ch.Filter[c.header] = v
			}
		}
		info.list.Choices = append(info.list.Choices, ch)
	}
}

// checkChoiceNames refuses choice names with spaces in the lists of
// select_multiple and rank questions, whose answers are stored separated by
// spaces; elsewhere a space does no harm.
func (im *importer) checkChoiceNames() {
	t := im.wb.tables[SheetChoices]
	multi := map[string]*item{}
	for _, it := range im.items {
		if (it.q.Type == survey.TypeSelectMultiple || it.q.Type == survey.TypeRank) && multi[it.q.List] == nil {
			multi[it.q.List] = it
		}
	}
	for _, list := range im.listOrder {
		by := multi[list]
		if by == nil {
			continue
		}
		info := im.lists[list]
		for _, ch := range info.list.Choices {
			if !strings.ContainsFunc(ch.Name, unicode.IsSpace) {
				continue
			}
			if info.file != "" {
				st := im.wb.tables[SheetSurvey]
				im.rep.at(Error, st, by.row.num, st.find(colType),
					"choice file %q, line %d: choice name %q has a space: the %s question %q stores its answers separated by spaces", info.file, info.rows[ch.Name], ch.Name, by.q.Type, by.q.Name)
				continue
			}
			im.rep.at(Error, t, info.rows[ch.Name], t.find(colName),
				"choice name %q has a space: list %q is used by the %s question %q (row %d), whose answers are stored separated by spaces", ch.Name, list, by.q.Type, by.q.Name, by.row.num)
		}
	}
}
