package subscriptions

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/newsalert/newsalert/store"
)

func backupDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "backup.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func backupExport(t testing.TB, db *sql.DB) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(context.Background(), db, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestBackupRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Config{})
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.UpsertChat(ctx, 123, Private, "uk"))
	must(s.UpsertChat(ctx, -100200, Supergroup, "en"))
	must(s.UpsertChat(ctx, 77, Private, "")) // no subscription, but settings
	must(s.SetTimezone(ctx, 77, "Europe/London"))
	must(s.SetNewsLanguages(ctx, -100200, []string{"uk", "en"}))
	must(s.SetPaused(ctx, -100200, true))
	must(s.UpsertChat(ctx, 5, Channel, "ru"))
	must(s.SetInactive(ctx, 5, true))
	for _, q := range []string{"НАТО", `"foreign minister" -Trump`, "Україн* OR Ukraine", "<b>&amp;"} {
		must(s.Subscribe(ctx, 123, q))
	}
	must(s.Subscribe(ctx, -100200, "санкції"))
	must(s.Subscribe(ctx, 5, "Київ"))

	first := backupExport(t, s.db)
	want := `{"chat_id":-100200,"chat_type":"supergroup","language":"en","news_languages":["en","uk"],"paused":true,"query":"санкції"}
{"chat_id":5,"chat_type":"channel","language":"ru","inactive":true,"query":"Київ"}
{"chat_id":77,"chat_type":"private","language":"","timezone":"Europe/London"}
{"chat_id":123,"chat_type":"private","language":"uk","query":"НАТО"}
{"chat_id":123,"chat_type":"private","language":"uk","query":"\"foreign minister\" -Trump"}
{"chat_id":123,"chat_type":"private","language":"uk","query":"Україн* OR Ukraine"}
{"chat_id":123,"chat_type":"private","language":"uk","query":"<b>&amp;"}
`
	if d := cmp.Diff(want, first); d != "" {
		t.Errorf("export (-want +got)\n%s", d)
	}

	fresh := backupDB(t)
	st, err := Import(ctx, fresh, strings.NewReader(first), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(ImportStats{Lines: 7, Chats: 4, Subscriptions: 6}, st); d != "" {
		t.Errorf("stats (-want +got)\n%s", d)
	}
	if second := backupExport(t, fresh); second != first {
		t.Errorf("export after import differs:\n%s\nwant:\n%s", second, first)
	}

	// Again: nothing new, nothing changed.
	st, err = Import(ctx, fresh, strings.NewReader(first), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(ImportStats{Lines: 7, Existing: 6}, st); d != "" {
		t.Errorf("second import (-want +got)\n%s", d)
	}
	if third := backupExport(t, fresh); third != first {
		t.Errorf("export after second import differs:\n%s", third)
	}

	// A service started on the restored database serves the subscriptions.
	s2, err := New(ctx, fresh, Config{})
	if err != nil {
		t.Fatal(err)
	}
	subs, err := s2.List(ctx, 123)
	if err != nil || len(subs) != 4 || subs[0].Query != "НАТО" || subs[3].Query != "<b>&amp;" {
		t.Errorf("list after restore: %v %+v", err, subs)
	}
	if got := s2.Stats(); got == (Stats{}) {
		t.Errorf("matcher empty after restore: %+v", got)
	}
}

func TestImportMergesIntoExisting(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Config{})
	if _, err := s.UpsertChat(ctx, 1, Private, "en"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Subscribe(ctx, 1, "NATO"); err != nil {
		t.Fatal(err)
	}
	in := `{"chat_id":1,"chat_type":"private","language":"uk","query":"nato"}
{"chat_id":1,"chat_type":"private","language":"uk","query":"Київ"}
{"chat_id":1,"chat_type":"private","language":"uk","query":"Київ"}
`
	st, err := Import(ctx, s.db, strings.NewReader(in), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(ImportStats{Lines: 3, Subscriptions: 1, Existing: 2}, st); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	want := `{"chat_id":1,"chat_type":"private","language":"en","query":"NATO"}
{"chat_id":1,"chat_type":"private","language":"en","query":"Київ"}
`
	if got := backupExport(t, s.db); got != want {
		t.Errorf("got\n%s", got)
	}
}

func TestImportRefusesBadLines(t *testing.T) {
	ctx := context.Background()
	db := backupDB(t)
	in := `{"chat_id":1,"chat_type":"private","language":"uk","query":"НАТО"}
not json
{"chat_id":2,"chat_type":"robot","language":"uk","query":"x"}

{"chat_id":3,"chat_type":"private","language":"ukrainian","query":"x"}
{"chat_id":4,"chat_type":"private","language":"uk","query":"(NATO"}
{"chat_id":5,"chat_type":"private","language":"uk","query":"` + strings.Repeat("слово ", 50) + `"}
{"chat_id":6,"chat_type":"private","language":"uk","query":"x","admin":true}
{"chat_id":1,"chat_type":"group","language":"uk","query":"x"}
{"chat_type":"private","language":"uk","query":"x"}
{"chat_id":7,"chat_type":"private","language":"uk","timezone":"Mars/Base","query":"x"}
{"chat_id":8,"chat_type":"private","language":"uk","news_languages":["uk","en"]}
{"chat_id":9,"chat_type":"private","language":"uk","query":"-Trump"}
{"chat_id":10,"chat_type":"private","language":"uk","query":"x"} {"more":1}
{"chat_id":11,"chat_type":"private","language":"uk","query":"ok"}
`
	_, err := Import(ctx, db, strings.NewReader(in), Limits{})
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("err %v, want *ImportError", err)
	}
	var lines []int
	for _, l := range ie.Lines {
		lines = append(lines, l.Line)
	}
	if d := cmp.Diff([]int{2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, lines); d != "" {
		t.Errorf("bad lines (-want +got)\n%s\n%v", d, err)
	}
	if ie.Bad != 12 {
		t.Errorf("Bad = %d", ie.Bad)
	}
	if got := backupExport(t, db); got != "" {
		t.Errorf("something was imported:\n%s", got)
	}
	for _, want := range []string{"line 2: not a backup line", `line 3: chat_type "robot"`, "line 9: chat 1: settings differ from its line 1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestImportHostileInput(t *testing.T) {
	ctx := context.Background()
	db := backupDB(t)
	long := `{"chat_id":1,"chat_type":"private","language":"uk","query":"` + strings.Repeat("a", maxBackupLine) + `"}`
	if _, err := Import(ctx, db, strings.NewReader(long), Limits{}); err == nil || !strings.Contains(err.Error(), "line 1: longer than") {
		t.Errorf("long line: %v", err)
	}
	many := strings.Repeat("{}\n", 1000)
	_, err := Import(ctx, db, strings.NewReader(many), Limits{})
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Bad != 1000 || len(ie.Lines) != MaxReportedLines {
		t.Errorf("many bad lines: %v", err)
	}
	if !strings.Contains(err.Error(), "and 900 more") {
		t.Errorf("error: %.200s", err)
	}
	// Empty input imports nothing, without error.
	if st, err := Import(ctx, db, strings.NewReader("\n\n"), Limits{}); err != nil || st != (ImportStats{}) {
		t.Errorf("empty: %v %+v", err, st)
	}
}

func FuzzImportLine(f *testing.F) {
	f.Add(`{"chat_id":1,"chat_type":"private","language":"uk","query":"НАТО"}`)
	f.Add(`{"chat_id":-5,"chat_type":"group","language":"","news_languages":["en"],"timezone":"UTC","query":"\"a b\" -c"}`)
	f.Fuzz(func(t *testing.T, line string) {
		v := newBackupValidator(Limits{})
		l, norm, _, err := v.check([]byte(line), 1)
		if err != nil {
			return
		}
		if l.Query != "" && norm == "" {
			t.Fatalf("query %q without normalized form", l.Query)
		}
	})
}

// backupLines writes n backup lines: chats of 5 subscriptions each, queries
// drawn from a vocabulary the way real ones repeat.
func backupLines(n int) []byte {
	words := []string{"НАТО", "Україна", "Ukraine", "санкції", "Київ", "Харків", "Zelensky", "ЄС", "енергетика",
		"Trump", "Байден", "ООН", "зерно", "Одеса", "Львів", "\"foreign minister\"", "Україн*", "Росія", "ППО", "МВФ"}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	for i := 0; i < n; i++ {
		chat := int64(i/5 + 1)
		a, b := words[i%len(words)], words[(i/len(words)+i/5)%len(words)]
		q := a
		switch i % 3 {
		case 1:
			q = a + " " + b
		case 2:
			q = a + " OR " + b + fmt.Sprintf(" -x%d", i%97)
		}
		fmt.Fprintf(w, `{"chat_id":%d,"chat_type":"private","language":"uk","query":%q}`+"\n", chat, q)
	}
	w.Flush()
	return buf.Bytes()
}

// BenchmarkImport1M times the import of 1,000,000 lines into a fresh
// database: go test ./subscriptions -run XXX -bench Import1M -benchtime 1x
func BenchmarkImport1M(b *testing.B) {
	data := backupLines(1_000_000)
	for b.Loop() {
		b.StopTimer()
		db := backupDB(b)
		b.StartTimer()
		st, err := Import(context.Background(), db, bytes.NewReader(data), Limits{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Subscriptions), "subscriptions")
	}
}
