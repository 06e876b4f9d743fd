package delivery

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/store"
)

func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "news.db")
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// addArticles stores articles with ids from..to.
func addArticles(t *testing.T, db *sql.DB, from, to int64) {
	t.Helper()
	for id := from; id <= to; id++ {
		if _, err := db.Exec(`INSERT INTO articles(id, feed_id, lang, title, link, published, seen)
			VALUES(?, 'f', 'en', ?, ?, 0, 0)`, id, fmt.Sprintf("Title %d", id), fmt.Sprintf("https://example.com/%d", id)); err != nil {
			t.Fatal(err)
		}
	}
}

// textRenderer renders "<b>Title N</b>" (the title not escaped, so a test
// can make bad HTML) and digests of up to three alerts a message.
type textRenderer struct{}

func (textRenderer) Alert(_ context.Context, a Alert) (Message, error) {
	if a.Article == nil {
		return Message{}, fmt.Errorf("no article")
	}
	if a.Article.Title == "" {
		return Message{HTML: " "}, nil // Telegram: message text is empty
	}
	return Message{HTML: "<b>" + a.Article.Title + "</b>", Plain: a.Article.Title, NoPreview: true}, nil
}

func (textRenderer) Digest(_ context.Context, chat int64, alerts []Alert) ([]Message, error) {
	var out []Message
	for i := 0; i < len(alerts); i += 3 {
		var titles []string
		for _, a := range alerts[i:min(i+3, len(alerts))] {
			titles = append(titles, a.Article.Title)
		}
		out = append(out, Message{HTML: "Digest: " + strings.Join(titles, "; ")})
	}
	return out, nil
}

type chatLog struct {
	mu       sync.Mutex
	inactive []int64
	migrated [][2]int64
}

func (c *chatLog) MarkInactive(_ context.Context, chat int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inactive = append(c.inactive, chat)
	return nil
}

func (c *chatLog) Migrate(_ context.Context, from, to int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.migrated = append(c.migrated, [2]int64{from, to})
	return nil
}

func newBot(t *testing.T, tg *telegramtest.Server) *tgbotapi.BotAPI {
	t.Helper()
	bot, err := tgbotapi.NewBotAPIWithClient(tg.Token(), tg.Endpoint(), &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return bot
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a queue over a temp database and the Telegram fake.
type fixture struct {
	t     *testing.T
	db    *sql.DB
	tg    *telegramtest.Server
	chats *chatLog
	q     *Queue
	stop  func() error
}

var fastLimits = Limits{GlobalPerSecond: 200, PerChatPerSecond: 20, PerGroupPerMinute: 60}

// newFake starts the Telegram fake enforcing lim.
func newFake(t *testing.T, lim Limits) *telegramtest.Server {
	return telegramtest.New(t, telegramtest.Options{Limits: telegramtest.Limits{
		GlobalPerSecond: lim.GlobalPerSecond, PerChatPerSecond: lim.PerChatPerSecond, PerGroupPerMinute: lim.PerGroupPerMinute,
	}})
}

func newFixture(t *testing.T, cfg Config, now func() time.Time) *fixture {
	t.Helper()
	if cfg.Limits == (Limits{}) {
		cfg.Limits = fastLimits
	}
	f := &fixture{t: t, db: openDB(t, ""), chats: &chatLog{}}
	f.tg = newFake(t, cfg.Limits)
	q, err := New(cfg, f.db, newBot(t, f.tg), textRenderer{}, f.chats, quietLog(), now)
	if err != nil {
		t.Fatal(err)
	}
	f.q = q
	return f
}

// addChats makes chats known to the fake: positive ids are private chats,
// negative ones groups.
func addChats(tg *telegramtest.Server, ids ...int64) {
	for _, id := range ids {
		typ := telegramtest.ChatPrivate
		if id < 0 {
			typ = telegramtest.ChatGroup
		}
		tg.AddChat(telegramtest.Chat{ID: id, Type: typ, Title: "chat"})
	}
}

// start runs the queue until the test ends (or stop is called).
func (f *fixture) start() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.q.Run(ctx) }()
	var once sync.Once
	var err error
	f.stop = func() error {
		once.Do(func() { cancel(); err = <-done })
		return err
	}
	f.t.Cleanup(func() { f.stop() })
}

// enqueue queues article for chats, which the fake learns about first.
func (f *fixture) enqueue(article int64, chats ...int64) {
	f.t.Helper()
	addChats(f.tg, chats...)
	f.enqueueUnknown(article, chats...)
}

// enqueueUnknown queues article for chats the fake may not know.
func (f *fixture) enqueueUnknown(article int64, chats ...int64) {
	f.t.Helper()
	if err := f.q.Enqueue(context.Background(), article, alertsFor(chats)); err != nil {
		f.t.Fatal(err)
	}
}

func alertsFor(chats []int64) []Alert {
	var out []Alert
	for _, c := range chats {
		out = append(out, Alert{ChatID: c, Topics: []string{"nato"}, Words: []string{"NATO"}})
	}
	return out
}

// delivered is what each chat's users see, in order.
func delivered(tg *telegramtest.Server) map[int64][]string {
	out := make(map[int64][]string)
	for _, m := range tg.AllSent() {
		if m.Method == "sendMessage" {
			out[m.ChatID] = append(out[m.ChatID], m.Text)
		}
	}
	return out
}

func noViolations(t *testing.T, tg *telegramtest.Server) {
	t.Helper()
	if v := tg.Violations(); len(v) > 0 {
		t.Errorf("%d rate-limit violations, first: %+v", len(v), v[0])
	}
}

// waitFor polls cond for up to a minute (a generous deadline for -race on
// a loaded machine, not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// statuses counts outbox rows by status.
func (f *fixture) statuses() map[string]int {
	f.t.Helper()
	rs, err := f.db.Query(`SELECT status, count(*) FROM outbox GROUP BY status`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rs.Close()
	out := map[string]int{}
	for rs.Next() {
		var s string
		var n int
		if err := rs.Scan(&s, &n); err != nil {
			f.t.Fatal(err)
		}
		out[s] = n
	}
	return out
}

func (f *fixture) waitStatus(status string, n int) {
	f.t.Helper()
	waitFor(f.t, fmt.Sprintf("%d rows %s", n, status), func() bool { return f.statuses()[status] == n })
}
