package delivery

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Digest parts are rendered messages waiting in digest_parts: a scheduled
// digest, a flood-control digest, a backfill. Each is sent and marked sent
// on its own, so a digest interrupted by kill -9 resumes with the part not
// yet sent (only the part in flight at the kill may repeat). A chat's parts
// go before its alerts; across chats they go in order of due time.

type partRow struct {
	id       int64
	html     string
	plain    string
	silent   bool
	markup   string
	due      time.Time
	attempts int
}

func (p partRow) message() Message {
	m := Message{HTML: p.html, Plain: p.plain, Silent: p.silent, NoPreview: true}
	if p.markup != "" {
		m.Markup = json.RawMessage(p.markup)
	}
	return m
}

// The scheduler holds only a part's id and due time: with a wave of
// 100,000 digests waiting, a refill must not read their texts. sendPart
// reads the text of the one it sends.

const partHeadColumns = `id, chat_id, due, attempts`

func scanPartHead(rs interface{ Scan(...any) error }) (int64, partRow, error) {
	var p partRow
	var chat, due int64
	err := rs.Scan(&p.id, &chat, &due, &p.attempts)
	p.due = time.UnixMilli(due)
	return chat, p, err
}

// loadPart reads the text of a part; false when it is no longer pending.
func loadPart(ctx context.Context, db *sql.DB, p *partRow) (bool, error) {
	err := db.QueryRowContext(ctx, `SELECT html, plain, silent, markup FROM digest_parts WHERE id = ? AND status = 'pending'`, p.id).
		Scan(&p.html, &p.plain, &p.silent, &p.markup)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

// readPartHead fills the chat's oldest pending part into sn.
func readPartHead(ctx context.Context, db *sql.DB, chat int64, sn *snapshot) error {
	row := db.QueryRowContext(ctx, `SELECT `+partHeadColumns+` FROM digest_parts WHERE chat_id = ? AND status = 'pending' ORDER BY id LIMIT 1`, chat)
	_, p, err := scanPartHead(row)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	sn.part, sn.hasPart = p, true
	return nil
}

// readPartHeads fills every chat's oldest pending part, in one query.
func readPartHeads(ctx context.Context, db *sql.DB, get func(int64) *snapshot) error {
	return scanEach(ctx, db, `SELECT `+partHeadColumns+` FROM digest_parts WHERE id IN
		(SELECT min(id) FROM digest_parts WHERE status = 'pending' GROUP BY chat_id)`, func(rs *sql.Rows) error {
		chat, p, err := scanPartHead(rs)
		if err != nil {
			return err
		}
		sn := get(chat)
		sn.part, sn.hasPart = p, true
		return nil
	})
}

func markPart(ctx context.Context, db *sql.DB, id int64, status string, now time.Time) error {
	_, err := db.ExecContext(ctx, `UPDATE digest_parts SET status = ?, sent_at = ? WHERE id = ? AND status = 'pending'`,
		status, now.UnixMilli(), id)
	return err
}

func dropParts(ctx context.Context, db *sql.DB, chat int64, now time.Time) error {
	_, err := db.ExecContext(ctx, `UPDATE digest_parts SET status = 'dropped', sent_at = ? WHERE chat_id = ? AND status = 'pending'`,
		now.UnixMilli(), chat)
	return err
}

// sendPart sends one stored digest part.
func (q *Queue) sendPart(dctx context.Context, it *item, slot *Slot) result {
	res := result{chat: it.chat}
	if it.prow.html == "" && it.prow.plain == "" {
		ok, err := loadPart(dctx, q.db, &it.prow)
		if err != nil || !ok {
			slot.Cancel()
			if err != nil {
				q.log.Error("delivery: read digest part", "chat", it.chat, "err", err)
				it.due = q.now().Add(q.cfg.RetryBase)
				res.it = it
			}
			return res
		}
	}
	v := send(q.tg, it.chat, 0, it.prow.message(), it.mode)
	slot.Done(time.Now())
	res.verdict = v
	now := q.now()
	done := func(status string) {
		if err := markPart(dctx, q.db, it.prow.id, status, now); err != nil {
			q.log.Error("delivery: mark digest part; it may go out twice", "chat", it.chat, "err", err)
		}
	}
	switch v.outcome {
	case sent:
		q.sentCount.Add(1)
		done("sent")
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
		if err := dropParts(dctx, q.db, it.chat, now); err != nil {
			q.log.Error("delivery: drop digest parts", "chat", it.chat, "err", err)
		}
	case migrated:
		q.migrate(dctx, it.chat, v.migrateTo)
		if _, err := q.db.ExecContext(dctx, `UPDATE digest_parts SET chat_id = ? WHERE chat_id = ? AND status = 'pending'`,
			v.migrateTo, it.chat); err != nil {
			q.log.Error("delivery: move digest parts", "chat", it.chat, "err", err)
		}
		res.migratedTo = v.migrateTo
	case badEntities, tooLong:
		if next, ok := q.fallback(it.chat, it.mode, v); ok {
			it.mode = next
			res.it = it
			return res
		}
		q.log.Warn("delivery: digest part rejected; skipped", "chat", it.chat, "err", v.reason)
		done("dropped")
	case rejected:
		q.log.Warn("delivery: digest part rejected; skipped", "chat", it.chat, "err", v.reason)
		done("dropped")
	}
	return res
}

// pruneParts deletes digest parts sent or dropped before cutoff (unix ms).
func pruneParts(ctx context.Context, db *sql.DB, cutoff int64) (int64, error) {
	res, err := db.ExecContext(ctx, `DELETE FROM digest_parts WHERE status IN ('sent', 'dropped') AND sent_at < ?`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("delivery: prune digest parts: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
