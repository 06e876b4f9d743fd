package delivery

import (
	"context"
	"fmt"
)

// EditMarkup replaces only the inline keyboard of a message the bot sent
// (editMessageReplyMarkup): a button under an alert that confirms what it
// did. It has Reply's priority and goes through the same limits: an alert
// and the edit of its keyboard a moment later must not trip the chat's
// one-message-a-second limit.
func (q *Queue) EditMarkup(ctx context.Context, chatID int64, messageID int, markup any) error {
	if messageID == 0 {
		return fmt.Errorf("delivery: edit keyboard in chat %d: no message id", chatID)
	}
	_, err := q.request(ctx, &request{chat: chatID, messageID: messageID, msg: Message{Markup: markup}, mode: asMarkup})
	return err
}
