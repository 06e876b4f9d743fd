package telegramtest

import (
	"net/http"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestLongPollReturnsOnNewUpdate(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	done := make(chan []tgbotapi.Update, 1)
	go func() {
		u, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		if err != nil {
			t.Error(err)
		}
		done <- u
	}()
	// Wait until the poll is parked, then inject a command.
	for !s.Polling() {
		time.Sleep(time.Millisecond)
	}
	sent := s.SendText(aliceDM, alice, "/subscribe NATO")
	var got []tgbotapi.Update
	select {
	case got = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("long poll did not return after an update arrived")
	}
	if len(got) != 1 || got[0].Message == nil {
		t.Fatalf("updates = %+v", got)
	}
	m := got[0].Message
	if !m.IsCommand() || m.Command() != "subscribe" || m.CommandArguments() != "NATO" {
		t.Errorf("command = %q %q, IsCommand %v", m.Command(), m.CommandArguments(), m.IsCommand())
	}
	if m.MessageID != sent.MessageID || m.Chat.ID != alice.ID || m.From.LanguageCode != "uk" {
		t.Errorf("message = %+v", m)
	}
}

func TestLongPollTimesOutEmpty(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestOffsetsConfirmAndLimit(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	for _, text := range []string{"one", "two", "three"} {
		s.SendText(aliceDM, alice, text)
	}
	first, err := bot.GetUpdates(tgbotapi.UpdateConfig{Limit: 2})
	if err != nil || len(first) != 2 || first[0].Message.Text != "one" {
		t.Fatalf("first = %v, %v", first, err)
	}
	// Without an offset nothing is confirmed: the same updates come again.
	again, _ := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if len(again) != 3 || again[0].UpdateID != first[0].UpdateID {
		t.Fatalf("again = %v", again)
	}
	next, _ := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: first[1].UpdateID + 1})
	if len(next) != 1 || next[0].Message.Text != "three" {
		t.Fatalf("next = %v", next)
	}
	if s.Pending() != 1 {
		t.Errorf("Pending = %d, want 1 (not yet confirmed)", s.Pending())
	}
	rest, _ := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: next[0].UpdateID + 1})
	if len(rest) != 0 || s.Pending() != 0 {
		t.Errorf("rest = %v, pending %d", rest, s.Pending())
	}
	if !s.WaitConfirmed(time.Second) {
		t.Error("WaitConfirmed = false")
	}
}

func TestNegativeOffsetKeepsLast(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	for _, text := range []string{"a", "b", "c"} {
		s.SendText(aliceDM, alice, text)
	}
	got, _ := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: -1})
	if len(got) != 1 || got[0].Message.Text != "c" {
		t.Fatalf("got %v", got)
	}
}

func TestConcurrentGetUpdatesConflict(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	errc := make(chan error, 1)
	go func() {
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		errc <- err
	}()
	for !s.Polling() {
		time.Sleep(time.Millisecond)
	}
	// A second instance polls with the same token: the earlier poll loses.
	second := newBot(t, s)
	go func() { _, _ = second.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1}) }()
	select {
	case err := <-errc:
		apiErr(t, err, 409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
	case <-time.After(10 * time.Second):
		t.Fatal("first poll was not terminated")
	}
	if s.Conflicts() != 1 {
		t.Errorf("Conflicts = %d", s.Conflicts())
	}
}

func TestWebhookBlocksGetUpdates(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	wh, _ := tgbotapi.NewWebhook("https://bot.example.org/hook")
	if _, err := bot.Request(wh); err != nil {
		t.Fatal(err)
	}
	_, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	apiErr(t, err, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
	info, err := bot.GetWebhookInfo()
	if err != nil || info.URL != "https://bot.example.org/hook" {
		t.Fatalf("info = %+v, %v", info, err)
	}
	bad, _ := tgbotapi.NewWebhook("http://bot.example.org/hook")
	_, err = bot.Request(bad)
	apiErr(t, err, 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
	if _, err := bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Errorf("after deleteWebhook: %v", err)
	}
}

func TestAllowedUpdatesFilter(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	s.SendText(aliceDM, alice, "hello")
	s.Block(aliceDM.ID)
	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{AllowedUpdates: []string{"my_chat_member"}})
	if err != nil || len(got) != 1 || got[0].MyChatMember == nil {
		t.Fatalf("got %+v, %v", got, err)
	}
	if st := got[0].MyChatMember.NewChatMember.Status; st != "kicked" {
		t.Errorf("new status = %q, want kicked", st)
	}
}

func TestGroupCommandAndChannelPost(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	s.SendText(group, bob, "/list@newsalert_test_bot")
	s.ChannelPost(channel, "breaking")
	got, _ := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if len(got) != 2 {
		t.Fatalf("got %d updates", len(got))
	}
	m := got[0].Message
	if m.CommandWithAt() != "list@newsalert_test_bot" || m.Chat.Type != "group" || m.Chat.Title != "News group" {
		t.Errorf("group message = %+v", m)
	}
	if p := got[1].ChannelPost; p == nil || p.SenderChat == nil || p.SenderChat.ID != channel.ID || p.From != nil {
		t.Errorf("channel post = %+v", p)
	}
}

func TestCloseEndsLongPoll(t *testing.T) {
	s := NewServer(Options{})
	client := &http.Client{Timeout: 10 * time.Second}
	bot, err := tgbotapi.NewBotAPIWithClient(s.Token(), s.Endpoint(), client)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		_, _ = bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		close(done)
	}()
	for !s.Polling() {
		time.Sleep(time.Millisecond)
	}
	s.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close left the long poll hanging")
	}
}

func TestEditedMessageAndWaitSent(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	m := s.SendText(aliceDM, alice, "/subscribe NAT")
	if _, err := s.EditText(aliceDM, alice, m.MessageID, "/subscribe NATO"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditText(aliceDM, bob, m.MessageID, "x"); err == nil {
		t.Error("editing someone else's message: no error")
	}
	ups, _ := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if len(ups) != 2 || ups[1].EditedMessage == nil || ups[1].EditedMessage.Text != "/subscribe NATO" {
		t.Fatalf("updates = %+v", ups)
	}
	go func() { _, _ = bot.Send(tgbotapi.NewMessage(aliceDM.ID, "ok")) }()
	if got, ok := s.WaitSent(aliceDM.ID, 1, 10*time.Second); !ok || got[0].Text != "ok" {
		t.Errorf("WaitSent = %+v, %v", got, ok)
	}
	s.Close() // and again by New's cleanup: must not hang or panic
}

func TestSetWebhookEndsLongPoll(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	errc := make(chan error, 1)
	go func() {
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		errc <- err
	}()
	for !s.Polling() {
		time.Sleep(time.Millisecond)
	}
	wh, _ := tgbotapi.NewWebhook("https://bot.example.org/hook")
	if _, err := bot.Request(wh); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		apiErr(t, err, 409, "Conflict: terminated by setWebhook request")
	case <-time.After(10 * time.Second):
		t.Fatal("setWebhook did not end the long poll")
	}
}
