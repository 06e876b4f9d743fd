package feeds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"time"
)

// Outlet is a publisher whose feeds are editions of each other in several
// languages (the feeds with the same Source.Edition). Articles of its feeds
// are paired into stories when stored: by Key where the outlet has one,
// else by content within Window.
type Outlet struct {
	Name    string
	Key     *regexp.Regexp // exactly one capture group over the canonical link; nil: none
	Window  time.Duration  // content pairing: how far apart editions may be published
	Content bool           // pair by content what the key does not pair
	Langs   []string       // languages of its feeds
}

// Story is the set of editions of one article, one per language.
type Story struct {
	ID       int64 // 0: the article belongs to no outlet and is its own story
	Outlet   string
	Langs    []string  // languages the outlet publishes (from the config in force)
	Editions []Edition // in the order they were stored
}

// Edition is one article of a story and how it joined the story.
type Edition struct {
	ArticleID  int64
	Lang       string
	Link       string
	Title      string
	Published  time.Time
	How        string  // "first" (it started the story), "key" or "content"
	Score      float64 // content pairing's score; 1 for a key
	PairedWith int64   // the article it was paired with; 0 for first
}

// Has reports whether the story has an edition in lang.
func (s Story) Has(lang string) bool {
	return slices.ContainsFunc(s.Editions, func(e Edition) bool { return e.Lang == lang })
}

// outlets is the pairing configuration in force: outlet of each feed.
type outlets struct {
	byFeed map[string]*outletState
	byName map[string]*outletState
}

// outletState is an outlet and its in-memory content index. mu is held
// from before the write transaction that pairs an article until the index
// has the transaction's result, so that two feeds of the outlet saving at
// once pair against each other in order.
type outletState struct {
	Outlet
	mu  sync.Mutex
	idx *pairIndex // nil until first needed
}

// SetOutlets sets which feeds are editions of which outlet; sources with no
// Edition, or an edition not in outlets, belong to none. It is safe to call
// while polls run (a config reload); an outlet whose settings did not change
// keeps its content index.
func (s *Store) SetOutlets(srcs []Source, outs []Outlet) {
	old := s.outlets.Load()
	next := &outlets{byFeed: map[string]*outletState{}, byName: map[string]*outletState{}}
	for _, o := range outs {
		st := &outletState{Outlet: o}
		if old != nil {
			if prev := old.byName[o.Name]; prev != nil && sameOutlet(prev.Outlet, o) {
				st = prev
			}
		}
		next.byName[o.Name] = st
	}
	for _, src := range srcs {
		if o := next.byName[src.Edition]; o != nil && src.Edition != "" {
			next.byFeed[src.ID] = o
		}
	}
	s.outlets.Store(next)
}

func sameOutlet(a, b Outlet) bool {
	ka, kb := "", ""
	if a.Key != nil {
		ka = a.Key.String()
	}
	if b.Key != nil {
		kb = b.Key.String()
	}
	return ka == kb && a.Window == b.Window && a.Content == b.Content && slices.Equal(a.Langs, b.Langs)
}

func (s *Store) outletOf(feedID string) *outletState {
	o := s.outlets.Load()
	if o == nil {
		return nil
	}
	return o.byFeed[feedID]
}

// storyKey is the outlet's key of link, "" when it has none.
func (o *Outlet) storyKey(link string) string {
	if o.Key == nil || link == "" {
		return ""
	}
	m := o.Key.FindStringSubmatch(link)
	if len(m) != 2 {
		return ""
	}
	return m[1]
}

// pairing is one article's place in a story, as decided when it is stored.
type pairing struct {
	story      int64
	how        string
	score      float64
	pairedWith int64
	key        string // the story's key once this article joined (may be new)
}

// pair puts a just-inserted article into a story of its outlet, inside the
// transaction that stored it: the story of its key, else the story of the
// article its content pairs with, else a story of its own.
func (s *Store) pair(ctx context.Context, tx *sql.Tx, o *outletState, a *Article) (pairing, error) {
	key := o.storyKey(a.Link)
	if key != "" {
		var sid int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM stories WHERE outlet = ? AND key = ?`, o.Name, key).Scan(&sid)
		switch {
		case err == nil:
			var with int64
			err := tx.QueryRowContext(ctx, `SELECT article_id FROM story_editions WHERE story_id = ? AND lang = ?`, sid, a.Lang).Scan(&with)
			if errors.Is(err, sql.ErrNoRows) {
				first, err := firstEdition(ctx, tx, sid)
				if err != nil {
					return pairing{}, err
				}
				return s.addEdition(ctx, tx, o, a, pairing{story: sid, how: "key", score: 1, pairedWith: first, key: key})
			}
			if err != nil {
				return pairing{}, err
			}
			// The story already has this language (a re-published item
			// under a new link): the article is a story of its own.
			return s.newStory(ctx, tx, o, a, "")
		case !errors.Is(err, sql.ErrNoRows):
			return pairing{}, err
		}
	}
	if o.Content {
		idx, err := s.index(ctx, o)
		if err != nil {
			return pairing{}, err
		}
		if c, ok := idx.best(a, key != ""); ok {
			p := pairing{story: c.story, how: "content", score: c.score, pairedWith: c.article, key: key}
			if key != "" {
				if _, err := tx.ExecContext(ctx, `UPDATE stories SET key = ? WHERE id = ? AND key IS NULL`, key, c.story); err != nil {
					return pairing{}, err
				}
			}
			return s.addEdition(ctx, tx, o, a, p)
		}
	}
	return s.newStory(ctx, tx, o, a, key)
}

func firstEdition(ctx context.Context, tx *sql.Tx, story int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT min(article_id) FROM story_editions WHERE story_id = ?`, story).Scan(&id)
	return id, err
}

func (s *Store) newStory(ctx context.Context, tx *sql.Tx, o *outletState, a *Article, key string) (pairing, error) {
	var k any
	if key != "" {
		k = key
	}
	var sid int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO stories(outlet, key, created) VALUES(?, ?, ?) RETURNING id`,
		o.Name, k, unixSec(a.Seen)).Scan(&sid); err != nil {
		return pairing{}, err
	}
	return s.addEdition(ctx, tx, o, a, pairing{story: sid, how: "first", key: key})
}

func (s *Store) addEdition(ctx context.Context, tx *sql.Tx, o *outletState, a *Article, p pairing) (pairing, error) {
	_, err := tx.ExecContext(ctx, `INSERT INTO story_editions(article_id, story_id, outlet, lang, published, how, score, paired_with)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, p.story, o.Name, a.Lang, unixSec(a.Published), p.how, p.score, p.pairedWith)
	return p, err
}

// StoryID is the id of the story article id is an edition of, 0 when it
// has none: what a dry run needs to count a story once, without its
// editions.
func (s *Store) StoryID(ctx context.Context, articleID int64) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT story_id FROM story_editions WHERE article_id = ?`, articleID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("feeds: story of article %d: %w", articleID, err)
	}
	return id, nil
}

// StoryOf returns the story article id is an edition of, with every
// edition stored so far. An article of no outlet (or not stored) has no
// story: the zero Story, with ID 0.
func (s *Store) StoryOf(ctx context.Context, articleID int64) (Story, error) {
	var st Story
	err := s.db.QueryRowContext(ctx, `SELECT story_id, outlet FROM story_editions WHERE article_id = ?`, articleID).Scan(&st.ID, &st.Outlet)
	if errors.Is(err, sql.ErrNoRows) {
		return Story{}, nil
	}
	if err != nil {
		return Story{}, fmt.Errorf("feeds: story of article %d: %w", articleID, err)
	}
	st.Editions, err = s.editions(ctx, `WHERE e.story_id = ?`, st.ID)
	if err != nil {
		return Story{}, fmt.Errorf("feeds: story of article %d: %w", articleID, err)
	}
	if o := s.outlets.Load(); o != nil && o.byName[st.Outlet] != nil {
		st.Langs = o.byName[st.Outlet].Langs
	}
	for _, e := range st.Editions {
		if !slices.Contains(st.Langs, e.Lang) {
			st.Langs = append(slices.Clip(st.Langs), e.Lang)
		}
	}
	return st, nil
}

func (s *Store) editions(ctx context.Context, where string, args ...any) ([]Edition, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.article_id, e.lang, a.link, a.title, e.published, e.how, e.score, e.paired_with
		FROM story_editions e JOIN articles a ON a.id = e.article_id `+where+` ORDER BY e.article_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Edition
	for rows.Next() {
		var e Edition
		var pub int64
		if err := rows.Scan(&e.ArticleID, &e.Lang, &e.Link, &e.Title, &pub, &e.How, &e.Score, &e.PairedWith); err != nil {
			return nil, err
		}
		e.Published = unixTime(pub)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Stories lists the stories of outlets with an edition published at or
// after since, newest first, at most limit (for an operator's look at how
// editions were paired). outlet "" means every outlet.
func (s *Store) Stories(ctx context.Context, outlet string, since time.Time, limit int) ([]Story, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT story_id, outlet FROM story_editions
		WHERE published >= ? AND (? = '' OR outlet = ?)
		GROUP BY story_id ORDER BY max(published) DESC, story_id DESC LIMIT ?`, since.Unix(), outlet, outlet, limit)
	if err != nil {
		return nil, fmt.Errorf("feeds: stories: %w", err)
	}
	var out []Story
	for rows.Next() {
		var st Story
		if err := rows.Scan(&st.ID, &st.Outlet); err != nil {
			rows.Close()
			return nil, fmt.Errorf("feeds: stories: %w", err)
		}
		out = append(out, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feeds: stories: %w", err)
	}
	for i := range out {
		if out[i].Editions, err = s.editions(ctx, `WHERE e.story_id = ?`, out[i].ID); err != nil {
			return nil, fmt.Errorf("feeds: stories: %w", err)
		}
	}
	return out, nil
}

// pruneStories forgets the editions of pruned articles, and stories left
// with none; tx is Prune's.
func pruneStories(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM story_editions WHERE article_id NOT IN (SELECT id FROM articles)`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM story_editions)`)
	return err
}

// pairedArticle is an article stored and paired by a poll's transaction.
type pairedArticle struct {
	a Article
	p pairing
}

// indexPaired adds a committed poll's articles to their outlet's content
// index (if it is loaded: else it loads them from the database when first
// needed). The caller holds o.mu.
func (s *Store) indexPaired(o *outletState, paired []pairedArticle) {
	if o == nil || o.idx == nil {
		return
	}
	for _, pa := range paired {
		o.idx.add(makePairDoc(&pa.a), pa.p.story, pa.p.key != "")
		if pa.p.key != "" {
			o.idx.keyed[pa.p.story] = true
		}
	}
}
