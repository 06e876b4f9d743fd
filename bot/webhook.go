package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
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
	Now    func() time.Time // default time.Now

	lastOK atomic.Int64
}

func (w *Webhook) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// LastContact is when Telegram last delivered an update or answered Watch's
// getWebhookInfo.
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
	w.lastOK.Store(w.now().UnixNano())
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

// Watch asks Telegram for the webhook's state every interval until ctx ends.
// A quiet bot receives no update for hours; the answer shows Telegram is
// still reachable (LastContact), and Telegram's own last delivery error
// (our proxy down, a bad certificate) is logged once each time it changes.
func (w *Webhook) Watch(ctx context.Context, api *tgbotapi.BotAPI, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	var lastErr string
	for {
		info, err := api.GetWebhookInfo()
		var te *tgbotapi.Error
		switch {
		case err == nil:
			w.lastOK.Store(w.now().UnixNano())
			if info.LastErrorMessage != lastErr && info.LastErrorMessage != "" {
				w.Logger.Warn("telegram webhook: Telegram could not deliver updates to us",
					"err", info.LastErrorMessage, "pending", info.PendingUpdateCount, "at", time.Unix(int64(info.LastErrorDate), 0))
			}
			lastErr = info.LastErrorMessage
		case errors.As(err, &te):
			w.lastOK.Store(w.now().UnixNano()) // an API error is still an answer
		case ctx.Err() == nil:
			w.Logger.Warn("telegram webhook: getWebhookInfo failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
