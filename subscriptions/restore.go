package subscriptions

import (
	"context"
	"fmt"
	"time"
)

// Restore subscribes chatID to query again, as it was created at created:
// the undo of an unsubscribe puts it back in its place in List, so the
// numbers a chat sees do not move. It returns what Subscribe returns.
func (s *Service) Restore(ctx context.Context, chatID int64, query string, created time.Time) (Subscription, error) {
	sub, err := s.Subscribe(ctx, chatID, query)
	if err != nil {
		return sub, err
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE subscriptions SET created = ? WHERE id = ?`, created.Unix(), sub.ID); err != nil {
		return sub, fmt.Errorf("subscriptions: restore chat %d: %w", chatID, err)
	}
	sub.Created = created.UTC()
	return sub, nil
}
