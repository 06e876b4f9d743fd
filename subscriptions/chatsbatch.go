package subscriptions

import (
	"context"
	"fmt"
	"strings"
)

// Chats returns the stored chats among ids, by id (missing ones are left
// out), reading them 500 at a time: for a story matched by thousands of
// chats, whose languages decide the edition each one gets.
func (s *Service) Chats(ctx context.Context, ids []int64) (map[int64]Chat, error) {
	out := make(map[int64]Chat, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, `SELECT `+chatColumns+` FROM chats WHERE id IN (?`+strings.Repeat(`, ?`, n-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("subscriptions: chats: %w", err)
		}
		for rows.Next() {
			c, err := scanChat(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("subscriptions: chats: %w", err)
			}
			out[c.ID] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("subscriptions: chats: %w", err)
		}
		ids = ids[n:]
	}
	return out, nil
}
