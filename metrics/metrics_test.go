package metrics

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/store"
)

func openDB(t *testing.T) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bot.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

func TestMetricsExposed(t *testing.T) {
	m := New(Config{State: func(context.Context) (State, error) {
		return State{QueueDepth: 7, OldestPending: 90 * time.Second, ChatsActive: 120, ChatsBlocked: 3}, nil
	}})
	m.FetchDone("ok", 300*time.Millisecond)
	m.FetchDone("ok", 2*time.Second)
	m.FetchDone("error", time.Second)
	m.ArticlesNew(5)
	m.Matches(9)
	m.AlertQueued(9)
	m.AlertSent(4 * time.Second)
	m.AlertFailed("blocked")
	m.TooManyRequests()
	code, body := get(t, m.Handler(), "/metrics")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{
		`newsalert_fetches_total{result="ok"} 2`,
		`newsalert_fetches_total{result="error"} 1`,
		`newsalert_fetch_duration_seconds_count 3`,
		`newsalert_articles_new_total 5`,
		`newsalert_matches_total 9`,
		`newsalert_alerts_queued_total 9`,
		`newsalert_alerts_sent_total 1`,
		`newsalert_alerts_failed_total{reason="blocked"} 1`,
		`newsalert_telegram_429_total 1`,
		`newsalert_delivery_latency_seconds_bucket{le="5"} 1`,
		`newsalert_queue_depth 7`,
		`newsalert_queue_oldest_pending_seconds 90`,
		`newsalert_chats{state="active"} 120`,
		`newsalert_chats{state="blocked"} 3`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("no %s", want)
		}
	}
}

func TestMetricsStateErrorKeepsRest(t *testing.T) {
	m := New(Config{State: func(context.Context) (State, error) { return State{}, errors.New("db gone") }})
	m.ArticlesNew(1)
	code, body := get(t, m.Handler(), "/metrics")
	if code != 200 || !strings.Contains(body, "newsalert_articles_new_total 1") {
		t.Errorf("%d\n%s", code, body)
	}
}

func TestLabelCardinalityBounded(t *testing.T) {
	m := New(Config{})
	for i := range 100 {
		m.AlertFailed(strings.Repeat("x", i+1))
	}
	_, body := get(t, m.Handler(), "/metrics")
	if n := strings.Count(body, "newsalert_alerts_failed_total{"); n != maxLabelValues+1 {
		t.Errorf("%d series, want %d", n, maxLabelValues+1)
	}
	if !strings.Contains(body, `newsalert_alerts_failed_total{reason="other"} 68`) {
		t.Error("no other")
	}
}

func TestNilMetricsIgnoresCalls(t *testing.T) {
	var m *Metrics
	m.FetchDone("ok", time.Second)
	m.ArticlesNew(1)
	m.Matches(1)
	m.AlertQueued(1)
	m.AlertSent(time.Second)
	m.AlertFailed("x")
	m.TooManyRequests()
}

func health(t *testing.T, h http.Handler) (int, Health) {
	t.Helper()
	code, body := get(t, h, "/healthz")
	var got Health
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return code, got
}

// eventually polls /healthz until it answers want (a check may still be
// finishing): no timing is asserted, only the final state.
func eventually(t *testing.T, h http.Handler, want int) Health {
	t.Helper()
	var got Health
	for range 100 {
		var code int
		if code, got = health(t, h); code == want {
			return got
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("/healthz never answered %d: %+v", want, got)
	return got
}

func TestHealthzDatabaseLocked(t *testing.T) {
	db, path := openDB(t)
	m := New(Config{DB: db, HealthTimeout: 300 * time.Millisecond})
	h := m.Handler()
	if code, got := health(t, h); code != 200 || got.Status != "ok" {
		t.Fatalf("healthy db: %d %+v", code, got)
	}

	// Another process takes the write lock and keeps it: for the bot the
	// database is as good as read-only.
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	got := eventually(t, h, 503)
	t.Logf("locked: %v", got.Reasons)
	if got.Status != "unhealthy" || len(got.Reasons) != 1 || !strings.HasPrefix(got.Reasons[0], "database not writable: ") {
		t.Errorf("locked: %+v", got)
	}
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	eventually(t, h, 200)
}

func TestHealthzDatabaseReadOnly(t *testing.T) {
	_, path := openDB(t)
	ro, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	h := New(Config{DB: ro}).Handler()
	code, got := health(t, h)
	if code != 503 || len(got.Reasons) != 1 || !strings.Contains(got.Reasons[0], "readonly") {
		t.Errorf("%d %+v", code, got)
	}
	ro.Close()
	code, got = health(t, h)
	if code != 503 || !strings.Contains(got.Reasons[0], "database not writable") {
		t.Errorf("closed: %d %+v", code, got)
	}
}

func TestHealthzTelegramAndScheduler(t *testing.T) {
	db, _ := openDB(t)
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	var tgSeen, tick time.Time
	m := New(Config{
		DB:            db,
		Now:           func() time.Time { return now },
		TelegramSeen:  func() time.Time { return tgSeen },
		SchedulerTick: func() time.Time { return tick },
	})
	h := m.Handler()
	// Just started: neither has happened yet, and that is fine for a while.
	if code, got := health(t, h); code != 200 {
		t.Fatalf("at start: %d %+v", code, got)
	}
	now = now.Add(3 * time.Minute)
	tick = now
	code, got := health(t, h)
	if code != 503 || len(got.Reasons) != 1 || !strings.HasPrefix(got.Reasons[0], "telegram: no answer for 3m0s") {
		t.Fatalf("no telegram: %d %+v", code, got)
	}
	tgSeen = now.Add(-time.Minute)
	if code, got := health(t, h); code != 200 {
		t.Fatalf("telegram back: %d %+v", code, got)
	}
	now = now.Add(11 * time.Minute)
	tgSeen = now
	code, got = health(t, h)
	if code != 503 || len(got.Reasons) != 1 || !strings.HasPrefix(got.Reasons[0], "scheduler: no tick for 11m0s") {
		t.Fatalf("scheduler stuck: %d %+v", code, got)
	}
}

func TestServe(t *testing.T) {
	m := New(Config{})
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
}
