package bot

import (
	"strings"
	"testing"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
)

// TestDigestCommands: /digest, /quiet and /pause with arguments, in the
// three languages, with the mistakes a newcomer makes.
func TestDigestCommands(t *testing.T) {
	tb := newTestBot(t, testBotOptions{})
	for _, lang := range []string{"en", "uk", "ru"} {
		u := telegramtest.User{ID: map[string]int64{"en": 8001, "uk": 8002, "ru": 8003}[lang], FirstName: "U", LanguageCode: lang}
		chat := telegramtest.PrivateChat(u)
		T := func(id string, data map[string]any) string { return tb.T(lang, id, data) }
		P := func(id string, data map[string]any) string { return tb.cat.Plain(lang, id, data) }
		daily := P(i18n.MsgScheduleDaily, map[string]any{"Time": "07:30"})
		for _, tt := range []struct{ say, want string }{
			{"/digest", T(i18n.MsgDigestNone, nil)},
			{"/digest sometimes", T(i18n.MsgDigestBad, map[string]any{"Arg": "sometimes"})},
			{"/digest daily 25:00", T(i18n.MsgDigestBad, map[string]any{"Arg": "daily 25:00"})},
			{"/digest daily 7:30", ""}, // checked below: says the next one
			{"/digest", T(i18n.MsgDigestCurrent, map[string]any{"Schedule": daily, "Zone": "UTC"})},
			{"/digest weekly пн 9:00", ""},
			{"/digest off", T(i18n.MsgDigestOff, nil)},
			{"/quiet", T(i18n.MsgQuietNone, nil)},
			{"/quiet 23:00", T(i18n.MsgQuietBad, map[string]any{"Arg": "23:00"})},
			{"/quiet 23-7 hold", T(i18n.MsgQuietSet, map[string]any{"From": "23:00", "To": "07:00", "Mode": P(i18n.MsgQuietHold, nil), "Zone": "UTC"})},
			{"/quiet", T(i18n.MsgQuietCurrent, map[string]any{"From": "23:00", "To": "07:00", "Mode": P(i18n.MsgQuietHold, nil)})},
			{"/quiet off", T(i18n.MsgQuietOff, nil)},
			{"/pause 1x", T(i18n.MsgPauseBad, map[string]any{"Arg": "1x"})},
			{"/pause 999d", T(i18n.MsgPauseBad, map[string]any{"Arg": "999d"})},
			{"/subscribe NATO", ""},
			{"/digest 1 daily 19:00", T(i18n.MsgDigestSubSet, map[string]any{"Query": "NATO", "Schedule": P(i18n.MsgScheduleDaily, map[string]any{"Time": "19:00"})})},
			{"/digest 5 daily 19:00", T(i18n.MsgUnsubscribeBadNum, map[string]any{"Number": 5})},
			{"/digest 1 off", T(i18n.MsgDigestSubOff, map[string]any{"Query": "NATO"})},
		} {
			got := tb.say(chat, u, tt.say)
			if tt.want != "" && got.Raw != tt.want {
				t.Errorf("%s %s:\n got %q\nwant %q", lang, tt.say, got.Raw, tt.want)
			}
			if tt.say == "/digest daily 7:30" && !strings.Contains(got.Text, daily) {
				t.Errorf("%s: %q", lang, got.Text)
			}
			if tt.say == "/digest weekly пн 9:00" && !strings.Contains(got.Text, tb.cat.Weekday(lang, 1)) {
				t.Errorf("%s: %q", lang, got.Text)
			}
		}
		if got := tb.say(chat, u, "/pause 90m"); !strings.Contains(got.Raw, T(i18n.MsgPauseNote, nil)) {
			t.Errorf("%s /pause 90m: %q", lang, got.Raw)
		}
		tb.say(chat, u, "/resume")
	}
	for _, lang := range []string{"en", "uk", "ru"} {
		found := false
		for _, e := range tb.cat.Menu(lang, false) {
			found = found || e.Command == "digest" && e.Description != ""
		}
		if !found {
			t.Errorf("%s menu lacks /digest", lang)
		}
	}
}

// TestShowThemAndModeSwitch: the /subscribe reply's "Show them" sends the
// week's matches as one digest; its switch puts the subscription in a
// daily digest, which /list shows.
func TestShowThemAndModeSwitch(t *testing.T) {
	tb := newTestBot(t, testBotOptions{})
	tb.addArticles("site-en", "en", "NATO summit opens", "NATO ministers meet", "Weather is fine")
	u := telegramtest.User{ID: 8101, FirstName: "U", LanguageCode: "en"}
	chat := telegramtest.PrivateChat(u)
	reply := tb.say(chat, u, "/subscribe NATO")
	if !strings.Contains(reply.Text, "2 articles") {
		t.Fatalf("/subscribe: %q", reply.Text)
	}
	var show, mode string
	for _, b := range reply.Buttons() {
		switch {
		case strings.HasPrefix(*b.CallbackData, "show:"):
			show = *b.CallbackData
		case strings.HasPrefix(*b.CallbackData, "mode:"):
			mode = *b.CallbackData
		}
	}
	if show == "" || mode == "" {
		t.Fatalf("buttons: %+v", reply.Buttons())
	}
	n := len(tb.tg.Sent(u.ID))
	tb.press(chat, u, reply.MessageID, show)
	got, ok := tb.tg.WaitSent(u.ID, n+1, 10e9)
	if !ok || !strings.HasPrefix(got[n].Text, "The last few days: 2 articles on 1 topic") ||
		!strings.Contains(got[n].Text, "1. NATO") || strings.Contains(got[n].Text, "Weather") {
		t.Fatalf("Show them: %+v", got[n:])
	}
	if a := tb.press(chat, u, reply.MessageID, mode); !strings.Contains(a.Text, "digest every day at 08:00") {
		t.Errorf("switch answer: %q", a.Text)
	}
	if m, _ := tb.tg.Message(u.ID, reply.MessageID); !strings.Contains(m.ReplyMarkup.InlineKeyboard[0][0].Text, "● daily digest") {
		t.Errorf("switch not flipped: %+v", m.ReplyMarkup)
	}
	if l := tb.say(chat, u, "/list"); !strings.Contains(l.Text, "NATO — digest every day at 08:00") {
		t.Errorf("/list: %q", l.Text)
	}
}
