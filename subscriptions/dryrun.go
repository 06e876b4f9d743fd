package subscriptions

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/newsalert/newsalert/feeds"
)

// Hit is a stored article a query matches, with the words that matched.
type Hit struct {
	Article feeds.Article
	Words   []string
}

// DryRun runs query over the articles stored since the given time and
// returns what it would have matched, newest first. matchContent tells
// which feeds have match_content set; nil means none. Query errors are
// *QueryError values, as for Subscribe.
func DryRun(ctx context.Context, db *sql.DB, query string, since time.Time, matchContent func(feedID string) bool) ([]Hit, error) {
	q, err := Parse(query, Limits{})
	if err != nil {
		return nil, err
	}
	return dryRun(ctx, db, q, since, matchContent)
}

// DryRun is DryRun with the service's limits and curated topics: a query
// that names a topic runs as all its aliases.
func (s *Service) DryRun(ctx context.Context, query string, since time.Time, matchContent func(feedID string) bool) ([]Hit, error) {
	q, err := Parse(query, s.Limits())
	if err != nil {
		return nil, err
	}
	r, err := s.topics.Load().resolve(q.String(), query)
	if err != nil {
		return nil, err
	}
	return dryRun(ctx, s.db, r.q, since, matchContent)
}

func dryRun(ctx context.Context, db *sql.DB, q *Query, since time.Time, matchContent func(string) bool) ([]Hit, error) {
	t := newDict()
	c := compile(q.Root, t)
	rows, err := db.QueryContext(ctx, `SELECT id, feed_id, lang, guid, link, title, summary, content, categories, published, seen
		FROM articles WHERE seen >= ? ORDER BY published DESC, id DESC`, since.Unix())
	if err != nil {
		return nil, fmt.Errorf("subscriptions: dry run: %w", err)
	}
	defer rows.Close()
	var hits []Hit
	for rows.Next() {
		var a feeds.Article
		var cats string
		var published, seen int64
		if err := rows.Scan(&a.ID, &a.FeedID, &a.Lang, &a.GUID, &a.Link, &a.Title, &a.Summary, &a.Content,
			&cats, &published, &seen); err != nil {
			return nil, fmt.Errorf("subscriptions: dry run: %w", err)
		}
		if err := json.Unmarshal([]byte(cats), &a.Categories); err != nil {
			a.Categories = nil // a damaged row still matches on its text
		}
		a.Published, a.Seen = time.Unix(published, 0).UTC(), time.Unix(seen, 0).UTC()
		d := getDoc()
		d.readArticle(&a, matchContent != nil && matchContent(a.FeedID))
		d.index(t)
		if c.eval(d, true) {
			hits = append(hits, Hit{Article: a, Words: d.surfaces(nil, 0, d.hits)})
		}
		putDoc(d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: dry run: %w", err)
	}
	return hits, nil
}
