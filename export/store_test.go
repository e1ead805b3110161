package export_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"canvass/export"
	"canvass/survey/store"
)

// The store is what the app exports from.
var _ export.Source = (*store.Store)(nil)

// TestExportFromStore exports two survey versions from a real database.
func TestExportFromStore(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "canvass.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	src := twoVersionSource()
	if _, err := st.SaveSurvey(ctx, oldMixedSurvey()); err != nil {
		t.Fatalf("save version 1: %v", err)
	}
	for i := range src.events {
		if err := st.SaveEvent(ctx, &src.events[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.ImportResponse(ctx, src.responses[0]); err != nil { // answered on version 1
		t.Fatal(err)
	}
	v2, err := st.SaveSurvey(ctx, mixedSurvey())
	if err != nil || v2.Version != 2 {
		t.Fatalf("save version 2: %v, %v", v2, err)
	}
	for _, r := range src.responses[1:] {
		if _, err := st.ImportResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}

	opts := export.Options{SurveyID: "mixed", Location: time.UTC, AppVersion: "test"}
	counts, err := st.CountResponses(ctx, opts.Filter())
	if err != nil {
		t.Fatal(err)
	}
	opts.Total = counts.Total()
	var last [2]int
	opts.Progress = func(done, total int) { last = [2]int{done, total} }

	dir := t.TempDir()
	res, err := export.ToFile(ctx, st, opts, filepath.Join(dir, "out.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Responses != 4 || res.Draft != 1 || last != [2]int{4, 4} {
		t.Errorf("result %+v, last progress %v", res, last)
	}
	f := openWorkbook(t, filepath.Join(dir, "out.xlsx"))
	rs := rows(t, f, "Responses")
	var ids []string
	for _, r := range rs[1:] {
		ids = append(ids, r[0])
	}
	if !slices.Equal(ids, []string{"r0", "r1", "r2", "r3"}) {
		t.Errorf("ids = %q, want them in started order", ids)
	}
	r0, r1 := rowMap(rs[0], rs[1]), rowMap(rs[0], rs[2])
	if r0["survey version"] != "1" || r0["phone"] != "01234 567890" || r0["heard: Leaflet"] != "1" {
		t.Errorf("r0 = %q", r0)
	}
	if r1["survey version"] != "2" || r1["event"] != "Town hall drop-in" || r1["started"] != "2026-03-14 10:30" ||
		r1["heard"] != "Newsletter; At an event" || r1["age"] != "42" {
		t.Errorf("r1 = %q", r1)
	}
	about := rows(t, f, "About")
	if got := about[findRow(t, about, "Exported on device")][1]; got != st.DeviceID() {
		t.Errorf("About names device %q, want %q", got, st.DeviceID())
	}

	// The filters reach the store's query.
	opts.CompleteOnly, opts.EventID, opts.Progress = true, src.events[0].ID, nil
	res, err = export.ToFile(ctx, st, opts, filepath.Join(dir, "out.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, filepath.Join(dir, "out.csv"))
	if res.Responses != 1 || len(recs) != 2 || recs[1][0] != "r1" {
		t.Errorf("complete responses at %s: %+v, %q", src.events[0].Name, res, recs)
	}
}
