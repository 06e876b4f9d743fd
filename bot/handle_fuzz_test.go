package bot

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/store"
	"github.com/newsalert/newsalert/subscriptions"
)

// FuzzHandle feeds arbitrary command text to the bot, over the real
// subscriptions store and delivery queue and the Telegram fake: no panic,
// and every reply is valid Telegram HTML that the fake accepts as such.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{
		"/subscribe NATO", `/subscribe "foreign minister" -Trump`, "/subscribe (NATO OR НАТО) Україн*",
		"/unsubscribe", "/unsubscribe 1", "/list", "/language uk", "/newslang uk en", "/timezone europe/kyiv", "/timezone Mars/Base", "/pause", "/resume",
		"/help", "/start", "/feeds", "/stats", "/addfeed http://127.0.0.1/", "/subscribe <b>&amp;</b>",
		"/subscribe@other_bot x", "/subscribe \x00\xff", "/ subscribe", "hello", "/subscribe " + strings.Repeat("(", 300),
		"/digest daily 08:00", "/digest weekly пн 9:30", "/digest 1 hourly", "/digest off", "/digest <b>", "/quiet 23-7 hold",
		"/quiet 22:00-06:00 silent", "/quiet off", "/pause 2h", "/pause until 18:00", "/pause 99999d", "/pause <i>",
		"/підписатися НАТО", "/список", "Київ", "/timezone Київ", "/timezone UTC+2", "/newslang ua усі", "/language українська",
		`«Верховна Рада» -Трамп`,
	} {
		f.Add(s, int64(7))
	}
	h := newFuzzHarness(f)
	f.Fuzz(func(t *testing.T, text string, chat int64) {
		chatType := "private"
		switch {
		case chat == 0:
			chat = 1
		case chat < 0:
			chatType = "group"
		}
		before := len(h.tg.Sent(chat))
		msg := &tgbotapi.Message{MessageID: 1, Text: text, Date: int(time.Now().Unix()),
			Chat: &tgbotapi.Chat{ID: chat, Type: chatType}, From: &tgbotapi.User{ID: 99, LanguageCode: "uk"}}
		if strings.HasPrefix(text, "/") {
			n := strings.IndexAny(text, " \n")
			if n < 0 {
				n = len(text)
			}
			msg.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: len(utf16.Encode([]rune(text[:n])))}}
		}
		h.bot.Handle(context.Background(), tgbotapi.Update{UpdateID: 1, Message: msg})
		for _, m := range h.tg.Sent(chat)[before:] {
			if m.ParseMode != "HTML" {
				t.Errorf("reply to %q went out as plain text (Telegram refused our HTML): %q", text, m.Raw)
			}
		}
	})
}

type fuzzHarness struct {
	tg  *telegramtest.Server
	bot *Bot
}

func newFuzzHarness(f *testing.F) *fuzzHarness {
	ctx, cancel := context.WithCancel(context.Background())
	f.Cleanup(cancel)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tg := telegramtest.New(f, telegramtest.Options{BotUsername: "newsalert_bot", Limits: telegramtest.Limits{Disabled: true}})
	db, err := store.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	subs, err := subscriptions.New(ctx, db, subscriptions.Config{MaxPerChat: 1000, Logger: log})
	if err != nil {
		f.Fatal(err)
	}
	cat, err := i18n.New(i18n.Config{Logger: log})
	if err != nil {
		f.Fatal(err)
	}
	api, err := NewAPI(ctx, APIConfig{Token: tg.Token(), APIURL: tg.URL(), PollTimeout: time.Second, Logger: log})
	if err != nil {
		f.Fatal(err)
	}
	q, err := delivery.New(delivery.Config{Limits: delivery.Limits{GlobalPerSecond: 1 << 20, PerChatPerSecond: 1 << 20, PerGroupPerMinute: 1 << 20}},
		db, api, &AlertRenderer{Renderer: NewRenderer(cat), Subs: subs, Catalog: cat, Sources: func() []feeds.Source { return nil }},
		ChatState{Subs: subs}, log, nil)
	if err != nil {
		f.Fatal(err)
	}
	go q.Run(ctx)
	b := New(Config{API: api, Outbox: q, Subs: subs, Catalog: cat, Logger: log, MaxPerChat: 1000,
		IsAdmin: func(id int64) bool { return id == 99 },
		Batches: q, Routes: NewRoutes(subs, nil, nil)})
	return &fuzzHarness{tg: tg, bot: b}
}
