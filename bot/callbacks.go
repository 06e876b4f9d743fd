package bot

import (
	"context"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/subscriptions"
)

// onCallback handles a pressed inline button. Every callback query is
// answered, or the user's button keeps spinning.
func (b *Bot) onCallback(ctx context.Context, q *tgbotapi.CallbackQuery) {
	answer, popup := "", false
	defer func() {
		cb := tgbotapi.NewCallback(q.ID, answer)
		cb.ShowAlert = popup
		if _, err := b.cfg.Outbox.Request(ctx, cb); err != nil {
			b.log.Warn("bot: answer callback", "err", err)
		}
	}()
	m := q.Message
	if m == nil || m.Chat == nil || q.From == nil {
		return
	}
	chat, err := b.cfg.Subs.Chat(ctx, m.Chat.ID)
	if err != nil {
		return // a button of a chat we do not know: nothing to do
	}
	r := &request{chat: chat, lang: b.chatLang(chat), msg: m, from: q.From.ID, channel: chat.Type == subscriptions.Channel}
	kind, arg, _ := strings.Cut(q.Data, ":")
	if kind == "why" { // anyone may ask; the answer is a popup for the one who asked
		answer, popup = b.whyByButton(ctx, r, arg), true
		return
	}
	if !b.mayChange(ctx, r) {
		answer = b.cfg.Catalog.Plain(r.lang, i18n.MsgGroupAdminsOnly, nil)
		return
	}
	switch kind {
	case "unsub":
		answer = b.removeByButton(ctx, r, arg)
	case "lang":
		answer = b.languageByButton(ctx, r, arg)
	case "mute", "unmute", "usub", "resub": // buttons on alerts (issue 10)
		answer = b.topicAction(ctx, r, kind, arg, m.ReplyMarkup)
	case "mode", "show": // under /subscribe and /list (issue 10)
		answer = b.subAction(ctx, r, kind, arg, m.ReplyMarkup)
	case "noop":
	case "cancel":
		answer = b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackCanceled, nil)
		b.edit(ctx, r, m.MessageID, b.t(r, i18n.MsgCallbackCanceled, nil), nil)
	default:
		answer = b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackStale, nil)
	}
}

func (b *Bot) removeByButton(ctx context.Context, r *request, arg string) string {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackStale, nil)
	}
	subs, err := b.cfg.Subs.List(ctx, r.chat.ID)
	if err != nil {
		b.log.Error("bot: list", "chat", r.chat.ID, "err", err)
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgInternalError, nil)
	}
	for _, s := range subs {
		if s.ID != id {
			continue
		}
		if _, err := b.cfg.Subs.Unsubscribe(ctx, r.chat.ID, s.Query); err != nil {
			b.log.Error("bot: unsubscribe", "chat", r.chat.ID, "err", err)
			return b.cfg.Catalog.Plain(r.lang, i18n.MsgInternalError, nil)
		}
		if text, markup, err := b.listMessage(ctx, r.chat, r.lang); err == nil {
			b.edit(ctx, r, r.msg.MessageID, text, markup)
		}
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackRemoved, map[string]any{"Query": s.Label()})
	}
	return b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackStale, nil)
}

func (b *Bot) languageByButton(ctx context.Context, r *request, lang string) string {
	if !b.cfg.Catalog.Supported(lang) {
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackStale, nil)
	}
	if _, err := b.cfg.Subs.SetLanguage(ctx, r.chat.ID, lang); err != nil {
		b.log.Error("bot: set language", "chat", r.chat.ID, "err", err)
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgInternalError, nil)
	}
	r.lang = lang
	text := b.t(r, i18n.MsgLanguageChanged, nil)
	b.edit(ctx, r, r.msg.MessageID, text, nil)
	return b.cfg.Catalog.Plain(lang, i18n.MsgLanguageName, nil)
}

// edit replaces a message the bot sent (and its buttons).
func (b *Bot) edit(ctx context.Context, r *request, messageID int, html string, markup any) {
	msg := delivery.Message{HTML: html, NoPreview: true}
	if markup != nil {
		msg.Markup = markup
	} else {
		msg.Markup = tgbotapi.NewInlineKeyboardMarkup() // removes the buttons
	}
	if err := b.cfg.Outbox.Edit(ctx, r.chat.ID, messageID, msg); err != nil {
		b.log.Warn("bot: edit", "chat", r.chat.ID, "err", err)
	}
}
