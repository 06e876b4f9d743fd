package i18n

import (
	"flag"
	"fmt"
	"html"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/messages.golden.txt")

// pluralCounts are the counts every plural message is rendered for: each
// CLDR form of uk and ru, and the numbers where "one" is not 1 (21, 101).
var pluralCounts = []int{1, 2, 5, 11, 21, 22, 25, 101, 111}

// sampleData is what a message reads, as a user would see it. The query
// carries its own quotes, so the golden file shows how they are nested.
func sampleData(c *Catalog, lang string) map[string]any {
	kyiv := time.FixedZone("EET", 2*3600)
	return map[string]any{
		"Query":       map[string]string{"en": `"foreign minister" -Trump`, "uk": `«Верховна Рада» -Трамп`, "ru": `"Верховная Рада" -Трамп`}[lang],
		"Old":         map[string]string{"en": "Ukrane", "uk": "Укрїна", "ru": "Укриана"}[lang],
		"Number":      2,
		"Lang":        "de",
		"Available":   c.LanguageList(lang, []string{"ru", "uk", "en"}, true),
		"Langs":       c.LanguageList(lang, []string{"uk", "en"}, false),
		"Zone":        "Europe/Kyiv (UTC+2)",
		"Default":     "Europe/Kyiv (UTC+2)",
		"Time":        "21:35",
		"Name":        map[string]string{"en": "Demo News", "uk": "Демо Новини", "ru": "Демо Новости"}[lang],
		"ID":          "demo-uk",
		"URL":         "https://example.com/rss.xml",
		"Reason":      c.Plain(lang, MsgReasonTimeout, nil),
		"Error":       "HTTP 503",
		"State":       c.Plain(lang, MsgFeedStateFailing, nil),
		"LastSuccess": c.FormatTimeAt(lang, time.Date(2026, 12, 1, 21, 35, 0, 0, kyiv), time.Date(2026, 12, 1, 22, 0, 0, 0, kyiv)),
		"Articles":    42,
		"Command":     "/subscribe НАТО",
		"Minutes":     10,
		"Status":      404,
		"N":           3,
		"Day":         1,
		"Month":       c.Month(lang, time.December),
		"Year":        2026,
		"ChatsActive": 120, "ChatsBlocked": 3, "Subscriptions": 480, "FeedsHealthy": 9, "FeedsFailing": 1,
		"Sent24h": 5230, "QueueDepth": 7, "OldestPending": c.Duration(lang, 90*time.Second), "RateLimited24h": 0,
	}
}

// renderAll is every message in every language, as the reviewer reads it.
func renderAll(t *testing.T, c *Catalog) string {
	t.Helper()
	ids := make([]string, 0, len(specs))
	for id := range specs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	b.WriteString("# Every message the bot writes, in en, uk and ru (go test ./bot/i18n -run TestMessagesGolden -update).\n")
	b.WriteString("# Plural messages: n = " + fmt.Sprint(pluralCounts) + ". Telegram HTML as sent.\n")
	for _, id := range ids {
		sp := specs[id]
		fmt.Fprintf(&b, "\n=== %s\n", id)
		for _, lang := range languages {
			data := sampleData(c, lang)
			if !sp.plural {
				fmt.Fprintf(&b, "[%s] %s\n", lang, indent(c.render(lang, id, nil, data, !sp.plain)))
				continue
			}
			for _, n := range pluralCounts {
				if lang == "en" && n != 1 && n != 2 {
					continue // English has two forms
				}
				fmt.Fprintf(&b, "[%s n=%d] %s\n", lang, n, indent(c.render(lang, id, &n, data, !sp.plain)))
			}
		}
	}
	return b.String()
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n    ") }

// TestMessagesGolden: every message, rendered, equals
// testdata/messages.golden.txt; a reviewer reads the texts there.
func TestMessagesGolden(t *testing.T) {
	c, _ := newCatalog(t, "en")
	got := renderAll(t, c)
	const path = "testdata/messages.golden.txt"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d (run with -update and review the diff):\n got %s\nwant %s", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs in length (run with -update)", path)
	}
}

var (
	codeRE = regexp.MustCompile(`(?s)<code>.*?</code>`)
	tagsRE = regexp.MustCompile(`<[^>]*>`)
)

// quoteProblem returns what is wrong with the quotes of a rendered text in
// lang, or "": no quote opens inside the same kind (««…»»), and no straight
// or foreign quote sits inside the outer ones. What a user types (<code>)
// is left alone.
func quoteProblem(lang, s string) string {
	s = html.UnescapeString(tagsRE.ReplaceAllString(codeRE.ReplaceAllString(s, "CODE"), ""))
	qp := quotePairs[lang]
	depth := 0
	for _, r := range s {
		switch q := string(r); {
		case q == qp.outerOpen && qp.outerOpen != qp.innerClose && depth == 0:
			depth = 1
		case q == qp.outerOpen && depth > 0 && qp.outerOpen != qp.innerClose:
			return "quotes nested in quotes of the same kind"
		case q == qp.outerClose && depth > 0:
			depth = 0
		case q == qp.outerOpen && depth == 0: // en: “ opens
			depth = 1
		case r == '"' && depth > 0:
			return "straight quote inside quotes"
		case depth > 0 && strings.ContainsRune("«»“”„", r) && q != qp.innerOpen && q != qp.innerClose:
			return "foreign quote inside quotes: " + q
		}
	}
	return ""
}

// TestNoNestedQuotes renders every message with queries full of quotes of
// every kind and checks that none nests them.
func TestNoNestedQuotes(t *testing.T) {
	c, _ := newCatalog(t, "en")
	queries := []string{`"foreign minister" -Trump`, `«міністр закордонних справ»`, `“Верховна Рада” OR „Кабмін“`,
		`a "b`, `«x» «y»`, `NATO`}
	for id, sp := range specs {
		for _, lang := range languages {
			for _, q := range queries {
				data := sampleData(c, lang)
				data["Query"], data["Old"], data["Lang"] = q, q, q
				n := 21
				var np *int
				if sp.plural {
					np = &n
				}
				got := c.render(lang, id, np, data, !sp.plain)
				if p := quoteProblem(lang, got); p != "" {
					t.Errorf("%s %s with %s: %s: %q", lang, id, q, p, got)
				}
			}
		}
	}
	if p := quoteProblem("uk", "Ви підписалися на ««НАТО»»."); p == "" {
		t.Error("the check misses ««…»»")
	}
	if p := quoteProblem("uk", `Ви підписалися на «"НАТО"».`); p == "" {
		t.Error(`the check misses «"…"»`)
	}
}

func TestNestQuotes(t *testing.T) {
	for _, tt := range []struct{ lang, in, want string }{
		{"uk", `"foreign minister" -Trump`, `„foreign minister“ -Trump`},
		{"uk", `«міністр закордонних справ»`, `„міністр закордонних справ“`},
		{"ru", `“a” OR „b“`, `„a“ OR „b“`},
		{"en", `"a" b`, `‘a’ b`},
		{"uk", `a "b`, `a „b“`},
		{"uk", `NATO`, `NATO`},
	} {
		if got := NestQuotes(tt.lang, tt.in); got != tt.want {
			t.Errorf("NestQuotes(%s, %s) = %s, want %s", tt.lang, tt.in, got, tt.want)
		}
	}
}

// adminOnly reports whether a message is read by bot admins only.
func adminOnly(id string) bool {
	for _, p := range []string{"admin.", "notice.", "help.admin", "feeds.admin_", "feeds.state_", "feeds.never", "reason.",
		"usage.addfeed", "usage.removefeed", "usage.pausefeed", "usage.resumefeed", "cmdmenu.addfeed", "cmdmenu.removefeed",
		"cmdmenu.pausefeed", "cmdmenu.resumefeed", "cmdmenu.stats", "ask.addfeed", "ask.feed_id", "placeholder.url", "placeholder.id"} {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// TestGlossary enforces docs/glossary.md: no message uses a word of its
// "never" columns.
func TestGlossary(t *testing.T) {
	buf, err := os.ReadFile("../../docs/glossary.md")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newCatalog(t, "en")
	rows := 0
	for _, line := range strings.Split(string(buf), "\n") {
		cells := strings.Split(strings.Trim(line, "| "), "|")
		if len(cells) != 7 || strings.Contains(line, "---") || strings.TrimSpace(cells[0]) == "concept" {
			continue
		}
		rows++
		scope := strings.TrimSpace(cells[6])
		for i, lang := range []string{"uk", "ru"} {
			for _, never := range strings.Split(cells[4+i], ",") {
				never = strings.ToLower(strings.TrimSpace(never))
				if never == "" || never == "—" {
					continue
				}
				for id, sp := range specs {
					if scope == "users" && adminOnly(id) || scope == "admins" && !adminOnly(id) {
						continue
					}
					n := 5
					var np *int
					if sp.plural {
						np = &n
					}
					got := strings.ToLower(c.render(lang, id, np, sampleData(c, lang), !sp.plain))
					if strings.Contains(got, never) {
						t.Errorf("%s %s uses %q, which docs/glossary.md rules out: %s", lang, id, never, got)
					}
				}
			}
		}
	}
	if rows < 10 {
		t.Fatalf("read %d glossary rows from docs/glossary.md", rows)
	}
}

func TestDuration(t *testing.T) {
	c, _ := newCatalog(t, "en")
	for _, tt := range []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"uk", 90 * time.Second, "1 хв 30 с"}, {"ru", 2*time.Hour + 5*time.Minute, "2 ч 5 мин"},
		{"en", 3*24*time.Hour + time.Hour + 7*time.Minute, "3 d 1 h"}, {"en", 0, "0 s"},
		{"uk", time.Hour + 20*time.Second, "1 год"}, {"ru", 45 * time.Second, "45 с"},
	} {
		if got := c.Duration(tt.lang, tt.d); got != tt.want {
			t.Errorf("Duration(%s, %v) = %q, want %q", tt.lang, tt.d, got, tt.want)
		}
	}
}
