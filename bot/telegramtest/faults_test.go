package telegramtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestFaults(t *testing.T) {
	s := New(t, Options{Limits: Limits{Disabled: true}})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	msg := tgbotapi.NewMessage(aliceDM.ID, "hi")

	s.Fail(Fault{Method: "sendMessage", Kind: FaultInternal, Times: 2})
	for range 2 {
		_, err := bot.Send(msg)
		apiErr(t, err, 500, "Internal Server Error")
	}

	s.Fail(Fault{Method: "SENDMESSAGE", Kind: FaultBadGateway})
	_, err := bot.Send(msg)
	var syn *json.SyntaxError
	if !errors.As(err, &syn) {
		t.Errorf("502 page: err = %v (%T), want *json.SyntaxError as the library reports it", err, err)
	}

	s.Fail(Fault{Kind: FaultReset})
	if _, err := bot.Send(msg); err == nil {
		t.Error("reset: no error")
	}

	s.Fail(Fault{Method: "sendMessage", Kind: FaultFlood, RetryAfter: 7})
	_, err = bot.Send(msg)
	if e := apiErr(t, err, 429, "Too Many Requests: retry after 7"); e.RetryAfter != 7 {
		t.Errorf("RetryAfter = %d", e.RetryAfter)
	}

	s.Fail(Fault{Method: "sendMessage", Kind: FaultSlow, Delay: 50 * time.Millisecond})
	if _, err := bot.Send(msg); err != nil {
		t.Errorf("slow: %v", err)
	}

	// Faults are used up; other methods were never affected.
	if _, err := bot.Send(msg); err != nil {
		t.Errorf("after faults: %v", err)
	}
	if got := len(s.Sent(aliceDM.ID)); got != 2 {
		t.Errorf("Sent = %d messages, want 2 (slow and last)", got)
	}
	if got := s.Requests("sendMessage"); got != 7 {
		t.Errorf("Requests = %d, want 7", got)
	}
}

func TestSlowFaultGivesUpWithClient(t *testing.T) {
	s := New(t, Options{})
	s.AddChat(aliceDM)
	s.Fail(Fault{Method: "sendMessage", Kind: FaultSlow, Delay: time.Hour})
	bot := newBot(t, s)
	bot.Client = &http.Client{Timeout: 100 * time.Millisecond}
	if _, err := bot.Send(tgbotapi.NewMessage(aliceDM.ID, "hi")); err == nil {
		t.Fatal("no timeout error")
	}
	if n := len(s.Sent(aliceDM.ID)); n != 0 {
		t.Errorf("a request the client gave up on was delivered (%d)", n)
	}
}

func TestFaultForOneChat(t *testing.T) {
	s := New(t, Options{Limits: Limits{Disabled: true}})
	bot := newBot(t, s)
	bobDM := PrivateChat(bob)
	s.AddChat(aliceDM)
	s.AddChat(bobDM)
	s.Fail(Fault{Method: "sendMessage", ChatID: bobDM.ID, Kind: FaultInternal, Times: 3})
	if _, err := bot.Send(tgbotapi.NewMessage(aliceDM.ID, "hi")); err != nil {
		t.Fatalf("other chat: %v", err)
	}
	_, err := bot.Send(tgbotapi.NewMessage(bobDM.ID, "hi"))
	apiErr(t, err, 500, "Internal Server Error")
}

func TestGetUpdatesChanOfTheLibrary(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	cfg := tgbotapi.NewUpdate(0)
	cfg.Timeout = 1
	ch := bot.GetUpdatesChan(cfg)
	s.SendText(aliceDM, alice, "/start")
	s.SendText(aliceDM, alice, "/help")
	for _, want := range []string{"start", "help"} {
		select {
		case u := <-ch:
			if u.Message == nil || u.Message.Command() != want {
				t.Fatalf("update = %+v, want /%s", u, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no update for /%s", want)
		}
	}
	bot.StopReceivingUpdates()
}

// A chat answered 429 must wait retry_after; other chats go on.
func TestFloodForOneChatHoldsThatChat(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	bobDM := PrivateChat(bob)
	s.AddChat(aliceDM)
	s.AddChat(bobDM)
	s.Fail(Fault{Method: "sendMessage", ChatID: bobDM.ID, Kind: FaultFlood, RetryAfter: 3})
	_, err := bot.Send(tgbotapi.NewMessage(bobDM.ID, "hi"))
	if e := apiErr(t, err, 429, "Too Many Requests: retry after 3"); e.RetryAfter != 3 {
		t.Errorf("RetryAfter = %d", e.RetryAfter)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(aliceDM.ID, "hi")); err != nil {
		t.Fatalf("other chat: %v", err)
	}
	if v := s.Violations(); len(v) != 0 {
		t.Fatalf("violations before the early call: %+v", v)
	}
	bot.Send(tgbotapi.NewMessage(bobDM.ID, "too early"))
	if v := s.Violations(); len(v) != 1 || v[0].ChatID != bobDM.ID || v[0].Limit != LimitRetryAfter {
		t.Errorf("violations = %+v, want one retry_after for bob", v)
	}
}

func TestFloodChatsAnswersAShare(t *testing.T) {
	s := New(t, Options{Limits: Limits{Disabled: true}})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	s.FloodChats(0.25, 2, 1)
	const chats = 400
	flooded := 0
	for id := int64(1); id <= chats; id++ {
		s.AddChat(Chat{ID: id, Type: ChatPrivate, FirstName: "U"})
		_, err := bot.Send(tgbotapi.NewMessage(id, "hi"))
		if err == nil {
			continue
		}
		flooded++
		if e := apiErr(t, err, 429, "Too Many Requests: retry after 2"); e.RetryAfter != 2 {
			t.Fatalf("RetryAfter = %d", e.RetryAfter)
		}
	}
	if flooded < chats/8 || flooded > chats/2 || s.FloodedChats() != flooded {
		t.Errorf("%d of %d calls flooded (server counts %d), want about a quarter", flooded, chats, s.FloodedChats())
	}
	if v := s.Violations(); len(v) != 0 {
		t.Errorf("violations: %+v", v)
	}
	s.FloodChats(0, 0, 0)
	if _, err := bot.Send(tgbotapi.NewMessage(aliceDM.ID, "hi")); err != nil {
		t.Errorf("after turning it off: %v", err)
	}
}
