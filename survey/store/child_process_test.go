package store_test

import (
	"bufio"
	"os"
	"os/exec"
	"testing"
)

// startChild starts this test binary again, running only the test named
// test, with env ("NAME=value") added to its environment and its stderr
// going to ours. The child's stdout comes back a line at a time on the
// channel, which is closed when the child's stdout closes. The caller
// kills and waits for the child.
func startChild(t testing.TB, test string, env ...string) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return cmd, lines
}
