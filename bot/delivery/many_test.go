package delivery

import (
	"testing"
)

func TestThousandChatsWithoutViolations(t *testing.T) {
	lim := Limits{GlobalPerSecond: 400, PerChatPerSecond: 1, PerGroupPerMinute: 20}
	f := newFixture(t, Config{Limits: lim}, nil)
	addArticles(t, f.db, 1, 1)
	var chats []int64
	for c := int64(1); c <= 1000; c++ {
		if c%10 == 0 {
			chats = append(chats, -c) // some groups
		} else {
			chats = append(chats, c)
		}
	}
	f.enqueue(1, chats...)
	f.start()
	f.waitStatus("sent", 1000)
	noViolations(t, f.tg)
	if got := len(delivered(f.tg)); got != 1000 {
		t.Errorf("%d chats served, want 1000", got)
	}
}
