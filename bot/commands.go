package bot

import (
	"context"
	"errors"
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
		b.ask(ctx, r, "subscribe", i18n.MsgAskSubscribe, i18n.MsgPlaceholderQuery)
		return
	}
	// An edited /subscribe replaces what its first version subscribed to,
	// once the new query is known to be good.
	var old *subscriptions.Subscription
	kept := ""
	if r.edited != nil && r.edited.sub != "" {
		kept = r.edited.sub
		if _, err := subscriptions.Parse(query, b.cfg.Subs.Limits()); err == nil {
			if s, ok, err := b.subByKey(ctx, r.chat.ID, r.edited.sub); err == nil && ok {
				if _, err := b.cfg.Subs.Unsubscribe(ctx, r.chat.ID, s.Query); err == nil {
					old, kept = &s, ""
				}
			}
		}
	}
	sub, err := b.cfg.Subs.Subscribe(ctx, r.chat.ID, query)
	if err != nil {
		if old != nil { // the correction failed: the first version stays
			if s, rerr := b.cfg.Subs.Restore(ctx, *old); rerr == nil {
				kept = subKey(s)
			}
		}
		id := b.reply(ctx, r, b.subscribeError(ctx, r, query, err), nil)
		b.remember(r, kept, id)
		return
	}
	hits, err := b.dryRun(ctx, sub.Query, r.lang)
	if err != nil {
		b.log.Warn("bot: dry run", "chat", r.chat.ID, "err", err)
	}
	label := sub.Label()
	text := b.n(r, i18n.MsgSubscribed, len(hits), map[string]any{"Query": label})
	if len(hits) == 0 {
		text = b.t(r, i18n.MsgSubscribedNone, map[string]any{"Query": label})
	}
	if old != nil && old.Normalized != sub.Normalized {
		text = b.t(r, i18n.MsgEditReplaced, map[string]any{"Old": old.Label()}) + "\n" + text
	}
	text += b.queryReading(r, sub.Query)
	id := b.reply(ctx, r, text, subscribedKeyboard(b.cfg.Catalog, r.lang, sub, len(hits)))
	b.remember(r, subKey(sub), id)
	b.refresh(ctx, r, b.listOnScreen(r.chat.ID))
}

// dryRun counts the stored articles of the last week a query matches. It
// reads every one of them (0.7 s per 20,000), so at most two run at once
// (half the database pool): run all at once they would hold every
// connection and both cores, and every other chat's command would wait.
func (b *Bot) dryRun(ctx context.Context, query, lang string) ([]subscriptions.Hit, error) {
	select {
	case b.dryRuns <- struct{}{}:
		defer func() { <-b.dryRuns }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	hits, err := b.cfg.Subs.DryRun(ctx, query, b.cfg.Now().Add(-dryRunWindow), b.cfg.MatchContent)
	if err != nil {
		return nil, err
	}
	return b.onePerStory(ctx, hits, lang)
}

// onePerStory keeps one hit per story, newest first: the edition in lang
// when the query matched it, else the newest, as a chat gets one alert per
// story. A hit whose story cannot be read is kept as it is.
func (b *Bot) onePerStory(ctx context.Context, hits []subscriptions.Hit, lang string) ([]subscriptions.Hit, error) {
	if b.cfg.StoryOf == nil || len(hits) < 2 {
		return hits, nil
	}
	out := hits[:0:0]
	at := map[int64]int{} // story → its hit's index in out
	for _, h := range hits {
		st, err := b.cfg.StoryOf(ctx, h.Article.ID)
		if err != nil {
			return nil, err
		}
		i, seen := at[st]
		switch {
		case st == 0 || !seen:
			if st != 0 {
				at[st] = len(out)
			}
			out = append(out, h)
		case h.Article.Lang == lang && out[i].Article.Lang != lang:
			out[i] = h
		}
	}
	return out, nil
}

// queryReading is what the /subscribe reply adds about the query itself:
// how it was read when it used operators ("Шукаю: NATO або НАТО"), and the
// other spellings it also finds ("Також шукаю: Украина, Ukraine"). Empty
// when there is nothing to say.
func (b *Bot) queryReading(r *request, query string) string {
	var out string
	words := subscriptions.ReadingWords{
		Or:  b.cfg.Catalog.Plain(r.lang, i18n.MsgQueryOpOr, nil),
		And: b.cfg.Catalog.Plain(r.lang, i18n.MsgQueryOpAnd, nil),
		Not: b.cfg.Catalog.Plain(r.lang, i18n.MsgQueryOpNot, nil),
	}
	if reading, ok := subscriptions.Reading(query, words); ok {
		out += "\n" + b.t(r, i18n.MsgQueryReading, map[string]any{"Reading": reading})
	}
	if also := b.cfg.Subs.AlsoFinds(query); len(also) > 0 {
		out += "\n" + b.t(r, i18n.MsgQueryAlso, map[string]any{"Forms": strings.Join(also, ", ")})
	}
	return out
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
		return b.n(r, i18n.MsgTooManySubs, b.cfg.Subs.MaxPerChat(), nil)
	}
	b.log.Error("bot: subscribe", "chat", r.chat.ID, "err", err)
	return b.t(r, i18n.MsgInternalError, nil)
}

func (b *Bot) unsubscribe(ctx context.Context, r *request, arg string) {
	if arg == "" {
		b.pickToRemove(ctx, r)
		return
	}
	subs, err := b.cfg.Subs.List(ctx, r.chat.ID)
	if err != nil {
		b.internalError(ctx, r, "list", err)
		return
	}
	var sub subscriptions.Subscription
	if n, convErr := strconv.Atoi(strings.TrimPrefix(arg, "#")); convErr == nil {
		// The number the list on screen shows, not the position now.
		s, ok := b.byNumber(r.chat.ID, n, subs)
		if !ok {
			b.reply(ctx, r, b.t(r, i18n.MsgUnsubscribeBadNum, map[string]any{"Number": arg}), nil)
			return
		}
		if err := b.removeSub(ctx, r.chat.ID, s); err != nil {
			b.internalError(ctx, r, "unsubscribe", err)
			return
		}
		sub = s
	} else {
		s, err := b.cfg.Subs.Unsubscribe(ctx, r.chat.ID, arg)
		if errors.Is(err, subscriptions.ErrNotSubscribed) || subscriptions.CodeOf(err) != "" {
			b.reply(ctx, r, b.t(r, i18n.MsgUnsubscribeMissing, map[string]any{"Query": arg}), nil)
			return
		}
		if err != nil {
			b.internalError(ctx, r, "unsubscribe", err)
			return
		}
		sub = s
		b.keepForUndo(s)
	}
	// The list first, so that the confirmation with its undo comes last.
	b.refresh(ctx, r, b.listOnScreen(r.chat.ID))
	markup := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(b.undoButton(r.lang, sub, false)))
	b.reply(ctx, r, b.t(r, i18n.MsgUnsubscribed, map[string]any{"Query": sub.Label()}), markup)
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
	b.conv.mu.Lock() // numbered afresh, like a new /list
	delete(b.conv.lists, r.chat.ID)
	b.conv.mu.Unlock()
	id := b.reply(ctx, r, b.t(r, i18n.MsgUnsubscribePick, nil), b.removeButtons(r.chat.ID, r.lang, subs, nil))
	b.showList(r.chat.ID, id, subs)
}

func (b *Bot) list(ctx context.Context, r *request) {
	b.conv.mu.Lock()
	delete(b.conv.lists, r.chat.ID) // a new list is numbered 1, 2, 3...
	b.conv.mu.Unlock()
	subs, err := b.cfg.Subs.List(ctx, r.chat.ID)
	if err != nil {
		b.internalError(ctx, r, "list", err)
		return
	}
	text, markup, err := b.listMessage(ctx, r.chat, r.lang)
	if err != nil {
		b.internalError(ctx, r, "list", err)
		return
	}
	id := b.reply(ctx, r, text, markup)
	b.showList(r.chat.ID, id, subs)
}

// listMessage is the numbered list of a chat's subscriptions, with a button
// to remove each; also what a message becomes after a button removed one.
// Numbers are those of the list on screen (see numbered).
func (b *Bot) listMessage(ctx context.Context, chat subscriptions.Chat, lang string, top ...tgbotapi.InlineKeyboardButton) (string, any, error) {
	subs, err := b.cfg.Subs.List(ctx, chat.ID)
	if err != nil {
		return "", nil, err
	}
	cat := b.cfg.Catalog
	if len(subs) == 0 {
		if len(top) > 0 {
			return cat.T(lang, i18n.MsgListEmpty, nil), tgbotapi.NewInlineKeyboardMarkup(top), nil
		}
		return cat.T(lang, i18n.MsgListEmpty, nil), nil, nil
	}
	var sb strings.Builder
	sb.WriteString(cat.N(lang, i18n.MsgListHeader, len(subs), nil))
	for _, s := range b.numbered(chat.ID, subs) {
		sb.WriteString("\n")
		sb.WriteString(cat.T(lang, i18n.MsgListItem, map[string]any{"Number": s.n, "Query": s.Label()}))
		sb.WriteString(b.listItemNote(lang, chat, s.Subscription))
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
	return sb.String(), b.removeButtons(chat.ID, lang, subs, top), nil
}

// maxButtons keeps a keyboard readable; the rest can be removed by number.
const maxButtons = 50

func (b *Bot) removeButtons(chatID int64, lang string, subs []subscriptions.Subscription, top []tgbotapi.InlineKeyboardButton) tgbotapi.InlineKeyboardMarkup {
	var rows [][]tgbotapi.InlineKeyboardButton
	if len(top) > 0 {
		rows = append(rows, top)
	}
	shown := b.numbered(chatID, subs)
	for _, s := range shown[:min(len(shown), maxButtons)] {
		label := b.cfg.Catalog.Plain(lang, i18n.MsgButtonRemove, map[string]any{"Number": s.n, "Query": s.Label()})
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData(truncate(label, 60), "unsub:"+subKey(s.Subscription)),
			modeButton(b.cfg.Catalog, lang, s.Subscription)))
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
