package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/store"
)

func TestWebhookNeedsTheSecret(t *testing.T) {
	var mu sync.Mutex
	var got []int
	w := &Webhook{Secret: "s3cret", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Handle: func(_ context.Context, u tgbotapi.Update) {
			mu.Lock()
			got = append(got, u.UpdateID)
			mu.Unlock()
		}}
	srv := httptest.NewServer(w)
	defer srv.Close()
	post := func(secret, body string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		if secret != "" {
			req.Header.Set(SecretHeader, secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	update := `{"update_id": 7, "message": {"message_id": 1, "date": 1, "chat": {"id": 5, "type": "private"}, "text": "hi"}}`
	for _, tc := range []struct {
		secret, body string
		want         int
	}{
		{"", update, http.StatusForbidden},
		{"wrong", update, http.StatusForbidden},
		{"s3cret", "{not json", http.StatusBadRequest},
		{"s3cret", update, http.StatusOK},
	} {
		if code := post(tc.secret, tc.body); code != tc.want {
			t.Errorf("secret %q body %.10q: %d, want %d", tc.secret, tc.body, code, tc.want)
		}
	}
	if len(got) != 1 || got[0] != 7 {
		t.Errorf("handled %v, want [7]", got)
	}
	if w.LastContact().IsZero() {
		t.Error("LastContact not set")
	}
}

func TestSetAndDeleteWebhook(t *testing.T) {
	tg := telegramtest.New(t, telegramtest.Options{})
	api, err := NewAPI(context.Background(), APIConfig{Token: tg.Token(), APIURL: tg.URL(), PollTimeout: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := SetWebhook(api, "https://bot.example.org/hook", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if wh := tg.Webhook(); wh.URL != "https://bot.example.org/hook" {
		t.Errorf("webhook = %+v", wh)
	}
	if err := DeleteWebhook(api); err != nil {
		t.Fatal(err)
	}
	if wh := tg.Webhook(); wh.URL != "" {
		t.Errorf("webhook still set: %+v", wh)
	}
	if n := len(tg.UnknownParams()); n != 0 {
		t.Errorf("parameters the Bot API does not define: %v", tg.UnknownParams())
	}
}

func TestTokenNeverInErrors(t *testing.T) {
	tg := telegramtest.New(t, telegramtest.Options{})
	tg.Close() // every request now fails with a network error naming the URL
	_, err := NewAPI(context.Background(), APIConfig{Token: tg.Token(), APIURL: tg.URL(), PollTimeout: 1})
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), tg.Token()) || strings.Contains(err.Error(), "AAtelegramtest") {
		t.Errorf("token in error: %v", err)
	}
	if !strings.Contains(err.Error(), "<token>") {
		t.Errorf("error does not show where the token was: %v", err)
	}
}

// With an Inbox, the webhook answers once the update is stored, and a chat
// whose update is still being handled does not hold up another chat.
func TestWebhookHandlesChatsConcurrently(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	release := make(chan struct{})
	handled := make(chan int, 10)
	in := NewInbox(InboxConfig{DB: db, Logger: slog.New(slog.DiscardHandler), Handle: func(_ context.Context, u tgbotapi.Update) {
		if u.Message.Chat.ID == 5 {
			<-release
		}
		handled <- u.UpdateID
	}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx) }()
	defer func() { cancel(); <-done }()
	w := &Webhook{Secret: "s", Inbox: in, Logger: slog.New(slog.DiscardHandler)}
	srv := httptest.NewServer(w)
	defer srv.Close()
	post := func(id, chat int) {
		body := fmt.Sprintf(`{"update_id": %d, "message": {"message_id": %d, "date": 1, "chat": {"id": %d, "type": "private"}, "text": "hi"}}`, id, id, chat)
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set(SecretHeader, "s")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("update %d: %d", id, resp.StatusCode)
		}
	}
	post(1, 5) // blocks in its handler: the answer must not wait for it
	post(2, 5)
	post(3, 6)
	if got := <-handled; got != 3 {
		t.Fatalf("handled %d first, want 3 (the other chat)", got)
	}
	close(release)
	if a, b := <-handled, <-handled; a != 1 || b != 2 {
		t.Errorf("chat 5 handled %d, %d; want 1, 2 in order", a, b)
	}
	waitUntil(t, func() bool { return in.Pending() == 0 })
	var stored int
	db.QueryRow(`SELECT count(*) FROM kv WHERE key LIKE 'telegram.inbox.%'`).Scan(&stored)
	if stored != 0 {
		t.Errorf("%d handled updates still stored", stored)
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
