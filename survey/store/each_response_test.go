package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/store"
)

// TestEachResponseAnswerText checks that answers reach fn exactly as they
// were stored, whatever characters they hold: EachResponse reads them
// packed into one JSON object per response.
func TestEachResponseAnswerText(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	tests := []struct {
		name    string
		answers survey.Answers
	}{
		{"plain", survey.Answers{"visit": "yes", "why": "ducks"}},
		{"JSON syntax in text", survey.Answers{"why": `{"visit":"no"}`, "name": `","x":"`, "email": `\"`}},
		{"quotes and backslashes", survey.Answers{"why": `say "hi" \ bye \\ \u0041 \n`}},
		{"control characters", survey.Answers{"why": "line 1\nline 2\r\n\ttab \b\f \x01\x1f\x7f"}},
		{"NUL byte", survey.Answers{"why": "before\x00after"}},
		{"non-ASCII", survey.Answers{"why": "café ☕ 𝄞 emoji 👩🏽‍🌾 שלום \u2028\u2029", "name": "Zoë"}},
		{"invalid UTF-8 kept as stored", survey.Answers{"why": "bad \xff\xfe byte \xc3"}},
		{"long text", survey.Answers{"why": strings.Repeat("lorem ipsum € ", 20_000)}},
		{"digits and colons", survey.Answers{"why": "12:34", "name": "5:"}},
		{"odd question names", survey.Answers{`q"1`: "a", `q\2`: "b", "q:3": "c", "клумба": "d", "q\n4": "e"}},
		{"no answers", survey.Answers{}},
	}
	want := map[string]survey.Answers{}
	start := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	for i, tt := range tests {
		r := &survey.Response{
			ID: fmt.Sprintf("r%02d", i), SurveyID: "park", SurveyVersion: 1, DeviceID: "dev",
			Started: start.Add(time.Duration(i) * time.Minute), Status: survey.StatusComplete, Answers: tt.answers,
		}
		if ok, err := s.ImportResponse(ctx, r); !ok || err != nil {
			t.Fatalf("%s: ImportResponse = %v, %v", tt.name, ok, err)
		}
		want[r.ID] = tt.answers
	}
	// A value stored as a blob (no Canvass code writes one) is read as its bytes.
	blob := &survey.Response{ID: "blob", SurveyID: "park", SurveyVersion: 1, DeviceID: "dev", Started: start.Add(time.Hour), Status: survey.StatusDraft}
	if _, err := s.ImportResponse(ctx, blob); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "INSERT INTO answers VALUES ('blob', 'why', x'6475636b73', '2025-06-01T10:00:00.000Z')"); err != nil {
		t.Fatal(err)
	}
	want["blob"] = survey.Answers{"why": "ducks"}

	got := map[string]survey.Answers{}
	err := s.EachResponse(ctx, survey.Filter{SurveyID: "park"}, func(r *survey.Response) error {
		got[r.ID] = r.Answers
		if one := mustResponse(t, s, r.ID); !maps.Equal(one.Answers, r.Answers) {
			t.Errorf("%s: EachResponse gave %q, Response gives %q", r.ID, r.Answers, one.Answers)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		id := fmt.Sprintf("r%02d", i)
		t.Run(tt.name, func(t *testing.T) {
			if g := got[id]; g == nil || !maps.Equal(g, tt.answers) {
				t.Errorf("answers = %q, want %q", g, tt.answers)
			}
		})
	}
	if g := got["blob"]; !maps.Equal(g, want["blob"]) {
		t.Errorf("blob answers = %q, want %q", g, want["blob"])
	}
	if len(got) != len(want) {
		t.Errorf("streamed %d responses, want %d", len(got), len(want))
	}
}

// TestEachResponseOrderAndFields checks that responses come in start
// order, ties broken by insertion order, with every field as Response
// reads it, and that fn may keep each response (they share nothing).
func TestEachResponseOrderAndFields(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	s := mustOpen(t, store.WithClock(clk.Now))
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	ev := survey.Event{Name: "Fair", Active: true}
	if err := s.SaveEvent(ctx, &ev); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	// Start times out of insertion order, two of them equal.
	offsets := []int{5, 1, 3, 1, 0, 4}
	var wantOrder []string
	byOffset := map[int][]string{}
	for i, off := range offsets {
		clk.Set(base.Add(time.Duration(off) * time.Minute))
		r := mustStart(t, s, "park", 0)
		byOffset[off] = append(byOffset[off], r.ID)
		if err := s.SaveAnswers(ctx, r.ID, survey.Answers{"visit": "yes", "why": fmt.Sprint("reason ", i)}, nil); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := s.Submit(ctx, r.ID, survey.Answers{"visit": "no", "name": fmt.Sprint("n", i)}, []byte(`{"score":1}`)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for off := range 6 {
		wantOrder = append(wantOrder, byOffset[off]...)
	}
	var kept []*survey.Response
	err := s.EachResponse(ctx, survey.Filter{}, func(r *survey.Response) error {
		kept = append(kept, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) != len(wantOrder) {
		t.Fatalf("streamed %d responses, want %d", len(kept), len(wantOrder))
	}
	for i, r := range kept {
		if r.ID != wantOrder[i] {
			t.Errorf("response %d is %s, want %s", i, r.ID, wantOrder[i])
		}
		if want := mustResponse(t, s, r.ID); !sameResponse(r, want) {
			t.Errorf("streamed %+v\nwant %+v", r, want)
		}
	}
	// Changing one kept response's answers changes no other.
	kept[0].Answers["visit"] = "changed"
	for _, r := range kept[1:] {
		if r.Answers["visit"] == "changed" {
			t.Errorf("response %s shares its answers with another", r.ID)
		}
	}
}

// TestEachResponseCancel checks that cancelling the context stops the
// walk at once and is reported, and that a context cancelled before the
// call reads nothing.
func TestEachResponseCancel(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustSaveSurvey(t, s, sampleSurvey("park", "Park"))
	for range 5 {
		r := mustStart(t, s, "park", 0)
		if err := s.SaveAnswer(ctx, r.ID, "visit", "yes"); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("while walking", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		calls := 0
		err := s.EachResponse(ctx, survey.Filter{}, func(*survey.Response) error {
			calls++
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) || calls != 1 {
			t.Errorf("EachResponse = %v after %d calls, want context.Canceled after 1", err, calls)
		}
	})
	t.Run("before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		calls := 0
		err := s.EachResponse(ctx, survey.Filter{}, func(*survey.Response) error {
			calls++
			return nil
		})
		if !errors.Is(err, context.Canceled) || calls != 0 {
			t.Errorf("EachResponse = %v after %d calls, want context.Canceled before any", err, calls)
		}
	})
}
