package feeds

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// SchedulerConfig wires a Scheduler. Poller is required.
type SchedulerConfig struct {
	Poller      *Poller
	Spec        string // global schedule for feeds without their own interval; default "@every 5m"
	Concurrency int    // polls at once; default 8
	Logger      *slog.Logger
	Now         func() time.Time
	// OnNew, if set, is called after a poll stored new articles (never for
	// a seeding poll), from the polling goroutine. It is a prompt, not the
	// durable path: Store.Pending is.
	OnNew func(ctx context.Context, src Source, arts []Article)
	// OnPoll, if set, is told of every poll the scheduler made and how long
	// it took (for metrics).
	OnPoll func(res PollResult, took time.Duration)
	// Retention: with ArticleMaxAge set, Store.Prune(ArticleMaxAge,
	// KeyMaxAge) runs hourly. KeyMaxAge defaults to 4 × ArticleMaxAge.
	ArticleMaxAge time.Duration
	KeyMaxAge     time.Duration
}

// Scheduler polls feeds on the global cron schedule or their own interval,
// a bounded number at a time, skipping feeds whose next check (backoff,
// Retry-After, max-age) is still ahead and feeds already being polled.
type Scheduler struct {
	cfg  SchedulerConfig
	cron *cron.Cron
	sem  chan struct{}

	mu       sync.Mutex
	spec     string                  // the global schedule in force
	global   cron.EntryID            // its cron entry
	sources  map[string]Source       // by id, paused ones excluded
	entries  map[string]cron.EntryID // feeds with their own interval
	inflight map[string]bool
	ctx      context.Context // set by Start
	cancel   context.CancelFunc
	stopped  bool
	wg       sync.WaitGroup // polls started outside cron jobs
}

// SpecInterval is the time between two runs of a cron spec ("@every 5m",
// "*/10 * * * *"), or an error naming what is wrong with it.
func SpecInterval(spec string) (time.Duration, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return 0, fmt.Errorf("feeds: schedule %q: %w", spec, err)
	}
	t := sched.Next(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	return sched.Next(t).Sub(t), nil
}

// NewScheduler validates the spec and builds a stopped Scheduler.
func NewScheduler(cfg SchedulerConfig) (*Scheduler, error) {
	if cfg.Spec == "" {
		cfg.Spec = "@every 5m"
	}
	if _, err := SpecInterval(cfg.Spec); err != nil {
		return nil, err
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	l := cronLogger{cfg.Logger}
	s := &Scheduler{
		cfg:      cfg,
		cron:     cron.New(cron.WithLogger(l), cron.WithChain(cron.Recover(l), cron.SkipIfStillRunning(l))),
		sem:      make(chan struct{}, cfg.Concurrency),
		sources:  map[string]Source{},
		entries:  map[string]cron.EntryID{},
		inflight: map[string]bool{},
	}
	e, err := s.cron.AddFunc(cfg.Spec, s.runGlobal)
	if err != nil {
		return nil, fmt.Errorf("feeds: schedule %q: %w", cfg.Spec, err)
	}
	s.spec, s.global = cfg.Spec, e
	if cfg.ArticleMaxAge > 0 {
		if s.cfg.KeyMaxAge < cfg.ArticleMaxAge {
			s.cfg.KeyMaxAge = 4 * cfg.ArticleMaxAge
		}
		s.cron.AddFunc("@every 1h", s.prune)
	}
	return s, nil
}

// Update sets the feeds to poll: removed and paused feeds stop, new ones
// are polled right away (when started) and then on their schedule, changed
// intervals are rescheduled. Safe to call at any time, also before Start.
func (s *Scheduler) Update(sources []Source) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := map[string]Source{}
	for _, src := range sources {
		if !src.Paused {
			next[src.ID] = src
		}
	}
	for id, old := range s.sources {
		src, ok := next[id]
		if ok && src.Interval == old.Interval {
			continue
		}
		if e, ok := s.entries[id]; ok {
			s.cron.Remove(e)
			delete(s.entries, id)
		}
	}
	var added []Source
	for id, src := range next {
		if _, had := s.sources[id]; !had {
			added = append(added, src)
		}
		if _, ok := s.entries[id]; src.Interval > 0 && !ok {
			spec := "@every " + max(src.Interval, time.Second).String()
			e, err := s.cron.AddFunc(spec, func() { s.runOne(id) })
			if err != nil {
				s.cfg.Logger.Error("feed not scheduled", "feed", id, "err", err)
				continue
			}
			s.entries[id] = e
		}
	}
	s.sources = next
	if s.ctx != nil {
		s.spawn(added)
	}
}

// SetSpec replaces the global schedule (a config reload changed
// fetch.schedule): the next global poll follows the new spec, and the
// Poller's interval follows it too. A bad spec changes nothing.
func (s *Scheduler) SetSpec(spec string) error {
	if spec == "" {
		spec = "@every 5m"
	}
	d, err := SpecInterval(spec)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if spec == s.spec {
		return nil
	}
	e, err := s.cron.AddFunc(spec, s.runGlobal)
	if err != nil {
		return fmt.Errorf("feeds: schedule %q: %w", spec, err)
	}
	s.cron.Remove(s.global)
	s.spec, s.global = spec, e
	s.cfg.Poller.SetInterval(d)
	return nil
}

// Spec is the global schedule in force.
func (s *Scheduler) Spec() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spec
}

// Start begins polling: every feed that is due is polled now, then on
// schedule. ctx bounds all polls.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx != nil || s.stopped {
		return // a Scheduler runs once
	}
	s.ctx, s.cancel = context.WithCancel(ctx)
	all := make([]Source, 0, len(s.sources))
	for _, src := range s.sources {
		all = append(all, src)
	}
	s.spawn(all)
	s.cron.Start()
}

// Stop cancels running polls and waits for them, at most 10 s.
func (s *Scheduler) Stop() {
	s.mu.Lock()
	cancel := s.cancel
	s.stopped = true
	s.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	done := make(chan struct{})
	go func() {
		<-s.cron.Stop().Done()
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cfg.Logger.Warn("feed polls still running after 10s; leaving them")
	}
}

// PollAll polls every source once now (see Poller.PollAll).
func (s *Scheduler) PollAll(ctx context.Context, sources []Source) []PollResult {
	return s.cfg.Poller.PollAll(ctx, sources)
}

// spawn polls srcs (if due) outside the cron jobs; s.mu is held.
func (s *Scheduler) spawn(srcs []Source) {
	if len(srcs) == 0 || s.stopped {
		return
	}
	ctx := s.ctx
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.pollMany(ctx, srcs)
	}()
}

func (s *Scheduler) runGlobal() {
	s.mu.Lock()
	ctx := s.ctx
	var srcs []Source
	for _, src := range s.sources {
		if src.Interval <= 0 {
			srcs = append(srcs, src)
		}
	}
	s.mu.Unlock()
	s.pollMany(ctx, srcs)
}

func (s *Scheduler) runOne(id string) {
	s.mu.Lock()
	ctx := s.ctx
	src, ok := s.sources[id]
	s.mu.Unlock()
	if ok {
		s.pollMany(ctx, []Source{src})
	}
}

// pollMany polls the due feeds of srcs, Concurrency at a time across the
// whole Scheduler, and returns when all are done.
func (s *Scheduler) pollMany(ctx context.Context, srcs []Source) {
	var wg sync.WaitGroup
	for _, src := range srcs {
		select {
		case s.sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-s.sem }()
			s.pollDue(ctx, src)
		}()
	}
	wg.Wait()
}

func (s *Scheduler) pollDue(ctx context.Context, src Source) {
	defer func() {
		if r := recover(); r != nil {
			s.cfg.Logger.Error("feed poll panicked", "feed", src.ID, "err", fmt.Sprint(r))
		}
	}()
	s.mu.Lock()
	if s.inflight[src.ID] {
		s.mu.Unlock()
		return
	}
	s.inflight[src.ID] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.inflight, src.ID)
		s.mu.Unlock()
	}()
	st, err := s.cfg.Poller.cfg.Store.State(ctx, src.ID)
	if err != nil {
		s.cfg.Logger.Error("feed state", "feed", src.ID, "err", err)
		return
	}
	// A tick lands a little before the next check an interval-long backoff
	// set: allow some slack so such a feed is not skipped a whole interval.
	slack := min(s.cfg.Poller.interval(src)/10, 30*time.Second)
	if st.URL == src.URL && st.NextCheck.After(s.cfg.Now().Add(slack)) {
		return
	}
	start := time.Now()
	res, err := s.cfg.Poller.Poll(ctx, src)
	if s.cfg.OnPoll != nil && ctx.Err() == nil {
		s.cfg.OnPoll(res, time.Since(start))
	}
	if err != nil || len(res.New) == 0 || s.cfg.OnNew == nil {
		return
	}
	s.cfg.OnNew(ctx, src, res.New)
}

func (s *Scheduler) prune() {
	s.mu.Lock()
	ctx := s.ctx
	s.mu.Unlock()
	arts, keys, err := s.cfg.Poller.cfg.Store.Prune(ctx, s.cfg.ArticleMaxAge, s.cfg.KeyMaxAge)
	if err != nil {
		s.cfg.Logger.Error("prune articles", "err", err)
		return
	}
	s.cfg.Logger.Info("pruned articles", "articles", arts, "keys", keys)
}

// cronLogger sends cron's logs to slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
