package delivery

import (
	"sync"
	"time"
)

// Limits are Telegram's broadcast limits as sliding windows.
type Limits struct {
	GlobalPerSecond   int // calls in any 1 s, all chats together
	PerChatPerSecond  int // calls to one chat in any 1 s
	PerGroupPerMinute int // calls to one group (chat id < 0) in any 60 s
	// Margin widens every window, against the time between our clock and
	// the server's arrival stamps.
	Margin time.Duration
}

// Limiter admits calls so that the server, counting arrivals in sliding
// windows, never sees more than the limits.
//
// A call counts from the moment it is admitted until one window length after
// its response came back. Its arrival at the server lies between those two
// instants, so for any window of arrival times, the last call to start in it
// counted every other call in it when it was admitted: the limit holds
// whatever the latency, with several calls in flight at once.
type Limiter struct {
	mu     sync.Mutex
	lim    Limits
	global window
	chats  map[int64]*chatWindows
}

type chatWindows struct {
	second window
	minute window // groups only
}

// window is one sliding window: calls in flight, and the end times of
// finished calls that still count.
type window struct {
	limit    int
	span     time.Duration
	inflight int
	ends     []time.Time // oldest first
}

// NewLimiter returns a limiter for lim; a zero limit is taken as Telegram's
// default (30/s, 1/s per chat, 20/min per group).
func NewLimiter(lim Limits) *Limiter {
	if lim.GlobalPerSecond <= 0 {
		lim.GlobalPerSecond = 30
	}
	if lim.PerChatPerSecond <= 0 {
		lim.PerChatPerSecond = 1
	}
	if lim.PerGroupPerMinute <= 0 {
		lim.PerGroupPerMinute = 20
	}
	if lim.Margin < 0 {
		lim.Margin = 0
	}
	return &Limiter{
		lim:    lim,
		global: window{limit: lim.GlobalPerSecond, span: time.Second + lim.Margin},
		chats:  make(map[int64]*chatWindows),
	}
}

// Keep is how many slots a call must leave free in each window.
type Keep struct {
	Global int // in the 1 s global window
	Group  int // in a group's 60 s window
}

// Slot is an admitted call. Exactly one of Done or Cancel must be called.
type Slot struct {
	l    *Limiter
	chat int64
}

// Reserve admits a call to chat at now. Alerts pass keep > 0 to leave that
// many slots of the global and group windows to interactive replies. When it
// refuses, retry is the instant it may succeed (zero: when a call in flight
// finishes) and global says the global window was the one that was full.
func (l *Limiter) Reserve(chat int64, now time.Time, keep Keep) (s *Slot, retry time.Time, global bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ok, at := l.global.admit(now, keep.Global); !ok {
		return nil, at, true
	}
	cw := l.chat(chat)
	if ok, at := cw.second.admit(now, 0); !ok {
		return nil, at, false
	}
	if chat < 0 {
		if ok, at := cw.minute.admit(now, keep.Group); !ok {
			return nil, at, false
		}
		cw.minute.inflight++
	}
	l.global.inflight++
	cw.second.inflight++
	return &Slot{l: l, chat: chat}, time.Time{}, false
}

// Done records that the call finished (its response, or its failure, came
// back) at now.
func (s *Slot) Done(now time.Time) {
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	cw := s.l.chat(s.chat)
	s.l.global.finish(now)
	cw.second.finish(now)
	if s.chat < 0 {
		cw.minute.finish(now)
	}
}

// Cancel gives the slot back: the call was never made.
func (s *Slot) Cancel() {
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	cw := s.l.chat(s.chat)
	s.l.global.inflight--
	cw.second.inflight--
	if s.chat < 0 {
		cw.minute.inflight--
	}
}

// Record counts a call made before this limiter existed (by a previous run
// of the process) that finished at end. Calls must be recorded oldest first.
func (l *Limiter) Record(chat int64, end time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	cw := l.chat(chat)
	l.global.inflight++
	l.global.finish(end)
	cw.second.inflight++
	cw.second.finish(end)
	if chat < 0 {
		cw.minute.inflight++
		cw.minute.finish(end)
	}
}

// Sweep forgets chats with nothing left in their windows.
func (l *Limiter) Sweep(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, cw := range l.chats {
		cw.second.prune(now)
		cw.minute.prune(now)
		if cw.second.inflight == 0 && len(cw.second.ends) == 0 && cw.minute.inflight == 0 && len(cw.minute.ends) == 0 {
			delete(l.chats, id)
		}
	}
}

func (l *Limiter) chat(id int64) *chatWindows {
	cw := l.chats[id]
	if cw == nil {
		cw = &chatWindows{
			second: window{limit: l.lim.PerChatPerSecond, span: time.Second + l.lim.Margin},
			minute: window{limit: l.lim.PerGroupPerMinute, span: time.Minute + l.lim.Margin},
		}
		l.chats[id] = cw
	}
	return cw
}

func (w *window) prune(now time.Time) {
	cut := now.Add(-w.span)
	i := 0
	for i < len(w.ends) && !w.ends[i].After(cut) {
		i++
	}
	if i > 0 {
		w.ends = append(w.ends[:0], w.ends[i:]...)
	}
}

// admit reports whether one more call fits, leaving reserve slots free; if
// not, when enough finished calls will have left the window.
func (w *window) admit(now time.Time, reserve int) (bool, time.Time) {
	w.prune(now)
	limit := w.limit - reserve
	if limit < 1 {
		limit = 1
	}
	used := w.inflight + len(w.ends)
	if used < limit {
		return true, time.Time{}
	}
	// ends[0..k] must leave the window for used to drop below limit.
	if k := used - limit; k < len(w.ends) {
		return false, w.ends[k].Add(w.span)
	}
	return false, time.Time{}
}

func (w *window) finish(now time.Time) {
	w.inflight--
	// Keep ends sorted even if a caller's clock stepped back.
	if n := len(w.ends); n > 0 && now.Before(w.ends[n-1]) {
		now = w.ends[n-1]
	}
	w.ends = append(w.ends, now)
}
