package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"canvass/survey"
)

// writeFile writes content to a file in a fresh temporary folder.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDecide(t *testing.T) {
	tests := []struct {
		name       string
		answers    string
		thresholds string // file content, "" for the defaults
		outcome    string
		confidence string
		check      func(t *testing.T, d survey.Decision)
	}{
		{
			name:    "home care over the light-touch threshold",
			answers: `{"value": 900000, "category": "light_touch", "c_spec": "council", "c_benefit": "duty", "c_payment": "per_unit", "c_market": "many", "c_enforce": "legal"}`,
			outcome: "regulated_procurement", confidence: "medium",
			check: func(t *testing.T, d survey.Decision) {
				if d.Score != 1 || d.Thresholds.Effective != "2026-01-01" || d.Thresholds.Amount == nil || *d.Thresholds.Amount != 663540 {
					t.Errorf("score %v thresholds %+v", d.Score, d.Thresholds)
				}
				if len(d.Drivers) == 0 || d.Drivers[0].Rule != "regulated" {
					t.Errorf("drivers %+v", d.Drivers)
				}
			},
		},
		{
			name:    "direct payments",
			answers: `{"g_personal": "yes"}`,
			outcome: "neither", confidence: "high",
		},
		{
			name:    "residents' group, with nulls and a list",
			answers: `{"g_power": null, "c_spec": "organisation", "c_payment": "contribution", "c_innovation": "yes", "c_size": "small", "c_independence": "yes", "c_market": ["one"]}`,
			outcome: "grant", confidence: "medium",
			check: func(t *testing.T, d survey.Decision) {
				if d.Score != -1 || d.Answered != 6 || d.Criteria != 14 {
					t.Errorf("S=%v answered %d/%d", d.Score, d.Answered, d.Criteria)
				}
			},
		},
		{
			name:       "thresholds from a file",
			answers:    `{"g_function": "yes", "value": "207720", "category": "goods_services"}`,
			thresholds: mustJSON(survey.Thresholds2024()),
			outcome:    "procurement", confidence: "high",
			check: func(t *testing.T, d survey.Decision) {
				if d.Thresholds.Effective != "2024-01-01" || *d.Thresholds.Amount != 214904 {
					t.Errorf("thresholds %+v", d.Thresholds)
				}
				if len(d.Caveats) != 1 || !strings.Contains(d.Caveats[0], "below threshold but notifiable") {
					t.Errorf("caveats %q", d.Caveats)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"decide", "--answers", writeFile(t, "answers.json", tt.answers)}
			if tt.thresholds != "" {
				args = append(args, "--thresholds", writeFile(t, "thresholds.json", tt.thresholds))
			}
			code, out, errOut := runCLI(t, "", args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			var d survey.Decision
			if err := json.Unmarshal([]byte(out), &d); err != nil {
				t.Fatalf("stdout is not a decision: %v\n%s", err, out)
			}
			if d.Outcome != tt.outcome || d.Confidence != tt.confidence {
				t.Errorf("got %s/%s, want %s/%s", d.Outcome, d.Confidence, tt.outcome, tt.confidence)
			}
			for _, key := range []string{`"outcome"`, `"confidence"`, `"score"`, `"drivers"`, `"rules"`, `"caveats"`, `"thresholds"`} {
				if !strings.Contains(out, key) {
					t.Errorf("output lacks %s", key)
				}
			}
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}

	t.Run("the explanation in words, in the JSON and alone", func(t *testing.T) {
		answers := writeFile(t, "answers.json", `{"value": 120000, "category": "light_touch", "c_spec": "organisation", "c_payment": "contribution", "c_risk": "shared", "c_market": "few"}`)
		code, out, errOut := runCLI(t, "", "decide", "--answers", answers)
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		var rec struct {
			survey.Decision
			Explanation string `json:"explanation"`
		}
		if err := json.Unmarshal([]byte(out), &rec); err != nil {
			t.Fatal(err)
		}
		if want := rec.Decision.Explain().Text(); rec.Explanation != want {
			t.Errorf("explanation in the JSON:\n%s\nwant the record's:\n%s", rec.Explanation, want)
		}
		code, text, errOut := runCLI(t, "", "decide", "--answers", answers, "--text")
		if code != 0 {
			t.Fatalf("--text: exit %d, stderr %q", code, errOut)
		}
		for _, want := range []string{"Recommendation: Grant, with medium confidence.\n", "\nWhat points to a grant\n• Strong: ",
			"£120,000 is below the procurement threshold of £663,540 for social, education or other light-touch services, in force from 1 January 2026.",
			"\nHow the score is worked out\n"} {
			if !strings.Contains(text, want) {
				t.Errorf("--text lacks %q:\n%s", want, text)
			}
		}
		// Apart from the moment it was made, the text is the JSON's.
		cut := func(s string) string {
			if i := strings.Index(s, "Decided on"); i >= 0 {
				return s[:i]
			}
			return s
		}
		if cut(text) != cut(rec.Explanation) || strings.HasPrefix(text, "{") {
			t.Errorf("--text differs from the JSON's explanation:\n%s", text)
		}
	})

	t.Run("answers from standard input", func(t *testing.T) {
		code, out, errOut := runCLI(t, `{"g_personal": "yes"}`, "decide", "--answers", "-")
		if code != 0 || !strings.Contains(out, `"outcome": "neither"`) {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
}

func TestDecideBadInput(t *testing.T) {
	tests := []struct {
		name       string
		answers    string // file content; "" means no --answers flag
		thresholds string
		args       []string
		want       string // in stderr
	}{
		{name: "unknown question", answers: `{"c_colour": "blue"}`, want: `"c_colour": the survey has no such question`},
		// The decision tool has no repeat: an instance key says where the question really is.
		{name: "instance key of a plain question", answers: `{"streams[2]/value": "5"}`, want: `"streams[2]/value": answer key "streams[2]/value": value lies in no repeat`},
		{name: "damaged instance key", answers: `{"streams[0]/value": "5"}`, want: `instance "0" of streams is not a number from 1 to 9999`},
		{name: "unknown choice", answers: `{"c_spec": "mayor"}`, want: `"c_spec": not one of the choices`},
		{name: "non-numeric value", answers: `{"value": "lots"}`, want: `"value": not a number`},
		{name: "negative value", answers: `{"value": -5}`, want: `"value": Enter an amount of zero or more`},
		{name: "two problems on one line", answers: `{"value": "x", "c_spec": "y"}`, want: `not a number; answer`},
		{name: "not JSON", answers: `g_power=yes`, want: "want a JSON object"},
		{name: "JSON array", answers: `["yes"]`, want: "want a JSON object"},
		{name: "an object as a value", answers: `{"value": {"amount": 1}}`, want: `answer to "value": write it as a string or a number`},
		{name: "invalid thresholds", answers: `{}`, thresholds: `{"effective": "2026-01-01", "source": "s", "amounts": {"works": -1}}`, want: "not above zero"},
		{name: "missing answers flag", args: []string{"decide"}, want: "--answers is required"},
		{name: "missing answers file", args: []string{"decide", "--answers", "/nonexistent/answers.json"}, want: "read answers"},
		{name: "stray argument", answers: `{}`, args: []string{"extra"}, want: `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if tt.answers != "" {
				args = append([]string{"decide", "--answers", writeFile(t, "answers.json", tt.answers)}, args...)
			}
			if tt.thresholds != "" {
				args = append(args, "--thresholds", writeFile(t, "thresholds.json", tt.thresholds))
			}
			code, out, errOut := runCLI(t, "", args...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, errOut)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q, want %q", errOut, tt.want)
			}
			if first := strings.SplitN(errOut, "\n", 2)[0]; !strings.HasPrefix(first, "canvass decide: ") {
				t.Errorf("first line %q does not name the command", first)
			}
		})
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
