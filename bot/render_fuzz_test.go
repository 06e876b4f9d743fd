package bot

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzRenderAlert: whatever a feed sends, the alert (and the digest made of
// it) is valid Telegram HTML within the length limit, and PlainText of it
// fits too.
func FuzzRenderAlert(f *testing.F) {
	f.Add("NATO summit", "NATO leaders met. Україна joined.", "https://example.com/a?x=1&y=2", "Example News", "NATO", "NATO", int64(1795867500), uint8(0))
	f.Add(`<script>alert("x")</script>`, `a & b < c > d "e"`, `javascript:alert(1)`, `A & B`, `"foreign minister" -Trump`, "script", int64(0), uint8(1))
	f.Add("Україна & НАТО", strings.Repeat("Україною Україні. ", 40), `https://example.com/"><b>x</b>`, "УП", "Україна", "Україною", int64(-1), uint8(2))
	f.Add("\x00\xff\u2028title", "\t\n  ", "http://[::1]:80/x", "", "", "", int64(1<<40), uint8(3))
	f.Add(strings.Repeat("&\"<>", 500), strings.Repeat("&quot;", 2000), "https://e.com/"+strings.Repeat("%26", 700), strings.Repeat("<", 300), strings.Repeat("«»", 100), "&", int64(1e9), uint8(4))
	f.Add("😀😀😀", strings.Repeat("😀 ", 400), "HTTPS://EXAMPLE.COM", "😀", "😀", "😀", int64(2e9), uint8(5))
	cat := testCatalog(f)
	r := NewRenderer(cat)
	langs := []string{"en", "uk", "ru", "xx"}
	kyiv := kyivLocation(f)
	f.Fuzz(func(t *testing.T, title, summary, link, source, topic, word string, unix int64, lang uint8) {
		a := Alert{Title: title, Summary: summary, Link: link, Source: source,
			Topics: []string{topic, topic + " " + word}, Words: []string{word, topic}}
		if unix != 0 {
			a.Published = time.Unix(unix%(1<<36), 0)
		}
		l := langs[int(lang)%len(langs)]
		out := r.Render(l, kyiv, a)
		if err := validateTelegramHTML(out); err != nil {
			t.Fatalf("invalid HTML: %v\n%q", err, out)
		}
		if n := utf16Len(out); n > MaxMessageLen {
			t.Fatalf("raw HTML of %d UTF-16 units", n)
		}
		if n := utf8.RuneCountInString(PlainText(out)); n > MaxMessageLen {
			t.Fatalf("plain text of %d characters", n)
		}
		for _, msg := range r.RenderDigest(l, kyiv, []Alert{a, a, a}) {
			if err := validateTelegramHTML(msg); err != nil {
				t.Fatalf("invalid digest HTML: %v\n%q", err, msg)
			}
			if n := utf16Len(msg); n > MaxMessageLen {
				t.Fatalf("digest message of %d UTF-16 units", n)
			}
		}
		_ = PlainText(title + summary + link) // any input: no panic
	})
}

var (
	htmlEntityRE  = regexp.MustCompile(`^&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});`)
	htmlTagNameRE = regexp.MustCompile(`^[a-z][a-z-]*`)
	htmlAttrRE    = regexp.MustCompile(`^ ([a-z-]+)(="([^"<]*)")?`)
)

// telegramTags are Telegram's HTML tags with the attributes each may carry.
var telegramTags = map[string][]string{
	"b": nil, "strong": nil, "i": nil, "em": nil, "u": nil, "ins": nil, "s": nil, "strike": nil,
	"del": nil, "tg-spoiler": nil, "code": {"class"}, "pre": nil, "blockquote": {"expandable"},
	"span": {"class"}, "a": {"href"}, "tg-emoji": {"emoji-id"},
}

// validateTelegramHTML checks s the way Telegram's HTML parse mode reads it,
// and a little stricter: only Telegram's tags and attributes, properly
// nested; & only as &lt; &gt; &amp; &quot; or a numeric entity; no raw < or
// > outside tags; links only http(s); the visible text 1-4096 characters.
func validateTelegramHTML(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("not UTF-8")
	}
	var stack []string
	var visible strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return fmt.Errorf("raw < at %d", i)
			}
			tag := s[i+1 : i+end]
			i += end + 1
			if strings.ContainsRune(tag, '<') {
				return fmt.Errorf("< inside tag %q", tag)
			}
			if rest, ok := strings.CutPrefix(tag, "/"); ok {
				if len(stack) == 0 || stack[len(stack)-1] != rest {
					return fmt.Errorf("misnested </%s>", rest)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			if err := checkHTMLOpenTag(tag, stack); err != nil {
				return err
			}
			stack = append(stack, htmlTagNameRE.FindString(tag))
		case '&':
			m := htmlEntityRE.FindStringSubmatch(s[i:])
			if m == nil {
				return fmt.Errorf("raw & at %d", i)
			}
			visible.WriteString("x")
			i += len(m[0])
		case '>':
			return fmt.Errorf("raw > at %d", i)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			visible.WriteRune(r)
			i += size
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed <%s>", stack[len(stack)-1])
	}
	text := visible.String()
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("empty text")
	}
	if n := utf8.RuneCountInString(text); n > MaxMessageLen {
		return fmt.Errorf("visible text of %d characters", n)
	}
	return nil
}

func checkHTMLOpenTag(tag string, open []string) error {
	name := htmlTagNameRE.FindString(tag)
	allowed, ok := telegramTags[name]
	if !ok {
		return fmt.Errorf("tag <%s> not allowed", tag)
	}
	if name == "a" && hasString(open, "a") {
		return fmt.Errorf("nested <a>")
	}
	attrs := map[string]string{}
	for rest := tag[len(name):]; rest != ""; {
		m := htmlAttrRE.FindStringSubmatch(rest)
		if m == nil {
			return fmt.Errorf("bad attributes in <%s>", tag)
		}
		if !hasString(allowed, m[1]) {
			return fmt.Errorf("attribute %q not allowed on <%s>", m[1], name)
		}
		val := m[3]
		for j := strings.IndexByte(val, '&'); j >= 0; j = strings.IndexByte(val, '&') {
			e := htmlEntityRE.FindString(val[j:])
			if e == "" {
				return fmt.Errorf("raw & in attribute of <%s>", tag)
			}
			val = val[j+len(e):]
		}
		attrs[m[1]] = m[3]
		rest = rest[len(m[0]):]
	}
	if name == "a" {
		href, ok := attrs["href"]
		if !ok {
			return fmt.Errorf("<a> without href")
		}
		u, err := url.Parse(unescapeHTMLEntities(href))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "HTTP" && u.Scheme != "HTTPS") {
			return fmt.Errorf("href %q is not http(s)", href)
		}
	}
	return nil
}

func unescapeHTMLEntities(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&").Replace(s)
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestValidator(t *testing.T) {
	for _, bad := range []string{
		"a < b", "a & b", "a > b", "<b>x", "<b><i>x</b></i>", "<p>x</p>", "<br>", "&nbsp;",
		`<a href="javascript:alert(1)">x</a>`, `<a href='x'>x</a>`, "<b onclick=\"x\">x</b>", "", " \n",
		`<a href="https://e.com/?a=1&b=2">x</a>`, "<a href=\"https://e.com\"><a href=\"https://e.com\">x</a></a>",
	} {
		if validateTelegramHTML(bad) == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	for _, good := range []string{
		"a &lt; b &amp; c &gt; &quot;d&quot; &#128512; &#x1F600;", "<b>x <i>y</i></b>",
		`<a href="https://e.com/?a=1&amp;b=&quot;2&quot;">x</a>`, `<span class="tg-spoiler">s</span>`,
	} {
		if err := validateTelegramHTML(good); err != nil {
			t.Errorf("refused %q: %v", good, err)
		}
	}
}
