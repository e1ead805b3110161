package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"canvass/survey"
)

func TestAnswerUnpacker(t *testing.T) {
	tests := []struct {
		name string
		obj  string
		want survey.Answers
	}{
		{"NULL", "", survey.Answers{}},
		{"empty object", "{}", survey.Answers{}},
		{"one", `{"visit":"yes"}`, survey.Answers{"visit": "yes"}},
		{"several", `{"a":"1","b":"two words","c":""}`, survey.Answers{"a": "1", "b": "two words", "c": ""}},
		{"short escapes", `{"q":"\"\\\/\b\f\n\r\t"}`, survey.Answers{"q": "\"\\/\b\f\n\r\t"}},
		{"unicode escapes", `{"q\u00e9":"\u0000\u001f\u00E9\u20ac"}`, survey.Answers{"qé": "\x00\x1fé€"}},
		{"surrogate pair", `{"q":"\ud834\udd1e!"}`, survey.Answers{"q": "𝄞!"}},
		{"lone surrogates", `{"q":"\ud834x\udd1e"}`, survey.Answers{"q": "\uFFFDx\uFFFD"}},
		{"high surrogate then a non-surrogate", `{"q":"\ud834\u0041"}`, survey.Answers{"q": "\uFFFDA"}},
		{"raw non-ASCII and invalid UTF-8", "{\"q\":\"caf\xc3\xa9 \xff\"}", survey.Answers{"q": "caf\xc3\xa9 \xff"}},
		{"escape next to raw bytes", "{\"q\":\"\xff\\n\xfe\"}", survey.Answers{"q": "\xff\n\xfe"}},
		{"JSON inside a value", `{"q":"{\"a\":\"b\"}"}`, survey.Answers{"q": `{"a":"b"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := survey.Answers{}
			if err := newAnswerUnpacker().unpack(tt.obj, got); err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("unpack(%q) = %q, want %q", tt.obj, got, tt.want)
			}
		})
	}
}

func TestAnswerUnpackerRefusesMalformed(t *testing.T) {
	for _, obj := range []string{
		"[]", `"a"`, "{", `{"a"}`, `{"a":}`, `{"a":"b"`, `{"a":"b",}`, `{"a":"b"}x`, `{"a":"b" }`,
		`{"a":1}`, `{"a":null}`, `{a:"b"}`, `{"a":"b\"}`, `{"a":"b\`, `{"a":"\x"}`, `{"a":"\u12"}`,
		`{"a":"\u12g4"}`, `{"a":"b";"c":"d"}`, `{"a":"b","c"}`, "{\"a\":\"b\"}\x00",
	} {
		t.Run(obj, func(t *testing.T) {
			err := newAnswerUnpacker().unpack(obj, survey.Answers{})
			if !errors.Is(err, errBadAnswersObject) {
				t.Errorf("unpack(%q) = %v, want errBadAnswersObject", obj, err)
			}
		})
	}
}

// TestAnswerUnpackerCopies checks that no stored string points into the
// object (a kept value must not keep a whole response's text alive) and
// that repeated names and choice values are shared between responses.
func TestAnswerUnpackerCopies(t *testing.T) {
	u := newAnswerUnpacker()
	inside := func(s, obj string) bool {
		p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(obj)))
		return len(s) > 0 && p >= start && p < start+uintptr(len(obj))
	}
	var first survey.Answers
	for i := range 3 {
		obj := fmt.Sprintf(`{"colour":"red","note":"free text %d","long":"%s"}`, i, strings.Repeat("x", maxValueLen+1))
		got := survey.Answers{}
		if err := u.unpack(obj, got); err != nil {
			t.Fatal(err)
		}
		for q, v := range got {
			if inside(q, obj) || inside(v, obj) {
				t.Errorf("answer %q = %q shares memory with the object", q, v)
			}
		}
		if i == 0 {
			first = got
			continue
		}
		for q := range got {
			if kq := keyOf(first, q); unsafe.StringData(kq) != unsafe.StringData(keyOf(got, q)) {
				t.Errorf("question name %q is not shared", q)
			}
		}
		if unsafe.StringData(got["colour"]) != unsafe.StringData(first["colour"]) {
			t.Error("the repeated value of colour is not shared")
		}
		if unsafe.StringData(got["long"]) == unsafe.StringData(first["long"]) {
			t.Error("a value longer than maxValueLen is shared")
		}
	}
}

// keyOf returns m's own copy of the key k.
func keyOf(m survey.Answers, k string) string {
	for key := range m {
		if key == k {
			return key
		}
	}
	return ""
}

// TestAnswerUnpackerIsBounded checks that what an unpacker keeps stays
// within its limits however many distinct names and values it sees.
func TestAnswerUnpackerIsBounded(t *testing.T) {
	u := newAnswerUnpacker()
	for i := range 3 * maxNames {
		obj := fmt.Sprintf(`{"q%d":"v","free":"text %d","choice":"c%d"}`, i, i, i%(maxValues/2))
		got := survey.Answers{}
		if err := u.unpack(obj, got); err != nil {
			t.Fatal(err)
		}
		if want := (survey.Answers{fmt.Sprint("q", i): "v", "free": fmt.Sprint("text ", i), "choice": fmt.Sprint("c", i%(maxValues/2))}); !maps.Equal(got, want) {
			t.Fatalf("unpack(%s) = %q, want %q", obj, got, want)
		}
	}
	if len(u.names) > maxNames || len(u.values) > maxNames {
		t.Errorf("kept %d names and values of %d questions, want at most %d", len(u.names), len(u.values), maxNames)
	}
	for q, kept := range u.values {
		if len(kept) > maxValues {
			t.Errorf("kept %d values of %q, want at most %d", len(kept), q, maxValues)
		}
	}
	if u.values["free"] != nil {
		t.Errorf("still keeping %d values of a free-text question", len(u.values["free"]))
	}
	if len(u.values["choice"]) != maxValues/2 {
		t.Errorf("kept %d values of a choice question with %d, want all", len(u.values["choice"]), maxValues/2)
	}
}

// FuzzAnswerUnpacker checks that unpack never panics, and that it reads
// back what encoding/json writes (which escapes more than SQLite does).
func FuzzAnswerUnpacker(f *testing.F) {
	f.Add("visit", "yes", `{"visit":"yes"}`)
	f.Add(`q"`, "a\\b\nc<&>\u2028", `{"a":"\ud834\udd1e"}`)
	f.Add("", "\x00", "{\"a\":\"\xff\"}")
	f.Fuzz(func(t *testing.T, q, v, obj string) {
		_ = newAnswerUnpacker().unpack(obj, survey.Answers{}) // must not panic
		if !utf8.ValidString(q) || !utf8.ValidString(v) {
			return // encoding/json would replace the bad bytes
		}
		want := survey.Answers{q: v, q + "2": v + v}
		b, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		got := survey.Answers{}
		if err := newAnswerUnpacker().unpack(string(b), got); err != nil {
			t.Fatalf("unpack(%s): %v", b, err)
		}
		if !maps.Equal(got, want) {
			t.Errorf("unpack(%s) = %q, want %q", b, got, want)
		}
	})
}
