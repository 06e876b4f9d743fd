package bot

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Kyiv on machines without a zoneinfo database
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/feeds"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func testCatalog(tb testing.TB) *i18n.Catalog {
	tb.Helper()
	cat, err := i18n.New(i18n.Config{DefaultLanguage: "en"})
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

// testRenderer writes dates against renderNow, the evening of published.
func testRenderer(tb testing.TB) *Renderer {
	r := NewRenderer(testCatalog(tb))
	r.Now = func() time.Time { return renderNow }
	return r
}

// renderNow is 21:35 in Kyiv on the day of published.
var renderNow = time.Date(2026, 11, 28, 19, 35, 0, 0, time.UTC)

func kyivLocation(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// published is 14:05 in Kyiv (UTC+2 in November).
var published = time.Date(2026, 11, 28, 12, 5, 0, 0, time.UTC)

// goldenAlerts are synthetic articles written for these tests.
var goldenAlerts = map[string]Alert{
	"basic": {
		Title:     "NATO ministers meet in Brussels",
		Summary:   "Foreign ministers of NATO countries met on Friday to discuss air defence. The nato summit follows next month.",
		Link:      "https://news.example.com/world/nato-ministers?utm=x&id=7",
		Source:    "Example World",
		Published: published,
		Topics:    []string{"NATO"},
		Words:     []string{"NATO", "nato"},
	},
	"ukrainian": {
		Title:     "Україна отримає нові системи ППО від партнерів",
		Summary:   "Міністр оборони повідомив, що України досягнуть ще дві системи. Разом з Україною над проєктом працюють Польща та Литва; українські інженери вже навчаються. В Україні чекають постачання до кінця року.",
		Link:      "https://novyny.example.ua/statti/ppo",
		Source:    "Приклад Новини",
		Published: published,
		Topics:    []string{"Україна", `"foreign minister" -Trump`},
		Words:     []string{"Україна", "України", "Україною", "Україні"},
	},
	"russian": {
		Title:     "Саммит НАТО пройдёт в Гааге",
		Summary:   "Лидеры стран НАТО соберутся летом. На саммите обсудят поддержку Украины и расходы на оборону.",
		Link:      "http://ru.example.org/news/1",
		Source:    "Пример",
		Published: published,
		Topics:    []string{"НАТО"},
		Words:     []string{"НАТО"},
	},
	"escaping": {
		Title:     `<script>alert("x")</script> & "Co" <b>bold</b>`,
		Summary:   `Prices rose 5% & wages < inflation > 2; "quoted" <i>tags</i> stay text. Fish & chips.`,
		Link:      `https://example.com/search?q="a"&lang=en<x>`,
		Source:    `A & B <News>`,
		Published: published,
		Topics:    []string{`"foreign minister" -Trump`, `a<b>&c`},
		Words:     []string{"chips", "script"},
	},
	"javascript-link": {
		Title:   "A link that must not be shown",
		Summary: "The feed gave a javascript: link.",
		Link:    "javascript:alert(document.cookie)",
		Source:  "Bad Feed",
		Topics:  []string{"link"},
		Words:   []string{"link"},
	},
	"long-summary": {
		Title: "Parliament passes the budget",
		Summary: strings.Repeat("The parliament debated the budget for many hours and the vote was close. ", 3) +
			"Deputies from every faction spoke about defence, schools, roads and the hospitals of the eastern regions, " +
			"and the minister answered each of them in turn before the final reading began late in the evening.",
		Link:      "https://example.com/budget",
		Source:    "Example",
		Published: published,
		Topics:    []string{"budget", "parliament", "budget"},
		Words:     []string{"budget", "parliament"},
	},
	"title-only": {
		Title:     "Breaking: earthquake felt in the capital",
		Summary:   "Breaking: earthquake felt in the capital.",
		Link:      "https://example.com/quake",
		Source:    "",
		Published: published,
		Topics:    []string{"earthquake", "capital", "quake*"},
		Words:     []string{"earthquake"},
	},
}

func TestRenderGolden(t *testing.T) {
	r := testRenderer(t)
	loc := kyivLocation(t)
	for name, a := range goldenAlerts {
		for _, lang := range []string{"en", "uk", "ru"} {
			t.Run(name+"/"+lang, func(t *testing.T) {
				got := r.Render(lang, loc, a)
				checkGolden(t, name+"."+lang+".html", got)
				if err := validateTelegramHTML(got); err != nil {
					t.Errorf("invalid Telegram HTML: %v", err)
				}
			})
		}
	}
}

func TestRenderDigestGolden(t *testing.T) {
	r := testRenderer(t)
	loc := kyivLocation(t)
	alerts := []Alert{goldenAlerts["basic"], goldenAlerts["ukrainian"], goldenAlerts["escaping"],
		goldenAlerts["javascript-link"], goldenAlerts["title-only"]}
	for _, lang := range []string{"en", "uk", "ru"} {
		t.Run(lang, func(t *testing.T) {
			msgs := r.RenderDigest(lang, loc, alerts)
			if len(msgs) != 1 {
				t.Fatalf("got %d messages, want 1", len(msgs))
			}
			checkGolden(t, "digest."+lang+".html", msgs[0])
			if err := validateTelegramHTML(msgs[0]); err != nil {
				t.Errorf("invalid Telegram HTML: %v", err)
			}
		})
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -run Golden -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func TestRenderEscaping(t *testing.T) {
	r := testRenderer(t)
	got := r.Render("en", time.UTC, goldenAlerts["escaping"])
	for _, want := range []string{
		`<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Co&quot; &lt;b&gt;bold&lt;/b&gt;</b>`,
		`<a href="https://example.com/search?q=&quot;a&quot;&amp;lang=en&lt;x&gt;">Read more</a>`,
		`Source: A &amp; B &lt;News&gt;`,
		`Fish &amp; <b>chips</b>.`,
		`Topics: foreign minister, a&lt;b&gt;&amp;c`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	// The matched word inside the (bold) title is not bolded again.
	if strings.Contains(got, "<b>script</b>") || strings.Count(got, "<b>") != 2 {
		t.Errorf("title bolded twice or word bolded in title:\n%s", got)
	}
}

func TestRenderLinks(t *testing.T) {
	r := testRenderer(t)
	for link, shown := range map[string]bool{
		"https://example.com/a":                true,
		"HTTP://EXAMPLE.COM/a":                 true,
		"javascript:alert(1)":                  false,
		"JavaScript:alert(1)":                  false,
		"data:text/html,<b>x</b>":              false,
		"ftp://example.com/file":               false,
		"//example.com/a":                      false,
		"/relative/path":                       false,
		"https://exa mple.com/":                false,
		"https://example.com/\n<b>":            false,
		"mailto:a@example.com":                 false,
		"https:example.com":                    false,
		"https://" + strings.Repeat("a", 3000): false,
		"":                                     false,
	} {
		got := r.Render("en", time.UTC, Alert{Title: "t", Link: link})
		if has := strings.Contains(got, "<a href="); has != shown {
			t.Errorf("link %q shown=%v, want %v:\n%s", link, has, shown, got)
		}
	}
}

func TestCutSummary(t *testing.T) {
	sentences := "First sentence is here. " + strings.Repeat("word ", 40) + "end of the second sentence. Third sentence goes on and on " + strings.Repeat("and on ", 20)
	tests := []struct {
		name, in, want string
	}{
		{"short", "Short text. Fits.", "Short text. Fits."},
		{"exactly 300", strings.Repeat("a", 300), strings.Repeat("a", 300)},
		{"sentence", sentences, sentences[:strings.Index(sentences, "second sentence.")+len("second sentence.")]},
		{"word", strings.Repeat("word ", 100), strings.TrimSpace(strings.Repeat("word ", 60)) + "…"},
		{"no spaces", strings.Repeat("x", 400), strings.Repeat("x", 299) + "…"},
		{"trailing comma", strings.Repeat("ab, ", 100), strings.TrimSuffix(strings.TrimSpace(strings.Repeat("ab, ", 75)), ",") + "…"},
		{"abbreviation not a sentence end",
			strings.Repeat("x", 250) + " U.S. President said more words " + strings.Repeat("y ", 50),
			strings.Repeat("x", 250) + " U.S. President said more words y y y y y y y y y…"},
		{"cyrillic sentence",
			strings.Repeat("Київ ", 50) + "кінець речення. Далі " + strings.Repeat("слово ", 30),
			strings.Repeat("Київ ", 50) + "кінець речення."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cutSummary(tt.in, 300)
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > 302 {
				t.Errorf("%d runes", n)
			}
		})
	}
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		name, text string
		words      []string
		want       string
	}{
		{"inflected uk", "Україна і України, УКРАЇНИ та Україною; українці й Україні-2.",
			[]string{"України", "Україною", "Україні"},
			"Україна і <b>України</b>, <b>УКРАЇНИ</b> та <b>Україною</b>; українці й <b>Україні</b>-2."},
		{"whole words only", "NATO senator Donato NATO's NATO-Russia", []string{"NATO"},
			"<b>NATO</b> senator Donato NATO&#39;s <b>NATO</b>-Russia"},
		{"apostrophes equal", "м’ясо і м'ясо", []string{"м'ясо"}, "<b>м’ясо</b> і <b>м&#39;ясо</b>"},
		{"escaped around", "a<b & NATO>", []string{"nato"}, "a&lt;b &amp; <b>NATO</b>&gt;"},
		{"no words", "plain & simple", nil, "plain &amp; simple"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := highlight(tt.text, tt.words)
			want := strings.ReplaceAll(tt.want, "&#39;", "'")
			if got != want {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}

func TestRenderLongInputCapped(t *testing.T) {
	r := testRenderer(t)
	topics := make([]string, 1000)
	for i := range topics {
		topics[i] = strings.Repeat("тема&", 100) + string(rune('a'+i%26))
	}
	a := Alert{
		Title:     strings.Repeat(`"&<>`, 5000),
		Summary:   strings.Repeat("Україна & НАТО <> ", 10000),
		Link:      "https://example.com/?" + strings.Repeat("&q=1", 500),
		Source:    strings.Repeat("Джерело&", 1000),
		Published: published,
		Topics:    topics,
		Words:     []string{"Україна", "НАТО"},
	}
	for _, lang := range []string{"en", "uk", "ru"} {
		got := r.Render(lang, kyivLocation(t), a)
		if n := utf16Len(got); n > MaxMessageLen {
			t.Errorf("%s: %d UTF-16 units", lang, n)
		}
		if err := validateTelegramHTML(got); err != nil {
			t.Errorf("%s: %v", lang, err)
		}
		if !strings.Contains(got, "<b>Україна</b>") || !strings.Contains(got, "…") {
			t.Errorf("%s: summary not cut or not highlighted:\n%s", lang, got)
		}
	}
}

func TestRenderDigestSplits(t *testing.T) {
	r := testRenderer(t)
	var alerts []Alert
	for i := range 300 {
		alerts = append(alerts, Alert{
			Title:     strings.Repeat("Заголовок новини ", 8) + string(rune('А'+i%32)),
			Link:      "https://example.com/news/" + strings.Repeat("x", 40),
			Source:    "Приклад",
			Published: published.Add(time.Duration(i) * time.Second),
		})
	}
	msgs := r.RenderDigest("uk", kyivLocation(t), alerts)
	if len(msgs) < 2 {
		t.Fatalf("got %d messages, want several", len(msgs))
	}
	lines := 0
	for i, m := range msgs {
		if n := utf16Len(m); n > MaxMessageLen {
			t.Errorf("message %d: %d UTF-16 units", i, n)
		}
		if err := validateTelegramHTML(m); err != nil {
			t.Errorf("message %d: %v", i, err)
		}
		lines += strings.Count(m, "\n• ")
	}
	if lines != len(alerts) {
		t.Errorf("%d lines in the digest, want %d", lines, len(alerts))
	}
	if !strings.HasPrefix(msgs[0], "<b>Ще 300 новин за останню годину:</b>") || !strings.HasPrefix(msgs[1], "<b>(продовження)</b>") {
		t.Errorf("headers: %q / %q", msgs[0][:80], msgs[1][:40])
	}
	if got := r.RenderDigest("uk", nil, nil); got != nil {
		t.Errorf("empty digest: %q", got)
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<b>T &amp; &lt;x&gt;</b>` + "\n" + `<a href="https://e.com/?a=1&amp;b=&quot;2&quot;">Read more</a>`,
			"T & <x>\nRead more (https://e.com/?a=1&b=\"2\")"},
		{`<a href="https://e.com">https://e.com</a>`, "https://e.com"},
		{`&#128512; &#x41;`, "😀 A"},
		{`broken <b unclosed`, "broken <b unclosed"},
		{`<a href="x">open`, "open"},
		{``, ``},
	}
	for _, tt := range tests {
		if got := PlainText(tt.in); got != tt.want {
			t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	r := testRenderer(t)
	plain := PlainText(r.Render("uk", kyivLocation(t), goldenAlerts["escaping"]))
	for _, want := range []string{`<script>alert("x")</script> & "Co"`, "Джерело: A & B <News>", "Читати далі (https://example.com/search?q=\"a\"&lang=en<x>)"} {
		if !strings.Contains(plain, want) {
			t.Errorf("plain text lacks %q:\n%s", want, plain)
		}
	}
}

func TestRenderTimeAndFallbacks(t *testing.T) {
	r := testRenderer(t)
	got := r.Render("ru", nil, Alert{Published: published})
	if !strings.Contains(got, "сегодня, 12:05") || !strings.Contains(got, "<b>(без заголовка)</b>") {
		t.Errorf("UTC time or no-title fallback missing:\n%s", got)
	}
	if err := validateTelegramHTML(got); err != nil {
		t.Error(err)
	}
}

// TestRenderRelativeDates: fresh news says "today", yesterday's "yesterday",
// this year's has no year, older news has it; all in the chat's zone.
func TestRenderRelativeDates(t *testing.T) {
	r := testRenderer(t)
	kyiv := kyivLocation(t)
	for _, tt := range []struct {
		published time.Time
		lang      string
		want      string
	}{
		{time.Date(2026, 11, 28, 19, 34, 0, 0, time.UTC), "uk", "сьогодні, 21:34"},
		{time.Date(2026, 11, 28, 19, 34, 0, 0, time.UTC), "ru", "сегодня, 21:34"},
		{time.Date(2026, 11, 28, 19, 34, 0, 0, time.UTC), "en", "today, 21:34"},
		{time.Date(2026, 11, 27, 6, 10, 0, 0, time.UTC), "uk", "вчора, 08:10"},
		{time.Date(2026, 11, 27, 6, 10, 0, 0, time.UTC), "ru", "вчера, 08:10"},
		{time.Date(2026, 11, 27, 22, 30, 0, 0, time.UTC), "en", "today, 00:30"}, // 22:30 UTC is already the 28th in Kyiv
		{time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC), "uk", "2 листопада, 12:00"},
		{time.Date(2025, 12, 31, 10, 0, 0, 0, time.UTC), "ru", "31 декабря 2025, 12:00"},
		{time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), "en", "30 Nov, 12:00"}, // a feed clock running ahead
	} {
		got := PlainText(r.Render(tt.lang, kyiv, Alert{Title: "x", Source: "S", Published: tt.published}))
		if !strings.Contains(got, "S · "+tt.want) {
			t.Errorf("%s %v: want %q in\n%s", tt.lang, tt.published, tt.want, got)
		}
	}
}

func TestArticleAlert(t *testing.T) {
	art := &feeds.Article{Title: "T", Summary: "S", Link: "https://e.com", Published: published}
	got := ArticleAlert(art, "Src", []string{"NATO"}, []string{"NATO"})
	want := Alert{Title: "T", Summary: "S", Link: "https://e.com", Source: "Src", Published: published,
		Topics: []string{"NATO"}, Words: []string{"NATO"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
	if got := ArticleAlert(nil, "Src", nil, nil); got.Source != "Src" {
		t.Errorf("nil article: %+v", got)
	}
}

func BenchmarkRender(b *testing.B) {
	r := testRenderer(b)
	loc := kyivLocation(b)
	a := goldenAlerts["ukrainian"]
	a.Summary = strings.Repeat(a.Summary+" ", 4)
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Render("uk", loc, a)
	}
}

func BenchmarkRenderDigest100(b *testing.B) {
	r := testRenderer(b)
	loc := kyivLocation(b)
	alerts := make([]Alert, 100)
	for i := range alerts {
		alerts[i] = goldenAlerts["basic"]
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.RenderDigest("en", loc, alerts)
	}
}
