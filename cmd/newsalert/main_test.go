package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/config"
)

// feedServer serves RSS feeds whose items a test adds while the bot runs.
type feedServer struct {
	*httptest.Server
	mu    sync.Mutex
	items map[string][]testItem // by path
	reqs  int
}

func (fs *feedServer) requests() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.reqs
}

type testItem struct{ guid, title, desc, link string }

func newFeedServer(t *testing.T) *feedServer {
	fs := &feedServer{items: map[string][]testItem{}}
	fs.Server = httptest.NewServer(fs)
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) add(path string, it testItem) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.items[path] = append(fs.items[path], it)
}

func (fs *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	fs.reqs++
	items := append([]testItem(nil), fs.items[r.URL.Path]...)
	fs.mu.Unlock()
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test</title><link>https://news.example/</link>`)
	for i := len(items) - 1; i >= 0; i-- {
		it := items[i]
		fmt.Fprintf(w, "<item><guid>%s</guid><title>%s</title><description>%s</description><link>%s</link><pubDate>%s</pubDate></item>",
			it.guid, it.title, it.desc, it.link, time.Now().Add(-time.Minute).Format(time.RFC1123Z))
	}
	fmt.Fprint(w, `</channel></rss>`)
}

// fastFake are the fake's limits in the end-to-end tests, and the bot's
// telegram.rate there (fastRate): twenty messages a second to a chat instead
// of Telegram's one, so a test of commands does not wait out real limits.
// The limits themselves are tested in bot/delivery and bot/telegramtest, and
// every test still fails on a violation of these.
var (
	fastFake = telegramtest.Limits{GlobalPerSecond: 300, PerChatPerSecond: 20, PerGroupPerMinute: 600}
	fastRate = config.Rate{GlobalPerSecond: 300, PerChatPerSecond: 20, PerGroupPerMinute: 600}
)

// newFake is the Telegram fake of an end-to-end test, with fastFake limits.
func newFake(t *testing.T) *telegramtest.Server {
	return telegramtest.New(t, telegramtest.Options{BotUsername: "newsalert_bot", Limits: fastFake})
}

// testConfig is a config for a Main against a fake Telegram and local feeds.
func testConfig(t *testing.T, tg *telegramtest.Server, fs *feedServer, feeds ...config.Feed) *config.Config {
	cfg := config.Default()
	cfg.Database.Path = filepath.Join(t.TempDir(), "newsalert.db")
	cfg.Telegram.Token = config.Secret(tg.Token())
	cfg.Telegram.APIURL = tg.URL()
	cfg.Telegram.PollTimeout = config.Duration(time.Second)
	cfg.Telegram.Rate = fastRate
	cfg.Fetch.Schedule = "@every 1s"
	cfg.Fetch.AllowPrivateNetworks = true
	cfg.Delivery.MaxAlertsPerHour = 0
	for _, f := range feeds {
		f.URL = fs.URL + f.URL
		cfg.Feeds = append(cfg.Feeds, f)
	}
	return &cfg
}

func configFeed(id, path, lang string) config.Feed {
	return config.Feed{ID: id, URL: path, Lang: lang}
}

// startMain opens and runs a Main until the test ends.
func startMain(t *testing.T, cfg *config.Config) *Main {
	t.Helper()
	m := NewMain(cfg, testLogger(t))
	runMain(t, m)
	return m
}

// startMainClock is startMain with the clock now.
func startMainClock(t *testing.T, cfg *config.Config, now func() time.Time) *Main {
	t.Helper()
	m := NewMain(cfg, testLogger(t))
	m.Now = now
	runMain(t, m)
	return m
}

// runMain opens and runs m until the test ends.
func runMain(t *testing.T, m *Main) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.OpenBot(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := m.Run(ctx); err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		m.Close()
	})
}

// testLogger discards the log, or writes it to the test log with -v.
func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(&testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type testWriter struct{ t *testing.T }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// waitQuiet waits until every feed was polled again after the call, no
// article waits for the matcher and no alert waits in the queue.
func waitQuiet(t *testing.T, m *Main) {
	t.Helper()
	ctx := context.Background()
	since := time.Now().Unix() // poll times are stored in seconds
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		hs, err := m.FeedStore.Health(ctx)
		polled := err == nil
		for _, h := range hs {
			polled = polled && h.LastAttempt.Unix() > since
		}
		pending, err1 := m.FeedStore.Pending(ctx, 1)
		q, err2 := m.Queue.Stats(ctx)
		if polled && err1 == nil && len(pending) == 0 && err2 == nil && q.Pending+q.Held == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the bot did not settle: feeds unpolled, articles unmatched or alerts queued")
}

// waitSeeded waits until every feed had its first successful poll.
func waitSeeded(t *testing.T, m *Main, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		hs, err := m.FeedStore.Health(context.Background())
		ok := 0
		for _, h := range hs {
			if !h.LastSuccess.IsZero() {
				ok++
			}
		}
		if err == nil && ok >= n {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("feeds not seeded in time")
}

func TestEndToEnd(t *testing.T) {
	t.Parallel()
	tg := newFake(t)
	fs := newFeedServer(t)
	// Items already published when the bot starts: recorded, never alerted.
	fs.add("/en", testItem{"en-1", "NATO summit opens", "Leaders arrive.", "https://news.example/en/1"})
	fs.add("/uk", testItem{"uk-1", "Саміт НАТО відкрився", "Лідери прибули до України.", "https://news.example/uk/1"})
	fs.add("/ru", testItem{"ru-1", "Саммит НАТО открылся", "Лидеры прибыли.", "https://news.example/ru/1"})
	cfg := testConfig(t, tg, fs,
		config.Feed{ID: "site-en", Name: "Site EN", URL: "/en", Lang: "en"},
		config.Feed{ID: "site-uk", Name: "Сайт UK", URL: "/uk", Lang: "uk"},
		config.Feed{ID: "site-ru", Name: "Сайт RU", URL: "/ru", Lang: "ru"},
		config.Feed{ID: "mirror-en", Name: "Mirror", URL: "/mirror", Lang: "en"},
	)
	m := startMain(t, cfg)
	waitSeeded(t, m, 4)
	cat, err := i18n.New(i18n.Config{})
	if err != nil {
		t.Fatal(err)
	}

	users := map[string]telegramtest.User{
		"en": {ID: 1001, FirstName: "Ann", LanguageCode: "en-GB"},
		"uk": {ID: 1002, FirstName: "Оксана", LanguageCode: "uk"},
		"ru": {ID: 1003, FirstName: "Олег", LanguageCode: "ru"},
	}
	queries := map[string]string{"en": "NATO", "uk": "Україна", "ru": "НАТО"}
	for _, lang := range []string{"en", "uk", "ru"} {
		u := users[lang]
		tg.SendText(telegramtest.PrivateChat(u), u, "/subscribe "+queries[lang])
	}
	for _, lang := range []string{"en", "uk", "ru"} {
		got, ok := tg.WaitSent(users[lang].ID, 1, 10*time.Second)
		if !ok {
			t.Fatalf("%s: no reply to /subscribe", lang)
		}
		// The seeded items count for the dry run. The built-in entity table
		// makes NATO and НАТО one topic in every language, so they matched
		// all three; Україна (Ukraine, Украина) the Ukrainian one.
		n := map[string]int{"en": 3, "uk": 1, "ru": 3}[lang]
		also := map[string]string{
			"en": "НАТО, Північноатлантичний альянс, Североатлантический альянс, North Atlantic Alliance, OTAN",
			"uk": "Украина, Ukraine",
			"ru": "Північноатлантичний альянс, Североатлантический альянс, NATO, North Atlantic Alliance, OTAN",
		}[lang]
		want := cat.N(lang, i18n.MsgSubscribed, n, map[string]any{"Query": queries[lang]}) + "\n" +
			cat.T(lang, i18n.MsgQueryAlso, map[string]any{"Forms": also})
		if got[0].Raw != want {
			t.Errorf("%s reply:\n got %q\nwant %q", lang, got[0].Raw, want)
		}
	}

	// News: the same story in three languages, and the English one again
	// through a mirror feed with tracking parameters in its link.
	fs.add("/en", testItem{"en-2", "NATO ministers back new air defence for Ukraine", "The Alliance agreed.", "https://news.example/en/2"})
	fs.add("/mirror", testItem{"m-2", "NATO ministers back new air defence for Ukraine", "The Alliance agreed.", "https://news.example/en/2?utm_source=mirror#top"})
	fs.add("/uk", testItem{"uk-2", "Міністри НАТО підтримали нову ППО для України", "Альянс погодив.", "https://news.example/uk/2"})
	fs.add("/ru", testItem{"ru-2", "Министры НАТО поддержали новую ПВО для Украины", "Альянс согласовал.", "https://news.example/ru/2"})
	// An article that must not match "NATO": the word inside another word.
	fs.add("/en", testItem{"en-3", "Senator Donato speaks", "Nothing about the alliance.", "https://news.example/en/3"})

	// Every chat gets the story in each language (its /newslang would
	// narrow them), the mirror's copy once.
	story := []string{"NATO ministers back new air defence for Ukraine", "Міністри НАТО підтримали нову ППО для України",
		"Министры НАТО поддержали новую ПВО для Украины"}
	want := map[string][]string{
		"en": story,
		"uk": story,
		"ru": story,
	}
	for lang, titles := range want {
		got, ok := tg.WaitSent(users[lang].ID, 1+len(titles), 20*time.Second)
		if !ok {
			t.Fatalf("%s: got %d messages, want %d alerts after the reply", lang, len(got), len(titles))
		}
		for _, title := range titles {
			n := 0
			for _, msg := range got[1:] {
				if strings.Contains(msg.Text, title) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%s: alert %q sent %d times", lang, title, n)
			}
		}
	}
	// Stray duplicates would come from another poll of the feeds or from
	// the queue: wait for every feed to be polled again, nothing left to
	// match and nothing left to send, then count again.
	waitQuiet(t, m)
	for lang, titles := range want {
		if got := tg.Sent(users[lang].ID); len(got) != 1+len(titles) {
			for _, g := range got {
				t.Logf("%s: %q", lang, g.Text)
			}
			t.Errorf("%s: %d messages, want %d", lang, len(got), 1+len(titles))
		}
	}
	// Replies in each chat's language: /list in Ukrainian.
	uk := users["uk"]
	tg.SendText(telegramtest.PrivateChat(uk), uk, "/list")
	before := 1 + len(want["uk"])
	got, ok := tg.WaitSent(uk.ID, before+1, 10*time.Second)
	if !ok || !strings.HasPrefix(got[before].Raw, cat.N("uk", i18n.MsgListHeader, 1, nil)) {
		t.Errorf("/list reply: %+v", got[len(got)-1].Raw)
	}
	if testing.Verbose() {
		for _, msg := range tg.AllSent() {
			t.Logf("to %d: %s", msg.ChatID, msg.Raw)
		}
	}
	if v := tg.Violations(); len(v) > 0 {
		t.Errorf("rate-limit violations: %+v", v)
	}
	if u := tg.Unanswered(); len(u) > 0 {
		t.Errorf("unanswered callbacks: %d", len(u))
	}

	// The operator's view: healthy, and the alerts counted.
	ops := httptest.NewServer(m.Metrics.Handler())
	defer ops.Close()
	var hc strings.Builder
	if err := run(context.Background(), []string{"healthcheck", "-addr", strings.TrimPrefix(ops.URL, "http://")}, nil, &hc, io.Discard); err != nil {
		t.Errorf("healthcheck: %v %s", err, hc.String())
	}
	for _, c := range []struct{ path, want string }{
		{"/healthz", `"ok"`},
		{"/metrics", "newsalert_alerts_queued_total 9"},
		{"/metrics", "newsalert_alerts_sent_total 9"},
		{"/metrics", `newsalert_fetches_total{result="ok"}`},
	} {
		path, want := c.path, c.want
		resp, err := http.Get(ops.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d %.300s; want %q", path, resp.StatusCode, body, want)
		}
	}
}

func TestDemoRunsScripted(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for several seconds")
	}
	t.Parallel()
	out := &syncWriter{w: &strings.Builder{}}
	in, typing := io.Pipe()
	done := make(chan error, 1)
	// -duration bounds a broken run; the test stops the demo as soon as
	// it showed everything.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		done <- run(ctx, []string{"demo", "-every", "1s", "-duration", "30s"}, in, out, io.Discard)
	}()
	fmt.Fprint(typing, "/start\n/subscribe NATO\n/list\n")
	for i := 0; i < 200 && !strings.Contains(out.String(), "[1 ✖"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Fprint(typing, "!1\n")
	typing.Close()
	wants := []string{"Subscribed to “NATO”", "This chat has 1 subscription", "(bot: Removed: NATO)", "bot (edited) › No subscriptions yet"}
	showedAll := func() bool {
		for _, want := range wants {
			if !strings.Contains(out.String(), want) {
				return false
			}
		}
		return true
	}
	for i := 0; i < 400 && !showedAll(); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range wants {
		if !strings.Contains(got, want) {
			t.Errorf("demo output lacks %q:\n%s", want, got)
		}
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.(fmt.Stringer).String()
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
