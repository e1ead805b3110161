//go:build unix

package respondent_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"canvass/app/respondent"
	"canvass/survey/store"
)

// printingStore reports each SaveAnswer on stdout: "saving q=v" before the
// call and "saved q=v" once the store has acknowledged it.
type printingStore struct {
	*store.Store
}

func (p printingStore) SaveAnswer(ctx context.Context, id, q, v string) error {
	fmt.Printf("saving %s=%s\n", q, strconv.Quote(v))
	if err := p.Store.SaveAnswer(ctx, id, q, v); err != nil {
		return err
	}
	fmt.Printf("saved %s=%s\n", q, strconv.Quote(v))
	return nil
}

const (
	killChildEnv = "CANVASS_FORM_KILL_CHILD_DB"
	killAfter    = 40 // acknowledged saves before the parent kills the child
)

// TestKilledProcessKeepsAnswers runs a child process that answers half the
// engagement survey through the form and then keeps typing, kills it with
// SIGKILL mid-flight, and checks that every answer the store acknowledged
// is in the database when it is opened again.
func TestKilledProcessKeepsAnswers(t *testing.T) {
	if path := os.Getenv(killChildEnv); path != "" {
		runKillChild(t, path)
		return
	}
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "canvass.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveSurvey(ctx, engagement(t)); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledProcessKeepsAnswers$", "-test.count=1")
	cmd.Env = append(os.Environ(), killChildEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	defer func() { cmd.Process.Kill(); <-done }()

	lines := make(chan string)
	go func() {
		defer close(done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()

	acked := map[string]string{}    // last acknowledged value per question
	inFlight := map[string]string{} // a value being saved when the child died
	responseID := ""
	saved := 0
	timeout := time.After(2 * time.Minute)
read:
	for saved < killAfter {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("child ended after %d saves without being killed", saved)
			}
			switch {
			case strings.HasPrefix(l, "response "):
				responseID = strings.TrimPrefix(l, "response ")
			case strings.HasPrefix(l, "saving "):
				q, v := parseSaveLine(t, strings.TrimPrefix(l, "saving "))
				inFlight[q] = v
			case strings.HasPrefix(l, "saved "):
				q, v := parseSaveLine(t, strings.TrimPrefix(l, "saved "))
				acked[q] = v
				delete(inFlight, q)
				saved++
			}
		case <-timeout:
			break read
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Drain what the child printed before it died: a save may have been
	// acknowledged between our last read and the kill.
	for l := range lines {
		if strings.HasPrefix(l, "saving ") {
			q, v := parseSaveLine(t, strings.TrimPrefix(l, "saving "))
			inFlight[q] = v
		} else if strings.HasPrefix(l, "saved ") {
			q, v := parseSaveLine(t, strings.TrimPrefix(l, "saved "))
			acked[q] = v
			delete(inFlight, q)
		}
	}
	cmd.Wait()
	if saved < killAfter || responseID == "" {
		t.Fatalf("child saved %d answers (response %q) before the timeout", saved, responseID)
	}

	st, err = store.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer st.Close()
	resp, err := st.Response(ctx, responseID)
	if err != nil {
		t.Fatalf("read response after the kill: %v", err)
	}
	for q, v := range acked {
		got := resp.Answers[q]
		if got == v {
			continue
		}
		if w, ok := inFlight[q]; ok && got == w {
			continue // a later save committed just before the kill
		}
		t.Errorf("answer %q: stored %q, acknowledged %q", q, got, v)
	}
	if len(acked) < 8 {
		t.Errorf("only %d questions acknowledged; the child did not get through half the survey", len(acked))
	}
}

func parseSaveLine(t *testing.T, s string) (q, v string) {
	t.Helper()
	q, quoted, ok := strings.Cut(s, "=")
	if !ok {
		t.Fatalf("bad line from child: %q", s)
	}
	v, err := strconv.Unquote(quoted)
	if err != nil {
		t.Fatalf("bad value from child: %q: %v", s, err)
	}
	return q, v
}

// runKillChild is the child: it answers the first half of the survey
// through the form, then types into a text answer until it is killed.
func runKillChild(t *testing.T, path string) {
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.Survey(ctx, "engagement", 0)
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, s, printingStore{st})
	r.tap("consent", "OK")
	fmt.Printf("response %s\n", r.f.ResponseID())
	r.next()
	r.tap("role", "vcs_org")
	r.next()
	r.typeIn("org_name", "Acme")
	r.next()
	r.tap("heard", "email")
	r.tap("heard", "event")
	r.next()
	r.tap("early_enough", "no")
	r.next()
	r.tap("asked_before", "yes")
	r.next()
	r.tap("outcomes_fit", "3")
	r.next()
	r.tap("info_clear", "5")
	r.next()
	r.tap("format_ok", "no")
	r.next()
	fd := r.field("format_barrier")
	for i := 0; ; i++ {
		test.Type(fd.Entry, strconv.Itoa(i%10))
		r.clock.Advance(respondent.DefaultSaveDelay)
	}
}
