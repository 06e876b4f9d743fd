// Package translate gives a story's title and summary in a reader's
// language when the outlet publishes no edition in it: a client of a
// self-hosted LibreTranslate server (or of DeepL's API, deepl.go), with
// every translation cached in SQLite once per article and target language.
//
// It is an optional fallback: a translator that is down, slow or answering
// errors costs an alert at most the configured timeout, and the alert then
// goes out untranslated. It does not decide who gets which edition (that
// is bot/delivery) nor how the result is shown (bot).
package translate

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/newsalert/newsalert/feeds"
)

// Config configures a Translator.
type Config struct {
	// Provider is "libretranslate" (the default) or "deepl" (deepl.go).
	Provider string
	URL      string        // the LibreTranslate server, e.g. http://127.0.0.1:5000; DeepL: its API base
	APIKey   string        // sent as api_key when set; never logged
	Timeout  time.Duration // whole request; default 10 s
	// Cooldown: after a failure, articles are not sent to the server for
	// this long, so that a server that is down does not delay every alert
	// by the timeout. Default 30 s.
	Cooldown time.Duration
	Client   *http.Client // default: a client with Timeout
	Now      func() time.Time
	Logger   *slog.Logger
}

// Translator translates articles, caching in the translations table of
// store/migrations/0010_translations.sql. It is safe for concurrent use;
// concurrent requests for one article and language share one call.
type Translator struct {
	cfg Config
	db  *sql.DB

	mu       sync.Mutex
	inflight map[key]*call
	downTill time.Time
}

type key struct {
	article int64
	target  string
}

type call struct {
	done           chan struct{}
	title, summary string
	err            error
}

// ErrUnavailable: the translator failed recently; nothing was asked.
var ErrUnavailable = errors.New("translate: translator unavailable (cooling down after a failure)")

// New returns a Translator over db (migrated by package store).
func New(cfg Config, db *sql.DB) *Translator {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Cooldown <= 0 {
		cfg.Cooldown = 30 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: cfg.Timeout}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	return &Translator{cfg: cfg, db: db, inflight: map[key]*call{}}
}

// Translate returns art's title and summary in target, from the cache or
// the server; within Config.Timeout in any case.
func (t *Translator) Translate(ctx context.Context, art *feeds.Article, target string) (string, string, error) {
	if art == nil || art.ID == 0 {
		return "", "", errors.New("translate: no article")
	}
	if title, summary, ok, err := t.cached(ctx, art.ID, target); err != nil || ok {
		return title, summary, err
	}
	k := key{art.ID, target}
	t.mu.Lock()
	if t.cfg.Now().Before(t.downTill) {
		t.mu.Unlock()
		return "", "", ErrUnavailable
	}
	c := t.inflight[k]
	leader := c == nil
	if leader {
		c = &call{done: make(chan struct{})}
		t.inflight[k] = c
	}
	t.mu.Unlock()
	if leader {
		// A call that finished just before ours became leader has cached
		// its answer: look again before asking the server.
		var ok bool
		c.title, c.summary, ok, c.err = t.cached(ctx, art.ID, target)
		if !ok && c.err == nil {
			c.title, c.summary, c.err = t.fetch(ctx, art, target)
			if c.err == nil {
				if err := t.store(ctx, art, target, c.title, c.summary); err != nil {
					t.cfg.Logger.Warn("translate: cache a translation", "article", art.ID, "err", err)
				}
			}
		}
		t.mu.Lock()
		delete(t.inflight, k)
		if c.err != nil {
			t.downTill = t.cfg.Now().Add(t.cfg.Cooldown)
		}
		t.mu.Unlock()
		close(c.done)
		return c.title, c.summary, c.err
	}
	select {
	case <-c.done:
		return c.title, c.summary, c.err
	case <-ctx.Done():
		return "", "", ctx.Err()
	}
}

func (t *Translator) cached(ctx context.Context, article int64, target string) (string, string, bool, error) {
	var title, summary string
	err := t.db.QueryRowContext(ctx, `SELECT title, summary FROM translations WHERE article_id = ? AND target = ?`,
		article, target).Scan(&title, &summary)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("translate: read cache: %w", err)
	}
	return title, summary, true, nil
}

func (t *Translator) store(ctx context.Context, art *feeds.Article, target, title, summary string) error {
	_, err := t.db.ExecContext(ctx, `INSERT OR REPLACE INTO translations(article_id, target, source, title, summary, created)
		VALUES(?, ?, ?, ?, ?, ?)`, art.ID, target, art.Lang, title, summary, t.cfg.Now().Unix())
	return err
}

// Prune forgets translations made more than maxAge ago: the articles they
// translate are pruned after the same retention (retention.articles), and
// this package does not read the articles table, which feeds owns.
func (t *Translator) Prune(ctx context.Context, maxAge time.Duration) (int64, error) {
	if maxAge <= 0 {
		return 0, nil
	}
	res, err := t.db.ExecContext(ctx, `DELETE FROM translations WHERE created < ?`, t.cfg.Now().Add(-maxAge).Unix())
	if err != nil {
		return 0, fmt.Errorf("translate: prune: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// post sends a JSON body to url (with an Authorization header when auth is
// not empty) and returns the status and at most 1 MiB of the answer; the key
// is kept out of the error.
func (t *Translator) post(ctx context.Context, url string, body []byte, auth string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("translate: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := t.cfg.Client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("translate: request: %w", redact(err, t.cfg.APIKey))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, nil, fmt.Errorf("translate: read answer: %w", err)
	}
	return resp.StatusCode, data, nil
}

// maxText bounds what one article sends: a title and a summary cut for an
// alert are far shorter.
const maxText = 2000

// fetch asks the server: POST /translate with q as an array of title and
// summary, answered {"translatedText": [...]} or {"error": "..."}.
func (t *Translator) fetch(ctx context.Context, art *feeds.Article, target string) (string, string, error) {
	ctx, cancel := context.WithTimeout(ctx, t.cfg.Timeout)
	defer cancel()
	if t.cfg.Provider == "deepl" {
		return t.fetchDeepL(ctx, art, target)
	}
	body := map[string]any{
		"q":      []string{cut(art.Title), cut(art.Summary)},
		"source": art.Lang,
		"target": target,
		"format": "text",
	}
	if t.cfg.APIKey != "" {
		body["api_key"] = t.cfg.APIKey
	}
	b, _ := json.Marshal(body)
	status, data, err := t.post(ctx, t.cfg.URL+"/translate", b, "")
	if err != nil {
		return "", "", err
	}
	var out struct {
		TranslatedText json.RawMessage `json:"translatedText"`
		Error          string          `json:"error"`
	}
	jerr := json.Unmarshal(data, &out)
	if status != http.StatusOK {
		msg := out.Error
		if jerr != nil || msg == "" {
			msg = http.StatusText(status)
		}
		return "", "", fmt.Errorf("translate: server answered %d: %s", status, cut(msg))
	}
	if jerr != nil {
		return "", "", fmt.Errorf("translate: answer is not JSON: %w", jerr)
	}
	var texts []string
	if err := json.Unmarshal(out.TranslatedText, &texts); err != nil || len(texts) != 2 {
		return "", "", fmt.Errorf("translate: answer has no translatedText for title and summary")
	}
	if strings.TrimSpace(texts[0]) == "" {
		return "", "", errors.New("translate: empty translation")
	}
	return strings.TrimSpace(texts[0]), strings.TrimSpace(texts[1]), nil
}

func cut(s string) string {
	if len(s) <= maxText {
		return s
	}
	for i := maxText; i > 0; i-- {
		if s[i]&0xc0 != 0x80 {
			return s[:i]
		}
	}
	return ""
}

// redact keeps the API key out of an error (it travels in the body, but a
// misconfigured URL might carry it).
func redact(err error, secret string) error {
	if secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), secret, "[redacted]"))
}
