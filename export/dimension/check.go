package dimension

import (
	"archive/zip"
	"errors"
	"fmt"
	"sort"
)

// Check reads the workbook at path and returns an error naming every
// worksheet part whose declared range is missing or differs from the range
// of the cells it holds.
func Check(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("check ranges: %w", err)
	}
	defer zr.Close()
	var problems []error
	sheets := 0
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	for _, zf := range files {
		if !IsWorksheet(zf.Name) {
			continue
		}
		sheets++
		if err := checkPart(zf); err != nil {
			problems = append(problems, err)
		}
	}
	if sheets == 0 {
		return fmt.Errorf("check ranges: %s has no worksheet", path)
	}
	return errors.Join(problems...)
}

func checkPart(zf *zip.File) error {
	rc, err := zf.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", zf.Name, err)
	}
	defer rc.Close()
	declared, used, err := scan(rc)
	if err != nil {
		return fmt.Errorf("%s: %w", zf.Name, err)
	}
	switch {
	case declared == "":
		return fmt.Errorf("%s: no declared range; its cells cover %s", zf.Name, used.Ref())
	case declared != used.Ref():
		return fmt.Errorf("%s: declares %s but its cells cover %s", zf.Name, declared, used.Ref())
	}
	return nil
}
