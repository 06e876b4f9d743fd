package delivery

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func ms(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }

func TestLimiterPerChatWindowCountsFromStartToResponse(t *testing.T) {
	l := NewLimiter(Limits{GlobalPerSecond: 30, PerChatPerSecond: 1, PerGroupPerMinute: 20, Margin: -1})
	s, _, _ := l.Reserve(1, ms(0), Keep{})
	if s == nil {
		t.Fatal("first call refused")
	}
	if s2, at, global := l.Reserve(1, ms(10), Keep{}); s2 != nil || !at.IsZero() || global {
		t.Fatalf("second call while the first is in flight: slot %v, retry %v, global %v", s2 != nil, at, global)
	}
	if s2, _, _ := l.Reserve(2, ms(10), Keep{}); s2 == nil {
		t.Fatal("another chat refused")
	} else {
		s2.Cancel()
	}
	s.Done(ms(200)) // the response came back after 200 ms
	if s2, at, _ := l.Reserve(1, ms(900), Keep{}); s2 != nil || !at.Equal(ms(1200)) {
		t.Fatalf("at 900 ms: slot %v, retry %v; want refusal until 1200 ms", s2 != nil, at)
	}
	if s2, _, _ := l.Reserve(1, ms(1200), Keep{}); s2 == nil {
		t.Fatal("refused at 1200 ms")
	}
}

func TestLimiterGroupMinuteAndGlobalReserve(t *testing.T) {
	l := NewLimiter(Limits{GlobalPerSecond: 3, PerChatPerSecond: 5, PerGroupPerMinute: 2, Margin: -1})
	for i := 0; i < 2; i++ {
		s, _, _ := l.Reserve(-5, ms(i*1000), Keep{})
		if s == nil {
			t.Fatalf("group call %d refused", i)
		}
		s.Done(ms(i*1000 + 10))
	}
	if s, at, global := l.Reserve(-5, ms(30000), Keep{}); s != nil || global || !at.Equal(ms(60010)) {
		t.Fatalf("third group call in a minute: slot %v, retry %v, global %v", s != nil, at, global)
	}
	// Global 3/s with one kept for replies: alerts get 2.
	for c := int64(1); c <= 2; c++ {
		if s, _, _ := l.Reserve(c, ms(30000), Keep{Global: 1}); s == nil {
			t.Fatalf("alert %d refused", c)
		}
	}
	if s, _, global := l.Reserve(3, ms(30000), Keep{Global: 1}); s != nil || !global {
		t.Fatal("alert took the reply's slot")
	}
	if s, _, _ := l.Reserve(3, ms(30000), Keep{}); s == nil {
		t.Fatal("reply refused its reserved slot")
	}
	// Alerts leave two of a group's 20 a minute to replies.
	l = NewLimiter(Limits{GlobalPerSecond: 100, PerChatPerSecond: 100, PerGroupPerMinute: 20, Margin: -1})
	for i := 0; i < 18; i++ {
		if s, _, _ := l.Reserve(-7, ms(i), Keep{Group: 2}); s == nil {
			t.Fatalf("group alert %d refused", i)
		}
	}
	if s, _, _ := l.Reserve(-7, ms(20), Keep{Group: 2}); s != nil {
		t.Fatal("19th alert took a reply's slot")
	}
	for i := 0; i < 2; i++ {
		if s, _, _ := l.Reserve(-7, ms(20), Keep{}); s == nil {
			t.Fatalf("reply %d refused", i)
		}
	}
	l.Sweep(ms(200000))
}

// TestLimiterNeverExceedsLimitsAtArrival simulates many calls with random
// latencies, each arriving at the server at a random instant between its
// start and its response, and checks the sliding windows at the server.
func TestLimiterNeverExceedsLimitsAtArrival(t *testing.T) {
	lim := Limits{GlobalPerSecond: 30, PerChatPerSecond: 1, PerGroupPerMinute: 20, Margin: -1}
	l := NewLimiter(lim)
	rng := rand.New(rand.NewPCG(1, 2))
	type flight struct {
		slot     *Slot
		chat     int64
		arrive   time.Time
		response time.Time
	}
	var inflight []flight
	arrivals := map[int64][]time.Time{}
	var all []time.Time
	now := t0
	for step := 0; step < 20000; step++ {
		now = now.Add(time.Duration(rng.IntN(20)) * time.Millisecond)
		// Finish calls whose response is due.
		kept := inflight[:0]
		for _, f := range inflight {
			if !f.response.After(now) {
				f.slot.Done(f.response)
				continue
			}
			kept = append(kept, f)
		}
		inflight = kept
		chat := int64(rng.IntN(40)) - 10 // some groups
		s, _, _ := l.Reserve(chat, now, Keep{})
		if s == nil {
			continue
		}
		latency := time.Duration(rng.IntN(1500)) * time.Millisecond
		arrive := now.Add(time.Duration(rng.Int64N(int64(latency) + 1)))
		inflight = append(inflight, flight{s, chat, arrive, now.Add(latency)})
		arrivals[chat] = append(arrivals[chat], arrive)
		all = append(all, arrive)
	}
	if n := maxInWindow(all, time.Second); n > lim.GlobalPerSecond {
		t.Errorf("global: %d arrivals in 1 s", n)
	}
	for chat, a := range arrivals {
		if n := maxInWindow(a, time.Second); n > lim.PerChatPerSecond {
			t.Errorf("chat %d: %d arrivals in 1 s", chat, n)
		}
		if n := maxInWindow(a, time.Minute); chat < 0 && n > lim.PerGroupPerMinute {
			t.Errorf("group %d: %d arrivals in 60 s", chat, n)
		}
	}
	if len(all) < 1000 {
		t.Errorf("only %d calls admitted", len(all))
	}
}

// maxInWindow is the most times within any window [t, t+w).
func maxInWindow(ts []time.Time, w time.Duration) int {
	ts = append([]time.Time(nil), ts...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= w {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

func TestLimiterRecordCountsAPreviousRun(t *testing.T) {
	l := NewLimiter(Limits{GlobalPerSecond: 3, PerChatPerSecond: 1, PerGroupPerMinute: 1, Margin: -1})
	l.Record(-4, ms(0))
	l.Record(1, ms(500))
	if s, at, global := l.Reserve(1, ms(600), Keep{}); s != nil || global || !at.Equal(ms(1500)) {
		t.Errorf("chat sent to by the last run: slot %v, retry %v", s != nil, at)
	}
	l.Record(3, ms(550))
	if s, at, global := l.Reserve(2, ms(600), Keep{}); s != nil || !global || !at.Equal(ms(1000)) {
		t.Errorf("global window full from the last run: slot %v, retry %v", s != nil, at)
	}
	if s, at, _ := l.Reserve(-4, ms(30000), Keep{}); s != nil || !at.Equal(ms(60000)) {
		t.Errorf("group's minute: slot %v, retry %v", s != nil, at)
	}
}
