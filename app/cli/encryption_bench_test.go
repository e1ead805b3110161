package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"canvass/app/cli"
)

// runCLIb runs the command line for a benchmark.
func runCLIb(b *testing.B, args ...string) (int, string, string) {
	b.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

// BenchmarkEncryption times merge and CSV export through the command line,
// plain, with a passphrase and with the analyst's key, side by side:
//
//	CANVASS_BENCH_RESPONSES=5000 go test ./app/cli -run '^$' -bench Encryption -benchtime 3x
//
// Each merge goes into a fresh database; the bundle or export is made
// once per kind before the timer starts (export times include encrypting).
func BenchmarkEncryption(b *testing.B) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("CANVASS_BENCH_RESPONSES")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	laptop := filepath.Join(dir, "laptop.db")
	if code, _, errOut := runCLIb(b, "demo", "--db", laptop, "--survey", "engagement", "--responses", strconv.Itoa(n), "--seed", "7"); code != 0 {
		b.Fatal(errOut)
	}
	pass := filepath.Join(dir, "pass.txt")
	if err := os.WriteFile(pass, []byte("a benchmark passphrase\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	keyFile := filepath.Join(dir, "analyst.key")
	_, out, _ := runCLIb(b, "keygen", "--out", keyFile)
	public := regexp.MustCompile(`age1[0-9a-z]+`).FindString(out)

	kinds := []struct {
		name       string
		lock, open []string
	}{
		{"plain", []string{"--unencrypted"}, nil},
		{"passphrase", []string{"--passphrase-file", pass}, []string{"--passphrase-file", pass}},
		{"key", []string{"--recipient", public}, []string{"--identity", keyFile}},
	}
	for _, k := range kinds {
		bundle := filepath.Join(dir, k.name+".canvass")
		if code, _, errOut := runCLIb(b, append([]string{"bundle", "--db", laptop, "--out", bundle}, k.lock...)...); code != 0 {
			b.Fatal(errOut)
		}
		b.Run("merge/"+k.name, func(b *testing.B) {
			for i := range b.N {
				central := filepath.Join(b.TempDir(), "central"+strconv.Itoa(i)+".db")
				if code, _, errOut := runCLIb(b, append([]string{"merge", "--db", central, bundle}, k.open...)...); code != 0 {
					b.Fatal(errOut)
				}
			}
		})
	}
	for _, k := range kinds {
		b.Run("export-csv/"+k.name, func(b *testing.B) {
			for i := range b.N {
				out := filepath.Join(b.TempDir(), "e"+strconv.Itoa(i)+".csv")
				if code, _, errOut := runCLIb(b, append([]string{"export", "--db", laptop, "--survey", "engagement", "--out", out}, k.lock...)...); code != 0 {
					b.Fatal(errOut)
				}
			}
		})
	}
}
