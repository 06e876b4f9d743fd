package subscriptions

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Ukrainian has no Snowball stemmer, so this is a light one of our own: it
// removes one inflectional ending of nouns, adjectives and reflexive verbs,
// then evens out the і/о, ї/є alternation of a closed last syllable
// (Львів/Львова, Київ/Києва, рік/року). It aims at the names and nouns of
// headlines; it does not relate derived words (Україна and український stay
// apart: Україн* finds both). Its precision and recall on
// testdata/stem_uk.txt are measured by TestStemmerQuality.

// ukEndings are tried longest first; the first one that leaves a stem of at
// least ukMinStem letters is removed.
type ukEnding struct {
	s     string
	runes int
}

var ukEndings = func() []ukEnding {
	list := []string{
		// reflexive verb endings
		"ються", "уться", "аться", "яться", "иться", "ється", "ується",
		"тися", "ться", "вся", "лася", "лося", "лися",
		// adjective endings (hard and soft)
		"ього", "ьому", "ьої", "ьою",
		"ого", "ому", "ими", "ої", "ою", "ий", "ім", "им", "их", "іх", "ій",
		// nouns in -ія (Росія, санкція, Сергій)
		"ія", "ії", "ію", "ією", "ієм", "ієві", "іям", "іями", "іях",
		// other noun endings
		"ами", "ями", "ьми", "ові", "еві", "єві", "ам", "ям", "ах", "ях",
		"ею", "єю", "ом", "ем", "єм", "ей",
		"а", "я", "и", "і", "ї", "у", "ю", "о", "е", "є", "ь",
	}
	out := make([]ukEnding, len(list))
	for i, e := range list {
		out[i] = ukEnding{e, utf8.RuneCountInString(e)}
	}
	// Longest first, so "ого" wins over "о".
	slices.SortStableFunc(out, func(a, b ukEnding) int { return b.runes - a.runes })
	return out
}()

const ukMinStem = 3

func isUKVowel(r rune) bool {
	return strings.ContainsRune("аеєиіїоуюя", r)
}

// ukEndingsByLast groups the endings by their last letter, so a word is
// compared only with the endings it could have.
var ukEndingsByLast = func() map[rune][]ukEnding {
	m := make(map[rune][]ukEnding)
	for _, e := range ukEndings {
		r, _ := utf8.DecodeLastRuneInString(e.s)
		m[r] = append(m[r], e)
	}
	return m
}()

// stemUK stems one normalized (lower-case) Ukrainian word. Most words have
// one stem; an ending that reads two ways gives two, and two words match
// when their stems meet:
//   - -ів/-їв is a genitive plural (депутатів → депутат) or a name's own
//     letters whose other cases alternate (Харків → харков like Харкова);
//   - -ові is a dative (президентові → президент) or an adjective's plural
//     (військові → військов like військовий);
//   - -ці/-зі/-сі after a stripped і may be к/г/х alternated (Америці,
//     році → америк, рок like Америка, року).
//
// It works on the UTF-8 string: endings are compared as bytes, and a new
// string is made only when a letter changes.
func stemUK(w string) (stem, alt string) {
	n := utf8.RuneCountInString(w)
	switch {
	case n >= 5 && (strings.HasSuffix(w, "ів") || strings.HasSuffix(w, "їв")):
		return ukFinish(w[:len(w)-len("ів")]), ukFinish(w)
	case n >= 6 && strings.HasSuffix(w, "ові"):
		return ukFinish(w[:len(w)-len("ові")]), ukFinish(w[:len(w)-len("і")])
	case n >= 5 && strings.HasSuffix(w, "ець"): // українець → українц like українця
		return ukFinish(w[:len(w)-len("ець")] + "ц"), ""
	case n >= 5 && strings.HasSuffix(w, "ок") && hasVowel(w[:len(w)-len("ок")]): // ринок → ринк like ринку
		return ukFinish(w[:len(w)-len("ок")] + "к"), ""
	case n <= ukMinStem:
		return ukFinish(w), ""
	}
	last, _ := utf8.DecodeLastRuneInString(w)
	for _, e := range ukEndingsByLast[last] {
		if n-e.runes < ukMinStem || !strings.HasSuffix(w, e.s) {
			continue
		}
		w = w[:len(w)-len(e.s)]
		if e.s == "і" {
			last, size := utf8.DecodeLastRuneInString(w)
			var k string
			switch last {
			case 'ц':
				k = "к"
			case 'з':
				k = "г"
			case 'с':
				k = "х"
			}
			if k != "" {
				return ukFinish(w), ukFinish(w[:len(w)-size] + k)
			}
		}
		break
	}
	return ukFinish(w), ""
}

// ukFinish drops a soft sign left at the end (області → област like
// область) and evens out the vowel alternation.
func ukFinish(w string) string {
	if strings.HasSuffix(w, "ь") && utf8.RuneCountInString(w) > ukMinStem {
		w = w[:len(w)-len("ь")]
	}
	return alternate(w)
}

func hasVowel(w string) bool {
	return strings.ContainsFunc(w, isUKVowel)
}

// alternate rewrites the vowel of a closed last syllable: і becomes о and ї
// becomes є, the way the open-syllable forms are spelt (Львів → львов like
// Львова, Київ → києв like Києва). Applied to every form alike, it only has
// to be consistent, not right.
func alternate(w string) string {
	for i := len(w); i > 0; {
		r, size := utf8.DecodeLastRuneInString(w[:i])
		i -= size
		if !isUKVowel(r) {
			continue
		}
		// Only a vowel followed by a consonant, with something before it.
		if i == 0 || i+size == len(w) {
			return w
		}
		switch r {
		case 'і':
			return w[:i] + "о" + w[i+size:]
		case 'ї':
			return w[:i] + "є" + w[i+size:]
		}
		return w
	}
	return w
}
