package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
)

// MaxItems is how many items of one feed document are kept (the first ones:
// feeds list the newest first).
const MaxItems = 500

// Feed is one parsed feed document.
type Feed struct {
	Title    string
	Language string    // the feed's own language tag, lower-cased ("uk", "ru-ru"); may be empty
	Articles []Article // FeedID, Lang, ID and Seen are left for the caller
	Items    int       // items in the document, before MaxItems and de-duplication
	Repaired bool      // the document was cut off and parsed up to its last complete item
}

// Parser turns feed bytes into articles. It is safe for concurrent use.
type Parser struct {
	fp *gofeed.Parser
}

// NewParser returns a Parser sharing one gofeed parser.
func NewParser() *Parser {
	fp := gofeed.NewParser()
	// The image scan re-parses every item's HTML; we never use images.
	fp.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	return &Parser{fp: fp}
}

// Parse parses a feed body (as fetched: any encoding) into articles.
// contentType is the HTTP Content-Type, used for its charset; now stands in
// for missing publication dates and caps future ones. Errors wrap ErrNotFeed
// or ErrBadXML.
func (p *Parser) Parse(body []byte, contentType string, now time.Time) (*Feed, error) {
	body = toUTF8(body, contentType)
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: empty body", ErrNotFeed)
	}
	if trimmed[0] == '<' {
		if err := checkDepth(trimmed); err != nil {
			return nil, err
		}
	}
	gf, err := p.parse(trimmed)
	repaired := false
	if err != nil && !errors.Is(err, ErrNotFeed) {
		if fixed, ok := repairTruncated(trimmed); ok {
			if gf2, err2 := p.parse(fixed); err2 == nil && len(gf2.Items) > 0 {
				gf, err, repaired = gf2, nil, true
			}
		}
	}
	if err != nil {
		return nil, err
	}
	f := &Feed{
		Title:    cleanText(gf.Title, maxTitle),
		Language: strings.ToLower(strings.TrimSpace(gf.Language)),
		Items:    len(gf.Items),
		Repaired: repaired,
	}
	items := gf.Items
	if len(items) > MaxItems {
		items = items[:MaxItems]
	}
	f.Articles = make([]Article, 0, len(items))
	for _, it := range items {
		if it == nil {
			continue
		}
		f.Articles = append(f.Articles, toArticle(it, now))
	}
	return f, nil
}

func (p *Parser) parse(b []byte) (gf *gofeed.Feed, err error) {
	defer func() {
		// gofeed is third-party code fed hostile input: a panic in it is a
		// bad document, not a crashed poller.
		if r := recover(); r != nil {
			gf, err = nil, &xmlError{msg: fmt.Sprintf("parser panic: %v", r)}
		}
	}()
	gf, err = p.fp.Parse(bytes.NewReader(b))
	switch {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		return nil, ErrNotFeed
	case err != nil && b[0] == '{':
		return nil, fmt.Errorf("%w: bad JSON: %v", ErrNotFeed, err)
	case err != nil:
		return nil, &xmlError{msg: err.Error()}
	}
	return gf, nil
}

// repairTruncated cuts a broken document after its last complete item and
// closes the root, so a download cut short still yields its good items.
func repairTruncated(b []byte) ([]byte, bool) {
	lower := bytes.ToLower(b[:min(len(b), 4096)])
	var closer string
	switch {
	case bytes.Contains(lower, []byte("<rss")):
		closer = "</channel></rss>"
	case bytes.Contains(lower, []byte("rdf")):
		closer = "</rdf:RDF>"
	case bytes.Contains(lower, []byte("<feed")):
		closer = "</feed>"
	default:
		return nil, false
	}
	end := max(bytes.LastIndex(b, []byte("</item>"))+len("</item>"), bytes.LastIndex(b, []byte("</entry>"))+len("</entry>"))
	if end < len("</item>") {
		return nil, false
	}
	if closer == "</rdf:RDF>" && bytes.Contains(b, []byte("<rdf:RDF")) == false {
		closer = "</RDF>"
	}
	out := make([]byte, 0, end+len(closer))
	out = append(out, b[:end]...)
	return append(out, closer...), true
}

func toArticle(it *gofeed.Item, now time.Time) Article {
	a := Article{
		GUID:    truncate(strings.TrimSpace(it.GUID), maxGUID),
		Link:    CanonicalLink(itemLink(it)),
		Title:   cleanText(it.Title, maxTitle),
		Content: cleanText(it.Content, maxContent),
	}
	if a.Content == "" {
		a.Content = cleanText(extValue(it.Extensions, "full-text"), maxContent)
	}
	a.Summary = cleanText(it.Description, maxDescription)
	if a.Summary == "" {
		a.Summary = truncate(a.Content, maxSummary)
	}
	if a.Summary == a.Content {
		a.Content = ""
	}
	if a.Title == "" && a.Summary != "" {
		// Untitled items (tweets, some RDF) get the start of their text.
		a.Title = firstWords(a.Summary, 160)
	}
	seen := map[string]bool{}
	for _, c := range it.Categories {
		c = truncate(collapse(c), maxCategory)
		if c != "" && !seen[c] && len(a.Categories) < maxCats {
			seen[c] = true
			a.Categories = append(a.Categories, c)
		}
	}
	a.Published = published(it, now)
	return a
}

func itemLink(it *gofeed.Item) string {
	if l := strings.TrimSpace(it.Link); l != "" {
		return l
	}
	for _, l := range it.Links {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	// An RSS GUID with isPermaLink is a link; gofeed does not tell, so
	// take a GUID that looks like a URL.
	if g := strings.TrimSpace(it.GUID); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
		return g
	}
	return ""
}

// extValue is the first value of an extension element named name in any
// namespace (yandex:full-text, rbc_news:full-text).
func extValue(exts ext.Extensions, name string) string {
	for _, byName := range exts {
		for _, e := range byName[name] {
			if v := strings.TrimSpace(e.Value); v != "" {
				return v
			}
		}
	}
	return ""
}

func firstWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := truncate(s, n)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
