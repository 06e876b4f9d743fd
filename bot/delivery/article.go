package delivery

import (
	"context"
	"database/sql"
	"time"

	"github.com/newsalert/newsalert/feeds"
)

// readArticle loads one stored article for the renderer.
func readArticle(ctx context.Context, db *sql.DB, id int64) (*feeds.Article, error) {
	var a feeds.Article
	var cats string
	var published, seen int64
	err := db.QueryRowContext(ctx, `SELECT id, feed_id, lang, guid, link, title, summary, content, categories, published, seen
		FROM articles WHERE id = ?`, id).Scan(&a.ID, &a.FeedID, &a.Lang, &a.GUID, &a.Link, &a.Title, &a.Summary,
		&a.Content, &cats, &published, &seen)
	if err != nil {
		return nil, err
	}
	a.Categories = parseList(cats)
	a.Published = time.Unix(published, 0).UTC()
	a.Seen = time.Unix(seen, 0).UTC()
	return &a, nil
}
