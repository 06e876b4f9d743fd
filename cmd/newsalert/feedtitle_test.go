package main

import (
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/config"
)

// A feed configured without name: alerts name it by its own title (the
// test server's channel is "Test"), not by its id.
func TestFeedWithoutNameShowsItsTitle(t *testing.T) {
	t.Parallel()
	tg := newFake(t)
	fs := newFeedServer(t)
	fs.add("/en", testItem{"en-1", "Old news", "Before the start.", "https://news.example/en/1"})
	m := startMain(t, testConfig(t, tg, fs, config.Feed{ID: "site-en", URL: "/en", Lang: "en"}))
	waitSeeded(t, m, 1)
	u := telegramtest.User{ID: 2001, FirstName: "Ann", LanguageCode: "en"}
	tg.SendText(telegramtest.PrivateChat(u), u, "/subscribe NATO")
	if _, ok := tg.WaitSent(u.ID, 1, 10*time.Second); !ok {
		t.Fatal("no reply to /subscribe")
	}
	fs.add("/en", testItem{"en-2", "NATO summit opens", "Leaders arrive.", "https://news.example/en/2"})
	got, ok := tg.WaitSent(u.ID, 2, 20*time.Second)
	if !ok {
		t.Fatal("no alert")
	}
	if alert := got[1].Text; !strings.Contains(alert, "Test") || strings.Contains(alert, "site-en") {
		t.Errorf("alert names the feed by its id, not its title:\n%s", alert)
	}
	if n := m.Sources()[0].DisplayName(); n != "Test" {
		t.Errorf("/feeds name %q, want the feed's title", n)
	}
}
