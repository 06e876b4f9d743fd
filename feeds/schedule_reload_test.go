package feeds

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// A reload that changes fetch.schedule takes effect on the running
// scheduler: with @hourly in force the feed would not be polled again for an
// hour; after SetSpec("@every 1s") it is within a second or two.
func TestSchedulerSetSpecLive(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	var polls atomic.Int32
	s, err := NewScheduler(SchedulerConfig{Poller: r.poller, Spec: "@hourly", Now: r.clock.Now,
		OnPoll: func(PollResult, time.Duration) { polls.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	s.Update([]Source{{ID: "a", URL: fs.set("/a", doc{body: readFixture(t, "rss_uk.xml")})}})
	s.Start(context.Background())
	waitFor(t, "the first poll", func() bool { return polls.Load() == 1 })

	if err := s.SetSpec("every second"); err == nil {
		t.Error("SetSpec accepted a bad spec")
	}
	if s.Spec() != "@hourly" {
		t.Errorf("a bad spec changed the schedule to %q", s.Spec())
	}
	if err := s.SetSpec("@every 1s"); err != nil {
		t.Fatal(err)
	}
	if got := r.poller.interval(Source{}); got != time.Second {
		t.Errorf("poller interval = %s after SetSpec, want 1s", got)
	}
	waitFor(t, "a poll on the new schedule", func() bool { return polls.Load() >= 2 })
	if n := len(s.cron.Entries()); n != 1 {
		t.Errorf("%d cron entries, want 1 (the old schedule removed)", n)
	}
}
