package telegramtest

import (
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// BenchmarkSendMessage measures one sendMessage round trip through the real
// client library (HTTP on loopback, HTML parsing, bookkeeping).
func BenchmarkSendMessage(b *testing.B) {
	s := NewServer(Options{Limits: Limits{Disabled: true}})
	defer s.Close()
	bot, err := tgbotapi.NewBotAPIWithClient(s.Token(), s.Endpoint(), s.Client())
	if err != nil {
		b.Fatal(err)
	}
	s.AddChat(aliceDM)
	msg := tgbotapi.NewMessage(aliceDM.ID, "<b>NATO summit</b> opens in Vilnius &amp; more: <a href=\"https://example.org/a\">read</a>")
	msg.ParseMode = tgbotapi.ModeHTML
	b.ResetTimer()
	for b.Loop() {
		if _, err := bot.Send(msg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseHTML parses a 4000-character alert with entities.
func BenchmarkParseHTML(b *testing.B) {
	src := strings.Repeat("<b>Київ</b> &amp; <i>NATO</i> <a href=\"https://example.org/x\">link</a> ", 100)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, _, err := parseHTML(src, true); err != nil {
			b.Fatal(err)
		}
	}
}
