package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Subscription is one query of one chat.
type Subscription struct {
	ID         int64
	ChatID     int64
	Number     int    // 1-based position in the chat's list (order of creation)
	Query      string // as the chat typed it
	Normalized string // canonical form
	Topic      string // the curated topic it names, or ""
	Created    time.Time

	Digest     string    // its own digest schedule ("daily 08:00"); "": as the chat
	MutedUntil time.Time // no alerts for it before then; zero: not muted
}

// Label is what a listing shows: the topic's name, or the query as typed.
func (s Subscription) Label() string {
	if s.Topic != "" {
		return s.Topic
	}
	return s.Query
}

// List returns a chat's subscriptions numbered in order of creation.
func (s *Service) List(ctx context.Context, chatID int64) ([]Subscription, error) {
	return s.list(ctx, s.db, chatID)
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func (s *Service) list(ctx context.Context, db querier, chatID int64) ([]Subscription, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, query, normalized, created, digest, muted_until FROM subscriptions
		WHERE chat_id = ? ORDER BY created, id`, chatID)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: list chat %d: %w", chatID, err)
	}
	defer rows.Close()
	ts := s.topics.Load()
	var out []Subscription
	for rows.Next() {
		sub := Subscription{ChatID: chatID, Number: len(out) + 1}
		var created, muted int64
		if err := rows.Scan(&sub.ID, &sub.Query, &sub.Normalized, &created, &sub.Digest, &muted); err != nil {
			return nil, fmt.Errorf("subscriptions: list chat %d: %w", chatID, err)
		}
		if muted > 0 {
			sub.MutedUntil = time.Unix(muted, 0).UTC()
		}
		sub.Created = time.Unix(created, 0).UTC()
		if t := ts.byQuery[sub.Normalized]; t != nil {
			sub.Topic = t.name
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: list chat %d: %w", chatID, err)
	}
	return out, nil
}

// Count returns how many subscriptions a chat has.
func (s *Service) Count(ctx context.Context, chatID int64) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM subscriptions WHERE chat_id = ?`, chatID).Scan(&n); err != nil {
		return 0, fmt.Errorf("subscriptions: count chat %d: %w", chatID, err)
	}
	return n, nil
}

// Subscribe adds a query to a chat that UpsertChat recorded. Errors: a
// *QueryError (errors.Is with ErrEmpty, ErrTooLong, ...), ErrChatNotFound,
// ErrTooManySubscriptions, and ErrAlreadySubscribed together with the
// existing subscription.
func (s *Service) Subscribe(ctx context.Context, chatID int64, query string) (Subscription, error) {
	query = strings.TrimSpace(query)
	q, err := Parse(query, s.Limits())
	if err != nil {
		return Subscription{}, err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	r, err := s.topics.Load().resolve(q.String(), query)
	if err != nil {
		return Subscription{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Subscription{}, fmt.Errorf("subscriptions: subscribe chat %d: %w", chatID, err)
	}
	defer tx.Rollback()
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM chats WHERE id = ?`, chatID).Scan(&exists); err != nil {
		return Subscription{}, fmt.Errorf("subscriptions: subscribe chat %d: %w", chatID, err)
	}
	if exists == 0 {
		return Subscription{}, ErrChatNotFound
	}
	have, err := s.list(ctx, tx, chatID)
	if err != nil {
		return Subscription{}, err
	}
	for _, h := range have {
		if sameQuery(h.Normalized, q.String()) || r.topic != "" && h.Topic == r.topic {
			return h, ErrAlreadySubscribed
		}
	}
	if len(have) >= s.MaxPerChat() {
		return Subscription{}, ErrTooManySubscriptions
	}
	now := s.cfg.Now().Unix()
	sub := Subscription{ChatID: chatID, Number: len(have) + 1, Query: query, Normalized: q.String(),
		Topic: r.topic, Created: time.Unix(now, 0).UTC()}
	if err := tx.QueryRowContext(ctx, `INSERT INTO subscriptions(chat_id, query, normalized, created)
		VALUES(?, ?, ?, ?) RETURNING id`, chatID, query, sub.Normalized, now).Scan(&sub.ID); err != nil {
		return Subscription{}, fmt.Errorf("subscriptions: subscribe chat %d: %w", chatID, err)
	}
	if err := tx.Commit(); err != nil {
		return Subscription{}, fmt.Errorf("subscriptions: subscribe chat %d: %w", chatID, err)
	}
	s.matcher().Add(chatID, r.key, sub.Label(), r.q)
	return sub, nil
}

// Unsubscribe removes the chat's subscription to query, however it was
// typed ("nato" removes "NATO"; any alias removes its topic). It returns
// what was removed, or ErrNotSubscribed.
func (s *Service) Unsubscribe(ctx context.Context, chatID int64, query string) (Subscription, error) {
	q, err := Parse(query, unlimited)
	if err != nil {
		return Subscription{}, err
	}
	norm := q.String()
	return s.unsubscribe(ctx, chatID, func(ts *topicSet, h Subscription) bool {
		if sameQuery(h.Normalized, norm) {
			return true
		}
		t := ts.byQuery[norm]
		return t != nil && h.Topic == t.name
	})
}

// UnsubscribeNumber removes the chat's subscription numbered n in List.
func (s *Service) UnsubscribeNumber(ctx context.Context, chatID int64, n int) (Subscription, error) {
	return s.unsubscribe(ctx, chatID, func(_ *topicSet, h Subscription) bool { return h.Number == n })
}

func (s *Service) unsubscribe(ctx context.Context, chatID int64, which func(*topicSet, Subscription) bool) (Subscription, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	ts := s.topics.Load()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Subscription{}, fmt.Errorf("subscriptions: unsubscribe chat %d: %w", chatID, err)
	}
	defer tx.Rollback()
	have, err := s.list(ctx, tx, chatID)
	if err != nil {
		return Subscription{}, err
	}
	for _, h := range have {
		if !which(ts, h) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE id = ?`, h.ID); err != nil {
			return Subscription{}, fmt.Errorf("subscriptions: unsubscribe chat %d: %w", chatID, err)
		}
		if err := tx.Commit(); err != nil {
			return Subscription{}, fmt.Errorf("subscriptions: unsubscribe chat %d: %w", chatID, err)
		}
		if r, err := ts.resolve(h.Normalized, h.Query); err == nil {
			s.matcher().Remove(chatID, r.key)
		}
		return h, nil
	}
	return Subscription{}, ErrNotSubscribed
}

// UnsubscribeAll removes every subscription of a chat and returns how many
// there were.
func (s *Service) UnsubscribeAll(ctx context.Context, chatID int64) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	res, err := s.db.ExecContext(ctx, `DELETE FROM subscriptions WHERE chat_id = ?`, chatID)
	if err != nil {
		return 0, fmt.Errorf("subscriptions: unsubscribe all chat %d: %w", chatID, err)
	}
	n, _ := res.RowsAffected()
	m := s.matcher()
	m.mu.Lock()
	if c := m.chats[chatID]; c != nil {
		for len(c.entries) > 0 {
			m.remove(c, c.entries[0].e, true)
		}
	}
	m.mu.Unlock()
	return int(n), nil
}

// sameQuery reports whether a stored canonical query is norm. A query
// stored by an older parser may read differently now ("nato and ukraine"
// was three words before AND became an operator), so it is read again when
// the strings differ.
func sameQuery(stored, norm string) bool {
	if stored == norm {
		return true
	}
	q, err := Parse(stored, unlimited)
	return err == nil && q.String() == norm
}
