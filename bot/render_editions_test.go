package bot

import (
	"strings"
	"testing"
	"time"
)

func TestRenderEditionsAndTranslation(t *testing.T) {
	r := NewRenderer(testCatalog(t))
	a := Alert{Title: "[uk] NATO ministers meet", Summary: "[uk] They agreed.", Link: "https://up.example/eng/1/",
		TranslatedFrom: "en",
		Editions: []EditionLink{
			{Lang: "ru", Link: "https://up.example/rus/1/"},
			{Lang: "de", Link: "javascript:alert(1)"}, // never a link
			{Lang: "ru", Link: "https://up.example/rus/1-again/"},
			{Lang: "<b>", Link: "https://up.example/x/"},
		}}
	for lang, want := range map[string][]string{
		"uk": {"<i>Машинний переклад, оригінал: EN</i>", `Також: <a href="https://up.example/rus/1/">RU</a> · <a href="https://up.example/x/">&lt;B&gt;</a>`},
		"en": {"<i>Machine translation, original in EN</i>", `Also in: <a href="https://up.example/rus/1/">RU</a>`},
		"ru": {"<i>Машинный перевод, оригинал: EN</i>", "Также: "},
	} {
		got := r.Render(lang, time.UTC, a)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: no %q in\n%s", lang, w, got)
			}
		}
		if strings.Contains(got, "javascript") || strings.Contains(got, "1-again") {
			t.Errorf("%s: unsafe or repeated edition link in\n%s", lang, got)
		}
	}
	if got := r.Render("en", time.UTC, Alert{Title: "t", Link: "https://x.example/"}); strings.Contains(got, "Also in") || strings.Contains(got, "translation") {
		t.Errorf("an alert with no editions: %s", got)
	}
}
