package subscriptions

import (
	"context"
	"fmt"
)

// Totals are the figures of the chats and subscriptions tables an operator
// sees in /stats and the metrics.
type Totals struct {
	ChatsActive   int // chats the bot serves
	ChatsBlocked  int // chats that blocked or removed the bot
	Subscriptions int // subscriptions of every chat
}

// Totals counts chats and subscriptions.
func (s *Service) Totals(ctx context.Context) (Totals, error) {
	var t Totals
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE inactive = 0), count(*) FILTER (WHERE inactive = 1),
		(SELECT count(*) FROM subscriptions) FROM chats`).Scan(&t.ChatsActive, &t.ChatsBlocked, &t.Subscriptions)
	if err != nil {
		return Totals{}, fmt.Errorf("subscriptions: totals: %w", err)
	}
	return t, nil
}
