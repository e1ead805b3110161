package xlsform

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"canvass/survey"
	"canvass/survey/userfile"
)

// Bounds on a choice file of select_one_from_file.
const (
	maxChoiceFileBytes = 16 << 20
	maxFileChoices     = 50_000
)

// readChoiceFile reads the choices of a select_one_from_file or
// select_multiple_from_file question from the CSV or XML file it names
// (ODK's format: a name and a label column, or the columns its parameters
// name with value= and label=; other columns serve choice_filter) into a
// choice list of the survey, named after the file.
func (im *importer) readChoiceFile(t *table, r row, cols surveyCols, it *item) {
	q := it.q
	file := q.List
	valueCol, labelCol := "name", "label"
	if v := r.cell(cols.parameters); v != "" {
		for _, f := range strings.Fields(strings.NewReplacer(",", " ", ";", " ").Replace(v)) {
			k, val, ok := strings.Cut(f, "=")
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "value":
				valueCol = strings.TrimSpace(val)
			case "label":
				labelCol = strings.TrimSpace(val)
			default:
				ok = false
			}
			if !ok || strings.TrimSpace(val) == "" {
				im.rep.at(Error, t, r.num, cols.parameters, "parameters %q: %q is not value=COLUMN or label=COLUMN", v, f)
				return
			}
		}
	}
	key := file + "\x00" + valueCol + "\x00" + labelCol
	if name, ok := im.fileLists[key]; ok {
		q.List = name
		return
	}
	ext := strings.ToLower(filepath.Ext(file))
	if ext == ".geojson" {
		it.unsupported = im.rep.at(Warning, t, r.num, cols.typ, "choices from a map file (%s) are not supported", file)
		return
	}
	if ext != ".csv" && ext != ".xml" {
		im.rep.at(Error, t, r.num, cols.typ, "choice file %q: Canvass reads choices from .csv and .xml files only", file)
		return
	}
	data, err := im.openChoiceFile(file)
	if err != nil {
		im.rep.at(Error, t, r.num, cols.typ, "%v", err)
		return
	}
	var records []map[string]string
	if ext == ".csv" {
		records, err = readCSVChoices(data)
	} else {
		records, err = readXMLChoices(data)
	}
	if err == nil && len(records) > maxFileChoices {
		err = fmt.Errorf("it has more than %d choices", maxFileChoices)
	}
	if err != nil {
		im.rep.at(Error, t, r.num, cols.typ, "choice file %q: %v", file, err)
		return
	}
	info := &listInfo{list: &survey.ChoiceList{Name: im.fileListName(file)}, file: file, row: r.num, rows: map[string]int{}, columns: map[string]bool{}}
	def := im.langs[0].Code
	for i, rec := range records {
		line := i + 2 // the header is line 1 of a CSV; the item's number in an XML file
		name := strings.TrimSpace(rec[valueCol])
		if name == "" {
			if _, has := rec[valueCol]; !has && i == 0 {
				im.rep.at(Error, t, r.num, cols.typ, "choice file %q has no %q column (its columns: %s)", file, valueCol, quoteList(sortedColumns(rec)))
				return
			}
			im.rep.at(Error, t, r.num, cols.typ, "choice file %q, line %d: the choice has no %s", file, line, valueCol)
			continue
		}
		if prev, dup := info.rows[name]; dup && !im.s.AllowChoiceDuplicates {
			im.rep.at(Error, t, r.num, cols.typ, "choice file %q: choice %q appears twice (lines %d and %d)", file, name, prev, line)
			continue
		}
		info.rows[name] = line
		ch := survey.Choice{Name: name}
		if lbl := strings.TrimSpace(rec[labelCol]); lbl != "" {
			ch.Label = survey.Text{def: lbl}
		} else {
			ch.Label = survey.Text{def: name} // shown by its name, as ODK Collect does
		}
		for col, v := range rec {
			if col == valueCol || col == labelCol || v == "" {
				continue
			}
			if base, suffix, ok := strings.Cut(col, "::"); ok && strings.TrimSpace(base) == labelCol {
				if code, _, ok := parseLanguage(suffix); ok {
					if ch.Label == nil {
						ch.Label = survey.Text{}
					}
					ch.Label[code] = strings.TrimSpace(v)
				}
				continue
			}
			if ch.Filter == nil {
				ch.Filter = map[string]string{}
			}
			ch.Filter[col] = strings.TrimSpace(v)
			info.columns[col] = true
		}
		info.list.Choices = append(info.list.Choices, ch)
	}
	if len(info.list.Choices) == 0 {
		im.rep.at(Error, t, r.num, cols.typ, "choice file %q has no choices", file)
		return
	}
	name := info.list.Name
	im.lists[name] = info
	im.listOrder = append(im.listOrder, name)
	if im.fileLists == nil {
		im.fileLists = map[string]string{}
	}
	im.fileLists[key] = name
	q.List = name
}

// openChoiceFile reads a choice file: from the path given for it, else
// from beside the form.
func (im *importer) openChoiceFile(file string) ([]byte, error) {
	path, ok := im.opts.Files[file]
	if !ok {
		if im.opts.Dir == "" || filepath.Base(file) != file {
			return nil, fmt.Errorf("choice file %q is needed: give it with the form", file)
		}
		path = filepath.Join(im.opts.Dir, file)
	}
	f, err := userfile.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("choice file %q is missing: put it in the same folder as the form (%s), or name it after the form", file, im.opts.Dir)
	}
	if err != nil {
		return nil, fmt.Errorf("choice file %q: %v", file, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxChoiceFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("choice file %q: %v", file, err)
	}
	if len(data) > maxChoiceFileBytes {
		return nil, fmt.Errorf("choice file %q is larger than %d MB", file, maxChoiceFileBytes>>20)
	}
	return data, nil
}

// fileListName names the list read from a file: its name without the
// extension, made a valid list name and different from the other lists.
func (im *importer) fileListName(file string) string {
	base := strings.TrimSuffix(file, filepath.Ext(file))
	var b strings.Builder
	for i, r := range base {
		switch {
		case r < 128 && (isLetter(byte(r)) || r == '_' || i > 0 && (isDigit(byte(r)) || r == '-' || r == '.')):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	name := b.String()
	if name == "" {
		name = "file"
	}
	out := name
	for n := 2; im.lists[out] != nil; n++ {
		out = fmt.Sprintf("%s_%d", name, n)
	}
	return out
}

// readCSVChoices reads a CSV file with a header row into records.
func readCSVChoices(data []byte) ([]map[string]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty")
	}
	if err != nil {
		return nil, fmt.Errorf("not a CSV file: %v", err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	var out []map[string]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("not a CSV file: %v", err)
		}
		m := make(map[string]string, len(header))
		for i, h := range header {
			if h != "" && i < len(rec) {
				m[h] = rec[i]
			}
		}
		out = append(out, m)
		if len(out) > maxFileChoices {
			return out, nil
		}
	}
}

// readXMLChoices reads ODK's XML choice file: a root element holding item
// elements, each holding one element per column.
func readXMLChoices(data []byte) ([]map[string]string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var out []map[string]string
	var cur map[string]string
	depth := 0
	field := ""
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not an XML file: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 2:
				cur = map[string]string{}
			case 3:
				field = t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if depth == 3 && text.Len() < 1<<16 {
				text.Write(t)
			}
		case xml.EndElement:
			switch depth {
			case 3:
				cur[field] = text.String()
			case 2:
				out = append(out, cur)
				if len(out) > maxFileChoices {
					return out, nil
				}
			}
			depth--
		}
	}
	if len(out) == 0 {
		return nil, errors.New("it holds no items (ODK's format: <root><item><name>…</name><label>…</label></item>…</root>)")
	}
	return out, nil
}

func sortedColumns(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
