//go:build integration

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/store"
	"github.com/newsalert/newsalert/subscriptions"
)

// TestCrashLosesNoAlert kills the real binary with SIGKILL while it delivers
// 1,000 alerts, restarts it, and checks that every chat got its alert: none
// lost, and duplicates only for messages in flight at the kill.
//
//	go test -tags integration -run TestCrashLosesNoAlert -v ./cmd/newsalert
func TestCrashLosesNoAlert(t *testing.T) {
	const chats = 1000
	dir := t.TempDir()
	bin := buildBinary(t, dir)

	tg := telegramtest.New(t, telegramtest.Options{BotUsername: "newsalert_bot"})
	fs := newFeedServer(t)
	fs.add("/en", testItem{"old", "Old news about NATO", "Seeded, never alerted.", "https://news.example/old"})
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

	// 1,000 chats subscribed to NATO, written with the same code the bot uses.
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	subs, err := subscriptions.New(ctx, db, subscriptions.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range chats {
		id := int64(5000 + i)
		tg.AddChat(telegramtest.PrivateChat(telegramtest.User{ID: id, FirstName: "U"}))
		if _, err := subs.UpsertChat(ctx, id, subscriptions.Private, "en"); err != nil {
			t.Fatal(err)
		}
		if _, err := subs.Subscribe(ctx, id, "NATO"); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	start := func(name string) *exec.Cmd { return startBinary(t, bin, cfgPath, dir, name) }
	sentTo := func() map[int64]int { return sentContaining(tg, "NATO ministers") }

	first := start("first")
	// Wait for the seeding poll (the old item is recorded, not alerted).
	waitWithin(t, "the first poll", 30*time.Second, func() bool { return fs.requests() > 0 })
	// The bot is up (its migrations ran): read its database alongside it
	// (WAL lets a reader in) to see the first poll recorded.
	db, err = store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waitWithin(t, "the first poll recorded", 30*time.Second, func() bool {
		st, err := feeds.NewStore(db).State(ctx, "en")
		return err == nil && st.Seeded
	})
	fs.add("/en", testItem{"new", "NATO ministers meet", "A new story.", "https://news.example/new"})
	waitWithin(t, "300 alerts", 60*time.Second, func() bool { return len(sentTo()) >= 300 })
	killBinary(t, first)
	atKill := len(sentTo())
	t.Logf("killed after %d of %d alerts", atKill, chats)

	second := start("second")
	waitWithin(t, "all alerts", 120*time.Second, func() bool { return len(sentTo()) >= chats })
	// A duplicate can only come from a row still pending: wait until none is.
	waitWithin(t, "the outbox drained", 30*time.Second, func() bool {
		var pending int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE status = 'pending'`).Scan(&pending)
		return err == nil && pending == 0
	})
	dups := 0
	for _, n := range sentTo() {
		dups += n - 1
	}
	t.Logf("delivered to %d chats; %d duplicates; %d rate-limit violations", len(sentTo()), dups, len(tg.Violations()))
	if got := len(sentTo()); got != chats {
		t.Errorf("alerts reached %d chats, want %d", got, chats)
	}
	// Only messages in flight at the kill may repeat: at most the requests
	// the queue keeps in flight (2 × 30/s).
	if dups > 60 {
		t.Errorf("%d duplicates, more than could have been in flight", dups)
	}
	for _, m := range tg.AllSent() {
		if strings.Contains(m.Text, "Old news") {
			t.Errorf("seeded item was alerted to %d", m.ChatID)
		}
	}

	// SIGTERM: a graceful stop, within 10 s.
	stopAt := time.Now()
	second.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- second.Wait() }()
	select {
	case err := <-exited:
		t.Logf("stopped %v after SIGTERM (%v)", time.Since(stopAt).Round(time.Millisecond), err)
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("still running 10 s after SIGTERM")
	}
}
