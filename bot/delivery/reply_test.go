package delivery

import (
	"context"
	"errors"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestReplyGoesAheadOfBacklog(t *testing.T) {
	lim := Limits{GlobalPerSecond: 100, PerChatPerSecond: 1, PerGroupPerMinute: 20}
	f := newFixture(t, Config{Limits: lim}, nil)
	addArticles(t, f.db, 1, 2)
	var chats []int64
	for c := int64(1000); c < 1400; c++ {
		chats = append(chats, c)
	}
	f.enqueue(1, chats...)
	f.enqueue(2, chats...) // 800 alerts: 8 s at 100/s
	f.start()
	waitFor(t, "backlog draining", func() bool { return len(f.tg.all()) >= 60 })
	// The user talks to the bot while alerts are queued for them too.
	const user = 1000
	before := len(f.tg.all())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	id, err := f.q.Reply(ctx, user, Message{HTML: "<i>help</i>", Markup: tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("ok", "ok")))})
	if err != nil || id == 0 {
		t.Fatalf("Reply = %d, %v", id, err)
	}
	calls := f.tg.all()
	pos := -1
	for i, c := range calls {
		if c.Text == "<i>help</i>" {
			pos = i
		}
	}
	// Only alerts already in flight, or admitted while the reply waited
	// for its chat's 1 s window, may go before it.
	if ahead := pos - before; ahead > 2*lim.GlobalPerSecond {
		t.Errorf("%d alerts went out between the reply's call and the reply", ahead)
	}
	if err := f.q.Edit(ctx, user, id, Message{HTML: "<i>help</i>"}); err != nil {
		t.Errorf("Edit (not modified by the fake) = %v", err)
	}
	if st, _ := f.q.Stats(ctx); st.Pending == 0 {
		t.Errorf("backlog already drained: the test proves nothing")
	}
	if _, err := f.q.Request(ctx, tgbotapi.NewCallback("q1", "")); err != nil {
		t.Errorf("Request(answerCallbackQuery) = %v", err)
	}
	f.stop()
	if v := f.tg.violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

func TestReplyErrors(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	f.tg.setAnswer(func(c call, n int) (int, string) {
		switch c.Chat {
		case 1:
			return tgError(403, "Forbidden: user is deactivated", nil)
		case 2:
			return tgError(400, "Bad Request: message text is empty", nil)
		case 3:
			if n == 0 {
				return tgError(429, "Too Many Requests: retry after 1", map[string]any{"retry_after": 1})
			}
		case 4:
			if c.ParseMode == "HTML" {
				return tgError(400, "Bad Request: can't parse entities: bad", nil)
			}
		}
		return 0, ""
	})
	f.start()
	ctx := context.Background()
	if _, err := f.q.Reply(ctx, 1, Message{HTML: "x"}); !errors.Is(err, ErrChatInactive) {
		t.Errorf("blocked chat: err = %v, want ErrChatInactive", err)
	}
	if _, err := f.q.Reply(ctx, 2, Message{HTML: "x"}); !errors.Is(err, ErrRejected) {
		t.Errorf("rejected: err = %v, want ErrRejected", err)
	}
	if _, err := f.q.Reply(ctx, 3, Message{HTML: "x"}); err != nil {
		t.Errorf("429 then ok: err = %v", err)
	}
	if _, err := f.q.Reply(ctx, 4, Message{HTML: "<b>x</b>"}); err != nil {
		t.Errorf("bad HTML: err = %v", err)
	}
	if got := f.tg.delivered()[4]; len(got) != 1 || got[0] != "x" {
		t.Errorf("chat 4 got %q, want plain x", got)
	}
	ctx2, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.q.Reply(ctx2, 5, Message{HTML: "x"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	f.stop()
	if _, err := f.q.Reply(ctx, 5, Message{HTML: "x"}); !errors.Is(err, ErrClosed) {
		t.Errorf("stopped queue: err = %v, want ErrClosed", err)
	}
}
