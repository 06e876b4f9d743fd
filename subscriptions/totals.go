package subscriptions

import (
	"context"
	"fmt"
)

// Totals are the figures of the whole bot that /stats and the metrics show.
type Totals struct {
	ChatsActive   int // chats served
	ChatsBlocked  int // chats that blocked or removed the bot
	Subscriptions int // across every chat
}

// Totals counts chats and subscriptions.
func (s *Service) Totals(ctx context.Context) (Totals, error) {
	var t Totals
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE inactive = 0), count(*) FILTER (WHERE inactive = 1) FROM chats`).
		Scan(&t.ChatsActive, &t.ChatsBlocked); err != nil {
		return t, fmt.Errorf("subscriptions: chat counts: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM subscriptions`).Scan(&t.Subscriptions); err != nil {
		return t, fmt.Errorf("subscriptions: count: %w", err)
	}
	return t, nil
}
