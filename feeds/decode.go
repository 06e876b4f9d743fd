package feeds

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Feeds declare their encoding in the XML prolog, in the HTTP Content-Type,
// with a BOM, wrongly, or not at all. toUTF8 settles it once, before gofeed
// sees the bytes: the result is UTF-8 with the prolog's encoding rewritten to
// utf-8, so gofeed never decodes a second time.
//
// Order of trust: BOM; the prolog, unless it names a single-byte charset and
// the bytes are valid non-ASCII UTF-8 (a lying prolog), or names a charset we
// do not know; the Content-Type charset; valid UTF-8; else a guess between
// windows-1251 (mostly high bytes: Cyrillic) and windows-1252.

var (
	prologRe   = regexp.MustCompile(`^\s*(?:<!--[\s\S]*?-->\s*)*<\?xml[^>]*?\?>`)
	encodingRe = regexp.MustCompile(`encoding\s*=\s*["']([^"']*)["']`)
)

const utf8Prolog = `<?xml version="1.0" encoding="utf-8"?>`

func toUTF8(body []byte, contentType string) []byte {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return fixProlog(validUTF8(body[3:]))
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}), bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(body)
		if err != nil {
			return validUTF8(body)
		}
		return fixProlog(validUTF8(out))
	}
	if loc := prologRe.FindIndex(body[:min(len(body), 4096)]); loc != nil {
		if m := encodingRe.FindSubmatch(body[loc[0]:loc[1]]); m != nil {
			label := strings.ToLower(strings.TrimSpace(string(m[1])))
			if enc, name := charset.Lookup(label); enc != nil {
				if name == "utf-8" || looksUTF8(body) {
					return fixProlog(validUTF8(body))
				}
				return fixProlog(decodeWith(enc, body))
			}
			// An unknown name: fall through to the header and the guess.
		}
	}
	if enc := headerCharset(contentType); enc != nil {
		if looksUTF8(body) {
			return fixProlog(body)
		}
		return fixProlog(decodeWith(enc, body))
	}
	if utf8.Valid(body) {
		return fixProlog(body)
	}
	return fixProlog(decodeWith(guessSingleByte(body), body))
}

// fixProlog rewrites an XML declaration's encoding to utf-8; bodies without
// one are returned unchanged (XML without a declaration is UTF-8).
func fixProlog(body []byte) []byte {
	loc := prologRe.FindIndex(body[:min(len(body), 4096)])
	if loc == nil {
		return body
	}
	decl := body[loc[0]:loc[1]]
	m := encodingRe.FindSubmatch(decl)
	if m == nil || strings.EqualFold(string(m[1]), "utf-8") {
		return body
	}
	out := make([]byte, 0, len(body))
	out = append(out, body[:loc[0]]...)
	out = append(out, encodingRe.ReplaceAll(decl, []byte(`encoding="utf-8"`))...)
	return append(out, body[loc[1]:]...)
}

func headerCharset(contentType string) encoding.Encoding {
	if contentType == "" {
		return nil
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil || params["charset"] == "" {
		return nil
	}
	enc, _ := charset.Lookup(params["charset"])
	return enc
}

// looksUTF8 reports valid UTF-8 with at least one multi-byte sequence: a
// single-byte charset's text is almost never that.
func looksUTF8(b []byte) bool {
	return utf8.Valid(b) && bytes.ContainsFunc(b, func(r rune) bool { return r >= utf8.RuneSelf })
}

func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}

func decodeWith(enc encoding.Encoding, b []byte) []byte {
	if enc == encoding.Nop || enc == unicode.UTF8 {
		return validUTF8(b)
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return validUTF8(b)
	}
	return validUTF8(out)
}

// guessSingleByte picks a Cyrillic charset when bytes 0xC0-0xFF (Cyrillic
// letters in both) are a large share of the letters in text (outside tags),
// windows-1252 otherwise: Latin text has a few accented letters among many
// ASCII ones. Between windows-1251 and KOI8-R, text is mostly lower case:
// 0xE0-0xFF in windows-1251, 0xC0-0xDF in KOI8-R.
func guessSingleByte(b []byte) encoding.Encoding {
	var ascii, high, upperHalf int
	inTag := false
	for _, c := range b {
		switch {
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
		case inTag:
		case c >= 0xC0:
			high++
			if c >= 0xE0 {
				upperHalf++
			}
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			ascii++
		}
	}
	switch {
	case high*10 <= (high+ascii)*3:
		return charmap.Windows1252
	case upperHalf*2 < high:
		return charmap.KOI8U // KOI8-R plus the Ukrainian letters
	}
	return charmap.Windows1251
}

// maxDepth bounds element nesting: gofeed's parsers recurse per level.
const maxDepth = 256

// checkDepth scans markup (skipping comments, CDATA, processing instructions
// and declarations) and fails when elements nest deeper than maxDepth.
func checkDepth(b []byte) error {
	depth := 0
	for i := 0; i < len(b); i++ {
		if b[i] != '<' {
			continue
		}
		rest := b[i+1:]
		var end []byte
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			end = []byte("-->")
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			end = []byte("]]>")
		case bytes.HasPrefix(rest, []byte("?")):
			end = []byte("?>")
		case bytes.HasPrefix(rest, []byte("!")):
			end = []byte(">")
		case bytes.HasPrefix(rest, []byte("/")):
			depth--
			continue
		default:
			j := bytes.IndexByte(rest, '>')
			if j < 0 {
				return nil
			}
			if j == 0 || rest[j-1] != '/' {
				depth++
				if depth > maxDepth {
					return fmt.Errorf("%w: elements nested deeper than %d", ErrNotFeed, maxDepth)
				}
			}
			i += j
			continue
		}
		j := bytes.Index(rest, end)
		if j < 0 {
			return nil
		}
		i += j + len(end)
	}
	return nil
}
