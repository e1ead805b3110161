package export_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"canvass/export"
)

// TestToFileKeepsEarlierFile checks that a failed or cancelled export
// leaves the file it would have replaced as it was, and no temporary file.
func TestToFileKeepsEarlierFile(t *testing.T) {
	for _, ext := range []string{"xlsx", "csv"} {
		for _, failure := range []string{"source error", "cancelled", "deadline"} {
			t.Run(ext+"/"+failure, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "export."+ext)
				opts := export.Options{SurveyID: "bench", Location: time.UTC}
				if _, err := export.ToFile(context.Background(), benchSource(50), opts, path); err != nil {
					t.Fatal(err)
				}
				before, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}

				src := benchSource(3000)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var want error
				switch failure {
				case "source error":
					src.failAfter = 1500
					want = errSourceBroke
				case "cancelled":
					src.onEach = func(i int) {
						if i == 1500 {
							cancel()
						}
					}
					want = context.Canceled
				case "deadline":
					var dcancel context.CancelFunc
					ctx, dcancel = context.WithDeadline(ctx, time.Now().Add(-time.Second))
					defer dcancel()
					want = context.DeadlineExceeded
				}
				res, err := export.ToFile(ctx, src, opts, path)
				if !errors.Is(err, want) {
					t.Fatalf("err = %v, want %v", err, want)
				}
				if failure != "source error" && err != want {
					t.Errorf("err = %#v, want ctx.Err() itself", err)
				}
				if !reflect.DeepEqual(res, export.Result{}) {
					t.Errorf("a failed export reported %+v", res)
				}
				after, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(before, after) {
					t.Error("the earlier export was changed")
				}
				if left := otherFiles(t, dir, "export."+ext); len(left) > 0 {
					t.Errorf("left behind: %q", left)
				}
			})
		}
	}
	t.Run("new file", func(t *testing.T) {
		dir := t.TempDir()
		src := benchSource(100)
		src.failAfter = 10
		_, err := export.ToFile(context.Background(), src, export.Options{SurveyID: "bench"}, filepath.Join(dir, "new.xlsx"))
		if !errors.Is(err, errSourceBroke) {
			t.Fatalf("err = %v", err)
		}
		if left := otherFiles(t, dir); len(left) > 0 {
			t.Errorf("a failed export left %q", left)
		}
	})
}

func TestToFileErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "folder.xlsx"), 0o700); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		path string
		opts export.Options
		want error
	}{
		{"unknown extension", "out.xls", export.Options{SurveyID: "mixed"}, export.ErrUnknownFormat},
		{"no extension", "out", export.Options{SurveyID: "mixed"}, export.ErrUnknownFormat},
		{"password for CSV", "out.CSV", export.Options{SurveyID: "mixed", Password: "p"}, export.ErrPasswordCSV},
		{"no survey", "out.xlsx", export.Options{}, export.ErrNoSurvey},
		{"missing folder", "nowhere/out.xlsx", export.Options{SurveyID: "mixed"}, os.ErrNotExist},
		{"a folder in the way", "folder.xlsx", export.Options{SurveyID: "mixed"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := export.ToFile(context.Background(), sampleSource(), c.opts, filepath.Join(dir, c.path))
			if err == nil || c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
			if left := otherFiles(t, dir, "folder.xlsx"); len(left) > 0 {
				t.Errorf("left behind: %q", left)
			}
		})
	}
}

func TestFormatOf(t *testing.T) {
	cases := []struct {
		path string
		want export.Format
		err  bool
	}{
		{"a.xlsx", export.FormatXLSX, false},
		{"dir/B.XLSX", export.FormatXLSX, false},
		{"c.csv", export.FormatCSV, false},
		{"d.xls", 0, true},
		{"e.xlsx.tmp", 0, true},
		{"", 0, true},
	}
	for _, c := range cases {
		got, err := export.FormatOf(c.path)
		if (err != nil) != c.err || !c.err && got != c.want {
			t.Errorf("FormatOf(%q) = %v, %v", c.path, got, err)
		}
	}
}
