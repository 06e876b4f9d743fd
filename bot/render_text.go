package bot

import (
	"html"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

var renderEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// escape makes plain text safe anywhere in Telegram HTML, attribute values
// included. (tgbotapi.EscapeText(ModeHTML) leaves " alone.)
func escapeHTML(s string) string { return renderEscaper.Replace(s) }

// utf16Len is the length of s in UTF-16 units: at least its rune count.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// cleanLine makes feed text fit for one paragraph: valid UTF-8, no control
// characters, every run of white space one space.
func cleanLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// truncate shortens s to at most n runes, "…" included, at a word boundary
// when there is one in the second half.
func truncateText(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	keep := max(n-1, 0)
	cut := keep // inside a word when there is no space in the second half
	for i := keep; i > n/2; i-- {
		if unicode.IsSpace(rs[i]) {
			cut = i
			break
		}
	}
	out := strings.TrimRightFunc(string(rs[:cut]), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:–—-(«“\"'", r)
	})
	return out + "…"
}

// cutSummary shortens a summary to near n runes: after the last sentence
// that ends in the last 40% of the window ("… end."; a full sentence needs
// no ellipsis, and "end. …" reads as a glitch), else at a word boundary
// ("… word…").
func cutSummary(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	for i := n - 1; i >= n*6/10; i-- {
		if sentenceEnd(rs, i) {
			return string(rs[:i+1])
		}
	}
	return truncateText(s, n)
}

// sentenceEnd reports whether rs[i] ends a sentence: terminal punctuation
// (and closing quotes), then a space and a capital, digit or opening quote,
// and not an initial or abbreviation like "U.S." or "т.".
func sentenceEnd(rs []rune, i int) bool {
	if i+2 >= len(rs) || rs[i+1] != ' ' {
		return false
	}
	next := rs[i+2]
	if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !strings.ContainsRune("«“\"'(—–", next) {
		return false
	}
	j := i
	for j > 0 && strings.ContainsRune("»”\")'", rs[j]) {
		j--
	}
	if !strings.ContainsRune(".!?…", rs[j]) {
		return false
	}
	if rs[j] == '.' {
		// The word before the dot: one letter is an initial or abbreviation.
		k := j
		for k > 0 && unicode.IsLetter(rs[k-1]) {
			k--
		}
		if j-k <= 1 {
			return false
		}
	}
	return true
}

// isTextWordRune and isTextApostrophe split words the way the matcher does
// (subscriptions/text.go), so a matched word is found again here.
func isTextWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

func isTextApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', '`', '′', 'ʹ':
		return true
	}
	return false
}

// foldTextWord is the case-insensitive key of a word.
func foldTextWord(w string) string {
	return strings.Map(func(r rune) rune {
		if isTextApostrophe(r) {
			return '\''
		}
		return unicode.ToLower(r)
	}, w)
}

// highlight escapes text and puts the whole words equal to one of words
// (ignoring case) in bold.
func highlight(text string, words []string) string {
	set := make(map[string]bool, len(words))
	for _, w := range words {
		if w = strings.TrimSpace(w); w != "" {
			set[foldTextWord(w)] = true
		}
	}
	var b strings.Builder
	last := 0 // text[last:] is not written yet
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isTextWordRune(r) {
			i += size
			continue
		}
		start := i
		i += size
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if isTextWordRune(r) {
				i += size
				continue
			}
			if isTextApostrophe(r) && i+size < len(text) {
				if next, _ := utf8.DecodeRuneInString(text[i+size:]); isTextWordRune(next) {
					i += size
					continue
				}
			}
			break
		}
		if set[foldTextWord(text[start:i])] {
			b.WriteString(escapeHTML(text[last:start]))
			b.WriteString("<b>")
			b.WriteString(escapeHTML(text[start:i]))
			b.WriteString("</b>")
			last = i
		}
	}
	b.WriteString(escapeHTML(text[last:]))
	return b.String()
}

// safeHref returns link escaped for an href attribute when it is an
// absolute http(s) URL of sane length; anything else (javascript:, data:,
// relative, with spaces or control characters) is refused.
func safeHref(link string) (string, bool) {
	link = strings.TrimSpace(link)
	if link == "" || !utf8.ValidString(link) || strings.ContainsFunc(link, func(r rune) bool {
		return r <= ' ' || r == 0x7f || unicode.IsSpace(r) || unicode.IsControl(r)
	}) {
		return "", false
	}
	u, err := url.Parse(link)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", false
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return "", false
	}
	href := escapeHTML(link)
	if len(href) > alertMaxLinkLen {
		return "", false
	}
	return href, true
}

// PlainText turns a rendered message back into plain text: tags removed,
// entities decoded, and a link's address kept after its text
// ("Read more (https://…)"). It is the fallback when Telegram refuses the
// HTML ("can't parse entities"), so it copes with any input.
func PlainText(s string) string {
	var b strings.Builder
	var href string // of the open <a>
	var linkText strings.Builder
	inLink := false
	write := func(text string) {
		text = html.UnescapeString(text)
		if inLink {
			linkText.WriteString(text)
		} else {
			b.WriteString(text)
		}
	}
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			write(s)
			break
		}
		write(s[:lt])
		gt := strings.IndexByte(s[lt:], '>')
		if gt < 0 {
			write(s[lt:])
			break
		}
		tag := s[lt+1 : lt+gt]
		s = s[lt+gt+1:]
		name := strings.ToLower(strings.TrimLeft(strings.Fields(tag + " x")[0], "/"))
		switch {
		case name == "a" && !strings.HasPrefix(tag, "/"):
			if inLink { // nested: flush the outer one
				b.WriteString(linkText.String())
				linkText.Reset()
			}
			inLink, href = true, htmlAttr(tag, "href")
		case name == "a" && inLink:
			text := linkText.String()
			b.WriteString(text)
			if href != "" && href != text {
				if text != "" {
					b.WriteString(" (" + href + ")")
				} else {
					b.WriteString(href)
				}
			}
			inLink, href = false, ""
			linkText.Reset()
		}
	}
	if inLink {
		b.WriteString(linkText.String())
	}
	return b.String()
}

// attr returns the decoded value of a double- or single-quoted attribute.
func htmlAttr(tag, name string) string {
	i := strings.Index(strings.ToLower(tag), name+"=")
	if i < 0 {
		return ""
	}
	v := tag[i+len(name)+1:]
	if v == "" {
		return ""
	}
	if q := v[0]; q == '"' || q == '\'' {
		if end := strings.IndexByte(v[1:], q); end >= 0 {
			return html.UnescapeString(v[1 : 1+end])
		}
		return html.UnescapeString(v[1:])
	}
	if end := strings.IndexAny(v, " \t\n"); end >= 0 {
		v = v[:end]
	}
	return html.UnescapeString(v)
}
