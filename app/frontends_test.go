package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"testing"
	"time"

	"canvass/app/cli"
	"canvass/survey"
	"canvass/survey/run"
	"canvass/survey/store"
)

// withoutMetadata drops the answers the survey fills in itself (times,
// device): they differ between runs by design.
func withoutMetadata(def *survey.Survey, a survey.Answers) survey.Answers {
	out := survey.Answers{}
	for k, v := range a {
		if q, ok := def.Question(k); ok && q.Type.IsMetadata() {
			continue
		}
		out[k] = v
	}
	return out
}

// engineRun answers script through an engine session on a fresh store and
// submits it with the decision tool's result, as the form's OnResult makes
// it; it returns what the store holds.
func engineRun(t *testing.T, def *survey.Survey, script survey.Answers) (*survey.Response, *survey.Decision) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "engine.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	saved, err := st.SaveSurvey(ctx, def.Clone())
	if err != nil {
		t.Fatal(err)
	}
	sess, err := run.New(run.Config{Survey: saved, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	if problems := sess.AnswerAll(script); len(problems) > 0 {
		t.Fatalf("engine: %v", problems)
	}
	if page, problems := sess.Finish(); page >= 0 {
		t.Fatalf("engine: cannot submit, page %d: %v", page, problems)
	}
	var result []byte
	var d *survey.Decision
	if saved.Scoring != nil {
		if d, err = saved.Decide(sess.Answers(), survey.DefaultThresholds(), time.Now()); err != nil {
			t.Fatal(err)
		}
		result, _ = json.Marshal(d)
	}
	if err := sess.Submit(ctx, result); err != nil {
		t.Fatal(err)
	}
	resp, err := st.Response(ctx, sess.ResponseID())
	if err != nil {
		t.Fatal(err)
	}
	return resp, d
}

// TestSameAnswersEveryFrontEnd runs the same answer scripts through the
// engine, the Fyne form (driven as a person would, through its widgets)
// and `canvass decide`, and checks that they store the same answers and
// reach the same decision; then checks that every response `canvass demo`
// makes is what the engine makes of its answers.
func TestSameAnswersEveryFrontEnd(t *testing.T) {
	scripts := map[string]survey.Answers{
		"worked example: a grant": {
			"consent": "OK", "funding_title": "Befriending project", "value": "8000", "category": "light_touch",
			"c_spec": "organisation", "c_payment": "contribution", "c_innovation": "yes",
			"c_size": "small", "c_independence": "yes", "c_market": "one",
		},
		"home care over the threshold": {
			"consent": "OK", "funding_title": "Home care", "service_area": "adult_social_care", "value": "900000",
			"category": "light_touch", "c_spec": "council", "c_benefit": "duty", "c_payment": "per_unit",
			"c_market": "many", "c_enforce": "legal",
		},
		"direct payments": {"consent": "OK", "funding_title": "Direct payments", "g_personal": "yes"},
	}
	for name, script := range scripts {
		t.Run(name, func(t *testing.T) {
			gui := openDecisionTool(t)
			def, err := gui.st.Survey(context.Background(), "decision", 0)
			if err != nil {
				t.Fatal(err)
			}
			gui.submitWith(script)
			guiResp, guiD := gui.storedDecision()
			engResp, engD := engineRun(t, def, script)

			if g, e := withoutMetadata(def, guiResp.Answers), withoutMetadata(def, engResp.Answers); !maps.Equal(g, e) {
				t.Fatalf("stored answers differ:\n form   %v\n engine %v", g, e)
			}
			if guiResp.Status != survey.StatusComplete || engResp.Status != survey.StatusComplete {
				t.Fatalf("statuses: form %s, engine %s", guiResp.Status, engResp.Status)
			}
			sameDecision(t, guiD, *engD)
			sameDecision(t, guiD, cliDecision(t, script))
		})
	}

	t.Run("demo responses are the engine's", func(t *testing.T) {
		for _, id := range []string{"decision", "engagement", "sds"} {
			t.Run(id, func(t *testing.T) {
				db := filepath.Join(t.TempDir(), "demo.db")
				var out, errOut bytes.Buffer
				if code := cli.Run(context.Background(), []string{"demo", "--db", db, "--survey", id, "--responses", "120", "--seed", "11"},
					cli.Env{Stdout: &out, Stderr: &errOut}); code != 0 {
					t.Fatalf("demo: exit %d: %s", code, errOut.String())
				}
				ctx := context.Background()
				st, err := store.OpenReadOnly(ctx, db)
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				def, err := st.Survey(ctx, id, 0)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				err = st.EachResponse(ctx, survey.Filter{SurveyID: id}, func(r *survey.Response) error {
					n++
					sess, err := run.New(run.Config{Survey: def, Language: r.Language})
					if err != nil {
						return err
					}
					script := withoutMetadata(def, r.Answers)
					for _, q := range def.All() {
						if q.Type == survey.TypeCalculate {
							delete(script, q.Name) // the engine works them out
						}
					}
					if problems := sess.AnswerAll(script); len(problems) > 0 {
						t.Errorf("%s: the engine refuses demo answers: %v", r.ID, problems)
					}
					if got := withoutMetadata(def, sess.Answers()); !maps.Equal(got, withoutMetadata(def, r.Answers)) {
						t.Errorf("%s: demo stored %v, the engine makes %v", r.ID, r.Answers, got)
					}
					if r.Status == survey.StatusComplete {
						if !sess.CanSubmit() {
							t.Errorf("%s: complete, but the engine would not submit it", r.ID)
						}
						if def.Scoring != nil {
							var stored survey.Decision
							if err := json.Unmarshal(r.Result, &stored); err != nil {
								t.Fatalf("%s: result %s: %v", r.ID, r.Result, err)
							}
							d, err := def.DecideIn(r.Language, sess.Answers(), survey.DefaultThresholds(), *r.Submitted)
							if err != nil {
								t.Fatal(err)
							}
							sameDecision(t, stored, *d)
						}
					}
					return nil
				})
				if err != nil || n != 120 {
					t.Fatalf("read %d responses: %v", n, err)
				}
			})
		}
	})
}
