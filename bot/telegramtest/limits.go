package telegramtest

import (
	"math/rand/v2"
	"slices"
	"time"
)

// Limits are Telegram's broadcast limits, enforced as sliding windows over
// every call that posts a message (sendMessage, editMessageText). A zero
// field means the default; a negative one turns that limit off.
type Limits struct {
	GlobalPerSecond   int // all chats together, in any 1 s
	PerChatPerSecond  int // one chat, in any 1 s
	PerGroupPerMinute int // one group or supergroup, in any 60 s
	// Burst is how many calls over each limit are tolerated before 429.
	Burst int
	// Disabled turns rate limiting off (the demo may want that).
	Disabled bool
}

// DefaultLimits are the limits Telegram documents.
var DefaultLimits = Limits{GlobalPerSecond: 30, PerChatPerSecond: 1, PerGroupPerMinute: 20}

func (l Limits) withDefaults() Limits {
	if l.GlobalPerSecond == 0 {
		l.GlobalPerSecond = DefaultLimits.GlobalPerSecond
	}
	if l.PerChatPerSecond == 0 {
		l.PerChatPerSecond = DefaultLimits.PerChatPerSecond
	}
	if l.PerGroupPerMinute == 0 {
		l.PerGroupPerMinute = DefaultLimits.PerGroupPerMinute
	}
	return l
}

// Kinds of Violation.
const (
	LimitGlobal     = "global"      // more than GlobalPerSecond in 1 s
	LimitChat       = "chat"        // more than PerChatPerSecond to one chat in 1 s
	LimitGroup      = "group"       // more than PerGroupPerMinute to one group in 60 s
	LimitRetryAfter = "retry_after" // a call before an earlier retry_after ran out
)

// Violation is one rate-limit breach by the bot: a call that Telegram would
// answer (or answered) with 429.
type Violation struct {
	Time       time.Time
	Method     string
	ChatID     int64
	Limit      string // LimitGlobal, LimitChat, LimitGroup or LimitRetryAfter
	RetryAfter int    // seconds told to the bot, 0 for LimitRetryAfter
}

type limiter struct {
	limits      Limits
	global      []time.Time           // accepted posting calls, newest last
	perChat     map[int64][]time.Time // the same per chat
	notBefore   map[int64]time.Time   // retry_after told for a chat ends
	globalWait  time.Time             // retry_after told for the whole bot ends
	throttled   map[int64]time.Time   // Throttle: forced 429 until
	throttleAll time.Time
	violations  []Violation
	flood       chatFlood // FloodChats
	flooded     int       // 429s of FloodChats and FaultFlood
}

// chatFlood answers a share of posting calls 429 for their chat.
type chatFlood struct {
	share float64
	retry int
	rng   *rand.Rand
}

// holdChat answers a call to chat id 429 with retry seconds: calls to the
// chat before they passed are violations. The caller holds s.mu.
func (l *limiter) holdChat(id int64, now time.Time, retry int) {
	l.ensure()
	l.flooded++
	if until := now.Add(time.Duration(retry) * time.Second); until.After(l.notBefore[id]) {
		l.notBefore[id] = until
	}
}

// admit decides whether a posting call to c at now goes through, recording
// it if it does and a violation if it does not. The caller holds s.mu.
func (l *limiter) admit(now time.Time, c *chatState, method string) *apiError {
	l.ensure()
	id := c.chat.ID
	if now.Before(l.notBefore[id]) || now.Before(l.globalWait) {
		l.violations = append(l.violations, Violation{Time: now, Method: method, ChatID: id, Limit: LimitRetryAfter})
	}
	until := l.throttled[id]
	if l.throttleAll.After(until) {
		until = l.throttleAll
	}
	if now.Before(until) {
		retry := ceilSeconds(until.Sub(now))
		l.notBefore[id] = now.Add(time.Duration(retry) * time.Second)
		return tooManyRequests(retry)
	}
	if l.flood.share > 0 && l.flood.rng.Float64() < l.flood.share {
		l.holdChat(id, now, l.flood.retry)
		return tooManyRequests(l.flood.retry)
	}
	if l.limits.Disabled {
		l.record(now, id)
		return nil
	}
	l.prune(now, id)
	burst := l.limits.Burst
	check := func(times []time.Time, limit int, window time.Duration, kind string) *apiError {
		if limit <= 0 {
			return nil
		}
		recent := times[firstAfter(times, now.Add(-window)):]
		if len(recent) < limit+burst {
			return nil
		}
		// The window frees up when the call limit+burst places back leaves it.
		oldest := recent[len(recent)-(limit+burst)]
		retry := ceilSeconds(oldest.Add(window).Sub(now))
		l.violations = append(l.violations, Violation{Time: now, Method: method, ChatID: id, Limit: kind, RetryAfter: retry})
		if kind == LimitGlobal {
			l.globalWait = now.Add(time.Duration(retry) * time.Second)
		} else {
			l.notBefore[id] = now.Add(time.Duration(retry) * time.Second)
		}
		return tooManyRequests(retry)
	}
	if e := check(l.global, l.limits.GlobalPerSecond, time.Second, LimitGlobal); e != nil {
		return e
	}
	if e := check(l.perChat[id], l.limits.PerChatPerSecond, time.Second, LimitChat); e != nil {
		return e
	}
	if c.chat.Type == ChatGroup || c.chat.Type == ChatSupergroup {
		if e := check(l.perChat[id], l.limits.PerGroupPerMinute, time.Minute, LimitGroup); e != nil {
			return e
		}
	}
	l.record(now, id)
	return nil
}

func (l *limiter) ensure() {
	if l.perChat == nil {
		l.perChat = map[int64][]time.Time{}
		l.notBefore = map[int64]time.Time{}
		l.throttled = map[int64]time.Time{}
	}
}

func (l *limiter) record(now time.Time, id int64) {
	l.global = append(l.global, now)
	l.perChat[id] = append(l.perChat[id], now)
}

// prune forgets calls that no window can see any more.
func (l *limiter) prune(now time.Time, id int64) {
	l.global = l.global[firstAfter(l.global, now.Add(-time.Second)):]
	l.perChat[id] = l.perChat[id][firstAfter(l.perChat[id], now.Add(-time.Minute)):]
}

// firstAfter is the index of the first time strictly after t.
func firstAfter(times []time.Time, t time.Time) int {
	i, _ := slices.BinarySearchFunc(times, t, func(a, b time.Time) int {
		if a.After(b) {
			return 1
		}
		return -1
	})
	return i
}

func ceilSeconds(d time.Duration) int {
	n := int((d + time.Second - 1) / time.Second)
	return max(n, 1)
}

// Violations returns every rate-limit breach so far.
func (s *Server) Violations() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.lim.violations)
}

// Throttle makes every posting call to chatID (0: to any chat) answer 429
// for d from now, with retry_after counting down; the first 429 is not a
// violation, calls before retry_after ran out are. For tests of backoff.
func (s *Server) Throttle(chatID int64, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	until := s.now().Add(d)
	if chatID == 0 {
		s.lim.throttleAll = until
		return
	}
	s.lim.ensure()
	s.lim.throttled[chatID] = until
}
