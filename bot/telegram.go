package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// APIConfig says how to reach the Bot API.
type APIConfig struct {
	Token       string
	APIURL      string        // https://api.telegram.org, a self-hosted Bot API server, or a fake
	PollTimeout time.Duration // long-poll timeout of getUpdates; the HTTP timeout is this plus a margin
	Transport   http.RoundTripper
	Logger      *slog.Logger
}

// NewAPI connects to the Bot API (the library calls getMe) through an HTTP
// client that never lets the token into an error and that cancels every
// request when ctx ends: the library itself takes no context.
func NewAPI(ctx context.Context, cfg APIConfig) (*tgbotapi.BotAPI, error) {
	if cfg.Token == "" {
		return nil, errors.New("bot: no Telegram token (set telegram.token or NEWSALERT_TELEGRAM_TOKEN)")
	}
	base := strings.TrimRight(cfg.APIURL, "/")
	if base == "" {
		base = "https://api.telegram.org"
	}
	if _, err := url.Parse(base); err != nil {
		return nil, fmt.Errorf("bot: bad api_url: %w", err)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	setLibraryLogger(cfg.Token, logger)
	d := &redactingClient{
		ctx:   ctx,
		token: cfg.Token,
		http:  &http.Client{Timeout: cfg.PollTimeout + 15*time.Second, Transport: cfg.Transport},
	}
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, base+"/bot%s/%s", d)
	if err != nil {
		return nil, fmt.Errorf("bot: connect to Telegram: %w", redact(err, cfg.Token))
	}
	return api, nil
}

// redactingClient is the tgbotapi.HTTPClient the bot uses.
type redactingClient struct {
	ctx   context.Context
	token string
	http  *http.Client
}

// ServerError is a reply from Telegram, or a proxy in front of it, that is
// not the Bot API's JSON (a 502 page): the library would lose the status.
type ServerError struct {
	Status int
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("bot: Telegram answered HTTP %d without a JSON body", e.Status)
}

func (c *redactingClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.http.Do(req.WithContext(c.ctx))
	if err != nil {
		return nil, redact(err, c.token)
	}
	if resp.StatusCode >= 300 && !isJSON(resp.Header.Get("Content-Type")) {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		return nil, &ServerError{Status: resp.StatusCode}
	}
	return resp, nil
}

func isJSON(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "application/json"
}

// redact returns err with every occurrence of the token replaced, keeping
// the chain so that errors.Is (context.Canceled, timeouts) still works.
func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: strings.ReplaceAll(ue.URL, token, "<token>"), Err: redactedError{ue.Err, token}}
	}
	return redactedError{err, token}
}

type redactedError struct {
	err   error
	token string
}

func (e redactedError) Error() string { return strings.ReplaceAll(e.err.Error(), e.token, "<token>") }
func (e redactedError) Unwrap() error { return e.err }

var libraryLogger struct {
	sync.Mutex
	tokens []string
}

// setLibraryLogger routes the library's own log lines (it logs only in debug
// mode and in GetUpdatesChan, which we do not use) to slog, redacted.
func setLibraryLogger(token string, logger *slog.Logger) {
	libraryLogger.Lock()
	defer libraryLogger.Unlock()
	libraryLogger.tokens = append(libraryLogger.tokens, token)
	tgbotapi.SetLogger(libLog{logger})
}

type libLog struct{ l *slog.Logger }

func (l libLog) Println(v ...any)               { l.out(fmt.Sprint(v...)) }
func (l libLog) Printf(format string, v ...any) { l.out(fmt.Sprintf(format, v...)) }
func (l libLog) out(s string) {
	libraryLogger.Lock()
	for _, t := range libraryLogger.tokens {
		s = strings.ReplaceAll(s, t, "<token>")
	}
	libraryLogger.Unlock()
	l.l.Debug("telegram library", "msg", strings.TrimSpace(s))
}
