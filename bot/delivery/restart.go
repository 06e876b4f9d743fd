package delivery

import (
	"context"
	"database/sql"
	"sort"
	"time"
)

// seedLimiter tells a fresh limiter what a previous run of the process sent
// in the last minute, so that a restart does not break the windows: alerts
// marked sent count from their sent_at, and alerts whose attempt started but
// never finished (in flight at a kill) count as if they ended now.
func (q *Queue) seedLimiter(ctx context.Context) error {
	clock, now := q.now(), time.Now()
	since := clock.Add(-(time.Minute + q.cfg.Margin)).UnixMilli()
	type call struct {
		chat int64
		end  time.Time
	}
	var calls []call
	add := func(query string, inFlight bool) error {
		return scanEach(ctx, q.db, query, func(rs *sql.Rows) error {
			var chat, at int64
			if err := rs.Scan(&chat, &at); err != nil {
				return err
			}
			end := now
			if !inFlight {
				// Rows carry the queue's clock; the limiter runs on the real one.
				end = now.Add(time.UnixMilli(at).Sub(clock))
				if end.After(now) {
					end = now
				}
			}
			calls = append(calls, call{chat, end})
			return nil
		}, since)
	}
	if err := add(`SELECT chat_id, sent_at FROM outbox WHERE status = 'sent' AND sent_at >= ?`, false); err != nil {
		return err
	}
	if err := add(`SELECT chat_id, last_attempt FROM outbox WHERE status = 'pending' AND last_attempt >= ?`, true); err != nil {
		return err
	}
	sort.Slice(calls, func(i, j int) bool { return calls[i].end.Before(calls[j].end) })
	for _, c := range calls {
		q.lim.Record(c.chat, c.end)
	}
	return nil
}
