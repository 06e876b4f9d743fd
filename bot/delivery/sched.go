package delivery

import (
	"container/heap"
	"context"
	"time"
)

// sched is the scheduler's state, touched only by the Run goroutine.
type sched struct {
	ready      map[int64]*item     // the next thing to send to each chat
	runnable   byAge               // ready items that may go now, as far as known
	parked     byTime              // ready items waiting for an instant
	busy       map[int64]bool      // chats with an alert or digest in flight
	blocked    map[int64]time.Time // 429: nothing to the chat before this (real clock)
	pauseUntil time.Time           // 429s from several chats: nothing to anyone
	nextAlert  time.Time           // alerts are paced, not sent in bursts
	recent     []hit               // calls answered in the last second (429s and others)
	replies    []*request          // interactive messages, oldest first
	inflight   int
}

type hit struct {
	chat    int64
	at      time.Time
	retry   time.Duration
	limited bool // answered 429
}

func newSched() sched {
	return sched{
		ready:   make(map[int64]*item),
		busy:    make(map[int64]bool),
		blocked: make(map[int64]time.Time),
	}
}

type itemKind int

const (
	kindAlert itemKind = iota
	kindDigest
	kindPart // a stored digest message (digest_parts.go)
)

// item is the next thing to send to one chat: an alert row, or the chat's
// digest (possibly several messages, sent one per item dispatch).
type item struct {
	kind      itemKind
	chat      int64
	row       row       // kindAlert
	due       time.Time // not before (queue clock)
	windowEnd time.Time // kindDigest: alerts created before it join the digest
	mode      textMode
	msg       *Message  // rendered alert, kept for a resend as plain text
	seen      time.Time // kindAlert: when its article was first seen, for the latency metric

	attempts int     // kindPart: failed attempts of the part
	prow     partRow // kindPart

	parkedUntil time.Time // real clock, while parked
}

// seq orders items: digests first (they are overdue by design), then the
// oldest alert.
func (it *item) seq() int64 {
	if it.kind != kindAlert {
		return 0
	}
	return it.row.id
}

// result is what a send goroutine reports back to the scheduler.
type result struct {
	chat       int64
	it         *item    // alerts: send this next to the chat (nil: read it from the outbox)
	req        *request // replies
	requeue    bool     // replies: put back in the queue
	verdict    verdict
	migratedTo int64
}

// dispatch starts every send the limits allow now, replies first, and
// returns when to look again (zero: on the next event).
func (q *Queue) dispatch(ctx context.Context) (next time.Time) {
	s := &q.s
	now := time.Now()
	if now.Before(s.pauseUntil) {
		return s.pauseUntil
	}
	soon := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	full := false // a reply waits for the global window: no alert may take it
	kept := s.replies[:0]
	for _, r := range s.replies {
		if err := r.ctx.Err(); err != nil {
			r.finish(0, err)
			continue
		}
		if full || s.inflight >= q.cfg.MaxInFlight {
			full = true
			kept = append(kept, r)
			continue
		}
		if now.Before(r.notBefore) {
			soon(r.notBefore)
			kept = append(kept, r)
			continue
		}
		if b := s.blocked[r.chat]; now.Before(b) {
			soon(b)
			kept = append(kept, r)
			continue
		}
		slot, at, global := q.lim.Reserve(r.chat, now, Keep{})
		if slot == nil {
			soon(at)
			full = full || global
			kept = append(kept, r)
			continue
		}
		s.inflight++
		go q.sendReply(ctx, r, slot)
	}
	clear(s.replies[len(kept):])
	s.replies = kept
	if full {
		return next
	}
	// Alerts leave a few of each group's minute to command replies, and a
	// global slot to a reply waiting on its chat's window.
	keep := Keep{Group: q.groupKeep()}
	if len(s.replies) > 0 {
		keep.Global = 1
	}
	if now.Before(s.nextAlert) {
		soon(s.nextAlert)
		return next
	}
	clock := q.now()
	s.unpark(now, false)
	defer func() { soon(s.nextUnpark()) }() // next is the named result
	for s.runnable.Len() > 0 {
		if s.inflight >= q.cfg.MaxInFlight {
			break // a result will come
		}
		if now.Before(s.nextAlert) {
			soon(s.nextAlert)
			break
		}
		it := s.runnable[0]
		if clock.Before(it.due) {
			s.park(now.Add(it.due.Sub(clock)))
			continue
		}
		if b, ok := s.blocked[it.chat]; ok {
			if now.Before(b) {
				s.park(b)
				continue
			}
			delete(s.blocked, it.chat)
		}
		slot, at, global := q.lim.Reserve(it.chat, now, keep)
		if slot == nil {
			if global {
				soon(at)
				break
			}
			if at.IsZero() {
				at = now.Add(chatBusyRecheck) // a reply to the chat is in flight
			}
			s.park(at)
			continue
		}
		heap.Pop(&s.runnable)
		delete(s.ready, it.chat)
		// Spread alerts evenly over the second: a burst of GlobalPerSecond
		// at once would fill the window and leave a reply waiting for it.
		pace := time.Second / time.Duration(q.limits().GlobalPerSecond)
		s.nextAlert = maxTime(s.nextAlert, now.Add(-pace)).Add(pace) // a late loop may catch up by one
		s.busy[it.chat] = true
		s.inflight++
		go q.sendItem(ctx, it, slot)
	}
	return next
}

// chatBusyRecheck is when to look again at an alert whose chat has a reply
// in flight.
const chatBusyRecheck = 50 * time.Millisecond

// groupKeep is how many of a group's per-minute messages alerts leave to
// replies: a tenth, so that a command in a busy group is answered at once.
func (q *Queue) groupKeep() int {
	perMinute := q.limits().PerGroupPerMinute
	if perMinute < 5 {
		return 0
	}
	return max(1, perMinute/10)
}

// handle applies a finished send to the scheduler's state.
func (q *Queue) handle(ctx context.Context, res result) {
	s := &q.s
	s.inflight--
	if res.verdict.outcome == rateLimited {
		q.note429(res.chat, res.verdict.retryAfter)
	} else if res.verdict.called {
		q.noteAnswer(res.chat)
	}
	if res.req != nil {
		if res.requeue {
			s.replies = append([]*request{res.req}, s.replies...)
		}
	} else {
		delete(s.busy, res.chat)
		if res.it != nil {
			s.setReady(res.it)
		} else {
			q.loadNext(ctx, res.chat)
		}
	}
	if to := res.migratedTo; to != 0 && !s.busy[to] && s.ready[to] == nil {
		q.loadNext(ctx, to)
	}
}

// note429 holds back the chat for retry. Telegram answers 429 for one chat
// when that chat had too much (scattered 429s, which must not slow the other
// chats), and for every chat when the bot as a whole went over its limit:
// 429s for several chats that are also a good share of the calls answered
// in the last second (floodShare) mean the latter, and everything pauses.
func (q *Queue) note429(chat int64, retry time.Duration) {
	s := &q.s
	now := time.Now()
	q.rateLimited.Add(1)
	if q.cfg.Observer != nil {
		q.cfg.Observer.TooManyRequests()
	}
	go q.record429(q.now())
	if b := now.Add(retry); b.After(s.blocked[chat]) {
		s.blocked[chat] = b
	}
	s.remember(hit{chat: chat, at: now, retry: retry, limited: true})
	q.log.Warn("delivery: rate limited by Telegram", "chat", chat, "retry_after", retry)
	longest, limited, chats := time.Duration(0), 0, map[int64]bool{}
	for _, h := range s.recent {
		if h.limited {
			limited++
			chats[h.chat] = true
			longest = max(longest, h.retry)
		}
	}
	if len(chats) < 2 || limited*floodShare < len(s.recent) {
		return
	}
	if until := now.Add(longest); until.After(s.pauseUntil) {
		s.pauseUntil = until
		q.log.Warn("delivery: 429s from several chats; pausing all sending", "pause", longest,
			"chats", len(chats), "calls", len(s.recent))
	}
}

// floodShare: 429s for several chats pause everything when at least one
// call in floodShare of those answered in the last second was a 429.
// Scattered per-chat 429s (a few percent of calls) stay far below.
const floodShare = 4

// noteAnswer counts a call Telegram answered without a 429.
func (q *Queue) noteAnswer(chat int64) {
	q.s.remember(hit{chat: chat, at: time.Now()})
}

// remember adds h to the calls of the last second, forgetting older ones.
func (s *sched) remember(h hit) {
	i := 0
	for i < len(s.recent) && h.at.Sub(s.recent[i].at) >= time.Second {
		i++
	}
	s.recent = append(s.recent[i:], h) // oldest first: the slice slides
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
