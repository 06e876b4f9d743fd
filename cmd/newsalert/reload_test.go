package main

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/config"
)

// waitUntil polls cond until it holds; the deadline only bounds a broken
// test.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	waitWithin(t, what, 20*time.Second, cond)
}

// waitWithin is waitUntil with the deadline of a slow step (a child process
// delivering a thousand alerts).
func waitWithin(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A hand edit of config.yaml changes admins, the default time zone, the poll
// schedule, the flood cap, the per-chat limit and the curated topics of the running bot, with no
// restart; a reload that changes no topic does not touch the matcher, and a
// topic edit re-indexes it once.
func TestConfigReloadLive(t *testing.T) {
	t.Parallel()
	tg := newFake(t)
	fs := newFeedServer(t)
	fs.add("/en", testItem{"en-1", "Old story", "Old.", "https://news.example/en/1"})
	m, path := startFromFile(t, tg, fs, "topics:\n  - {name: NATO, aliases: [NATO, OTAN]}\n")
	waitSeeded(t, m, 1)
	cat, _ := i18n.New(i18n.Config{})
	newAdmin := telegramtest.User{ID: 888, FirstName: "New", LanguageCode: "en"}
	say := func(u telegramtest.User, text string) string { t.Helper(); return sayPrivately(t, tg, u, text) }
	if got := say(newAdmin, "/stats"); got != cat.T("en", i18n.MsgAdminOnly, nil) {
		t.Fatalf("/stats before the edit: %q", got)
	}
	if got := say(newAdmin, "/subscribe OTAN"); !strings.Contains(got, "NATO") {
		t.Fatalf("/subscribe OTAN: %q", got)
	}

	// An edit that touches no topic: the matcher is left alone.
	edit := func(pairs ...string) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(pairs); i += 2 {
			if !bytes.Contains(b, []byte(pairs[i])) {
				t.Fatalf("config has no %q:\n%s", pairs[i], b)
			}
			b = bytes.Replace(b, []byte(pairs[i]), []byte(pairs[i+1]), 1)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("admins: [777]", "admins: [777, 888]",
		`schedule: "@every 1s"`, `schedule: "@every 2s"`,
		"max_alerts_per_hour: 0", "max_alerts_per_hour: 1\ndefaults:\n  timezone: America/Toronto\nsubscriptions:\n  max_per_chat: 1")
	// The config in force changes first, then the workers are told: wait
	// for the last of what this test reads.
	waitUntil(t, "the edit applied", func() bool {
		return m.Config().IsAdmin(888) && m.Subs.MaxPerChat() == 1 && m.Scheduler.Spec() == "@every 2s"
	})
	if got := say(newAdmin, "/stats"); !strings.Contains(got, "Statistics") {
		t.Errorf("/stats by the new admin: %q", got)
	}
	if got, want := say(newAdmin, "/subscribe Brussels"), cat.N("en", i18n.MsgTooManySubs, 1, nil); got != want {
		t.Errorf("/subscribe over the new max_per_chat of 1:\n got %q\nwant %q", got, want)
	}
	if got := m.location().String(); got != "America/Toronto" {
		t.Errorf("default time zone = %s, want America/Toronto", got)
	}
	if got := m.Scheduler.Spec(); got != "@every 2s" {
		t.Errorf("poll schedule = %q, want @every 2s", got)
	}
	if n, _ := m.Subs.TopicReindexes(); n != 0 {
		t.Errorf("an edit with no topic change re-indexed the matcher %d times", n)
	}
	// The flood cap of 1 an hour holds now: the second alert waits for
	// the digest.
	fs.add("/en", testItem{"en-2", "OTAN summit one", "x", "https://news.example/en/2"})
	fs.add("/en", testItem{"en-3", "OTAN summit two", "x", "https://news.example/en/3"})
	waitUntil(t, "two alerts queued", func() bool {
		st, err := m.Queue.Stats(t.Context())
		return err == nil && st.Held == 1
	})
	alerts := 0
	for _, msg := range tg.Sent(newAdmin.ID) {
		if strings.Contains(msg.Text, "OTAN summit") {
			alerts++
		}
	}
	if alerts != 1 {
		t.Errorf("%d alerts sent under a cap of 1 an hour, want 1", alerts)
	}

	// A topic edit: one re-index, of the one subscription it concerns.
	edit("aliases: [NATO, OTAN]", "aliases: [NATO, OTAN, НАТО]")
	waitUntil(t, "the topic edit applied", func() bool { n, _ := m.Subs.TopicReindexes(); return n > 0 })
	if n, subs := m.Subs.TopicReindexes(); n != 1 || subs != 1 {
		t.Errorf("topic edit: %d re-indexes of %d subscriptions, want 1 of 1", n, subs)
	}
}

// The keys a running bot cannot apply are named in the reload's log.
func TestRestartKeys(t *testing.T) {
	old := config.Default()
	cur := old
	cur.Telegram.Admins = []int64{1}
	cur.Fetch.Schedule = "@every 1m"
	cur.Telegram.Rate.GlobalPerSecond = 10
	cur.Defaults.Timezone = "Europe/Kyiv"
	cur.Subscriptions.MaxPerChat = 3
	if keys := restartKeys(&old, &cur); len(keys) != 0 {
		t.Errorf("live keys reported as needing a restart: %v", keys)
	}
	cur.Database.Path = "/elsewhere.db"
	cur.HTTP.Listen = ":9999"
	cur.Fetch.Timeout = config.Duration(time.Minute)
	cur.Delivery.EditionWait = config.Duration(time.Minute)
	cur.Translate.URL = "http://127.0.0.1:5000"
	want := []string{"database.path", "http.listen", "delivery.edition_wait", "translate", "fetch (all but schedule)"}
	if keys := restartKeys(&old, &cur); !slices.Equal(keys, want) {
		t.Errorf("restart keys = %v, want %v", keys, want)
	}
}
