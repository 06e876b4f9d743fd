package bot

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/feeds"
)

// Each test here drives commands through the Telegram fake, the real client
// library, the update loop, the delivery queue and SQLite (newTestBot), and
// checks the reply as the user sees it and what was stored.

func TestCommandsPrivateChat(t *testing.T) {
	tb := newTestBot(t, testBotOptions{})
	u := user(2001, "uk")
	chat := telegramtest.PrivateChat(u)
	T := func(id string, data map[string]any) string { return tb.T("uk", id, data) }
	tests := []struct{ say, want string }{
		{"/start", T(i18n.MsgStart, nil)},
		{"/subscribe", T(i18n.MsgAskSubscribe, nil)},
		{`/subscribe "foreign minister`, T(i18n.MsgQueryUnbalancedQuote, nil)},
		{"/subscribe -Trump", T(i18n.MsgQueryOnlyExclusions, nil)},
		{"/subscribe " + strings.Repeat("дуже ", 50), tb.N("uk", i18n.MsgQueryTooLong, 200, nil)},
		{"/subscribe NATO", T(i18n.MsgSubscribedNone, map[string]any{"Query": "NATO"}) + "\n" +
			T(i18n.MsgQueryAlso, map[string]any{"Forms": "НАТО, Північноатлантичний альянс, Североатлантический альянс, North Atlantic Alliance, OTAN"})},
		{"/subscribe nato", T(i18n.MsgAlreadySubscribed, map[string]any{"Query": "nato"})},
		{"/unsubscribe 7", T(i18n.MsgUnsubscribeBadNum, map[string]any{"Number": "7"})},
		{"/unsubscribe Trump", T(i18n.MsgUnsubscribeMissing, map[string]any{"Query": "Trump"})},
		{"/unsubscribe 1", T(i18n.MsgUnsubscribed, map[string]any{"Query": "NATO"})},
		{"/list", T(i18n.MsgListEmpty, nil)},
		{"/frobnicate", T(i18n.MsgUnknownCommand, map[string]any{"Command": "/frobnicate"})},
		{"hello", T(i18n.MsgOffer, map[string]any{"Query": "hello"})},
		{"/pause", T(i18n.MsgPaused, nil)},
		{"/pause", T(i18n.MsgAlreadyPaused, nil)},
		{"/resume", T(i18n.MsgResumed, nil)},
		{"/resume", T(i18n.MsgNotPaused, nil)},
		{"/newslang", T(i18n.MsgNewsLangAll, nil) + "\n\n" + T(i18n.MsgNewsLangPick, nil)},
		{"/newslang de", T(i18n.MsgNewsLangUnknown, map[string]any{"Lang": "de", "Available": "англійська (en), українська (uk)"})},
		{"/newslang uk", T(i18n.MsgNewsLangChanged, map[string]any{"Langs": tb.cat.LanguageName("uk", "uk")})},
		{"/newslang all", T(i18n.MsgNewsLangReset, nil)},
		{"/timezone Mars/Olympus", T(i18n.MsgTimezoneUnknown, map[string]any{"Zone": "Mars/Olympus"})},
		{"/language xx", T(i18n.MsgLanguageUnknown, map[string]any{"Lang": "xx", "Available": "англійська (en), українська (uk), російська (ru)"}) +
			"\n" + T(i18n.MsgUsageLanguage, nil)},
		{"/language ru", tb.T("ru", i18n.MsgLanguageChanged, nil)},
		{"/help", tb.T("ru", i18n.MsgHelp, nil) + "\n\n" + tb.T("ru", i18n.MsgHelpDigests, nil)},
	}
	for _, tt := range tests {
		if got := tb.say(chat, u, tt.say); got.Raw != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.say, got.Raw, tt.want)
		}
	}
	if c := tb.chat(u.ID); c.Language != "ru" || c.Paused || len(c.NewsLanguages) != 0 {
		t.Errorf("stored chat: %+v", c)
	}
	if n := len(tb.tg.Violations()); n > 0 {
		t.Errorf("%d rate-limit violations", n)
	}
	if p := tb.tg.UnknownParams(); len(p) > 0 {
		t.Errorf("parameters the Bot API does not define: %v", p)
	}
}

func TestCommandSubscribeCountsStoredArticles(t *testing.T) {
	tb := newTestBot(t, testBotOptions{})
	tb.addArticles("site-en", "en", "grain summit opens", "grain deal agreed", "Weather today")
	tb.addArticles("site-uk", "uk", "Саміт щодо зерна у Вільнюсі")
	u := user(2002, "en")
	chat := telegramtest.PrivateChat(u)
	if got, want := tb.say(chat, u, "/subscribe grain").Raw, tb.N("en", i18n.MsgSubscribed, 2, map[string]any{"Query": "grain"}); got != want {
		t.Errorf("/subscribe grain:\n got %q\nwant %q", got, want)
	}
	if got, want := tb.say(chat, u, "/subscribe зерно").Raw, tb.N("en", i18n.MsgSubscribed, 1, map[string]any{"Query": "зерно"}); got != want {
		t.Errorf("/subscribe зерно:\n got %q\nwant %q", got, want)
	}
	if got := tb.queries(u.ID); !slices.Equal(got, []string{"grain", "зерно"}) {
		t.Errorf("stored %q", got)
	}
}

func TestCommandListAndButtons(t *testing.T) {
	tb := newTestBot(t, testBotOptions{})
	u := user(2003, "en")
	chat := telegramtest.PrivateChat(u)
	tb.say(chat, u, "/subscribe Україна")
	tb.say(chat, u, "/subscribe NATO")
	list := tb.say(chat, u, "/list")
	for _, want := range []string{"1", "Україна", "NATO"} {
		if !strings.Contains(list.Text, want) {
			t.Errorf("/list lacks %q: %q", want, list.Text)
		}
	}
	if list.ReplyMarkup == nil || len(list.ReplyMarkup.InlineKeyboard) != 3 {
		t.Fatalf("/list buttons: %+v", list.ReplyMarkup)
	}
	data := *list.ReplyMarkup.InlineKeyboard[0][0].CallbackData
	if a := tb.press(chat, u, list.MessageID, data); !strings.Contains(a.Text, "Україна") {
		t.Errorf("answer %q", a.Text)
	}
	if got := tb.queries(u.ID); !slices.Equal(got, []string{"NATO"}) {
		t.Errorf("after the button: %q", got)
	}
	if m, _ := tb.tg.Message(u.ID, list.MessageID); strings.Contains(m.Text, "Україна") || !strings.Contains(m.Text, "NATO") {
		t.Errorf("list not updated: %q", m.Text)
	}
	pick := tb.say(chat, u, "/unsubscribe")
	if pick.Raw != tb.T("en", i18n.MsgUnsubscribePick, nil) || pick.ReplyMarkup == nil {
		t.Fatalf("/unsubscribe: %q %+v", pick.Raw, pick.ReplyMarkup)
	}
	// A button whose subscription went meanwhile, on an older list (the
	// list on screen is refreshed at once): it refreshes its list.
	tb.say(chat, u, "/unsubscribe NATO")
	old, _ := tb.tg.Message(u.ID, list.MessageID)
	data = ""
	for _, row := range old.ReplyMarkup.InlineKeyboard {
		if strings.Contains(row[0].Text, "NATO") && strings.HasPrefix(*row[0].CallbackData, "unsub:") {
			data = *row[0].CallbackData
		}
	}
	if a := tb.press(chat, u, list.MessageID, data); a.Text != tb.cat.Plain("en", i18n.MsgCallbackStale, nil) {
		t.Errorf("stale button: %q", a.Text)
	}
	if len(tb.tg.Unanswered()) > 0 {
		t.Errorf("unanswered callbacks: %+v", tb.tg.Unanswered())
	}
}

func TestCommandLanguageButtons(t *testing.T) {
	tb := newTestBot(t, testBotOptions{})
	u := user(2004, "en")
	chat := telegramtest.PrivateChat(u)
	pick := tb.say(chat, u, "/language")
	if pick.ReplyMarkup == nil || len(pick.ReplyMarkup.InlineKeyboard[0]) != 3 {
		t.Fatalf("language buttons: %+v", pick.ReplyMarkup)
	}
	tb.press(chat, u, pick.MessageID, "lang:uk")
	if c := tb.chat(u.ID); c.Language != "uk" {
		t.Errorf("language %q", c.Language)
	}
	// The chosen language holds even when Telegram says another.
	if got := tb.say(chat, u, "/list").Raw; got != tb.T("uk", i18n.MsgListEmpty, nil) {
		t.Errorf("after the button: %q", got)
	}
}

func TestCommandPrivateChatFollowsTelegramLanguage(t *testing.T) {
	tb := newTestBot(t, testBotOptions{})
	u := user(2005, "en")
	chat := telegramtest.PrivateChat(u)
	if got := tb.say(chat, u, "/pause").Raw; !strings.HasPrefix(got, tb.T("en", i18n.MsgPaused, nil)) {
		t.Errorf("en: %q", got)
	}
	u.LanguageCode = "ru-RU"
	if got := tb.say(chat, u, "/resume").Raw; got != tb.T("ru", i18n.MsgResumed, nil) {
		t.Errorf("ru: %q", got)
	}
}

func TestCommandTimezone(t *testing.T) {
	tb := newTestBot(t, testBotOptions{})
	u := user(2006, "en")
	chat := telegramtest.PrivateChat(u)
	if got := tb.say(chat, u, "/timezone").Text; !strings.Contains(got, "UTC") {
		t.Errorf("/timezone: %q", got)
	}
	if got := tb.say(chat, u, "/timezone america/toronto").Text; !strings.Contains(got, "America/Toronto") {
		t.Errorf("/timezone america/toronto: %q", got)
	}
	if z := tb.chat(u.ID).Timezone; z != "America/Toronto" {
		t.Errorf("stored zone %q", z)
	}
	if got := tb.say(chat, u, "/timezone Europe/Kiev").Text; !strings.Contains(got, "Europe/Kyiv") {
		t.Errorf("old spelling: %q", got)
	}
	if got := tb.say(chat, u, "/timezone default").Text; !strings.Contains(got, "UTC") {
		t.Errorf("/timezone default: %q", got)
	}
	if z := tb.chat(u.ID).Timezone; z != "" {
		t.Errorf("stored zone after default: %q", z)
	}
}

func TestCommandPauseDropsQueuedAlerts(t *testing.T) {
	tb := newTestBot(t, testBotOptions{})
	u := user(2007, "en")
	chat := telegramtest.PrivateChat(u)
	tb.say(chat, u, "/subscribe NATO")
	tb.say(chat, u, "/pause")
	if !tb.chat(u.ID).Paused {
		t.Fatal("not paused")
	}
	if st, err := tb.queue.Stats(context.Background()); err != nil || st.Pending != 0 {
		t.Errorf("pending after pause: %+v %v", st, err)
	}
	if got := tb.say(chat, u, "/list").Text; !strings.Contains(got, "NATO") {
		t.Errorf("/list while paused: %q", got)
	}
}

func TestCommandFeeds(t *testing.T) {
	tb := newTestBot(t, testBotOptions{Admins: []int64{777}})
	u := user(2008, "en")
	got := tb.say(telegramtest.PrivateChat(u), u, "/feeds").Text
	for _, want := range []string{"Site EN", "Сайт UK"} {
		if !strings.Contains(got, want) {
			t.Errorf("/feeds lacks %q: %q", want, got)
		}
	}
	if strings.Contains(got, "site-en") {
		t.Errorf("a user sees feed ids: %q", got)
	}
	admin := user(777, "en")
	if got := tb.say(telegramtest.PrivateChat(admin), admin, "/feeds").Text; !strings.Contains(got, "site-en") {
		t.Errorf("an admin does not see ids: %q", got)
	}
}

func TestCommandsInGroups(t *testing.T) {
	tb := newTestBot(t, testBotOptions{})
	owner := user(3001, "en")
	admin := user(3003, "uk")
	member := user(3002, "en")
	group := telegramtest.Chat{ID: -4001, Type: telegramtest.ChatGroup, Title: "Newsroom"}
	tb.tg.AddBot(group, owner)
	tb.tg.SetMember(group, owner, telegramtest.StatusCreator)
	tb.tg.SetMember(group, admin, telegramtest.StatusAdministrator)
	tb.tg.SetMember(group, member, telegramtest.StatusMember)

	if got := tb.say(group, member, "/start").Raw; got != tb.T("en", i18n.MsgStartGroup, nil) {
		t.Errorf("/start in a group: %q", got)
	}
	for _, cmd := range []string{"/subscribe NATO", "/unsubscribe 1", "/language uk", "/newslang en", "/timezone UTC", "/pause", "/resume"} {
		if got := tb.say(group, member, cmd).Raw; got != tb.T("en", i18n.MsgGroupAdminsOnly, nil) {
			t.Errorf("%s by a member: %q", cmd, got)
		}
	}
	if got := tb.queries(group.ID); len(got) != 0 {
		t.Errorf("a member subscribed the group: %q", got)
	}
	if got := tb.say(group, owner, "/subscribe@newsalert_bot NATO").Raw; !strings.Contains(got, "NATO") {
		t.Errorf("owner subscribing: %q", got)
	}
	if got := tb.say(group, admin, "/subscribe Україна").Raw; !strings.Contains(got, "Україна") {
		t.Errorf("administrator subscribing: %q", got)
	}
	tb.silent(group, owner, "/help@other_bot")
	tb.silent(group, member, "/frobnicate")
	if got := tb.say(group, member, "/list").Text; !strings.Contains(got, "NATO") {
		t.Errorf("member /list: %q", got)
	}
	// A button of the list: members may not press it.
	list := tb.say(group, owner, "/list")
	data := *list.ReplyMarkup.InlineKeyboard[0][0].CallbackData
	if a := tb.press(group, member, list.MessageID, data); a.Text != tb.cat.Plain("en", i18n.MsgGroupAdminsOnly, nil) {
		t.Errorf("member pressing remove: %q", a.Text)
	}
	if got := tb.queries(group.ID); len(got) != 2 {
		t.Errorf("after a member's press: %q", got)
	}
}

func TestCommandsInChannel(t *testing.T) {
	tb := newTestBot(t, testBotOptions{Admins: []int64{3101}})
	editor := user(3101, "ru")
	channel := telegramtest.Chat{ID: -1000000005001, Type: telegramtest.ChatChannel, Title: "Новости"}
	tb.tg.AddBot(channel, editor)
	if got := tb.say(channel, editor, "/subscribe NATO").Raw; !strings.Contains(got, "NATO") {
		t.Errorf("/subscribe in a channel: %q", got)
	}
	if got := tb.queries(channel.ID); !slices.Equal(got, []string{"NATO"}) {
		t.Errorf("stored %q", got)
	}
	// A channel post has no sender: admin commands are refused, even to an
	// admin. The channel speaks the language of who added the bot.
	if got := tb.say(channel, editor, "/stats").Raw; got != tb.T("ru", i18n.MsgAdminOnly, nil) {
		t.Errorf("/stats in a channel: %q", got)
	}
}

func TestAdminCommandsCheckTheSender(t *testing.T) {
	tb := newTestBot(t, testBotOptions{Admins: []int64{777}})
	tb.admin.stats = map[string]any{"ChatsActive": 3, "ChatsBlocked": 0, "Subscriptions": 5, "FeedsHealthy": 2,
		"FeedsFailing": 0, "Sent24h": 10, "QueueDepth": 0, "OldestPending": "—", "RateLimited24h": 0}
	stranger := user(555, "en")
	for _, cmd := range []string{"/addfeed https://x.example/feed.xml", "/removefeed site-en", "/pausefeed site-en", "/resumefeed site-en", "/stats"} {
		if got := tb.say(telegramtest.PrivateChat(stranger), stranger, cmd).Raw; got != tb.T("en", i18n.MsgAdminOnly, nil) {
			t.Errorf("%s by a stranger: %q", cmd, got)
		}
	}
	if n := len(tb.admin.Sources()); n != 2 {
		t.Fatalf("a stranger changed the feeds: %d", n)
	}
	admin := user(777, "uk")
	chat := telegramtest.PrivateChat(admin)
	T := func(id string, data map[string]any) string { return tb.T("uk", id, data) }
	tests := []struct{ say, want string }{
		{"/addfeed", T(i18n.MsgAskAddFeed, nil)},
		{"/addfeed ftp://x.example/f", T(i18n.MsgFeedBadURL, map[string]any{"URL": "ftp://x.example/f"})},
		{"/addfeed https://x.example/f.xml de", T(i18n.MsgFeedBadLang, map[string]any{"Lang": "de"})},
		{"/addfeed https://x.example/f.xml uk extra", T(i18n.MsgFeedAdded, map[string]any{
			"ID": "extra", "Name": "extra", "Lang": tb.cat.LanguageName("uk", "uk")})},
		{"/addfeed https://y.example/f.xml en extra", T(i18n.MsgFeedExists, map[string]any{"ID": "extra"})},
		{"/pausefeed extra", T(i18n.MsgFeedPaused, map[string]any{"ID": "extra"})},
		{"/pausefeed extra", T(i18n.MsgFeedAlreadyPaused, map[string]any{"ID": "extra"})},
		{"/resumefeed extra", T(i18n.MsgFeedResumed, map[string]any{"ID": "extra"})},
		{"/resumefeed extra", T(i18n.MsgFeedNotPaused, map[string]any{"ID": "extra"})},
		{"/removefeed extra", T(i18n.MsgFeedRemoved, map[string]any{"ID": "extra"})},
		{"/removefeed extra", T(i18n.MsgFeedNotFound, map[string]any{"ID": "extra"})},
		{"/removefeed a b", T(i18n.MsgUsageRemoveFeed, nil)},
		{"/stats", T(i18n.MsgStats, tb.admin.stats)},
	}
	for _, tt := range tests {
		if got := tb.say(chat, admin, tt.say).Raw; got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.say, got, tt.want)
		}
	}
	if got := tb.say(chat, admin, "/help").Raw; !strings.Contains(got, tb.T("uk", i18n.MsgHelpAdmin, nil)) {
		t.Errorf("admin /help lacks the admin commands: %q", got)
	}
	if got := tb.say(telegramtest.PrivateChat(stranger), stranger, "/help").Raw; strings.Contains(got, tb.T("en", i18n.MsgHelpAdmin, nil)) {
		t.Errorf("a stranger's /help shows the admin commands")
	}
}

// A story published in two editions counts once in the /subscribe reply,
// as it is alerted once (issue 8).
func TestCommandSubscribeCountsAStoryOnce(t *testing.T) {
	srcs := []feeds.Source{
		{ID: "site-en", Name: "Site", Lang: "en", Edition: "site"},
		{ID: "site-uk", Name: "Сайт", Lang: "uk", Edition: "site"},
	}
	var store *feeds.Store // the bot's articles store, set once the bot is built
	tb := newTestBot(t, testBotOptions{Sources: srcs, Configure: func(c *Config) {
		c.StoryOf = func(ctx context.Context, id int64) (int64, error) { return store.StoryID(ctx, id) }
	}})
	store = tb.feeds
	tb.feeds.SetOutlets(srcs, []feeds.Outlet{{Name: "site", Langs: []string{"en", "uk"},
		Key: regexp.MustCompile(`^https://news\.example/site-[a-z]+/(\d+/\d+)$`)}})
	tb.addArticles("site-en", "en", "Sybiha meets Rutte in Brussels")
	tb.addArticles("site-uk", "uk", "Сибіга зустрівся з Рютте в Брюсселі")
	u := user(2010, "uk")
	chat := telegramtest.PrivateChat(u)
	if got, want := tb.say(chat, u, "/subscribe Sybiha").Raw, tb.N("uk", i18n.MsgSubscribed, 1, map[string]any{"Query": "Sybiha"}); !strings.HasPrefix(got, want) {
		t.Errorf("/subscribe Sybiha:\n got %q\nwant %q…", got, want)
	}
}
