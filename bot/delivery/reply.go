package delivery

import (
	"context"
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// request is an interactive message (a command reply or an edit): it goes
// ahead of every queued alert, through the same limits, and is not stored.
type request struct {
	ctx       context.Context
	chat      int64
	messageID int // edits
	msg       Message
	mode      textMode
	attempts  int       // failed attempts (5xx, network)
	notBefore time.Time // real clock
	done      chan reply
}

type reply struct {
	id  int
	err error
}

// finish hands the outcome to the waiting caller; later calls are no-ops.
func (r *request) finish(id int, err error) {
	select {
	case r.done <- reply{id, err}:
	default:
	}
}

// maxReplyAttempts bounds retries of a reply on 5xx and network errors: the
// user is waiting, and a late answer is worth less than a clear error.
const maxReplyAttempts = 3

// Reply sends m to chat ahead of all queued alerts and returns the sent
// message's id. It waits for Telegram's answer (and for any retry_after).
// A chat that blocked the bot gives ErrChatInactive; a message Telegram
// refuses gives ErrRejected.
func (q *Queue) Reply(ctx context.Context, chatID int64, m Message) (int, error) {
	return q.request(ctx, &request{chat: chatID, msg: m})
}

// Edit replaces the text (and inline keyboard) of a message the bot sent,
// with the same priority as Reply. An edit that changes nothing succeeds.
func (q *Queue) Edit(ctx context.Context, chatID int64, messageID int, m Message) error {
	if messageID == 0 {
		return fmt.Errorf("delivery: edit in chat %d: no message id", chatID)
	}
	_, err := q.request(ctx, &request{chat: chatID, messageID: messageID, msg: m})
	return err
}

// Request makes a Bot API call that posts no message (answerCallbackQuery,
// getChatMember, setMyCommands...): not rate limited, not queued.
func (q *Queue) Request(ctx context.Context, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	resp, err := q.tg.Request(c)
	if err != nil {
		return resp, fmt.Errorf("delivery: request: %w", err)
	}
	return resp, nil
}

func (q *Queue) request(ctx context.Context, r *request) (int, error) {
	if r.chat == 0 {
		return 0, fmt.Errorf("delivery: reply: no chat")
	}
	r.ctx = ctx
	r.done = make(chan reply, 1)
	select {
	case q.reqs <- r:
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-q.stopped:
		return 0, ErrClosed
	}
	select {
	case res := <-r.done:
		return res.id, res.err
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-q.stopped:
		select {
		case res := <-r.done:
			return res.id, res.err
		default:
			return 0, ErrClosed
		}
	}
}

// sendReply runs in its own goroutine, like sendItem.
func (q *Queue) sendReply(ctx context.Context, r *request, slot *Slot) {
	res := result{chat: r.chat, req: r}
	defer func() { q.results <- res }()
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	v := send(q.tg, r.chat, r.messageID, r.msg, r.mode)
	slot.Done(time.Now())
	res.verdict = v
	switch v.outcome {
	case sent:
		q.sentCount.Add(1)
		r.finish(v.messageID, nil)
	case rateLimited:
		res.requeue = true
	case retryLater:
		r.attempts++
		if r.attempts >= maxReplyAttempts {
			r.finish(0, fmt.Errorf("delivery: reply to chat %d: %s", r.chat, v.reason))
			break
		}
		r.notBefore = time.Now().Add(time.Duration(r.attempts) * 500 * time.Millisecond)
		res.requeue = true
	case inactive:
		q.deactivate(dctx, r.chat, v.reason)
		r.finish(0, fmt.Errorf("delivery: reply to chat %d: %s: %w", r.chat, v.reason, ErrChatInactive))
	case migrated:
		q.migrate(dctx, r.chat, v.migrateTo)
		res.migratedTo = v.migrateTo
		r.chat = v.migrateTo
		res.requeue = true
	case badEntities, tooLong:
		if next, ok := q.fallback(r.chat, r.mode, v); ok {
			r.mode = next
			res.requeue = true
			break
		}
		r.finish(0, fmt.Errorf("delivery: reply to chat %d: %s: %w", r.chat, v.reason, ErrRejected))
	case rejected:
		r.finish(0, fmt.Errorf("delivery: reply to chat %d: %s: %w", r.chat, v.reason, ErrRejected))
	}
}
