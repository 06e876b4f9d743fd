package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// supervisor runs the long-lived workers of a Main. The first worker to
// stop while the bot should be running ends the whole run: Run returns its
// error and the process exits non-zero, so systemd (Restart=on-failure) or
// Docker (--restart) starts a fresh process, which reopens the database and
// Telegram from scratch. A worker restarted in place would keep whatever
// state made it stop; a process that lives on without one (no updates, no
// delivery) only looks alive. See docs/operations.md, "Supervision".
type supervisor struct {
	log    *slog.Logger
	cancel context.CancelCauseFunc

	wg      sync.WaitGroup
	mu      sync.Mutex
	stopped []string // "name: error" of workers that stopped early
}

// errWorkerStopped is the cause of a run ended by a worker.
var errWorkerStopped = errors.New("worker stopped")

// newSupervisor derives the context workers run in: it ends when parent ends
// or when a worker stops.
func newSupervisor(parent context.Context, log *slog.Logger) (*supervisor, context.Context) {
	ctx, cancel := context.WithCancelCause(parent)
	return &supervisor{log: log, cancel: cancel}, ctx
}

// run starts f. If f returns while ctx is still alive, with an error or
// without, the run ends with that.
func (s *supervisor) run(ctx context.Context, name string, f func(context.Context) error) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		err := f(ctx)
		if ctx.Err() != nil {
			return // told to stop
		}
		if err == nil {
			err = errors.New("returned without an error")
		}
		s.log.Error(name+" stopped; stopping the bot", "err", err)
		s.mu.Lock()
		s.stopped = append(s.stopped, name+": "+err.Error())
		s.mu.Unlock()
		s.cancel(fmt.Errorf("%w: %s: %w", errWorkerStopped, name, err))
	}()
}

// Health is nil while every worker runs, else which stopped and why (for
// /healthz, in the moments before the process exits).
func (s *supervisor) Health() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.stopped) == 0 {
		return nil
	}
	return errors.New("stopped: " + strings.Join(s.stopped, "; "))
}

// wait waits for every worker.
func (s *supervisor) wait() { s.wg.Wait() }
