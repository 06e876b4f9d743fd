package delivery

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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
	got := f.tg.delivered()
	for _, chat := range []int64{1, 2, -3} {
		if diff := cmp.Diff(titles(1, 2, 3, 4, 5, 6, 7, 8), got[chat]); diff != "" {
			t.Errorf("chat %d order (-want +got):\n%s", chat, diff)
		}
	}
	for _, c := range f.tg.all() {
		if c.ParseMode != "HTML" {
			t.Errorf("call %+v: parse_mode %q, want HTML", c, c.ParseMode)
		}
	}
	if v := f.tg.violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

func TestRateLimitedChatWaitsRetryAfter(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 2)
	f.tg.setAnswer(func(c call, n int) (int, string) {
		if c.Chat == 1 && n == 0 {
			return tgError(429, "Too Many Requests: retry after 1", map[string]any{"retry_after": 1})
		}
		return 0, ""
	})
	f.enqueue(1, 1, 2)
	f.enqueue(2, 1, 2)
	f.start()
	f.waitStatus("sent", 4)
	calls := f.tg.all()
	var first429 time.Time
	for _, c := range calls {
		if c.Chat != 1 {
			continue
		}
		if first429.IsZero() {
			first429 = c.At
			continue
		}
		if d := c.At.Sub(first429); d < time.Second {
			t.Errorf("call to chat 1 %v after its 429 retry_after 1s", d)
		}
	}
	if diff := cmp.Diff(titles(1, 2), f.tg.delivered()[1]); diff != "" {
		t.Errorf("chat 1 (-want +got):\n%s", diff)
	}
	if st, _ := f.q.Stats(context.Background()); st.RateLimited != 1 {
		t.Errorf("RateLimited = %d, want 1", st.RateLimited)
	}
}

func TestRateLimitsFromSeveralChatsPauseEverything(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 3)
	f.tg.setAnswer(func(c call, n int) (int, string) {
		if (c.Chat == 1 || c.Chat == 2) && n == 0 {
			return tgError(429, "Too Many Requests: retry after 1", map[string]any{"retry_after": 1})
		}
		return 0, ""
	})
	// Article 1 to chats 1 and 2 first; then 3 to many others, which must
	// wait for the pause too.
	f.enqueue(1, 1, 2)
	f.start()
	waitFor(t, "two 429s", func() bool { return len(f.tg.all()) >= 2 })
	var chats []int64
	for c := int64(10); c < 30; c++ {
		chats = append(chats, c)
	}
	f.enqueue(2, chats...)
	f.waitStatus("sent", 22)
	calls := f.tg.all()
	second := calls[1].At
	for _, c := range calls[2:] {
		if c.At.Sub(second) < time.Second {
			t.Errorf("call to chat %d %v after the second 429: the pause was not kept", c.Chat, c.At.Sub(second))
		}
	}
}

func TestServerErrorsBackOffAndKeepOrder(t *testing.T) {
	c := newClock()
	f := newFixture(t, Config{RetryBase: time.Second, RetryMax: 5 * time.Minute}, c.Now)
	addArticles(t, f.db, 1, 2)
	f.tg.setAnswer(func(cl call, n int) (int, string) {
		if cl.Chat == 1 && n < 2 {
			if n == 0 {
				return tgError(500, "Internal Server Error", nil)
			}
			return 502, "<html>Bad Gateway</html>"
		}
		return 0, ""
	})
	f.enqueue(1, 1, 2)
	f.enqueue(2, 1, 2)
	f.start()
	// Chat 2 is not held up by chat 1's failures.
	waitFor(t, "chat 2 served", func() bool { return len(f.tg.delivered()[2]) == 2 })
	nextAttempt := func() (time.Time, int) {
		var ms int64
		var attempts int
		if err := f.db.QueryRow(`SELECT next_attempt, attempts FROM outbox WHERE chat_id = 1 AND article_id = 1`).Scan(&ms, &attempts); err != nil {
			t.Fatal(err)
		}
		return time.UnixMilli(ms), attempts
	}
	for i, want := range []time.Duration{time.Second, 2 * time.Second} {
		waitFor(t, fmt.Sprintf("failure %d recorded", i+1), func() bool { _, a := nextAttempt(); return a == i+1 })
		waitFor(t, "backoff recorded", func() bool { at, _ := nextAttempt(); return !at.IsZero() && at.After(c.Now()) })
		at, _ := nextAttempt()
		if got := at.Sub(c.Now()); got != want {
			t.Errorf("backoff after failure %d = %v, want %v", i+1, got, want)
		}
		calls := len(f.tg.all())
		time.Sleep(50 * time.Millisecond)
		f.q.Wake()
		time.Sleep(50 * time.Millisecond)
		if len(f.tg.all()) != calls {
			t.Fatalf("retried before the backoff ran out")
		}
		c.Add(want)
		f.q.Wake()
	}
	f.waitStatus("sent", 4)
	if diff := cmp.Diff(titles(1, 2), f.tg.delivered()[1]); diff != "" {
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

func TestBlockedChatIsDroppedAndMarkedInactive(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 3)
	f.tg.setAnswer(func(c call, n int) (int, string) {
		switch c.Chat {
		case 1:
			return tgError(403, "Forbidden: bot was blocked by the user", nil)
		case 2:
			return tgError(400, "Bad Request: chat not found", nil)
		}
		return 0, ""
	})
	for a := int64(1); a <= 3; a++ {
		f.enqueue(a, 1, 2, 3)
	}
	f.start()
	f.waitStatus("sent", 3)
	f.waitStatus("dropped", 6)
	per := map[int64]int{}
	for _, c := range f.tg.all() {
		per[c.Chat]++
	}
	if per[1] != 1 || per[2] != 1 {
		t.Errorf("calls per chat %v: want one call to each gone chat", per)
	}
	f.chats.mu.Lock()
	defer f.chats.mu.Unlock()
	if diff := cmp.Diff(map[int64]bool{1: true, 2: true}, set(f.chats.inactive)); diff != "" {
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
	const group, super = -100, -1001234567890
	f.tg.setAnswer(func(c call, n int) (int, string) {
		if c.Chat == group {
			return tgError(400, "Bad Request: group chat was upgraded to a supergroup chat", map[string]any{"migrate_to_chat_id": super})
		}
		return 0, ""
	})
	for a := int64(1); a <= 3; a++ {
		f.enqueue(a, group)
	}
	f.start()
	f.waitStatus("sent", 3)
	if diff := cmp.Diff(titles(1, 2, 3), f.tg.delivered()[super]); diff != "" {
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
	f.tg.setAnswer(func(c call, n int) (int, string) {
		if c.ParseMode == "" {
			return 0, ""
		}
		if c.Chat == 1 {
			return tgError(400, "Bad Request: can't parse entities: unsupported start tag \"x\" at byte offset 0", nil)
		}
		return tgError(400, "Bad Request: message is too long", nil)
	})
	f.enqueue(1, 1, 2)
	f.start()
	f.waitStatus("sent", 2)
	got := f.tg.delivered()
	if diff := cmp.Diff(map[int64][]string{1: titles(1), 2: titles(1)}, got); diff != "" {
		t.Errorf("plain resend (-want +got):\n%s", diff)
	}
}

func TestPermanentErrorDropsOnlyThatAlert(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 2)
	f.tg.setAnswer(func(c call, n int) (int, string) {
		if n == 0 {
			return tgError(400, "Bad Request: some new reason", nil)
		}
		return 0, ""
	})
	f.enqueue(1, 1)
	f.enqueue(2, 1)
	f.start()
	f.waitStatus("sent", 1)
	f.waitStatus("dropped", 1)
	var reason string
	f.db.QueryRow(`SELECT last_error FROM outbox WHERE status = 'dropped'`).Scan(&reason)
	if reason != "400 Bad Request: some new reason" {
		t.Errorf("last_error = %q", reason)
	}
}
