package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/subscriptions"
)

// maxCallbackAnswer is what Telegram shows of a callback answer (200
// characters).
const maxCallbackAnswer = 200

// whyByButton answers "Why this alert?": which words of the article
// matched which part of the chat's queries, worked out again from the
// stored article and the chat's subscriptions as they are now.
func (b *Bot) whyByButton(ctx context.Context, r *request, arg string) string {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackStale, nil)
	}
	why, err := b.cfg.Subs.Why(ctx, r.chat.ID, id, b.cfg.MatchContent)
	if errors.Is(err, subscriptions.ErrArticleNotFound) || err == nil && len(why) == 0 {
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackStale, nil) // the article or the subscription is gone
	}
	if err != nil {
		b.log.Error("bot: why", "chat", r.chat.ID, "article", id, "err", err)
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgInternalError, nil)
	}
	return whyText(b.cfg.Catalog, r.lang, why)
}

// whyText is the answer: a header, then a line for each part of a query
// that matched, cut to what Telegram shows.
func whyText(cat *i18n.Catalog, lang string, why []subscriptions.WhyMatch) string {
	lines := []string{cat.Plain(lang, i18n.MsgWhyHeader, nil)}
	for _, w := range why {
		for _, rs := range w.Reasons {
			part := rs.Part
			if len(why) > 1 && w.Label != rs.Part {
				part = w.Label + ": " + rs.Part
			}
			lines = append(lines, cat.Plain(lang, i18n.MsgWhyLine, map[string]any{
				"Words": strings.Join(rs.Words, ", "), "Part": part}))
		}
	}
	s := strings.Join(lines, "\n")
	if utf8.RuneCountInString(s) > maxCallbackAnswer {
		s = string([]rune(s)[:maxCallbackAnswer-1]) + "…"
	}
	return s
}
