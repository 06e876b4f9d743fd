package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/newsalert/newsalert/config"
)

// Run polls feeds, matches, delivers and answers commands until parent
// ends, then stops within about 10 s: feed polls are cancelled, the delivery
// queue finishes the requests in flight, and the rest stays queued. If a
// worker stops first (a failed setWebhook, the database gone), Run stops the
// same way and returns that worker's error, for the process to exit non-zero.
func (m *Main) Run(parent context.Context) error {
	if m.Queue == nil {
		return errors.New("Run before OpenBot")
	}
	sup, ctx := newSupervisor(parent, m.Logger)
	m.workers.Store(sup)
	if err := m.Bot.RegisterCommands(ctx, m.Config().Telegram.Admins); err != nil {
		m.Logger.Warn("could not register the command menu", "err", err)
	}
	m.Scheduler.Update(m.Sources())
	m.Scheduler.Start(ctx)

	run := func(name string, f func(context.Context) error) { sup.run(ctx, name, f) }
	run("delivery queue", m.Queue.Run)
	run("alerter", m.Alerter.Run)
	run("digests", m.Digests.Run)
	run("updates", m.receive)
	run("retention", m.retention)
	run("feed health notices", m.watchFeedHealth)
	if addr := m.Config().HTTP.Listen; addr != "" {
		run("health and metrics server", func(ctx context.Context) error { return m.Metrics.Serve(ctx, addr) })
	}
	if path := m.Config().Path; path != "" {
		if err := config.Watch(ctx, path, func(c *config.Config, err error) { m.onConfigChange(ctx, c, err) }); err != nil {
			m.Logger.Warn("config changes will need SIGHUP", "err", err)
		}
		run("SIGHUP", func(ctx context.Context) error {
			hup := make(chan os.Signal, 1)
			signal.Notify(hup, syscall.SIGHUP)
			defer signal.Stop(hup)
			for {
				select {
				case <-ctx.Done():
					return nil
				case <-hup:
					c, err := config.Load(path)
					m.onConfigChange(ctx, c, err)
				}
			}
		})
	}
	m.Logger.Info("newsalert running", "feeds", len(m.Sources()), "schedule", m.Config().Fetch.Schedule)

	<-ctx.Done()
	failed := parent.Err() == nil // a worker ended the run, not the caller
	m.Logger.Info("stopping")
	m.pollCancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); m.Scheduler.Stop() }()
	done := make(chan struct{})
	go func() { sup.wait(); wg.Wait(); close(done) }()
	// The delivery queue gives requests in flight shutdownWait; whatever is
	// not done by then stays queued for the next start.
	select {
	case <-done:
	case <-time.After(shutdownWait + time.Second):
		m.Logger.Warn("some workers did not stop in time")
	}
	m.sendCancel()
	m.Logger.Info("stopped")
	if failed {
		return context.Cause(ctx)
	}
	return nil
}

// retention prunes old articles, dedup keys and delivered alerts daily.
func (m *Main) retention(ctx context.Context) error {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		r := m.Config().Retention
		a, k, err := m.FeedStore.Prune(ctx, r.Articles.D(), r.DedupKeys.D())
		if err != nil && ctx.Err() == nil {
			m.Logger.Error("pruning articles", "err", err)
		}
		n, err := m.Queue.Prune(ctx, r.SentAlerts.D())
		if err != nil && ctx.Err() == nil {
			m.Logger.Error("pruning delivered alerts", "err", err)
		}
		if m.Translator != nil {
			if _, err := m.Translator.Prune(ctx, r.Articles.D()); err != nil && ctx.Err() == nil {
				m.Logger.Error("pruning translations", "err", err)
			}
		}
		if a+k+n > 0 {
			m.Logger.Info("pruned", "articles", a, "dedup_keys", k, "alerts", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
