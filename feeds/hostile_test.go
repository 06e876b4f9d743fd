package feeds

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// hostileServer serves feeds built to hurt: slow, huge, bombs, deep.
func hostileServer(t *testing.T) *httptest.Server {
	good := readFixture(t, "rss_uk.xml")
	deep := deepXML(100_000)
	zeros := make([]byte, 1<<20)
	var mb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&mb, gzip.BestCompression)
	zw.Write(zeros)
	zw.Close()
	member := mb.Bytes()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/good":
			w.Write(good)
		case "/slow": // 1 byte per second, forever
			w.Header().Set("Content-Type", "application/rss+xml")
			w.WriteHeader(http.StatusOK)
			for i := 0; ; i++ {
				if _, err := w.Write([]byte{"<rss>"[i%5]}); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(time.Second):
				}
			}
		case "/huge": // 50 MiB, chunked (no Content-Length to refuse early)
			w.Write([]byte(`<rss version="2.0"><channel><title>`))
			for range 50 {
				if _, err := w.Write(zeros); err != nil {
					return
				}
			}
		case "/bomb", "/bomb-sniffed": // 1 GiB of zeros: 1,024 gzip members of 1 MiB each (~1 MiB sent)
			if r.URL.Path == "/bomb" {
				w.Header().Set("Content-Encoding", "gzip")
			}
			for range 1024 {
				if _, err := w.Write(member); err != nil {
					return
				}
			}
		case "/deep":
			w.Write(deep)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// peakHeap samples the heap until stop is closed and returns the peak.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

func TestHostileFeeds(t *testing.T) {
	srv := hostileServer(t)
	r := newRig(t, func(c *FetcherConfig) { c.Timeout = 3 * time.Second })
	srcs := []Source{
		{ID: "good", URL: srv.URL + "/good"},
		{ID: "slow", URL: srv.URL + "/slow"},
		{ID: "huge", URL: srv.URL + "/huge"},
		{ID: "bomb", URL: srv.URL + "/bomb"},
		{ID: "bomb-sniffed", URL: srv.URL + "/bomb-sniffed"},
		{ID: "deep", URL: srv.URL + "/deep"},
		{ID: "good-too", URL: srv.URL + "/good"},
	}
	runtime.GC()
	stop := make(chan struct{})
	peak := peakHeap(stop)
	results := r.poller.PollAll(context.Background(), srcs)
	close(stop)

	var got []string
	for _, res := range results {
		got = append(got, res.Source.ID+": "+res.Reason)
	}
	want := []string{
		"good: ",
		"slow: timed out",
		"huge: too large (over 10 MiB)",
		"bomb: too large (over 10 MiB)",
		"bomb-sniffed: too large (over 10 MiB)",
		"deep: not a feed (elements nested deeper than 256)",
		"good-too: ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	p := <-peak
	t.Logf("peak heap during the hostile polls: %.1f MiB", float64(p)/(1<<20))
	if p > 200<<20 {
		t.Errorf("peak heap %d MiB, want well under 200 MiB", p>>20)
	}
}

// TestHostileFeedsParallel polls many bombs at once: the cap holds per feed,
// so memory is bounded by concurrency × MaxBody.
func TestHostileFeedsParallel(t *testing.T) {
	srv := hostileServer(t)
	r := newRig(t, func(c *FetcherConfig) { c.Timeout = 10 * time.Second })
	var srcs []Source
	for i := range 8 {
		srcs = append(srcs, Source{ID: "bomb" + itoa(i), URL: srv.URL + "/bomb"}, Source{ID: "huge" + itoa(i), URL: srv.URL + "/huge"})
	}
	runtime.GC()
	stop := make(chan struct{})
	peak := peakHeap(stop)
	var failed atomic.Int64
	for _, res := range r.poller.PollAll(context.Background(), srcs) {
		if Reason(res.Err) == "too large (over 10 MiB)" {
			failed.Add(1)
		}
	}
	close(stop)
	if failed.Load() != int64(len(srcs)) {
		t.Errorf("%d of %d hostile feeds failed as too large", failed.Load(), len(srcs))
	}
	p := <-peak
	t.Logf("peak heap with 8 concurrent hostile polls: %.1f MiB", float64(p)/(1<<20))
	if p > 200<<20 {
		t.Errorf("peak heap %d MiB, want well under 200 MiB", p>>20)
	}
}
