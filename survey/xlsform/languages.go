package xlsform

import (
	"regexp"
	"strings"

	"canvass/survey"
)

// readLanguages finds the languages of the form: the text columns'
// suffixes, with the default language (settings, else English) first. Text
// columns without a suffix hold the default language.
func (im *importer) readLanguages(settings *table) {
	type lang struct{ code, name string }
	var seen []lang
	index := map[string]int{}
	addLang := func(code, name string) {
		if i, ok := index[code]; ok {
			if seen[i].name == "" {
				seen[i].name = name
			}
			return
		}
		index[code] = len(seen)
		seen = append(seen, lang{code, name})
	}
	plain := false
	warned := map[string]bool{}
	for _, name := range []string{SheetSettings, SheetSurvey, SheetChoices, SheetScoring} {
		t := im.wb.tables[name]
		if t == nil {
			continue
		}
		for _, c := range t.cols {
			if !textColumns[name][c.key] {
				continue
			}
			if c.suffix == "" {
				plain = plain || columnUsed(t, c)
				continue
			}
			code, lname, ok := parseLanguage(c.suffix)
			if !ok {
				im.rep.at(Error, t, t.header, c,
					"cannot tell the language of column %q: write it with the language code, as in %s::English (en)", c.header, c.key)
				continue
			}
			if strings.HasPrefix(code, privateCode) && !warned[code] {
				warned[code] = true
				im.rep.at(Warning, t, t.header, c, "the language %q has no language code: it was kept as %q (write %s::%s (xx) with its code to name it for other tools)", lname, code, c.key, lname)
			}
			c.lang = code
			addLang(code, lname)
		}
	}

	defCode, defName := "", ""
	if settings != nil && len(settings.rows) > 0 {
		if c := settings.find(colDefaultLanguage); c != nil {
			if v := settings.rows[0].cell(c); v != "" {
				code, name, ok := parseLanguage(v)
				if !ok {
					im.rep.at(Error, settings, settings.rows[0].num, c,
						"cannot tell the language %q: write it as in the column headers, for example English (en)", v)
				} else {
					defCode, defName = code, name
				}
			}
		}
	}
	switch {
	case defCode != "":
	case plain || len(seen) == 0:
		defCode = "en"
		if _, hasEnglish := index["en"]; plain && len(seen) > 0 && !hasEnglish {
			if t := im.wb.tables[SheetSurvey]; t != nil {
				im.rep.at(Warning, t, t.header, t.find(colLabel),
					"labels without a language are taken as English (en): set default_language on the settings sheet if they are not")
			}
		}
	default:
		defCode = seen[0].code
	}
	if i, ok := index[defCode]; ok {
		if defName != "" && seen[i].name == "" {
			seen[i].name = defName
		}
		d := seen[i]
		seen = append(append([]lang{d}, seen[:i]...), seen[i+1:]...)
	} else {
		if defName == "" {
			defName = knownLanguages[defCode]
		}
		seen = append([]lang{{defCode, defName}}, seen...)
	}
	for _, l := range seen {
		im.langs = append(im.langs, survey.Language{Code: l.code, Name: l.name})
	}
	for _, t := range im.wb.tables {
		for _, c := range t.cols {
			if textColumns[t.canonical][c.key] && c.suffix == "" {
				c.lang = defCode
			}
		}
	}
}

// columnUsed reports whether any row has a value in c.
func columnUsed(t *table, c *column) bool {
	for _, r := range t.rows {
		if r.cell(c) != "" {
			return true
		}
	}
	return false
}

// text reads a multi-language text column of a row. A column with a
// language suffix wins over the plain column of the same language.
func (im *importer) text(t *table, r row, key string) survey.Text {
	var out survey.Text
	for _, c := range t.texts(key) {
		if c.lang == "" {
			continue
		}
		v := r.cell(c)
		if v == "" {
			continue
		}
		if _, have := out[c.lang]; have && c.suffix == "" {
			continue
		}
		if out == nil {
			out = survey.Text{}
		}
		out[c.lang] = v
	}
	return out
}

// Language column suffixes: "English (en)", "en", "English".
var (
	namedCodeRe = regexp.MustCompile(`^(.*?)\s*\(\s*((?:[A-Za-z]{2,3}|x)(?:-[A-Za-z0-9]{1,8})*)\s*\)$`)
	codeRe      = regexp.MustCompile(`^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$`)
)

// knownLanguages maps language codes to their own names, for suffixes that
// give only a name or only a code.
var knownLanguages = map[string]string{
	"en": "English", "cy": "Cymraeg", "gd": "Gàidhlig", "ga": "Gaeilge",
	"fr": "Français", "de": "Deutsch", "es": "Español", "it": "Italiano",
	"pt": "Português", "pl": "Polski", "ro": "Română", "lt": "Lietuvių",
	"tr": "Türkçe", "ar": "العربية", "ur": "اردو", "bn": "বাংলা",
	"pa": "ਪੰਜਾਬੀ", "gu": "ગુજરાતી", "so": "Soomaali", "zh": "中文",
	"sw": "Kiswahili", "ha": "Hausa", "yo": "Yorùbá", "ig": "Igbo", "am": "አማርኛ",
	"hi": "हिन्दी", "ne": "नेपाली", "ru": "Русский", "uk": "Українська", "fa": "فارسی",
	"ps": "پښتو", "id": "Bahasa Indonesia", "ms": "Bahasa Melayu", "vi": "Tiếng Việt",
	"th": "ไทย", "my": "မြန်မာ", "km": "ខ្មែរ", "tl": "Tagalog", "rw": "Kinyarwanda",
	"lg": "Luganda", "ny": "Chichewa", "zu": "isiZulu", "xh": "isiXhosa", "af": "Afrikaans",
	"sn": "chiShona", "om": "Oromoo", "ti": "ትግርኛ", "mg": "Malagasy", "ln": "Lingála",
	"wo": "Wolof", "ff": "Fulfulde", "ht": "Kreyòl ayisyen", "nl": "Nederlands",
}

// languageNames maps language names in English (lower case) to codes.
var languageNames = map[string]string{
	"english": "en", "welsh": "cy", "gaelic": "gd", "scottish gaelic": "gd",
	"irish": "ga", "french": "fr", "german": "de", "spanish": "es",
	"italian": "it", "portuguese": "pt", "polish": "pl", "romanian": "ro",
	"lithuanian": "lt", "turkish": "tr", "arabic": "ar", "urdu": "ur",
	"bengali": "bn", "punjabi": "pa", "gujarati": "gu", "somali": "so",
	"chinese": "zh", "swahili": "sw", "kiswahili": "sw", "hausa": "ha", "yoruba": "yo",
	"igbo": "ig", "amharic": "am", "hindi": "hi", "nepali": "ne", "russian": "ru",
	"ukrainian": "uk", "persian": "fa", "farsi": "fa", "dari": "prs", "pashto": "ps",
	"indonesian": "id", "malay": "ms", "vietnamese": "vi", "thai": "th", "burmese": "my",
	"khmer": "km", "tagalog": "tl", "filipino": "fil", "kinyarwanda": "rw", "luganda": "lg",
	"chichewa": "ny", "zulu": "zu", "xhosa": "xh", "afrikaans": "af", "shona": "sn",
	"oromo": "om", "tigrinya": "ti", "malagasy": "mg", "lingala": "ln", "wolof": "wo",
	"fulfulde": "ff", "haitian creole": "ht", "creole": "ht", "dutch": "nl", "mandarin": "zh",
}

// parseLanguage reads a language as written after "::" or in the settings'
// default_language: "English (en)", "en" or "English". A bare code gets
// the language's own name when Canvass knows it. ok is false when no code
// can be found.
func parseLanguage(s string) (code, name string, ok bool) {
	s = strings.TrimSpace(s)
	if m := namedCodeRe.FindStringSubmatch(s); m != nil {
		// "(en)" alone is how Export writes a language that has no name.
		return strings.ToLower(m[2]), strings.TrimSpace(m[1]), true
	}
	if code, ok := languageNames[strings.ToLower(s)]; ok {
		return code, s, true
	}
	for c, n := range knownLanguages {
		if strings.EqualFold(n, s) {
			return c, n, true
		}
	}
	if codeRe.MatchString(s) && (len(s) <= 3 || strings.Contains(s, "-")) {
		code = strings.ToLower(s)
		return code, knownLanguages[code], true
	}
	// Any other name is a language too (pyxform needs no code): "Igbo",
	// "Local language". It gets a private-use code made from the name.
	if c := privateLanguageCode(s); c != "" {
		return c, s, true
	}
	return "", "", false
}

// privateCode starts the BCP 47 private-use codes given to languages
// named without a code.
const privateCode = "x-"

// privateLanguageCode makes a private-use code from a language name:
// "Local language" → "x-local-language".
func privateLanguageCode(name string) string {
	var parts []string
	for _, f := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !(r < 128 && (isLetter(byte(r)) || isDigit(byte(r))))
	}) {
		parts = append(parts, f[:min(len(f), 8)]) // BCP 47 subtags are 1–8 characters
	}
	if len(parts) == 0 {
		return ""
	}
	return privateCode + strings.Join(parts, "-")
}

// languageSuffix writes a language as a column suffix: "English (en)", or
// "(en)" when the language has no name.
func languageSuffix(code, name string) string {
	if name == "" {
		return "(" + code + ")"
	}
	return name + " (" + code + ")"
}
