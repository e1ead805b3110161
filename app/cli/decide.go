package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"canvass/assets"
	"canvass/survey"
	"canvass/survey/run"
	"canvass/survey/userfile"
)

// decisionTemplate is the id of the built-in decision tool survey.
const decisionTemplate = "decision"

// runDecide answers the decision tool from a JSON file and prints the
// decision as JSON, with its explanation in words under "explanation" (the
// text the result screen shows), or with --text only that explanation. It
// needs no database: the survey is the built-in template and the thresholds
// are the defaults unless --thresholds names a file.
func runDecide(_ context.Context, env Env, args []string) error {
	fs := newFlags(env, "decide")
	answersPath := fs.String("answers", "", `JSON file of {"question": "answer"} ("-" for standard input); multi-select answers space-separated`)
	thresholdsPath := fs.String("thresholds", "", "JSON file of thresholds to use instead of the defaults (1 January 2026)")
	lang := fs.String("lang", "", "language of the labels and caveats (default: the survey's first)")
	asText := fs.Bool("text", false, "print the explanation in words instead of JSON")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	if *answersPath == "" {
		return usagef("--answers is required")
	}

	s, err := decisionSurvey()
	if err != nil {
		return err
	}
	th := survey.DefaultThresholds()
	if *thresholdsPath != "" {
		b, err := userfile.ReadFile(*thresholdsPath, maxDecideInput)
		if err != nil {
			return badInput(fmt.Errorf("read thresholds: %w", err))
		}
		if th, err = survey.ParseThresholds(b); err != nil {
			return badInput(fmt.Errorf("%s: %s", *thresholdsPath, oneLine(err)))
		}
	}
	raw, err := readInput(env, *answersPath)
	if err != nil {
		return badInput(fmt.Errorf("read answers: %w", err))
	}
	answers, err := parseAnswers(raw)
	if err != nil {
		return badInput(fmt.Errorf("%s: %w", *answersPath, err))
	}
	code := *lang
	if code == "" {
		code = s.DefaultLanguage()
	}
	d, err := run.Decide(s, code, answers, th, time.Now())
	if err != nil {
		if errors.As(err, new(*survey.AnswerError)) {
			return badInput(fmt.Errorf("%s: %s", *answersPath, oneLine(err)))
		}
		return err
	}
	explanation := d.Explain().Text()
	if *asText {
		_, err = io.WriteString(env.Stdout, explanation)
		return err
	}
	out, err := json.MarshalIndent(struct {
		*survey.Decision
		Explanation string `json:"explanation"`
	}{d, explanation}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode the decision: %w", err)
	}
	_, err = fmt.Fprintf(env.Stdout, "%s\n", out)
	return err
}

// decisionSurvey returns the built-in decision tool template.
func decisionSurvey() (*survey.Survey, error) {
	defs, err := assets.Templates()
	if err != nil {
		return nil, fmt.Errorf("load built-in templates: %w", err)
	}
	for _, s := range defs {
		if s.ID == decisionTemplate {
			return s, nil
		}
	}
	return nil, fmt.Errorf("the built-in template %q is missing", decisionTemplate)
}

// maxDecideInput is the most decide reads of answers or thresholds: a few
// kilobytes of JSON in practice.
const maxDecideInput = 1 << 20

// readInput reads the named file, or standard input for "-", refusing
// more than maxDecideInput bytes.
func readInput(env Env, path string) ([]byte, error) {
	if path == "-" {
		return userfile.ReadAll(env.Stdin, "standard input", maxDecideInput)
	}
	return userfile.ReadFile(path, maxDecideInput)
}

// parseAnswers reads a JSON object of answers. A value may be a string, a
// number, a list of choice names (joined with spaces) or null (blank).
func parseAnswers(b []byte) (survey.Answers, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf(`want a JSON object such as {"g_power": "yes", "value": 8000}: %w`, err)
	}
	if raw == nil {
		return nil, errors.New(`want a JSON object such as {"g_power": "yes", "value": 8000}, got null`)
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value: give one object of answers")
	}
	a := survey.Answers{}
	for name, v := range raw {
		s, err := answerText(v)
		if err != nil {
			return nil, fmt.Errorf("answer to %q: %w", name, err)
		}
		if s = strings.TrimSpace(s); s != "" {
			a[name] = s
		}
	}
	return a, nil
}

// answerText converts one decoded JSON value to the stored answer text.
func answerText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case []any:
		parts := make([]string, 0, len(v))
		for _, item := range v {
			s, ok := item.(string)
			if !ok {
				return "", fmt.Errorf("a list must hold choice names as strings, got %v", item)
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " "), nil
	default:
		return "", fmt.Errorf("write it as a string or a number, not %v", v)
	}
}

// oneLine joins the lines of a multi-problem error with "; ".
func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}
