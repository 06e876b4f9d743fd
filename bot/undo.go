package bot

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/subscriptions"
)

// Undo of an unsubscription (by number, by query or by ✖) and of /pause,
// and list numbers that stay put while a list message is on screen: after
// "/unsubscribe 2", the 5 the user sees is still number 5.

// numberedSub is a subscription with the number the chat sees.
type numberedSub struct {
	subscriptions.Subscription
	n int
}

// numbered numbers subs as the chat's list message on screen does: its
// subscriptions keep their numbers (gaps where some were removed), new ones
// follow. Without a list on screen, 1, 2, 3...
func (b *Bot) numbered(chatID int64, subs []subscriptions.Subscription) []numberedSub {
	c := b.conv
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.lists[chatID]
	if !ok || b.cfg.Now().Sub(v.at) > listWindow {
		v = listView{}
	}
	out := make([]numberedSub, 0, len(subs))
	for _, s := range subs {
		i := slices.Index(v.ids, subKey(s))
		if i < 0 {
			v.ids = append(v.ids, subKey(s))
			i = len(v.ids) - 1
		}
		out = append(out, numberedSub{s, i + 1})
	}
	slices.SortStableFunc(out, func(a, b numberedSub) int { return a.n - b.n })
	if v.msg != 0 {
		c.lists[chatID] = v
	}
	return out
}

// showList records msg as the chat's list on screen, numbered 1, 2, 3...
func (b *Bot) showList(chatID int64, msg int, subs []subscriptions.Subscription) {
	if msg == 0 {
		return
	}
	ids := make([]string, len(subs))
	for i, s := range subs {
		ids[i] = subKey(s)
	}
	c := b.conv
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lists[chatID] = listView{msg: msg, ids: ids, at: b.cfg.Now()}
	if len(c.lists) > maxState {
		prune(c.lists, func(v listView) time.Time { return v.at })
	}
}

// byNumber finds the subscription the chat sees as number n.
func (b *Bot) byNumber(chatID int64, n int, subs []subscriptions.Subscription) (subscriptions.Subscription, bool) {
	for _, s := range b.numbered(chatID, subs) {
		if s.n == n {
			return s.Subscription, true
		}
	}
	return subscriptions.Subscription{}, false
}

// removeSub unsubscribes s and keeps it for undo.
func (b *Bot) removeSub(ctx context.Context, chatID int64, s subscriptions.Subscription) error {
	if _, err := b.cfg.Subs.Unsubscribe(ctx, chatID, s.Query); err != nil {
		return err
	}
	b.keepForUndo(s)
	return nil
}

// keepForUndo keeps a removed subscription for its undo button.
func (b *Bot) keepForUndo(s subscriptions.Subscription) {
	c := b.conv
	c.mu.Lock()
	defer c.mu.Unlock()
	prune(c.undo, func(r removed) time.Time { return r.at })
	c.undo[subKey(s)] = removed{sub: s, at: b.cfg.Now()}
}

// subKey names a subscription in buttons and state: its query and its
// creation, not its row id, which SQLite gives again to the next new row
// once the last one is deleted. A restored subscription keeps its key.
func subKey(s subscriptions.Subscription) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%d", s.Normalized, s.Created.Unix())
	return strconv.FormatUint(h.Sum64(), 36)
}

// subByKey finds a subscription of the chat by its subKey.
func (b *Bot) subByKey(ctx context.Context, chatID int64, key string) (subscriptions.Subscription, bool, error) {
	subs, err := b.cfg.Subs.List(ctx, chatID)
	if err != nil {
		return subscriptions.Subscription{}, false, err
	}
	for _, s := range subs {
		if subKey(s) == key {
			return s, true, nil
		}
	}
	return subscriptions.Subscription{}, false, nil
}

func (b *Bot) undoButton(lang string, s subscriptions.Subscription, named bool) tgbotapi.InlineKeyboardButton {
	label := b.cfg.Catalog.Plain(lang, i18n.MsgButtonUndo, nil)
	if named {
		label = truncate(b.cfg.Catalog.Plain(lang, i18n.MsgButtonUndoNamed, map[string]any{"Query": s.Label()}), 60)
	}
	return tgbotapi.NewInlineKeyboardButtonData(label, "undo:"+subKey(s))
}

// undoByButton brings a removed subscription back in its old place.
func (b *Bot) undoByButton(ctx context.Context, r *request, arg string) string {
	c := b.conv
	c.mu.Lock()
	rm, ok := c.undo[arg]
	if ok && rm.sub.ChatID == r.chat.ID {
		delete(c.undo, arg)
	}
	c.mu.Unlock()
	cat := b.cfg.Catalog
	if !ok || rm.sub.ChatID != r.chat.ID || b.cfg.Now().Sub(rm.at) > undoWindow {
		b.refresh(ctx, r, r.msg.MessageID)
		return cat.Plain(r.lang, i18n.MsgUndoExpired, map[string]any{"Minutes": int(undoWindow / time.Minute)})
	}
	_, err := b.cfg.Subs.Restore(ctx, rm.sub)
	if err != nil && !errors.Is(err, subscriptions.ErrAlreadySubscribed) {
		b.log.Error("bot: undo unsubscribe", "chat", r.chat.ID, "err", err)
		if errors.Is(err, subscriptions.ErrTooManySubscriptions) {
			return cat.PlainN(r.lang, i18n.MsgTooManySubs, b.cfg.MaxPerChat, nil)
		}
		return cat.Plain(r.lang, i18n.MsgInternalError, nil)
	}
	// Restored with its creation time, it keeps its key, and so its number
	// on the list on screen.
	if list := b.listOnScreen(r.chat.ID); list == r.msg.MessageID {
		b.refresh(ctx, r, list)
	} else {
		b.edit(ctx, r, r.msg.MessageID, b.t(r, i18n.MsgUndoRestored, map[string]any{"Query": rm.sub.Label()}), nil)
		b.refresh(ctx, r, list)
	}
	return cat.Plain(r.lang, i18n.MsgCallbackRestored, map[string]any{"Query": rm.sub.Label()})
}

// listOnScreen is the message id of the chat's list message, or 0.
func (b *Bot) listOnScreen(chatID int64) int {
	b.conv.mu.Lock()
	defer b.conv.mu.Unlock()
	v, ok := b.conv.lists[chatID]
	if !ok || b.cfg.Now().Sub(v.at) > listWindow {
		return 0
	}
	return v.msg
}

// refresh rewrites the list message msg (if it is the one on screen) with
// the chat's subscriptions now, keeping its numbers.
func (b *Bot) refresh(ctx context.Context, r *request, msg int) {
	if msg == 0 || msg != b.listOnScreen(r.chat.ID) {
		return
	}
	if text, markup, err := b.listMessage(ctx, r.chat, r.lang); err == nil {
		b.edit(ctx, r, msg, text, markup)
	}
}

// pauseMarkup is the button under the pause confirmation that undoes it.
func (b *Bot) pauseMarkup(lang string) tgbotapi.InlineKeyboardMarkup {
	return tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(b.cfg.Catalog.Plain(lang, i18n.MsgButtonResumeNow, nil), "resume")))
}

// resumeByButton undoes /pause from its confirmation.
func (b *Bot) resumeByButton(ctx context.Context, r *request) string {
	if r.chat.Paused {
		if _, err := b.cfg.Subs.SetPaused(ctx, r.chat.ID, false); err != nil {
			b.log.Error("bot: resume", "chat", r.chat.ID, "err", err)
			return b.cfg.Catalog.Plain(r.lang, i18n.MsgInternalError, nil)
		}
		b.edit(ctx, r, r.msg.MessageID, b.t(r, i18n.MsgResumed, nil), nil)
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgButtonResumeNow, nil)
	}
	b.edit(ctx, r, r.msg.MessageID, b.t(r, i18n.MsgNotPaused, nil), nil)
	return b.cfg.Catalog.Plain(r.lang, i18n.MsgNotPaused, nil)
}
