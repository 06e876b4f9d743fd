package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
		text := b.t(r, i18n.MsgHelp, nil)
		if b.cfg.IsAdmin(r.from) {
			text += "\n\n" + b.t(r, i18n.MsgHelpAdmin, nil)
		}
		b.reply(ctx, r, text, nil)
	case "feeds":
		b.feeds(ctx, r)
	case "subscribe", "unsubscribe", "language", "newslang", "timezone", "pause", "resume":
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
	case "pause":
		b.pause(ctx, r, true)
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
	if len(hits) == 0 {
		b.reply(ctx, r, b.t(r, i18n.MsgSubscribedNone, map[string]any{"Query": label}), nil)
		return
	}
	b.reply(ctx, r, b.n(r, i18n.MsgSubscribed, len(hits), map[string]any{"Query": label}), nil)
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
	}
	sb.WriteString("\n\n")
	sb.WriteString(cat.T(lang, i18n.MsgListHint, nil))
	if chat.Paused {
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
			tgbotapi.NewInlineKeyboardButtonData(truncate(label, 60), fmt.Sprintf("unsub:%d", s.ID))))
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(b.cfg.Catalog.Plain(lang, i18n.MsgButtonCancel, nil), "cancel")))
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

func (b *Bot) language(ctx context.Context, r *request, arg string) {
	if arg == "" {
		var row []tgbotapi.InlineKeyboardButton
		for _, l := range b.cfg.Catalog.Languages() {
			row = append(row, tgbotapi.NewInlineKeyboardButtonData(b.cfg.Catalog.Plain(l, i18n.MsgLanguageName, nil), "lang:"+l))
		}
		b.reply(ctx, r, b.t(r, i18n.MsgLanguagePick, nil), tgbotapi.NewInlineKeyboardMarkup(row))
		return
	}
	lang := strings.ToLower(arg)
	if !b.cfg.Catalog.Supported(lang) {
		b.reply(ctx, r, b.t(r, i18n.MsgLanguageUnknown, map[string]any{
			"Lang": arg, "Available": strings.Join(b.cfg.Catalog.Languages(), ", ")}), nil)
		return
	}
	chat, err := b.cfg.Subs.SetLanguage(ctx, r.chat.ID, lang)
	if err != nil {
		b.internalError(ctx, r, "set language", err)
		return
	}
	r.chat, r.lang = chat, lang
	b.reply(ctx, r, b.t(r, i18n.MsgLanguageChanged, nil), nil)
}

// newsLang sets which feed languages the chat receives: "/newslang uk en",
// "/newslang all", or without arguments, the current setting.
func (b *Bot) newsLang(ctx context.Context, r *request, arg string) {
	available := b.feedLanguages()
	names := func(langs []string) string {
		out := make([]string, len(langs))
		for i, l := range langs {
			out[i] = b.cfg.Catalog.LanguageName(r.lang, l)
		}
		return strings.Join(out, ", ")
	}
	fields := strings.FieldsFunc(strings.ToLower(arg), func(c rune) bool { return c == ' ' || c == ',' })
	switch {
	case len(fields) == 0 && len(r.chat.NewsLanguages) == 0:
		b.reply(ctx, r, b.t(r, i18n.MsgNewsLangAll, nil), nil)
		return
	case len(fields) == 0:
		b.reply(ctx, r, b.t(r, i18n.MsgNewsLangCurrent, map[string]any{"Langs": names(r.chat.NewsLanguages)})+
			"\n\n"+b.t(r, i18n.MsgUsageNewsLang, nil), nil)
		return
	case len(fields) == 1 && (fields[0] == "all" || fields[0] == "*"):
		if _, err := b.cfg.Subs.SetNewsLanguages(ctx, r.chat.ID, nil); err != nil {
			b.internalError(ctx, r, "set news languages", err)
			return
		}
		b.reply(ctx, r, b.t(r, i18n.MsgNewsLangReset, nil), nil)
		return
	}
	for _, f := range fields {
		if !slices.Contains(available, f) {
			b.reply(ctx, r, b.t(r, i18n.MsgNewsLangUnknown, map[string]any{
				"Lang": f, "Available": strings.Join(available, ", ")}), nil)
			return
		}
	}
	chat, err := b.cfg.Subs.SetNewsLanguages(ctx, r.chat.ID, fields)
	if err != nil {
		b.internalError(ctx, r, "set news languages", err)
		return
	}
	b.reply(ctx, r, b.t(r, i18n.MsgNewsLangChanged, map[string]any{"Langs": names(chat.NewsLanguages)}), nil)
}

// feedLanguages are the languages of the configured feeds.
func (b *Bot) feedLanguages() []string {
	var langs []string
	for _, s := range b.cfg.Sources() {
		if s.Lang != "" && !slices.Contains(langs, s.Lang) {
			langs = append(langs, s.Lang)
		}
	}
	slices.Sort(langs)
	return langs
}

// timezone shows or sets the zone alert times are written in:
// "/timezone America/Toronto", "/timezone default".
func (b *Bot) timezone(ctx context.Context, r *request, arg string) {
	data := func() map[string]any {
		loc := b.chatLocation(r)
		return map[string]any{"Zone": loc.String(), "Time": b.cfg.Now().In(loc).Format("15:04")}
	}
	if arg == "" {
		b.reply(ctx, r, b.t(r, i18n.MsgTimezoneCurrent, data()), nil)
		return
	}
	zone := arg
	if strings.EqualFold(arg, "default") || strings.EqualFold(arg, "reset") {
		zone = ""
	} else if z, ok := canonicalZone(arg); ok {
		zone = z
	}
	chat, err := b.cfg.Subs.SetTimezone(ctx, r.chat.ID, zone)
	if errors.Is(err, subscriptions.ErrBadTimezone) {
		b.reply(ctx, r, b.t(r, i18n.MsgTimezoneUnknown, map[string]any{"Zone": arg}), nil)
		return
	}
	if err != nil {
		b.internalError(ctx, r, "set time zone", err)
		return
	}
	r.chat = chat
	b.reply(ctx, r, b.t(r, i18n.MsgTimezoneChanged, data()), nil)
}

// canonicalZone accepts a zone name in any case ("europe/kyiv") and the old
// spelling Europe/Kiev.
func canonicalZone(name string) (string, bool) {
	if strings.EqualFold(name, "Europe/Kiev") {
		return "Europe/Kyiv", true
	}
	if _, err := time.LoadLocation(name); err == nil {
		return name, true
	}
	parts := strings.Split(name, "/")
	for i, p := range parts {
		words := strings.Split(strings.ToLower(p), "_")
		for j, w := range words {
			if len(w) > 0 {
				words[j] = strings.ToUpper(w[:1]) + w[1:]
			}
		}
		parts[i] = strings.Join(words, "_")
	}
	z := strings.Join(parts, "/")
	if strings.EqualFold(name, "utc") {
		z = "UTC"
	}
	if _, err := time.LoadLocation(z); err == nil {
		return z, true
	}
	return "", false
}

func (b *Bot) pause(ctx context.Context, r *request, pause bool) {
	if r.chat.Paused == pause {
		if pause {
			b.reply(ctx, r, b.t(r, i18n.MsgAlreadyPaused, nil), nil)
		} else {
			b.reply(ctx, r, b.t(r, i18n.MsgNotPaused, nil), nil)
		}
		return
	}
	if _, err := b.cfg.Subs.SetPaused(ctx, r.chat.ID, pause); err != nil {
		b.internalError(ctx, r, "pause", err)
		return
	}
	if !pause {
		b.reply(ctx, r, b.t(r, i18n.MsgResumed, nil), nil)
		return
	}
	// What was queued before the pause is not sent after it either.
	if _, err := b.cfg.Outbox.DropPending(ctx, r.chat.ID); err != nil {
		b.log.Error("bot: drop pending on pause", "chat", r.chat.ID, "err", err)
	}
	b.reply(ctx, r, b.t(r, i18n.MsgPaused, nil), nil)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
