package app

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"canvass/assets"
	"canvass/survey"
)

// decide answers the built-in decision tool.
func decide(t *testing.T, a survey.Answers) *survey.Decision {
	t.Helper()
	defs, err := assets.Templates()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range defs {
		if s.ID == "decision" {
			d, err := s.Decide(a, survey.DefaultThresholds(), time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
	}
	t.Fatal("no decision template")
	return nil
}

// textsIn returns every text shown by o: labels, rich text and canvas text.
func textsIn(o fyne.CanvasObject) []string {
	switch x := o.(type) {
	case *widget.Label:
		return []string{x.Text}
	case *widget.RichText:
		return []string{x.String()}
	case *canvas.Text:
		return []string{x.Text}
	case *fyne.Container:
		var out []string
		for _, c := range x.Objects {
			out = append(out, textsIn(c)...)
		}
		return out
	case fyne.Widget:
		var out []string
		for _, c := range test.WidgetRenderer(x).Objects() {
			out = append(out, textsIn(c)...)
		}
		return out
	}
	return nil
}

func TestDecisionResultShowsTheRecord(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct {
		name    string
		answers survey.Answers
		want    []string
		absent  []string
	}{
		{
			name: "regulated procurement",
			answers: survey.Answers{"value": "900000", "category": "light_touch", "c_spec": "council", "c_benefit": "duty",
				"c_payment": "per_unit", "c_market": "many", "c_enforce": "legal"},
			want: []string{
				"Recommendation: Procurement — regulated procurement required, with medium confidence.",
				"What points to a grant", "No answer points this way.",
				"What points to a contract", "• Strong: Who decides what will be delivered? The council writes a detailed specification.",
				"Why the confidence is medium", "High confidence would need at least 12 of the 14 weighed questions answered (5 were).",
				"The value and the thresholds",
				"£900,000 is at or above the procurement threshold of £663,540 for social, education or other light-touch services, in force from 1 January 2026.",
				"Rules that applied", "• A contract at or above the procurement threshold. It made the recommendation Procurement — regulated procurement required.",
				"Caveats", "£900,000 is at or above the threshold of £663,540",
				"How the score is worked out", "Grant", "Either", "Contract", "weight 3 × score +2 = +6",
				"Thresholds used: England, sub-central authorities, in force from 1 January 2026.",
				"Source: Procurement Act 2023",
				"supports, and does not replace, legal and procurement advice",
				"Decided on 2 March 2026",
			},
		},
		{
			name:    "a grant with no rules",
			answers: survey.Answers{"c_spec": "organisation", "c_independence": "yes"},
			want: []string{"Recommendation: Grant, with", "What points to a grant", "No hard rule applied",
				"Thresholds used: England, sub-central authorities, in force from 1 January 2026."},
			absent: []string{"Caveats"},
		},
		{
			name:    "personal budget route",
			answers: survey.Answers{"g_personal": "yes"},
			want: []string{"Recommendation: Neither — personal budget route, with high confidence.",
				"Money goes to individuals as direct payments or personal budgets that they control. It made the recommendation Neither — personal budget route, with high confidence.",
				"Will the money go to individuals as direct payments or personal budgets that they control? Yes."},
		},
		{
			name:    "health care on a contract",
			answers: survey.Answers{"g_function": "yes", "category": "health_care", "value": "50000"},
			want:    []string{"Health care services: no procurement threshold applies to this category.", "the Provider Selection Regime applies"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decide(t, tt.answers)
			obj := NewDecisionResult(d, "en")
			w := test.NewTempWindow(t, container.NewVScroll(obj))
			w.Resize(fyne.NewSize(900, 700))
			all := strings.Join(textsIn(obj), "\n")
			for _, want := range tt.want {
				if !strings.Contains(all, want) {
					t.Errorf("the result does not show %q; it shows:\n%s", want, all)
				}
			}
			for _, no := range tt.absent {
				if strings.Contains(all, no) {
					t.Errorf("the result shows %q", no)
				}
			}
		})
	}

	t.Run("the screen shows the explanation's text, line by line, in order", func(t *testing.T) {
		d := decide(t, survey.Answers{"value": "120000", "category": "light_touch", "c_spec": "organisation", "c_payment": "contribution",
			"c_market": "few", "c_risk": "shared", "g_subsidy": "not_sure"})
		var want []string
		for _, line := range strings.Split(strings.TrimSpace(d.Explain().Text()), "\n") {
			if line != "" {
				want = append(want, line)
			}
		}
		var shown []string
		for _, s := range textsIn(NewDecisionResult(d, "en")) {
			switch s {
			case "Grant", "Either", "Contract": // the score bar's ends
				continue
			}
			shown = append(shown, s)
		}
		if !reflect.DeepEqual(shown, want) {
			t.Errorf("the screen shows\n%s\n\nthe explanation is\n%s", strings.Join(shown, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("a record made in another language says so", func(t *testing.T) {
		d := decide(t, survey.Answers{})
		d.Language = "cy"
		all := strings.Join(textsIn(NewDecisionResult(d, "en")), "\n")
		if !strings.Contains(all, "made in the language cy") {
			t.Errorf("no language note in:\n%s", all)
		}
	})

	t.Run("the standing note without a notice of the survey's own", func(t *testing.T) {
		d := decide(t, survey.Answers{})
		d.Notice = ""
		all := strings.Join(textsIn(NewDecisionResult(d, "en")), "\n")
		if !strings.Contains(all, adviceNotice) {
			t.Errorf("no standing note in:\n%s", all)
		}
	})

	t.Run("no decision", func(t *testing.T) {
		all := strings.Join(textsIn(NewDecisionResult(nil, "en")), "\n")
		if !strings.Contains(all, "No decision") {
			t.Errorf("shows %q", all)
		}
	})
}

func TestScoreBarMarker(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct {
		score float64
		want  float32 // marker centre as a share of the track, from its left end
	}{{-1, 0}, {-0.25, 0.375}, {0, 0.5}, {0.5, 0.75}, {1, 1}, {7, 1}, {math.NaN(), 0.5}}
	for _, tt := range tests {
		bar := newScoreBar(tt.score)
		r := test.WidgetRenderer(bar).(*scoreBarRenderer)
		size := fyne.NewSize(422, 60)
		bar.Resize(size)
		r.Layout(size)
		track := size.Width - scoreMarkerSize
		// the track starts half a marker in, so the marker's left edge is its centre's offset on the track
		offset := r.marker.Position().X
		if got := offset / track; math.Abs(float64(got-tt.want)) > 0.001 {
			t.Errorf("score %v: marker at %.3f of the track, want %.3f", tt.score, got, tt.want)
		}
	}
}

func TestThresholdsEditor(t *testing.T) {
	test.NewTempApp(t)
	newEditor := func(t *testing.T, start survey.Thresholds, onSave func(survey.Thresholds) error) *ThresholdsEditor {
		e, ok := NewThresholdsEditor(start, onSave).(*ThresholdsEditor)
		if !ok {
			t.Fatal("NewThresholdsEditor does not return a *ThresholdsEditor")
		}
		test.NewTempWindow(t, e)
		return e
	}

	t.Run("saves the set it was given unchanged", func(t *testing.T) {
		var saved *survey.Thresholds
		e := newEditor(t, survey.DefaultThresholds(), func(th survey.Thresholds) error { saved = &th; return nil })
		if e.Amounts[survey.CategoryGoodsServices].Text != "207,720" || e.Effective.Text != "2026-01-01" {
			t.Errorf("form shows %q from %q", e.Amounts[survey.CategoryGoodsServices].Text, e.Effective.Text)
		}
		test.Tap(e.SaveButton)
		if saved == nil || !reflect.DeepEqual(*saved, survey.DefaultThresholds()) {
			t.Fatalf("saved %+v", saved)
		}
		if e.Message.Importance != widget.SuccessImportance || !strings.Contains(e.Message.Text, "1 January 2026") {
			t.Errorf("message %q (%v)", e.Message.Text, e.Message.Importance)
		}
	})

	t.Run("saves edited amounts and date", func(t *testing.T) {
		var saved survey.Thresholds
		e := newEditor(t, survey.DefaultThresholds(), func(th survey.Thresholds) error { saved = th; return nil })
		e.Effective.SetText("2028-01-01")
		e.Amounts[survey.CategoryWorks].SetText("£5,500,000")
		e.Notifiable.SetText(" 31000.50 ")
		if err := e.Save(); err != nil {
			t.Fatal(err)
		}
		if saved.Amounts[survey.CategoryWorks] != 5500000 || saved.Notifiable != 31000.5 || saved.EffectiveText() != "1 January 2028" {
			t.Errorf("saved %+v", saved)
		}
	})

	t.Run("keeps categories beyond the built-in ones", func(t *testing.T) {
		start := survey.DefaultThresholds()
		start.Amounts["defence"] = 5000000
		var saved survey.Thresholds
		e := newEditor(t, start, func(th survey.Thresholds) error { saved = th; return nil })
		if err := e.Save(); err != nil || saved.Amounts["defence"] != 5000000 {
			t.Errorf("saved %v, %v", saved.Amounts, err)
		}
	})

	bad := []struct {
		name string
		edit func(e *ThresholdsEditor)
		want []string
	}{
		{"unreadable fields, all reported", func(e *ThresholdsEditor) {
			e.Effective.SetText("1/1/2028")
			e.Amounts[survey.CategoryGoodsServices].SetText("lots")
			e.Notifiable.SetText("")
		}, []string{"not a date written as YYYY-MM-DD", `"lots" is not an amount in pounds`, "Notifiable from: enter an amount"}},
		{"negative amount", func(e *ThresholdsEditor) { e.Amounts[survey.CategoryWorks].SetText("-5") }, []string{"works: -5 is not above zero"}},
		{"notifiable above a threshold", func(e *ThresholdsEditor) { e.Notifiable.SetText("250,000") }, []string{"must be below the goods_services threshold"}},
		{"no source", func(e *ThresholdsEditor) { e.Source.SetText("  ") }, []string{"source: say where the amounts come from"}},
		{"no date", func(e *ThresholdsEditor) { e.Effective.SetText("") }, []string{"effective date"}},
		{"exponent notation", func(e *ThresholdsEditor) { e.SubsidyMFA.SetText("3e5") }, []string{`"3e5" is not an amount`}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			e := newEditor(t, survey.DefaultThresholds(), func(survey.Thresholds) error { called = true; return nil })
			tt.edit(e)
			test.Tap(e.SaveButton)
			if called {
				t.Error("onSave was called with invalid thresholds")
			}
			if e.Message.Importance != widget.DangerImportance {
				t.Errorf("message importance %v", e.Message.Importance)
			}
			for _, want := range tt.want {
				if !strings.Contains(e.Message.Text, want) {
					t.Errorf("message %q, want %q", e.Message.Text, want)
				}
			}
		})
	}

	t.Run("shows the error from saving", func(t *testing.T) {
		e := newEditor(t, survey.DefaultThresholds(), func(survey.Thresholds) error { return errors.New("database is read-only") })
		if err := e.Save(); err == nil || e.Message.Text != "database is read-only" {
			t.Errorf("err %v, message %q", err, e.Message.Text)
		}
	})

	t.Run("defaults button refills the form", func(t *testing.T) {
		e := newEditor(t, survey.Thresholds2024(), nil)
		if e.Amounts[survey.CategoryGoodsServices].Text != "214,904" {
			t.Fatalf("form shows %q", e.Amounts[survey.CategoryGoodsServices].Text)
		}
		test.Tap(e.DefaultsButton)
		got, err := e.Thresholds()
		if err != nil || !reflect.DeepEqual(got, survey.DefaultThresholds()) {
			t.Errorf("after defaults: %+v, %v", got, err)
		}
	})
}

// TestDecisionResultScrollsToTheEnd checks that every line of a long
// result can be scrolled into view: the scrolled content is as tall as its
// wrapped lines need, from the first layout on, at the width a form gives it.
func TestDecisionResultScrollsToTheEnd(t *testing.T) {
	test.NewTempApp(t)
	d := decide(t, survey.Answers{"value": "120000", "category": "light_touch", "c_spec": "organisation", "c_payment": "contribution",
		"c_market": "few", "c_risk": "shared", "c_origin": "organisation", "c_enforce": "monitoring", "g_subsidy": "not_sure", "g_return": "not_sure"})
	for _, width := range []float32{420, 736, 1366} {
		scroll := NewDecisionResultScroll(d, "en")
		w := test.NewTempWindow(t, container.NewGridWrap(fyne.NewSize(width, 600), scroll))
		w.Resize(fyne.NewSize(width+20, 640))
		content := scroll.Content
		if need, have := content.MinSize().Height, content.Size().Height; have < need {
			t.Errorf("width %v: the content is %v tall but its lines need %v: the end cannot be scrolled into view", width, have, need)
		}
		scroll.ScrollToBottom()
		last := textsIn(content)
		if !strings.HasPrefix(last[len(last)-1], "Decided on") {
			t.Errorf("the last line is %q", last[len(last)-1])
		}
	}
}
