package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"canvass/app"
	"canvass/survey"
	"canvass/survey/central"
	"canvass/survey/central/centraltest"
	"canvass/survey/store"
)

// syncSetup gives a sync test the real Central, a window and a database.
func syncSetup(t *testing.T) (*centraltest.Server, fyne.Window, *store.Store) {
	t.Helper()
	srv := centraltest.Need(t)
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel("home"))
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return srv, w, st
}

// typeLogin opens the dialog on a new project and types its URL, the
// administrator's email and the password given ("" for the right one).
func typeLogin(t *testing.T, srv *centraltest.Server, w fyne.Window, st *store.Store, password string) (*centraltest.Project, *app.SyncDialog) {
	t.Helper()
	p := srv.NewProject(t)
	d, err := app.ShowSync(context.Background(), w, st)
	if err != nil {
		t.Fatal(err)
	}
	if password == "" {
		password = p.Password
	}
	test.Type(d.Server, p.URL())
	test.Type(d.Email, p.Email)
	test.Type(d.Password, password)
	return p, d
}

// TestSyncDialog drives the ODK Central dialog against the real Central:
// Test connection, Publish, Send with progress, Cancel and resume, and the
// laptop's own saves carrying on meanwhile.
func TestSyncDialog(t *testing.T) {
	srv, w, st := syncSetup(t)
	ctx := context.Background()
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
	p, d := typeLogin(t, srv, w, st, "wrong-password-1")
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

// TestSyncDialogReceives: Receive responses brings in a submission made on
// ODK Collect with its repeat instances and says so; a submission that
// does not follow the form is named and not stored.
func TestSyncDialogReceives(t *testing.T) {
	srv, w, st := syncSetup(t)
	ctx := context.Background()
	def := &survey.Survey{ID: "club", Title: survey.En("Club"), Questions: []*survey.Question{
		{Type: survey.TypeGroup, Name: "members", Label: survey.En("Members"), Repeat: &survey.Repeat{Item: survey.En("member")}, Questions: []*survey.Question{
			{Type: survey.TypeText, Name: "who", Label: survey.En("Name")},
		}},
	}}
	if _, err := st.SaveSurvey(ctx, def); err != nil {
		t.Fatal(err)
	}
	p, d := typeLogin(t, srv, w, st, "")
	test.Tap(d.PublishButton)
	d.Wait()
	if !strings.Contains(d.Message.Text, "Published club version 1") {
		t.Fatalf("Publish says %q", d.Message.Text)
	}
	submit := func(id, body string) {
		p.Do(t, "POST", p.Path("/forms/club/submissions"), "application/xml",
			[]byte(`<data id="club" version="1">`+body+`<meta><instanceID>uuid:`+id+`</instanceID></meta></data>`))
	}
	const collect = "7d2f1a66-9a1e-4b1d-8e5f-4a2c3b8d0f01"
	submit(collect, `<members><who>Ann</who></members><members><who>Bob</who></members>`)
	test.Tap(d.ReceiveButton)
	d.Wait()
	if d.Message.Text != "Received: 1 new, 0 already here, 0 refused, 0 waiting" || d.Message.Importance != widget.SuccessImportance {
		t.Errorf("Receive says %q (%v)", d.Message.Text, d.Message.Importance)
	}
	r, err := st.Response(ctx, collect)
	if err != nil || r.Answers["members[1]/who"] != "Ann" || r.Answers["members[2]/who"] != "Bob" || len(r.Answers) != 2 {
		t.Fatalf("stored %+v, %v", r, err)
	}
	submit("8d2f1a66-9a1e-4b1d-8e5f-4a2c3b8d0f02", `<members><who>Cy</who><age>9</age></members>`)
	test.Tap(d.ReceiveButton)
	d.Wait()
	if !strings.Contains(d.Message.Text, "Not received: submission uuid:8d2f1a66") || !strings.Contains(d.Message.Text, "/data/members[1] holds <age>") ||
		d.Message.Importance != widget.WarningImportance {
		t.Errorf("Receive of a bad submission says %q (%v)", d.Message.Text, d.Message.Importance)
	}
	if _, err := st.Response(ctx, "8d2f1a66-9a1e-4b1d-8e5f-4a2c3b8d0f02"); err == nil {
		t.Error("the bad submission was stored")
	}
}
