package feeds

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

var testNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// brief is the part of an article a parse test checks.
type brief struct {
	GUID, Link, Title, Summary, Content string
	Categories                          []string
	Published                           time.Time
}

func briefs(arts []Article) []brief {
	var bs []brief
	for _, a := range arts {
		bs = append(bs, brief{a.GUID, a.Link, a.Title, a.Summary, a.Content, a.Categories, a.Published.UTC()})
	}
	return bs
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestParseFixtures(t *testing.T) {
	ruWant := []brief{
		{GUID: "ru-1001", Link: "https://news.example.org/ru/2026/11/27/nato-kiev/", Title: "Генсек НАТО посетил Киев",
			Summary: "Генеральный секретарь НАТО обсудил с руководством Украины поставки.", Categories: []string{"Политика"},
			Published: utc("2026-11-27T08:00:00Z")},
		{GUID: "ru-1002", Link: "https://news.example.org/ru/2026/11/27/ukraina-alyans/", Title: "Украина и Альянс: новый этап",
			Summary: "Эксперты об отношениях Украины с НАТО «в новых условиях».", Published: utc("2026-11-27T07:00:00Z")},
	}
	ukWant := func(prefix string) []brief {
		return []brief{
			{GUID: prefix + "1", Link: "https://uk.example.org/news/1", Title: "Україна та НАТО домовилися про навчання",
				Summary: "Міністри оборони України та країн НАТО погодили план.", Categories: []string{"Політика", "Світ"},
				Published: utc("2026-11-27T10:00:00Z")},
			{GUID: prefix + "2", Link: "https://uk.example.org/news/2", Title: "У Києві відкрили новий міст",
				Summary: "Рух мостом відкрили в неділю.", Published: utc("2026-11-27T06:30:00Z")},
			{GUID: prefix + "3", Link: "https://uk.example.org/news/3", Title: "Українці зібрали врожай",
				Summary: "Аграрії звітують про збір.", Published: utc("2026-11-26T16:00:00Z")},
		}
	}
	tests := []struct {
		file, contentType string
		lang              string
		want              []brief
	}{
		{"rss_windows1251.xml", "", "ru", ruWant},
		{"rss_koi8r.xml", "application/rss+xml", "ru", ruWant},
		// The charset is only in the HTTP header; without it the bytes would be guessed as windows-1251.
		{"rss_koi8r_noprolog_enc.xml", "text/xml; charset=KOI8-R", "ru", ruWant},
		// A lying header: the prolog's encoding wins.
		{"rss_windows1251.xml", "text/xml; charset=utf-8", "ru", ruWant},
		{"rss_uk.xml", "", "uk", ukWant("uk-")},
		{"rss_bom.xml", "", "uk", ukWant("bom-")},
		{"rss_truncated.xml", "", "uk", ukWant("tr-")[:2]},
		{"rss_latin1_noprolog.xml", "", "", []brief{
			{Link: "http://fr.example.org/a/1", Title: "Réunion à Genève : l'été sera chaud",
				Summary: "Les ministres se sont réunis à Genève pour évoquer la sécurité européenne.", Published: utc("2026-11-27T09:00:00Z")},
			{Link: "http://fr.example.org/a/2", Title: "Notícias do café", Summary: "Não há mais café.", Published: testNow},
		}},
		{"rdf.xml", "", "de", []brief{
			{Link: "https://rdf.example.org/a/1", Title: "Erste Meldung über die NATO", Summary: "Kurzer Text.", Published: utc("2026-11-27T09:00:00Z")},
			{Link: "https://rdf.example.org/a/2", Title: "Zweite Meldung", Published: testNow},
		}},
		{"atom.xml", "", "en", []brief{
			{GUID: "tag:atom.example.org,2026:1", Link: "https://atom.example.org/1?id=7", Title: "Ukraine and NATO hold talks",
				Summary: "Talks & more talks.", Content: "Full text of the story.", Published: utc("2026-11-27T09:00:00Z")},
			{GUID: "tag:atom.example.org,2026:2", Link: "https://atom.example.org/2", Title: "Second entry", Published: utc("2026-11-26T09:00:00Z")},
		}},
		{"feed.json", "application/feed+json", "uk", []brief{
			{GUID: "j1", Link: "https://json.example.org/1", Title: "Україна отримала допомогу", Summary: "Партнери передали допомогу.",
				Categories: []string{"Світ", "Допомога"}, Published: utc("2026-11-27T08:00:00Z")},
			{GUID: "j2", Link: "https://json.example.org/2", Title: "A post with no title, only text.", Summary: "A post with no title, only text.",
				Published: utc("2026-11-26T10:00:00Z")},
		}},
		{"rss_bare_amp.xml", "", "", []brief{
			{Link: "http://amp.example.org/good", Title: "Good item", Published: testNow},
			{Link: "http://amp.example.org/bad?a=1&b=2", Title: "Tom & Jerry go to Kyiv", Published: testNow},
			{Link: "http://amp.example.org/good2", Title: "Another good item", Published: testNow},
		}},
		{"rss_whitespace.xml", "", "", []brief{
			{Link: "https://ws.example.org/1", Title: "Україна: перша новина", Summary: "Перший абзац. Другий абзац (з дужками).",
				Content: "Повний текст", Published: utc("2026-11-27T08:00:00Z")},
			{Link: "https://ws.example.org/2", Title: "Дата не за RFC", Published: utc("2026-11-27T14:33:00Z")},
			{Link: "https://ws.example.org/3", Title: "Ще одна дата", Published: utc("2026-11-27T09:15:00Z")},
			{Link: "https://ws.example.org/4", Title: "Дата з майбутнього", Published: testNow},
			{Link: "https://ws.example.org/5?a=1&b=2", Title: "Без дати", Published: testNow},
		}},
	}
	p := NewParser()
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.contentType, func(t *testing.T) {
			f, err := p.Parse(readFixture(t, tt.file), tt.contentType, testNow)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if f.Language != tt.lang {
				t.Errorf("Language = %q, want %q", f.Language, tt.lang)
			}
			if diff := cmp.Diff(tt.want, briefs(f.Articles)); diff != "" {
				t.Errorf("articles (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		body   []byte
		want   error
		reason string
	}{
		{"html page", readFixture(t, "notafeed.html"), ErrNotFeed, "not a feed"},
		{"empty", []byte("  \n"), ErrNotFeed, "not a feed (empty body)"},
		{"truncated before any item", []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title><![CD`), ErrBadXML, ""},
		{"bad json", []byte(`{"version": "https://jsonfeed.org/version/1", "items": [`), ErrNotFeed, ""},
		{"deep nesting", deepXML(100_000), ErrNotFeed, "not a feed (elements nested deeper than 256)"},
		{"deep JSON", []byte(`{"version":"https://jsonfeed.org/version/1","items":` + strings.Repeat("[", 100_000)), ErrNotFeed, ""},
	}
	p := NewParser()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Parse(tt.body, "", testNow)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse error = %v, want %v", err, tt.want)
			}
			if tt.reason != "" && Reason(err) != tt.reason {
				t.Errorf("Reason = %q, want %q", Reason(err), tt.reason)
			}
		})
	}
}

func deepXML(depth int) []byte {
	b := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><item>`)
	for range depth {
		b = append(b, "<a>"...)
	}
	return b
}

func TestCanonicalLink(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://Example.COM:443/a?utm_source=x&id=1#frag", "https://example.com/a?id=1"},
		{"http://example.com:80", "http://example.com/"},
		{"http://example.com:8080/x?b=2&a=1&fbclid=z&gclid=q&yclid=w", "http://example.com:8080/x?a=1&b=2"},
		{" https://example.com/a?utm_medium=rss ", "https://example.com/a"},
		{"https://user:pw@example.com/a", "https://example.com/a"},
		{"not a url", "not a url"},
		{"mailto:x@example.com", "mailto:x@example.com"},
		{"https://[::1]:443/a", "https://[::1]/a"},
	}
	for _, tt := range tests {
		if got := CanonicalLink(tt.in); got != tt.want {
			t.Errorf("CanonicalLink(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  a \n\t b  ", "a b"},
		{"<p>One</p><p>Two<br/>three</p>", "One Two three"},
		{"&lt;b&gt;bold&lt;/b&gt; &amp;amp; co", "bold & co"},
		{"x &amp;#40;y&amp;#41;", "x (y)"},
		{"Tom & Jerry", "Tom & Jerry"},
		{"a < b", "a < b"},
		{"<script>alert(1)</script>ok<style>p{}</style>", "ok"},
		{"НАТО&nbsp;і Україна", "НАТО і Україна"},
		{"\u00a0\u2003 padded \u00a0", "padded"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in, 1000); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := cleanText("Україна", 5); got != "Ук" {
		t.Errorf("cleanText cut = %q, want a rune boundary cut %q", got, "Ук")
	}
}

func TestParseCapsItems(t *testing.T) {
	b := []byte(`<rss version="2.0"><channel><title>big</title>`)
	for i := range MaxItems + 50 {
		b = append(b, []byte("<item><title>t</title><guid>g"+itoa(i)+"</guid></item>")...)
	}
	b = append(b, "</channel></rss>"...)
	f, err := NewParser().Parse(b, "", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Articles) != MaxItems || f.Items != MaxItems+50 {
		t.Errorf("got %d articles of %d items, want %d of %d", len(f.Articles), f.Items, MaxItems, MaxItems+50)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestToUTF8(t *testing.T) {
	cp1251 := func(s string) []byte {
		b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	koi8 := func(s string) []byte {
		b, err := charmap.KOI8U.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	utf16le := func(s string) []byte {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const item = `<rss version="2.0"><channel><title>НАТО і Україна</title></channel></rss>`
	// Guessing needs some text: a natural sentence is mostly lower case.
	const long = `<rss version="2.0"><channel><title>Міністри країн НАТО зустрілися з делегацією з України</title></channel></rss>`
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string
	}{
		{"unknown encoding name", []byte(`<?xml version="1.0" encoding="invalid"?>` + item), "", ""},
		{"prolog says latin-1, bytes are UTF-8", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>` + item), "", ""},
		{"UTF-16 with BOM", utf16le(`<?xml version="1.0" encoding="UTF-16"?>` + item), "", ""},
		{"BOM beats the prolog", append([]byte("\xef\xbb\xbf"), `<?xml version="1.0" encoding="windows-1251"?>`+item...), "", ""},
		{"header charset, no prolog encoding", cp1251(`<?xml version="1.0"?>` + item), "text/xml; charset=windows-1251", ""},
		{"no declaration anywhere, windows-1251 bytes", cp1251(long), "", "Міністри країн НАТО зустрілися з делегацією з України"},
		{"no declaration anywhere, KOI8-U bytes", koi8(long), "", "Міністри країн НАТО зустрілися з делегацією з України"},
		{"comment before the prolog", cp1251("<!-- x -->\n" + `<?xml version="1.0" encoding="windows-1251"?>` + item), "", ""},
	}
	p := NewParser()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := p.Parse(tt.body, tt.contentType, testNow)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := tt.want
			if want == "" {
				want = "НАТО і Україна"
			}
			if f.Title != want {
				t.Errorf("title = %q, want %q", f.Title, want)
			}
		})
	}
}

// The whole description is kept for matching, however long: a topic named
// only at its end is found (issue 9).
func TestParseKeepsTheWholeDescription(t *testing.T) {
	long := strings.Repeat("Довгий текст про погоду і врожай. ", 300) + "Наприкінці згадано НАТО."
	feed := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>
<item><title>Погода</title><link>https://news.example.org/a</link><guid>a</guid>
<description><![CDATA[<p>` + long + `</p>]]></description></item></channel></rss>`
	f, err := NewParser().Parse([]byte(feed), "", testNow)
	if err != nil {
		t.Fatal(err)
	}
	arts := f.Articles
	if len(arts) != 1 || !strings.HasSuffix(arts[0].Summary, "Наприкінці згадано НАТО.") || len(arts[0].Summary) < 10_000 {
		t.Fatalf("summary of %d bytes ends %q", len(arts[0].Summary), arts[0].Summary[max(0, len(arts[0].Summary)-40):])
	}
}
