package feeds

import (
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// extraLayouts are dates seen in the wild that gofeed does not parse:
// "2020/1/10 14:33:00", "10.01.2020 14:33", RFC 1123 with a named zone.
var extraLayouts = []string{
	"2006/1/2 15:04:05",
	"2006/1/2 15:04",
	"2006-1-2 15:04:05",
	"2006-1-2 15:04",
	"2006-01-02T15:04:05",
	"2.1.2006 15:04:05",
	"2.1.2006 15:04",
	"02.01.2006",
	"2006-01-02",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
}

// published picks the item's publication time: published (pubDate, dc:date),
// else updated, else now (first seen). A time in the future is clamped to
// now: a wrong clock or time zone must not pin an item to the top.
func published(it *gofeed.Item, now time.Time) time.Time {
	var t time.Time
	switch {
	case it.PublishedParsed != nil && !it.PublishedParsed.IsZero():
		t = *it.PublishedParsed
	case it.Published != "":
		t = parseDate(it.Published)
	}
	if t.IsZero() {
		switch {
		case it.UpdatedParsed != nil && !it.UpdatedParsed.IsZero():
			t = *it.UpdatedParsed
		case it.Updated != "":
			t = parseDate(it.Updated)
		}
	}
	if t.IsZero() || t.Year() < 1990 || t.After(now) {
		return now
	}
	return t
}

func parseDate(s string) time.Time {
	s = strings.Join(strings.Fields(s), " ")
	for _, l := range extraLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
