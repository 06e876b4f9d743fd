//go:build integration

package delivery

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/store"
)

// TestKill9 runs the queue in a child process, kills it with SIGKILL in the
// middle of delivering 1,000 alerts, and runs a new child on the same
// database: every alert arrives, at most the ones in flight at the kill
// (one per chat at most) arrive twice, and the fake sees no rate-limit
// violation across the two processes.
//
//	go test -tags integration -run TestKill9 -v ./bot/delivery
func TestKill9(t *testing.T) {
	lim := Limits{GlobalPerSecond: 100, PerChatPerSecond: 1, PerGroupPerMinute: 20}
	tg := newFake(t, lim)
	path := filepath.Join(t.TempDir(), "news.db")
	db := openDB(t, path)
	addArticles(t, db, 1, 1)
	var chats []int64
	for c := int64(1); c <= 1000; c++ {
		chats = append(chats, c)
	}
	addChats(tg, chats...)
	q, err := New(Config{Limits: lim}, db, newBot(t, tg), textRenderer{}, &chatLog{}, quietLog(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Enqueue(context.Background(), 1, alertsFor(chats)); err != nil {
		t.Fatal(err)
	}
	db.Close()

	child := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKill9Child$", "-test.v")
		cmd.Env = append(os.Environ(), "DELIVERY_CHILD_DB="+path, "DELIVERY_CHILD_API="+tg.Endpoint(),
			"DELIVERY_CHILD_TOKEN="+tg.Token(), "DELIVERY_CHILD_RATE="+strconv.Itoa(lim.GlobalPerSecond))
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	first := child()
	waitFor(t, "300 alerts sent", func() bool { return len(tg.AllSent()) >= 300 })
	if err := first.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	first.Wait()
	atKill := len(tg.AllSent())
	second := child()
	if err := second.Wait(); err != nil {
		t.Fatalf("second run: %v", err)
	}
	got := delivered(tg)
	dups := 0
	for _, c := range chats {
		switch n := len(got[c]); {
		case n == 0:
			t.Errorf("chat %d lost its alert", c)
		case n > 2:
			t.Errorf("chat %d got its alert %d times", c, n)
		case n == 2:
			dups++
		}
	}
	t.Logf("killed after %d messages; %d duplicates (in flight at the kill)", atKill, dups)
	if dups > 2*lim.GlobalPerSecond {
		t.Errorf("%d duplicates: more than could have been in flight", dups)
	}
	noViolations(t, tg)
}

// TestKill9Child is the process TestKill9 kills: it runs a queue until the
// outbox is empty.
func TestKill9Child(t *testing.T) {
	path := os.Getenv("DELIVERY_CHILD_DB")
	if path == "" {
		t.Skip("run by TestKill9")
	}
	rate, _ := strconv.Atoi(os.Getenv("DELIVERY_CHILD_RATE"))
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bot, err := tgbotapi.NewBotAPIWithClient(os.Getenv("DELIVERY_CHILD_TOKEN"), os.Getenv("DELIVERY_CHILD_API"),
		&http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	lim := Limits{GlobalPerSecond: rate, PerChatPerSecond: 1, PerGroupPerMinute: 20}
	q, err := New(Config{Limits: lim}, db, bot, textRenderer{}, &chatLog{}, quietLog(), nil)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- q.Run(runCtx) }()
	for {
		time.Sleep(50 * time.Millisecond)
		st, err := q.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Pending == 0 {
			break
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
