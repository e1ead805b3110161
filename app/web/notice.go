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

// PersonalQuestions lists the survey's questions marked as holding
// personal data, by their labels in the survey's default language (or
// their names when they have none).
func PersonalQuestions(def *survey.Survey) []string {
	var out []string
	for _, q := range def.All() {
		if !q.Personal {
			continue
		}
		label := strings.TrimSpace(q.Label.In(def.DefaultLanguage(), ""))
		if label == "" {
			label = q.Name
		}
		out = append(out, "“"+label+"”")
	}
	return out
}

// NoNetwork is what staff read when the laptop has no network phones could
// join, so the URL names the laptop itself.
const NoNetwork = "This laptop is on no Wi-Fi network, so phones cannot reach it yet: switch on its hotspot, then Stop and Start again."
