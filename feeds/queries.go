package feeds

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

const articleCols = `id, feed_id, lang, guid, link, title, summary, content, categories, published, seen`

// Pending returns up to limit stored articles the matcher has not handled
// (matched = 0), oldest first (id order). Articles of a feed's first poll
// are never pending.
func (s *Store) Pending(ctx context.Context, limit int) ([]Article, error) {
	if limit <= 0 {
		limit = 1000
	}
	arts, err := s.queryArticles(ctx, `SELECT `+articleCols+` FROM articles WHERE matched = 0 ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("feeds: pending articles: %w", err)
	}
	return arts, nil
}

// Article returns one stored article; sql.ErrNoRows (wrapped) when there
// is none, e.g. pruned.
func (s *Store) Article(ctx context.Context, id int64) (Article, error) {
	arts, err := s.queryArticles(ctx, `SELECT `+articleCols+` FROM articles WHERE id = ?`, id)
	if err != nil {
		return Article{}, fmt.Errorf("feeds: article %d: %w", id, err)
	}
	if len(arts) == 0 {
		return Article{}, fmt.Errorf("feeds: article %d: %w", id, sql.ErrNoRows)
	}
	return arts[0], nil
}

// Recent returns stored articles published at or after since, in id order
// (matched or not, seeded ones included): the corpus for dry-run queries.
// At most 10,000 are returned, the newest.
func (s *Store) Recent(ctx context.Context, since time.Time) ([]Article, error) {
	arts, err := s.queryArticles(ctx, `SELECT * FROM (SELECT `+articleCols+` FROM articles
		WHERE published >= ? ORDER BY id DESC LIMIT 10000) ORDER BY id`, since.Unix())
	if err != nil {
		return nil, fmt.Errorf("feeds: recent articles: %w", err)
	}
	return arts, nil
}

// MarkMatched sets matched = 1 on the given articles. The delivery side
// normally does this itself inside the transaction that queues alerts; db
// may be a *sql.DB or a *sql.Tx.
func MarkMatched(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, ids ...int64) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		q := `UPDATE articles SET matched = 1 WHERE id IN (?` + strings.Repeat(`, ?`, n-1) + `)`
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("feeds: mark matched: %w", err)
		}
		ids = ids[n:]
	}
	return nil
}

func (s *Store) queryArticles(ctx context.Context, q string, args ...any) ([]Article, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var arts []Article
	for rows.Next() {
		var a Article
		var cats string
		var pub, seen int64
		if err := rows.Scan(&a.ID, &a.FeedID, &a.Lang, &a.GUID, &a.Link, &a.Title, &a.Summary,
			&a.Content, &cats, &pub, &seen); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(cats), &a.Categories); err != nil {
			a.Categories = nil
		}
		if len(a.Categories) == 0 {
			a.Categories = nil
		}
		a.Published, a.Seen = time.Unix(pub, 0), time.Unix(seen, 0)
		arts = append(arts, a)
	}
	return arts, rows.Err()
}

// FeedHealth is one feed's status for an admin's /feeds view.
type FeedHealth struct {
	ID          string
	URL         string
	LastSuccess time.Time // zero: never
	LastAttempt time.Time
	LastError   string // Reason of the last failure; "" after a success
	Failures    int    // failures in a row
	NextCheck   time.Time
	Articles    int // articles of this feed currently stored
}

// Health lists every feed with stored state, by id.
func (s *Store) Health(ctx context.Context) ([]FeedHealth, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT f.id, f.url, f.last_success, f.last_attempt, f.last_error,
		f.failures, f.next_check, coalesce(c.n, 0)
		FROM feeds f LEFT JOIN (SELECT feed_id, count(*) AS n FROM articles GROUP BY feed_id) c ON c.feed_id = f.id
		ORDER BY f.id`)
	if err != nil {
		return nil, fmt.Errorf("feeds: health: %w", err)
	}
	defer rows.Close()
	var hs []FeedHealth
	for rows.Next() {
		var h FeedHealth
		var success, attempt, next int64
		if err := rows.Scan(&h.ID, &h.URL, &success, &attempt, &h.LastError, &h.Failures, &next, &h.Articles); err != nil {
			return nil, fmt.Errorf("feeds: health: %w", err)
		}
		h.LastSuccess, h.LastAttempt, h.NextCheck = unixTime(success), unixTime(attempt), unixTime(next)
		hs = append(hs, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feeds: health: %w", err)
	}
	return hs, nil
}

// LastAttempt is when any feed was last polled (zero: never), for the
// health check that the scheduler is alive.
func (s *Store) LastAttempt(ctx context.Context) (time.Time, error) {
	var last int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(last_attempt), 0) FROM feeds`).Scan(&last); err != nil {
		return time.Time{}, fmt.Errorf("feeds: last attempt: %w", err)
	}
	return unixTime(last), nil
}

// Titles are the feeds' own titles by feed id, from their last parse (feeds
// never parsed, or without a title, are absent).
func (s *Store) Titles(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, title FROM feeds WHERE title <> ''`)
	if err != nil {
		return nil, fmt.Errorf("feeds: titles: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, title string
		if err := rows.Scan(&id, &title); err != nil {
			return nil, fmt.Errorf("feeds: titles: %w", err)
		}
		out[id] = title
	}
	return out, rows.Err()
}
