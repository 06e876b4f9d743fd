package subscriptions

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Delivery settings of chats and subscriptions: timed pauses, digest
// schedules, quiet hours and mutes. The specs are stored as the bot
// canonicalized them; this package does not interpret them.

// SetPausedUntil pauses a chat's alerts until t; ResumeExpired ends the
// pause then.
func (s *Service) SetPausedUntil(ctx context.Context, id int64, t time.Time) (Chat, error) {
	return s.updateChat(ctx, id, "paused = 1, paused_until = ?", t.Unix())
}

// ResumeExpired resumes every chat whose timed pause ended by now, and
// returns them.
func (s *Service) ResumeExpired(ctx context.Context, now time.Time) ([]Chat, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	rows, err := s.db.QueryContext(ctx, `UPDATE chats SET paused = 0, paused_until = 0
		WHERE paused = 1 AND paused_until > 0 AND paused_until <= ? RETURNING `+chatColumns, now.Unix())
	if err != nil {
		return nil, fmt.Errorf("subscriptions: resume expired pauses: %w", err)
	}
	defer rows.Close()
	var out []Chat
	for rows.Next() {
		c, err := scanChat(rows)
		if err != nil {
			return nil, fmt.Errorf("subscriptions: resume expired pauses: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: resume expired pauses: %w", err)
	}
	m := s.matcher()
	for _, c := range out {
		m.SetChat(c.ID, c.filter())
	}
	return out, nil
}

// SetDigest sets the chat's digest schedule; "" is instant alerts.
func (s *Service) SetDigest(ctx context.Context, id int64, spec string) (Chat, error) {
	return s.updateChat(ctx, id, "digest = ?", spec)
}

// SetQuiet sets the chat's quiet hours; "" is none.
func (s *Service) SetQuiet(ctx context.Context, id int64, spec string) (Chat, error) {
	return s.updateChat(ctx, id, "quiet = ?", spec)
}

// SetSubDigest sets one subscription's own digest schedule; "" follows the
// chat. ErrNotSubscribed when the chat has no such subscription.
func (s *Service) SetSubDigest(ctx context.Context, chatID, subID int64, spec string) error {
	return s.updateSub(ctx, chatID, subID, "digest = ?", spec)
}

// SetMuted mutes a subscription until t (zero: unmutes it).
func (s *Service) SetMuted(ctx context.Context, chatID, subID int64, t time.Time) error {
	var until int64
	if !t.IsZero() {
		until = t.Unix()
	}
	return s.updateSub(ctx, chatID, subID, "muted_until = ?", until)
}

func (s *Service) updateSub(ctx context.Context, chatID, subID int64, set string, arg any) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	res, err := s.db.ExecContext(ctx, `UPDATE subscriptions SET `+set+` WHERE id = ? AND chat_id = ?`, arg, subID, chatID)
	if err != nil {
		return fmt.Errorf("subscriptions: update subscription %d: %w", subID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotSubscribed
	}
	return nil
}

// Subscription returns one of a chat's subscriptions by id.
func (s *Service) Subscription(ctx context.Context, chatID, subID int64) (Subscription, error) {
	subs, err := s.List(ctx, chatID)
	if err != nil {
		return Subscription{}, err
	}
	for _, sub := range subs {
		if sub.ID == subID {
			return sub, nil
		}
	}
	return Subscription{}, ErrNotSubscribed
}

// WithDeliverySettings returns the ids of the chats that have a digest,
// quiet hours, or a subscription with its own digest or a mute not over by
// now: the ones whose alerts are not simply sent at once.
func (s *Service) WithDeliverySettings(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM chats WHERE digest <> '' OR quiet <> ''
		UNION SELECT chat_id FROM subscriptions WHERE digest <> '' OR muted_until > ?`, now.Unix())
	if err != nil {
		return nil, fmt.Errorf("subscriptions: chats with delivery settings: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("subscriptions: chats with delivery settings: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// UnsubscribeID removes one of a chat's subscriptions by id and keeps it
// for Restore; it returns the id Restore takes.
func (s *Service) UnsubscribeID(ctx context.Context, chatID, subID int64) (int64, error) {
	sub, err := s.unsubscribe(ctx, chatID, func(_ *topicSet, h Subscription) bool { return h.ID == subID })
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.db.QueryRowContext(ctx, `INSERT INTO subscriptions_removed(chat_id, query, digest, removed) VALUES(?, ?, ?, ?) RETURNING id`,
		chatID, sub.Query, sub.Digest, s.cfg.Now().Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("subscriptions: keep removed subscription: %w", err)
	}
	return id, nil
}

// RestoreRemoved subscribes the chat again to what UnsubscribeID removed
// (with its digest setting); a subscription it has again already is
// returned.
func (s *Service) RestoreRemoved(ctx context.Context, chatID, removedID int64) (Subscription, error) {
	var query, digest string
	err := s.db.QueryRowContext(ctx, `SELECT query, digest FROM subscriptions_removed WHERE id = ? AND chat_id = ?`,
		removedID, chatID).Scan(&query, &digest)
	if err != nil {
		return Subscription{}, ErrNotSubscribed
	}
	sub, err := s.Subscribe(ctx, chatID, query)
	if err != nil && !errors.Is(err, ErrAlreadySubscribed) {
		return Subscription{}, err
	}
	if err == nil && digest != "" {
		if err := s.SetSubDigest(ctx, chatID, sub.ID, digest); err != nil {
			return Subscription{}, err
		}
		sub.Digest = digest
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM subscriptions_removed WHERE id = ?`, removedID); err != nil {
		return Subscription{}, fmt.Errorf("subscriptions: restore: %w", err)
	}
	return sub, nil
}
