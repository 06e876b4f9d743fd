package delivery

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFloodControlHoldsAlertsForAnHourlyDigest(t *testing.T) {
	c := newClock()
	f := newFixture(t, Config{MaxAlertsPerHour: 2}, c.Now)
	addArticles(t, f.db, 1, 8)
	for a := int64(1); a <= 6; a++ {
		f.enqueue(a, 1)
	}
	f.enqueue(1, 2) // another chat is not affected
	f.start()
	f.waitStatus("sent", 3)
	f.waitStatus("held", 4)
	c.Add(30 * time.Minute)
	f.enqueue(7, 1) // waits, and joins the digest
	f.waitStatus("pending", 1)
	time.Sleep(20 * time.Millisecond)
	if got := len(delivered(f.tg)[1]); got != 2 {
		t.Fatalf("chat 1 got %d messages within the hour, want 2", got)
	}
	c.Add(30 * time.Minute) // the hour since the first alert is over
	f.q.Wake()
	f.waitStatus("sent", 8)
	f.tg.WaitSent(1, 4, 5*time.Second) // rows are marked when the digest is stored; its parts follow
	want := append(titles(1, 2), "Digest: Title 3; Title 4; Title 5", "Digest: Title 6; Title 7")
	if diff := cmp.Diff(want, delivered(f.tg)[1]); diff != "" {
		t.Errorf("chat 1 (-want +got):\n%s", diff)
	}
	// A new window opens with the next alert.
	f.enqueue(8, 1)
	f.waitStatus("sent", 9)
	var n int
	f.db.QueryRow(`SELECT sent FROM outbox_windows WHERE chat_id = 1`).Scan(&n)
	if n != 1 {
		t.Errorf("new window counts %d alerts, want 1", n)
	}
}
