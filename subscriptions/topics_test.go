package subscriptions

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/newsalert/newsalert/feeds"
)

var natoTopic = Topic{Name: "NATO", Aliases: []string{"NATO", "НАТО", "Північноатлантичний альянс", "Североатлантический альянс"}}

func TestTopics(t *testing.T) {
	ctx := context.Background()
	s, reopen := newService(t, Config{Topics: []Topic{natoTopic}})
	if _, err := s.UpsertChat(ctx, 1, Private, "uk"); err != nil {
		t.Fatal(err)
	}
	sub, err := s.Subscribe(ctx, 1, "нато")
	if err != nil {
		t.Fatal(err)
	}
	if sub.Topic != "NATO" || sub.Label() != "NATO" {
		t.Errorf("subscription = %+v, want topic NATO", sub)
	}
	if _, err := s.Subscribe(ctx, 1, "NATO"); !errors.Is(err, ErrAlreadySubscribed) {
		t.Errorf("another alias: %v, want ErrAlreadySubscribed", err)
	}
	a := feeds.Article{Lang: "ru", Title: "Саммит Североатлантического альянса"}
	want := []Match{{ChatID: 1, Queries: []string{"NATO"}, Words: []string{"Североатлантического", "альянса"}}}
	for _, svc := range []*Service{s, reopen()} {
		if diff := cmp.Diff(want, svc.Match(a, false)); diff != "" {
			t.Errorf("Match (-want +got):\n%s", diff)
		}
	}
	list, _ := s.List(ctx, 1)
	if len(list) != 1 || list[0].Label() != "NATO" || list[0].Query != "нато" {
		t.Errorf("List = %+v", list)
	}
	// The topic goes from the config: the subscription is the query typed.
	if err := s.SetTopics(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// The built-in entity table still reads нато as the alliance too, and
	// its phrase inflects: the alert is the typed query's, not the topic's.
	if got := s.Match(a, false); len(got) != 1 || got[0].Queries[0] != "нато" {
		t.Errorf("after the topic went: %+v", got)
	}
	if got := s.Match(feeds.Article{Lang: "uk", Title: "Саміт НАТО"}, false); len(got) != 1 || got[0].Queries[0] != "нато" {
		t.Errorf("plain query after the topic went: %+v", got)
	}
	if err := s.SetTopics(ctx, []Topic{natoTopic}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Unsubscribe(ctx, 1, "Північноатлантичний альянс"); err != nil {
		t.Errorf("unsubscribe by another alias: %v", err)
	}
	if err := s.SetTopics(ctx, []Topic{{Name: "X", Aliases: []string{`"unclosed`}}}); CodeOf(err) != ErrUnbalancedQuote {
		t.Errorf("bad alias: %v", err)
	}
}
