package delivery

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/telegramtest"
)

// TestRestartResumesPendingRows stops a queue in the middle of a backlog
// with requests hanging (as a kill would leave them), then runs a new queue
// on the reopened database: every alert arrives, and only those in flight at
// the stop may arrive twice.
func TestRestartResumesPendingRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "news.db")
	db := openDB(t, path)
	addArticles(t, db, 1, 3)
	tg := newFake(t, fastLimits)
	bot := newBot(t, tg)
	cfg := Config{Limits: fastLimits, ShutdownWait: 50 * time.Millisecond}
	q, err := New(cfg, db, bot, textRenderer{}, &chatLog{}, quietLog(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var chats []int64
	for c := int64(1); c <= 40; c++ {
		chats = append(chats, c)
	}
	addChats(tg, chats...)
	ctx := context.Background()
	for a := int64(1); a <= 3; a++ {
		if err := q.Enqueue(ctx, a, alertsFor(chats)); err != nil {
			t.Fatal(err)
		}
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- q.Run(runCtx) }()
	waitFor(t, "some alerts sent", func() bool { return len(tg.AllSent()) >= 30 })
	// From now on Telegram accepts messages but answers slowly: the stop
	// leaves them in flight.
	tg.Fail(telegramtest.Fault{Method: "sendMessage", Kind: telegramtest.FaultSlow, Delay: 300 * time.Millisecond, Times: 40})
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	db.Close()
	time.Sleep(400 * time.Millisecond) // the hanging requests finish on the server

	db2 := openDB(t, path)
	q2, err := New(cfg, db2, bot, textRenderer{}, &chatLog{}, quietLog(), nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db2, tg: tg, q: q2}
	f.start()
	f.waitStatus("sent", 120)
	got := delivered(tg)
	dups := 0
	for _, c := range chats {
		seen := map[string]int{}
		for _, text := range got[c] {
			seen[text]++
		}
		for _, title := range titles(1, 2, 3) {
			switch n := seen[title]; {
			case n == 0:
				t.Errorf("chat %d never got %q", c, title)
			case n > 1:
				dups += n - 1
			}
		}
		if dup := len(got[c]) - len(seen); dup > 1 {
			t.Errorf("chat %d got %d duplicates; at most the one in flight may repeat", c, dup)
		}
	}
	t.Logf("%d duplicates after the restart", dups)
	// The new run knew what the old one had sent and had in flight.
	noViolations(t, tg)
}
