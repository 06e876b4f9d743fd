package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Health is the answer of /healthz.
type Health struct {
	Status  string   `json:"status"` // "ok" or "unhealthy"
	Reasons []string `json:"reasons,omitempty"`
}

// OK reports whether every check passed.
func (h Health) OK() bool { return len(h.Reasons) == 0 }

// Check runs the health checks: every worker runs, the database takes a
// write, Telegram answered recently, the scheduler ticked recently. Before the first answer
// or tick, the time since New counts instead, so a bot that just started is
// given TelegramMaxAge and SchedulerMaxAge to get going.
func (m *Metrics) Check(ctx context.Context) Health {
	var reasons []string
	if m.cfg.DB != nil {
		if err := m.health.run(ctx, m.cfg.HealthTimeout, m.writeCheck); err != nil {
			reasons = append(reasons, "database not writable: "+err.Error())
		}
	}
	if m.cfg.Workers != nil {
		if err := m.cfg.Workers(); err != nil {
			reasons = append(reasons, "workers: "+err.Error())
		}
	}
	now := m.cfg.Now()
	stale := func(last func() time.Time, limit time.Duration) (time.Duration, bool) {
		t := last()
		if t.IsZero() {
			t = m.started
		}
		age := now.Sub(t)
		return age.Round(time.Second), age > limit
	}
	if m.cfg.TelegramSeen != nil {
		if age, bad := stale(m.cfg.TelegramSeen, m.cfg.TelegramMaxAge); bad {
			reasons = append(reasons, fmt.Sprintf("telegram: no answer for %s (limit %s)", age, m.cfg.TelegramMaxAge))
		}
	}
	if m.cfg.SchedulerTick != nil {
		if age, bad := stale(m.cfg.SchedulerTick, m.cfg.SchedulerMaxAge); bad {
			reasons = append(reasons, fmt.Sprintf("scheduler: no tick for %s (limit %s)", age, m.cfg.SchedulerMaxAge))
		}
	}
	if len(reasons) > 0 {
		return Health{Status: "unhealthy", Reasons: reasons}
	}
	return Health{Status: "ok"}
}

// writeCheck commits a write, so a database the bot cannot write to (locked
// by another process, a read-only or full disk) shows.
func (m *Metrics) writeCheck(ctx context.Context) error {
	_, err := m.cfg.DB.ExecContext(ctx, `INSERT INTO kv(key, value) VALUES('health.checked_at', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, strconv.FormatInt(m.cfg.Now().Unix(), 10))
	return err
}

// healthCheck runs one database check at a time: while a check is stuck
// (on a lock, for the whole busy timeout), later requests wait for that
// same check, up to their timeout, instead of piling up more.
type healthCheck struct {
	mu      sync.Mutex
	running chan struct{} // closed when the current check ends
	err     error         // of the last finished check
}

var errCheckTimeout = errors.New("no answer in time (locked by another process?)")

func (h *healthCheck) run(ctx context.Context, timeout time.Duration, check func(context.Context) error) error {
	h.mu.Lock()
	done := h.running
	if done == nil {
		done = make(chan struct{})
		h.running = done
		go func() {
			// Not the request's context: the check outlives a request that
			// gives up, and the next one reads its result.
			cctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			err := check(cctx)
			cancel()
			h.mu.Lock()
			h.err, h.running = err, nil
			h.mu.Unlock()
			close(done)
		}()
	}
	h.mu.Unlock()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-done:
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.err
	case <-t.C:
		return errCheckTimeout
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Handler serves /metrics and /healthz.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorHandling: promhttp.ContinueOnError,
		Timeout:       10 * time.Second,
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		h := m.Check(r.Context())
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !h.OK() {
			m.log.Warn("metrics: unhealthy", "reasons", h.Reasons)
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(h)
	})
	return mux
}

// Serve serves Handler on addr until ctx ends, then shuts down gracefully.
func (m *Metrics) Serve(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("metrics: listen %s: %w", addr, err)
	}
	return m.serve(ctx, ln)
}

func (m *Metrics) serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           m.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("metrics: serve: %w", err)
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}
