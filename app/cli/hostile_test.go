//go:build unix

package cli_test

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fileSum is the sha256 of a file's bytes ("" if it cannot be read).
func fileSum(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	s := sha256.Sum256(b)
	return string(s[:])
}

// copyDB copies the database at from to the file at to, with nothing open on it.
func copyDB(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// Every writer refuses to write over the database or its side files, by
// any name, and leaves it as it was (issue 12, item 1).
func TestWritersRefuseTheDatabase(t *testing.T) {
	demo := demoDB(t, "engagement", 5, "1")
	for _, tc := range []struct {
		name   string
		dbName string
		args   func(dir, db string) []string
		sealed bool // encrypted with a passphrase rather than --unencrypted
	}{
		{"export CSV onto the database", "data.csv", func(dir, db string) []string {
			return []string{"export", "--db", db, "--survey", "engagement", "--out", db}
		}, false},
		{"export workbook onto the database", "f.xlsx", func(dir, db string) []string {
			return []string{"export", "--db", db, "--survey", "engagement", "--out", db}
		}, false},
		{"bundle onto the -wal file", "d.db", func(dir, db string) []string {
			return []string{"bundle", "--db", db, "--out", db + "-wal"}
		}, false},
		{"bundle onto the lock file", "d.db", func(dir, db string) []string {
			return []string{"bundle", "--db", db, "--out", db + ".lock"}
		}, false},
		{"export-form onto the database", "f.xlsx", func(dir, db string) []string {
			return []string{"export-form", "--db", db, "--survey", "engagement", "--out", db}
		}, false},
		{"bundle onto the database", "b.canvass", func(dir, db string) []string {
			return []string{"bundle", "--db", db, "--out", db}
		}, false},
		{"export where --db is a link to the output", "real.db", func(dir, db string) []string {
			link := filepath.Join(dir, "data.csv")
			if err := os.Symlink(db, link); err != nil {
				t.Fatal(err)
			}
			return []string{"export", "--db", link, "--survey", "engagement", "--out", db[:len(db)-len("real.db")] + "data.csv"}
		}, false},
		{"export onto a link to the database", "d.db", func(dir, db string) []string {
			link := filepath.Join(dir, "out.csv")
			if err := os.Symlink(db, link); err != nil {
				t.Fatal(err)
			}
			return []string{"export", "--db", db, "--survey", "engagement", "--out", link}
		}, false},
		{"export into the backups folder", "d.db", func(dir, db string) []string {
			os.Mkdir(filepath.Join(dir, "backups"), 0o700)
			return []string{"export", "--db", db, "--survey", "engagement", "--out", filepath.Join(dir, "backups", "x.csv")}
		}, false},
		{"encrypted bundle onto the database", "b.canvass.age", func(dir, db string) []string {
			return []string{"bundle", "--db", db, "--out", db}
		}, true},
		{"encrypted CSV export onto the database", "data.csv.age", func(dir, db string) []string {
			return []string{"export", "--db", db, "--survey", "engagement", "--out", db[:len(db)-4]}
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, tc.dbName)
			copyDB(t, demo, db)
			args := withEncryption(t, tc.args(dir, db), tc.sealed)
			before := fileSum(db)
			code, _, errOut := runCLI(t, "", args...)
			if code != 2 {
				t.Errorf("exit %d, want 2; stderr: %s", code, errOut)
			}
			if !strings.Contains(errOut, "database") {
				t.Errorf("the message does not say why: %s", errOut)
			}
			if fileSum(db) != before {
				t.Fatal("the database was changed")
			}
			if n := countResponses(t, db); n != 5 {
				t.Errorf("the database has %d responses, want 5", n)
			}
		})
	}
}

// withEncryption adds the flags that choose whether bundle and export
// encrypt: a passphrase file when sealed, else --unencrypted.
func withEncryption(t *testing.T, args []string, sealed bool) []string {
	if args[0] != "bundle" && args[0] != "export" {
		return args
	}
	if !sealed {
		return append(args, "--unencrypted")
	}
	pass := filepath.Join(t.TempDir(), "pass.txt")
	if err := os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return append(args, "--passphrase-file", pass)
}

// specialFile makes a file of the given kind at path: a FIFO, a folder,
// or a character device like /dev/null (made with mknod as root, the case
// where writers replaced /dev/null; a user cannot replace /dev/null, so
// without root the device case uses a FIFO too).
func specialFile(t *testing.T, kind, path string) {
	t.Helper()
	var err error
	switch {
	case kind == "folder":
		err = os.Mkdir(path, 0o700)
	case kind == "device" && os.Geteuid() == 0:
		err = syscall.Mknod(path, syscall.S_IFCHR|0o666, 1<<8|3)
	default:
		err = syscall.Mkfifo(path, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// Writers refuse devices, FIFOs and folders with a clear message and
// leave them as they were (issue 12, item 6).
func TestWritersRefuseSpecialFiles(t *testing.T) {
	db := demoDB(t, "engagement", 3, "1")
	for _, kind := range []struct{ name, want string }{
		{"device", "not a regular file"},
		{"FIFO", "not a regular file (a FIFO)"},
		{"folder", "it is a folder"},
	} {
		for _, cmd := range []struct{ name, ext string }{{"bundle", ".canvass"}, {"export", ".csv"}, {"export", ".xlsx"}, {"export-form", ".xlsx"}} {
			t.Run(cmd.name+" to a "+kind.name+" "+cmd.ext, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, kind.name+cmd.ext)
				specialFile(t, kind.name, path)
				args := []string{cmd.name, "--db", db, "--out", path}
				if cmd.name != "bundle" {
					args = append(args, "--survey", "engagement")
				}
				args = withEncryption(t, args, false)
				before, _ := os.Lstat(path)
				code, _, errOut := runWithin(t, args...)
				if code != 2 || !strings.Contains(errOut, kind.want) {
					t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, kind.want)
				}
				after, err := os.Lstat(path)
				if err != nil || !os.SameFile(before, after) || after.Mode() != before.Mode() {
					t.Fatalf("%s was replaced", path)
				}
				if entries, _ := os.ReadDir(dir); len(entries) != 1 {
					t.Errorf("files left beside: %v", entries)
				}
			})
		}
	}
}

// runWithin runs the CLI and fails the test if it has not returned in a
// minute: a command that waits on a FIFO hangs for ever.
func runWithin(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	type result struct {
		code        int
		out, errOut string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errOut := runCLI(t, "", args...)
		done <- result{code, out, errOut}
	}()
	select {
	case r := <-done:
		return r.code, r.out, r.errOut
	case <-time.After(time.Minute):
		t.Fatalf("canvass %s is still running after a minute", strings.Join(args, " "))
		return 0, "", ""
	}
}

// Reads are bounded and never wait on a FIFO (issue 12, item 12).
func TestReadsAreBoundedAndNeverHang(t *testing.T) {
	db := demoDB(t, "engagement", 3, "1")
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	answers := filepath.Join(dir, "answers.json")
	os.WriteFile(answers, []byte(`{}`), 0o600)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"decide --answers /dev/zero", []string{"decide", "--answers", "/dev/zero"}, "not a regular file"},
		{"decide --answers FIFO", []string{"decide", "--answers", fifo}, "not a regular file"},
		{"decide --thresholds /dev/zero", []string{"decide", "--answers", answers, "--thresholds", "/dev/zero"}, "not a regular file"},
		{"export --password-file /dev/zero", []string{"export", "--db", db, "--survey", "engagement", "--out", filepath.Join(dir, "x.xlsx"), "--password-file", "/dev/zero"}, "not a regular file"},
		{"export --password-file FIFO", []string{"export", "--db", db, "--survey", "engagement", "--out", filepath.Join(dir, "x.xlsx"), "--password-file", fifo}, "not a regular file"},
		{"merge FIFO", []string{"merge", "--db", db, fifo}, "not a regular file"},
		{"merge /dev/zero", []string{"merge", "--db", db, "/dev/zero"}, "not a regular file"},
		{"import-form FIFO", []string{"import-form", "--db", db, fifo}, "not a regular file"},
		{"list --db FIFO", []string{"list", "--db", fifo}, "not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runWithin(t, tc.args...)
			if code != 2 || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tc.want)
			}
		})
	}
	big := filepath.Join(dir, "big.json")
	os.WriteFile(big, []byte(`{"x": "`+strings.Repeat("a", 2<<20)+`"}`), 0o600)
	code, _, errOut := runWithin(t, "decide", "--answers", big)
	if code != 2 || !strings.Contains(errOut, "too large") {
		t.Errorf("decide with 2 MB of answers: exit %d, %s", code, errOut)
	}
}
