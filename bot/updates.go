package bot

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// allowedUpdates are the update kinds the bot handles.
var allowedUpdates = []string{"message", "edited_message", "channel_post", "callback_query", "my_chat_member"}

// offsetKey is the kv row holding the next getUpdates offset.
const offsetKey = "telegram.update_offset"

// Updates is our own long-poll loop over getUpdates. Unlike the library's
// GetUpdatesChan, it confirms updates to Telegram (by advancing the stored
// offset) only in the transaction that stores them in the Inbox, so a crash
// loses no command; the Inbox handles them, concurrently across chats.
type Updates struct {
	API     *tgbotapi.BotAPI
	DB      *sql.DB
	Timeout time.Duration // long-poll timeout
	Handle  func(ctx context.Context, u tgbotapi.Update)
	Logger  *slog.Logger
	// Inbox, if set, is run by the caller; otherwise Run runs its own over
	// DB and Handle.
	Inbox *Inbox

	lastOK atomic.Int64 // unix nanos of the last answer from Telegram
}

// LastContact is when Telegram last answered getUpdates.
func (u *Updates) LastContact() time.Time {
	n := u.lastOK.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// Run polls until ctx ends.
func (u *Updates) Run(ctx context.Context) error {
	offset, err := u.loadOffset(ctx)
	if err != nil {
		return err
	}
	in := u.Inbox
	if in == nil {
		in = NewInbox(InboxConfig{DB: u.DB, Handle: u.Handle, Logger: u.Logger})
		ictx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- in.Run(ictx) }()
		defer func() { cancel(); <-done }()
	}
	backoff := time.Second
	for ctx.Err() == nil {
		cfg := tgbotapi.NewUpdate(offset)
		cfg.Limit = 100
		cfg.Timeout = int(u.Timeout / time.Second)
		cfg.AllowedUpdates = allowedUpdates
		updates, err := u.API.GetUpdates(cfg)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			var te *tgbotapi.Error
			if errors.As(err, &te) && te.Code == 409 {
				u.Logger.Error("telegram: another process is using this bot token (getUpdates conflict), or a webhook is set; retrying", "err", err)
			} else {
				u.Logger.Warn("telegram: getUpdates failed", "err", err, "retry_in", backoff)
			}
			if !sleep(ctx, backoff) {
				break
			}
			backoff = min(backoff*2, time.Minute)
			continue
		}
		backoff = time.Second
		u.lastOK.Store(time.Now().UnixNano())
		var fresh []tgbotapi.Update
		next := offset
		for _, up := range updates {
			if up.UpdateID >= next {
				fresh = append(fresh, up)
				next = up.UpdateID + 1
			}
		}
		if len(fresh) == 0 {
			continue
		}
		// Stored with the new offset in one transaction: confirmed to
		// Telegram (by the next getUpdates) only once kept.
		err = in.Accept(ctx, fresh, func(tx *sql.Tx) error { return saveOffset(ctx, tx, next) })
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			u.Logger.Error("telegram: storing updates; polling them again", "err", err, "retry_in", backoff)
			if !sleep(ctx, backoff) {
				break
			}
			continue
		}
		offset = next
	}
	return nil
}

func (u *Updates) loadOffset(ctx context.Context) (int, error) {
	var v string
	err := u.DB.QueryRowContext(ctx, `SELECT value FROM kv WHERE key = ?`, offsetKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("bot: load update offset: %w", err)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("bot: stored update offset %q: %w", v, err)
	}
	return n, nil
}

func saveOffset(ctx context.Context, tx *sql.Tx, offset int) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO kv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		offsetKey, strconv.Itoa(offset))
	if err != nil {
		return fmt.Errorf("bot: save update offset: %w", err)
	}
	return nil
}

// sleep waits d or until ctx ends; it reports whether ctx is still alive.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
