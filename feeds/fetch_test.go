package feeds

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestIsPublic(t *testing.T) {
	tests := map[string]bool{
		"8.8.8.8":                true,
		"1.1.1.1":                true,
		"2a00:1450:4001::1":      true,
		"::ffff:8.8.8.8":         true,
		"127.0.0.1":              false,
		"127.1.2.3":              false,
		"10.1.2.3":               false,
		"172.16.0.1":             false,
		"192.168.1.1":            false,
		"169.254.169.254":        false,
		"100.64.0.1":             false,
		"100.127.255.254":        false,
		"0.0.0.0":                false,
		"224.0.0.1":              false,
		"255.255.255.255":        false,
		"::":                     false,
		"::1":                    false,
		"fc00::1":                false,
		"fd12:3456::1":           false,
		"fe80::1":                false,
		"ff02::1":                false,
		"::ffff:127.0.0.1":       false,
		"::ffff:169.254.169.254": false,
		"::127.0.0.1":            false,
		"64:ff9b::a9fe:a9fe":     false,
	}
	for s, want := range tests {
		if got := isPublic(netip.MustParseAddr(s)); got != want {
			t.Errorf("isPublic(%s) = %v, want %v", s, got, want)
		}
	}
}

// countingServer is a loopback HTTP server that counts accepted connections.
func countingServer(t *testing.T, h http.Handler) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	n := new(atomic.Int64)
	srv := httptest.NewUnstartedServer(h)
	srv.Listener = &countingListener{Listener: ln, n: n}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, n
}

type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

func TestSSRF(t *testing.T) {
	feed := readFixture(t, "rss_uk.xml")
	target, accepted := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(feed) }))
	port := target.Listener.Addr().(*net.TCPAddr).Port
	portStr := itoa(port)

	// "public" stands for an Internet host: its own address is let through
	// the guard; everything it redirects to is judged normally.
	var redirected atomic.Int64
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		redirected.Add(1)
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	t.Cleanup(public.Close)
	publicAddr := netip.MustParseAddrPort(public.Listener.Addr().String())

	f := NewFetcher(FetcherConfig{
		Timeout: 5 * time.Second,
		resolve: func(host string) (string, bool) {
			return map[string]string{"rebind.example": "127.0.0.1", "public.example": "127.0.0.1"}[host], host != "localhost" && strings.HasSuffix(host, ".example")
		},
		allowAddr: func(ap netip.AddrPort) bool { return ap == publicAddr },
	})
	publicURL := "http://public.example:" + itoa(int(publicAddr.Port())) + "/?to="
	tests := []struct {
		name, url string
		want      error
		reason    string
	}{
		{"loopback literal", target.URL + "/", ErrPrivateAddress, "refused private address 127.0.0.1"},
		{"localhost", "http://localhost:" + portStr + "/", ErrPrivateAddress, ""},
		{"name resolving to loopback", "http://rebind.example:" + portStr + "/", ErrPrivateAddress, "refused private address 127.0.0.1"},
		{"IPv4-mapped IPv6", "http://[::ffff:127.0.0.1]:" + portStr + "/", ErrPrivateAddress, "refused private address 127.0.0.1"},
		{"unspecified", "http://0.0.0.0:" + portStr + "/", ErrPrivateAddress, "refused private address 0.0.0.0"},
		{"redirect to loopback", publicURL + target.URL + "/", ErrPrivateAddress, "refused private address 127.0.0.1"},
		{"redirect to metadata", publicURL + "http://169.254.169.254/latest/meta-data/", ErrPrivateAddress, "refused private address 169.254.169.254"},
		{"redirect to file", publicURL + "file:///etc/passwd", ErrBadURL, ""},
		{"ftp scheme", "ftp://example.org/feed", ErrBadURL, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), tt.url, Validators{})
			if err == nil {
				t.Fatalf("Fetch(%s) succeeded", tt.url)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Fetch(%s) = %v, want %v", tt.url, err, tt.want)
			}
			if tt.reason != "" && Reason(err) != tt.reason {
				t.Errorf("Reason = %q, want %q", Reason(err), tt.reason)
			}
		})
	}
	if n := accepted.Load(); n != 0 {
		t.Errorf("the loopback listener accepted %d connections, want 0", n)
	}
	if n := redirected.Load(); n != 3 {
		t.Errorf("the public host served %d redirects, want 3", n)
	}

	// The same target is reachable when private networks are allowed.
	open := NewFetcher(FetcherConfig{AllowPrivateNetworks: true})
	if _, err := open.Fetch(context.Background(), target.URL+"/", Validators{}); err != nil || accepted.Load() != 1 {
		t.Errorf("with AllowPrivateNetworks: err=%v accepted=%d", err, accepted.Load())
	}
}

func TestFetchRedirects(t *testing.T) {
	feed := readFixture(t, "rss_uk.xml")
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/hop":
			http.Redirect(w, r, "/feed", http.StatusMovedPermanently)
		default:
			w.Write(feed)
		}
	}))
	defer srv.Close()
	f := NewFetcher(FetcherConfig{AllowPrivateNetworks: true, MaxRedirects: 3})
	res, err := f.Fetch(context.Background(), srv.URL+"/hop", Validators{})
	if err != nil || res.URL != srv.URL+"/feed" {
		t.Errorf("one redirect: %v, final URL %v", err, res)
	}
	_, err = f.Fetch(context.Background(), srv.URL+"/loop", Validators{})
	if !errors.Is(err, ErrTooManyHops) || Reason(err) != "too many redirects" {
		t.Errorf("redirect loop: %v (%q)", err, Reason(err))
	}
}

func TestReason(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{&HTTPError{Status: 404}, "HTTP 404"},
		{&tooLargeError{limit: 10 << 20}, "too large (over 10 MiB)"},
		{&xmlError{msg: "XML syntax error on line 3:\n unexpected EOF"}, "bad XML: XML syntax error on line 3: unexpected EOF"},
		{&net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}, "DNS: no such host"},
		{context.DeadlineExceeded, "timed out"},
		{errors.New("feeds: something else"), "something else"},
	}
	for _, tt := range tests {
		if got := Reason(tt.err); got != tt.want {
			t.Errorf("Reason(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestRetryAfterAndMaxAge(t *testing.T) {
	now := testNow
	h := http.Header{}
	h.Set("Retry-After", "120")
	if got := retryAfter(h, now, time.Hour); !got.Equal(now.Add(2 * time.Minute)) {
		t.Errorf("Retry-After 120 = %v", got)
	}
	h.Set("Retry-After", now.Add(3*time.Hour).Format(http.TimeFormat))
	if got := retryAfter(h, now, time.Hour); !got.Equal(now.Add(time.Hour)) {
		t.Errorf("Retry-After date beyond the bound = %v, want now+1h", got)
	}
	h.Set("Retry-After", "soon")
	if got := retryAfter(h, now, time.Hour); !got.IsZero() {
		t.Errorf("Retry-After garbage = %v, want zero", got)
	}
	h.Set("Cache-Control", "no-transform, max-age=99999999")
	if got := maxAge(h, now, time.Hour); !got.Equal(now.Add(time.Hour)) {
		t.Errorf("huge max-age = %v, want bounded to 1h", got)
	}
	h.Set("Cache-Control", "no-cache")
	if got := maxAge(h, now, time.Hour); !got.IsZero() {
		t.Errorf("no max-age = %v", got)
	}
}

func TestFetchFailureReasons(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/"
	ln.Close()
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()

	f := NewFetcher(FetcherConfig{AllowPrivateNetworks: true, Timeout: 5 * time.Second})
	tests := []struct{ url, want string }{
		{closed, "connection refused"},
		{tlsSrv.URL + "/", "TLS: certificate signed by unknown authority"},
		{"https://" + strings.TrimPrefix(plain.URL, "http://") + "/", "TLS: server does not speak TLS"},
		{plain.URL + "/feed", "HTTP 404"},
	}
	for _, tt := range tests {
		_, err := f.Fetch(context.Background(), tt.url, Validators{})
		if got := Reason(err); got != tt.want {
			t.Errorf("Fetch(%s): Reason = %q, want %q (err: %v)", tt.url, got, tt.want, err)
		}
	}
}
