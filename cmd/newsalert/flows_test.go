package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/subscriptions"
)

// End-to-end tests of the conversation flows (issue 12), through the
// Telegram fake and the real client library.

// press presses a button of a bot message and returns the toast.
func (h *chatHarness) press(chat telegramtest.Chat, u telegramtest.User, msgID int, data string) string {
	h.t.Helper()
	q, err := h.tg.PressButton(chat, u, msgID, data)
	if err != nil {
		h.t.Fatalf("press %s: %v", data, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if a, ok := h.tg.Answer(q.ID); ok {
			return a.Text
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.t.Fatalf("button %s not answered", data)
	return ""
}

// waitText waits until the bot message msgID reads as cond wants.
func (h *chatHarness) waitText(chatID int64, msgID int, cond func(string) bool) telegramtest.Message {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var m telegramtest.Message
	for time.Now().Before(deadline) {
		m, _ = h.tg.Message(chatID, msgID)
		if cond(m.Text) {
			return m
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.t.Fatalf("message %d never became right: %q", msgID, m.Text)
	return m
}

func (h *chatHarness) queries(chatID int64) []string {
	subs, err := h.m.Subs.List(context.Background(), chatID)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, s := range subs {
		out = append(out, s.Query)
	}
	return out
}

// buttonData finds the callback data of the button whose label contains label.
func buttonData(t *testing.T, m telegramtest.SentMessage, label string) string {
	t.Helper()
	for _, b := range m.Buttons() {
		if strings.Contains(b.Text, label) && b.CallbackData != nil {
			return *b.CallbackData
		}
	}
	t.Fatalf("no button %q in %+v", label, m.Buttons())
	return ""
}

func messageButton(t *testing.T, m telegramtest.Message, label string) string {
	t.Helper()
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				if strings.Contains(b.Text, label) && b.CallbackData != nil {
					return *b.CallbackData
				}
			}
		}
	}
	t.Fatalf("no button %q on %q", label, m.Text)
	return ""
}

// TestFlowAskOfferHint: /subscribe from the menu asks (ForceReply) and takes
// the next message; plain text offers a subscription; a Cyrillic command
// gets a hint; in a group, the reply to the question is the answer.
func TestFlowAskOfferHint(t *testing.T) {
	h := newChatHarness(t)
	u := telegramtest.User{ID: 5001, FirstName: "Оля", LanguageCode: "uk"}
	chat := telegramtest.PrivateChat(u)
	T := func(id string, data map[string]any) string { return h.cat.T("uk", id, data) }

	ask := h.say(chat, u, "/subscribe")
	if ask.Raw != T(i18n.MsgAskSubscribe, nil) || !strings.Contains(ask.ReplyMarkupJSON, `"force_reply":true`) {
		t.Fatalf("question: %q %s", ask.Raw, ask.ReplyMarkupJSON)
	}
	if got := h.say(chat, u, "НАТО"); !strings.HasPrefix(got.Raw, T(i18n.MsgSubscribedNone, map[string]any{"Query": "НАТО"})) {
		t.Errorf("answer: %q", got.Raw)
	}
	// The question is answered once: the next text is an offer.
	offer := h.say(chat, u, "Україна")
	if offer.Raw != T(i18n.MsgOffer, map[string]any{"Query": "Україна"}) {
		t.Errorf("offer: %q", offer.Raw)
	}
	h.press(chat, u, offer.MessageID, buttonData(t, offer, "Підписатися"))
	h.waitText(u.ID, offer.MessageID, func(s string) bool { return strings.Contains(s, "Ви підписалися на «Україна»") })
	no := h.say(chat, u, "Київ")
	if toast := h.press(chat, u, no.MessageID, buttonData(t, no, "Ні")); toast != h.cat.Plain("uk", i18n.MsgOfferDeclined, nil) {
		t.Errorf("declined toast %q", toast)
	}
	if got := h.queries(u.ID); !slices.Equal(got, []string{"НАТО", "Україна"}) {
		t.Errorf("subscriptions %v", got)
	}
	// A question is dropped by a new command.
	h.say(chat, u, "/subscribe")
	h.say(chat, u, "/list")
	if got := h.say(chat, u, "Трамп"); !strings.HasPrefix(got.Raw, "Підписатися на «Трамп»") {
		t.Errorf("after /list the question was still open: %q", got.Raw)
	}

	for _, tt := range []struct{ say, want string }{
		{"/підписатися Трамп", T(i18n.MsgCyrillicHint, map[string]any{"Command": "/subscribe Трамп"})},
		{"/подписаться НАТО", T(i18n.MsgCyrillicHint, map[string]any{"Command": "/subscribe НАТО"})},
		{"/список", T(i18n.MsgCyrillicHint, map[string]any{"Command": "/list"})},
		{"/щосьдивне", T(i18n.MsgCyrillicAny, nil)},
	} {
		if got := h.say(chat, u, tt.say); got.Raw != tt.want {
			t.Errorf("%s: got %q want %q", tt.say, got.Raw, tt.want)
		}
	}

	// In a group, the question is answered by a reply to it.
	owner := telegramtest.User{ID: 5002, FirstName: "Owner", LanguageCode: "en"}
	group := telegramtest.Chat{ID: -5003, Type: telegramtest.ChatGroup, Title: "Newsroom"}
	h.tg.AddBot(group, owner)
	h.tg.SetMember(group, owner, telegramtest.StatusCreator)
	q := h.say(group, owner, "/subscribe")
	n := len(h.tg.Sent(group.ID))
	h.tg.SendReply(group, owner, q.MessageID, "NATO")
	if got, ok := h.tg.WaitSent(group.ID, n+1, 10*time.Second); !ok || !strings.Contains(got[n].Raw, "Subscribed to “NATO”") {
		t.Errorf("group answer: %+v", got)
	}
}

// TestFlowUndoAndStableNumbers: numbers stay those of the list on screen,
// every removal can be undone, stale buttons refresh the list.
func TestFlowUndoAndStableNumbers(t *testing.T) {
	h := newChatHarness(t)
	u := telegramtest.User{ID: 5101, FirstName: "Оля", LanguageCode: "uk"}
	chat := telegramtest.PrivateChat(u)
	for _, q := range []string{"Альфа", "Бета", "Гамма", "Дельта", "Епсилон"} {
		h.say(chat, u, "/subscribe "+q)
	}
	older := h.say(chat, u, "/list") // a list further up the chat
	list := h.say(chat, u, "/list")
	if !strings.Contains(list.Text, "5. Епсилон") {
		t.Fatalf("list: %q", list.Text)
	}
	confirm := h.say(chat, u, "/unsubscribe 2")
	if confirm.Raw != h.cat.T("uk", i18n.MsgUnsubscribed, map[string]any{"Query": "Бета"}) {
		t.Errorf("/unsubscribe 2: %q", confirm.Raw)
	}
	// The list on screen is refreshed and keeps its numbers; 5 is still Епсилон.
	h.waitText(u.ID, list.MessageID, func(s string) bool {
		return !strings.Contains(s, "Бета") && strings.Contains(s, "3. Гамма") && strings.Contains(s, "5. Епсилон")
	})
	h.say(chat, u, "/unsubscribe 5")
	if got := h.queries(u.ID); !slices.Equal(got, []string{"Альфа", "Гамма", "Дельта"}) {
		t.Fatalf("after 2 and 5: %v", got)
	}
	// ✖ on the list, then undo from the list.
	lm, _ := h.tg.Message(u.ID, list.MessageID)
	if toast := h.press(chat, u, list.MessageID, messageButton(t, lm, "Гамма")); !strings.Contains(toast, "Гамма") {
		t.Errorf("✖ toast %q", toast)
	}
	lm = h.waitText(u.ID, list.MessageID, func(s string) bool { return !strings.Contains(s, "Гамма") })
	h.press(chat, u, list.MessageID, messageButton(t, lm, "↩ Повернути «Гамма»"))
	h.waitText(u.ID, list.MessageID, func(s string) bool { return strings.Contains(s, "3. Гамма") })
	// Undo under the confirmation of /unsubscribe 2.
	if toast := h.press(chat, u, confirm.MessageID, buttonData(t, confirm, "↩")); !strings.Contains(toast, "Бета") {
		t.Errorf("undo toast %q", toast)
	}
	h.waitText(u.ID, confirm.MessageID, func(s string) bool { return strings.Contains(s, "повернуто") })
	h.waitText(u.ID, list.MessageID, func(s string) bool { return strings.Contains(s, "2. Бета") })
	if got := h.queries(u.ID); !slices.Equal(got, []string{"Альфа", "Бета", "Гамма", "Дельта"}) {
		t.Errorf("after undo, in their old places: %v", got)
	}
	// By query, with undo.
	byQuery := h.say(chat, u, "/unsubscribe дельта")
	if byQuery.ReplyMarkup == nil || !strings.Contains(byQuery.Text, "Дельта") {
		t.Errorf("by query: %+v", byQuery)
	}
	// A button for one already gone refreshes its list.
	stale := ""
	for _, row := range older.ReplyMarkup.InlineKeyboard {
		if strings.Contains(row[0].Text, "Епсилон") {
			stale = *row[0].CallbackData
		}
	}
	if stale == "" {
		t.Fatal("no Епсилон button on the first list")
	}
	if toast := h.press(chat, u, older.MessageID, stale); toast != h.cat.Plain("uk", i18n.MsgCallbackStale, nil) {
		t.Errorf("stale toast %q", toast)
	}
	h.waitText(u.ID, older.MessageID, func(s string) bool {
		return !strings.Contains(s, "Дельта") && !strings.Contains(s, "Епсилон")
	})
	// Close keeps the list.
	if toast := h.press(chat, u, list.MessageID, "cancel"); toast != h.cat.Plain("uk", i18n.MsgCallbackCanceled, nil) {
		t.Errorf("close toast %q", toast)
	}
	h.waitText(u.ID, list.MessageID, func(s string) bool { return strings.Contains(s, "1. Альфа") })

	// /pause has its undo under the confirmation.
	p := h.say(chat, u, "/pause")
	h.press(chat, u, p.MessageID, buttonData(t, p, "▶"))
	h.waitText(u.ID, p.MessageID, func(s string) bool { return s == h.cat.T("uk", i18n.MsgResumed, nil) })
	if c, _ := h.m.Subs.Chat(context.Background(), u.ID); c.Paused {
		t.Error("still paused after the button")
	}
}

// TestFlowEditedSubscribe: fixing a typo by editing /subscribe replaces the
// subscription and rewrites the answer.
func TestFlowEditedSubscribe(t *testing.T) {
	h := newChatHarness(t)
	u := telegramtest.User{ID: 5201, FirstName: "Оля", LanguageCode: "uk"}
	chat := telegramtest.PrivateChat(u)
	n := len(h.tg.Sent(u.ID))
	in := h.tg.SendText(chat, u, "/subscribe Укрїна")
	got, ok := h.tg.WaitSent(u.ID, n+1, 10*time.Second)
	if !ok {
		t.Fatal("no answer")
	}
	answer := got[n]
	if _, err := h.tg.EditText(chat, u, in.MessageID, "/subscribe Україна"); err != nil {
		t.Fatal(err)
	}
	h.waitText(u.ID, answer.MessageID, func(s string) bool {
		return strings.Contains(s, "замінено") && strings.Contains(s, "«Україна»")
	})
	if q := h.queries(u.ID); !slices.Equal(q, []string{"Україна"}) {
		t.Errorf("after the edit: %v", q)
	}
	// A broken edit keeps the subscription and says what is wrong.
	h.tg.EditText(chat, u, in.MessageID, `/subscribe "Україна`)
	h.waitText(u.ID, answer.MessageID, func(s string) bool { return strings.HasPrefix(s, "Лапки не закрито") })
	if q := h.queries(u.ID); !slices.Equal(q, []string{"Україна"}) {
		t.Errorf("after a broken edit: %v", q)
	}
	if len(h.tg.Sent(u.ID)) != n+1 {
		t.Errorf("edits sent new messages: %d", len(h.tg.Sent(u.ID))-n)
	}
}

// TestFlowFriendlySettings: cities, offsets, language names and aliases,
// and the buttons of /timezone, /newslang and /language (ru user).
func TestFlowFriendlySettings(t *testing.T) {
	h := newChatHarness(t)
	u := telegramtest.User{ID: 5301, FirstName: "Иван", LanguageCode: "ru"}
	chat := telegramtest.PrivateChat(u)
	zone := func() string {
		c, _ := h.m.Subs.Chat(context.Background(), u.ID)
		return c.Timezone
	}
	if got := h.say(chat, u, "/timezone Киев"); !strings.Contains(got.Text, "Europe/Kyiv (UTC+") || zone() != "Europe/Kyiv" {
		t.Errorf("Киев: %q, %q", got.Text, zone())
	}
	if got := h.say(chat, u, "/timezone UTC+3"); !strings.Contains(got.Text, "UTC+3") || !strings.Contains(got.Raw, h.cat.T("ru", i18n.MsgTimezoneFixed, nil)) || zone() != "Etc/GMT-3" {
		t.Errorf("UTC+3: %q, %q", got.Text, zone())
	}
	tz := h.say(chat, u, "/timezone")
	h.press(chat, u, tz.MessageID, buttonData(t, tz, "Торонто"))
	h.waitText(u.ID, tz.MessageID, func(s string) bool { return strings.Contains(s, "America/Toronto") })
	h.say(chat, u, "/timezone")
	if got := h.say(chat, u, "Варшава"); !strings.Contains(got.Text, "Europe/Warsaw") || zone() != "Europe/Warsaw" {
		t.Errorf("a city in answer: %q, %q", got.Text, zone())
	}

	if got := h.say(chat, u, "/newslang українська"); got.Raw != h.cat.T("ru", i18n.MsgNewsLangChanged, map[string]any{"Langs": "украинский"}) {
		t.Errorf("/newslang українська: %q", got.Raw)
	}
	if got := h.say(chat, u, "/newslang все"); got.Raw != h.cat.T("ru", i18n.MsgNewsLangReset, nil) {
		t.Errorf("/newslang все: %q", got.Raw)
	}
	nl := h.say(chat, u, "/newslang")
	h.press(chat, u, nl.MessageID, buttonData(t, nl, "Английский"))
	if c, _ := h.m.Subs.Chat(context.Background(), u.ID); !slices.Equal(c.NewsLanguages, []string{"uk"}) {
		t.Errorf("after the toggle: %v", c.NewsLanguages)
	}
	h.waitText(u.ID, nl.MessageID, func(s string) bool { return strings.Contains(s, "украинский") })
	h.press(chat, u, nl.MessageID, "nl:all")
	if c, _ := h.m.Subs.Chat(context.Background(), u.ID); len(c.NewsLanguages) != 0 {
		t.Errorf("after all: %v", c.NewsLanguages)
	}

	lang := h.say(chat, u, "/language")
	if buttonData(t, lang, "✅ Русский") != "lang:ru" {
		t.Error("current language not marked")
	}
	if got := h.say(chat, u, "/language ua"); got.Raw != h.cat.T("uk", i18n.MsgLanguageChanged, nil) {
		t.Errorf("/language ua: %q", got.Raw)
	}
	if got := h.say(chat, u, "/language русский"); got.Raw != h.cat.T("ru", i18n.MsgLanguageChanged, nil) {
		t.Errorf("/language русский: %q", got.Raw)
	}
	// The chat's command menu follows the choice, whatever the app's language.
	if cmds, ok := h.tg.Commands(telegramtest.CommandScope{Type: "chat", ChatID: u.ID}, "en"); !ok || len(cmds) == 0 ||
		cmds[0].Description != h.cat.Plain("ru", "cmdmenu.subscribe", nil) {
		t.Errorf("chat menu: %+v", cmds)
	}
	_ = subscriptions.Private
}
