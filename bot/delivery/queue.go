package delivery

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsalert/newsalert/feeds"
)

// Config shapes the queue. Zero values take the defaults named.
type Config struct {
	// Limits are Telegram's rate limits; zero values: 30/s, 1/s per chat,
	// 20/min per group, Margin 50 ms (negative: none). The limiter and 429
	// pauses run on the real clock; Now (see New) dates rows, backoff and
	// flood windows, so a test can move it and call Wake.
	Limits

	// MaxAlertsPerHour caps alerts to one chat per FloodWindow; the rest go
	// out as one digest when the window ends. 0: no cap.
	MaxAlertsPerHour int
	FloodWindow      time.Duration // default 1 h

	// EditionWait is how long an alert for an edition of a story the chat
	// likes less may wait for a better one (editions.go). 0: no wait.
	EditionWait time.Duration
	// EditLinksMax: when an edition arrives after a story's alerts went
	// out (within EditionWait), up to this many of them are edited to link
	// it; a story sent to more chats is left as sent, so that edits never
	// hold back alerts. Default 100; negative: never edit.
	EditLinksMax int

	RetryBase time.Duration // first backoff after a 5xx or network error; default 1 s
	RetryMax  time.Duration // backoff cap; default 5 min
	Poll      time.Duration // how often the queue looks for rows without a Wake; default 5 s
	// MaxInFlight caps concurrent requests; default 2 × GlobalPerSecond.
	MaxInFlight int
	// Observer, if set, is told what happens to alerts (for metrics).
	Observer Observer
	// Articles reads and marks the articles alerts are about; nil: a
	// feeds.Store on the queue's database.
	Articles Articles

	// ShutdownWait is how long Run waits for requests in flight after its
	// context ends; their rows stay pending if they do not finish. Default 10 s.
	ShutdownWait time.Duration
}

func (c *Config) defaults() error {
	if c.GlobalPerSecond < 0 || c.PerChatPerSecond < 0 || c.PerGroupPerMinute < 0 || c.MaxAlertsPerHour < 0 || c.MaxInFlight < 0 {
		return errors.New("delivery: negative limit in config")
	}
	if c.GlobalPerSecond == 0 {
		c.GlobalPerSecond = 30
	}
	if c.PerChatPerSecond == 0 {
		c.PerChatPerSecond = 1
	}
	if c.PerGroupPerMinute == 0 {
		c.PerGroupPerMinute = 20
	}
	if c.Margin == 0 {
		c.Margin = 50 * time.Millisecond
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.EditLinksMax == 0 {
		c.EditLinksMax = 100
	}
	def(&c.FloodWindow, time.Hour)
	def(&c.RetryBase, time.Second)
	def(&c.RetryMax, 5*time.Minute)
	def(&c.Poll, 5*time.Second)
	def(&c.ShutdownWait, 10*time.Second)
	if c.MaxInFlight == 0 {
		c.MaxInFlight = 2 * c.GlobalPerSecond
	}
	return nil
}

// Queue is the outbox and the worker that drains it.
type Queue struct {
	cfg    Config
	db     *sql.DB
	tg     Sender
	render Renderer
	chats  Chats
	log    *slog.Logger

	articles Articles
	live     atomic.Pointer[live] // limits a reload may change (SetLimits)
	now      func() time.Time     // the clock of rows, backoff and flood windows
	lim      *Limiter             // runs on the real clock: it is about the wire

	wake    chan struct{}
	wokenMu sync.Mutex
	woken   map[int64]bool // chats Enqueue added rows for since the last look
	wokeAll bool           // Wake: rows anywhere
	reqs    chan *request
	results chan result
	stopped chan struct{}
	running atomic.Bool

	rateLimited atomic.Int64 // 429s since start
	sentCount   atomic.Int64 // messages accepted since start

	s sched // owned by the Run goroutine
}

// New returns a queue over db (migrated by package store). now may be nil
// for time.Now.
func New(cfg Config, db *sql.DB, tg Sender, r Renderer, chats Chats, log *slog.Logger, now func() time.Time) (*Queue, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if db == nil || tg == nil || r == nil || chats == nil {
		return nil, errors.New("delivery: New needs a database, a sender, a renderer and chats")
	}
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	if cfg.Articles == nil {
		cfg.Articles = feeds.NewStore(db)
	}
	q := &Queue{
		articles: cfg.Articles,
		cfg:      cfg, db: db, tg: tg, render: r, chats: chats, log: log, now: now,
		lim:     NewLimiter(cfg.Limits),
		wake:    make(chan struct{}, 1),
		woken:   make(map[int64]bool),
		reqs:    make(chan *request, 64),
		results: make(chan result, cfg.MaxInFlight+1),
		stopped: make(chan struct{}),
		s:       newSched(),
	}
	q.live.Store(&live{Limits: cfg.Limits, MaxAlertsPerHour: cfg.MaxAlertsPerHour})
	return q, nil
}

// Wake tells the queue that new rows may be waiting (Enqueue does it).
func (q *Queue) Wake() {
	q.wokenMu.Lock()
	q.wokeAll = true
	q.wokenMu.Unlock()
	q.signal()
}

// wakeChats tells the queue that chats have new rows.
func (q *Queue) wakeChats(alerts []Alert) {
	q.wokenMu.Lock()
	for _, a := range alerts {
		q.woken[a.ChatID] = true
	}
	q.wokenMu.Unlock()
	q.signal()
}

func (q *Queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// takeWoken returns the chats woken since the last call, or all.
func (q *Queue) takeWoken() (chats []int64, all bool) {
	q.wokenMu.Lock()
	defer q.wokenMu.Unlock()
	all, q.wokeAll = q.wokeAll, false
	// Past a few hundred chats one bulk read is cheaper than a read each.
	if !all && len(q.woken) <= 256 {
		for c := range q.woken {
			chats = append(chats, c)
		}
	} else {
		all = true
	}
	clear(q.woken)
	return chats, all
}

// Run sends until ctx ends. Requests in flight then get up to
// Config.ShutdownWait to finish; whatever did not finish stays pending and is
// sent by the next Run. A Queue runs once.
func (q *Queue) Run(ctx context.Context) error {
	if !q.running.CompareAndSwap(false, true) {
		return errors.New("delivery: Run called twice")
	}
	defer close(q.stopped)
	if err := q.seedLimiter(ctx); err != nil && ctx.Err() == nil {
		q.log.Error("delivery: read what the last run sent; the first second may go over the limits", "err", err)
	}
	q.refill(ctx)
	lastRefill := time.Now()
	dirty := false // a Wake came since the last refill
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		// Refill everything on Wake, at most every refillGap, and every
		// Poll in any case. Enqueue wakes only the chats it added rows for.
		if since := time.Since(lastRefill); since >= q.cfg.Poll || dirty && since >= refillGap {
			q.refill(ctx)
			q.s.unpark(time.Now(), true)
			q.sweep()
			lastRefill, dirty = time.Now(), false
		}
		next := q.dispatch(ctx)
		poll := lastRefill.Add(q.cfg.Poll)
		if dirty {
			poll = lastRefill.Add(refillGap)
		}
		if next.IsZero() || poll.Before(next) {
			next = poll
		}
		d := time.Until(next)
		if d < time.Millisecond {
			d = time.Millisecond
		}
		timer.Reset(d)
		select {
		case <-ctx.Done():
			return q.shutdown()
		case <-q.wake:
			chats, all := q.takeWoken()
			if all {
				dirty = true
				q.s.unpark(time.Now(), true) // the queue's clock may have moved
			}
			for _, chat := range chats {
				if !q.s.busy[chat] && q.s.ready[chat] == nil {
					q.loadNext(ctx, chat)
				}
			}
		case r := <-q.reqs:
			q.s.replies = append(q.s.replies, r)
		case res := <-q.results:
			q.handle(ctx, res)
		case <-timer.C:
		}
	}
}

// sweep forgets limiter windows and 429 blocks that are over.
func (q *Queue) sweep() {
	now := time.Now()
	q.lim.Sweep(now)
	for chat, until := range q.s.blocked {
		if !now.Before(until) {
			delete(q.s.blocked, chat)
		}
	}
}

// refillGap spaces refills asked for by Wake.
const refillGap = 100 * time.Millisecond

// shutdown waits for requests in flight and fails queued replies.
func (q *Queue) shutdown() error {
	deadline := time.NewTimer(q.cfg.ShutdownWait)
	defer deadline.Stop()
	for q.s.inflight > 0 {
		select {
		case res := <-q.results:
			q.s.inflight--
			if res.req != nil && res.requeue {
				res.req.finish(0, ErrClosed)
			}
		case <-deadline.C:
			q.log.Warn("delivery: shutdown with requests in flight; their rows stay pending", "inflight", q.s.inflight)
			q.s.inflight = 0
		}
	}
	for _, r := range q.s.replies {
		r.finish(0, ErrClosed)
	}
	q.s.replies = nil
	for {
		select {
		case r := <-q.reqs:
			r.finish(0, ErrClosed)
		default:
			return nil
		}
	}
}

// refill finds chats with waiting rows that the scheduler does not hold yet.
func (q *Queue) refill(ctx context.Context) {
	q.releaseHeld(ctx)
	snaps, err := readSnapshots(ctx, q.db)
	if err != nil {
		if ctx.Err() == nil {
			q.log.Error("delivery: read the outbox", "err", err)
		}
		return
	}
	for chat, sn := range snaps {
		if q.s.busy[chat] || q.s.ready[chat] != nil {
			continue
		}
		q.place(ctx, chat, *sn)
	}
}

// loadNext reads what chat gets next, after its last send finished.
func (q *Queue) loadNext(ctx context.Context, chat int64) {
	sn, err := readSnapshot(ctx, q.db, chat)
	if err != nil {
		if ctx.Err() == nil {
			q.log.Error("delivery: read the outbox", "chat", chat, "err", err)
		}
		return
	}
	q.place(ctx, chat, sn)
}

func (q *Queue) place(ctx context.Context, chat int64, sn snapshot) {
	it, err := q.nextItem(ctx, chat, sn)
	if err != nil {
		if ctx.Err() == nil {
			q.log.Error("delivery: next alert", "chat", chat, "err", err)
		}
		return
	}
	if it != nil {
		q.s.setReady(it)
	}
}

// backoff is the wait before attempt n+1 after n failed attempts.
func (q *Queue) backoff(attempts int) time.Duration {
	d := q.cfg.RetryBase
	for i := 1; i < attempts && d < q.cfg.RetryMax; i++ {
		d *= 2
	}
	return min(d, q.cfg.RetryMax)
}
