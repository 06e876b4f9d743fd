package config

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOPMLRoundTrip(t *testing.T) {
	feeds := []Feed{
		{ID: "rbc-uk", Name: "РБК-Україна", URL: "https://www.rbc.ua/static/rss/all.ukr.rss.xml", Lang: "uk"},
		{ID: "bbc", Name: `BBC <News> & "World"`, URL: "https://feeds.example.com/news/world/rss.xml?a=1&b=2", Lang: "en"},
		{ID: "nolang", URL: "https://nolang.example/feed"},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "newsalert feeds", feeds); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`<opml version="2.0">`, `<title>newsalert feeds</title>`, `type="rss"`, `language="uk"`, `xmlUrl="https://feeds.example.com/news/world/rss.xml?a=1&amp;b=2"`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
	got, err := ReadOPML(strings.NewReader(out), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Feed{
		{ID: "rbc.ua", Name: "РБК-Україна", URL: feeds[0].URL, Lang: "uk"},
		{ID: "bbc-news-world", Name: feeds[1].Name, URL: feeds[1].URL, Lang: "en"},
		{ID: "nolang", Name: "nolang", URL: feeds[2].URL},
	}
	if d := cmp.Diff(want, got.Feeds); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	// Importing into the config it came from adds nothing.
	again, err := ReadOPML(strings.NewReader(out), feeds)
	if err != nil || len(again.Feeds) != 0 || len(again.Skipped) != 3 {
		t.Errorf("re-import: %v %+v", err, again)
	}
}

func TestReadOPMLNestedAndMessy(t *testing.T) {
	in := `<?xml version="1.0"?>
<opml version="1.0"><head><title>mine</title></head><body>
  <outline text="News">
    <outline text="Tech">
      <outline type="rss" text="Ars" xmlUrl="https://ars.example/feed" lang="en-US"/>
      <outline type="rss" text="Ars again" xmlUrl="https://ars.example/feed"/>
    </outline>
    <outline type="rss" title="Ars" xmlUrl="https://ars2.example/feed" language="klingonese"/>
  </outline>
  <outline type="rss" text="Local" xmlUrl="file:///etc/passwd"/>
  <outline type="rss" text="Creds" xmlUrl="https://u:p@x.example/feed"/>
  <outline type="rss" text="Українська правда" xmlUrl="https://www.pravda.com.ua/rss/"/>
  <outline type="rss" text="  Spaced
    Name  " xmlUrl="https://sp.example/rss"/>
</body></opml>`
	existing := []Feed{{ID: "ars", URL: "https://other.example/rss"}}
	got, err := ReadOPML(strings.NewReader(in), existing)
	if err != nil {
		t.Fatal(err)
	}
	want := []Feed{
		{ID: "ars-2", Name: "Ars", URL: "https://ars.example/feed", Lang: "en"},
		{ID: "ars-3", Name: "Ars", URL: "https://ars2.example/feed"},
		{ID: "pravda.com.ua", Name: "Українська правда", URL: "https://www.pravda.com.ua/rss/"},
		{ID: "spaced-name", Name: "Spaced Name", URL: "https://sp.example/rss"},
	}
	if d := cmp.Diff(want, got.Feeds); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	if len(got.Skipped) != 3 {
		t.Errorf("skipped: %q", got.Skipped)
	}
	for _, f := range got.Feeds {
		if !feedIDPattern.MatchString(f.ID) {
			t.Errorf("invalid id %q", f.ID)
		}
	}
}

func TestReadOPMLHostile(t *testing.T) {
	tests := []struct {
		name, in string
		is       error
	}{
		{"html", "<html><body>hi</body></html>", ErrNotOPML},
		{"empty", "", ErrNotOPML},
		{"entity", `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><opml><body><outline text="&b;" xmlUrl="https://x.example/"/></body></opml>`, ErrNotOPML},
		{"truncated", `<opml><body><outline text="a" xmlUrl="https://x.example/"`, ErrNotOPML},
		{"charset", `<?xml version="1.0" encoding="windows-1251"?><opml/>`, ErrNotOPML},
		{"huge", "<opml><body>" + strings.Repeat("<!-- padding -->", MaxOPMLSize/16+10) + "</body></opml>", nil},
		{"many", "<opml><body>" + strings.Repeat(`<outline text="x"/>`, MaxOPMLOutlines+1) + "</body></opml>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadOPML(strings.NewReader(tt.in), nil)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err %v, want %v", err, tt.is)
			}
		})
	}
}

func TestFeedIDFrom(t *testing.T) {
	tests := []struct{ title, url, want string }{
		{"BBC News - World", "https://bbc.example/", "bbc-news-world"},
		{"", "https://WWW.Example.COM:8080/rss", "example.com"},
		{"Ц", "https://[::1]/rss", "1"},
		{strings.Repeat("long title ", 20), "https://x.example/", ""},
	}
	for _, tt := range tests {
		got := uniqueID(feedIDFrom(tt.title, tt.url), map[string]bool{})
		if !feedIDPattern.MatchString(got) || tt.want != "" && got != tt.want {
			t.Errorf("feedIDFrom(%q, %q) = %q, want %q", tt.title, tt.url, got, tt.want)
		}
	}
}

func FuzzReadOPML(f *testing.F) {
	f.Add(`<opml><body><outline text="a" xmlUrl="https://a.example/"/></body></opml>`)
	f.Add(`<opml><body><outline text="Ї--..__" xmlUrl="http://a.example/" lang="uk"/></body></opml>`)
	f.Fuzz(func(t *testing.T, in string) {
		res, err := ReadOPML(strings.NewReader(in), []Feed{{ID: "a", URL: "https://a.example/"}})
		if err != nil {
			return
		}
		seen := map[string]bool{"a": true}
		for _, fd := range res.Feeds {
			if !feedIDPattern.MatchString(fd.ID) || seen[fd.ID] {
				t.Fatalf("bad or duplicate id %q", fd.ID)
			}
			seen[fd.ID] = true
			if err := CheckHTTPURL(fd.URL); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestSuggestFeedID(t *testing.T) {
	existing := []Feed{{ID: "bbc-news"}, {ID: "bbc-news-2"}}
	if got := SuggestFeedID("BBC News", "https://bbc.example/", existing); got != "bbc-news-3" {
		t.Errorf("got %q", got)
	}
	if got := SuggestFeedID("Новини", "https://www.ukr.net/news/rss", nil); got != "ukr.net" {
		t.Errorf("got %q", got)
	}
}
