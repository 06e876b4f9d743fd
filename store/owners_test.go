package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// owners names the one package whose (non-test) code may write SQL for each
// table. Every other package goes through that package's API, by an
// interface it declares. kv is the shared key-value table: keys are
// namespaced by the package that writes them.
var owners = map[string]string{
	"articles":              "feeds",
	"article_keys":          "feeds",
	"feeds":                 "feeds",
	"stories":               "feeds",
	"story_editions":        "feeds",
	"chats":                 "subscriptions",
	"subscriptions":         "subscriptions",
	"outbox":                "bot/delivery",
	"outbox_windows":        "bot/delivery",
	"outbox_stories":        "bot/delivery",
	"translations":          "translate",
	"digest_items":          "bot/delivery",
	"digest_batches":        "bot/delivery",
	"digest_parts":          "bot/delivery",
	"subscriptions_removed": "subscriptions",
}

// SQL keywords are written in capitals in this code base: "from feeds" in
// prose is not SQL.
var tableRef = regexp.MustCompile(`\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+(?:OR\s+[A-Z]+\s+)?([a-z_]+)\b`)

// TestOneOwnerPerTable reads the repository's Go sources and fails for SQL
// naming a table outside the package that owns it.
func TestOneOwnerPerTable(t *testing.T) {
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (n == "testdata" || strings.HasPrefix(n, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		pkg := filepath.ToSlash(filepath.Dir(mustRel(t, root, path)))
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			for _, m := range tableRef.FindAllStringSubmatch(s, -1) {
				owner, known := owners[m[1]]
				if known && owner != pkg {
					t.Errorf("%s: SQL on table %s, which package %s owns: %q", path, m[1], owner, oneLine(s))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mustRel(t *testing.T, root, path string) string {
	r, err := filepath.Rel(root, path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return s
}

// TestEveryTableHasAnOwner: a migration that creates a table names its owner
// in owners above (kv excepted), so TestOneOwnerPerTable covers it.
func TestEveryTableHasAnOwner(t *testing.T) {
	create := regexp.MustCompile(`CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)`)
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		body, err := migrations.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range create.FindAllStringSubmatch(string(body), -1) {
			if _, ok := owners[m[1]]; !ok && m[1] != "kv" {
				t.Errorf("%s creates table %s, which has no owner in owners", name, m[1])
			}
		}
	}
}
