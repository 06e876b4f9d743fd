package bot

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/store"
	"github.com/newsalert/newsalert/subscriptions"
)

// testBot is the bot wired as in production (the update loop over
// getUpdates, the delivery queue over SQLite, the subscriptions service)
// against the Telegram fake. Limits are high on both sides so that a test
// of thirty commands in one chat takes milliseconds, not thirty seconds;
// use testBotOptions.Limits to test pacing itself.
type testBot struct {
	t     *testing.T
	tg    *telegramtest.Server
	db    *sql.DB
	subs  *subscriptions.Service
	queue *delivery.Queue
	bot   *Bot
	cat   *i18n.Catalog
	admin *memAdmin
	clock *testClock
	feeds *feeds.Store
}

// testBotOptions adjusts a testBot. The zero value is a bot without
// admins and with two feeds (site-en in en, site-uk in uk).
type testBotOptions struct {
	Admins  []int64        // user ids of telegram.admins
	Sources []feeds.Source // nil: site-en and site-uk
	// Limits for the fake and the queue; zero: fast (1000/s, 100/s a chat).
	Limits delivery.Limits
	// Configure, if set, changes the bot's config before New.
	Configure func(*Config)
	// NoRun leaves the update loop stopped: call tb.handle yourself.
	NoRun bool
}

// fastLimits never hold a test up, and the fake still checks them.
var fastLimits = delivery.Limits{GlobalPerSecond: 1000, PerChatPerSecond: 100, PerGroupPerMinute: 6000}

// testClock is the clock of rows, dry runs and dates; it starts at the
// real time, so that the fake's wall-clock windows and it agree.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newTestBot starts a bot; everything stops when the test ends.
func newTestBot(t *testing.T, opts testBotOptions) *testBot {
	t.Helper()
	lim := opts.Limits
	if lim == (delivery.Limits{}) {
		lim = fastLimits
	}
	ctx, cancel := context.WithCancel(context.Background())
	tb := &testBot{t: t, clock: &testClock{t: time.Now().UTC().Truncate(time.Second)}}
	tb.tg = telegramtest.New(t, telegramtest.Options{BotUsername: "newsalert_bot", Limits: telegramtest.Limits{
		GlobalPerSecond: lim.GlobalPerSecond, PerChatPerSecond: lim.PerChatPerSecond, PerGroupPerMinute: lim.PerGroupPerMinute,
	}})
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	tb.db = db
	tb.feeds = feeds.NewStore(db)
	log := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	tb.subs, err = subscriptions.New(ctx, db, subscriptions.Config{Now: tb.clock.Now, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	tb.cat, err = i18n.New(i18n.Config{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	sources := opts.Sources
	if sources == nil {
		sources = []feeds.Source{
			{ID: "site-en", URL: "https://news.example/en.xml", Lang: "en", Name: "Site EN"},
			{ID: "site-uk", URL: "https://news.example/uk.xml", Lang: "uk", Name: "Сайт UK"},
		}
	}
	tb.admin = &memAdmin{sources: sources}
	sender, err := NewAPI(ctx, APIConfig{Token: tb.tg.Token(), APIURL: tb.tg.URL(), PollTimeout: time.Second, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	poller, err := NewAPI(ctx, APIConfig{Token: tb.tg.Token(), APIURL: tb.tg.URL(), PollTimeout: time.Second, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	tb.queue, err = delivery.New(delivery.Config{Limits: lim, Poll: 50 * time.Millisecond}, db, sender,
		&AlertRenderer{Renderer: NewRenderer(tb.cat), Subs: tb.subs, Catalog: tb.cat, Sources: tb.admin.Sources},
		ChatState{Subs: tb.subs}, log, tb.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		API: sender, Outbox: tb.queue, Subs: tb.subs, Catalog: tb.cat, Admin: tb.admin,
		IsAdmin: func(id int64) bool { return slices.Contains(opts.Admins, id) },
		Sources: tb.admin.Sources, Location: time.UTC, Logger: log, Now: tb.clock.Now,
		MaxPerChat: subscriptions.DefaultMaxPerChat,
		Batches:    tb.queue, Routes: NewRoutes(tb.subs, time.UTC, tb.clock.Now),
	}
	if opts.Configure != nil {
		opts.Configure(&cfg)
	}
	tb.bot = New(cfg)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); tb.queue.Run(ctx) }()
	if !opts.NoRun {
		up := &Updates{API: poller, DB: db, Timeout: time.Second, Handle: tb.bot.Handle, Logger: log}
		wg.Add(1)
		go func() { defer wg.Done(); up.Run(ctx) }()
	}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		db.Close()
	})
	return tb
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// replyTimeout bounds every wait for the bot; generous for -race on a
// loaded machine, and never reached by a passing test.
const replyTimeout = 20 * time.Second

// user is a Telegram user of language lang (an IETF code, "" for none).
func user(id int64, lang string) telegramtest.User {
	return telegramtest.User{ID: id, FirstName: fmt.Sprintf("User%d", id), LanguageCode: lang}
}

// say sends text in chat as from and returns the bot's next message there.
func (tb *testBot) say(chat telegramtest.Chat, from telegramtest.User, text string) telegramtest.SentMessage {
	tb.t.Helper()
	got := tb.sayN(chat, from, text, 1)
	return got[0]
}

// sayN sends text and waits for n messages from the bot in chat.
func (tb *testBot) sayN(chat telegramtest.Chat, from telegramtest.User, text string, n int) []telegramtest.SentMessage {
	tb.t.Helper()
	before := len(tb.tg.Sent(chat.ID))
	if chat.Type == telegramtest.ChatChannel {
		tb.tg.ChannelPost(chat, text)
	} else {
		tb.tg.SendText(chat, from, text)
	}
	got, ok := tb.tg.WaitSent(chat.ID, before+n, replyTimeout)
	if !ok {
		tb.t.Fatalf("%q in chat %d: %d of %d replies: %v", text, chat.ID, len(got)-before, n, texts(got[before:]))
	}
	return got[before:]
}

// silent checks that the bot answers nothing to text: it sends text, then
// /start as a marker, and expects the marker's reply to be the next message.
// Updates of a chat are handled in order, so no sleep is needed.
func (tb *testBot) silent(chat telegramtest.Chat, from telegramtest.User, text string) {
	tb.t.Helper()
	before := len(tb.tg.Sent(chat.ID))
	tb.tg.SendText(chat, from, text)
	tb.tg.SendText(chat, from, "/start@newsalert_bot") // anyone may, in any chat

	got, ok := tb.tg.WaitSent(chat.ID, before+1, replyTimeout)
	if !ok {
		tb.t.Fatalf("no reply to the marker after %q", text)
	}
	if first := got[before]; first.Raw != tb.startText(chat, from) {
		tb.t.Errorf("reply to %q: %q", text, first.Raw)
	}
}

// startText is what /start answers in chat, in from's language as the bot
// stores it.
func (tb *testBot) startText(chat telegramtest.Chat, from telegramtest.User) string {
	c, err := tb.subs.Chat(context.Background(), chat.ID)
	lang := tb.cat.Default()
	if err == nil && c.Language != "" {
		lang = c.Language
	}
	if chat.Type == telegramtest.ChatPrivate {
		return tb.cat.T(lang, i18n.MsgStart, nil)
	}
	return tb.cat.T(lang, i18n.MsgStartGroup, nil)
}

// press presses a button of the bot's message and returns the callback's
// answer once the bot gave it.
func (tb *testBot) press(chat telegramtest.Chat, from telegramtest.User, messageID int, data string) telegramtest.CallbackAnswer {
	tb.t.Helper()
	q, err := tb.tg.PressButton(chat, from, messageID, data)
	if err != nil {
		tb.t.Fatal(err)
	}
	deadline := time.Now().Add(replyTimeout)
	for {
		if a, ok := tb.tg.Answer(q.ID); ok {
			return a
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("button %q not answered", data)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// chat is the stored chat.
func (tb *testBot) chat(id int64) subscriptions.Chat {
	tb.t.Helper()
	c, err := tb.subs.Chat(context.Background(), id)
	if err != nil {
		tb.t.Fatal(err)
	}
	return c
}

// queries lists a chat's subscriptions as typed.
func (tb *testBot) queries(id int64) []string {
	tb.t.Helper()
	subs, err := tb.subs.List(context.Background(), id)
	if err != nil {
		tb.t.Fatal(err)
	}
	var out []string
	for _, s := range subs {
		out = append(out, s.Query)
	}
	return out
}

// addArticles stores articles of feed as seen now (for dry runs); they are
// recorded as matched, so no alert goes out for them.
func (tb *testBot) addArticles(feedID, lang string, titles ...string) {
	tb.t.Helper()
	now := tb.clock.Now()
	var arts []feeds.Article
	for i, title := range titles {
		arts = append(arts, feeds.Article{FeedID: feedID, Lang: lang, GUID: fmt.Sprintf("%s-%d-%d", feedID, now.UnixNano(), i),
			Link: fmt.Sprintf("https://news.example/%s/%d/%d", feedID, now.UnixNano(), i), Title: title,
			Published: now.Add(-time.Minute), Seen: now})
	}
	if _, err := tb.feeds.SavePoll(context.Background(), feeds.FeedState{ID: feedID, Seeded: true}, arts, true, time.Time{}); err != nil {
		tb.t.Fatal(err)
	}
}

// T and N are the catalog's texts, for expected replies.
func (tb *testBot) T(lang, id string, data map[string]any) string { return tb.cat.T(lang, id, data) }
func (tb *testBot) N(lang, id string, n int, data map[string]any) string {
	return tb.cat.N(lang, id, n, data)
}

func texts(ms []telegramtest.SentMessage) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

// memAdmin is the admin side kept in memory (package main's is the config
// file, which the bot package cannot see). Fetch, if set, stands for the
// fetch /addfeed makes.
type memAdmin struct {
	mu      sync.Mutex
	sources []feeds.Source
	Fetch   func(ctx context.Context, rawURL string) (title, lang string, err error)
	stats   map[string]any
}

func (a *memAdmin) Sources() []feeds.Source {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.sources)
}

func (a *memAdmin) find(id string) int {
	return slices.IndexFunc(a.sources, func(s feeds.Source) bool { return s.ID == id })
}

func (a *memAdmin) AddFeed(ctx context.Context, rawURL, lang, id string) (feeds.Source, error) {
	if !strings.HasPrefix(rawURL, "http://") && !strings.HasPrefix(rawURL, "https://") {
		return feeds.Source{}, ErrFeedBadURL
	}
	if lang != "" && lang != "en" && lang != "uk" && lang != "ru" {
		return feeds.Source{}, ErrFeedBadLang
	}
	name := ""
	if a.Fetch != nil {
		title, flang, err := a.Fetch(ctx, rawURL)
		if err != nil {
			return feeds.Source{}, &FetchError{Reason: err.Error()}
		}
		name = title
		if lang == "" {
			lang = flang
		}
	}
	if lang == "" {
		lang = "en"
	}
	if id == "" {
		id = fmt.Sprintf("feed-%d", len(a.Sources())+1)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.find(id) >= 0 {
		return feeds.Source{}, ErrFeedExists
	}
	src := feeds.Source{ID: id, URL: rawURL, Lang: lang, Name: name}
	a.sources = append(a.sources, src)
	return src, nil
}

func (a *memAdmin) RemoveFeed(_ context.Context, id string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	i := a.find(id)
	if i < 0 {
		return ErrNoSuchFeed
	}
	a.sources = slices.Delete(a.sources, i, i+1)
	return nil
}

func (a *memAdmin) SetFeedPaused(_ context.Context, id string, paused bool) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	i := a.find(id)
	if i < 0 {
		return ErrNoSuchFeed
	}
	if a.sources[i].Paused == paused {
		return ErrFeedNoChange
	}
	a.sources[i].Paused = paused
	return nil
}

func (a *memAdmin) Stats(context.Context) (map[string]any, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stats == nil {
		return nil, errors.New("no stats")
	}
	return a.stats, nil
}

func (a *memAdmin) FeedHealth(context.Context) ([]feeds.FeedHealth, error) { return nil, nil }
