package bot

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/feeds"
)

// The default time zone is read live through DefaultLocation: a config
// reload that changes defaults.timezone reaches the chats without their
// own zone, in replies and in alerts, with no restart.
func TestDefaultLocationLive(t *testing.T) {
	utc, tokyo := time.UTC, mustZone(t, "Asia/Tokyo")
	var zone atomic.Pointer[time.Location]
	zone.Store(utc)
	tb := newTestBot(t, testBotOptions{Configure: func(c *Config) { c.DefaultLocation = zone.Load }})
	u := user(2301, "en")
	chat := telegramtest.PrivateChat(u)
	if got := tb.say(chat, u, "/timezone").Text; !strings.Contains(got, "UTC") {
		t.Errorf("/timezone before the reload: %q", got)
	}
	zone.Store(tokyo)
	if got := tb.say(chat, u, "/timezone").Text; !strings.Contains(got, "Asia/Tokyo") {
		t.Errorf("/timezone after the reload: %q", got)
	}

	r := &AlertRenderer{Renderer: NewRenderer(tb.cat), Subs: tb.subs, Catalog: tb.cat,
		Sources: func() []feeds.Source { return nil }, Location: utc, DefaultLocation: zone.Load}
	pub := time.Date(2026, 3, 1, 15, 4, 0, 0, time.UTC) // 00:04 in Tokyo
	art := &feeds.Article{ID: 1, FeedID: "f", Lang: "en", Title: "Story", Link: "https://news.example/1", Published: pub, Seen: pub}
	render := func() string {
		msg, err := r.Alert(context.Background(), delivery.Alert{ChatID: u.ID, ArticleID: 1, Article: art})
		if err != nil {
			t.Fatal(err)
		}
		return msg.Plain
	}
	if got := render(); !strings.Contains(got, "00:04") {
		t.Errorf("alert in the reloaded zone lacks 00:04 (Tokyo):\n%s", got)
	}
	zone.Store(utc)
	if got := render(); !strings.Contains(got, "15:04") {
		t.Errorf("alert after switching back lacks 15:04 (UTC):\n%s", got)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no tzdata for %s: %v", name, err)
	}
	return l
}
