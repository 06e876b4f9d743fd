package bot

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

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

// TestAdminReasons: admins read why a feed could not be added in their
// language, and never a file path.
func TestAdminReasons(t *testing.T) {
	tb := newTestBot(t, testBotOptions{NoRun: true})
	b := tb.bot
	for _, tt := range []struct{ reason, want string }{
		{"HTTP 404", "сайт відповів помилкою HTTP 404"},
		{"timed out", "сайт не відповів вчасно"},
		{"not a feed (html)", "за цією адресою не стрічка RSS, Atom чи JSON Feed"},
		{"DNS: no such host", "такого домену немає"},
		{"something new", "something new"},
	} {
		if got := b.fetchReason("uk", tt.reason); got != tt.want {
			t.Errorf("fetchReason(%q) = %q, want %q", tt.reason, got, tt.want)
		}
	}
	r := &request{lang: "ru"}
	if got := b.adminError(r, ErrNoConfigFile, "", "", "x"); !strings.Contains(got, "без файла конфигурации") {
		t.Errorf("no config file: %q", got)
	}
	if got := b.adminError(r, errors.New("config: read /home/me/config.yaml: is a directory"), "", "", "x"); strings.Contains(got, "/home/me") || !strings.Contains(got, "журнале") {
		t.Errorf("a path reached the admin: %q", got)
	}
	stats := b.humanStats("uk", map[string]any{"OldestPending": 90 * time.Second, "Idle": time.Duration(0), "Queue": 3})
	if stats["OldestPending"] != "1 хв 30 с" || stats["Idle"] != "—" || stats["Queue"] != 3 {
		t.Errorf("stats %v", stats)
	}
}
