package subscriptions

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// readForms reads a word list: one lemma a line, its forms space-separated.
func readForms(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var groups [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		groups = append(groups, strings.Fields(line))
	}
	return groups
}

// stemScore measures a stemmer on word groups. Recall: of the pairs of
// forms of one lemma, the share that get a common stem. Precision: of the
// pairs that get a common stem, the share that are forms of one lemma.
// A word can appear in two lemmas (рада, the council, and рада, glad):
// such pairs count as the same lemma.
func stemScore(groups [][]string, keys func(string) []string) (precision, recall float64, misses, false_ []string) {
	type word struct {
		w     string
		group int
		keys  []string
	}
	var words []word
	for g, forms := range groups {
		for _, f := range forms {
			words = append(words, word{f, g, keys(f)})
		}
	}
	sameLemma := func(a, b word) bool {
		if a.group == b.group {
			return true
		}
		return a.w == b.w
	}
	var tp, fn, fp int
	for i := range words {
		for j := i + 1; j < len(words); j++ {
			a, b := words[i], words[j]
			common := slices.ContainsFunc(a.keys, func(k string) bool { return slices.Contains(b.keys, k) })
			same := sameLemma(a, b)
			switch {
			case common && same:
				tp++
			case !common && same:
				fn++
				misses = append(misses, a.w+"≠"+b.w)
			case common && !same:
				fp++
				false_ = append(false_, a.w+"="+b.w)
			}
		}
	}
	return float64(tp) / float64(tp+fp), float64(tp) / float64(tp+fn), misses, false_
}

func stemKeysOf(s stemmer) func(string) []string {
	return func(w string) []string {
		var out []string
		for _, k := range appendStems(nil, s, normalizeWord(w)) {
			out = append(out, k.s)
		}
		return out
	}
}

func TestStemmerQuality(t *testing.T) {
	for _, tt := range []struct {
		file       string
		s          stemmer
		minP, minR float64
	}{
		{"testdata/stem_uk.txt", stemUkrainian, 0.95, 0.90},
		{"testdata/stem_ru.txt", stemRussian, 0.95, 0.90},
		{"testdata/stem_en.txt", stemEnglish, 0.95, 0.90},
	} {
		p, r, misses, falses := stemScore(readForms(t, tt.file), stemKeysOf(tt.s))
		bp, br, _, _ := stemScore(readForms(t, tt.file), func(w string) []string { return []string{normalizeWord(w)} })
		t.Logf("%s: precision %.3f recall %.3f (exact forms only: precision %.3f recall %.3f)", tt.file, p, r, bp, br)
		if testing.Verbose() {
			t.Logf("missed pairs: %v", misses)
			t.Logf("false pairs: %v", falses)
		}
		if p < tt.minP || r < tt.minR {
			t.Errorf("%s: precision %.3f recall %.3f, want at least %.2f and %.2f", tt.file, p, r, tt.minP, tt.minR)
		}
	}
}

var stemSink stemPair

func BenchmarkStem(b *testing.B) {
	for _, tt := range []struct {
		name  string
		s     stemmer
		words []string
	}{
		{"uk", stemUkrainian, []string{"україною", "зеленського", "києві", "санкцій", "переговори", "президентові"}},
		{"ru", stemRussian, []string{"украиной", "зеленского", "киеве", "санкций", "переговоры", "президенту"}},
		{"en", stemEnglish, []string{"ukraine's", "sanctions", "countries", "talks", "minister", "president"}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				stemSink = stemWord(tt.s, tt.words[i%len(tt.words)])
			}
		})
		b.Run(tt.name+"/cached", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				stemSink = stemCached(tt.s, tt.words[i%len(tt.words)])
			}
		})
	}
}
