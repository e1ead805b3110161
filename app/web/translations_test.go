package web

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"canvass/assets"
)

// TestEveryPageStringIsTranslatable checks that every text the pages show
// of their own — the msg constants, literals given to run.Message or t, and
// the templates' t calls — is a key of the English translation file, so a
// translator finds them all there.
func TestEveryPageStringIsTranslatable(t *testing.T) {
	raw, err := assets.Translations.ReadFile(assets.TranslationsDir + "/en.json")
	if err != nil {
		t.Fatal(err)
	}
	var en map[string]string
	if err := json.Unmarshal(raw, &en); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{} // key → where
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec: // const msgX = "..."
				for i, id := range n.Names {
					if strings.HasPrefix(id.Name, "msg") && i < len(n.Values) {
						if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							s, _ := strconv.Unquote(lit.Value)
							keys[s] = fset.Position(lit.Pos()).String()
						}
					}
				}
			case *ast.CallExpr:
				var arg ast.Expr
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					if fn.Name == "t" && len(n.Args) == 1 {
						arg = n.Args[0]
					}
				case *ast.SelectorExpr:
					if fn.Sel.Name == "Message" && len(n.Args) == 2 {
						arg = n.Args[1]
					}
					if fn.Sel.Name == "message" { // p.message(w, d, status, heading, paragraphs...)
						for _, a := range n.Args {
							if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
								s, _ := strconv.Unquote(lit.Value)
								keys[s] = fset.Position(lit.Pos()).String()
							}
						}
					}
				}
				if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					keys[s] = fset.Position(lit.Pos()).String()
				}
			}
			return true
		})
	}
	tcall := regexp.MustCompile(`\{\{t \.Lang "([^"]+)"\}\}`)
	tmpls, _ := filepath.Glob("templates/*.html")
	for _, name := range tmpls {
		b, err := templateFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range tcall.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = name
		}
	}
	for _, part := range []string{"day", "month", "year"} { // the date boxes' names in messages
		keys[part] = "form.go (dateMessage)"
	}
	if len(keys) < 30 {
		t.Fatalf("found only %d strings: the scan is broken", len(keys))
	}
	for k, where := range keys {
		if _, ok := en[k]; !ok {
			t.Errorf("%s: %q is not in assets/translations/en.json", where, k)
		}
	}
}
