package delivery

import (
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/telegramtest"
)

// countingObserver records what the queue reports, as the metrics do.
type countingObserver struct {
	mu                    sync.Mutex
	sent, failed, tooMany int
}

func (o *countingObserver) AlertSent(time.Duration) { o.mu.Lock(); o.sent++; o.mu.Unlock() }
func (o *countingObserver) AlertFailed(string)      { o.mu.Lock(); o.failed++; o.mu.Unlock() }
func (o *countingObserver) TooManyRequests()        { o.mu.Lock(); o.tooMany++; o.mu.Unlock() }

func (o *countingObserver) counts() (sent, tooMany int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.sent, o.tooMany
}

// Every alert that reached its chat counts as sent, inside a digest too,
// and every 429 Telegram answers is counted.
func TestObserverCountsDigestAlertsAnd429s(t *testing.T) {
	c := newClock()
	obs := &countingObserver{}
	f := newFixture(t, Config{MaxAlertsPerHour: 1, Observer: obs}, c.Now)
	addArticles(t, f.db, 1, 4)
	for a := int64(1); a <= 4; a++ {
		f.enqueue(a, 1)
	}
	f.tg.Fail(telegramtest.Fault{Method: "sendMessage", ChatID: 1, Kind: telegramtest.FaultFlood, RetryAfter: 1})
	f.start()
	waitFor(t, "the 429 counted", func() bool { _, n := obs.counts(); return n == 1 })
	c.Add(2 * time.Second) // past its retry_after
	f.q.Wake()
	f.waitStatus("sent", 1)
	f.waitStatus("held", 3)
	c.Add(time.Hour)
	f.q.Wake()
	f.waitStatus("sent", 4)
	waitFor(t, "4 alerts counted as sent", func() bool { s, _ := obs.counts(); return s == 4 })
	if _, n := obs.counts(); n != 1 {
		t.Errorf("429s counted: %d, want 1", n)
	}
	// /stats' "in 24 hours" is a count of the last 24 hours, from SQLite.
	waitFor(t, "the 429 in the 24 h count", func() bool {
		st, err := f.q.Stats(t.Context())
		return err == nil && st.RateLimited24h == 1 && st.Sent24h == 4
	})
	c.Add(25 * time.Hour)
	if st, err := f.q.Stats(t.Context()); err != nil || st.RateLimited24h != 0 {
		t.Errorf("a 429 of yesterday still counted: %+v %v", st, err)
	}
}
