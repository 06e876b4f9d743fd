package i18n

import (
	"bytes"
	"io"
	"log/slog"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"
)

func newCatalog(t *testing.T, def string) (*Catalog, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	c, err := New(Config{DefaultLanguage: def, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return c, &logs
}

// requiredForms are the CLDR plural forms an integer count can select.
var requiredForms = map[string][]string{
	"en": {"one", "other"},
	"uk": {"one", "few", "many", "other"},
	"ru": {"one", "few", "many", "other"},
}

// TestLocalesComplete fails when a locale lacks an id, has an id that
// messages.go does not know, or lacks a plural form.
func TestLocalesComplete(t *testing.T) {
	for _, lang := range languages {
		t.Run(lang, func(t *testing.T) {
			path := "locales/active." + lang + ".yaml"
			buf, err := localeFS.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			mf, err := goi18n.ParseMessageFileBytes(buf, path, map[string]goi18n.UnmarshalFunc{"yaml": yaml.Unmarshal})
			if err != nil {
				t.Fatal(err)
			}
			have := map[string]*goi18n.Message{}
			for _, m := range mf.Messages {
				have[m.ID] = m
			}
			for id, sp := range specs {
				m, ok := have[id]
				if !ok {
					t.Errorf("missing message %q", id)
					continue
				}
				forms := map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other}
				if !sp.plural {
					for f, v := range forms {
						if f != "other" && v != "" {
							t.Errorf("%q is not plural but has form %q", id, f)
						}
					}
					if m.Other == "" {
						t.Errorf("%q is empty", id)
					}
					for _, k := range sp.data {
						if !strings.Contains(m.Other, "{{."+k+"}}") {
							t.Errorf("%q does not show {{.%s}}", id, k)
						}
					}
					continue
				}
				for _, f := range requiredForms[lang] {
					if forms[f] == "" {
						t.Errorf("plural %q lacks form %q", id, f)
					}
				}
				for _, f := range requiredForms[lang] {
					for _, k := range sp.data {
						if !strings.Contains(forms[f], "{{."+k+"}}") {
							t.Errorf("%q form %q does not show {{.%s}}", id, f, k)
						}
					}
				}
			}
			var extra []string
			for id := range have {
				if _, ok := specs[id]; !ok {
					extra = append(extra, id)
				}
			}
			sort.Strings(extra)
			if len(extra) > 0 {
				t.Errorf("ids not in messages.go: %v", extra)
			}
		})
	}
}

// hostile is template data that must come out escaped.
const hostile = `<script>&"x"</script>`

// TestTemplatesExecute renders every message in every language with every
// plural count that selects a different form, through the strict parser.
func TestTemplatesExecute(t *testing.T) {
	c, _ := newCatalog(t, "en")
	counts := []int{0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 1000}
	for _, lang := range languages {
		for id, sp := range specs {
			data := map[string]any{}
			for _, k := range sp.data {
				data[k] = hostile
			}
			ns := []*int{nil}
			if sp.plural {
				ns = ns[:0]
				for i := range counts {
					ns = append(ns, &counts[i])
				}
			}
			for _, n := range ns {
				for _, escape := range []bool{true, false} {
					got, err := c.localize(lang, id, n, data, escape)
					if err != nil {
						t.Errorf("%s %s: %v", lang, id, err)
						continue
					}
					if strings.TrimSpace(got) == "" || strings.Contains(got, "<no value>") {
						t.Errorf("%s %s: bad output %q", lang, id, got)
					}
					if n != nil && !strings.Contains(got, itoa(*n)) && strings.Contains(rawOther(t, lang, id), "{{.Count}}") {
						t.Errorf("%s %s n=%d: count missing in %q", lang, id, *n, got)
					}
					if escape {
						if err := checkHTML(got); err != "" {
							t.Errorf("%s %s: invalid Telegram HTML (%s): %q", lang, id, err, got)
						}
					}
					stripped := strings.ReplaceAll(got, escapeValue(hostile).(string), "")
					stripped = strings.ReplaceAll(stripped, escapeValue(NestQuotes(lang, hostile)).(string), "")
					if sp.plain && escape && strings.ContainsAny(stripped, "<&") {
						t.Errorf("%s %s: plain message has markup: %q", lang, id, got)
					}
				}
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// rawOther is the source of a message's "other" form in lang.
func rawOther(t *testing.T, lang, id string) string {
	t.Helper()
	path := "locales/active." + lang + ".yaml"
	buf, err := localeFS.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mf, err := goi18n.ParseMessageFileBytes(buf, path, map[string]goi18n.UnmarshalFunc{"yaml": yaml.Unmarshal})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mf.Messages {
		if m.ID == id {
			return m.Other
		}
	}
	return ""
}

var (
	tagRE    = regexp.MustCompile(`^<(/?)(b|i|code)>`)
	entityRE = regexp.MustCompile(`^&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});`)
)

// checkHTML is a small Telegram HTML check for message texts: the only
// tags are b, i and code, properly nested, and & starts a known entity.
func checkHTML(s string) string {
	var stack []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			m := tagRE.FindStringSubmatch(s[i:])
			if m == nil {
				return "raw < or unknown tag at " + itoa(i)
			}
			if m[1] == "" {
				stack = append(stack, m[2])
			} else {
				if len(stack) == 0 || stack[len(stack)-1] != m[2] {
					return "misnested </" + m[2] + ">"
				}
				stack = stack[:len(stack)-1]
			}
			i += len(m[0])
		case '&':
			m := entityRE.FindString(s[i:])
			if m == "" {
				return "raw & at " + itoa(i)
			}
			i += len(m)
		case '>':
			return "raw > at " + itoa(i)
		default:
			i++
		}
	}
	if len(stack) > 0 {
		return "unclosed <" + stack[len(stack)-1] + ">"
	}
	return ""
}

func TestCommandDescriptions(t *testing.T) {
	c, _ := newCatalog(t, "en")
	for _, lang := range c.Languages() {
		for _, cmd := range append(append([]Command{}, UserCommands...), AdminCommands...) {
			d := c.Plain(lang, cmd.DescID, nil)
			if n := utf8.RuneCountInString(d); n < 3 || n > 256 {
				t.Errorf("%s /%s: description of %d characters: %q", lang, cmd.Name, n, d)
			}
			if !regexp.MustCompile(`^[a-z0-9_]{1,32}$`).MatchString(cmd.Name) {
				t.Errorf("bad command name %q", cmd.Name)
			}
		}
	}
}

func TestLang(t *testing.T) {
	tests := []struct {
		def, code, want string
	}{
		{"en", "uk", "uk"},
		{"en", "uk-UA", "uk"},
		{"en", "ru", "ru"},
		{"en", "ru-RU", "ru"},
		{"en", "en-GB", "en"},
		{"en", "en", "en"},
		{"uk", "en-US", "en"},
		// CLDR's data says Belarusian and Kazakh readers read Russian.
		{"en", "be", "ru"},
		{"en", "kk", "ru"},
		{"uk", "sr", "uk"},
		{"uk", "de", "uk"},
		{"ru", "", "ru"},
		{"en", "pt-br", "en"},
		{"uk", "not a tag!", "uk"},
		{"uk", "UK", "uk"},
		{"en", " ru ", "ru"},
	}
	for _, tt := range tests {
		c, _ := newCatalog(t, tt.def)
		if got := c.Lang(tt.code); got != tt.want {
			t.Errorf("default %s: Lang(%q) = %q, want %q", tt.def, tt.code, got, tt.want)
		}
	}
}

func TestNewUnknownDefault(t *testing.T) {
	if _, err := New(Config{DefaultLanguage: "de"}); err == nil {
		t.Fatal("New with default de: no error")
	}
}

func TestPlurals(t *testing.T) {
	c, _ := newCatalog(t, "en")
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "This chat has 1 subscription:"},
		{"en", 2, "This chat has 2 subscriptions:"},
		{"en", 0, "This chat has 0 subscriptions:"},
		{"uk", 1, "У цьому чаті 1 підписка:"},
		{"uk", 2, "У цьому чаті 2 підписки:"},
		{"uk", 5, "У цьому чаті 5 підписок:"},
		{"uk", 11, "У цьому чаті 11 підписок:"},
		{"uk", 21, "У цьому чаті 21 підписка:"},
		{"uk", 24, "У цьому чаті 24 підписки:"},
		{"ru", 1, "В этом чате 1 подписка:"},
		{"ru", 3, "В этом чате 3 подписки:"},
		{"ru", 12, "В этом чате 12 подписок:"},
		{"ru", 101, "В этом чате 101 подписка:"},
	}
	for _, tt := range tests {
		if got := c.N(tt.lang, MsgListHeader, tt.n, nil); got != tt.want {
			t.Errorf("%s n=%d: got %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	if got := c.N("uk", MsgSubscribed, 3, map[string]any{"Query": "НАТО"}); !strings.Contains(got, "«НАТО»") || !strings.Contains(got, "3 статті") {
		t.Errorf("uk subscribed: %q", got)
	}
	if got := c.N("ru", MsgDigestHeader, 5, nil); got != "Ещё 5 новостей за последний час:" {
		t.Errorf("ru digest: %q", got)
	}
}

func TestEscaping(t *testing.T) {
	c, _ := newCatalog(t, "en")
	got := c.T("en", MsgAlreadySubscribed, map[string]any{"Query": `a<b> & "c"`})
	want := "You are already subscribed to “a&lt;b&gt; &amp; ‘c’”." // inner quotes, not nested ones
	if got != want {
		t.Errorf("T: got %q, want %q", got, want)
	}
	got = c.Plain("en", MsgButtonRemove, map[string]any{"Number": 2, "Query": `a<b> & "c"`})
	if want := `✖ 2. a<b> & "c"`; got != want {
		t.Errorf("Plain: got %q, want %q", got, want)
	}
	got = c.T("en", MsgFeedFetchFailed, map[string]any{"URL": HTML("<code>x</code>"), "Reason": errString("bad <xml>")})
	if want := "Could not add <code>x</code>: bad &lt;xml&gt;."; got != want {
		t.Errorf("HTML/error values: got %q, want %q", got, want)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// TestMissingData: a forgotten field is logged and left empty; an unknown id
// comes back as itself. Neither panics nor prints "<no value>".
func TestMissingData(t *testing.T) {
	c, logs := newCatalog(t, "en")
	got := c.T("uk", MsgAlreadySubscribed, nil)
	if got != "Ви вже підписані на «»." {
		t.Errorf("missing Query: %q", got)
	}
	if !strings.Contains(logs.String(), "missing template data") {
		t.Errorf("no log line for missing data: %s", logs)
	}
	if got := c.T("ru", "no.such.id", nil); got != "no.such.id" {
		t.Errorf("unknown id: %q", got)
	}
	if got := c.T("xx", MsgInternalError, nil); got != "Something went wrong; please try again later." {
		t.Errorf("unknown lang: %q", got)
	}
}

func TestFormatTime(t *testing.T) {
	c, _ := newCatalog(t, "en")
	kyiv := time.FixedZone("EET", 2*3600)
	ts := time.Date(2026, 11, 28, 12, 5, 0, 0, time.UTC).In(kyiv)
	for lang, want := range map[string]string{
		"en": "28 Nov 2026, 14:05",
		"uk": "28 листопада 2026, 14:05",
		"ru": "28 ноября 2026, 14:05",
	} {
		if got := c.FormatTime(lang, ts); got != want {
			t.Errorf("%s: got %q, want %q", lang, got, want)
		}
	}
	if got := c.Month("uk", 13); got != "13" {
		t.Errorf("month 13: %q", got)
	}
}

func TestLanguageName(t *testing.T) {
	c, _ := newCatalog(t, "en")
	if got := c.LanguageName("uk", "en"); got != "англійська" {
		t.Errorf("got %q", got)
	}
	if got := c.LanguageName("ru", "de"); got != "de" {
		t.Errorf("got %q", got)
	}
}

// TestQuotes: Ukrainian and Russian texts quote with «», English with “”.
func TestQuotes(t *testing.T) {
	wrong := map[string]string{"en": "«»", "uk": "“”„", "ru": "“”„"}
	for _, lang := range languages {
		buf, err := localeFS.ReadFile("locales/active." + lang + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(buf), "\n") {
			if strings.ContainsAny(line, wrong[lang]) {
				t.Errorf("%s line %d: quotes of another language: %s", lang, i+1, line)
			}
		}
	}
}

func BenchmarkT(b *testing.B) {
	c, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	data := map[string]any{"Query": `"foreign minister" -Trump`}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.N("uk", MsgSubscribed, 23, data)
	}
}

type nilErr struct{ msg string }

func (e *nilErr) Error() string { return e.msg }

func TestNilErrorValue(t *testing.T) {
	c, _ := newCatalog(t, "en")
	var e *nilErr
	if got := c.T("en", MsgNoticeConfigRejected, map[string]any{"Reason": e}); !strings.HasSuffix(got, "Reason: ") {
		t.Errorf("got %q", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	c, _ := newCatalog(t, "uk")
	done := make(chan string)
	for i := range 8 {
		go func() {
			s := ""
			for j := range 200 {
				s = c.N(languages[(i+j)%3], MsgSubscribed, j+1, map[string]any{"Query": "NATO"}) + c.FormatTime("uk", time.Unix(int64(j)*86400*7, 0))
			}
			done <- s
		}()
	}
	for range 8 {
		if s := <-done; s == "" {
			t.Error("empty result")
		}
	}
}

func TestMenu(t *testing.T) {
	c, _ := newCatalog(t, "en")
	user, admin := c.Menu("uk", false), c.Menu("uk", true)
	if len(user) != len(UserCommands) || len(admin) != len(UserCommands)+len(AdminCommands) {
		t.Fatalf("menu sizes %d, %d", len(user), len(admin))
	}
	if user[0] != (MenuEntry{"subscribe", "Підписатися на тему (наприклад, НАТО)"}) {
		t.Errorf("first entry %+v", user[0])
	}
}

// FuzzCatalog: any language_code maps to a bot language, and any user text
// inserted into a message leaves it valid Telegram HTML.
func FuzzCatalog(f *testing.F) {
	f.Add("uk-UA", `"foreign minister" -Trump`)
	f.Add("x-klingon", "<b>&amp;</b>")
	f.Add("", "\xff\x00")
	c, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, code, text string) {
		lang := c.Lang(code)
		if !c.Supported(lang) {
			t.Fatalf("Lang(%q) = %q", code, lang)
		}
		for _, id := range []string{MsgAlreadySubscribed, MsgFeedFetchFailed, MsgLanguageUnknown} {
			data := map[string]any{"Query": text, "URL": text, "Reason": text, "Lang": code, "Available": text}
			got := c.T(lang, id, data)
			if err := checkHTML(got); err != "" {
				t.Fatalf("%s: %s", id, err)
			}
			if !utf8.ValidString(got) {
				t.Fatalf("%s: invalid UTF-8 %q", id, got)
			}
		}
	})
}
