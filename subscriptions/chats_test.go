package subscriptions

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/newsalert/newsalert/feeds"
)

func chatIDs(ms []Match) []int64 {
	var ids []int64
	for _, m := range ms {
		ids = append(ids, m.ChatID)
	}
	slices.Sort(ids)
	return ids
}

func TestChatSettingsFilterMatches(t *testing.T) {
	ctx := context.Background()
	s, reopen := newService(t, Config{})
	for _, id := range []int64{1, 2, 3, 4} {
		if _, err := s.UpsertChat(ctx, id, Private, "uk"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Subscribe(ctx, id, "NATO"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SetPaused(ctx, 2, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetInactive(ctx, 3, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetNewsLanguages(ctx, 4, []string{"uk", "RU"}); err != nil {
		t.Fatal(err)
	}
	en := feeds.Article{Lang: "en", Title: "NATO summit"}
	uk := feeds.Article{Lang: "uk", Title: "Саміт NATO"}
	for _, svc := range []*Service{s, reopen()} {
		if diff := cmp.Diff([]int64{1}, chatIDs(svc.Match(en, false))); diff != "" {
			t.Errorf("en article (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]int64{1, 4}, chatIDs(svc.Match(uk, false))); diff != "" {
			t.Errorf("uk article (-want +got):\n%s", diff)
		}
	}
	// Resume and reactivate.
	if _, err := s.SetPaused(ctx, 2, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetInactive(ctx, 3, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetNewsLanguages(ctx, 4, nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{1, 2, 3, 4}, chatIDs(s.Match(en, false))); diff != "" {
		t.Errorf("after resume (-want +got):\n%s", diff)
	}
}

func TestChatSettings(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Config{})
	if _, err := s.UpsertChat(ctx, 1, "bogus", ""); !errors.Is(err, ErrBadChatType) {
		t.Errorf("bad type: %v", err)
	}
	c, err := s.UpsertChat(ctx, -100, Group, "ru-RU")
	if err != nil {
		t.Fatal(err)
	}
	if c.Language != "ru" || c.Type != Group {
		t.Errorf("new chat = %+v", c)
	}
	// A known chat keeps its settings; only its type follows Telegram.
	if _, err := s.SetLanguage(ctx, -100, "uk"); err != nil {
		t.Fatal(err)
	}
	if c, _ = s.UpsertChat(ctx, -100, Supergroup, "en"); c.Language != "uk" || c.Type != Supergroup {
		t.Errorf("upsert of a known chat = %+v", c)
	}
	if _, err := s.SetTimezone(ctx, -100, "Mars/Olympus"); !errors.Is(err, ErrBadTimezone) {
		t.Errorf("bad time zone: %v", err)
	}
	if c, err = s.SetTimezone(ctx, -100, "Europe/Kyiv"); err != nil || c.Timezone != "Europe/Kyiv" {
		t.Errorf("time zone: %+v %v", c, err)
	}
	if _, err := s.SetLanguage(ctx, -100, "<b>"); !errors.Is(err, ErrBadLanguage) {
		t.Errorf("bad language: %v", err)
	}
	if _, err := s.SetPaused(ctx, 999, true); !errors.Is(err, ErrChatNotFound) {
		t.Errorf("unknown chat: %v", err)
	}
	if _, err := s.Chat(ctx, 999); !errors.Is(err, ErrChatNotFound) {
		t.Errorf("unknown chat: %v", err)
	}
	got, err := s.Chat(ctx, -100)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, got); diff != "" {
		t.Errorf("Chat (-set +got):\n%s", diff)
	}
}

func TestMigrateChat(t *testing.T) {
	ctx := context.Background()
	s, reopen := newService(t, Config{})
	if _, err := s.UpsertChat(ctx, -1, Group, "uk"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"NATO", "Україна"} {
		if _, err := s.Subscribe(ctx, -1, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SetTimezone(ctx, -1, "Europe/Kyiv"); err != nil {
		t.Fatal(err)
	}
	// The supergroup already wrote to the bot and subscribed to one query.
	if _, err := s.UpsertChat(ctx, -1001, Supergroup, "en"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Subscribe(ctx, -1001, "nato"); err != nil {
		t.Fatal(err)
	}
	c, err := s.MigrateChat(ctx, -1, -1001)
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != -1001 || c.Type != Supergroup {
		t.Errorf("migrated chat = %+v", c)
	}
	if _, err := s.Chat(ctx, -1); !errors.Is(err, ErrChatNotFound) {
		t.Errorf("old chat still there: %v", err)
	}
	list, _ := s.List(ctx, -1001)
	if len(list) != 2 {
		t.Errorf("migrated subscriptions = %+v, want 2", list)
	}
	a := feeds.Article{Lang: "uk", Title: "NATO і Україна"}
	for _, svc := range []*Service{s, reopen()} {
		got := svc.Match(a, false)
		if len(got) != 1 || got[0].ChatID != -1001 || len(got[0].Queries) != 2 {
			t.Errorf("after migration: %+v", got)
		}
	}
	if _, err := s.MigrateChat(ctx, -5, -6); !errors.Is(err, ErrChatNotFound) {
		t.Errorf("migrate unknown: %v", err)
	}
}

func TestPrivateChatFollowsTelegramLanguageUntilChosen(t *testing.T) {
	s, _ := newService(t, Config{})
	ctx := context.Background()
	lang := func(id int64, typ ChatType, code string) string {
		t.Helper()
		c, err := s.UpsertChat(ctx, id, typ, code)
		if err != nil {
			t.Fatal(err)
		}
		return c.Language
	}
	if got := lang(1, Private, "en"); got != "en" {
		t.Fatalf("new chat: %q", got)
	}
	if got := lang(1, Private, "uk"); got != "uk" {
		t.Errorf("private chat did not follow the user's language: %q", got)
	}
	if got := lang(1, Private, ""); got != "uk" {
		t.Errorf("an unknown language_code changed it: %q", got)
	}
	if _, err := s.SetLanguage(ctx, 1, "ru"); err != nil {
		t.Fatal(err)
	}
	if got := lang(1, Private, "uk"); got != "ru" {
		t.Errorf("chosen language overridden: %q", got)
	}
	// A group keeps the language it started with, whoever speaks.
	lang(-5, Group, "en")
	if got := lang(-5, Group, "uk"); got != "en" {
		t.Errorf("group language flipped with a member's: %q", got)
	}
}
