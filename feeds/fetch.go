package feeds

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// FetcherConfig sets the limits of a Fetcher. Zero values take the defaults
// noted on each field.
type FetcherConfig struct {
	Timeout              time.Duration // whole request including the body; default 20 s
	ConnectTimeout       time.Duration // TCP connect; default 10 s
	MaxBody              int64         // cap on the decompressed body; default 10 MiB
	UserAgent            string        // default "newsalert (+https://github.com/newsalert/newsalert)"
	AllowPrivateNetworks bool          // let feeds live on loopback, private, link-local... addresses
	MaxRedirects         int           // default 5; negative: follow none
	MaxCacheAge          time.Duration // bound on Cache-Control max-age honoured; default 1 h
	MaxRetryAfter        time.Duration // bound on Retry-After honoured; default 6 h
	Now                  func() time.Time

	// Test hooks: resolve maps a host name to an IP before dialling (as a
	// resolver would), allowAddr lets address:port pairs through the SSRF
	// guard as if they were public.
	resolve   func(host string) (string, bool)
	allowAddr func(netip.AddrPort) bool
}

// Validators are the conditional-GET values from the previous response.
type Validators struct {
	ETag         string
	LastModified string
}

// FetchResult is a successful response (200 or 304).
type FetchResult struct {
	URL         string // final URL after redirects
	Status      int
	NotModified bool   // 304: Body is empty
	Body        []byte // decompressed, at most MaxBody bytes
	ContentType string
	Validators  Validators
	NotBefore   time.Time // from Cache-Control max-age (bounded); zero when absent
}

// Fetcher downloads feeds with its own http.Client: timeouts, a body cap
// applied after decompression, conditional GET and the SSRF guard. It is
// safe for concurrent use.
type Fetcher struct {
	cfg    FetcherConfig
	client *http.Client
}

const defaultUserAgent = "newsalert (+https://github.com/newsalert/newsalert)"

// NewFetcher builds a Fetcher.
func NewFetcher(cfg FetcherConfig) *Fetcher {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 20 * time.Second
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 10 << 20
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = defaultUserAgent
	}
	if cfg.MaxRedirects == 0 {
		cfg.MaxRedirects = 5
	}
	if cfg.MaxCacheAge <= 0 {
		cfg.MaxCacheAge = time.Hour
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = 6 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivateNetworks {
		dialer.Control = dialGuard(cfg.allowAddr)
	}
	dial := dialer.DialContext
	if cfg.resolve != nil {
		dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err == nil {
				if ip, ok := cfg.resolve(host); ok {
					addr = net.JoinHostPort(ip, port)
				}
			}
			return dialer.DialContext(ctx, network, addr)
		}
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us and bypass the SSRF guard
		DialContext:           dial,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		ResponseHeaderTimeout: cfg.Timeout,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
		DisableCompression:    true, // we decompress ourselves, under the cap
	}
	f := &Fetcher{cfg: cfg}
	f.client = &http.Client{Transport: tr, CheckRedirect: f.checkRedirect}
	return f
}

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.cfg.MaxRedirects {
		return fmt.Errorf("%w (over %d)", ErrTooManyHops, max(f.cfg.MaxRedirects, 0))
	}
	if err := checkScheme(req.URL); err != nil {
		return err
	}
	// Validators belong to the original URL; they travel along, which is
	// harmless: a different resource will not match them.
	return nil
}

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: scheme %q not allowed", ErrBadURL, u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("%w: no host", ErrBadURL)
	}
	return nil
}

// Fetch downloads rawURL. It returns a result for 200 and 304 (NotModified)
// and an error otherwise: *HTTPError for other statuses (with RetryAfter on
// 429/503), ErrTooLarge, ErrTimeout, ErrPrivateAddress, ErrBadURL.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, v Validators) (*FetchResult, error) {
	res, err := f.fetch(ctx, rawURL, v)
	if err != nil {
		return nil, fmt.Errorf("feeds: fetch %q: %w", rawURL, err)
	}
	return res, nil
}

func (f *Fetcher) fetch(ctx context.Context, rawURL string, v Validators) (*FetchResult, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if err := checkScheme(u); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeoutCause(ctx, f.cfg.Timeout, ErrTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
	req.Header.Set("Accept-Encoding", "gzip")
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.classify(ctx, err)
	}
	defer resp.Body.Close()
	now := f.cfg.Now()
	res := &FetchResult{
		URL:         resp.Request.URL.String(),
		Status:      resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		Validators:  Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")},
		NotBefore:   maxAge(resp.Header, now, f.cfg.MaxCacheAge),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		res.NotModified = true
		if res.Validators == (Validators{}) {
			res.Validators = v // a 304 need not repeat them
		}
		return res, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		return nil, &HTTPError{Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header, now, f.cfg.MaxRetryAfter)}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, &HTTPError{Status: resp.StatusCode}
	}
	body, err := f.readBody(resp)
	if err != nil {
		return nil, f.classify(ctx, err)
	}
	res.Body = body
	return res, nil
}

// classify maps transport errors to our sentinels, keeping the cause.
func (f *Fetcher) classify(ctx context.Context, err error) error {
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrPrivateAddress) || errors.Is(err, ErrBadURL) || errors.Is(err, ErrTooManyHops) {
		return err
	}
	if errors.Is(context.Cause(ctx), ErrTimeout) || isNetTimeout(err) {
		return fmt.Errorf("%w (after %s): %v", ErrTimeout, f.cfg.Timeout, err)
	}
	return err
}

// maxAge is now + Cache-Control max-age, bounded by limit; zero if absent.
func maxAge(h http.Header, now time.Time, limit time.Duration) time.Time {
	for _, d := range strings.Split(h.Get("Cache-Control"), ",") {
		d = strings.TrimSpace(strings.ToLower(d))
		if v, ok := strings.CutPrefix(d, "max-age="); ok {
			secs, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64)
			if err != nil || secs <= 0 {
				return time.Time{}
			}
			return now.Add(min(time.Duration(min(secs, 1<<31))*time.Second, limit))
		}
	}
	return time.Time{}
}

// retryAfter parses Retry-After (seconds or an HTTP date), bounded by limit.
func retryAfter(h http.Header, now time.Time, limit time.Duration) time.Time {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return time.Time{}
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		d = time.Duration(min(max(secs, 0), 1<<31)) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return time.Time{}
	}
	if d <= 0 {
		return time.Time{}
	}
	return now.Add(min(d, limit))
}
