package telegramtest

import (
	"strings"
	"testing"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/google/go-cmp/cmp"
)

func TestParseHTML(t *testing.T) {
	tests := []struct {
		name, in string
		text     string
		ents     []MessageEntity
		err      string // substring of the error; "" means valid
	}{
		{name: "plain", in: "hello", text: "hello"},
		{name: "bold", in: "<b>Hi</b> there", text: "Hi there", ents: []MessageEntity{{Type: "bold", Length: 2}}},
		{name: "aliases", in: "<strong>a</strong><em>b</em><ins>c</ins><del>d</del>", text: "abcd", ents: []MessageEntity{
			{Type: "bold", Length: 1}, {Type: "italic", Offset: 1, Length: 1},
			{Type: "underline", Offset: 2, Length: 1}, {Type: "strikethrough", Offset: 3, Length: 1}}},
		{name: "nested", in: "<b>bold <i>both</i></b>", text: "bold both", ents: []MessageEntity{
			{Type: "bold", Length: 9}, {Type: "italic", Offset: 5, Length: 4}}},
		{name: "link", in: `<a href="https://example.org/a?b=1&amp;c=2">news</a>`, text: "news", ents: []MessageEntity{
			{Type: "text_link", Length: 4, URL: "https://example.org/a?b=1&c=2"}}},
		{name: "spoilers", in: `<tg-spoiler>x</tg-spoiler><span class="tg-spoiler">y</span>`, text: "xy", ents: []MessageEntity{
			{Type: "spoiler", Length: 1}, {Type: "spoiler", Offset: 1, Length: 1}}},
		{name: "pre with language", in: `<pre><code class="language-go">x := 1</code></pre>`, text: "x := 1",
			ents: []MessageEntity{{Type: "pre", Length: 6, Language: "go"}}},
		{name: "blockquote expandable", in: "<blockquote expandable>q</blockquote>", text: "q",
			ents: []MessageEntity{{Type: "expandable_blockquote", Length: 1}}},
		{name: "upper case tags", in: "<B>x</B>", text: "x", ents: []MessageEntity{{Type: "bold", Length: 1}}},
		{name: "empty end tag", in: "<b>x</>", text: "x", ents: []MessageEntity{{Type: "bold", Length: 1}}},
		{name: "entities", in: "a &lt; b &gt; c &amp; &quot;d&quot; &#39;e&#x27; &#1071;", text: `a < b > c & "d" 'e' Я`},
		{name: "bare gt", in: "a > b", text: "a > b"},
		{name: "utf16 offsets", in: "😀 <b>Київ</b>", text: "😀 Київ", ents: []MessageEntity{{Type: "bold", Offset: 3, Length: 4}}},
		{name: "br", in: "a<br>b", err: `Unsupported start tag "br" at byte offset 1`},
		{name: "p", in: "<p>a</p>", err: `Unsupported start tag "p" at byte offset 0`},
		{name: "unescaped lt", in: "a < b", err: `Unsupported start tag "" at byte offset 2`},
		{name: "unclosed", in: "<b>a", err: `Can't find end tag corresponding to start tag "b"`},
		{name: "bad nesting", in: "<b><i>a</b></i>", err: `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{name: "stray end", in: "a</b>", err: "Unexpected end tag at byte offset 1"},
		{name: "unclosed start", in: "a <b", err: "Unclosed start tag at byte offset 2"},
		{name: "span without class", in: "<span>a</span>", err: `Tag "span" must have class "tg-spoiler"`},
		{name: "nbsp", in: "a&nbsp;b", err: `Unsupported HTML entity "&nbsp;" at byte offset 1`},
		{name: "bare amp", in: "AT&T", err: `Unsupported HTML entity "&T" at byte offset 2`},
		{name: "amp without semicolon", in: "a &amp b", err: "Unsupported HTML entity"},
		{name: "unquoted href", in: "<a href=https://x.org>x</a>", err: "Unexpected end of name token at byte offset 8"},
		{name: "invalid link dropped", in: `<a href="javascript:alert(1)">x</a>`, text: "x"},
		// Behaviour of TDLib's parser that a hand-written one easily gets wrong.
		{name: "valueless attribute ignored", in: "<i lang>x</i>", text: "x", ents: []MessageEntity{{Type: "italic", Length: 1}}},
		{name: "blockquote extra attributes", in: `<blockquote cite="" foo bar>q</blockquote>`, text: "q",
			ents: []MessageEntity{{Type: "blockquote", Length: 1}}},
		{name: "bare host link normalised", in: "<a href=example.org>x</a>", text: "x",
			ents: []MessageEntity{{Type: "text_link", Length: 1, URL: "http://example.org/"}}},
		{name: "link query normalised", in: "<a href='example.org?q=&lt;'>x</a>", text: "x",
			ents: []MessageEntity{{Type: "text_link", Length: 1, URL: "http://example.org/?q=<"}}},
		{name: "link from text", in: "<a>example.org</a>", text: "example.org",
			ents: []MessageEntity{{Type: "text_link", Length: 11, URL: "http://example.org/"}}},
		{name: "link from text with space", in: "<a>example.org </a>", text: "example.org "},
		{name: "pre code without language", in: "<pre><code>x</code></pre>", text: "x",
			ents: []MessageEntity{{Type: "pre", Length: 1}, {Type: "code", Length: 1}}},
		{name: "code pre with language", in: `<code class="language-go"><pre>x</pre></code>`, text: "x",
			ents: []MessageEntity{{Type: "pre", Length: 1, Language: "go"}}},
		{name: "pre wider than code", in: `<pre><code class="language-go">x</code> </pre>`, text: "x ",
			ents: []MessageEntity{{Type: "pre", Length: 2}, {Type: "code", Length: 1}}},
		{name: "end tags with spaces", in: "<i>a</i   ><b>b</    >", text: "ab",
			ents: []MessageEntity{{Type: "italic", Length: 1}, {Type: "bold", Offset: 1, Length: 1}}},
		{name: "date time", in: `<tg-time unix="1700000000" format="wDT">Tue</tg-time>`, text: "Tue",
			ents: []MessageEntity{{Type: "date_time", Length: 3, UnixTime: 1700000000, DateTimeFormat: "wDT"}}},
		{name: "date time bad format", in: `<tg-time unix="1" format="rt">x</tg-time>`, err: "Invalid date format used"},
		{name: "surrogate reference", in: "&#xD800;", err: "Text contains invalid Unicode characters"},
		{name: "empty attribute name", in: "<i   =a>x</i>", err: `Empty attribute name in the tag "i" at byte offset 0`},
		{name: "unclosed quoted value", in: `<i a="x>y</i>`, err: "Unclosed start tag at byte offset 0"},
		{name: "name token end", in: "<i a=b,>x</i>", err: "Unexpected end of name token at byte offset 5"},
		{name: "unclosed end tag", in: "<i>a</i   ", err: "Unclosed end tag at byte offset 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, ents, err := parseHTML(tt.in, true)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if text != tt.text {
				t.Errorf("text = %q, want %q", text, tt.text)
			}
			if diff := cmp.Diff(tt.ents, ents); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLenientHTMLShowsUnknownEntitiesLiterally(t *testing.T) {
	text, _, err := parseHTML("AT&T &nbsp; &amp &lt &#1114112; &ge;", false)
	if err != nil || text != "AT&T &nbsp; & < &#1114112; &ge;" {
		t.Fatalf("got %q, %v", text, err)
	}
}

func TestSendMessageHTMLThroughClient(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	msg := tgbotapi.NewMessage(aliceDM.ID, "<b>NATO</b> summit &amp; news")
	msg.ParseMode = tgbotapi.ModeHTML
	got, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "NATO summit & news" || len(got.Entities) != 1 || got.Entities[0].Type != "bold" {
		t.Errorf("message = %q %+v", got.Text, got.Entities)
	}
	msg.Text = "<b>NATO</b><br>news"
	_, err = bot.Send(msg)
	apiErr(t, err, 400, `Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 11`)
	sent := s.Sent(aliceDM.ID)
	if len(sent) != 1 || sent[0].Raw != "<b>NATO</b> summit &amp; news" || sent[0].ParseMode != "HTML" {
		t.Errorf("Sent = %+v", sent)
	}
}

func TestTextLengthInCodePoints(t *testing.T) {
	s := New(t, Options{Limits: Limits{Disabled: true}})
	bot := newBot(t, s)
	s.AddChat(aliceDM)
	ok := strings.Repeat("Ж", MaxTextLength)
	if _, err := bot.Send(tgbotapi.NewMessage(aliceDM.ID, ok)); err != nil {
		t.Fatalf("4096 Cyrillic letters: %v", err)
	}
	_, err := bot.Send(tgbotapi.NewMessage(aliceDM.ID, ok+"Ж"))
	apiErr(t, err, 400, "Bad Request: message is too long")
	// Tags and entities do not count: 4096 letters in bold are fine.
	html := tgbotapi.NewMessage(aliceDM.ID, "<b>"+strings.Repeat("&amp;", MaxTextLength)+"</b>")
	html.ParseMode = tgbotapi.ModeHTML
	if _, err := bot.Send(html); err != nil {
		t.Fatalf("4096 escaped characters: %v", err)
	}
	// Emoji are one code point each though two UTF-16 units.
	if _, err := bot.Send(tgbotapi.NewMessage(aliceDM.ID, strings.Repeat("😀", MaxTextLength))); err != nil {
		t.Fatalf("4096 emoji: %v", err)
	}
	for _, text := range []string{"", "  \n ", "<b></b>"} {
		m := tgbotapi.NewMessage(aliceDM.ID, text)
		m.ParseMode = tgbotapi.ModeHTML
		_, err := bot.Send(m)
		apiErr(t, err, 400, "Bad Request: message text is empty")
	}
}

func TestTrimKeepsEntityOffsets(t *testing.T) {
	text, ents, _ := parseHTML("\n  <b>x</b> y\n", true)
	text, ents = trimText(text, ents)
	if text != "x y" || ents[0].Offset != 0 || ents[0].Length != 1 {
		t.Errorf("got %q %+v", text, ents)
	}
}

func FuzzParseHTML(f *testing.F) {
	for _, s := range []string{"<b>a</b>", "a<br>", `<a href="x">y</a>`, "&amp;&#x1F600;", "<pre><code class=\"language-go\">x</code></pre>", "<b>😀</"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, strict := range []bool{true, false} {
			text, ents, err := parseHTML(in, strict)
			if err != nil {
				continue
			}
			n := len(utf16.Encode([]rune(text)))
			for _, e := range ents {
				if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
					t.Fatalf("entity %+v outside text of %d units (%q)", e, n, in)
				}
			}
		}
	})
}
