package subscriptions

import (
	"context"
	"fmt"
	"strings"
)

// SetTopics replaces the curated topics (a config reload). Only the
// subscriptions whose query a changed topic concerns are re-indexed, in
// place: a reload that changes no topic touches nothing, and editing one
// topic re-reads the subscriptions to its name and aliases, not the million
// others.
func (s *Service) SetTopics(ctx context.Context, topics []Topic) error {
	ts, err := compileTopics(topics)
	if err != nil {
		return err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	old := s.topics.Load()
	forms := changedForms(old, ts)
	if len(forms) == 0 {
		s.topics.Store(ts) // same topics; the new set is as good as the old
		return nil
	}
	rows, err := s.subscriptionsTo(ctx, forms)
	if err != nil {
		return err
	}
	m := s.matcher()
	m.mu.Lock()
	for _, r := range rows {
		if o, err := old.resolve(r.norm, r.typed); err == nil {
			if c, e := m.chats[r.chat], m.entries[o.key]; c != nil && e != nil {
				m.remove(c, e, false)
			}
		}
	}
	a := s.newAdder(m, ts)
	for _, r := range rows {
		a.add(r.chat, []byte(r.typed), []byte(r.norm))
	}
	s.topics.Store(ts)
	m.mu.Unlock()
	s.reindexes.Add(1)
	s.reindexed.Add(int64(len(rows)))
	s.log.Info("subscriptions: curated topics changed", "queries", len(forms), "subscriptions", len(rows))
	return nil
}

// TopicReindexes says how many times SetTopics changed the matcher, and how
// many subscriptions it re-indexed in all.
func (s *Service) TopicReindexes() (times, subscriptions int64) {
	return s.reindexes.Load(), s.reindexed.Load()
}

// changedForms lists the canonical queries that resolve differently under
// the two topic sets: to another topic, to a topic whose aliases changed, or
// to a topic in one set and to themselves in the other.
func changedForms(old, cur *topicSet) []string {
	same := func(a, b *compiledTopic) bool {
		if a == nil || b == nil {
			return a == b
		}
		return a.name == b.name && a.q.String() == b.q.String()
	}
	var forms []string
	for f, t := range old.byQuery {
		if !same(t, cur.byQuery[f]) {
			forms = append(forms, f)
		}
	}
	for f := range cur.byQuery {
		if _, ok := old.byQuery[f]; !ok {
			forms = append(forms, f)
		}
	}
	return forms
}

type storedSub struct {
	chat        int64
	typed, norm string
}

// subscriptionsTo reads every subscription whose normalized query is one of
// forms, in id order.
func (s *Service) subscriptionsTo(ctx context.Context, forms []string) ([]storedSub, error) {
	var out []storedSub
	for len(forms) > 0 {
		n := min(len(forms), 500)
		args := make([]any, n)
		for i, f := range forms[:n] {
			args[i] = f
		}
		rows, err := s.db.QueryContext(ctx, `SELECT chat_id, query, normalized FROM subscriptions
			WHERE normalized IN (?`+strings.Repeat(`, ?`, n-1)+`) ORDER BY id`, args...)
		if err != nil {
			return nil, fmt.Errorf("subscriptions: topic subscriptions: %w", err)
		}
		for rows.Next() {
			var r storedSub
			if err := rows.Scan(&r.chat, &r.typed, &r.norm); err != nil {
				rows.Close()
				return nil, fmt.Errorf("subscriptions: topic subscriptions: %w", err)
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("subscriptions: topic subscriptions: %w", err)
		}
		forms = forms[n:]
	}
	return out, nil
}
