package delivery

import (
	"context"
	"fmt"
	"time"
)

// Stats describes the queue for /stats and metrics.
type Stats struct {
	Pending       int64         // alerts waiting to be sent
	Held          int64         // alerts waiting for a chat's digest
	OldestPending time.Duration // age of the oldest pending alert; 0 when none
	Sent24h       int64         // alerts (and digests' alerts) sent in the last 24 h
	Sent          int64         // messages Telegram accepted since start, replies included
	RateLimited   int64         // 429 answers since start
	// RateLimited24h is the 429 answers of about the last 24 h (whole hours:
	// between 23 and 24 h back), across restarts: they are counted in kv.
	RateLimited24h int64
}

// rate429Key is the kv row counting the 429s of one hour (hours since the
// epoch, zero-padded so that keys sort as numbers).
func rate429Key(hour int64) string { return fmt.Sprintf("delivery.429.%010d", hour) }

// record429 counts a 429 in its hour's kv row and forgets hours older than a
// day. It runs off the scheduler's goroutine: a 429 must not wait on SQLite.
func (q *Queue) record429(at time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	hour := at.Unix() / 3600
	if _, err := q.db.ExecContext(ctx, `INSERT INTO kv(key, value) VALUES(?, '1')
		ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`, rate429Key(hour)); err != nil {
		q.log.Debug("delivery: count a 429", "err", err)
		return
	}
	q.db.ExecContext(ctx, `DELETE FROM kv WHERE key >= 'delivery.429.' AND key < ?`, rate429Key(hour-24))
}

// Stats reads the queue's figures.
func (q *Queue) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	now := q.now()
	var oldest int64
	if err := q.db.QueryRowContext(ctx, `SELECT count(*), coalesce(min(created), 0) FROM outbox WHERE status = 'pending'`).
		Scan(&st.Pending, &oldest); err != nil {
		return st, fmt.Errorf("delivery: stats: %w", err)
	}
	if st.Pending > 0 {
		st.OldestPending = max(now.Sub(time.UnixMilli(oldest)), 0)
	}
	if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE status = 'held'`).Scan(&st.Held); err != nil {
		return st, fmt.Errorf("delivery: stats: %w", err)
	}
	if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE status = 'sent' AND sent_at >= ?`,
		now.Add(-24*time.Hour).UnixMilli()).Scan(&st.Sent24h); err != nil {
		return st, fmt.Errorf("delivery: stats: %w", err)
	}
	hour := now.Unix() / 3600
	if err := q.db.QueryRowContext(ctx, `SELECT coalesce(sum(CAST(value AS INTEGER)), 0) FROM kv WHERE key >= ? AND key <= ?`,
		rate429Key(hour-23), rate429Key(hour)).Scan(&st.RateLimited24h); err != nil {
		return st, fmt.Errorf("delivery: stats: %w", err)
	}
	st.Sent = q.sentCount.Load()
	st.RateLimited = q.rateLimited.Load()
	return st, nil
}
