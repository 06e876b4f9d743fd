package delivery

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// sendItem runs in its own goroutine: it sends one alert or one digest part
// through the admitted slot and reports the result.
func (q *Queue) sendItem(ctx context.Context, it *item, slot *Slot) {
	res := result{chat: it.chat}
	defer func() { q.results <- res }()
	// Bookkeeping after a send outlives ctx: a message Telegram accepted
	// must be marked sent even during shutdown.
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	switch it.kind {
	case kindDigest:
		res = q.sendDigest(ctx, dctx, it, slot)
	case kindPart:
		res = q.sendPart(dctx, it, slot)
	default:
		res = q.sendAlert(ctx, dctx, it, slot)
	}
}

func (q *Queue) sendAlert(ctx, dctx context.Context, it *item, slot *Slot) result {
	res := result{chat: it.chat}
	later := func(err error) result {
		slot.Cancel()
		if ctx.Err() == nil {
			q.log.Error("delivery: prepare alert", "chat", it.chat, "article", it.row.article, "err", err)
		}
		it.due = q.now().Add(q.cfg.RetryBase)
		res.it = it
		return res
	}
	ok, err := claim(dctx, q.db, it.row.id, q.now())
	if err != nil {
		return later(err)
	}
	if !ok { // dropped meanwhile (the chat paused)
		slot.Cancel()
		return res
	}
	it.row.attempts++
	if it.msg == nil {
		a := it.row.alert()
		found, err := q.loadArticle(ctx, &a)
		if err != nil {
			return later(err)
		}
		if !found {
			slot.Cancel()
			q.drop(dctx, it.chat, []int64{it.row.id}, "article no longer stored")
			return res
		}
		m, err := q.renderAlert(ctx, a)
		if err != nil {
			if ctx.Err() != nil {
				return later(err)
			}
			slot.Cancel()
			q.log.Error("delivery: render alert", "chat", it.chat, "article", it.row.article, "err", err)
			q.drop(dctx, it.chat, []int64{it.row.id}, "render: "+err.Error())
			return res
		}
		it.msg = &m
		if a.Article != nil {
			it.seen = a.Article.Seen
		}
	}
	v := send(q.tg, it.chat, 0, *it.msg, it.mode)
	slot.Done(time.Now())
	res.verdict = v
	now := q.now()
	switch v.outcome {
	case sent:
		q.sentCount.Add(1)
		if q.cfg.Observer != nil && !it.seen.IsZero() {
			q.cfg.Observer.AlertSent(now.Sub(it.seen))
		}
		if err := markSent(dctx, q.db, it.row, now); err != nil {
			q.log.Error("delivery: mark sent; the alert may go out twice", "chat", it.chat, "article", it.row.article, "err", err)
		}
		q.noteStoryMessage(dctx, it.row, v.messageID, now)
	case rateLimited, retryLater:
		wait := v.retryAfter
		if v.outcome == retryLater {
			wait = q.backoff(it.row.attempts)
			q.log.Warn("delivery: send failed; will retry", "chat", it.chat, "article", it.row.article,
				"attempt", it.row.attempts, "retry_in", wait, "err", v.reason)
		}
		it.due = now.Add(wait)
		if err := retryRow(dctx, q.db, it.row.id, it.due, v.reason); err != nil {
			q.log.Error("delivery: record retry", "chat", it.chat, "err", err)
		}
		res.it = it
	case inactive:
		q.deactivate(dctx, it.chat, v.reason)
	case migrated:
		q.migrate(dctx, it.chat, v.migrateTo)
		res.migratedTo = v.migrateTo
	case badEntities, tooLong:
		if next, ok := q.fallback(it.chat, it.mode, v); ok {
			it.mode = next
			res.it = it
			break
		}
		q.drop(dctx, it.chat, []int64{it.row.id}, v.reason)
	case rejected:
		q.log.Warn("delivery: alert rejected; dropped", "chat", it.chat, "article", it.row.article, "err", v.reason)
		q.drop(dctx, it.chat, []int64{it.row.id}, v.reason)
	}
	return res
}

// fallback picks how to resend a message Telegram refused for its text: once
// as plain text after an HTML error (the renderer's bug), once cut to the
// limit when too long.
func (q *Queue) fallback(chat int64, mode textMode, v verdict) (textMode, bool) {
	switch {
	case v.outcome == badEntities && mode == asHTML:
		q.log.Error("delivery: BUG: Telegram rejected our HTML; resending as plain text", "chat", chat, "err", v.reason)
		return asPlain, true
	case v.outcome == tooLong && mode != asCut:
		q.log.Error("delivery: BUG: message over 4096 characters; resending cut, as plain text", "chat", chat, "err", v.reason)
		return asCut, true
	}
	return mode, false
}

func (q *Queue) drop(ctx context.Context, chat int64, ids []int64, reason string) {
	q.observeFailed(reason, len(ids))
	if err := dropRows(ctx, q.db, ids, q.now(), reason); err != nil {
		q.log.Error("delivery: drop alert", "chat", chat, "err", err)
	}
}

// deactivate records that the chat is gone and drops what waits for it.
func (q *Queue) deactivate(ctx context.Context, chat int64, reason string) {
	if err := q.chats.MarkInactive(ctx, chat); err != nil {
		q.log.Error("delivery: mark chat inactive", "chat", chat, "err", err)
	}
	n, err := dropChat(ctx, q.db, chat, q.now(), "chat inactive: "+reason)
	if err != nil {
		q.log.Error("delivery: drop alerts of inactive chat", "chat", chat, "err", err)
	}
	if err := dropHeldStories(ctx, q.db, chat); err != nil {
		q.log.Error("delivery: drop held story alerts of inactive chat", "chat", chat, "err", err)
	}
	q.observeFailed("chat inactive", int(n))
	q.log.Info("delivery: chat inactive; its alerts dropped", "chat", chat, "dropped", n, "reason", reason)
}

// migrate follows a group upgraded to a supergroup.
func (q *Queue) migrate(ctx context.Context, from, to int64) {
	if err := q.chats.Migrate(ctx, from, to); err != nil {
		q.log.Error("delivery: migrate chat", "chat", from, "to", to, "err", err)
	}
	if err := moveChat(ctx, q.db, from, to, q.now()); err != nil {
		q.log.Error("delivery: move alerts to supergroup", "chat", from, "to", to, "err", err)
	}
	if err := moveHeldStories(ctx, q.db, from, to); err != nil {
		q.log.Error("delivery: move held story alerts to supergroup", "chat", from, "to", to, "err", err)
	}
	q.log.Info("delivery: group upgraded to supergroup", "chat", from, "to", to)
}

func (q *Queue) renderAlert(ctx context.Context, a Alert) (m Message, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("delivery: renderer panicked: %v", p)
		}
	}()
	return q.render.Alert(ctx, a)
}

func (q *Queue) renderDigest(ctx context.Context, chat int64, alerts []Alert) (ms []Message, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("delivery: renderer panicked: %v", p)
		}
	}()
	return q.render.Digest(ctx, chat, alerts)
}

// observeFailed counts n alerts given up on. The reason is reduced to a few
// fixed words: a metric label must not take Telegram's free text.
func (q *Queue) observeFailed(reason string, n int) {
	if q.cfg.Observer == nil || n <= 0 {
		return
	}
	label := "rejected"
	switch {
	case strings.HasPrefix(reason, "chat inactive"):
		label = "chat_inactive"
	case strings.HasPrefix(reason, "render"):
		label = "render"
	case strings.HasPrefix(reason, "article no longer"):
		label = "article_gone"
	case strings.Contains(reason, "too long"):
		label = "too_long"
	case strings.Contains(reason, "parse entities"):
		label = "bad_html"
	}
	for range n {
		q.cfg.Observer.AlertFailed(label)
	}
}
