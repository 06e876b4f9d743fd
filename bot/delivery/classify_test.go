package delivery

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestClassify(t *testing.T) {
	apiErr := func(code int, msg string, p tgbotapi.ResponseParameters) error {
		return &tgbotapi.Error{Code: code, Message: msg, ResponseParameters: p}
	}
	var syntax error = &json.SyntaxError{}
	tests := []struct {
		name string
		err  error
		want verdict
	}{
		{"ok", nil, verdict{outcome: sent}},
		{"429", apiErr(429, "Too Many Requests: retry after 7", tgbotapi.ResponseParameters{RetryAfter: 7}),
			verdict{outcome: rateLimited, retryAfter: 7 * time.Second}},
		{"429 without parameters", apiErr(429, "Too Many Requests: retry after 3", tgbotapi.ResponseParameters{}),
			verdict{outcome: rateLimited, retryAfter: 3 * time.Second}},
		{"429 unreadable", apiErr(429, "Too Many Requests", tgbotapi.ResponseParameters{}),
			verdict{outcome: rateLimited, retryAfter: time.Second}},
		{"500", apiErr(500, "Internal Server Error", tgbotapi.ResponseParameters{}), verdict{outcome: retryLater}},
		{"502 html page", fmt.Errorf("wrapped: %w", syntax), verdict{outcome: retryLater}},
		{"network", &url.Error{Op: "Post", URL: "https://api.telegram.org/bot123:SECRET/sendMessage", Err: errors.New("connection reset")},
			verdict{outcome: retryLater}},
		{"blocked", apiErr(403, "Forbidden: bot was blocked by the user", tgbotapi.ResponseParameters{}), verdict{outcome: inactive}},
		{"kicked", apiErr(403, "Forbidden: bot was kicked from the group chat", tgbotapi.ResponseParameters{}), verdict{outcome: inactive}},
		{"deactivated", apiErr(403, "Forbidden: user is deactivated", tgbotapi.ResponseParameters{}), verdict{outcome: inactive}},
		{"chat not found", apiErr(400, "Bad Request: chat not found", tgbotapi.ResponseParameters{}), verdict{outcome: inactive}},
		{"migrated", apiErr(400, "Bad Request: group chat was upgraded to a supergroup chat", tgbotapi.ResponseParameters{MigrateToChatID: -100777}),
			verdict{outcome: migrated, migrateTo: -100777}},
		{"entities", apiErr(400, "Bad Request: can't parse entities: Unsupported start tag \"x\"", tgbotapi.ResponseParameters{}),
			verdict{outcome: badEntities}},
		{"too long", apiErr(400, "Bad Request: message is too long", tgbotapi.ResponseParameters{}), verdict{outcome: tooLong}},
		{"not modified", apiErr(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
			tgbotapi.ResponseParameters{}), verdict{outcome: sent}},
		{"other 400", apiErr(400, "Bad Request: message text is empty", tgbotapi.ResponseParameters{}), verdict{outcome: rejected}},
		{"401", apiErr(401, "Unauthorized", tgbotapi.ResponseParameters{}), verdict{outcome: retryLater}},
		{"value error", tgbotapi.Error{Code: 403, Message: "Forbidden: bot was blocked by the user"}, verdict{outcome: inactive}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err)
			if got.outcome != tt.want.outcome || got.retryAfter != tt.want.retryAfter || got.migrateTo != tt.want.migrateTo {
				t.Errorf("classify = %+v, want %+v", got, tt.want)
			}
			if strings.Contains(got.reason, "SECRET") {
				t.Errorf("reason %q leaks the token", got.reason)
			}
		})
	}
}

func TestPlainTextAndCut(t *testing.T) {
	tests := map[string]string{
		`<b>NATO</b> &amp; EU: a &lt; b`:                                    "NATO & EU: a < b",
		`<a href="https://x.test/a?b=1&amp;c=2">Read</a>`:                   "Read (https://x.test/a?b=1&c=2)",
		`<a href="https://x.test/">https://x.test/</a>`:                     "https://x.test/",
		"<blockquote expandable>Київ\nнапад</blockquote>":                   "Київ\nнапад",
		`<pre><code class="language-go">x := 1</code></pre>`:                "x := 1",
		`<tg-spoiler>secret</tg-spoiler> <span class="tg-spoiler">s</span>`: "secret s",
	}
	for in, want := range tests {
		if got := plainText(in); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cut("Привіт", 3); got != "При" {
		t.Errorf("cut = %q", got)
	}
	if got := cut("ab", 5); got != "ab" {
		t.Errorf("cut = %q", got)
	}
}

func FuzzPlainText(f *testing.F) {
	f.Add(`<b>x</b> &amp; <a href="https://e.test">y</a>`)
	f.Add("<a href=\"\xff\">\x00</b>")
	f.Add(strings.Repeat("я", 5000))
	f.Fuzz(func(t *testing.T, s string) {
		p := plainText(s)
		c := cut(p, MaxText)
		if utf8.RuneCountInString(c) > MaxText {
			t.Fatalf("cut left %d characters", utf8.RuneCountInString(c))
		}
		if utf8.ValidString(p) && !utf8.ValidString(c) {
			t.Fatalf("cut broke UTF-8")
		}
	})
}
