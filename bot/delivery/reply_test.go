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
	waitFor(t, "backlog draining", func() bool { return len(f.tg.AllSent()) >= 60 })
	// The user talks to the bot while alerts are queued for them too.
	const user = 1000
	before := len(f.tg.AllSent())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	keyboard := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("ok", "ok")))
	id, err := f.q.Reply(ctx, user, Message{HTML: "<i>help</i>", Markup: keyboard})
	if err != nil || id == 0 {
		t.Fatalf("Reply = %d, %v", id, err)
	}
	pos := -1
	for i, m := range f.tg.AllSent() {
		if m.Text == "help" {
			pos = i
			if m.ReplyMarkup == nil {
				t.Errorf("reply lost its keyboard")
			}
		}
	}
	// Only alerts already in flight, or admitted while the reply waited
	// for its chat's 1 s window, may go before it.
	if ahead := pos - before; pos < 0 || ahead > 2*lim.GlobalPerSecond {
		t.Errorf("reply at %d: %d alerts went out between the reply's call and the reply", pos, ahead)
	}
	if st, _ := f.q.Stats(ctx); st.Pending == 0 {
		t.Errorf("backlog already drained: the test proves nothing")
	}
	f.stop()
	noViolations(t, f.tg)
}

func TestReplyErrors(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addChats(f.tg, 1, 2, 3, 4, 5)
	f.tg.Block(1)
	f.tg.Throttle(3, 500*time.Millisecond)
	f.start()
	ctx := context.Background()
	if _, err := f.q.Reply(ctx, 1, Message{HTML: "x"}); !errors.Is(err, ErrChatInactive) {
		t.Errorf("blocked chat: err = %v, want ErrChatInactive", err)
	}
	if _, err := f.q.Reply(ctx, 2, Message{HTML: " "}); !errors.Is(err, ErrRejected) {
		t.Errorf("empty text: err = %v, want ErrRejected", err)
	}
	if _, err := f.q.Reply(ctx, 3, Message{HTML: "x"}); err != nil {
		t.Errorf("429 then ok: err = %v", err)
	}
	id, err := f.q.Reply(ctx, 4, Message{HTML: "<b>a < b</b>"})
	if err != nil {
		t.Errorf("bad HTML: err = %v", err)
	}
	if err := f.q.Edit(ctx, 4, id, Message{HTML: "a &lt; b"}); err != nil {
		t.Errorf("Edit that changes nothing = %v", err)
	}
	if err := f.q.Edit(ctx, 4, id, Message{HTML: "<b>a &lt; c</b>"}); err != nil {
		t.Errorf("Edit = %v", err)
	}
	if m, _ := f.tg.Message(4, id); m.Text != "a < c" {
		t.Errorf("after the edit the message reads %q", m.Text)
	}
	if got := delivered(f.tg)[4]; len(got) != 1 || got[0] != "a < b" {
		t.Errorf("chat 4 got %q, want the plain text", got)
	}
	ctx2, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.q.Reply(ctx2, 5, Message{HTML: "x"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	if _, err := f.q.Request(ctx, tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "help", Description: "Help"})); err != nil {
		t.Errorf("Request(setMyCommands) = %v", err)
	}
	noViolations(t, f.tg)
	f.stop()
	if _, err := f.q.Reply(ctx, 5, Message{HTML: "x"}); !errors.Is(err, ErrClosed) {
		t.Errorf("stopped queue: err = %v, want ErrClosed", err)
	}
}
