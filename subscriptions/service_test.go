package subscriptions

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/store"
)

func newService(t *testing.T, cfg Config) (*Service, func() *Service) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	cfg.Now = func() time.Time { now = now.Add(time.Second); return now }
	s, err := New(ctx, db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	reopen := func() *Service {
		s2, err := New(ctx, db, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return s2
	}
	return s, reopen
}

func TestServiceSubscribeListMatch(t *testing.T) {
	ctx := context.Background()
	s, reopen := newService(t, Config{MaxPerChat: 3})
	if _, err := s.Subscribe(ctx, 1, "NATO"); !errors.Is(err, ErrChatNotFound) {
		t.Fatalf("subscribe before upsert: %v, want ErrChatNotFound", err)
	}
	if _, err := s.UpsertChat(ctx, 1, Private, "uk-UA"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertChat(ctx, 2, Group, ""); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"NATO", "Україна", `"foreign minister"`} {
		if _, err := s.Subscribe(ctx, 1, q); err != nil {
			t.Fatalf("subscribe %q: %v", q, err)
		}
	}
	if _, err := s.Subscribe(ctx, 1, "nato"); !errors.Is(err, ErrAlreadySubscribed) {
		t.Errorf("duplicate: %v, want ErrAlreadySubscribed", err)
	}
	if _, err := s.Subscribe(ctx, 1, "Trump"); !errors.Is(err, ErrTooManySubscriptions) {
		t.Errorf("fourth: %v, want ErrTooManySubscriptions", err)
	}
	if _, err := s.Subscribe(ctx, 2, `"NATO`); CodeOf(err) != ErrUnbalancedQuote {
		t.Errorf("bad query: %v, want ErrUnbalancedQuote", err)
	}
	if _, err := s.Subscribe(ctx, 2, "nato"); err != nil {
		t.Fatal(err)
	}
	a := feeds.Article{Lang: "en", Title: "NATO's foreign minister meeting"}
	want := []Match{
		{ChatID: 1, Queries: []string{`"foreign minister"`, "NATO"}, Words: []string{"foreign", "minister", "NATO's"}},
		{ChatID: 2, Queries: []string{"nato"}, Words: []string{"NATO's"}},
	}
	sortWords := cmp.Transformer("sort", func(in []string) []string { out := append([]string(nil), in...); sortStrings(out); return out })
	byChat := cmpopts.SortSlices(func(a, b Match) bool { return a.ChatID < b.ChatID })
	if diff := cmp.Diff(want, s.Match(a, false), sortWords, byChat); diff != "" {
		t.Errorf("Match (-want +got):\n%s", diff)
	}
	// The same after a restart: the matcher is rebuilt from SQLite.
	if diff := cmp.Diff(want, reopen().Match(a, false), sortWords, byChat); diff != "" {
		t.Errorf("Match after reload (-want +got):\n%s", diff)
	}

	list, err := s.List(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, l := range list {
		labels = append(labels, l.Label())
	}
	if diff := cmp.Diff([]string{"NATO", "Україна", `"foreign minister"`}, labels); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if _, err := s.UnsubscribeNumber(ctx, 1, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Unsubscribe(ctx, 1, "Nato"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Unsubscribe(ctx, 1, "Nato"); !errors.Is(err, ErrNotSubscribed) {
		t.Errorf("second unsubscribe: %v, want ErrNotSubscribed", err)
	}
	if got := s.Match(a, false); len(got) != 1 || got[0].ChatID != 2 {
		t.Errorf("after unsubscribe: %+v, want only chat 2", got)
	}
	if n, _ := s.Count(ctx, 1); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
