package feeds

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
)

// Store keeps feeds' poll state, articles and dedup keys in the tables of
// store/migrations/0001_feeds.sql. It is safe for concurrent use: every write
// is one immediate transaction.
type Store struct {
	db      *sql.DB
	Now     func() time.Time // for Prune; time.Now by default
	outlets atomic.Pointer[outlets]
}

// NewStore wraps a database opened by store.Open.
func NewStore(db *sql.DB) *Store { return &Store{db: db, Now: time.Now} }

// FeedState is one feed's poll state, as it survives restarts.
type FeedState struct {
	ID          string
	URL         string
	Validators  Validators
	BodyHash    string // hash of the last document parsed
	Seeded      bool   // the first successful poll has recorded what the feed held
	Failures    int    // failures in a row
	LastError   string
	LastAttempt time.Time
	LastSuccess time.Time
	NextCheck   time.Time // do not poll before; zero: any time
	Articles    int       // articles ever stored from this feed
	Title       string    // the feed's own title, from its last parse ("" keeps the stored one)
}

// State returns the stored state of feed id, or a zero state (with ID set)
// for a feed never polled.
func (s *Store) State(ctx context.Context, id string) (FeedState, error) {
	st := FeedState{ID: id}
	var seeded int
	var attempt, success, next int64
	err := s.db.QueryRowContext(ctx, `SELECT url, etag, last_modified, body_hash, seeded, failures, last_error,
		last_attempt, last_success, next_check, articles, title FROM feeds WHERE id = ?`, id).Scan(
		&st.URL, &st.Validators.ETag, &st.Validators.LastModified, &st.BodyHash, &seeded, &st.Failures, &st.LastError,
		&attempt, &success, &next, &st.Articles, &st.Title)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("feeds: load state of %s: %w", id, err)
	}
	st.Seeded = seeded != 0
	st.LastAttempt, st.LastSuccess, st.NextCheck = unixTime(attempt), unixTime(success), unixTime(next)
	return st, nil
}

// SaveState writes a feed's state (its Articles count is left alone).
func (s *Store) SaveState(ctx context.Context, st FeedState) error {
	if err := saveState(ctx, s.db, st, 0); err != nil {
		return fmt.Errorf("feeds: save state of %s: %w", st.ID, err)
	}
	return nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func saveState(ctx context.Context, db execer, st FeedState, added int) error {
	_, err := db.ExecContext(ctx, `INSERT INTO feeds(id, url, etag, last_modified, body_hash, seeded, failures,
		last_error, last_attempt, last_success, next_check, articles, title)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET url = excluded.url, etag = excluded.etag,
		last_modified = excluded.last_modified, body_hash = excluded.body_hash, seeded = excluded.seeded, failures = excluded.failures,
		last_error = excluded.last_error, last_attempt = excluded.last_attempt,
		last_success = excluded.last_success, next_check = excluded.next_check,
		articles = feeds.articles + ?,
		title = CASE WHEN excluded.title <> '' THEN excluded.title ELSE feeds.title END`,
		st.ID, st.URL, st.Validators.ETag, st.Validators.LastModified, st.BodyHash, boolInt(st.Seeded), st.Failures,
		truncate(st.LastError, 500), unixSec(st.LastAttempt), unixSec(st.LastSuccess), unixSec(st.NextCheck),
		added, truncate(strings.TrimSpace(st.Title), 200), added)
	return err
}

// SavePoll stores, in one transaction, the articles of a successful poll
// that are new (none of their dedup keys known) and the feed's new state.
// Articles must have FeedID, Lang and Seen set. With seed, new articles are
// stored as already matched (a feed's first poll) and none is returned; so
// are new articles published before staleBefore (zero: no such limit).
// Keys of known articles are refreshed so they outlive the feed carrying
// them. It returns the new articles with their IDs.
func (s *Store) SavePoll(ctx context.Context, st FeedState, arts []Article, seed bool, staleBefore time.Time) ([]Article, error) {
	// An outlet's feeds pair their articles one poll at a time (story.go).
	o := s.outletOf(st.ID)
	var paired []pairedArticle
	var stored func(*Article) error
	if o != nil {
		o.mu.Lock()
		defer o.mu.Unlock()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("feeds: save poll of %s: %w", st.ID, err)
	}
	defer tx.Rollback()
	if o != nil {
		stored = func(a *Article) error {
			p, err := s.pair(ctx, tx, o, a)
			paired = append(paired, pairedArticle{a: *a, p: p})
			return err
		}
	}
	fresh, err := insertNew(ctx, tx, st.ID, arts, seed, staleBefore, stored)
	if err != nil {
		return nil, fmt.Errorf("feeds: save poll of %s: %w", st.ID, err)
	}
	if err := saveState(ctx, tx, st, len(fresh)); err != nil {
		return nil, fmt.Errorf("feeds: save poll of %s: %w", st.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("feeds: save poll of %s: %w", st.ID, err)
	}
	s.indexPaired(o, paired)
	return fresh, nil
}

// insertNew stores the new articles of arts; stored, when set, is called
// in the transaction after each is inserted.
func insertNew(ctx context.Context, tx *sql.Tx, feedID string, arts []Article, seed bool, staleBefore time.Time, stored func(*Article) error) ([]Article, error) {
	// A link shared by several items of one feed (every item pointing at
	// the home page) identifies none of them.
	links := map[string]int{}
	for _, a := range arts {
		if a.Link != "" {
			links[a.Link]++
		}
	}
	// The driver does not cache statements: prepare each once per poll.
	find, err := tx.PrepareContext(ctx, `SELECT article_id FROM article_keys WHERE key = ?`)
	if err != nil {
		return nil, err
	}
	defer find.Close()
	insert, err := tx.PrepareContext(ctx, `INSERT INTO articles(feed_id, lang, guid, link, title, summary,
		content, categories, published, seen, matched) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
	if err != nil {
		return nil, err
	}
	defer insert.Close()
	// A known key is refreshed at most daily: fewer writes, same retention.
	upsertKey, err := tx.PrepareContext(ctx, `INSERT INTO article_keys(key, article_id, seen) VALUES(?, ?, ?)
		ON CONFLICT(key) DO UPDATE SET seen = excluded.seen WHERE seen < excluded.seen - 86400`)
	if err != nil {
		return nil, err
	}
	defer upsertKey.Close()
	var fresh []Article
	for _, a := range arts {
		keys := articleKeys(feedID, a, links[a.Link] <= 1)
		var known bool
		var existing sql.NullInt64
		for _, k := range keys {
			err := find.QueryRowContext(ctx, k).Scan(&existing)
			if err == nil {
				known = true
				break
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
		}
		seen := unixSec(a.Seen)
		if !known {
			record := seed || a.Published.Before(staleBefore)
			cats, _ := json.Marshal(nonNil(a.Categories))
			err := insert.QueryRowContext(ctx, a.FeedID, a.Lang, a.GUID, a.Link, a.Title, a.Summary, a.Content, string(cats),
				unixSec(a.Published), seen, boolInt(record)).Scan(&a.ID)
			if err != nil {
				return nil, err
			}
			existing = sql.NullInt64{Int64: a.ID, Valid: true}
			if stored != nil {
				if err := stored(&a); err != nil {
					return nil, err
				}
			}
			if !record {
				fresh = append(fresh, a)
			}
		}
		for _, k := range keys {
			if _, err := upsertKey.ExecContext(ctx, k, existing, seen); err != nil {
				return nil, err
			}
		}
	}
	return fresh, nil
}

// The prune statements; each uses an index (TestQueriesUseIndexes), so a
// daily prune does not read every article or key.
const (
	pruneUnlinkKeys = `UPDATE article_keys SET article_id = NULL WHERE article_id IN
		(SELECT id FROM articles WHERE seen < ? AND matched = 1)`
	pruneArticles = `DELETE FROM articles WHERE seen < ? AND matched = 1`
	pruneKeys     = `DELETE FROM article_keys WHERE seen < ? AND article_id IS NULL`
)

// Prune deletes articles first seen more than articleMaxAge ago that the
// matcher has handled (matched = 1), and dedup keys not seen in a feed for
// keyMaxAge. keyMaxAge should be well over articleMaxAge, and over the age
// of the oldest item feeds keep listing.
func (s *Store) Prune(ctx context.Context, articleMaxAge, keyMaxAge time.Duration) (articles, keys int64, err error) {
	now := s.Now()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("feeds: prune: %w", err)
	}
	defer tx.Rollback()
	cut := unixSec(now.Add(-articleMaxAge))
	if _, err := tx.ExecContext(ctx, pruneUnlinkKeys, cut); err != nil {
		return 0, 0, fmt.Errorf("feeds: prune: %w", err)
	}
	res, err := tx.ExecContext(ctx, pruneArticles, cut)
	if err != nil {
		return 0, 0, fmt.Errorf("feeds: prune articles: %w", err)
	}
	articles, _ = res.RowsAffected()
	res, err = tx.ExecContext(ctx, pruneKeys, unixSec(now.Add(-keyMaxAge)))
	if err != nil {
		return 0, 0, fmt.Errorf("feeds: prune keys: %w", err)
	}
	keys, _ = res.RowsAffected()
	if err := pruneStories(ctx, tx); err != nil {
		return 0, 0, fmt.Errorf("feeds: prune stories: %w", err)
	}
	return articles, keys, tx.Commit()
}

// ForgetFeeds deletes the poll state of feeds not in keep (removed from the
// config). Their articles stay until pruned.
func (s *Store) ForgetFeeds(ctx context.Context, keep []string) error {
	q := `DELETE FROM feeds`
	args := make([]any, len(keep))
	if len(keep) > 0 {
		q += ` WHERE id NOT IN (?` + strings.Repeat(`, ?`, len(keep)-1) + `)`
		for i, id := range keep {
			args[i] = id
		}
	}
	if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("feeds: forget feeds: %w", err)
	}
	return nil
}

func unixSec(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func unixTime(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
