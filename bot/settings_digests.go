package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/subscriptions"
)

// /digest, /quiet and /pause with a duration (issue 10).

// maxPause bounds a timed pause.
const maxPause = 90 * 24 * time.Hour

// pauseCommand is /pause (until /resume), /pause 2h, /pause until 18:00.
func (b *Bot) pauseCommand(ctx context.Context, r *request, arg string) {
	if arg == "" {
		b.pause(ctx, r, true)
		return
	}
	now := b.cfg.Now()
	loc := b.chatLocation(r)
	until, ok := parsePauseUntil(arg, now, loc)
	if !ok {
		b.reply(ctx, r, b.t(r, i18n.MsgPauseBad, map[string]any{"Arg": arg}), nil)
		return
	}
	if _, err := b.cfg.Subs.SetPausedUntil(ctx, r.chat.ID, until); err != nil {
		b.internalError(ctx, r, "pause", err)
		return
	}
	if _, err := b.cfg.Outbox.DropPending(ctx, r.chat.ID); err != nil {
		b.log.Error("bot: drop pending on pause", "chat", r.chat.ID, "err", err)
	}
	b.reply(ctx, r, b.t(r, i18n.MsgPausedUntil, map[string]any{"Until": b.when(r.lang, until, loc)})+
		" "+b.t(r, i18n.MsgPauseNote, nil), b.pauseMarkup(r.lang))
}

// parsePauseUntil reads "2h", "30m", "1h30m", "3d", "2 h", "until 18:00",
// "до 18:00", "18:00" (the next 18:00 in loc).
func parsePauseUntil(arg string, now time.Time, loc *time.Location) (time.Time, bool) {
	s := strings.ToLower(strings.TrimSpace(arg))
	for _, p := range []string{"until ", "till ", "до "} {
		s = strings.TrimSpace(strings.TrimPrefix(s, p))
	}
	s = strings.ReplaceAll(s, " ", "")
	if h, m, ok := parseClock(s); ok && strings.ContainsAny(s, ":.") {
		l := now.In(loc)
		t := time.Date(l.Year(), l.Month(), l.Day(), h, m, 0, 0, loc)
		if !t.After(now) {
			t = time.Date(l.Year(), l.Month(), l.Day()+1, h, m, 0, 0, loc)
		}
		return t, true
	}
	// Units in en, uk and ru: d/д, h/г/ч, m/хв/м.
	repl := strings.NewReplacer("хв", "m", "мин", "m", "м", "m", "год", "h", "г", "h", "ч", "h", "дн", "d", "д", "d")
	s = repl.Replace(s)
	var total time.Duration
	num := ""
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			num += string(c)
		case c == 'd' || c == 'h' || c == 'm':
			n, err := strconv.Atoi(num)
			if err != nil || n > 10000 {
				return time.Time{}, false
			}
			unit := map[rune]time.Duration{'d': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute}[c]
			total += time.Duration(n) * unit
			num = ""
		default:
			return time.Time{}, false
		}
	}
	if num != "" || total <= 0 || total > maxPause {
		return time.Time{}, false
	}
	return now.Add(total), true
}

// when writes an instant for the chat: "18:00" today, else the date too.
func (b *Bot) when(lang string, t time.Time, loc *time.Location) string {
	l := t.In(loc)
	n := b.cfg.Now().In(loc)
	if l.Year() == n.Year() && l.YearDay() == n.YearDay() {
		return l.Format("15:04")
	}
	return b.cfg.Catalog.FormatTime(lang, l)
}

// scheduleText is a schedule in words: "every day at 08:00".
func (b *Bot) scheduleText(lang string, sc Schedule) string {
	cat := b.cfg.Catalog
	switch sc.Every {
	case EveryHour:
		return cat.Plain(lang, i18n.MsgScheduleHourly, nil)
	case EveryWeek:
		return cat.Plain(lang, i18n.MsgScheduleWeekly, map[string]any{"Day": cat.Weekday(lang, int(sc.Day)), "Time": sc.Clock()})
	}
	return cat.Plain(lang, i18n.MsgScheduleDaily, map[string]any{"Time": sc.Clock()})
}

// digest is /digest: shows, sets or ends the chat's digest, or, with a
// subscription's number first, that subscription's.
func (b *Bot) digest(ctx context.Context, r *request, arg string) {
	if b.cfg.Batches == nil {
		b.internalError(ctx, r, "digest", errors.New("no batches"))
		return
	}
	loc := b.chatLocation(r)
	if arg == "" {
		sc, _ := ParseSchedule(r.chat.Digest)
		if sc.Every == Instant {
			b.reply(ctx, r, b.t(r, i18n.MsgDigestNone, nil), nil)
			return
		}
		b.reply(ctx, r, b.t(r, i18n.MsgDigestCurrent, map[string]any{"Schedule": b.scheduleText(r.lang, sc), "Zone": loc.String()}), nil)
		return
	}
	if f := strings.Fields(arg); len(f) > 1 {
		if n, err := strconv.Atoi(strings.TrimPrefix(f[0], "#")); err == nil {
			b.subDigest(ctx, r, n, strings.Join(f[1:], " "))
			return
		}
	}
	sc, ok := ParseSchedule(arg)
	if !ok {
		b.reply(ctx, r, b.t(r, i18n.MsgDigestBad, map[string]any{"Arg": arg}), nil)
		return
	}
	chat, err := b.cfg.Subs.SetDigest(ctx, r.chat.ID, sc.Spec())
	if err != nil {
		b.internalError(ctx, r, "set digest", err)
		return
	}
	r.chat = chat
	b.reloadRoutes(ctx, r.chat.ID)
	if sc.Every == Instant {
		if err := b.cfg.Batches.EndBatch(ctx, r.chat.ID, batchDigest, "daily"); err != nil {
			b.log.Error("bot: end digest", "chat", r.chat.ID, "err", err)
		}
		b.reply(ctx, r, b.t(r, i18n.MsgDigestOff, nil), nil)
		return
	}
	next, err := startBatch(ctx, b.cfg.Batches, r.chat.ID, batchDigest, sc, loc, b.cfg.Now())
	if err != nil {
		b.internalError(ctx, r, "start digest", err)
		return
	}
	b.reply(ctx, r, b.t(r, i18n.MsgDigestSet, map[string]any{
		"Schedule": b.scheduleText(r.lang, sc), "Zone": loc.String(), "Next": b.when(r.lang, next, loc)}), nil)
}

// subDigest is /digest 2 daily 19:00.
func (b *Bot) subDigest(ctx context.Context, r *request, number int, spec string) {
	sc, ok := ParseSchedule(spec)
	if !ok {
		b.reply(ctx, r, b.t(r, i18n.MsgDigestBad, map[string]any{"Arg": spec}), nil)
		return
	}
	subs, err := b.cfg.Subs.List(ctx, r.chat.ID)
	if err != nil {
		b.internalError(ctx, r, "list", err)
		return
	}
	if number < 1 || number > len(subs) {
		b.reply(ctx, r, b.t(r, i18n.MsgUnsubscribeBadNum, map[string]any{"Number": number}), nil)
		return
	}
	sub := subs[number-1]
	if err := b.setSubDigest(ctx, r, sub, sc); err != nil {
		b.internalError(ctx, r, "set digest", err)
		return
	}
	if sc.Every == Instant {
		b.reply(ctx, r, b.t(r, i18n.MsgDigestSubOff, map[string]any{"Query": sub.Label()}), nil)
		return
	}
	b.reply(ctx, r, b.t(r, i18n.MsgDigestSubSet, map[string]any{"Query": sub.Label(), "Schedule": b.scheduleText(r.lang, sc)}), nil)
}

// setSubDigest stores one subscription's schedule and starts or ends its batch.
func (b *Bot) setSubDigest(ctx context.Context, r *request, sub subscriptions.Subscription, sc Schedule) error {
	if b.cfg.Batches == nil {
		return errors.New("bot: no batches")
	}
	if err := b.cfg.Subs.SetSubDigest(ctx, r.chat.ID, sub.ID, sc.Spec()); err != nil {
		return err
	}
	b.reloadRoutes(ctx, r.chat.ID)
	batch := "sub:" + strconv.FormatInt(sub.ID, 10)
	if sc.Every == Instant {
		return b.cfg.Batches.EndBatch(ctx, r.chat.ID, batch, "daily")
	}
	_, err := startBatch(ctx, b.cfg.Batches, r.chat.ID, batch, sc, b.chatLocation(r), b.cfg.Now())
	return err
}

// quiet is /quiet 23:00-07:00 silent|hold and /quiet off.
func (b *Bot) quiet(ctx context.Context, r *request, arg string) {
	if b.cfg.Batches == nil {
		b.internalError(ctx, r, "quiet", errors.New("no batches"))
		return
	}
	loc := b.chatLocation(r)
	modeText := func(q Quiet) string {
		if q.Hold {
			return b.cfg.Catalog.Plain(r.lang, i18n.MsgQuietHold, nil)
		}
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgQuietSilent, nil)
	}
	if arg == "" {
		q, ok := ParseQuiet(r.chat.Quiet)
		if !ok {
			b.reply(ctx, r, b.t(r, i18n.MsgQuietNone, nil), nil)
			return
		}
		b.reply(ctx, r, b.t(r, i18n.MsgQuietCurrent, map[string]any{"From": clockOf(q.From), "To": clockOf(q.To), "Mode": modeText(q)}), nil)
		return
	}
	off := false
	switch strings.ToLower(arg) {
	case "off", "вимк", "выкл", "вимкнути", "выключить", "none":
		off = true
	}
	q, ok := ParseQuiet(arg)
	if !off && !ok {
		b.reply(ctx, r, b.t(r, i18n.MsgQuietBad, map[string]any{"Arg": arg}), nil)
		return
	}
	spec := ""
	if !off {
		spec = q.Spec()
	}
	chat, err := b.cfg.Subs.SetQuiet(ctx, r.chat.ID, spec)
	if err != nil {
		b.internalError(ctx, r, "set quiet hours", err)
		return
	}
	r.chat = chat
	b.reloadRoutes(ctx, r.chat.ID)
	if off || !q.Hold {
		// What was held goes out now.
		if err := b.cfg.Batches.EndBatch(ctx, r.chat.ID, batchQuiet, "quiet"); err != nil {
			b.log.Error("bot: end quiet batch", "chat", r.chat.ID, "err", err)
		}
	} else if _, err := startBatch(ctx, b.cfg.Batches, r.chat.ID, batchQuiet, q.End(), loc, b.cfg.Now()); err != nil {
		b.internalError(ctx, r, "start quiet hours", err)
		return
	}
	if off {
		b.reply(ctx, r, b.t(r, i18n.MsgQuietOff, nil), nil)
		return
	}
	b.reply(ctx, r, b.t(r, i18n.MsgQuietSet, map[string]any{
		"From": clockOf(q.From), "To": clockOf(q.To), "Mode": modeText(q), "Zone": loc.String()}), nil)
}

// zoneChanged looks again at the chat's batches: their periods are named
// in the new zone (a day already sent is not sent again).
func (b *Bot) zoneChanged(ctx context.Context, r *request) {
	b.reloadRoutes(ctx, r.chat.ID)
	if b.cfg.Batches != nil {
		if err := b.cfg.Batches.DueNow(ctx, r.chat.ID); err != nil {
			b.log.Error("bot: batches after time zone change", "chat", r.chat.ID, "err", err)
		}
	}
}

func (b *Bot) reloadRoutes(ctx context.Context, chatID int64) {
	if b.cfg.Routes == nil {
		return
	}
	if err := b.cfg.Routes.Reload(ctx, chatID); err != nil {
		b.log.Error("bot: reload delivery settings", "chat", chatID, "err", err)
	}
}

// PauseEnded tells a chat its timed pause is over (the digest runner calls
// it when it resumes the chat).
func (b *Bot) PauseEnded(ctx context.Context, c subscriptions.Chat) {
	r := &request{chat: c, lang: b.chatLang(c)}
	b.reply(ctx, r, b.t(r, i18n.MsgPauseEnded, nil), nil)
}
