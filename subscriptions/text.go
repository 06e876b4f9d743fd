package subscriptions

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is one word of a text, as the matcher compares it.
type token struct {
	surface string // the word as the text wrote it (for highlighting)
	form    string // normalized: NFKC, case-folded, apostrophes unified
	script  script // the script its letters are written in
}

type script uint8

const (
	scriptOther    script = iota // digits only, or letters of another script
	scriptLatin                  // Latin letters (and digits)
	scriptCyrillic               // Cyrillic letters (and digits)
)

// isApostrophe reports the characters feeds and users type for an apostrophe:
// ASCII ', the typographic ’ and ‘, the modifier letter ʼ (the Ukrainian
// standard's own), the backtick and the prime.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', '`', '′', 'ʹ':
		return true
	}
	return false
}

// isWordRune reports runes that belong to words. Everything else (spaces,
// hyphens, dashes, punctuation, symbols) is a word boundary.
func isWordRune(r rune) bool {
	if uint32(r) < utf8.RuneSelf {
		return asciiWord[r]
	}
	return isWideWordRune(r)
}

var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for r := range t {
		t[r] = 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return t
}()

func isWideWordRune(r rune) bool {
	switch {
	case r >= 0x400 && r <= 0x52F: // Cyrillic: letters and combining marks but ҂
		return r != 0x482
	case r >= 0x2000 && r <= 0x206F: // general punctuation: dashes, quotes, spaces
		return r == 0x2071 || r == 0x207F
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// tokenize splits text into words and normalizes each one. The same function
// reads articles and query words, so both sides agree on what a word is.
// It appends to dst and returns it.
func tokenize(dst []token, text string) []token {
	i := 0
	for i < len(text) {
		// Skip to the start of a word.
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = decodeMulti(text, i)
		}
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		end := i + size
		i = end
		// A word runs over word runes, and over apostrophes that have a
		// word rune on both sides (п'ять, Ukraine's).
		for i < len(text) {
			r, size = rune(text[i]), 1
			if r >= utf8.RuneSelf {
				r, size = decodeMulti(text, i)
			}
			if isWordRune(r) {
				i += size
				end = i
				continue
			}
			if isApostrophe(r) && i+size < len(text) {
				next, _ := decodeMulti(text, i+size)
				if isWordRune(next) {
					i += size
					continue
				}
			}
			break
		}
		dst = appendWord(dst, text[start:end])
	}
	return dst
}

// decodeMulti is utf8.DecodeRuneInString(s[i:]) with the two-byte runes
// (Cyrillic) decoded in line: they are most of what Ukrainian and Russian
// news is made of. i < len(s). Callers test for ASCII first.
func decodeMulti(s string, i int) (rune, int) {
	if b := s[i]; 0xC2 <= b && b <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return rune(b&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	}
	return utf8.DecodeRuneInString(s[i:])
}

// appendWord normalizes one raw word. Compatibility normalization can turn
// one raw word into several ("¼" becomes "1⁄4"): each part is a token with
// the raw word as its surface.
func appendWord(dst []token, raw string) []token {
	if sc, ok := plainScript(raw); ok {
		return append(dst, token{surface: raw, form: raw, script: sc})
	}
	form := normalizeWord(raw)
	if form == raw || !strings.ContainsFunc(form, func(r rune) bool { return !isWordRune(r) && r != '\'' }) {
		return append(dst, token{surface: raw, form: form, script: scriptOf(form)})
	}
	for part := range strings.FieldsFuncSeq(form, func(r rune) bool { return !isWordRune(r) && r != '\'' }) {
		part = strings.Trim(part, "'")
		if part != "" {
			dst = append(dst, token{surface: raw, form: part, script: scriptOf(part)})
		}
	}
	return dst
}

// normalizeWord returns the comparable form of one word: NFKC, case folded,
// every apostrophe as ', ё as е, and Latin look-alikes inside a Cyrillic
// word read as Cyrillic ("Українськi" with a Latin i is "українські").
func normalizeWord(raw string) string {
	if _, ok := plainScript(raw); ok {
		return raw
	}
	s := raw
	if !isSimpleScript(s) && !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	cyr, lat := 0, 0
	for _, r := range s {
		switch {
		case isApostrophe(r):
			r = '\''
		case r == 'ß' || r == 'ẞ':
			b.WriteString("ss")
			lat++
			continue
		default:
			r = fold(r)
		}
		if r == 'ё' {
			r = 'е'
		}
		switch {
		case isCyrillic(r):
			cyr++
		case isLatinLetter(r):
			lat++
		}
		b.WriteRune(r)
	}
	out := b.String()
	if !isSimpleScript(out) && !norm.NFKC.IsNormalString(out) { // folding can undo normalization
		out = norm.NFKC.String(out)
	}
	if cyr > 0 && lat > 0 {
		out = cyrillicLookalikes(out)
	}
	return out
}

// isSimpleScript reports a string of ASCII letters, digits and apostrophes
// and of the Cyrillic letters of Ukrainian and Russian: runes that NFKC
// leaves alone and that never compose with a neighbour.
func isSimpleScript(s string) bool {
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '\'':
		case r >= 0x400 && r <= 0x45F || r == 'ґ' || r == 'Ґ' || r == '’' || r == 'ʼ':
		default:
			return false
		}
	}
	return true
}

// plainScript reports a word that is already its own normal form, the
// common case: lower-case ASCII letters and digits, or lower-case Cyrillic
// (without ё) and digits, and ASCII apostrophes. Such runes are NFKC-stable
// and never combine with a neighbour, so the word needs no work. It also
// returns the word's script, as scriptOf would.
func plainScript(s string) (script, bool) {
	latin, cyr := false, false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = decodeMulti(s, i)
		}
		i += size
		switch {
		case 'a' <= r && r <= 'z':
			latin = true
		case '0' <= r && r <= '9' || r == '\'':
		case r >= 0x430 && r <= 0x45F && r != 'ё' || r == 'ґ':
			cyr = true
		default:
			return scriptOther, false
		}
	}
	switch {
	case latin && cyr:
		return scriptOther, false
	case latin:
		return scriptLatin, true
	case cyr:
		return scriptCyrillic, true
	}
	return scriptOther, true
}

// fold is Unicode simple case folding for one rune: the lower case of its
// upper case, which also unifies σ and ς.
func fold(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r >= 0x410 && r <= 0x42F: // А-Я
		return r + 0x20
	case r >= 0x430 && r <= 0x45F: // а-я, ѐ-џ
		return r
	case r >= 0x400 && r <= 0x40F: // Ѐ-Џ (Є, І, Ї)
		return r + 0x50
	}
	return unicode.ToLower(unicode.ToUpper(r))
}

func isCyrillic(r rune) bool { return r >= 0x0400 && r <= 0x052F }

func isLatinLetter(r rune) bool {
	return 'a' <= r && r <= 'z' || r >= 0xC0 && r <= 0x24F && unicode.IsLetter(r)
}

// lookalike maps folded Latin letters that Cyrillic text is typed with by
// mistake (or by a keyboard layout) to the Cyrillic letter they imitate.
var lookalike = map[rune]rune{
	'a': 'а', 'c': 'с', 'e': 'е', 'i': 'і', 'ï': 'ї', 'o': 'о', 'p': 'р', 'x': 'х', 'y': 'у',
}

// cyrillicLookalikes rewrites a word that mixes scripts. Only when every Latin
// letter has a Cyrillic twin is the word read as Cyrillic: "covidом" stays
// as it is, "українськi" becomes "українські".
func cyrillicLookalikes(s string) string {
	for _, r := range s {
		if isLatinLetter(r) {
			if _, ok := lookalike[r]; !ok {
				return s
			}
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if c, ok := lookalike[r]; ok {
			r = c
		}
		b.WriteRune(r)
	}
	return b.String()
}

// scriptOf tells which stemmer a normalized word belongs to.
func scriptOf(form string) script {
	for _, r := range form {
		switch {
		case isCyrillic(r):
			return scriptCyrillic
		case isLatinLetter(r):
			return scriptLatin
		}
	}
	return scriptOther
}
