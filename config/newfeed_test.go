package config

import (
	"errors"
	"testing"
)

func TestCheckAndCompleteNewFeed(t *testing.T) {
	cfg, err := Parse([]byte("feeds:\n  - {id: a, url: \"https://a.example/rss\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		f  Feed
		is error
	}{
		{Feed{URL: "gopher://x"}, ErrFeedBadURL},
		{Feed{URL: "https://b.example/rss", Lang: "elvish!"}, ErrFeedBadLang},
		{Feed{URL: "https://b.example/rss", ID: "No Spaces"}, ErrFeedBadID},
		{Feed{URL: " https://a.example/rss "}, ErrFeedExists},
		{Feed{URL: "https://b.example/rss", ID: "a"}, ErrFeedExists},
	} {
		if _, err := cfg.CheckNewFeed(tt.f); !errors.Is(err, tt.is) {
			t.Errorf("%+v: %v, want %v", tt.f, err, tt.is)
		}
	}
	f, err := cfg.CheckNewFeed(Feed{URL: " https://b.example/rss", Lang: "uk-UA"})
	if err != nil || f.Lang != "uk" || f.URL != "https://b.example/rss" {
		t.Fatalf("%v %+v", err, f)
	}
	if f, err = cfg.CompleteNewFeed(f, "Новини Б", ""); err != nil || f.Name != "Новини Б" || f.ID == "" || f.Lang != "uk" {
		t.Errorf("complete: %v %+v", err, f)
	}
	if _, err := cfg.CompleteNewFeed(Feed{URL: "https://c.example/rss"}, "C", ""); !errors.Is(err, ErrFeedNoLanguage) {
		t.Errorf("no language: %v", err)
	}
	if f, err := cfg.CompleteNewFeed(Feed{URL: "https://c.example/rss"}, "C", "ru-RU"); err != nil || f.Lang != "ru" {
		t.Errorf("feed's language: %v %+v", err, f)
	}
}
