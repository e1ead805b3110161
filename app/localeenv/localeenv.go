// Package localeenv makes a C or POSIX locale read as English before Fyne
// reads the locale.
//
// Fyne's lang package parses the user's locale while the program starts and
// logs "Fyne error: Error parsing user locale C" to stderr for a locale such
// as C.UTF-8, which is what servers, containers and scripts run under. That
// line is noise to anyone who reads stderr. This package runs first (it
// imports nothing but the standard library, and Go initialises such a package
// before Fyne) and, only when the locale is a C or POSIX one, sets LANGUAGE
// so that the locale reads as English, which is what the C locale means.
// Real locales (en_GB.UTF-8, cy_GB, …) are left untouched.
package localeenv

import (
	"os"
	"strings"
)

func init() {
	if value, ok := Language(os.Getenv); ok {
		os.Setenv("LANGUAGE", value) //nolint:errcheck // a failed Setenv only leaves the noise
	}
}

// Language returns the value LANGUAGE needs so that the locale reads as
// English, and false when the environment needs no change. It follows the
// gettext order Fyne uses: the first of LC_ALL, LC_MESSAGES and LANG that is
// set, then LANGUAGE unless that first one is exactly C or POSIX.
func Language(getenv func(string) string) (string, bool) {
	var locale string
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = getenv(name); locale != "" {
			break
		}
	}
	if locale == "C" || locale == "POSIX" {
		return "", false // read as "no locale": Fyne falls back to English by itself
	}
	var entries []string
	if language := getenv("LANGUAGE"); language != "" {
		entries = strings.Split(language, ":")
	} else if locale != "" {
		entries = []string{locale}
	}
	var kept []string
	for _, e := range entries {
		if e != "" && !isCLocale(e) {
			kept = append(kept, e)
		}
	}
	if len(kept) == len(entries) {
		return "", false
	}
	if len(kept) == 0 {
		return "en", true
	}
	return strings.Join(kept, ":"), true
}

// isCLocale reports whether a locale name is C or POSIX, with or without a
// codeset or modifier (C.UTF-8, POSIX@euro).
func isCLocale(name string) bool {
	base, _, _ := strings.Cut(name, "@")
	base, _, _ = strings.Cut(base, ".")
	return base == "C" || base == "POSIX"
}
