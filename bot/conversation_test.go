package bot

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
)

// TestUndoExpires: an undo button works for undoWindow, then says it is
// too late and leaves the subscription removed.
func TestUndoExpires(t *testing.T) {
	tb := newTestBot(t, testBotOptions{})
	u := telegramtest.User{ID: 7001, FirstName: "Оля", LanguageCode: "uk"}
	chat := telegramtest.PrivateChat(u)
	tb.say(chat, u, "/subscribe НАТО")
	tb.say(chat, u, "/subscribe Київ")
	first := tb.say(chat, u, "/unsubscribe 1")
	second := tb.say(chat, u, "/unsubscribe Київ")
	tb.clock.Add(undoWindow - 1)
	if a := tb.press(chat, u, second.MessageID, *second.ReplyMarkup.InlineKeyboard[0][0].CallbackData); !strings.Contains(a.Text, "Київ") {
		t.Errorf("undo within the window: %q", a.Text)
	}
	tb.clock.Add(2)
	a := tb.press(chat, u, first.MessageID, *first.ReplyMarkup.InlineKeyboard[0][0].CallbackData)
	if want := tb.cat.Plain("uk", i18n.MsgUndoExpired, map[string]any{"Minutes": 15}); a.Text != want {
		t.Errorf("late undo: %q, want %q", a.Text, want)
	}
	if got := tb.queries(u.ID); !slices.Equal(got, []string{"Київ"}) {
		t.Errorf("subscriptions %v", got)
	}
}

// TestQuestionExpires: an unanswered question is forgotten after
// askWindow; the text is then an offer.
func TestQuestionExpires(t *testing.T) {
	tb := newTestBot(t, testBotOptions{})
	u := telegramtest.User{ID: 7002, FirstName: "Іван", LanguageCode: "ru"}
	chat := telegramtest.PrivateChat(u)
	tb.say(chat, u, "/subscribe")
	tb.clock.Add(askWindow + 1)
	if got := tb.say(chat, u, "Харьков"); got.Raw != tb.T("ru", i18n.MsgOffer, map[string]any{"Query": "Харьков"}) {
		t.Errorf("after the window: %q", got.Raw)
	}
	if got := tb.queries(u.ID); len(got) != 0 {
		t.Errorf("subscribed: %v", got)
	}
}
