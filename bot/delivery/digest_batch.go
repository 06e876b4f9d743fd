package delivery

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Scheduled batches: alerts a chat asked to get later, as one digest — its
// daily or weekly digest, one subscription's, or what came during its quiet
// hours. Enqueue writes an Alert with a Batch into digest_items (in the
// transaction that marks the article matched); FlushBatch renders a batch
// into digest_parts, one row a message, in the transaction that records the
// period sent; the queue sends the parts one by one, each marked sent on
// its own. The caller (package bot) decides when a batch is due: this file
// only remembers, per batch, the last period sent and when to look again.

// BatchRenderer renders a scheduled digest; the Renderer given to New may
// implement it. kind names what the digest is ("daily", "quiet"...).
type BatchRenderer interface {
	Batch(ctx context.Context, chatID int64, kind string, alerts []Alert) ([]Message, error)
}

// BatchRef names one chat's batch.
type BatchRef struct {
	ChatID     int64
	Batch      string
	LastPeriod string
}

// SetBatch starts (or keeps) a chat's batch: period is the period already
// over (nothing is sent for it), next when to look again.
func (q *Queue) SetBatch(ctx context.Context, chatID int64, batch, period string, next time.Time) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO digest_batches(chat_id, batch, last_period, next_due) VALUES(?, ?, ?, ?)
		ON CONFLICT(chat_id, batch) DO UPDATE SET last_period = excluded.last_period, next_due = excluded.next_due`,
		chatID, batch, period, next.Unix())
	if err != nil {
		return fmt.Errorf("delivery: set batch %d %s: %w", chatID, batch, err)
	}
	return nil
}

// SetNextDue moves when a batch is looked at next.
func (q *Queue) SetNextDue(ctx context.Context, chatID int64, batch string, next time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE digest_batches SET next_due = ? WHERE chat_id = ? AND batch = ?`,
		next.Unix(), chatID, batch)
	if err != nil {
		return fmt.Errorf("delivery: set next due %d %s: %w", chatID, batch, err)
	}
	return nil
}

// DueNow makes every batch of chat due at once (its time zone changed: its
// next period must be computed again).
func (q *Queue) DueNow(ctx context.Context, chatID int64) error {
	_, err := q.db.ExecContext(ctx, `UPDATE digest_batches SET next_due = 0 WHERE chat_id = ?`, chatID)
	if err != nil {
		return fmt.Errorf("delivery: batches of %d due: %w", chatID, err)
	}
	return nil
}

// DueBatches returns up to limit batches whose next look is due by now,
// earliest first.
func (q *Queue) DueBatches(ctx context.Context, now time.Time, limit int) ([]BatchRef, error) {
	var out []BatchRef
	err := scanEach(ctx, q.db, `SELECT chat_id, batch, last_period FROM digest_batches WHERE next_due <= ? ORDER BY next_due LIMIT ?`,
		func(rs *sql.Rows) error {
			var b BatchRef
			if err := rs.Scan(&b.ChatID, &b.Batch, &b.LastPeriod); err != nil {
				return err
			}
			out = append(out, b)
			return nil
		}, now.Unix(), limit)
	if err != nil {
		return nil, fmt.Errorf("delivery: due batches: %w", err)
	}
	return out, nil
}

// EndBatch sends what a batch holds now (if anything) and forgets the batch:
// the chat went back to instant alerts, or ended its quiet hours.
func (q *Queue) EndBatch(ctx context.Context, chatID int64, batch, kind string) error {
	if _, err := q.flush(ctx, chatID, batch, kind, "", time.Time{}, false, true); err != nil {
		return err
	}
	return nil
}

// FlushBatch sends a batch's digest for period: it renders what the batch
// holds and stores the messages in the transaction that records period as
// sent, then looks again at next. A period already sent sends nothing, and
// an empty batch records the period with no message. It returns how many
// messages it queued.
func (q *Queue) FlushBatch(ctx context.Context, chatID int64, batch, kind, period string, next time.Time, silent bool) (int, error) {
	return q.flush(ctx, chatID, batch, kind, period, next, silent, false)
}

func (q *Queue) flush(ctx context.Context, chatID int64, batch, kind, period string, next time.Time, silent, end bool) (int, error) {
	items, err := queryItems(ctx, q.db, chatID, batch)
	if err != nil {
		return 0, fmt.Errorf("delivery: flush %d %s: %w", chatID, batch, err)
	}
	var alerts []Alert
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.id)
		a := it.alert()
		found, err := q.loadArticle(ctx, &a)
		if err != nil {
			return 0, fmt.Errorf("delivery: flush %d %s: %w", chatID, batch, err)
		}
		if found {
			alerts = append(alerts, a)
		}
	}
	var parts []Message
	if len(alerts) > 0 {
		parts, err = q.renderBatch(ctx, chatID, kind, alerts)
		if err != nil {
			if ctx.Err() != nil {
				return 0, err
			}
			q.log.Error("delivery: render batch; its alerts dropped", "chat", chatID, "batch", batch, "err", err)
			parts = nil
		}
	}
	return len(parts), q.storeParts(ctx, chatID, batch, period, next, ids, parts, silent, end)
}

// storeParts writes a flushed batch: the parts in, the items out, the
// period recorded, in one transaction.
func (q *Queue) storeParts(ctx context.Context, chatID int64, batch, period string, next time.Time, ids []int64, parts []Message, silent, end bool) error {
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delivery: store digest %d: %w", chatID, err)
	}
	defer tx.Rollback()
	if !end {
		var last string
		err := tx.QueryRowContext(ctx, `SELECT last_period FROM digest_batches WHERE chat_id = ? AND batch = ?`, chatID, batch).Scan(&last)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("delivery: store digest %d: %w", chatID, err)
		}
		if err == nil && last == period {
			return nil // sent already (a second runner, or a retry)
		}
	}
	now := q.now()
	if err := insertParts(ctx, tx, chatID, parts, silent, now); err != nil {
		return fmt.Errorf("delivery: store digest %d: %w", chatID, err)
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `DELETE FROM digest_items WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delivery: store digest %d: %w", chatID, err)
		}
	}
	if end {
		_, err = tx.ExecContext(ctx, `DELETE FROM digest_batches WHERE chat_id = ? AND batch = ?`, chatID, batch)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO digest_batches(chat_id, batch, last_period, next_due) VALUES(?, ?, ?, ?)
			ON CONFLICT(chat_id, batch) DO UPDATE SET last_period = excluded.last_period, next_due = excluded.next_due`,
			chatID, batch, period, next.Unix())
	}
	if err != nil {
		return fmt.Errorf("delivery: store digest %d: %w", chatID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delivery: store digest %d: %w", chatID, err)
	}
	if len(parts) > 0 {
		q.wakeChat(chatID)
	}
	return nil
}

// SendDigest queues alerts (e.g. recent matches of a new subscription) as
// one digest of kind, sent like a scheduled one.
func (q *Queue) SendDigest(ctx context.Context, chatID int64, kind string, alerts []Alert) (int, error) {
	var found []Alert
	for _, a := range alerts {
		a.ChatID = chatID
		ok, err := q.loadArticle(ctx, &a)
		if err != nil {
			return 0, fmt.Errorf("delivery: digest for %d: %w", chatID, err)
		}
		if ok {
			found = append(found, a)
		}
	}
	if len(found) == 0 {
		return 0, nil
	}
	parts, err := q.renderBatch(ctx, chatID, kind, found)
	if err != nil {
		return 0, fmt.Errorf("delivery: digest for %d: %w", chatID, err)
	}
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("delivery: digest for %d: %w", chatID, err)
	}
	defer tx.Rollback()
	if err := insertParts(ctx, tx, chatID, parts, false, q.now()); err != nil {
		return 0, fmt.Errorf("delivery: digest for %d: %w", chatID, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("delivery: digest for %d: %w", chatID, err)
	}
	q.wakeChat(chatID)
	return len(parts), nil
}

func insertParts(ctx context.Context, tx *sql.Tx, chatID int64, parts []Message, silent bool, now time.Time) error {
	for _, p := range parts {
		markup := ""
		if p.Markup != nil {
			b, err := json.Marshal(p.Markup)
			if err != nil {
				return err
			}
			markup = string(b)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO digest_parts(chat_id, html, plain, silent, markup, due) VALUES(?, ?, ?, ?, ?, ?)`,
			chatID, p.HTML, p.Plain, silent || p.Silent, markup, now.UnixMilli()); err != nil {
			return err
		}
	}
	return nil
}

func (q *Queue) renderBatch(ctx context.Context, chat int64, kind string, alerts []Alert) (ms []Message, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("delivery: renderer panicked: %v", p)
		}
	}()
	if br, ok := q.render.(BatchRenderer); ok {
		ms, err = br.Batch(ctx, chat, kind, alerts)
	} else {
		ms, err = q.render.Digest(ctx, chat, alerts)
	}
	if err == nil && len(ms) == 0 {
		err = errors.New("renderer returned no message")
	}
	return ms, err
}

// wakeChat tells the queue that chat has something new to send.
func (q *Queue) wakeChat(chat int64) {
	q.wokenMu.Lock()
	q.woken[chat] = true
	q.wokenMu.Unlock()
	q.signal()
}

type batchItem struct {
	id, chat, article int64
	topics, words     []string
}

func (b batchItem) alert() Alert {
	return Alert{ChatID: b.chat, ArticleID: b.article, Topics: b.topics, Words: b.words}
}

func queryItems(ctx context.Context, db *sql.DB, chat int64, batch string) ([]batchItem, error) {
	var out []batchItem
	err := scanEach(ctx, db, `SELECT id, chat_id, article_id, topics, words FROM digest_items WHERE chat_id = ? AND batch = ? ORDER BY id`,
		func(rs *sql.Rows) error {
			var b batchItem
			var topics, words string
			if err := rs.Scan(&b.id, &b.chat, &b.article, &topics, &words); err != nil {
				return err
			}
			b.topics, b.words = parseList(topics), parseList(words)
			out = append(out, b)
			return nil
		}, chat, batch)
	return out, err
}

// BatchSize is how many alerts a chat's batch holds now.
func (q *Queue) BatchSize(ctx context.Context, chatID int64, batch string) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM digest_items WHERE chat_id = ? AND batch = ?`, chatID, batch).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("delivery: batch size: %w", err)
	}
	return n, nil
}

// enqueueItem holds one alert for its batch (in Enqueue's transaction).
func enqueueItem(ctx context.Context, tx *sql.Tx, articleID int64, a Alert, now int64) error {
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO digest_items(chat_id, batch, article_id, topics, words, created)
		VALUES(?, ?, ?, ?, ?, ?)`, a.ChatID, a.Batch, articleID, jsonList(a.Topics), jsonList(a.Words), now)
	return err
}

// DropTopic drops the alerts still waiting for chat whose only topic is
// topic (muted or unsubscribed from an alert's button): they would arrive
// after the chat said it wants no more of it. It returns how many.
func (q *Queue) DropTopic(ctx context.Context, chatID int64, topic string) (int64, error) {
	res, err := q.db.ExecContext(ctx, `UPDATE outbox SET status = 'dropped', sent_at = ?, last_error = 'topic muted'
		WHERE chat_id = ? AND status IN ('pending', 'held') AND topics = ?`, q.now().UnixMilli(), chatID, jsonList([]string{topic}))
	if err != nil {
		return 0, fmt.Errorf("delivery: drop topic of chat %d: %w", chatID, err)
	}
	n, _ := res.RowsAffected()
	if _, err := q.db.ExecContext(ctx, `DELETE FROM digest_items WHERE chat_id = ? AND topics = ?`, chatID, jsonList([]string{topic})); err != nil {
		return n, fmt.Errorf("delivery: drop topic of chat %d: %w", chatID, err)
	}
	return n, nil
}
