package bot

import (
	"context"
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
	case "noop": // a label button: nothing to do
	case "undo":
		answer = b.undoByButton(ctx, r, arg)
	case "offer", "nooffer":
		answer = b.offerByButton(ctx, r, arg, kind == "offer")
	case "resume":
		answer = b.resumeByButton(ctx, r)
	case "tz":
		answer = b.timezoneByButton(ctx, r, arg)
	case "nl":
		answer = b.newsLangByButton(ctx, r, arg)
	case "done":
		b.edit(ctx, r, m.MessageID, b.settingsText(ctx, r), nil)
	case "cancel":
		// "Close" keeps the list (a bare "Cancelled" read as "your
		// subscriptions were cancelled") and only takes the buttons away.
		answer = b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackCanceled, nil)
		if text, _, err := b.listMessage(ctx, r.chat, r.lang); err == nil {
			b.edit(ctx, r, m.MessageID, text, nil)
		}
	default:
		answer = b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackStale, nil)
	}
}

// removeByButton removes the subscription of a ✖ button by its id (the
// numbers of the list stay), and puts an undo button on the list. A button
// of one already gone refreshes the list instead.
func (b *Bot) removeByButton(ctx context.Context, r *request, arg string) string {
	s, ok, err := b.subByKey(ctx, r.chat.ID, arg)
	if err != nil {
		b.log.Error("bot: list", "chat", r.chat.ID, "err", err)
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgInternalError, nil)
	}
	if b.listOnScreen(r.chat.ID) != r.msg.MessageID {
		subs, _ := b.cfg.Subs.List(ctx, r.chat.ID)
		b.showList(r.chat.ID, r.msg.MessageID, subs) // an older list: it is the one on screen now
	}
	if !ok {
		if text, markup, err := b.listMessage(ctx, r.chat, r.lang); err == nil {
			b.edit(ctx, r, r.msg.MessageID, text, markup)
		}
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackStale, nil)
	}
	if err := b.removeSub(ctx, r.chat.ID, s); err != nil {
		b.log.Error("bot: unsubscribe", "chat", r.chat.ID, "err", err)
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgInternalError, nil)
	}
	if text, markup, err := b.listMessage(ctx, r.chat, r.lang, b.undoButton(r.lang, s, true)); err == nil {
		b.edit(ctx, r, r.msg.MessageID, text, markup)
	}
	return b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackRemoved, map[string]any{"Query": s.Label()})
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
	b.followLanguage(ctx, r, lang)
	text := b.t(r, i18n.MsgLanguageChanged, nil)
	b.edit(ctx, r, r.msg.MessageID, text, nil)
	return checkMark + b.cfg.Catalog.Plain(lang, i18n.MsgLanguageName, nil)
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
