package config

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// TestNotes: valid configurations a newcomer writes that would otherwise fail
// silently get a note from check-config; the example config gets none.
func TestNotes(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // substrings, one note each
	}{
		{"local feed", "feeds:\n  - {id: local, url: \"http://127.0.0.1:8765/feed.xml\"}\n  - {id: lan, url: \"http://192.168.1.10/rss\"}\n  - {id: dev, url: \"http://localhost:8000/rss\"}\n",
			[]string{"feeds[0] (local): 127.0.0.1 is a private address", "feeds[1] (lan): 192.168.1.10", "feeds[2] (dev): localhost"}},
		{"no feeds", "telegram:\n  admins: [1]\n", []string{"no feeds yet"}},
		{"local feed allowed", "fetch:\n  allow_private_networks: true\nfeeds:\n  - {id: local, url: \"http://127.0.0.1:8765/feed.xml\"}\n", nil},
		{"translate without provider", "translate:\n  url: http://127.0.0.1:5000\nfeeds:\n  - {id: a, url: \"https://a.example/rss\"}\n",
			[]string{"translate: no provider, so translation is off; set translate.provider: libretranslate to use http://127.0.0.1:5000"}},
		{"translate on", "translate:\n  provider: libretranslate\n  url: http://127.0.0.1:5000\nfeeds:\n  - {id: a, url: \"https://a.example/rss\"}\n", nil},
		{"typo in edition", "feeds:\n  - {id: u-en, url: \"https://u.example/en\", lang: en, edition: ukrinfrom}\n  - {id: u-uk, url: \"https://u.example/uk\", lang: uk, edition: ukrinform}\n",
			[]string{`outlet "ukrinform" has one edition (u-uk): nothing to pair it with; did you mean edition: ukrinfrom?`,
				`outlet "ukrinfrom" has one edition (u-en): nothing to pair it with; did you mean edition: ukrinform?`}},
		{"two editions", "feeds:\n  - {id: u-en, url: \"https://u.example/en\", lang: en, edition: u}\n  - {id: u-uk, url: \"https://u.example/uk\", lang: uk, edition: u}\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			notes := cfg.Notes()
			if len(notes) != len(tt.want) {
				t.Fatalf("notes = %q, want %d", notes, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(notes[i], w) {
					t.Errorf("note %q\n does not contain %q", notes[i], w)
				}
			}
		})
	}
}

func TestOneEdit(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"ukrinform", "ukrinfrom", true}, {"rbc", "rbcc", true}, {"rbc", "rb", true}, {"rbc", "rbd", true},
		{"rbc", "pravda", false}, {"rbc", "bcr", false}, {"ab", "ba", true}, {"abc", "abc", false},
	} {
		if got := oneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("oneEdit(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

// TestNamesInAnyCase: provider and log names as a newcomer types them.
func TestNamesInAnyCase(t *testing.T) {
	cfg, err := Parse([]byte("translate:\n  provider: LibreTranslate\n  url: http://127.0.0.1:5000\nlog:\n  format: JSON\n  level: Warning\nfeeds:\n  - {id: a, url: \"https://a.example/rss\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Translate.Provider != "libretranslate" || cfg.Log.Format != "json" || cfg.Log.Level != "warn" {
		t.Errorf("provider %q, log %q %q", cfg.Translate.Provider, cfg.Log.Format, cfg.Log.Level)
	}
}

// TestMissingFileSaysHowToMakeIt: check-config before any config.yaml exists.
func TestMissingFileSaysHowToMakeIt(t *testing.T) {
	_, err := Load(t.TempDir() + "/config.yaml")
	if err == nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "does not exist (start from the example: cp config.example.yaml ") {
		t.Errorf("err = %v", err)
	}
}

// TestOutletNamesInAnyCase: edition: RBC and editions: {RBC: ...} are the
// outlet rbc.
func TestOutletNamesInAnyCase(t *testing.T) {
	cfg, err := Parse([]byte("editions:\n  RBC:\n    window: 1h\nfeeds:\n  - {id: a, url: \"https://a.example/rss\", lang: uk, edition: RBC}\n  - {id: b, url: \"https://b.example/rss\", lang: ru, edition: rbc}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Feeds[0].Edition != "rbc" || cfg.EditionSettings("rbc").Window.D().Hours() != 1 {
		t.Errorf("edition %q, settings %+v", cfg.Feeds[0].Edition, cfg.EditionSettings("rbc"))
	}
	if n := cfg.Notes(); len(n) != 0 {
		t.Errorf("notes: %q", n)
	}
}

// TestEditionWaitZeroIsNoWait: edition_wait: 0 (and 0s) is "no wait", not
// "unset, take the default".
func TestEditionWaitZeroIsNoWait(t *testing.T) {
	for _, v := range []string{"0", "0s"} {
		cfg, err := Parse([]byte("delivery:\n  edition_wait: " + v + "\nfeeds:\n  - {id: a, url: \"https://a.example/rss\"}\n"))
		if err != nil {
			t.Fatal(err)
		}
		if w := cfg.Delivery.EditionWait.D(); w != 0 {
			t.Errorf("edition_wait: %s = %v", v, w)
		}
	}
}

// TestLibreTranslateDefaultURL: provider: libretranslate alone (the example
// with one line changed) talks to LibreTranslate's default address.
func TestLibreTranslateDefaultURL(t *testing.T) {
	cfg, err := Parse([]byte("translate:\n  provider: libretranslate\nfeeds:\n  - {id: a, url: \"https://a.example/rss\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Translate.Enabled() || cfg.Translate.URL != "http://127.0.0.1:5000" {
		t.Errorf("translate = %+v", cfg.Translate)
	}
}
