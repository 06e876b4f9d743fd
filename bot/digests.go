package bot

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/subscriptions"
)

// Batches is what the digest runner needs of the delivery queue.
type Batches interface {
	DueBatches(ctx context.Context, now time.Time, limit int) ([]delivery.BatchRef, error)
	FlushBatch(ctx context.Context, chatID int64, batch, kind, period string, next time.Time, silent bool) (int, error)
	SetBatch(ctx context.Context, chatID int64, batch, period string, next time.Time) error
	SetNextDue(ctx context.Context, chatID int64, batch string, next time.Time) error
	EndBatch(ctx context.Context, chatID int64, batch, kind string) error
	DueNow(ctx context.Context, chatID int64) error
	SendDigest(ctx context.Context, chatID int64, kind string, alerts []delivery.Alert) (int, error)
	DropTopic(ctx context.Context, chatID int64, topic string) (int64, error)
}

// Digests sends each batch (a chat's digest, a subscription's, the alerts
// held during quiet hours) when its period falls due in the chat's zone,
// and ends timed pauses. It looks every Tick on the real clock, at the
// injected Now: one indexed query when nothing is due.
type Digests struct {
	Subs     *subscriptions.Service
	Queue    Batches
	Location *time.Location // the bot's default zone
	// DefaultLocation, when set, is the default zone in force.
	DefaultLocation func() *time.Location
	Now             func() time.Time
	Logger          *slog.Logger
	Tick            time.Duration // default 1 s
	// Resumed, when set, is told of chats whose timed pause ended.
	Resumed func(ctx context.Context, c subscriptions.Chat)
}

// Run steps until ctx ends.
func (d *Digests) Run(ctx context.Context) error {
	tick := d.Tick
	if tick <= 0 {
		tick = time.Second
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if err := d.Step(ctx); err != nil && ctx.Err() == nil {
			d.Logger.Error("bot: digests", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Step ends the timed pauses that are over and sends the batches due now.
func (d *Digests) Step(ctx context.Context) error {
	now := d.Now()
	resumed, err := d.Subs.ResumeExpired(ctx, now)
	if err != nil {
		return err
	}
	for _, c := range resumed {
		d.Logger.Info("bot: timed pause over", "chat", c.ID)
		if d.Resumed != nil {
			d.Resumed(ctx, c)
		}
	}
	for ctx.Err() == nil {
		due, err := d.Queue.DueBatches(ctx, now, 500)
		if err != nil || len(due) == 0 {
			return err
		}
		for _, b := range due {
			if err := d.step(ctx, b, now); err != nil {
				d.Logger.Error("bot: digest", "chat", b.ChatID, "batch", b.Batch, "err", err)
				// Look again a little later rather than spin on it.
				if err := d.Queue.SetNextDue(ctx, b.ChatID, b.Batch, now.Add(time.Minute)); err != nil {
					return err
				}
			}
		}
	}
	return ctx.Err()
}

// step handles one due batch: it sends the period that fell due, if it is
// later than the last one sent, and says when to look again.
func (d *Digests) step(ctx context.Context, b delivery.BatchRef, now time.Time) error {
	chat, err := d.Subs.Chat(ctx, b.ChatID)
	if errors.Is(err, subscriptions.ErrChatNotFound) {
		return d.Queue.EndBatch(ctx, b.ChatID, b.Batch, "daily")
	}
	if err != nil {
		return err
	}
	sc, kind, ok := d.schedule(ctx, chat, b.Batch)
	if !ok { // the setting is gone: send what waits, now
		return d.Queue.EndBatch(ctx, b.ChatID, b.Batch, kind)
	}
	loc := zoneOf(chat, defaultZone(d.DefaultLocation, d.Location))
	period, _ := sc.Period(now, loc)
	next := sc.Next(now, loc)
	if !laterPeriod(period, b.LastPeriod) {
		return d.Queue.SetNextDue(ctx, b.ChatID, b.Batch, next)
	}
	if chat.Paused {
		// No digest during a pause: what it holds joins the next one.
		return d.Queue.SetNextDue(ctx, b.ChatID, b.Batch, next)
	}
	if chat.Inactive {
		// Keep the alerts for when the chat comes back; the period is over.
		return d.Queue.SetBatch(ctx, b.ChatID, b.Batch, period, next)
	}
	q, hasQ := ParseQuiet(chat.Quiet)
	silent := hasQ && q.In(now, loc)
	n, err := d.Queue.FlushBatch(ctx, b.ChatID, b.Batch, kind, period, next, silent)
	if n > 0 {
		d.Logger.Info("bot: digest queued", "chat", b.ChatID, "batch", b.Batch, "period", period, "messages", n)
	}
	return err
}

// laterPeriod reports whether period comes after last. Periods of another
// kind of schedule (the chat changed it) do not compare: the setting
// recorded the period then in force, so a mismatch is an old row.
func laterPeriod(period, last string) bool {
	if period == "" {
		return false
	}
	if last == "" {
		return true
	}
	if period[:2] != last[:min(2, len(last))] {
		return false
	}
	return period > last
}

// schedule is the schedule in force for a batch, and what kind of digest it
// makes. false: the batch is no longer scheduled.
func (d *Digests) schedule(ctx context.Context, chat subscriptions.Chat, batch string) (Schedule, string, bool) {
	switch {
	case batch == batchDigest:
		sc, _ := ParseSchedule(chat.Digest)
		return sc, digestKind(sc), sc.Every != Instant
	case batch == batchQuiet:
		q, ok := ParseQuiet(chat.Quiet)
		return q.End(), "quiet", ok && q.Hold
	case strings.HasPrefix(batch, "sub:"):
		id, err := strconv.ParseInt(strings.TrimPrefix(batch, "sub:"), 10, 64)
		if err != nil {
			return Schedule{}, "daily", false
		}
		sub, err := d.Subs.Subscription(ctx, chat.ID, id)
		if err != nil {
			return Schedule{}, "daily", false
		}
		sc, _ := ParseSchedule(sub.Digest)
		return sc, digestKind(sc), sc.Every != Instant
	}
	return Schedule{}, "daily", false
}

func digestKind(sc Schedule) string {
	switch sc.Every {
	case EveryHour:
		return "hourly"
	case EveryWeek:
		return "weekly"
	}
	return "daily"
}

// startBatch records a batch's schedule from now: the period now over counts
// as sent, so setting "daily 08:00" at 10:00 sends the first digest tomorrow.
func startBatch(ctx context.Context, q Batches, chatID int64, batch string, sc Schedule, loc *time.Location, now time.Time) (time.Time, error) {
	period, _ := sc.Period(now, loc)
	next := sc.Next(now, loc)
	return next, q.SetBatch(ctx, chatID, batch, period, next)
}
