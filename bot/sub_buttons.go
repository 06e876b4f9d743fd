package bot

import (
	"context"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/subscriptions"
)

// Buttons under the /subscribe reply and in /list: "instant · daily digest"
// switches one subscription between instant alerts and a daily digest
// ("mode:<id>"); "Show them" sends the recent articles the new
// subscription would have matched as one digest ("show:<id>").

// backfillMax is how many recent articles "Show them" sends.
const backfillMax = 5

// modeButton is the "instant · daily digest" switch of one subscription.
func modeButton(cat *i18n.Catalog, lang string, s subscriptions.Subscription) tgbotapi.InlineKeyboardButton {
	id := i18n.MsgButtonInstant
	if sc, _ := ParseSchedule(s.Digest); sc.Every != Instant {
		id = i18n.MsgButtonDaily
	}
	return tgbotapi.NewInlineKeyboardButtonData(cat.Plain(lang, id, nil), "mode:"+strconv.FormatInt(s.ID, 10))
}

// subscribedKeyboard is the keyboard under a /subscribe reply: the switch,
// and "Show them" when recent articles match.
func subscribedKeyboard(cat *i18n.Catalog, lang string, s subscriptions.Subscription, hits int) tgbotapi.InlineKeyboardMarkup {
	rows := [][]tgbotapi.InlineKeyboardButton{tgbotapi.NewInlineKeyboardRow(modeButton(cat, lang, s))}
	if hits > 0 {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(
			cat.Plain(lang, i18n.MsgButtonShowThem, nil), "show:"+strconv.FormatInt(s.ID, 10))))
	}
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

// subAction handles "mode" and "show" presses.
func (b *Bot) subAction(ctx context.Context, r *request, kind, arg string, kb *tgbotapi.InlineKeyboardMarkup) string {
	cat := b.cfg.Catalog
	stale := cat.Plain(r.lang, i18n.MsgCallbackStale, nil)
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return stale
	}
	sub, err := b.cfg.Subs.Subscription(ctx, r.chat.ID, id)
	if err != nil {
		return stale
	}
	if kind == "show" {
		return b.backfill(ctx, r, sub)
	}
	sc := Schedule{Every: Instant}
	if cur, _ := ParseSchedule(sub.Digest); cur.Every == Instant {
		// The chat's own daily time when it has one, else 08:00.
		sc = Schedule{Every: EveryDay, Hour: 8}
		if chat, _ := ParseSchedule(r.chat.Digest); chat.Every == EveryDay {
			sc = chat
		}
	}
	if err := b.setSubDigest(ctx, r, sub, sc); err != nil {
		b.log.Error("bot: set digest", "chat", r.chat.ID, "err", err)
		return cat.Plain(r.lang, i18n.MsgInternalError, nil)
	}
	sub.Digest = sc.Spec()
	// Swap the switch in place.
	if kb != nil {
		data := "mode:" + arg
		for i, row := range kb.InlineKeyboard {
			for j, btn := range row {
				if btn.CallbackData != nil && *btn.CallbackData == data {
					kb.InlineKeyboard[i][j] = modeButton(cat, r.lang, sub)
				}
			}
		}
		if err := b.cfg.Outbox.EditMarkup(ctx, r.chat.ID, r.msg.MessageID, *kb); err != nil {
			b.log.Warn("bot: edit buttons", "chat", r.chat.ID, "err", err)
		}
	}
	if sc.Every == Instant {
		return cat.Plain(r.lang, i18n.MsgCallbackInstant, map[string]any{"Topic": sub.Label()})
	}
	return cat.Plain(r.lang, i18n.MsgCallbackDigest, map[string]any{"Topic": sub.Label(), "Schedule": b.scheduleText(r.lang, sc)})
}

// backfill sends the most recent articles sub would have matched in the
// last week, as one digest.
func (b *Bot) backfill(ctx context.Context, r *request, sub subscriptions.Subscription) string {
	cat := b.cfg.Catalog
	hits, err := b.dryRun(ctx, sub.Query, r.lang) // a full scan: takes its turn with /subscribe's
	if err != nil || b.cfg.Batches == nil {
		b.log.Warn("bot: backfill", "chat", r.chat.ID, "err", err)
		return cat.Plain(r.lang, i18n.MsgInternalError, nil)
	}
	var alerts []delivery.Alert
	for _, h := range hits[:min(len(hits), backfillMax)] { // newest first
		alerts = append(alerts, delivery.Alert{ChatID: r.chat.ID, ArticleID: h.Article.ID, Topics: []string{sub.Label()}, Words: h.Words})
	}
	n, err := b.cfg.Batches.SendDigest(ctx, r.chat.ID, "backfill", alerts)
	if err != nil {
		b.log.Error("bot: backfill", "chat", r.chat.ID, "err", err)
		return cat.Plain(r.lang, i18n.MsgInternalError, nil)
	}
	if n == 0 {
		return cat.Plain(r.lang, i18n.MsgCallbackNothing, nil)
	}
	return ""
}

// listItemNote is what /list adds after a subscription with its own digest
// or a mute: " — digest every day at 19:00", " — muted until 14:05".
func (b *Bot) listItemNote(lang string, chat subscriptions.Chat, s subscriptions.Subscription) string {
	cat := b.cfg.Catalog
	note := ""
	if sc, _ := ParseSchedule(s.Digest); sc.Every != Instant {
		note = cat.Plain(lang, i18n.MsgListDigest, map[string]any{"Schedule": b.scheduleText(lang, sc)})
	}
	if s.MutedUntil.After(b.cfg.Now()) {
		if note != "" {
			note += ", "
		}
		note += cat.Plain(lang, i18n.MsgListMuted, map[string]any{"Until": b.when(lang, s.MutedUntil, zoneOf(chat, b.defaultLocation()))})
	}
	if note == "" {
		return ""
	}
	return " — " + escapeHTML(note)
}
