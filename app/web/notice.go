package web

import (
	"strings"

	"canvass/survey"
)

// Notice is what staff must read before switching web answering on: plain
// HTTP on a shared network exposes answers, so use the laptop's own
// password-protected hotspot; and, when the survey asks for personal data,
// which questions those are.
func Notice(def *survey.Survey) []string {
	out := []string{
		"Answers travel over the Wi-Fi unencrypted (plain HTTP): anyone on the same network could read them.",
		"Use the laptop's own hotspot with a password (WPA2 or better), not the venue's open or shared Wi-Fi.",
	}
	if names := PersonalQuestions(def); len(names) > 0 {
		out = append(out, "This survey asks for personal data ("+strings.Join(names, ", ")+"): only serve it on the laptop's own password-protected hotspot.")
	}
	return out
}

// PersonalQuestions lists the names of the survey's questions marked as
// holding personal data.
func PersonalQuestions(def *survey.Survey) []string {
	var out []string
	for _, q := range def.All() {
		if q.Personal {
			out = append(out, q.Name)
		}
	}
	return out
}
