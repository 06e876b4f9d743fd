package telegramtest

import (
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestTerminal(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	m := tgbotapi.NewMessage(aliceDM.ID, `😀 <b>NATO</b> <a href="https://example.org/x">read</a>`)
	m.ParseMode = tgbotapi.ModeHTML
	m.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("More", "more"), tgbotapi.NewInlineKeyboardButtonData("Stop", "stop")),
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL("Site", "https://example.org")))
	if _, err := bot.Send(m); err != nil {
		t.Fatal(err)
	}
	sent := s.Sent(aliceDM.ID)[0]
	if got, want := sent.Terminal(false), "😀 NATO read (https://example.org/x)\n[1 More] [2 Stop]\n[3 Site → https://example.org]"; got != want {
		t.Errorf("plain:\n got %q\nwant %q", got, want)
	}
	if got, want := sent.Terminal(true), "😀 \x1b[0m\x1b[1mNATO\x1b[0m \x1b[0m\x1b[34;4mread\x1b[0m (https://example.org/x)\n[1 More] [2 Stop]\n[3 Site → https://example.org]"; got != want {
		t.Errorf("ansi:\n got %q\nwant %q", got, want)
	}
	if b := sent.Buttons(); len(b) != 3 || *b[1].CallbackData != "stop" {
		t.Errorf("Buttons = %+v", b)
	}
}
