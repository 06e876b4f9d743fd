package feeds

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Sentinel errors callers branch on. Every error the Fetcher, the parser and
// the Poller return wraps at most one of them; Reason turns any of them into
// a one-line text for an admin.
var (
	ErrPrivateAddress = errors.New("feeds: refused private address")
	ErrTooLarge       = errors.New("feeds: body too large")
	ErrNotFeed        = errors.New("feeds: not a feed")
	ErrTimeout        = errors.New("feeds: timed out")
	ErrHTTPStatus     = errors.New("feeds: HTTP error status")
	ErrBadXML         = errors.New("feeds: bad XML")
	ErrBadURL         = errors.New("feeds: bad URL")
	ErrTooManyHops    = errors.New("feeds: too many redirects")
)

// HTTPError is a response status we do not accept. It matches ErrHTTPStatus
// with errors.Is.
type HTTPError struct {
	Status     int
	RetryAfter time.Time // from a Retry-After header on 429/503; zero when absent
}

func (e *HTTPError) Error() string { return fmt.Sprintf("feeds: HTTP %d", e.Status) }

// Is makes errors.Is(err, ErrHTTPStatus) true.
func (e *HTTPError) Is(target error) bool { return target == ErrHTTPStatus }

// privateAddrError names the address the SSRF guard refused.
type privateAddrError struct{ addr netip.Addr }

func (e *privateAddrError) Error() string {
	return "feeds: refused private address " + e.addr.String()
}
func (e *privateAddrError) Is(target error) bool { return target == ErrPrivateAddress }

// tooLargeError names the cap a body went over.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return "feeds: body too large (over " + humanBytes(e.limit) + ")"
}
func (e *tooLargeError) Is(target error) bool { return target == ErrTooLarge }

// xmlError is a parse failure of a document that looked like a feed.
type xmlError struct{ msg string }

func (e *xmlError) Error() string        { return "feeds: bad XML: " + e.msg }
func (e *xmlError) Is(target error) bool { return target == ErrBadXML }

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Reason is a short, one-line description of why a feed failed, for an admin:
// "not a feed", "too large (over 10 MiB)", "timed out", "refused private
// address 127.0.0.1", "HTTP 404", "bad XML: ...", "TLS: ...", "DNS: no such
// host". It returns "" for a nil error.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	var (
		pe   *privateAddrError
		tl   *tooLargeError
		he   *HTTPError
		xe   *xmlError
		dnse *net.DNSError
	)
	switch {
	case errors.As(err, &pe):
		return "refused private address " + pe.addr.String()
	case errors.Is(err, ErrPrivateAddress):
		return "refused private address"
	case errors.As(err, &tl):
		return "too large (over " + humanBytes(tl.limit) + ")"
	case errors.Is(err, ErrTooLarge):
		return "too large"
	case errors.As(err, &he):
		return fmt.Sprintf("HTTP %d", he.Status)
	case errors.Is(err, ErrNotFeed):
		if msg := detail(err, ErrNotFeed); msg != "" {
			return "not a feed (" + msg + ")"
		}
		return "not a feed"
	case errors.As(err, &xe):
		return oneLine("bad XML: " + xe.msg)
	case errors.Is(err, ErrTooManyHops):
		return "too many redirects"
	case errors.Is(err, ErrBadURL):
		return oneLine("bad URL: " + detail(err, ErrBadURL))
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded), isNetTimeout(err):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &dnse):
		if dnse.IsNotFound {
			return "DNS: no such host"
		}
		return oneLine("DNS: " + dnse.Err)
	}
	if msg, ok := tlsReason(err); ok {
		return oneLine("TLS: " + msg)
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		if errors.Is(oe.Err, syscall.ECONNREFUSED) {
			return "connection refused"
		}
		return oneLine("network: " + oe.Err.Error())
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return oneLine(ue.Err.Error())
	}
	return oneLine(strings.TrimPrefix(err.Error(), "feeds: "))
}

// detail is the text a wrapper put after the sentinel's own message, if the
// sentinel was wrapped as fmt.Errorf("%w: detail", sentinel).
func detail(err, sentinel error) string {
	s := err.Error()
	i := strings.LastIndex(s, sentinel.Error()+": ")
	if i < 0 {
		return ""
	}
	return s[i+len(sentinel.Error())+2:]
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func tlsReason(err error) (string, bool) {
	var (
		ue  x509.UnknownAuthorityError
		he  x509.HostnameError
		ce  x509.CertificateInvalidError
		rhe tls.RecordHeaderError
		ve  *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &ue):
		return "certificate signed by unknown authority", true
	case errors.As(err, &he):
		return he.Error(), true
	case errors.As(err, &ce):
		return ce.Error(), true
	case errors.As(err, &ve):
		return ve.Err.Error(), true
	case errors.As(err, &rhe), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "server does not speak TLS", true
	}
	if s := err.Error(); strings.Contains(s, "tls: ") {
		return s[strings.Index(s, "tls: ")+5:], true
	}
	return "", false
}

// oneLine keeps a reason to one short line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:159]) + "…"
	}
	return s
}

// Result is a poll's outcome as one of a few fixed words, for metrics:
// ok, not_modified, or the kind of failure.
func (r PollResult) Result() string {
	switch {
	case r.Err == nil && r.NotModified:
		return "not_modified"
	case r.Err == nil:
		return "ok"
	case errors.Is(r.Err, ErrPrivateAddress):
		return "private_address"
	case errors.Is(r.Err, ErrTooLarge):
		return "too_large"
	case errors.Is(r.Err, ErrNotFeed):
		return "not_a_feed"
	case errors.Is(r.Err, ErrTimeout):
		return "timeout"
	case errors.Is(r.Err, ErrHTTPStatus):
		return "http_error"
	case errors.Is(r.Err, ErrBadXML):
		return "bad_xml"
	}
	return "error"
}
