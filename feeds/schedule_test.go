package feeds

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitFor polls cond until it holds or a generous deadline passes. The
// deadline only bounds a broken test; nothing is asserted about timing.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func newScheduler(t *testing.T, r *rig, spec string, conc int, onNew func(context.Context, Source, []Article)) *Scheduler {
	t.Helper()
	s, err := NewScheduler(SchedulerConfig{Poller: r.poller, Spec: spec, Concurrency: conc, OnNew: onNew, Now: r.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

func TestSpecInterval(t *testing.T) {
	for spec, want := range map[string]time.Duration{"@every 5m": 5 * time.Minute, "*/10 * * * *": 10 * time.Minute, "@hourly": time.Hour} {
		if got, err := SpecInterval(spec); err != nil || got != want {
			t.Errorf("SpecInterval(%q) = %s, %v; want %s", spec, got, err, want)
		}
	}
	if _, err := SpecInterval("every 5 minutes"); err == nil {
		t.Error("SpecInterval accepted a bad spec")
	}
	if _, err := NewScheduler(SchedulerConfig{Spec: "@every"}); err == nil {
		t.Error("NewScheduler accepted a bad spec")
	}
}

func TestSchedulerPollsUpdatesAndReportsNew(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	var mu sync.Mutex
	var got []string
	s := newScheduler(t, r, "@every 1s", 4, func(_ context.Context, src Source, arts []Article) {
		mu.Lock()
		defer mu.Unlock()
		for _, a := range arts {
			got = append(got, src.ID+": "+a.Title)
		}
	})
	uk := readFixture(t, "rss_uk.xml")
	a := Source{ID: "a", URL: fs.set("/a", doc{body: uk})}
	b := Source{ID: "b", URL: fs.set("/b", doc{body: readFixture(t, "rss_windows1251.xml")}), Interval: time.Second}
	s.Update([]Source{a, b})
	s.Start(context.Background())
	seeded := func() bool {
		hs, _ := r.store.Health(context.Background())
		return len(hs) == 2 && hs[0].Articles == 3 && hs[1].Articles == 2
	}
	waitFor(t, "both feeds seeded", seeded)

	// A new item in a: reported through OnNew on a later tick.
	fs.set("/a", doc{body: bytes.Replace(uk, []byte("<item>"), []byte("<item><title>Свіжа новина</title><guid>fresh</guid></item><item>"), 1)})
	waitFor(t, "OnNew for the fresh item", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) == 1 && got[0] == "a: Свіжа новина"
	})

	// Remove b, add c: c is polled right away, b no more.
	c := Source{ID: "c", URL: fs.set("/c", doc{body: readFixture(t, "atom.xml")}), Interval: time.Hour}
	s.Update([]Source{a, c})
	waitFor(t, "c seeded", func() bool { st, _ := r.store.State(context.Background(), "c"); return st.Seeded })
	s.mu.Lock()
	_, bScheduled := s.entries["b"]
	_, cScheduled := s.entries["c"]
	s.mu.Unlock()
	if bScheduled || !cScheduled {
		t.Errorf("entries after Update: b=%v c=%v, want only c", bScheduled, cScheduled)
	}
}

func TestSchedulerSkipsFeedsNotDue(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	url := fs.set("/later", doc{body: readFixture(t, "rss_uk.xml")})
	err := r.store.SaveState(context.Background(), FeedState{ID: "later", URL: url, NextCheck: r.clock.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	now := Source{ID: "now", URL: fs.set("/now", doc{body: readFixture(t, "rss_uk.xml")})}
	s := newScheduler(t, r, "@every 1h", 2, nil)
	s.Update([]Source{{ID: "later", URL: url}, now})
	s.Start(context.Background())
	waitFor(t, "the due feed polled", func() bool { st, _ := r.store.State(context.Background(), "now"); return st.Seeded })
	s.Stop()
	if st, _ := r.store.State(context.Background(), "later"); st.LastAttempt != (time.Time{}) {
		t.Errorf("a feed not due was polled: %+v", st)
	}
}

// blockingServer holds every request until its context ends, counting
// requests in flight.
func blockingServer(t *testing.T) (srv *httptest.Server, inflight, peak *atomic.Int64, canceled chan struct{}) {
	inflight, peak = new(atomic.Int64), new(atomic.Int64)
	canceled = make(chan struct{}, 100)
	release := make(chan struct{})
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		select {
		case <-r.Context().Done():
			canceled <- struct{}{}
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv, inflight, peak, canceled
}

func TestSchedulerConcurrencyAndStop(t *testing.T) {
	srv, inflight, peak, canceled := blockingServer(t)
	r := newRig(t, func(c *FetcherConfig) { c.Timeout = time.Minute })
	s := newScheduler(t, r, "@every 1h", 2, nil)
	var srcs []Source
	for i := range 10 {
		srcs = append(srcs, Source{ID: "f" + itoa(i), URL: srv.URL + "/" + itoa(i)})
	}
	s.Update(srcs)
	s.Start(context.Background())
	waitFor(t, "two polls in flight", func() bool { return inflight.Load() == 2 })
	s.Stop() // must cancel the hanging polls, not wait a minute for them
	if p := peak.Load(); p > 2 {
		t.Errorf("%d polls ran at once, want at most 2", p)
	}
	waitFor(t, "the server to see the cancellations", func() bool { return len(canceled) >= 2 })
	for _, src := range srcs {
		if st, _ := r.store.State(context.Background(), src.ID); st.Failures != 0 {
			t.Errorf("%s: a shutdown was recorded as a feed failure: %+v", src.ID, st)
		}
	}
}
