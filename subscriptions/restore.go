package subscriptions

import (
	"context"
	"fmt"
)

// Restore subscribes a chat again to a subscription it removed, with its
// creation time and, when still free, its id: the undo of an unsubscribe
// puts it back in its place in List, so the numbers a chat sees do not
// move. It returns what Subscribe returns.
func (s *Service) Restore(ctx context.Context, old Subscription) (Subscription, error) {
	sub, err := s.Subscribe(ctx, old.ChatID, old.Query)
	if err != nil {
		return sub, err
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE subscriptions SET created = ?,
		id = CASE WHEN EXISTS (SELECT 1 FROM subscriptions WHERE id = ?) THEN id ELSE ? END
		WHERE id = ?`, old.Created.Unix(), old.ID, old.ID, sub.ID); err != nil {
		return sub, fmt.Errorf("subscriptions: restore chat %d: %w", old.ChatID, err)
	}
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT id FROM subscriptions WHERE chat_id = ? AND normalized = ?`,
		old.ChatID, sub.Normalized).Scan(&id); err == nil {
		sub.ID = id
	}
	sub.Created = old.Created.UTC()
	return sub, nil
}
