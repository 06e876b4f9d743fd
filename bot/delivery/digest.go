package delivery

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// sendDigest renders the alerts flood control held for a chat and stores
// the digest as its parts, which go out one by one (digest_parts.go): the
// slot it was given sends nothing itself.
func (q *Queue) sendDigest(ctx, dctx context.Context, it *item, slot *Slot) result {
	res := result{chat: it.chat}
	slot.Cancel()
	if err := q.prepareDigest(ctx, dctx, it); err != nil {
		if ctx.Err() == nil {
			q.log.Error("delivery: prepare digest", "chat", it.chat, "err", err)
		}
		it.due = q.now().Add(q.cfg.RetryBase)
		res.it = it
	}
	return res
}

// prepareDigest collects the held alerts, renders them and stores the
// digest's parts.
func (q *Queue) prepareDigest(ctx, dctx context.Context, it *item) error {
	if !it.windowEnd.IsZero() {
		if err := holdPending(dctx, q.db, it.chat, it.windowEnd); err != nil {
			return err
		}
	}
	rows, err := heldRows(dctx, q.db, it.chat)
	if err != nil {
		return err
	}
	var alerts []Alert
	var ids, gone []int64
	var seen []time.Time
	for _, r := range rows {
		a := r.alert()
		found, err := q.loadArticle(ctx, &a)
		if err != nil {
			return err
		}
		if !found {
			gone = append(gone, r.id)
			continue
		}
		alerts = append(alerts, a)
		ids = append(ids, r.id)
		var t time.Time
		if a.Article != nil {
			t = a.Article.Seen
		}
		seen = append(seen, t)
	}
	if len(gone) > 0 {
		q.drop(dctx, it.chat, gone, "article no longer stored")
	}
	if len(alerts) == 0 {
		return closeWindow(dctx, q.db, it.chat)
	}
	parts, err := q.renderDigest(ctx, it.chat, alerts)
	if err == nil && len(parts) == 0 {
		err = errors.New("renderer returned no message")
	}
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		q.log.Error("delivery: render digest; its alerts dropped", "chat", it.chat, "err", err)
		q.drop(dctx, it.chat, ids, "render digest: "+err.Error())
		return closeWindow(dctx, q.db, it.chat)
	}
	// The parts are stored and sent one by one (digest_parts.go): after a
	// kill -9 only the parts not yet sent go out.
	if err := storeFloodDigest(dctx, q.db, it.chat, ids, parts, q.now()); err != nil {
		return err
	}
	q.wakeChat(it.chat)
	// Every alert of the digest counts as sent, like an alert sent on its
	// own (when its digest is stored: its parts follow at once).
	if q.cfg.Observer != nil {
		now := q.now()
		for _, t := range seen {
			if t.IsZero() {
				t = now
			}
			q.cfg.Observer.AlertSent(now.Sub(t))
		}
	}
	return nil
}

// storeFloodDigest writes the rendered digest as parts, marks the held rows
// it covers as handed on and closes the chat's window, in one transaction.
func storeFloodDigest(ctx context.Context, db *sql.DB, chat int64, ids []int64, parts []Message, now time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := insertParts(ctx, tx, chat, parts, false, now); err != nil {
		return err
	}
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
