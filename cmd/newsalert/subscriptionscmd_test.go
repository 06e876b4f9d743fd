package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/store"
)

// seedFeedState records a failing feed "a" in the database at path.
func seedFeedState(t *testing.T, path string) {
	t.Helper()
	db := openCLIDB(t, path)
	defer db.Close()
	st := feeds.FeedState{ID: "a", URL: "https://a.example/rss", Failures: 3, LastError: "HTTP 503"}
	if err := feeds.NewStore(db).SaveState(context.Background(), st); err != nil {
		t.Fatal(err)
	}
}

func openCLIDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func (e cliEnv) subs(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := subscriptionsCmd(context.Background(), append(args[:1:1], append([]string{"-config", e.config}, args[1:]...)...), strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestSubscriptionsExportImport(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t, "")
	if _, _, err := e.subs(t, "", "export"); err == nil {
		t.Error("export without a database: no error")
	}
	if _, err := os.Stat(e.db); err == nil {
		t.Error("export created a database")
	}

	backup := `{"chat_id":-100,"chat_type":"supergroup","language":"en","query":"NATO"}
{"chat_id":123,"chat_type":"private","language":"uk","query":"НАТО"}
{"chat_id":123,"chat_type":"private","language":"uk","query":"Київ -погода"}
`
	out, _, err := e.subs(t, backup, "import")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "2 new chat(s), 3 new subscription(s)") {
		t.Errorf("import: %s", out)
	}
	out, _, err = e.subs(t, "", "export")
	if err != nil {
		t.Fatal(err)
	}
	if out != backup {
		t.Errorf("export:\n%s\nwant:\n%s", out, backup)
	}
	file := filepath.Join(e.dir, "backup.jsonl")
	if _, _, err := e.subs(t, "", "export", file); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(file); string(b) != backup {
		t.Errorf("file:\n%s", b)
	}

	// Into a second bot's fresh database, from the file.
	e2 := newCLIEnv(t, "")
	if _, _, err := e2.subs(t, "", "import", file); err != nil {
		t.Fatal(err)
	}
	if out, _, _ := e2.subs(t, "", "export"); out != backup {
		t.Errorf("second export:\n%s", out)
	}

	_, errOut, err := e2.subs(t, "{\"chat_id\":1}\nnot json\n", "import")
	if !errors.Is(err, errReported) || !strings.Contains(errOut, "line 1:") || !strings.Contains(errOut, "line 2:") {
		t.Errorf("bad import: %v\n%s", err, errOut)
	}
}
