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
	st.Sent = q.sentCount.Load()
	st.RateLimited = q.rateLimited.Load()
	return st, nil
}
