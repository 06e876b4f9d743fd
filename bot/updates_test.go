package bot

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/store"
)

// An update is confirmed to Telegram only once handled: a bot stopped in the
// middle of one handles it again after the restart, and never one twice.
func TestUpdatesOffsetSurvivesRestart(t *testing.T) {
	tg := telegramtest.New(t, telegramtest.Options{})
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "u.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u := telegramtest.User{ID: 11, FirstName: "A"}
	for _, text := range []string{"one", "two", "three"} {
		tg.SendText(telegramtest.PrivateChat(u), u, text)
	}

	var mu sync.Mutex
	var handled []string
	run := func(stopAt string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		api, err := NewAPI(ctx, APIConfig{Token: tg.Token(), APIURL: tg.URL(), PollTimeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		up := &Updates{API: api, DB: db, Timeout: time.Second, Logger: slog.New(slog.DiscardHandler),
			Handle: func(_ context.Context, up tgbotapi.Update) {
				mu.Lock()
				handled = append(handled, up.Message.Text)
				mu.Unlock()
				if up.Message.Text == stopAt {
					cancel() // "crash" while handling this one
				}
			}}
		go func() { up.Run(ctx); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("loop did not stop")
		}
	}
	run("two")
	run("three")
	want := "one two two three"
	if got := strings.Join(handled, " "); got != want {
		t.Errorf("handled %q, want %q", got, want)
	}
}

func TestUpdatesSaysWhenAnotherInstancePolls(t *testing.T) {
	tg := telegramtest.New(t, telegramtest.Options{})
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "u.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	api, err := NewAPI(ctx, APIConfig{Token: tg.Token(), APIURL: tg.URL(), PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := SetWebhook(api, "https://bot.example.org/hook", "s"); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	var mu sync.Mutex
	up := &Updates{API: api, DB: db, Timeout: time.Second, Handle: func(context.Context, tgbotapi.Update) {},
		Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, nil))}
	up.Run(ctx)
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logs.String(), "another process is using this bot token") {
		t.Errorf("409 not reported clearly:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), tg.Token()) {
		t.Errorf("token in the log:\n%s", logs.String())
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
