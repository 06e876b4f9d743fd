package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestEditionsConfig(t *testing.T) {
	cfg, err := Parse([]byte(`
delivery:
  edition_wait: 5m
translate: {provider: libretranslate, url: "http://127.0.0.1:5000", api_key: "", timeout: 10s}
editions:
  rbc:
    key: '^https://www\.rbc\.ua/(?:ukr|rus)/news/([^/]+-\d{10})\.html$'
  ukrinform:
    window: 6h
feeds:
  - {id: rbc-uk, url: "https://www.rbc.ua/static/rss/all.ukr.rss.xml", lang: uk, edition: rbc}
  - {id: rbc-ru, url: "https://www.rbc.ua/static/rss/all.rus.rss.xml", lang: ru, edition: rbc}
  - {id: ukrinform-uk, url: "https://www.ukrinform.ua/rss/block-lastnews", lang: uk, edition: ukrinform}
  - {id: ukrinform-en, url: "https://www.ukrinform.net/rss/block-lastnews", lang: en-GB, edition: ukrinform}
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Delivery.EditionWait.D() != 5*time.Minute || !cfg.Translate.Enabled() || cfg.Translate.Timeout.D() != 10*time.Second {
		t.Errorf("delivery/translate: %+v %+v", cfg.Delivery, cfg.Translate)
	}
	if re := cfg.EditionKey("rbc"); re == nil || re.FindStringSubmatch("https://www.rbc.ua/rus/news/zelenskiy-provel-razgovor-1764590400.html")[1] != "zelenskiy-provel-razgovor-1764590400" {
		t.Errorf("rbc key: %v", re)
	}
	if w := cfg.EditionSettings("rbc").Window.D(); w != DefaultEditionWindow {
		t.Errorf("rbc window %v, want the default", w)
	}
	if w := cfg.EditionSettings("ukrinform").Window.D(); w != 6*time.Hour {
		t.Errorf("ukrinform window %v", w)
	}
	if cfg.EditionKey("ukrinform") != nil {
		t.Error("ukrinform has no key")
	}
	if d := Default(); d.Delivery.EditionWait.D() != 3*time.Minute || d.Translate.Enabled() {
		t.Errorf("defaults: %+v %+v", d.Delivery, d.Translate)
	}
}

func TestEditionsConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		name, yaml, want string
	}{
		{"same lang twice in one outlet", `
feeds:
  - {id: rbc-uk, url: "https://a.example/rss", lang: uk, edition: rbc}
  - id: rbc-uk2
    url: https://b.example/rss
    lang: uk
    edition: rbc
`, `line 6: feeds[1].lang: outlet "rbc" already has a uk edition (feeds[0], rbc-uk)`},
		{"key without a group", `
editions:
  rbc:
    key: '^https://www\.rbc\.ua/news/.+$'
feeds:
  - {id: rbc-uk, url: "https://a.example/rss", lang: uk, edition: rbc}
`, `line 4: editions.rbc.key: must have exactly one capture group`},
		{"key with two groups", `
editions:
  rbc:
    key: '^https://www\.rbc\.ua/(ukr|rus)/news/(.+)$'
feeds:
  - {id: rbc-uk, url: "https://a.example/rss", lang: uk, edition: rbc}
`, `has 2; use (?:...) for other groups`},
		{"key not a regexp", `
editions:
  rbc:
    key: '^https://(x'
feeds:
  - {id: rbc-uk, url: "https://a.example/rss", lang: uk, edition: rbc}
`, `line 4: editions.rbc.key: not a regular expression`},
		{"unknown edition setting", `
editions:
  rbc:
    keys: '(x)'
feeds:
  - {id: rbc-uk, url: "https://a.example/rss", lang: uk, edition: rbc}
`, `line 4: editions.rbc.keys: unknown key (known: key, window, content)`},
		{"edition without feeds", `
editions:
  rcb:
    key: '/(\d+)/'
feeds:
  - {id: rbc-uk, url: "https://a.example/rss", lang: uk, edition: rbc}
`, `line 3: editions.rcb: no feed has edition: rcb`},
		{"edition without lang", `
feeds:
  - {id: rbc-uk, url: "https://a.example/rss", edition: rbc}
`, `feeds[0].lang: needed with edition`},
		{"window too short", `
editions:
  rbc: {window: 10s}
feeds:
  - {id: rbc-uk, url: "https://a.example/rss", lang: uk, edition: rbc}
`, `line 3: editions.rbc.window: must be between 1m and 7d`},
		{"editions not a map", `
editions: [rbc]
`, `line 2: editions: want a mapping of names`},
		{"negative wait", `
delivery: {edition_wait: -1m}
`, `delivery.edition_wait`},
		{"unknown translator", `
translate: {provider: google}
`, `translate.provider: unknown provider "google"`},
		{"deepl without a key", `
translate: {provider: deepl}
`, `translate.api_key: DeepL needs your API key`},
		{"translator url without scheme", `
translate: {provider: libretranslate, url: "localhost:5000"}
`, `translate.url: URL "localhost:5000" has no scheme`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("err = %v, want Errors", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got\n%v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// The example's keys pair the link shapes of issue 8.
func TestExampleEditionKeys(t *testing.T) {
	cfg, err := Load("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	key := func(outlet, link string) string {
		m := cfg.EditionKey(outlet).FindStringSubmatch(link)
		if m == nil {
			return ""
		}
		return m[1]
	}
	rbcUK := key("rbc", "https://www.rbc.ua/ukr/news/sibiga-pribuv-do-bryusselya-1764590400.html")
	rbcRU := key("rbc", "https://www.rbc.ua/rus/news/sibiga-pribuv-do-bryusselya-1764590400.html")
	if rbcUK == "" || rbcUK != rbcRU {
		t.Errorf("rbc uk/ru keys %q %q; want one key", rbcUK, rbcRU)
	}
	if k := key("rbc", "https://newsukraine.rbc.ua/news/sybiha-arrives-in-brussels-1764590999.html"); k != "" {
		t.Errorf("rbc English link has key %q; it shares nothing with the others", k)
	}
	if key("rbc", "https://www.rbc.ua/ukr/news/other-story-1764590401.html") == rbcUK {
		t.Error("two rbc stories share a key")
	}
	up := []string{
		key("pravda", "https://www.pravda.com.ua/news/2026/12/01/7512345/"),
		key("pravda", "https://www.pravda.com.ua/rus/news/2026/12/01/7512345/"),
		key("pravda", "https://www.pravda.com.ua/eng/news/2026/12/02/7512345/"),
	}
	if up[0] != "7512345" || up[1] != up[0] || up[2] != up[0] {
		t.Errorf("pravda keys %q; want 7512345 thrice", up)
	}
	if cfg.EditionKey("ukrinform") != nil {
		t.Error("ukrinform: only content can pair its editions")
	}
}
