package delivery

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newsalert/newsalert/bot/telegramtest"
)

func titles(ids ...int) []string {
	var out []string
	for _, id := range ids {
		out = append(out, fmt.Sprintf("Title %d", id))
	}
	return out
}

func TestOrderPerChatAndNoViolations(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 8)
	for a := int64(1); a <= 8; a++ {
		f.enqueue(a, 1, 2, -3)
	}
	f.start()
	f.waitStatus("sent", 24)
	got := delivered(f.tg)
	for _, chat := range []int64{1, 2, -3} {
		if diff := cmp.Diff(titles(1, 2, 3, 4, 5, 6, 7, 8), got[chat]); diff != "" {
			t.Errorf("chat %d order (-want +got):\n%s", chat, diff)
		}
	}
	for _, m := range f.tg.AllSent() {
		if m.ParseMode != "HTML" || !m.LinkPreviewDisabled {
			t.Errorf("message %+v: want HTML without link preview", m)
		}
	}
	if u := f.tg.UnknownParams(); len(u) > 0 {
		t.Errorf("parameters the Bot API does not define: %v", u)
	}
	noViolations(t, f.tg)
}

func TestRateLimitedChatWaitsRetryAfter(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 2)
	f.enqueue(1, 1, 2)
	f.enqueue(2, 1, 2)
	f.tg.Throttle(1, 500*time.Millisecond) // one 429 with retry_after 1
	f.start()
	f.waitStatus("sent", 4)
	if diff := cmp.Diff(titles(1, 2), delivered(f.tg)[1]); diff != "" {
		t.Errorf("chat 1 (-want +got):\n%s", diff)
	}
	if st, _ := f.q.Stats(context.Background()); st.RateLimited != 1 {
		t.Errorf("RateLimited = %d, want 1", st.RateLimited)
	}
	noViolations(t, f.tg) // includes calls before retry_after ran out
}

func TestRateLimitsFromSeveralChatsPauseEverything(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 2)
	f.enqueue(1, 1, 2)
	f.tg.Throttle(1, 500*time.Millisecond)
	f.tg.Throttle(2, 500*time.Millisecond)
	start := time.Now()
	f.start()
	waitFor(t, "two 429s", func() bool { st, _ := f.q.Stats(context.Background()); return st.RateLimited == 2 })
	var others []int64
	for c := int64(10); c < 30; c++ {
		others = append(others, c)
	}
	f.enqueue(2, others...)
	f.waitStatus("sent", 22)
	// Both 429s came after start and said retry after 1 s: nothing, to no
	// chat, before start + 1 s.
	for _, m := range f.tg.AllSent() {
		if d := m.Time.Sub(start); d < time.Second {
			t.Errorf("sent to chat %d %v after start, inside the pause", m.ChatID, d)
		}
	}
	noViolations(t, f.tg)
}

// A 429 for one chat holds back that chat only, even when two chats get one
// within a second: the other chats' alerts go out meanwhile.
func TestScatteredRateLimitsHoldOnlyTheirChats(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 2)
	var others []int64
	for c := int64(10); c < 30; c++ {
		others = append(others, c)
	}
	f.enqueue(1, others...)
	f.enqueue(1, 1, 2)
	f.enqueue(2, others...)
	for _, chat := range []int64{1, 2} {
		f.tg.Fail(telegramtest.Fault{Method: "sendMessage", ChatID: chat, Kind: telegramtest.FaultFlood, RetryAfter: 2})
	}
	f.start()
	f.waitStatus("sent", 42)
	var firstHeld time.Time
	for _, m := range f.tg.AllSent() {
		if m.ChatID == 1 || m.ChatID == 2 {
			firstHeld = m.Time
			break
		}
	}
	for _, m := range f.tg.AllSent() {
		if m.ChatID >= 10 && !m.Time.Before(firstHeld) {
			t.Errorf("chat %d got %q at %v, not before the held chats' retry (%v): everyone paused",
				m.ChatID, m.Text, m.Time.Format("15:04:05.000"), firstHeld.Format("15:04:05.000"))
		}
	}
	if st, _ := f.q.Stats(context.Background()); st.RateLimited != 2 {
		t.Errorf("RateLimited = %d, want 2", st.RateLimited)
	}
	noViolations(t, f.tg)
}

func TestServerErrorsBackOffAndKeepOrder(t *testing.T) {
	c := newClock()
	f := newFixture(t, Config{RetryBase: time.Second, RetryMax: 5 * time.Minute}, c.Now)
	addArticles(t, f.db, 1, 2)
	f.enqueue(1, 1)
	f.enqueue(2, 1)
	for _, k := range []telegramtest.FaultKind{telegramtest.FaultInternal, telegramtest.FaultBadGateway, telegramtest.FaultReset} {
		f.tg.Fail(telegramtest.Fault{Method: "sendMessage", Kind: k})
	}
	row := func() (time.Time, int) {
		var ms int64
		var attempts int
		if err := f.db.QueryRow(`SELECT next_attempt, attempts FROM outbox WHERE chat_id = 1 AND article_id = 1`).Scan(&ms, &attempts); err != nil {
			t.Fatal(err)
		}
		return time.UnixMilli(ms), attempts
	}
	f.start()
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
		waitFor(t, fmt.Sprintf("failure %d recorded", i+1), func() bool {
			at, n := row()
			return n == i+1 && at.After(c.Now())
		})
		at, _ := row()
		if got := at.Sub(c.Now()); got != want {
			t.Errorf("backoff after failure %d = %v, want %v", i+1, got, want)
		}
		calls := f.tg.Requests("sendMessage")
		f.q.Wake()
		time.Sleep(30 * time.Millisecond)
		if f.tg.Requests("sendMessage") != calls {
			t.Fatalf("retried before the backoff ran out")
		}
		c.Add(want)
		f.q.Wake()
	}
	f.waitStatus("sent", 2)
	if diff := cmp.Diff(titles(1, 2), delivered(f.tg)[1]); diff != "" {
		t.Errorf("chat 1 order (-want +got):\n%s", diff)
	}
}

func TestBackoffIsCapped(t *testing.T) {
	q := &Queue{cfg: Config{RetryBase: time.Second, RetryMax: 5 * time.Minute}}
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 9: 256 * time.Second, 10: 5 * time.Minute, 1000: 5 * time.Minute} {
		if got := q.backoff(n); got != want {
			t.Errorf("backoff(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestGoneChatsAreDroppedAndMarkedInactive(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 3)
	for a := int64(1); a <= 3; a++ {
		f.enqueue(a, 1, 2, -3, 5)
		f.enqueueUnknown(a, 4) // chat not found
	}
	f.tg.Block(1)
	f.tg.Deactivate(2)
	f.tg.Kick(-3)
	f.start()
	f.waitStatus("sent", 3)
	f.waitStatus("dropped", 12)
	if got := delivered(f.tg); len(got) != 1 || len(got[5]) != 3 {
		t.Errorf("delivered %v, want only chat 5's three alerts", got)
	}
	// One call each found the chat gone; nothing more was tried.
	if n := f.tg.Requests("sendMessage"); n != 3+4 {
		t.Errorf("%d sendMessage calls, want 7", n)
	}
	f.chats.mu.Lock()
	defer f.chats.mu.Unlock()
	if diff := cmp.Diff(map[int64]bool{1: true, 2: true, -3: true, 4: true}, set(f.chats.inactive)); diff != "" {
		t.Errorf("MarkInactive (-want +got):\n%s", diff)
	}
}

func set(ids []int64) map[int64]bool {
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out
}

func TestMigratedGroupGetsItsAlertsAtTheNewID(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 3)
	const group = -100
	for a := int64(1); a <= 3; a++ {
		f.enqueue(a, group)
	}
	super, err := f.tg.MigrateToSupergroup(group, 0, telegramtest.User{ID: 9, FirstName: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	f.start()
	f.waitStatus("sent", 3)
	if diff := cmp.Diff(titles(1, 2, 3), delivered(f.tg)[super]); diff != "" {
		t.Errorf("supergroup (-want +got):\n%s", diff)
	}
	f.chats.mu.Lock()
	defer f.chats.mu.Unlock()
	if diff := cmp.Diff([][2]int64{{group, super}}, f.chats.migrated); diff != "" {
		t.Errorf("Migrate calls (-want +got):\n%s", diff)
	}
}

func TestBadHTMLIsResentAsPlainTextAndLongTextCut(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 2)
	long := strings.Repeat("ю", 5000)
	f.db.Exec(`UPDATE articles SET title = 'Tom <x> Jerry' WHERE id = 1`)
	f.db.Exec(`UPDATE articles SET title = ? WHERE id = 2`, long)
	f.enqueue(1, 1)
	f.enqueue(2, 2)
	f.start()
	f.waitStatus("sent", 2)
	got := delivered(f.tg)
	if diff := cmp.Diff(map[int64][]string{1: {"Tom <x> Jerry"}, 2: {long[:2*4096]}}, got); diff != "" {
		t.Errorf("plain resends (-want +got):\n%s", diff)
	}
	for _, m := range f.tg.AllSent() {
		if m.ParseMode != "" {
			t.Errorf("resend to chat %d has parse_mode %q", m.ChatID, m.ParseMode)
		}
	}
}

func TestRejectedAlertIsDroppedAndTheNextSent(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 2)
	f.db.Exec(`UPDATE articles SET title = '' WHERE id = 1`)
	f.enqueue(1, 1)
	f.enqueue(2, 1)
	f.start()
	f.waitStatus("sent", 1)
	f.waitStatus("dropped", 1)
	var reason string
	f.db.QueryRow(`SELECT last_error FROM outbox WHERE status = 'dropped'`).Scan(&reason)
	if reason != "400 Bad Request: message text is empty" {
		t.Errorf("last_error = %q", reason)
	}
	if diff := cmp.Diff(titles(2), delivered(f.tg)[1]); diff != "" {
		t.Errorf("chat 1 (-want +got):\n%s", diff)
	}
}
