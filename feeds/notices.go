package feeds

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// FailureNotices decides when the admins hear about a failing feed: once
// when it has failed Threshold polls in a row, and once more when it
// recovers. What was told is recorded in the database before the notice
// goes out, so a restart neither repeats a notice nor forgets one, and a
// database error means no notice rather than one every check.
type FailureNotices struct {
	Store *Store
	// Threshold is read at each check (the config is live); 0: never tell.
	Threshold func() int
	// Name is the display name of a configured feed; false for a feed no
	// longer configured, which gets no notice.
	Name func(id string) (string, bool)
	// Notify tells the admins; recovered is false for "failing".
	Notify func(ctx context.Context, h FeedHealth, name string, recovered bool)
	Logger *slog.Logger
}

// noticeKey is the kv row that says the admins were told feed id fails.
func noticeKey(id string) string { return "notice.feed_failing." + id }

// Run checks every interval until ctx ends.
func (n *FailureNotices) Run(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := n.Check(ctx); err != nil && ctx.Err() == nil {
			n.Logger.Error("feeds: failure notices", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Check sends the notices due now.
func (n *FailureNotices) Check(ctx context.Context) error {
	limit := n.Threshold()
	if limit <= 0 {
		return nil
	}
	hs, err := n.Store.Health(ctx)
	if err != nil {
		return err
	}
	for _, h := range hs {
		name, configured := n.Name(h.ID)
		if !configured {
			continue
		}
		switch {
		case h.Failures >= limit:
			told, err := n.mark(ctx, h.ID)
			if err != nil {
				return err
			}
			if told {
				n.Notify(ctx, h, name, false)
			}
		case h.Failures == 0:
			told, err := n.unmark(ctx, h.ID)
			if err != nil {
				return err
			}
			if told {
				n.Notify(ctx, h, name, true)
			}
		}
	}
	return nil
}

// mark records the failing notice; true when it was not recorded yet.
func (n *FailureNotices) mark(ctx context.Context, id string) (bool, error) {
	res, err := n.Store.db.ExecContext(ctx, `INSERT OR IGNORE INTO kv(key, value) VALUES(?, '1')`, noticeKey(id))
	if err != nil {
		return false, fmt.Errorf("feeds: record failure notice of %q: %w", id, err)
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// unmark forgets the failing notice; true when there was one.
func (n *FailureNotices) unmark(ctx context.Context, id string) (bool, error) {
	res, err := n.Store.db.ExecContext(ctx, `DELETE FROM kv WHERE key = ?`, noticeKey(id))
	if err != nil {
		return false, fmt.Errorf("feeds: record recovery notice of %q: %w", id, err)
	}
	k, err := res.RowsAffected()
	return k == 1, err
}
