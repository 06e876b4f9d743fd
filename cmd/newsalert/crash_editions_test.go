//go:build integration

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/store"
	"github.com/newsalert/newsalert/subscriptions"
)

// TestCrashStoryHeldReplacedSent kills the real binary with SIGKILL while
// story alerts are held for a better edition, between their replacement
// and their send, and during the send; every chat must get each story
// once, in its own language where the outlet has it (0 lost, duplicates
// only for messages in flight at a kill during the send).
//
//	go test -tags integration -run TestCrashStory -v ./cmd/newsalert
func TestCrashStoryHeldReplacedSent(t *testing.T) {
	const chats = 500
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	tg := telegramtest.New(t, telegramtest.Options{BotUsername: "newsalert_bot"})
	fs := newFeedServer(t)
	dbPath := filepath.Join(dir, "newsalert.db")
	cfgPath := filepath.Join(dir, "config.yaml")
	cfg := fmt.Sprintf(`telegram: {token: %q, api_url: %q, poll_timeout: 1s}
database: {path: %q}
fetch: {schedule: "@every 1s", allow_private_networks: true}
delivery: {max_alerts_per_hour: 0, edition_wait: 20s}
log: {level: debug}
topics:
  - {name: NATO, aliases: [NATO, НАТО]}
editions:
  pravda: {key: '^https://www\.pravda\.com\.ua/(?:rus/|eng/)?news/\d{4}/\d{2}/\d{2}/(\d+)/$'}
feeds:
  - {id: up-uk, url: %q, lang: uk, edition: pravda}
  - {id: up-ru, url: %q, lang: ru, edition: pravda}
`, tg.Token(), tg.URL(), dbPath, fs.URL+"/uk", fs.URL+"/ru")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	subs, err := subscriptions.New(ctx, db, subscriptions.Config{Topics: []subscriptions.Topic{{Name: "NATO", Aliases: []string{"NATO", "НАТО"}}}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range chats {
		id := int64(7000 + i)
		tg.AddChat(telegramtest.PrivateChat(telegramtest.User{ID: id, FirstName: "U"}))
		if _, err := subs.UpsertChat(ctx, id, subscriptions.Private, "uk"); err != nil {
			t.Fatal(err)
		}
		if _, err := subs.Subscribe(ctx, id, "NATO"); err != nil {
			t.Fatal(err)
		}
	}
	start := func(name string) *exec.Cmd { return startBinary(t, bin, cfgPath, dir, name) }
	kill := func(cmd *exec.Cmd, when string) {
		killBinary(t, cmd)
		t.Logf("killed %s", when)
	}
	// sent counts, per chat, the alerts of each story title.
	sent := func(title string) map[int64]int { return sentContaining(tg, title) }
	count := func(q string, args ...any) int {
		var n int
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	link := func(lang string, id int) string {
		prefix := map[string]string{"uk": "", "ru": "rus/"}[lang]
		return fmt.Sprintf("https://www.pravda.com.ua/%snews/2026/12/01/%d/", prefix, id)
	}
	const (
		ru1 = "Министры НАТО встретились" // story 1, ru: replaced by uk for every chat
		uk1 = "Міністри НАТО зустрілися"  // story 1, uk
		ru2 = "Генсек НАТО прибыл в Киев" // story 2, ru only: goes out after the wait
	)

	first := start("first")
	waitWithin(t, "the first polls", 30*time.Second, func() bool { return fs.requests() >= 2 })
	time.Sleep(1500 * time.Millisecond) // both feeds seeded
	fs.add("/ru", testItem{link("ru", 1), ru1, "…", link("ru", 1)})
	fs.add("/ru", testItem{link("ru", 2), ru2, "…", link("ru", 2)})
	waitWithin(t, "held alerts", 30*time.Second, func() bool {
		return count(`SELECT count(*) FROM outbox_stories WHERE released = 0`) == 2*chats
	})
	kill(first, "while alerts were held")

	// The Ukrainian edition of story 1 arrives while the bot is down.
	fs.add("/uk", testItem{link("uk", 1), uk1, "…", link("uk", 1)})
	second := start("second")
	waitWithin(t, "story 1 replaced and released", 30*time.Second, func() bool {
		return count(`SELECT count(*) FROM outbox o JOIN articles a ON a.id = o.article_id WHERE a.link = ?`, link("uk", 1)) == chats
	})
	kill(second, fmt.Sprintf("between replacement and send (%d sent)", len(sent(uk1))))

	third := start("third")
	waitWithin(t, "200 alerts of story 1", 60*time.Second, func() bool { return len(sent(uk1)) >= 200 })
	kill(third, fmt.Sprintf("during the send (%d sent)", len(sent(uk1))))

	fourth := start("fourth")
	waitWithin(t, "every alert", 120*time.Second, func() bool { return len(sent(uk1)) >= chats && len(sent(ru2)) >= chats })
	time.Sleep(2 * time.Second) // let any duplicate show up
	defer fourth.Process.Signal(syscall.SIGTERM)
	dups := 0
	for _, title := range []string{uk1, ru2} {
		got := sent(title)
		if len(got) != chats {
			t.Errorf("%q reached %d chats, want %d", title, len(got), chats)
		}
		for _, n := range got {
			dups += n - 1
		}
	}
	if n := len(sent(ru1)); n != 0 {
		t.Errorf("the Russian edition of story 1 went to %d Ukrainian chats", n)
	}
	t.Logf("story 1 (uk) to %d chats, story 2 (ru, after the wait) to %d; %d duplicates", len(sent(uk1)), len(sent(ru2)), dups)
	// Only messages in flight at the kill during the send may repeat.
	if dups > 60 {
		t.Errorf("%d duplicates, more than could have been in flight", dups)
	}
}
