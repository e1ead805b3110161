package app

import (
	"net/url"
	"testing"
)

// SetExportHooks replaces what the Export dialog's Open folder button calls
// and adds a call after each progress update (on the UI goroutine).
func SetExportHooks(d *ExportDialog, openURL func(*url.URL) error, onProgress func(done, total int)) {
	if openURL != nil {
		d.openURL = openURL
	}
	d.onProgress = onProgress
}

func TestGroupDigits(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1\u00a0000"}, {1234, "1\u00a0234"},
		{123456, "123\u00a0456"}, {1234567, "1\u00a0234\u00a0567"}, {-1234, "-1\u00a0234"},
	} {
		if got := groupDigits(c.n); got != c.want {
			t.Errorf("groupDigits(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestWithExtension(t *testing.T) {
	for _, c := range []struct {
		path, ext, want string
		fails           bool
	}{
		{"/tmp/a.xlsx", ".xlsx", "/tmp/a.xlsx", false},
		{"/tmp/a.XLSX", ".xlsx", "/tmp/a.XLSX", false},
		{"/tmp/a", ".xlsx", "/tmp/a.xlsx", false},
		{"/tmp/a", ".csv", "/tmp/a.csv", false},
		{"/tmp/report.final", ".csv", "/tmp/report.final.csv", false},
		{"/tmp/a.csv", ".xlsx", "", true},
		{"/tmp/a.xlsx", ".csv", "", true},
	} {
		t.Run(c.path+c.ext, func(t *testing.T) {
			got, err := withExtension(c.path, c.ext)
			if (err != nil) != c.fails || got != c.want {
				t.Errorf("withExtension(%q, %q) = %q, %v; want %q, failing %v", c.path, c.ext, got, err, c.want, c.fails)
			}
		})
	}
}

func TestFolderURL(t *testing.T) {
	u := folderURL("/home/outreach/exports/engagement-2026-11-25.xlsx")
	if u.Scheme != "file" || u.Path != "/home/outreach/exports" || u.String() != "file:///home/outreach/exports" {
		t.Errorf("folderURL = %s (path %q)", u, u.Path)
	}
	if u := folderURL("/home/my exports/a.csv"); u.String() != "file:///home/my%20exports" {
		t.Errorf("folderURL with a space = %s", u)
	}
}
