package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/morphology"
)

var dictOnce sync.Once

// Config sets a Service's limits and curated topics.
type Config struct {
	MaxPerChat  int     // subscriptions a chat may have; default 50
	MaxQueryLen int     // characters of a query; default 200
	MaxTerms    int     // words of a query; default 20
	Topics      []Topic // curated topics
	// Articles is the corpus of dry runs; nil: a feeds.Store on the
	// service's database.
	Articles Articles
	Now      func() time.Time
	Logger   *slog.Logger
}

// Default limits of a chat.
const DefaultMaxPerChat = 50

// Service keeps chats and subscriptions in the database and the matcher in
// step with it: every change is written to SQLite first and then applied to
// the in-memory matcher, one change at a time. Reads (List, Chat, Match)
// run concurrently with changes.
type Service struct {
	db     *sql.DB
	cfg    Config
	log    *slog.Logger
	wmu    sync.Mutex // serializes changes: store and matcher change in the same order
	m      atomic.Pointer[Matcher]
	topics atomic.Pointer[topicSet]

	reindexes, reindexed atomic.Int64 // see TopicReindexes
	limits               atomic.Pointer[chatLimits]
}

// chatLimits are the limits a config reload may change (SetLimits).
type chatLimits struct {
	maxPerChat int
	query      Limits
}

// New loads every chat and subscription from db into a matcher.
func New(ctx context.Context, db *sql.DB, cfg Config) (*Service, error) {
	if cfg.MaxPerChat <= 0 {
		cfg.MaxPerChat = DefaultMaxPerChat
	}
	if cfg.MaxQueryLen <= 0 {
		cfg.MaxQueryLen = DefaultMaxQueryLen
	}
	if cfg.MaxTerms <= 0 {
		cfg.MaxTerms = DefaultMaxTerms
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Articles == nil {
		cfg.Articles = feeds.NewStore(db)
	}
	s := &Service{db: db, cfg: cfg, log: cfg.Logger}
	// The dictionaries are read now, not on the first article or query.
	dictOnce.Do(func() {
		start := time.Now()
		if err := morphology.Preload(); err != nil {
			s.log.Error("subscriptions: dictionaries unreadable; words are matched by stems only", "err", err)
			return
		}
		s.log.Info("subscriptions: dictionaries loaded", "duration", time.Since(start).Round(time.Millisecond))
	})
	s.SetLimits(cfg.MaxPerChat, cfg.MaxQueryLen, cfg.MaxTerms)
	ts, err := compileTopics(cfg.Topics)
	if err != nil {
		return nil, err
	}
	s.topics.Store(ts)
	m, err := s.load(ctx, ts)
	if err != nil {
		return nil, err
	}
	s.m.Store(m)
	return s, nil
}

func (s *Service) matcher() *Matcher { return s.m.Load() }

// Limits returns the query limits chats are held to.
func (s *Service) Limits() Limits {
	return s.limits.Load().query
}

// MaxPerChat is how many subscriptions a chat may have.
func (s *Service) MaxPerChat() int { return s.limits.Load().maxPerChat }

// SetLimits changes the per-chat limits (a config reload); zero values take
// the defaults. Subscriptions over a lowered limit stay; new ones are
// refused until the chat is under it.
func (s *Service) SetLimits(maxPerChat, maxQueryLen, maxTerms int) {
	if maxPerChat <= 0 {
		maxPerChat = DefaultMaxPerChat
	}
	if maxQueryLen <= 0 {
		maxQueryLen = DefaultMaxQueryLen
	}
	if maxTerms <= 0 {
		maxTerms = DefaultMaxTerms
	}
	s.limits.Store(&chatLimits{maxPerChat: maxPerChat, query: Limits{MaxLen: maxQueryLen, MaxTerms: maxTerms}})
}

// Match returns, for one article, one Match per chat it concerns.
// matchContent says whether the article's feed has match_content set.
func (s *Service) Match(a feeds.Article, matchContent bool) []Match {
	return s.matcher().Match(a, matchContent)
}

// MatchStory is Match for one edition of a story published in langs: a
// chat is reached when it takes any of the story's languages.
func (s *Service) MatchStory(a feeds.Article, matchContent bool, langs []string) []Match {
	return s.matcher().MatchStory(a, matchContent, langs)
}

// Stats returns the size of the in-memory matcher.
func (s *Service) Stats() Stats { return s.matcher().Stats() }

// load builds a matcher from every chat and subscription in the database.
// Each distinct query is parsed once.
func (s *Service) load(ctx context.Context, ts *topicSet) (*Matcher, error) {
	m := NewMatcher()
	m.mu.Lock()
	defer m.mu.Unlock()
	rows, err := s.db.QueryContext(ctx, `SELECT `+chatColumns+` FROM chats`)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: load chats: %w", err)
	}
	for rows.Next() {
		c, err := scanChat(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("subscriptions: load chats: %w", err)
		}
		m.setFilter(m.chat(c.ID), c.Paused, c.Inactive, c.NewsLanguages)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: load chats: %w", err)
	}
	rows, err = s.db.QueryContext(ctx, `SELECT chat_id, query, normalized FROM subscriptions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: load subscriptions: %w", err)
	}
	defer rows.Close()
	if err := s.addRows(m, ts, rows); err != nil {
		return nil, err
	}
	return m, nil
}

// addRows adds (chat_id, query, normalized) rows to m, whose lock the
// caller holds.
func (s *Service) addRows(m *Matcher, ts *topicSet, rows *sql.Rows) error {
	a := s.newAdder(m, ts)
	var (
		chatID      int64
		typed, norm sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&chatID, &typed, &norm); err != nil {
			return fmt.Errorf("subscriptions: load subscriptions: %w", err)
		}
		a.add(chatID, typed, norm)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("subscriptions: load subscriptions: %w", err)
	}
	return nil
}

// adder adds stored subscriptions to a matcher whose lock the caller
// holds, parsing each distinct query once.
type adder struct {
	s      *Service
	m      *Matcher
	ts     *topicSet
	cache  map[string]resolved
	labels map[string]string // query key → a label typed for it
	last   *chatState
}

func (s *Service) newAdder(m *Matcher, ts *topicSet) *adder {
	return &adder{s: s, m: m, ts: ts, cache: make(map[string]resolved), labels: make(map[string]string)}
}

func (a *adder) add(chatID int64, typed, norm []byte) {
	r, ok := a.cache[string(typed)] // by the query as typed: its capitals are names
	if !ok || r.norm != string(norm) {
		var err error
		if r, err = a.ts.resolve(string(norm), string(typed)); err != nil {
			// A row no parser of ours produced: skip it, keep serving.
			a.s.log.Warn("subscriptions: unreadable stored query", "chat", chatID, "query", string(norm), "err", err)
			return
		}
		r.norm = string(norm)
		a.cache[string(typed)] = r
	}
	// Share label strings: most people type a query the same way, and
	// a million small strings cost the garbage collector more than
	// their bytes.
	label := r.topic
	if label == "" {
		switch {
		case string(typed) == r.key:
			label = r.key
		case string(typed) == a.labels[r.key]:
			label = a.labels[r.key]
		default:
			label = string(typed)
			a.labels[r.key] = label
		}
	}
	if a.last == nil || a.last.id != chatID {
		a.last = a.m.chat(chatID)
	}
	a.m.add(a.last, r.key, label, r.q)
}

// loadChat (re)reads one chat's settings and subscriptions into m.
func (s *Service) loadChat(ctx context.Context, m *Matcher, id int64) error {
	c, err := s.Chat(ctx, id)
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT chat_id, query, normalized FROM subscriptions WHERE chat_id = ? ORDER BY id`, id)
	if err != nil {
		return fmt.Errorf("subscriptions: load chat %d: %w", id, err)
	}
	defer rows.Close()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.setFilter(m.chat(c.ID), c.Paused, c.Inactive, c.NewsLanguages)
	return s.addRows(m, s.topics.Load(), rows)
}
