package delivery

import (
	"testing"
	"time"
)

// A reload's new rate limits hold for the next call, in chats already seen
// too, without a restart.
func TestLimiterSetLimitsLive(t *testing.T) {
	l := NewLimiter(Limits{GlobalPerSecond: 30, PerChatPerSecond: 1, PerGroupPerMinute: 20})
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s, _, _ := l.Reserve(1, now, Keep{})
	s.Done(now)
	if s, _, _ := l.Reserve(1, now, Keep{}); s != nil {
		t.Fatal("a second call to chat 1 in the same second was admitted under 1/s")
	}
	l.SetLimits(Limits{GlobalPerSecond: 2, PerChatPerSecond: 3, PerGroupPerMinute: 20})
	s, _, _ = l.Reserve(1, now, Keep{})
	if s == nil {
		t.Fatal("chat 1 raised to 3/s: the second call was refused")
	}
	s.Done(now)
	if s, _, global := l.Reserve(2, now, Keep{}); s != nil || !global {
		t.Errorf("global lowered to 2/s: a third call in the second was admitted (global %v)", global)
	}
}

// The flood cap of a running queue follows a reload: with no cap every alert
// would go out; after SetLimits(…, 2) two do and the rest wait for the
// digest.
func TestQueueSetLimitsFloodCapLive(t *testing.T) {
	c := newClock()
	f := newFixture(t, Config{}, c.Now)
	f.start()
	if err := f.q.SetLimits(Limits{GlobalPerSecond: -1}, 0); err == nil {
		t.Error("SetLimits accepted a negative limit")
	}
	if err := f.q.SetLimits(fastLimits, 2); err != nil {
		t.Fatal(err)
	}
	addArticles(t, f.db, 1, 5)
	for a := int64(1); a <= 5; a++ {
		f.enqueue(a, 7)
	}
	f.waitStatus("sent", 2)
	f.waitStatus("held", 3)
	if got := f.q.limits(); got.GlobalPerSecond != fastLimits.GlobalPerSecond || got.Margin != 50*time.Millisecond {
		t.Errorf("limits in force = %+v", got)
	}
}
