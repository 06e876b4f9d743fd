package subscriptions

import (
	"context"
	"slices"
	"testing"

	"github.com/newsalert/newsalert/feeds"
)

// TestRestore: an undone unsubscribe is back in its place, with its id,
// and matches again.
func TestRestore(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Config{MaxPerChat: 10})
	if _, err := s.UpsertChat(ctx, 1, Private, "uk"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"Альфа", "Бета", "Гамма"} {
		if _, err := s.Subscribe(ctx, 1, q); err != nil {
			t.Fatal(err)
		}
	}
	gone, err := s.UnsubscribeNumber(ctx, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	back, err := s.Restore(ctx, gone)
	if err != nil {
		t.Fatal(err)
	}
	subs, _ := s.List(ctx, 1)
	var got []string
	for _, x := range subs {
		got = append(got, x.Query)
	}
	if !slices.Equal(got, []string{"Альфа", "Бета", "Гамма"}) || back.ID != gone.ID || subs[1].ID != gone.ID || !subs[1].Created.Equal(gone.Created) {
		t.Errorf("after restore: %v, id %d (was %d)", got, back.ID, gone.ID)
	}
	if m := s.Match(feeds.Article{Lang: "uk", Title: "Бета прибула"}, false); len(m) != 1 {
		t.Errorf("restored subscription does not match: %+v", m)
	}
}
