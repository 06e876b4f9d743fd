package config

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// OPML limits: an OPML file comes from anywhere.
const (
	MaxOPMLSize     = 4 << 20 // bytes
	MaxOPMLOutlines = 10000
)

// ErrNotOPML is returned for input that is not an OPML document.
var ErrNotOPML = errors.New("config: not an OPML document")

// WriteOPML writes feeds as an OPML 2.0 subscription list. OPML has no
// language attribute of its own: each feed's goes in "language" (ReadOPML
// also reads "lang").
func WriteOPML(w io.Writer, title string, feeds []Feed) error {
	type outline struct {
		Text     string `xml:"text,attr"`
		Title    string `xml:"title,attr"`
		Type     string `xml:"type,attr"`
		XMLURL   string `xml:"xmlUrl,attr"`
		Language string `xml:"language,attr,omitempty"`
	}
	doc := struct {
		XMLName xml.Name  `xml:"opml"`
		Version string    `xml:"version,attr"`
		Title   string    `xml:"head>title"`
		Body    []outline `xml:"body>outline"`
	}{Version: "2.0", Title: title}
	for _, f := range feeds {
		name := f.Name
		if name == "" {
			name = f.ID
		}
		doc.Body = append(doc.Body, outline{Text: name, Title: name, Type: "rss", XMLURL: f.URL, Language: f.Lang})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("config: write OPML: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("config: write OPML: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("config: write OPML: %w", err)
	}
	return nil
}

// OPMLImport is what ReadOPML found.
type OPMLImport struct {
	Feeds   []Feed   // new feeds with unique, valid ids, ready for AddFeed
	Skipped []string // one line per outline not taken, and why
}

// ReadOPML reads an OPML subscription list (any version; nested outlines
// are flattened) and returns the feeds not already among existing (same
// URL). Ids come from each feed's title, or its host when the title gives
// none, made unique among existing and each other.
func ReadOPML(r io.Reader, existing []Feed) (OPMLImport, error) {
	var res OPMLImport
	lr := &io.LimitedReader{R: r, N: MaxOPMLSize + 1}
	dec := xml.NewDecoder(lr)
	dec.Strict = true
	// A declared encoding other than UTF-8 is refused rather than guessed.
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if l := strings.ToLower(label); l == "utf-8" || l == "us-ascii" || l == "ascii" {
			return in, nil
		}
		return nil, fmt.Errorf("encoding %q is not supported (use UTF-8)", label)
	}
	ids := map[string]bool{}
	urls := map[string]bool{}
	for _, f := range existing {
		ids[f.ID] = true
		urls[f.URL] = true
	}
	sawRoot, outlines := false, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if lr.N <= 0 {
			return OPMLImport{}, fmt.Errorf("config: OPML larger than %d bytes", MaxOPMLSize)
		}
		if err != nil {
			return OPMLImport{}, fmt.Errorf("%w: %v", ErrNotOPML, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !sawRoot {
			if se.Name.Local != "opml" {
				return OPMLImport{}, fmt.Errorf("%w: root element is <%s>", ErrNotOPML, se.Name.Local)
			}
			sawRoot = true
			continue
		}
		if se.Name.Local != "outline" {
			continue
		}
		if outlines++; outlines > MaxOPMLOutlines {
			return OPMLImport{}, fmt.Errorf("config: OPML has more than %d outlines", MaxOPMLOutlines)
		}
		o := readOutline(se)
		if o.url == "" {
			continue // a folder: its children are read in turn
		}
		label := o.name
		if label == "" {
			label = o.url
		}
		if err := CheckHTTPURL(o.url); err != nil {
			res.Skipped = append(res.Skipped, fmt.Sprintf("%q: %v", label, err))
			continue
		}
		if urls[o.url] {
			res.Skipped = append(res.Skipped, fmt.Sprintf("%q: %s is already a feed", label, o.url))
			continue
		}
		f := Feed{ID: uniqueID(feedIDFrom(o.name, o.url), ids), Name: o.name, URL: o.url}
		if o.lang != "" {
			if l, err := NormalizeLanguage(o.lang); err == nil {
				f.Lang = l
			}
		}
		ids[f.ID], urls[f.URL] = true, true
		res.Feeds = append(res.Feeds, f)
	}
	if !sawRoot {
		return OPMLImport{}, fmt.Errorf("%w: empty", ErrNotOPML)
	}
	return res, nil
}

type outline struct{ name, url, lang string }

func readOutline(se xml.StartElement) outline {
	var o outline
	var text string
	for _, a := range se.Attr {
		v := strings.TrimSpace(a.Value)
		switch a.Name.Local {
		case "xmlUrl", "xmlurl":
			o.url = v
		case "title":
			o.name = cleanName(v)
		case "text":
			text = cleanName(v)
		case "language", "lang":
			o.lang = v
		}
	}
	if o.name == "" {
		o.name = text
	}
	return o
}

// cleanName collapses white space and drops control characters, at most
// 200 characters.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200])
	}
	return s
}

// SuggestFeedID makes a valid feed id, unused by existing, from a feed's
// title or, failing that, its URL's host.
func SuggestFeedID(title, rawURL string, existing []Feed) string {
	taken := make(map[string]bool, len(existing))
	for _, f := range existing {
		taken[f.ID] = true
	}
	return uniqueID(feedIDFrom(cleanName(title), rawURL), taken)
}

// feedIDFrom makes an id out of a title ("BBC News - World" is
// bbc-news-world) or, when the title has too few Latin letters or digits,
// the URL's host (www.pravda.com.ua is pravda.com.ua).
func feedIDFrom(title, rawURL string) string {
	if id := slug(title); len(id) >= 3 {
		return id
	}
	if u, err := url.Parse(rawURL); err == nil {
		if id := slug(strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")); id != "" {
			return id
		}
	}
	return "feed"
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 56 {
			break
		}
	}
	return strings.Trim(b.String(), "._-")
}

// uniqueID returns id, or id-2, id-3... the first not in taken.
func uniqueID(id string, taken map[string]bool) string {
	if len(id) > 56 {
		id = strings.Trim(id[:56], "._-")
	}
	if !feedIDPattern.MatchString(id) {
		id = "feed"
	}
	cand := id
	for n := 2; taken[cand]; n++ {
		cand = id + "-" + strconv.Itoa(n)
	}
	return cand
}
