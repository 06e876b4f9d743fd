package telegramtest

import (
	"net/http"
	"time"
)

// firstUpdateID is where update IDs start; Telegram starts at an arbitrary
// large number, and a bot must not assume 1.
const firstUpdateID = 500000001

// maxPollTimeout caps a long poll, as the real server caps it.
const maxPollTimeout = 50 * time.Second

// updateQueue holds unconfirmed updates and the in-flight long poll.
type updateQueue struct {
	pending   []Update
	nextID    int
	wake      chan struct{} // closed and replaced when an update arrives
	closed    chan struct{} // closed by Server.Close
	poll      chan struct{} // closed when the in-flight poll is superseded
	kickedBy  string        // why it was: the 409 description
	allowed   map[string]bool
	conflicts int
	delivered int
}

func (q *updateQueue) init() {
	q.nextID = firstUpdateID
	q.wake = make(chan struct{})
	q.closed = make(chan struct{})
}

func (q *updateQueue) closeAll() {
	select {
	case <-q.closed:
	default:
		close(q.closed)
	}
}

// kick ends the in-flight long poll with a 409 saying why. The caller holds
// s.mu.
func (q *updateQueue) kick(why string) {
	if q.poll != nil {
		q.kickedBy = why
		close(q.poll)
		q.poll = nil
	}
}

// push appends an update and wakes the long poll. The caller holds s.mu.
func (q *updateQueue) push(u Update) Update {
	u.UpdateID = q.nextID
	q.nextID++
	q.pending = append(q.pending, u)
	close(q.wake)
	q.wake = make(chan struct{})
	return u
}

// confirm forgets updates below offset; a negative offset keeps only the
// last -offset updates, as in Telegram.
func (q *updateQueue) confirm(offset int64) {
	switch {
	case offset > 0:
		i := 0
		for i < len(q.pending) && int64(q.pending[i].UpdateID) < offset {
			i++
		}
		q.pending = q.pending[i:]
	case offset < 0:
		if keep := int(-offset); keep < len(q.pending) {
			q.pending = q.pending[len(q.pending)-keep:]
		}
	}
}

// take returns up to limit pending updates of allowed kinds, dropping the
// others for good (Telegram never generates them).
func (q *updateQueue) take(limit int) []Update {
	kept := q.pending[:0]
	out := []Update{}
	for _, u := range q.pending {
		if !q.isAllowed(u.kind()) {
			continue
		}
		kept = append(kept, u)
		if len(out) < limit {
			out = append(out, u)
		}
	}
	q.pending = kept
	q.delivered += len(out)
	return out
}

func (q *updateQueue) isAllowed(kind string) bool {
	if len(q.allowed) == 0 {
		return kind != "chat_member" && kind != "message_reaction" && kind != "message_reaction_count"
	}
	return q.allowed[kind]
}

func (s *Server) getUpdates(r *http.Request, p params) (any, *apiError) {
	offset, e1 := p.int64("offset")
	limit, e2 := p.int64("limit")
	timeout, e3 := p.int64("timeout")
	for _, e := range []*apiError{e1, e2, e3} {
		if e != nil {
			return nil, e
		}
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	wait := min(max(time.Duration(timeout)*time.Second, 0), maxPollTimeout)
	var allowed []string
	hasAllowed, err := p.json("allowed_updates", &allowed)
	if err != nil {
		return nil, badRequest("can't parse allowed updates JSON array")
	}

	s.mu.Lock()
	if s.webhook.URL != "" {
		s.mu.Unlock()
		return nil, conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
	}
	if s.upd.poll != nil {
		// The earlier request loses, as in Telegram.
		s.upd.kick("terminated by other getUpdates request; make sure that only one bot instance is running")
		s.upd.conflicts++
	}
	mine := make(chan struct{})
	s.upd.poll = mine
	defer func() {
		if s.upd.poll == mine {
			s.upd.poll = nil
		}
		s.mu.Unlock()
	}()
	if hasAllowed {
		s.upd.allowed = map[string]bool{}
		for _, a := range allowed {
			s.upd.allowed[a] = true
		}
	}
	s.upd.confirm(offset)

	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		if out := s.upd.take(int(limit)); len(out) > 0 || wait == 0 {
			return out, nil
		}
		wake := s.upd.wake
		s.mu.Unlock()
		select {
		case <-wake:
			s.mu.Lock()
		case <-mine:
			s.mu.Lock()
			return nil, conflict(s.upd.kickedBy)
		case <-timer.C:
			s.mu.Lock()
			return []Update{}, nil
		case <-r.Context().Done():
			s.mu.Lock()
			return []Update{}, nil
		case <-s.upd.closed:
			s.mu.Lock()
			return []Update{}, nil
		}
	}
}

// Polling reports whether a getUpdates request is in flight (a long poll
// waiting for updates). Tests wait for it before they act on the poll.
func (s *Server) Polling() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.upd.poll != nil
}

// Pending is the number of updates not yet confirmed by the bot.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.upd.pending)
}

// Conflicts is how many long polls were terminated by a newer getUpdates.
func (s *Server) Conflicts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.upd.conflicts
}

// WaitConfirmed blocks until the bot has confirmed every update pushed so
// far (its next getUpdates has an offset past them), or timeout passes. It
// reports whether that happened. Tests use it to wait for the bot to have
// handled a command.
func (s *Server) WaitConfirmed(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		s.mu.Lock()
		n := len(s.upd.pending)
		s.mu.Unlock()
		if n == 0 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}
