package delivery

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// sendDigest sends the next part of a chat's digest, rendering it first.
func (q *Queue) sendDigest(ctx, dctx context.Context, it *item, slot *Slot) result {
	res := result{chat: it.chat}
	if it.parts == nil {
		done, err := q.prepareDigest(ctx, dctx, it)
		if err != nil {
			slot.Cancel()
			if ctx.Err() == nil {
				q.log.Error("delivery: prepare digest", "chat", it.chat, "err", err)
			}
			it.due = q.now().Add(q.cfg.RetryBase)
			res.it = it
			return res
		}
		if done {
			slot.Cancel()
			return res
		}
	}
	v := send(q.tg, it.chat, 0, it.parts[it.part], it.mode)
	slot.Done(time.Now())
	res.verdict = v
	now := q.now()
	switch v.outcome {
	case sent:
		q.sentCount.Add(1)
		return q.nextPart(dctx, it, res)
	case rateLimited, retryLater:
		wait := v.retryAfter
		if v.outcome == retryLater {
			it.attempts++
			wait = q.backoff(it.attempts)
			q.log.Warn("delivery: digest send failed; will retry", "chat", it.chat, "attempt", it.attempts, "retry_in", wait, "err", v.reason)
		}
		it.due = now.Add(wait)
		res.it = it
	case inactive:
		q.deactivate(dctx, it.chat, v.reason)
	case migrated:
		// The held rows move; the new chat's digest is rendered afresh.
		q.migrate(dctx, it.chat, v.migrateTo)
		res.migratedTo = v.migrateTo
	case badEntities, tooLong:
		if next, ok := q.fallback(it.chat, it.mode, v); ok {
			it.mode = next
			res.it = it
			return res
		}
		q.log.Warn("delivery: digest part rejected; skipped", "chat", it.chat, "err", v.reason)
		return q.nextPart(dctx, it, res)
	case rejected:
		q.log.Warn("delivery: digest part rejected; skipped", "chat", it.chat, "err", v.reason)
		return q.nextPart(dctx, it, res)
	}
	return res
}

// nextPart moves on after a part; after the last one the held rows are
// marked sent and the chat's window closes.
func (q *Queue) nextPart(dctx context.Context, it *item, res result) result {
	it.part++
	it.mode = asHTML
	it.attempts = 0
	if it.part < len(it.parts) {
		res.it = it
		return res
	}
	now := q.now()
	if err := markDigestSent(dctx, q.db, it.chat, it.held, now); err != nil {
		q.log.Error("delivery: mark digest sent; it may go out twice", "chat", it.chat, "err", err)
	}
	// Every alert of the digest reached its chat: each counts as sent,
	// like an alert sent on its own.
	if q.cfg.Observer != nil {
		for _, seen := range it.heldSeen {
			if seen.IsZero() {
				seen = now
			}
			q.cfg.Observer.AlertSent(now.Sub(seen))
		}
	}
	return res
}

// prepareDigest collects the held alerts and renders them. done: there was
// nothing to send.
func (q *Queue) prepareDigest(ctx, dctx context.Context, it *item) (done bool, err error) {
	if !it.windowEnd.IsZero() {
		if err := holdPending(dctx, q.db, it.chat, it.windowEnd); err != nil {
			return false, err
		}
	}
	rows, err := heldRows(dctx, q.db, it.chat)
	if err != nil {
		return false, err
	}
	var alerts []Alert
	var ids, gone []int64
	var seen []time.Time
	for _, r := range rows {
		a := r.alert()
		found, err := q.loadArticle(ctx, &a)
		if err != nil {
			return false, err
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
		return true, closeWindow(dctx, q.db, it.chat)
	}
	parts, err := q.renderDigest(ctx, it.chat, alerts)
	if err == nil && len(parts) == 0 {
		err = errors.New("renderer returned no message")
	}
	if err != nil {
		if ctx.Err() != nil {
			return false, err
		}
		q.log.Error("delivery: render digest; its alerts dropped", "chat", it.chat, "err", err)
		q.drop(dctx, it.chat, ids, "render digest: "+err.Error())
		return true, closeWindow(dctx, q.db, it.chat)
	}
	// The parts are stored and sent one by one (digest_parts.go): after a
	// kill -9 only the parts not yet sent go out.
	if err := storeFloodDigest(dctx, q.db, it.chat, ids, parts, q.now()); err != nil {
		return false, err
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
	return true, nil
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
