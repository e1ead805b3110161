// Package pyreaders runs, from tests, the Python readers the field uses on
// the files Canvass writes: pyxform (the XLSForm converter behind ODK
// Central, XLSForm Online and KoboToolbox) and openpyxl in read-only mode.
// Both trust a worksheet's declared range, unlike excelize.
//
// Python is found through $CANVASS_PYTHON, then /usr/bin/python3, then
// python3 on the PATH; it needs Debian's python3-openpyxl python3-xlrd
// python3-defusedxml python3-lark. pyxform comes from $CANVASS_PYXFORM (a
// tarball or an unpacked folder), by default ../shared/odk-central/pyxform.tar.gz
// beside the repository, else from the Python path. A test is skipped only
// where no Python exists and $CI is not "true"; anything else missing fails.
package pyreaders

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

//go:embed readers.py
var script string

// Tools runs the readers for one test.
type Tools struct {
	t          testing.TB
	python     string
	dir        string
	pyxform    bool   // pyxform has been found
	pythonPath string // holds pyxform, "" when it is importable already
}

// New finds Python and pyxform, skipping or failing t as the package
// documentation says.
func New(t testing.TB) *Tools {
	t.Helper()
	python, err := findPython()
	if err != nil {
		if os.Getenv("CI") != "true" {
			t.Skipf("pyreaders: %v (set CANVASS_PYTHON, or install python3 with python3-openpyxl python3-xlrd python3-defusedxml python3-lark)", err)
		}
		t.Fatalf("pyreaders: %v; CI must install python3", err)
	}
	if out, err := exec.Command(python, "-c", "import openpyxl, xlrd, defusedxml, lark").CombinedOutput(); err != nil {
		t.Fatalf("pyreaders: %s lacks pyxform's dependencies (install python3-openpyxl python3-xlrd python3-defusedxml python3-lark): %v\n%s", python, err, out)
	}
	return &Tools{t: t, python: python, dir: t.TempDir()}
}

func findPython() (string, error) {
	if p := os.Getenv("CANVASS_PYTHON"); p != "" {
		return exec.LookPath(p)
	}
	// Debian's python3 carries the python3-* packages; a python3 earlier on
	// the PATH (pyenv, a virtualenv) may not.
	candidates := []string{"/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	var first string
	for _, p := range candidates {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if first == "" {
			first = p
		}
		if exec.Command(p, "-c", "import openpyxl").Run() == nil {
			return p, nil
		}
	}
	if first != "" {
		return first, nil
	}
	return "", errors.New("no python3 found")
}

// repoRoot is the folder holding go.mod, found from the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// sharedKit is where the shared ODK Central kit holding pyxform is, beside
// the repository: beside this checkout, or beside the main checkout when
// this is a git worktree.
func sharedKit() []string {
	var dirs []string
	if root, err := repoRoot(); err == nil {
		dirs = append(dirs, root)
		if out, err := exec.Command("git", "-C", root, "rev-parse", "--path-format=absolute", "--git-common-dir").Output(); err == nil {
			dirs = append(dirs, filepath.Dir(strings.TrimSpace(string(out))))
		}
	}
	var paths []string
	for _, d := range dirs {
		paths = append(paths, filepath.Join(d, "..", "shared", "odk-central", "pyxform.tar.gz"))
	}
	return paths
}

// findPyxform unpacks pyxform from $CANVASS_PYXFORM or the shared kit, or
// checks that Python can import it.
func (tl *Tools) findPyxform() error {
	src := os.Getenv("CANVASS_PYXFORM")
	if src == "" {
		kits := sharedKit()
		for _, k := range kits {
			if _, err := os.Stat(k); err == nil {
				src = k
				break
			}
		}
		if src == "" {
			if exec.Command(tl.python, "-c", "import pyxform").Run() == nil {
				return nil
			}
			return fmt.Errorf("pyxform: neither %q nor an importable pyxform (set CANVASS_PYXFORM)", kits)
		}
	}
	fi, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("pyxform: %w", err)
	}
	if fi.IsDir() {
		tl.pythonPath = src
		return nil
	}
	dest := filepath.Join(tl.dir, "pyxform-src")
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	if out, err := exec.Command("tar", "-xzf", src, "-C", dest).CombinedOutput(); err != nil {
		return fmt.Errorf("unpack %s: %v\n%s", src, err, out)
	}
	tl.pythonPath = dest
	return nil
}

func (tl *Tools) run(request any, response any) {
	tl.t.Helper()
	in, err := json.Marshal(request)
	if err != nil {
		tl.t.Fatal(err)
	}
	cmd := exec.Command(tl.python, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1", "PYTHONIOENCODING=utf-8")
	if tl.pythonPath != "" {
		cmd.Env = append(cmd.Env, "PYTHONPATH="+tl.pythonPath)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tl.t.Fatalf("pyreaders: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(out, response); err != nil {
		tl.t.Fatalf("pyreaders: read the answer: %v\n%s", err, out)
	}
}

// Conversion is pyxform's result for one XLSForm.
type Conversion struct {
	XForm    string   `json:"xform"`
	Warnings []string `json:"warnings"`
	Error    string   `json:"error"` // pyxform's refusal, "" on success
}

// XForms converts XLSForms (.xlsx, .xls, .csv, .md) with pyxform, in one
// Python process. A form pyxform refuses gets its message in Error.
func (tl *Tools) XForms(paths ...string) []Conversion {
	tl.t.Helper()
	if !tl.pyxform {
		if err := tl.findPyxform(); err != nil {
			tl.t.Fatalf("pyreaders: %v", err)
		}
		tl.pyxform = true
	}
	var res []Conversion
	tl.run(map[string]any{"mode": "xform", "files": paths}, &res)
	if len(res) != len(paths) {
		tl.t.Fatalf("pyreaders: %d conversions for %d files", len(res), len(paths))
	}
	return res
}

// XForm converts one XLSForm with pyxform and fails t if pyxform refuses it.
func (tl *Tools) XForm(path string) Conversion {
	tl.t.Helper()
	c := tl.XForms(path)[0]
	if c.Error != "" {
		tl.t.Fatalf("pyxform refuses %s: %s", filepath.Base(path), c.Error)
	}
	return c
}

// Sheet is a worksheet as openpyxl reads it in read-only mode.
type Sheet struct {
	Name      string     `json:"name"`
	Dimension string     `json:"dimension"` // the declared range, as openpyxl computes it
	Rows      [][]string `json:"rows"`      // every row it yields, cells as text ("" for empty)
}

// ReadOnly opens a workbook with openpyxl's read_only=True and returns
// every sheet's rows.
func (tl *Tools) ReadOnly(path string) []Sheet {
	tl.t.Helper()
	var res []Sheet
	tl.run(map[string]any{"mode": "openpyxl", "files": []string{path}}, &res)
	return res
}
