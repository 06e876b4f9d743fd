package feeds

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The articles table is this package's: every other package reads and
// marks articles through the methods below (through interfaces it declares),
// never with SQL of its own.

const articleCols = `id, feed_id, lang, guid, link, title, summary, content, categories, published, seen`

// ErrNoArticle is returned for an article id that is not stored (never
// was, or was pruned).
var ErrNoArticle = errors.New("feeds: no such article")

// Pending returns up to limit stored articles the matcher has not handled
// (matched = 0), oldest first (id order). Articles of a feed's first poll
// are never pending.
func (s *Store) Pending(ctx context.Context, limit int) ([]Article, error) {
	if limit <= 0 {
		limit = 1000
	}
	var arts []Article
	err := s.eachArticle(ctx, `SELECT `+articleCols+` FROM articles WHERE matched = 0 ORDER BY id LIMIT ?`,
		func(a Article) error { arts = append(arts, a); return nil }, limit)
	if err != nil {
		return nil, fmt.Errorf("feeds: pending articles: %w", err)
	}
	return arts, nil
}

// Article returns one stored article; ErrNoArticle when there is none.
func (s *Store) Article(ctx context.Context, id int64) (Article, error) {
	var arts []Article
	err := s.eachArticle(ctx, `SELECT `+articleCols+` FROM articles WHERE id = ?`,
		func(a Article) error { arts = append(arts, a); return nil }, id)
	if err != nil {
		return Article{}, fmt.Errorf("feeds: article %d: %w", id, err)
	}
	if len(arts) == 0 {
		return Article{}, fmt.Errorf("feeds: article %d: %w", id, ErrNoArticle)
	}
	return arts[0], nil
}

// Recent returns stored articles published at or after since, in id order
// (matched or not, seeded ones included). At most 10,000 are returned, the
// newest.
func (s *Store) Recent(ctx context.Context, since time.Time) ([]Article, error) {
	var arts []Article
	err := s.eachArticle(ctx, `SELECT * FROM (SELECT `+articleCols+` FROM articles
		WHERE published >= ? ORDER BY id DESC LIMIT 10000) ORDER BY id`,
		func(a Article) error { arts = append(arts, a); return nil }, since.Unix())
	if err != nil {
		return nil, fmt.Errorf("feeds: recent articles: %w", err)
	}
	return arts, nil
}

// Since calls fn for every stored article first seen at or after since
// (matched or not, seeded ones included), newest published first: the
// corpus of a dry run. Articles are streamed, not collected; an error from
// fn stops the walk and is returned.
func (s *Store) Since(ctx context.Context, since time.Time, fn func(Article) error) error {
	err := s.eachArticle(ctx, `SELECT `+articleCols+` FROM articles WHERE seen >= ?
		ORDER BY published DESC, id DESC`, fn, since.Unix())
	if err != nil {
		return fmt.Errorf("feeds: articles since %s: %w", since.Format(time.RFC3339), err)
	}
	return nil
}

// MarkMatched sets matched = 1 on the given articles inside the caller's
// transaction, so that queueing an article's alerts and marking it handled
// commit together. ErrNoArticle when one of ids is not stored.
func (s *Store) MarkMatched(ctx context.Context, tx *sql.Tx, ids ...int64) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		q := `UPDATE articles SET matched = 1 WHERE id IN (?` + strings.Repeat(`, ?`, n-1) + `)`
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("feeds: mark matched: %w", err)
		}
		if got, err := res.RowsAffected(); err == nil && got < int64(n) {
			return fmt.Errorf("feeds: mark matched: %w", ErrNoArticle)
		}
		ids = ids[n:]
	}
	return nil
}

// eachArticle is the one scanner of the articles table: q selects
// articleCols.
func (s *Store) eachArticle(ctx context.Context, q string, fn func(Article) error, args ...any) error {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a Article
		var cats string
		var pub, seen int64
		if err := rows.Scan(&a.ID, &a.FeedID, &a.Lang, &a.GUID, &a.Link, &a.Title, &a.Summary,
			&a.Content, &cats, &pub, &seen); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(cats), &a.Categories); err != nil {
			a.Categories = nil // a damaged row still has its text
		}
		if len(a.Categories) == 0 {
			a.Categories = nil
		}
		a.Published, a.Seen = time.Unix(pub, 0).UTC(), time.Unix(seen, 0).UTC()
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
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

// healthQuery counts each feed's articles on the articles_feed index: it
// runs every 30 s and must not read every article (TestQueriesUseIndexes).
const healthQuery = `SELECT f.id, f.url, f.last_success, f.last_attempt, f.last_error,
	f.failures, f.next_check, (SELECT count(*) FROM articles a WHERE a.feed_id = f.id)
	FROM feeds f ORDER BY f.id`

// Health lists every feed with stored state, by id.
func (s *Store) Health(ctx context.Context) ([]FeedHealth, error) {
	rows, err := s.db.QueryContext(ctx, healthQuery)
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
