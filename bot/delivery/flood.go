package delivery

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// floodWindow is a chat's flood-control window: it opens with the first
// alert sent and lasts Config.FloodWindow; alerts over the cap wait in
// status held for the digest sent when it ends.
type floodWindow struct {
	started time.Time
	sent    int
}

func readWindow(ctx context.Context, db *sql.DB, chat int64) (floodWindow, bool, error) {
	var started int64
	var w floodWindow
	err := db.QueryRowContext(ctx, `SELECT started, sent FROM outbox_windows WHERE chat_id = ?`, chat).Scan(&started, &w.sent)
	if errors.Is(err, sql.ErrNoRows) {
		return w, false, nil
	}
	if err != nil {
		return w, false, err
	}
	w.started = time.UnixMilli(started)
	return w, true, nil
}

func countHeld(ctx context.Context, db *sql.DB, chat int64) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE chat_id = ? AND status = 'held'`, chat).Scan(&n)
	return n, err
}

// holdPending moves the chat's pending alerts created before until into
// its digest.
func holdPending(ctx context.Context, db *sql.DB, chat int64, until time.Time) error {
	_, err := db.ExecContext(ctx, `UPDATE outbox SET status = 'held' WHERE chat_id = ? AND status = 'pending' AND created < ?`,
		chat, until.UnixMilli())
	return err
}

func closeWindow(ctx context.Context, db *sql.DB, chat int64) error {
	_, err := db.ExecContext(ctx, `DELETE FROM outbox_windows WHERE chat_id = ?`, chat)
	return err
}

// markDigestSent records that the digest of the held rows ids went out and
// closes the window: the next alert opens a new one.
func markDigestSent(ctx context.Context, db *sql.DB, chat int64, ids []int64, now time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '' WHERE id = ? AND status = 'held'`,
			now.UnixMilli(), id); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox_windows WHERE chat_id = ?`, chat); err != nil {
		return err
	}
	return tx.Commit()
}

// nextItem decides what the chat gets next: its digest when its window is
// over and alerts are held, nothing until the window ends when the cap is
// reached, else its oldest pending alert. nil: nothing to send.
func (q *Queue) nextItem(ctx context.Context, chat int64) (*item, error) {
	now := q.now()
	w, open, err := readWindow(ctx, q.db, chat)
	if err != nil {
		return nil, err
	}
	end := w.started.Add(q.cfg.FloodWindow)
	if open && !now.Before(end) {
		open = false
	}
	held, err := countHeld(ctx, q.db, chat)
	if err != nil {
		return nil, err
	}
	if held > 0 && !open {
		return &item{kind: kindDigest, chat: chat, due: now, windowEnd: end}, nil
	}
	if open && q.cfg.MaxAlertsPerHour > 0 && w.sent >= q.cfg.MaxAlertsPerHour {
		if err := holdPending(ctx, q.db, chat, end); err != nil {
			return nil, err
		}
		if held, err = countHeld(ctx, q.db, chat); err != nil || held == 0 {
			return nil, err
		}
		return &item{kind: kindDigest, chat: chat, due: end, windowEnd: end}, nil
	}
	if !open && w.sent > 0 {
		if err := closeWindow(ctx, q.db, chat); err != nil {
			return nil, err
		}
	}
	r, ok, err := headRow(ctx, q.db, chat)
	if err != nil || !ok {
		return nil, err
	}
	return &item{kind: kindAlert, chat: chat, row: r, due: r.nextAttempt}, nil
}
