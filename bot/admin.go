package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/feeds"
)

// feeds lists the configured feeds; admins see each one's health.
func (b *Bot) feeds(ctx context.Context, r *request) {
	sources := b.cfg.Sources()
	if len(sources) == 0 {
		b.reply(ctx, r, b.t(r, i18n.MsgFeedsEmpty, nil), nil)
		return
	}
	admin := !r.channel && b.cfg.IsAdmin(r.from) && b.cfg.Admin != nil
	health := map[string]feeds.FeedHealth{}
	if admin {
		hs, err := b.cfg.Admin.FeedHealth(ctx)
		if err != nil {
			b.log.Error("bot: feed health", "err", err)
		}
		for _, h := range hs {
			health[h.ID] = h
		}
	}
	var sb strings.Builder
	sb.WriteString(b.n(r, i18n.MsgFeedsHeader, len(sources), nil))
	for _, s := range sources {
		sb.WriteString("\n")
		lang := b.cfg.Catalog.LanguageName(r.lang, s.Lang)
		if !admin {
			sb.WriteString(b.t(r, i18n.MsgFeedsLine, map[string]any{"Name": s.DisplayName(), "Lang": lang}))
			continue
		}
		h := health[s.ID]
		state := b.cfg.Catalog.Plain(r.lang, i18n.MsgFeedStateOK, nil)
		switch {
		case s.Paused:
			state = b.cfg.Catalog.Plain(r.lang, i18n.MsgFeedStatePaused, nil)
		case h.Failures > 0:
			state = b.cfg.Catalog.Plain(r.lang, i18n.MsgFeedStateFailing, nil)
		}
		last := b.cfg.Catalog.Plain(r.lang, i18n.MsgFeedsNever, nil)
		if !h.LastSuccess.IsZero() {
			last = b.cfg.Catalog.FormatTimeAt(r.lang, h.LastSuccess.In(b.chatLocation(r)), b.cfg.Now())
		}
		sb.WriteString(b.t(r, i18n.MsgFeedsAdminLine, map[string]any{
			"ID": s.ID, "Name": s.DisplayName(), "Lang": lang, "State": state, "LastSuccess": last, "Articles": h.Articles}))
		if h.Failures > 0 && h.LastError != "" {
			sb.WriteString("\n")
			sb.WriteString(b.n(r, i18n.MsgFeedsAdminError, h.Failures, map[string]any{"Error": h.LastError}))
		}
	}
	for _, part := range splitLines(sb.String(), 4000) {
		b.reply(ctx, r, part, nil)
	}
}

// adminCommand runs an admin command; the caller checked the sender's id.
func (b *Bot) adminCommand(ctx context.Context, r *request, name, arg string) {
	if b.cfg.Admin == nil {
		b.reply(ctx, r, b.t(r, i18n.MsgAdminOnly, nil), nil)
		return
	}
	args := strings.Fields(arg)
	usage := map[string]string{"addfeed": i18n.MsgUsageAddFeed, "removefeed": i18n.MsgUsageRemoveFeed,
		"pausefeed": i18n.MsgUsagePauseFeed, "resumefeed": i18n.MsgUsageResumeFeed}
	if len(args) == 0 && name != "stats" { // asked from the command menu: ask for the argument
		if name == "addfeed" {
			b.ask(ctx, r, name, i18n.MsgAskAddFeed, i18n.MsgPlaceholderURL)
		} else {
			b.ask(ctx, r, name, i18n.MsgAskFeedID, i18n.MsgPlaceholderID)
		}
		return
	}
	if name != "stats" && ((name != "addfeed" && len(args) != 1) || len(args) > 3) {
		b.reply(ctx, r, b.t(r, usage[name], nil), nil)
		return
	}
	switch name {
	case "stats":
		stats, err := b.cfg.Admin.Stats(ctx)
		if err != nil {
			b.internalError(ctx, r, "stats", err)
			return
		}
		b.reply(ctx, r, b.t(r, i18n.MsgStats, b.humanStats(r.lang, stats)), nil)
	case "addfeed":
		var lang, id string
		if len(args) > 1 {
			lang = args[1]
		}
		if len(args) > 2 {
			id = args[2]
		}
		src, err := b.cfg.Admin.AddFeed(ctx, args[0], lang, id)
		if err != nil {
			b.reply(ctx, r, b.adminError(r, err, args[0], lang, id), nil)
			return
		}
		b.log.Info("bot: admin added a feed", "admin", r.from, "feed", src.ID, "url", src.URL)
		b.reply(ctx, r, b.t(r, i18n.MsgFeedAdded, map[string]any{
			"ID": src.ID, "Name": src.DisplayName(), "Lang": b.cfg.Catalog.LanguageName(r.lang, src.Lang)}), nil)
	case "removefeed":
		if err := b.cfg.Admin.RemoveFeed(ctx, args[0]); err != nil {
			b.reply(ctx, r, b.adminError(r, err, "", "", args[0]), nil)
			return
		}
		b.log.Info("bot: admin removed a feed", "admin", r.from, "feed", args[0])
		b.reply(ctx, r, b.t(r, i18n.MsgFeedRemoved, map[string]any{"ID": args[0]}), nil)
	case "pausefeed", "resumefeed":
		pause := name == "pausefeed"
		err := b.cfg.Admin.SetFeedPaused(ctx, args[0], pause)
		switch {
		case errors.Is(err, ErrFeedNoChange) && pause:
			b.reply(ctx, r, b.t(r, i18n.MsgFeedAlreadyPaused, map[string]any{"ID": args[0]}), nil)
		case errors.Is(err, ErrFeedNoChange):
			b.reply(ctx, r, b.t(r, i18n.MsgFeedNotPaused, map[string]any{"ID": args[0]}), nil)
		case err != nil:
			b.reply(ctx, r, b.adminError(r, err, "", "", args[0]), nil)
		case pause:
			b.reply(ctx, r, b.t(r, i18n.MsgFeedPaused, map[string]any{"ID": args[0]}), nil)
		default:
			b.reply(ctx, r, b.t(r, i18n.MsgFeedResumed, map[string]any{"ID": args[0]}), nil)
		}
	}
}

// adminError says what went wrong with an admin's feed command.
func (b *Bot) adminError(r *request, err error, rawURL, lang, id string) string {
	var fe *FetchError
	switch {
	case errors.As(err, &fe):
		return b.t(r, i18n.MsgFeedFetchFailed, map[string]any{"URL": rawURL, "Reason": b.fetchReason(r.lang, fe.Reason)})
	case errors.Is(err, ErrNoConfigFile):
		return b.t(r, i18n.MsgConfigWriteFailed, map[string]any{"Reason": b.cfg.Catalog.Plain(r.lang, i18n.MsgReasonNoConfigFile, nil)})
	case errors.Is(err, ErrFeedExists):
		return b.t(r, i18n.MsgFeedExists, map[string]any{"ID": id})
	case errors.Is(err, ErrNoSuchFeed):
		return b.t(r, i18n.MsgFeedNotFound, map[string]any{"ID": id})
	case errors.Is(err, ErrFeedBadURL):
		return b.t(r, i18n.MsgFeedBadURL, map[string]any{"URL": rawURL})
	case errors.Is(err, ErrFeedBadLang):
		return b.t(r, i18n.MsgFeedBadLang, map[string]any{"Lang": lang})
	case errors.Is(err, ErrFeedBadID):
		return b.t(r, i18n.MsgFeedBadID, map[string]any{"ID": id})
	}
	// The error names files and paths: the log gets it, the admin a reason
	// in their language.
	b.log.Error("bot: admin command", "err", err)
	return b.t(r, i18n.MsgConfigWriteFailed, map[string]any{"Reason": b.cfg.Catalog.Plain(r.lang, i18n.MsgReasonConfigIO, nil)})
}

// fetchReason says in lang why a feed could not be added; reason is
// feeds.Reason's English line. A reason it does not know stays as it is
// (a technical detail for an admin).
func (b *Bot) fetchReason(lang, reason string) string {
	cat := b.cfg.Catalog
	var status int
	if _, err := fmt.Sscanf(reason, "HTTP %d", &status); err == nil {
		return cat.Plain(lang, i18n.MsgReasonHTTP, map[string]any{"Status": status})
	}
	for _, k := range []struct{ prefix, id string }{
		{"timed out", i18n.MsgReasonTimeout}, {"not a feed", i18n.MsgReasonNotFeed},
		{"empty answer", i18n.MsgReasonNotFeed}, {"too large", i18n.MsgReasonTooLarge},
		{"DNS: no such host", i18n.MsgReasonNoHost}, {"refused private address", i18n.MsgReasonPrivate},
		{"too many redirects", i18n.MsgReasonRedirects}, {"bad XML", i18n.MsgReasonBadXML},
		{"connection refused", i18n.MsgReasonNetwork}, {"DNS", i18n.MsgReasonNetwork},
	} {
		if strings.HasPrefix(reason, k.prefix) {
			return cat.Plain(lang, k.id, nil)
		}
	}
	return reason
}

// humanStats writes the durations of /stats for people ("1 хв 30 с", not
// "1m30s"); a zero duration is "—".
func (b *Bot) humanStats(lang string, stats map[string]any) map[string]any {
	out := make(map[string]any, len(stats))
	for k, v := range stats {
		if d, ok := v.(time.Duration); ok {
			if d <= 0 {
				v = "—"
			} else {
				v = b.cfg.Catalog.Duration(lang, d)
			}
		}
		out[k] = v
	}
	return out
}

// splitLines cuts text at line ends into parts of at most max runes.
func splitLines(text string, max int) []string {
	var parts []string
	var cur strings.Builder
	n := 0
	for _, line := range strings.Split(text, "\n") {
		l := len([]rune(line)) + 1
		if n+l > max && cur.Len() > 0 {
			parts = append(parts, strings.TrimRight(cur.String(), "\n"))
			cur.Reset()
			n = 0
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		n += l
	}
	if cur.Len() > 0 {
		parts = append(parts, strings.TrimRight(cur.String(), "\n"))
	}
	return parts
}
