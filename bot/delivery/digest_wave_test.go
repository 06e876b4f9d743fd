package delivery

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestDigestWave is the morning wave: N chats (default 100,000) each hold
// three alerts for a daily digest due at 08:00 Europe/Kyiv. It measures
// how long storing the wave takes (FlushBatch for every chat, in order of
// due time, as the digest runner does), then sends for a while under
// Telegram's limits while a command reply is asked for every 200 ms, and
// reports the send rate, the time the whole wave takes at that rate, the
// order of due times, and the p50/p95/max delay of the replies. Only when
// asked:
//
//	DIGEST_WAVE=1 go test -run TestDigestWave -v -timeout 30m ./bot/delivery
//
// DIGEST_WAVE_CHATS (default 100000), DIGEST_WAVE_SECONDS (default 60: how
// long to send; the wave's length is extrapolated from the rate when it
// does not finish) and DIGEST_WAVE_RATE (the global limit; default
// Telegram's 30/s — a higher "fake limit" finishes the wave sooner).
func TestDigestWave(t *testing.T) {
	if os.Getenv("DIGEST_WAVE") == "" {
		t.Skip("set DIGEST_WAVE=1 to run the digest wave")
	}
	chats := envInt("DIGEST_WAVE_CHATS", 100000)
	seconds := envInt("DIGEST_WAVE_SECONDS", 60)
	rate := envInt("DIGEST_WAVE_RATE", 30)
	lim := Limits{GlobalPerSecond: rate, PerChatPerSecond: 1, PerGroupPerMinute: 20}
	tg := newFake(t, lim)
	db := openDB(t, "")
	ids := make([]int64, chats)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	addChats(tg, ids...)
	addArticles(t, db, 1, 3)
	kyiv, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 12, 2, 8, 0, 0, 0, kyiv)
	var mu sync.Mutex
	clock := due
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	q, err := New(Config{Limits: lim}, db, newBot(t, tg), textRenderer{}, &chatLog{}, quietLog(), now)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t0 := time.Now()
	for a := int64(1); a <= 3; a++ {
		alerts := alertsFor(ids)
		for i := range alerts {
			alerts[i].Batch = "digest"
		}
		if err := q.Enqueue(ctx, a, alerts); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		if err := q.SetBatch(ctx, id, "digest", "d:2026-12-01", due); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d chats, %d alerts held: %v", chats, 3*chats, time.Since(t0).Round(time.Millisecond))

	// 08:00: the runner's work, chat by chat in order of due time (a
	// millisecond apart, so that the order can be checked).
	t0 = time.Now()
	next := due.Add(24 * time.Hour)
	refs, err := q.DueBatches(ctx, due, chats)
	if err != nil || len(refs) != chats {
		t.Fatalf("due batches: %d, %v", len(refs), err)
	}
	for i, b := range refs {
		mu.Lock()
		clock = due.Add(time.Duration(i) * time.Millisecond)
		mu.Unlock()
		if _, err := q.FlushBatch(ctx, b.ChatID, b.Batch, "daily", "d:2026-12-02", next, false); err != nil {
			t.Fatal(err)
		}
	}
	flush := time.Since(t0)
	t.Logf("stored %d digests (render + one transaction each): %v, %.0f/s", chats, flush.Round(time.Millisecond), float64(chats)/flush.Seconds())

	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- q.Run(runCtx) }()
	rng := rand.New(rand.NewPCG(5, 6))
	var lat []time.Duration
	end := start.Add(time.Duration(seconds) * time.Second)
	for time.Now().Before(end) {
		time.Sleep(200 * time.Millisecond)
		var n int
		if db.QueryRow(`SELECT count(*) FROM digest_parts WHERE status = 'sent'`).Scan(&n); n >= chats {
			break
		}
		chat := ids[rng.IntN(len(ids))]
		r0 := time.Now()
		if _, err := q.Reply(ctx, chat, Message{HTML: "<b>help</b>"}); err != nil {
			t.Errorf("reply to %d: %v", chat, err)
			continue
		}
		lat = append(lat, time.Since(r0))
	}
	elapsed := time.Since(start)
	cancel()
	<-done

	// Order: chats got their digest in order of due time (= chat id here).
	var order []int64
	for _, m := range tg.AllSent() {
		if m.Method == "sendMessage" && m.Text != "help" {
			order = append(order, m.ChatID)
		}
	}
	// Sends run concurrently (up to MaxInFlight), so neighbours may arrive
	// swapped; a digest overtaken by one due more than that many places
	// later is out of order.
	displaced, maxSeen := 0, int64(0)
	for _, c := range order {
		if d := int(maxSeen - c); d > displaced {
			displaced = d
		}
		maxSeen = max(maxSeen, c)
	}
	inversions := 0
	if displaced > 2*rate {
		inversions = displaced
	}
	sent := len(order)
	perSec := float64(sent) / elapsed.Seconds()
	t.Logf("sent %d digests in %.1fs: %.1f/s (limit %d/s); most places overtaken: %d; violations: %d",
		sent, elapsed.Seconds(), perSec, rate, displaced, len(tg.Violations()))
	t.Logf("all messages (digests and replies): %.1f/s = %.0f%% of the limit",
		float64(sent+len(lat))/elapsed.Seconds(), 100*float64(sent+len(lat))/elapsed.Seconds()/float64(rate))
	if sent < chats {
		t.Logf("the whole wave at this rate: %.1f min", float64(chats)/perSec/60)
	} else {
		t.Logf("the whole wave: %.1f min", elapsed.Minutes())
	}
	slices.Sort(lat)
	if n := len(lat); n > 0 {
		t.Logf("command replies during the wave: %d, p50 %v, p95 %v, max %v", n,
			lat[n/2].Round(time.Millisecond), lat[n*95/100].Round(time.Millisecond), lat[n-1].Round(time.Millisecond))
	}
	if inversions > 0 {
		t.Errorf("a digest was overtaken by one due %d places later", inversions)
	}
	noViolations(t, tg)
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
