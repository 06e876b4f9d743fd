package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
)

// fakeClock is the injected clock of the digest tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// digestHarness is a Main on an injected clock, with one user.
type digestHarness struct {
	*chatHarness
	clk  *fakeClock
	u    telegramtest.User
	chat telegramtest.Chat
	n    int // feed items added
}

var kyiv = func() *time.Location {
	l, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		panic(err)
	}
	return l
}()

func newDigestHarness(t *testing.T, start time.Time) *digestHarness {
	tg := telegramtest.New(t, telegramtest.Options{BotUsername: "newsalert_bot"})
	fs := newFeedServer(t)
	cfg := testConfig(t, tg, fs, configFeed("site-en", "/en", "en"))
	clk := &fakeClock{t: start}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(&testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	m := NewMain(cfg, logger)
	m.Now = clk.Now
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
	waitSeeded(t, m, 1)
	cat, err := i18n.New(i18n.Config{})
	if err != nil {
		t.Fatal(err)
	}
	u := telegramtest.User{ID: 5001, FirstName: "Olena", LanguageCode: "en"}
	return &digestHarness{chatHarness: &chatHarness{t, tg, fs, m, cat}, clk: clk, u: u, chat: telegramtest.PrivateChat(u)}
}

func (h *digestHarness) cmd(text string) telegramtest.SentMessage {
	h.t.Helper()
	return h.say(h.chat, h.u, text)
}

// publish adds a NATO story and waits until the matcher queued it (as an
// alert or into a digest).
func (h *digestHarness) publish(title string) {
	h.t.Helper()
	h.n++
	before := h.count(`SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM digest_items) + (SELECT count(*) FROM digest_parts)`)
	h.fs.add("/en", testItem{fmt.Sprintf("en-%d", h.n), title, "NATO news.", fmt.Sprintf("https://news.example/en/%d", h.n)})
	h.waitFor("the story queued", func() bool {
		var matched int
		h.m.DB.QueryRow(`SELECT count(*) FROM articles WHERE matched = 0`).Scan(&matched)
		return matched == 0 &&
			h.count(`SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM digest_items) + (SELECT count(*) FROM digest_parts)`) > before
	})
}

func (h *digestHarness) count(q string, args ...any) int {
	var n int
	if err := h.m.DB.QueryRow(q, args...).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *digestHarness) waitFor(what string, ok func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// advance moves the clock to t, runs the digest runner and waits until
// what it queued was sent.
func (h *digestHarness) advance(t time.Time) {
	h.t.Helper()
	h.clk.Set(t)
	if err := h.m.Digests.Step(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	h.m.Queue.Wake()
	h.waitFor("digest parts sent", func() bool {
		return h.count(`SELECT count(*) FROM digest_parts WHERE status = 'pending'`) == 0 &&
			h.count(`SELECT count(*) FROM outbox WHERE status = 'pending'`) == 0
	})
}

// digests are the digest messages the user got, as the local time each was
// sent at (by the injected clock) → its text.
func (h *digestHarness) digests(prefix string) []telegramtest.SentMessage {
	var out []telegramtest.SentMessage
	for _, m := range h.tg.Sent(h.u.ID) {
		if strings.HasPrefix(m.Text, prefix) {
			out = append(out, m)
		}
	}
	return out
}

// TestDailyDigestAcrossDST: a daily digest at 08:00 Europe/Kyiv goes out
// exactly once each day across both daylight-saving changes of 2026
// (29 March 03:00 → 04:00, 25 October 04:00 → 03:00), and a change of
// /timezone neither repeats nor skips a day.
func TestDailyDigestAcrossDST(t *testing.T) {
	h := newDigestHarness(t, time.Date(2026, 3, 26, 10, 0, 0, 0, kyiv))
	h.cmd("/timezone Europe/Kyiv")
	h.cmd("/subscribe NATO")
	if got := h.cmd("/digest daily 08:00"); !strings.Contains(got.Text, "every day at 08:00") {
		t.Fatalf("/digest reply: %q", got.Text)
	}
	if got := h.cmd("/digest"); !strings.Contains(got.Text, "every day at 08:00") || !strings.Contains(got.Text, "Europe/Kyiv") {
		t.Fatalf("/digest shows: %q", got.Text)
	}

	sentOn := map[string]int{} // local date → digests sent that day
	run := func(from time.Time, days int) {
		now := from
		for d := 0; d < days; d++ {
			h.publish(fmt.Sprintf("NATO story %d", h.n+1))
			dayEnd := now.Add(24 * time.Hour)
			for ; now.Before(dayEnd); now = now.Add(20 * time.Minute) {
				before := len(h.digests("Daily digest"))
				h.advance(now)
				if got := h.digests("Daily digest"); len(got) > before {
					local := now.In(h.m.Routes.Location)
					if c, err := h.m.Subs.Chat(context.Background(), h.u.ID); err == nil && c.Timezone != "" {
						loc, _ := time.LoadLocation(c.Timezone)
						local = now.In(loc)
					}
					if local.Hour() != 8 || local.Minute() >= 20 {
						t.Errorf("digest at %v local, want 08:00", local)
					}
					sentOn[local.Format("2006-01-02")] += len(got) - before
				}
			}
		}
	}
	run(time.Date(2026, 3, 26, 10, 0, 0, 0, kyiv), 5) // through 31 March
	// Months later (as if the bot had been stopped): the missed days are
	// caught up with one digest, then the schedule goes on.
	h.advance(time.Date(2026, 10, 22, 10, 0, 0, 0, kyiv))
	run(time.Date(2026, 10, 22, 10, 0, 0, 0, kyiv), 5) // through 27 October
	for _, days := range [][2]int{{27, 31}} {
		for d := days[0]; d <= days[1]; d++ {
			if k := fmt.Sprintf("2026-03-%02d", d); sentOn[k] != 1 {
				t.Errorf("%s: %d digests, want 1", k, sentOn[k])
			}
		}
	}
	for d := 23; d <= 27; d++ {
		if k := fmt.Sprintf("2026-10-%02d", d); sentOn[k] != 1 {
			t.Errorf("%s: %d digests, want 1", k, sentOn[k])
		}
	}
	// The header counts articles and topics; titles are numbered links.
	last := h.digests("Daily digest")
	if len(last) == 0 {
		t.Fatal("no digest")
	}
	if m := last[len(last)-1]; !strings.HasPrefix(m.Text, "Daily digest: 1 article on 1 topic") || !strings.Contains(m.Text, "1. NATO story") {
		t.Errorf("digest text: %q", m.Text)
	}

	// After today's 08:00 Kyiv digest the chat moves to Toronto (02:00
	// there): Toronto's 08:00 of the same date sends nothing; the next
	// day's does.
	clear(sentOn)
	h.publish("NATO after the move")
	now := time.Date(2026, 10, 28, 9, 0, 0, 0, kyiv)
	h.advance(now)
	before := len(h.digests("Daily digest"))
	h.cmd("/timezone America/Toronto")
	h.publish("NATO in Toronto")
	toronto, _ := time.LoadLocation("America/Toronto")
	for end := now.Add(48 * time.Hour); now.Before(end); now = now.Add(30 * time.Minute) {
		h.advance(now)
		if got := len(h.digests("Daily digest")); got > before {
			sentOn[now.In(toronto).Format("2006-01-02 15")] += got - before
			before = got
		}
	}
	if len(sentOn) != 1 || sentOn["2026-10-29 08"] != 1 {
		t.Errorf("after the move to Toronto: %v, want one digest on 2026-10-29 at 08", sentOn)
	}
}
