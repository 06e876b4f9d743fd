package subscriptions

import (
	"context"
	"testing"
)

func TestTotals(t *testing.T) {
	s, _ := newService(t, Config{})
	ctx := context.Background()
	for _, id := range []int64{1, 2, -3} {
		typ := Private
		if id < 0 {
			typ = Group
		}
		if _, err := s.UpsertChat(ctx, id, typ, "en"); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{"NATO", "Kyiv"} {
		if _, err := s.Subscribe(ctx, 1, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Subscribe(ctx, -3, "energy"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetInactive(ctx, 2, true); err != nil {
		t.Fatal(err)
	}
	got, err := s.Totals(ctx)
	if want := (Totals{ChatsActive: 2, ChatsBlocked: 1, Subscriptions: 3}); err != nil || got != want {
		t.Errorf("Totals = %+v, %v; want %+v", got, err, want)
	}
}
