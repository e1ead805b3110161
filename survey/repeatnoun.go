package survey

import (
	"strconv"
	"strings"
)

// CountItems writes n instances of the repeat with its Item noun, for the
// staff's figures: "1 person", "7 people", "3 services", "2 support
// workers". Only English plurals are known, so ok is false when lang is
// not English or the repeat has no English Item: callers then say it
// another way.
func (r *Repeat) CountItems(n int, lang string) (phrase string, ok bool) {
	if r == nil || !(lang == "en" || strings.HasPrefix(lang, "en-") || strings.HasPrefix(lang, "en_")) {
		return "", false
	}
	item := strings.TrimSpace(r.Item[lang])
	for _, l := range []string{"", "en"} {
		if item == "" {
			item = strings.TrimSpace(r.Item[l])
		}
	}
	if item == "" {
		return "", false
	}
	if n != 1 {
		item = englishPlural(item)
	}
	return strconv.Itoa(n) + " " + item, true
}

// CountIn writes n instances of the repeat for the staff's figures: with
// its English noun as CountItems does ("1 person", "7 people"), else by
// label, the repeat's label as the caller shows it ("1 entry in “Household
// member”", "7 entries in “Household member”").
func (r *Repeat) CountIn(n int, lang, label string) string {
	if phrase, ok := r.CountItems(n, lang); ok {
		return phrase
	}
	if n == 1 {
		return "1 entry in “" + label + "”"
	}
	return strconv.Itoa(n) + " entries in “" + label + "”"
}

// englishPluralIrregular are the nouns of the forms' repeats whose English
// plural takes no -s.
var englishPluralIrregular = map[string]string{
	"person": "people", "child": "children", "man": "men", "woman": "women",
	"grandchild": "grandchildren", "staff": "staff", "sheep": "sheep",
}

// englishPlural makes the last word of an English noun phrase plural.
func englishPlural(s string) string {
	i := strings.LastIndexAny(s, " -") + 1
	head, word := s[:i], s[i:]
	lower := strings.ToLower(word)
	if p, ok := englishPluralIrregular[lower]; ok {
		if word != lower && len(word) > 0 && len(p) > 0 { // keep a capital
			p = strings.ToUpper(p[:1]) + p[1:]
		}
		return head + p
	}
	switch {
	case len(lower) > 1 && strings.HasSuffix(lower, "y") && !strings.ContainsRune("aeiou", rune(lower[len(lower)-2])):
		return head + word[:len(word)-1] + "ies"
	case strings.HasSuffix(lower, "s"), strings.HasSuffix(lower, "x"), strings.HasSuffix(lower, "z"),
		strings.HasSuffix(lower, "ch"), strings.HasSuffix(lower, "sh"):
		return head + word + "es"
	}
	return head + word + "s"
}
