package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// SecretHeader is the header Telegram sends the webhook's secret_token in.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdateSize bounds a webhook request body; updates are small.
const maxUpdateSize = 1 << 20

// Webhook receives updates pushed by Telegram and hands them to the same
// handler as the polling loop. Requests without the secret are refused.
type Webhook struct {
	Secret string
	// Inbox, if set, takes the updates: each is stored before the answer
	// and handled after it, concurrently across chats. Without one, Handle
	// handles it before the answer.
	Inbox  *Inbox
	Handle func(ctx context.Context, u tgbotapi.Update)
	Logger *slog.Logger

	lastOK atomic.Int64
}

// LastContact is when Telegram last delivered an update.
func (w *Webhook) LastContact() time.Time {
	if n := w.lastOK.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

func (w *Webhook) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	got := r.Header.Get(SecretHeader)
	if w.Secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(w.Secret)) != 1 {
		w.Logger.Warn("telegram webhook: request without the secret token", "remote", r.RemoteAddr)
		http.Error(rw, "forbidden", http.StatusForbidden)
		return
	}
	var up tgbotapi.Update
	dec := json.NewDecoder(io.LimitReader(r.Body, maxUpdateSize))
	if err := dec.Decode(&up); err != nil {
		http.Error(rw, "bad update", http.StatusBadRequest)
		return
	}
	w.lastOK.Store(time.Now().UnixNano())
	// Stored (or handled) before answering: if we crash first, Telegram
	// delivers it again.
	if w.Inbox != nil {
		if err := w.Inbox.Accept(r.Context(), []tgbotapi.Update{up}, nil); err != nil {
			w.Logger.Error("telegram webhook: storing an update; Telegram will send it again", "update", up.UpdateID, "err", err)
			http.Error(rw, "try again", http.StatusServiceUnavailable)
			return
		}
	} else {
		w.Handle(r.Context(), up)
	}
	rw.WriteHeader(http.StatusOK)
}

// SetWebhook registers url with Telegram, with the secret it must send back.
// The library lacks secret_token, so the call is made by hand.
func SetWebhook(api *tgbotapi.BotAPI, url, secret string) error {
	p := tgbotapi.Params{"url": url, "secret_token": secret}
	if err := p.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return err
	}
	if _, err := api.MakeRequest("setWebhook", p); err != nil {
		return fmt.Errorf("bot: setWebhook: %w", err)
	}
	return nil
}

// DeleteWebhook makes Telegram stop pushing updates, so getUpdates works;
// pending updates are kept.
func DeleteWebhook(api *tgbotapi.BotAPI) error {
	if _, err := api.MakeRequest("deleteWebhook", tgbotapi.Params{}); err != nil {
		return fmt.Errorf("bot: deleteWebhook: %w", err)
	}
	return nil
}
