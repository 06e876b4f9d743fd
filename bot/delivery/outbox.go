package delivery

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/newsalert/newsalert/feeds"
)

// Enqueue records the alerts for one article and marks the article matched,
// in one transaction: a crash between matching and queueing loses nothing
// and doubles nothing. Running it again for the same article adds nothing.
func (q *Queue) Enqueue(ctx context.Context, articleID int64, alerts []Alert) error {
	if err := q.enqueue(ctx, articleID, alerts); err != nil {
		return err
	}
	if len(alerts) > 0 {
		q.wakeChats(alerts)
	}
	return nil
}

func (q *Queue) enqueue(ctx context.Context, articleID int64, alerts []Alert) error {
	for _, a := range alerts {
		if a.ChatID == 0 {
			return fmt.Errorf("delivery: enqueue article %d: alert without a chat", articleID)
		}
		if a.ArticleID != 0 && a.ArticleID != articleID {
			return fmt.Errorf("delivery: enqueue article %d: alert for article %d", articleID, a.ArticleID)
		}
	}
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delivery: enqueue article %d: %w", articleID, err)
	}
	defer tx.Rollback()
	if err := q.articles.MarkMatched(ctx, tx, articleID); errors.Is(err, feeds.ErrNoArticle) {
		return fmt.Errorf("delivery: enqueue article %d: %w", articleID, ErrUnknownArticle)
	} else if err != nil {
		return fmt.Errorf("delivery: enqueue article %d: %w", articleID, err)
	}
	now := q.now().UnixMilli()
	stmt, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO outbox(chat_id, article_id, topics, words, created)
		VALUES(?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("delivery: enqueue article %d: %w", articleID, err)
	}
	defer stmt.Close()
	for _, a := range alerts {
		if a.Batch != "" {
			if err := enqueueItem(ctx, tx, articleID, a, now); err != nil {
				return fmt.Errorf("delivery: enqueue article %d chat %d: %w", articleID, a.ChatID, err)
			}
			continue
		}
		if _, err := stmt.ExecContext(ctx, a.ChatID, articleID, jsonList(a.Topics), jsonList(a.Words), now); err != nil {
			return fmt.Errorf("delivery: enqueue article %d chat %d: %w", articleID, a.ChatID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delivery: enqueue article %d: %w", articleID, err)
	}
	return nil
}

// DropPending drops every alert still waiting for chat (pending or held for
// its digest), so that a paused chat is not flooded when it resumes. It
// returns how many were dropped.
func (q *Queue) DropPending(ctx context.Context, chatID int64) (int64, error) {
	n, err := dropChat(ctx, q.db, chatID, q.now(), "chat paused")
	if err != nil {
		return 0, fmt.Errorf("delivery: drop pending of chat %d: %w", chatID, err)
	}
	if err := dropHeldStories(ctx, q.db, chatID); err != nil {
		return n, fmt.Errorf("delivery: drop pending of chat %d: %w", chatID, err)
	}
	if err := dropParts(ctx, q.db, chatID, q.now()); err != nil { // digests rendered, not yet sent
		return n, fmt.Errorf("delivery: drop pending of chat %d: %w", chatID, err)
	}
	return n, nil
}

// Prune deletes sent and dropped rows finished more than olderThan ago, and
// flood-control windows long over. It returns how many rows it deleted.
func (q *Queue) Prune(ctx context.Context, olderThan time.Duration) (int64, error) {
	now := q.now()
	cutoff := now.Add(-olderThan).UnixMilli()
	res, err := q.db.ExecContext(ctx, `DELETE FROM outbox WHERE status IN ('sent', 'dropped') AND sent_at < ?`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("delivery: prune: %w", err)
	}
	n, _ := res.RowsAffected()
	if err := pruneStoryRows(ctx, q.db, cutoff); err != nil {
		return n, fmt.Errorf("delivery: prune story alerts: %w", err)
	}
	old := now.Add(-2 * q.cfg.FloodWindow).UnixMilli()
	if _, err := q.db.ExecContext(ctx, `DELETE FROM outbox_windows WHERE started < ?
		AND chat_id NOT IN (SELECT chat_id FROM outbox WHERE status = 'held')`, old); err != nil {
		return n, fmt.Errorf("delivery: prune windows: %w", err)
	}
	parts, err := pruneParts(ctx, q.db, cutoff)
	return n + parts, err
}

// row is one pending outbox row.
type row struct {
	id, chat, article int64
	topics, words     []string
	attempts          int
	nextAttempt       time.Time
}

func (r row) alert() Alert {
	return Alert{ChatID: r.chat, ArticleID: r.article, Topics: r.topics, Words: r.words}
}

// headRow is the oldest pending row of chat, if any.
func headRow(ctx context.Context, db *sql.DB, chat int64) (row, bool, error) {
	rows, err := queryRows(ctx, db, `SELECT id, chat_id, article_id, topics, words, attempts, next_attempt
		FROM outbox WHERE chat_id = ? AND status = 'pending' ORDER BY id LIMIT 1`, chat)
	if err != nil || len(rows) == 0 {
		return row{}, false, err
	}
	return rows[0], true, nil
}

func heldRows(ctx context.Context, db *sql.DB, chat int64) ([]row, error) {
	return queryRows(ctx, db, `SELECT id, chat_id, article_id, topics, words, attempts, next_attempt
		FROM outbox WHERE chat_id = ? AND status = 'held' ORDER BY id`, chat)
}

func queryRows(ctx context.Context, db *sql.DB, query string, args ...any) ([]row, error) {
	rs, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []row
	for rs.Next() {
		var r row
		var topics, words string
		var next int64
		if err := rs.Scan(&r.id, &r.chat, &r.article, &topics, &words, &r.attempts, &next); err != nil {
			return nil, err
		}
		r.topics, r.words = parseList(topics), parseList(words)
		r.nextAttempt = time.UnixMilli(next)
		out = append(out, r)
	}
	return out, rs.Err()
}

// claim counts an attempt on a pending row; false when the row is no longer
// pending (dropped by a pause meanwhile).
func claim(ctx context.Context, db *sql.DB, id int64, now time.Time) (bool, error) {
	res, err := db.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_attempt = ? WHERE id = ? AND status = 'pending'`,
		now.UnixMilli(), id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// markSent records that Telegram accepted the alert, and counts it in the
// chat's flood window (opening one when none is open).
func markSent(ctx context.Context, db *sql.DB, r row, now time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '' WHERE id = ?`,
		now.UnixMilli(), r.id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox_windows(chat_id, started, sent) VALUES(?, ?, 1)
		ON CONFLICT(chat_id) DO UPDATE SET sent = sent + 1`, r.chat, now.UnixMilli()); err != nil {
		return err
	}
	return tx.Commit()
}

// retryRow leaves the row pending until at.
func retryRow(ctx context.Context, db *sql.DB, id int64, at time.Time, reason string) error {
	_, err := db.ExecContext(ctx, `UPDATE outbox SET next_attempt = ?, last_error = ? WHERE id = ? AND status = 'pending'`,
		at.UnixMilli(), reason, id)
	return err
}

func dropRows(ctx context.Context, db *sql.DB, ids []int64, now time.Time, reason string) error {
	for _, id := range ids {
		if _, err := db.ExecContext(ctx, `UPDATE outbox SET status = 'dropped', sent_at = ?, last_error = ?
			WHERE id = ? AND status IN ('pending', 'held')`, now.UnixMilli(), reason, id); err != nil {
			return err
		}
	}
	return nil
}

// dropChat drops everything waiting for chat and closes its flood window.
func dropChat(ctx context.Context, db *sql.DB, chat int64, now time.Time, reason string) (int64, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'dropped', sent_at = ?, last_error = ?
		WHERE chat_id = ? AND status IN ('pending', 'held')`, now.UnixMilli(), reason, chat)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox_windows WHERE chat_id = ?`, chat); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// moveChat hands a group's waiting alerts to the supergroup it became. An
// alert the supergroup already has is dropped.
func moveChat(ctx context.Context, db *sql.DB, from, to int64, now time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE OR IGNORE outbox SET chat_id = ? WHERE chat_id = ? AND status IN ('pending', 'held')`,
		to, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'dropped', sent_at = ?, last_error = 'duplicate after migration'
		WHERE chat_id = ? AND status IN ('pending', 'held')`, now.UnixMilli(), from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO outbox_windows(chat_id, started, sent)
		SELECT ?, started, sent FROM outbox_windows WHERE chat_id = ?`, to, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox_windows WHERE chat_id = ?`, from); err != nil {
		return err
	}
	return tx.Commit()
}

// loadArticle fills a.Article; false when the article was pruned.
func (q *Queue) loadArticle(ctx context.Context, a *Alert) (bool, error) {
	art, err := q.articles.Article(ctx, a.ArticleID)
	if errors.Is(err, feeds.ErrNoArticle) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	a.Article = &art
	return true, nil
}

func jsonList(s []string) string {
	if len(s) == 0 {
		return "[]"
	}
	b, err := json.Marshal(s)
	if err != nil {
		return "[]"
	}
	return string(b)
}

func parseList(s string) []string {
	var out []string
	if json.Unmarshal([]byte(s), &out) != nil {
		return nil
	}
	return out
}
