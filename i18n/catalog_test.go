package i18n

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// A key the code uses, and where.
type use struct {
	key   string
	where string
	flag  bool // a flag's usage string
}

// translatorArg is, for a method that takes a catalog key, which
// arguments are keys: p.T(key, ...), c.t(key, ...), p.Errorf(key, ...),
// p.Fprintf(w, key, ...). fmt's own Errorf and Fprintf are not these.
var translatorArg = map[string][]int{"T": {0}, "t": {0}, "Errorf": {0}, "Fprintf": {1}, "Plural": {1, 2}}

// tuiArg is the same for the counter's own: c.info(key, ...) and
// c.fail(key, err) put a translated key on the message line, and a key
// binding's help (key.WithHelp, h in keys.go, named, SetHelp) is
// translated where the help is drawn.
var tuiArg = map[string][]int{"info": {0}, "fail": {0}, "hold": {0}, "askRemove": {0}, "askAmount": {0}, "askReason": {0}, "WithHelp": {1}, "SetHelp": {1}, "h": {1}, "named": {2}}

// flagArg is, for the flag.FlagSet methods that define a flag, which
// argument is the usage string: the command line translates every one.
var flagArg = map[string][]int{
	"String": {2}, "Bool": {2}, "Int": {2}, "Int64": {2}, "Uint": {2}, "Uint64": {2}, "Float64": {2}, "Duration": {2},
	"Var": {2}, "Func": {2}, "BoolFunc": {2},
	"StringVar": {3}, "BoolVar": {3}, "IntVar": {3}, "Int64Var": {3}, "UintVar": {3}, "Uint64Var": {3},
	"Float64Var": {3}, "DurationVar": {3}, "TextVar": {3},
}

// keysInCode walks every non-test Go file of the module for catalog keys:
// string constants given to a translator, to N, or as a flag's usage. A
// key may be a literal, a sum of literals, or a package-level constant
// or variable holding one (const hqUsage = "...").
func keysInCode(t *testing.T) []use {
	t.Helper()
	root := ".."
	fset := token.NewFileSet()
	dirs := map[string][]*ast.File{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		dirs[filepath.Dir(path)] = append(dirs[filepath.Dir(path)], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var uses []use
	for _, dir := range slices.Sorted(maps.Keys(dirs)) {
		files := dirs[dir]
		consts := map[string]string{}
		for _, f := range files {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || (g.Tok != token.CONST && g.Tok != token.VAR) {
					continue
				}
				for _, sp := range g.Specs {
					vs := sp.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							if v, ok := constString(vs.Values[i], nil); ok {
								consts[n.Name] = v
							}
						}
					}
				}
			}
		}
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				args, isFlag := keyArg(call, f.Name.Name)
				for _, arg := range args {
					if arg >= len(call.Args) {
						continue
					}
					if key, ok := constString(call.Args[arg], consts); ok && hasWords(key) {
						uses = append(uses, use{key: key, where: fset.Position(call.Pos()).String(), flag: isFlag})
					}
				}
				return true
			})
		}
	}
	return uses
}

// hasWords says whether a format has anything to translate besides its
// verbs: "%w: %s" has not.
func hasWords(format string) bool {
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '%' {
			i++
			for i < len(format) && !unicode.IsLetter(rune(format[i])) {
				i++
			}
			continue
		}
		if c >= 0x80 || unicode.IsLetter(rune(c)) {
			return true
		}
	}
	return false
}

// keyArg is which arguments of call are catalog keys, if any.
func keyArg(call *ast.CallExpr, pkg string) ([]int, bool) {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		if pkg == "i18n" && fn.Name == "N" {
			return []int{0}, false
		}
		if i, ok := tuiArg[fn.Name]; ok && pkg == "tui" {
			return i, false
		}
	case *ast.SelectorExpr:
		x, _ := fn.X.(*ast.Ident)
		switch {
		case x != nil && x.Name == "i18n":
			if fn.Sel.Name == "N" {
				return []int{0}, false
			}
		case x != nil && x.Name == "fs":
			if i, ok := flagArg[fn.Sel.Name]; ok {
				return i, true
			}
		case x != nil && (x.Name == "fmt" || x.Name == "errors" || x.Name == "log"):
		case x != nil && (x.Name == "t" || x.Name == "tb") || strings.HasSuffix(pkg, "test"):
			// A test helper's t.Errorf: tests speak English.
		default:
			if i, ok := translatorArg[fn.Sel.Name]; ok {
				return i, false
			}
			if i, ok := tuiArg[fn.Sel.Name]; ok && pkg == "tui" {
				return i, false
			}
		}
	}
	return nil, false
}

// constString is e's value when it is a string literal, a sum of them,
// or a name in consts.
func constString(e ast.Expr, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.Ident:
		v, ok := consts[e.Name]
		return v, ok
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(e.X, consts)
		b, ok2 := constString(e.Y, consts)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(e.X, consts)
	case *ast.CallExpr:
		// i18n.N("...") held in a variable.
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "N" && len(e.Args) == 1 {
			return constString(e.Args[0], consts)
		}
	}
	return "", false
}

// Every key the code uses is in every language's catalog, with the same
// verbs (and a flag's usage with the same `name`), and every catalog
// entry is used somewhere.
func TestCatalogComplete(t *testing.T) {
	uses := keysInCode(t)
	if len(uses) < 50 {
		t.Fatalf("found only %d catalog keys in the code: is the walk finding the translator calls?", len(uses))
	}
	used := map[string]bool{}
	for _, u := range uses {
		used[u.key] = true
	}
	if f := os.Getenv("I18N_DUMP_USED"); f != "" {
		// For the catalog's maintainers: every key the code uses, as JSON.
		b, _ := json.Marshal(slices.Sorted(maps.Keys(used)))
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, lang := range Langs {
		cat, ok := catalogs[lang]
		if lang == English {
			continue
		}
		if !ok {
			t.Fatalf("no catalog for %s", lang)
		}
		seen := map[string]bool{}
		for _, u := range uses {
			if seen[u.key] {
				continue
			}
			seen[u.key] = true
			tr, ok := cat[u.key]
			if !ok {
				t.Errorf("%s: %q has no %s translation", u.where, u.key, lang)
				continue
			}
			if kv, tv := verbs(u.key), verbs(tr); !reflect.DeepEqual(kv, tv) {
				t.Errorf("%s: %s translation of %q uses verbs %v, the key %v", u.where, lang, u.key, tv, kv)
			}
			if strings.HasPrefix(u.key, "%w: ") && !strings.HasPrefix(tr, "%w: ") {
				// main strips "usage: " off a mistake in the command line.
				t.Errorf("%s: %s translation of %q must begin with \"%%w: \" too", u.where, lang, u.key)
			}
			if u.flag && flagName(u.key) != flagName(tr) {
				t.Errorf("%s: %s translation of flag usage %q names its value `%s`, the key `%s`", u.where, lang, u.key, flagName(tr), flagName(u.key))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(cat)) {
			if !used[k] {
				t.Errorf("%s catalog has %q, which no code uses", lang, k)
			}
			if strings.TrimSpace(cat[k]) == "" && strings.TrimSpace(k) != "" {
				t.Errorf("%s translation of %q is empty", lang, k)
			}
		}
	}
}

// The walk sees through the ways a key is written, and the verb check
// catches a translation that drops, adds or changes an argument.
func TestCatalogCheckCatches(t *testing.T) {
	dir := t.TempDir()
	src := `package x
import ("fmt"; "flag"; "github.com/tillpos/till/i18n")
func f(p *i18n.Printer, fs *flag.FlagSet) {
	p.T("plain")
	_ = fmt.Errorf("not a key %d", 1)
	p.Errorf("wrapped " + "%w", nil)
	p.Fprintf(nil, "to %s", "w")
	fs.String("db", "", "database ` + "`file`" + `")
	_ = i18n.N("marked")
	p.T(dynamic)
	p.Plural(n, "1 item", "%d items")
}`
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, "x.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			is, _ := keyArg(call, "x")
			for _, i := range is {
				if k, ok := constString(call.Args[i], map[string]string{"dynamic": "held"}); ok {
					got = append(got, k)
				}
			}
		}
		return true
	})
	want := []string{"plain", "wrapped %w", "to %s", "database `file`", "marked", "held", "1 item", "%d items"}
	if !slices.Equal(got, want) {
		t.Fatalf("keys %q, want %q", got, want)
	}
	for _, c := range []struct {
		key, tr string
		ok      bool
	}{
		{"%d goods for %s", "%[2]s 的 %[1]d 件商品", true},
		{"%d goods for %s", "%s 的 %d 件商品", false},
		{"%d goods", "商品", false},
		{"%q: %w", "%q：%w", true},
		{"%q: %w", "%q：%v", false},
		{"100%% sure %s", "百分之百 %s", true},
		{"%-*s|", "%-*s|", true},
		{"%06d", "%d", true}, // flags and width are the translation's to choose
		{"%d of %06d", "%06[2]d 的 %[1]d", true},
		{"%d of %06d", "%[2]06d 的 %[1]d", false}, // fmt's BADINDEX
	} {
		if got := reflect.DeepEqual(verbs(c.key), verbs(c.tr)); got != c.ok {
			t.Errorf("%q vs %q: match %v, want %v (%v, %v)", c.key, c.tr, got, c.ok, verbs(c.key), verbs(c.tr))
		}
	}
	if hasWords("%w: %s") || hasWords("%06d\t%s") || !hasWords("%d goods") || !hasWords("%s：%s") {
		t.Error("hasWords")
	}
	if flagName("cash `amount` given") != "amount" || flagName("no name") != "" {
		t.Error("flagName")
	}
}
