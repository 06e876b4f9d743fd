package bot

import (
	"context"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/bot/i18n"
)

// The buttons under each alert ("Mute this topic for 24 h", "Unsubscribe
// from this topic"), and what pressing them does. Callback data carries
// the subscription's id, never its query: "mute:12", "usub:12"; after a
// press the keyboard shows what was done with "Undo" ("unmute:12",
// "resub:<id of the removed subscription>").

// muteFor is how long "Mute this topic" mutes.
const muteFor = 24 * time.Hour

// maxTopicButtons: an alert that matched many topics gets buttons for the
// first two; /list has the rest.
const maxTopicButtons = 2

// topicButton is one topic of an alert, with its subscription's id.
type topicButton struct {
	SubID int64
	Topic string
}

// alertKeyboard is the keyboard under an alert: for each topic, a row to
// mute it and a row to unsubscribe. extra rows (e.g. "Why this alert?")
// go last. Nil when there is nothing to show.
func alertKeyboard(cat *i18n.Catalog, lang string, topics []topicButton, extra ...[]tgbotapi.InlineKeyboardButton) *tgbotapi.InlineKeyboardMarkup {
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, t := range topics[:min(len(topics), maxTopicButtons)] {
		id := strconv.FormatInt(t.SubID, 10)
		data := map[string]any{"Topic": truncate(t.Topic, 30)}
		rows = append(rows,
			tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(cat.Plain(lang, i18n.MsgButtonMute, data), "mute:"+id)),
			tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(cat.Plain(lang, i18n.MsgButtonUnsubTopic, data), "usub:"+id)))
	}
	rows = append(rows, extra...)
	if len(rows) == 0 {
		return nil
	}
	m := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &m
}

// decorate adds an alert's buttons and, in quiet hours, turns its sound off.
func (r *AlertRenderer) decorate(ctx context.Context, m *delivery.Message, lang string, a delivery.Alert) {
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	chat, err := r.Subs.Chat(ctx, a.ChatID)
	if err != nil {
		return
	}
	if q, ok := ParseQuiet(chat.Quiet); ok && q.In(now(), zoneOf(chat, defaultZone(r.DefaultLocation, r.Location))) {
		m.Silent = true
	}
	if len(a.Topics) == 0 {
		return
	}
	subs, err := r.Subs.List(ctx, a.ChatID)
	if err != nil {
		return
	}
	var topics []topicButton
	for _, t := range a.Topics {
		for _, s := range subs {
			if s.Label() == t {
				topics = append(topics, topicButton{SubID: s.ID, Topic: t})
				break
			}
		}
	}
	if kb := alertKeyboard(r.Catalog, lang, topics, whyRows(r.Catalog, lang, a)...); kb != nil {
		m.Markup = *kb
	}
}

// topicAction handles mute, unmute, usub and resub presses on an alert.
func (b *Bot) topicAction(ctx context.Context, r *request, kind, arg string, kb *tgbotapi.InlineKeyboardMarkup) string {
	cat := b.cfg.Catalog
	stale := cat.Plain(r.lang, i18n.MsgCallbackStale, nil)
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return stale
	}
	loc := b.chatLocation(r)
	switch kind {
	case "mute", "unmute", "usub":
		sub, err := b.cfg.Subs.Subscription(ctx, r.chat.ID, id)
		if err != nil {
			return stale
		}
		data := map[string]any{"Topic": sub.Label()}
		switch kind {
		case "mute":
			until := b.cfg.Now().Add(muteFor)
			if err := b.cfg.Subs.SetMuted(ctx, r.chat.ID, id, until); err != nil {
				b.log.Error("bot: mute", "chat", r.chat.ID, "err", err)
				return cat.Plain(r.lang, i18n.MsgInternalError, nil)
			}
			data["Until"] = b.when(r.lang, until, loc)
			b.reloadRoutes(ctx, r.chat.ID)
			b.dropTopic(ctx, r.chat.ID, sub.Label())
			b.swapRows(ctx, r, kb, arg, confirmRow(cat.Plain(r.lang, i18n.MsgButtonMuted, data), cat.Plain(r.lang, i18n.MsgButtonUndo, nil), "unmute:"+arg)...)
			return cat.Plain(r.lang, i18n.MsgCallbackMuted, data)
		case "unmute":
			if err := b.cfg.Subs.SetMuted(ctx, r.chat.ID, id, time.Time{}); err != nil {
				b.log.Error("bot: unmute", "chat", r.chat.ID, "err", err)
				return cat.Plain(r.lang, i18n.MsgInternalError, nil)
			}
			b.reloadRoutes(ctx, r.chat.ID)
			b.swapRows(ctx, r, kb, arg, topicRows(cat, r.lang, id, sub.Label())...)
			return cat.Plain(r.lang, i18n.MsgCallbackUnmuted, data)
		default: // usub
			removed, err := b.cfg.Subs.UnsubscribeID(ctx, r.chat.ID, id)
			if err != nil {
				b.log.Error("bot: unsubscribe", "chat", r.chat.ID, "err", err)
				return cat.Plain(r.lang, i18n.MsgInternalError, nil)
			}
			b.reloadRoutes(ctx, r.chat.ID)
			b.dropTopic(ctx, r.chat.ID, sub.Label())
			b.swapRows(ctx, r, kb, arg, confirmRow(cat.Plain(r.lang, i18n.MsgButtonUnsubbed, data), cat.Plain(r.lang, i18n.MsgButtonUndo, nil),
				"resub:"+strconv.FormatInt(removed, 10))...)
			return cat.Plain(r.lang, i18n.MsgCallbackUnsub, data)
		}
	case "resub":
		sub, err := b.cfg.Subs.RestoreRemoved(ctx, r.chat.ID, id)
		if err != nil {
			return stale
		}
		b.reloadRoutes(ctx, r.chat.ID)
		b.swapRows(ctx, r, kb, "r"+arg, topicRows(cat, r.lang, sub.ID, sub.Label())...)
		return cat.Plain(r.lang, i18n.MsgCallbackResub, map[string]any{"Topic": sub.Label()})
	}
	return stale
}

func topicRows(cat *i18n.Catalog, lang string, id int64, label string) [][]tgbotapi.InlineKeyboardButton {
	kb := alertKeyboard(cat, lang, []topicButton{{SubID: id, Topic: label}})
	return kb.InlineKeyboard
}

func confirmRow(done, undo, undoData string) [][]tgbotapi.InlineKeyboardButton {
	return [][]tgbotapi.InlineKeyboardButton{tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(done, "noop"),
		tgbotapi.NewInlineKeyboardButtonData(undo, undoData))}
}

// swapRows replaces, in the pressed message's keyboard, the rows whose
// buttons act on ref (a subscription id; "r"+id for a removed one) with
// rows, and edits the keyboard (the text stays).
func (b *Bot) swapRows(ctx context.Context, r *request, kb *tgbotapi.InlineKeyboardMarkup, ref string, rows ...[]tgbotapi.InlineKeyboardButton) {
	var out [][]tgbotapi.InlineKeyboardButton
	placed := false
	if kb != nil {
		for _, row := range kb.InlineKeyboard {
			if !rowActsOn(row, ref) {
				out = append(out, row)
				continue
			}
			if !placed {
				out = append(out, rows...)
				placed = true
			}
		}
	}
	if !placed {
		out = append(out, rows...)
	}
	if err := b.cfg.Outbox.EditMarkup(ctx, r.chat.ID, r.msg.MessageID, tgbotapi.NewInlineKeyboardMarkup(out...)); err != nil {
		b.log.Warn("bot: edit buttons", "chat", r.chat.ID, "err", err)
	}
}

func rowActsOn(row []tgbotapi.InlineKeyboardButton, ref string) bool {
	for _, btn := range row {
		if btn.CallbackData == nil {
			continue
		}
		kind, arg, _ := strings.Cut(*btn.CallbackData, ":")
		switch kind {
		case "mute", "unmute", "usub":
			if arg == ref {
				return true
			}
		case "resub":
			if "r"+arg == ref {
				return true
			}
		}
	}
	return false
}

// dropTopic drops the queued alerts of a topic just muted or left.
func (b *Bot) dropTopic(ctx context.Context, chatID int64, topic string) {
	if b.cfg.Batches == nil {
		return
	}
	if _, err := b.cfg.Batches.DropTopic(ctx, chatID, topic); err != nil {
		b.log.Error("bot: drop queued alerts of a topic", "chat", chatID, "err", err)
	}
}
