package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"canvass/app"
	"canvass/survey"
	"canvass/survey/central"
	"canvass/survey/central/centraltest"
	"canvass/survey/store"
)

// TestSyncDialog drives the ODK Central dialog against the real Central:
// Test connection, Publish, Send with progress, Cancel and resume, and the
// laptop's own saves carrying on meanwhile.
func TestSyncDialog(t *testing.T) {
	srv := centraltest.Need(t)
	test.NewTempApp(t)
	ctx := context.Background()
	w := test.NewTempWindow(t, widget.NewLabel("home"))
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	def := &survey.Survey{ID: "park", Title: survey.En("Park"), Questions: []*survey.Question{
		{Type: survey.TypeText, Name: "why", Label: survey.En("Why?")},
		{Type: survey.TypeText, Name: "email", Label: survey.En("Email?"), Personal: true},
	}}
	if _, err := st.SaveSurvey(ctx, def); err != nil {
		t.Fatal(err)
	}
	const n = 120
	for i := range n {
		r, err := st.StartResponse(ctx, "park", 0, "en")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Submit(ctx, r.ID, survey.Answers{"why": fmt.Sprintf("reason %d", i), "email": "a@example.org"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	p := srv.NewProject(t)
	d, err := app.ShowSync(ctx, w, st)
	if err != nil {
		t.Fatal(err)
	}
	test.Type(d.Server, p.URL())
	test.Type(d.Email, p.Email)
	test.Type(d.Password, "wrong-password-1")
	test.Tap(d.TestButton)
	d.Wait()
	if !strings.Contains(d.Message.Text, "refused the credentials") || d.Message.Importance != widget.DangerImportance {
		t.Errorf("bad password: %q", d.Message.Text)
	}
	d.Password.SetText(p.Password)
	test.Tap(d.TestButton)
	d.Wait()
	if d.Message.Text != "The server answered, the credentials are accepted, 0 forms are visible." {
		t.Errorf("Test connection says %q", d.Message.Text)
	}
	test.Tap(d.PublishButton)
	d.Wait()
	if !strings.Contains(d.Message.Text, "Published park version 1 as form park version 1") {
		t.Fatalf("Publish says %q", d.Message.Text)
	}

	// Publishing again: Central's 409.3 in full, and the offer of a new version.
	test.Tap(d.PublishButton)
	d.Wait()
	if !strings.Contains(d.Message.Text, "409.3") || d.Message.Importance != widget.WarningImportance {
		t.Errorf("second Publish says %q", d.Message.Text)
	}
	if len(w.Canvas().Overlays().List()) < 2 {
		t.Error("no question offers a new version")
	}
	d.Publish(central.PublishOptions{NewVersion: true}) // what "Yes" does: the same version again is 409.6
	d.Wait()
	if !strings.Contains(d.Message.Text, "409.6") || d.Message.Importance != widget.DangerImportance {
		t.Errorf("publishing the same version as a new one says %q", d.Message.Text)
	}

	// Send, cancel straight away, and send again: every response once.
	d.NoPersonal.SetChecked(true)
	test.Tap(d.SyncButton)
	test.Tap(d.CancelButton)
	d.Wait()
	first := d.Summary
	t.Logf("after Cancel: %q", d.Message.Text)
	var saves sync.WaitGroup
	var saveErrs []error
	saves.Add(1)
	go func() { // a kiosk keeps saving answers meanwhile
		defer saves.Done()
		for i := range 30 {
			r, err := st.StartResponse(ctx, "park", 0, "en")
			if err == nil {
				err = st.SaveAnswer(ctx, r.ID, "why", fmt.Sprintf("kiosk %d", i))
			}
			if err != nil {
				saveErrs = append(saveErrs, err)
			}
		}
	}()
	test.Tap(d.SyncButton)
	d.Wait()
	saves.Wait()
	if len(saveErrs) > 0 {
		t.Errorf("saves during the sync failed: %v", saveErrs)
	}
	if d.Progress.Value != 1 || d.Summary.Sent+first.Sent != n || d.Summary.Refused != 0 || d.Summary.Pending != 0 {
		t.Errorf("after Cancel and Send: first %+v, then %+v (progress %v, %q)", first, d.Summary, d.Progress.Value, d.Message.Text)
	}
	if got := p.Count(t, "park"); got != n {
		t.Errorf("Central holds %d submissions, want %d", got, n)
	}
	csv := string(p.SubmissionsCSV(t, "park"))
	if strings.Contains(csv, "a@example.org") {
		t.Error("personal answers were sent although left out")
	}
}
