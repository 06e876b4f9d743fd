package feeds

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsalert/newsalert/store"
)

// doc is one document the test feed server serves.
type doc struct {
	body        []byte
	contentType string
	gzip        bool // gzip the body
	encoding    bool // and say so in Content-Encoding
	status      int  // 0: 200
	noCache     bool // send no ETag or Last-Modified
	header      http.Header
}

// feedServer serves docs by path with ETag and Last-Modified validators and
// counts requests and 304s.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	docs     map[string]doc
	requests atomic.Int64
	notMod   atomic.Int64
}

func newFeedServer(t testing.TB) *feedServer {
	fs := &feedServer{docs: map[string]doc{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) set(path string, d doc) string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.docs[path] = d
	return fs.URL + path
}

func (fs *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	fs.requests.Add(1)
	fs.mu.Lock()
	d, ok := fs.docs[r.URL.Path]
	fs.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	for k, vs := range d.header {
		w.Header()[k] = vs
	}
	if d.status != 0 {
		w.WriteHeader(d.status)
		return
	}
	etag := `"` + shortHash(d.body) + `"`
	if !d.noCache {
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Fri, 27 Nov 2026 10:00:00 GMT")
	}
	if !d.noCache && r.Header.Get("If-None-Match") == etag {
		fs.notMod.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if d.contentType != "" {
		w.Header().Set("Content-Type", d.contentType)
	}
	body := d.body
	if d.gzip {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(body)
		zw.Close()
		body = b.Bytes()
		if d.encoding {
			w.Header().Set("Content-Encoding", "gzip")
		}
	}
	w.Write(body)
}

func shortHash(b []byte) string { return contentHash(Article{Title: string(b)})[:12] }

// clock is a settable Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "news.db")
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

type rig struct {
	db     *sql.DB
	store  *Store
	poller *Poller
	clock  *clock
}

// newRig builds a Poller on a fresh database; fetcher tweaks its config.
func newRig(t testing.TB, fetcher func(*FetcherConfig)) *rig {
	t.Helper()
	c := &clock{t: testNow}
	fc := FetcherConfig{AllowPrivateNetworks: true, Timeout: 5 * time.Second, Now: c.Now}
	if fetcher != nil {
		fetcher(&fc)
	}
	db := openDB(t, "")
	st := NewStore(db)
	st.Now = c.Now
	return &rig{db: db, store: st, clock: c, poller: NewPoller(PollerConfig{
		Fetcher: NewFetcher(fc), Parser: NewParser(), Store: st, Interval: 5 * time.Minute, Now: c.Now,
	})}
}

func (r *rig) poll(t testing.TB, src Source) PollResult {
	t.Helper()
	res, err := r.poller.Poll(context.Background(), src)
	if err != nil {
		t.Fatalf("Poll(%s): %v", src.ID, err)
	}
	return res
}

func (r *rig) count(t testing.TB, q string) int {
	t.Helper()
	var n int
	if err := r.db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
