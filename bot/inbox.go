package bot

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Inbox is where updates wait to be handled, whether they came by polling
// or by webhook. It handles them concurrently across chats and strictly in
// order within a chat, so one busy chat (six commands, a dry run over
// 20,000 articles, an /addfeed fetching a slow site) delays only itself.
//
// Every update is stored (one kv row each) before Telegram is told it was
// received: by the same transaction that moves the getUpdates offset, or
// before the webhook answers 200. Its row is deleted once it was handled. So
// the offset can run ahead of updates still being handled without losing
// any: after a crash, Run handles the stored rows first, in order, and only
// an update in the middle of its handling at the crash is handled twice.
type Inbox struct {
	cfg InboxConfig

	started chan struct{} // closed once Run replayed the stored updates
	ctx     context.Context

	mu      sync.Mutex
	lines   map[int64][]tgbotapi.Update // per chat: accepted, not yet handled, in order
	pending int                         // updates in lines and being handled
	stopped bool                        // Run is over: no more workers
	space   *sync.Cond                  // pending fell below MaxPending
	sem     chan struct{}               // handlers at once
	wg      sync.WaitGroup
}

// InboxConfig wires an Inbox.
type InboxConfig struct {
	DB     *sql.DB
	Handle func(ctx context.Context, u tgbotapi.Update)
	Logger *slog.Logger
	// MaxHandlers bounds updates handled at once (each of another chat);
	// default 64.
	MaxHandlers int
	// MaxPending bounds updates accepted and not yet handled; Accept waits
	// beyond it (the poll loop then polls later). Default 10,000.
	MaxPending int
}

// inboxKeyPrefix names the kv rows of stored updates; the id is zero-padded
// so that the rows sort in update order.
const inboxKeyPrefix = "telegram.inbox."

func inboxKey(id int) string { return fmt.Sprintf("%s%020d", inboxKeyPrefix, id) }

// NewInbox returns an inbox; call Run before Accept returns.
func NewInbox(cfg InboxConfig) *Inbox {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxHandlers <= 0 {
		cfg.MaxHandlers = 64
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = 10000
	}
	in := &Inbox{
		cfg:     cfg,
		started: make(chan struct{}),
		lines:   make(map[int64][]tgbotapi.Update),
		sem:     make(chan struct{}, cfg.MaxHandlers),
	}
	in.space = sync.NewCond(&in.mu)
	return in
}

// Run handles the updates stored by an earlier run, then those Accept
// brings, until ctx ends; it returns once no handler runs any more.
// Updates not handled by then stay stored for the next Run.
func (in *Inbox) Run(ctx context.Context) error {
	in.ctx = ctx
	stored, err := in.load(ctx)
	if err != nil {
		close(in.started)
		return err
	}
	if len(stored) > 0 {
		in.cfg.Logger.Info("telegram: handling updates received before the restart", "updates", len(stored))
	}
	in.dispatch(stored)
	close(in.started)
	<-ctx.Done()
	in.mu.Lock()
	in.stopped = true    // what Accept stores now waits for the next Run
	in.space.Broadcast() // an Accept waiting for space gives up
	in.mu.Unlock()
	in.wg.Wait()
	return nil
}

// Accept stores updates and queues them for handling; save, if not nil,
// runs in the same transaction (the poll loop moves its offset there). It
// returns once they are stored, not handled.
func (in *Inbox) Accept(ctx context.Context, ups []tgbotapi.Update, save func(*sql.Tx) error) error {
	select {
	case <-in.started:
	case <-ctx.Done():
		return ctx.Err()
	}
	in.mu.Lock()
	for in.pending >= in.cfg.MaxPending && ctx.Err() == nil && in.ctx.Err() == nil {
		in.space.Wait()
	}
	in.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	tx, err := in.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bot: store updates: %w", err)
	}
	defer tx.Rollback()
	for _, up := range ups {
		data, err := json.Marshal(up)
		if err != nil {
			return fmt.Errorf("bot: store update %d: %w", up.UpdateID, err)
		}
		// A webhook may deliver an update again: it stays stored once.
		if _, err := tx.ExecContext(ctx, `INSERT INTO kv(key, value) VALUES(?, ?) ON CONFLICT(key) DO NOTHING`,
			inboxKey(up.UpdateID), string(data)); err != nil {
			return fmt.Errorf("bot: store update %d: %w", up.UpdateID, err)
		}
	}
	if save != nil {
		if err := save(tx); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bot: store updates: %w", err)
	}
	in.dispatch(ups)
	return nil
}

// load reads the stored updates, oldest first.
func (in *Inbox) load(ctx context.Context) ([]tgbotapi.Update, error) {
	rows, err := in.cfg.DB.QueryContext(ctx, `SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key`,
		inboxKeyPrefix, inboxKeyPrefix+"~")
	if err != nil {
		return nil, fmt.Errorf("bot: load stored updates: %w", err)
	}
	defer rows.Close()
	var out []tgbotapi.Update
	for rows.Next() {
		var key, value string
		if err := rows.Scan(&key, &value); err != nil {
			return nil, fmt.Errorf("bot: load stored updates: %w", err)
		}
		var up tgbotapi.Update
		if err := json.Unmarshal([]byte(value), &up); err != nil {
			// Not ours to fix: log it and let it go, or it blocks nothing
			// but is retried forever.
			in.cfg.Logger.Error("bot: unreadable stored update; dropped", "key", key, "err", err)
			in.forget(key)
			continue
		}
		out = append(out, up)
	}
	return out, rows.Err()
}

// dispatch appends each update to its chat's line and starts a worker for
// a line that had none.
func (in *Inbox) dispatch(ups []tgbotapi.Update) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.stopped {
		return
	}
	for _, up := range ups {
		key := chatKey(up)
		line, busy := in.lines[key]
		in.lines[key] = append(line, up)
		in.pending++
		if !busy {
			in.wg.Add(1)
			go in.work(key)
		}
	}
}

// work handles one chat's updates in order until its line is empty.
func (in *Inbox) work(key int64) {
	defer in.wg.Done()
	for {
		in.mu.Lock()
		line := in.lines[key]
		if len(line) == 0 || in.ctx.Err() != nil {
			delete(in.lines, key) // stored rows of a stopped line wait for the next Run
			in.mu.Unlock()
			return
		}
		up := line[0]
		in.mu.Unlock()

		select {
		case in.sem <- struct{}{}:
		case <-in.ctx.Done():
			continue
		}
		in.cfg.Handle(in.ctx, up)
		<-in.sem
		if in.ctx.Err() != nil {
			// Cancelled while handling: it stays stored and is handled again
			// after the restart.
			continue
		}
		in.forget(inboxKey(up.UpdateID))

		in.mu.Lock()
		in.lines[key] = in.lines[key][1:]
		in.pending--
		in.space.Signal()
		in.mu.Unlock()
	}
}

// forget deletes a handled update's row.
func (in *Inbox) forget(key string) {
	if _, err := in.cfg.DB.ExecContext(context.WithoutCancel(in.ctx), `DELETE FROM kv WHERE key = ?`, key); err != nil {
		in.cfg.Logger.Error("bot: forget handled update; it may be handled again after a restart", "key", key, "err", err)
	}
}

// Pending is how many updates were accepted and not yet handled.
func (in *Inbox) Pending() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.pending
}

// chatKey is the chat an update belongs to; 0 for updates of no chat
// (inline queries and the like), which then share one line.
func chatKey(up tgbotapi.Update) int64 {
	switch {
	case up.Message != nil && up.Message.Chat != nil:
		return up.Message.Chat.ID
	case up.EditedMessage != nil && up.EditedMessage.Chat != nil:
		return up.EditedMessage.Chat.ID
	case up.ChannelPost != nil && up.ChannelPost.Chat != nil:
		return up.ChannelPost.Chat.ID
	case up.CallbackQuery != nil && up.CallbackQuery.Message != nil && up.CallbackQuery.Message.Chat != nil:
		return up.CallbackQuery.Message.Chat.ID
	case up.MyChatMember != nil:
		return up.MyChatMember.Chat.ID
	}
	return 0
}
