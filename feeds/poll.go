package feeds

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// PollerConfig wires a Poller. Fetcher, Parser and Store are required.
type PollerConfig struct {
	Fetcher     *Fetcher
	Parser      *Parser
	Store       *Store
	Interval    time.Duration // for sources with Interval 0 (the global schedule); default 5 min
	BackoffCap  time.Duration // longest wait after repeated failures; default 6 h
	Concurrency int           // PollAll's parallel polls; default 8
	MaxItemAge  time.Duration // items first seen this long after their publication are recorded, not reported; default 7 days
	Now         func() time.Time
	Logger      *slog.Logger
}

// Poller polls one feed at a time: conditional GET with the stored
// validators, parse, store new articles, update the feed's state.
type Poller struct {
	cfg      PollerConfig
	globalIv atomic.Int64 // cfg.Interval, changed live by SetInterval
}

// PollResult is what one poll of one feed did.
type PollResult struct {
	Source      Source
	New         []Article // stored by this poll and waiting for the matcher (none on a seeding poll)
	Parsed      []Article // every article of the document, new or not (ID set only on new ones)
	Items       int       // items the feed document held (0 on NotModified or failure)
	NotModified bool      // 304, or the same document as last time: nothing was parsed
	Seeded      bool      // the feed's first successful poll: its items were recorded, not reported
	Skipped     bool      // Poll was not due (scheduler only) or the source is paused
	Title       string    // the feed's own title, when a document was parsed
	// StaleBefore: new items published before it were recorded but are not
	// news (a dormant feed waking up must not replay its backlog).
	StaleBefore time.Time
	NextCheck   time.Time
	Err         error  // nil on success
	Reason      string // Reason(Err)
}

// NewPoller builds a Poller.
func NewPoller(cfg PollerConfig) *Poller {
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Minute
	}
	if cfg.BackoffCap <= 0 {
		cfg.BackoffCap = 6 * time.Hour
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.MaxItemAge <= 0 {
		cfg.MaxItemAge = 7 * 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Poller{cfg: cfg}
	p.globalIv.Store(int64(cfg.Interval))
	return p
}

// SetInterval changes the time between polls of feeds on the global
// schedule (a config reload changed fetch.schedule).
func (p *Poller) SetInterval(d time.Duration) {
	if d > 0 {
		p.globalIv.Store(int64(d))
	}
}

func (p *Poller) interval(src Source) time.Duration {
	if src.Interval > 0 {
		return src.Interval
	}
	return time.Duration(p.globalIv.Load())
}

// Poll polls src once, now, whatever its next check says. The error is the
// feed's failure (also in PollResult.Err) or a storage failure; the state is
// stored either way when the database works.
func (p *Poller) Poll(ctx context.Context, src Source) (PollResult, error) {
	res := PollResult{Source: src}
	st, err := p.cfg.Store.State(ctx, src.ID)
	if err != nil {
		return p.fail(res, err)
	}
	if st.URL != src.URL {
		// A new feed, or its URL changed in the config: old validators do
		// not apply, and the new URL's backlog must not flood anyone.
		st = FeedState{ID: src.ID, URL: src.URL, Articles: st.Articles}
	}
	start := p.cfg.Now()
	st.LastAttempt = start
	fr, err := p.cfg.Fetcher.Fetch(ctx, src.URL, st.Validators)
	var feed *Feed
	var bodyHash string
	if err == nil && !fr.NotModified {
		bodyHash = shaHex(fr.Body)
		// A server without validators sends the same document again:
		// nothing in it can be new.
		fr.NotModified = st.Seeded && bodyHash == st.BodyHash
	}
	if err == nil && !fr.NotModified {
		feed, err = p.cfg.Parser.Parse(fr.Body, fr.ContentType, start)
		if err != nil {
			err = fmt.Errorf("feeds: parse %q: %w", src.URL, err)
		}
	}
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, ErrTimeout) {
			// Shut down mid-poll: not the feed's fault, record nothing.
			return p.fail(res, err)
		}
		return p.failed(ctx, res, st, start, err)
	}
	st.Failures, st.LastError, st.LastSuccess = 0, "", start
	st.Validators = fr.Validators
	st.NextCheck = fr.NotBefore
	res.NextCheck = st.NextCheck
	if fr.NotModified {
		res.NotModified = true
		if err := p.cfg.Store.SaveState(ctx, st); err != nil {
			return p.fail(res, err)
		}
		p.cfg.Logger.Debug("feed not modified", "feed", src.ID)
		return res, nil
	}
	lang := src.Lang
	if lang == "" {
		// The feed's own tag, reduced to its language: "en-US" -> "en".
		lang, _, _ = strings.Cut(strings.ReplaceAll(feed.Language, "_", "-"), "-")
	}
	for i := range feed.Articles {
		feed.Articles[i].FeedID, feed.Articles[i].Lang, feed.Articles[i].Seen = src.ID, lang, start
	}
	seed := !st.Seeded
	st.Seeded, st.BodyHash, st.Title = true, bodyHash, feed.Title
	fresh, err := p.cfg.Store.SavePoll(ctx, st, feed.Articles, seed, start.Add(-p.cfg.MaxItemAge))
	if err != nil {
		return p.fail(res, err)
	}
	res.Items, res.Seeded, res.New, res.Parsed, res.Title = feed.Items, seed, fresh, feed.Articles, st.Title
	res.StaleBefore = start.Add(-p.cfg.MaxItemAge)
	p.cfg.Logger.Debug("feed polled", "feed", src.ID, "items", feed.Items, "new", len(fresh), "seeded", seed)
	if feed.Repaired {
		p.cfg.Logger.Warn("feed document cut off; kept its complete items", "feed", src.ID)
	}
	return res, nil
}

// failed records a feed failure: backoff doubles from the interval per
// failure in a row up to BackoffCap; Retry-After pushes it further.
func (p *Poller) failed(ctx context.Context, res PollResult, st FeedState, start time.Time, ferr error) (PollResult, error) {
	st.Failures++
	st.LastError = Reason(ferr)
	st.NextCheck = start.Add(backoff(p.interval(res.Source), st.Failures, p.cfg.BackoffCap))
	var he *HTTPError
	if errors.As(ferr, &he) && he.RetryAfter.After(st.NextCheck) {
		st.NextCheck = he.RetryAfter
	}
	res.Err, res.Reason, res.NextCheck = ferr, st.LastError, st.NextCheck
	p.cfg.Logger.Warn("feed failed", "feed", res.Source.ID, "attempt", st.Failures, "reason", st.LastError, "next", st.NextCheck)
	if err := p.cfg.Store.SaveState(context.WithoutCancel(ctx), st); err != nil {
		return res, errors.Join(ferr, err)
	}
	return res, ferr
}

// fail reports a poll that did not reach a verdict on the feed: shutdown or
// a storage failure.
func (p *Poller) fail(res PollResult, err error) (PollResult, error) {
	res.Err, res.Reason = err, Reason(err)
	if !errors.Is(err, context.Canceled) {
		p.cfg.Logger.Error("feed poll failed", "feed", res.Source.ID, "err", err)
	}
	return res, err
}

// backoff is the wait after the n-th failure in a row: interval, 2×, 4×...
// up to limit.
func backoff(interval time.Duration, n int, limit time.Duration) time.Duration {
	d := interval
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// PollAll polls every source once, Concurrency at a time, ignoring next
// checks (paused sources are skipped). Results are in the order of sources.
// It is what `newsalert poll -once` runs.
func (p *Poller) PollAll(ctx context.Context, sources []Source) []PollResult {
	results := make([]PollResult, len(sources))
	sem := make(chan struct{}, p.cfg.Concurrency)
	var wg sync.WaitGroup
	for i, src := range sources {
		if src.Paused {
			results[i] = PollResult{Source: src, Skipped: true}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i], _ = p.fail(PollResult{Source: src}, ctx.Err())
				return
			}
			defer func() { <-sem }()
			results[i], _ = p.Poll(ctx, src)
		}()
	}
	wg.Wait()
	return results
}
