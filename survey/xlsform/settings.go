package xlsform

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"canvass/survey"
)

// formIDRe is what a survey id may hold.
var formIDRe = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`)

// readSettings reads the settings sheet: title, id, version, template.
func (im *importer) readSettings(t *table) {
	var r row
	if t != nil && len(t.rows) > 0 {
		r = t.rows[0]
		if len(t.rows) > 1 {
			im.rep.at(Warning, t, t.rows[1].num, nil, "the settings sheet has more than one row: only row %d was read", r.num)
		}
	}
	cell := func(key string) (string, *column) {
		if t == nil {
			return "", nil
		}
		c := t.find(key)
		return r.cell(c), c
	}

	title := survey.Text{}
	if v, _ := cell(colFormTitle); v != "" {
		title[im.langs[0].Code] = v
	}
	if t != nil {
		for k, v := range im.text(t, r, colTitle) {
			if _, have := title[k]; !have {
				title[k] = v
			}
		}
		im.s.Description = im.text(t, r, colDescription)
	}

	id, idCol := cell(colFormID)
	switch {
	case id != "" && !formIDRe.MatchString(id):
		// pyxform takes any text as the id; Canvass ids are safe in file
		// names and URLs, so other characters become _.
		if safe := safeID(id); safe != "" {
			im.settingsWarning(t, r, idCol, colFormID, "form_id %q may hold only letters, digits, _ - . and :, so it was imported as %q", id, safe)
			id = safe
		} else {
			im.settingsProblem(t, r, idCol, colFormID, "form_id %q may hold only letters, digits, _ - . and :", id)
		}
	case id == "" && fileID(im.opts.FileName) != "":
		// pyxform names the form after its file.
		id = fileID(im.opts.FileName)
		im.settingsWarning(t, r, idCol, colFormID, "the form has no form_id: it was named %q after its file", id)
	case id == "" && len(title) == 0:
		im.settingsProblem(t, r, idCol, colFormID, "the form has no form_id and no form_title on the settings sheet: give it at least a form_id")
	case id == "":
		id = slug(title.In(im.langs[0].Code, ""))
		if id == "" {
			im.settingsProblem(t, r, idCol, colFormID, "the form has no form_id on the settings sheet, and none can be made from its title: add one")
		} else {
			im.settingsWarning(t, r, idCol, colFormID, "the form has no form_id: it was imported as %q", id)
		}
	}
	if len(title) == 0 && id != "" {
		title[im.langs[0].Code] = id
		im.settingsWarning(t, r, nil, colFormTitle, "the form has no form_title: its id %q was used as its title", id)
	}
	im.s.ID = id
	im.s.Title = title

	im.s.Version = 1
	if v, c := cell(colVersion); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err == nil && n >= 1 && n <= MaxVersion:
			im.s.Version = n
		case err == nil && n > MaxVersion:
			// ODK's usual yyyymmddrr (2026120401): nothing is wrong with it.
			im.rep.sourceVersion = v
		default:
			im.rep.sourceVersion = v
			im.rep.at(Warning, t, r.num, c, "version %q is not a whole number: the form was imported as version 1 (Canvass numbers versions itself when it saves)", v)
		}
	}
	if v, _ := cell(colTemplate); v != "" {
		im.s.Template = v
	}
	if v, c := cell(colAllowChoiceDuplicates); v != "" {
		b, ok := parseYesNo(v)
		if !ok {
			im.rep.at(Error, t, r.num, c, "allow_choice_duplicates %q is not yes or no", v)
		}
		im.s.AllowChoiceDuplicates = b
	}
}

// fileID makes a form id from a form's file name, as pyxform does: the
// name without its extension, with anything a form id cannot hold made _.
func fileID(path string) string {
	base := filepath.Base(strings.ReplaceAll(path, "\\", "/"))
	if path == "" || base == "." || base == "/" {
		return ""
	}
	return safeID(strings.TrimSuffix(base, filepath.Ext(base)))
}

// safeID makes s a form id: anything an id cannot hold becomes _.
func safeID(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (isLetter(byte(r)) || isDigit(byte(r)) || strings.ContainsRune("_.:-", r)) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
		if b.Len() >= 64 {
			break
		}
	}
	return strings.Trim(b.String(), "_.:-")
}

// settingsProblem reports an error on the settings sheet, or on the file
// when the sheet is missing.
func (im *importer) settingsProblem(t *table, r row, c *column, key, format string, args ...any) {
	im.settingsReport(Error, t, r, c, key, format, args...)
}

func (im *importer) settingsWarning(t *table, r row, c *column, key, format string, args ...any) {
	im.settingsReport(Warning, t, r, c, key, format, args...)
}

func (im *importer) settingsReport(sev Severity, t *table, r row, c *column, key, format string, args ...any) {
	if t == nil {
		im.rep.add(Problem{Severity: sev, Sheet: SheetSettings, Column: key, Message: fmt.Sprintf(format, args...) + " (the workbook has no settings sheet)"})
		return
	}
	num := r.num
	if num == 0 {
		num = 2
	}
	if c == nil {
		im.rep.add(Problem{Severity: sev, Sheet: t.name, Row: num, Column: key, order: 1, Message: fmt.Sprintf(format, args...)})
		return
	}
	im.rep.at(sev, t, num, c, format, args...)
}

// slug makes a form id from a title: lower-case letters and digits joined by _.
func slug(s string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (isLetter(byte(r)) || isDigit(byte(r))) {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
			if b.Len() >= 40 {
				break
			}
			continue
		}
		under = true
	}
	return b.String()
}
