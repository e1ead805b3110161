package app_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"canvass/assets"
)

// TestEveryUIStringIsTranslatable checks that every literal passed to
// lang.L / lang.X in the app's sources is a key of the English file, so a
// second language can be added by translating that one file.
func TestEveryUIStringIsTranslatable(t *testing.T) {
	raw, err := assets.Translations.ReadFile(assets.TranslationsDir + "/en.json")
	if err != nil {
		t.Fatalf("read en.json: %v", err)
	}
	var en map[string]string
	if err := json.Unmarshal(raw, &en); err != nil {
		t.Fatalf("en.json is not a JSON object of strings: %v", err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	respondentFiles, err := filepath.Glob("respondent/*.go") // the respondent screens' strings are in the same file
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, respondentFiles...)
	missing := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || pkg.Name != "lang" {
				return true
			}
			arg := 0
			switch sel.Sel.Name {
			case "L", "Localize", "N", "LocalizePlural":
			case "X", "LocalizeKey", "XN", "LocalizePluralKey":
				arg = 0 // the key
			default:
				return true
			}
			lit, ok := call.Args[arg].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			if _, ok := en[s]; !ok {
				missing[s] = fset.Position(lit.Pos()).String()
			}
			return true
		})
	}
	if len(missing) > 0 {
		keys := make([]string, 0, len(missing))
		for k := range missing {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Errorf("%s: %q is not in assets/translations/en.json", missing[k], k)
		}
	}
	for k, v := range en {
		if strings.TrimSpace(v) == "" {
			t.Errorf("en.json: %q has an empty translation", k)
		}
	}
}
