package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/config"
)

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// In webhook mode Telegram posts updates to us: the bot registers the
// webhook with its secret, refuses requests without it, and answers the
// others like in polling mode. Back in polling mode the webhook is deleted.
func TestWebhookMode(t *testing.T) {
	t.Parallel()
	tg := newFake(t)
	fs := newFeedServer(t)
	cfg := testConfig(t, tg, fs, configFeed("site-en", "/en", "en"))
	addr := freeAddr(t)
	cfg.Telegram.Webhook = config.Webhook{Listen: addr, PublicURL: "https://bot.example.org/telegram/hook", SecretToken: "s3cret"}
	m := startMain(t, cfg)

	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && tg.Webhook().URL == "" {
		time.Sleep(20 * time.Millisecond)
	}
	if wh := tg.Webhook(); wh.URL != cfg.Telegram.Webhook.PublicURL {
		t.Fatalf("webhook not registered: %+v", wh)
	}
	post := func(secret string, id int) int {
		body := fmt.Sprintf(`{"update_id": %d, "message": {"message_id": %d, "date": %d, "text": "/help",
			"entities": [{"type": "bot_command", "offset": 0, "length": 5}],
			"from": {"id": 42, "is_bot": false, "first_name": "A", "language_code": "en"},
			"chat": {"id": 42, "type": "private", "first_name": "A"}}}`, id, id, time.Now().Unix())
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/telegram/hook", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set(bot.SecretHeader, secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	tg.AddChat(telegramtest.PrivateChat(telegramtest.User{ID: 42, FirstName: "A"}))
	if code := post("", 1); code != http.StatusForbidden {
		t.Errorf("without the secret: %d", code)
	}
	if code := post("wrong", 2); code != http.StatusForbidden {
		t.Errorf("with a wrong secret: %d", code)
	}
	if len(tg.Sent(42)) != 0 {
		t.Errorf("a request without the secret was handled")
	}
	if code := post("s3cret", 3); code != http.StatusOK {
		t.Errorf("with the secret: %d", code)
	}
	if got, ok := tg.WaitSent(42, 1, 10*time.Second); !ok || !strings.Contains(got[0].Text, "/subscribe") {
		t.Errorf("no /help reply: %+v", got)
	}
	if m.telegramSeen().IsZero() {
		t.Error("health does not see the webhook's traffic")
	}
}

func TestPollingDeletesTheWebhook(t *testing.T) {
	t.Parallel()
	tg := newFake(t)
	fs := newFeedServer(t)
	api, err := bot.NewAPI(t.Context(), bot.APIConfig{Token: tg.Token(), APIURL: tg.URL(), PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := bot.SetWebhook(api, "https://bot.example.org/hook", "s"); err != nil {
		t.Fatal(err)
	}
	startMain(t, testConfig(t, tg, fs, configFeed("site-en", "/en", "en")))
	u := telegramtest.User{ID: 43, FirstName: "B", LanguageCode: "en"}
	tg.SendText(telegramtest.PrivateChat(u), u, "/start")
	if _, ok := tg.WaitSent(u.ID, 1, 10*time.Second); !ok {
		t.Fatal("polling bot did not answer")
	}
	if wh := tg.Webhook(); wh.URL != "" {
		t.Errorf("webhook still set: %+v", wh)
	}
}

// A worker that stops ends the run with its error, for the process to exit
// non-zero and be restarted: here Telegram refuses the webhook at start.
func TestFailedSetWebhookEndsRun(t *testing.T) {
	tg := telegramtest.New(t, telegramtest.Options{BotUsername: "newsalert_bot"})
	fs := newFeedServer(t)
	cfg := testConfig(t, tg, fs, configFeed("site-en", "/en", "en"))
	// Telegram only posts to ports 80, 88, 443 and 8443.
	cfg.Telegram.Webhook = config.Webhook{Listen: freeAddr(t), PublicURL: "https://bot.example.org:9999/hook"}
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer m.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.OpenBot(ctx); err != nil {
		t.Fatal(err)
	}
	err := m.Run(ctx)
	if err == nil || ctx.Err() != nil || !strings.Contains(err.Error(), "setWebhook") {
		t.Fatalf("Run = %v (ctx %v), want the setWebhook error before the deadline", err, ctx.Err())
	}
	if h := m.Metrics.Check(t.Context()); h.OK() || !strings.Contains(strings.Join(h.Reasons, " "), "updates") {
		t.Errorf("healthz after a worker stopped: %+v", h)
	}
	var stderr strings.Builder
	if code := exitCode(err, &stderr); code == 0 {
		t.Errorf("exit code 0 for %v", err)
	}
}

// A quiet webhook bot receives no update for hours: /healthz stays healthy
// while Telegram answers the bot's getWebhookInfo probe.
func TestQuietWebhookStaysHealthy(t *testing.T) {
	tg := telegramtest.New(t, telegramtest.Options{BotUsername: "newsalert_bot"})
	fs := newFeedServer(t)
	cfg := testConfig(t, tg, fs, configFeed("site-en", "/en", "en"))
	cfg.Telegram.Webhook = config.Webhook{Listen: freeAddr(t), PublicURL: "https://bot.example.org/hook"}
	var offset atomic.Int64 // how far the bot's clock is ahead
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	m.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	m.WebhookProbe = 20 * time.Millisecond
	runMain(t, m)
	waitUntil(t, "webhook registered", func() bool { return tg.Webhook().URL != "" })
	offset.Store(int64(3 * time.Hour)) // three quiet hours later
	waitUntil(t, "healthy after 3 quiet hours", func() bool {
		h := m.Metrics.Check(t.Context())
		for _, r := range h.Reasons {
			if strings.HasPrefix(r, "telegram") {
				return false
			}
		}
		return true
	})
}
