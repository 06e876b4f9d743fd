package delivery

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestBatchPeriodsSendOnce: a batch's alerts wait; its period is sent once
// however often it is flushed; an empty batch records the period and sends
// nothing; EndBatch sends what is left and forgets the batch; parts are
// pruned once old.
func TestBatchPeriodsSendOnce(t *testing.T) {
	c := newClock()
	f := newFixture(t, Config{}, c.Now)
	ctx := context.Background()
	addArticles(t, f.db, 1, 7)
	addChats(f.tg, 1, 2)
	held := func(chat int64, articles ...int64) {
		for _, a := range articles {
			if err := f.q.Enqueue(ctx, a, []Alert{{ChatID: chat, Topics: []string{"nato"}, Batch: "digest"}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	held(1, 1, 2, 3, 4)
	if err := f.q.Enqueue(ctx, 5, alertsFor([]int64{2})); err != nil { // another chat, instant
		t.Fatal(err)
	}
	f.start()
	f.tg.WaitSent(2, 1, 5*time.Second)
	if n := len(f.tg.Sent(1)); n != 0 {
		t.Fatalf("chat 1 got %d messages before its digest", n)
	}
	next := c.Now().Add(24 * time.Hour)
	for range 3 { // a retry, a second runner: one digest
		if _, err := f.q.FlushBatch(ctx, 1, "digest", "daily", "d:2026-03-01", next, true); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := f.tg.WaitSent(1, 2, 5*time.Second)
	if diff := cmp.Diff([]string{"Digest: Title 1; Title 2; Title 3", "Digest: Title 4"}, delivered(f.tg)[1]); diff != "" {
		t.Errorf("digest (-want +got):\n%s", diff)
	}
	if !got[0].DisableNotification || !got[1].DisableNotification {
		t.Error("a silent digest rang")
	}
	// The next period with nothing in it sends nothing.
	if n, err := f.q.FlushBatch(ctx, 1, "digest", "daily", "d:2026-03-02", next, false); n != 0 || err != nil {
		t.Errorf("empty batch: %d parts, %v", n, err)
	}
	refs, _ := f.q.DueBatches(ctx, next, 10)
	if len(refs) != 1 || refs[0].LastPeriod != "d:2026-03-02" {
		t.Errorf("due batches %+v", refs)
	}
	// Back to instant: what waits goes out now, the batch is gone.
	held(1, 6)
	if err := f.q.EndBatch(ctx, 1, "digest", "daily"); err != nil {
		t.Fatal(err)
	}
	f.tg.WaitSent(1, 3, 5*time.Second)
	if refs, _ := f.q.DueBatches(ctx, next.Add(time.Hour), 10); len(refs) != 0 {
		t.Errorf("batch not forgotten: %+v", refs)
	}
	if n, _ := f.q.BatchSize(ctx, 1, "digest"); n != 0 {
		t.Errorf("%d items left", n)
	}
	waitFor(t, "parts marked sent", func() bool {
		var n int
		f.db.QueryRow(`SELECT count(*) FROM digest_parts WHERE status = 'sent'`).Scan(&n)
		return n == 3
	})
	c.Add(48 * time.Hour)
	if _, err := f.q.Prune(ctx, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	var left int
	f.db.QueryRow(`SELECT count(*) FROM digest_parts`).Scan(&left)
	if left != 0 {
		t.Errorf("%d parts after prune", left)
	}
}

// TestDropTopic: muting a topic drops its queued alerts, not the others.
func TestDropTopic(t *testing.T) {
	f := newFixture(t, Config{}, newClock().Now)
	ctx := context.Background()
	addArticles(t, f.db, 1, 3)
	addChats(f.tg, 1)
	for a, topics := range map[int64][]string{1: {"nato"}, 2: {"nato", "eu"}, 3: {"eu"}} {
		if err := f.q.Enqueue(ctx, a, []Alert{{ChatID: 1, Topics: topics}}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := f.q.DropTopic(ctx, 1, "nato"); n != 1 || err != nil {
		t.Fatalf("dropped %d, %v", n, err)
	}
	if st := f.statuses(); st["pending"] != 2 || st["dropped"] != 1 {
		t.Errorf("statuses %v", st)
	}
}
