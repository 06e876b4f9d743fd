package telegramtest

import (
	"errors"
	"strconv"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func send(bot *tgbotapi.BotAPI, chatID int64, text string) error {
	_, err := bot.Send(tgbotapi.NewMessage(chatID, text))
	return err
}

func TestPerChatLimitSlidingWindow(t *testing.T) {
	clock := newClock()
	s := New(t, Options{Now: clock.Now})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	if err := send(bot, aliceDM.ID, "1"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(999 * time.Millisecond)
	e := apiErr(t, send(bot, aliceDM.ID, "2"), 429, "Too Many Requests: retry after 1")
	if e.RetryAfter != 1 {
		t.Errorf("RetryAfter = %d, want 1 (the library parses parameters.retry_after)", e.RetryAfter)
	}
	clock.Advance(time.Duration(e.RetryAfter) * time.Second)
	if err := send(bot, aliceDM.ID, "3"); err != nil {
		t.Fatalf("after retry_after: %v", err)
	}
	// Exactly 1 s after the previous one is fine: the window is (now-1s, now].
	clock.Advance(time.Second)
	if err := send(bot, aliceDM.ID, "4"); err != nil {
		t.Fatalf("1 s later: %v", err)
	}
	v := s.Violations()
	if len(v) != 1 || v[0].Limit != LimitChat || v[0].ChatID != aliceDM.ID || v[0].RetryAfter != 1 {
		t.Errorf("Violations = %+v", v)
	}
}

func TestGlobalLimit(t *testing.T) {
	clock := newClock()
	s := New(t, Options{Now: clock.Now})
	bot := newBot(t, s)
	for i := range 31 {
		u := User{ID: int64(1000 + i), FirstName: "U"}
		s.AddChat(PrivateChat(u))
	}
	for i := range 30 {
		clock.Advance(10 * time.Millisecond)
		if err := send(bot, int64(1000+i), "x"); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	e := apiErr(t, send(bot, 1030, "x"), 429, "Too Many Requests: retry after 1")
	clock.Advance(time.Duration(e.RetryAfter) * time.Second)
	if err := send(bot, 1030, "x"); err != nil {
		t.Fatalf("after the window moved: %v", err)
	}
	v := s.Violations()
	if len(v) != 1 || v[0].Limit != LimitGlobal {
		t.Errorf("Violations = %+v", v)
	}
}

func TestGroupLimitPerMinute(t *testing.T) {
	clock := newClock()
	s := New(t, Options{Now: clock.Now})
	bot := newBot(t, s)
	s.AddChat(super)
	for i := range 20 {
		if err := send(bot, super.ID, strconv.Itoa(i)); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		clock.Advance(1500 * time.Millisecond) // within the 1/s chat limit
	}
	// 20 messages in the last 30 s: the 21st must wait until the first is 60 s old.
	e := apiErr(t, send(bot, super.ID, "21"), 429, "Too Many Requests: retry after 30")
	clock.Advance(time.Duration(e.RetryAfter) * time.Second)
	if err := send(bot, super.ID, "21"); err != nil {
		t.Fatalf("after retry_after: %v", err)
	}
	if v := s.Violations(); len(v) != 1 || v[0].Limit != LimitGroup {
		t.Errorf("Violations = %+v", v)
	}
}

func TestBurstTolerance(t *testing.T) {
	clock := newClock()
	s := New(t, Options{Now: clock.Now, Limits: Limits{GlobalPerSecond: 30, PerChatPerSecond: 1, PerGroupPerMinute: 20, Burst: 2}})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	for i := range 3 {
		if err := send(bot, aliceDM.ID, strconv.Itoa(i)); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	apiErr(t, send(bot, aliceDM.ID, "4"), 429, "Too Many Requests: retry after 1")
}

func TestIgnoringRetryAfterIsAViolation(t *testing.T) {
	clock := newClock()
	s := New(t, Options{Now: clock.Now})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	s.Throttle(aliceDM.ID, 5*time.Second)
	e := apiErr(t, send(bot, aliceDM.ID, "1"), 429, "Too Many Requests: retry after 5")
	if len(s.Violations()) != 0 {
		t.Fatalf("the first 429 of a Throttle is not the bot's fault: %+v", s.Violations())
	}
	clock.Advance(2 * time.Second)
	apiErr(t, send(bot, aliceDM.ID, "1"), 429, "Too Many Requests: retry after 3")
	if v := s.Violations(); len(v) != 1 || v[0].Limit != LimitRetryAfter {
		t.Fatalf("Violations = %+v", v)
	}
	clock.Advance(time.Duration(e.RetryAfter) * time.Second)
	if err := send(bot, aliceDM.ID, "1"); err != nil {
		t.Fatalf("after the throttle: %v", err)
	}
	// Edits count against the same limits.
	msg := s.Sent(aliceDM.ID)[0]
	_, err := bot.Send(tgbotapi.NewEditMessageText(aliceDM.ID, msg.MessageID, "edited"))
	var te *tgbotapi.Error
	if !errors.As(err, &te) || te.Code != 429 {
		t.Errorf("edit within 1 s: %v, want 429", err)
	}
}
