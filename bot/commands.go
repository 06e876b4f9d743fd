package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/subscriptions"
)

// dryRunWindow is how far back /subscribe looks to say how many stored
// articles a new subscription would have matched.
const dryRunWindow = 7 * 24 * time.Hour

// command runs one command of a chat.
func (b *Bot) command(ctx context.Context, r *request, name, arg string) {
	switch name {
	case "start":
		if r.chat.Type == subscriptions.Private {
			b.reply(ctx, r, b.t(r, i18n.MsgStart, nil), nil)
		} else {
			b.reply(ctx, r, b.t(r, i18n.MsgStartGroup, nil), nil)
		}
	case "help":
		text := b.t(r, i18n.MsgHelp, nil) + "\n\n" + b.t(r, i18n.MsgHelpDigests, nil)
		if b.cfg.IsAdmin(r.from) {
			text += "\n\n" + b.t(r, i18n.MsgHelpAdmin, nil)
		}
		b.reply(ctx, r, text, nil)
	case "feeds":
		b.feeds(ctx, r)
	case "subscribe", "unsubscribe", "language", "newslang", "timezone", "pause", "resume", "digest", "quiet":
		if !b.mayChange(ctx, r) {
			b.reply(ctx, r, b.t(r, i18n.MsgGroupAdminsOnly, nil), nil)
			return
		}
		b.chatCommand(ctx, r, name, arg)
	case "list":
		b.list(ctx, r)
	case "addfeed", "removefeed", "pausefeed", "resumefeed", "stats":
		if r.channel || !b.cfg.IsAdmin(r.from) {
			b.reply(ctx, r, b.t(r, i18n.MsgAdminOnly, nil), nil)
			return
		}
		b.adminCommand(ctx, r, name, arg)
	default:
		// In groups an unknown command may be another bot's.
		if r.chat.Type == subscriptions.Private {
			b.reply(ctx, r, b.t(r, i18n.MsgUnknownCommand, map[string]any{"Command": "/" + name}), nil)
		}
	}
}

func (b *Bot) chatCommand(ctx context.Context, r *request, name, arg string) {
	switch name {
	case "subscribe":
		b.subscribe(ctx, r, arg)
	case "unsubscribe":
		b.unsubscribe(ctx, r, arg)
	case "language":
		b.language(ctx, r, arg)
	case "newslang":
		b.newsLang(ctx, r, arg)
	case "timezone":
		b.timezone(ctx, r, arg)
	case "digest":
		b.digest(ctx, r, arg)
	case "quiet":
		b.quiet(ctx, r, arg)
	case "pause":
		b.pauseCommand(ctx, r, arg)
	case "resume":
		b.pause(ctx, r, false)
	}
}

// mayChange reports whether the sender may change the chat's settings: in a
// private chat, its owner; in a channel, whoever can post; in a group, its
// administrators, as Telegram says now.
func (b *Bot) mayChange(ctx context.Context, r *request) bool {
	switch r.chat.Type {
	case subscriptions.Private, subscriptions.Channel:
		return true
	}
	if r.msg != nil && r.msg.SenderChat != nil && r.msg.SenderChat.ID == r.chat.ID {
		return true // an anonymous administrator speaking as the group
	}
	return b.isGroupAdmin(ctx, r.chat.ID, r.from)
}

func (b *Bot) isGroupAdmin(ctx context.Context, chatID, userID int64) bool {
	if userID == 0 || b.cfg.API == nil {
		return false
	}
	m, err := b.cfg.API.GetChatMember(tgbotapi.GetChatMemberConfig{
		ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: chatID, UserID: userID},
	})
	if err != nil {
		b.log.Warn("bot: getChatMember", "chat", chatID, "user", userID, "err", err)
		return false
	}
	return m.IsCreator() || m.IsAdministrator()
}

func (b *Bot) subscribe(ctx context.Context, r *request, query string) {
	if query == "" {
		b.reply(ctx, r, b.t(r, i18n.MsgUsageSubscribe, nil), nil)
		return
	}
	sub, err := b.cfg.Subs.Subscribe(ctx, r.chat.ID, query)
	if err != nil {
		b.reply(ctx, r, b.subscribeError(ctx, r, query, err), nil)
		return
	}
	hits, err := b.cfg.Subs.DryRun(ctx, sub.Query, b.cfg.Now().Add(-dryRunWindow), b.cfg.MatchContent)
	if err != nil {
		b.log.Warn("bot: dry run", "chat", r.chat.ID, "err", err)
	}
	label := sub.Label()
	kb := subscribedKeyboard(b.cfg.Catalog, r.lang, sub, len(hits))
	if len(hits) == 0 {
		b.reply(ctx, r, b.t(r, i18n.MsgSubscribedNone, map[string]any{"Query": label}), kb)
		return
	}
	b.reply(ctx, r, b.n(r, i18n.MsgSubscribed, len(hits), map[string]any{"Query": label}), kb)
}

// subscribeError says in the chat's language why a query was refused.
func (b *Bot) subscribeError(ctx context.Context, r *request, query string, err error) string {
	lim := b.cfg.Subs.Limits()
	switch code := subscriptions.CodeOf(err); {
	case code == subscriptions.ErrTooLong:
		return b.n(r, i18n.MsgQueryTooLong, lim.MaxLen, nil)
	case code == subscriptions.ErrTooManyTerms:
		return b.n(r, i18n.MsgQueryTooManyTerms, lim.MaxTerms, nil)
	case code != "":
		text := b.t(r, string(code), nil)
		if text == string(code) { // a code the catalog does not know
			text = b.t(r, i18n.MsgQueryInvalid, nil)
		}
		return text
	case errors.Is(err, subscriptions.ErrAlreadySubscribed):
		return b.t(r, i18n.MsgAlreadySubscribed, map[string]any{"Query": query})
	case errors.Is(err, subscriptions.ErrTooManySubscriptions):
		return b.n(r, i18n.MsgTooManySubs, b.cfg.MaxPerChat, nil)
	}
	b.log.Error("bot: subscribe", "chat", r.chat.ID, "err", err)
	return b.t(r, i18n.MsgInternalError, nil)
}

func (b *Bot) unsubscribe(ctx context.Context, r *request, arg string) {
	if arg == "" {
		b.pickToRemove(ctx, r)
		return
	}
	var sub subscriptions.Subscription
	var err error
	if n, convErr := strconv.Atoi(strings.TrimPrefix(arg, "#")); convErr == nil {
		sub, err = b.cfg.Subs.UnsubscribeNumber(ctx, r.chat.ID, n)
		if errors.Is(err, subscriptions.ErrNotSubscribed) {
			b.reply(ctx, r, b.t(r, i18n.MsgUnsubscribeBadNum, map[string]any{"Number": arg}), nil)
			return
		}
	} else {
		sub, err = b.cfg.Subs.Unsubscribe(ctx, r.chat.ID, arg)
		if errors.Is(err, subscriptions.ErrNotSubscribed) || subscriptions.CodeOf(err) != "" {
			b.reply(ctx, r, b.t(r, i18n.MsgUnsubscribeMissing, map[string]any{"Query": arg}), nil)
			return
		}
	}
	if err != nil {
		b.internalError(ctx, r, "unsubscribe", err)
		return
	}
	b.reply(ctx, r, b.t(r, i18n.MsgUnsubscribed, map[string]any{"Query": sub.Label()}), nil)
}

// pickToRemove shows the chat's subscriptions as buttons that remove them.
func (b *Bot) pickToRemove(ctx context.Context, r *request) {
	subs, err := b.cfg.Subs.List(ctx, r.chat.ID)
	if err != nil {
		b.internalError(ctx, r, "list", err)
		return
	}
	if len(subs) == 0 {
		b.reply(ctx, r, b.t(r, i18n.MsgListEmpty, nil), nil)
		return
	}
	b.reply(ctx, r, b.t(r, i18n.MsgUnsubscribePick, nil), b.removeButtons(r.lang, subs))
}

func (b *Bot) list(ctx context.Context, r *request) {
	text, markup, err := b.listMessage(ctx, r.chat, r.lang)
	if err != nil {
		b.internalError(ctx, r, "list", err)
		return
	}
	b.reply(ctx, r, text, markup)
}

// listMessage is the numbered list of a chat's subscriptions, with a button
// to remove each; also what a message becomes after a button removed one.
func (b *Bot) listMessage(ctx context.Context, chat subscriptions.Chat, lang string) (string, any, error) {
	subs, err := b.cfg.Subs.List(ctx, chat.ID)
	if err != nil {
		return "", nil, err
	}
	cat := b.cfg.Catalog
	if len(subs) == 0 {
		return cat.T(lang, i18n.MsgListEmpty, nil), nil, nil
	}
	var sb strings.Builder
	sb.WriteString(cat.N(lang, i18n.MsgListHeader, len(subs), nil))
	for _, s := range subs {
		sb.WriteString("\n")
		sb.WriteString(cat.T(lang, i18n.MsgListItem, map[string]any{"Number": s.Number, "Query": s.Label()}))
		sb.WriteString(b.listItemNote(lang, chat, s))
	}
	sb.WriteString("\n\n")
	sb.WriteString(cat.T(lang, i18n.MsgListHint, nil))
	if chat.Paused && !chat.PausedUntil.IsZero() {
		sb.WriteString("\n\n")
		sb.WriteString(cat.T(lang, i18n.MsgListPausedTill, map[string]any{"Until": b.when(lang, chat.PausedUntil, zoneOf(chat, b.defaultLocation()))}))
	} else if chat.Paused {
		sb.WriteString("\n\n")
		sb.WriteString(cat.T(lang, i18n.MsgListPaused, nil))
	}
	return sb.String(), b.removeButtons(lang, subs), nil
}

// maxButtons keeps a keyboard readable; the rest can be removed by number.
const maxButtons = 50

func (b *Bot) removeButtons(lang string, subs []subscriptions.Subscription) tgbotapi.InlineKeyboardMarkup {
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, s := range subs[:min(len(subs), maxButtons)] {
		label := b.cfg.Catalog.Plain(lang, i18n.MsgButtonRemove, map[string]any{"Number": s.Number, "Query": s.Label()})
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData(truncate(label, 60), fmt.Sprintf("unsub:%d", s.ID)),
			modeButton(b.cfg.Catalog, lang, s)))
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(b.cfg.Catalog.Plain(lang, i18n.MsgButtonCancel, nil), "cancel")))
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
