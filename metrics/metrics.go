// Package metrics is newsalert's operator endpoint: Prometheus metrics of
// the pipeline (fetches, articles, matches, alerts, the queue, Telegram's
// 429s, chats) and a /healthz that says whether the bot can do its work.
//
// The pipeline calls the methods of Metrics as things happen; state that
// lives elsewhere (queue depth, chats) is read at scrape time through the
// State function the caller provides. Everything sits on the Metrics' own
// registry, never on Prometheus' global one, so tests and two bots in one
// process do not collide. It decides nothing about the bot: it only counts.
package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// State is what the bot holds elsewhere, read when /metrics is scraped.
type State struct {
	QueueDepth    int           // alerts waiting to be sent
	OldestPending time.Duration // age of the oldest of them; 0 when none
	ChatsActive   int
	ChatsBlocked  int // blocked or kicked the bot
}

// Config wires Metrics to the bot. Nil funcs turn their metric or health
// check off.
type Config struct {
	DB    *sql.DB                                  // /healthz writes to it (a kv row)
	State func(ctx context.Context) (State, error) // read on each scrape

	// TelegramSeen is when Telegram last answered a request (any answer,
	// even an error, shows it is reachable). /healthz fails when that is
	// older than TelegramMaxAge (default 2m).
	TelegramSeen   func() time.Time
	TelegramMaxAge time.Duration

	// SchedulerTick is when the feed scheduler last ran. /healthz fails when
	// that is older than SchedulerMaxAge (default 10m: set it to a little
	// over the longest poll interval).
	SchedulerTick   func() time.Time
	SchedulerMaxAge time.Duration

	// Workers is nil while the bot's workers all run, else which stopped:
	// /healthz fails with it (the process is about to exit).
	Workers func() error

	// HealthTimeout bounds the database check (default 2s): a database
	// locked by another process would otherwise hold /healthz for the
	// whole busy timeout.
	HealthTimeout time.Duration

	Now    func() time.Time
	Logger *slog.Logger
}

// Metrics holds the collectors. Its methods are safe for concurrent use;
// a nil *Metrics ignores every call, so code under test may pass none.
type Metrics struct {
	cfg     Config
	log     *slog.Logger
	reg     *prometheus.Registry
	started time.Time

	fetches       *prometheus.CounterVec
	fetchDuration prometheus.Histogram
	articles      prometheus.Counter
	matches       prometheus.Counter
	queued        prometheus.Counter
	sent          prometheus.Counter
	failed        *prometheus.CounterVec
	tooMany       prometheus.Counter
	latency       prometheus.Histogram

	results, reasons labelSet
	health           healthCheck
}

// New builds the collectors on a registry of their own, with the Go runtime
// and process collectors beside them.
func New(cfg Config) *Metrics {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.TelegramMaxAge <= 0 {
		cfg.TelegramMaxAge = 2 * time.Minute
	}
	if cfg.SchedulerMaxAge <= 0 {
		cfg.SchedulerMaxAge = 10 * time.Minute
	}
	if cfg.HealthTimeout <= 0 {
		cfg.HealthTimeout = 2 * time.Second
	}
	m := &Metrics{cfg: cfg, log: cfg.Logger, reg: prometheus.NewRegistry(), started: cfg.Now()}
	m.results.max, m.reasons.max = maxLabelValues, maxLabelValues
	f := factory{m.reg}
	m.fetches = f.counterVec("newsalert_fetches_total", "Feed fetches by result.", "result")
	m.fetchDuration = f.histogram("newsalert_fetch_duration_seconds", "Time to fetch and parse one feed.",
		[]float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 20, 30})
	m.articles = f.counter("newsalert_articles_new_total", "New articles stored.")
	m.matches = f.counter("newsalert_matches_total", "Article and chat pairs matched.")
	m.queued = f.counter("newsalert_alerts_queued_total", "Alerts put in the delivery queue.")
	m.sent = f.counter("newsalert_alerts_sent_total", "Alerts Telegram accepted.")
	m.failed = f.counterVec("newsalert_alerts_failed_total", "Alerts given up on, by reason.", "reason")
	m.tooMany = f.counter("newsalert_telegram_429_total", "Too Many Requests answers from Telegram.")
	m.latency = f.histogram("newsalert_delivery_latency_seconds", "From an article first seen to its alert sent.",
		[]float64{1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600})
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&stateCollector{m: m},
	)
	return m
}

// Registry is the registry the collectors are on, for adding more.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// FetchDone counts one fetch of a feed. Keep result to a few fixed values
// ("ok", "not_modified", "error", "timeout"...): every distinct value is a
// time series, and past 32 of them the rest count as "other".
func (m *Metrics) FetchDone(result string, d time.Duration) {
	if m == nil {
		return
	}
	m.fetches.WithLabelValues(m.results.get(result)).Inc()
	m.fetchDuration.Observe(d.Seconds())
}

// ArticlesNew counts new articles stored.
func (m *Metrics) ArticlesNew(n int) {
	if m != nil && n > 0 {
		m.articles.Add(float64(n))
	}
}

// Matches counts (article, chat) matches.
func (m *Metrics) Matches(n int) {
	if m != nil && n > 0 {
		m.matches.Add(float64(n))
	}
}

// AlertQueued counts alerts queued for delivery.
func (m *Metrics) AlertQueued(n int) {
	if m != nil && n > 0 {
		m.queued.Add(float64(n))
	}
}

// AlertSent counts one alert delivered, latency after its article was first
// seen.
func (m *Metrics) AlertSent(latency time.Duration) {
	if m == nil {
		return
	}
	m.sent.Inc()
	m.latency.Observe(max(latency, 0).Seconds())
}

// AlertFailed counts one alert given up on. Keep reason to a few fixed
// values ("blocked", "chat_not_found", "bad_request", "expired"...).
func (m *Metrics) AlertFailed(reason string) {
	if m != nil {
		m.failed.WithLabelValues(m.reasons.get(reason)).Inc()
	}
}

// TooManyRequests counts one 429 from Telegram.
func (m *Metrics) TooManyRequests() {
	if m != nil {
		m.tooMany.Inc()
	}
}

type factory struct{ reg *prometheus.Registry }

func (f factory) counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	f.reg.MustRegister(c)
	return c
}

func (f factory) counterVec(name, help, label string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{label})
	f.reg.MustRegister(c)
	return c
}

func (f factory) histogram(name, help string, buckets []float64) prometheus.Histogram {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets})
	f.reg.MustRegister(h)
	return h
}

// maxLabelValues bounds the distinct values of one label.
const maxLabelValues = 32

// labelSet keeps a label's cardinality bounded: values past max become
// "other", and each is cut to 64 bytes.
type labelSet struct {
	mu   sync.Mutex
	max  int
	seen map[string]bool
}

func (l *labelSet) get(v string) string {
	v = strings.TrimSpace(v)
	if len(v) > 64 {
		v = v[:64]
	}
	if v == "" {
		v = "unknown"
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	if l.seen[v] {
		return v
	}
	if len(l.seen) >= l.max {
		return "other"
	}
	l.seen[v] = true
	return v
}

// stateCollector reads State at scrape time.
type stateCollector struct{ m *Metrics }

var (
	descQueue  = prometheus.NewDesc("newsalert_queue_depth", "Alerts waiting to be sent.", nil, nil)
	descOldest = prometheus.NewDesc("newsalert_queue_oldest_pending_seconds", "Age of the oldest alert waiting to be sent.", nil, nil)
	descChats  = prometheus.NewDesc("newsalert_chats", "Chats by state.", []string{"state"}, nil)
)

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descQueue
	ch <- descOldest
	ch <- descChats
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	if c.m.cfg.State == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.m.cfg.State(ctx)
	if err != nil {
		c.m.log.Warn("metrics: read state", "err", err)
		ch <- prometheus.NewInvalidMetric(descQueue, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(st.QueueDepth))
	ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, st.OldestPending.Seconds())
	ch <- prometheus.MustNewConstMetric(descChats, prometheus.GaugeValue, float64(st.ChatsActive), "active")
	ch <- prometheus.MustNewConstMetric(descChats, prometheus.GaugeValue, float64(st.ChatsBlocked), "blocked")
}
