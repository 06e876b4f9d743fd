package main

import (
	"strings"
	"testing"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
)

// The /subscribe reply says how a query with operators was read, in the
// chat's language, and plain queries get no such line.
func TestSubscribeSaysHowQueryWasRead(t *testing.T) {
	h := newChatHarness(t)
	tests := []struct {
		lang, say, reading string
	}{
		{"uk", "/subscribe NATO, НАТО", "NATO або НАТО"},
		{"uk", "/subscribe Україна НЕ Росія", "Україна і не Росія"},
		{"ru", "/subscribe NATO или НАТО", "NATO или НАТО"},
		{"en", "/subscribe Zelensky or Зеленський", "Zelensky or Зеленський"},
		{"en", "/subscribe sanctions", ""},
	}
	for i, tt := range tests {
		u := telegramtest.User{ID: int64(3001 + i), FirstName: "U", LanguageCode: tt.lang}
		got := h.say(telegramtest.PrivateChat(u), u, tt.say).Raw
		line := h.cat.T(tt.lang, i18n.MsgQueryReading, map[string]any{"Reading": tt.reading})
		if tt.reading == "" {
			prefix, _, _ := strings.Cut(line, ":")
			if strings.Contains(got, prefix) {
				t.Errorf("%s: %q has a reading", tt.say, got)
			}
			continue
		}
		if !strings.Contains(got, "\n"+line) {
			t.Errorf("%s (%s):\n got %q\nwant a line %q", tt.say, tt.lang, got, line)
		}
	}
}
