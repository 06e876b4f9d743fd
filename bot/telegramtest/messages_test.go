package telegramtest

import (
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestEditAndDelete(t *testing.T) {
	clock := newClock()
	s := New(t, Options{Now: clock.Now})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("More", "more:1")))
	msg := tgbotapi.NewMessage(aliceDM.ID, "<b>Page 1</b>")
	msg.ParseMode = tgbotapi.ModeHTML
	msg.ReplyMarkup = kb
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	if sent.ReplyMarkup == nil || *sent.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "more:1" {
		t.Fatalf("reply markup = %+v", sent.ReplyMarkup)
	}
	clock.Advance(2 * time.Second)

	same := tgbotapi.NewEditMessageTextAndMarkup(aliceDM.ID, sent.MessageID, "<b>Page 1</b>", kb)
	same.ParseMode = tgbotapi.ModeHTML
	_, err = bot.Send(same)
	apiErr(t, err, 400, "Bad Request: message is not modified: specified new message content and reply markup "+
		"are exactly the same as a current content and reply markup of the message")

	// Same text, no keyboard: a change (the keyboard goes away).
	clock.Advance(2 * time.Second)
	noKB := tgbotapi.NewEditMessageText(aliceDM.ID, sent.MessageID, "<b>Page 1</b>")
	noKB.ParseMode = tgbotapi.ModeHTML
	edited, err := bot.Send(noKB)
	if err != nil || edited.ReplyMarkup != nil || edited.EditDate == 0 {
		t.Fatalf("edit = %+v, %v", edited, err)
	}
	cur, ok := s.Message(aliceDM.ID, sent.MessageID)
	if !ok || cur.ReplyMarkup != nil {
		t.Errorf("Message = %+v, %v", cur, ok)
	}

	_, err = bot.Send(tgbotapi.NewEditMessageText(aliceDM.ID, 999, "x"))
	apiErr(t, err, 400, "Bad Request: message to edit not found")
	in := s.SendText(aliceDM, alice, "user text")
	clock.Advance(2 * time.Second)
	_, err = bot.Send(tgbotapi.NewEditMessageText(aliceDM.ID, in.MessageID, "x"))
	apiErr(t, err, 400, "Bad Request: message can't be edited")

	if _, err := bot.Request(tgbotapi.NewDeleteMessage(aliceDM.ID, sent.MessageID)); err != nil {
		t.Fatal(err)
	}
	_, err = bot.Request(tgbotapi.NewDeleteMessage(aliceDM.ID, sent.MessageID))
	apiErr(t, err, 400, "Bad Request: message to delete not found")
	if _, ok := s.Message(aliceDM.ID, sent.MessageID); ok {
		t.Error("deleted message still there")
	}
	var methods []string
	for _, m := range s.AllSent() {
		methods = append(methods, m.Method)
	}
	if got := strings.Join(methods, " "); got != "sendMessage editMessageText deleteMessage" {
		t.Errorf("AllSent methods = %s", got)
	}
}

func TestInlineKeyboardValidation(t *testing.T) {
	s := New(t, Options{Limits: Limits{Disabled: true}})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	for _, tc := range []struct {
		button tgbotapi.InlineKeyboardButton
		desc   string
	}{
		{tgbotapi.NewInlineKeyboardButtonData("x", strings.Repeat("a", 65)), "Bad Request: BUTTON_DATA_INVALID"},
		{tgbotapi.NewInlineKeyboardButtonData("x", ""), "Bad Request: BUTTON_DATA_INVALID"},
		{tgbotapi.InlineKeyboardButton{Text: "x"}, "Bad Request: text buttons are unallowed in the inline keyboard"},
		{tgbotapi.NewInlineKeyboardButtonURL("x", "javascript:1"), "Bad Request: inline keyboard button URL 'javascript:1' is invalid: Wrong HTTP URL"},
	} {
		msg := tgbotapi.NewMessage(aliceDM.ID, "hi")
		msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tc.button))
		_, err := bot.Send(msg)
		apiErr(t, err, 400, tc.desc)
	}
	msg := tgbotapi.NewMessage(aliceDM.ID, "hi")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("x", strings.Repeat("я", 32)), // 64 bytes
		tgbotapi.NewInlineKeyboardButtonURL("site", "https://example.org")))
	if _, err := bot.Send(msg); err != nil {
		t.Errorf("64-byte callback data: %v", err)
	}
	msg.ReplyMarkup = tgbotapi.NewRemoveKeyboard(true)
	if _, err := bot.Send(msg); err != nil {
		t.Errorf("remove keyboard: %v", err)
	}
}

func TestCallbackQueries(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	msg := tgbotapi.NewMessage(aliceDM.ID, "Unsubscribe?")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Yes", "unsub:7")))
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PressButton(aliceDM, alice, sent.MessageID, "nope"); err == nil {
		t.Error("pressing a missing button: no error")
	}
	q1, err := s.PressButton(aliceDM, alice, sent.MessageID, "unsub:7")
	if err != nil {
		t.Fatal(err)
	}
	q2, _ := s.PressButton(aliceDM, alice, sent.MessageID, "unsub:7")
	ups, _ := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if len(ups) != 2 || ups[0].CallbackQuery == nil || ups[0].CallbackQuery.Data != "unsub:7" ||
		ups[0].CallbackQuery.Message.MessageID != sent.MessageID {
		t.Fatalf("updates = %+v", ups)
	}
	if _, err := bot.Request(tgbotapi.NewCallback(q1.ID, "Done")); err != nil {
		t.Fatal(err)
	}
	_, err = bot.Request(tgbotapi.NewCallback(q1.ID, "again"))
	apiErr(t, err, 400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
	if a, ok := s.Answer(q1.ID); !ok || a.Text != "Done" {
		t.Errorf("Answer = %+v, %v", a, ok)
	}
	if un := s.Unanswered(); len(un) != 1 || un[0].ID != q2.ID {
		t.Errorf("Unanswered = %+v", un)
	}
}

func TestCallbackExpires(t *testing.T) {
	clock := newClock()
	s := New(t, Options{Now: clock.Now})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	msg := tgbotapi.NewMessage(aliceDM.ID, "?")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Y", "y")))
	sent, _ := bot.Send(msg)
	q, _ := s.PressButton(aliceDM, alice, sent.MessageID, "y")
	clock.Advance(CallbackAnswerTimeout + time.Second)
	_, err := bot.Request(tgbotapi.NewCallback(q.ID, ""))
	apiErr(t, err, 400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
}

func TestCommandsPerScopeAndLanguage(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	s.AddChat(super)
	en := []tgbotapi.BotCommand{{Command: "subscribe", Description: "Subscribe to a topic"}}
	uk := []tgbotapi.BotCommand{{Command: "subscribe", Description: "Підписатися на тему"}}
	if _, err := bot.Request(tgbotapi.NewSetMyCommands(en...)); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Request(tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "uk", uk...)); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Request(tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeChatAdministrators(super.ID), en...)); err != nil {
		t.Fatal(err)
	}
	if got, ok := s.Commands(CommandScope{}, "uk"); !ok || got[0].Description != "Підписатися на тему" {
		t.Errorf("uk = %+v", got)
	}
	if got, ok := s.Commands(CommandScope{Type: "chat_administrators", ChatID: super.ID}, ""); !ok || len(got) != 1 {
		t.Errorf("admins = %+v", got)
	}
	cmds, err := bot.GetMyCommandsWithConfig(tgbotapi.NewGetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "uk"))
	if err != nil || len(cmds) != 1 || cmds[0].Description != "Підписатися на тему" {
		t.Errorf("getMyCommands uk = %+v, %v", cmds, err)
	}
	_, err = bot.Request(tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "Subscribe", Description: "x"}))
	apiErr(t, err, 400, "Bad Request: BOT_COMMAND_INVALID")
	_, err = bot.Request(tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "ukr", uk...))
	apiErr(t, err, 400, "Bad Request: invalid language code specified")
	if _, err := bot.Request(tgbotapi.NewDeleteMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "uk")); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Commands(CommandScope{}, "uk"); ok {
		t.Error("uk commands survived deleteMyCommands")
	}
}

func TestOnMessageHook(t *testing.T) {
	var mu sync.Mutex
	var got []SentMessage
	s := New(t, Options{OnMessage: func(m SentMessage) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, m)
	}})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	m := tgbotapi.NewMessage(aliceDM.ID, "<i>hello</i>")
	m.ParseMode = tgbotapi.ModeHTML
	m.DisableWebPagePreview = true
	if _, err := bot.Send(m); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].Text != "hello" || got[0].Raw != "<i>hello</i>" || !got[0].LinkPreviewDisabled {
		t.Errorf("OnMessage got %+v", got)
	}
}

func TestLinkPreviewOptionsViaMakeRequest(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	p := tgbotapi.Params{"chat_id": "111", "text": "https://example.org"}
	if err := p.AddInterface("link_preview_options", map[string]bool{"is_disabled": true}); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.MakeRequest("sendMessage", p); err != nil {
		t.Fatal(err)
	}
	if sent := s.Sent(aliceDM.ID); len(sent) != 1 || !sent[0].LinkPreviewDisabled {
		t.Errorf("Sent = %+v", sent)
	}
	if u := s.UnknownParams(); len(u) != 0 {
		t.Errorf("UnknownParams = %v", u)
	}
}

func TestReplies(t *testing.T) {
	s := New(t, Options{Limits: Limits{Disabled: true}})
	bot := newBot(t, s)
	in := s.SendText(aliceDM, alice, "/help")
	m := tgbotapi.NewMessage(aliceDM.ID, "help text")
	m.ReplyToMessageID = in.MessageID
	got, err := bot.Send(m)
	if err != nil || got.ReplyToMessage == nil || got.ReplyToMessage.Text != "/help" {
		t.Fatalf("reply = %+v, %v", got, err)
	}
	if sent := s.Sent(aliceDM.ID); sent[0].ReplyTo != in.MessageID {
		t.Errorf("ReplyTo = %d", sent[0].ReplyTo)
	}
	m.ReplyToMessageID = 999
	_, err = bot.Send(m)
	apiErr(t, err, 400, "Bad Request: message to be replied not found")
	m.AllowSendingWithoutReply = true
	if _, err := bot.Send(m); err != nil {
		t.Errorf("allow_sending_without_reply: %v", err)
	}
}
