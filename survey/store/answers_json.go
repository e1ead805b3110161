package store

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"canvass/survey"
)

// answersObjectSQL is a correlated subquery that gives all the answers of
// the response r as one JSON object of strings, {"question":"value",…}, so
// that EachResponse reads one row per response rather than one per answer:
// every column read through the driver costs far more than SQLite building
// the object. The casts keep a value that is somehow stored as a blob
// readable instead of failing the whole query. A response without answers
// gives {}.
const answersObjectSQL = `(SELECT json_group_object(CAST(a.question AS TEXT), CAST(a.value AS TEXT))
	FROM answers a WHERE a.response_id = r.id)`

// errBadAnswersObject reports answers that are not the JSON object
// answersObjectSQL makes.
var errBadAnswersObject = errors.New("answers are not a JSON object of strings")

// answerUnpacker turns answersObjectSQL's objects into survey.Answers. It
// keeps one copy of each question name, and of each value of a question
// that has few distinct values (choices, ratings, yes/no), so that a
// stream of responses shares them instead of allocating them again for
// every response. What it keeps is bounded by maxNames, maxValues and
// maxValueLen, however many responses it unpacks.
type answerUnpacker struct {
	names  map[string]string
	values map[string]map[string]string // by kept question name; nil once it has too many
}

const (
	// maxNames bounds the question names an unpacker keeps.
	maxNames = 1024
	// maxValues bounds the distinct values kept per question: past it the
	// question is taken for free text or numbers, and its values are copied.
	maxValues = 64
	// maxValueLen bounds the length of a value worth keeping.
	maxValueLen = 64
)

func newAnswerUnpacker() *answerUnpacker {
	return &answerUnpacker{names: map[string]string{}, values: map[string]map[string]string{}}
}

// unpack adds the answers of a JSON object of strings to into. The strings
// it stores never share memory with obj, so that a caller keeping one
// value does not keep the whole object alive. An empty obj (SQL NULL) is
// no answers.
func (u *answerUnpacker) unpack(obj string, into survey.Answers) error {
	if obj == "" {
		return nil
	}
	rest, ok := strings.CutPrefix(obj, "{")
	if !ok {
		return fmt.Errorf("%w: it starts with %q", errBadAnswersObject, obj[:1])
	}
	if rest == "}" {
		return nil
	}
	for {
		q, after, err := cutJSONString(rest)
		if err != nil {
			return err
		}
		if after, ok = strings.CutPrefix(after, ":"); !ok {
			return fmt.Errorf("%w: no ':' after question %q", errBadAnswersObject, q)
		}
		v, after, err := cutJSONString(after)
		if err != nil {
			return fmt.Errorf("question %q: %w", q, err)
		}
		q = u.name(q)
		into[q] = u.value(q, v)
		switch {
		case after == "}":
			return nil
		case strings.HasPrefix(after, ","):
			rest = after[1:]
		default:
			return fmt.Errorf("%w: unexpected text after question %q", errBadAnswersObject, q)
		}
	}
}

// name returns the kept copy of a question name, keeping it if there is room.
func (u *answerUnpacker) name(q string) string {
	if kept, ok := u.names[q]; ok {
		return kept
	}
	q = strings.Clone(q)
	if len(u.names) < maxNames {
		u.names[q] = q
	}
	return q
}

// value returns the kept copy of a value of question q (as name returned
// it), keeping it if there is room, or else a fresh copy.
func (u *answerUnpacker) value(q, v string) string {
	kept, seen := u.values[q]
	if seen && kept == nil || len(v) > maxValueLen {
		return strings.Clone(v)
	}
	if k, ok := kept[v]; ok {
		return k
	}
	v = strings.Clone(v)
	switch {
	case !seen:
		if _, named := u.names[q]; named { // so that values has no more keys than names
			u.values[q] = map[string]string{v: v}
		}
	case len(kept) < maxValues:
		kept[v] = v
	default:
		u.values[q] = nil // too many values: stop keeping them
	}
	return v
}

// cutJSONString reads the JSON string at the start of s, returning its
// text and what follows it. Text without escapes is a substring of s;
// bytes that are not valid UTF-8 are kept as they are, as SQLite stores them.
func cutJSONString(s string) (text, rest string, err error) {
	if !strings.HasPrefix(s, `"`) {
		return "", "", fmt.Errorf("%w: a string was expected", errBadAnswersObject)
	}
	escaped := false
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			escaped = true
			i++ // the escaped byte cannot end the string
		case '"':
			if !escaped {
				return s[1:i], s[i+1:], nil
			}
			text, err := unescapeJSON(s[1:i])
			return text, s[i+1:], err
		}
	}
	return "", "", fmt.Errorf("%w: a string does not end", errBadAnswersObject)
}

// unescapeJSON decodes the escapes of the inside of a JSON string.
func unescapeJSON(s string) (string, error) {
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		i := strings.IndexByte(s, '\\')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		if len(s) < 2 {
			return "", fmt.Errorf("%w: a string ends in a lone backslash", errBadAnswersObject)
		}
		switch c := s[1]; c {
		case '"', '\\', '/':
			b.WriteByte(c)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := hex4(s[2:])
			if !ok {
				return "", fmt.Errorf("%w: bad \\u escape", errBadAnswersObject)
			}
			s = s[6:]
			if utf16.IsSurrogate(r) {
				if low, ok := hex4(strings.TrimPrefix(s, `\u`)); ok && strings.HasPrefix(s, `\u`) {
					if pair := utf16.DecodeRune(r, low); pair != utf8.RuneError {
						r = pair
						s = s[6:]
					}
				}
			}
			b.WriteRune(r) // a lone surrogate becomes U+FFFD, as encoding/json does
			continue
		default:
			return "", fmt.Errorf("%w: unknown escape \\%c", errBadAnswersObject, c)
		}
		s = s[2:]
	}
	return b.String(), nil
}

// hex4 reads four hexadecimal digits at the start of s.
func hex4(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[:4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
