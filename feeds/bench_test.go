package feeds

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// The benchmarks poll benchFeeds feeds of benchItems items each from one
// local httptest server, through the whole pipeline (HTTP, decode, parse,
// SQLite), and compare with plain gofeed parsing of the same bytes.
//
//	go test ./feeds -run '^$' -bench . -benchtime 3x -benchmem

const (
	benchFeeds = 1000
	benchItems = 20
	benchNew   = 2 // new items per feed per changed poll
)

// benchDoc is feed i's document at generation gen: benchItems items, the
// newest benchNew of which appeared in this generation.
func benchDoc(i, gen int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Стрічка %d</title><link>https://bench.example.org/%d/</link><language>uk</language>
`, i, i)
	top := (gen + 1) * benchNew
	for k := top; k > top-benchItems; k-- {
		fmt.Fprintf(&b, `<item><title>Новина %d стрічки %d: Україна та НАТО</title>
<link>https://bench.example.org/%d/%d?utm_source=rss</link><guid isPermaLink="false">%d-%d</guid>
<description><![CDATA[<p>Короткий опис новини %d з <b>розміткою</b> і посиланням <a href="https://bench.example.org/">сюди</a>. Ще одне речення, щоб текст був схожий на справжній анонс.</p>]]></description>
<pubDate>Fri, 27 Nov 2026 10:%02d:00 +0200</pubDate><category>Політика</category></item>
`, k, i, i, k, i, k, k, k%60)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

type benchServer struct {
	*httptest.Server
	mu   sync.RWMutex
	gen  int
	docs [][]byte
}

func newBenchServer(b *testing.B) *benchServer {
	bs := &benchServer{}
	bs.setGen(0)
	bs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		bs.mu.RLock()
		gen, docs := bs.gen, bs.docs
		bs.mu.RUnlock()
		if err != nil || i < 0 || i >= len(docs) {
			http.NotFound(w, r)
			return
		}
		etag := `"` + strconv.Itoa(gen) + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write(docs[i])
	}))
	b.Cleanup(bs.Close)
	return bs
}

func benchDocs(gen int) [][]byte {
	docs := make([][]byte, benchFeeds)
	for i := range docs {
		docs[i] = benchDoc(i, gen)
	}
	return docs
}

func (bs *benchServer) setGen(gen int) { bs.setDocs(gen, benchDocs(gen)) }

func (bs *benchServer) setDocs(gen int, docs [][]byte) {
	bs.mu.Lock()
	bs.gen, bs.docs = gen, docs
	bs.mu.Unlock()
}

// perItem reports CPU time, allocations and bytes per item, from process
// counters taken around the timed loop (the in-process test server's share
// included for the poll benchmarks).
type perItem struct {
	cpu     time.Duration
	mallocs uint64
	bytes   uint64
}

func startPerItem() perItem {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return perItem{cpuTime(), ms.Mallocs, ms.TotalAlloc}
}

func (p perItem) report(b *testing.B, items int) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	n := float64(items)
	b.ReportMetric(float64((cpuTime()-p.cpu).Microseconds())/n, "cpu-µs/item")
	b.ReportMetric(float64(ms.Mallocs-p.mallocs)/n, "allocs/item")
	b.ReportMetric(float64(ms.TotalAlloc-p.bytes)/n, "B/item")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchPoll(b *testing.B, changed bool) {
	bs := newBenchServer(b)
	r := newRig(b, func(c *FetcherConfig) { c.Timeout = time.Minute })
	r.poller.cfg.Concurrency = 8
	srcs := make([]Source, benchFeeds)
	for i := range srcs {
		srcs[i] = Source{ID: "f" + strconv.Itoa(i), URL: bs.URL + "/" + strconv.Itoa(i), Lang: "uk"}
	}
	ctx := context.Background()
	r.poller.PollAll(ctx, srcs) // seed
	b.ReportAllocs()
	items, fresh := 0, 0
	var gens [][][]byte
	if changed {
		for gen := 1; gen <= b.N; gen++ {
			gens = append(gens, benchDocs(gen))
		}
	}
	var cpu time.Duration
	b.ResetTimer()
	pi := startPerItem()
	for n := range b.N {
		if changed {
			bs.setDocs(n+1, gens[n])
		}
		c0 := cpuTime()
		for _, res := range r.poller.PollAll(ctx, srcs) {
			if res.Err != nil {
				b.Fatalf("%s: %v", res.Source.ID, res.Err)
			}
			if changed == res.NotModified {
				b.Fatalf("%s: notModified=%v", res.Source.ID, res.NotModified)
			}
			items += res.Items
			fresh += len(res.New)
		}
		cpu += cpuTime() - c0
	}
	b.StopTimer()
	feeds := float64(b.N * benchFeeds)
	b.ReportMetric(feeds/b.Elapsed().Seconds(), "feeds/s")
	b.ReportMetric(float64(cpu.Microseconds())/feeds, "cpu-µs/feed")
	if changed {
		if want := b.N * benchFeeds * benchNew; fresh != want {
			b.Fatalf("stored %d new articles, want %d", fresh, want)
		}
		pi.report(b, items)
	}
}

// BenchmarkPoll1000Unchanged: every feed answers 304.
func BenchmarkPoll1000Unchanged(b *testing.B) { benchPoll(b, false) }

// BenchmarkPoll1000Changed: every feed has benchNew new items among
// benchItems; all are parsed, the new ones stored.
func BenchmarkPoll1000Changed(b *testing.B) { benchPoll(b, true) }

// BenchmarkParse1000 is our parser alone on the same documents.
func BenchmarkParse1000(b *testing.B) {
	docs := make([][]byte, benchFeeds)
	for i := range docs {
		docs[i] = benchDoc(i, 1)
	}
	p := NewParser()
	b.ReportAllocs()
	b.ResetTimer()
	pi := startPerItem()
	for range b.N {
		for _, d := range docs {
			if _, err := p.Parse(d, "application/rss+xml; charset=utf-8", testNow); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	pi.report(b, b.N*benchFeeds*benchItems)
	b.ReportMetric(float64(b.N*benchFeeds)/b.Elapsed().Seconds(), "feeds/s")
}

// BenchmarkGofeed1000 is plain gofeed (defaults) on the same documents.
func BenchmarkGofeed1000(b *testing.B) {
	docs := make([][]byte, benchFeeds)
	for i := range docs {
		docs[i] = benchDoc(i, 1)
	}
	fp := gofeed.NewParser()
	b.ReportAllocs()
	b.ResetTimer()
	pi := startPerItem()
	for range b.N {
		for _, d := range docs {
			if _, err := fp.Parse(bytes.NewReader(d)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	pi.report(b, b.N*benchFeeds*benchItems)
	b.ReportMetric(float64(b.N*benchFeeds)/b.Elapsed().Seconds(), "feeds/s")
}
