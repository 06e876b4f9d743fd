package subscriptions

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/morphology"
)

// TestLemmaQuality measures the matcher's word relation on the words of
// real feeds kept outside the repository ($NEWSALERT_CORPUS, as for
// feeds.TestCorpus): for every pair of distinct word forms of one
// language, a query of the first should find an article word of the
// second exactly when hunspell gives them a common lemma. Recall is the
// share of such pairs found, precision the share of found pairs that are
// such. uk and ru are judged by the embedded dictionaries; en by
// hunspell-en-us when $NEWSALERT_HUNSPELL_EN names its directory.
//
//	NEWSALERT_CORPUS=/path/to/feeds NEWSALERT_HUNSPELL_EN=/usr/share/hunspell go test ./subscriptions -run TestLemmaQuality -v
func TestLemmaQuality(t *testing.T) {
	dir := os.Getenv("NEWSALERT_CORPUS")
	if dir == "" {
		t.Skip("NEWSALERT_CORPUS not set")
	}
	words := map[string]map[string]bool{"uk": {}, "ru": {}, "en": {}}
	p := feeds.NewParser()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".md") {
			return nil
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		if z, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
			if b, err := io.ReadAll(z); err == nil {
				body = b
			}
		}
		f, err := p.Parse(body, "", time.Now())
		if err != nil {
			return nil
		}
		for _, a := range f.Articles {
			text := a.Title + " " + a.Summary + " " + strings.Join(a.Categories, " ")
			for _, tk := range tokenize(nil, text) {
				if len([]rune(tk.form)) < 3 || strings.ContainsAny(tk.form, "0123456789'") {
					continue
				}
				switch tk.script {
				case scriptLatin:
					words["en"][tk.form] = true
				case scriptCyrillic:
					if lang := cyrillicLang(text, f.Language); lang != "" {
						words[lang][tk.form] = true
					}
				}
			}
		}
		return nil
	})
	en := (*morphology.Dictionary)(nil)
	if d := os.Getenv("NEWSALERT_HUNSPELL_EN"); d != "" {
		aff, err1 := os.Open(filepath.Join(d, "en_US.aff"))
		dic, err2 := os.Open(filepath.Join(d, "en_US.dic"))
		if err1 == nil && err2 == nil {
			en, _ = morphology.Read(aff, dic)
			aff.Close()
			dic.Close()
		}
	}
	for _, tt := range []struct {
		lang  string
		dict  *morphology.Dictionary
		class uint8
	}{{"uk", morphology.For("uk"), 2}, {"ru", morphology.For("ru"), 4}, {"en", en, 1}} {
		if tt.dict == nil {
			t.Logf("%s: no dictionary to judge by", tt.lang)
			continue
		}
		p, r, n := lemmaScore(tt.dict, words[tt.lang], tt.class)
		t.Logf("%s: %d known forms: precision %.4f recall %.4f", tt.lang, n, p, r)
		if p < 0.99 || r < 0.97 {
			t.Errorf("%s: precision %.4f recall %.4f, want at least 0.99 and 0.97", tt.lang, p, r)
		}
	}
}

// cyrillicLang tells Ukrainian from Russian text by the letters only one
// of them has, else by the feed's language.
func cyrillicLang(text, feedLang string) string {
	uk := strings.ContainsAny(text, "іїєґІЇЄҐ")
	ru := strings.ContainsAny(text, "ыэъЫЭЪ")
	switch {
	case uk && !ru:
		return "uk"
	case ru && !uk:
		return "ru"
	case strings.HasPrefix(feedLang, "uk"):
		return "uk"
	case strings.HasPrefix(feedLang, "ru"):
		return "ru"
	}
	return ""
}

// lemmaScore compares, over the forms the dictionary knows, "a query of a
// finds b" with "a and b share a lemma of d". Forms of one lemma are
// compared each way; a form is not paired with itself.
func lemmaScore(d *morphology.Dictionary, forms map[string]bool, class uint8) (precision, recall float64, known int) {
	lemmas := map[string][]string{} // form → lemmas
	byLemma := map[string][]string{}
	for f := range forms {
		for _, l := range d.Lemmas(nil, f) {
			lemmas[f] = append(lemmas[f], l.Word)
			byLemma[l.Word] = append(byLemma[l.Word], f)
		}
	}
	byKey := map[termKey][]string{} // article key → forms
	for f := range lemmas {
		for _, k := range appendArticleKeys([]termKey{{stemExact, f}}, class, f) {
			byKey[k] = append(byKey[k], f)
		}
	}
	var tp, fp, fn int
	for a := range lemmas {
		found := map[string]bool{}
		for _, k := range queryKeys(nil, a) {
			for _, b := range byKey[k] {
				found[b] = true
			}
		}
		truth := map[string]bool{}
		for _, l := range lemmas[a] {
			for _, b := range byLemma[l] {
				truth[b] = true
			}
		}
		delete(found, a)
		delete(truth, a)
		for b := range found {
			if truth[b] {
				tp++
			} else {
				fp++
				if os.Getenv("NEWSALERT_LEMMA_MISSES") != "" {
					fmt.Printf("false %s -> %s\n", a, b)
				}
			}
		}
		for b := range truth {
			if !found[b] {
				fn++
				if os.Getenv("NEWSALERT_LEMMA_MISSES") != "" {
					fmt.Printf("miss %s -> %s\n", a, b)
				}
			}
		}
	}
	return float64(tp) / float64(max(1, tp+fp)), float64(tp) / float64(max(1, tp+fn)), len(lemmas)
}
