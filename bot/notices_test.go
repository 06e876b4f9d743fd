package bot

import (
	"context"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/subscriptions"
)

// Feed failure notices reach every admin, each in the language of their
// chat with the bot (the default for one who never wrote).
func TestNotifyAdminsInTheirLanguage(t *testing.T) {
	tb := newTestBot(t, testBotOptions{Admins: []int64{501, 502}, NoRun: true})
	for _, id := range []int64{501, 502} {
		tb.tg.AddChat(telegramtest.PrivateChat(telegramtest.User{ID: id, FirstName: "Admin"}))
	}
	if _, err := tb.subs.UpsertChat(context.Background(), 501, subscriptions.Private, "uk"); err != nil {
		t.Fatal(err)
	}
	data := map[string]any{"ID": "site-en", "Name": "Site EN", "Error": "HTTP 500"}
	tb.bot.NotifyAdmins(context.Background(), []int64{501, 502}, i18n.MsgNoticeFeedFailing, 5, data)
	for id, lang := range map[int64]string{501: "uk", 502: "en"} {
		got, ok := tb.tg.WaitSent(id, 1, 10*time.Second)
		if !ok {
			t.Fatalf("admin %d: no notice", id)
		}
		if want := tb.N(lang, i18n.MsgNoticeFeedFailing, 5, data); got[0].Raw != want {
			t.Errorf("admin %d: %q, want %q", id, got[0].Raw, want)
		}
	}
}
