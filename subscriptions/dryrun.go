package subscriptions

import (
	"context"
	"fmt"
	"time"

	"github.com/newsalert/newsalert/feeds"
)

// Hit is a stored article a query matches, with the words that matched.
type Hit struct {
	Article feeds.Article
	Words   []string
}

// Articles is what a dry run needs of the articles table, which the feeds
// package owns (*feeds.Store satisfies it).
type Articles interface {
	// Since calls fn for every article first seen at or after since,
	// newest published first.
	Since(ctx context.Context, since time.Time, fn func(feeds.Article) error) error
	// Article is one stored article (Why), feeds.ErrNoArticle when gone.
	Article(ctx context.Context, id int64) (feeds.Article, error)
}

// DryRun runs query over the articles stored since the given time and
// returns what it would have matched, newest first. matchContent tells
// which feeds have match_content set; nil means none. Query errors are
// *QueryError values, as for Subscribe.
func DryRun(ctx context.Context, arts Articles, query string, since time.Time, matchContent func(feedID string) bool) ([]Hit, error) {
	q, err := Parse(query, Limits{})
	if err != nil {
		return nil, err
	}
	return dryRun(ctx, arts, q, since, matchContent)
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
	return dryRun(ctx, s.cfg.Articles, r.q, since, matchContent)
}

func dryRun(ctx context.Context, arts Articles, q *Query, since time.Time, matchContent func(string) bool) ([]Hit, error) {
	t := newDict()
	c := compile(q.Root, t)
	var hits []Hit
	err := arts.Since(ctx, since, func(a feeds.Article) error {
		d := getDoc()
		d.readArticle(&a, matchContent != nil && matchContent(a.FeedID))
		d.index(t)
		if c.eval(d, true) {
			hits = append(hits, Hit{Article: a, Words: d.surfaces(nil, 0, d.hits)})
		}
		putDoc(d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("subscriptions: dry run: %w", err)
	}
	return hits, nil
}
