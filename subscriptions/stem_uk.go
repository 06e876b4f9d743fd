package subscriptions

import "strings"

// Ukrainian has no Snowball stemmer, so this is a light one of our own: it
// removes one inflectional ending of nouns, adjectives and reflexive verbs,
// then evens out the і/о, ї/є alternation of a closed last syllable
// (Львів/Львова, Київ/Києва, рік/року). It aims at the names and nouns of
// headlines; it does not relate derived words (Україна and український stay
// apart: Україн* finds both). Its precision and recall on
// testdata/stem_uk.txt are measured by TestStemmerQuality.

// ukEndings are tried longest first; the first one that leaves a stem of at
// least ukMinStem letters is removed.
var ukEndings = func() [][]rune {
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
	out := make([][]rune, len(list))
	for i, e := range list {
		out[i] = []rune(e)
	}
	// Longest first, so "ого" wins over "о".
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}()

const ukMinStem = 3

func isUKVowel(r rune) bool {
	return strings.ContainsRune("аеєиіїоуюя", r)
}

var (
	sufIV   = []rune("ів")
	sufYIV  = []rune("їв")
	sufOVI  = []rune("ові")
	sufEC   = []rune("ець")
	sufOK   = []rune("ок")
	dativeI = map[rune]rune{'ц': 'к', 'з': 'г', 'с': 'х'} // Америці → Америка, нозі → нога
)

// stemUK stems one normalized (lower-case) Ukrainian word. Most words have
// one stem; an ending that reads two ways gives two, and two words match
// when their stems meet:
//   - -ів/-їв is a genitive plural (депутатів → депутат) or a name's own
//     letters whose other cases alternate (Харків → харков like Харкова);
//   - -ові is a dative (президентові → президент) or an adjective's plural
//     (військові → військов like військовий);
//   - -ці/-зі/-сі after a stripped і may be к/г/х alternated (Америці,
//     році → америк, рок like Америка, року).
func stemUK(w string) (stem, alt string) {
	rs := []rune(w)
	n := len(rs)
	switch {
	case n >= 5 && (hasRuneSuffix(rs, sufIV) || hasRuneSuffix(rs, sufYIV)):
		return ukFinish(rs[:n-2]), ukFinish(slicesClone(rs))
	case n >= 6 && hasRuneSuffix(rs, sufOVI):
		return ukFinish(rs[:n-3]), ukFinish(rs[:n-1])
	case n >= 5 && hasRuneSuffix(rs, sufEC): // українець → українц like українця
		return ukFinish(append(rs[:n-3], 'ц')), ""
	case n >= 5 && hasRuneSuffix(rs, sufOK) && hasVowel(rs[:n-2]): // ринок → ринк like ринку
		return ukFinish(append(rs[:n-2], 'к')), ""
	case n <= ukMinStem:
		return ukFinish(rs), ""
	}
	for _, e := range ukEndings {
		if len(rs)-len(e) < ukMinStem || !hasRuneSuffix(rs, e) {
			continue
		}
		rs = rs[:len(rs)-len(e)]
		if len(e) == 1 && e[0] == 'і' {
			if k, ok := dativeI[rs[len(rs)-1]]; ok {
				other := slicesClone(rs)
				other[len(other)-1] = k
				return ukFinish(rs), ukFinish(other)
			}
		}
		break
	}
	return ukFinish(rs), ""
}

// ukFinish drops a soft sign left at the end (області → област like
// область) and evens out the vowel alternation. It works on a copy: the
// callers pass overlapping slices of one word.
func ukFinish(rs []rune) string {
	rs = slicesClone(rs)
	if n := len(rs); n > ukMinStem && rs[n-1] == 'ь' {
		rs = rs[:n-1]
	}
	alternate(rs)
	return string(rs)
}

func hasVowel(rs []rune) bool {
	for _, r := range rs {
		if isUKVowel(r) {
			return true
		}
	}
	return false
}

func slicesClone(rs []rune) []rune { return append([]rune(nil), rs...) }

// alternate rewrites the vowel of a closed last syllable: і becomes о and ї
// becomes є, the way the open-syllable forms are spelt (Львів → львов like
// Львова, Київ → києв like Києва). Applied to every form alike, it only has
// to be consistent, not right.
func alternate(rs []rune) {
	last := -1
	for i := len(rs) - 1; i >= 0; i-- {
		if isUKVowel(rs[i]) {
			last = i
			break
		}
	}
	// Only a vowel followed by a consonant, with something before it.
	if last <= 0 || last == len(rs)-1 {
		return
	}
	switch rs[last] {
	case 'і':
		rs[last] = 'о'
	case 'ї':
		rs[last] = 'є'
	}
}

func hasRuneSuffix(rs, suf []rune) bool {
	if len(suf) > len(rs) {
		return false
	}
	off := len(rs) - len(suf)
	for i, r := range suf {
		if rs[off+i] != r {
			return false
		}
	}
	return true
}
