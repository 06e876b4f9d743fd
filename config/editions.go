package config

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// DefaultEditionWindow is how far apart in time two editions of a story
// may be published for content pairing to consider them.
const DefaultEditionWindow = 12 * time.Hour

// DefaultLibreTranslateURL is translate.url when provider is libretranslate
// and no url is given: LibreTranslate's own default address.
const DefaultLibreTranslateURL = "http://127.0.0.1:5000"

var editionNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// checkEditions checks the editions of outlets (feeds' edition, the
// editions map), delivery.edition_wait and translate; it fills defaults.
func checkEditions(c *Config, l lines) Errors {
	var errs Errors
	bad := func(path, format string, args ...any) {
		errs = append(errs, Problem{Line: l.line(path), Key: path, Msg: fmt.Sprintf(format, args...)})
	}
	if w := c.Delivery.EditionWait.D(); w < 0 || w > 24*time.Hour {
		bad("delivery.edition_wait", "must be between 0 (no wait) and 24h")
	}

	// outlet → language → index of the feed that has it
	outlets := map[string]map[string]int{}
	for i := range c.Feeds {
		f := &c.Feeds[i]
		p := fmt.Sprintf("feeds[%d]", i)
		f.Edition = strings.ToLower(strings.TrimSpace(f.Edition)) // edition: RBC is rbc
		if f.Edition == "" {
			continue
		}
		if !editionNamePattern.MatchString(f.Edition) {
			bad(p+".edition", "%q: use lowercase letters, digits, '.', '_' and '-' (at most 64)", f.Edition)
			continue
		}
		if f.Lang == "" {
			bad(p+".lang", "needed with edition: each edition of outlet %q must say its language", f.Edition)
			continue
		}
		langs := outlets[f.Edition]
		if langs == nil {
			langs = map[string]int{}
			outlets[f.Edition] = langs
		}
		if j, dup := langs[f.Lang]; dup {
			bad(p+".lang", "outlet %q already has a %s edition (feeds[%d], %s); editions of one outlet have different languages",
				f.Edition, f.Lang, j, c.Feeds[j].ID)
			continue
		}
		langs[f.Lang] = i
	}

	for name, e := range c.Editions {
		if low := strings.ToLower(name); low != name {
			if _, dup := c.Editions[low]; dup {
				bad("editions."+name, "given twice (also as %s)", low)
				continue
			}
			delete(c.Editions, name)
			c.Editions[low] = e
		}
	}
	names := make([]string, 0, len(c.Editions))
	for name := range c.Editions {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		e := c.Editions[name]
		p := "editions." + name
		if _, ok := outlets[name]; !ok {
			bad(p, "no feed has edition: %s", name)
		}
		if e.Key != "" {
			re, err := regexp.Compile(e.Key)
			switch {
			case err != nil:
				bad(p+".key", "not a regular expression: %v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			case re.NumSubexp() != 1:
				bad(p+".key", "must have exactly one capture group (the story's key), has %d; use (?:...) for other groups", re.NumSubexp())
			}
		}
		switch w := e.Window.D(); {
		case w == 0:
			e.Window = Duration(DefaultEditionWindow)
		case w < time.Minute || w > 7*24*time.Hour:
			bad(p+".window", "must be between 1m and 7d")
		}
		c.Editions[name] = e
	}

	t := &c.Translate
	t.Provider = strings.ToLower(strings.TrimSpace(t.Provider)) // LibreTranslate, DeepL
	switch t.Provider {
	case "":
	case "libretranslate":
		if strings.TrimSpace(t.URL) == "" {
			t.URL = DefaultLibreTranslateURL // where its Docker image listens
		}
		if err := CheckHTTPURL(t.URL); err != nil {
			bad("translate.url", "%v", err)
		}
	case "deepl":
		if t.URL != "" {
			if err := CheckHTTPURL(t.URL); err != nil {
				bad("translate.url", "%v", err)
			}
		}
		if t.APIKey == "" {
			bad("translate.api_key", "DeepL needs your API key")
		}
	default:
		bad("translate.provider", "unknown provider %q (known: libretranslate, deepl)", t.Provider)
	}
	if t.Timeout.D() < 100*time.Millisecond || t.Timeout.D() > time.Minute {
		bad("translate.timeout", "must be between 100ms and 1m")
	}
	return errs
}

// EditionKey is the compiled key of an outlet (nil: none), for a Config
// that passed its checks.
func (c *Config) EditionKey(outlet string) *regexp.Regexp {
	e, ok := c.Editions[outlet]
	if !ok || e.Key == "" {
		return nil
	}
	re, err := regexp.Compile(e.Key)
	if err != nil {
		return nil
	}
	return re
}

// EditionSettings is the outlet's settings with defaults filled.
func (c *Config) EditionSettings(outlet string) Edition {
	e, ok := c.Editions[outlet]
	if !ok {
		e = Edition{}
	}
	if e.Window == 0 {
		e.Window = Duration(DefaultEditionWindow)
	}
	return e
}
