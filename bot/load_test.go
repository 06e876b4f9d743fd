package bot

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/feeds"
)

// TestLoadCommands measures how fast commands are answered while the
// delivery queue works off a backlog of 10,000 alerts (10 for each of 1,000
// chats) under Telegram's default limits (30/s, 1/s a chat, 20/min a
// group), through the update loop, the Inbox, the bot and the fake. 200
// other chats (BOT_LOAD_CHATS) each send one command (/start, /list,
// /subscribe, /help in turn), all at once or spread over BOT_LOAD_SPREAD;
// BOT_LOAD_ARTICLES stored articles make the dry runs of /subscribe slow.
// It runs only when asked:
//
//	BOT_LOAD=1 go test -run TestLoadCommands -v ./bot
//	BOT_LOAD=1 BOT_LOAD_SPREAD=10s go test -run TestLoadCommands -v ./bot
//	BOT_LOAD=1 BOT_LOAD_SPREAD=10s BOT_LOAD_ARTICLES=20000 go test -run TestLoadCommands -v ./bot
func TestLoadCommands(t *testing.T) {
	if os.Getenv("BOT_LOAD") == "" {
		t.Skip("set BOT_LOAD=1 to run the load test")
	}
	spread, _ := time.ParseDuration(os.Getenv("BOT_LOAD_SPREAD"))
	users, _ := strconv.Atoi(os.Getenv("BOT_LOAD_CHATS"))
	if users <= 0 {
		users = 200
	}
	lim := delivery.Limits{GlobalPerSecond: 30, PerChatPerSecond: 1, PerGroupPerMinute: 20}
	tb := newTestBot(t, testBotOptions{Limits: lim})
	ctx := context.Background()

	// The backlog: 10 articles, each matched by 1,000 chats.
	var arts []feeds.Article
	now := tb.clock.Now()
	for i := range 10 {
		arts = append(arts, feeds.Article{FeedID: "site-en", Lang: "en", GUID: fmt.Sprint("g", i),
			Link: fmt.Sprintf("https://news.example/en/%d", i), Title: fmt.Sprintf("NATO story %d", i),
			Published: now.Add(-time.Minute), Seen: now})
	}
	fresh, err := tb.feeds.SavePoll(ctx, feeds.FeedState{ID: "site-en", Seeded: true}, arts, false, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var alerts []delivery.Alert
	for c := int64(1); c <= 1000; c++ {
		tb.tg.AddChat(telegramtest.Chat{ID: c, Type: telegramtest.ChatPrivate, FirstName: "Reader"})
		alerts = append(alerts, delivery.Alert{ChatID: c, Topics: []string{"NATO"}, Words: []string{"NATO"}})
	}
	for _, a := range fresh {
		if err := tb.queue.Enqueue(ctx, a.ID, alerts); err != nil {
			t.Fatal(err)
		}
	}
	// Stored articles make each /subscribe's dry run slow (0.7 s per
	// 20,000 in the measurement).
	if n, _ := strconv.Atoi(os.Getenv("BOT_LOAD_ARTICLES")); n > 0 {
		titles := make([]string, n)
		for i := range titles {
			titles[i] = fmt.Sprintf("Story %d about the economy and the weather in Kyiv", i)
		}
		tb.addArticles("site-uk", "uk", titles...)
	}
	// Let the backlog get going.
	if _, ok := tb.tg.WaitSent(1, 1, replyTimeout); !ok {
		t.Fatal("the backlog does not move")
	}

	commands := []string{"/start", "/list", "/subscribe NATO", "/help"}
	sentAt := make(map[int64]time.Time, users)
	start := time.Now()
	for i := range users {
		u := user(int64(100000+i), "en")
		if spread > 0 {
			time.Sleep(time.Until(start.Add(spread * time.Duration(i) / time.Duration(users))))
		}
		sentAt[u.ID] = time.Now()
		tb.tg.SendText(telegramtest.PrivateChat(u), u, commands[i%len(commands)])
	}
	var lat []time.Duration
	byCommand := map[string][]time.Duration{}
	for i := range users {
		id := int64(100000 + i)
		got, ok := tb.tg.WaitSent(id, 1, 2*time.Minute)
		if !ok {
			t.Fatalf("chat %d got no reply", id)
		}
		d := got[0].Time.Sub(sentAt[id])
		lat = append(lat, d)
		cmd := commands[i%len(commands)]
		byCommand[cmd] = append(byCommand[cmd], d)
	}
	elapsed := time.Since(start)
	st, _ := tb.queue.Stats(ctx)
	slices.Sort(lat)
	n := len(lat)
	alertsSent := 0
	for _, m := range tb.tg.AllSent() {
		if m.ChatID <= 1000 {
			alertsSent++
		}
	}
	t.Logf("%d chats each sent a command (spread over %v) during a backlog of %d alerts; all answered in %.1fs",
		users, spread, len(fresh)*1000, elapsed.Seconds())
	t.Logf("reply latency: p50 %v, p95 %v, max %v", lat[n/2].Round(time.Millisecond),
		lat[n*95/100].Round(time.Millisecond), lat[n-1].Round(time.Millisecond))
	for _, cmd := range commands {
		l := byCommand[cmd]
		slices.Sort(l)
		t.Logf("  %-16s p50 %v, p95 %v", cmd, l[len(l)/2].Round(time.Millisecond), l[len(l)*95/100].Round(time.Millisecond))
	}
	t.Logf("alerts sent meanwhile %d, still pending %d; rate-limit violations %d", alertsSent, st.Pending, len(tb.tg.Violations()))
	if v := tb.tg.Violations(); len(v) > 0 {
		t.Errorf("%d violations, first %+v", len(v), v[0])
	}
}
