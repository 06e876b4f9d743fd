package feeds

import (
	"context"
	"time"
)

// ProbeError is a URL that does not hold a feed we can read; Reason is
// Reason's one line for an admin.
type ProbeError struct {
	URL, Reason string
	Err         error
}

func (e *ProbeError) Error() string { return e.URL + ": " + e.Reason }
func (e *ProbeError) Unwrap() error { return e.Err }

// Probe fetches and parses url once, with the fetcher and parser a poll
// uses (so the same limits and private-network rule apply): what an admin
// is told before a feed is added.
func Probe(ctx context.Context, f *Fetcher, p *Parser, url string, now time.Time) (*Feed, error) {
	res, err := f.Fetch(ctx, url, Validators{})
	if err != nil {
		return nil, &ProbeError{URL: url, Reason: Reason(err), Err: err}
	}
	if res.NotModified || len(res.Body) == 0 {
		return nil, &ProbeError{URL: url, Reason: "empty answer"}
	}
	parsed, err := p.Parse(res.Body, res.ContentType, now)
	if err != nil {
		return nil, &ProbeError{URL: url, Reason: Reason(err), Err: err}
	}
	return parsed, nil
}
