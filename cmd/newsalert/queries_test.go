package main

import (
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
)

// The /subscribe reply says how a query with operators was read, in the
// chat's language, and plain queries get no such line.
func TestSubscribeSaysHowQueryWasRead(t *testing.T) {
	h := newChatHarness(t)
	tests := []struct {
		lang, say, reading string
	}{
		{"uk", "/subscribe NATO, НАТО", "NATO або НАТО"},
		{"uk", "/subscribe Україна НЕ Росія", "Україна і не Росія"},
		{"ru", "/subscribe NATO или НАТО", "NATO или НАТО"},
		{"en", "/subscribe Zelensky or Зеленський", "Zelensky or Зеленський"},
		{"en", "/subscribe sanctions", ""},
	}
	for i, tt := range tests {
		u := telegramtest.User{ID: int64(3001 + i), FirstName: "U", LanguageCode: tt.lang}
		got := h.say(telegramtest.PrivateChat(u), u, tt.say).Raw
		line := h.cat.T(tt.lang, i18n.MsgQueryReading, map[string]any{"Reading": tt.reading})
		if tt.reading == "" {
			prefix, _, _ := strings.Cut(line, ":")
			if strings.Contains(got, prefix) {
				t.Errorf("%s: %q has a reading", tt.say, got)
			}
			continue
		}
		if !strings.Contains(got, "\n"+line) {
			t.Errorf("%s (%s):\n got %q\nwant a line %q", tt.say, tt.lang, got, line)
		}
	}
}

// The /subscribe reply names the other spellings the built-in entity table
// adds, and an article in another language and script then alerts.
func TestSubscribeFindsOtherSpellings(t *testing.T) {
	h := newChatHarness(t)
	u := telegramtest.User{ID: 3101, FirstName: "Оля", LanguageCode: "uk"}
	chat := telegramtest.PrivateChat(u)
	got := h.say(chat, u, "/subscribe Україна").Raw
	want := h.cat.T("uk", i18n.MsgQueryAlso, map[string]any{"Forms": "Украина, Ukraine"})
	if !strings.Contains(got, "\n"+want) {
		t.Errorf("/subscribe Україна:\n got %q\nwant a line %q", got, want)
	}
	if got := h.say(chat, u, "/subscribe санкції").Raw; strings.Contains(got, "\n") {
		t.Errorf("/subscribe санкції: %q, want no other spellings", got)
	}
	h.fs.add("/en", testItem{"en-2", "Ukraine signs a grain deal", "Kyiv and Ankara agree.", "https://news.example/en/2"})
	msgs, ok := h.tg.WaitSent(chat.ID, 3, 15*time.Second)
	if !ok || !strings.Contains(msgs[2].Text, "Ukraine signs") {
		t.Fatalf("no alert for the English article: %+v", msgs)
	}

	// "Why this alert?" under it says which word matched which part of the
	// query; its callback data is an id, not the query.
	alert := msgs[2]
	if alert.ReplyMarkup == nil || len(alert.ReplyMarkup.InlineKeyboard) == 0 {
		t.Fatalf("alert without buttons: %+v", alert)
	}
	var data string
	for _, row := range alert.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.Text == h.cat.Plain("uk", i18n.MsgButtonWhy, nil) && b.CallbackData != nil {
				data = *b.CallbackData
			}
		}
	}
	if !strings.HasPrefix(data, "why:") || strings.Contains(data, "Україна") {
		t.Fatalf("why button data %q", data)
	}
	q, err := h.tg.PressButton(chat, u, alert.MessageID, data)
	if err != nil {
		t.Fatal(err)
	}
	answer := waitAnswer(t, h, q.ID)
	line := h.cat.Plain("uk", i18n.MsgWhyLine, map[string]any{"Words": "Ukraine", "Part": "Україна"})
	if !answer.ShowAlert || !strings.Contains(answer.Text, line) {
		t.Errorf("why answer %+v, want a popup with %q", answer, line)
	}
	// After /unsubscribe the button says the alert is out of date.
	h.say(chat, u, "/unsubscribe Україна")
	q, _ = h.tg.PressButton(chat, u, alert.MessageID, data)
	if a := waitAnswer(t, h, q.ID); a.Text != h.cat.Plain("uk", i18n.MsgCallbackStale, nil) {
		t.Errorf("why after unsubscribe: %+v", a)
	}
}

func waitAnswer(t *testing.T, h *chatHarness, id string) telegramtest.CallbackAnswer {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if a, ok := h.tg.Answer(id); ok {
			return a
		}
		time.Sleep(20 * time.Millisecond) // polling a condition
	}
	t.Fatalf("callback %s not answered", id)
	return telegramtest.CallbackAnswer{}
}
