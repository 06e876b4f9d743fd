package delivery

import (
	"container/heap"
	"time"
)

// The scheduler keeps each chat's next item in one of two heaps: runnable,
// ordered by age (oldest alert first), or parked until an instant (not due
// yet, the chat's window full, a 429). A dispatch looks only at the front of
// each, so its cost does not grow with the number of waiting chats.

// byAge is a heap of items, oldest first.
type byAge []*item

func (h byAge) Len() int { return len(h) }
func (h byAge) Less(i, j int) bool {
	if a, b := h[i].seq(), h[j].seq(); a != b {
		return a < b
	}
	if a, b := h[i].prow.due, h[j].prow.due; !a.Equal(b) {
		return a.Before(b) // digest parts: in order of due time
	}
	return h[i].chat < h[j].chat
}
func (h byAge) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *byAge) Push(x any)   { *h = append(*h, x.(*item)) }
func (h *byAge) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return it
}

// byTime is a heap of parked items, earliest wake first.
type byTime []*item

func (h byTime) Len() int           { return len(h) }
func (h byTime) Less(i, j int) bool { return h[i].parkedUntil.Before(h[j].parkedUntil) }
func (h byTime) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *byTime) Push(x any)        { *h = append(*h, x.(*item)) }
func (h *byTime) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return it
}

// setReady makes it the chat's next item.
func (s *sched) setReady(it *item) {
	s.ready[it.chat] = it
	heap.Push(&s.runnable, it)
}

// park sets the front runnable item aside until at (real clock).
func (s *sched) park(at time.Time) {
	it := heap.Pop(&s.runnable).(*item)
	it.parkedUntil = at
	heap.Push(&s.parked, it)
}

// unpark makes runnable the parked items whose time came; every one when
// all is set (after a Wake: the queue's clock may have moved).
func (s *sched) unpark(now time.Time, all bool) {
	for s.parked.Len() > 0 && (all || !s.parked[0].parkedUntil.After(now)) {
		heap.Push(&s.runnable, heap.Pop(&s.parked))
	}
}

// nextUnpark is when the earliest parked item wakes; zero when none.
func (s *sched) nextUnpark() time.Time {
	if s.parked.Len() == 0 {
		return time.Time{}
	}
	return s.parked[0].parkedUntil
}
