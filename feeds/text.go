package feeds

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Field caps, in bytes of UTF-8 (cut at a rune boundary).
const (
	maxTitle   = 1 << 10
	maxSummary = 4 << 10 // a summary made from the content
	// maxDescription keeps the whole description: the matcher reads the
	// stored article, and a topic named only at the end of a 10,000
	// character description must be found. Alerts show its start only.
	// The body it comes from is capped by fetch.max_body.
	maxDescription = 1 << 20
	maxContent     = 64 << 10
	maxCategory    = 128
	maxCats        = 32
	maxLink        = 2 << 10
	maxGUID        = 1 << 10
)

// markupRe spots what a second pass would still change: a tag or an entity.
// Feeds escape HTML twice (CDATA holding &lt;br /&gt;, or &amp;#40;).
var markupRe = regexp.MustCompile(`<[a-zA-Z/!]|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});`)

// cleanText turns feed HTML into plain text: tags stripped, entities decoded
// (twice-escaped ones too), whitespace collapsed, trimmed, capped at limit
// bytes.
func cleanText(s string, limit int) string {
	if s == "" {
		return ""
	}
	// Work on a bounded prefix: a 10 MiB description is not read in full.
	s = truncate(s, 8*limit+1024)
	for pass := 0; pass < 3; pass++ {
		if !markupRe.MatchString(s) {
			break
		}
		s = stripHTML(s)
	}
	return truncate(collapse(s), limit)
}

// stripHTML returns the text content of an HTML fragment with entities
// decoded, a space where block elements and line breaks were, and script
// and style bodies dropped.
func stripHTML(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	z := html.NewTokenizerFragment(strings.NewReader(s), "div")
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Script || a == atom.Style {
				if z.Token().Type == html.StartTagToken {
					skip++
				}
			}
			if isBlock(a) {
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if (a == atom.Script || a == atom.Style) && skip > 0 {
				skip--
			}
			if isBlock(a) {
				b.WriteByte(' ')
			}
		}
	}
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.Br, atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Tr, atom.Td, atom.Th,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Pre,
		atom.Hr, atom.Img, atom.Table, atom.Section, atom.Article, atom.Figure, atom.Figcaption:
		return true
	}
	return false
}

// collapse replaces every run of white space (including NBSP) with one
// space, drops control characters and trims.
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError || r == '\u200b' || r == '\ufeff':
			continue
		case isSpace(r):
			space = b.Len() > 0
			continue
		case r < 0x20 || r == 0x7f:
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// truncate cuts s to at most n bytes at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
