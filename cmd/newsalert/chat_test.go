package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
)

// chatHarness runs a Main against the fake and plays users.
type chatHarness struct {
	t   *testing.T
	tg  *telegramtest.Server
	fs  *feedServer
	m   *Main
	cat *i18n.Catalog
}

func newChatHarness(t *testing.T) *chatHarness {
	tg := newFake(t)
	fs := newFeedServer(t)
	fs.add("/en", testItem{"en-1", "Old story", "Old.", "https://news.example/en/1"})
	cfg := testConfig(t, tg, fs, configFeed("site-en", "/en", "en"), configFeed("site-uk", "/uk", "uk"))
	m := startMain(t, cfg)
	waitSeeded(t, m, 2)
	cat, err := i18n.New(i18n.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return &chatHarness{t, tg, fs, m, cat}
}

// say sends text in chat as from and returns the bot's next message there.
func (h *chatHarness) say(chat telegramtest.Chat, from telegramtest.User, text string) telegramtest.SentMessage {
	h.t.Helper()
	n := len(h.tg.Sent(chat.ID))
	h.tg.SendText(chat, from, text)
	got, ok := h.tg.WaitSent(chat.ID, n+1, 10*time.Second)
	if !ok {
		h.t.Fatalf("no reply to %q in %d", text, chat.ID)
	}
	return got[n]
}

// silent checks that the bot says nothing to text: it sends text, then a
// /list from the same user, and the next message in the chat must be the
// answer to that /list (replies in a chat keep the order of its updates),
// so the check waits for the bot, not for a fixed time.
func (h *chatHarness) silent(chat telegramtest.Chat, from telegramtest.User, text string) {
	h.t.Helper()
	probe := h.say(chat, from, "/list").Raw
	n := len(h.tg.Sent(chat.ID))
	h.tg.SendText(chat, from, text)
	h.tg.SendText(chat, from, "/list")
	got, ok := h.tg.WaitSent(chat.ID, n+1, 10*time.Second)
	if !ok {
		h.t.Fatalf("no reply to the /list after %q", text)
	}
	if got[n].Raw != probe {
		h.t.Errorf("reply to %q: %q", text, got[n].Text)
	}
}

func TestPrivateChatCommands(t *testing.T) {
	t.Parallel()
	h := newChatHarness(t)
	u := telegramtest.User{ID: 2001, FirstName: "Оля", LanguageCode: "uk"}
	chat := telegramtest.PrivateChat(u)
	T := func(id string, data map[string]any) string { return h.cat.T("uk", id, data) }

	// Every command's replies are tested in the bot package
	// (TestCommandsPrivateChat); here a few go through the whole Main.
	tests := []struct{ say, want string }{
		{"/subscribe", T(i18n.MsgAskSubscribe, nil)},
		{"/subscribe -Trump", T(i18n.MsgQueryOnlyExclusions, nil)},
		{"/subscribe NATO", T(i18n.MsgSubscribedNone, map[string]any{"Query": "NATO"}) + "\n" +
			T(i18n.MsgQueryAlso, map[string]any{"Forms": "НАТО, Північноатлантичний альянс, Североатлантический альянс, North Atlantic Alliance, OTAN"})},
		{"/unsubscribe 1", T(i18n.MsgUnsubscribed, map[string]any{"Query": "NATO"})},
		{"hello", T(i18n.MsgOffer, map[string]any{"Query": "hello"})},
		{"/pause", T(i18n.MsgPaused, nil)},
		{"/pause", T(i18n.MsgAlreadyPaused, nil)},
		{"/resume", T(i18n.MsgResumed, nil)},
		{"/newslang de", T(i18n.MsgNewsLangUnknown, map[string]any{"Lang": "de", "Available": "англійська (en), українська (uk)"})},
		{"/language ru", h.cat.T("ru", i18n.MsgLanguageChanged, nil)},
		{"/help", h.cat.T("ru", i18n.MsgHelp, nil) + "\n\n" + h.cat.T("ru", i18n.MsgHelpDigests, nil)},
	}
	for _, tt := range tests {
		if got := h.say(chat, u, tt.say); got.Raw != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.say, got.Raw, tt.want)
		}
	}

	// The time zone: set, shown, and used in alerts.
	if got := h.say(chat, u, "/timezone america/toronto"); !strings.Contains(got.Text, "America/Toronto") {
		t.Errorf("/timezone: %q", got.Text)
	}
	if c, _ := h.m.Subs.Chat(context.Background(), u.ID); c.Timezone != "America/Toronto" {
		t.Errorf("stored zone %q", c.Timezone)
	}
	if got := h.say(chat, u, "/timezone default"); !strings.Contains(got.Text, "Europe/Kyiv") {
		t.Errorf("/timezone default: %q", got.Text)
	}

	// The chosen language holds even when Telegram says another.
	u.LanguageCode = "en"
	if got := h.say(chat, u, "/list"); !strings.HasPrefix(got.Raw, h.cat.T("ru", i18n.MsgListEmpty, nil)) {
		t.Errorf("chosen language lost: %q", got.Raw)
	}

	// /unsubscribe without an argument offers buttons; pressing one removes.
	h.say(chat, u, "/subscribe Україна")
	h.say(chat, u, "/subscribe НАТО")
	pick := h.say(chat, u, "/unsubscribe")
	if pick.ReplyMarkup == nil || len(pick.ReplyMarkup.InlineKeyboard) != 3 {
		t.Fatalf("buttons: %+v", pick.ReplyMarkup)
	}
	data := *pick.ReplyMarkup.InlineKeyboard[0][0].CallbackData
	q, err := h.tg.PressButton(chat, u, pick.MessageID, data)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		if _, ok := h.tg.Answer(q.ID); ok {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if a, ok := h.tg.Answer(q.ID); !ok || !strings.Contains(a.Text, "Україна") {
		t.Errorf("callback answer: %+v %v", a, ok)
	}
	subs, _ := h.m.Subs.List(context.Background(), u.ID)
	if len(subs) != 1 || subs[0].Query != "НАТО" {
		t.Errorf("after the button: %+v", subs)
	}
	if msg, _ := h.tg.Message(u.ID, pick.MessageID); !strings.Contains(msg.Text, "НАТО") || strings.Contains(msg.Text, "Україна") {
		t.Errorf("list message not updated: %q", msg.Text)
	}
	if len(h.tg.Unanswered()) > 0 {
		t.Errorf("unanswered callbacks")
	}
	if len(h.tg.UnknownParams()) > 0 {
		t.Errorf("parameters the Bot API does not define: %v", h.tg.UnknownParams())
	}
	if cmds, ok := h.tg.Commands(telegramtest.CommandScope{Type: "default"}, "uk"); !ok || len(cmds) < 8 {
		t.Errorf("uk command menu: %+v", cmds)
	}
}

func TestPrivateChatFollowsTelegramLanguage(t *testing.T) {
	t.Parallel()
	h := newChatHarness(t)
	u := telegramtest.User{ID: 2201, FirstName: "Ivan", LanguageCode: "en"}
	chat := telegramtest.PrivateChat(u)
	if got := h.say(chat, u, "/pause"); !strings.HasPrefix(got.Raw, h.cat.T("en", i18n.MsgPaused, nil)) {
		t.Errorf("en: %q", got.Raw)
	}
	u.LanguageCode = "uk" // the user switched Telegram to Ukrainian
	if got := h.say(chat, u, "/resume"); got.Raw != h.cat.T("uk", i18n.MsgResumed, nil) {
		t.Errorf("uk: %q", got.Raw)
	}
}

func TestGroups(t *testing.T) {
	t.Parallel()
	h := newChatHarness(t)
	owner := telegramtest.User{ID: 3001, FirstName: "Owner", LanguageCode: "en"}
	member := telegramtest.User{ID: 3002, FirstName: "Member", LanguageCode: "en"}
	group := telegramtest.Chat{ID: -4001, Type: telegramtest.ChatGroup, Title: "Newsroom"}
	h.tg.AddBot(group, owner)
	h.tg.SetMember(group, owner, telegramtest.StatusCreator)
	h.tg.SetMember(group, member, telegramtest.StatusMember)

	if got := h.say(group, member, "/subscribe NATO"); got.Raw != h.cat.T("en", i18n.MsgGroupAdminsOnly, nil) {
		t.Errorf("member subscribing: %q", got.Raw)
	}
	if got := h.say(group, owner, "/subscribe@newsalert_bot NATO"); !strings.Contains(got.Raw, "NATO") {
		t.Errorf("owner subscribing: %q", got.Raw)
	}
	h.silent(group, owner, "/help@other_bot")
	h.silent(group, member, "/frobnicate")
	if got := h.say(group, member, "/list"); !strings.Contains(got.Text, "NATO") {
		t.Errorf("member /list: %q", got.Text)
	}

	// The group becomes a supergroup: its subscriptions follow.
	newID, err := h.tg.MigrateToSupergroup(group.ID, -1000000004001, owner)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if subs, _ := h.m.Subs.List(context.Background(), newID); len(subs) == 1 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if subs, _ := h.m.Subs.List(context.Background(), newID); len(subs) != 1 {
		t.Fatalf("supergroup has %d subscriptions", len(subs))
	}
	// News reaches the supergroup.
	h.fs.add("/en", testItem{"en-2", "NATO ministers meet", "New.", "https://news.example/en/2"})
	if _, ok := h.tg.WaitSent(newID, 1, 15*time.Second); !ok {
		t.Error("no alert in the supergroup")
	}

	// Kicked: the chat is inactive, nothing more is sent.
	h.tg.Kick(newID)
	deadline = time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, _ := h.m.Subs.Chat(context.Background(), newID); c.Inactive {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if c, _ := h.m.Subs.Chat(context.Background(), newID); !c.Inactive {
		t.Error("kicked chat still active")
	}
}

func TestChannel(t *testing.T) {
	t.Parallel()
	h := newChatHarness(t)
	owner := telegramtest.User{ID: 3101, FirstName: "Editor", LanguageCode: "ru"}
	channel := telegramtest.Chat{ID: -1000000005001, Type: telegramtest.ChatChannel, Title: "Новости"}
	h.tg.AddBot(channel, owner)
	n := len(h.tg.Sent(channel.ID))
	h.tg.ChannelPost(channel, "/subscribe NATO")
	got, ok := h.tg.WaitSent(channel.ID, n+1, 10*time.Second)
	if !ok || !strings.Contains(got[n].Text, "NATO") {
		t.Fatalf("no reply in the channel: %+v", got)
	}
	h.fs.add("/en", testItem{"en-2", "NATO ministers meet", "New.", "https://news.example/en/2"})
	if _, ok := h.tg.WaitSent(channel.ID, n+2, 15*time.Second); !ok {
		t.Error("no alert in the channel")
	}
}

func TestBlockedUserIsDroppedUntilBack(t *testing.T) {
	t.Parallel()
	h := newChatHarness(t)
	u := telegramtest.User{ID: 2101, FirstName: "Ann", LanguageCode: "en"}
	chat := telegramtest.PrivateChat(u)
	h.say(chat, u, "/subscribe NATO")
	h.tg.Block(u.ID)
	h.fs.add("/en", testItem{"en-2", "NATO ministers meet", "New.", "https://news.example/en/2"})
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if c, _ := h.m.Subs.Chat(context.Background(), u.ID); c.Inactive {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	c, _ := h.m.Subs.Chat(context.Background(), u.ID)
	if !c.Inactive {
		t.Fatal("blocked chat not marked inactive")
	}
	// Writing again brings the chat back.
	h.say(chat, u, "/list")
	if c, _ := h.m.Subs.Chat(context.Background(), u.ID); c.Inactive {
		t.Error("chat still inactive after it wrote")
	}
}
