// Package feeds fetches, parses and stores news feeds: it turns the feeds an
// admin configured into new articles, each stored once.
//
// It knows nothing of subscriptions or Telegram: downstream packages read the
// articles it stores.
package feeds

import "time"

// Source is one configured feed.
type Source struct {
	ID           string        // stable id from the config, e.g. "rbc-uk"
	Name         string        // human name shown in alerts, from the config
	Title        string        // the feed's own title, from its last parse; shown when Name is empty
	URL          string        // http or https
	Lang         string        // language of its articles: "uk", "ru", "en", ...
	Interval     time.Duration // 0: the global schedule
	MatchContent bool          // match subscriptions against full content too
	Paused       bool
	Edition      string // the outlet this feed is one language edition of; "" none
}

// DisplayName is the name shown to users.
func (s Source) DisplayName() string {
	if s.Name != "" {
		return s.Name
	}
	if s.Title != "" {
		return s.Title
	}
	return s.ID
}

// Article is one news item as stored: clean text, one identity.
type Article struct {
	ID         int64  // row id in the articles table
	FeedID     string // Source.ID of the feed it was first seen in
	Lang       string // Source.Lang of that feed
	GUID       string
	Link       string // canonical link (tracking parameters and fragment removed)
	Title      string // plain text: HTML stripped, entities decoded, whitespace collapsed
	Summary    string // plain text
	Content    string // plain text of the full content, when the feed has one
	Categories []string
	Published  time.Time // from the feed, with fallbacks; never zero
	Seen       time.Time // when we first stored it
}
