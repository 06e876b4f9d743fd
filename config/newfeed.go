package config

import (
	"errors"
	"fmt"
	"strings"
)

// Errors of CheckNewFeed and CompleteNewFeed, besides ErrFeedExists.
var (
	ErrFeedBadURL     = errors.New("config: not an http(s) URL")
	ErrFeedBadLang    = errors.New("config: not a language tag")
	ErrFeedBadID      = errors.New("config: not a valid feed id (lowercase letters, digits, '.', '_', '-'; at most 64)")
	ErrFeedNoLanguage = errors.New("config: the feed does not say its language: give one")
)

// CheckNewFeed checks a feed an admin asks to add (by `feeds add` or
// /addfeed) before anything is fetched: the URL, the language tag and the id
// as typed, and that no configured feed has the same URL or id. It returns f
// trimmed and with its language normalized.
func (c *Config) CheckNewFeed(f Feed) (Feed, error) {
	f.URL, f.ID, f.Lang = strings.TrimSpace(f.URL), strings.TrimSpace(f.ID), strings.TrimSpace(f.Lang)
	if err := CheckHTTPURL(f.URL); err != nil {
		return f, fmt.Errorf("%w: %v", ErrFeedBadURL, err)
	}
	if f.Lang != "" {
		l, err := NormalizeLanguage(f.Lang)
		if err != nil {
			return f, fmt.Errorf("%w: %q", ErrFeedBadLang, f.Lang)
		}
		f.Lang = l
	}
	if f.ID != "" && !ValidFeedID(f.ID) {
		return f, fmt.Errorf("%w: %q", ErrFeedBadID, f.ID)
	}
	for _, have := range c.Feeds {
		if have.URL == f.URL || have.ID == f.ID {
			return f, fmt.Errorf("%w: %s is feed %q", ErrFeedExists, have.URL, have.ID)
		}
	}
	return f, nil
}

// CompleteNewFeed fills what the admin left out from the feed itself: the
// language from the one it declares (lang, any BCP 47 tag), the name from its
// title, and an id suggested from the title and URL.
func (c *Config) CompleteNewFeed(f Feed, title, lang string) (Feed, error) {
	if f.Lang == "" {
		l, err := NormalizeLanguage(lang)
		if lang == "" || err != nil {
			return f, ErrFeedNoLanguage
		}
		f.Lang = l
	}
	if f.Name == "" {
		f.Name = strings.TrimSpace(title)
	}
	if f.ID == "" {
		f.ID = SuggestFeedID(title, f.URL, c.Feeds)
	}
	return f, nil
}
