//go:build integration

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/store"
	"github.com/newsalert/newsalert/subscriptions"
)

// TestCrashMidDigest kills the real binary with SIGKILL after the first
// message of a three-part daily digest reached the chat, restarts it, and
// checks that each part arrived exactly once (the parts are stored and
// marked sent one by one; before, the whole digest went out again).
//
//	go test -tags integration -run TestCrashMidDigest -v ./cmd/newsalert
func TestCrashMidDigest(t *testing.T) {
	const chatID, stories = 7001, 40
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	tg := telegramtest.New(t, telegramtest.Options{BotUsername: "newsalert_bot"})
	fs := newFeedServer(t)
	dbPath := filepath.Join(dir, "newsalert.db")
	cfgPath := filepath.Join(dir, "config.yaml")
	cfg := fmt.Sprintf(`telegram: {token: %q, api_url: %q, poll_timeout: 1s}
database: {path: %q}
fetch: {schedule: "@every 1s", allow_private_networks: true}
delivery: {max_alerts_per_hour: 0}
log: {level: debug}
feeds:
  - {id: en, url: %q, lang: en}
`, tg.Token(), tg.URL(), dbPath, fs.URL+"/en")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	// A chat with a daily digest whose next period is far away.
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	subs, err := subscriptions.New(ctx, db, subscriptions.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tg.AddChat(telegramtest.PrivateChat(telegramtest.User{ID: chatID, FirstName: "U"}))
	if _, err := subs.UpsertChat(ctx, chatID, subscriptions.Private, "en"); err != nil {
		t.Fatal(err)
	}
	if _, err := subs.Subscribe(ctx, chatID, "NATO"); err != nil {
		t.Fatal(err)
	}
	if _, err := subs.SetDigest(ctx, chatID, "daily 08:00"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO digest_batches(chat_id, batch, last_period, next_due) VALUES(?, 'digest', 'd:2999-01-01', ?)`,
		chatID, time.Now().Add(1000*time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}

	start := func(name string) *exec.Cmd { return startBinary(t, bin, cfgPath, dir, name) }
	count := func(q string) int {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	parts := func() map[string]int {
		n := map[string]int{}
		for _, m := range tg.Sent(chatID) {
			if strings.HasPrefix(m.Text, "Daily digest") || strings.HasPrefix(m.Text, "(continued)") {
				n[m.Text]++
			}
		}
		return n
	}

	first := start("first")
	waitWithin(t, "the first poll", 30*time.Second, func() bool { return fs.requests() > 0 })
	time.Sleep(1500 * time.Millisecond)
	for i := range stories {
		title := fmt.Sprintf("NATO story %02d: %s", i, strings.Repeat("a long headline about the alliance ", 5))
		fs.add("/en", testItem{fmt.Sprintf("s%d", i), title, "Text.", fmt.Sprintf("https://news.example/story/%d", i)})
	}
	waitWithin(t, "the stories held for the digest", 60*time.Second, func() bool {
		return count(`SELECT count(*) FROM digest_items WHERE chat_id = 7001`) == stories
	})
	if n := len(tg.Sent(chatID)); n != 0 {
		t.Fatalf("%d messages before the digest was due", n)
	}
	// The period falls due now.
	if _, err := db.Exec(`UPDATE digest_batches SET last_period = 'd:2000-01-01', next_due = 0 WHERE chat_id = ?`, chatID); err != nil {
		t.Fatal(err)
	}
	waitWithin(t, "the first part", 30*time.Second, func() bool { return len(parts()) >= 1 })
	killBinary(t, first)
	stored := count(`SELECT count(*) FROM digest_parts WHERE chat_id = 7001`)
	atKill := len(parts())
	t.Logf("killed after %d of %d parts", atKill, stored)
	if stored != 3 {
		t.Fatalf("the digest has %d parts, want 3 (make the titles longer or shorter)", stored)
	}
	if atKill >= stored {
		t.Fatalf("every part was out before the kill")
	}

	start("second")
	waitWithin(t, "every part", 60*time.Second, func() bool { return len(parts()) >= stored })
	time.Sleep(2 * time.Second) // let any duplicate show up
	for text, n := range parts() {
		if n != 1 {
			t.Errorf("part %.40q delivered %d times", text, n)
		}
	}
	if got := tg.Sent(chatID); !strings.HasPrefix(got[0].Text, "Daily digest: 40 articles on 1 topic") {
		t.Errorf("first part: %.80q", got[0].Text)
	}
	if n := count(`SELECT count(*) FROM digest_parts WHERE status = 'sent'`); n != stored {
		t.Errorf("%d parts marked sent, want %d", n, stored)
	}
}
